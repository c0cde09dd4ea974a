// Scenario `glute-med-weakness`: single-leg stance on the right leg with the gluteus medius
// and minimus weakened (max isometric force scaled from 100% down). For each strength, every
// posture of a grid (pelvic drop on the swing side x trunk lean over the stance leg) is held
// still by one Static Optimization frame; a posture is feasible when the muscles hold the
// stance hip and the lumbar joint without reserve actuators (|reserve| <= 1 N m). Reported:
// the drop needed with the trunk upright (Trendelenburg), the lean needed with the pelvis level
// (Duchenne), the least-effort feasible posture, abductor forces and hip contact force.
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "scenario_statics.hpp"

namespace femur::hip::detail {

// StanceBuilder, stance_judged and choose_sagittal live in scenario_statics (shared with
// runner-vs-cyclist).

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

ScenarioResult run(const Model& model, const ScenarioParameters& P) {
  Statics s(model);
  StanceBuilder stance(s);
  const std::vector<int> weak = s.muscles_matching({"glut_med", "glut_min"}, "_r");
  if (weak.empty()) throw ScenarioError("model '" + model.name + "' has no glut_med*/glut_min* muscles on the right");
  const int hip_joint = s.joint_of("hip_flexion_r");
  const int hip_add = s.coordinate("hip_adduction_r");

  SharingOptions so;
  so.coordinates = non_root_coordinates(model);
  so.judged = stance_judged(s);
  LoadSharing sharing(s, so);
  choose_sagittal(stance, sharing);

  std::vector<double> levels;
  for (double l = 100.0; l >= P.get("min_strength") - 1e-9; l -= P.get("strength_step")) levels.push_back(l);
  std::vector<double> drops, leans;
  for (double d = 0.0; d <= P.get("max_drop") + 1e-9; d += P.get("drop_step")) drops.push_back(d);
  for (double d = 0.0; d <= P.get("max_lean") + 1e-9; d += P.get("lean_step")) leans.push_back(d);

  // Every posture once; its SO per strength level.
  struct Cell {
    bool feasible = false;
    double effort = 0, weak_force = 0, contact_bw = 0, reserve = 0;
  };
  const size_t nl = levels.size(), nd = drops.size(), nk = leans.size();
  std::vector<Cell> cells(nl * nd * nk);
  auto cell = [&](size_t l, size_t d, size_t k) -> Cell& { return cells[(l * nd + d) * nk + k]; };
  for (size_t d = 0; d < nd; ++d) {
    for (size_t k = 0; k < nk; ++k) {
      const Eigen::VectorXd q = stance.posture(drops[d], leans[k]);
      const PostureState ps = evaluate_posture(s, q, stance.ground_reaction(q));
      for (size_t l = 0; l < nl; ++l) {
        for (int m : weak) s.muscles.set_max_isometric_force_scale(m, levels[l] / 100.0);
        const Sharing sh = sharing.solve(ps, {hip_joint});
        Cell& c = cell(l, d, k);
        c.feasible = sh.feasible;
        c.effort = sh.effort;
        c.weak_force = group_force(sh, weak);
        c.reserve = sh.max_judged_reserve;
        c.contact_bw = sh.reactions[0].magnitude / s.weight;
      }
    }
  }
  for (int m : weak) s.muscles.set_max_isometric_force_scale(m, 1.0);

  // Per level: drop needed (trunk upright), lean needed (pelvis level), least-effort posture.
  std::vector<double> need_drop(nl, kNaN), need_lean(nl, kNaN), best_drop(nl, kNaN), best_lean(nl, kNaN),
      best_force(nl, kNaN), best_contact(nl, kNaN), upright_force(nl), upright_contact(nl), upright_reserve(nl);
  for (size_t l = 0; l < nl; ++l) {
    for (size_t d = 0; d < nd && std::isnan(need_drop[l]); ++d)
      if (cell(l, d, 0).feasible) need_drop[l] = drops[d];
    for (size_t k = 0; k < nk && std::isnan(need_lean[l]); ++k)
      if (cell(l, 0, k).feasible) need_lean[l] = leans[k];
    double best = std::numeric_limits<double>::infinity();
    for (size_t d = 0; d < nd; ++d)
      for (size_t k = 0; k < nk; ++k) {
        const Cell& c = cell(l, d, k);
        if (c.feasible && c.effort < best) {
          best = c.effort;
          best_drop[l] = drops[d];
          best_lean[l] = leans[k];
          best_force[l] = c.weak_force;
          best_contact[l] = c.contact_bw;
        }
      }
    upright_force[l] = cell(l, 0, 0).weak_force;
    upright_contact[l] = cell(l, 0, 0).contact_bw;
    upright_reserve[l] = cell(l, 0, 0).reserve;
  }
  // Thresholds: the highest strength at which the upright, level stance is no longer held,
  // and the highest at which no drop up to max_drop is enough with the trunk upright.
  // upright_fails: highest strength at which the level, upright stance is no longer held;
  // trendelenburg: highest at which a pelvic drop (trunk upright) is what holds it;
  // duchenne: highest at which no drop within the grid is enough and the trunk must lean.
  double upright_fails = kNaN, trendelenburg = kNaN, duchenne = kNaN;
  for (size_t l = 0; l < nl; ++l) {
    if (std::isnan(upright_fails) && !(need_drop[l] == 0.0)) upright_fails = levels[l];
    if (std::isnan(trendelenburg) && need_drop[l] > 0.0) trendelenburg = levels[l];
    if (std::isnan(duchenne) && std::isnan(need_drop[l])) duchenne = levels[l];
  }

  // Too-narrow stance: full strength, upright and level, the foot moved medially.
  std::vector<double> offsets_cm = linspace(-P.get("max_narrow"), P.get("max_narrow"), 2 * P.get_int("narrow_points") + 1);
  std::vector<double> narrow_moment, narrow_force;
  for (double cm : offsets_cm) {
    const Eigen::VectorXd q = stance.posture(0.0, 0.0, cm / 100.0);
    const PostureState ps = evaluate_posture(s, q, stance.ground_reaction(q, cm / 100.0));
    const Sharing sh = sharing.solve(ps);
    narrow_moment.push_back(-ps.tau[hip_add]);
    narrow_force.push_back(group_force(sh, weak));
  }
  const size_t mid = offsets_cm.size() / 2;

  ScenarioResult out;
  out.title = "Weak gluteus medius in single-leg stance: pelvic drop or trunk lean?";
  out.question =
      "When the hip abductors (gluteus medius and minimus) get weaker, can a person still stand on one leg "
      "with the pelvis level and the trunk upright? Below which strength must the pelvis drop on the other "
      "side (Trendelenburg sign) or the trunk lean over the standing leg (Duchenne limp)? How large is the "
      "load on the hip joint, and what does a too-narrow stance do to the abductors?";
  out.method = fmt::format(
      "Model '{}', standing still on the right leg, left hip flexed 30 degrees and knee 60 degrees. The "
      "ground pushes up with one body weight under the whole-body centre of mass; the standing hip is "
      "adducted so that the ankle is under it. The right gluteus medius and minimus ({} muscle paths) have "
      "their maximum isometric force scaled from 100% to {}%. Each posture of a grid (pelvic drop on the "
      "swing side 0-{} degrees, trunk lean over the standing leg 0-{} degrees, measured in the room) is held "
      "by static optimization (least sum of squared activations; rigid tendons; reserve actuators of 1 N m). "
      "A posture is feasible when the muscles alone hold the standing hip and the lumbar joint (every reserve "
      "there at most 1 N m). Hip contact force is the hip joint reaction with the muscle forces applied.",
      model.name, weak.size(), format_number(levels.back(), 0), format_number(drops.back(), 0),
      format_number(leans.back(), 0));

  const double contact_full = upright_contact[0];
  out.key_number = {"hip contact, single-leg stance", contact_full, "BW", 2};
  out.numbers = {
      {"hip contact force, full strength, upright (body weights)", contact_full, "BW", 2},
      {"gluteus medius + minimus force, full strength, upright", upright_force[0], "N", 0},
      {"abductor moment needed, full strength, upright", narrow_moment[mid], "N m", 1},
      {"sagittal trunk flexion chosen (least effort)", stance.trunk_flexion_deg, "deg", 1},
      {"highest strength at which the level, upright stance fails", upright_fails, "%", 0},
      {"highest strength at which the pelvis must drop (trunk upright)", trendelenburg, "%", 0},
      {"highest strength at which a drop up to " + format_number(drops.back(), 0) + " deg is not enough (trunk must lean)",
       duchenne, "%", 0},
      {"abductor moment needed with the foot " + format_number(offsets_cm.back(), 0) + " cm medial (narrow)",
       narrow_moment.back(), "N m", 1},
      {"abductor moment needed with the foot " + format_number(-offsets_cm.front(), 0) + " cm lateral (wide)",
       narrow_moment.front(), "N m", 1},
  };

  Table t;
  t.title = "Per strength level";
  t.header = {"strength (%)", "drop needed, trunk upright (deg)", "lean needed, pelvis level (deg)",
              "least-effort posture: drop / lean (deg)", "glut med+min force there (N)", "hip contact there (BW)",
              "upright: glut med+min (N)", "upright: hip contact (BW)", "upright: missing moment (N m)"};
  auto fmt_or = [](double v, const char* none) { return std::isnan(v) ? std::string(none) : format_number(v, 0); };
  for (size_t l = 0; l < nl; ++l)
    t.rows.push_back({format_number(levels[l], 0), fmt_or(need_drop[l], "> max"), fmt_or(need_lean[l], "> max"),
                      std::isnan(best_drop[l]) ? "none feasible"
                                               : format_number(best_drop[l], 0) + " / " + format_number(best_lean[l], 0),
                      std::isnan(best_force[l]) ? "-" : format_number(best_force[l], 0),
                      std::isnan(best_contact[l]) ? "-" : format_number(best_contact[l], 2),
                      format_number(upright_force[l], 0), format_number(upright_contact[l], 2),
                      format_number(upright_reserve[l], 1)});
  out.tables.push_back(t);

  auto series = [&](const std::string& name, const std::vector<double>& y, bool dashed = false) {
    Series se;
    se.name = name;
    se.x = levels;
    se.y = y;
    se.dashed = dashed;
    return se;
  };
  Figure f1;
  f1.title = "Compensation needed as the abductors weaken";
  f1.x_label = "gluteus medius + minimus strength (%)";
  f1.y_label = "angle (deg)";
  f1.series = {series("pelvic drop needed (trunk upright)", need_drop), series("trunk lean needed (pelvis level)", need_lean),
               series("least-effort posture: drop", best_drop, true), series("least-effort posture: lean", best_lean, true)};
  f1.caption = "Gaps: no angle within the grid is enough.";
  out.figures.push_back(f1);
  Figure f2;
  f2.title = "Hip contact force";
  f2.x_label = "gluteus medius + minimus strength (%)";
  f2.y_label = "hip contact force (body weights)";
  f2.series = {series("upright, level (reserves where muscles fall short)", upright_contact),
               series("least-effort feasible posture", best_contact, true)};
  f2.has_band = true;
  f2.band_low = 2.0;
  f2.band_high = 3.0;
  f2.band_label = "instrumented implants, one-leg stance (Bergmann)";
  out.figures.push_back(f2);
  Figure f3;
  f3.title = "Gluteus medius + minimus force";
  f3.x_label = "gluteus medius + minimus strength (%)";
  f3.y_label = "force (N)";
  f3.series = {series("upright, level", upright_force), series("least-effort feasible posture", best_force, true)};
  out.figures.push_back(f3);
  Figure f4;
  f4.title = "Stance width: abductor demand with the foot moved medially";
  f4.x_label = "foot position, medial of the point under the centre of mass (cm)";
  f4.y_label = "hip abductor moment needed (N m)";
  Series sm;
  sm.name = "abductor moment needed";
  sm.x = offsets_cm;
  sm.y = narrow_moment;
  f4.series = {sm};
  f4.caption = "Full strength, pelvis level, trunk upright. The ground force runs from the foot to the centre of mass, "
               "as in single support while walking; positive = narrower stance.";
  out.figures.push_back(f4);

  const bool full_ok = need_drop[0] == 0.0;
  const bool some_drop = !std::isnan(trendelenburg);
  const bool fails = !std::isnan(upright_fails);
  const bool some_lean = !std::isnan(duchenne);
  out.verdict.claim =
      "Weak hip abductors make the pelvis drop on the swing side (Trendelenburg), and weaker still make the trunk "
      "lean over the standing leg (Duchenne); single-leg stance loads the hip with 2-3 body weights.";
  const bool contact_ok = contact_full >= 2.0 && contact_full <= 3.0;
  const int points = int(full_ok && fails) + int(some_lean) + int(contact_ok);
  out.verdict.status = points == 3 ? VerdictStatus::Supported : points >= 1 ? VerdictStatus::Partly : VerdictStatus::NotSupported;
  out.verdict.text = fmt::format(
      "At full strength the pelvis {} level with the trunk upright. {} {} {} Hip contact at full strength is {} body weights{}. "
      "Moving the foot {} cm medially changes the abductor moment needed from {} to {} N m.",
      full_ok ? "stays" : "does not stay",
      fails ? fmt::format("At {}% strength and below, the muscles can no longer hold the pelvis level with the trunk upright.",
                          format_number(upright_fails, 0))
            : "Down to " + format_number(levels.back(), 0) + "% strength the level, upright stance is held.",
      some_drop ? fmt::format("At {}% and below, a pelvic drop (trunk upright) is what holds the stance (Trendelenburg).",
                              format_number(trendelenburg, 0))
                : fails ? "A pelvic drop never helps in this model: with the trunk kept upright, dropping the pelvis "
                          "shortens the abductor moment arms and the model has no hip capsule or iliotibial band to "
                          "hold a dropped pelvis passively, so the drop is a failure, not a compensation."
                        : "",
      some_lean ? fmt::format("At {}% and below, no drop up to {} degrees is enough and the trunk must lean.", format_number(duchenne, 0),
                              format_number(drops.back(), 0))
                : "A drop within the grid is always enough.",
      format_number(contact_full, 2), contact_ok ? ", within the implant range" : ", outside the 2-3 BW implant range",
      format_number(offsets_cm.back(), 0), format_number(narrow_moment[mid], 1), format_number(narrow_moment.back(), 1));

  LiteratureComparison lc;
  lc.quantity = "hip contact force, one-leg stance";
  lc.model_value = contact_full;
  lc.low = 2.0;
  lc.high = 3.0;
  lc.unit = "BW";
  lc.source = "Bergmann G et al. (2001) Hip contact forces and gait patterns from routine activities. J Biomech "
              "34:859-871; Bergmann G et al. (2016) Standardized loads acting in hip implants. PLoS One 11:e0155612";
  out.literature.push_back(lc);

  out.limits = {
      "Static: the posture is held still; the dynamics of walking (Trendelenburg gait) are not simulated.",
      "Feasibility is judged by muscle strength alone; pain, balance, passive hip capsule and iliotibial band "
      "tension beyond the muscle models are not included.",
      "Static optimization with rigid tendons minimises the sum of squared activations; real people may co-contract.",
      "The model has no passive hip capsule or iliotibial band moment: a dropped pelvis is held only by muscles.",
      "The least-effort posture counts only muscle effort; the cost of leaving an upright posture (balance, "
      "looking straight) is not modelled, so it may lean even at full strength.",
      "The stance-width variant uses a ground force through the centre of mass from a displaced foot, "
      "as in the single-support phase of walking, not a balanced still stance.",
  };
  // The posture that costs least effort at each strength level, with its hip contact force.
  Posture shown{"Single-leg stance on the right leg: the least-effort posture at each abductor strength, hip "
                "contact force (femoral head on the acetabulum) as an arrow",
                {}, {}, "", {}};
  for (size_t l = 0; l < nl; ++l) {
    if (std::isnan(best_drop[l])) continue;
    for (int m : weak) s.muscles.set_max_isometric_force_scale(m, levels[l] / 100.0);
    const Eigen::VectorXd q = stance.posture(best_drop[l], best_lean[l]);
    const PostureState ps = evaluate_posture(s, q, stance.ground_reaction(q));
    add_posture_frame(shown, s, ps, sharing.solve(ps, {hip_joint}).reactions[0], hip_joint,
                      fmt::format("abductors {}%: drop {} deg, lean {} deg", format_number(levels[l], 0),
                                  format_number(best_drop[l], 0), format_number(best_lean[l], 0)));
  }
  for (int m : weak) s.muscles.set_max_isometric_force_scale(m, 1.0);
  out.postures.push_back(std::move(shown));
  return out;
}

}  // namespace

ScenarioInfo glute_med_weakness_scenario() {
  ScenarioInfo info;
  info.name = "glute-med-weakness";
  info.title = "Gluteus medius weakness in single-leg stance";
  info.summary = "abductor strength 100% -> 20%: pelvic drop (Trendelenburg), trunk lean (Duchenne), hip contact";
  info.parameters = {
      {"min_strength", "weakest abductor strength", 20.0, 0.0, 100.0, "%", false},
      {"strength_step", "strength step", 10.0, 1.0, 50.0, "%", false},
      {"max_drop", "largest pelvic drop tried", 12.0, 0.0, 30.0, "deg", false},
      {"drop_step", "pelvic drop step", 2.0, 0.5, 10.0, "deg", false},
      {"max_lean", "largest trunk lean tried", 16.0, 0.0, 40.0, "deg", false},
      {"lean_step", "trunk lean step", 2.0, 0.5, 10.0, "deg", false},
      {"max_narrow", "largest foot displacement for the stance-width plot", 6.0, 0.0, 20.0, "cm", false},
      {"narrow_points", "points on each side of the stance-width plot", 3.0, 1.0, 20.0, "", true},
  };
  info.run = &run;
  return info;
}

}  // namespace femur::hip::detail
