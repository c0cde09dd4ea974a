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
#include <stdexcept>
#include <string>
#include <vector>

#include "../../src/hip/scenario_postures.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "hip/scenario_support.hpp"
#include "support/test_data.hpp"

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

namespace femur::hip::detail {
namespace {

// The abductors' lines of action in the Arnold et al. 2010 lineage (Rajagopal et al. 2016 as
// Moco's example3DWalking ships it: gluteus medius and minimus as three parts each, glmed1-3 and
// glmin1-3), against femur's hip model (gait2392's), at the anatomical neutral pose: force-weighted
// abduction and flexion moment arms of the six parts. Printed for docs/validation.md. What must
// hold in any model: the parts abduct the hip (a positive force-weighted abduction arm).
// Femur's hip model with the gluteus medius and minimus lines of action of Rajagopal et al. 2016
// (IEEE Trans Biomed Eng 63:2068-2079; its hip muscles from Arnold et al. 2010, Ann Biomed Eng
// 38:269-279), as Moco's example3DWalking ships them (straight lines, no wrap). The two pelvis
// frames differ (the hip centre lies 6.6 cm below femur's pelvis origin, 8.9 cm below
// Rajagopal's), so an origin can be carried over in two defensible ways: `per_axis`, scaled per
// axis by the ratio of the hip centre's position in each pelvis (OpenSim's per-axis segment
// scaling with the hip centre as the landmark), or placed about the hip centre as Rajagopal has
// it, scaled by the ratio of the hip centres' lateral offsets (the lines of action about the joint
// kept). Each insertion about the femur's origin (the hip centre in both) by the ratio of the
// hip-to-knee distances. Right side only (the stance leg).
Model with_rajagopal_abductors(const Model& own, const Model& raj, bool per_axis) {
  auto hip_and_knee = [](const Model& m) {
    Data d(m);
    forward_kinematics(m, d, m.default_q());
    const int pelvis = m.body_index("pelvis"), femur = m.body_index("femur_r"), tibia = m.body_index("tibia_r");
    const Transform Xp = body_pose(m, d, pelvis), Xf = body_pose(m, d, femur), Xt = body_pose(m, d, tibia);
    return std::pair<Vec3, double>{Xp.apply_inverse(Xf.p), Xf.apply_inverse(Xt.p).norm()};
  };
  const auto [own_hip, own_femur] = hip_and_knee(own);
  const auto [raj_hip, raj_femur] = hip_and_knee(raj);
  const Vec3 pelvis_scale = own_hip.cwiseQuotient(raj_hip);
  const double femur_scale = own_femur / raj_femur;
  Model out = own;
  const std::vector<std::pair<std::string, std::string>> names = {
      {"glut_med1_r", "glmed1_r"}, {"glut_med2_r", "glmed2_r"}, {"glut_med3_r", "glmed3_r"},
      {"glut_min1_r", "glmin1_r"}, {"glut_min2_r", "glmin2_r"}, {"glut_min3_r", "glmin3_r"}};
  for (const auto& [mine, theirs] : names) {
    const PathSpec& a = out.paths.paths[static_cast<size_t>(out.paths.path_index(mine))];
    const PathSpec& b = raj.paths.paths[static_cast<size_t>(raj.paths.path_index(theirs))];
    if (a.point_count != 2 || b.point_count != 2) throw std::runtime_error(mine + " or " + theirs + " is not a straight line");
    for (int end = 0; end < 2; ++end) {
      PathPointSpec& to = out.paths.points[static_cast<size_t>(a.point_begin + end)];
      const PathPointSpec& from = raj.paths.points[static_cast<size_t>(b.point_begin + end)];
      const Vec3 in_body = raj.bodies[static_cast<size_t>(from.body)].X_body_M.apply(from.location_in_M);
      const Vec3 scaled = end == 1   ? Vec3(femur_scale * in_body)
                          : per_axis ? Vec3(in_body.cwiseProduct(pelvis_scale))
                                     : Vec3(own_hip + own_hip.z() / raj_hip.z() * (in_body - raj_hip));
      to.location_in_M = out.bodies[static_cast<size_t>(to.body)].X_body_M.apply_inverse(scaled);
    }
  }
  return out;
}

TEST(SingleLegStanceContact, RajagopalAbductorLinesAloneAndWithThePublishedLoadSharingChanges) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model raj = io::read_osim(test::opensim_file("Moco/example3DWalking/subject_walk_scaled.osim"));
  const double ref = test_support::run_plain("glute-med-weakness").key_number.value;
  for (const bool per_axis : {true, false}) {
    const Model moved = with_rajagopal_abductors(test_support::hip_model(), raj, per_axis);
    const ScenarioResult r = test_support::run_plain("glute-med-weakness", {}, moved);
    std::printf("single-leg stance with Rajagopal 2016's gluteus medius/minimus lines (%s): %.3f BW (%+.3f); "
                "verdict %s\n", per_axis ? "origins scaled per axis" : "origins placed about the hip centre",
                r.key_number.value, r.key_number.value - ref, report::verdict_status_name(r.verdict.status));
    Statics s(moved);
    const Stance st = upright_stance(s);
    tools::StaticOptimizationOptions o = default_options(s, st);
    const double bw = s.weight;
    EXPECT_NEAR(solve(s, st, o).contact.norm() / bw, r.key_number.value, 1e-9);
    o.include_passive_fiber_force = false;
    o.passive_hip_moments = {{"hip_flexion_r", "knee_angle_r", -1.0}, {"hip_flexion_l", "knee_angle_l", -1.0}};
    const double riener = solve(s, st, o).contact.norm() / bw;
    o.volume_weighted = true;
    const double both = solve(s, st, o).contact.norm() / bw;
    std::printf("  + Riener & Edrich passive hip moment: %.3f BW; + volume weighting too: %.3f BW\n", riener, both);
    // The moved lines' force-weighted arms at neutral (Rajagopal's own subject: 5.08 / -1.30 cm).
    PathSet paths = moved.paths;
    Data data(moved);
    PathData out(moved, paths);
    compute_paths(moved, paths, data, moved.default_q(), out);
    double abd = 0, flex = 0, total = 0;
    for (int m : s.muscles_matching({"glut_med", "glut_min"}, "_r")) {
      const int p = s.muscle_path[static_cast<size_t>(m)];
      const double F = s.muscles.parameters(m).max_isometric_force;
      abd -= F * out.moment_arm(p, moved.coordinate_index("hip_adduction_r"));
      flex += F * out.moment_arm(p, moved.coordinate_index("hip_flexion_r"));
      total += F;
    }
    std::printf("  the lines, force-weighted: abduction %.2f cm, flexion %.2f cm\n", 100 * abd / total,
                100 * flex / total);
    // Longer abduction arms than gait2392's 4.2 cm need less abductor force: the contact falls.
    EXPECT_GT(abd / total, 0.045);
    EXPECT_LT(r.key_number.value, ref);
  }
}

TEST(SingleLegStanceContact, AbductorLinesOfActionAgainstTheRajagopalModel) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  struct Arms {
    double abduction = 0, flexion = 0, force = 0;
  };
  auto measure = [](const Model& m, const std::vector<std::string>& names) {
    PathSet paths = m.paths;
    Data data(m);
    PathData out(m, paths);
    compute_paths(m, paths, data, m.default_q(), out);
    Arms a;
    const int add = m.coordinate_index("hip_adduction_r"), flex = m.coordinate_index("hip_flexion_r");
    for (const std::string& n : names) {
      const int p = paths.path_index(n);
      EXPECT_GE(p, 0) << n;
      if (p < 0) continue;
      const double F = std::get<MuscleParameters>(m.forces[static_cast<size_t>(paths.paths[static_cast<size_t>(p)].force)].part)
                           .max_isometric_force;
      std::printf("    %-12s F0 %6.0f N  abduction %5.2f cm  flexion %5.2f cm\n", n.c_str(), F,
                  -100 * out.moment_arm(p, add), 100 * out.moment_arm(p, flex));
      a.abduction += -F * out.moment_arm(p, add);
      a.flexion += F * out.moment_arm(p, flex);
      a.force += F;
    }
    a.abduction *= 100 / a.force;
    a.flexion *= 100 / a.force;
    return a;
  };
  std::printf("  femur's hip model (gait2392 geometry):\n");
  const Arms own = measure(test_support::hip_model(), {"glut_med1_r", "glut_med2_r", "glut_med3_r", "glut_min1_r",
                                                       "glut_min2_r", "glut_min3_r"});
  const Model raj = io::read_osim(test::opensim_file("Moco/example3DWalking/subject_walk_scaled.osim"));
  std::printf("  Rajagopal 2016 (Moco example3DWalking, scaled subject):\n");
  const Arms other = measure(raj, {"glmed1_r", "glmed2_r", "glmed3_r", "glmin1_r", "glmin2_r", "glmin3_r"});
  std::printf("  force-weighted: femur abduction %.2f cm, flexion %.2f cm; Rajagopal abduction %.2f cm, flexion %.2f cm\n",
              own.abduction, own.flexion, other.abduction, other.flexion);
  EXPECT_GT(own.abduction, 0.0);
  EXPECT_GT(other.abduction, 0.0);
}

}  // namespace
}  // namespace femur::hip::detail
