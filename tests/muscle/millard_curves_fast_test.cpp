// The fast inverse of the Millard curves (Hermite start + Newton on the exact Bezier, and the
// three-curve lockstep form the rigid-tendon state uses) against the general safeguarded
// Newton (value_reference) over each curve's whole domain: dense sampling, the ends, every
// segment join and cell bound, and the linear extrapolation on both sides.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "femur/muscle/millard2012.hpp"
#include "femur/muscle/muscle_model.hpp"

namespace femur {
namespace {

// The curve sets a Millard muscle builds: OpenSim's defaults in both modes of buildMuscle
// (elastic undamped: f_L minimum 0.1, f_V end slopes 0.1; otherwise 0 and 0), and a set with
// every optional property given and unusual curviness, so that corners of other shapes are
// checked too.
std::vector<SmoothSegmentedCurve> curves_to_check() {
  std::vector<SmoothSegmentedCurve> out;
  for (int variant = 0; variant < 3; ++variant) {
    ActiveForceLengthCurveParameters afl;
    ForceVelocityCurveParameters fv;
    FiberForceLengthCurveParameters fpe;
    TendonForceLengthCurveParameters fse;
    if (variant == 0) {
      afl.minimum_value = 0.0;
      fv.concentric_slope_at_vmax = fv.eccentric_slope_at_vmax = 0.0;
    } else if (variant == 1) {
      afl.minimum_value = 0.1;
      fv.concentric_slope_at_vmax = fv.eccentric_slope_at_vmax = 0.1;
    } else {
      afl.min_norm_active_fiber_length = 0.5;
      afl.transition_norm_fiber_length = 0.8;
      afl.max_norm_active_fiber_length = 1.6;
      afl.shallow_ascending_slope = 1.2;
      fv.concentric_curviness = 0.05;
      fv.eccentric_curviness = 1.0;
      fv.max_eccentric_velocity_force_multiplier = 1.8;
      fv.isometric_slope = 8.0;
      fpe.strain_at_one_norm_force = 0.5;
      fpe.stiffness_at_low_force = 0.05;
      fpe.stiffness_at_one_norm_force = 6.0;
      fpe.curviness = 0.0;
      fse.strain_at_one_norm_force = 0.1;
      fse.stiffness_at_one_norm_force = 25.0;
      fse.norm_force_at_toe_end = 0.5;
      fse.curviness = 1.0;
    }
    ForceVelocityCurveParameters fv_inv = fv;
    fv_inv.concentric_slope_at_vmax = fv_inv.eccentric_slope_at_vmax = 0.1;
    out.push_back(make_millard_active_force_length_curve(afl));
    out.push_back(make_millard_force_velocity_curve(fv));
    out.push_back(make_millard_force_velocity_inverse_curve(fv_inv));
    out.push_back(make_millard_fiber_force_length_curve(fpe));
    out.push_back(make_millard_tendon_force_length_curve(fse));
  }
  return out;
}

// Sample points: 20,001 spread over [x0 - 10%, x1 + 10%], the ends and their neighbours, every
// segment join and every cell bound of the inverse table.
std::vector<double> sample_points(const SmoothSegmentedCurve& c) {
  std::vector<double> xs;
  const double span = c.x1 - c.x0;
  for (int k = 0; k <= 20000; ++k) xs.push_back(c.x0 - 0.1 * span + 1.2 * span * k / 20000.0);
  for (double x : {c.x0, c.x1}) {
    xs.push_back(x);
    xs.push_back(std::nextafter(x, -1e300));
    xs.push_back(std::nextafter(x, 1e300));
  }
  for (int i = 0; i < c.table->count; ++i)
    for (double x : c.table->segments[i].x_at) {
      xs.push_back(x);
      xs.push_back(std::nextafter(x, -1e300));
      xs.push_back(std::nextafter(x, 1e300));
    }
  return xs;
}

TEST(MillardCurveFastInverse, EveryFactoryCurvePassesTheConstructionCheck) {
  for (const auto& c : curves_to_check()) EXPECT_TRUE(c.fast_inverse()) << c.x0 << " " << c.x1;
}

TEST(MillardCurveFastInverse, ValuesMatchTheSafeguardedNewtonToRoundingOverTheWholeDomain) {
  double worst = 0;
  for (const auto& c : curves_to_check()) {
    for (double x : sample_points(c)) {
      const double fast = c.value(x), ref = c.value_reference(x);
      // 1e-12 of the value, or of the curve's unit scale where the value passes through zero.
      EXPECT_NEAR(fast, ref, 1e-12 * std::max(1.0, std::abs(ref))) << x;
      worst = std::max(worst, std::abs(fast - ref) / std::max(1.0, std::abs(ref)));
    }
  }
  std::printf("largest |fast - reference| / max(1, |reference|): %.2e\n", worst);
}

TEST(MillardCurveFastInverse, DerivativesMatchTheSafeguardedNewton) {
  for (const auto& c : curves_to_check()) {
    for (double x : sample_points(c)) {
      const double d1 = c.derivative(x, 1), r1 = c.derivative_reference(x, 1);
      EXPECT_NEAR(d1, r1, 1e-10 * std::max(1.0, std::abs(r1))) << x;
      const double d2 = c.derivative(x, 2), r2 = c.derivative_reference(x, 2);
      EXPECT_NEAR(d2, r2, 1e-8 * std::max(1.0, std::abs(r2))) << x;
    }
  }
}

TEST(MillardCurveFastInverse, ThreeCurvesInLockstepGiveExactlyTheSingleCurveValues) {
  const auto cs = curves_to_check();
  for (std::size_t i = 0; i + 2 < cs.size(); ++i) {
    const auto xa = sample_points(cs[i]), xb = sample_points(cs[i + 1]), xc = sample_points(cs[i + 2]);
    const std::size_t n = std::min({xa.size(), xb.size(), xc.size()});
    for (std::size_t k = 0; k < n; k += 7) {
      double out[3];
      smooth_segmented_values3(cs[i], xa[k], cs[i + 1], xb[(k * 13) % n], cs[i + 2], xc[(k * 29) % n], out);
      EXPECT_EQ(out[0], cs[i].value(xa[k]));
      EXPECT_EQ(out[1], cs[i + 1].value(xb[(k * 13) % n]));
      EXPECT_EQ(out[2], cs[i + 2].value(xc[(k * 29) % n]));
    }
  }
}

TEST(MillardCurveFastInverse, CurvesWithTheSameControlPointsShareOneTable) {
  ActiveForceLengthCurveParameters a, b;
  b.minimum_value = 0.0;
  const auto c1 = make_millard_active_force_length_curve(a), c2 = make_millard_active_force_length_curve(a);
  const auto c3 = make_millard_active_force_length_curve(b);
  EXPECT_EQ(c1.table.get(), c2.table.get());
  EXPECT_NE(c1.table.get(), c3.table.get());
}

// The rigid-tendon state's multipliers are the single-curve values at its fiber length and speed.
TEST(MillardCurveFastInverse, RigidTendonStateUsesTheCurveValues) {
  MuscleParameters p = default_muscle_parameters(MuscleKind::Millard2012);
  p.optimal_fiber_length = 0.1;
  p.tendon_slack_length = 0.2;
  p.pennation_angle_at_optimal = 0.2;
  p.ignore_tendon_compliance = true;
  const Millard2012 m = make_millard2012(p);
  for (double L = 0.22; L <= 0.36; L += 0.002) {
    for (double V : {-0.9, -0.2, 0.0, 0.3, 1.2}) {
      MuscleState s;
      millard_rigid_tendon_state(m, L, V, 0.5, s);
      EXPECT_EQ(s.passive_force_multiplier, m.fiber_force_length.value(s.normalized_fiber_length));
      EXPECT_EQ(s.active_force_length_multiplier, m.active_force_length.value(s.normalized_fiber_length));
      if (!s.fiber_clamped && s.normalized_tendon_length >= 1.0 - 1e-13) {
        EXPECT_EQ(s.force_velocity_multiplier, m.force_velocity.value(s.normalized_fiber_velocity));
      }
      EXPECT_NEAR(s.cos_pennation, std::cos(s.pennation_angle), 1e-15);
    }
  }
}

}  // namespace
}  // namespace femur
