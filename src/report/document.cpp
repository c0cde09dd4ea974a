// The report's content types: figure constructors, verdict names, number formatting.
#include "femur/report/document.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace femur::report {

Figure line_figure(std::string title, std::string x_label, std::string y_label, std::vector<Series> series,
                   std::string caption) {
  Figure f;
  f.title = std::move(title);
  f.x_label = std::move(x_label);
  f.y_label = std::move(y_label);
  f.series = std::move(series);
  f.caption = std::move(caption);
  return f;
}

Figure bar_figure(std::string title, std::string y_label, std::vector<std::string> categories,
                  std::vector<Series> series, std::string caption) {
  Figure f;
  f.kind = Figure::Kind::Bar;
  f.title = std::move(title);
  f.y_label = std::move(y_label);
  f.categories = std::move(categories);
  f.series = std::move(series);
  f.caption = std::move(caption);
  return f;
}

Figure& with_band(Figure& figure, double low, double high, std::string label) {
  figure.has_band = true;
  figure.band_low = low;
  figure.band_high = high;
  figure.band_label = std::move(label);
  return figure;
}

Figure& with_x_band(Figure& figure, double low, double high, std::string label) {
  figure.has_x_band = true;
  figure.x_band_low = low;
  figure.x_band_high = high;
  figure.x_band_label = std::move(label);
  return figure;
}

const char* verdict_status_name(VerdictStatus s) {
  switch (s) {
    case VerdictStatus::Supported: return "supported";
    case VerdictStatus::Partly: return "partly supported";
    case VerdictStatus::NotSupported: return "not supported";
    case VerdictStatus::CannotAnswer: return "model cannot answer";
  }
  return "?";
}

VerdictStatus status_of(int points_held, int points, int partly) {
  if (points_held >= points) return VerdictStatus::Supported;
  return points_held >= std::max(partly, 1) ? VerdictStatus::Partly : VerdictStatus::NotSupported;
}

std::string format_number(double value, int decimals) {
  if (!std::isfinite(value)) return value > 0 ? "inf" : (value < 0 ? "-inf" : "n/a");
  std::string s = fmt::format("{:.{}f}", value, decimals);
  if (s.size() > 1 && s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

bool Number::measured() const { return text.empty() && std::isfinite(value); }

std::string population_sentence(const Section& r) {
  const Population& p = r.population;
  if (p.samples <= 0) return {};
  auto pct = [](double share) { return format_number(100.0 * share, 0) + "%"; };
  std::string s = fmt::format("{} in {} of {} models", verdict_status_name(r.verdict.status), pct(p.share(r.verdict.status)),
                              p.samples);
  std::string others;
  for (VerdictStatus v : {VerdictStatus::Supported, VerdictStatus::Partly, VerdictStatus::NotSupported,
                          VerdictStatus::CannotAnswer})
    if (v != r.verdict.status && p.verdicts[static_cast<size_t>(v)] > 0)
      others += (others.empty() ? "" : ", ") + std::string(verdict_status_name(v)) + " " + pct(p.share(v));
  if (!others.empty()) s += " (" + others + ")";
  if (!p.numbers.empty() && p.numbers.front().models > 0) {
    const Spread& k = p.numbers.front();
    const std::string unit = k.unit.empty() ? "" : " " + k.unit;
    s += fmt::format("; {} {}{}, 90% interval {} to {}{}", k.label, format_number(k.median, k.decimals), unit,
                     format_number(k.low, k.decimals), format_number(k.high, k.decimals), unit);
  }
  return s;
}

}  // namespace femur::report
