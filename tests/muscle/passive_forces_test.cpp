// Passive model forces: CoordinateLimitForce against its own definition (OpenSim
// CoordinateLimitForce.cpp: unit conversion, Simbody step, damping, potential energy),
// PathSpring against the potential 0.5 k (L - L0)^2 of its path, and inverse dynamics with a
// limit force against inverse dynamics without it.
#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "femur/io/table.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/math/gcv_spline.hpp"
#include "femur/model/data.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/passive_forces.hpp"
#include "femur/tools/inverse_dynamics.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"
#include "path_test_support.hpp"

namespace femur {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

const char* kSpringModel = "Models/Gait10dof18musc/subject01_metabolics_spring.osim";
const char* kPathSpringModel = "Models/Gait10dof18musc/subject01_metabolics_path_spring.osim";

// The shipped ankle limit: upper 5 deg at 10 N*m/deg, lower -90 deg at 1 N*m/deg,
// damping 0.01 N*m/(deg/s), transition 2 deg.
CoordinateLimitSpec ankle_limit() {
  const Model model = test::load_opensim_model(kSpringModel);
  const PassiveForceSet set = build_passive_force_set(model);
  EXPECT_EQ(set.coordinate_limits.size(), 1u);
  return set.coordinate_limits.at(0);
}

TEST(CoordinateLimitForce, ReadsTheShippedAnkleLimitInSiUnitsAsConnectToModelConverts) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = test::load_opensim_model(kSpringModel);
  const CoordinateLimitSpec s = ankle_limit();
  EXPECT_EQ(model.coordinates[s.coordinate].name, "ankle_angle_r");
  EXPECT_DOUBLE_EQ(s.q_upper, 5 * kDeg);
  EXPECT_DOUBLE_EQ(s.q_lower, -90 * kDeg);
  EXPECT_DOUBLE_EQ(s.k_upper, 10 / kDeg);
  EXPECT_DOUBLE_EQ(s.k_lower, 1 / kDeg);
  EXPECT_DOUBLE_EQ(s.damping, 0.01 / kDeg);
  EXPECT_DOUBLE_EQ(s.transition, 2 * kDeg);
}

TEST(CoordinateLimitForce, IsZeroInsideTheLimitsAndAFullSpringFarBeyondThem) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const CoordinateLimitSpec s = ankle_limit();
  for (double deg = -89.9; deg < 4.99; deg += 0.37) {
    EXPECT_EQ(coordinate_limit_force(s, deg * kDeg, 0.0), 0.0) << deg;
    EXPECT_EQ(coordinate_limit_force(s, deg * kDeg, 3.0), 0.0) << deg;
  }
  // Beyond limit + transition: -K (q - limit), K in N*m/rad from N*m/deg.
  for (double deg : {7.0, 7.5, 12.0, 40.0}) {
    const double q = deg * kDeg;
    EXPECT_NEAR(coordinate_limit_force(s, q, 0.0), -10.0 / kDeg * (q - 5 * kDeg), 1e-9) << deg;
    EXPECT_NEAR(coordinate_limit_force(s, q, 0.0), -10.0 * (deg - 5.0), 1e-9) << deg;
  }
  for (double deg : {-92.0, -95.0, -120.0}) {
    EXPECT_NEAR(coordinate_limit_force(s, deg * kDeg, 0.0), -1.0 * (deg + 90.0), 1e-9) << deg;
  }
  // Inside the transition: between zero and the full spring, same sign.
  for (double deg = 5.05; deg < 7.0; deg += 0.1) {
    const double f = coordinate_limit_force(s, deg * kDeg, 0.0), full = -10.0 * (deg - 5.0);
    EXPECT_LT(f, 0.0);
    EXPECT_GT(f, full);
  }
}

TEST(CoordinateLimitForce, DampingOpposesVelocityOnlyBeyondALimit) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const CoordinateLimitSpec s = ankle_limit();
  for (double deg : {6.0, 10.0, -91.0, -100.0}) {
    const double q = deg * kDeg, f0 = coordinate_limit_force(s, q, 0.0);
    for (double qdot : {-2.0, -0.1, 0.3, 5.0}) {
      const double damp = coordinate_limit_force(s, q, qdot) - f0;
      EXPECT_LT(damp * qdot, 0.0) << deg << " " << qdot;
    }
  }
  // Fully engaged: damping 0.01 N*m/(deg/s) = 0.01/kDeg N*m/(rad/s).
  EXPECT_NEAR(coordinate_limit_force(s, 20 * kDeg, 1.0) - coordinate_limit_force(s, 20 * kDeg, 0.0),
              -0.01 / kDeg, 1e-12);
}

TEST(CoordinateLimitForce, IsMinusTheDerivativeOfItsPotentialEnergy) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const CoordinateLimitSpec s = ankle_limit();
  const double h = 1e-7;
  double worst = 0.0;
  for (double deg = -100.0; deg < 15.0; deg += 0.173) {
    const double q = deg * kDeg;
    const double dv = (coordinate_limit_potential_energy(s, q + h) - coordinate_limit_potential_energy(s, q - h)) / (2 * h);
    const double f = coordinate_limit_force(s, q, 0.0);
    worst = std::max(worst, std::abs(f + dv) / (1.0 + std::abs(f)));
  }
  EXPECT_LT(worst, 1e-6);
}

TEST(CoordinateLimitForce, HasAContinuousDerivativeAcrossTheTransitionEnds) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const CoordinateLimitSpec s = ankle_limit();
  const double h = 1e-6;
  auto slope = [&](double q, double side) {  // one-sided derivative
    return side * (coordinate_limit_force(s, q + side * h, 0.0) - coordinate_limit_force(s, q, 0.0)) / h;
  };
  for (double edge : {s.q_upper, s.q_upper + s.transition, s.q_lower, s.q_lower - s.transition}) {
    const double left = slope(edge, -1.0), right = slope(edge, 1.0);
    EXPECT_NEAR(left, right, 1e-3 * (1.0 + std::abs(left))) << edge;
  }
  // The stiffness reaches K at the outer end: slope -K there.
  EXPECT_NEAR(slope(s.q_upper + s.transition, 1.0), -s.k_upper, 1e-3 * s.k_upper);
  EXPECT_NEAR(slope(s.q_upper, 1.0), 0.0, 1e-3);
}

// OpenSim-free reference (issue 22 item 6): the force as OpenSim builds it
// (CoordinateLimitForce.cpp, connectToModel and calcLimitForce) from two SimTK::Function::Step
// curves, y = y0 + (y1 - y0) S((x - x0)/(x1 - x0)) clamped to [y0, y1] outside [x0, x1], with
// Simbody's stepUp S(u) = u^3 (10 - 15u + 6u^2) (SimTKcommon Scalar.h):
//   upStep = Step(0, K_up, q_up, q_up + dq), loStep = Step(K_low, 0, q_low - dq, q_low),
//   f = -upStep(q) (q - q_up) + loStep(q) (q_low - q) - c (upStep/K_up + loStep/K_low) qdot.
// femur writes the lower step as K_low S((q_low - q)/dq); the two agree because S(1-u) = 1 - S(u).
double simtk_step(double y0, double y1, double x0, double x1, double x) {
  if (x <= x0) return y0;
  if (x >= x1) return y1;
  const double u = (x - x0) / (x1 - x0);
  return y0 + (y1 - y0) * u * u * u * (10 - 15 * u + 6 * u * u);
}

TEST(CoordinateLimitForce, IsOpenSimsTwoStepFormulaAtChosenPoints) {
  CoordinateLimitSpec s;
  s.q_upper = 0.3;
  s.q_lower = -1.2;
  s.k_upper = 50.0;
  s.k_lower = 20.0;
  s.damping = 0.7;
  s.transition = 0.1;
  double worst = 0.0;
  int engaged = 0;
  for (double q : {-1.5, -1.32, -1.3, -1.27, -1.25, -1.21, -1.2, -1.15, 0.0, 0.3, 0.31, 0.33, 0.35, 0.37, 0.4, 0.6}) {
    for (double qdot : {0.0, 1.7, -0.4}) {
      const double up = simtk_step(0.0, s.k_upper, s.q_upper, s.q_upper + s.transition, q);
      const double low = simtk_step(s.k_lower, 0.0, s.q_lower - s.transition, s.q_lower, q);
      const double expected =
          -up * (q - s.q_upper) + low * (s.q_lower - q) - s.damping * (up / s.k_upper + low / s.k_lower) * qdot;
      const double f = coordinate_limit_force(s, q, qdot);
      EXPECT_NEAR(f, expected, 1e-14 * (1.0 + std::abs(expected))) << q << " " << qdot;
      worst = std::max(worst, std::abs(f - expected) / (1.0 + std::abs(expected)));
      engaged += expected != 0.0;
    }
  }
  EXPECT_EQ(engaged, 3 * (16 - 4));  // zero only at -1.2, -1.15, 0 and 0.3 (inside the limits)
  // Hand values: halfway through the upper transition S(1/2) = 1/2, so f = -25 * 0.05.
  EXPECT_NEAR(coordinate_limit_force(s, 0.35, 0.0), -1.25, 1e-14);
  // Fully engaged below the lower limit: f = 20 * 0.2 - 0.7 * 1.7.
  EXPECT_NEAR(coordinate_limit_force(s, -1.4, 1.7), 4.0 - 0.7 * 1.7, 1e-14);
  std::printf("CoordinateLimitForce vs OpenSim's formula: worst relative difference %.2g\n", worst);
}

TEST(PassiveForceSet, LeavesOutSkippedAndDisabledForces) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  Model model = test::load_opensim_model(kSpringModel);
  std::vector<char> skip(model.forces.size(), 0);
  for (std::size_t i = 0; i < model.forces.size(); ++i)
    skip[i] = std::holds_alternative<CoordinateLimitForce>(model.forces[i].part);
  EXPECT_TRUE(build_passive_force_set(model, skip).empty());
  for (ForceElement& f : model.forces)
    if (std::holds_alternative<CoordinateLimitForce>(f.part)) f.applies_force = false;
  EXPECT_TRUE(build_passive_force_set(model).empty());
}

TEST(PathSpring, TensionIsZeroWhenSlackAndGrowsWithStretchAndSpeed) {
  PathSpringSpec s;
  s.resting_length = 0.4;
  s.stiffness = 1e4;
  s.dissipation = 0.01;
  EXPECT_EQ(path_spring_tension(s, 0.39, 0.0), 0.0);
  EXPECT_EQ(path_spring_tension(s, 0.39, 2.0), 0.0);
  EXPECT_EQ(path_spring_tension(s, 0.4, -3.0), 0.0);
  EXPECT_NEAR(path_spring_tension(s, 0.41, 0.0), 100.0, 1e-9);
  EXPECT_NEAR(path_spring_tension(s, 0.41, 2.0), 100.0 * 1.02, 1e-9);
}

// At random gait10dof states with the resting length set below the path length (so the
// spring is taut), the generalized force with zero dissipation equals -dV/dq for
// V = 0.5 k (L - L0)^2, by central differences of the path length.
TEST(PathSpring, GeneralizedForceIsMinusThePotentialEnergyGradient) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = test::load_opensim_model(kPathSpringModel);
  const PathSet& paths = model.paths;
  PassiveForceSet set = build_passive_force_set(model);
  ASSERT_EQ(set.path_springs.size(), 1u);
  ASSERT_TRUE(set.coordinate_limits.empty());
  PathSpringSpec& s = set.path_springs[0];
  EXPECT_EQ(model.forces[s.force].name, "BiarticularSpringDamper");
  EXPECT_DOUBLE_EQ(s.resting_length, 0.4);
  EXPECT_DOUBLE_EQ(s.stiffness, 1e4);
  EXPECT_DOUBLE_EQ(s.dissipation, 0.01);
  s.dissipation = 0.0;

  Data data(model);
  PathData pd(model, paths), lo(model, paths), hi(model, paths);
  const double h = 1e-6;
  int checked = 0, taut = 0;
  double worst = 0.0;
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const test::State st = test::random_state(model, seed);
    compute_paths(model, paths, data, st.q, st.qdot, pd);
    const double L = pd.length[s.path];
    // Alternate taut and slack springs.
    s.resting_length = (seed % 2) ? L - 0.02 : L + 0.01;
    Eigen::VectorXd tau = Eigen::VectorXd::Zero(model.nv);
    add_passive_generalized_forces(model, set, st.q, st.qdot, &pd, tau);
    if (seed % 2 == 0) {
      EXPECT_EQ(tau.norm(), 0.0) << "slack spring, seed " << seed;
      continue;
    }
    ++taut;
    auto energy = [&](const Eigen::VectorXd& q, PathData& out) {
      test::path_lengths(model, paths, data, out, q);
      const double stretch = std::max(out.length[s.path] - s.resting_length, 0.0);
      return 0.5 * s.stiffness * stretch * stretch;
    };
    for (int k = 0; k < model.nq; ++k) {
      Eigen::VectorXd qp = st.q, qm = st.q;
      qp[k] += h;
      qm[k] -= h;
      const double vp = energy(qp, hi), vm = energy(qm, lo);
      if (test::path_signature(hi, s.path) != test::path_signature(lo, s.path)) continue;
      const double expected = -(vp - vm) / (2 * h);
      worst = std::max(worst, std::abs(tau[k] - expected));
      EXPECT_NEAR(tau[k], expected, 1e-4 * (1.0 + std::abs(expected))) << model.coordinates[k].name;
      ++checked;
    }
  }
  EXPECT_GT(taut, 5);
  EXPECT_GT(checked, 50);
  std::printf("PathSpring: %d coordinate checks, worst |tau + dV/dq| = %.3g N*m\n", checked, worst);
}

// OpenSim's ID applies every non-excluded force: tau = M qdd + C - G - applied. With the
// ankle limit included, each row differs from the excluded run by exactly minus the limit
// force at the spline's q and qdot (damping included) on ankle_angle_r, and by zero elsewhere.
TEST(InverseDynamicsWithCoordinateLimitForce, IsPlainInverseDynamicsMinusTheLimitForce) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  Model model = test::load_opensim_model(kSpringModel);
  // A lower upper limit so that the walk's ankle passes through and beyond the transition.
  for (ForceElement& f : model.forces)
    if (auto* c = std::get_if<CoordinateLimitForce>(&f.part)) c->upper_limit = -2;
  const io::Table ik = io::read_sto(test::opensim_file("Pipelines/Gait10dof18musc/OutputReference/IK/subject01_walk_IK.mot"));
  tools::InverseDynamicsOptions with, without;
  with.forces_to_exclude = {"MUSCLES"};
  without.forces_to_exclude = {"MUSCLES", "AnkleLimitSpringDamper"};
  const tools::InverseDynamicsResult a = tools::inverse_dynamics(model, ik, nullptr, with);
  const tools::InverseDynamicsResult b = tools::inverse_dynamics(model, ik, nullptr, without);
  ASSERT_EQ(a.generalized_forces.rows(), b.generalized_forces.rows());

  const PassiveForceSet set = build_passive_force_set(model);
  const CoordinateLimitSpec& s = set.coordinate_limits.at(0);
  const int col = ik.column("ankle_angle_r");
  ASSERT_GE(col, 0);
  Eigen::MatrixXd y = ik.data.col(col) * (ik.in_degrees ? kDeg : 1.0);
  const GcvSplineSet spline = fit_gcv_spline_set(5, ik.time, y, GcvSmoothing::interpolating());
  const int out_col = a.generalized_forces.column("ankle_angle_r_moment");
  ASSERT_GE(out_col, 0);
  int engaged = 0;
  double worst = 0.0, largest = 0.0;
  for (int i = 0; i < a.generalized_forces.rows(); ++i) {
    const FunctionValue v = spline.evaluate(0, a.generalized_forces.time[i]);
    const double f = coordinate_limit_force(s, v.f, v.df);
    if (f != 0.0) ++engaged;
    largest = std::max(largest, std::abs(f));
    for (int c = 0; c < a.generalized_forces.cols(); ++c) {
      const double diff = a.generalized_forces.data(i, c) - b.generalized_forces.data(i, c);
      const double expected = c == out_col ? -f : 0.0;
      worst = std::max(worst, std::abs(diff - expected));
      ASSERT_NEAR(diff, expected, 1e-9 * (1.0 + std::abs(f))) << "row " << i << " column " << c;
    }
  }
  EXPECT_GT(engaged, 10);
  std::printf("ID with limit force: %d of %d frames engaged, largest limit force %.3f N*m, worst error %.3g\n",
              engaged, static_cast<int>(a.generalized_forces.rows()), largest, worst);
}

// The same with the shipped PathSpring (knee and ankle): the difference is minus tension x
// moment arm at the spline's q and qdot, dissipation included.
TEST(InverseDynamicsWithPathSpring, IsPlainInverseDynamicsMinusTensionTimesMomentArm) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  Model model = test::load_opensim_model(kPathSpringModel);
  // A shorter resting length so the spring is taut through the walk.
  for (ForceElement& f : model.forces)
    if (auto* p = std::get_if<PathSpring>(&f.part)) p->resting_length = 0.38;
  const io::Table ik = io::read_sto(test::opensim_file("Pipelines/Gait10dof18musc/OutputReference/IK/subject01_walk_IK.mot"));
  tools::InverseDynamicsOptions with, without;
  with.forces_to_exclude = {"MUSCLES"};
  without.forces_to_exclude = {"MUSCLES", "BiarticularSpringDamper"};
  const tools::InverseDynamicsResult a = tools::inverse_dynamics(model, ik, nullptr, with);
  const tools::InverseDynamicsResult b = tools::inverse_dynamics(model, ik, nullptr, without);
  ASSERT_EQ(a.generalized_forces.rows(), b.generalized_forces.rows());

  const PathSet& paths = model.paths;
  const PassiveForceSet set = build_passive_force_set(model);
  const PathSpringSpec& s = set.path_springs.at(0);
  // q, qdot as the ID has them: every coordinate's column in radians, interpolating quintic.
  Eigen::MatrixXd y(ik.rows(), model.nq);
  for (int k = 0; k < model.nq; ++k) {
    const int col = ik.column(model.coordinates[k].name);
    ASSERT_GE(col, 0) << model.coordinates[k].name;
    const bool rot = model.coordinates[k].motion_type == MotionType::Rotational;
    y.col(k) = ik.data.col(col) * (ik.in_degrees && rot ? kDeg : 1.0);
  }
  const GcvSplineSet spline = fit_gcv_spline_set(5, ik.time, y, GcvSmoothing::interpolating());
  const std::vector<int> order = tools::coordinates_in_multibody_tree_order(model);
  Data data(model);
  PathData pd(model, paths);
  Eigen::VectorXd q(model.nq), qdot(model.nq);
  int taut = 0;
  double worst = 0.0, largest = 0.0;
  for (int i = 0; i < a.generalized_forces.rows(); ++i) {
    for (int k = 0; k < model.nq; ++k) {
      const FunctionValue v = spline.evaluate(k, a.generalized_forces.time[i]);
      q[k] = v.f;
      qdot[k] = v.df;
    }
    compute_paths(model, paths, data, q, qdot, pd);
    const double tension = path_spring_tension(s, pd.length[s.path], pd.speed[s.path]);
    if (tension > 0.0) ++taut;
    for (int c = 0; c < model.nq; ++c) {
      const int k = order[static_cast<std::size_t>(c)];
      const double expected = -tension * pd.moment_arm(s.path, k);
      const double diff = a.generalized_forces.data(i, c) - b.generalized_forces.data(i, c);
      largest = std::max(largest, std::abs(expected));
      worst = std::max(worst, std::abs(diff - expected));
      ASSERT_NEAR(diff, expected, 1e-9 * (1.0 + std::abs(expected))) << "row " << i << " " << model.coordinates[k].name;
    }
  }
  EXPECT_GT(taut, 10);
  EXPECT_GT(largest, 1.0);
  std::printf("ID with PathSpring: %d of %d frames taut, largest generalized force %.3f, worst error %.3g\n",
              taut, static_cast<int>(a.generalized_forces.rows()), largest, worst);
}

}  // namespace
}  // namespace femur
