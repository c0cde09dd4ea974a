// femur's mass matrix, inverse dynamics and forward dynamics against Simbody 3.7 (the engine
// under OpenSim), computed on a Simbody tree with the same joint motions and coordinates
// (tests/support/simbody_reference.hpp: Simbody's own Pin, Slider, Universal, Planar, Gimbal
// and Translation mobilizers for femur's standard joints, its FunctionBased mobilizer for
// CustomJoints, its UniformGravity), on random states of the test leg (every joint type) and
// gait2392. The two codes share nothing but the model's numbers and the axis functions.
#include <gtest/gtest.h>

#include <cstdio>

#include "femur/dynamics/aba.hpp"
#include "femur/dynamics/crba.hpp"
#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "support/model_param_test.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"
#ifdef FEMUR_HAVE_SIMBODY
#include "support/simbody_reference.hpp"
#endif

namespace femur {
namespace {

constexpr const char* kGait2392 = "Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim";

// Largest entry of the difference over the largest entry of the reference.
double relative_max_error(const Eigen::MatrixXd& value, const Eigen::MatrixXd& reference) {
  return (value - reference).cwiseAbs().maxCoeff() / reference.cwiseAbs().maxCoeff();
}

double potential_energy(const Model& model, const Data& data) {
  double v = 0.0;
  for (size_t b = 1; b < model.bodies.size(); ++b)
    v -= model.bodies[b].mass * model.gravity.dot(point_in_ground(model, data, static_cast<int>(b), model.bodies[b].com_in_body));
  return v;
}

class SimbodyAgreement : public test::ModelParamTest {};

// Worst differences over 20 random states (q within ranges, |qdot| <= 2, |qddot| <= 5),
// relative to the largest entry of Simbody's result, measured on this machine:
//   test leg:  M 4.0e-16, inverse dynamics 6.5e-16, forward dynamics 3.7e-15,
//              kinetic energy 5.5e-16, potential energy 3.0e-16
//   gait2392:  M 1.9e-16, inverse dynamics 6.3e-16, forward dynamics 9.8e-16,
//              kinetic energy 7.7e-16, potential energy 1.2e-15
// i.e. rounding: the two codes differ only in the order of their floating-point operations
// (forward dynamics solves with M, so its rounding grows with M's condition number, up to
// 6e5 on these models). The
// bounds are 10x the worst of the two models.
TEST_P(SimbodyAgreement, MassMatrixInverseAndForwardDynamicsMatchSimbody) {
#ifndef FEMUR_HAVE_SIMBODY
  GTEST_SKIP() << "Simbody not found at configure time (libsimbody-dev)";
#else
  test::SimbodyReference simbody(model_, test::SimbodyTree::SameKinematics);
  ASSERT_EQ(simbody.nu(), model_.nv);
  Data data(model_);
  const int n = model_.nv;
  Eigen::MatrixXd M_simbody(n, n);
  Eigen::VectorXd tau_simbody(n), qddot_simbody(n);
  double worst_M = 0.0, worst_id = 0.0, worst_fd = 0.0, worst_ke = 0.0, worst_pe = 0.0;
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const test::State s = test::random_state(model_, seed);
    simbody.set_state(s.q.data(), s.qdot.data());
    clear_applied_forces(data);

    const Eigen::MatrixXd M = crba(model_, data, s.q);
    simbody.mass_matrix(M_simbody.data());
    worst_M = std::max(worst_M, relative_max_error(M, M_simbody));

    const Eigen::VectorXd tau = rnea(model_, data, s.q, s.qdot, s.qddot);
    simbody.inverse_dynamics(s.qddot.data(), tau_simbody.data());
    worst_id = std::max(worst_id, relative_max_error(tau, tau_simbody));

    // Forward dynamics under generalized forces of the size of the gravity torques.
    const Eigen::VectorXd tau_applied = 20.0 * test::random_state(model_, seed + 100).qddot;
    const Eigen::VectorXd qddot = aba(model_, data, s.q, s.qdot, tau_applied);
    simbody.forward_dynamics(tau_applied.data(), qddot_simbody.data());
    worst_fd = std::max(worst_fd, relative_max_error(qddot, qddot_simbody));

    const double ke = 0.5 * s.qdot.dot(M * s.qdot);
    worst_ke = std::max(worst_ke, std::abs(ke - simbody.kinetic_energy()) / simbody.kinetic_energy());
    forward_kinematics(model_, data, s.q);
    const double pe = potential_energy(model_, data), pe_simbody = simbody.potential_energy();
    worst_pe = std::max(worst_pe, std::abs(pe - pe_simbody) / std::max(1.0, std::abs(pe_simbody)));
  }
  std::printf("%s vs Simbody, worst relative: M %.2g, inverse dynamics %.2g, forward dynamics %.2g, "
              "kinetic energy %.2g, potential energy %.2g\n",
              GetParam().c_str(), worst_M, worst_id, worst_fd, worst_ke, worst_pe);
  EXPECT_LT(worst_M, 4e-15);
  EXPECT_LT(worst_id, 6.5e-15);
  EXPECT_LT(worst_fd, 3.7e-14);
  EXPECT_LT(worst_ke, 7.7e-15);
  EXPECT_LT(worst_pe, 1.2e-14);
#endif
}

INSTANTIATE_TEST_SUITE_P(Models, SimbodyAgreement, ::testing::Values("test_leg", kGait2392),
                         [](const auto& info) { return info.param == "test_leg" ? std::string("TestLeg") : std::string("Gait2392"); });

}  // namespace
}  // namespace femur
