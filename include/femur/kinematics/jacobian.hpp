// Jacobians: how body frames and body-fixed points move with each generalized speed.
// Analytic, through the joint axis functions (Data::S), in ground coordinates.
#pragma once

#include <Eigen/Core>

#include "femur/model/data.hpp"
#include "femur/model/model.hpp"

namespace femur {

// Runs forward_kinematics(q) and fills data.J: column k is the spatial velocity (angular;
// linear of the point at the ground origin) produced by a unit speed of coordinate k.
void compute_joint_jacobians(const Model& model, Data& data, const Eigen::VectorXd& q);

// 3 x nv Jacobian of a body-fixed point's ground position (after compute_joint_jacobians).
// Columns of coordinates that do not move the body are zero.
void point_jacobian(const Model& model, const Data& data, int body, const Vec3& point_in_body, Matrix3X& J);

// 6 x nv Jacobian of a body frame: rows 0-2 the angular velocity, rows 3-5 the velocity of
// the body-fixed point `point_in_body`, both in ground (after compute_joint_jacobians).
void frame_jacobian(const Model& model, const Data& data, int body, const Vec3& point_in_body, Matrix6X& J);

}  // namespace femur
