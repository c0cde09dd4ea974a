// The HTML report: self-contained (nothing fetched; a script only when postures are shown in
// 3D, then the viewer's, inline, once), one section and one summary row per scenario, text
// escaped, plots as inline SVG with gaps at missing values.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <regex>
#include <set>
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
  EXPECT_EQ(count(html, "<a href=\"#one\">"), 2);  // the summary row and the contents
  EXPECT_EQ(count(html, "<a href=\"#two\">"), 2);
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
  EXPECT_EQ(count(banded, "<rect x="), count(plain, "<rect x=") + 2);  // the band and its legend swatch
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

// Every in-page link (the summary, the contents, "back to the contents") names an id the page
// has, exactly once (issue 18: a contents to find one's way in a long report).
void expect_links_resolve(const std::string& html) {
  std::multiset<std::string> ids;
  const std::regex id_re("id=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), id_re); it != std::sregex_iterator(); ++it)
    ids.insert((*it)[1]);
  const std::regex href_re("href=\"#([^\"]+)\"");
  int links = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), href_re); it != std::sregex_iterator(); ++it, ++links)
    EXPECT_EQ(ids.count((*it)[1]), 1u) << "link to #" << (*it)[1];
  EXPECT_GT(links, 0);
}

TEST(HtmlReport, ContentsLinkToEveryPartAndEveryLinkResolves) {
  const Model model = hip::build_hip_model();
  Section one = sample("one"), two = sample("two");
  Posture p;
  const Eigen::VectorXd q0 = model.default_q();
  p.q = {std::vector<double>(q0.data(), q0.data() + q0.size())};
  p.labels = {"standing"};
  one.postures = {p};
  two.tables = {{"A table", {"a", "b"}, {{"1", "2"}}}};
  const std::string html = render_html_report({one, two}, {.title = "T", .subtitle = "", .model = &model});
  expect_links_resolve(html);
  EXPECT_EQ(count(html, "<nav class=\"contents\" id=\"contents\">"), 1);
  for (const char* part : {"#one-plots", "#one-method", "#one-3d", "#one-numbers", "#one-literature", "#one-limits",
                           "#two-tables"})
    EXPECT_EQ(count(html, std::string("href=\"") + part + "\""), 1) << part;
  EXPECT_EQ(count(html, "href=\"#two-3d\""), 0);  // no posture, no 3D part
  // Parts fold (<details>); plots and the literature open, the long lists closed.
  EXPECT_EQ(count(html, "<details id=\"one-plots\" open>"), 1);
  EXPECT_EQ(count(html, "<details id=\"one-literature\" open>"), 1);
  EXPECT_EQ(count(html, "<details id=\"one-numbers\">"), 1);
  EXPECT_EQ(count(html, "<details id=\"one-limits\">"), 1);
}

TEST(HtmlReport, TheClaimTestedAndWhatTheModelSaysAreLabelledApart) {
  const std::string html = render_html_report({sample("one")});
  const size_t claim = html.find("Claim tested</span> <b>A claim</b>");
  const size_t says = html.find("What the model says</span> Because 2.61 BW.");
  ASSERT_NE(claim, std::string::npos);
  ASSERT_NE(says, std::string::npos);
  EXPECT_LT(claim, says);
}

// A search that stopped at its bound, or found nothing, is not shown as a measurement.
TEST(HtmlReport, ANumberThatIsNotAMeasurementShowsItsText) {
  Section r = sample("one");
  r.numbers = {{"extension limit", 45.0, "deg", 1, "not reached by 45 deg"},
               {"strength where it fails", std::numeric_limits<double>::quiet_NaN(), "%", 0}};
  r.literature = {{"limit vs walking", 45.0, 16.4, 1e9, "deg", "Kerrigan 2001", "", "> 45 deg (not reached)"}};
  const std::string html = render_html_report({r});
  EXPECT_NE(html.find("<td class=\"num\">not reached by 45 deg</td>"), std::string::npos);
  EXPECT_EQ(html.find("45.0 deg"), std::string::npos);
  EXPECT_EQ(html.find("n/a"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">none</td>"), std::string::npos);
  EXPECT_NE(html.find("&gt; 45 deg (not reached)"), std::string::npos);
  EXPECT_EQ(html.find("45.00 deg"), std::string::npos);
  EXPECT_FALSE(r.numbers[0].measured());
  EXPECT_FALSE(r.numbers[1].measured());
  EXPECT_TRUE(sample("one").numbers[0].measured());
}

TEST(HtmlReport, APopulationGivesTheVerdictShareAndTheIntervalOfEachNumber) {
  Section r = sample("one");
  r.population.samples = 8;
  r.population.seed = 3;
  r.population.varied = "strengths";
  r.population.verdicts = {6, 2, 0, 0};
  r.population.numbers = {{"hip contact", "BW", 2, 2.61, 2.5, 2.1, 2.8, 8}};
  r.verdict.status = VerdictStatus::Supported;
  EXPECT_EQ(population_sentence(r), "supported in 75% of 8 models (partly supported 25%); hip contact 2.50 BW, 90% "
                                    "interval 2.10 to 2.80 BW");
  const std::string html = render_html_report({r});
  EXPECT_NE(html.find("Over plausible models</span> supported in 75% of 8 models"), std::string::npos);
  EXPECT_EQ(count(html, "<details id=\"one-population\" open>"), 1);
  expect_links_resolve(html);
}

// A legend lists what is drawn: a series without a finite point has no entry; a band's label is
// in the legend, above the frame, not over the bars (issue 18).
TEST(SvgPlot, TheLegendListsTheDrawnSeriesAndTheBandAboveTheFrame) {
  Figure f;
  f.title = "Demand";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  f.series = {{"drawn", {0, 1, 2}, {1, 2, 3}, false}, {"never drawn", {0, 1, 2}, {nan, nan, nan}, false}};
  with_band(f, 1.5, 2.5, "published range");
  const std::string svg = svg_plot(f);
  EXPECT_EQ(count(svg, ">drawn</text>"), 1);
  EXPECT_EQ(count(svg, "never drawn"), 0);
  const size_t label = svg.find(">published range</text>");
  ASSERT_NE(label, std::string::npos);
  double y = 0;
  const size_t text = svg.rfind("<text x=\"", label);
  ASSERT_EQ(std::sscanf(svg.c_str() + text, "<text x=\"%*f\" y=\"%lf\"", &y), 1);
  // The frame is the rectangle with stroke #444; its top is below the legend rows.
  const size_t frame = svg.rfind("<rect x=\"", svg.find("fill=\"none\" stroke=\"#444\""));
  double fx = 0, fy = 0;
  ASSERT_EQ(std::sscanf(svg.c_str() + frame, "<rect x=\"%lf\" y=\"%lf\"", &fx, &fy), 2);
  EXPECT_LT(y, fy);
}

TEST(SvgPlot, ASeriesWithAColourOfItsOwnIsDrawnInIt) {
  Figure f;
  f.series = {{"yellow", {0, 1}, {0, 1}, false, "#D4B400"}, {"other", {0, 1}, {1, 0}, false}};
  const std::string svg = svg_plot(f);
  EXPECT_NE(svg.find("stroke=\"#D4B400\""), std::string::npos);
  EXPECT_NE(svg.find("stroke=\"#D55E00\""), std::string::npos);  // the palette's second for the second series
  EXPECT_EQ(svg.find("stroke=\"#0072B2\""), std::string::npos);   // not the palette's first for the yellow one
}

}  // namespace
}  // namespace femur::report
