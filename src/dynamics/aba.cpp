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

[[gnu::flatten]] const Eigen::VectorXd& aba(const Model& model, Data& data, const Eigen::VectorXd& q,
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
    if (n == 1) {
      // One coordinate (most joints): D and u are scalars.
      const Vec6 S = data.S.col(joint.q_start);
      const Vec6 U = data.IA[i] * S;
      const double Dinv = 1.0 / S.dot(U);
      const double u = tau[joint.q_start] - S.dot(pa);
      data.U.col(joint.q_start) = U;
      data.Dinv[j](0, 0) = Dinv;
      data.u[joint.q_start] = u;
      Ia.noalias() -= (Dinv * U) * U.transpose();
      pa += Ia * as_vector(data.c[i]) + U * (Dinv * u);
    } else if (n > 1) {
      Mat6N S(6, n), U(6, n), UD(6, n);
      MatNN D(n, n), Dinv(n, n);
      VecN u(n), Dinv_u(n);
      S = data.S.middleCols(joint.q_start, n);
      U.noalias() = data.IA[i] * S;
      D.noalias() = S.transpose() * U;
      Dinv = D.inverse();
      u = tau.segment(joint.q_start, n);
      u.noalias() -= S.transpose() * pa;
      data.U.middleCols(joint.q_start, n) = U;
      data.Dinv[j].topLeftCorner(n, n) = Dinv;
      data.u.segment(joint.q_start, n) = u;
      UD.noalias() = U * Dinv;
      Ia.noalias() -= UD * U.transpose();
      Dinv_u.noalias() = Dinv * u;
      pa += Ia * as_vector(data.c[i]);
      pa.noalias() += U * Dinv_u;
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
      VecN r(n), qdd(n);
      r = data.u.segment(joint.q_start, n);
      r.noalias() -= data.U.middleCols(joint.q_start, n).transpose() * av;
      qdd.noalias() = data.Dinv[j].topLeftCorner(n, n) * r;
      data.ddq.segment(joint.q_start, n) = qdd;
      Vec6 Sq;
      Sq.noalias() = data.S.middleCols(joint.q_start, n) * qdd;
      a += as_motion(Sq);
    }
    data.a_gf[i] = a;
  }
  return data.ddq;
}

}  // namespace femur
