#include "femur/dynamics/rnea.hpp"

#include <bit>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/kinematics/joint_model.hpp"

namespace femur {

namespace {
void check_size(const char* what, const Eigen::VectorXd& x, int n) {
  if (x.size() != n)
    throw std::invalid_argument(std::string("rnea: ") + what + " has " + std::to_string(x.size()) +
                                " entries, the model has " + std::to_string(n) + " coordinates");
}
}  // namespace

namespace {
// Scalar spatial kernels for the recursion, written out component by component: at -O2 the
// generic Eigen expressions on 3-vectors spend more instructions on packing than on flops.
// Same formulas as Transform::apply_inverse / apply, SpatialInertia::operator* and cross().
inline Vec3 cross3(const Vec3& a, const Vec3& b) {
  return {a.y() * b.z() - a.z() * b.y(), a.z() * b.x() - a.x() * b.z(), a.x() * b.y() - a.y() * b.x()};
}
inline Vec3 mul(const Mat3& R, const Vec3& x) {  // R x
  return {R(0, 0) * x.x() + R(0, 1) * x.y() + R(0, 2) * x.z(), R(1, 0) * x.x() + R(1, 1) * x.y() + R(1, 2) * x.z(),
          R(2, 0) * x.x() + R(2, 1) * x.y() + R(2, 2) * x.z()};
}
inline Vec3 mul_transposed(const Mat3& R, const Vec3& x) {  // R^T x
  return {R(0, 0) * x.x() + R(1, 0) * x.y() + R(2, 0) * x.z(), R(0, 1) * x.x() + R(1, 1) * x.y() + R(2, 1) * x.z(),
          R(0, 2) * x.x() + R(1, 2) * x.y() + R(2, 2) * x.z()};
}
// X^-1 m: motion in the parent's frame -> child frame (Featherstone eq. 2.24 inverted).
inline Motion motion_to_child(const Transform& X, const Motion& m) {
  return {mul_transposed(X.R, m.w), mul_transposed(X.R, m.v - cross3(X.p, m.w))};
}
// X f: force in the child frame -> parent frame.
inline Force force_to_parent(const Transform& X, const Force& f) {
  const Vec3 fa = mul(X.R, f.f);
  return {mul(X.R, f.n) + cross3(X.p, fa), fa};
}
inline Force inertia_times(const SpatialInertia& I, const Motion& a) {
  return {mul(I.I, a.w) + cross3(I.h, a.v), I.m * a.v - cross3(I.h, a.w)};
}
}  // namespace

[[gnu::flatten]] const Eigen::VectorXd& rnea(const Model& model, Data& data, const Eigen::VectorXd& q,
                            const Eigen::VectorXd& qdot, const Eigen::VectorXd& qddot) {
  check_size("q", q, model.nq);
  check_size("qdot", qdot, model.nv);
  check_size("qddot", qddot, model.nv);

  // Ground poses are needed only to bring applied forces into the body frames.
  // A branch-free scan of the bits of every component (shifted left to drop the sign, so
  // -0.0 counts as zero), which the compiler vectorizes.
  static_assert(sizeof(Force) == 6 * sizeof(double), "Force is six packed doubles");
  std::uint64_t bits = 0;
  {
    const double* x = data.f_ext.empty() ? nullptr : data.f_ext.data()->n.data();
    const size_t n = 6 * data.f_ext.size();
    for (size_t k = 0; k < n; ++k) bits |= std::bit_cast<std::uint64_t>(x[k]) << 1;
  }
  const bool applied = bits != 0;

  // Forward pass: velocities, accelerations (gravity as an upward acceleration of ground)
  // and the force each body needs. Each body's values are built in locals and stored once;
  // the last body's are kept, so a chain (most of a leg) reads its parent from registers
  // rather than from stores still in flight.
  data.v[0] = Motion::zero();
  data.a_gf[0] = {Vec3::Zero(), -model.gravity};
  int last = 0;
  Motion v_last = data.v[0], a_last = data.a_gf[0];
  for (size_t j = 0; j < model.joints.size(); ++j) {
    const Joint& joint = model.joints[j];
    const int i = joint.child_body;
    const int p = joint.parent_body;
    const bool pin = joint.single_rotation_axis >= 0;
    const Motion& vp = p == last ? v_last : data.v[p];
    const Motion& ap = p == last ? a_last : data.a_gf[p];
    // Per-joint plan: a pin's own branch; the closed form of principal_joint_motion_in_F for
    // joints whose moving axes are all principal (pelvis, hips, knees, back of gait2392);
    // the general six-axis evaluation otherwise.
    Motion v, a, c;
    if (joint.principal_plan) {
      // Summed in F and turned into M once: with X_F_M = (R, r) and the parent's motion
      // m_F in F, X_F_M^-1 m_F + R^T x = R^T (m_F.w + x.w, m_F.v - r x m_F.w + x.v), and
      // the cross products of c = c_J + v x v_J commute with R^T.
      JointMotionInF jm;
      const Transform XJ = principal_joint_motion_in_F(model, joint, q, qdot, qddot, data.S, jm);
      const Transform X = joint_placement(joint, XJ);
      data.X_parent[i] = X;
      if (applied) data.X_ground[i] = data.X_ground[p] * X;
      Motion vF, aF;
      if (joint.F_is_translation) {
        const Vec3& t = joint.X_parentM_F.p;
        vF = {vp.w, vp.v - cross3(t, vp.w)};
        aF = {ap.w, ap.v - cross3(t, ap.w)};
      } else {
        vF = motion_to_child(joint.X_parentM_F, vp);
        aF = motion_to_child(joint.X_parentM_F, ap);
      }
      const Vec3 Vw = vF.w + jm.vF.w;
      const Vec3 Vv = vF.v - cross3(XJ.p, vF.w) + jm.vF.v;
      const Vec3 Cw = jm.cF.w + cross3(Vw, jm.vF.w);
      const Vec3 Cv = jm.cF.v + cross3(Vw, jm.vF.v) + cross3(Vv, jm.vF.w);
      const Vec3 Aw = aF.w + Cw + jm.aF.w;
      const Vec3 Av = aF.v - cross3(XJ.p, aF.w) + Cv + jm.aF.v;
      v = {mul_transposed(XJ.R, Vw), mul_transposed(XJ.R, Vv)};
      c = {mul_transposed(XJ.R, Cw), mul_transposed(XJ.R, Cv)};
      a = {mul_transposed(XJ.R, Aw), mul_transposed(XJ.R, Av)};
    } else {
      const Transform X = joint_placement(joint, pin ? pin_transform_light(joint, q, data.S)
                                                     : joint_transform_inline(model, joint, static_cast<int>(j), q, data));
      data.X_parent[i] = X;
      if (applied) data.X_ground[i] = data.X_ground[p] * X;
      v = motion_to_child(X, vp);
      a = motion_to_child(X, ap);
      if (pin) {
        // Pin: S = (s, 0) constant, so v_J = (s qd, 0), c_J = 0 and c = v x v_J.
        const TransformAxis& axis = joint.axes[joint.single_rotation_axis];
        const Vec3 sw = axis.axis * axis.slope;  // = data.S column, as pin_transform_light wrote it
        const double qd = qdot[joint.q_start], qdd = qddot[joint.q_start];
        const Vec3 wJ = sw * qd;
        v.w += wJ;
        c = {cross3(v.w, wJ), cross3(v.v, wJ)};
        a.w += c.w + sw * qdd;
        a.v += c.v;
      } else {
        const Motion vJ = joint_velocity(joint, data.S, qdot);
        v += vJ;
        c = joint_bias_inline(joint, static_cast<int>(j), data, qdot);
        c.w += cross3(v.w, vJ.w);
        c.v += cross3(v.w, vJ.v) + cross3(v.v, vJ.w);
        a += c;
        a += joint_velocity(joint, data.S, qddot);
      }
    }
    const SpatialInertia& I = model.bodies[i].inertia_in_M;
    const Force h = inertia_times(I, v);
    Force f = inertia_times(I, a);
    f.n += cross3(v.w, h.n) + cross3(v.v, h.f);
    f.f += cross3(v.w, h.f);
    if (applied) f -= data.X_ground[i].apply_inverse(data.f_ext[i]);
    data.v[i] = v;
    data.c[i] = c;
    data.a_gf[i] = a;
    data.f[i] = f;
    last = i;
    v_last = v;
    a_last = a;
  }

  // Backward pass: project onto the joint axes and pass the rest to the parent (the
  // parent's updated force is also kept in a local for the next joint up a chain).
  int carried = -1;
  Force f_carried;
  for (size_t j = model.joints.size(); j-- > 0;) {
    const Joint& joint = model.joints[j];
    const int i = joint.child_body;
    const Force f = i == carried ? f_carried : data.f[i];
    for (int k = 0; k < joint.nq; ++k) {
      const double* s = data.S.col(joint.q_start + k).data();
      data.tau[joint.q_start + k] = s[0] * f.n.x() + s[1] * f.n.y() + s[2] * f.n.z() + s[3] * f.f.x() +
                                    s[4] * f.f.y() + s[5] * f.f.z();
    }
    const int p = joint.parent_body;
    if (p > 0) {
      Force& fp = data.f[p];
      const Force fx = force_to_parent(data.X_parent[i], f);
      f_carried = {fp.n + fx.n, fp.f + fx.f};
      fp = f_carried;
      carried = p;
    }
  }
  return data.tau;
}

void clear_applied_forces(Data& data) {
  for (Force& f : data.f_ext) f = Force::zero();
}

void apply_point_force(const Model& model, Data& data, int body, const Vec3& point_in_body,
                       const Vec3& force_in_ground, const Vec3& moment_in_ground) {
  const Vec3 x = point_in_ground(model, data, body, point_in_body);
  data.f_ext[body] += Force{x.cross(force_in_ground) + moment_in_ground, force_in_ground};
}

}  // namespace femur
