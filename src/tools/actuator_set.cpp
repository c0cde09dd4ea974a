// Binding the model's actuators (OpenSim Model::getActuators(), ForceSet order) and applying
// their forces: CoordinateActuator.cpp, PointActuator.cpp, TorqueActuator.cpp, and a path
// actuator's tension along its current path (GeometryPath::addInEquivalentForces).
#include "femur/tools/actuator_set.hpp"

#include <cctype>
#include <limits>
#include <sstream>
#include <stdexcept>

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

}  // namespace

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

}  // namespace femur::tools
