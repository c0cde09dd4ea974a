// rnea's fused, pin-specialised recursion against the textbook one (Featherstone 2008,
// table 5.1) written here from the public spatial operations and the general joint
// evaluation joint_transform_reference: the same generalized forces to rounding, with and
// without applied forces, on random states.
#include <gtest/gtest.h>

#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/kinematics/joint_model.hpp"
#include "support/model_param_test.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

// v_i = X_i^-1 v_p + S qd, a_i = X_i^-1 a_p + c_J + v_i x S qd + S qdd (a_0 = -g),
// f_i = I a_i + v_i x* I v_i - X_ground^-1 f_ext; tau = S^T f; f_p += X_i f_i.
Eigen::VectorXd textbook_rnea(const Model& model, Data& data, const Eigen::VectorXd& q,
                              const Eigen::VectorXd& qd, const Eigen::VectorXd& qdd) {
  const size_t nb = model.bodies.size();
  std::vector<Transform> X(nb), Xg(nb);
  std::vector<Motion> v(nb), a(nb);
  std::vector<Force> f(nb);
  a[0] = {Vec3::Zero(), -model.gravity};
  for (size_t j = 0; j < model.joints.size(); ++j) {
    const Joint& joint = model.joints[j];
    const int i = joint.child_body, p = joint.parent_body;
    const Transform X_F_M = joint_transform_reference(model, joint, static_cast<int>(j), q, data);
    X[i] = joint.X_parentM_F * X_F_M;
    Xg[i] = Xg[p] * X[i];
    Motion vJ, aJ;
    for (int k = 0; k < joint.nq; ++k) {
      const auto s = data.S.col(joint.q_start + k);
      const Motion sk{s.head<3>(), s.tail<3>()};
      vJ += sk * qd[joint.q_start + k];
      aJ += sk * qdd[joint.q_start + k];
    }
    v[i] = X[i].apply_inverse(v[p]) + vJ;
    a[i] = X[i].apply_inverse(a[p]) + joint_bias(joint, static_cast<int>(j), data, qd) + cross(v[i], vJ) + aJ;
    const SpatialInertia& I = model.bodies[i].inertia_in_M;
    f[i] = I * a[i] + cross(v[i], I * v[i]) - Xg[i].apply_inverse(data.f_ext[i]);
  }
  Eigen::VectorXd tau(model.nv);
  for (size_t j = model.joints.size(); j-- > 0;) {
    const Joint& joint = model.joints[j];
    const int i = joint.child_body;
    for (int k = 0; k < joint.nq; ++k) {
      const auto s = data.S.col(joint.q_start + k);
      tau[joint.q_start + k] = dot(Motion{s.head<3>(), s.tail<3>()}, f[i]);
    }
    if (joint.parent_body > 0) f[joint.parent_body] += X[i].apply(f[i]);
  }
  return tau;
}

class RneaFastPath : public test::ModelParamTest {};

TEST_P(RneaFastPath, GivesTheTextbookRecursionsForces) {
  Data data(model_), reference(model_);
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const test::State s = test::random_state(model_, seed);
    const bool applied = seed % 2 == 0;
    clear_applied_forces(data);
    clear_applied_forces(reference);
    if (applied) {
      // A foot-like load on the last body and a push on the first moving one.
      forward_kinematics(model_, data, s.q);
      const int last = static_cast<int>(model_.bodies.size()) - 1;
      apply_point_force(model_, data, last, Vec3(0.03, -0.01, 0.02), Vec3(40.0, 700.0, -25.0), Vec3(1.0, -2.0, 0.5));
      apply_point_force(model_, data, 1, Vec3(-0.05, 0.1, 0.0), Vec3(-15.0, 5.0, 30.0));
      reference.f_ext = data.f_ext;
    }
    const Eigen::VectorXd tau = rnea(model_, data, s.q, s.qdot, s.qddot);
    const Eigen::VectorXd expected = textbook_rnea(model_, reference, s.q, s.qdot, s.qddot);
    EXPECT_LT((tau - expected).cwiseAbs().maxCoeff(), 1e-13 * (1.0 + expected.cwiseAbs().maxCoeff()))
        << "seed " << seed << (applied ? " with applied forces" : "");
    if (applied) {  // the ground poses rnea keeps up to date for the applied forces
      forward_kinematics(model_, reference, s.q);
      for (size_t b = 1; b < model_.bodies.size(); ++b)
        EXPECT_LT((data.X_ground[b].p - reference.X_ground[b].p).norm(), 1e-13) << model_.bodies[b].name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Models, RneaFastPath,
                         ::testing::Values("test_leg", "Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim",
                                           "Models/Arm26/arm26.osim"),
                         [](const auto& info) {
                           const std::string& p = info.param;
                           if (p == "test_leg") return std::string("TestLeg");
                           if (p.find("2392") != std::string::npos) return std::string("Gait2392");
                           return std::string("Arm26");
                         });

}  // namespace
}  // namespace femur
