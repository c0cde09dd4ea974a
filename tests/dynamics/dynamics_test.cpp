// Property tests of the dynamics algorithms on random states: RNEA, CRBA and ABA must agree
// with each other, whatever the model (pinocchio's unittest/rnea.cpp habit).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include <Eigen/Eigenvalues>

#include "femur/dynamics/aba.hpp"
#include "femur/dynamics/crba.hpp"
#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "support/model_param_test.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

constexpr const char* kGait2392 = "Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim";

// Relative difference scaled by the larger vector's size (plus one, for near-zero vectors).
double relative_error(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return (a - b).norm() / (1.0 + std::max(a.norm(), b.norm()));
}

class Dynamics : public test::ModelParamTest {};

// Bounds: 10x the worst measured over both models and 10 states (docs/validation.md): RNEA
// vs M a + b 6.0e-16, M's asymmetry 8.9e-17 of |M|, CRBA columns 3.5e-16 (relative).
constexpr double kRneaVsCrba = 6e-15, kSymmetry = 8.9e-16, kCrbaColumns = 3.5e-15;

TEST_P(Dynamics, RneaEqualsMassMatrixTimesAccelerationPlusBias) {
  Data data(model_);
  double worst = 0.0, worst_sym = 0.0;
  for (unsigned seed = 1; seed <= 10; ++seed) {
    const test::State s = test::random_state(model_, seed);
    clear_applied_forces(data);
    const Eigen::VectorXd tau = rnea(model_, data, s.q, s.qdot, s.qddot);
    const Eigen::VectorXd bias = rnea(model_, data, s.q, s.qdot, Eigen::VectorXd::Zero(model_.nv));
    const Eigen::MatrixXd M = crba(model_, data, s.q);
    worst = std::max(worst, relative_error(tau, M * s.qddot + bias));
    worst_sym = std::max(worst_sym, (M - M.transpose()).norm() / M.norm());
    EXPECT_LT(relative_error(tau, M * s.qddot + bias), kRneaVsCrba) << "seed " << seed;
    EXPECT_LT((M - M.transpose()).norm(), kSymmetry * M.norm());
    EXPECT_GT(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(M).eigenvalues().minCoeff(), 0.0);
  }
  std::printf("RNEA vs M a + b: worst relative %.2g; M symmetry %.2g\n", worst, worst_sym);
}

TEST_P(Dynamics, MassMatrixColumnsAreRneaOfUnitAccelerations) {
  Data data(model_);
  const test::State s = test::random_state(model_, 7);
  Model no_gravity = model_;
  no_gravity.gravity.setZero();
  const Eigen::MatrixXd M = crba(model_, data, s.q);
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(model_.nv);
  double worst = 0.0;
  for (int k = 0; k < model_.nv; ++k) {
    const Eigen::VectorXd column = rnea(no_gravity, data, s.q, zero, Eigen::VectorXd::Unit(model_.nv, k));
    worst = std::max(worst, (column - M.col(k)).norm() / (1.0 + M.col(k).norm()));
    EXPECT_LT((column - M.col(k)).norm(), kCrbaColumns * (1.0 + M.col(k).norm())) << model_.coordinates[k].name;
  }
  std::printf("CRBA columns vs RNEA of unit accelerations: worst relative %.2g\n", worst);
}

// Measured over 10 states: 3.2e-13 (test leg), 1.2e-13 (gait2392): rounding grown by the
// condition number of M, which reaches 2.6e5 (test leg) and 6e5 (gait2392) on these states
// (light talus and toes beside the pelvis and torso). Bound 7x the worst.
TEST_P(Dynamics, AbaInvertsRnea) {
  Data data(model_);
  double worst = 0.0;
  for (unsigned seed = 1; seed <= 10; ++seed) {
    const test::State s = test::random_state(model_, seed);
    clear_applied_forces(data);
    forward_kinematics(model_, data, s.q);
    apply_point_force(model_, data, model_.nv > 6 ? 2 : 1, Vec3(0.01, 0.02, -0.03), Vec3(10.0, 200.0, -30.0),
                      Vec3(1.0, -2.0, 0.5));
    const Eigen::VectorXd tau = rnea(model_, data, s.q, s.qdot, s.qddot);
    const Eigen::VectorXd qddot = aba(model_, data, s.q, s.qdot, tau);
    worst = std::max(worst, relative_error(qddot, s.qddot));
  }
  std::printf("ABA(RNEA(qddot)) vs qddot: worst relative %.2g\n", worst);
  EXPECT_LT(worst, 2.2e-12);
}

TEST_P(Dynamics, GravityAloneIsBalancedByRneaAtRest) {
  // With zero speeds and accelerations, RNEA returns the gravity torques; the work they do
  // along any velocity equals the rate of change of potential energy m g . v_com.
  Data data(model_);
  const test::State s = test::random_state(model_, 3);
  clear_applied_forces(data);
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(model_.nv);
  const Eigen::VectorXd tau_g = rnea(model_, data, s.q, zero, zero);
  forward_kinematics(model_, data, s.q, s.qdot);
  double power = 0.0;
  for (size_t b = 1; b < model_.bodies.size(); ++b)
    power += model_.bodies[b].mass * model_.gravity.dot(
                                         point_velocity(model_, data, static_cast<int>(b), model_.bodies[b].com_in_body));
  // tau_g balances gravity, so tau_g . qdot = -(power of gravity). Measured 3.9e-16 (test
  // leg) and 1.7e-16 (gait2392) relative: rounding; bound 10x the worst.
  const double error = std::abs(tau_g.dot(s.qdot) + power) / (1.0 + std::abs(power));
  std::printf("gravity power balance: relative %.2g\n", error);
  EXPECT_LT(error, 4e-15);
}

INSTANTIATE_TEST_SUITE_P(Models, Dynamics, ::testing::Values("test_leg", kGait2392),
                         [](const auto& info) { return info.param == "test_leg" ? std::string("TestLeg") : std::string("Gait2392"); });

}  // namespace
}  // namespace femur
