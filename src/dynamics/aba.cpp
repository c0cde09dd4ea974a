#include "femur/dynamics/aba.hpp"

#include "femur/kinematics/forward_kinematics.hpp"

namespace femur {
namespace {
using Mat6N = Eigen::Matrix<double, 6, Eigen::Dynamic, 0, 6, 6>;
using MatNN = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, 6, 6>;
using VecN = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, 6, 1>;

Vec6 as_vector(const Force& f) { Vec6 r; r << f.n, f.f; return r; }
Vec6 as_vector(const Motion& m) { Vec6 r; r << m.w, m.v; return r; }
Force as_force(const Vec6& x) { return {x.head<3>(), x.tail<3>()}; }
Motion as_motion(const Vec6& x) { return {x.head<3>(), x.tail<3>()}; }
}  // namespace

const Eigen::VectorXd& aba(const Model& model, Data& data, const Eigen::VectorXd& q,
                           const Eigen::VectorXd& qdot, const Eigen::VectorXd& tau) {
  // Pass 1: velocities, velocity-product terms, rigid-body inertias and bias forces.
  forward_kinematics(model, data, q, qdot);
  for (const Joint& joint : model.joints) {
    const int i = joint.child_body;
    const SpatialInertia& I = model.bodies[i].inertia_in_M;
    data.IA[i] = I.matrix();
    data.pA[i] = cross(data.v[i], I * data.v[i]) - data.X_ground[i].apply_inverse(data.f_ext[i]);
  }

  // Pass 2: articulated inertias from the leaves towards ground.
  for (size_t j = model.joints.size(); j-- > 0;) {
    const Joint& joint = model.joints[j];
    const int i = joint.child_body;
    const int n = joint.nq;
    Mat6 Ia = data.IA[i];
    Vec6 pa = as_vector(data.pA[i]);
    if (n > 0) {
      const Mat6N S = data.S.middleCols(joint.q_start, n);
      const Mat6N U = data.IA[i] * S;
      const MatNN Dinv = (S.transpose() * U).inverse();
      const VecN u = tau.segment(joint.q_start, n) - S.transpose() * pa;
      data.U.middleCols(joint.q_start, n) = U;
      data.Dinv[j].topLeftCorner(n, n) = Dinv;
      data.u.segment(joint.q_start, n) = u;
      Ia.noalias() -= U * Dinv * U.transpose();
      pa += Ia * as_vector(data.c[i]) + U * (Dinv * u);
    } else {
      pa += Ia * as_vector(data.c[i]);
    }
    if (joint.parent_body > 0) {
      const Mat6 X = motion_matrix(data.X_parent[i].inverse());  // parent motion -> child
      data.IA[joint.parent_body].noalias() += X.transpose() * Ia * X;
      data.pA[joint.parent_body] += data.X_parent[i].apply(as_force(pa));
    }
  }

  // Pass 3: accelerations from ground outwards.
  data.a_gf[0] = {Vec3::Zero(), -model.gravity};
  for (size_t j = 0; j < model.joints.size(); ++j) {
    const Joint& joint = model.joints[j];
    const int i = joint.child_body;
    const int n = joint.nq;
    Motion a = data.X_parent[i].apply_inverse(data.a_gf[joint.parent_body]) + data.c[i];
    if (n > 0) {
      const Vec6 av = as_vector(a);
      const VecN qdd = data.Dinv[j].topLeftCorner(n, n) *
                       (data.u.segment(joint.q_start, n) - data.U.middleCols(joint.q_start, n).transpose() * av);
      data.ddq.segment(joint.q_start, n) = qdd;
      a += as_motion(data.S.middleCols(joint.q_start, n) * qdd);
    }
    data.a_gf[i] = a;
  }
  return data.ddq;
}

}  // namespace femur
