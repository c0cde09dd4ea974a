#include "femur/tools/inverse_dynamics.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <numbers>
#include <optional>
#include <limits>
#include <stdexcept>
#include <vector>

#include <Eigen/QR>

#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/math/filter.hpp"
#include "femur/math/gcv_spline.hpp"
#include "femur/model/data.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/passive_forces.hpp"
#include "femur/tools/input_checks.hpp"

namespace femur::tools {

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Actuators whose force is control x optimal force (or pressure, or activation driven by a
// control). With no controller in the model, OpenSim's controls are zero in inverse dynamics,
// so these apply nothing.
bool is_zero_control_actuator(const ForceElement& f) {
  if (std::holds_alternative<CoordinateActuator>(f.part) || std::holds_alternative<PointActuator>(f.part) ||
      std::holds_alternative<TorqueActuator>(f.part) || std::holds_alternative<PathActuator>(f.part))
    return true;
  return std::holds_alternative<std::monostate>(f.part) &&
         (f.type == "PointToPointActuator" || f.type == "BodyActuator");
}

// DynamicsTool::disableModelForces: names are case-sensitive, the keywords ALL, ACTUATORS and
// MUSCLES are not; ALL ends the list. Returns, per model force, whether it is excluded.
std::vector<char> excluded_forces(const Model& model, const std::vector<std::string>& names,
                                  std::vector<std::string>& warnings) {
  std::vector<char> excluded(model.forces.size(), 0);
  for (const std::string& name : names) {
    const std::string key = upper(name);
    if (key == "ALL") {
      std::fill(excluded.begin(), excluded.end(), 1);
      break;
    }
    bool found = false;
    for (std::size_t i = 0; i < model.forces.size(); ++i) {
      const ForceElement& f = model.forces[i];
      if ((key == "ACTUATORS" && is_actuator(f)) || (key == "MUSCLES" && is_muscle(f)) ||
          f.name == name) {
        excluded[i] = 1;
        found = true;
      }
    }
    if (!found && key != "ACTUATORS" && key != "MUSCLES")
      warnings.push_back("could not find force or group named '" + name + "' to be excluded");
  }
  return excluded;
}

// The model forces inverse dynamics must include; femur computes the passive ones
// (passive_forces.hpp) and the actuators that apply nothing without a controller.
void check_remaining_forces(const Model& model, const std::vector<char>& excluded) {
  for (std::size_t i = 0; i < model.forces.size(); ++i) {
    const ForceElement& f = model.forces[i];
    if (excluded[i] || !f.applies_force || is_zero_control_actuator(f) || is_passive_force(f)) continue;
    throw std::runtime_error(
        "model force '" + f.name + "' (" + f.type +
        ") is not excluded, and femur's inverse dynamics cannot compute its force yet; list it "
        "(or MUSCLES, or ALL) in forces_to_exclude");
  }
}

}  // namespace

std::vector<int> coordinates_in_multibody_tree_order(const Model& model) {
  // Depth of each joint's child body below ground; joints are stored parents first.
  std::vector<int> depth(model.bodies.size(), 0);
  for (const Joint& j : model.joints) depth[j.child_body] = depth[j.parent_body] + 1;
  std::vector<int> joints(model.joints.size());
  for (std::size_t j = 0; j < joints.size(); ++j) joints[j] = static_cast<int>(j);
  std::stable_sort(joints.begin(), joints.end(), [&](int a, int b) {
    return depth[model.joints[a].child_body] < depth[model.joints[b].child_body];
  });
  std::vector<int> order;
  order.reserve(static_cast<std::size_t>(model.nq));
  for (int j : joints)
    for (int k = 0; k < model.joints[j].nq; ++k) order.push_back(model.joints[j].q_start + k);
  return order;
}

std::string generalized_force_label(const Coordinate& coordinate) {
  return coordinate.name + (coordinate.motion_type == MotionType::Rotational ? "_moment" : "_force");
}

Wrench equivalent_body_force_at_joint(const Model& model, const Data& data, int joint, const Eigen::VectorXd& tau) {
  const Joint& J = model.joints[static_cast<std::size_t>(joint)];
  Wrench out;
  out.point = data.X_ground[J.child_body].p;
  const int nu = J.nq;
  if (nu == 0) return out;  // a weld: no mobility forces
  // Rows of H^T in ground: the joint's S columns (in M) turned by M's orientation (rotating
  // both sides leaves the minimum-norm solutions and their ratios unchanged, so solving in
  // ground equals OpenSim's solve in F re-expressed in ground).
  const Mat3& R = data.X_ground[J.child_body].R;
  Eigen::MatrixXd Hw(nu, 3), Hv(nu, 3);
  Eigen::VectorXd f(nu);
  for (int i = 0; i < nu; ++i) {
    const int k = J.q_start + i;
    Hw.row(i) = (R * data.S.col(k).head<3>()).transpose();
    Hv.row(i) = (R * data.S.col(k).tail<3>()).transpose();
    f[i] = tau[k];
  }
  // SimTK::FactorQTZ: minimum-norm least squares; rank 0 means no contribution.
  const Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> pinv_force(Hv), pinv_torque(Hw);
  Eigen::Vector3d Fv = Eigen::Vector3d::Zero(), Fw = Eigen::Vector3d::Zero();
  if (pinv_force.rank() > 0) Fv = pinv_force.solve(f);
  if (pinv_torque.rank() > 0) Fw = pinv_torque.solve(f);
  const Eigen::VectorXd fv = Hv * Fv, fw = Hw * Fw;
  // SimTK::SignificantReal (eps^(7/8)).
  const double significant = std::pow(std::numeric_limits<double>::epsilon(), 7.0 / 8.0);
  if (fv.norm() > significant && fw.norm() > significant) {
    // Joint::calcEquivalentSpatialForceForMobilizedBody: the more effective one first.
    if (fw.norm() / Fw.norm() > fv.norm() / Fv.norm())
      Fv = pinv_force.solve(f - fw);
    else
      Fw = pinv_torque.solve(f - fv);
  }
  out.force = Fv;
  out.moment = Fw;
  return out;
}

InverseDynamicsResult inverse_dynamics(const Model& model, const io::Table& coordinates,
                                       const ExternalLoadsData* loads,
                                       const InverseDynamicsOptions& options) {
  const auto clock_start = std::chrono::steady_clock::now();
  InverseDynamicsResult result;
  const std::vector<char> excluded = excluded_forces(model, options.forces_to_exclude, result.warnings);
  check_remaining_forces(model, excluded);
  // Non-excluded passive forces (CoordinateLimitForce, PathSpring, ...) are applied forces:
  // tau = M qdd + C - G - applied.
  bool any_path_spring = false;
  for (std::size_t i = 0; i < model.forces.size(); ++i)
    any_path_spring |= !excluded[i] && model.forces[i].applies_force &&
                       std::holds_alternative<PathSpring>(model.forces[i].part);
  // Moment arms are projected through couplers; the applied force would not be.
  if (any_path_spring && !model.paths.coupling_root.empty())
    throw std::runtime_error("femur's inverse dynamics cannot apply a PathSpring in a model with coupler "
                             "constraints; list it in forces_to_exclude");
  const PassiveForceSet passive = build_passive_force_set(model, excluded);
  std::optional<PathData> path_data;
  if (any_path_spring) path_data.emplace(model, model.paths);

  // Which column drives each coordinate (-1: none, the default value is used).
  std::vector<int> column_of(static_cast<std::size_t>(model.nq), -1);
  std::vector<int> used_columns;
  for (int k = 0; k < model.nq; ++k) {
    const Coordinate& c = model.coordinates[static_cast<std::size_t>(k)];
    const int col = coordinates.column(c.name);
    if (col < 0) {
      result.warnings.push_back("coordinates file does not contain coordinate '" + c.name +
                                "'; its default value is used");
      continue;
    }
    column_of[static_cast<std::size_t>(k)] = static_cast<int>(used_columns.size());
    used_columns.push_back(col);
  }
  // OpenSim would run on default values alone; a table that drives nothing is a wrong file.
  if (used_columns.empty() && model.nq > 0)
    throw std::invalid_argument("none of the " + std::to_string(model.nq) + " coordinates of model " +
                                model.name + " is a column of the coordinates table");
  if (coordinates.rows() < 1) throw std::invalid_argument("the coordinates table has no rows");
  for (int i = 1; i < coordinates.rows(); ++i)
    if (!(coordinates.time[i] > coordinates.time[i - 1]))
      throw std::invalid_argument("time must increase from row to row (data row " +
                                  std::to_string(i + 1) + " has time " +
                                  std::to_string(coordinates.time[i]) + ")");

  // (1) Storage::pad(N/2) + lowpassIIR(fc), only on the columns used (each column is
  // filtered on its own, so the others do not matter); the padded rows stay.
  Samples samples;
  samples.time = coordinates.time;
  samples.data.resize(coordinates.rows(), static_cast<Eigen::Index>(used_columns.size()));
  for (std::size_t j = 0; j < used_columns.size(); ++j)
    samples.data.col(static_cast<Eigen::Index>(j)) = coordinates.data.col(used_columns[j]);
  if (options.lowpass_cutoff_hz >= 0.0) {
    samples = filter_coordinates(samples, options.lowpass_cutoff_hz);
    // OpenSim resamples a padded table of more than 100000 rows at a coarser step, silently
    // halving the rate of long trials: femur does the same, and says so.
    if (std::string w = resampling_warning(coordinates.time, samples.time, "the coordinates file"); !w.empty())
      result.warnings.push_back(std::move(w));
  }

  // (2) SimbodyEngine::convertDegreesToRadians: rotational coordinates only.
  if (coordinates.in_degrees) {
    for (int k = 0; k < model.nq; ++k) {
      const int j = column_of[static_cast<std::size_t>(k)];
      if (j >= 0 && model.coordinates[static_cast<std::size_t>(k)].motion_type == MotionType::Rotational)
        samples.data.col(j) *= std::numbers::pi / 180.0;
    }
  }

  // (3) GCVSplineSet(5, coordinates): quintic, error variance 0.
  const Eigen::Index rows = samples.time.size();
  if (rows < 6)
    throw std::invalid_argument("the coordinates table has " + std::to_string(rows) +
                                " rows; the quintic spline of inverse dynamics needs at least 6");
  GcvSplineSet splines;
  if (!used_columns.empty())
    splines = fit_gcv_spline_set(5, samples.time, samples.data, GcvSmoothing::interpolating());

  // (4) Output rows: InverseDynamicsTool::run's start/final index.
  const double first_time = samples.time[0], last_time = samples.time[rows - 1];
  const double start_time = std::max(first_time, options.start_time);
  const double final_time = std::min(last_time, options.end_time);
  const Eigen::Index start_index = io::find_row_at_or_before(samples.time, start_time);
  const Eigen::Index final_index = io::find_row_at_or_before(samples.time, final_time);
  const Eigen::Index frames = std::max<Eigen::Index>(final_index - start_index + 1, 0);

  const std::vector<int> order = coordinates_in_multibody_tree_order(model);
  io::Table& out = result.generalized_forces;
  out.name = "Inverse Dynamics Generalized Forces";
  out.in_degrees = false;
  for (int k : order) out.labels.push_back(generalized_force_label(model.coordinates[static_cast<std::size_t>(k)]));
  out.time = samples.time.segment(start_index, frames);
  out.data.resize(frames, model.nq);

  // Joints whose equivalent body forces are reported (InverseDynamicsTool::getJointsByName:
  // names are case-sensitive, the keyword ALL is not and takes every joint).
  std::vector<int> report_joints;
  for (const std::string& name : options.joints_to_report_body_forces) {
    std::string upper = name;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (upper == "ALL") {
      report_joints.clear();
      for (std::size_t j = 0; j < model.joints.size(); ++j) report_joints.push_back(static_cast<int>(j));
      break;
    }
    const auto it = std::find_if(model.joints.begin(), model.joints.end(),
                                 [&](const Joint& j) { return j.name == name; });
    if (it == model.joints.end())
      result.warnings.push_back("InverseDynamicsTool could not find Joint named '" + name + "' to report body forces");
    else
      report_joints.push_back(static_cast<int>(it - model.joints.begin()));
  }
  io::Table& bodies = result.body_forces;
  if (!report_joints.empty()) {
    bodies.name = "Inverse Dynamics Body Forces at Specified Joints";
    bodies.in_degrees = false;
    for (int j : report_joints) {
      const Joint& J = model.joints[static_cast<std::size_t>(j)];
      const std::string base = J.name + "_" + J.child_frame + "_";
      for (const char* c : {"FX", "FY", "FZ", "MX", "MY", "MZ"}) bodies.labels.push_back(base + c);
    }
    bodies.time = out.time;
    bodies.data.resize(frames, static_cast<Eigen::Index>(6 * report_joints.size()));
  }
  Eigen::VectorXd tau_model(model.nv);

  // (5) InverseDynamicsSolver::solve per time: q, u, u-dot from the splines, forces applied
  // (gravity, external loads), residual mobility forces ignoring constraints.
  Data data(model);
  Eigen::VectorXd q = model.default_q(), qdot = Eigen::VectorXd::Zero(model.nv),
                  qddot = Eigen::VectorXd::Zero(model.nv), load_values,
                  applied = Eigen::VectorXd::Zero(model.nv);
  clear_applied_forces(data);
  for (Eigen::Index i = 0; i < frames; ++i) {
    const double t = out.time[i];
    for (int k = 0; k < model.nq; ++k) {
      const int j = column_of[static_cast<std::size_t>(k)];
      if (j < 0) continue;
      const FunctionValue v = splines.evaluate(j, t);
      q[k] = v.f;
      qdot[k] = v.df;
      qddot[k] = v.ddf;
    }
    if (loads) {
      clear_applied_forces(data);
      if (loads->needs_body_poses) forward_kinematics(model, data, q);
      apply_external_loads(model, data, *loads, t, load_values);
    }
    if (!passive.empty()) {
      applied.setZero();
      if (path_data) compute_paths(model, model.paths, data, q, qdot, *path_data);
      add_passive_generalized_forces(model, passive, q, qdot, path_data ? &*path_data : nullptr, applied);
    }
    const Eigen::VectorXd& tau = rnea(model, data, q, qdot, qddot);
    for (int c = 0; c < model.nq; ++c) {
      const int k = order[static_cast<std::size_t>(c)];
      out.data(i, c) = tau[k] - applied[k];
    }
    if (!report_joints.empty()) {
      tau_model = tau - applied;
      forward_kinematics(model, data, q);
      for (std::size_t r = 0; r < report_joints.size(); ++r) {
        const Wrench w = equivalent_body_force_at_joint(model, data, report_joints[r], tau_model);
        bodies.data.block<1, 3>(i, static_cast<Eigen::Index>(6 * r)) = w.force.transpose();
        bodies.data.block<1, 3>(i, static_cast<Eigen::Index>(6 * r + 3)) = w.moment.transpose();
      }
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  return result;
}

}  // namespace femur::tools
