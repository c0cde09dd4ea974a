// Forward dynamics by the articulated-body algorithm (Featherstone 2008, ch. 7): the
// accelerations that generalized forces tau and the applied body forces data.f_ext produce
// under gravity. Couplers are not enforced here (see dynamics/constrained_dynamics.hpp).
#pragma once

#include <Eigen/Core>

#include "femur/model/data.hpp"
#include "femur/model/model.hpp"

namespace femur {

// Writes and returns data.ddq. Allocates nothing.
const Eigen::VectorXd& aba(const Model& model, Data& data, const Eigen::VectorXd& q,
                           const Eigen::VectorXd& qdot, const Eigen::VectorXd& tau);

// The same when data already holds forward_kinematics(model, data, q, qdot) for this state
// (the forward simulation computes it first for its muscle paths and applied forces).
const Eigen::VectorXd& aba_after_kinematics(const Model& model, Data& data, const Eigen::VectorXd& tau);

}  // namespace femur
