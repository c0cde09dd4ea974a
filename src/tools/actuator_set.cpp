// Binding the model's actuators (OpenSim Model::getActuators(), ForceSet order) and applying
// their forces: CoordinateActuator.cpp, PointActuator.cpp, TorqueActuator.cpp, and a path
// actuator's tension along its current path (GeometryPath::addInEquivalentForces).
#include "femur/tools/actuator_set.hpp"

#include <limits>
#include <stdexcept>

#include "femur/kinematics/forward_kinematics.hpp"

namespace femur::tools {

namespace {

std::string where(const ForceElement& f) {
  return f.file.empty() ? "" : f.file + ":" + std::to_string(f.line) + ": ";
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
    const auto path = [&] {
      a.kind = BoundActuator::Kind::path;
      a.path = paths.path_index(f.name);
      if (a.path < 0) throw std::invalid_argument(where(f) + f.type + " '" + f.name + "' has no geometry path");
    };
    if (const auto* c = std::get_if<CoordinateActuator>(&f.part)) {
      a.kind = BoundActuator::Kind::coordinate;
      a.optimal_force = c->optimal_force;
      a.coordinate = c->coordinate;
    } else if (const auto* c = std::get_if<ActivationCoordinateActuator>(&f.part)) {
      a.kind = BoundActuator::Kind::coordinate;
      a.optimal_force = c->optimal_force;
      a.coordinate = c->coordinate;
    } else if (const auto* p = std::get_if<PointActuator>(&f.part)) {
      a.kind = BoundActuator::Kind::point;
      a.optimal_force = p->optimal_force;
      a.body = p->body;
      a.point = p->point;
      a.point_is_global = p->point_is_global;
      a.direction = p->direction;
      a.force_is_global = p->force_is_global;
    } else if (const auto* t = std::get_if<TorqueActuator>(&f.part)) {
      a.kind = BoundActuator::Kind::torque;
      a.optimal_force = t->optimal_force;
      a.body_a = t->body_a;
      a.body_b = t->body_b;
      a.axis = t->axis;
      a.torque_is_global = t->torque_is_global;
    } else if (const auto* m = std::get_if<MuscleParameters>(&f.part)) {
      a.optimal_force = m->optimal_force;
      path();
    } else if (const auto* m = std::get_if<Schutte1993Muscle>(&f.part)) {
      a.optimal_force = m->optimal_force;
      path();
    } else if (const auto* p = std::get_if<PathActuator>(&f.part)) {
      a.optimal_force = p->optimal_force;
      path();
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
