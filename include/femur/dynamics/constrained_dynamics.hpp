// Forward dynamics with coupler constraints: the dependent coordinates follow their
// couplers, and the constraint forces do no work along the free coordinates. With
// qdot = G qdot_free and qddot = G qddot_free + gamma (kinematics/couplers.hpp):
//   (G^T M G) qddot_free = G^T (tau - C(q, qdot) + tau_gravity - M gamma).
#pragma once

#include <Eigen/Core>

#include "femur/model/data.hpp"
#include "femur/model/model.hpp"

namespace femur {

// Accelerations of all coordinates (dependent ones included) for generalized forces tau,
// the applied body forces in data.f_ext and gravity; q and qdot must satisfy the couplers.
// Allocates (dense reduced system); for models without couplers use aba().
Eigen::VectorXd coupled_forward_dynamics(const Model& model, Data& data, const Eigen::VectorXd& q,
                                         const Eigen::VectorXd& qdot, const Eigen::VectorXd& tau);

}  // namespace femur
