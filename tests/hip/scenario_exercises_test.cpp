// The exercise scenarios (straight-leg-raise, resisted-hip-flexion) at reduced resolution,
// checked for directions and magnitudes rather than fixed outputs.
#include <cmath>
#include <stdexcept>

#include <gtest/gtest.h>

#include "femur/hip/hip_model.hpp"
#include "femur/hip/scenario.hpp"

namespace femur::hip {
namespace {

const Model& exercise_model() {
  static const Model m = build_hip_model();
  return m;
}

ScenarioResult run_exercise(const std::string& name, const std::vector<std::string>& sets) {
  const ScenarioInfo& s = require_scenario(name);
  return run_scenario(s, exercise_model(), resolve_parameters(s, sets));
}

double value(const ScenarioResult& r, const std::string& label) {
  for (const Number& n : r.numbers)
    if (n.label == label) return n.value;
  throw std::runtime_error("no number '" + label + "'");
}

TEST(StraightLegRaise, PsoasRaisesTheL5S1Load) {
  const ScenarioResult with = run_exercise("straight-leg-raise", {"points=3"});
  const ScenarioResult without = run_exercise("straight-leg-raise", {"points=3", "psoas_strength=0"});
  EXPECT_GT(value(with, "peak psoas force"), 50.0);
  EXPECT_NEAR(value(without, "peak psoas force"), 0.0, 1e-9);
  EXPECT_GT(value(with, "peak L5/S1 compression"), value(without, "peak L5/S1 compression") + 20.0);
  // The scenario's own psoas-removed comparison agrees with the removed-psoas run.
  EXPECT_NEAR(value(with, "peak L5/S1 compression, psoas removed"), value(without, "peak L5/S1 compression"), 1.0);
  EXPECT_GT(value(with, "L5/S1 compression added by psoas"), 20.0);
}

TEST(StraightLegRaise, TheTopAngleLiftsTheHeelTwentyCentimetresAndTheLegIsHeldByMuscles) {
  const ScenarioResult r = run_exercise("straight-leg-raise", {"points=3"});
  // A ~0.9 m hip-to-heel lever: asin(0.2 / 0.9) ~ 13 degrees.
  EXPECT_GT(value(r, "hip flexion at top"), 8.0);
  EXPECT_LT(value(r, "hip flexion at top"), 20.0);
  EXPECT_GT(value(r, "peak hip flexion moment"), 20.0);  // a ~12 kg leg on a ~0.4 m lever
  EXPECT_LT(value(r, "largest reserve at hip/knee/lumbar"), 1.0);
  EXPECT_GT(value(r, "peak quadriceps force"), 0.0);
  EXPECT_LT(value(r, "largest inertial hip moment"), 0.1 * value(r, "peak hip flexion moment"));
  // Totals: impulse of the peak force cannot exceed peak x (4 s x 30 repetitions).
  EXPECT_LE(value(r, "session hip contact impulse"),
            value(r, "peak hip contact") * 9.81 * kHipModelMass * 4.0 * 30 / 1000.0 + 1e-6);
}

}  // namespace
}  // namespace femur::hip
