// Every verdict can fail (issue 18 item 2): for each scenario, the default run's verdict, and
// an input for which the computed verdict turns (not supported, partly, or "model cannot
// answer" where reserves or over-strong muscles carry the task). The rules are in the
// scenarios' verdict() functions and docs/validation.md.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "femur/hip/hip_model.hpp"
#include "femur/hip/scenario.hpp"
#include "femur/io/osim_reader.hpp"
#include "hip/scenario_support.hpp"
#include "support/test_data.hpp"

namespace femur::hip {
namespace {

using report::VerdictStatus;

const Model& model() { return test_support::hip_model(); }

ScenarioResult run(const std::string& name, const std::vector<std::string>& sets = {}) {
  return test_support::run_plain(name, sets, model());
}

const char* status(const ScenarioResult& r) { return report::verdict_status_name(r.verdict.status); }

bool says(const ScenarioResult& r, const std::string& text) { return r.verdict.text.find(text) != std::string::npos; }

TEST(Verdicts, MuscleRolesCountsThePathsWithARoleAndSaysTheGluteusMediusAbducts) {
  const ScenarioResult r = run("muscle-roles");
  EXPECT_EQ(r.verdict.status, VerdictStatus::Partly) << status(r);  // 27 paths, 19 anatomical muscles
  // Item 4: the seed's "the gluteus medius is an adductor" is wrong, with its moment arms.
  EXPECT_TRUE(says(r, "The claim that the gluteus medius is an adductor is wrong")) << r.verdict.text;
  EXPECT_TRUE(says(r, "glut_med1_r -4.78 cm")) << r.verdict.text;
  // No literature row against +-1e9 bounds is left.
  for (const auto& l : r.literature) EXPECT_GT(l.low, -1e8) << l.quantity;
  // No threshold turns it: every one of the 27 paths keeps a moment arm of at least 2 cm at some
  // posture (threshold_mm=20 counts 27 too); the count is a property of the muscle set.
}

// The input that turns muscle-roles is the model: OpenSim's gait2354 (54 muscles) has 18 hip
// paths, fewer than Neumann's "more than 20".
TEST(Verdicts, MuscleRolesIsNotSupportedOnAModelWithFewerHipMuscles) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model gait2354 = io::read_osim(test::opensim_file("Models/Gait2354_Simbody/gait2354_simbody.osim"));
  const ScenarioResult r = test_support::run_plain("muscle-roles", {}, gait2354);
  EXPECT_EQ(r.verdict.status, VerdictStatus::NotSupported) << r.verdict.text;
  EXPECT_TRUE(says(r, "Only 18 muscle paths")) << r.verdict.text;
}

TEST(Verdicts, GluteMedWeaknessClaimsADuchenneLeanOnlyWhereALeanWasTriedAndHeld) {
  const ScenarioResult r = run("glute-med-weakness");
  EXPECT_EQ(r.verdict.status, VerdictStatus::Partly) << r.verdict.text;  // hip contact 3.48 BW > 2.74
  EXPECT_TRUE(says(r, "holds the stance (Duchenne)")) << r.verdict.text;
  // With no lean tried, no lean is claimed.
  const ScenarioResult no_lean = run("glute-med-weakness", {"max_lean=0"});
  EXPECT_FALSE(says(no_lean, "(Duchenne)")) << no_lean.verdict.text;
  EXPECT_TRUE(says(no_lean, "no Duchenne lean is shown")) << no_lean.verdict.text;
  // No weakness: nothing fails, nothing compensates, the contact is still too high.
  const ScenarioResult strong = run("glute-med-weakness", {"min_strength=100"});
  EXPECT_EQ(strong.verdict.status, VerdictStatus::NotSupported) << strong.verdict.text;
}

TEST(Verdicts, GluteInhibitionNeedsAnInhibitionAndHasNoWidenedBand) {
  const ScenarioResult r = run("glute-inhibition");
  EXPECT_EQ(r.verdict.status, VerdictStatus::Partly) << r.verdict.text;  // hamstrings +133 N, adductor magnus 0
  EXPECT_TRUE(r.literature.empty());                                    // the [0, 1e9] N band is gone
  const ScenarioResult free = run("glute-inhibition", {"cap=1"});
  EXPECT_EQ(free.verdict.status, VerdictStatus::NotSupported) << free.verdict.text;
}

TEST(Verdicts, StraightLegRaiseComparesTheHipWithWalkingAndNeedsThePsoas) {
  const ScenarioResult r = run("straight-leg-raise");
  EXPECT_EQ(r.verdict.status, VerdictStatus::Supported) << r.verdict.text;
  for (const auto& l : r.literature) EXPECT_FALSE(l.low == 0.8 && l.high == 1.8) << "the unpublished band";
  // Without a psoas the low back is not loaded through it.
  const ScenarioResult no_psoas = run("straight-leg-raise", {"psoas_strength=0"});
  EXPECT_EQ(no_psoas.verdict.status, VerdictStatus::Partly) << no_psoas.verdict.text;
}

TEST(Verdicts, ResistedHipFlexionSetsTheStanceHipBesideWalking) {
  const ScenarioResult r = run("resisted-hip-flexion");
  // Before issue 18 "supported" by construction; the stance hip's 3.70 BW is above walking's.
  EXPECT_EQ(r.verdict.status, VerdictStatus::NotSupported) << r.verdict.text;
  ASSERT_EQ(r.literature.size(), 1u);
  EXPECT_FALSE(r.literature[0].within());
  EXPECT_NEAR(r.literature[0].high, 2.38 * 1.15, 1e-12);
}

TEST(Verdicts, SittingHipFlexorsFailsWhenNormalFlexorsAlreadyStopYoungGait) {
  const ScenarioResult r = run("sitting-hip-flexors");
  EXPECT_EQ(r.verdict.status, VerdictStatus::Partly) << r.verdict.text;  // 10% shorter: 24.3 deg > 18.7
  // A threshold of 1 N m: the normal flexors stop the hip before the young adults' peak; the
  // shortening "found" then proves nothing (was "supported").
  const ScenarioResult low = run("sitting-hip-flexors", {"threshold=1"});
  EXPECT_EQ(low.verdict.status, VerdictStatus::NotSupported) << low.verdict.text;
}

TEST(Verdicts, ElderlyStepLengthJudgesTheCapsNotTheStepGeometry) {
  const ScenarioResult r = run("elderly-step-length");
  EXPECT_EQ(r.verdict.status, VerdictStatus::Partly) << r.verdict.text;  // was "supported"
  EXPECT_EQ(r.literature.size(), 2u);                                    // no Judge 1996 step ratios
  const ScenarioResult shorter = run("elderly-step-length", {"elderly_shortening=13"});
  EXPECT_EQ(shorter.verdict.status, VerdictStatus::Supported) << shorter.verdict.text;
  const ScenarioResult low = run("elderly-step-length", {"threshold=1"});
  EXPECT_EQ(low.verdict.status, VerdictStatus::NotSupported) << low.verdict.text;
}

TEST(Verdicts, RunnerVsCyclistJudgesOnlyTheLoadsAgainstTheImplants) {
  const ScenarioResult r = run("runner-vs-cyclist");
  // Was "partly" on three checks that follow from the strength scaling; the four loads are all
  // outside the implants' means +-15%.
  EXPECT_EQ(r.verdict.status, VerdictStatus::NotSupported) << r.verdict.text;
  ASSERT_EQ(r.literature.size(), 4u);
  for (const auto& l : r.literature) EXPECT_FALSE(l.within()) << l.quantity << " " << l.model_value;
}

TEST(Verdicts, HipFlexorInjuryCannotAnswerWhereReservesOrOverstretchedMusclesCarryTheSwing) {
  const ScenarioResult r = run("hip-flexor-injury", {"time_samples=21"});
  EXPECT_EQ(r.verdict.status, VerdictStatus::CannotAnswer) << r.verdict.text;  // was "supported"
  EXPECT_TRUE(says(r, "times its maximum isometric force")) << r.verdict.text;
  // A slow, small swing the muscles produce: the tight and weak variants are judged.
  const std::vector<std::string> gentle = {"time_samples=21", "duration=1", "peak_hip_extension=10", "peak_knee_flexion=60"};
  const ScenarioResult slow = run("hip-flexor-injury", gentle);
  EXPECT_EQ(slow.verdict.status, VerdictStatus::Partly) << slow.verdict.text;
  std::vector<std::string> same = gentle;
  same.insert(same.end(), {"tight=0", "weakness=0"});
  const ScenarioResult none = run("hip-flexor-injury", same);
  EXPECT_EQ(none.verdict.status, VerdictStatus::NotSupported) << none.verdict.text;
}

// The rule (strain at 70 deg between 1% and the 8% that halves nerve blood flow, Clark 1992;
// knee flexion slackens, dorsiflexion adds) holds for every parameter value; the input that
// turns it is the nerve's course: the same model with the nerve's pelvis and thigh points moved
// 25 cm forward, clear of the hip cylinder it wraps on and in front of the hip, where hip flexion
// slackens it (strain -2.5% at 70 deg; 12 cm, still on the cylinder, gives 2.7% and "partly").
TEST(Verdicts, SciaticStretchDefaultIsSupported) {
  const ScenarioResult r = run("sciatic-stretch");
  EXPECT_EQ(r.verdict.status, VerdictStatus::Supported) << r.verdict.text;
  Model anterior = model();
  for (const PathSpec& path : anterior.paths.paths) {
    if (path.name != "sciatic_nerve_r") continue;
    for (int i = path.point_begin; i < path.point_begin + path.point_count; ++i) {
      PathPointSpec& pt = anterior.paths.points[static_cast<size_t>(i)];
      const std::string& body = anterior.bodies[static_cast<size_t>(pt.body)].name;
      if (body == "pelvis" || body == "femur_r") pt.location_in_M.x() += 0.25;
    }
  }
  const ScenarioResult moved = test_support::run_plain("sciatic-stretch", {}, anterior);
  EXPECT_EQ(moved.verdict.status, VerdictStatus::NotSupported) << moved.verdict.text;
  EXPECT_LT(moved.key_number.value, 0.0);
  std::printf("sciatic nerve in front of the hip: %s (%s %g)\n", status(moved), moved.key_number.label.c_str(),
              moved.key_number.value);
}

}  // namespace
}  // namespace femur::hip
