// The function-based joint of OpenSim's CustomJoint (and of every standard joint, which the
// ModelBuilder writes as six transform axes): transform, motion subspace and velocity-product
// term. Simbody's MobilizedBody::FunctionBased defines the same mobilizer.
#pragma once

#include "femur/model/data.hpp"
#include "femur/model/model.hpp"

namespace femur {

// Evaluates the joint's axis functions at q, stores them (and the rotation axes, R_F_M) in
// data, writes the joint's columns of data.S (in M) and returns X_F_M.
Transform joint_transform(const Model& model, const Joint& joint, int joint_index, const Eigen::VectorXd& q,
                          Data& data);

// The same quantities by the general six-axis evaluation alone, without joint_transform's
// fast paths (pins, first rotation written directly, principal axes as columns). Slower;
// kept as the reference the fast paths are tested against (equal to rounding).
Transform joint_transform_reference(const Model& model, const Joint& joint, int joint_index,
                                    const Eigen::VectorXd& q, Data& data);

// Pose of the joint's M frame in its parent's M frame: X_parentM_F * X_F_M.
inline Transform joint_placement(const Joint& joint, const Transform& X_F_M) {
  if (joint.F_is_translation) return {X_F_M.R, X_F_M.p + joint.X_parentM_F.p};
  return joint.X_parentM_F * X_F_M;
}

// Relative spatial velocity of M with respect to F, in M: S * qdot over the joint's columns.
inline Motion joint_velocity(const Joint& joint, const Matrix6X& S, const Eigen::VectorXd& qdot) {
  if (joint.nq == 1) {
    const double* s = S.col(joint.q_start).data();
    const double u = qdot[joint.q_start];
    return {Vec3(s[0] * u, s[1] * u, s[2] * u), Vec3(s[3] * u, s[4] * u, s[5] * u)};
  }
  Vec6 v = Vec6::Zero();
  for (int k = 0; k < joint.nq; ++k) v += S.col(joint.q_start + k) * qdot[joint.q_start + k];
  return {v.head<3>(), v.tail<3>()};
}

// Component-wise time derivative of the joint velocity (in M) at zero q-ddot: the
// "S-dot q-dot" term c_J of Featherstone (2008) eq. 3.42, from the axis functions' second
// derivatives and the rotation of the earlier axes.
Motion joint_bias(const Joint& joint, int joint_index, const Data& data, const Eigen::VectorXd& qdot);

}  // namespace femur
