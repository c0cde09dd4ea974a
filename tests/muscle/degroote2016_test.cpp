// DeGrooteFregly2016Muscle: curves against De Groote et al. (2016) Ann Biomed Eng 44:2922-2936
// (supplementary eqs., constants b11..b43, c1..c3, d1..d4 written out here independently) and
// OpenSim's own check f_V(1) = 1.794 (testDeGrooteFregly2016Muscle.cpp),
// derivatives vs finite differences, equilibrium, activation dynamics.
#include <gtest/gtest.h>

#include <cmath>

#include "femur/muscle/muscle_model.hpp"

namespace femur {
namespace {

MuscleParameters degroote_defaults() {
  MuscleParameters p = default_muscle_parameters(MuscleKind::DeGrooteFregly2016);
  p.name = "test";
  p.max_isometric_force = 1000;
  p.optimal_fiber_length = 0.1;
  p.tendon_slack_length = 0.2;
  return p;
}

double gauss(double x, double b1, double b2, double b3, double b4) {
  return b1 * std::exp(-0.5 * (x - b2) * (x - b2) / ((b3 + b4 * x) * (b3 + b4 * x)));
}

TEST(DeGroote2016Curves, MatchThePaperEquations) {
  const DeGrooteFregly2016 m = make_degroote2016(degroote_defaults());
  for (double l = 0.3; l <= 1.8; l += 0.05) {
    const double fl = gauss(l, 0.815, 1.055, 0.162, 0.063) + gauss(l, 0.433, 0.717, -0.030, 0.200) +
                      gauss(l, 0.1, 1.0, 0.354, 0.0);
    EXPECT_NEAR(degroote_active_force_length(m, l), fl, 3e-3) << l;  // paper's 3-digit constants
    const double e0 = 0.6, off = std::exp(4.0 * (0.2 - 1) / e0);
    EXPECT_NEAR(degroote_passive_force_length(m, l), (std::exp(4.0 * (l - 1) / e0) - off) / (std::exp(4.0) - off), 1e-14);
  }
  EXPECT_NEAR(degroote_active_force_length(m, 1.0), 1.0, 2e-3);
  // (1 - e^(-16/3)) / (e^4 - e^(-16/3)): passes through 0 at l = 0.2, not at 1.
  EXPECT_NEAR(degroote_passive_force_length(m, 1.0), (1 - std::exp(-16.0 / 3)) / (std::exp(4.0) - std::exp(-16.0 / 3)), 1e-15);
  EXPECT_NEAR(degroote_passive_force_length(m, 0.2), 0.0, 1e-15);
  // Tendon: 0.2 exp(kT (l - 1)) - 0.2 with kT = ln(6)/0.049 ~ 35 (the paper uses 35).
  EXPECT_NEAR(m.kT, std::log(6.0) / 0.049, 1e-12);
  EXPECT_NEAR(m.kT, 35.0, 2.0);
  EXPECT_EQ(degroote_tendon_force_length(m, 1.0), 0.0);
  EXPECT_NEAR(degroote_tendon_force_length(m, 1.049), 1.0, 1e-12);
  for (double f = 0.0; f < 3.0; f += 0.1)
    EXPECT_NEAR(degroote_tendon_force_length(m, degroote_tendon_force_length_inverse(m, f)), f, 1e-12);
  // Force-velocity: d1 ln(d2 v + d3 + sqrt((d2 v + d3)^2 + 1)) + d4.
  const double d1 = -0.318, d2 = -8.149, d3 = -0.374, d4 = 0.886;
  for (double v = -1.0; v <= 1.0; v += 0.1) {
    const double z = d2 * v + d3;
    EXPECT_NEAR(degroote_force_velocity(v), d1 * std::log(z + std::sqrt(z * z + 1)) + d4, 1.5e-2) << v;
    EXPECT_NEAR(degroote_force_velocity_inverse(degroote_force_velocity(v)), v, 1e-12);
  }
  EXPECT_NEAR(degroote_force_velocity(0.0), 1.0, 1e-3);
  EXPECT_NEAR(degroote_force_velocity(-1.0), 0.0, 1e-3);
  EXPECT_NEAR(degroote_force_velocity(1.0), 1.794, 1e-3);
}

TEST(DeGroote2016Curves, DerivativesMatchFiniteDifferences) {
  MuscleParameters p = degroote_defaults();
  p.active_force_width_scale = 1.3;
  const DeGrooteFregly2016 m = make_degroote2016(p);
  const double h = 1e-7;
  for (double x = 0.3; x < 1.8; x += 0.0173) {
    double d = 0;
    degroote_active_force_length(m, x, &d);
    EXPECT_NEAR(d, (degroote_active_force_length(m, x + h) - degroote_active_force_length(m, x - h)) / (2 * h), 1e-6);
    degroote_passive_force_length(m, x, &d);
    EXPECT_NEAR(d, (degroote_passive_force_length(m, x + h) - degroote_passive_force_length(m, x - h)) / (2 * h),
                1e-6 * (1 + d));
  }
  for (double x = 0.99; x < 1.08; x += 0.0031) {
    double d = 0;
    degroote_tendon_force_length(m, x, &d);
    EXPECT_NEAR(d, (degroote_tendon_force_length(m, x + h) - degroote_tendon_force_length(m, x - h)) / (2 * h),
                1e-6 * (1 + d));
  }
  for (double v = -1.0; v <= 1.0; v += 0.037) {
    double d = 0;
    degroote_force_velocity(v, &d);
    EXPECT_NEAR(d, (degroote_force_velocity(v + h) - degroote_force_velocity(v - h)) / (2 * h), 1e-6 * (1 + d));
  }
}

TEST(DeGroote2016, EquilibriumBalancesFiberAndTendonForces) {
  MuscleParameters p = degroote_defaults();
  p.pennation_angle_at_optimal = 0.2;
  const MuscleModel model(p);
  for (double a : {0.01, 0.1, 0.5, 1.0}) {
    for (double L = 0.24; L <= 0.36; L += 0.01) {
      for (double V : {0.0, -0.3, 0.3}) {
        MuscleState s;
        const auto r = fiber_equilibrium(model, L, V, a, s);
        ASSERT_EQ(r.status, EquilibriumStatus::Converged) << a << " " << L << " " << V;
        EXPECT_LT(std::abs(r.residual), 1e-9 * p.max_isometric_force);
        EXPECT_NEAR(s.fiber_force * s.cos_pennation, s.tendon_force, 1e-8 * p.max_isometric_force);
        EXPECT_GE(s.normalized_fiber_length, 0.2);
      }
    }
  }
}

TEST(DeGroote2016, RigidAndElasticTendonAgreeWhenTheTendonIsVeryStiff) {
  MuscleParameters p = degroote_defaults();
  p.tendon_strain_at_one_norm_force = 1e-6;
  const MuscleModel m(p);
  for (double L = 0.29; L <= 0.32; L += 0.005) {
    MuscleState se, sr;
    ASSERT_EQ(fiber_equilibrium(m, L, 0.0, 0.5, se).status, EquilibriumStatus::Converged);
    rigid_tendon_state(m, L, 0.0, 0.5, sr);
    EXPECT_NEAR(se.fiber_length, sr.fiber_length, 1e-6) << L;
    EXPECT_NEAR(se.tendon_force, sr.tendon_force, 1e-3 * p.max_isometric_force) << L;
  }
}

TEST(DeGroote2016, ActivationDerivativeIsTheSmoothTanhBlend) {
  const DeGrooteFregly2016 m = make_degroote2016(degroote_defaults());
  for (double a : {0.05, 0.4, 0.9}) {
    for (double u : {0.0, 0.3, 1.0}) {
      const double f = 0.5 * std::tanh(0.1 * (u - a));
      const double z = 0.5 + 1.5 * a;
      const double expected = ((f + 0.5) / (0.015 * z) + (0.5 - f) * z / 0.060) * (u - a);
      EXPECT_NEAR(degroote_activation_derivative(m, a, u), expected, 1e-12);
    }
  }
  EXPECT_EQ(degroote_activation_derivative(m, 0.3, 0.3), 0.0);
}

TEST(DeGroote2016, InextensibleTendonActiveForceIsFmaxTimesMultipliers) {
  const DeGrooteFregly2016 m = make_degroote2016(degroote_defaults());
  const double l = 0.095, v = 0.1;
  EXPECT_NEAR(degroote_inextensible_tendon_active_fiber_force(m, l, v, 0.7),
              1000 * 0.7 * degroote_active_force_length(m, 0.95) * degroote_force_velocity(0.1), 1e-10);
}

// The curves at full precision (issue 22 item 6). De Groote et al. (2016) print 3-digit
// constants (checked above to their rounding); OpenSim's DeGrooteFregly2016Muscle.h takes the
// active force-length constants at full precision from the authors' code
// (https://simtk.org/projects/optcntrlmuscle) "rather than the paper supplement", with b11
// "modified to ensure that f(1) = 1", and adjusts d1, d4 of the force-velocity curve so that
// f_V(-1) = 0 and f_V(0) = 1. Here b11, d1 and d4 are derived from those two conditions
// rather than copied, the other constants are written out independently of femur's header,
// and the curves are the paper's equations (S2-S5) with OpenSim's width scale
// x = (l - 1)/scale + 1 and passive offset at l = 0.2.
TEST(DeGroote2016Curves, EvaluateThePaperEquationsAtFullPrecision) {
  const double b21 = 1.055033428970575, b31 = 0.162384573599574, b41 = 0.063303448465465;
  const double b12 = 0.433004984392647, b22 = 0.716775413397760, b32 = -0.029947116970696,
               b42 = 0.200356847296188;
  const double b13 = 0.1, b23 = 1.0, b33 = 0.5 * std::sqrt(0.5), b43 = 0.0;
  // f_L(1) = 1.
  const double b11 = (1.0 - gauss(1.0, b12, b22, b32, b42) - gauss(1.0, b13, b23, b33, b43)) /
                     gauss(1.0, 1.0, b21, b31, b41);
  EXPECT_NEAR(b11, 0.8150671134243542, 2e-16);  // OpenSim's printed value
  // f_V(v) = d1 asinh(d2 v + d3) + d4 with f_V(0) = 1 and f_V(-1) = 0.
  const double d2 = -8.149, d3 = -0.374;
  const double d1 = -1.0 / (std::asinh(-d2 + d3) - std::asinh(d3));
  const double d4 = 1.0 - d1 * std::asinh(d3);
  EXPECT_NEAR(d1, -0.3211346127989808, 2e-16);
  EXPECT_NEAR(d4, 0.8825327733249912, 2e-16);

  double worst = 0.0;
  const auto check = [&](double got, double expected, const char* what, double x) {
    EXPECT_NEAR(got, expected, 1e-14 * (1.0 + std::abs(expected))) << what << " at " << x;
    worst = std::max(worst, std::abs(got - expected) / (1.0 + std::abs(expected)));
  };
  for (double scale : {1.0, 1.3}) {
    MuscleParameters p = degroote_defaults();
    p.active_force_width_scale = scale;
    p.passive_fiber_strain_at_one_norm_force = 0.55;
    p.tendon_strain_at_one_norm_force = 0.06;
    const DeGrooteFregly2016 m = make_degroote2016(p);
    for (double l : {0.45, 0.7, 0.93, 1.0, 1.25, 1.6}) {
      const double x = (l - 1.0) / scale + 1.0;
      check(degroote_active_force_length(m, l),
            gauss(x, b11, b21, b31, b41) + gauss(x, b12, b22, b32, b42) + gauss(x, b13, b23, b33, b43), "f_L", l);
      const double e0 = 0.55, off = std::exp(4.0 * (0.2 - 1.0) / e0);
      check(degroote_passive_force_length(m, l), (std::exp(4.0 * (l - 1.0) / e0) - off) / (std::exp(4.0) - off),
            "f_PE", l);
    }
    // Tendon (eq. S1 with OpenSim's c1 = 0.2, c2 = 1, c3 = 0.2 and kT from the strain at
    // one normalized force: f_T(1 + eT) = 1).
    const double kT = std::log(1.2 / 0.2) / 0.06;
    for (double lt : {0.98, 1.0, 1.02, 1.06, 1.09})
      check(degroote_tendon_force_length(m, lt), 0.2 * std::exp(kT * (lt - 1.0)) - 0.2, "f_T", lt);
    check(degroote_tendon_force_length(m, 1.06), 1.0, "f_T(1 + eT) = 1", 1.06);
  }
  for (double v : {-1.0, -0.5, -0.1, 0.0, 0.3, 1.0})
    check(degroote_force_velocity(v), d1 * std::asinh(d2 * v + d3) + d4, "f_V", v);
  check(degroote_force_velocity(0.0), 1.0, "f_V(0) = 1", 0.0);
  check(degroote_force_velocity(-1.0), 0.0, "f_V(-1) = 0", -1.0);
  std::printf("DeGroote curves vs the paper's equations: worst relative difference %.2g\n", worst);
}

}  // namespace
}  // namespace femur
