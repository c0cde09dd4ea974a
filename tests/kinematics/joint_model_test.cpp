// joint_transform's fast paths (pins with a constant S, the first rotation written directly,
// principal axes taken as columns of R) against the general six-axis evaluation
// joint_transform_reference, on random states of models with every joint kind: the pose,
// the motion subspace and the velocity-product term must agree to rounding.
#include <gtest/gtest.h>

#include "femur/kinematics/joint_model.hpp"
#include "support/model_param_test.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

class JointTransformFastPath : public test::ModelParamTest {};

TEST_P(JointTransformFastPath, GivesThePoseSubspaceAndBiasOfTheGeneralEvaluation) {
  Data fast(model_), general(model_);
  int pins = 0;
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const test::State s = test::random_state(model_, seed);
    for (size_t j = 0; j < model_.joints.size(); ++j) {
      const Joint& joint = model_.joints[j];
      const int ji = static_cast<int>(j);
      if (seed == 1 && joint.single_rotation_axis >= 0) ++pins;
      const Transform X = joint_transform(model_, joint, ji, s.q, fast);
      const Transform Xr = joint_transform_reference(model_, joint, ji, s.q, general);
      EXPECT_LT((X.R - Xr.R).cwiseAbs().maxCoeff(), 1e-14) << joint.name << " seed " << seed;
      EXPECT_LT((X.p - Xr.p).cwiseAbs().maxCoeff(), 1e-14) << joint.name << " seed " << seed;
      EXPECT_LT((fast.R_F_M[j] - Xr.R).cwiseAbs().maxCoeff(), 1e-14) << joint.name;
      for (int k = 0; k < joint.nq; ++k) {
        const int col = joint.q_start + k;
        EXPECT_LT((fast.S.col(col) - general.S.col(col)).cwiseAbs().maxCoeff(),
                  1e-12 * (1.0 + general.S.col(col).norm()))
            << joint.name << " column " << k << " seed " << seed;
      }
      for (int a = 0; a < 6; ++a) {
        EXPECT_EQ(fast.axis_values[j][a].f, general.axis_values[j][a].f) << joint.name << " axis " << a;
        EXPECT_EQ(fast.axis_values[j][a].df, general.axis_values[j][a].df) << joint.name << " axis " << a;
      }
      const Motion c = joint_bias(joint, ji, fast, s.qdot);
      const Motion cr = joint_bias(joint, ji, general, s.qdot);
      const double scale = 1.0 + cr.vector().norm();
      EXPECT_LT((c.vector() - cr.vector()).cwiseAbs().maxCoeff(), 1e-12 * scale) << joint.name << " seed " << seed;
    }
  }
  if (GetParam() == "test_leg" || GetParam().find("2392") != std::string::npos) {
    EXPECT_GT(pins, 0) << "the pin path was not exercised";
  }
}

// Velocity terms of one joint in M: v_J = S qdot, the bias c_J (joint_bias) and S qddot,
// from principal_joint_motion_in_F turned into M as rnea does.
struct JointMotion {
  Motion vJ, cJ, aJ;
};
Transform principal_joint_motion(const Model& model, const Joint& joint, const Eigen::VectorXd& q,
                                 const Eigen::VectorXd& qdot, const Eigen::VectorXd& qddot, Matrix6X& S,
                                 JointMotion& m) {
  JointMotionInF mf;
  const Transform X = principal_joint_motion_in_F(model, joint, q, qdot, qddot, S, mf);
  const Mat3 Rt = X.R.transpose();
  m.vJ = {Rt * mf.vF.w, Rt * mf.vF.v};
  m.cJ = {Rt * mf.cF.w, Rt * mf.cF.v};
  m.aJ = {Rt * mf.aF.w, Rt * mf.aF.v};
  return X;
}

class JointPlanClosedForm : public test::ModelParamTest {};

// The builder's per-joint plan (principal_joint_motion_in_F) against the general evaluation:
// pose, S columns, S qdot, the bias c_J and S qddot, to 1e-13 relative.
TEST_P(JointPlanClosedForm, GivesThePoseSubspaceVelocityAndBiasOfTheGeneralEvaluation) {
  Data general(model_);
  Matrix6X S = Matrix6X::Zero(6, model_.nv);
  int planned = 0;
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const test::State s = test::random_state(model_, seed);
    for (size_t j = 0; j < model_.joints.size(); ++j) {
      const Joint& joint = model_.joints[j];
      if (!joint.principal_plan) continue;
      if (seed == 1) ++planned;
      const int ji = static_cast<int>(j);
      JointMotion m;
      const Transform X = principal_joint_motion(model_, joint, s.q, s.qdot, s.qddot, S, m);
      const Transform Xr = joint_transform_reference(model_, joint, ji, s.q, general);
      EXPECT_LT((X.R - Xr.R).cwiseAbs().maxCoeff(), 1e-14) << joint.name << " seed " << seed;
      EXPECT_LT((X.p - Xr.p).cwiseAbs().maxCoeff(), 1e-14) << joint.name << " seed " << seed;
      for (int k = 0; k < joint.nq; ++k) {
        const int col = joint.q_start + k;
        EXPECT_LT((S.col(col) - general.S.col(col)).cwiseAbs().maxCoeff(), 1e-13 * (1.0 + general.S.col(col).norm()))
            << joint.name << " column " << k << " seed " << seed;
      }
      const auto expect_near = [&](const Motion& got, const Motion& want, const char* what) {
        EXPECT_LT((got.vector() - want.vector()).cwiseAbs().maxCoeff(), 1e-13 * (1.0 + want.vector().norm()))
            << joint.name << " " << what << " seed " << seed;
      };
      expect_near(m.vJ, joint_velocity(joint, general.S, s.qdot), "S qdot");
      expect_near(m.cJ, joint_bias(joint, ji, general, s.qdot), "c_J");
      expect_near(m.aJ, joint_velocity(joint, general.S, s.qddot), "S qddot");
    }
  }
  // gait2392: pelvis, hips, knees (spline translations) and back; the pins keep their branch.
  if (GetParam().find("2392") != std::string::npos) {
    EXPECT_EQ(planned, 6);
  }
}

// The four models both suites run on, and their test names.
const auto kModels = ::testing::Values("test_leg", "Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim",
                                       "Models/Arm26/arm26.osim", "Models/Gait10dof18musc/gait10dof18musc.osim");
std::string model_test_name(const ::testing::TestParamInfo<std::string>& info) {
  const std::string& p = info.param;
  if (p == "test_leg") return "TestLeg";
  if (p.find("2392") != std::string::npos) return "Gait2392";
  if (p.find("Arm26") != std::string::npos) return "Arm26";
  return "Gait10dof18musc";
}

INSTANTIATE_TEST_SUITE_P(Models, JointPlanClosedForm,
                         kModels, model_test_name);

INSTANTIATE_TEST_SUITE_P(Models, JointTransformFastPath,
                         kModels, model_test_name);

}  // namespace
}  // namespace femur
