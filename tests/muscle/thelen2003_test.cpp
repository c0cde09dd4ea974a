// Thelen2003Muscle: curves against Thelen (2003) J Biomech Eng 125:70-77 eqs. 2-7 computed
// here independently, derivatives vs finite differences, equilibrium over a grid, rigid vs
// stiff elastic tendon, activation dynamics, and the gait2392 muscles read from the .osim.
#include <gtest/gtest.h>

#include <cmath>

#include "femur/io/osim_reader.hpp"
#include "femur/muscle/muscle_model.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

MuscleParameters thelen_defaults() {
  MuscleParameters p = default_muscle_parameters(MuscleKind::Thelen2003);
  p.name = "test";
  p.max_isometric_force = 1000;
  p.optimal_fiber_length = 0.1;
  p.tendon_slack_length = 0.2;
  return p;
}

TEST(Thelen2003Curves, MatchThePublishedEquations) {
  const Thelen2003 m = make_thelen2003(thelen_defaults());
  for (double l = 0.3; l <= 1.8; l += 0.05) {
    EXPECT_NEAR(thelen_active_force_length(m, l), std::exp(-(l - 1) * (l - 1) / 0.45), 1e-15) << l;
    const double fpe = l > 1 ? (std::exp(5.0 * (l - 1) / 0.6) - 1) / (std::exp(5.0) - 1) : 0.0;
    EXPECT_NEAR(thelen_passive_force_length(m, l), fpe, 1e-14) << l;
  }
  // Tendon: toe region to e_toe = 0.609 e0 (Thelen's rounded value), linear beyond with slope
  // 0.67/(e0 - e_toe), continuous at the toe end, 1 at e0 = 0.04.
  const double e0 = 0.04;
  EXPECT_NEAR(m.e_toe, 0.609 * e0, 1e-3 * e0);  // the paper rounds to 3 digits
  EXPECT_NEAR(thelen_tendon_force_length(m, 1.0 + e0), 1.0, 1e-12);
  EXPECT_EQ(thelen_tendon_force_length(m, 0.99), 0.0);
  for (double e = 0.001; e < m.e_toe; e += 0.002) {
    const double expected = 0.33 / (std::exp(3.0) - 1) * (std::exp(3.0 * e / m.e_toe) - 1);
    EXPECT_NEAR(thelen_tendon_force_length(m, 1 + e), expected, 1e-13);
  }
  EXPECT_NEAR(thelen_tendon_force_length(m, 1 + m.e_toe - 1e-12), 0.33, 1e-9);
  EXPECT_NEAR(thelen_tendon_force_length(m, 1 + m.e_toe + 1e-12), 0.33, 1e-9);
}

TEST(Thelen2003Curves, ForceVelocityFollowsEquationsSixAndSeven) {
  const Thelen2003 m = make_thelen2003(thelen_defaults());
  const double a = 0.6, fal = 0.9, afl = a * fal, Af = 0.25, Flen = 1.4;
  // Concentric: v = (0.25 + 0.75 a)(F - afl) / (afl + F/Af).
  for (double F = 0.05; F < afl; F += 0.05) {
    const double expected = (0.25 + 0.75 * a) * (F - afl) / (afl + F / Af);
    EXPECT_NEAR(thelen_normalized_fiber_velocity(m, a, fal, F), expected, 1e-15);
  }
  // Eccentric: b = (2 + 2/Af)(afl Flen - F)/(Flen - 1).
  for (double F = afl + 0.01; F < 0.95 * Flen * afl; F += 0.02) {
    const double b = (2 + 2 / Af) * (afl * Flen - F) / (Flen - 1);
    EXPECT_NEAR(thelen_normalized_fiber_velocity(m, a, fal, F), (0.25 + 0.75 * a) * (F - afl) / b, 1e-14);
  }
  EXPECT_EQ(thelen_normalized_fiber_velocity(m, a, fal, afl), 0.0);  // isometric
  // The inverse returns f_V with v(a f_L f_V) = v.
  // The fastest shortening is -(0.25 + 0.75 a) (F = 0); faster gives f_V = 0 (calcfvInv clamps).
  for (double v = -0.65; v <= 0.9; v += 0.05) {
    const double fv = thelen_force_velocity_multiplier(m, a, fal, v);
    EXPECT_NEAR(thelen_normalized_fiber_velocity(m, a, fal, a * fal * fv), v, 1e-9) << v;
  }
  EXPECT_EQ(thelen_force_velocity_multiplier(m, a, fal, -0.9), 0.0);
}

TEST(Thelen2003Curves, DerivativesMatchFiniteDifferences) {
  const Thelen2003 m = make_thelen2003(thelen_defaults());
  const double h = 1e-7;
  for (double x = 0.5; x < 1.7; x += 0.0137) {
    double d = 0;
    thelen_active_force_length(m, x, &d);
    EXPECT_NEAR(d, (thelen_active_force_length(m, x + h) - thelen_active_force_length(m, x - h)) / (2 * h), 1e-7);
    thelen_passive_force_length(m, x, &d);
    if (std::abs(x - 1) > 2 * h) {
      EXPECT_NEAR(d, (thelen_passive_force_length(m, x + h) - thelen_passive_force_length(m, x - h)) / (2 * h), 1e-6);
    }
  }
  for (double x = 0.995; x < 1.06; x += 0.00123) {
    double d = 0;
    thelen_tendon_force_length(m, x, &d);
    if (std::abs(x - 1) > 2 * h && std::abs(x - 1 - m.e_toe) > 2 * h) {
      EXPECT_NEAR(d, (thelen_tendon_force_length(m, x + h) - thelen_tendon_force_length(m, x - h)) / (2 * h),
                  1e-5 * (1 + d));
    }
  }
  for (double F = -0.1; F < 0.9; F += 0.0173) {
    double d = 0;
    thelen_normalized_fiber_velocity(m, 0.7, 0.95, F, &d);
    const double fd = (thelen_normalized_fiber_velocity(m, 0.7, 0.95, F + h) -
                       thelen_normalized_fiber_velocity(m, 0.7, 0.95, F - h)) / (2 * h);
    EXPECT_NEAR(d, fd, 1e-5 * (1 + std::abs(d))) << F;
  }
}

TEST(Thelen2003, EquilibriumConvergesForGridOfActivationsLengthsAndSpeeds) {
  MuscleParameters p = thelen_defaults();
  p.pennation_angle_at_optimal = 0.25;
  const MuscleModel model(p);
  const double lmin = minimum_fiber_length(model);
  int fallbacks = 0;
  for (double a : {0.01, 0.05, 0.2, 0.5, 1.0}) {
    for (double L = 0.24; L <= 0.40; L += 0.01) {
      for (double V : {0.0, -0.2, 0.2}) {
        MuscleState s;
        const EquilibriumResult r = fiber_equilibrium(model, L, V, a, s);
        ASSERT_NE(r.status, EquilibriumStatus::Failed) << a << " " << L << " " << V;
        fallbacks += r.used_fallback;
        EXPECT_GE(s.fiber_length, lmin);
        EXPECT_LE(s.pennation_angle, std::acos(0.1) + 1e-12);
        if (r.status == EquilibriumStatus::Converged) {
          EXPECT_LT(std::abs(r.residual), 1e-9 * p.max_isometric_force) << a << " " << L << " " << V;
        }
      }
    }
  }
  RecordProperty("fallbacks", fallbacks);
}

TEST(Thelen2003, StaticEquilibriumStateBalancesWithUnitForceVelocity) {
  const MuscleModel model(thelen_defaults());
  MuscleState s;
  const auto r = fiber_equilibrium(model, 0.31, 0.0, 0.5, s);
  ASSERT_EQ(r.status, EquilibriumStatus::Converged);
  EXPECT_NEAR(s.force_velocity_multiplier, 1.0, 1e-8);
  EXPECT_NEAR(s.normalized_fiber_velocity, 0.0, 1e-8);
  EXPECT_NEAR(s.fiber_force * s.cos_pennation, s.tendon_force, 1e-6);
}

TEST(Thelen2003, RigidAndElasticTendonAgreeWhenTheTendonIsVeryStiff) {
  MuscleParameters p = thelen_defaults();
  p.fmax_tendon_strain = 1e-5;
  const MuscleModel m(p);
  for (double L = 0.29; L <= 0.33; L += 0.005) {
    MuscleState se, sr;
    ASSERT_EQ(fiber_equilibrium(m, L, 0.0, 0.5, se).status, EquilibriumStatus::Converged);
    rigid_tendon_state(m, L, 0.0, 0.5, sr);
    EXPECT_NEAR(se.fiber_length, sr.fiber_length, 2e-5 * 0.2) << L;
    EXPECT_NEAR(se.tendon_force, sr.tendon_force, 2e-3 * p.max_isometric_force) << L;
  }
}

TEST(Thelen2003, InextensibleTendonActiveForceIsFmaxTimesMultipliers) {
  MuscleParameters p = thelen_defaults();
  p.pennation_angle_at_optimal = 0.2;
  const Thelen2003 m = make_thelen2003(p);
  const double l = 0.11, v = -0.2;  // m, m/s
  const double lN = l / 0.1, vN = v / (0.1 * 10);
  const double fal = std::exp(-(lN - 1) * (lN - 1) / 0.45);
  const double fv = thelen_force_velocity_multiplier(m, 1.0, fal, vN);
  const double phi = std::asin(0.1 * std::sin(0.2) / l);
  EXPECT_NEAR(thelen_inextensible_tendon_active_fiber_force(m, l, v, 1.0), 1000 * fal * fv * std::cos(phi), 1e-9);
  EXPECT_LT(fv, 1.0);  // shortening
  EXPECT_EQ(thelen_inextensible_tendon_active_fiber_force(m, 0.5 * m.pennation.minimum_fiber_length, 0, 1), 0.0);
  // Through the closed set too.
  EXPECT_EQ(calc_inextensible_tendon_active_fiber_force(MuscleModel(p), l, v, 1.0),
            thelen_inextensible_tendon_active_fiber_force(m, l, v, 1.0));
}

TEST(Thelen2003, RigidTendonForceVelocityAgreesWithOpenSimNewtonInversion) {
  MuscleParameters p = thelen_defaults();
  p.pennation_angle_at_optimal = 0.3;
  const Thelen2003 m = make_thelen2003(p);
  for (double a : {0.02, 0.3, 1.0}) {
    for (double V = -1.5; V <= 1.5; V += 0.05) {  // m/s: beyond both ends of eq. 6
      MuscleState s;
      thelen_rigid_tendon_state(m, 0.3, V, a, s);
      const double fv = thelen_force_velocity_multiplier(m, a, s.active_force_length_multiplier,
                                                         s.normalized_fiber_velocity, 1e-12, 100);
      EXPECT_NEAR(s.force_velocity_multiplier, fv, 1e-9) << a << " " << V;
      EXPECT_NEAR(s.cos_pennation, std::cos(s.pennation_angle), 1e-15);
    }
  }
}

TEST(Thelen2003, ActivationDerivativeUsesThelenTimeConstants) {
  const Thelen2003 m = make_thelen2003(thelen_defaults());
  EXPECT_NEAR(thelen_activation_derivative(m, 0.2, 1.0), 0.8 / (0.015 * (0.5 + 0.3)), 1e-9);
  EXPECT_NEAR(thelen_activation_derivative(m, 0.6, 0.1), -0.5 * (0.5 + 0.9) / 0.050, 1e-9);
  // Activation below the minimum is clamped to 0.01 first.
  EXPECT_NEAR(thelen_activation_derivative(m, 0.0, 0.5), 0.49 / (0.015 * (0.5 + 0.015)), 1e-9);
}

TEST(Thelen2003, AllGait2392MusclesEquilibrateAtDefaultActivationOverTheirLengthRange) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = io::read_osim(test::opensim_file("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim"));
  const MuscleSet muscles(model);
  ASSERT_EQ(muscles.size(), 92);
  for (int i = 0; i < muscles.size(); ++i) {
    const auto& p = muscles.parameters(i);
    ASSERT_EQ(p.kind, MuscleKind::Thelen2003);
    // From slack tendon + short fiber to a stretched muscle.
    for (double s = 0.7; s <= 1.3; s += 0.05) {
      const double L = p.tendon_slack_length + s * p.optimal_fiber_length * std::cos(p.pennation_angle_at_optimal);
      for (double a : {0.01, 0.05, 1.0}) {
        MuscleState st;
        const auto r = fiber_equilibrium(muscles.model(i), L, 0.0, a, st);
        EXPECT_NE(r.status, EquilibriumStatus::Failed) << p.name << " L=" << L << " a=" << a;
        if (r.status == EquilibriumStatus::Converged) {
          EXPECT_LT(std::abs(r.residual), 1e-9 * p.max_isometric_force) << p.name;
        }
        EXPECT_GE(st.fiber_length, minimum_fiber_length(muscles.model(i)));
      }
    }
  }
}

}  // namespace
}  // namespace femur
