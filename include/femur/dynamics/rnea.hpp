// Inverse dynamics by the recursive Newton-Euler algorithm (Featherstone 2008, ch. 5):
// tau = M(q) qddot + C(q, qdot) - tau_gravity - tau_applied. Allocates nothing.
#pragma once

#include <Eigen/Core>

#include "femur/model/data.hpp"
#include "femur/model/model.hpp"

namespace femur {

// Generalized forces that produce qddot at (q, qdot) under gravity, with the applied body
// forces data.f_ext (ground coordinates, about the ground origin; zero them if unused).
// Writes and returns data.tau. Constraint (coupler) forces are not solved for, as in
// OpenSim's InverseDynamicsSolver (calcResidualForceIgnoringConstraints). data.X_ground is
// brought up to date only when an applied force is non-zero (use forward_kinematics for poses).
const Eigen::VectorXd& rnea(const Model& model, Data& data, const Eigen::VectorXd& q,
                            const Eigen::VectorXd& qdot, const Eigen::VectorXd& qddot);

// Sets every applied body force in data.f_ext to zero.
void clear_applied_forces(Data& data);

// Adds a force (ground coordinates) applied at a body-fixed point to data.f_ext, and an
// optional free moment. Call after forward_kinematics for the same q.
void apply_point_force(const Model& model, Data& data, int body, const Vec3& point_in_body,
                       const Vec3& force_in_ground, const Vec3& moment_in_ground = Vec3::Zero());

}  // namespace femur
