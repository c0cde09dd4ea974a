#include "femur/kinematics/joint_model.hpp"

namespace femur {

namespace {
// The two axes after k in cyclic order (i, j, k cyclic), without a division.
constexpr int kNext[3] = {1, 2, 0};
constexpr int kAfterNext[3] = {2, 0, 1};

// R <- R * Rot(angle, axis), with the cheap column update when the axis is principal.
void rotate(Mat3& R, const TransformAxis& axis, double angle) {
  if (axis.principal < 0) {
    R = R * axis_rotation(axis.axis, angle);
    return;
  }
  double s, c;
  ::sincos(axis.principal_sign * angle, &s, &c);
  // Columns i, j of R span the plane turned about the principal axis k (i, j, k cyclic).
  const int i = kNext[axis.principal], j = kAfterNext[axis.principal];
  const Vec3 ci = R.col(i), cj = R.col(j);
  R.col(i) = c * ci + s * cj;
  R.col(j) = c * cj - s * ci;
}

// R = Rot(angle, axis), written directly (no product with the identity). For a principal
// axis k: the identity's columns i, j turned in their plane; otherwise Rodrigues' formula
// R = c I + s [a] + (1 - c) a a^T with one sincos, in the order of
// Eigen::AngleAxis::toRotationMatrix, so both give the same bits as rotate() on the identity.
inline void set_rotation(Mat3& R, const TransformAxis& axis, double angle) {
  double s, c;
  if (axis.principal >= 0) {
    ::sincos(axis.principal_sign * angle, &s, &c);
    const int k = axis.principal, i = kNext[k], j = kAfterNext[k];
    R.setZero();
    R(k, k) = 1.0;
    R(i, i) = c;
    R(j, i) = s;
    R(i, j) = -s;
    R(j, j) = c;
    return;
  }
  ::sincos(angle, &s, &c);
  const Vec3& a = axis.axis;
  const double sx = s * a.x(), sy = s * a.y(), sz = s * a.z();
  const double c1 = 1.0 - c;
  const double cx = c1 * a.x(), cy = c1 * a.y(), cz = c1 * a.z();
  double t = cx * a.y();
  R(0, 1) = t - sz;
  R(1, 0) = t + sz;
  t = cx * a.z();
  R(0, 2) = t + sy;
  R(2, 0) = t - sy;
  t = cy * a.z();
  R(1, 2) = t - sx;
  R(2, 1) = t + sx;
  R(0, 0) = cx * a.x() + c;
  R(1, 1) = cy * a.y() + c;
  R(2, 2) = cz * a.z() + c;
}

// The axis is exactly +-X, +-Y or +-Z (not only within the builder's 1e-15 tolerance), so
// R a is a signed column of R, bit for bit.
inline bool exactly_principal(const TransformAxis& axis) {
  if (axis.principal < 0) return false;
  return axis.axis[kNext[axis.principal]] == 0.0 && axis.axis[kAfterNext[axis.principal]] == 0.0;
}

inline FunctionValue axis_value(const Model& model, const TransformAxis& axis, const Eigen::VectorXd& q) {
  if (axis.linear) return {axis.slope * q[axis.coordinate] + axis.intercept, axis.slope, 0.0};
  if (axis.coordinate >= 0) return model.functions[axis.function].evaluate(q[axis.coordinate]);
  return {axis.constant_value, 0.0, 0.0};
}
}  // namespace

Transform joint_transform_reference(const Model& model, const Joint& joint, int joint_index,
                                    const Eigen::VectorXd& q, Data& data) {
  auto& values = data.axis_values[joint_index];
  auto& e = data.rotation_axes_in_F[joint_index];
  Mat3& R = data.R_F_M[joint_index];
  for (int a = 0; a < 6; ++a) values[a] = axis_value(model, joint.axes[a], q);

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
    set_rotation(R, axis, values[a].f);
    double* s = data.S.col(axis.coordinate).data();
    s[0] = axis.axis.x() * axis.slope;
    s[1] = axis.axis.y() * axis.slope;
    s[2] = axis.axis.z() * axis.slope;
    s[3] = s[4] = s[5] = 0.0;
    return {R, Vec3::Zero()};
  }

  for (int a = 0; a < 6; ++a) values[a] = axis_value(model, joint.axes[a], q);

  // R = Rot(s1, a1) Rot(s2, a2) Rot(s3, a3), body-fixed: the first rotation written
  // directly, the later ones as column updates; e_a = (R so far) a_a, which for a principal
  // axis is a signed column of R.
  int a = 0;
  while (a < 3 && values[a].f == 0.0) {
    e[a] = joint.axes[a].axis;
    ++a;
  }
  if (a == 3) {
    R.setIdentity();
  } else {
    e[a] = joint.axes[a].axis;
    set_rotation(R, joint.axes[a], values[a].f);
    for (++a; a < 3; ++a) {
      const TransformAxis& axis = joint.axes[a];
      if (exactly_principal(axis)) {
        e[a] = axis.principal_sign > 0 ? Vec3(R.col(axis.principal)) : Vec3(-R.col(axis.principal));
      } else {
        e[a].noalias() = R * axis.axis;
      }
      if (values[a].f != 0.0) rotate(R, axis, values[a].f);
    }
  }
  Vec3 p = Vec3::Zero();
  for (int b = 3; b < 6; ++b)
    if (values[b].f != 0.0) p += values[b].f * joint.axes[b].axis;

  // Motion subspace: column of coordinate k = d(relative velocity, in M)/d(qdot_k).
  for (int k = 0; k < joint.nq; ++k) data.S.col(joint.q_start + k).setZero();
  for (int b = 0; b < 6; ++b) {
    const int k = joint.axes[b].coordinate;
    if (k < 0 || values[b].df == 0.0) continue;
    if (b < 3) {
      data.S.col(k).head<3>().noalias() += R.transpose() * (e[b] * values[b].df);
    } else {
      data.S.col(k).tail<3>().noalias() += R.transpose() * (joint.axes[b].axis * values[b].df);
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
