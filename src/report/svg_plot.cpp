// Inline SVG line and bar plots. Coordinates are written with one decimal (sub-pixel is
// invisible); text is escaped; colours come from a fixed palette readable in print and by
// people with the common colour-vision deficiencies (Okabe & Ito 2008).
#include "femur/report/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include <fmt/format.h>

namespace femur::report {
namespace {

constexpr const char* kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"};
constexpr int kPaletteSize = 8;
constexpr const char* kBandFill = "#b8e0c8";   // a published range (horizontal band)
constexpr const char* kXBandFill = "#f6d9a8";  // a range of x (vertical band)

// A series' own colour, or the palette's k-th.
std::string colour_of(const Series& se, size_t k) { return se.colour.empty() ? kPalette[k % kPaletteSize] : se.colour; }

// Whether a series has a point (a line plot) or a bar (a bar plot) to draw: a legend lists only
// what is drawn (issue 18).
bool drawn(const Series& se, bool bars) {
  for (size_t i = 0; i < se.y.size(); ++i)
    if (std::isfinite(se.y[i]) && (bars || (i < se.x.size() && std::isfinite(se.x[i])))) return true;
  return false;
}

std::string tick_label(double v, double step) {
  const int decimals = step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return format_number(v, std::clamp(decimals, 0, 6));
}

struct Frame {
  double x0, x1, y0, y1;  // data range
  double left, right, top, bottom;  // pixel box
  double px(double x) const { return left + (x - x0) / (x1 - x0) * (right - left); }
  double py(double y) const { return bottom - (y - y0) / (y1 - y0) * (bottom - top); }
};

void widen(double& lo, double& hi) {
  if (!(hi > lo)) {
    const double pad = std::abs(lo) > 0 ? std::abs(lo) * 0.1 : 1.0;
    lo -= pad;
    hi += pad;
  }
}

std::string header(const Figure& f, PlotSize size) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "aria-label=\"{2}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
      "<rect width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n"
      "<text x=\"{3}\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{2}</text>\n",
      size.width, size.height, escape_xml(f.title), size.width / 2);
}

// Axes, grid, tick labels and axis labels; x ticks numeric when `x_ticks` is non-empty.
std::string axes(const Frame& fr, const std::vector<double>& x_ticks, const std::vector<double>& y_ticks,
                 const Figure& f, PlotSize size) {
  std::string s;
  const double ystep = y_ticks.size() > 1 ? y_ticks[1] - y_ticks[0] : 1.0;
  for (double t : y_ticks) {
    const double y = fr.py(t);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e3e3e3\"/>\n", fr.left, y,
                     fr.right, y);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", fr.left - 6, y + 4,
                     tick_label(t, ystep));
  }
  const double xstep = x_ticks.size() > 1 ? x_ticks[1] - x_ticks[0] : 1.0;
  for (double t : x_ticks) {
    // nice_ticks may end a step past the data; a tick outside the frame would be drawn off it.
    if (t < fr.x0 - 1e-9 * (fr.x1 - fr.x0) || t > fr.x1 + 1e-9 * (fr.x1 - fr.x0)) continue;
    const double x = fr.px(t);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e3e3e3\"/>\n", x, fr.top, x,
                     fr.bottom);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", x, fr.bottom + 16,
                     tick_label(t, xstep));
  }
  if (fr.y0 < 0 && fr.y1 > 0)
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#888\"/>\n", fr.left,
                     fr.py(0), fr.right, fr.py(0));
  s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" stroke=\"#444\"/>\n",
                   fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top);
  if (!f.x_label.empty())
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", (fr.left + fr.right) / 2,
                     size.height - 8, escape_xml(f.x_label));
  if (!f.y_label.empty())
    s += fmt::format("<text transform=\"translate(16,{:.1f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                     (fr.top + fr.bottom) / 2, escape_xml(f.y_label));
  return s;
}

// The y range of the horizontal band (a published range) within the plot; empty when off
// or outside.
std::optional<std::pair<double, double>> band_range(const Frame& fr, const Figure& f) {
  if (!f.has_band) return std::nullopt;
  const double hi = std::min(f.band_high, fr.y1), lo = std::max(f.band_low, fr.y0);
  if (!(hi > lo)) return std::nullopt;
  return std::pair{lo, hi};
}

// The x range of a line plot's vertical band, clipped to the plot's x range; empty when off
// or outside.
std::optional<std::pair<double, double>> x_band_range(const Frame& fr, const Figure& f) {
  if (!f.has_x_band) return std::nullopt;
  const double lo = std::max(std::min(f.x_band_low, f.x_band_high), fr.x0);
  const double hi = std::min(std::max(f.x_band_low, f.x_band_high), fr.x1);
  if (!(hi > lo)) return std::nullopt;
  return std::pair{lo, hi};
}

// The bands' rectangles, behind the data.
std::string band(const Frame& fr, const Figure& f) {
  const auto r = band_range(fr, f);
  if (!r) return {};
  const auto [lo, hi] = *r;
  return fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\" fill-opacity=\"0.5\"/>\n",
                     fr.left, fr.py(hi), fr.right - fr.left, fr.py(lo) - fr.py(hi), kBandFill);
}

std::string x_band(const Frame& fr, const Figure& f) {
  const auto r = x_band_range(fr, f);
  if (!r) return {};
  const auto [lo, hi] = *r;
  return fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\" fill-opacity=\"0.5\"/>\n",
                     fr.px(lo), fr.top, fr.px(hi) - fr.px(lo), fr.bottom - fr.top, kXBandFill);
}

// A legend entry: a series (line or bar swatch) or a band (its label, which inside the plot would
// cover bars and lines: issue 18).
struct LegendEntry {
  enum class Kind { Line, Bar, Band, XBand };
  Kind kind = Kind::Line;
  std::string name, colour;
  bool dashed = false;
};


// The drawn series, then the bands that are within the plot.
std::vector<LegendEntry> legend_entries(const Figure& f, bool bars, bool band_shown, bool x_band_shown) {
  std::vector<LegendEntry> out;
  for (size_t k = 0; k < f.series.size(); ++k)
    if (drawn(f.series[k], bars))
      out.push_back({bars ? LegendEntry::Kind::Bar : LegendEntry::Kind::Line, f.series[k].name, colour_of(f.series[k], k),
                     f.series[k].dashed});
  if (band_shown && !f.band_label.empty()) out.push_back({LegendEntry::Kind::Band, f.band_label, kBandFill, false});
  if (x_band_shown && !f.x_band_label.empty()) out.push_back({LegendEntry::Kind::XBand, f.x_band_label, kXBandFill, false});
  return out;
}

double entry_width(const LegendEntry& e) { return 26 + 6.6 * static_cast<double>(e.name.size()) + 14; }

// Legend in rows under the title.
std::string legend(const std::vector<LegendEntry>& entries, double left, double top, double width) {
  std::string s;
  double x = left, y = top;
  for (const LegendEntry& e : entries) {
    const double w = entry_width(e);
    if (x + w > left + width && x > left) {
      x = left;
      y += 16;
    }
    switch (e.kind) {
      case LegendEntry::Kind::Bar:
        s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"18\" height=\"10\" fill=\"{}\"/>\n", x, y - 9, e.colour);
        break;
      case LegendEntry::Kind::Band:
      case LegendEntry::Kind::XBand:
        s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"18\" height=\"10\" fill=\"{}\" fill-opacity=\"0.8\"/>\n", x,
                         y - 9, e.colour);
        break;
      case LegendEntry::Kind::Line:
        s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"2.5\"{}/>\n",
                         x, y - 4, x + 18, y - 4, e.colour, e.dashed ? " stroke-dasharray=\"5,3\"" : "");
        break;
    }
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x + 24, y, escape_xml(e.name));
    x += w;
  }
  return s;
}

int legend_rows(const std::vector<LegendEntry>& entries, double width) {
  int rows = entries.empty() ? 0 : 1;
  double x = 0;
  for (const LegendEntry& e : entries) {
    const double w = entry_width(e);
    if (x + w > width && x > 0) {
      ++rows;
      x = 0;
    }
    x += w;
  }
  return rows;
}

std::string line_plot(const Figure& f, PlotSize size) {
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const Series& se : f.series)
    for (size_t i = 0; i < std::min(se.x.size(), se.y.size()); ++i) {
      if (!std::isfinite(se.x[i]) || !std::isfinite(se.y[i])) continue;
      x0 = std::min(x0, se.x[i]);
      x1 = std::max(x1, se.x[i]);
      y0 = std::min(y0, se.y[i]);
      y1 = std::max(y1, se.y[i]);
    }
  if (!std::isfinite(x0)) x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  if (f.has_band) y0 = std::min(y0, f.band_low), y1 = std::max(y1, f.band_high);
  if (y0 > 0 && y0 < 0.25 * y1) y0 = 0;  // start at zero when it is close
  widen(x0, x1);
  widen(y0, y1);
  const std::vector<double> yt = nice_ticks(y0, y1), xt = nice_ticks(x0, x1);
  y0 = std::min(y0, yt.front());
  y1 = std::max(y1, yt.back());
  const Frame ranges{x0, x1, y0, y1, 0, 1, 0, 1};
  const std::vector<LegendEntry> entries =
      legend_entries(f, false, band_range(ranges, f).has_value(), x_band_range(ranges, f).has_value());
  const double top = 34 + 16 * legend_rows(entries, size.width - 80);
  Frame fr{x0, x1, y0, y1, 64, size.width - 16.0, top + 8, size.height - 40.0};
  std::string s = header(f, size) + band(fr, f) + x_band(fr, f) + axes(fr, xt, yt, f, size);
  for (size_t k = 0; k < f.series.size(); ++k) {
    const Series& se = f.series[k];
    const std::string colour = colour_of(se, k);
    std::string d;
    bool pen_down = false;
    for (size_t i = 0; i < std::min(se.x.size(), se.y.size()); ++i) {
      if (!std::isfinite(se.x[i]) || !std::isfinite(se.y[i])) {
        pen_down = false;
        continue;
      }
      d += fmt::format("{}{:.1f},{:.1f} ", pen_down ? "L" : "M", fr.px(se.x[i]), fr.py(se.y[i]));
      pen_down = true;
    }
    if (!d.empty())
      s += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"{}/>\n", d, colour,
                       se.dashed ? " stroke-dasharray=\"6,4\"" : "");
    for (size_t i = 0; i < std::min(se.x.size(), se.y.size()); ++i)
      if (std::isfinite(se.x[i]) && std::isfinite(se.y[i]))
        s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n", fr.px(se.x[i]), fr.py(se.y[i]),
                         colour);
  }
  s += legend(entries, 64, 44, size.width - 80);
  return s + "</svg>\n";
}

std::string bar_plot(const Figure& f, PlotSize size) {
  double y0 = 0, y1 = 0;
  for (const Series& se : f.series)
    for (double v : se.y)
      if (std::isfinite(v)) y0 = std::min(y0, v), y1 = std::max(y1, v);
  if (f.has_band) y0 = std::min(y0, f.band_low), y1 = std::max(y1, f.band_high);
  widen(y0, y1);
  const std::vector<double> yt = nice_ticks(y0, y1);
  y0 = std::min(y0, yt.front());
  y1 = std::max(y1, yt.back());
  // Long category names are written at 45 degrees below the axis.
  size_t longest = 0;
  for (const std::string& c : f.categories) longest = std::max(longest, c.size());
  const double label_room = std::min(120.0, 8 + 5.0 * static_cast<double>(longest));
  const std::vector<LegendEntry> entries = legend_entries(f, true, band_range(Frame{0, 1, y0, y1, 0, 1, 0, 1}, f).has_value(), false);
  const double top = 34 + 16 * legend_rows(entries, size.width - 80);
  Frame fr{0, 1, y0, y1, 64, size.width - 16.0, top + 8, size.height - 24.0 - label_room};
  std::string s = header(f, size) + band(fr, f) + axes(fr, {}, yt, f, size);
  const size_t nc = f.categories.size(), ns = std::max<size_t>(f.series.size(), 1);
  const double slot = (fr.right - fr.left) / static_cast<double>(std::max<size_t>(nc, 1));
  const double bar = slot * 0.8 / static_cast<double>(ns);
  for (size_t c = 0; c < nc; ++c) {
    const double x = fr.left + slot * static_cast<double>(c) + slot * 0.1;
    for (size_t k = 0; k < f.series.size(); ++k) {
      if (c >= f.series[k].y.size() || !std::isfinite(f.series[k].y[c])) continue;
      const double v = f.series[k].y[c];
      const double ya = fr.py(std::max(v, 0.0)), yb = fr.py(std::min(v, 0.0));
      s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{}: {}</title></rect>\n",
                       x + bar * static_cast<double>(k), ya, std::max(bar - 0.5, 0.5), std::max(yb - ya, 0.5),
                       colour_of(f.series[k], k), escape_xml(f.categories[c] + ", " + f.series[k].name),
                       format_number(v, 2));
    }
    const double cx = x + slot * 0.4;
    s += fmt::format("<text transform=\"translate({:.1f},{:.1f}) rotate(-45)\" text-anchor=\"end\" font-size=\"11\">{}</text>\n",
                     cx, fr.bottom + 12, escape_xml(f.categories[c]));
  }
  s += legend(entries, 64, 44, size.width - 80);
  return s + "</svg>\n";
}

}  // namespace

std::string escape_xml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return {lo};
  const double raw = (hi - lo) / std::max(target, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  std::vector<double> ticks;
  const double first = std::floor(lo / step + 1e-9) * step;
  for (double t = first; t <= hi + step * (1 - 1e-9); t += step) {
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    if (t >= hi - step * 1e-9) break;
  }
  return ticks;
}

std::string svg_plot(const Figure& figure, PlotSize size) {
  return figure.kind == Figure::Kind::Bar ? bar_plot(figure, size) : line_plot(figure, size);
}

}  // namespace femur::report
