// Millard2012EquilibriumMuscle: curves at their defining points (Millard et al. 2013, Appendix;
// SmoothSegmentedFunctionFactory), derivatives vs finite differences, equilibrium, and the
// OpenSim 4.6 MuscleAnalysis of gait10dof18musc (Generated/Gait10dof18musc/MuscleAnalysis).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "femur/io/osim_reader.hpp"
#include "femur/io/table.hpp"
#include "femur/math/gcv_spline.hpp"
#include "femur/muscle/muscle_model.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

MuscleParameters millard_defaults() {
  MuscleParameters p = default_muscle_parameters(MuscleKind::Millard2012);
  p.name = "test";
  p.max_isometric_force = 1000;
  p.optimal_fiber_length = 0.1;
  p.tendon_slack_length = 0.2;
  return p;
}

TEST(MillardCurves, ActiveForceLengthIsZeroBelowMinimumOneAtOptimalAndFlatThere) {
  ActiveForceLengthCurveParameters c;
  c.minimum_value = 0.0;
  const auto f = make_millard_active_force_length_curve(c);
  EXPECT_EQ(f.value(0.3), 0.0);
  EXPECT_NEAR(f.value(c.min_norm_active_fiber_length), 0.0, 1e-15);
  EXPECT_NEAR(f.value(1.0), 1.0, 1e-14);
  EXPECT_NEAR(f.derivative(1.0), 0.0, 1e-12);
  EXPECT_NEAR(f.value(c.max_norm_active_fiber_length), 0.0, 1e-15);
  EXPECT_EQ(f.value(2.0), 0.0);
  for (double x = 0.45; x < 1.81; x += 0.01) {
    EXPECT_GE(f.value(x), -1e-15);
    EXPECT_LE(f.value(x), 1.0 + 1e-12);
  }
  // With a minimum value the curve is lifted at both ends.
  c.minimum_value = 0.1;
  const auto g = make_millard_active_force_length_curve(c);
  EXPECT_NEAR(g.value(0.3), 0.1, 1e-15);
  EXPECT_NEAR(g.value(1.9), 0.1, 1e-15);
}

TEST(MillardCurves, ForceVelocityPassesThroughItsDefiningPointsAndSlopes) {
  ForceVelocityCurveParameters c;
  const auto f = make_millard_force_velocity_curve(c);
  EXPECT_NEAR(f.value(-1.0), 0.0, 1e-15);
  EXPECT_NEAR(f.value(0.0), 1.0, 1e-14);
  EXPECT_NEAR(f.derivative(0.0), c.isometric_slope, 1e-10);
  EXPECT_NEAR(f.value(1.0), c.max_eccentric_velocity_force_multiplier, 1e-14);
  EXPECT_NEAR(f.derivative(-1.0), c.concentric_slope_at_vmax, 1e-10);
  EXPECT_NEAR(f.derivative(1.0), c.eccentric_slope_at_vmax, 1e-10);
  // -0.9 and 0.9 are the "near vmax" points with their slopes.
  EXPECT_NEAR(f.derivative(-0.9), c.concentric_slope_near_vmax, 1e-10);
  EXPECT_NEAR(f.derivative(0.9), c.eccentric_slope_near_vmax, 1e-10);
  // The inverse curve undoes the curve with the same end slopes.
  ForceVelocityCurveParameters ci = c;
  ci.concentric_slope_at_vmax = ci.eccentric_slope_at_vmax = 0.1;
  const auto fc = make_millard_force_velocity_curve(ci);
  const auto inv = make_millard_force_velocity_inverse_curve(ci);
  for (double v = -0.99; v < 1.0; v += 0.03) EXPECT_NEAR(inv.value(fc.value(v)), v, 1e-12) << v;
}

TEST(MillardCurves, PassiveAndTendonCurvesReachOneAtTheirStrainsWithTheirStiffness) {
  FiberForceLengthCurveParameters fp;
  const auto fpe = make_millard_fiber_force_length_curve(fp);
  EXPECT_EQ(fpe.value(0.9), 0.0);
  EXPECT_NEAR(fpe.value(1.0), 0.0, 1e-15);
  EXPECT_NEAR(fpe.value(1.7), 1.0, 1e-14);
  EXPECT_NEAR(fpe.derivative(1.7), 2.0 / 0.7, 1e-9);
  EXPECT_NEAR(fpe.value(1.8), 1.0 + 0.1 * 2.0 / 0.7, 1e-12);  // linear beyond
  TendonForceLengthCurveParameters tp;
  const auto fse = make_millard_tendon_force_length_curve(tp);
  EXPECT_EQ(fse.value(0.99), 0.0);
  EXPECT_NEAR(fse.value(1.049), 1.0, 1e-12);
  EXPECT_NEAR(fse.derivative(1.049), 1.375 / 0.049, 1e-9);
  EXPECT_NEAR(fse.derivative(1.0), 0.0, 1e-12);
  // Toe end: force 2/3 where the linear part begins.
  const double x_toe = (2.0 / 3.0 - 1.0) / (1.375 / 0.049) + 1.049;
  EXPECT_NEAR(fse.value(x_toe), 2.0 / 3.0, 1e-12);
}

TEST(MillardCurves, FirstAndSecondDerivativesMatchFiniteDifferences) {
  const Millard2012 m = make_millard2012(millard_defaults());
  const SmoothSegmentedCurve* curves[] = {&m.active_force_length, &m.force_velocity, &m.fiber_force_length,
                                          &m.tendon_force_length, &m.force_velocity_inverse};
  for (const auto* c : curves) {
    const double a = c->x0 - 0.05 * (c->x1 - c->x0), b = c->x1 + 0.05 * (c->x1 - c->x0);
    for (int k = 1; k < 200; ++k) {
      const double x = a + (b - a) * (k + 0.37) / 200.0;  // off the segment joins
      const double h = 1e-6 * (c->x1 - c->x0);
      const double fd1 = (c->value(x + h) - c->value(x - h)) / (2 * h);
      const double fd2 = (c->derivative(x + h, 1) - c->derivative(x - h, 1)) / (2 * h);
      const double d1 = c->derivative(x, 1), d2 = c->derivative(x, 2);
      EXPECT_NEAR(d1, fd1, 1e-6 * (1 + std::abs(d1))) << x;
      EXPECT_NEAR(d2, fd2, 1e-4 * (1 + std::abs(d2))) << x;
    }
  }
}

TEST(Millard2012, EquilibriumBalancesFiberAndTendonForGridOfActivationsLengthsAndSpeeds) {
  for (double damping : {0.1, 0.0}) {
    MuscleParameters p = millard_defaults();
    p.fiber_damping = damping;
    p.pennation_angle_at_optimal = 0.3;
    const MuscleModel model(p);
    const double lmin = minimum_fiber_length(model);
    for (double a : {0.01, 0.05, 0.2, 0.5, 1.0}) {
      for (double L = 0.22; L <= 0.40; L += 0.01) {
        for (double V : {0.0, -0.3, 0.3}) {
          MuscleState s;
          const EquilibriumResult r = fiber_equilibrium(model, L, V, a, s);
          ASSERT_NE(r.status, EquilibriumStatus::Failed) << a << " " << L << " " << V;
          EXPECT_GE(s.fiber_length, lmin - 1e-15);
          EXPECT_LT(s.pennation_angle, std::acos(0.1) + 1e-12);
          if (r.status == EquilibriumStatus::Converged) {
            EXPECT_LT(std::abs(r.residual), 1e-9 * p.max_isometric_force) << a << " " << L << " " << V;
            // The state recomputed from the fiber length balances exactly.
            EXPECT_NEAR(s.fiber_force * s.cos_pennation, s.tendon_force, 1e-7 * p.max_isometric_force);
          }
        }
      }
    }
  }
}

TEST(Millard2012, RigidAndElasticTendonAgreeWhenTheTendonIsVeryStiff) {
  MuscleParameters p = millard_defaults();
  p.tendon_force_length.strain_at_one_norm_force = 1e-5;
  const MuscleModel elastic(p);
  p.ignore_tendon_compliance = true;
  const MuscleModel rigid(p);
  for (double L = 0.29; L <= 0.33; L += 0.005) {
    MuscleState se, sr;
    fiber_equilibrium(elastic, L, 0.0, 0.5, se);
    rigid_tendon_state(rigid, L, 0.0, 0.5, sr);
    EXPECT_NEAR(se.fiber_length, sr.fiber_length, 2e-5 * 0.2) << L;
    EXPECT_NEAR(se.tendon_force, sr.tendon_force, 2e-3 * p.max_isometric_force) << L;
  }
}

TEST(Millard2012, ActivationDerivativeFollowsFirstOrderDynamics) {
  const Millard2012 m = make_millard2012(millard_defaults());
  // u > a: (u - a) / (tau_a (0.5 + 1.5 a)); u < a: (u - a)(0.5 + 1.5 a) / tau_d.
  EXPECT_NEAR(millard_activation_derivative(m, 0.2, 0.7), 0.5 / (0.010 * (0.5 + 0.3)), 1e-9);
  EXPECT_NEAR(millard_activation_derivative(m, 0.7, 0.2), -0.5 * (0.5 + 1.05) / 0.040, 1e-9);
  EXPECT_NEAR(millard_activation_derivative(m, 0.0, 0.0), 0.0, 1e-12);  // both clamped to 0.01
}

// --- OpenSim 4.6 reference: gait10dof18musc MuscleAnalysis at fiber equilibrium, a = 0.05 ---
struct Reference {
  io::Table length, fiber_length, norm_fiber_length, tendon_length, pennation, active, passive, tendon_force;
};

Reference load_reference() {
  const auto dir = test::opensim_file("Generated/Gait10dof18musc/MuscleAnalysis");
  auto rd = [&](const char* q) {
    return io::read_sto(dir / (std::string("gait10dof18musc_walk_MuscleAnalysis_") + q + ".sto"));
  };
  return {rd("Length"), rd("FiberLength"), rd("NormalizedFiberLength"), rd("TendonLength"),
          rd("PennationAngle"), rd("ActiveFiberForce"), rd("PassiveFiberForce"), rd("TendonForce")};
}

double rel(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-3); }

TEST(Millard2012Reference, StateFromOpenSimFiberLengthGivesItsForcesTendonAndPennation) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = io::read_osim(test::opensim_file("Pipelines/Gait10dof18musc/OutputReference/subject01.osim"));
  const MuscleSet muscles(model);
  ASSERT_EQ(muscles.size(), 18);
  const Reference ref = load_reference();
  double worst = 0;
  for (int i = 0; i < muscles.size(); ++i) {
    const auto& name = muscles.parameters(i).name;
    const int c = ref.length.column(name);
    ASSERT_GE(c, 0) << name;
    const auto& m = std::get<Millard2012>(muscles.model(i).variant());
    for (int r = 0; r < ref.length.rows(); ++r) {
      MuscleState s;
      const double a = muscles.parameters(i).default_activation;
      millard_elastic_state(m, ref.length.data(r, c), a, ref.fiber_length.data(r, c), s);
      // The files print 10 significant digits; the worst of these six is 1.4e-8 (asserted 1e-7).
      const double e[] = {rel(s.normalized_fiber_length, ref.norm_fiber_length.data(r, c)),
                          rel(s.tendon_length, ref.tendon_length.data(r, c)),
                          std::abs(s.pennation_angle - ref.pennation.data(r, c)),
                          std::abs(s.tendon_force - ref.tendon_force.data(r, c)) / m.p.max_isometric_force,
                          std::abs(s.active_fiber_force - ref.active.data(r, c)) / m.p.max_isometric_force,
                          std::abs(s.passive_fiber_force - ref.passive.data(r, c)) / m.p.max_isometric_force};
      for (double x : e) worst = std::max(worst, x);
      EXPECT_LT(e[3], 1e-7) << name << " row " << r << " tendon force " << s.tendon_force << " vs "
                            << ref.tendon_force.data(r, c);
      EXPECT_LT(e[4], 1e-7) << name << " row " << r << " active " << s.active_fiber_force << " vs "
                            << ref.active.data(r, c);
      EXPECT_LT(e[5], 1e-7) << name << " row " << r << " passive " << s.passive_fiber_force << " vs "
                            << ref.passive.data(r, c);
      EXPECT_LT(e[0], 1e-7) << name << " row " << r;
      EXPECT_LT(e[1], 1e-7) << name << " row " << r;
      EXPECT_LT(e[2], 1e-7) << name << " row " << r;
    }
  }
  std::printf("[ reference ] worst relative difference given OpenSim's fiber length: %.3g\n", worst);
}

TEST(Millard2012Reference, EquilibriumAtZeroSpeedGivesOpenSimFiberLength) {
  // MuscleAnalysis with solve_for_equilibrium solved the fiber at zero path speed: the static
  // solution reproduces its fiber lengths to the 10 printed digits, while the path speed taken
  // from the interpolating quintic spline of the length (what a moving-state solve would use)
  // moves them by up to a few per cent with the damped fiber.
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = io::read_osim(test::opensim_file("Pipelines/Gait10dof18musc/OutputReference/subject01.osim"));
  const MuscleSet muscles(model);
  const Reference ref = load_reference();
  double worst_static = 0, worst_speed = 0, worst_force = 0;
  int n = 0;
  for (int i = 0; i < muscles.size(); ++i) {
    const auto& p = muscles.parameters(i);
    const int c = ref.length.column(p.name);
    const GcvSpline spline =
        fit_gcv_spline(5, ref.length.time, ref.length.data.col(c), GcvSmoothing::error_variance(0.0));
    for (int r = 0; r < ref.length.rows(); ++r) {
      const double L = ref.length.data(r, c), V = spline.derivative(1, ref.length.time[r]);
      MuscleState s0, s1;
      const auto r0 = fiber_equilibrium(muscles.model(i), L, 0.0, p.default_activation, s0);
      fiber_equilibrium(muscles.model(i), L, V, p.default_activation, s1);
      ASSERT_EQ(r0.status, EquilibriumStatus::Converged) << p.name << " row " << r;
      const double lref = ref.fiber_length.data(r, c);
      // Measured 4.8e-9 relative and 9.8e-9 F0 (docs/validation.md), asserted at 8x.
      EXPECT_LT(rel(s0.fiber_length, lref), 4e-8) << p.name << " row " << r;
      EXPECT_LT(std::abs(s0.tendon_force - ref.tendon_force.data(r, c)), 8e-8 * p.max_isometric_force)
          << p.name << " row " << r;
      worst_force = std::max(worst_force, std::abs(s0.tendon_force - ref.tendon_force.data(r, c)) / p.max_isometric_force);
      worst_speed = std::max(worst_speed, rel(s1.fiber_length, lref));
      worst_static = std::max(worst_static, rel(s0.fiber_length, lref));
      ++n;
    }
  }
  std::printf("[ reference ] %d states: fiber length vs OpenSim, worst relative %.3g at zero speed "
              "(tendon force %.3g F0); %.3g with the spline path speed\n", n, worst_static, worst_force, worst_speed);
}

}  // namespace
}  // namespace femur
