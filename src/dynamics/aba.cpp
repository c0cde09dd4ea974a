#include "femur/dynamics/aba.hpp"

#include "femur/kinematics/forward_kinematics.hpp"

namespace femur {
namespace {
using VecN = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, 6, 1>;

Vec6 as_vector(const Force& f) { Vec6 r; r << f.n, f.f; return r; }
Vec6 as_vector(const Motion& m) { Vec6 r; r << m.w, m.v; return r; }
Force as_force(const Vec6& x) { return {x.head<3>(), x.tail<3>()}; }
Motion as_motion(const Vec6& x) { return {x.head<3>(), x.tail<3>()}; }

// X^T Ia X, with X the motion transform from the parent's frame to the child's and
// X_parent_child = (R, p): the child's articulated inertia [A B; B^T C] turned to the parent's
// axes (A' = R A R^T, ...), then shifted to its origin with P = skew(p):
//   [A' - B'P - (B'P)^T - P C'P,  B' + P C';  (B' + P C')^T,  C'],
// about a tenth of the flops of the two 6x6 products.
Mat6 articulated_inertia_in_parent(const Transform& X_parent_child, const Mat6& Ia) {
  const Mat3& R = X_parent_child.R;
  const Mat3 A = R * Ia.topLeftCorner<3, 3>() * R.transpose();
  const Mat3 B = R * Ia.topRightCorner<3, 3>() * R.transpose();
  const Mat3 C = R * Ia.bottomRightCorner<3, 3>() * R.transpose();
  const Mat3 P = skew(X_parent_child.p);
  const Mat3 BP = B * P;
  const Mat3 PC = P * C;
  Mat6 out;
  out.topLeftCorner<3, 3>() = A - BP - BP.transpose() - PC * P;
  out.topRightCorner<3, 3>() = B + PC;
  out.bottomLeftCorner<3, 3>() = (B + PC).transpose();
  out.bottomRightCorner<3, 3>() = C;
  return out;
}
// Pass 2 of a joint with N coordinates: U = IA S, D = S^T U, u = tau - S^T pA, then the
// articulated inertia and bias passed to the parent.
template <int N>
void multi_coordinate_step(Data& data, size_t j, const Joint& joint, const Eigen::VectorXd& tau, Mat6& Ia,
                           Vec6& pa) {
  const int i = joint.child_body;
  const Eigen::Matrix<double, 6, N> S = data.S.middleCols<N>(joint.q_start);
  const Eigen::Matrix<double, 6, N> U = data.IA[i] * S;
  const Eigen::Matrix<double, N, N> D = S.transpose() * U;
  const Eigen::Matrix<double, N, N> Dinv = D.inverse();
  const Eigen::Matrix<double, N, 1> u = tau.segment<N>(joint.q_start) - S.transpose() * pa;
  data.U.middleCols<N>(joint.q_start) = U;
  data.Dinv[j].topLeftCorner<N, N>() = Dinv;
  data.u.segment<N>(joint.q_start) = u;
  if (joint.parent_body == 0) return;  // nothing to pass to ground (the floating base)
  const Eigen::Matrix<double, 6, N> UD = U * Dinv;
  Ia.noalias() -= UD * U.transpose();
  pa += Ia * as_vector(data.c[i]);
  pa.noalias() += UD * u;
}
}  // namespace

[[gnu::flatten]] const Eigen::VectorXd& aba(const Model& model, Data& data, const Eigen::VectorXd& q,
                           const Eigen::VectorXd& qdot, const Eigen::VectorXd& tau) {
  forward_kinematics(model, data, q, qdot);
  return aba_after_kinematics(model, data, tau);
}

[[gnu::flatten]] const Eigen::VectorXd& aba_after_kinematics(const Model& model, Data& data, const Eigen::VectorXd& tau) {
  // Pass 1: rigid-body inertias and bias forces (velocities and velocity-product terms come
  // from forward_kinematics).
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
      // Fixed sizes for the usual multi-coordinate joints (closed-form inverses up to 4x4).
      switch (n) {
        case 2: multi_coordinate_step<2>(data, j, joint, tau, Ia, pa); break;
        case 3: multi_coordinate_step<3>(data, j, joint, tau, Ia, pa); break;
        case 4: multi_coordinate_step<4>(data, j, joint, tau, Ia, pa); break;
        case 5: multi_coordinate_step<5>(data, j, joint, tau, Ia, pa); break;
        default: multi_coordinate_step<6>(data, j, joint, tau, Ia, pa); break;
      }
    } else {
      pa += Ia * as_vector(data.c[i]);
    }
    if (joint.parent_body > 0) {
      data.IA[joint.parent_body] += articulated_inertia_in_parent(data.X_parent[i], Ia);
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
