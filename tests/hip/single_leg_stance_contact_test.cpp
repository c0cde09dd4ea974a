// Issue 18, must-hold 1: why single-leg stance hip contact on femur's hip model (3.48 BW) stays
// above the instrumented implants' one-leg stance (Bergmann et al. 2001, J Biomech 34:859-871:
// "slightly less" than the 2.38 BW of walking). The same posture and load sharing as
// glute-med-weakness at full strength (pelvis level, trunk upright); the hip contact is linear in
// the muscle forces, so each muscle group's share is the joint reaction with that group's forces
// alone minus the one with no muscle force, projected on the total's direction. Then each
// candidate change alone, as far as a published measurement defines it (docs/validation.md,
// "Single-leg stance").
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "../../src/hip/scenario_postures.hpp"
#include "hip/scenario_support.hpp"

namespace femur::hip::detail {
namespace {

struct Stance {
  Eigen::VectorXd q;
  std::vector<PointLoad> loads;
  std::vector<int> coordinates, judged;
};

// The posture glute-med-weakness solves at full strength, upright and level (its sagittal trunk
// flexion is the least-effort one, chosen as the scenario chooses it).
Stance upright_stance(Statics& s) {
  StanceBuilder b(s);
  Engine engine(s);
  Task t;
  t.sharing.coordinates = non_root_coordinates(s.model);
  t.sharing.judged = stance_judged(s);
  t.reactions = {s.joint_of("hip_flexion_r")};
  choose_sagittal(b, engine, t);
  Stance out;
  out.q = b.posture(0.0, 0.0);
  out.loads = b.ground_reaction(out.q);
  out.coordinates = t.sharing.coordinates;
  out.judged = t.sharing.judged;
  return out;
}

struct Solved {
  Eigen::VectorXd forces;  // per actuator of the optimizer
  Vec3 contact = Vec3::Zero();  // the pelvis's push on the femur (ground)
  double max_reserve = 0.0;     // N m, over the balanced coordinates
};

Solved solve(Statics& s, const Stance& st, const tools::StaticOptimizationOptions& options) {
  tools::StaticOptimizer so(s.model, s.muscles, nullptr, options);
  Solved out;
  Eigen::VectorXd x = Eigen::VectorXd::Zero(so.num_actuators());
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(s.model.nv);
  so.solve_frame(0.0, st.q, zero, zero, st.loads, x, out.forces);
  std::vector<Wrench> w;
  so.joint_reactions({s.joint_of("hip_flexion_r")}, out.forces, w);
  out.contact = w[0].force;
  for (int j = so.first_reserve(); j < so.num_actuators(); ++j)
    out.max_reserve = std::max(out.max_reserve, std::abs(out.forces[j]));
  return out;
}

tools::StaticOptimizationOptions default_options(Statics& s, const Stance& st) {
  SharingOptions o;
  o.coordinates = st.coordinates;
  o.judged = st.judged;
  return sharing_options(s.model, s.muscles, o);
}

// Right-side hip muscle groups of gait2392's names.
const std::vector<std::pair<std::string, std::vector<std::string>>>& groups() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> g = {
      {"gluteus medius + minimus", {"glut_med", "glut_min"}},
      {"tensor fasciae latae", {"tfl"}},
      {"piriformis + gemelli + quadratus femoris", {"peri", "gem", "quad_fem"}},
      {"gluteus maximus", {"glut_max"}},
      {"adductors + gracilis + pectineus", {"add_", "grac", "pect"}},
      {"iliacus + psoas", {"iliacus", "psoas"}},
      {"hamstrings", {"semimem", "semiten", "bifemlh"}},
      {"rectus femoris + sartorius", {"rect_fem", "sar"}},
  };
  return g;
}

TEST(SingleLegStanceContact, EachMuscleGroupsShareAddsUpToTheContactTheScenarioReports) {
  const Model& model = test_support::hip_model();
  Statics s(model);
  const Stance st = upright_stance(s);
  const tools::StaticOptimizationOptions options = default_options(s, st);
  const Solved full = solve(s, st, options);
  tools::StaticOptimizer so(model, s.muscles, nullptr, options);  // the frame evaluated, for its geometry
  so.evaluate_frame(0.0, st.q, Eigen::VectorXd::Zero(model.nv), Eigen::VectorXd::Zero(model.nv), st.loads);
  const double bw = s.weight;
  const Vec3 dir = full.contact.normalized();

  // The scenario's own number (glute-med-weakness, full strength, upright).
  const ScenarioResult r = test_support::run_plain("glute-med-weakness");
  EXPECT_NEAR(full.contact.norm() / bw, r.key_number.value, 1e-9);

  auto reaction_with = [&](const std::vector<int>& muscles) {
    Eigen::VectorXd f = Eigen::VectorXd::Zero(so.num_actuators());
    for (int m : muscles) f[so.actuator_of_muscle(m)] = full.forces[so.actuator_of_muscle(m)];
    tools::StaticOptimizer probe(model, s.muscles, nullptr, options);
    Eigen::VectorXd x = Eigen::VectorXd::Zero(probe.num_actuators()), forces;
    const Eigen::VectorXd zero = Eigen::VectorXd::Zero(model.nv);
    probe.solve_frame(0.0, st.q, zero, zero, st.loads, x, forces);
    std::vector<Wrench> w;
    probe.joint_reactions({s.joint_of("hip_flexion_r")}, f, w);
    return w[0].force;
  };
  const Vec3 none = reaction_with({});
  std::printf("single-leg stance, full strength, upright: hip contact %.3f BW (reserves up to %.2f N m)\n",
              full.contact.norm() / bw, full.max_reserve);
  std::printf("  without muscle forces (body weight above the hip, segment loads): %.3f BW\n", none.dot(dir) / bw);
  double sum = none.dot(dir);
  std::vector<bool> counted(static_cast<size_t>(s.muscles.size()), false);
  for (const auto& [label, prefixes] : groups()) {
    const std::vector<int> ms = s.muscles_matching(prefixes, "_r");
    for (int m : ms) counted[static_cast<size_t>(m)] = true;
    double force = 0.0;
    for (int m : ms) force += full.forces[so.actuator_of_muscle(m)];
    const double share = (reaction_with(ms) - none).dot(dir);
    sum += share;
    std::printf("  %-42s %7.0f N  %.3f BW\n", label.c_str(), force, share / bw);
  }
  std::vector<int> rest;
  for (int m = 0; m < s.muscles.size(); ++m)
    if (!counted[static_cast<size_t>(m)]) rest.push_back(m);
  const double rest_share = (reaction_with(rest) - none).dot(dir);
  sum += rest_share;
  std::printf("  %-42s          %.3f BW\n", "every other muscle", rest_share / bw);
  // Why the flexors pull in a stance that needs almost no flexion moment: gait2392's gluteus
  // medius and minimus extend the hip as they abduct it (flexion moment arms below zero), and
  // the flexors cancel that extension.
  const int hip_flex = s.coordinate("hip_flexion_r");
  double abductor_flexion = 0.0, flexor_flexion = 0.0;
  for (int m : s.muscles_matching({"glut_med", "glut_min"}, "_r"))
    abductor_flexion += full.forces[so.actuator_of_muscle(m)] * so.path_data().moment_arm(s.muscle_path[m], hip_flex);
  for (int m : s.muscles_matching({"iliacus", "psoas", "tfl", "rect_fem", "sar"}, "_r"))
    flexor_flexion += full.forces[so.actuator_of_muscle(m)] * so.path_data().moment_arm(s.muscle_path[m], hip_flex);
  std::printf("  hip flexion moment needed %.1f N m; gluteus medius + minimus give %.1f N m, the flexors %.1f N m\n",
              so.generalized_forces()[hip_flex], abductor_flexion, flexor_flexion);
  // Linearity: the shares add up to the total along its direction.
  EXPECT_NEAR(sum, full.contact.norm(), 1e-6 * full.contact.norm());
  // The abductors carry the stance: their share is the largest.
  const std::vector<int> abductors = s.muscles_matching({"glut_med", "glut_min"}, "_r");
  EXPECT_GT((reaction_with(abductors) - none).dot(dir), 0.3 * full.contact.norm());
}

// Each change alone, from a published measurement or criterion; printed for docs/validation.md.
// The checks are what each change must do by its nature, not where it lands.
TEST(SingleLegStanceContact, EachPublishedChangeAloneMovesTheContactByWhatItsSourceImplies) {
  const Model& model = test_support::hip_model();
  Statics s(model);
  const Stance st = upright_stance(s);
  const tools::StaticOptimizationOptions base = default_options(s, st);
  const double bw = s.weight;
  const double ref = solve(s, st, base).contact.norm() / bw;
  auto report = [&](const char* what, const tools::StaticOptimizationOptions& o) {
    const Solved r = solve(s, st, o);
    std::printf("  %-66s %.3f BW (%+.3f), reserves up to %.2f N m\n", what, r.contact.norm() / bw,
                r.contact.norm() / bw - ref, r.max_reserve);
    return r.contact.norm() / bw;
  };
  std::printf("single-leg stance hip contact, each change alone (default %.3f BW):\n", ref);
  tools::StaticOptimizationOptions o = base;
  o.activation_exponent = 3.0;  // Crowninshield & Brand 1981's cubed activations
  report("activation^3 (Crowninshield & Brand 1981)", o);
  o = base;
  o.volume_weighted = true;  // Happee & van der Helm 1995; Modenese 2011; Wesseling 2015
  report("volume-weighted activation^2 (Happee & van der Helm 1995)", o);
  o = base;
  o.include_passive_fiber_force = false;  // OpenSim's SO
  const double no_passive = report("passive fiber forces not counted (OpenSim's SO)", o);
  o = base;
  // Riener & Edrich 1999's passive hip moment (every passive structure, passive muscle force
  // included, so the muscles' own passive forces are not counted beside it), as hip-contact-gait.
  o.include_passive_fiber_force = false;
  o.passive_hip_moments = {{"hip_flexion_r", "knee_angle_r", -1.0}, {"hip_flexion_l", "knee_angle_l", -1.0}};
  const double riener = report("passive hip moment (Riener & Edrich 1999) instead of passive fibers", o);
  EXPECT_LT(riener, ref);  // a flexion couple at the extended hip spares the flexors
  o.volume_weighted = true;
  report("passive hip moment + volume-weighted (both together)", o);
  // Reserves: at full strength the muscles hold the stance with every reserve under the 1 N m
  // feasibility tolerance, so no co-contraction is bought to spare a costly reserve here (it is
  // at 40% strength, issue 18).
  EXPECT_LT(solve(s, st, base).max_reserve, 1.0);
  // Passive fiber forces are a load the muscles carry whatever their activation: leaving them
  // out (as OpenSim's SO does) cannot raise the contact by more than rounding of the sharing.
  EXPECT_LT(no_passive, ref + 0.01);
}

}  // namespace
}  // namespace femur::hip::detail
