// Inverse kinematics (OpenSim/Tools/InverseKinematicsTool.cpp, OpenSim/Simulation/
// InverseKinematicsSolver.cpp and AssemblySolver.cpp, Simbody Assembler.cpp): what is
// tracked, the objective, the frames, and the per-frame solve, top to bottom.
#include "femur/tools/inverse_kinematics.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <exception>
#include <thread>

#include "femur/kinematics/couplers.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/kinematics/jacobian.hpp"
#include "femur/math/gcv_spline.hpp"
#include "femur/math/least_squares.hpp"
#include "femur/model/data.hpp"
#include "femur/tools/progress.hpp"

namespace femur::tools {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// ---- 1. What is tracked ---------------------------------------------------------------

struct TrackedMarker {
  std::string name;
  int column = 0;            // marker index in the MarkerTable
  int body = 0;
  Vec3 location_in_body = Vec3::Zero();
  double weight = 1.0;
  std::vector<int> support;  // coordinates on the path from the body to ground
};

struct CoordinateGoal {
  int coordinate = 0;
  double sqrt_weight = 0.0;
  Eigen::VectorXd reference;  // per solved frame
};

// Everything the per-frame problem reads; built once, shared by all threads.
struct IkSetup {
  std::vector<TrackedMarker> markers;
  std::vector<CoordinateGoal> goals;
  std::vector<int> parameter_coordinate;  // free coordinates: not locked, not coupled-dependent
  Eigen::VectorXd lower, upper;           // per parameter: clamped coordinates keep their range
  Eigen::VectorXd q_start;                // model defaults, locked values included, couplers applied
  int first_row = 0, rows = 0;            // rows of the marker table solved
};

// DataTable::getNearestRowIndexForTime: lower_bound(t - eps), then the earlier row only if
// strictly nearer.
int nearest_row(const Eigen::VectorXd& time, double t) {
  const double* begin = time.data();
  const double* end = begin + time.size();
  const double* it = std::lower_bound(begin, end, t - 1e-14);
  if (it == end) return static_cast<int>(time.size()) - 1;
  if (it == begin) return 0;
  if (std::abs(*(it - 1) - t) < std::abs(*it - t)) --it;
  return static_cast<int>(it - begin);
}

IkSetup build_setup(const Model& model, const io::MarkerTable& table, const IkOptions& options) {
  if (table.units != "m")
    throw std::invalid_argument("inverse_kinematics: marker positions must be in metres (units '" + table.units +
                                "'); call MarkerTable::convert_to_metres first");
  if (table.frames() == 0) throw std::invalid_argument("inverse_kinematics: the marker table has no frames");
  if (model.markers.empty()) throw std::invalid_argument("inverse_kinematics: model " + model.name + " has no markers");

  IkSetup s;

  // Markers: those of the file (in file order) that the model has and, when a task set is
  // given, that it names (MarkersReference::populateFromMarkerData, InverseKinematicsSolver::
  // setupMarkersGoal). Weight-0 markers stay "in use" for the error report but do not pull
  // (Simbody Markers::initializeCondition keeps only weight > 0).
  for (int c = 0; c < static_cast<int>(table.markers.size()); ++c) {
    const std::string& name = table.markers[c];
    double weight = 1.0;
    if (!options.marker_weights.empty()) {
      auto it = std::find_if(options.marker_weights.begin(), options.marker_weights.end(),
                             [&](const IkMarkerWeight& w) { return w.name == name; });
      if (it == options.marker_weights.end()) continue;
      weight = it->weight;
    }
    const int m = model.marker_index(name);
    if (m < 0) continue;
    TrackedMarker t;
    t.name = name;
    t.column = c;
    t.body = model.markers[m].body;
    t.location_in_body = model.markers[m].location_in_body;
    t.weight = weight;
    for (int b = t.body; b > 0; b = model.bodies[b].parent) {
      const Joint& joint = model.joints[model.bodies[b].joint];
      for (int k = 0; k < joint.nq; ++k) t.support.push_back(joint.q_start + k);
    }
    s.markers.push_back(std::move(t));
  }
  if (s.markers.empty())
    throw std::invalid_argument("inverse_kinematics: no marker of the marker file is both in the model and tracked");

  // Frames (InverseKinematicsTool::run).
  const double t0 = std::max(table.time[0], options.start_time);
  const double t1 = std::min(table.time[table.frames() - 1], options.end_time);
  if (t1 < t0)
    throw std::invalid_argument("inverse_kinematics: final time " + std::to_string(t1) + " is before start time " +
                                std::to_string(t0));
  s.first_row = nearest_row(table.time, t0);
  s.rows = nearest_row(table.time, t1) - s.first_row + 1;

  // Parameters: every coordinate but the locked ones (AssemblySolver::setupGoals locks them;
  // IK never moves them) and the dependent ones of couplers (constraints are enforced exactly:
  // InverseKinematicsSolver's 4-argument constructor passes constraintWeight = Infinity).
  std::vector<char> fixed(model.nq, 0);
  for (int k = 0; k < model.nq; ++k) fixed[k] = model.coordinates[k].locked || model.coordinates[k].prescribed;
  for (const CouplerConstraint& c : model.couplers) fixed[c.dependent] = 1;
  s.q_start = model.default_q();
  for (int k = 0; k < model.nq; ++k) {
    if (fixed[k]) continue;
    s.parameter_coordinate.push_back(k);
  }
  const Eigen::Index np = static_cast<Eigen::Index>(s.parameter_coordinate.size());
  s.lower = Eigen::VectorXd::Constant(np, -kInf);
  s.upper = Eigen::VectorXd::Constant(np, kInf);
  for (Eigen::Index p = 0; p < np; ++p) {
    const Coordinate& c = model.coordinates[s.parameter_coordinate[p]];
    if (c.clamped) {  // Assembler::restrictQ
      s.lower[p] = c.range_min;
      s.upper[p] = c.range_max;
      s.q_start[s.parameter_coordinate[p]] = std::clamp(s.q_start[s.parameter_coordinate[p]], c.range_min, c.range_max);
    }
  }

  // Coordinate tasks; a task on a locked coordinate is dropped (AssemblySolver::setupGoals).
  for (const IkCoordinateTask& task : options.coordinate_tasks) {
    const int k = model.coordinate_index(task.name);
    if (k < 0)
      throw std::invalid_argument("inverse_kinematics: model " + model.name + " has no coordinate '" + task.name + "'");
    if (model.coordinates[k].locked || task.weight <= 0.0) continue;
    CoordinateGoal g;
    g.coordinate = k;
    g.sqrt_weight = std::sqrt(task.weight);
    g.reference = Eigen::VectorXd::Constant(s.rows, task.value);
    if (task.from_reference) {
      // CoordinateReference over a GCVSplineSet(5, ...) of the coordinate file.
      const Eigen::Index n = task.reference_time.size();
      if (n != task.reference_value.size() || n < 1)
        throw std::invalid_argument("inverse_kinematics: reference of coordinate '" + task.name + "' is empty");
      if (n >= 6) {
        const GcvSpline spline = fit_gcv_spline(5, task.reference_time, task.reference_value);
        for (int f = 0; f < s.rows; ++f) g.reference[f] = spline.evaluate(table.time[s.first_row + f]).f;
      } else {
        g.reference.setConstant(task.reference_value[0]);
      }
    }
    s.goals.push_back(std::move(g));
  }
  apply_couplers(model, s.q_start);
  return s;
}

// ---- 2. The objective of one frame as residuals ----------------------------------------
//
// r = [ sqrt(w_i / W) (x_i(q) - m_i) ; sqrt(w_j) (q_j - q_j,ref) ], so 0.5 |r|^2 is
// OpenSim's goal G(q) above; W sums the weights of the markers present in the frame.

class FrameProblem final : public LeastSquaresProblem {
 public:
  FrameProblem(const Model& model, const IkSetup& setup)
      : model_(model),
        setup_(setup),
        data_(model),
        q_(setup.q_start),
        observed_(3, static_cast<Eigen::Index>(setup.markers.size())),
        marker_scale_(setup.markers.size()),
        reference_(setup.goals.size()),
        Jq_(num_residuals(), model.nq) {}

  int num_residuals() const { return 3 * static_cast<int>(setup_.markers.size()) + static_cast<int>(setup_.goals.size()); }
  int num_parameters() const { return static_cast<int>(setup_.parameter_coordinate.size()); }

  void set_frame(const io::MarkerTable& table, int frame) {
    const int row = setup_.first_row + frame;
    double total_weight = 0.0;
    for (size_t i = 0; i < setup_.markers.size(); ++i) {
      const TrackedMarker& m = setup_.markers[i];
      observed_.col(static_cast<Eigen::Index>(i)) = table.position(row, m.column);
      const bool present = observed_.col(static_cast<Eigen::Index>(i)).allFinite() && m.weight > 0.0;
      marker_scale_[static_cast<Eigen::Index>(i)] = present ? m.weight : 0.0;
      if (present) total_weight += m.weight;
    }
    // Markers::calcGoal divides by the weights of the markers present (NaNs skipped).
    for (Eigen::Index i = 0; i < marker_scale_.size(); ++i)
      marker_scale_[i] = total_weight > 0.0 ? std::sqrt(marker_scale_[i] / total_weight) : 0.0;
    for (size_t j = 0; j < setup_.goals.size(); ++j)
      reference_[static_cast<Eigen::Index>(j)] = setup_.goals[j].reference[frame];
  }

  // q of the parameters x, with couplers applied.
  const Eigen::VectorXd& coordinates(const Eigen::VectorXd& x) {
    for (Eigen::Index p = 0; p < x.size(); ++p) q_[setup_.parameter_coordinate[p]] = x[p];
    apply_couplers(model_, q_);
    return q_;
  }

  void evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& r, Eigen::MatrixXd* J) override {
    coordinates(x);
    if (J) {
      compute_joint_jacobians(model_, data_, q_);
      Jq_.setZero();
    } else {
      forward_kinematics(model_, data_, q_);
    }
    for (size_t i = 0; i < setup_.markers.size(); ++i) {
      const TrackedMarker& m = setup_.markers[i];
      const Eigen::Index row = 3 * static_cast<Eigen::Index>(i);
      const double s = marker_scale_[static_cast<Eigen::Index>(i)];
      if (s == 0.0) {
        r.segment<3>(row).setZero();
        continue;
      }
      const Vec3 x_g = point_in_ground(model_, data_, m.body, m.location_in_body);
      r.segment<3>(row) = s * (x_g - observed_.col(static_cast<Eigen::Index>(i)));
      if (!J) continue;
      // d x / d q_k = v_k + w_k x x_g with (w_k, v_k) the ground-frame axis of coordinate k.
      for (int k : m.support) {
        const Vec3 w = data_.J.col(k).head<3>();
        Jq_.block<3, 1>(row, k) = s * (data_.J.col(k).tail<3>() + w.cross(x_g));
      }
    }
    const Eigen::Index goal_row = 3 * static_cast<Eigen::Index>(setup_.markers.size());
    for (size_t j = 0; j < setup_.goals.size(); ++j) {
      const CoordinateGoal& g = setup_.goals[j];
      const Eigen::Index row = goal_row + static_cast<Eigen::Index>(j);
      r[row] = g.sqrt_weight * (q_[g.coordinate] - reference_[static_cast<Eigen::Index>(j)]);
      if (J) Jq_(row, g.coordinate) = g.sqrt_weight;
    }
    if (!J) return;
    // Chain rule through the couplers, last first, so that chains fold into their root:
    // dr/dq_indep += f'(q_indep) dr/dq_dep.
    for (auto c = model_.couplers.rbegin(); c != model_.couplers.rend(); ++c) {
      const int k = c->independent[0];
      const double df = model_.functions[c->function].evaluate(q_[k]).df;
      Jq_.col(k) += df * Jq_.col(c->dependent);
    }
    for (Eigen::Index p = 0; p < J->cols(); ++p) J->col(p) = Jq_.col(setup_.parameter_coordinate[p]);
  }

  // Unweighted squared errors and (optionally) model marker positions at q.
  using Row = Eigen::Ref<Eigen::RowVectorXd, 0, Eigen::InnerStride<>>;
  void report(const Eigen::VectorXd& q, Row squared_error, Row locations, bool with_locations) {
    forward_kinematics(model_, data_, q);
    for (size_t i = 0; i < setup_.markers.size(); ++i) {
      const TrackedMarker& m = setup_.markers[i];
      const Vec3 x_g = point_in_ground(model_, data_, m.body, m.location_in_body);
      const auto obs = observed_.col(static_cast<Eigen::Index>(i));
      // Simbody Markers::findCurrentMarkerErrorSquared: 0 for a missing observation.
      squared_error[static_cast<Eigen::Index>(i)] = obs.allFinite() ? (x_g - obs).squaredNorm() : 0.0;
      if (with_locations) locations.segment<3>(3 * static_cast<Eigen::Index>(i)) = x_g.transpose();
    }
  }

 private:
  const Model& model_;
  const IkSetup& setup_;
  Data data_;
  Eigen::VectorXd q_;
  Eigen::Matrix3Xd observed_;
  Eigen::VectorXd marker_scale_;  // sqrt(w_i / W), 0 for markers missing or not pulling
  Eigen::VectorXd reference_;
  Eigen::MatrixXd Jq_;            // residual Jacobian over all coordinates
};

// ---- 3. The frames ---------------------------------------------------------------------

// Solves frames [begin, end) in order, each from the previous solution; the first from the
// model's default pose (InverseKinematicsSolver: assemble() once, then track()).
void solve_chunk(const Model& model, const io::MarkerTable& table, const IkSetup& setup, const IkOptions& options,
                 int begin, int end, IkResult& result, Progress* progress = nullptr, int threads = 1) {
  FrameProblem problem(model, setup);
  LeastSquaresSolver solver(problem.num_parameters(), problem.num_residuals());
  Eigen::VectorXd x(problem.num_parameters());
  for (Eigen::Index p = 0; p < x.size(); ++p) x[p] = setup.q_start[setup.parameter_coordinate[p]];

  LeastSquaresOptions ls;
  // OpenSim stops its optimizer when the gradient is small relative to `accuracy`; stopping
  // on Gauss-Newton steps a hundred times smaller than accuracy gives the optimum itself
  // (Gauss-Newton converges linearly here, ~4x per step: the answer is within ~1e-7 rad).
  ls.step_tolerance = options.step_tolerance > 0.0 ? options.step_tolerance : 1e-2 * options.accuracy;
  ls.gradient_tolerance = 1e-15;
  ls.secant_hessian = options.secant_hessian;
  Eigen::VectorXd x_previous = x, x_last = x;  // solutions of frames f-2 and f-1
  for (int f = begin; f < end; ++f) {
    problem.set_frame(table, f);
    const bool first = f == begin;
    // Start from the previous solution moved on by the last frame-to-frame change (the
    // optimum is the same as from the previous solution alone, OpenSim's start; this one is
    // nearer, so fewer iterations reach it).
    if (f >= begin + 2 && result.converged[f - 1] && result.converged[f - 2]) {
      x_last = x;
      x = 2.0 * x_last - x_previous;
      x_previous = x_last;
    } else {
      x_previous = x;
    }
    ls.max_iterations = first ? 5 * options.max_iterations : options.max_iterations;
    ls.initial_damping = first ? 1e-3 : 1e-6;
    const LeastSquaresSummary summary = solver.solve(problem, x, setup.lower, setup.upper, ls);
    const Eigen::VectorXd& q = problem.coordinates(x);
    result.q.row(f) = q.transpose();
    result.iterations[f] = summary.iterations;
    result.converged[f] = summary.converged() ? 1 : 0;
    problem.report(q, result.marker_squared_error.row(f), result.marker_locations.row(f),
                   options.report_marker_locations);
    // The first chunk reports for all (chunks are equal and run side by side).
    if (progress) progress->update(std::min<long>(result.q.rows(), static_cast<long>(f - begin + 1) * threads));
  }
}

}  // namespace

IkResult inverse_kinematics(const Model& model, const io::MarkerTable& markers, const IkOptions& options) {
  const IkSetup setup = build_setup(model, markers, options);
  const int frames = setup.rows;
  const Eigen::Index nm = static_cast<Eigen::Index>(setup.markers.size());

  IkResult result;
  for (const Coordinate& c : model.coordinates) result.coordinate_names.push_back(c.name);
  for (const TrackedMarker& m : setup.markers) result.marker_names.push_back(m.name);
  result.time = markers.time.segment(setup.first_row, frames);
  result.q.resize(frames, model.nq);
  result.marker_squared_error.setZero(frames, nm);
  result.marker_locations.setZero(frames, options.report_marker_locations ? 3 * nm : 0);
  result.iterations.assign(frames, 0);
  result.converged.assign(frames, 0);

  const int threads = std::clamp(options.threads, 1, std::max(1, frames));
  Progress progress("ik", frames, options.show_progress);
  if (threads == 1) {
    solve_chunk(model, markers, setup, options, 0, frames, result, &progress);
  } else {
    std::vector<std::thread> pool;
    std::vector<std::exception_ptr> errors(threads);
    for (int t = 0; t < threads; ++t) {
      const int begin = static_cast<int>(static_cast<long>(frames) * t / threads);
      const int end = static_cast<int>(static_cast<long>(frames) * (t + 1) / threads);
      pool.emplace_back([&, t, begin, end] {
        try {
          solve_chunk(model, markers, setup, options, begin, end, result, t == 0 ? &progress : nullptr, threads);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    }
    for (auto& th : pool) th.join();
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
  }
  progress.update(frames);
  progress.finish();

  // InverseKinematicsTool::run: RMS over the markers in use, missing ones included.
  result.total_squared_error = result.marker_squared_error.rowwise().sum();
  result.marker_error_rms = (result.total_squared_error / static_cast<double>(nm)).cwiseSqrt();
  result.marker_error_max = result.marker_squared_error.rowwise().maxCoeff().cwiseSqrt();
  return result;
}

// ---- 4. OpenSim's output tables ----------------------------------------------------------

io::Table ik_motion_table(const Model& model, const IkResult& result) {
  io::Table t;
  t.name = "Coordinates";
  t.labels = result.coordinate_names;
  t.time = result.time;
  t.data = result.q;
  // SimbodyEngine::convertRadiansToDegrees scales the Rotational coordinates only.
  for (int k = 0; k < model.nq; ++k)
    if (model.coordinates[k].motion_type == MotionType::Rotational) t.data.col(k) *= 180.0 / std::numbers::pi;
  t.in_degrees = true;
  t.comments = {"",
                "Units are S.I. units (second, meters, Newtons, ...)",
                "If the header above contains a line with 'inDegrees', this indicates whether rotational values "
                "are in degrees (yes) or radians (no).",
                ""};
  return t;
}

io::Table ik_marker_errors_table(const IkResult& result) {
  io::Table t;
  t.name = "Model Marker Errors from IK";
  t.labels = {"total_squared_error", "marker_error_RMS", "marker_error_max"};
  t.time = result.time;
  t.data.resize(result.frames(), 3);
  t.data.col(0) = result.total_squared_error;
  t.data.col(1) = result.marker_error_rms;
  t.data.col(2) = result.marker_error_max;
  return t;
}

io::Table ik_marker_locations_table(const IkResult& result) {
  io::Table t;
  t.name = "Model Marker Locations from IK";
  for (const std::string& m : result.marker_names)
    for (const char* axis : {"_tx", "_ty", "_tz"}) t.labels.push_back(m + axis);
  t.time = result.time;
  t.data = result.marker_locations;
  return t;
}

}  // namespace femur::tools
