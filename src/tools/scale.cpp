// The ScaleTool's two computing steps besides Model::scale (scale_model.cpp), top to bottom:
// ModelScaler's scale set from measurements and manual scales (OpenSim/Tools/ModelScaler.cpp,
// Measurement.cpp), then MarkerPlacer (OpenSim/Tools/MarkerPlacer.cpp): average the static
// trial, one IK frame, move the markers; and the two files those steps print.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "femur/kinematics/couplers.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/model/data.hpp"
#include "femur/muscle/muscle_parameters.hpp"
#include "femur/tools/scale.hpp"

namespace femur::tools {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// MarkerData::findFrameRange (OpenSim/Common/MarkerData.cpp): the last frame at or before
// start, and from there the first frame at or after end; both included.
std::pair<int, int> find_frame_range(const Eigen::VectorXd& time, double start, double end) {
  if (start > end)
    throw std::invalid_argument(fmt::format("time range [{}, {}]: start time is past end time", start, end));
  const int n = static_cast<int>(time.size());
  int first = 0, last = n - 1;
  for (int i = n - 1; i >= 0; --i)
    if (time[i] <= start) {
      first = i;
      break;
    }
  for (int i = first; i < n; ++i)
    if (time[i] >= end) {
      last = i;
      break;
    }
  return {first, last};
}

int model_marker(const Model& model, const std::string& name, const std::string& what) {
  const int m = model.marker_index(name);
  if (m < 0) throw std::invalid_argument(what + ": model " + model.name + " has no marker '" + name + "'");
  return m;
}

}  // namespace

// ---- 1. ModelScaler: the scale set ---------------------------------------------------------

ScaleFactors compute_scale_factors(const Model& model, const io::MarkerTable* markers,
                                   const ScaleFactorOptions& options) {
  ScaleFactors out;
  out.body.assign(model.bodies.size(), Vec3::Ones());
  auto body = [&](const std::string& name, const std::string& what) {
    const int b = model.body_index(name);
    if (b < 0) throw std::invalid_argument(what + ": model " + model.name + " has no body '" + name + "'");
    return b;
  };

  // Model distances in the default pose (ModelScaler::processModel measures at the state
  // initSystem() returns: default values, assembled).
  Data data(model);
  Eigen::VectorXd q = model.default_q();
  apply_couplers(model, q);
  forward_kinematics(model, data, q);
  auto marker_in_ground = [&](int m) {
    return point_in_ground(model, data, model.markers[m].body, model.markers[m].location_in_body);
  };

  for (ScalingStep step : options.order) {
    if (step == ScalingStep::manual_scale) {
      for (const ManualBodyScale& s : options.manual_scales)
        out.body[body(s.body, "manual scale")] = s.factors;
      continue;
    }
    for (const ScaleMeasurement& meas : options.measurements) {
      const std::string what = "measurement '" + meas.name + "'";
      if (!markers) throw std::invalid_argument(what + ": no marker file for measurements");
      if (markers->units != "m") throw std::invalid_argument(what + ": marker positions must be in metres");
      const auto [first, last] = find_frame_range(markers->time, options.start_time, options.end_time);
      MeasurementResult r;
      r.name = meas.name;
      // computeMeasurementScaleFactor: mean over the pairs of experimental / model distance;
      // takeExperimentalMarkerMeasurement: |p2 - p1| averaged over the frames (a missing
      // marker makes it NaN and the measurement is not used).
      double sum = 0.0;
      for (const auto& pair : meas.marker_pairs) {
        const int m1 = model_marker(model, pair[0], what), m2 = model_marker(model, pair[1], what);
        const int c1 = markers->marker(pair[0]), c2 = markers->marker(pair[1]);
        if (c1 < 0 || c2 < 0)
          throw std::invalid_argument(what + ": marker '" + (c1 < 0 ? pair[0] : pair[1]) +
                                      "' is not in the marker file");
        const double model_distance = (marker_in_ground(m1) - marker_in_ground(m2)).norm();
        double length = 0.0;
        for (int f = first; f <= last; ++f) length += (markers->position(f, c2) - markers->position(f, c1)).norm();
        const double experimental = length / (last - first + 1);
        r.model_distance.push_back(model_distance);
        r.experimental_distance.push_back(experimental);
        sum += experimental / model_distance;
      }
      r.factor = meas.marker_pairs.empty() ? kNaN : sum / static_cast<double>(meas.marker_pairs.size());
      // Measurement::applyScaleFactor: the factor goes to the listed axes of each body.
      for (const auto& ba : meas.bodies) {
        const int b = body(ba.body, what);
        if (std::isnan(r.factor)) continue;
        for (int d = 0; d < 3; ++d)
          if (ba.axes[d]) out.body[b][d] = r.factor;
      }
      out.measurements.push_back(std::move(r));
    }
  }
  out.body[0] = Vec3::Ones();
  return out;
}

// ---- 2. MarkerPlacer -------------------------------------------------------------------------

MarkerPlacement place_markers(const Model& model, const io::MarkerTable& trial, const MarkerPlacerOptions& options) {
  if (trial.units != "m") throw std::invalid_argument("place_markers: marker positions must be in metres");
  if (trial.frames() == 0) throw std::invalid_argument("place_markers: the static trial has no frames");
  const int n_markers = static_cast<int>(trial.markers.size());

  // The time range narrowed to the data (users often give a wider one).
  const double t0 = std::max(options.start_time, trial.time[0]);
  const double t1 = std::min(options.end_time, trial.time[trial.frames() - 1]);

  // The pose IK sees: TimeSeriesTable::averageRow over every row with t0 <= t <= t1.
  io::MarkerTable pose;
  pose.name = trial.name;
  pose.markers = trial.markers;
  pose.units = "m";
  pose.frame_numbers = {1};
  pose.time = Eigen::VectorXd::Constant(1, t0);
  pose.data = Eigen::MatrixXd::Zero(1, 3 * n_markers);
  int rows = 0;
  for (int f = 0; f < trial.frames(); ++f)
    if (trial.time[f] >= t0 && trial.time[f] <= t1) {
      pose.data += trial.data.row(f);
      ++rows;
    }
  if (rows == 0)
    throw std::invalid_argument(fmt::format("place_markers: no frame of the static trial in [{}, {}]", t0, t1));
  pose.data /= rows;

  // The positions the markers move to: MarkerData::averageFrames over findFrameRange, each
  // marker averaged over the frames where it is present.
  const auto [first, last] = find_frame_range(trial.time, t0, t1);
  MarkerPlacement out;
  Eigen::MatrixXd target(3, n_markers);
  for (int k = 0; k < n_markers; ++k) {
    Vec3 sum = Vec3::Zero(), lo = Vec3::Constant(kNaN), hi = Vec3::Constant(kNaN);
    int count = 0;
    for (int f = first; f <= last; ++f) {
      const Vec3 p = trial.position(f, k);
      if (!p.allFinite()) continue;
      sum += p;
      lo = count == 0 ? p : Vec3(lo.cwiseMin(p));
      hi = count == 0 ? p : Vec3(hi.cwiseMax(p));
      ++count;
    }
    target.col(k) = count > 0 ? Vec3(sum / count) : Vec3::Constant(kNaN);
    if (options.max_marker_movement > 0.0 && count > 0 && (hi - lo).maxCoeff() > options.max_marker_movement)
      out.warnings.push_back(fmt::format("movement of marker {} in the static trial is {} m (threshold {} m)",
                                         trial.markers[k], (hi - lo).maxCoeff(), options.max_marker_movement));
  }

  // Model::deleteUnusedMarkers: markers the trial does not have go.
  out.model = model;
  std::erase_if(out.model.markers, [&](const Marker& m) { return trial.marker(m.name) < 0; });

  // One IK frame from the default pose (InverseKinematicsSolver::assemble, constraints exact).
  IkOptions ik = options.ik;
  ik.start_time = -std::numeric_limits<double>::infinity();
  ik.end_time = std::numeric_limits<double>::infinity();
  ik.threads = 1;
  out.time = t0;
  if (options.pose) {
    if (options.pose->size() != model.nq)
      throw std::invalid_argument(fmt::format("place_markers: pose has {} values, model has {} coordinates",
                                              options.pose->size(), model.nq));
    out.q = *options.pose;
  } else {
    out.ik = inverse_kinematics(out.model, pose, ik);
    out.q = out.ik.q.row(0).transpose();
  }

  // moveModelMarkersToPose: each non-fixed marker onto its measured position, in its body.
  if (options.move_model_markers) {
    Data data(out.model);
    forward_kinematics(out.model, data, out.q);
    for (Marker& m : out.model.markers) {
      if (m.fixed) continue;
      const Vec3 p = target.col(trial.marker(m.name));
      if (!p.allFinite()) {
        out.warnings.push_back("marker " + m.name + " has no valid position in the static trial; not moved");
        continue;
      }
      m.location_in_body = body_pose(out.model, data, m.body).apply_inverse(p);
      out.moved.push_back(m.name);
    }
  }
  return out;
}

// ---- 3. What the steps print ------------------------------------------------------------------

io::Table static_pose_table(const Model& model, const MarkerPlacement& placement) {
  io::Table t;
  t.name = "static pose";
  t.in_degrees = false;
  std::vector<double> row;
  for (int k = 0; k < model.nq; ++k) {
    const Coordinate& c = model.coordinates[k];
    const std::string prefix = "/jointset/" + model.joints[c.joint].name + "/" + c.name;
    t.labels.push_back(prefix + "/value");
    row.push_back(placement.q[k]);
    t.labels.push_back(prefix + "/speed");
    row.push_back(c.default_speed);
  }
  // Muscle states at their defaults (StatesReporter after the assembly; activation and fiber
  // length are the ActivationFiberLengthMuscle states unless their dynamics are ignored).
  for (const ForceElement& f : model.forces) {
    const auto* muscle = std::get_if<MuscleParameters>(&f.part);
    if (!muscle || muscle->kind == MuscleKind::DeGrooteFregly2016) continue;
    const MuscleParameters& p = *muscle;
    if (!p.ignore_activation_dynamics) {
      t.labels.push_back("/forceset/" + f.name + "/activation");
      row.push_back(p.default_activation);
    }
    if (!p.ignore_tendon_compliance) {
      t.labels.push_back("/forceset/" + f.name + "/fiber_length");
      row.push_back(p.default_fiber_length);
    }
  }
  t.time = Eigen::VectorXd::Constant(1, placement.time);
  t.data = Eigen::Map<const Eigen::MatrixXd>(row.data(), 1, static_cast<Eigen::Index>(row.size()));
  return t;
}

std::string format_scale_set(const Model& model, const std::vector<Vec3>& factors) {
  // ScaleSet::print as OpenSim 4.6 writes it (Generated/Gait2354_Simbody/Scale/
  // subject01_scaleSet_applied.xml), shortest exact numbers.
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<OpenSimDocument Version=\"40600\">\n"
                  "\t<ScaleSet name=\"ScaleSet\">\n\t\t<objects>\n";
  for (size_t b = 0; b < model.bodies.size(); ++b) {
    const Vec3& f = b < factors.size() ? factors[b] : Vec3::Ones();
    s += fmt::format("\t\t\t<Scale>\n\t\t\t\t<scales> {} {} {}</scales>\n\t\t\t\t<segment>{}</segment>\n"
                     "\t\t\t\t<apply>true</apply>\n\t\t\t</Scale>\n",
                     f[0], f[1], f[2], model.bodies[b].name);
  }
  s += "\t\t</objects>\n\t\t<groups />\n\t</ScaleSet>\n</OpenSimDocument>\n";
  return s;
}

}  // namespace femur::tools
