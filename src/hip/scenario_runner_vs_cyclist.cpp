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

#include "scenario_postures.hpp"
#include "scenario_report.hpp"
#include "scenarios.hpp"

namespace femur::hip::detail {
namespace {

// ---- The declaration: groups, variants (profiles), tasks, metrics.

// Scaled on both sides (a person's profile), judged on the stance (right) side.
struct Groups {
  std::vector<int> abductors, quads, glutes;                                // both sides
  std::vector<int> abductors_r, quads_r, glut_max_r, glut_medmin_r, glutes_r;  // stance side
};

Groups groups_of(const Statics& s) {
  Groups g;
  g.abductors = s.muscles_matching({"glut_med", "glut_min", "tfl"}, "");
  g.quads = s.muscles_matching({"rect_fem", "vas_"}, "");
  g.glutes = s.muscles_matching({"glut_max", "glut_med", "glut_min"}, "");
  g.abductors_r = s.muscles_matching({"glut_med", "glut_min", "tfl"}, "_r");
  g.quads_r = s.muscles_matching({"rect_fem", "vas_"}, "_r");
  g.glut_max_r = s.muscles_matching({"glut_max"}, "_r");
  g.glut_medmin_r = s.muscles_matching({"glut_med", "glut_min"}, "_r");
  g.glutes_r = s.muscles_matching({"glut_max", "glut_med", "glut_min"}, "_r");
  if (g.abductors_r.empty() || g.quads_r.empty() || g.glut_max_r.empty())
    throw ScenarioError("model '" + s.model.name + "' lacks glut_med/glut_min/tfl, rect_fem/vas_ or glut_max muscles");
  return g;
}

// The profiles: max isometric force scaled per group. name = the variant's short name,
// label its description.
struct Profile {
  Variant variant;
  std::string label;
};

std::vector<Profile> profiles_of(const Groups& g, const ScenarioParameters& P) {
  const double runner = P.get("runner_abductors"), quads = P.get("cyclist_quadriceps"), glutes = P.get("cyclist_glutes");
  return {{{"reference", {}, {}}, "reference (all 100%)"},
          {{"runner", {MuscleChange::strength(g.abductors, runner / 100.0)}, {}},
           fmt::format("runner (abductors {}%)", format_number(runner, 0))},
          {{"cyclist", {MuscleChange::strength(g.quads, quads / 100.0), MuscleChange::strength(g.glutes, glutes / 100.0)}, {}},
           fmt::format("cyclist (quadriceps {}%, glutes {}%)", format_number(quads, 0), format_number(glutes, 0))}};
}

// Every non-root coordinate balanced; judged at the stance hip, the lumbar joint, the stance
// knee and ankle; hip and knee reactions reported.
Task shared_task(Statics& s, std::string name) {
  Task t;
  t.name = std::move(name);
  t.sharing.coordinates = non_root_coordinates(s.model);
  t.sharing.judged = stance_judged(s);
  t.sharing.judged.push_back(s.coordinate("knee_angle_r"));
  t.sharing.judged.push_back(s.coordinate("ankle_angle_r"));
  t.reactions = {s.joint_of("hip_flexion_r"), s.joint_of("knee_angle_r")};
  return t;
}

// (b) Step-up / landing support: stance hip and knee flexed, the trailing leg hanging (hip 10
// deg extended, knee 30 deg flexed), the body pitched so that the centre of mass is 5 cm in
// front of the ankle (over the mid-foot). Returns the posture.
Eigen::VectorXd step_up_posture(StanceBuilder& stance, const ScenarioParameters& P) {
  stance.trunk_flexion_deg = P.get("stepup_trunk_flexion");
  stance.stance_hip_flexion_deg = P.get("stepup_hip_flexion");
  stance.stance_knee_flexion_deg = P.get("stepup_knee_flexion");
  stance.swing_hip_flexion_deg = -10.0;
  stance.swing_knee_flexion_deg = 30.0;
  stance.balance_sagittal = true;
  stance.com_ahead = 0.05;
  return stance.posture(0.0, 0.0);
}

// A vertical ground force of `factor` body weights under the centre of mass and the matching
// d'Alembert loads of the whole-body deceleration.
Frame step_up_frame(StanceBuilder& stance, const Eigen::VectorXd& q, double factor) {
  Frame f;
  f.x = factor;
  f.q = q;
  f.loads = stance.ground_reaction(q, 0.0, factor);
  for (const PointLoad& l : vertical_deceleration_loads(stance.s, factor)) f.loads.push_back(l);
  return f;
}

struct Row {
  double hip_bw = 0, knee_bw = 0, reserve = 0;
  bool feasible = false;
  double quad_force = 0, glut_max_force = 0, glut_medmin_force = 0;
  double abductor_activation = 0, abductor_activation_max = 0, quad_activation = 0, glut_max_activation = 0;
  std::vector<std::pair<std::string, double>> saturated;  // name, activation
};

Row measure(const Outcome& o, const Groups& g, double threshold) {
  const Sharing& sh = o.sharing;
  Row r;
  r.hip_bw = sh.reactions[0].magnitude / o.s.weight;
  r.knee_bw = sh.reactions[1].magnitude / o.s.weight;
  r.reserve = sh.max_judged_reserve;
  r.feasible = sh.feasible;
  r.quad_force = group_force(sh, g.quads_r);
  r.glut_max_force = group_force(sh, g.glut_max_r);
  r.glut_medmin_force = group_force(sh, g.glut_medmin_r);
  r.abductor_activation = mean_activation(sh, g.abductors_r);
  r.abductor_activation_max = max_activation(sh, g.abductors_r);
  r.quad_activation = mean_activation(sh, g.quads_r);
  r.glut_max_activation = mean_activation(sh, g.glut_max_r);
  for (int m = 0; m < o.s.muscles.size(); ++m)
    if (sh.activation[m] >= threshold) r.saturated.emplace_back(o.s.muscles.parameters(m).name, sh.activation[m]);
  return r;
}

// The largest ground force the profile holds in the step-up posture with its muscles alone (no
// judged reserve above 1 N m): bisection on the factor in [0.5, 4] body weights.
double capacity_bw(Engine& engine, const Task& task, StanceBuilder& stance, const Eigen::VectorXd& q) {
  auto held_at = [&](double f) { return engine.solve(task, step_up_frame(stance, q, f)).feasible; };
  double lo = 0.5, hi = 4.0;
  if (held_at(hi)) return hi;
  if (!held_at(lo)) return 0.0;  // not even half a body weight
  for (int it = 0; it < 12; ++it) (held_at(0.5 * (lo + hi)) ? lo : hi) = 0.5 * (lo + hi);
  return lo;
}

// ---- The report.

const std::vector<std::string> kTasks = {"single-leg stance", "step-up"};

struct Findings {
  std::vector<Profile> profiles;
  std::vector<std::vector<Row>> at;     // [profile][task]: stance, step-up
  std::vector<std::vector<Row>> sweep;  // [profile][factor]
  std::vector<double> factors, capacity;
  double stance_trunk_flexion = 0, trunk_pitch = 0, threshold = 0, factor = 0;
  std::string method;
  Adequacy adequacy;  // the reference profile's stance and step-up (the judged loads)
};

std::vector<Number> numbers(const Findings& f) {
  std::vector<Number> out;
  for (size_t p = 0; p < f.profiles.size(); ++p)
    for (size_t t = 0; t < kTasks.size(); ++t) {
      const Row& o = f.at[p][t];
      const std::string pre = f.profiles[p].variant.name + ", " + kTasks[t] + ": ";
      out.push_back({pre + "hip contact", o.hip_bw, "BW", 2});
      out.push_back({pre + "knee load", o.knee_bw, "BW", 2});
      out.push_back({pre + "hip abductor activation", o.abductor_activation, "", 2});
      out.push_back({pre + "quadriceps activation", o.quad_activation, "", 2});
      out.push_back({pre + "gluteus maximus activation", o.glut_max_activation, "", 2});
      out.push_back({pre + "saturated muscles", static_cast<double>(o.saturated.size()), "", 0});
      out.push_back({pre + "largest reserve", o.reserve, "N m", 1});
    }
  for (size_t p = 0; p < f.profiles.size(); ++p)
    out.push_back({f.profiles[p].variant.name + ": largest ground force held in the step-up posture", f.capacity[p], "BW", 2});
  out.push_back({"step-up trunk inclination from vertical", f.trunk_pitch, "deg", 0});
  return out;
}

std::vector<Table> tables(const Findings& f) {
  Table t, sat;
  t.title = "Per profile and task";
  t.header = {"profile", "task", "hip contact (BW)", "knee load (BW)", "quadriceps (N)", "gluteus maximus (N)",
              "gluteus medius + minimus (N)", "abductor activation mean / max", "quadriceps activation",
              "largest reserve (N m)", "held by muscles"};
  sat.title = fmt::format("Saturated muscles (activation >= {})", format_number(f.threshold, 2));
  sat.header = {"profile", "task", "count", "muscles (activation)"};
  for (size_t p = 0; p < f.profiles.size(); ++p)
    for (size_t k = 0; k < kTasks.size(); ++k) {
      const Row& o = f.at[p][k];
      const std::string& label = f.profiles[p].label;
      t.rows.push_back({label, kTasks[k], format_number(o.hip_bw, 2), format_number(o.knee_bw, 2),
                        format_number(o.quad_force, 0), format_number(o.glut_max_force, 0),
                        format_number(o.glut_medmin_force, 0),
                        format_number(o.abductor_activation, 2) + " / " + format_number(o.abductor_activation_max, 2),
                        format_number(o.quad_activation, 2), format_number(o.reserve, 1), o.feasible ? "yes" : "no"});
      std::string list;
      for (const auto& [name, a] : o.saturated) list += (list.empty() ? "" : ", ") + name + " (" + format_number(a, 2) + ")";
      sat.rows.push_back({label, kTasks[k], std::to_string(o.saturated.size()), list.empty() ? "none" : list});
    }
  return {t, sat};
}

std::vector<Figure> figures(const Findings& f) {
  std::vector<std::string> names;
  for (const Profile& p : f.profiles) names.push_back(p.variant.name);
  const std::string caption =
      "Profiles: " + f.profiles[0].label + "; " + f.profiles[1].label + "; " + f.profiles[2].label + ".";
  auto per_profile = [&](size_t task, double Row::*field) {
    std::vector<double> y;
    for (const std::vector<Row>& rows : f.at) y.push_back(rows[task].*field);
    return y;
  };
  auto bars = [&](const std::string& title, const std::string& y_label, std::vector<std::pair<std::string, double Row::*>> s,
                  std::vector<size_t> task) {
    std::vector<Series> series;
    for (size_t i = 0; i < s.size(); ++i) series.push_back({s[i].first, {}, per_profile(task[i], s[i].second), false});
    return report::bar_figure(title, y_label, names, series, caption);
  };
  std::vector<Figure> out;
  out.push_back(bars("Hip contact force", "hip contact (body weights)",
                     {{"single-leg stance", &Row::hip_bw}, {"step-up", &Row::hip_bw}}, {0, 1}));
  report::with_band(out.back(), 2.0, 3.0, "instrumented hip implants: one-leg stance ~2.3, stairs up 2.5 BW (Bergmann 2001), +-20%");
  out.push_back(bars("Knee load (tibiofemoral joint reaction)", "knee load (body weights)",
                     {{"single-leg stance", &Row::knee_bw}, {"step-up", &Row::knee_bw}}, {0, 1}));
  report::with_band(out.back(), 2.07, 3.79, "instrumented knee implants: one-leg stance 2.59, stairs up 3.16 BW (Kutzner 2010), +-20%");
  for (size_t k = 0; k < kTasks.size(); ++k)
    out.push_back(bars("Muscle forces, " + kTasks[k] + " (right leg)", "force (N)",
                       {{"quadriceps", &Row::quad_force}, {"gluteus maximus", &Row::glut_max_force},
                        {"gluteus medius + minimus", &Row::glut_medmin_force}},
                       {k, k, k}));
  out.push_back(bars("Activation demand (mean over the group's paths)", "activation",
                     {{"hip abductors, stance", &Row::abductor_activation}, {"hip abductors, step-up", &Row::abductor_activation},
                      {"quadriceps, step-up", &Row::quad_activation}, {"gluteus maximus, step-up", &Row::glut_max_activation}},
                     {0, 1, 1, 1}));
  Figure land = report::line_figure("Step-up to landing: loads as the ground force rises",
                                    "vertical ground force (body weights)", "joint load (body weights)", {});
  for (size_t p = 0; p < f.profiles.size(); ++p) {
    land.series.push_back({f.profiles[p].variant.name + ": hip contact", f.factors, values_of(f.sweep[p], &Row::hip_bw), false});
    land.series.push_back({f.profiles[p].variant.name + ": knee load", f.factors, values_of(f.sweep[p], &Row::knee_bw), true});
  }
  land.caption = fmt::format(
      "Same posture; the extra ground force is balanced by a uniform vertical deceleration of every segment. Largest "
      "ground force the muscles hold: reference {}, runner {}, cyclist {} BW; beyond it reserve actuators carry the "
      "rest, so the loads drawn there are too low.",
      format_number(f.capacity[0], 2), format_number(f.capacity[1], 2), format_number(f.capacity[2], 2));
  out.push_back(land);
  return out;
}

std::string saturated_text(const Row& o) {
  if (o.saturated.empty()) return "none saturated";
  std::vector<std::string> names;
  for (const auto& [name, a] : o.saturated) names.push_back(name);
  return fmt::format("{} saturated ({})", o.saturated.size(), join_names(names));
}

std::string held(const Row& o) {
  return o.feasible ? std::string("held by the muscles") : fmt::format("needs {} N m of reserve", format_number(o.reserve, 1));
}

// One point each: the runner's abductors work harder in stance (and saturate no less), the
// cyclist's quadriceps carry the step-up at a lower activation, its gluteus maximus at a higher
// one, and the reference loads lie within 20% of the implant measurements.
// The reference profile's hip and knee loads against the implants, each at the published mean
// +-15% (issue 18's band; the papers' abstracts give means only): Bergmann et al. 2001 (hip:
// one-leg stance slightly below walking's 2.38 BW, stairs up 2.51 BW) and Kutzner et al. 2010
// (knee: one-legged stance 2.59 BW, stair ascending 3.16 BW).
std::vector<LiteratureComparison> literature(const Findings& f) {
  const std::string kutzner =
      "Kutzner I, Heinlein B, Graichen F, Bender A, Rohlmann A, Halder A, Beier A, Bergmann G (2010) Loading "
      "of the knee joint during activities of daily living measured in vivo in five subjects. J Biomech "
      "43:2164-2173";
  auto knee = [&](std::string quantity, double model, double published, std::string what) {
    return LiteratureComparison{std::move(quantity), model, (1.0 - kBergmannTolerance) * published,
                                (1.0 + kBergmannTolerance) * published, "BW", kutzner, std::move(what)};
  };
  return {bergmann("hip contact, single-leg stance (reference)", f.at[0][0].hip_bw, kBergmannWalkingBW),
          bergmann("hip contact, step-up (reference) vs climbing stairs", f.at[0][1].hip_bw, kBergmannStairsUpBW),
          knee("knee load, single-leg stance (reference)", f.at[0][0].knee_bw, 2.59,
               "2.59 BW +-15%, one-legged stance (5 subjects)"),
          knee("knee load, step-up (reference) vs stair ascent", f.at[0][1].knee_bw, 3.16,
               "3.16 BW +-15%, stair ascending (5 subjects)")};
}

Verdict verdict(const Findings& f, const ScenarioParameters& P) {
  const Row &ref_a = f.at[0][0], &run_a = f.at[1][0], &cyc_a = f.at[2][0];
  const Row &ref_b = f.at[0][1], &run_b = f.at[1][1], &cyc_b = f.at[2][1];
  const bool runner_abd = run_a.abductor_activation > ref_a.abductor_activation + 1e-3 &&
                          run_a.saturated.size() >= ref_a.saturated.size();
  const bool cyclist_quads = cyc_b.quad_activation < ref_b.quad_activation - 1e-3;
  const bool cyclist_glutes = cyc_b.glut_max_activation > ref_b.glut_max_activation + 1e-3;
  // The three direction checks this verdict had (weaker abductors work harder, stronger
  // quadriceps work less, weaker glutes work harder) follow from the sign of the strength
  // scaling (issue 18): they are reported, not judged. Judged: the reference loads against the
  // implants, four computed numbers at the published means +-15%.
  const std::vector<LiteratureComparison> loads = literature(f);
  int held_points = 0;
  std::string outside;
  for (const LiteratureComparison& c : loads) {
    if (c.within()) {
      ++held_points;
      continue;
    }
    outside += fmt::format("{}{} {} BW (implants {})", outside.empty() ? "" : ", ", c.quantity,
                           format_number(c.model_value, 2), c.published);
  }
  const bool loads_ok = held_points == static_cast<int>(loads.size());
  Verdict v;
  v.status = report::status_of(held_points, static_cast<int>(loads.size()), 2);
  v.claim = "At reference strength the model loads the hip and the knee in single-leg stance and in a step-up as the "
            "instrumented implants measured (hip: Bergmann 2001; knee: Kutzner 2010); the runner's and the cyclist's "
            "profiles are then shown in the tasks that load their weak links.";
  v.text =
      fmt::format("Reference: single-leg stance with the hip abductors at {} mean activation ({}; {}), hip contact {} BW, "
                  "knee load {} BW; step-up at {} BW of ground force with the quadriceps at {} ({}; {}), hip contact {} "
                  "BW, knee load {} BW; the muscles hold the step-up posture up to {} BW. ",
                  format_number(ref_a.abductor_activation, 2), saturated_text(ref_a), held(ref_a),
                  format_number(ref_a.hip_bw, 2), format_number(ref_a.knee_bw, 2), format_number(f.factor, 2),
                  format_number(ref_b.quad_activation, 2), saturated_text(ref_b), held(ref_b),
                  format_number(ref_b.hip_bw, 2), format_number(ref_b.knee_bw, 2), format_number(f.capacity[0], 2)) +
      fmt::format("{}: in single-leg stance the abductor activation {} from {} to {} ({}; {}), hip contact {} BW; in "
                  "the step-up the abductors work at {} ({}); the step-up posture is held up to {} BW. ",
                  fmt::format("Runner (abductors {}%)", format_number(P.get("runner_abductors"), 0)),
                  runner_abd ? "rises" : "does not rise", format_number(ref_a.abductor_activation, 2),
                  format_number(run_a.abductor_activation, 2), saturated_text(run_a), held(run_a),
                  format_number(run_a.hip_bw, 2), format_number(run_b.abductor_activation, 2), held(run_b),
                  format_number(f.capacity[1], 2)) +
      fmt::format("{}: in the step-up the quadriceps activation {} from {} to {} while the gluteus maximus activation "
                  "{} from {} to {} ({}; {}), knee load {} BW (reference {}), hip contact {} BW; in single-leg stance the "
                  "abductors work at {} ({}); the step-up posture is held up to {} BW. ",
                  fmt::format("Cyclist (quadriceps {}%, glutes {}%)", format_number(P.get("cyclist_quadriceps"), 0),
                              format_number(P.get("cyclist_glutes"), 0)),
                  cyclist_quads ? "falls" : "does not fall", format_number(ref_b.quad_activation, 2),
                  format_number(cyc_b.quad_activation, 2), cyclist_glutes ? "rises" : "does not rise",
                  format_number(ref_b.glut_max_activation, 2), format_number(cyc_b.glut_max_activation, 2),
                  saturated_text(cyc_b), held(cyc_b), format_number(cyc_b.knee_bw, 2), format_number(ref_b.knee_bw, 2),
                  format_number(cyc_b.hip_bw, 2), format_number(cyc_a.abductor_activation, 2), held(cyc_a),
                  format_number(f.capacity[2], 2)) +
      (loads_ok ? std::string("The reference hip and knee loads lie within 15% of the implant measurements.")
                : "Outside 15% of the implant measurements: " + outside +
                      " (static optimization with this model's short abductor moment arms and a still, flexed posture; "
                      "see the limits).") +
      " The profiles' activation changes follow from the strength scaling itself and are not judged.";
  apply_adequacy(v, f.adequacy);
  return v;
}


const std::vector<std::string> kLimits = {
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

// Base names of a group ("glut_med1_r", "glut_med2_l" -> "glut_med1, glut_med2"), once each.
std::string path_names(const Statics& s, const std::vector<int>& group) {
  std::vector<std::string> out;
  for (int m : group) {
    std::string n = s.muscles.parameters(m).name;
    if (n.size() > 2 && n[n.size() - 2] == '_') n.resize(n.size() - 2);
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  }
  return join_names(out);
}

std::string method(const Statics& s, const Groups& g, const Findings& f, const ScenarioParameters& P) {
  return fmt::format(
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
      s.model.name, path_names(s, g.abductors_r), g.abductors.size(), format_number(P.get("runner_abductors"), 0),
      path_names(s, g.quads_r), g.quads.size(), format_number(P.get("cyclist_quadriceps"), 0), path_names(s, g.glutes_r),
      g.glutes.size(), format_number(P.get("cyclist_glutes"), 0), format_number(f.stance_trunk_flexion, 1),
      format_number(P.get("stepup_hip_flexion"), 0), format_number(P.get("stepup_knee_flexion"), 0),
      format_number(P.get("stepup_trunk_flexion"), 0), format_number(f.trunk_pitch, 0), format_number(f.factor, 2),
      format_number(f.factor, 2), format_number(f.threshold, 2), format_number(P.get("max_factor"), 1));
}

ScenarioResult run(const Model& model, const ScenarioParameters& P) {
  Statics s(model);
  Engine engine(s);
  StanceBuilder stance(s);
  const Groups g = groups_of(s);
  Findings f;
  f.profiles = profiles_of(g, P);
  f.threshold = P.get("saturation");
  f.factor = P.get("ground_factor");
  f.factors = linspace(1.0, P.get("max_factor"), P.get_int("factor_points"));
  // (a) Single-leg stance, pelvis level, trunk upright in the frontal plane; the sagittal trunk
  // flexion is the least-effort one at full strength (as in glute-med-weakness).
  Task single = shared_task(s, "single-leg stance"), step = shared_task(s, "step-up"), sweep = shared_task(s, "landing");
  choose_sagittal(stance, engine, single);
  f.stance_trunk_flexion = stance.trunk_flexion_deg;
  Frame stance_frame;
  stance_frame.q = stance.posture(0.0, 0.0);
  stance_frame.loads = stance.ground_reaction(stance_frame.q);
  single.frames = {stance_frame};
  // (b) The step-up at ground_factor, and the sweep from 1 body weight to a landing.
  const Eigen::VectorXd q_step = step_up_posture(stance, P);
  const Vec3 torso_up = s.body_axis_in_ground(stance.torso, Vec3::UnitY());
  f.trunk_pitch = deg(std::atan2(torso_up.x(), torso_up.y()));
  step.frames = {step_up_frame(stance, q_step, f.factor)};
  for (double factor : f.factors) sweep.frames.push_back(step_up_frame(stance, q_step, factor));
  std::vector<Variant> variants;
  for (const Profile& p : f.profiles) variants.push_back(p.variant);
  // The two tasks with each profile's load sharing, for the 3D view: [task][profile] hip reaction.
  std::vector<std::vector<JointLoad>> hip(2, std::vector<JointLoad>(variants.size()));
  const Results<Row> r = engine.run<Row>(variants, {single, step, sweep}, [&](const Outcome& o) {
    if (o.task_index < 2) hip[o.task_index][static_cast<size_t>(&o.variant - variants.data())] = o.sharing.reactions[0];
    return measure(o, g, f.threshold);
  });
  for (size_t p = 0; p < variants.size(); ++p) {
    f.at.push_back({r.at(p, 0), r.at(p, 1)});
    if (p == 0) f.adequacy = r.adequacy_of(0, 0), f.adequacy.merge(r.adequacy_of(0, 1));
    f.sweep.push_back(r.frames(p, 2));
    apply_changes(s, variants[p].changes);
    f.capacity.push_back(capacity_bw(engine, step, stance, q_step));
  }
  apply_changes(s, {});
  Posture shown{"Single-leg stance, then the step-up landing, for each strength profile: right hip contact force "
                "(femoral head on the acetabulum) as an arrow",
                {}, {}, "", {}};
  for (size_t t = 0; t < 2; ++t)
    for (size_t p = 0; p < variants.size(); ++p)
      add_posture_frame(shown, s, (t == 0 ? single : step).frames[0].q, hip[t][p], single.reactions[0],
                        fmt::format("{}, {}", t == 0 ? "stance" : "step-up", variants[p].name));
  ScenarioResult out = draw({
      .method = method(s, g, f, P),
      .key_number = {"runner, single-leg stance: hip abductor activation", f.at[1][0].abductor_activation, "", 2},
      .numbers = numbers(f),
      .figures = figures(f),
      .tables = tables(f),
      .verdict = verdict(f, P),
      .literature = literature(f),
      .limits = kLimits,
  });
  out.postures.push_back(std::move(shown));
  return out;
}

}  // namespace

ScenarioInfo runner_vs_cyclist_scenario() {
  ScenarioInfo info;
  info.name = "runner-vs-cyclist";
  info.title = "Runner vs cyclist strength profiles";
  info.summary = "weak abductors (runner) vs strong quads + weak glutes (cyclist): single-leg stance and step-up/landing";
  info.heading = "Runner vs cyclist: which strength profile fails where?";
  info.question =
      "A runner with weak hip abductors and a cyclist with strong quadriceps but weak glutes: which muscles reach "
      "their limit when each stands on one leg and when each steps up or lands on one leg, does either need help "
      "beyond its muscles, and how large are the hip and knee loads compared with someone of reference strength?";
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
