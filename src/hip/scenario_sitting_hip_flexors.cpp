// Scenario `sitting-hip-flexors`: hours of sitting (hip and knee flexed ~90 deg) keep the hip
// flexors short. Step 1 compares the flexors' normalized fiber lengths (fiber length / optimal
// fiber length, rigid tendon as the load sharing) sitting and standing. Step 2 models adaptive
// shortening (optimal fiber length 5..20% shorter, tendon slack length kept: sarcomere loss in
// a muscle held short, Williams & Goldspink 1978) and reports the passive hip flexion moment
// of the flexors from standing into the 10-20 deg of hip extension of late stance, and the
// "tight hip flexor" limit: the extension at which that passive moment reaches a threshold
// (passive_extension_limit in scenario_statics, shared with elderly-step-length). A Thomas
// test (supine, thigh hanging off the table, knee bent) is added because the knee angle decides
// how much rectus femoris contributes.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "scenario_statics.hpp"

namespace femur::hip::detail {
namespace {

struct Level {
  double shortening = 0;  // fraction of the optimal fiber length removed
  double moment_0 = 0, moment_10 = 0, moment_15 = 0, moment_20 = 0;  // passive flexion moment (N m)
  ExtensionLimit limit, thomas;
};

ScenarioResult run(const Model& model, const ScenarioParameters& P) {
  Statics s(model);
  const int hip = s.coordinate("hip_flexion_r"), knee = s.coordinate("knee_angle_r");
  const int hip_l = s.coordinate("hip_flexion_l"), tilt = s.coordinate("pelvis_tilt");
  const int pelvis = s.body("pelvis");
  const double knee_sign = model.coordinates[static_cast<size_t>(knee)].range_min < -0.5 ? -1.0 : 1.0;

  // The muscles that sitting keeps short: iliopsoas, rectus femoris, TFL, sartorius (right side).
  struct Named {
    std::string label, prefix;
  };
  const std::vector<Named> named = {{"iliacus", "iliacus"},     {"psoas", "psoas"}, {"rectus femoris", "rect_fem"},
                                    {"tensor fasciae latae", "tfl"}, {"sartorius", "sar"}};
  std::vector<int> tight;
  std::vector<std::string> tight_label;
  for (const Named& n : named)
    for (int m : s.muscles_matching({n.prefix}, "_r")) tight.push_back(m), tight_label.push_back(n.label);
  if (tight.size() < named.size())
    throw ScenarioError("model '" + model.name + "' lacks one of iliacus_r, psoas_r, rect_fem_r, tfl_r, sar_r");
  const bool all_muscles = P.get_int("all_muscles") == 1;
  const std::vector<int> counted = all_muscles ? std::vector<int>{} : tight;
  const double threshold = P.get("threshold");
  const double need = P.get("walking_extension");

  // ---- Step 1: sitting vs standing fiber lengths (model's own optimal fiber lengths).
  const Eigen::VectorXd standing = model.default_q();
  Eigen::VectorXd sitting = standing;
  sitting[hip] = rad(P.get("sit_hip_flexion"));
  sitting[knee] = knee_sign * rad(P.get("sit_knee_flexion"));
  const PostureState ps_stand = evaluate_posture(s, standing, {});
  const PostureState ps_sit = evaluate_posture(s, sitting, {});
  std::vector<double> l_stand, l_sit;
  for (int m : tight) {
    l_stand.push_back(normalized_fiber_length(s, ps_stand, m));
    l_sit.push_back(normalized_fiber_length(s, ps_sit, m));
  }
  // The shortening that would make the sitting length the new optimum (full adaptation),
  // for the one-joint flexors iliacus and psoas.
  const double full_adaptation = 100.0 * (1.0 - 0.5 * (l_sit[0] / l_stand[0] + l_sit[1] / l_stand[1]));

  // ---- Step 2: shortening levels, passive moments, limits.
  Eigen::VectorXd late = standing;  // late stance: knee slightly flexed
  late[knee] = knee_sign * rad(P.get("stance_knee_flexion"));
  // Thomas test: supine (pelvis turned so that its anterior axis points up), the other hip held
  // flexed to the chest, the tested thigh hanging off the table edge with the knee bent.
  Eigen::VectorXd thomas = standing;
  thomas[tilt] = rad(90.0);
  s.kinematics(thomas);
  if (s.body_axis_in_ground(pelvis, Vec3::UnitX()).y() < 0) thomas[tilt] = -rad(90.0);
  thomas[hip_l] = rad(100.0);
  thomas[knee] = knee_sign * rad(P.get("thomas_knee_flexion"));
  constexpr double kMinDeg = -30.0, kMaxDeg = 45.0;  // search range of the limits (deg of extension)

  auto moment_at = [&](const Eigen::VectorXd& base, double hip_deg) {
    Eigen::VectorXd q = base;
    q[hip] = rad(hip_deg);
    const PostureState ps = evaluate_posture(s, q, {});
    return passive_moment(ps, hip, counted);
  };
  const double max_short = P.get("max_shortening") / 100.0, step = P.get("shortening_step") / 100.0;
  std::vector<Level> levels;
  for (double f = 0.0; f <= max_short + 1e-9; f += step) {
    shorten_optimal_fiber_length(s, tight, f);
    Level l;
    l.shortening = f;
    l.moment_0 = moment_at(late, 0.0);
    l.moment_10 = moment_at(late, -10.0);
    l.moment_15 = moment_at(late, -15.0);
    l.moment_20 = moment_at(late, -20.0);
    l.limit = passive_extension_limit(s, late, hip, counted, threshold, false, kMinDeg, kMaxDeg);
    // The thigh rests where all passive muscle forces balance the leg's weight.
    l.thomas = passive_extension_limit(s, thomas, hip, {}, 0.0, true, kMinDeg, kMaxDeg);
    levels.push_back(l);
  }
  // The least shortening whose limit falls to the extension walking needs (bisection; the limit
  // never grows with shortening).
  auto limit_at = [&](double f) {
    shorten_optimal_fiber_length(s, tight, f);
    return passive_extension_limit(s, late, hip, counted, threshold, false, kMinDeg, kMaxDeg).angle_deg;
  };
  double needed_shortening = -1.0;  // < 0: not within [0, max_shortening]
  if (limit_at(0.0) <= need) {
    needed_shortening = 0.0;
  } else if (limit_at(max_short) <= need) {
    double a = 0.0, b = max_short;
    for (int it = 0; it < 14; ++it) (limit_at(0.5 * (a + b)) <= need ? b : a) = 0.5 * (a + b);
    needed_shortening = b;
  }

  // Sensitivity: the limit per level and the shortening needed, for thresholds around the chosen one.
  const std::vector<double> thresholds = {0.5 * threshold, threshold, 1.5 * threshold, 2.0 * threshold};
  Table sens;
  sens.title = "Extension limit (deg) vs threshold";
  sens.header = {"threshold (N m)"};
  for (const Level& l : levels) sens.header.push_back(fmt::format("{}% shorter", format_number(100 * l.shortening, 0)));
  sens.header.push_back("shortening for the walking need (%)");
  std::vector<double> sens_needed;  // per threshold; < 0: beyond max_shortening
  for (double th : thresholds) {
    std::vector<std::string> row{format_number(th, 1)};
    auto lim = [&](double f) {
      shorten_optimal_fiber_length(s, tight, f);
      return passive_extension_limit(s, late, hip, counted, th, false, kMinDeg, kMaxDeg);
    };
    for (const Level& l : levels) {
      const ExtensionLimit e = lim(l.shortening);
      row.push_back(!e.reached ? "> " + format_number(kMaxDeg, 0) : format_number(e.angle_deg, 1));
    }
    double needed = -1.0;
    if (lim(0.0).angle_deg <= need) {
      needed = 0.0;
    } else if (lim(max_short).angle_deg <= need) {
      double a = 0.0, b = max_short;
      for (int it = 0; it < 10; ++it) (lim(0.5 * (a + b)).angle_deg <= need ? b : a) = 0.5 * (a + b);
      needed = b;
    }
    sens_needed.push_back(needed);
    row.push_back(needed < 0.0 ? "> " + format_number(100 * max_short, 0) : format_number(100 * needed, 1));
    sens.rows.push_back(row);
  }

  // Moment-angle curves per level.
  const std::vector<double> angles = linspace(-P.get("max_extension"), 10.0, std::max(3, P.get_int("points")));
  std::vector<Series> curves;
  for (const Level& l : levels) {
    shorten_optimal_fiber_length(s, tight, l.shortening);
    Series se;
    se.name = fmt::format("optimal fiber length -{}%", format_number(100 * l.shortening, 0));
    for (double a : angles) se.x.push_back(a), se.y.push_back(moment_at(late, a));
    curves.push_back(se);
  }
  shorten_optimal_fiber_length(s, tight, 0.0);

  // ---- Results.
  auto limit_text = [&](const ExtensionLimit& l) {
    if (!l.reached) return "> " + format_number(kMaxDeg, 0);
    return l.angle_deg <= kMinDeg + 1e-9 ? "< " + format_number(kMinDeg, 0) : format_number(l.angle_deg, 1);
  };
  auto limit_label = [&](const ExtensionLimit& l) {
    return !l.reached ? fmt::format(" (not reached by {} deg)", format_number(kMaxDeg, 0))
           : l.angle_deg <= kMinDeg + 1e-9 ? fmt::format(" (already at {} deg)", format_number(kMinDeg, 0))
                                           : std::string();
  };
  const Level& normal = levels.front();
  const Level& worst = levels.back();
  auto level_at = [&](double f) -> const Level* {
    for (const Level& l : levels)
      if (std::abs(l.shortening - f) < 1e-6) return &l;
    return nullptr;
  };

  ScenarioResult out;
  out.title = "Sitting and tight hip flexors: adaptive shortening and the hip extension limit";
  out.question =
      "Hours of sitting keep the hip flexors short. How short are they sitting compared with standing, and if they adapt "
      "by losing length (a shorter optimal fiber length), does their passive tension stop the hip before the 10-20 "
      "degrees of extension walking needs in late stance?";
  out.method = fmt::format(
      "Model '{}'. Normalized fiber length = fiber length / optimal fiber length with a rigid tendon (as Static "
      "Optimization's muscle physiology), standing (hip and knee 0) vs sitting (hip {} deg, knee {} deg flexed), for "
      "iliacus, psoas, rectus femoris, TFL and sartorius. Adaptive shortening: their optimal fiber length set {}% to "
      "{}% shorter in steps of {}% (tendon slack length kept). Passive hip flexion moment = sum of passive fiber force "
      "along the tendon x hip flexion moment arm of {}, with the knee at {} deg flexion (late stance). 'Tight hip "
      "flexor' limit = the hip extension at which that moment first reaches {} N m (first crossing on a 1 deg grid, "
      "then bisection; a negative limit means the hip cannot reach neutral, a flexion contracture). Verdict: supported "
      "if at most 10% shortening (the lower half of the tested range) brings the limit below the walking need, partly "
      "if only more shortening within the range does. Thomas test: supine, the thigh hanging off the table with the knee {} deg flexed; it rests "
      "where the passive moment of all muscles balances the leg's weight (inverse dynamics of the posture).",
      model.name, format_number(P.get("sit_hip_flexion"), 0), format_number(P.get("sit_knee_flexion"), 0), 0,
      format_number(100 * max_short, 0), format_number(100 * step, 0),
      all_muscles ? "all muscles" : "the five shortened flexors", format_number(P.get("stance_knee_flexion"), 0),
      format_number(threshold, 1), format_number(P.get("thomas_knee_flexion"), 0));

  Figure bars;
  bars.kind = Figure::Kind::Bar;
  bars.title = "Normalized fiber length sitting vs standing";
  bars.y_label = "fiber length / optimal fiber length";
  bars.categories = tight_label;
  bars.series = {Series{"standing", {}, l_stand, false}, Series{"sitting", {}, l_sit, false}};
  bars.caption = "Below 1 the fibers are shorter than optimal; passive force starts near 1 (De Groote 2016 curve).";
  out.figures.push_back(bars);

  Figure lines;
  lines.title = "Passive hip flexion moment vs hip angle, per shortening level";
  lines.x_label = "hip flexion (deg; negative = extension)";
  lines.y_label = "passive flexion moment (N m)";
  lines.series = curves;
  lines.series.push_back(Series{fmt::format("threshold {} N m", format_number(threshold, 1)),
                                {angles.front(), angles.back()}, {threshold, threshold}, true});
  lines.has_x_band = true;
  lines.x_band_low = -need;
  lines.x_band_high = -10.0;
  lines.x_band_label = "extension walking needs";
  lines.caption = fmt::format("Knee {} deg flexed. Where a curve crosses the threshold is that level's extension limit.",
                              format_number(P.get("stance_knee_flexion"), 0));
  out.figures.push_back(lines);

  Table tl;
  tl.title = "Normalized fiber length (fiber / optimal)";
  tl.header = {"muscle", "standing", "sitting", "sitting vs standing (%)"};
  for (size_t i = 0; i < tight.size(); ++i)
    tl.rows.push_back({tight_label[i], format_number(l_stand[i], 3), format_number(l_sit[i], 3),
                       format_number(100.0 * (l_sit[i] / l_stand[i] - 1.0), 0)});
  out.tables.push_back(tl);
  Table tm;
  tm.title = "Per shortening level";
  tm.header = {"optimal fiber length shortened (%)", "passive moment at 0 deg (N m)", "at 10 deg ext. (N m)",
               "at 15 deg ext. (N m)", "at 20 deg ext. (N m)", "extension limit (deg)", "Thomas test thigh (deg ext.)"};
  for (const Level& l : levels)
    tm.rows.push_back({format_number(100 * l.shortening, 0), format_number(l.moment_0, 1), format_number(l.moment_10, 1),
                       format_number(l.moment_15, 1), format_number(l.moment_20, 1), limit_text(l.limit),
                       limit_text(l.thomas)});
  out.tables.push_back(tm);
  out.tables.push_back(sens);

  out.key_number = {"hip extension limit, flexors 10% shorter", level_at(0.10) ? level_at(0.10)->limit.angle_deg : kMaxDeg,
                    "deg", 1};
  if (!level_at(0.10)) out.key_number = {"hip extension limit, most shortened", worst.limit.angle_deg, "deg", 1};
  for (size_t i = 0; i < tight.size(); ++i) {
    out.numbers.push_back({tight_label[i] + " normalized fiber length standing", l_stand[i], "", 3});
    out.numbers.push_back({tight_label[i] + " normalized fiber length sitting", l_sit[i], "", 3});
  }
  out.numbers.push_back({"iliopsoas shortening for full adaptation to sitting", full_adaptation, "%", 0});
  for (const Level& l : levels) {
    const std::string tag = fmt::format("{}% shorter", format_number(100 * l.shortening, 0));
    out.numbers.push_back({"passive flexion moment standing, " + tag, l.moment_0, "N m", 1});
    out.numbers.push_back({"passive flexion moment at 20 deg extension, " + tag, l.moment_20, "N m", 1});
    out.numbers.push_back({"hip extension limit, " + tag + limit_label(l.limit), l.limit.angle_deg, "deg", 1});
    out.numbers.push_back({"Thomas test thigh extension, " + tag + limit_label(l.thomas), l.thomas.angle_deg, "deg", 1});
  }
  out.numbers.push_back({"shortening that brings the limit to the walking need" +
                             std::string(needed_shortening < 0.0 ? " (beyond max_shortening)" : ""),
                         needed_shortening * 100.0, "%", 1});

  // Verdict: does a sitting-sized shortening (up to max_shortening) bring the limit into the
  // extension walking needs?
  out.verdict.claim = fmt::format(
      "Adaptive shortening of the hip flexors by the amount attributed to long sitting (optimal fiber length {}-{}% "
      "shorter) moves the passive 'tight hip flexor' limit into the 10-20 deg of extension walking needs (below {} "
      "deg).",
      format_number(100 * step, 0), format_number(100 * max_short, 0), format_number(need, 0));
  const bool within_small = needed_shortening >= 0.0 && needed_shortening <= 0.10 + 1e-9;
  const bool within_range = needed_shortening >= 0.0;
  out.verdict.status = within_small ? VerdictStatus::Supported
                       : within_range ? VerdictStatus::Partly
                                      : VerdictStatus::NotSupported;
  out.verdict.text = fmt::format(
      "Sitting, the one-joint flexors are far below their optimal length (iliacus {}, psoas {} vs {} and {} "
      "standing); rectus femoris is {} sitting (knee bent) vs {} standing. With the model's optimal fiber lengths {} "
      "is {} N m standing and {} N m at 20 deg of extension, and reaches {} N m only at {} deg "
      "of extension. Shortened by {}%, they give {} N m standing and {} N m at 20 deg, and the limit is {} deg. {}. "
      "Thomas test (knee {} deg): the thigh hangs to {} deg of extension with normal flexors and {} deg with {}% "
      "shortening. The answer hinges on the threshold: from {} to {} N m the shortening needed runs from {} to {}%.",
      format_number(l_sit[0], 2), format_number(l_sit[1], 2), format_number(l_stand[0], 2), format_number(l_stand[1], 2),
      format_number(l_sit[2], 2), format_number(l_stand[2], 2),
      all_muscles ? "the net passive moment of all muscles" : "the flexors' passive moment", format_number(normal.moment_0, 1),
      format_number(normal.moment_20, 1), format_number(threshold, 1), limit_text(normal.limit),
      format_number(100 * worst.shortening, 0), format_number(worst.moment_0, 1), format_number(worst.moment_20, 1),
      limit_text(worst.limit),
      needed_shortening < 0.0
          ? fmt::format("Even {}% shortening leaves the limit beyond {} deg", format_number(100 * max_short, 0),
                        format_number(need, 0))
          : fmt::format("The limit falls to {} deg at {}% shortening", format_number(need, 0),
                        format_number(100 * needed_shortening, 1)),
      format_number(P.get("thomas_knee_flexion"), 0), limit_text(normal.thomas), limit_text(worst.thomas),
      format_number(100 * worst.shortening, 0), format_number(thresholds.front(), 1), format_number(thresholds.back(), 1),
      sens_needed.front() < 0 ? "> " + format_number(100 * max_short, 0) : format_number(100 * sens_needed.front(), 1),
      sens_needed.back() < 0 ? "> " + format_number(100 * max_short, 0) : format_number(100 * sens_needed.back(), 1));

  LiteratureComparison lk;
  lk.quantity = "passive extension limit vs peak hip extension of young adults walking";
  lk.model_value = normal.limit.angle_deg;
  lk.low = 20.4 - 4.0;
  lk.high = kMaxDeg;
  lk.unit = "deg";
  lk.published = "young adults reach 20.4 +- 4.0 deg; the limit of normal flexors should lie beyond (searched to 45)";
  lk.source = "Kerrigan DC, Lee LW, Collins JJ, Riley PO, Lipsitz LA (2001) Reduced hip extension during walking: "
              "healthy elderly and fallers versus young adults. Arch Phys Med Rehabil 82:26-30";
  out.literature.push_back(lk);
  LiteratureComparison le;
  const Level& mid = level_at(0.10) ? *level_at(0.10) : worst;
  le.quantity = fmt::format("extension limit with flexors {}% shorter vs elderly peak hip extension",
                            format_number(100 * mid.shortening, 0));
  le.model_value = mid.limit.angle_deg;
  le.low = 14.3 - 4.4;
  le.high = 14.3 + 4.4;
  le.unit = "deg";
  le.published = "14.3 +- 4.4 deg (healthy elderly), 11.1 +- 4.8 deg (elderly fallers)";
  le.source = lk.source;
  out.literature.push_back(le);

  out.limits = {
      fmt::format("The threshold ({} N m) is a chosen number, not a measured one: about 0.2 N m/kg for the 75 kg model, "
                  "a fraction of the hip flexion moment of late stance. Passive hip moments identified in 'Identification of "
                  "passive elastic joint moment-angle relationships in the lower extremity' (Silder, Whittington, "
                  "Heiderscheit, Thelen; J Biomech 2007) were 'substantial from terminal stance through initial swing' "
                  "(abstract confirmed; its values, and those of Silder, Heiderscheit & Thelen 2008, J Biomech "
                  "41:1520-1527, and Vrahas et al. 1990, could not be confirmed here); set threshold= to test others "
                  "(the moment-angle curves show every crossing).",
                  format_number(threshold, 1)),
      "Only muscles are modelled: the hip capsule and the iliofemoral ligament, which resist extension strongly near "
      "its end, are absent, so the normal-flexor limit is an upper bound ('Explanations pertaining to the hip joint "
      "flexor moment during the stance phase of human walking', J Appl Biomech 2012, 28:542-550, attributes the "
      "late-stance flexion moment largely to ligaments).",
      fmt::format("How much sitting shortens the flexors is not known: full adaptation of iliopsoas to the sitting length "
                  "would be {}% shorter; people also stand and walk, so {}-{}% is a range to test, not a measurement. "
                  "Immobilisation data (Williams & Goldspink 1978, J Anat 127:459-468) are from casted animal muscle.",
                  format_number(full_adaptation, 0), format_number(100 * step, 0), format_number(100 * max_short, 0)),
      [&] {
        // The shortest sitting length, and where it lies on the active force-length curve.
        size_t k = 0;
        for (size_t i = 1; i < l_sit.size(); ++i)
          if (l_sit[i] < l_sit[k]) k = i;
        return fmt::format(
            "Sitting lengths are rigid-tendon lengths: the whole muscle-tendon shortening goes to the fibers. The "
            "shortest, {} at {} of its optimal length, lies far down the ascending limb of the active "
            "force-length curve; in life a tendon can go slack and take up part of the shortening, so the sitting "
            "values overstate how short the fibers become.",
            tight_label[k], format_number(l_sit[k], 2));
      }(),
      "The passive force-length curve is De Groote 2016's (strain 0.6 at one F0); older or stiffer tissue (more "
      "collagen) would raise it without any loss of length, which the model does not separate.",
      "Quasi-static: no damping or viscoelastic relaxation; the pelvis is upright (no anterior tilt compensating for "
      "the limit) and the lumbar spine neutral.",
      "The published young/elderly peak extensions (Kerrigan 2001) were measured relative to the pelvis segment of a "
      "gait lab marker set; the model's pelvis frame is gait2392's, whose neutral may differ by several degrees.",
  };
  Posture shown{"Standing, sitting, and the Thomas test position: the hip flexors along their paths", {}, {}, "", {}};
  add_posture_frame(shown, standing, "standing");
  add_posture_frame(shown, sitting, "sitting");
  add_posture_frame(shown, thomas, "Thomas test");
  out.postures.push_back(std::move(shown));
  return out;
}

}  // namespace

ScenarioInfo sitting_hip_flexors_scenario() {
  ScenarioInfo info;
  info.name = "sitting-hip-flexors";
  info.title = "Sitting and tight hip flexors";
  info.summary = "flexor fiber lengths sitting vs standing; shortened optimal fiber length -> passive flexion moment and hip extension limit";
  info.parameters = {
      {"sit_hip_flexion", "hip flexion when sitting", 90.0, 45.0, 120.0, "deg", false},
      {"sit_knee_flexion", "knee flexion when sitting", 90.0, 0.0, 120.0, "deg", false},
      {"max_shortening", "largest optimal fiber length shortening", 20.0, 5.0, 40.0, "%", false},
      {"shortening_step", "step between shortening levels", 5.0, 1.0, 20.0, "%", false},
      {"threshold", "passive flexion moment that sets the extension limit", 15.0, 1.0, 100.0, "N m", false},
      {"all_muscles", "count the passive moment of all muscles (1) or of the five shortened flexors (0)", 0.0, 0.0, 1.0,
       "", true},
      {"stance_knee_flexion", "knee flexion in late stance (for rectus femoris)", 5.0, 0.0, 60.0, "deg", false},
      {"thomas_knee_flexion", "knee flexion of the hanging leg in the Thomas test", 90.0, 0.0, 120.0, "deg", false},
      {"walking_extension", "hip extension walking needs in late stance", 20.0, 5.0, 30.0, "deg", false},
      {"max_extension", "largest extension in the moment-angle figure", 25.0, 10.0, 40.0, "deg", false},
      {"points", "hip angles in the moment-angle figure", 15.0, 3.0, 80.0, "", true},
  };
  info.run = &run;
  return info;
}

}  // namespace femur::hip::detail
