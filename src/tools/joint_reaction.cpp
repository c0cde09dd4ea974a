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

// Model::getMuscles() / getActuators(): every Muscle, and the other Actuator subclasses.
bool is_muscle(const ForceElement& f) { return f.type.find("Muscle") != std::string::npos; }
bool is_actuator(const ForceElement& f) {
  return is_muscle(f) || f.type.find("Actuator") != std::string::npos;
}

const std::string* property(const ForceElement& f, const std::string& key) {
  const auto it = f.properties.find(key);
  return it == f.properties.end() ? nullptr : &it->second;
}

double number_property(const ForceElement& f, const std::string& key, double fallback) {
  const std::string* s = property(f, key);
  if (!s || s->empty()) return fallback;
  try {
    size_t used = 0;
    const double v = std::stod(*s, &used);
    return v;
  } catch (const std::exception&) {
    throw std::invalid_argument(where(f) + f.type + " '" + f.name + "': <" + key +
                                "> is not a number: '" + *s + "'");
  }
}

bool bool_property(const ForceElement& f, const std::string& key, bool fallback) {
  const std::string* s = property(f, key);
  if (!s || s->empty()) return fallback;
  const std::string v = lower(*s);
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  throw std::invalid_argument(where(f) + f.type + " '" + f.name + "': <" + key +
                              "> must be true or false, got '" + *s + "'");
}

Vec3 vec3_property(const ForceElement& f, const std::string& key, const Vec3& fallback) {
  const std::string* s = property(f, key);
  if (!s || s->empty()) return fallback;
  std::istringstream in(*s);
  Vec3 v;
  if (!(in >> v.x() >> v.y() >> v.z()))
    throw std::invalid_argument(where(f) + f.type + " '" + f.name + "': <" + key +
                                "> needs three numbers, got '" + *s + "'");
  return v;
}

// A body named by a property (3.x/4.x `body`, or a 4.x socket path such as ../bodyset/pelvis).
int body_property(const Model& model, const ForceElement& f, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    const std::string* s = property(f, key);
    if (!s || s->empty()) continue;
    std::string name = *s;
    const auto slash = name.find_last_of('/');
    if (slash != std::string::npos) name = name.substr(slash + 1);
    const int b = model.body_index(name);
    if (b < 0)
      throw std::invalid_argument(where(f) + f.type + " '" + f.name + "': <" + key + "> '" + *s +
                                  "' names no body of the model");
    return b;
  }
  throw std::invalid_argument(where(f) + f.type + " '" + f.name + "' names no body (<" + keys.front() + ">)");
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
// Actuators

int ActuatorSet::index(const std::string& name) const {
  for (size_t i = 0; i < actuators.size(); ++i)
    if (actuators[i].name == name) return static_cast<int>(i);
  return -1;
}

ActuatorSet bind_actuators(const Model& model, const PathSet& paths) {
  ActuatorSet set;
  for (size_t fi = 0; fi < model.forces.size(); ++fi) {
    const ForceElement& f = model.forces[fi];
    if (!is_actuator(f)) continue;
    BoundActuator a;
    a.name = f.name;
    a.force = static_cast<int>(fi);
    a.optimal_force = number_property(f, "optimal_force", 1.0);
    if (f.type == "CoordinateActuator" || f.type == "ActivationCoordinateActuator") {
      a.kind = BoundActuator::Kind::coordinate;
      const std::string* c = property(f, "coordinate");
      std::string name = c ? *c : "";
      const auto slash = name.find_last_of('/');
      if (slash != std::string::npos) name = name.substr(slash + 1);
      a.coordinate = model.coordinate_index(name);
      if (a.coordinate < 0)
        throw std::invalid_argument(where(f) + "CoordinateActuator '" + f.name + "': <coordinate> '" +
                                    name + "' names no coordinate of the model");
    } else if (f.type == "PointActuator") {
      a.kind = BoundActuator::Kind::point;
      a.body = body_property(model, f, {"body", "socket_body"});
      a.point = vec3_property(f, "point", Vec3::Zero());
      a.point_is_global = bool_property(f, "point_is_global", false);
      a.direction = vec3_property(f, "direction", Vec3::UnitX());
      a.force_is_global = bool_property(f, "force_is_global", false);
    } else if (f.type == "TorqueActuator") {
      a.kind = BoundActuator::Kind::torque;
      a.body_a = body_property(model, f, {"bodyA", "socket_bodyA"});
      a.body_b = body_property(model, f, {"bodyB", "socket_bodyB"});
      a.axis = vec3_property(f, "axis", Vec3::UnitX());
      a.torque_is_global = bool_property(f, "torque_is_global", true);
    } else if (is_muscle(f) || f.type == "PathActuator") {
      a.kind = BoundActuator::Kind::path;
      a.path = paths.path_index(f.name);
      if (a.path < 0)
        throw std::invalid_argument(where(f) + f.type + " '" + f.name + "' has no geometry path");
    } else {
      throw std::invalid_argument(where(f) + f.type + " '" + f.name +
                                  "': femur cannot apply this actuator's force yet");
    }
    if (!f.applies_force) a.optimal_force = 0.0;  // disabled: applies nothing
    set.actuators.push_back(std::move(a));
  }
  return set;
}

void apply_actuator_forces(const Model& model, const PathSet& paths, const PathData& path_data,
                           const ActuatorSet& set, const Eigen::VectorXd& q,
                           const Eigen::VectorXd& actuations, Data& data, Eigen::VectorXd& tau) {
  for (int k = 0; k < set.size(); ++k) {
    const BoundActuator& a = set.actuators[static_cast<size_t>(k)];
    const double s = actuations[k];
    if (s == 0.0 || !model.forces[static_cast<size_t>(a.force)].applies_force) continue;
    switch (a.kind) {
      case BoundActuator::Kind::coordinate:
        tau[a.coordinate] += s;
        break;
      case BoundActuator::Kind::point: {
        // PointActuator::computeForce: force = actuation x UnitVec3(direction).
        const Transform X_ground_body = body_pose(model, data, a.body);
        Vec3 force = s * a.direction.normalized();
        if (!a.force_is_global) force = X_ground_body.R * force;
        const Vec3 at = a.point_is_global ? a.point : X_ground_body.apply(a.point);
        if (a.body > 0) data.f_ext[a.body] += Force{at.cross(force), force};
        break;
      }
      case BoundActuator::Kind::torque: {
        // TorqueActuator::computeForce: torque on A, the opposite on B.
        Vec3 torque = s * a.axis.normalized();
        if (!a.torque_is_global) torque = body_pose(model, data, a.body_a).R * torque;
        if (a.body_a > 0) data.f_ext[a.body_a].n += torque;
        if (a.body_b > 0) data.f_ext[a.body_b].n -= torque;
        break;
      }
      case BoundActuator::Kind::path: {
        // GeometryPath::addInEquivalentForces with the tension s.
        const int stride = path_data.stride;
        const CurrentPathPoint* cur = path_data.current.data() + static_cast<size_t>(a.path) * stride;
        const int count = path_data.count[static_cast<size_t>(a.path)];
        for (int i = 0; i + 1 < count; ++i) {
          const CurrentPathPoint& p0 = cur[i];
          const CurrentPathPoint& p1 = cur[i + 1];
          if (p0.body == p1.body) continue;
          const Vec3 d = p1.in_ground - p0.in_ground;
          const double len = d.norm();
          const Vec3 force = len > 0.0 ? Vec3(s * d / len)
                                       : Vec3::Constant(std::numeric_limits<double>::quiet_NaN());
          if (p0.body > 0) data.f_ext[p0.body] += Force{p0.in_ground.cross(force), force};
          if (p1.body > 0) data.f_ext[p1.body] -= Force{p1.in_ground.cross(force), force};
          // A moving point also pushes its coordinate: (dp/dq in ground) . F, with F the force
          // at that point (MovingPathPoint::getdPointdQ at the unclamped coordinate).
          for (int end = 0; end < 2; ++end) {
            const CurrentPathPoint& c = end == 0 ? p0 : p1;
            if (c.point < 0) continue;
            const PathPointSpec& spec = paths.points[static_cast<size_t>(c.point)];
            if (spec.kind != PathPoint::Kind::Moving) continue;
            Vec3 slope;
            for (int j = 0; j < 3; ++j)
              slope[j] = spec.functions[j] < 0
                             ? 0.0
                             : model.functions[static_cast<size_t>(spec.functions[j])].evaluate(q[spec.coordinate]).df;
            const Vec3 slope_in_ground =
                data.X_ground[spec.body].R * (model.bodies[spec.body].X_body_M.R.transpose() * slope);
            tau[spec.coordinate] += (end == 0 ? 1.0 : -1.0) * slope_in_ground.dot(force);
          }
        }
        break;
      }
    }
  }
}

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

  const PathSet paths = build_path_set(model);
  PathData path_data(model, paths);
  const ActuatorSet actuators = bind_actuators(model, paths);

  // JointReaction::loadForcesFromFile: the file drives the actuators only if it has a column
  // for every one of them.
  std::vector<int> force_columns;
  bool use_file = false;
  if (inputs.forces) {
    use_file = inputs.forces->rows() > 0;
    for (const BoundActuator& a : actuators.actuators) {
      const int c = inputs.forces->column(a.name);
      if (c < 0) {
        result.warnings.push_back("the actuator '" + a.name + "' was not found in the forces file");
        use_file = false;
      }
      force_columns.push_back(c);
    }
    if (!use_file) result.warnings.push_back("actuator forces will be constructed from the states");
  }
  result.used_forces_file = use_file;
  bool any_muscle = false;
  for (const BoundActuator& a : actuators.actuators)
    any_muscle = any_muscle || (a.kind == BoundActuator::Kind::path &&
                                model.forces[static_cast<size_t>(a.force)].applies_force);
  if (!use_file && any_muscle)
    throw std::runtime_error(
        "JointReaction: muscle forces from the states (activations and fiber lengths) are not "
        "supported yet; give a forces_file with a column for every actuator");

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
