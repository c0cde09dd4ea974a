// Property tests of forward kinematics and Jacobians: velocities and accelerations are the
// time derivatives of positions, Jacobian columns the derivatives with respect to q
// (checked by central finite differences, pinocchio's unittest/finite-differences.cpp habit).
#include <gtest/gtest.h>

#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/kinematics/jacobian.hpp"
#include "support/model_param_test.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

constexpr const char* kGait2392 = "Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim";
constexpr double kStep = 1e-6;

// Angular velocity from rotation matrices at t-h and t+h: the axial vector of R-dot R^T.
Vec3 angular_velocity_fd(const Mat3& Rm, const Mat3& Rp, const Mat3& R, double h) {
  const Mat3 W = (Rp - Rm) / (2.0 * h) * R.transpose();
  return {0.5 * (W(2, 1) - W(1, 2)), 0.5 * (W(0, 2) - W(2, 0)), 0.5 * (W(1, 0) - W(0, 1))};
}

class Kinematics : public test::ModelParamTest {};

TEST_P(Kinematics, BodyVelocitiesAreTimeDerivativesOfPoses) {
  Data data(model_), dm(model_), dp(model_);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const test::State s = test::random_state(model_, seed);
    forward_kinematics(model_, data, s.q, s.qdot);
    forward_kinematics(model_, dm, Eigen::VectorXd(s.q - kStep * s.qdot));
    forward_kinematics(model_, dp, Eigen::VectorXd(s.q + kStep * s.qdot));
    for (size_t b = 1; b < model_.bodies.size(); ++b) {
      const int i = static_cast<int>(b);
      const Vec3 com = model_.bodies[b].com_in_body;
      const Vec3 v_fd = (point_in_ground(model_, dp, i, com) - point_in_ground(model_, dm, i, com)) / (2 * kStep);
      EXPECT_LT((point_velocity(model_, data, i, com) - v_fd).norm(), 1e-6 * (1 + v_fd.norm())) << model_.bodies[b].name;
      const Vec3 w_fd = angular_velocity_fd(dm.X_ground[b].R, dp.X_ground[b].R, data.X_ground[b].R, kStep);
      EXPECT_LT((body_angular_velocity(data, i) - w_fd).norm(), 1e-6 * (1 + w_fd.norm())) << model_.bodies[b].name;
    }
  }
}

TEST_P(Kinematics, BodyAccelerationsAreTimeDerivativesOfVelocities) {
  Data data(model_), dm(model_), dp(model_);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const test::State s = test::random_state(model_, seed);
    forward_kinematics(model_, data, s.q, s.qdot, s.qddot);
    // State at t -+ h along the trajectory q(t) = q + qdot t + qddot t^2 / 2.
    const double h = 1e-5;
    forward_kinematics(model_, dm, Eigen::VectorXd(s.q - h * s.qdot + 0.5 * h * h * s.qddot),
                       Eigen::VectorXd(s.qdot - h * s.qddot));
    forward_kinematics(model_, dp, Eigen::VectorXd(s.q + h * s.qdot + 0.5 * h * h * s.qddot),
                       Eigen::VectorXd(s.qdot + h * s.qddot));
    for (size_t b = 1; b < model_.bodies.size(); ++b) {
      const int i = static_cast<int>(b);
      const Vec3 com = model_.bodies[b].com_in_body;
      const Vec3 a_fd = (point_velocity(model_, dp, i, com) - point_velocity(model_, dm, i, com)) / (2 * h);
      EXPECT_LT((point_acceleration(model_, data, i, com) - a_fd).norm(), 1e-5 * (1 + a_fd.norm()))
          << model_.bodies[b].name;
      const Vec3 al_fd = (body_angular_velocity(dp, i) - body_angular_velocity(dm, i)) / (2 * h);
      EXPECT_LT((body_angular_acceleration(data, i) - al_fd).norm(), 1e-5 * (1 + al_fd.norm()))
          << model_.bodies[b].name;
    }
  }
}

TEST_P(Kinematics, PointJacobianColumnsAreDerivativesOfPositions) {
  Data data(model_), dm(model_), dp(model_);
  const test::State s = test::random_state(model_, 11);
  compute_joint_jacobians(model_, data, s.q);
  Matrix3X J;
  Matrix6X J6;
  for (size_t b = 1; b < model_.bodies.size(); ++b) {
    const int i = static_cast<int>(b);
    const Vec3 point(0.03, -0.02, 0.01);
    point_jacobian(model_, data, i, point, J);
    frame_jacobian(model_, data, i, point, J6);
    for (int k = 0; k < model_.nv; ++k) {
      Eigen::VectorXd qm = s.q, qp = s.q;
      qm[k] -= kStep;
      qp[k] += kStep;
      forward_kinematics(model_, dm, qm);
      forward_kinematics(model_, dp, qp);
      const Vec3 d_fd = (point_in_ground(model_, dp, i, point) - point_in_ground(model_, dm, i, point)) / (2 * kStep);
      EXPECT_LT((J.col(k) - d_fd).norm(), 1e-6 * (1 + d_fd.norm())) << model_.bodies[b].name << " / "
                                                                     << model_.coordinates[k].name;
      EXPECT_LT((J6.col(k).tail<3>() - d_fd).norm(), 1e-6 * (1 + d_fd.norm()));
      const Vec3 w_fd = angular_velocity_fd(dm.X_ground[b].R, dp.X_ground[b].R, data.X_ground[b].R, kStep);
      EXPECT_LT((J6.col(k).head<3>() - w_fd).norm(), 1e-6 * (1 + w_fd.norm()));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Models, Kinematics, ::testing::Values("test_leg", kGait2392),
                         [](const auto& info) { return info.param == "test_leg" ? std::string("TestLeg") : std::string("Gait2392"); });

}  // namespace
}  // namespace femur
