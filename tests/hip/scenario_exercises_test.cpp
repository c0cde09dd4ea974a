// The exercise scenarios (straight-leg-raise, resisted-hip-flexion) at reduced resolution,
// checked for directions and magnitudes rather than fixed outputs.
#include <cmath>
#include <stdexcept>

#include <gtest/gtest.h>

#include "femur/hip/hip_model.hpp"
#include "femur/hip/scenario.hpp"
#include "hip/scenario_support.hpp"

namespace femur::hip {
namespace {

using report::Number;
using report::Series;
using report::Figure;

const Model& exercise_model() {
  static const Model m = build_hip_model();
  return m;
}

ScenarioResult run_exercise(const std::string& name, const std::vector<std::string>& sets) {
  return test_support::run_plain(name, sets, exercise_model());
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

const Series& figure_series(const ScenarioResult& r, const std::string& title, const std::string& name) {
  for (const Figure& f : r.figures)
    if (f.title == title)
      for (const Series& s : f.series)
        if (s.name == name) return s;
  throw std::runtime_error("no series '" + name + "' in '" + title + "'");
}

TEST(ResistedHipFlexion, TubingForceRisesWithElongationAndWithColourStiffness) {
  const ScenarioResult r = run_exercise("resisted-hip-flexion", {"points=4"});
  const std::string chart = "Tubing force-elongation (Thera-Band chart)";
  const std::vector<std::string> colours{"yellow", "red", "green", "blue", "black", "silver", "gold"};
  for (size_t c = 0; c < colours.size(); ++c) {
    const Series& s = figure_series(r, chart, colours[c]);
    EXPECT_EQ(s.y.front(), 0.0) << colours[c];
    for (size_t i = 1; i < s.y.size(); ++i) {
      EXPECT_GT(s.y[i], s.y[i - 1]) << colours[c] << " at " << s.x[i] << "%";
      if (c > 0) {
        EXPECT_GT(s.y[i], figure_series(r, chart, colours[c - 1]).y[i]) << colours[c] << " at " << s.x[i] << "%";
      }
    }
  }
  // Green at 100%: the chart's 4.6 lbf.
  const Series& green = figure_series(r, chart, "green");
  for (size_t i = 0; i < green.x.size(); ++i)
    if (std::abs(green.x[i] - 100.0) < 1e-9) {
      EXPECT_NEAR(green.y[i], 4.6 * 4.4482216, 1e-6);
    }
  // Along the swing the anchor-to-ankle distance grows, so the tubing pulls harder.
  const Series& band = figure_series(r, "Muscle forces vs swing-leg hip flexion", "tubing");
  for (size_t i = 1; i < band.y.size(); ++i) EXPECT_GT(band.y[i], band.y[i - 1]);
}

TEST(ResistedHipFlexion, AStifferTubingNeedsMoreHipFlexorEffortAtTheSameAngle) {
  const ScenarioResult yellow = run_exercise("resisted-hip-flexion", {"points=2", "colour=1"});
  const ScenarioResult blue = run_exercise("resisted-hip-flexion", {"points=2", "colour=4"});
  const ScenarioResult gold = run_exercise("resisted-hip-flexion", {"points=2", "colour=7"});
  EXPECT_GT(value(blue, "hip flexion moment at the end angle"), value(yellow, "hip flexion moment at the end angle") + 1.0);
  EXPECT_GT(value(gold, "hip flexion moment at the end angle"), value(blue, "hip flexion moment at the end angle") + 1.0);
  EXPECT_GT(value(gold, "iliopsoas force at the end angle"), value(yellow, "iliopsoas force at the end angle"));
  // The same posture: the colour changes only the tubing term, so the moment difference is
  // the difference of the tubing's moments (the tubing share times the moment).
  const double tube_y = value(yellow, "tubing share of that moment") / 100 * value(yellow, "hip flexion moment at the end angle");
  const double tube_b = value(blue, "tubing share of that moment") / 100 * value(blue, "hip flexion moment at the end angle");
  EXPECT_NEAR(value(blue, "hip flexion moment at the end angle") - value(yellow, "hip flexion moment at the end angle"),
              tube_b - tube_y, 0.05);
  for (const ScenarioResult* r : {&yellow, &blue, &gold}) {
    EXPECT_LT(value(*r, "largest reserve at hips/lumbar"), 1.0);
    EXPECT_GT(value(*r, "stance hip abduction moment at the end angle"), 20.0);  // single-leg stance
    EXPECT_GT(value(*r, "peak stance hip contact"), value(*r, "peak moving hip contact"));
  }
}

}  // namespace
}  // namespace femur::hip
