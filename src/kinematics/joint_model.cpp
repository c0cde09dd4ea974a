#include "femur/kinematics/joint_model.hpp"

namespace femur {

Transform joint_transform_reference(const Model& model, const Joint& joint, int joint_index,
                                    const Eigen::VectorXd& q, Data& data) {
  auto& values = data.axis_values[joint_index];
  auto& e = data.rotation_axes_in_F[joint_index];
  Mat3& R = data.R_F_M[joint_index];
  for (int a = 0; a < 6; ++a) values[a] = detail::axis_value(model, joint.axes[a], q);

  // R = Rot(s1, a1) Rot(s2, a2) Rot(s3, a3): each axis is taken in the frame already turned
  // by the rotations before it (body-fixed sequence).
  R.setIdentity();
  bool identity = true;
  for (int a = 0; a < 3; ++a) {
    e[a] = identity ? joint.axes[a].axis : Vec3(R * joint.axes[a].axis);
    if (values[a].f != 0.0) {
      detail::rotate(R, joint.axes[a], values[a].f);
      identity = false;
    }
  }
  Vec3 p = Vec3::Zero();
  for (int a = 3; a < 6; ++a)
    if (values[a].f != 0.0) p += values[a].f * joint.axes[a].axis;

  // Motion subspace: column of coordinate k = d(relative velocity, in M)/d(qdot_k).
  for (int k = 0; k < joint.nq; ++k) data.S.col(joint.q_start + k).setZero();
  for (int a = 0; a < 6; ++a) {
    const int k = joint.axes[a].coordinate;
    if (k < 0 || values[a].df == 0.0) continue;
    if (a < 3) {
      data.S.col(k).head<3>().noalias() += R.transpose() * (e[a] * values[a].df);
    } else {
      data.S.col(k).tail<3>().noalias() += R.transpose() * (joint.axes[a].axis * values[a].df);
    }
  }
  return {R, p};
}

[[gnu::flatten]] Transform joint_transform(const Model& model, const Joint& joint, int joint_index,
                                          const Eigen::VectorXd& q, Data& data) {
  return joint_transform_inline(model, joint, joint_index, q, data);
}

[[gnu::flatten]] Motion joint_bias(const Joint& joint, int joint_index, const Data& data,
                                   const Eigen::VectorXd& qdot) {
  return joint_bias_inline(joint, joint_index, data, qdot);
}

}  // namespace femur
