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

}  // namespace femur::report
