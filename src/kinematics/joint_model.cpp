#include "femur/kinematics/joint_model.hpp"

namespace femur {

namespace {
// R <- R * Rot(angle, axis), with the cheap column update when the axis is principal.
void rotate(Mat3& R, const TransformAxis& axis, double angle) {
  if (axis.principal < 0) {
    R = R * axis_rotation(axis.axis, angle);
    return;
  }
  double s, c;
  ::sincos(axis.principal_sign * angle, &s, &c);
  // Columns i, j of R span the plane turned about the principal axis k (i, j, k cyclic).
  const int i = (axis.principal + 1) % 3, j = (axis.principal + 2) % 3;
  const Vec3 ci = R.col(i), cj = R.col(j);
  R.col(i) = c * ci + s * cj;
  R.col(j) = c * cj - s * ci;
}
}  // namespace

Transform joint_transform(const Model& model, const Joint& joint, int joint_index, const Eigen::VectorXd& q,
                          Data& data) {
  auto& values = data.axis_values[joint_index];
  auto& e = data.rotation_axes_in_F[joint_index];
  Mat3& R = data.R_F_M[joint_index];

  if (joint.single_rotation_axis >= 0) {
    // A pin about any axis: R = Rot(slope q + intercept, a); the axis is fixed by its own
    // rotation, so S = (a slope, 0) in M whatever q is.
    const int a = joint.single_rotation_axis;
    const TransformAxis& axis = joint.axes[a];
    for (auto& v : values) v = {0.0, 0.0, 0.0};
    values[a] = {axis.slope * q[axis.coordinate] + axis.intercept, axis.slope, 0.0};
    for (int b = 0; b < 3; ++b) e[b] = joint.axes[b].axis;
    R.setIdentity();
    rotate(R, axis, values[a].f);
    data.S.col(axis.coordinate) << axis.axis * axis.slope, Vec3::Zero();
    return {R, Vec3::Zero()};
  }

  for (int a = 0; a < 6; ++a) {
    const TransformAxis& axis = joint.axes[a];
    if (axis.linear) {
      values[a] = {axis.slope * q[axis.coordinate] + axis.intercept, axis.slope, 0.0};
    } else if (axis.coordinate >= 0) {
      values[a] = model.functions[axis.function].evaluate(q[axis.coordinate]);
    } else {
      values[a] = {axis.constant_value, 0.0, 0.0};
    }
  }

  // R = Rot(s1, a1) Rot(s2, a2) Rot(s3, a3): each axis is taken in the frame already turned
  // by the rotations before it (body-fixed sequence).
  R.setIdentity();
  bool identity = true;
  for (int a = 0; a < 3; ++a) {
    e[a] = identity ? joint.axes[a].axis : Vec3(R * joint.axes[a].axis);
    if (values[a].f != 0.0) {
      rotate(R, joint.axes[a], values[a].f);
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

Motion joint_bias(const Joint& joint, int joint_index, const Data& data, const Eigen::VectorXd& qdot) {
  if (joint.single_rotation_axis >= 0) return Motion::zero();  // constant S, one axis
  const auto& values = data.axis_values[joint_index];
  const auto& e = data.rotation_axes_in_F[joint_index];
  Vec3 w = Vec3::Zero(), wdot = Vec3::Zero(), pdot = Vec3::Zero(), pddot = Vec3::Zero();
  for (int a = 0; a < 6; ++a) {
    const int k = joint.axes[a].coordinate;
    if (k < 0) continue;
    const double sdot = values[a].df * qdot[k];
    const double sddot = values[a].ddf * qdot[k] * qdot[k];
    if (a < 3) {
      // d/dt (e_a sdot) = (w_before x e_a) sdot + e_a sddot, w_before from earlier axes.
      wdot += w.cross(e[a]) * sdot + e[a] * sddot;
      w += e[a] * sdot;
    } else {
      pdot += joint.axes[a].axis * sdot;
      pddot += joint.axes[a].axis * sddot;
    }
  }
  // v_J in M is (R^T w, R^T pdot); differentiate the components: d(R^T x)/dt = R^T (xdot - w x x).
  const Mat3 Rt = data.R_F_M[joint_index].transpose();
  return {Rt * wdot, Rt * (pddot - w.cross(pdot))};
}

}  // namespace femur
