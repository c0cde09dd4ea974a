#include "femur/tools/input_checks.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include <fmt/format.h>

#include "femur/math/filter.hpp"

namespace femur::tools {

std::string coordinates_in_degrees_warning(const Model& model, const io::Table& t, const std::string& file) {
  if (t.in_degrees || t.rows() == 0) return {};
  const double limit = 2.0 * std::numbers::pi;
  std::string worst_name;
  double worst = 0.0;
  for (const Coordinate& c : model.coordinates) {
    if (c.motion_type != MotionType::Rotational) continue;
    const int col = t.column(c.name);
    if (col < 0) continue;
    const double m = t.data.col(col).cwiseAbs().maxCoeff();
    if (m > worst) worst = m, worst_name = c.name;
  }
  if (!(worst > limit)) return {};
  return fmt::format(
      "{}: coordinate '{}' reaches {:.4g}, read in radians ({:.0f} degrees) because the header has no "
      "inDegrees=yes; if the file is in degrees, add inDegrees=yes to its header",
      file, worst_name, worst, worst * 180.0 / std::numbers::pi);
}

std::string marker_units_warning(const io::MarkerTable& m, const std::string& file) {
  const int frames = m.frames(), markers = static_cast<int>(m.markers.size());
  if (frames == 0 || markers < 3) return {};
  const double to_m = m.units == "mm" ? 1e-3 : m.units == "cm" ? 1e-2 : m.units == "m" ? 1.0 : 0.0;
  if (to_m == 0.0) return {};
  // The extent of the present markers in up to 100 frames spread over the trial.
  std::vector<double> spans;
  const int step = std::max(1, frames / 100);
  for (int f = 0; f < frames; f += step) {
    Eigen::Vector3d lo = Eigen::Vector3d::Constant(INFINITY), hi = Eigen::Vector3d::Constant(-INFINITY);
    int present = 0;
    for (int k = 0; k < markers; ++k) {
      const Eigen::Vector3d p = m.position(f, k);
      if (p.array().isNaN().any()) continue;
      lo = lo.cwiseMin(p);
      hi = hi.cwiseMax(p);
      ++present;
    }
    if (present >= 3) spans.push_back((hi - lo).maxCoeff() * to_m);
  }
  if (spans.empty()) return {};
  std::nth_element(spans.begin(), spans.begin() + static_cast<long>(spans.size() / 2), spans.end());
  const double span = spans[spans.size() / 2];
  if (span > 20.0)
    return fmt::format("{}: Units={}, but the markers of a frame span {:.4g} m (median over frames), more than a "
                       "body; are they in mm? (set Units in the header's third line)",
                       file, m.units, span);
  if (span < 0.02)
    return fmt::format("{}: Units={}, but the markers of a frame span only {:.3g} m (median over frames); are they "
                       "in m? (set Units in the header's third line)",
                       file, m.units, span);
  return {};
}

std::string resampling_warning(const Eigen::VectorXd& file_time, const Eigen::VectorXd& filtered_time,
                               const std::string& file) {
  if (file_time.size() < 2 || filtered_time.size() < 2) return {};
  const double before = min_time_step(file_time);
  const double after = filtered_time[1] - filtered_time[0];
  if (!(after > before * 1.01)) return {};
  return fmt::format(
      "{}: the filter resampled the coordinates from {:.6g} Hz to {:.6g} Hz (OpenSim's Storage::resample caps the "
      "padded table at 100000 rows), so the output rows are {:.6g} s apart and up to that far from the file's "
      "times; give a shorter file (the window and a few seconds around it) to keep the rate",
      file, 1.0 / before, 1.0 / after, after);
}

int trim_to_window(io::Table& t, double t0, double t1, double margin_s, int margin_rows) {
  const Eigen::Index n = t.time.size();
  if (n == 0 || !(t0 <= t1)) return 0;
  Eigen::Index first = 0, last = n - 1;
  while (first < n && t.time[first] < t0 - margin_s) ++first;
  while (last > first && t.time[last] > t1 + margin_s) --last;
  first = std::max<Eigen::Index>(0, first - margin_rows);
  last = std::min<Eigen::Index>(n - 1, last + margin_rows);
  const Eigen::Index kept = last - first + 1;
  if (kept >= n) return 0;
  t.time = t.time.segment(first, kept).eval();
  t.data = t.data.middleRows(first, kept).eval();
  return static_cast<int>(first);
}

}  // namespace femur::tools
