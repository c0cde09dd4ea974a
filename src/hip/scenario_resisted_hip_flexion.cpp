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

#include "scenario_statics.hpp"

namespace femur::hip::detail {
namespace {

constexpr double kPoundForce = 4.4482216;  // N per lbf

struct Colour {
  const char* name;
  double at100, at200;  // lbf at 100% and 200% elongation
};
// Thera-Band force-elongation chart (Hygenic Corp. 2009, "How much resistance do Thera-Band
// bands & tubes produce?"; the values the chart gives at 100% and 200% elongation).
constexpr std::array<Colour, 7> kColours{{{"yellow", 3.0, 4.3},
                                         {"red", 3.7, 5.5},
                                         {"green", 4.6, 6.7},
                                         {"blue", 5.8, 8.6},
                                         {"black", 7.3, 10.2},
                                         {"silver", 10.2, 15.3},
                                         {"gold", 14.2, 21.3}}};

// Tubing force (N) at an elongation (fraction: 1 = 100%): zero when slack, linear through the
// chart's 100% and 200% points, extrapolated with the 100-200% slope beyond.
double tubing_force(const Colour& c, double elongation) {
  if (elongation <= 0.0) return 0.0;
  const double f = elongation <= 1.0 ? c.at100 * elongation : c.at100 + (c.at200 - c.at100) * (elongation - 1.0);
  return f * kPoundForce;
}

struct Frame {
  double angle_deg = 0, elongation = 0, band_force = 0, band_moment = 0;
  double flexion_moment = 0, iliopsoas = 0, rect_fem = 0, other_flexors = 0;
  double stance_abduction_moment = 0, stance_abductors = 0;
  double contact_moving_bw = 0, contact_stance_bw = 0, cop_ahead = 0;
  double reserve = 0;
};

ScenarioResult run(const Model& model, const ScenarioParameters& P) {
  Statics s(model);
  const int hip_flex_r = s.coordinate("hip_flexion_r"), hip_add_l = s.coordinate("hip_adduction_l");
  const int talus_r = s.body("talus_r"), talus_l = s.body("talus_l"), calcn_l = s.body("calcn_l");
  const Colour& colour = kColours[static_cast<size_t>(P.get_int("colour") - 1)];
  const double rest = P.get("rest_length"), anchor_behind = P.get("anchor_distance");

  // Where the tubing is anchored, relative to the stance ankle (which stays on the floor):
  // anchor_distance behind it, in the sagittal plane of the right ankle, at floor level.
  Eigen::VectorXd q0 = model.default_q();
  s.kinematics(q0);
  const Vec3 ankle_l0 = s.point_in_ground(talus_l, Vec3::Zero());
  const double lateral = s.point_in_ground(talus_r, Vec3::Zero()).z() - ankle_l0.z();
  const double ankle_height = 0.05;  // ankle centre above the floor, as the stance scenarios

  SharingOptions so;
  so.coordinates = non_root_coordinates(model);
  so.judged = {hip_flex_r, s.coordinate("hip_adduction_r"), s.coordinate("hip_rotation_r"), s.coordinate("hip_flexion_l"),
               hip_add_l, s.coordinate("hip_rotation_l"), s.coordinate("lumbar_extension"),
               s.coordinate("lumbar_bending"), s.coordinate("lumbar_rotation")};
  const std::vector<int> iliopsoas = s.muscles_matching({"psoas", "iliacus"}, "_r");
  const std::vector<int> rect_fem = s.muscles_matching({"rect_fem"}, "_r");
  const std::vector<int> other_flexors = s.muscles_matching({"sar", "tfl", "pect", "add_long", "add_brev", "grac"}, "_r");
  const std::vector<int> abductors = s.muscles_matching({"glut_med", "glut_min", "tfl"}, "_l");
  if (iliopsoas.empty() || abductors.empty())
    throw ScenarioError("model '" + model.name + "' lacks iliopsoas on the right or gluteus medius on the left");
  const int hip_r = s.joint_of("hip_flexion_r"), hip_l = s.joint_of("hip_flexion_l");

  Posture shown{"Standing on the left leg, the right leg swung forward against the tubing: right hip contact force "
                "(femoral head on the acetabulum) as an arrow",
                {}, {}, "", {}};
  LoadSharing sharing(s, so);
  auto solve = [&](double a, const Colour& colour) {
    Eigen::VectorXd q = q0;
    q[hip_flex_r] = a;
    Vec3 anchor, band, cop, grf;
    auto balance = [&] {
      s.kinematics(q);
      const Vec3 ankle_l = s.point_in_ground(talus_l, Vec3::Zero());
      const double floor_y = ankle_l.y() - ankle_height;
      anchor = Vec3(ankle_l.x() - anchor_behind, floor_y, ankle_l.z() + lateral);
      const Vec3 ankle_r = s.point_in_ground(talus_r, Vec3::Zero());
      const Vec3 d = anchor - ankle_r;
      const double e = (d.norm() - rest) / rest;
      band = tubing_force(colour, e) * d.normalized();
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
    const PostureState ps = evaluate_posture(
        s, q, {PointLoad{calcn_l, s.ground_to_body(calcn_l, cop), grf}, PointLoad{talus_r, Vec3::Zero(), band}});
    const Sharing sh = sharing.solve(ps, {hip_r, hip_l});
    const std::vector<JointLoad>& jl = sh.reactions;
    add_posture_frame(shown, s, ps, sh.reactions[0], hip_r, fmt::format("right hip at {} deg", format_number(deg(a), 0)));

    Frame f;
    f.angle_deg = deg(a);
    s.kinematics(q);
    const Vec3 ankle_r = s.point_in_ground(talus_r, Vec3::Zero());
    f.elongation = ((anchor - ankle_r).norm() - rest) / rest;
    f.band_force = band.norm();
    // The tubing's moment about the right hip's flexion axis (negative = extending).
    const Vec3 hip_centre = s.point_in_ground(s.body("femur_r"), Vec3::Zero());
    f.band_moment = (ankle_r - hip_centre).cross(band).z();
    f.flexion_moment = ps.tau[hip_flex_r];
    f.iliopsoas = group_force(sh, iliopsoas);
    f.rect_fem = group_force(sh, rect_fem);
    f.other_flexors = group_force(sh, other_flexors);
    f.stance_abduction_moment = -ps.tau[hip_add_l];
    f.stance_abductors = group_force(sh, abductors);
    f.contact_moving_bw = jl[0].magnitude / s.weight;
    f.contact_stance_bw = jl[1].magnitude / s.weight;
    f.cop_ahead = cop.x() - s.point_in_ground(talus_l, Vec3::Zero()).x();
    f.reserve = sh.max_judged_reserve;
    return f;
  };
  std::vector<Frame> frames;
  for (double a : linspace(rad(P.get("start_angle")), rad(P.get("end_angle")), std::max(2, P.get_int("points"))))
    frames.push_back(solve(a, colour));

  auto peak = [&](auto field) { return max_over(frames, field); };
  const Frame& last = frames.back();
  const double max_reserve = peak([](const Frame& f) { return f.reserve; });
  const double peak_flex = peak([](const Frame& f) { return f.flexion_moment; });
  const double peak_stance = peak([](const Frame& f) { return f.contact_stance_bw; });
  const double peak_moving = peak([](const Frame& f) { return f.contact_moving_bw; });
  const double peak_abd = peak([](const Frame& f) { return f.stance_abductors; });
  const double band_share = last.flexion_moment > 0 ? 100.0 * -last.band_moment / last.flexion_moment : 0.0;
  const int reps = P.get_int("sets") * P.get_int("reps");

  ScenarioResult out;
  out.title = "Standing hip flexion against elastic tubing";
  out.question =
      "Standing on one leg and swinging the straight other leg forward against tubing anchored low behind: how much "
      "hip flexor effort does each tubing colour ask for, how hard do the stance leg's abductors work, and what do "
      "both hip joints carry?";
  out.method = fmt::format(
      "Model '{}' standing on the left leg, trunk upright, the left hip's adduction set so that the left foot is "
      "under the centre of pressure that balances gravity and the tubing. {} Thera-Band tubing, rest length {} m, "
      "from a floor-level anchor {} m behind the left ankle to the right ankle; force from the manufacturer's "
      "force-elongation chart ({} lbf at 100%, {} lbf at 200% elongation, linear in between and from zero). The "
      "straight right leg is held at {} hip angles from {} to {} degrees; each is one static optimization frame "
      "(least sum of squared activations, rigid tendons). Hip contact = hip joint reactions. Session: {} "
      "repetitions.",
      model.name, colour.name, format_number(rest, 2), format_number(anchor_behind, 2), format_number(colour.at100, 1),
      format_number(colour.at200, 1), frames.size(), format_number(P.get("start_angle"), 0),
      format_number(P.get("end_angle"), 0), reps);

  auto line = [&](const std::string& name, auto field, bool dashed = false) {
    return angle_series(name, frames, field, dashed);
  };
  Figure fm;
  fm.title = "Hip moments vs swing-leg hip flexion";
  fm.x_label = "right hip flexion (deg)";
  fm.y_label = "moment (N m)";
  fm.series = {line("right hip flexion moment needed", [](const Frame& f) { return f.flexion_moment; }),
               line("tubing's extension moment at the right hip", [](const Frame& f) { return -f.band_moment; }, true),
               line("left (stance) hip abduction moment needed", [](const Frame& f) { return f.stance_abduction_moment; })};
  out.figures.push_back(fm);
  Figure ff;
  ff.title = "Muscle forces vs swing-leg hip flexion";
  ff.x_label = "right hip flexion (deg)";
  ff.y_label = "force (N)";
  ff.series = {line("right iliopsoas", [](const Frame& f) { return f.iliopsoas; }),
               line("right rectus femoris", [](const Frame& f) { return f.rect_fem; }),
               line("right other hip flexors", [](const Frame& f) { return f.other_flexors; }),
               line("left gluteus medius/minimus + TFL", [](const Frame& f) { return f.stance_abductors; }),
               line("tubing", [](const Frame& f) { return f.band_force; }, true)};
  out.figures.push_back(ff);
  Figure fc;
  fc.title = "Hip contact vs swing-leg hip flexion";
  fc.x_label = "right hip flexion (deg)";
  fc.y_label = "force (BW)";
  fc.series = {line("left (stance) hip", [](const Frame& f) { return f.contact_stance_bw; }),
               line("right (moving) hip", [](const Frame& f) { return f.contact_moving_bw; })};
  out.figures.push_back(fc);
  Figure fb;
  fb.title = "Tubing force-elongation (Thera-Band chart)";
  fb.x_label = "elongation (%)";
  fb.y_label = "force (N)";
  for (const Colour& c : kColours) {
    Series se;
    se.name = c.name;
    se.dashed = &c != &colour;
    for (double e : linspace(0.0, 250.0, 11)) se.x.push_back(e), se.y.push_back(tubing_force(c, e / 100.0));
    fb.series.push_back(se);
  }
  fb.caption = "Linear between the chart's 100% and 200% points and from zero; the solid line is the colour used.";
  out.figures.push_back(fb);

  Table t;
  t.title = "Per angle";
  t.header = {"right hip flexion (deg)", "elongation (%)", "tubing (N)", "flexion moment (N m)", "iliopsoas (N)",
              "rectus femoris (N)", "stance abduction moment (N m)", "stance abductors (N)", "stance hip (BW)",
              "moving hip (BW)", "CoP ahead of ankle (cm)"};
  for (const Frame& f : frames)
    t.rows.push_back({format_number(f.angle_deg, 0), format_number(100 * f.elongation, 0), format_number(f.band_force, 1),
                      format_number(f.flexion_moment, 1), format_number(f.iliopsoas, 0), format_number(f.rect_fem, 0),
                      format_number(f.stance_abduction_moment, 1), format_number(f.stance_abductors, 0),
                      format_number(f.contact_stance_bw, 2), format_number(f.contact_moving_bw, 2),
                      format_number(100 * f.cop_ahead, 1)});
  out.tables.push_back(t);

  out.key_number = {"hip flexion moment at the end angle", last.flexion_moment, "N m", 1};
  out.numbers = {
      {"tubing elongation at the end angle", 100 * last.elongation, "%", 0},
      {"tubing force at the end angle", last.band_force, "N", 1},
      {"hip flexion moment at the end angle", last.flexion_moment, "N m", 1},
      {"tubing share of that moment", band_share, "%", 0},
      {"peak hip flexion moment", peak_flex, "N m", 1},
      {"iliopsoas force at the end angle", last.iliopsoas, "N", 0},
      {"rectus femoris force at the end angle", last.rect_fem, "N", 0},
      {"peak stance abductor force", peak_abd, "N", 0},
      {"stance hip abduction moment at the end angle", last.stance_abduction_moment, "N m", 1},
      {"peak stance hip contact", peak_stance, "BW", 2},
      {"peak moving hip contact", peak_moving, "BW", 2},
      {"largest reserve at hips/lumbar", max_reserve, "N m", 2},
      {"repetitions per session", static_cast<double>(reps), "", 0},
      {"session peak stance hip contact x repetitions", peak_stance * reps, "BW", 0},
  };

  out.verdict.claim =
      "In standing resisted hip flexion the stance leg works as hard as the moving one: the stance hip carries more "
      "than the moving hip, and a stiffer tubing colour raises the flexor demand.";
  // The colour claim is judged by solving the end angle again with the next stiffer colour
  // (the next softer one for gold) and comparing the hip flexion moments.
  const size_t ci = static_cast<size_t>(P.get_int("colour") - 1);
  const bool up = ci + 1 < kColours.size();
  const Colour& other = kColours[up ? ci + 1 : ci - 1];
  const Frame other_last = solve(rad(P.get("end_angle")), other);
  const double df = other_last.band_force - last.band_force;
  const double dm = other_last.flexion_moment - last.flexion_moment;
  out.numbers.push_back({fmt::format("hip flexion moment at the end angle, {} tubing", other.name),
                         other_last.flexion_moment, "N m", 1});
  const bool stance_more = peak_stance > peak_moving, stiffer_more = up ? dm > 0.01 : dm < -0.01;
  out.verdict.status = stance_more && stiffer_more ? VerdictStatus::Supported
                       : stance_more || stiffer_more ? VerdictStatus::Partly
                                                     : VerdictStatus::NotSupported;
  out.verdict.text = fmt::format(
      "At {} degrees the {} tubing is stretched {}% and pulls {} N, {}% of the {} N m hip flexion moment the right "
      "hip needs (iliopsoas {} N, rectus femoris {} N). The stance hip needs up to {} N of abductor force and carries "
      "up to {} BW, the moving hip up to {} BW. {} tubing at the same angle pulls {} N more and changes the flexion "
      "moment needed by {} N m.{}",
      format_number(last.angle_deg, 0), colour.name, format_number(100 * last.elongation, 0),
      format_number(last.band_force, 1), format_number(band_share, 0), format_number(last.flexion_moment, 1),
      format_number(last.iliopsoas, 0), format_number(last.rect_fem, 0), format_number(peak_abd, 0),
      format_number(peak_stance, 2), format_number(peak_moving, 2), other.name, format_number(df, 1), format_number(dm, 1),
      max_reserve > so.feasibility_tolerance ? " Some angles needed reserve actuators." : "");

  LiteratureComparison lc;
  lc.quantity = "stance hip contact, standing hip exercises with resistance bands";
  lc.model_value = peak_stance;
  lc.low = 1.5;
  lc.high = 3.0;
  lc.unit = "BW";
  lc.published = "mostly at or below walking (~2.4 BW)";
  lc.source = "Haffer H, Popovic S, Martin F, Hardt S, Winkler T, Damm P (2021) In vivo loading on the hip joint in "
              "patients with total hip replacement performing gymnastics and aerobics exercises. Sci Rep 11:13395";
  out.literature.push_back(lc);
  out.limits = {
      "Quasi-static: each angle held still; the swing's accelerations are not included.",
      "The tubing force is the manufacturer's chart (Hygenic Corp. Thera-Band force-elongation chart; green 4.6 lbf "
      "at 100% elongation), an input, not a result; linear between its points; real tubing is stiffer at small "
      "stretch, relaxes over repetitions, and measured forces are lower (Simoneau GG et al. 2001, J Orthop Sports "
      "Phys Ther 31(1):16-24; Uchida MC et al. 2016, J Phys Ther Sci 28:1266-1271).",
      "The trunk is held upright and the pelvis level; a person may lean or hike the pelvis instead.",
      "The vertical free moment of the ground reaction is left to the pelvis (small: the tubing pulls in the "
      "sagittal plane).",
  };
  out.postures.push_back(std::move(shown));
  return out;
}

}  // namespace

ScenarioInfo resisted_hip_flexion_scenario() {
  ScenarioInfo info;
  info.name = "resisted-hip-flexion";
  info.title = "Standing hip flexion against elastic tubing";
  info.summary = "straight-leg hip flexion against Thera-Band tubing: flexor demand per colour, stance abductors, both hips";
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
