// Coupler constraints in dynamics, on OpenSim's moment-arm test models with
// CoordinateCouplerConstraints: the accelerations follow the couplers, and the constraint
// forces (tau_needed - tau) do no work along the free coordinates (G^T r = 0).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "femur/dynamics/constrained_dynamics.hpp"
#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/couplers.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

class CoupledDynamics : public ::testing::TestWithParam<std::string> {};

TEST_P(CoupledDynamics, AccelerationsFollowCouplersAndConstraintForcesDoNoWork) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = test::load_opensim_model(GetParam());
  ASSERT_FALSE(model.couplers.empty());
  Data data(model);
  double worst_follow = 0.0, worst_work = 0.0;
  for (unsigned seed = 1; seed <= 5; ++seed) {
    test::State s = test::random_state(model, seed);
    apply_couplers(model, s.q, s.qdot);
    Eigen::VectorXd tau = Eigen::VectorXd::Zero(model.nv);
    for (int k = 0; k < model.nv; ++k) tau[k] = 0.1 * s.qddot[k];
    clear_applied_forces(data);
    Eigen::VectorXd qddot = coupled_forward_dynamics(model, data, s.q, s.qdot, tau);

    Eigen::VectorXd q = s.q, qdot = s.qdot, qddot_coupled = qddot;
    apply_couplers(model, q, qdot, qddot_coupled);
    worst_follow = std::max(worst_follow, (qddot_coupled - qddot).norm() / (1 + qddot.norm()));
    // Measured: exactly 0 (the couplers are applied to the accelerations by construction of
    // the solve), 2.7e-13 relative constraint work (ConstraintA); asserted 1e-15 and 2.7e-12.
    EXPECT_LE((qddot_coupled - qddot).norm(), 1e-15 * (1 + qddot.norm())) << "seed " << seed;

    Eigen::MatrixXd G;
    Eigen::VectorXd gamma;
    coupler_basis(model, s.q, s.qdot, G, gamma);
    const Eigen::VectorXd residual = rnea(model, data, s.q, s.qdot, qddot) - tau;
    worst_work = std::max(worst_work, (G.transpose() * residual).norm() / (1 + residual.norm()));
    EXPECT_LT((G.transpose() * residual).norm(), 2.7e-12 * (1 + residual.norm())) << "seed " << seed;
  }
  std::printf("%s: accelerations vs couplers %.2g, constraint work %.2g (relative)\n", GetParam().c_str(), worst_follow,
              worst_work);
}

TEST_P(CoupledDynamics, CouplerBasisMapsFreeSpeedsToAllSpeeds) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = test::load_opensim_model(GetParam());
  test::State s = test::random_state(model, 4);
  apply_couplers(model, s.q, s.qdot);
  Eigen::MatrixXd G;
  Eigen::VectorXd gamma;
  coupler_basis(model, s.q, s.qdot, G, gamma);
  // Move the free coordinates by h * qdot_free and re-apply the couplers: the change of
  // every coordinate is h * G * qdot_free to first order.
  const std::vector<int> free = free_coordinates(model);
  Eigen::VectorXd qdot_free(free.size());
  for (size_t j = 0; j < free.size(); ++j) qdot_free[j] = s.qdot[free[j]];
  const double h = 1e-6;
  Eigen::VectorXd qp = s.q, qm = s.q;
  for (size_t j = 0; j < free.size(); ++j) {
    qp[free[j]] += h * qdot_free[j];
    qm[free[j]] -= h * qdot_free[j];
  }
  apply_couplers(model, qp);
  apply_couplers(model, qm);
  const Eigen::VectorXd fd = (qp - qm) / (2 * h);
  EXPECT_LT((fd - G * qdot_free).norm(), 1e-6 * (1 + fd.norm()));
  EXPECT_LT((s.qdot - G * qdot_free).norm(), 1e-12 * (1 + s.qdot.norm()));
}

INSTANTIATE_TEST_SUITE_P(MomentArmModels, CoupledDynamics,
                         ::testing::Values("Tests/MomentArms/CoupledCoordinatesMPPsMomentArmTest.osim",
                                           "Tests/MomentArms/testMomentArmsConstraintB.osim",
                                           "Tests/MomentArms/testMomentArmsConstraintA.osim"),
                         [](const auto& info) {
                           std::string n = info.param.substr(info.param.rfind('/') + 1);
                           return n.substr(0, n.find('.'));
                         });

}  // namespace
}  // namespace femur
