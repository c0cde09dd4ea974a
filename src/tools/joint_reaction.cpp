// The JointReaction analysis (OpenSim/Analyses/JointReaction.cpp) over AnalyzeTool states:
// actuators bound once, then per row: kinematics, paths, applied forces, forward dynamics and
// the mobilizer reactions (dynamics/joint_reaction.hpp), re-expressed as the setup asks.
#include "femur/tools/joint_reaction.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "femur/dynamics/joint_reaction.hpp"
#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/forward_kinematics.hpp"

namespace femur::tools {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string where(const ForceElement& f) {
  return f.file.empty() ? "" : f.file + ":" + std::to_string(f.line) + ": ";
}

// Storage::getDataAtTime: linear interpolation between the rows around t (the end rows'
// segment beyond the data).
void interpolate_row(const io::Table& table, const std::vector<int>& columns, double t,
                     Eigen::VectorXd& out) {
  const Eigen::Index n = table.time.size();
  if (n == 1) {
    for (size_t k = 0; k < columns.size(); ++k) out[static_cast<Eigen::Index>(k)] = table.data(0, columns[k]);
    return;
  }
  const double* begin = table.time.data();
  Eigen::Index i = std::upper_bound(begin, begin + n, t) - begin;  // first row after t
  i = std::clamp<Eigen::Index>(i, 1, n - 1);
  const double t0 = table.time[i - 1], t1 = table.time[i];
  const double w = t1 > t0 ? (t - t0) / (t1 - t0) : 0.0;
  for (size_t k = 0; k < columns.size(); ++k) {
    const double a = table.data(i - 1, columns[k]), b = table.data(i, columns[k]);
    out[static_cast<Eigen::Index>(k)] = a + w * (b - a);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Requests

std::string ReactionRequest::label() const {
  return joint_name + "_on_" + body_name + "_in_" + frame.name;
}

std::vector<ReactionRequest> resolve_reaction_requests(const Model& model,
                                                       const std::vector<std::string>& joint_names_in,
                                                       const std::vector<std::string>& apply_on_bodies_in,
                                                       const std::vector<std::string>& express_in_frame_in,
                                                       const std::vector<NamedFrame>& frames) {
  std::vector<std::string> joint_names = joint_names_in.empty() ? std::vector<std::string>{"ALL"} : joint_names_in;
  const std::vector<std::string> on_bodies =
      apply_on_bodies_in.empty() ? std::vector<std::string>{"child"} : apply_on_bodies_in;
  const std::vector<std::string> in_frames =
      express_in_frame_in.empty() ? std::vector<std::string>{"ground"} : express_in_frame_in;
  std::string first = joint_names.front();
  for (char& c : first) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (first == "ALL") {
    joint_names.clear();
    for (const Joint& j : model.joints) joint_names.push_back(j.name);
  }
  const size_t n = joint_names.size();
  // OpenSim 4.6 throws when a list is neither of length 1 nor of the joints' length.
  if (on_bodies.size() != 1 && on_bodies.size() != n)
    throw std::invalid_argument("apply_on_bodies has " + std::to_string(on_bodies.size()) +
                                " entries; it needs 1 or one per joint (" + std::to_string(n) + ")");
  if (in_frames.size() != 1 && in_frames.size() != n)
    throw std::invalid_argument("express_in_frame has " + std::to_string(in_frames.size()) +
                                " entries; it needs 1 or one per joint (" + std::to_string(n) + ")");

  std::vector<ReactionRequest> out;
  const int nj = static_cast<int>(model.joints.size());
  int index = -1;
  for (size_t i = 0; i < n; ++i) {
    // jointSet.getIndex(name, index + 1): search from the start index to the end, then from
    // the beginning (ArrayPtrs::getIndex).
    int found = -1;
    for (int k = 0; k < nj && found < 0; ++k) {
      const int j = (index + 1 + k) % nj;
      if (model.joints[static_cast<size_t>(j)].name == joint_names[i]) found = j;
    }
    if (found < 0)
      throw std::invalid_argument("joint_names: '" + joint_names[i] + "' is not a joint of the model");
    index = found;
    const Joint& joint = model.joints[static_cast<size_t>(found)];

    ReactionRequest r;
    r.joint = found;
    r.joint_name = joint.name;
    const std::string on = lower(on_bodies.size() == 1 ? on_bodies[0] : on_bodies[i]);
    if (on != "child" && on != "parent")
      throw std::invalid_argument("apply_on_bodies: '" + (on_bodies.size() == 1 ? on_bodies[0] : on_bodies[i]) +
                                  "' must be either 'child' or 'parent'");
    r.on_child = on == "child";
    r.body_name = model.bodies[static_cast<size_t>(r.on_child ? joint.child_body : joint.parent_body)].name;

    const std::string& want = in_frames.size() == 1 ? in_frames[0] : in_frames[i];
    std::string body_name = want;
    if (body_name.rfind("/bodyset/", 0) == 0) body_name = body_name.substr(9);
    else if (body_name.rfind("bodyset/", 0) == 0) body_name = body_name.substr(8);
    const int b = model.body_index(body_name);
    bool resolved = false;
    if (want == "ground" || want == "/ground" || b == 0) {
      r.frame = {model.bodies[0].name, 0, Transform::identity()};
      resolved = true;
    } else if (b > 0) {
      r.frame = {model.bodies[static_cast<size_t>(b)].name, b, Transform::identity()};
      resolved = true;
    } else {
      for (const NamedFrame& nf : frames)
        if (std::find(nf.paths.begin(), nf.paths.end(), want) != nf.paths.end()) {
          r.frame = nf.frame;
          resolved = true;
          break;
        }
    }
    if (!resolved) {
      const std::string key = lower(want);
      if (key == "child" || key == "parent") {
        const int base = key == "child" ? joint.child_body : joint.parent_body;
        r.frame = {model.bodies[static_cast<size_t>(base)].name, base, Transform::identity()};
      } else {
        throw std::invalid_argument("express_in_frame: '" + want +
                                    "' is neither a frame of the model nor the keyword 'child' or 'parent'");
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The analysis

JointReactionResult joint_reaction(const Model& model, const AnalyzeStates& states,
                                   const std::vector<int>& rows,
                                   const std::vector<ReactionRequest>& requests,
                                   const JointReactionInputs& inputs) {
  const auto clock_start = std::chrono::steady_clock::now();
  JointReactionResult result;
  if (!model.couplers.empty())
    throw std::runtime_error("JointReaction: models with coordinate coupler constraints are not supported yet (" +
                             model.couplers.front().name + ")");
  if (states.q.cols() != model.nq || states.u.cols() != model.nv || states.q.rows() != states.rows() ||
      states.u.rows() != states.rows())
    throw std::invalid_argument("JointReaction: the states do not match the model's coordinates");
  for (const ForceElement& f : model.forces)
    if (f.applies_force && !is_actuator(f))
      throw std::runtime_error(where(f) + "JointReaction: model force '" + f.name + "' (" + f.type +
                               ") cannot be computed by femur yet");

  const PathSet& paths = model.paths;
  PathData path_data(model, paths);
  const ActuatorSet actuators = bind_actuators(model, paths);

  // JointReaction::loadForcesFromFile: the file drives the actuators only if it has a column
  // for every one of them.
  std::vector<int> force_columns;
  std::vector<std::string> missing_columns;
  bool use_file = false;
  if (inputs.forces) {
    use_file = inputs.forces->rows() > 0;
    for (const BoundActuator& a : actuators.actuators) {
      const int c = inputs.forces->column(a.name);
      if (c < 0) {
        missing_columns.push_back(a.name);
        use_file = false;
      }
      force_columns.push_back(c);
    }
  }
  result.used_forces_file = use_file;
  bool any_muscle = false;
  for (const BoundActuator& a : actuators.actuators)
    any_muscle = any_muscle || (a.kind == BoundActuator::Kind::path &&
                                model.forces[static_cast<size_t>(a.force)].applies_force);
  if (!use_file && any_muscle) {
    if (inputs.forces && inputs.forces->rows() == 0) throw std::runtime_error("the forces file has no rows");
    if (!missing_columns.empty())
      throw std::runtime_error("the forces file has no column for actuator '" + missing_columns.front() + "'" +
                               (missing_columns.size() > 1
                                    ? " (nor for " + std::to_string(missing_columns.size() - 1) + " other actuators)"
                                    : std::string()) +
                               "; it needs one per actuator of the model");
    throw std::runtime_error(
        "muscle forces from the states (activations and fiber lengths) are not supported yet; give a "
        "forces_file with a column for every actuator");
  }
  if (inputs.forces && !use_file) {  // OpenSim's warnings when it falls back to the states
    for (const std::string& name : missing_columns)
      result.warnings.push_back("the actuator '" + name + "' was not found in the forces file");
    result.warnings.push_back("actuator forces will be constructed from the states");
  }

  io::Table& out = result.loads;
  out.name = "Joint Reaction Loads";
  out.in_degrees = false;
  out.comments = {"",
                  "This file contains the reaction forces and moments",
                  "applied to the specified body of a joint pair and expressed  in the specified reference frame.",
                  "",
                  "Units are S.I. units (seconds, meters, Newtons, ...)"};
  static constexpr const char* kSuffix[9] = {"_fx", "_fy", "_fz", "_mx", "_my", "_mz", "_px", "_py", "_pz"};
  for (const ReactionRequest& r : requests)
    for (const char* s : kSuffix) out.labels.push_back(r.label() + s);
  const Eigen::Index frames = static_cast<Eigen::Index>(rows.size());
  out.time.resize(frames);
  out.data.resize(frames, 9 * static_cast<Eigen::Index>(requests.size()));

  Data data(model);
  Eigen::VectorXd q(model.nq), u(model.nv), tau(model.nv), actuations = Eigen::VectorXd::Zero(actuators.size());
  Eigen::VectorXd load_values;
  for (Eigen::Index row = 0; row < frames; ++row) {
    const int i = rows[static_cast<size_t>(row)];
    const double t = states.time[i];
    q = states.q.row(i).transpose();
    u = states.u.row(i).transpose();

    // Applied forces at this state: external loads, then the actuators.
    clear_applied_forces(data);
    tau.setZero();
    forward_kinematics(model, data, q, u);
    if (inputs.loads) apply_external_loads(model, data, *inputs.loads, t, load_values);
    if (use_file && actuators.size() > 0) {
      interpolate_row(*inputs.forces, force_columns, t, actuations);
      if (any_muscle) compute_path_lengths(model, paths, data, q, path_data);
      apply_actuator_forces(model, paths, path_data, actuators, q, actuations, data, tau);
    }

    // Model::realizeAcceleration, then the reactions (Joint::calcReactionOn...InGround).
    compute_mobilizer_reactions(model, data, q, u, tau);

    out.time[row] = t;
    for (size_t k = 0; k < requests.size(); ++k) {
      const ReactionRequest& r = requests[k];
      const Wrench w = r.on_child ? reaction_on_child(model, data, r.joint) : reaction_on_parent(model, data, r.joint);
      const Transform X_ground_frame =
          body_pose(model, data, r.frame.body) * r.frame.X_body_frame;
      const Eigen::Index c = 9 * static_cast<Eigen::Index>(k);
      out.data.block<1, 3>(row, c) = (X_ground_frame.R.transpose() * w.force).transpose();
      out.data.block<1, 3>(row, c + 3) = (X_ground_frame.R.transpose() * w.moment).transpose();
      out.data.block<1, 3>(row, c + 6) = X_ground_frame.apply_inverse(w.point).transpose();
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  return result;
}

}  // namespace femur::tools
