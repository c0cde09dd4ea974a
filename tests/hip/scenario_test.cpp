// Scenario engine and scenarios: the registry, --set validation, the quasi-static load
// sharing (an identity: muscle and reserve moments add up to the inverse-dynamics forces),
// and each scenario at reduced resolution, checked for directions and magnitudes rather than
// fixed outputs.
#include <cmath>
#include <limits>
#include <set>

#include <gtest/gtest.h>

#include "../../src/hip/scenario_postures.hpp"
#include "femur/hip/hip_model.hpp"
#include "femur/hip/scenario.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"
#include "hip/scenario_support.hpp"

namespace femur::hip {
namespace {

using report::Number;
using report::Series;
using report::Figure;

const Model& hip_model() {
  static const Model m = build_hip_model();
  return m;
}

ScenarioResult run(const std::string& name, const std::vector<std::string>& sets, const Model& model = hip_model()) {
  return test_support::run_plain(name, sets, model);
}

const Series& series(const ScenarioResult& r, const std::string& figure_title, const std::string& series_name) {
  for (const Figure& f : r.figures)
    if (f.title == figure_title)
      for (const Series& s : f.series)
        if (s.name == series_name) return s;
  throw std::runtime_error("no series '" + series_name + "' in figure '" + figure_title + "'");
}

const Number& number(const ScenarioResult& r, const std::string& prefix) {
  for (const Number& n : r.numbers)
    if (n.label.rfind(prefix, 0) == 0) return n;
  throw std::runtime_error("no number '" + prefix + "'");
}

// NaN (no angle in the grid suffices) counts as more than any angle.
double as_need(double v) { return std::isnan(v) ? std::numeric_limits<double>::infinity() : v; }

TEST(ScenarioRegistry, HasUniqueNamesAndFindsEach) {
  std::set<std::string> names;
  for (const ScenarioInfo& s : scenario_registry()) {
    EXPECT_TRUE(names.insert(s.name).second) << s.name;
    EXPECT_EQ(find_scenario(s.name), &s);
    EXPECT_NE(s.run, nullptr);
  }
  EXPECT_TRUE(names.count("muscle-roles"));
  EXPECT_TRUE(names.count("glute-med-weakness"));
}

TEST(ScenarioRegistry, UnknownNameListsTheScenarios) {
  try {
    require_scenario("glute-max-weakness");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown scenario 'glute-max-weakness'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("muscle-roles"), std::string::npos);
  }
}

TEST(ScenarioParameters, DefaultsAreFilledAndValuesParsed) {
  const ScenarioInfo& s = require_scenario("glute-med-weakness");
  const ScenarioParameters p = resolve_parameters(s, {"min_strength=30", "drop_step=1.5"});
  EXPECT_EQ(p.get("min_strength"), 30.0);
  EXPECT_EQ(p.get("drop_step"), 1.5);
  EXPECT_EQ(p.get("strength_step"), 10.0);
}

std::string error_of(const std::vector<std::string>& sets) {
  try {
    resolve_parameters(require_scenario("glute-med-weakness"), sets);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(ScenarioParameters, BadKeysAndValuesAreRejectedWithTheValidKeys) {
  const std::string unknown = error_of({"strength=30"});
  EXPECT_NE(unknown.find("unknown key 'strength'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("min_strength   [0, 100] % (default 20)"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("narrow_points  [1, 20] (default 3)"), std::string::npos) << unknown;
  EXPECT_NE(error_of({"min_strength=150"}).find("'min_strength' = 150 is outside [0, 100] %"), std::string::npos);
  EXPECT_NE(error_of({"min_strength=abc"}).find("value 'abc' of 'min_strength' is not a number"), std::string::npos);
  EXPECT_NE(error_of({"min_strength"}).find("'min_strength' is not key=value"), std::string::npos);
  EXPECT_NE(error_of({"narrow_points=2.5"}).find("takes a whole number"), std::string::npos);
  EXPECT_EQ(error_of({"min_strength=0"}), "");
}

// One SO frame balances every listed coordinate: sum_m r_mk F_m + reserve_k = tau_k.
TEST(ScenarioStatics, MuscleAndReserveMomentsAddUpToTheInverseDynamicsForces) {
  detail::Statics s(hip_model());
  Eigen::VectorXd q = hip_model().default_q();
  q[s.coordinate("hip_flexion_r")] = 0.4;
  q[s.coordinate("knee_angle_l")] = -0.5;
  const detail::PostureState ps = detail::evaluate_posture(s, q, {});
  detail::SharingOptions o;
  o.coordinates = detail::non_root_coordinates(hip_model());
  o.judged = o.coordinates;
  detail::LoadSharing sharing(s, o);
  const detail::Sharing sh = sharing.solve(ps);
  ASSERT_TRUE(sh.solved);
  for (size_t r = 0; r < o.coordinates.size(); ++r) {
    const int k = o.coordinates[r];
    const double produced = ps.moment_arm.col(k).dot(sh.force) + sh.reserve[static_cast<Eigen::Index>(r)];
    EXPECT_NEAR(produced, ps.tau[k], 1e-6 * (1 + std::abs(ps.tau[k]))) << hip_model().coordinates[k].name;
  }
  EXPECT_GE(sh.activation.minCoeff(), 0.0);
  EXPECT_LE(sh.activation.maxCoeff(), 1.0 + 1e-12);
}

TEST(ScenarioStatics, ShorterOptimalFiberLengthRaisesThePassiveFlexionMomentInHipExtension) {
  detail::Statics s(hip_model());
  Eigen::VectorXd q = hip_model().default_q();
  const int hip = s.coordinate("hip_flexion_r");
  q[hip] = detail::rad(-20.0);
  const detail::PostureState ps = detail::evaluate_posture(s, q, {});
  const std::vector<int> flexors = s.muscles_matching({"iliacus", "psoas", "rect_fem"}, "_r");
  ASSERT_EQ(flexors.size(), 3u);
  const double normal = detail::passive_moment(ps, hip, flexors);
  // The listed-muscle sum is the matching part of the all-muscle sum.
  double by_hand = 0.0;
  for (int m : flexors) by_hand += ps.moment_arm(m, hip) * ps.passive[m];
  EXPECT_DOUBLE_EQ(normal, by_hand);
  detail::apply_changes(s, {detail::MuscleChange::shortening(flexors, 0.15)});
  const double tight = detail::passive_moment(detail::evaluate_posture(s, q, {}), hip, flexors);
  EXPECT_GT(tight, normal + 1.0);  // the flexors pull the hip towards flexion harder
  detail::apply_changes(s, {});
  EXPECT_DOUBLE_EQ(detail::passive_moment(detail::evaluate_posture(s, q, {}), hip, flexors), normal);
  EXPECT_THROW(detail::MuscleChange::shortening(flexors, 1.0), ScenarioError);
}

TEST(MuscleRoles, PiriformisTurnsFromExternalToInternalRotatorWithHipFlexion) {
  const ScenarioResult r = run("muscle-roles", {"step_deg=15"});
  EXPECT_LT(number(r, "piriformis rotation moment arm at 0 deg").value, 0.0);
  EXPECT_GT(number(r, "piriformis rotation moment arm at 90 deg").value, 0.0);
  EXPECT_GT(number(r, "muscle paths with a hip role").value, 20);
  EXPECT_GE(number(r, "abductors").value, 6);  // gluteus medius and minimus, three paths each
  EXPECT_NE(r.verdict.text.find("piriformis"), std::string::npos);
}

TEST(MuscleRoles, RunsOnGait2392) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model m = test::load_opensim_model("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim");
  const ScenarioResult r = run("muscle-roles", {"step_deg=30"}, m);
  EXPECT_EQ(number(r, "muscle paths with a hip role").value, 27);  // the 27 hip muscles of Delp 1990
}

class GluteMedWeakness : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    result_ = new ScenarioResult(run("glute-med-weakness", {"strength_step=20", "drop_step=4", "lean_step=4",
                                                             "max_lean=20", "narrow_points=2"}));
  }
  static void TearDownTestSuite() { delete result_; }
  static const ScenarioResult& result() { return *result_; }
  static ScenarioResult* result_;
};
ScenarioResult* GluteMedWeakness::result_ = nullptr;

// The pelvic drop needed with the trunk upright, per strength, from the "Per strength level"
// table (the figure leaves it out when it would lie hidden under the lean: issue 18); "> max"
// is NaN, as in the figure.
Series drop_needed(const ScenarioResult& r) {
  Series s;
  for (const report::Table& t : r.tables) {
    if (t.title != "Per strength level") continue;
    for (const auto& row : t.rows) {
      s.x.push_back(std::stod(row[0]));
      s.y.push_back(row[1] == "> max" ? std::nan("") : std::stod(row[1]));
    }
  }
  return s;
}

TEST_F(GluteMedWeakness, WeakerAbductorsNeverNeedLessPelvicDropOrTrunkLean) {
  const std::string fig = "Compensation needed as the abductors weaken";
  const Series drop = drop_needed(result());
  const Series& lean = series(result(), fig, "trunk lean needed (pelvis level)");
  ASSERT_GE(drop.x.size(), 5u);
  for (size_t i = 1; i < drop.y.size(); ++i) {
    ASSERT_LT(drop.x[i], drop.x[i - 1]);  // strength falls along the series
    EXPECT_GE(as_need(drop.y[i]), as_need(drop.y[i - 1])) << "at " << drop.x[i] << "%";
    EXPECT_GE(as_need(lean.y[i]), as_need(lean.y[i - 1])) << "at " << lean.x[i] << "%";
  }
}

TEST_F(GluteMedWeakness, AtFullStrengthNoDropOrLeanIsNeeded) {
  const std::string fig = "Compensation needed as the abductors weaken";
  EXPECT_EQ(drop_needed(result()).y.front(), 0.0);
  EXPECT_EQ(series(result(), fig, "trunk lean needed (pelvis level)").y.front(), 0.0);
}

TEST_F(GluteMedWeakness, AtTwentyPercentTheLevelUprightStanceIsNoLongerHeld) {
  const Series drop = drop_needed(result());
  EXPECT_EQ(drop.x.back(), 20.0);
  EXPECT_NE(drop.y.back(), 0.0);
}

// The contact is compared with the implants in the scenario's literature row (Bergmann 2001,
// 2.38 BW +-15%), which the model misses today (3.48 BW; issue 18 item 1). Here only its
// bookkeeping: the row reads the key number, with the published band, not a widened one.
TEST_F(GluteMedWeakness, SingleLegStanceHipContactIsSetBesideTheImplantsBand) {
  EXPECT_EQ(result().key_number.unit, "BW");
  ASSERT_EQ(result().literature.size(), 1u);
  EXPECT_DOUBLE_EQ(result().literature[0].model_value, result().key_number.value);
  EXPECT_NEAR(result().literature[0].low, 0.85 * 2.38, 1e-12);
  EXPECT_NEAR(result().literature[0].high, 1.15 * 2.38, 1e-12);
  EXPECT_EQ(result().literature[0].within(),
            std::abs(result().key_number.value - 2.38) <= 0.15 * 2.38 + 1e-12);
  // Weaker abductors held upright need reserves, and the muscles left pull harder: never less contact.
  const Series& contact = series(result(), "Hip contact force", "upright, level (reserves where muscles fall short)");
  EXPECT_GT(contact.y.back(), 0.5 * contact.y.front());
}

TEST_F(GluteMedWeakness, ANarrowerStanceNeedsMoreAbductorMoment) {
  const Series& m = series(result(), "Stance width: abductor demand with the foot moved medially", "abductor moment needed");
  for (size_t i = 1; i < m.y.size(); ++i) EXPECT_GT(m.y[i], m.y[i - 1]) << "at " << m.x[i] << " cm";
  // Body-weight scale: 0.5-1.2 N m/kg for a 75 kg model standing on one leg.
  EXPECT_GT(m.y[m.y.size() / 2], 0.5 * kHipModelMass);
  EXPECT_LT(m.y[m.y.size() / 2], 1.2 * kHipModelMass);
}

}  // namespace
}  // namespace femur::hip

namespace femur::hip {
namespace {

TEST(GluteInhibition, CappingGluteusMaximusRaisesHamstringForce) {
  const ScenarioResult r = run("glute-inhibition", {"cap_points=3"});
  EXPECT_LT(number(r, "gluteus maximus force, capped").value, number(r, "gluteus maximus force, free").value);
  EXPECT_GT(number(r, "hamstring force increase").value, 10.0);
  // The hip extension is still held by muscles (reserves under 1 N m).
  EXPECT_LT(number(r, "largest reserve at hip/lumbar, capped").value, 1.0);
  // Lower caps never leave the hamstrings with less force.
  const Series* ham = nullptr;
  for (const Figure& f : r.figures)
    for (const Series& s : f.series)
      if (f.title == "Group forces as the gluteus maximus cap is lowered" && s.name == "hamstrings") ham = &s;
  ASSERT_NE(ham, nullptr);
  for (size_t i = 1; i < ham->y.size(); ++i) EXPECT_GE(ham->y[i], ham->y[i - 1] - 1e-6);
}

}  // namespace
}  // namespace femur::hip
