// The self-contained HTML report: inline CSS, inline SVG, the 3D viewer's script inline when
// postures are shown, nothing fetched.
#include "femur/report/html_report.hpp"

#include <cmath>
#include <utility>
#include <vector>

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
details { margin: 6px 0; }
details > summary { cursor: pointer; font-size: 16px; font-weight: bold; margin: 14px 0 6px; }
details.table > summary { font-size: 14px; }
nav.contents ol { columns: 2; column-gap: 32px; padding-left: 22px; margin-top: 4px; }
nav.contents li { margin-bottom: 4px; break-inside: avoid; }
nav.contents .parts { font-size: 12px; color: #555; }
.label { font-size: 12px; font-weight: bold; color: #444; text-transform: uppercase; letter-spacing: 0.03em; }
p.top { font-size: 12px; text-align: right; }
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
  if (!n.text.empty()) return n.text;
  if (!std::isfinite(n.value)) return "none";
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
  return s;
}

// The population table: each number as run, its median and 90% interval over the models.
std::string population_html(const Section& r) {
  const Population& p = r.population;
  std::string body = fmt::format(
      "<p>{}. The section was rerun on {} models drawn around the model (seed {}, spreads x {}): {}</p>\n",
      esc(population_sentence(r)), p.samples, p.seed, format_number(p.spread, 2), esc(p.varied));
  body += "<table>\n<tr><th>number</th><th>as run</th><th>median</th><th>90% interval</th><th>models measured</th></tr>\n";
  for (const Spread& n : p.numbers) {
    const std::string unit = n.unit.empty() ? "" : " " + n.unit;
    body += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                        "<td class=\"num\">{}</td></tr>\n",
                        esc(n.label), esc(format_number(n.as_run, n.decimals) + unit),
                        n.models > 0 ? esc(format_number(n.median, n.decimals) + unit) : "-",
                        n.models > 0 ? esc(format_number(n.low, n.decimals) + " to " + format_number(n.high, n.decimals) + unit)
                                     : "-",
                        n.models);
  }
  return body + "</table>\n";
}

// A part of a section, collapsible (<details>), with an anchor the contents link to.
std::string part(const std::string& id, const std::string& title, const std::string& body, bool open,
                 const char* cls = "") {
  return fmt::format("<details id=\"{}\"{}{}>\n<summary>{}</summary>\n{}</details>\n", esc(id),
                     *cls ? fmt::format(" class=\"{}\"", cls) : "", open ? " open" : "", esc(title), body);
}

// The parts a section shows, in order: (anchor suffix, title); the contents list them.
// Whether postures_html draws any of the section's postures on the model.
bool has_3d(const Section& r, const Model* model) {
  if (!model) return false;
  for (const Posture& p : r.postures)
    if (!p.q.empty() && static_cast<int>(p.q[0].size()) == model->nq) return true;
  return false;
}

std::vector<std::pair<std::string, std::string>> parts_of(const Section& r, const Model* model) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!r.figures.empty()) out.push_back({"plots", "Plots"});
  out.push_back({"method", "Method"});
  if (has_3d(r, model)) out.push_back({"3d", "In 3D"});
  if (!r.numbers.empty()) out.push_back({"numbers", "Numbers"});
  if (!r.tables.empty()) out.push_back({"tables", "Tables"});
  if (r.population.samples > 0) out.push_back({"population", "Over plausible models"});
  if (!r.literature.empty()) out.push_back({"literature", "Compared with the literature"});
  if (!r.limits.empty()) out.push_back({"limits", "Limits"});
  return out;
}

std::string section(const Section& r, const Model* model, int& views) {
  const std::string id = r.name;
  std::string s = fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", esc(id), esc(r.title));
  s += fmt::format("<p class=\"meta\">{} &middot; model {} &middot; {} s</p>\n", esc(r.command), esc(r.model_name),
                   format_number(r.seconds, 2));
  s += "<p class=\"question\">" + esc(r.question) + "</p>\n";
  // The claim is what was tested, the text what the model's numbers say: labelled, so that the
  // claim is not read as the finding (issue 18).
  const char* cls = status_class(r.verdict.status);
  s += fmt::format(
      "<div class=\"verdict {0}\"><span class=\"tag {0}\">{1}</span> <span class=\"label\">Claim tested</span> "
      "<b>{2}</b><br><span class=\"label\">What the model says</span> {3}{4}</div>\n",
      cls, esc(verdict_status_name(r.verdict.status)), esc(r.verdict.claim), esc(r.verdict.text),
      r.population.samples > 0 ? "<br><span class=\"label\">Over plausible models</span> " +
                                     esc(population_sentence(r)) : std::string());
  if (!r.figures.empty()) {
    std::string body = "<div class=\"plots\">\n";
    for (const Figure& f : r.figures) {
      PlotSize size;
      if (f.kind == Figure::Kind::Bar && f.categories.size() > 12) size = {1060, 420};
      body += "<figure>\n" + svg_plot(f, size);
      if (!f.caption.empty()) body += "<figcaption>" + esc(f.caption) + "</figcaption>\n";
      body += "</figure>\n";
    }
    s += part(id + "-plots", "Plots", body + "</div>\n", true);
  }
  s += part(id + "-method", "Method", "<p>" + esc(r.method) + "</p>\n", false);
  if (has_3d(r, model)) s += part(id + "-3d", "In 3D", postures_html(r, *model, views), false);
  if (!r.numbers.empty()) {
    std::string body = "<table>\n";
    for (const Number& n : r.numbers)
      body += "<tr><td>" + esc(n.label) + "</td><td class=\"num\">" + esc(number_text(n)) + "</td></tr>\n";
    s += part(id + "-numbers", fmt::format("Numbers ({})", r.numbers.size()), body + "</table>\n", false);
  }
  if (!r.tables.empty()) {
    std::string body;
    for (size_t t = 0; t < r.tables.size(); ++t)
      body += part(fmt::format("{}-table-{}", id, t + 1), r.tables[t].title.empty() ? "Table" : r.tables[t].title,
                   table_html(r.tables[t]), false, "table");
    s += part(id + "-tables", fmt::format("Tables ({})", r.tables.size()), body, true);
  }
  if (r.population.samples > 0)
    s += part(id + "-population", fmt::format("Over {} plausible models", r.population.samples), population_html(r), true);
  if (!r.literature.empty()) {
    std::string body = "<table>\n<tr><th>quantity</th><th>model</th><th>published</th><th>agrees</th><th>source</th></tr>\n";
    for (const LiteratureComparison& c : r.literature)
      body += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                          esc(c.quantity),
                          esc(!c.model_text.empty() ? c.model_text
                                                    : format_number(c.model_value, 2) + (c.unit.empty() ? "" : " " + c.unit)),
                          esc(published_text(c)), c.within() ? "yes" : "<b>no</b>", esc(c.source));
    s += part(id + "-literature", "Compared with the literature", body + "</table>\n", true);
  }
  if (!r.limits.empty()) {
    std::string body = "<ul class=\"limits\">\n";
    for (const std::string& l : r.limits) body += "<li>" + esc(l) + "</li>\n";
    s += part(id + "-limits", fmt::format("Limits ({})", r.limits.size()), body + "</ul>\n", false);
  }
  if (!r.parameters.empty()) {
    s += "<p class=\"meta\">Parameters (change with <code>--set key=value</code>): ";
    for (size_t i = 0; i < r.parameters.size(); ++i)
      s += (i ? ", " : "") + esc(r.parameters[i].first) + " = " + esc(r.parameters[i].second);
    s += "</p>\n";
  }
  return s + "<p class=\"top\"><a href=\"#contents\">back to the contents</a></p>\n</section>\n";
}

// The contents: each section with its verdict and links to its parts.
std::string contents(const std::vector<Section>& results, const Model* model) {
  std::string s = "<nav class=\"contents\" id=\"contents\">\n<h3>Contents</h3>\n<ol>\n";
  for (const Section& r : results) {
    s += fmt::format("<li><a href=\"#{}\">{}</a> <span class=\"tag {}\">{}</span><br><span class=\"parts\">", esc(r.name),
                     esc(r.title), status_class(r.verdict.status), esc(verdict_status_name(r.verdict.status)));
    const auto parts = parts_of(r, model);
    for (size_t i = 0; i < parts.size(); ++i)
      s += fmt::format("{}<a href=\"#{}-{}\">{}</a>", i ? " &middot; " : "", esc(r.name), parts[i].first,
                       esc(parts[i].second));
    s += "</span></li>\n";
  }
  return s + "</ol>\n</nav>\n";
}

}  // namespace

std::string render_html_report(const std::vector<Section>& results, const ReportOptions& o) {
  std::string s = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  s += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  s += "<title>" + esc(o.title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  s += "<h1>" + esc(o.title) + "</h1>\n";
  if (!o.subtitle.empty()) s += "<p class=\"sub\">" + esc(o.subtitle) + "</p>\n";
  s += "<h3>Summary</h3>\n<table>\n<tr><th>scenario</th><th>key number</th><th>verdict</th><th>over plausible models"
       "</th></tr>\n";
  for (const Section& r : results) {
    const Population& p = r.population;
    std::string over = "-";
    if (p.samples > 0) {
      over = fmt::format("{}% of {} models", format_number(100 * p.share(r.verdict.status), 0), p.samples);
      if (!p.numbers.empty() && p.numbers.front().models > 0)
        over += fmt::format("; 90% interval {} to {}", format_number(p.numbers.front().low, p.numbers.front().decimals),
                            format_number(p.numbers.front().high, p.numbers.front().decimals) +
                                (p.numbers.front().unit.empty() ? "" : " " + p.numbers.front().unit));
    }
    s += fmt::format("<tr><td><a href=\"#{}\">{}</a></td><td>{}: {}</td><td><span class=\"tag {}\">{}</span></td><td>{}</td></tr>\n",
                     esc(r.name), esc(r.name), esc(r.key_number.label), esc(number_text(r.key_number)),
                     status_class(r.verdict.status), esc(verdict_status_name(r.verdict.status)), esc(over));
  }
  s += "</table>\n";
  s += contents(results, o.model);
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
