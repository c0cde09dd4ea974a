// Forward kinematics: poses, velocities and accelerations of every body from q, q-dot, q-ddot.
// Joints are OpenSim/Simbody function-based mobilizers (OPENSIM-NOTES.md 1.3): six axis
// functions s_i(q) give X_F_M = (Rot(s1,a1) Rot(s2,a2) Rot(s3,a3), s4 a4 + s5 a5 + s6 a6),
// and the generalized speeds are the coordinate rates (u = q-dot).
#pragma once

#include <Eigen/Core>

#include "femur/model/data.hpp"
#include "femur/model/model.hpp"

namespace femur {

// Joint transforms and motion subspaces only: data.X_parent, data.X_ground, data.S,
// data.axis_values. Allocates nothing.
void forward_kinematics(const Model& model, Data& data, const Eigen::VectorXd& q);

// Adds body velocities data.v (and the joint bias data.c, which needs q-dot).
void forward_kinematics(const Model& model, Data& data, const Eigen::VectorXd& q,
                        const Eigen::VectorXd& qdot);

// Adds body accelerations data.a (no gravity).
void forward_kinematics(const Model& model, Data& data, const Eigen::VectorXd& q,
                        const Eigen::VectorXd& qdot, const Eigen::VectorXd& qddot);

// Pose of a body's own frame in ground (after forward_kinematics).
inline Transform body_pose(const Model& model, const Data& data, int body) {
  return data.X_ground[body] * model.bodies[body].X_body_M.inverse();
}

// Ground position of a point fixed in a body (point given in the body frame).
inline Vec3 point_in_ground(const Model& model, const Data& data, int body, const Vec3& point_in_body) {
  return data.X_ground[body].apply(model.bodies[body].X_body_M.apply_inverse(point_in_body));
}

// Ground velocity of a point fixed in a body (after forward_kinematics with q-dot).
Vec3 point_velocity(const Model& model, const Data& data, int body, const Vec3& point_in_body);

// Ground acceleration of a point fixed in a body (classical, after the q-ddot overload).
Vec3 point_acceleration(const Model& model, const Data& data, int body, const Vec3& point_in_body);

// Angular velocity and acceleration of a body, in ground.
Vec3 body_angular_velocity(const Data& data, int body);
Vec3 body_angular_acceleration(const Data& data, int body);

// Marker positions in ground, one column per model marker (after forward_kinematics).
void marker_positions(const Model& model, const Data& data, Matrix3X& out);

}  // namespace femur
