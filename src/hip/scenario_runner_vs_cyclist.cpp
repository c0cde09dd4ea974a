// Scenario `runner-vs-cyclist`: three strength profiles of the same model — a reference (every
// muscle at 100%), a "runner" with weak hip abductors (gluteus medius, minimus and tensor fasciae
// latae scaled) and a "cyclist" with strong quadriceps and weak glutes — each held in two still
// postures by one Static Optimization frame: (a) single-leg stance with the pelvis level and
// (b) the support phase of a step-up or a landing (stance hip and knee flexed, the centre of mass
// over the mid-foot, a vertical ground force of a settable number of body weights). Reported per
// profile and task: saturated muscles, the reserve needed, hip contact force, knee
// (tibiofemoral) joint reaction, quadriceps and gluteal forces.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "scenario_statics.hpp"

namespace femur::hip::detail {
namespace {

// One strength profile: max isometric force scale per muscle group (both sides).
struct Profile {
  std::string name, label;
  std::vector<std::pair<std::vector<int>, double>> scales;
};

struct Outcome {
  double hip_bw = 0, knee_bw = 0, reserve = 0;
  bool feasible = false;
  double quad_force = 0, glut_max_force = 0, glut_medmin_force = 0;
  double abductor_activation = 0, abductor_activation_max = 0, quad_activation = 0, glut_max_activation = 0;
  std::vector<std::pair<std::string, double>> saturated;  // name, activation
};

double mean_activation(const Sharing& sh, const std::vector<int>& group) {
  double sum = 0.0;
  for (int m : group) sum += sh.activation[m];
  return group.empty() ? 0.0 : sum / static_cast<double>(group.size());
}

double max_activation(const Sharing& sh, const std::vector<int>& group) {
  double out = 0.0;
  for (int m : group) out = std::max(out, sh.activation[m]);
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Base names of a group ("glut_med1_r", "glut_med2_l" -> "glut_med1, glut_med2"), once each.
std::vector<std::string> path_names(const Statics& s, const std::vector<int>& group) {
  std::vector<std::string> out;
  for (int m : group) {
    std::string n = s.muscles.parameters(m).name;
    if (n.size() > 2 && n[n.size() - 2] == '_') n.resize(n.size() - 2);
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  }
  return out;
}

ScenarioResult run(const Model& model, const ScenarioParameters& P) {
  Statics s(model);
  StanceBuilder stance(s);
  const double threshold = P.get("saturation");

  // ---- Muscle groups: scaled on both sides (a person's profile), judged on the stance (right) side.
  const std::vector<int> abductors = s.muscles_matching({"glut_med", "glut_min", "tfl"}, "");
  const std::vector<int> quads = s.muscles_matching({"rect_fem", "vas_"}, "");
  const std::vector<int> glutes = s.muscles_matching({"glut_max", "glut_med", "glut_min"}, "");
  const std::vector<int> abductors_r = s.muscles_matching({"glut_med", "glut_min", "tfl"}, "_r");
  const std::vector<int> quads_r = s.muscles_matching({"rect_fem", "vas_"}, "_r");
  const std::vector<int> glut_max_r = s.muscles_matching({"glut_max"}, "_r");
  const std::vector<int> glut_medmin_r = s.muscles_matching({"glut_med", "glut_min"}, "_r");
  if (abductors_r.empty() || quads_r.empty() || glut_max_r.empty())
    throw ScenarioError("model '" + model.name + "' lacks glut_med/glut_min/tfl, rect_fem/vas_ or glut_max muscles");
  const std::vector<Profile> profiles = {
      {"reference", "reference (all 100%)", {}},
      {"runner", fmt::format("runner (abductors {}%)", format_number(P.get("runner_abductors"), 0)),
       {{abductors, P.get("runner_abductors") / 100.0}}},
      {"cyclist",
       fmt::format("cyclist (quadriceps {}%, glutes {}%)", format_number(P.get("cyclist_quadriceps"), 0),
                   format_number(P.get("cyclist_glutes"), 0)),
       {{quads, P.get("cyclist_quadriceps") / 100.0}, {glutes, P.get("cyclist_glutes") / 100.0}}},
  };
  auto apply = [&](const Profile& p) {
    for (int m = 0; m < s.muscles.size(); ++m) s.muscles.set_max_isometric_force_scale(m, 1.0);
    for (const auto& [group, scale] : p.scales)
      for (int m : group) s.muscles.set_max_isometric_force_scale(m, scale);
  };

  SharingOptions so;
  so.coordinates = non_root_coordinates(model);
  so.judged = stance_judged(s);
  so.judged.push_back(s.coordinate("knee_angle_r"));
  so.judged.push_back(s.coordinate("ankle_angle_r"));
  const int hip_joint = s.joint_of("hip_flexion_r"), knee_joint = s.joint_of("knee_angle_r");

  // ---- (a) Single-leg stance, pelvis level, trunk upright in the frontal plane; the sagittal
  // trunk flexion is the least-effort one at full strength (as in glute-med-weakness).
  apply(profiles[0]);
  LoadSharing sharing(s, so);
  choose_sagittal(stance, sharing);
  const double stance_trunk_flexion = stance.trunk_flexion_deg;
  const Eigen::VectorXd q_stance = stance.posture(0.0, 0.0);
  const PostureState ps_stance = evaluate_posture(s, q_stance, stance.ground_reaction(q_stance));

  // ---- (b) Step-up / landing support: stance hip and knee flexed, the trailing leg hanging
  // (hip 10 deg extended, knee 30 deg flexed), the body pitched so that the centre of mass is
  // 5 cm in front of the ankle (over the mid-foot), a vertical ground force of `factor` body
  // weights under it and the matching d'Alembert loads of the whole-body deceleration.
  stance.trunk_flexion_deg = P.get("stepup_trunk_flexion");
  stance.stance_hip_flexion_deg = P.get("stepup_hip_flexion");
  stance.stance_knee_flexion_deg = P.get("stepup_knee_flexion");
  stance.swing_hip_flexion_deg = -10.0;
  stance.swing_knee_flexion_deg = 30.0;
  stance.balance_sagittal = true;
  stance.com_ahead = 0.05;
  const Eigen::VectorXd q_step = stance.posture(0.0, 0.0);
  const Vec3 torso_up = s.body_axis_in_ground(stance.torso, Vec3::UnitY());
  const double trunk_pitch = deg(std::atan2(torso_up.x(), torso_up.y()));
  auto step_loads = [&](double factor) {
    std::vector<PointLoad> loads = stance.ground_reaction(q_step, 0.0, factor);
    for (const PointLoad& l : vertical_deceleration_loads(s, factor)) loads.push_back(l);
    return loads;
  };
  const double factor = P.get("ground_factor");
  const PostureState ps_step = evaluate_posture(s, q_step, step_loads(factor));

  auto solve = [&](const PostureState& ps) {
    const Sharing sh = sharing.solve(ps, {hip_joint, knee_joint});
    const std::vector<JointLoad>& jl = sh.reactions;
    Outcome o;
    o.hip_bw = jl[0].magnitude / s.weight;
    o.knee_bw = jl[1].magnitude / s.weight;
    o.reserve = sh.max_judged_reserve;
    o.feasible = sh.feasible;
    o.quad_force = group_force(sh, quads_r);
    o.glut_max_force = group_force(sh, glut_max_r);
    o.glut_medmin_force = group_force(sh, glut_medmin_r);
    o.abductor_activation = mean_activation(sh, abductors_r);
    o.abductor_activation_max = max_activation(sh, abductors_r);
    o.quad_activation = mean_activation(sh, quads_r);
    o.glut_max_activation = mean_activation(sh, glut_max_r);
    for (int m = 0; m < s.muscles.size(); ++m)
      if (sh.activation[m] >= threshold) o.saturated.emplace_back(s.muscles.parameters(m).name, sh.activation[m]);
    return o;
  };
  const size_t np = profiles.size();
  std::vector<Outcome> at_stance, at_step;
  for (const Profile& p : profiles) {
    apply(p);
    at_stance.push_back(solve(ps_stance));
    at_step.push_back(solve(ps_step));
  }
  // Loads as the ground force rises from a slow step-up (1 BW) to a landing.
  const std::vector<double> factors = linspace(1.0, P.get("max_factor"), P.get_int("factor_points"));
  std::vector<std::vector<Outcome>> sweep(np);
  for (double f : factors) {
    const PostureState ps = evaluate_posture(s, q_step, step_loads(f));
    for (size_t p = 0; p < np; ++p) {
      apply(profiles[p]);
      sweep[p].push_back(solve(ps));
    }
  }
  // The largest ground force each profile holds in the step-up posture with its muscles alone
  // (no judged reserve above 1 N m): bisection on the factor in [0.5, 4] body weights.
  std::vector<double> capacity_bw(np);
  for (size_t p = 0; p < np; ++p) {
    apply(profiles[p]);
    auto held_at = [&](double f) {
      const PostureState ps = evaluate_posture(s, q_step, step_loads(f));
      return sharing.solve(ps).feasible;
    };
    double lo = 0.5, hi = 4.0;
    if (held_at(hi)) {
      lo = hi;
    } else if (held_at(lo)) {
      for (int it = 0; it < 12; ++it) (held_at(0.5 * (lo + hi)) ? lo : hi) = 0.5 * (lo + hi);
    } else {
      lo = 0.0;  // not even half a body weight
    }
    capacity_bw[p] = lo;
  }
  apply(profiles[0]);

  // ---- Results.
  const std::vector<std::string> tasks = {"single-leg stance", "step-up"};
  auto outcome = [&](size_t p, size_t t) -> const Outcome& { return t == 0 ? at_stance[p] : at_step[p]; };
  ScenarioResult out;
  out.title = "Runner vs cyclist: which strength profile fails where?";
  out.question =
      "A runner with weak hip abductors and a cyclist with strong quadriceps but weak glutes: which muscles reach "
      "their limit when each stands on one leg and when each steps up or lands on one leg, does either need help "
      "beyond its muscles, and how large are the hip and knee loads compared with someone of reference strength?";
  out.method = fmt::format(
      "Model '{}' in three strength profiles (maximum isometric force scaled on both sides): reference, every muscle "
      "100%; runner, hip abductors ({}: {} paths) at {}%; cyclist, quadriceps ({}: {} paths) at {}% and glutes ({}: "
      "{} paths) at {}%. Task (a): standing still on the right leg, pelvis level, trunk upright in the frontal plane "
      "and flexed {} degrees forward (least effort), the left hip flexed 30 and knee 60 degrees, the ground pushing "
      "up with one body weight under the centre of mass. Task (b): the support phase of a step-up or landing on the "
      "right leg: hip flexed {} and knee {} degrees, lumbar spine flexed {} degrees, the body pitched (trunk {} degrees "
      "from vertical) so that the centre of mass is 5 cm in front of the ankle, the left leg hanging; the ground "
      "pushes up with {} body weights and every segment carries the matching d'Alembert load of a uniform vertical "
      "deceleration ({} - 1 times its weight). Each posture is held by static optimization (least sum of squared "
      "activations; rigid tendons; reserve actuators of 1 N m), judged at the right hip, knee, ankle and the lumbar "
      "joint. A muscle saturates at activation >= {}. Hip contact is the hip joint reaction, knee load the knee "
      "(tibiofemoral) joint reaction on the tibia, both with the muscle forces applied. The step-up is repeated with "
      "ground forces of 1 to {} body weights.",
      model.name, join_names(path_names(s, abductors_r)), abductors.size(), format_number(P.get("runner_abductors"), 0),
      join_names(path_names(s, quads_r)), quads.size(), format_number(P.get("cyclist_quadriceps"), 0),
      join_names(path_names(s, s.muscles_matching({"glut_max", "glut_med", "glut_min"}, "_r"))), glutes.size(),
      format_number(P.get("cyclist_glutes"), 0), format_number(stance_trunk_flexion, 1),
      format_number(P.get("stepup_hip_flexion"), 0), format_number(P.get("stepup_knee_flexion"), 0),
      format_number(P.get("stepup_trunk_flexion"), 0), format_number(trunk_pitch, 0), format_number(factor, 2),
      format_number(factor, 2), format_number(threshold, 2), format_number(P.get("max_factor"), 1));

  const Outcome &ref_a = at_stance[0], &run_a = at_stance[1], &cyc_a = at_stance[2];
  const Outcome &ref_b = at_step[0], &run_b = at_step[1], &cyc_b = at_step[2];
  out.key_number = {"runner, single-leg stance: hip abductor activation", run_a.abductor_activation, "", 2};
  for (size_t p = 0; p < np; ++p)
    for (size_t t = 0; t < tasks.size(); ++t) {
      const Outcome& o = outcome(p, t);
      const std::string pre = profiles[p].name + ", " + tasks[t] + ": ";
      out.numbers.push_back({pre + "hip contact", o.hip_bw, "BW", 2});
      out.numbers.push_back({pre + "knee load", o.knee_bw, "BW", 2});
      out.numbers.push_back({pre + "hip abductor activation", o.abductor_activation, "", 2});
      out.numbers.push_back({pre + "quadriceps activation", o.quad_activation, "", 2});
      out.numbers.push_back({pre + "gluteus maximus activation", o.glut_max_activation, "", 2});
      out.numbers.push_back({pre + "saturated muscles", static_cast<double>(o.saturated.size()), "", 0});
      out.numbers.push_back({pre + "largest reserve", o.reserve, "N m", 1});
    }
  for (size_t p = 0; p < np; ++p)
    out.numbers.push_back({profiles[p].name + ": largest ground force held in the step-up posture", capacity_bw[p], "BW", 2});
  out.numbers.push_back({"step-up trunk inclination from vertical", trunk_pitch, "deg", 0});

  Table t;
  t.title = "Per profile and task";
  t.header = {"profile", "task", "hip contact (BW)", "knee load (BW)", "quadriceps (N)", "gluteus maximus (N)",
              "gluteus medius + minimus (N)", "abductor activation mean / max", "quadriceps activation",
              "largest reserve (N m)", "held by muscles"};
  for (size_t p = 0; p < np; ++p)
    for (size_t k = 0; k < tasks.size(); ++k) {
      const Outcome& o = outcome(p, k);
      t.rows.push_back({profiles[p].label, tasks[k], format_number(o.hip_bw, 2), format_number(o.knee_bw, 2),
                        format_number(o.quad_force, 0), format_number(o.glut_max_force, 0),
                        format_number(o.glut_medmin_force, 0),
                        format_number(o.abductor_activation, 2) + " / " + format_number(o.abductor_activation_max, 2),
                        format_number(o.quad_activation, 2), format_number(o.reserve, 1), o.feasible ? "yes" : "no"});
    }
  out.tables.push_back(t);
  Table sat;
  sat.title = fmt::format("Saturated muscles (activation >= {})", format_number(threshold, 2));
  sat.header = {"profile", "task", "count", "muscles (activation)"};
  for (size_t p = 0; p < np; ++p)
    for (size_t k = 0; k < tasks.size(); ++k) {
      const Outcome& o = outcome(p, k);
      std::string list;
      for (const auto& [name, a] : o.saturated) list += (list.empty() ? "" : ", ") + name + " (" + format_number(a, 2) + ")";
      sat.rows.push_back({profiles[p].label, tasks[k], std::to_string(o.saturated.size()), list.empty() ? "none" : list});
    }
  out.tables.push_back(sat);

  auto bars = [&](const std::string& title, const std::string& y_label,
                  const std::vector<std::pair<std::string, std::vector<double>>>& series) {
    Figure f;
    f.kind = Figure::Kind::Bar;
    f.title = title;
    f.y_label = y_label;
    for (const Profile& p : profiles) f.categories.push_back(p.name);
    f.caption = "Profiles: " + profiles[0].label + "; " + profiles[1].label + "; " + profiles[2].label + ".";
    for (const auto& [name, y] : series) f.series.push_back(Series{name, {}, y, false});
    return f;
  };
  auto per_profile = [&](size_t task, double Outcome::*field) {
    std::vector<double> y;
    for (size_t p = 0; p < np; ++p) y.push_back(outcome(p, task).*field);
    return y;
  };
  Figure f_hip = bars("Hip contact force", "hip contact (body weights)",
                      {{"single-leg stance", per_profile(0, &Outcome::hip_bw)}, {"step-up", per_profile(1, &Outcome::hip_bw)}});
  f_hip.has_band = true;
  f_hip.band_low = 2.0;
  f_hip.band_high = 3.0;
  f_hip.band_label = "instrumented hip implants: one-leg stance ~2.3, stairs up 2.5 BW (Bergmann 2001), +-20%";
  out.figures.push_back(f_hip);
  Figure f_knee = bars("Knee load (tibiofemoral joint reaction)", "knee load (body weights)",
                       {{"single-leg stance", per_profile(0, &Outcome::knee_bw)}, {"step-up", per_profile(1, &Outcome::knee_bw)}});
  f_knee.has_band = true;
  f_knee.band_low = 2.07;
  f_knee.band_high = 3.79;
  f_knee.band_label = "instrumented knee implants: one-leg stance 2.59, stairs up 3.16 BW (Kutzner 2010), +-20%";
  out.figures.push_back(f_knee);
  for (size_t k = 0; k < tasks.size(); ++k)
    out.figures.push_back(bars("Muscle forces, " + tasks[k] + " (right leg)", "force (N)",
                               {{"quadriceps", per_profile(k, &Outcome::quad_force)},
                                {"gluteus maximus", per_profile(k, &Outcome::glut_max_force)},
                                {"gluteus medius + minimus", per_profile(k, &Outcome::glut_medmin_force)}}));
  out.figures.push_back(bars("Activation demand (mean over the group's paths)", "activation",
                             {{"hip abductors, stance", per_profile(0, &Outcome::abductor_activation)},
                              {"hip abductors, step-up", per_profile(1, &Outcome::abductor_activation)},
                              {"quadriceps, step-up", per_profile(1, &Outcome::quad_activation)},
                              {"gluteus maximus, step-up", per_profile(1, &Outcome::glut_max_activation)}}));
  Figure f_land;
  f_land.title = "Step-up to landing: loads as the ground force rises";
  f_land.x_label = "vertical ground force (body weights)";
  f_land.y_label = "joint load (body weights)";
  for (size_t p = 0; p < np; ++p) {
    Series hip{profiles[p].name + ": hip contact", factors, {}, false}, knee{profiles[p].name + ": knee load", factors, {}, true};
    for (const Outcome& o : sweep[p]) hip.y.push_back(o.hip_bw), knee.y.push_back(o.knee_bw);
    f_land.series.push_back(hip);
    f_land.series.push_back(knee);
  }
  f_land.caption = fmt::format(
      "Same posture; the extra ground force is balanced by a uniform vertical deceleration of every segment. Largest "
      "ground force the muscles hold: reference {}, runner {}, cyclist {} BW; beyond it reserve actuators carry the "
      "rest, so the loads drawn there are too low.",
      format_number(capacity_bw[0], 2), format_number(capacity_bw[1], 2), format_number(capacity_bw[2], 2));
  out.figures.push_back(f_land);

  // ---- Verdict: one sentence per profile, status from the directions the profiles predict and
  // from the reference loads against the implant measurements (+-20% bands as in the figures).
  auto saturated_text = [](const Outcome& o) {
    if (o.saturated.empty()) return std::string("none saturated");
    std::vector<std::string> names;
    for (const auto& [name, a] : o.saturated) names.push_back(name);
    return fmt::format("{} saturated ({})", o.saturated.size(), join_names(names));
  };
  auto held = [](const Outcome& o) {
    return o.feasible ? std::string("held by the muscles")
                      : fmt::format("needs {} N m of reserve", format_number(o.reserve, 1));
  };
  const bool runner_abd = run_a.abductor_activation > ref_a.abductor_activation + 1e-3 &&
                          run_a.saturated.size() >= ref_a.saturated.size();
  const bool cyclist_quads = cyc_b.quad_activation < ref_b.quad_activation - 1e-3;
  const bool cyclist_glutes = cyc_b.glut_max_activation > ref_b.glut_max_activation + 1e-3;
  const bool loads_ok = ref_a.hip_bw >= 1.9 && ref_a.hip_bw <= 2.86 && ref_b.hip_bw >= 2.0 && ref_b.hip_bw <= 3.0 &&
                        ref_b.knee_bw >= 2.53 && ref_b.knee_bw <= 3.79;
  const int points = int(runner_abd) + int(cyclist_quads) + int(cyclist_glutes) + int(loads_ok);
  out.verdict.status = points == 4 ? VerdictStatus::Supported : points >= 2 ? VerdictStatus::Partly : VerdictStatus::NotSupported;
  out.verdict.claim =
      "Each profile's weak link shows in the task that loads it: the runner's weak hip abductors work nearer their "
      "limit in single-leg stance, the cyclist's strong quadriceps carry the step-up at a lower activation while its "
      "weak glutes work harder; at reference strength the hip and knee loads are those measured in vivo.";
  // Which reference loads fall outside the implant bands, named with the measured value.
  std::string outside;
  auto check = [&](const char* what, double v, double lo, double hi, const char* measured) {
    if (v < lo || v > hi)
      outside += fmt::format("{}{} {} BW (implants {})", outside.empty() ? "" : ", ", what, format_number(v, 2), measured);
  };
  check("stance hip contact", ref_a.hip_bw, 1.9, 2.86, "~2.3");
  check("step-up hip contact", ref_b.hip_bw, 2.0, 3.0, "2.51, stairs up");
  check("step-up knee load", ref_b.knee_bw, 2.53, 3.79, "3.16, stairs up");
  const std::string runner_label = fmt::format("Runner (abductors {}%)", format_number(P.get("runner_abductors"), 0));
  const std::string cyclist_label = fmt::format("Cyclist (quadriceps {}%, glutes {}%)",
                                                format_number(P.get("cyclist_quadriceps"), 0),
                                                format_number(P.get("cyclist_glutes"), 0));
  out.verdict.text =
      fmt::format("Reference: single-leg stance with the hip abductors at {} mean activation ({}; {}), hip contact {} BW, "
                  "knee load {} BW; step-up at {} BW of ground force with the quadriceps at {} ({}; {}), hip contact {} "
                  "BW, knee load {} BW; the muscles hold the step-up posture up to {} BW. ",
                  format_number(ref_a.abductor_activation, 2), saturated_text(ref_a), held(ref_a),
                  format_number(ref_a.hip_bw, 2), format_number(ref_a.knee_bw, 2), format_number(factor, 2),
                  format_number(ref_b.quad_activation, 2), saturated_text(ref_b), held(ref_b),
                  format_number(ref_b.hip_bw, 2), format_number(ref_b.knee_bw, 2), format_number(capacity_bw[0], 2)) +
      fmt::format("{}: in single-leg stance the abductor activation {} from {} to {} ({}; {}), hip contact {} BW; in "
                  "the step-up the abductors work at {} ({}); the step-up posture is held up to {} BW. ",
                  runner_label, runner_abd ? "rises" : "does not rise", format_number(ref_a.abductor_activation, 2),
                  format_number(run_a.abductor_activation, 2), saturated_text(run_a), held(run_a),
                  format_number(run_a.hip_bw, 2), format_number(run_b.abductor_activation, 2), held(run_b),
                  format_number(capacity_bw[1], 2)) +
      fmt::format("{}: in the step-up the quadriceps activation {} from {} to {} while the gluteus maximus activation "
                  "{} from {} to {} ({}; {}), knee load {} BW (reference {}), hip contact {} BW; in single-leg stance the "
                  "abductors work at {} ({}); the step-up posture is held up to {} BW. ",
                  cyclist_label, cyclist_quads ? "falls" : "does not fall", format_number(ref_b.quad_activation, 2),
                  format_number(cyc_b.quad_activation, 2), cyclist_glutes ? "rises" : "does not rise",
                  format_number(ref_b.glut_max_activation, 2), format_number(cyc_b.glut_max_activation, 2),
                  saturated_text(cyc_b), held(cyc_b), format_number(cyc_b.knee_bw, 2), format_number(ref_b.knee_bw, 2),
                  format_number(cyc_b.hip_bw, 2), format_number(cyc_a.abductor_activation, 2), held(cyc_a),
                  format_number(capacity_bw[2], 2)) +
      (loads_ok ? std::string("The reference hip and knee loads lie within 20% of the implant measurements.")
                : "Outside 20% of the implant measurements: " + outside +
                      " (static optimization with this model's short abductor moment arms and a still, flexed posture; "
                      "see the limits).");

  LiteratureComparison lc;
  lc.quantity = "hip contact, single-leg stance (reference)";
  lc.model_value = ref_a.hip_bw;
  lc.low = 1.9;
  lc.high = 2.86;
  lc.unit = "BW";
  lc.published = "slightly below 2.38 BW (4 patients; 2.38 BW is walking); band +-20%";
  lc.source = "Bergmann G, Deuretzbacher G, Heller M, Graichen F, Rohlmann A, Strauss J, Duda GN (2001) Hip contact "
              "forces and gait patterns from routine activities. J Biomech 34:859-871";
  out.literature.push_back(lc);
  lc.quantity = "hip contact, step-up (reference) vs climbing stairs";
  lc.model_value = ref_b.hip_bw;
  lc.low = 2.0;
  lc.high = 3.0;
  lc.published = "2.51 BW, stairs up (4 patients); band +-20%";
  out.literature.push_back(lc);
  lc.quantity = "knee load, single-leg stance (reference)";
  lc.model_value = ref_a.knee_bw;
  lc.low = 2.07;
  lc.high = 3.11;
  lc.published = "2.59 BW, one-legged stance (5 subjects); band +-20%";
  lc.source = "Kutzner I, Heinlein B, Graichen F, Bender A, Rohlmann A, Halder A, Beier A, Bergmann G (2010) Loading "
              "of the knee joint during activities of daily living measured in vivo in five subjects. J Biomech "
              "43:2164-2173";
  out.literature.push_back(lc);
  lc.quantity = "knee load, step-up (reference) vs stair ascent";
  lc.model_value = ref_b.knee_bw;
  lc.low = 2.53;
  lc.high = 3.79;
  lc.published = "3.16 BW, stair ascending (5 subjects); band +-20%";
  out.literature.push_back(lc);

  out.limits = {
      "Static: each task is one still posture; the step-up and the landing are not simulated as motions. A ground "
      "force above one body weight is applied as an external load with the d'Alembert loads of a uniform vertical "
      "deceleration of every segment (no segment rotation, no impact transient, no muscle force-velocity effect).",
      "The ground force is a parameter, not a result. The step-up default of 1 body weight is below the vertical "
      "ground force of stair climbing, which reaches up to 1.6 BW on steep stairs (Stacoff A et al. (2005) Ground "
      "reaction forces on stairs: effects of stair inclination and age. Gait Posture 21:24-38). A landing value "
      "(about 2-2.5 BW) could not be confirmed with the search tool for a single-leg landing (Ali N, Robertson DGE, "
      "Rouhi G, The Knee, in press 2012, report peak vertical force rising with drop height, but their values were not "
      "readable), so the sweep to max_factor is illustrative.",
      "The profiles scale only maximum isometric force; real runners and cyclists also differ in fibre length, "
      "tendon stiffness, body mass and posture habits. Scaling applies to both legs.",
      "The in-vivo loads come from older patients with hip or knee implants during dynamic activities (Bergmann "
      "2001, Kutzner 2010); the model is a generic young adult held still. The +-20% bands are a tolerance chosen "
      "here, not published spreads.",
      "This model's gluteus medius abduction moment arms (about 4.3 cm, models/README.md) are below the 5-7 cm often "
      "reported, so abductor forces and hip contact in stance are likely overestimated.",
      "The knee load is the joint reaction of a 1-DoF knee with its tibiofemoral translation; there is no "
      "patellofemoral joint, so the quadriceps act on the tibia directly and the knee load includes their pull.",
      "With the knee straight in single-leg stance, static optimization needs almost no knee muscle force and the "
      "1-DoF knee carries the frontal-plane (adduction) moment as a joint moment, not as condylar contact force; "
      "so the stance knee load (about the weight above the knee) stays well below the 2.59 BW Kutzner et al. "
      "measure, which include co-contraction and the medial-lateral load split.",
      "Static optimization minimises the sum of squared activations; people may co-contract, especially when "
      "landing.",
  };
  // The two tasks with each profile's load sharing: hip contact force as an arrow.
  Posture shown{"Single-leg stance, then the step-up landing, for each strength profile: right hip contact force "
                "(femoral head on the acetabulum) as an arrow",
                {}, {}, "", {}};
  for (const auto& [task, ps] : {std::pair{"stance", &ps_stance}, std::pair{"step-up", &ps_step}})
    for (const Profile& p : profiles) {
      apply(p);
      add_posture_frame(shown, s, *ps, sharing.solve(*ps, {hip_joint}).reactions[0], hip_joint,
                        fmt::format("{}, {}", task, p.name));
    }
  apply(profiles[0]);
  out.postures.push_back(std::move(shown));
  return out;
}

}  // namespace

ScenarioInfo runner_vs_cyclist_scenario() {
  ScenarioInfo info;
  info.name = "runner-vs-cyclist";
  info.title = "Runner vs cyclist strength profiles";
  info.summary = "weak abductors (runner) vs strong quads + weak glutes (cyclist): single-leg stance and step-up/landing";
  info.parameters = {
      {"runner_abductors", "runner: gluteus medius, minimus and tensor fasciae latae strength", 70.0, 5.0, 200.0, "%", false},
      {"cyclist_quadriceps", "cyclist: rectus femoris and vasti strength", 130.0, 5.0, 200.0, "%", false},
      {"cyclist_glutes", "cyclist: gluteus maximus, medius and minimus strength", 70.0, 5.0, 200.0, "%", false},
      {"saturation", "activation at which a muscle counts as saturated", 0.95, 0.5, 1.0, "", false},
      {"stepup_hip_flexion", "step-up: stance hip flexion", 45.0, 0.0, 100.0, "deg", false},
      {"stepup_knee_flexion", "step-up: stance knee flexion", 50.0, 0.0, 100.0, "deg", false},
      {"stepup_trunk_flexion", "step-up: lumbar flexion (trunk bent over the step)", 10.0, 0.0, 40.0, "deg", false},
      {"ground_factor", "step-up: vertical ground force (1 = slow step-up, 2-2.5 = landing)", 1.0, 0.5, 4.0, "BW", false},
      {"max_factor", "largest ground force of the step-up-to-landing sweep", 2.5, 1.0, 4.0, "BW", false},
      {"factor_points", "points of the ground-force sweep", 4.0, 2.0, 20.0, "", true},
  };
  info.run = &run;
  return info;
}

}  // namespace femur::hip::detail
