// The templated inverse dynamics of optimal control (ocp/multibody_t.hpp) against femur's
// RNEA on 2D_gait.osim, its Jet derivatives against finite differences, and the smooth contact
// force against SmoothSphereHalfSpaceForce's formula evaluated by hand.
#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/couplers.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/model/data.hpp"
#include "femur/ocp/jet.hpp"
#include "femur/ocp/multibody_t.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

Model gait_model() { return io::read_osim(test::opensim_file("Moco/example2DWalking/2D_gait.osim")); }

TEST(MultibodyT, EqualsRneaWithoutContactToRounding) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = gait_model();
  ocp::MultibodyT mb = ocp::make_multibody_t(model);
  ASSERT_EQ(mb.contacts.size(), 4u);
  mb.contacts.clear();
  Data data(model);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> U(-1.0, 1.0);
  for (int trial = 0; trial < 20; ++trial) {
    Eigen::VectorXd q(model.nq), u(model.nq), a(model.nq), tau(model.nq);
    for (int k = 0; k < model.nq; ++k) q[k] = U(rng), u[k] = 3 * U(rng), a[k] = 20 * U(rng);
    const Eigen::VectorXd expected = rnea(model, data, q, u, a);
    ocp::inverse_dynamics_t<double>(mb, q.data(), u.data(), a.data(), tau.data());
    for (int k = 0; k < model.nq; ++k) EXPECT_NEAR(tau[k], expected[k], 1e-9 * (1.0 + std::abs(expected[k]))) << k;
  }
}

TEST(MultibodyT, JetDerivativesMatchCentralDifferencesWithContact) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = gait_model();
  const ocp::MultibodyT mb = ocp::make_multibody_t(model);
  const int n = model.nq;
  ASSERT_EQ(n, 10);
  using J = ceres::Jet<double, 30>;
  // A stance-like state: feet near the floor so that the contacts are active.
  Eigen::VectorXd x(3 * n);
  const double q0[10] = {-0.26, 0.3, 0.90, 0.3, -0.3, 0.05, -0.1, -0.1, 0.1, 0.1};
  for (int k = 0; k < n; ++k) x[k] = q0[k], x[n + k] = 0.3 * std::sin(k + 1.0), x[2 * n + k] = 2.0 * std::cos(k);
  std::vector<J> z(static_cast<size_t>(3 * n)), tau(static_cast<size_t>(n));
  for (int k = 0; k < 3 * n; ++k) z[static_cast<size_t>(k)] = J(x[k], k);
  std::vector<ocp::ContactForceT<J>> cf(mb.contacts.size());
  ocp::inverse_dynamics_t<J>(mb, z.data(), z.data() + n, z.data() + 2 * n, tau.data(), cf.data());
  double total_contact = 0.0;
  for (const auto& c : cf) total_contact += std::abs(c.force.y().a);
  EXPECT_GT(total_contact, 1.0);  // some contact is active, so its derivatives are tested
  auto eval = [&](const Eigen::VectorXd& xx) {
    Eigen::VectorXd t(n);
    ocp::inverse_dynamics_t<double>(mb, xx.data(), xx.data() + n, xx.data() + 2 * n, t.data());
    return t;
  };
  const double h = 1e-6;
  for (int c = 0; c < 3 * n; ++c) {
    Eigen::VectorXd xp = x, xm = x;
    xp[c] += h;
    xm[c] -= h;
    const Eigen::VectorXd d = (eval(xp) - eval(xm)) / (2 * h);
    for (int r = 0; r < n; ++r)
      EXPECT_NEAR(tau[static_cast<size_t>(r)].v[c], d[r], 1e-4 * (1.0 + std::abs(d[r]))) << r << "," << c;
  }
}

// example3DWalking's model: Rajagopal's walker knee (polynomial and multiplier transform axes),
// the patellofemoral joints driven by knee_angle_*_beta through CoordinateCouplerConstraints.
Model walking3d_model() { return io::read_osim(test::opensim_file("Moco/example3DWalking/subject_walk_scaled.osim")); }

// A random state of the independent coordinates around a walking pose (knees flexed).
void random_independent_state(const Model& model, const ocp::MultibodyT& mb, std::mt19937& rng, Eigen::VectorXd& q,
                              Eigen::VectorXd& u, Eigen::VectorXd& a) {
  std::uniform_real_distribution<double> U(-1.0, 1.0);
  q.resize(mb.nu), u.resize(mb.nu), a.resize(mb.nu);
  for (int j = 0; j < mb.nu; ++j) {
    const Coordinate& c = model.coordinates[static_cast<size_t>(mb.independent[static_cast<size_t>(j)])];
    const double mid = std::clamp(0.0, c.range_min, c.range_max);
    q[j] = std::clamp(mid + 0.4 * U(rng), c.range_min + 0.05, c.range_max - 0.05);
    if (c.name.rfind("knee_angle", 0) == 0) q[j] = 0.3 + 0.5 * (1 + U(rng));
    u[j] = 2 * U(rng), a[j] = 10 * U(rng);
  }
}

// The coupled ID residual equals J^T of femur's double RNEA over the full coordinates, with
// the dependent coordinates set by femur's own coupler kinematics (kinematics/couplers.hpp).
TEST(MultibodyT, CoupledModelEqualsReducedRnea) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = walking3d_model();
  ocp::MultibodyT mb = ocp::make_multibody_t(model);
  ASSERT_EQ(model.nq, 33);
  ASSERT_EQ(mb.nu, 31);
  ASSERT_EQ(mb.couplers.size(), 2u);
  Data data(model);
  std::mt19937 rng(11);
  for (int trial = 0; trial < 10; ++trial) {
    Eigen::VectorXd q, u, a;
    random_independent_state(model, mb, rng, q, u, a);
    Eigen::VectorXd qf = Eigen::VectorXd::Zero(model.nq), uf = qf, af = qf;
    for (int j = 0; j < mb.nu; ++j) {
      const int k = mb.independent[static_cast<size_t>(j)];
      qf[k] = q[j], uf[k] = u[j], af[k] = a[j];
    }
    apply_couplers(model, qf, uf, af);
    const Eigen::VectorXd full = rnea(model, data, qf, uf, af);
    Eigen::MatrixXd G;
    Eigen::VectorXd gamma;
    coupler_basis(model, qf, uf, G, gamma);
    const Eigen::VectorXd expected = G.transpose() * full;  // G: nv x free, free = mb.independent
    Eigen::VectorXd tau(mb.nu);
    ocp::inverse_dynamics_t<double>(mb, q.data(), u.data(), a.data(), tau.data());
    ASSERT_EQ(expected.size(), mb.nu);
    for (int j = 0; j < mb.nu; ++j) EXPECT_NEAR(tau[j], expected[j], 1e-8 * (1.0 + std::abs(expected[j]))) << j;
  }
}

// Jet derivatives through the nonlinear knee axes and the couplers against central differences.
TEST(MultibodyT, CoupledModelJetDerivativesMatchCentralDifferences) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = walking3d_model();
  const ocp::MultibodyT mb = ocp::make_multibody_t(model);
  const int n = mb.nu;
  std::mt19937 rng(5);
  Eigen::VectorXd q, u, a;
  random_independent_state(model, mb, rng, q, u, a);
  Eigen::VectorXd x(3 * n);
  x << q, u, a;
  using J = ceres::Jet<double, 93>;
  std::vector<J> z(static_cast<size_t>(3 * n)), tau(static_cast<size_t>(n));
  for (int k = 0; k < 3 * n; ++k) z[static_cast<size_t>(k)] = J(x[k], k);
  ocp::inverse_dynamics_t<J>(mb, z.data(), z.data() + n, z.data() + 2 * n, tau.data());
  auto eval = [&](const Eigen::VectorXd& xx) {
    Eigen::VectorXd t(n);
    ocp::inverse_dynamics_t<double>(mb, xx.data(), xx.data() + n, xx.data() + 2 * n, t.data());
    return t;
  };
  const double h = 1e-6;
  for (int c = 0; c < 3 * n; ++c) {
    Eigen::VectorXd xp = x, xm = x;
    xp[c] += h;
    xm[c] -= h;
    const Eigen::VectorXd d = (eval(xp) - eval(xm)) / (2 * h);
    for (int r = 0; r < n; ++r)
      EXPECT_NEAR(tau[static_cast<size_t>(r)].v[c], d[r], 1e-5 * (1.0 + std::abs(d[r]))) << r << "," << c;
  }
}

}  // namespace
}  // namespace femur
