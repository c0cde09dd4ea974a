// The HTML report: self-contained (nothing fetched; a script only when postures are shown in
// 3D, then the viewer's, inline, once), one section and one summary row per scenario, text
// escaped, plots as inline SVG with gaps at missing values.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "femur/hip/hip_model.hpp"
#include "femur/report/document.hpp"
#include "femur/report/html_report.hpp"
#include "femur/web/page.hpp"
#include "femur/report/svg_plot.hpp"
#include "support/test_data.hpp"

namespace femur::report {
namespace {

Section sample(const std::string& name) {
  Section r;
  r.name = name;
  r.title = "Title of " + name + " <with> & \"quotes\"";
  r.question = "Does it hold?";
  r.method = "A method.";
  r.key_number = {"hip contact", 2.61, "BW", 2};
  r.numbers = {{"force", 1234.5, "N", 0}};
  Figure line;
  line.title = "A line";
  line.series = {{"s1", {0, 1, 2, 3}, {1, 2, NAN, 4}, false}};
  Figure bar;
  bar.kind = Figure::Kind::Bar;
  bar.title = "Bars";
  bar.categories = {"a", "b"};
  bar.series = {{"x", {}, {1, -2}, false}, {"y", {}, {3, 4}, false}};
  r.figures = {line, bar};
  r.verdict = {VerdictStatus::Partly, "A claim", "Because 2.61 BW."};
  r.literature = {{"hip contact", 2.61, 2.0, 3.0, "BW", "Bergmann 2001", ""}};
  r.limits = {"Static."};
  return r;
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

TEST(HtmlReport, HasASummaryRowAndASectionPerScenarioAndNothingToFetch) {
  const std::string html = render_html_report({sample("one"), sample("two")}, {.title = "T", .subtitle = ""});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count(html, "<section id="), 2);
  EXPECT_EQ(count(html, "<a href=\"#one\">"), 1);
  EXPECT_EQ(count(html, "<a href=\"#two\">"), 1);
  EXPECT_EQ(count(html, "<svg "), 4);
  EXPECT_EQ(count(html, "<script"), 0);
  EXPECT_EQ(count(html, "src="), 0);
  EXPECT_EQ(count(html, "<link"), 0);
  EXPECT_EQ(count(html, "http://"), count(html, "http://www.w3.org/2000/svg"));  // only the SVG namespace
  EXPECT_EQ(count(html, "https://"), 0);
  EXPECT_NE(html.find("partly supported"), std::string::npos);
  EXPECT_NE(html.find("2.61 BW"), std::string::npos);
  EXPECT_NE(html.find("Bergmann 2001"), std::string::npos);
}

TEST(HtmlReport, PosturesAreShownIn3DWithTheViewerScriptInlineOnce) {
  const Model model = hip::build_hip_model();
  report::Section one = sample("one"), two = sample("two");
  report::Posture p;
  p.caption = "Standing, then a flexed hip";
  p.labels = {"standing", "flexed"};
  const Eigen::VectorXd q0 = model.default_q();
  std::vector<double> q(q0.data(), q0.data() + q0.size());
  p.q = {q, q};
  p.q[1][static_cast<size_t>(model.coordinate_index("hip_flexion_r"))] = 0.5;
  p.hip_joint = "hip_r";
  p.hip_force_in_ground = {{0.0, 1500.0, 0.0}, {0.0, 1800.0, 0.0}};
  one.postures = {p};
  two.postures = {p, p};
  const std::string html = render_html_report({one, two}, {.title = "T", .subtitle = "", .model = &model});
  EXPECT_EQ(count(html, "<div class=\"femur-view\""), 3);
  EXPECT_EQ(count(html, "<script type=\"application/json\" id=\"femur-posture-"), 3);
  EXPECT_EQ(count(html, "\"femur-posture-2\""), 2);  // the div names its scene; ids unique per view
  EXPECT_EQ(count(html, "<script>"), 1);
  EXPECT_NE(html.find("<script>" + std::string(web::viewer_script()) + "</script>"), std::string::npos);
  EXPECT_EQ(count(html, "Standing, then a flexed hip"), 3);
  EXPECT_EQ(count(html, "src="), 0);
  EXPECT_EQ(count(html, "https://"), 0);
  // Without the model, no views and no script.
  const std::string plain = render_html_report({one, two}, {.title = "T", .subtitle = ""});
  EXPECT_EQ(count(plain, "<script"), 0);
}

TEST(HtmlReport, AVerdictTheModelCannotGiveIsNamedSo) {
  Section r = sample("one");
  r.verdict.status = VerdictStatus::CannotAnswer;
  EXPECT_STREQ(verdict_status_name(r.verdict.status), "model cannot answer");
  const std::string html = render_html_report({r});
  EXPECT_NE(html.find("<div class=\"verdict cannot\"><span class=\"tag cannot\">model cannot answer</span>"),
            std::string::npos);
}

TEST(HtmlReport, EscapesText) {
  const std::string html = render_html_report({sample("one")});
  EXPECT_NE(html.find("Title of one &lt;with&gt; &amp; &quot;quotes&quot;"), std::string::npos);
  EXPECT_EQ(html.find("<with>"), std::string::npos);
}

TEST(HtmlReport, IsWrittenWholeIntoANewFolder) {
  const auto file = test::temp_dir("html_report") / "sub" / "report.html";
  write_html_report(file, {sample("one")});
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), render_html_report({sample("one")}));
}

TEST(SvgPlot, NiceTicksCoverTheRangeInOneTwoFiveSteps) {
  for (auto [lo, hi] : {std::pair{0.0, 1.0}, {-3.2, 7.9}, {2.0, 3.5}, {0.0, 1234.0}, {-0.013, 0.021}}) {
    const std::vector<double> t = nice_ticks(lo, hi);
    ASSERT_GE(t.size(), 2u);
    EXPECT_LE(t.front(), lo + 1e-12);
    EXPECT_GE(t.back(), hi - 1e-12);
    const double step = t[1] - t[0];
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    EXPECT_TRUE(std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6 || std::abs(mantissa - 5) < 1e-6) << step;
    EXPECT_LE(t.size(), 12u);
  }
}

TEST(SvgPlot, LineBreaksAtMissingValuesAndBarsAreOnePerCategoryAndSeries) {
  const Section r = sample("one");
  const std::string line = svg_plot(r.figures[0]);
  EXPECT_EQ(count(line, "<path d=\"M"), 1);
  EXPECT_EQ(count(line, " M"), 1);  // the second run starts a new sub-path after the NaN
  EXPECT_EQ(count(line, "<circle"), 3);
  const std::string bars = svg_plot(r.figures[1]);
  EXPECT_EQ(count(bars, "<rect x="), 4 + 1 + 2);  // 4 bars, the frame, 2 legend swatches
}

// x from 0 to 90: nice_ticks gives 0, 20, ..., 100; the 100 lies off the frame and is not drawn.
TEST(SvgPlot, DrawsNoXTickOutsideTheFrame) {
  Figure f;
  f.series = {{"s1", {0, 45, 90}, {0, 1, 2}, false}};
  const std::string svg = svg_plot(f);
  EXPECT_EQ(count(svg, "text-anchor=\"middle\">80</text>"), 1);
  EXPECT_EQ(count(svg, "text-anchor=\"middle\">100</text>"), 0);
}

// A vertical band is one rectangle spanning the plot's height from x_band_low to
// x_band_high, labelled, behind the data; clipped at the plot's x range; absent when off.
TEST(SvgPlot, DrawsTheVerticalBandBetweenItsXLimitsBehindTheData) {
  Figure f;
  f.title = "Strain";
  f.series = {{"s1", {0, 25, 50, 75, 100}, {0, 1, 2, 3, 4}, false}};
  const std::string plain = svg_plot(f);
  f.has_x_band = true;
  f.x_band_low = 30;
  f.x_band_high = 70;
  f.x_band_label = "positive <30-70>";
  const std::string banded = svg_plot(f);
  EXPECT_EQ(count(banded, "<rect x="), count(plain, "<rect x=") + 1);
  EXPECT_EQ(count(banded, "positive &lt;30-70&gt;"), 1);
  // The band's rectangle: find it by its fill and read its x and width; the plot frame runs
  // from x pixel 64 to width - 16 over x 0..100.
  const double left = 64, right = PlotSize{}.width - 16.0, span = right - left;
  const size_t at = banded.find("fill=\"#f6d9a8\"");
  ASSERT_NE(at, std::string::npos);
  const size_t rect = banded.rfind("<rect x=\"", at);
  double x = 0, y = 0, w = 0, h = 0;
  ASSERT_EQ(std::sscanf(banded.c_str() + rect, "<rect x=\"%lf\" y=\"%lf\" width=\"%lf\" height=\"%lf\"", &x, &y, &w, &h), 4);
  EXPECT_NEAR(x, left + 0.30 * span, 0.1);
  EXPECT_NEAR(w, 0.40 * span, 0.1);
  EXPECT_GT(h, 100);
  // Drawn before (behind) the data line; its label after it, so that no line hides it.
  EXPECT_LT(at, banded.find("<path d=\"M"));
  EXPECT_GT(banded.find("positive &lt;30-70&gt;"), banded.rfind("<path d=\"M"));
  // Clipped to the data's x range, and not drawn when it lies outside it.
  f.x_band_high = 150;
  const std::string clipped = svg_plot(f);
  const size_t c = clipped.rfind("<rect x=\"", clipped.find("fill=\"#f6d9a8\""));
  ASSERT_EQ(std::sscanf(clipped.c_str() + c, "<rect x=\"%lf\" y=\"%lf\" width=\"%lf\"", &x, &y, &w), 3);
  EXPECT_NEAR(x + w, right, 0.1);
  f.x_band_low = 120;
  EXPECT_EQ(count(svg_plot(f), "#f6d9a8"), 0);
}

}  // namespace
}  // namespace femur::report
