// The model's actuators bound to bodies, coordinates and paths, so that one scalar actuation
// per actuator becomes body and generalized forces. Static Optimization solves for the
// actuations; Joint Reaction applies them.
//
//   tools::ActuatorSet set = tools::bind_actuators(model, paths);
//   tools::apply_actuator_forces(model, paths, path_data, set, q, actuations, data, tau);
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/model/data.hpp"
#include "femur/model/model.hpp"
#include "femur/muscle/geometry_path.hpp"

namespace femur::tools {

// Actuators (Model::getActuators(): every force whose type is an Actuator, in ForceSet
// order), bound to bodies, coordinates and paths so that a scalar actuation per actuator can
// be turned into body and generalized forces.
struct BoundActuator {
  enum class Kind { coordinate, point, torque, path };
  std::string name;
  Kind kind = Kind::coordinate;
  int force = -1;                 // index into Model::forces
  double optimal_force = 1.0;
  // CoordinateActuator (CoordinateActuator.cpp): generalized force on `coordinate`.
  int coordinate = -1;
  // PointActuator (PointActuator.cpp): actuation x unit(direction) at `point` of `body`;
  // direction in ground if force_is_global else in the body; point in ground (fixed in
  // ground) if point_is_global else in the body.
  int body = -1;
  Vec3 point = Vec3::Zero();
  bool point_is_global = false;
  Vec3 direction = Vec3::UnitX();
  bool force_is_global = false;
  // TorqueActuator (TorqueActuator.cpp): actuation x unit(axis) on body_a, the opposite on
  // body_b; axis in ground if torque_is_global else in body_a.
  int body_a = -1, body_b = -1;
  Vec3 axis = Vec3::UnitX();
  bool torque_is_global = true;
  // Muscles and other path actuators: index into the PathSet.
  int path = -1;
};

struct ActuatorSet {
  std::vector<BoundActuator> actuators;
  int index(const std::string& name) const;  // -1 if absent
  int size() const { return static_cast<int>(actuators.size()); }
};

// Binds every actuator of the model. Throws std::invalid_argument naming the force's file and
// line for an actuator femur cannot apply yet (unknown type, missing body or coordinate).
ActuatorSet bind_actuators(const Model& model, const PathSet& paths);

// Adds the forces of actuations[k] (N or N m, one per actuator) to data.f_ext (body forces,
// ground, about the ground origin) and tau (generalized forces). Path actuators apply their
// tension along the current path (GeometryPath::addInEquivalentForces): at each segment whose
// ends are on different bodies, tension x unit(end - start) at the start and its opposite at
// the end, plus dp/dq . F on the coordinate of a moving path point there. Needs
// forward_kinematics and compute_path_lengths at this q. Allocates nothing.
void apply_actuator_forces(const Model& model, const PathSet& paths, const PathData& path_data,
                           const ActuatorSet& set, const Eigen::VectorXd& q,
                           const Eigen::VectorXd& actuations, Data& data, Eigen::VectorXd& tau);

}  // namespace femur::tools
