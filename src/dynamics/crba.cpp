#include "femur/dynamics/crba.hpp"

#include "femur/kinematics/forward_kinematics.hpp"

namespace femur {

[[gnu::flatten]] const Eigen::MatrixXd& crba(const Model& model, Data& data, const Eigen::VectorXd& q) {
  forward_kinematics(model, data, q);
  for (size_t b = 0; b < model.bodies.size(); ++b) data.Ic[b] = model.bodies[b].inertia_in_M;

  for (size_t j = model.joints.size(); j-- > 0;) {
    const Joint& joint = model.joints[j];
    const int i = joint.child_body;
    for (int k = 0; k < joint.nq; ++k) {
      const int col = joint.q_start + k;
      const auto s = data.S.col(col);
      Force F = data.Ic[i] * Motion{s.head<3>(), s.tail<3>()};
      // This joint's block, then each ancestor's columns by carrying F towards ground.
      for (int kk = 0; kk < joint.nq; ++kk) {
        const auto s2 = data.S.col(joint.q_start + kk);
        data.M(joint.q_start + kk, col) = s2.head<3>().dot(F.n) + s2.tail<3>().dot(F.f);
      }
      for (int b = i; model.bodies[b].parent > 0;) {
        F = data.X_parent[b].apply(F);
        b = model.bodies[b].parent;
        const Joint& pj = model.joints[model.bodies[b].joint];
        for (int kk = 0; kk < pj.nq; ++kk) {
          const auto s2 = data.S.col(pj.q_start + kk);
          const double value = s2.head<3>().dot(F.n) + s2.tail<3>().dot(F.f);
          data.M(pj.q_start + kk, col) = value;
          data.M(col, pj.q_start + kk) = value;
        }
      }
    }
    if (joint.parent_body > 0) data.Ic[joint.parent_body] += data.Ic[i].transformed(data.X_parent[i]);
  }
  return data.M;
}

}  // namespace femur
