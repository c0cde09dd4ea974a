// The function-based joint of OpenSim's CustomJoint (and of every standard joint, which the
// ModelBuilder writes as six transform axes): transform, motion subspace and velocity-product
// term. Simbody's MobilizedBody::FunctionBased defines the same mobilizer.
#pragma once

#include <cmath>

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

namespace detail {
// The two axes after k in cyclic order (i, j, k cyclic), without a division.
inline constexpr int kNext[3] = {1, 2, 0};
inline constexpr int kAfterNext[3] = {2, 0, 1};

// R = Rot(angle, axis), written directly (no product with the identity). For a principal
// axis k (within the builder's tolerance, as rotate() in joint_model.cpp): the identity's
// columns i, j turned in their plane; otherwise Rodrigues' formula
// R = c I + s [a] + (1 - c) a a^T (Rodrigues), in the order of
// Eigen::AngleAxis::toRotationMatrix, which gives the same bits).
inline void set_rotation(Mat3& R, const TransformAxis& axis, double angle) {
  if (axis.principal >= 0) {
    const double s = std::sin(axis.principal_sign * angle), c = std::cos(axis.principal_sign * angle);
    const int k = axis.principal, i = kNext[k], j = kAfterNext[k];
    R.setZero();
    R(k, k) = 1.0;
    R(i, i) = c;
    R(j, i) = s;
    R(i, j) = -s;
    R(j, j) = c;
    return;
  }
  const double s = std::sin(angle), c = std::cos(angle);
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
// R <- R * Rot(angle, axis), with the cheap column update when the axis is principal.
inline void rotate(Mat3& R, const TransformAxis& axis, double angle) {
  if (axis.principal < 0) {
    R = R * axis_rotation(axis.axis, angle);
    return;
  }
  const double s = std::sin(axis.principal_sign * angle), c = std::cos(axis.principal_sign * angle);
  // Columns i, j of R span the plane turned about the principal axis k (i, j, k cyclic).
  const int i = kNext[axis.principal], j = kAfterNext[axis.principal];
  const Vec3 ci = R.col(i), cj = R.col(j);
  R.col(i) = c * ci + s * cj;
  R.col(j) = c * cj - s * ci;
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
}  // namespace detail

// A pin's X_F_M and its S column, for the recursions that need nothing else (rnea):
// R = Rot(slope q + intercept, a); the axis is fixed by its own rotation, so S = (a slope, 0)
// in M whatever q is.
inline Transform pin_transform_light(const Joint& joint, const Eigen::VectorXd& q, Matrix6X& S) {
  const TransformAxis& axis = joint.axes[joint.single_rotation_axis];
  Transform X;
  detail::set_rotation(X.R, axis, axis.slope * q[axis.coordinate] + axis.intercept);
  double* s = S.col(axis.coordinate).data();
  s[0] = axis.axis.x() * axis.slope;
  s[1] = axis.axis.y() * axis.slope;
  s[2] = axis.axis.z() * axis.slope;
  s[3] = s[4] = s[5] = 0.0;
  return X;
}

// joint_transform of a pin (joint.single_rotation_axis >= 0): pin_transform_light plus the
// per-joint buffers the general bias reads (axis values, rotation axes, R_F_M). Inline so
// that the recursions keep the pose in registers.
inline Transform pin_transform(const Joint& joint, int joint_index, const Eigen::VectorXd& q, Data& data) {
  const int a = joint.single_rotation_axis;
  const TransformAxis& axis = joint.axes[a];
  const Transform X = pin_transform_light(joint, q, data.S);
  auto& values = data.axis_values[joint_index];
  auto& e = data.rotation_axes_in_F[joint_index];
  for (auto& v : values) v = {0.0, 0.0, 0.0};
  values[a] = {axis.slope * q[axis.coordinate] + axis.intercept, axis.slope, 0.0};
  for (int b = 0; b < 3; ++b) e[b] = joint.axes[b].axis;
  data.R_F_M[joint_index] = X.R;
  return X;
}

// The general joint_transform (and joint_bias below) inline, for the recursions that run
// them once per joint per call; joint_transform and joint_bias are these out of line.
inline Transform joint_transform_inline(const Model& model, const Joint& joint, int joint_index,
                                        const Eigen::VectorXd& q, Data& data) {
  auto& values = data.axis_values[joint_index];
  auto& e = data.rotation_axes_in_F[joint_index];
  Mat3& R = data.R_F_M[joint_index];

  if (joint.single_rotation_axis >= 0) return pin_transform(joint, joint_index, q, data);

  for (int a = 0; a < 6; ++a) values[a] = detail::axis_value(model, joint.axes[a], q);

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
    detail::set_rotation(R, joint.axes[a], values[a].f);
    for (++a; a < 3; ++a) {
      const TransformAxis& axis = joint.axes[a];
      if (detail::exactly_principal(axis)) {
        e[a] = axis.principal_sign > 0 ? Vec3(R.col(axis.principal)) : Vec3(-R.col(axis.principal));
      } else {
        e[a].noalias() = R * axis.axis;
      }
      if (values[a].f != 0.0) detail::rotate(R, axis, values[a].f);
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

inline Motion joint_bias_inline(const Joint& joint, int joint_index, const Data& data, const Eigen::VectorXd& qdot) {
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

// The same terms before they are turned into M: components in F, so that v_J = R^T vF,
// c_J = R^T cF, S qddot = R^T aF with R = R_F_M.
struct JointMotionInF {
  Motion vF, cF, aF;
};

// joint_transform, joint_velocity(qdot), joint_bias and joint_velocity(qddot) in closed form
// for a joint with an evaluation plan (joint.principal_plan): only the listed axes are
// evaluated, every rotation axis in F is a signed column of the rotation so far, and the
// velocity terms are summed in F (turned into M by the caller, once). Writes the joint's
// columns of S (nothing else in Data) and returns X_F_M. Same formulas as the general path
// (Featherstone 2008 eq. 3.42 for c_J): with w, pdot the joint's angular and linear
// velocity in F, v_J = R^T (w, pdot), c_J = R^T (sum (w_before x e_a) sdot_a,
// pddot - w x pdot) (the rotations are linear, so their sddot is zero).
inline Transform principal_joint_motion_in_F(const Model& model, const Joint& joint, const Eigen::VectorXd& q,
                                             const Eigen::VectorXd& qdot, const Eigen::VectorXd& qddot,
                                             Matrix6X& S, JointMotionInF& m) {
  Mat3 R;
  Vec3 e[3];
  double df[3];
  int coord[3];
  Vec3 w = Vec3::Zero(), wdot = Vec3::Zero(), wa = Vec3::Zero();
  const int nr = joint.n_plan_rotations;
  if (nr == 0) R.setIdentity();
  for (int r = 0; r < nr; ++r) {
    const TransformAxis& axis = joint.axes[joint.plan_rotations[r]];
    const int k = axis.coordinate;
    const double angle = k >= 0 ? axis.slope * q[k] + axis.intercept : axis.constant_value;
    if (r == 0) {
      e[r] = axis.axis;
      detail::set_rotation(R, axis, angle);
    } else {
      e[r] = axis.principal_sign > 0 ? Vec3(R.col(axis.principal)) : Vec3(-R.col(axis.principal));
      detail::rotate(R, axis, angle);
    }
    coord[r] = k;
    df[r] = k >= 0 ? axis.slope : 0.0;
    if (k >= 0) {
      const double u = axis.slope * qdot[k];
      wdot += w.cross(e[r]) * u;
      w += e[r] * u;
      wa += e[r] * (axis.slope * qddot[k]);
    }
  }
  for (int k = 0; k < joint.nq; ++k) S.col(joint.q_start + k).setZero();
  // S columns R^T x, written component by component (column j of R dotted with x).
  const auto add_rotated = [&R](double* s, const Vec3& x) {
    s[0] += R(0, 0) * x.x() + R(1, 0) * x.y() + R(2, 0) * x.z();
    s[1] += R(0, 1) * x.x() + R(1, 1) * x.y() + R(2, 1) * x.z();
    s[2] += R(0, 2) * x.x() + R(1, 2) * x.y() + R(2, 2) * x.z();
  };
  for (int r = 0; r < nr; ++r)
    if (coord[r] >= 0) add_rotated(S.col(coord[r]).data(), e[r] * df[r]);

  Vec3 p = Vec3::Zero(), pdot = Vec3::Zero(), pddot = Vec3::Zero(), pa = Vec3::Zero();
  for (int t = 0; t < joint.n_plan_translations; ++t) {
    const TransformAxis& axis = joint.axes[joint.plan_translations[t]];
    const FunctionValue v = detail::axis_value(model, axis, q);
    p += v.f * axis.axis;
    const int k = axis.coordinate;
    if (k < 0) continue;
    const double u = qdot[k];
    pdot += axis.axis * (v.df * u);
    pddot += axis.axis * (v.ddf * u * u);
    pa += axis.axis * (v.df * qddot[k]);
    add_rotated(S.col(k).data() + 3, axis.axis * v.df);
  }
  m.vF = {w, pdot};
  m.cF = {wdot, pddot - w.cross(pdot)};
  m.aF = {wa, pa};
  return {R, p};
}

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
