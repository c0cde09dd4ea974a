// The rigid-tendon fast path of Thelen2003: f_V in closed form from the fiber speed (written
// without a f_L, see thelen2003.cpp) against the forward relation it inverts, Thelen 2003
// eqs. 6-7 with OpenSim's linear extrapolation (thelen_normalized_fiber_velocity, the exact
// general path), over the whole velocity range including both extrapolated regions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "femur/muscle/muscle_model.hpp"

namespace femur {
namespace {

TEST(Thelen2003FastPath, RigidTendonForceVelocityInvertsEquationsSixAndSevenToRounding) {
  MuscleParameters p = default_muscle_parameters(MuscleKind::Thelen2003);
  p.optimal_fiber_length = 0.1;
  p.tendon_slack_length = 0.2;
  p.max_contraction_velocity = 10.0;
  p.pennation_angle_at_optimal = 0.0;  // fiber speed = path speed
  const Thelen2003 m = make_thelen2003(p);
  const double vscale = p.optimal_fiber_length * p.max_contraction_velocity;
  int eccentric_extrapolated = 0, concentric_zero = 0, checked = 0;
  for (double a : {0.01, 0.05, 0.3, 0.7, 1.0}) {
    for (double lN : {0.45, 0.7, 1.0, 1.3, 1.6}) {
      const double L = p.tendon_slack_length + lN * p.optimal_fiber_length;
      for (int k = 0; k <= 3000; ++k) {
        const double vN = -1.5 + 3.0 * k / 3000.0;
        MuscleState s;
        thelen_rigid_tendon_state(m, L, vN * vscale, a, s);
        ASSERT_FALSE(s.fiber_clamped);
        const double ca = thelen_clamp_activation(m, a), fal = s.active_force_length_multiplier;
        const double fv = s.force_velocity_multiplier;
        const double k_act = 0.25 + 0.75 * ca;
        if (fv == 0.0) {  // clamped at zero force: only at or beyond the concentric limit -k
          EXPECT_LE(s.normalized_fiber_velocity, -k_act * (1 - 1e-12));
          ++concentric_zero;
          continue;
        }
        const double v_back = thelen_normalized_fiber_velocity(m, ca, fal, ca * fal * fv);
        EXPECT_NEAR(v_back, s.normalized_fiber_velocity, 1e-12 * std::max(1.0, std::abs(v_back)))
            << a << " " << lN << " " << vN;
        eccentric_extrapolated += ca * fal * fv >= p.fv_linear_extrap_threshold * p.flen * ca * fal;
        ++checked;
      }
    }
  }
  // Every region was sampled.
  EXPECT_GT(eccentric_extrapolated, 100);
  EXPECT_GT(concentric_zero, 100);
  EXPECT_GT(checked, 10000);
}

}  // namespace
}  // namespace femur
