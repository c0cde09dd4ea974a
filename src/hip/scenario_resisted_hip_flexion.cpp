// Scenario `resisted-hip-flexion`: standing on the left leg, elastic tubing from a floor-level
// anchor behind the body to the right ankle, the straight right leg swung forward; 2 sets of
// 15. Quasi-static: each hip angle of a sweep is held still by one Static Optimization frame.
//
// The tubing is an elastic element whose force follows the manufacturer's force-elongation
// chart for Thera-Band tubing (Hygenic Corp./Performance Health; the same chart for bands and
// tubing): force at 100% and 200% elongation per colour, interpolated linearly from zero at
// 0%. Elongation = (anchor-to-ankle distance - rest length) / rest length. Simoneau et al.
// (2001, J Orthop Sports Phys Ther 31(1):16-24) and Uchida et al. (2016, J Phys Ther Sci
// 28:1266-1271) measured the same colours and found the chart's forces somewhat high; the
// chart is used because it gives every colour on one footing.
//
// Balance: the ground reaction under the left foot balances gravity and the tubing force
// (force and the two horizontal moment components); its centre of pressure follows from
// that, and the left hip's adduction is set so that the left ankle is under it in the frontal
// plane (the body leans over the stance foot). Reported: the right hip's flexion moment and
// flexor forces vs hip angle, the left (stance) hip's abduction moment and abductor forces,
// hip contact on both sides.
#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "scenario_report.hpp"
#include "scenarios.hpp"

namespace femur::hip::detail {
namespace {

constexpr double kPoundForce = 4.4482216;  // N per lbf

struct Colour {
  const char* name;
  double at100, at200;  // lbf at 100% and 200% elongation
  const char* css;      // how the chart draws it: the tubing's own colour (issue 18)
};
// Thera-Band force-elongation chart (Hygenic Corp. 2009, "How much resistance do Thera-Band
// bands & tubes produce?"; the values the chart gives at 100% and 200% elongation). Yellow and
// silver are drawn a shade darker than the tubing so that they show on white.
constexpr std::array<Colour, 7> kColours{{{"yellow", 3.0, 4.3, "#D4B400"},
                                         {"red", 3.7, 5.5, "#D62728"},
                                         {"green", 4.6, 6.7, "#2CA02C"},
                                         {"blue", 5.8, 8.6, "#1F5FBF"},
                                         {"black", 7.3, 10.2, "#000000"},
                                         {"silver", 10.2, 15.3, "#9A9A9A"},
                                         {"gold", 14.2, 21.3, "#B8860B"}}};

// Tubing force (N) at an elongation (fraction: 1 = 100%): zero when slack, linear through the
// chart's 100% and 200% points, extrapolated with the 100-200% slope beyond.
double tubing_force(const Colour& c, double elongation) {
  if (elongation <= 0.0) return 0.0;
  const double f = elongation <= 1.0 ? c.at100 * elongation : c.at100 + (c.at200 - c.at100) * (elongation - 1.0);
  return f * kPoundForce;
}

// ---- The declaration: task, metrics.

// Where the tubing pulls and how the stance foot balances it, per frame.
struct Tubing {
  double elongation = 0, band_force = 0, band_moment = 0, cop_ahead = 0;
};

struct Setup {
  double rest = 0, anchor_behind = 0;
  double lateral = 0;              // right ankle lateral of the left one, standing
  double ankle_height = 0.05;      // ankle centre above the floor, as the stance scenarios
};

// The right hip at `a` with the tubing of `colour`: the stance hip's adduction set (secant) so
// that the left ankle is under the centre of pressure of the ground reaction that balances
// gravity and the tubing; the frame's loads are that ground reaction and the tubing's pull.
Frame swing_frame(Statics& s, const Setup& su, double a, const Colour& colour, Tubing& out) {
  const Model& model = s.model;
  const int hip_add_l = s.coordinate("hip_adduction_l");
  const int talus_r = s.body("talus_r"), talus_l = s.body("talus_l"), calcn_l = s.body("calcn_l");
  Eigen::VectorXd q = model.default_q();
  q[s.coordinate("hip_flexion_r")] = a;
  Vec3 anchor, band, cop, grf;
  auto balance = [&] {
    s.kinematics(q);
    const Vec3 ankle_l = s.point_in_ground(talus_l, Vec3::Zero());
    const double floor_y = ankle_l.y() - su.ankle_height;
    anchor = Vec3(ankle_l.x() - su.anchor_behind, floor_y, ankle_l.z() + su.lateral);
    const Vec3 ankle_r = s.point_in_ground(talus_r, Vec3::Zero());
    const Vec3 d = anchor - ankle_r;
    band = tubing_force(colour, (d.norm() - su.rest) / su.rest) * d.normalized();
    // Ground reaction R = -(m g + band); centre of pressure p on the floor with the
    // horizontal components of (p x R + M) zero, M the moment of gravity and band about
    // the origin (the vertical component is the free moment, left to the pelvis).
    const Vec3 com = s.center_of_mass();
    const Vec3 weight = s.mass * model.gravity;
    grf = -(weight + band);
    const Vec3 M = com.cross(weight) + ankle_r.cross(band);
    cop = Vec3((floor_y * grf.x() - M.z()) / grf.y(), floor_y, (floor_y * grf.z() + M.x()) / grf.y());
    return ankle_l.z() - cop.z();
  };
  for (int it = 0; it < 8; ++it) {  // secant on the stance hip's adduction
    const double e0 = balance();
    q[hip_add_l] += 1e-4;
    const double de = (balance() - e0) / 1e-4;
    q[hip_add_l] -= 1e-4;
    if (std::abs(de) > 1e-9) q[hip_add_l] -= e0 / de;
  }
  balance();
  Frame f;
  f.x = deg(a);
  f.q = q;
  f.loads = {PointLoad{calcn_l, s.ground_to_body(calcn_l, cop), grf}, PointLoad{talus_r, Vec3::Zero(), band}};
  s.kinematics(q);
  const Vec3 ankle_r = s.point_in_ground(talus_r, Vec3::Zero());
  out.elongation = ((anchor - ankle_r).norm() - su.rest) / su.rest;
  out.band_force = band.norm();
  // The tubing's moment about the right hip's flexion axis (negative = extending).
  out.band_moment = (ankle_r - s.point_in_ground(s.body("femur_r"), Vec3::Zero())).cross(band).z();
  out.cop_ahead = cop.x() - s.point_in_ground(talus_l, Vec3::Zero()).x();
  return f;
}

// Every non-root coordinate balanced, judged at both hips and the lumbar joint; both hips'
// reactions reported.
Task swing_task(Statics& s, std::string name) {
  Task t;
  t.name = std::move(name);
  t.sharing.coordinates = non_root_coordinates(s.model);
  t.sharing.judged = {s.coordinate("hip_flexion_r"), s.coordinate("hip_adduction_r"), s.coordinate("hip_rotation_r"),
                      s.coordinate("hip_flexion_l"), s.coordinate("hip_adduction_l"), s.coordinate("hip_rotation_l"),
                      s.coordinate("lumbar_extension"), s.coordinate("lumbar_bending"), s.coordinate("lumbar_rotation")};
  t.reactions = {s.joint_of("hip_flexion_r"), s.joint_of("hip_flexion_l")};
  return t;
}

struct Groups {
  std::vector<int> iliopsoas, rect_fem, other_flexors, abductors;
};

struct Row {
  double angle_deg = 0, flexion_moment = 0, iliopsoas = 0, rect_fem = 0, other_flexors = 0;
  double stance_abduction_moment = 0, stance_abductors = 0;
  double contact_moving_bw = 0, contact_stance_bw = 0, reserve = 0;
  Tubing tubing;
};

Row measure(const Outcome& o, const Groups& g, int hip_flex_r, int hip_add_l) {
  Row r;
  r.angle_deg = o.frame.x;
  r.flexion_moment = o.posture.tau[hip_flex_r];
  r.iliopsoas = group_force(o.sharing, g.iliopsoas);
  r.rect_fem = group_force(o.sharing, g.rect_fem);
  r.other_flexors = group_force(o.sharing, g.other_flexors);
  r.stance_abduction_moment = -o.posture.tau[hip_add_l];
  r.stance_abductors = group_force(o.sharing, g.abductors);
  r.contact_moving_bw = o.sharing.reactions[0].magnitude / o.s.weight;
  r.contact_stance_bw = o.sharing.reactions[1].magnitude / o.s.weight;
  r.reserve = o.sharing.max_judged_reserve;
  return r;
}

// ---- The report.

struct Findings {
  std::vector<Row> frames;
  Row other_last;  // the end angle with the next stiffer colour (the next softer one for gold)
  const Colour* colour = nullptr;
  const Colour* other = nullptr;
  bool up = true;
  int reps = 0;
  double max_reserve = 0, peak_flex = 0, peak_stance = 0, peak_moving = 0, peak_abd = 0, band_share = 0, tolerance = 0;
  Adequacy adequacy;  // the sweep
  const Row& last() const { return frames.back(); }
};

std::vector<Figure> figures(const Findings& f) {
  auto line = [&](const std::string& name, auto field, bool dashed = false) {
    return series_of(name, f.frames, &Row::angle_deg, field, dashed);
  };
  auto tubing = [](double Tubing::*field, double sign = 1.0) { return [=](const Row& r) { return sign * (r.tubing.*field); }; };
  Figure chart = report::line_figure("Tubing force-elongation (Thera-Band chart)", "elongation (%)", "force (N)", {},
                                     "Linear between the chart's 100% and 200% points and from zero; the solid line is "
                                     "the colour used.");
  for (const Colour& c : kColours) {
    Series se{c.name, {}, {}, &c != f.colour, c.css};
    for (double e : linspace(0.0, 250.0, 11)) se.x.push_back(e), se.y.push_back(tubing_force(c, e / 100.0));
    chart.series.push_back(se);
  }
  const std::string x = "right hip flexion (deg)";
  return {report::line_figure("Hip moments vs swing-leg hip flexion", x, "moment (N m)",
                              {line("right hip flexion moment needed", &Row::flexion_moment),
                               line("tubing's extension moment at the right hip", tubing(&Tubing::band_moment, -1.0), true),
                               line("left (stance) hip abduction moment needed", &Row::stance_abduction_moment)}),
          report::line_figure("Muscle forces vs swing-leg hip flexion", x, "force (N)",
                              {line("right iliopsoas", &Row::iliopsoas), line("right rectus femoris", &Row::rect_fem),
                               line("right other hip flexors", &Row::other_flexors),
                               line("left gluteus medius/minimus + TFL", &Row::stance_abductors),
                               line("tubing", tubing(&Tubing::band_force), true)}),
          report::line_figure("Hip contact vs swing-leg hip flexion", x, "force (BW)",
                              {line("left (stance) hip", &Row::contact_stance_bw),
                               line("right (moving) hip", &Row::contact_moving_bw)}),
          chart};
}

Table angle_table(const Findings& f) {
  auto tubing = [](double Tubing::*field, int decimals, double scale = 1.0) {
    return [=](const Row& r) { return format_number(scale * (r.tubing.*field), decimals); };
  };
  return table_of<Row>("Per angle", f.frames,
                       {column<Row>("right hip flexion (deg)", &Row::angle_deg, 0),
                        {"elongation (%)", tubing(&Tubing::elongation, 0, 100.0)},
                        {"tubing (N)", tubing(&Tubing::band_force, 1)},
                        column<Row>("flexion moment (N m)", &Row::flexion_moment, 1),
                        column<Row>("iliopsoas (N)", &Row::iliopsoas, 0),
                        column<Row>("rectus femoris (N)", &Row::rect_fem, 0),
                        column<Row>("stance abduction moment (N m)", &Row::stance_abduction_moment, 1),
                        column<Row>("stance abductors (N)", &Row::stance_abductors, 0),
                        column<Row>("stance hip (BW)", &Row::contact_stance_bw, 2),
                        column<Row>("moving hip (BW)", &Row::contact_moving_bw, 2),
                        {"CoP ahead of ankle (cm)", tubing(&Tubing::cop_ahead, 1, 100.0)}});
}

std::vector<Number> numbers(const Findings& f) {
  const Row& last = f.last();
  return {{"tubing elongation at the end angle", 100 * last.tubing.elongation, "%", 0},
          {"tubing force at the end angle", last.tubing.band_force, "N", 1},
          {"hip flexion moment at the end angle", last.flexion_moment, "N m", 1},
          {"tubing share of that moment", f.band_share, "%", 0},
          {"peak hip flexion moment", f.peak_flex, "N m", 1},
          {"iliopsoas force at the end angle", last.iliopsoas, "N", 0},
          {"rectus femoris force at the end angle", last.rect_fem, "N", 0},
          {"peak stance abductor force", f.peak_abd, "N", 0},
          {"stance hip abduction moment at the end angle", last.stance_abduction_moment, "N m", 1},
          {"peak stance hip contact", f.peak_stance, "BW", 2},
          {"peak moving hip contact", f.peak_moving, "BW", 2},
          {"largest reserve at hips/lumbar", f.max_reserve, "N m", 2},
          {"repetitions per session", static_cast<double>(f.reps), "", 0},
          {"session peak stance hip contact x repetitions", f.peak_stance * f.reps, "BW", 0},
          {fmt::format("hip flexion moment at the end angle, {} tubing", f.other->name), f.other_last.flexion_moment, "N m", 1}};
}

// Supported when the stance hip carries more than the moving one and the stiffer colour asks
// for more flexion moment at the end angle; partly when one of them holds.
// Haffer H, Popovic S, Martin F, Hardt S, Winkler T, Damm P (2021) In vivo loading on the hip
// joint in patients with total hip replacement performing gymnastics and aerobics exercises.
// Sci Rep 11:13395: standing exercises mostly at or below walking. The 1.5-3.0 BW band once
// here was not theirs; the upper end is walking's 2.38 BW +15% (Bergmann 2001).
LiteratureComparison stance_comparison(const Findings& f) {
  return {"stance hip contact, standing hip exercise with tubing, vs walking", f.peak_stance, 0.0,
          (1.0 + kBergmannTolerance) * kBergmannWalkingBW, "BW",
          "Haffer H et al. (2021) Sci Rep 11:13395 (standing exercises mostly at or below walking); " +
              std::string(kBergmann2001),
          "at or below walking's 2.38 BW +15%"};
}

Verdict verdict(const Findings& f) {
  const Row& last = f.last();
  const double df = f.other_last.tubing.band_force - last.tubing.band_force;
  const double dm = f.other_last.flexion_moment - last.flexion_moment;
  // The two points this verdict had were true by construction (issue 18): the stance hip
  // carries the body weight, so it carries more than the swinging one; a stiffer tubing pulls
  // harder at the same angle, so the flexors need more. What remains is a computed load set
  // beside the implants: standing hip exercises load the stance hip at or below walking
  // (Haffer 2021), whose load is 2.38 BW (Bergmann 2001, with its +-15% band).
  const LiteratureComparison stance = stance_comparison(f);
  Verdict v;
  v.claim = "Standing hip flexion against elastic tubing loads the stance hip no more than walking does, as the "
            "instrumented implants measured in standing exercises (Haffer 2021; walking 2.38 BW, Bergmann 2001).";
  v.status = stance.within() ? VerdictStatus::Supported : VerdictStatus::NotSupported;
  v.text = fmt::format(
      "At {} degrees the {} tubing is stretched {}% and pulls {} N, {}% of the {} N m hip flexion moment the right "
      "hip needs (iliopsoas {} N, rectus femoris {} N). The stance hip needs up to {} N of abductor force and carries "
      "up to {} BW, the moving hip up to {} BW. {} tubing at the same angle pulls {} N more and changes the flexion "
      "moment needed by {} N m.{}",
      format_number(last.angle_deg, 0), f.colour->name, format_number(100 * last.tubing.elongation, 0),
      format_number(last.tubing.band_force, 1), format_number(f.band_share, 0), format_number(last.flexion_moment, 1),
      format_number(last.iliopsoas, 0), format_number(last.rect_fem, 0), format_number(f.peak_abd, 0),
      format_number(f.peak_stance, 2), format_number(f.peak_moving, 2), f.other->name, format_number(df, 1),
      format_number(dm, 1), f.max_reserve > f.tolerance ? " Some angles needed reserve actuators." : "");
  v.text += fmt::format(" The stance hip's peak, {} BW, is {} walking's 2.38 BW +-15%.", format_number(f.peak_stance, 2),
                        stance.within() ? "at or below" : "above");
  apply_adequacy(v, f.adequacy);
  return v;
}

ScenarioResult present(const Model& model, const ScenarioParameters& P, const Setup& su, const Findings& f) {
  return draw({
      .method = fmt::format(
          "Model '{}' standing on the left leg, trunk upright, the left hip's adduction set so that the left foot is "
          "under the centre of pressure that balances gravity and the tubing. {} Thera-Band tubing, rest length {} m, "
          "from a floor-level anchor {} m behind the left ankle to the right ankle; force from the manufacturer's "
          "force-elongation chart ({} lbf at 100%, {} lbf at 200% elongation, linear in between and from zero). The "
          "straight right leg is held at {} hip angles from {} to {} degrees; each is one static optimization frame "
          "(least sum of squared activations, rigid tendons). Hip contact = hip joint reactions. Session: {} "
          "repetitions.",
          model.name, f.colour->name, format_number(su.rest, 2), format_number(su.anchor_behind, 2),
          format_number(f.colour->at100, 1), format_number(f.colour->at200, 1), f.frames.size(),
          format_number(P.get("start_angle"), 0), format_number(P.get("end_angle"), 0), f.reps),
      .key_number = {"hip flexion moment at the end angle", f.last().flexion_moment, "N m", 1},
      .numbers = numbers(f),
      .figures = figures(f),
      .tables = {angle_table(f)},
      .verdict = verdict(f),
      .literature = {stance_comparison(f)},
      .limits = {
          "Quasi-static: each angle held still; the swing's accelerations are not included.",
          "The tubing force is the manufacturer's chart (Hygenic Corp. Thera-Band force-elongation chart; green 4.6 lbf "
          "at 100% elongation), an input, not a result; linear between its points; real tubing is stiffer at small "
          "stretch, relaxes over repetitions, and measured forces are lower (Simoneau GG et al. 2001, J Orthop Sports "
          "Phys Ther 31(1):16-24; Uchida MC et al. 2016, J Phys Ther Sci 28:1266-1271).",
          "The trunk is held upright and the pelvis level; a person may lean or hike the pelvis instead.",
          "The vertical free moment of the ground reaction is left to the pelvis (small: the tubing pulls in the "
          "sagittal plane).",
      },
  });
}

ScenarioResult run(const Model& model, const ScenarioParameters& P) {
  Statics s(model);
  Engine engine(s);
  const int hip_flex_r = s.coordinate("hip_flexion_r"), hip_add_l = s.coordinate("hip_adduction_l");
  Setup su;
  su.rest = P.get("rest_length");
  su.anchor_behind = P.get("anchor_distance");
  // Where the tubing is anchored, relative to the stance ankle (which stays on the floor):
  // anchor_distance behind it, in the sagittal plane of the right ankle, at floor level.
  s.kinematics(model.default_q());
  su.lateral = s.point_in_ground(s.body("talus_r"), Vec3::Zero()).z() - s.point_in_ground(s.body("talus_l"), Vec3::Zero()).z();
  const Groups g{s.muscles_matching({"psoas", "iliacus"}, "_r"), s.muscles_matching({"rect_fem"}, "_r"),
                 s.muscles_matching({"sar", "tfl", "pect", "add_long", "add_brev", "grac"}, "_r"),
                 s.muscles_matching({"glut_med", "glut_min", "tfl"}, "_l")};
  if (g.iliopsoas.empty() || g.abductors.empty())
    throw ScenarioError("model '" + model.name + "' lacks iliopsoas on the right or gluteus medius on the left");
  Findings f;
  const size_t ci = static_cast<size_t>(P.get_int("colour") - 1);
  f.colour = &kColours[ci];
  // The colour claim is judged by solving the end angle again with the next stiffer colour
  // (the next softer one for gold) and comparing the hip flexion moments.
  f.up = ci + 1 < kColours.size();
  f.other = &kColours[f.up ? ci + 1 : ci - 1];
  f.reps = P.get_int("sets") * P.get_int("reps");
  Task sweep = swing_task(s, "swing"), other = swing_task(s, "next colour");
  std::vector<std::vector<Tubing>> tubing(2);  // per task and frame
  for (double a : linspace(rad(P.get("start_angle")), rad(P.get("end_angle")), std::max(2, P.get_int("points"))))
    sweep.frames.push_back(swing_frame(s, su, a, *f.colour, tubing[0].emplace_back()));
  other.frames = {swing_frame(s, su, rad(P.get("end_angle")), *f.other, tubing[1].emplace_back())};
  Posture shown{"Standing on the left leg, the right leg swung forward against the tubing: right hip contact force "
                "(femoral head on the acetabulum) as an arrow",
                {}, {}, "", {}};
  const Results<Row> r = engine.run<Row>({Variant{}}, {sweep, other}, [&](const Outcome& o) {
    add_posture_frame(shown, o.s, o.posture, o.sharing.reactions[0], o.task.reactions[0],
                      fmt::format("right hip at {} deg", format_number(o.frame.x, 0)));
    Row row = measure(o, g, hip_flex_r, hip_add_l);
    row.tubing = tubing[o.task_index][o.frame_index];
    return row;
  });
  f.frames = r.frames(0, 0);
  f.other_last = r.at(0, 1);
  f.adequacy = r.adequacy_of(0, 0);
  f.tolerance = sweep.sharing.feasibility_tolerance;
  f.max_reserve = peak(f.frames, &Row::reserve);
  f.peak_flex = peak(f.frames, &Row::flexion_moment);
  f.peak_stance = peak(f.frames, &Row::contact_stance_bw);
  f.peak_moving = peak(f.frames, &Row::contact_moving_bw);
  f.peak_abd = peak(f.frames, &Row::stance_abductors);
  f.band_share = f.last().flexion_moment > 0 ? 100.0 * -f.last().tubing.band_moment / f.last().flexion_moment : 0.0;
  ScenarioResult out = present(model, P, su, f);
  out.postures.push_back(std::move(shown));
  return out;
}

}  // namespace

ScenarioInfo resisted_hip_flexion_scenario() {
  ScenarioInfo info;
  info.name = "resisted-hip-flexion";
  info.title = "Standing hip flexion against elastic tubing";
  info.summary = "straight-leg hip flexion against Thera-Band tubing: flexor demand per colour, stance abductors, both hips";
  info.heading = "Standing hip flexion against elastic tubing";
  info.question =
      "Standing on one leg and swinging the straight other leg forward against tubing anchored low behind: how much "
      "hip flexor effort does each tubing colour ask for, how hard do the stance leg's abductors work, and what do "
      "both hip joints carry?";
  info.parameters = {
      {"colour", "tubing colour: 1 yellow, 2 red, 3 green, 4 blue, 5 black, 6 silver, 7 gold", 3.0, 1.0, 7.0, "", true},
      {"rest_length", "tubing length when slack", 0.8, 0.2, 3.0, "m", false},
      {"anchor_distance", "anchor behind the stance ankle, at floor level", 1.0, 0.2, 3.0, "m", false},
      {"start_angle", "first hip angle of the swing", 0.0, -20.0, 60.0, "deg", false},
      {"end_angle", "last hip angle of the swing", 40.0, -20.0, 80.0, "deg", false},
      {"points", "hip angles in the sweep", 9.0, 2.0, 60.0, "", true},
      {"sets", "sets per session", 2.0, 1.0, 10.0, "", true},
      {"reps", "repetitions per set", 15.0, 1.0, 100.0, "", true},
  };
  info.run = &run;
  return info;
}

}  // namespace femur::hip::detail
