// The self-contained HTML report: inline CSS, inline SVG, the 3D viewer's script inline when
// postures are shown, nothing fetched.
#include "femur/report/html_report.hpp"

#include <cmath>

#include <fmt/format.h>

#include "femur/io/atomic_file.hpp"
#include "femur/report/svg_plot.hpp"
#include "femur/web/embed.hpp"
#include "femur/web/page.hpp"

namespace femur::report {
namespace {


constexpr const char* kStyle = R"(
body { font-family: Helvetica, Arial, sans-serif; color: #1d1d1f; max-width: 1100px; margin: 24px auto; padding: 0 20px; line-height: 1.45; }
h1 { font-size: 28px; margin-bottom: 4px; }
h2 { font-size: 22px; margin-top: 44px; border-bottom: 2px solid #0072B2; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
p.sub { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid #d0d0d0; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f2f5f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.verdict.supported { background: #e5f4ea; border-left: 6px solid #2d8a4e; }
.verdict.partly { background: #fdf3dc; border-left: 6px solid #c98a00; }
.verdict.not { background: #fbe7e3; border-left: 6px solid #c0392b; }
.verdict.cannot { background: #eceff1; border-left: 6px solid #546e7a; }
.tag { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: bold; }
.tag.supported { background: #2d8a4e; color: #fff; }
.tag.partly { background: #c98a00; color: #fff; }
.tag.not { background: #c0392b; color: #fff; }
.tag.cannot { background: #546e7a; color: #fff; }
.question { font-size: 16px; background: #f2f5f8; padding: 10px 14px; border-radius: 6px; }
figure { margin: 10px 0 18px; }
figcaption { color: #555; font-size: 12px; max-width: 720px; }
.plots { display: flex; flex-wrap: wrap; gap: 8px; }
.meta { color: #666; font-size: 12px; }
ul.limits li { margin-bottom: 3px; }
)";

std::string esc(const std::string& s) { return escape_xml(s); }

const char* status_class(VerdictStatus s) {
  switch (s) {
    case VerdictStatus::Supported: return "supported";
    case VerdictStatus::Partly: return "partly";
    case VerdictStatus::NotSupported: return "not";
    case VerdictStatus::CannotAnswer: return "cannot";
  }
  return "not";
}

std::string number_text(const Number& n) {
  if (!std::isfinite(n.value)) return "n/a";
  return format_number(n.value, n.decimals) + (n.unit.empty() ? "" : " " + n.unit);
}

std::string published_text(const LiteratureComparison& c) {
  if (!c.published.empty()) return c.published;
  if (c.low == c.high) return format_number(c.low, 2) + " " + c.unit;
  return format_number(c.low, 2) + " to " + format_number(c.high, 2) + " " + c.unit;
}

std::string table_html(const Table& t) {
  std::string s;
  if (!t.title.empty()) s += "<h3>" + esc(t.title) + "</h3>\n";
  if (t.rows.empty()) return s + "<p class=\"meta\">(none)</p>\n";
  s += "<table>\n<tr>";
  for (const std::string& h : t.header) s += "<th>" + esc(h) + "</th>";
  s += "</tr>\n";
  for (const auto& row : t.rows) {
    s += "<tr>";
    for (const std::string& c : row) {
      const bool numeric = !c.empty() && (std::isdigit(static_cast<unsigned char>(c[0])) || (c[0] == '-' && c.size() > 1));
      s += numeric ? "<td class=\"num\">" + esc(c) + "</td>" : "<td>" + esc(c) + "</td>";
    }
    s += "</tr>\n";
  }
  return s + "</table>\n";
}

// A scenario's postures in 3D, each an embedded view (web/embed.hpp); `views` counts them.
std::string postures_html(const Section& r, const Model& model, int& views) {
  std::string s;
  for (const Posture& p : r.postures) {
    if (p.q.empty() || static_cast<int>(p.q[0].size()) != model.nq) continue;
    web::FramesView v;
    v.title = r.title;
    v.labels = p.labels;
    v.q.resize(static_cast<Eigen::Index>(p.q.size()), model.nq);
    for (size_t i = 0; i < p.q.size(); ++i)
      v.q.row(static_cast<Eigen::Index>(i)) = Eigen::Map<const Eigen::RowVectorXd>(p.q[i].data(), model.nq);
    if (!p.hip_joint.empty() && p.hip_force_in_ground.size() == p.q.size()) {
      v.reaction_joint = model.joint_index(p.hip_joint);
      v.reaction_force_in_ground.resize(static_cast<Eigen::Index>(p.q.size()), 3);
      for (size_t i = 0; i < p.q.size(); ++i)
        for (int c = 0; c < 3; ++c) v.reaction_force_in_ground(static_cast<Eigen::Index>(i), c) = p.hip_force_in_ground[i][c];
    }
    s += "<figure>\n" + web::embedded_frames_view(model, v, fmt::format("femur-posture-{}", views++), "440px");
    if (!p.caption.empty()) s += "<figcaption>" + esc(p.caption) + "</figcaption>\n";
    s += "</figure>\n";
  }
  return s.empty() ? s : "<h3>In 3D</h3>\n" + s;
}

std::string section(const Section& r, const Model* model, int& views) {
  std::string s = fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", esc(r.name), esc(r.title));
  s += fmt::format("<p class=\"meta\">{} &middot; model {} &middot; {} s</p>\n", esc(r.command), esc(r.model_name),
                   format_number(r.seconds, 2));
  s += "<h3>Question</h3>\n<p class=\"question\">" + esc(r.question) + "</p>\n";
  const char* cls = status_class(r.verdict.status);
  s += fmt::format("<div class=\"verdict {0}\"><span class=\"tag {0}\">{1}</span> <b>{2}</b><br>{3}</div>\n", cls,
                   esc(verdict_status_name(r.verdict.status)), esc(r.verdict.claim), esc(r.verdict.text));
  s += "<h3>Method</h3>\n<p>" + esc(r.method) + "</p>\n";
  if (model) s += postures_html(r, *model, views);
  if (!r.figures.empty()) {
    s += "<h3>Plots</h3>\n<div class=\"plots\">\n";
    for (const Figure& f : r.figures) {
      PlotSize size;
      if (f.kind == Figure::Kind::Bar && f.categories.size() > 12) size = {1060, 420};
      s += "<figure>\n" + svg_plot(f, size);
      if (!f.caption.empty()) s += "<figcaption>" + esc(f.caption) + "</figcaption>\n";
      s += "</figure>\n";
    }
    s += "</div>\n";
  }
  if (!r.numbers.empty()) {
    s += "<h3>Numbers</h3>\n<table>\n";
    for (const Number& n : r.numbers)
      s += "<tr><td>" + esc(n.label) + "</td><td class=\"num\">" + esc(number_text(n)) + "</td></tr>\n";
    s += "</table>\n";
  }
  for (const Table& t : r.tables) s += table_html(t);
  if (!r.literature.empty()) {
    s += "<h3>Compared with the literature</h3>\n<table>\n<tr><th>quantity</th><th>model</th><th>published</th>"
         "<th>agrees</th><th>source</th></tr>\n";
    for (const LiteratureComparison& c : r.literature)
      s += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", esc(c.quantity),
                       esc(format_number(c.model_value, 2) + (c.unit.empty() ? "" : " " + c.unit)), esc(published_text(c)),
                       c.within() ? "yes" : "<b>no</b>", esc(c.source));
    s += "</table>\n";
  }
  if (!r.limits.empty()) {
    s += "<h3>Limits</h3>\n<ul class=\"limits\">\n";
    for (const std::string& l : r.limits) s += "<li>" + esc(l) + "</li>\n";
    s += "</ul>\n";
  }
  if (!r.parameters.empty()) {
    s += "<p class=\"meta\">Parameters (change with <code>--set key=value</code>): ";
    for (size_t i = 0; i < r.parameters.size(); ++i)
      s += (i ? ", " : "") + esc(r.parameters[i].first) + " = " + esc(r.parameters[i].second);
    s += "</p>\n";
  }
  return s + "</section>\n";
}

}  // namespace

std::string render_html_report(const std::vector<Section>& results, const ReportOptions& o) {
  std::string s = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  s += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  s += "<title>" + esc(o.title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  s += "<h1>" + esc(o.title) + "</h1>\n";
  if (!o.subtitle.empty()) s += "<p class=\"sub\">" + esc(o.subtitle) + "</p>\n";
  s += "<h3>Summary</h3>\n<table>\n<tr><th>scenario</th><th>key number</th><th>verdict</th></tr>\n";
  for (const Section& r : results)
    s += fmt::format("<tr><td><a href=\"#{}\">{}</a></td><td>{}: {}</td><td><span class=\"tag {}\">{}</span></td></tr>\n",
                     esc(r.name), esc(r.name), esc(r.key_number.label), esc(number_text(r.key_number)),
                     status_class(r.verdict.status), esc(verdict_status_name(r.verdict.status)));
  s += "</table>\n";
  int views = 0;
  for (const Section& r : results) s += section(r, o.model, views);
  if (views > 0) s += "<script>" + std::string(web::viewer_script()) + "</script>\n";
  s += "<p class=\"meta\">Made by " + esc(o.generated_by) +
       ". A model's answer, not a diagnosis: every number depends on the model and the assumptions listed under "
       "Limits.</p>\n</body>\n</html>\n";
  return s;
}

void write_html_report(const std::filesystem::path& file, const std::vector<Section>& results,
                       const ReportOptions& options) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  io::write_file_atomically(file, render_html_report(results, options));
}

}  // namespace femur::report
