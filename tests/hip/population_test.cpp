// Verdicts with their uncertainty (issue 18 item 7): plausible models drawn from the published
// spreads, deterministic for a seed on any number of threads; one model with no spread is the
// plain run; the verdict share counts what each model's own run says.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "femur/hip/hip_model.hpp"
#include "femur/hip/population.hpp"
#include "femur/hip/scenario.hpp"
#include "hip/scenario_support.hpp"

namespace femur::hip {
namespace {

const Model& model() { return test_support::hip_model(); }

ScenarioResult run(const std::string& name, const std::vector<std::string>& sets) {
  const ScenarioInfo& s = require_scenario(name);
  return run_scenario(s, model(), resolve_parameters(s, sets));
}

const MuscleParameters& muscle(const Model& m, size_t force) { return std::get<MuscleParameters>(m.forces[force].part); }

TEST(PlausibleModel, NoSpreadIsTheModelAndTheSpreadsAreThePublishedOnes) {
  PopulationSpread none;
  none.scale = 0.0;
  const Model same = plausible_model(model(), none, 7, 3);
  ASSERT_EQ(same.forces.size(), model().forces.size());
  for (size_t f = 0; f < model().forces.size(); ++f) EXPECT_TRUE(same.forces[f].part == model().forces[f].part);
  for (size_t p = 0; p < model().paths.points.size(); ++p)
    EXPECT_EQ(same.paths.points[p].location_in_M, model().paths.points[p].location_in_M);

  // Strength: the factors' SD is the 17.2% of Stebbings et al. 2014 (over all muscles of 20 models).
  const PopulationSpread spread;
  double sum = 0, sum2 = 0;
  int n = 0;
  for (int i = 0; i < 20; ++i) {
    const Model m = plausible_model(model(), spread, 1, i);
    for (size_t f = 0; f < m.forces.size(); ++f) {
      if (!std::holds_alternative<MuscleParameters>(m.forces[f].part)) continue;
      const double k = muscle(m, f).max_isometric_force / muscle(model(), f).max_isometric_force;
      sum += k, sum2 += k * k, ++n;
      EXPECT_EQ(muscle(m, f).optimal_fiber_length, muscle(model(), f).optimal_fiber_length);  // fiber_cv 0
    }
  }
  ASSERT_GT(n, 500);
  const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(mean, 1.0, 0.03);
  EXPECT_NEAR(sd, 0.172, 0.02);

  // Attachments: the abductors' and iliopsoas' ends move, 8.6 mm RMS on the pelvis; others do not.
  double pelvis2 = 0;
  int pelvis_n = 0;
  for (int i = 0; i < 20; ++i) {
    const Model m = plausible_model(model(), spread, 1, i);
    for (const PathSpec& path : m.paths.paths) {
      const bool moved = path.name.rfind("glut_med", 0) == 0 || path.name.rfind("glut_min", 0) == 0 ||
                         path.name.rfind("iliacus", 0) == 0 || path.name.rfind("psoas", 0) == 0;
      for (int k = path.point_begin; k < path.point_begin + path.point_count; ++k) {
        const double d = (m.paths.points[k].location_in_M - model().paths.points[k].location_in_M).norm();
        const bool end = k == path.point_begin || k == path.point_begin + path.point_count - 1;
        if (!moved || !end) {
          EXPECT_EQ(d, 0.0) << path.name << " point " << k - path.point_begin;
        } else if (m.bodies[m.paths.points[k].body].name == "pelvis") {
          pelvis2 += d * d, ++pelvis_n;
        }
      }
    }
  }
  ASSERT_GT(pelvis_n, 50);
  EXPECT_NEAR(std::sqrt(pelvis2 / pelvis_n), 0.0086, 0.0015);
}

TEST(Population, TheSameSeedGivesTheSamePopulationOnAnyNumberOfThreads) {
  const ScenarioInfo& s = require_scenario("glute-inhibition");
  const ScenarioParameters p = resolve_parameters(s, {"cap_points=2", "samples=0"});
  const ScenarioResult plain = run_scenario(s, model(), p);
  const PopulationSpread spread;
  const report::Population one = run_population(s, model(), p, plain, 6, 42, spread, 1);
  const report::Population two = run_population(s, model(), p, plain, 6, 42, spread, 2);
  EXPECT_EQ(one.verdicts, two.verdicts);
  ASSERT_EQ(one.numbers.size(), two.numbers.size());
  for (size_t i = 0; i < one.numbers.size(); ++i) {
    EXPECT_EQ(one.numbers[i].median, two.numbers[i].median) << one.numbers[i].label;
    EXPECT_EQ(one.numbers[i].low, two.numbers[i].low) << one.numbers[i].label;
    EXPECT_EQ(one.numbers[i].high, two.numbers[i].high) << one.numbers[i].label;
  }
  const report::Population other = run_population(s, model(), p, plain, 6, 43, spread, 2);
  EXPECT_NE(other.numbers.front().median, one.numbers.front().median);
}

// One model and no spread: the population is the plain run, number for number.
TEST(Population, OneModelWithNoSpreadReproducesThePlainRunExactly) {
  for (const char* name : {"glute-med-weakness", "glute-inhibition", "runner-vs-cyclist", "hip-flexor-injury"}) {
    const ScenarioResult r = run(name, {"samples=1", "spread=0"});
    ASSERT_EQ(r.population.samples, 1) << name;
    EXPECT_EQ(r.population.verdicts[static_cast<size_t>(r.verdict.status)], 1) << name;
    ASSERT_FALSE(r.population.numbers.empty());
    EXPECT_EQ(r.population.numbers.front().label, r.key_number.label);
    for (const report::Spread& n : r.population.numbers) {
      EXPECT_EQ(n.models, 1) << name << ": " << n.label;
      EXPECT_EQ(n.median, n.as_run) << name << ": " << n.label;
      EXPECT_EQ(n.low, n.as_run) << name << ": " << n.label;
      EXPECT_EQ(n.high, n.as_run) << name << ": " << n.label;
    }
  }
}

// Models whose strengths and attachments differ can turn the verdict: the share counts exactly
// what each model's own run says, and with the published spreads doubled the step-up's verdict
// is no longer the same in every model.
TEST(Population, APopulationThatMovesTheVerdictShowsItInTheShare) {
  const ScenarioInfo& s = require_scenario("glute-inhibition");
  const ScenarioParameters p = resolve_parameters(s, {"cap_points=2", "samples=12", "spread=2", "seed=5"});
  const ScenarioResult r = run_scenario(s, model(), p);
  std::array<int, 4> counted{};
  for (int i = 0; i < 12; ++i)
    ++counted[static_cast<size_t>(s.run(plausible_model(model(), spread_of(p), 5, i), p).verdict.status)];
  EXPECT_EQ(r.population.verdicts, counted);
  const double share = r.population.share(r.verdict.status);
  EXPECT_GT(share, 0.0);
  EXPECT_LT(share, 1.0) << report::population_sentence(r);
  EXPECT_NE(report::population_sentence(r).find(" of 12 models ("), std::string::npos) << report::population_sentence(r);
  // The key number's interval holds its median and widens with the spread.
  const report::Spread& k = r.population.numbers.front();
  EXPECT_LE(k.low, k.median);
  EXPECT_LE(k.median, k.high);
  const ScenarioResult narrow = run("glute-inhibition", {"cap_points=2", "samples=12", "spread=0.5", "seed=5"});
  EXPECT_LT(narrow.population.numbers.front().high - narrow.population.numbers.front().low, k.high - k.low);
}

TEST(Population, OnlyScenariosOnTheBuiltInModelTakeThePopulationKeys) {
  EXPECT_FALSE(require_scenario("hip-contact-gait").population);  // a measured trial on its own model
  EXPECT_FALSE(require_scenario("sciatic-stretch").population);
  EXPECT_THROW(resolve_parameters(require_scenario("sciatic-stretch"), {"spread=1"}), ScenarioError);
  const ScenarioInfo& s = require_scenario("glute-med-weakness");
  EXPECT_TRUE(s.population);
  EXPECT_THROW(resolve_parameters(s, {"spread=4"}), ScenarioError);
  const ScenarioInfo& trial = require_scenario("hip-contact-gait");
  const ScenarioParameters p = resolve_parameters(trial, {});
  EXPECT_THROW(run_population(trial, model(), p, report::Section{}, 2, 1, PopulationSpread{}), ScenarioError);
}

// hip-flexor-injury reruns its prescribed swing over plausible models too (issue 18 item 7). Its
// time samples, once `samples`, are `time_samples`; `samples` is the population's model count as
// in every other scenario.
TEST(Population, HipFlexorInjuryTakesThePopulationAndItsTimeSamplesAreTimeSamples) {
  const ScenarioInfo& s = require_scenario("hip-flexor-injury");
  EXPECT_TRUE(s.population);
  const ScenarioParameters p = resolve_parameters(s, {"samples=3", "time_samples=21"});
  EXPECT_EQ(p.get_int("samples"), 3);
  EXPECT_EQ(p.get_int("time_samples"), 21);
  EXPECT_THROW(resolve_parameters(s, {"time_samples=2"}), ScenarioError);  // at least 5 instants
  const ScenarioResult r = run("hip-flexor-injury", {"samples=3", "time_samples=21", "seed=2"});
  EXPECT_EQ(r.population.samples, 3);
  int counted = 0;
  for (int n : r.population.verdicts) counted += n;
  EXPECT_EQ(counted, 3);
  ASSERT_FALSE(r.population.numbers.empty());
  EXPECT_EQ(r.population.numbers.front().label, r.key_number.label);
}

}  // namespace
}  // namespace femur::hip
