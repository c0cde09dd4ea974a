// Scenario `glute-inhibition`: the stance of a step-up (right foot on the step, hip and knee
// flexed, the body pitched forward so that the centre of mass is over the foot) held by one
// Static Optimization frame, first with every muscle free, then with the right gluteus maximus
// (and optionally medius/minimus) activation capped (inhibition = activation upper bound).
// Reported: the force of each muscle group and how it changes, the hip contact force and the
// L5/S1 compression and shear (lumbar joint reaction in the torso frame).
#include <cmath>

#include <fmt/format.h>

#include "scenario_statics.hpp"

namespace femur::hip::detail {
namespace {

struct Group {
  std::string name;
  std::vector<int> muscles;
};

ScenarioResult run(const Model& model, const ScenarioParameters& P) {
  Statics s(model);
  const int hip_flex_r = s.coordinate("hip_flexion_r"), knee_r = s.coordinate("knee_angle_r");
  const int hip_flex_l = s.coordinate("hip_flexion_l"), knee_l = s.coordinate("knee_angle_l");
  const int tilt = s.coordinate("pelvis_tilt");
  const int talus_r = s.body("talus_r"), calcn_r = s.body("calcn_r");
  const double knee_sign_r = model.coordinates[static_cast<size_t>(knee_r)].range_min < -0.5 ? -1.0 : 1.0;
  const double knee_sign_l = model.coordinates[static_cast<size_t>(knee_l)].range_min < -0.5 ? -1.0 : 1.0;

  // Posture: right hip and knee flexed on the step, left leg hanging behind; pelvis_tilt solved
  // so that the centre of mass is `com_ahead` in front of the right ankle (over the mid-foot).
  Eigen::VectorXd q = model.default_q();
  q[hip_flex_r] = rad(P.get("hip_flexion"));
  q[knee_r] = knee_sign_r * rad(P.get("knee_flexion"));
  q[hip_flex_l] = rad(-10.0);
  q[knee_l] = knee_sign_l * rad(30.0);
  q[s.coordinate("lumbar_extension")] = -rad(P.get("trunk_flexion"));
  const double com_ahead = 0.05;
  for (int it = 0; it < 8; ++it) {
    auto offset = [&] {
      s.kinematics(q);
      return s.center_of_mass().x() - s.point_in_ground(talus_r, Vec3::Zero()).x() - com_ahead;
    };
    const double e0 = offset();
    q[tilt] += 1e-4;
    const double de = (offset() - e0) / 1e-4;
    q[tilt] -= 1e-4;
    if (std::abs(de) > 1e-9) q[tilt] -= e0 / de;
  }
  s.kinematics(q);
  const Vec3 com = s.center_of_mass();
  const Vec3 cop(com.x(), s.point_in_ground(talus_r, Vec3::Zero()).y() - 0.05, com.z());
  const PostureState ps =
      evaluate_posture(s, q, {PointLoad{calcn_r, s.ground_to_body(calcn_r, cop), Vec3(0, s.weight, 0)}});
  const Vec3 torso_up = s.body_axis_in_ground(s.body("torso"), Vec3::UnitY());
  const double trunk_pitch = deg(std::atan2(torso_up.x(), torso_up.y()));

  SharingOptions so;
  so.coordinates = non_root_coordinates(model);
  so.judged = {hip_flex_r, s.coordinate("hip_adduction_r"), s.coordinate("hip_rotation_r"),
               s.coordinate("lumbar_extension"), s.coordinate("lumbar_bending"), s.coordinate("lumbar_rotation")};
  const std::vector<Group> groups{
      {"gluteus maximus", s.muscles_matching({"glut_max"}, "_r")},
      {"gluteus medius + minimus", s.muscles_matching({"glut_med", "glut_min"}, "_r")},
      {"hamstrings", s.muscles_matching({"semimem", "semiten", "bifemlh"}, "_r")},
      {"adductor magnus", s.muscles_matching({"add_mag"}, "_r")},
      {"erector spinae + multifidus", s.muscles_matching({"ercspn", "multif"}, "")},
      {"quadriceps", s.muscles_matching({"rect_fem", "vas_"}, "_r")},
  };
  const std::vector<int> capped = P.get_int("cap_medius") ? s.muscles_matching({"glut_max", "glut_med", "glut_min"}, "_r")
                                                          : s.muscles_matching({"glut_max"}, "_r");
  if (groups[0].muscles.empty()) throw ScenarioError("model '" + model.name + "' has no glut_max* muscles on the right");
  const int hip_joint = s.joint_of("hip_flexion_r"), lumbar_joint = s.joint_of("lumbar_extension");

  struct Outcome {
    std::vector<double> group;
    double contact_bw, compression, shear, reserve;
    bool feasible;
  };
  LoadSharing sharing(s, so);
  auto solve = [&](double cap) {
    for (int m : capped) s.muscles.set_activation_bounds(m, 0.0, cap);
    const Sharing sh = sharing.solve(ps, {hip_joint, lumbar_joint});
    for (int m : capped) s.muscles.set_activation_bounds(m, 0.0, 1.0);
    const std::vector<JointLoad>& jl = sh.reactions;
    Outcome o;
    for (const Group& g : groups) o.group.push_back(group_force(sh, g.muscles));
    o.contact_bw = jl[0].magnitude / s.weight;
    // Reaction of the pelvis (S1) on the torso (L5), torso frame: +y pushes the torso up
    // (compression), -x pushes it back (the pelvis resisting anterior shear of L5).
    o.compression = jl[1].force_in_child.y();
    o.shear = -jl[1].force_in_child.x();
    o.reserve = sh.max_judged_reserve;
    o.feasible = sh.feasible;
    return o;
  };
  const double cap = P.get("cap");
  const Outcome base = solve(1.0), inhibited = solve(cap);
  std::vector<double> caps = linspace(1.0, std::min(cap, 1.0), std::max(2, P.get_int("cap_points")));
  std::vector<Outcome> sweep;
  for (double c : caps) sweep.push_back(solve(c));

  ScenarioResult out;
  out.title = "Inhibited gluteus maximus: who takes over the hip extension?";
  out.question =
      "If the gluteus maximus does not switch on fully (after pain, injury or long sitting), which muscles hold the "
      "hip in a step-up instead, by how much does their force rise, and what happens to the hip joint and the low back?";
  out.method = fmt::format(
      "Model '{}', standing on the right leg on a step: hip flexed {} degrees, knee {} degrees, the body pitched "
      "forward so that the centre of mass is over the mid-foot, lumbar spine flexed {} degrees (trunk {} degrees from vertical). The ground pushes "
      "up with one body weight under the centre of mass. Static optimization (least sum of squared activations, "
      "rigid tendons) shares the joint moments among the muscles, first freely, then with the activation of the "
      "right gluteus maximus{} capped at {}. Hip contact is the hip joint reaction; L5/S1 compression and shear are "
      "the lumbar joint reaction in the torso frame.",
      model.name, format_number(P.get("hip_flexion"), 0), format_number(P.get("knee_flexion"), 0),
      format_number(P.get("trunk_flexion"), 0), format_number(trunk_pitch, 0), P.get_int("cap_medius") ? " and gluteus medius/minimus" : "", format_number(cap, 2));

  Table t;
  t.title = "Muscle group forces (N)";
  t.header = {"group", "all muscles free", fmt::format("activation capped at {}", format_number(cap, 2)), "change", "change (%)"};
  for (size_t g = 0; g < groups.size(); ++g) {
    const double d = inhibited.group[g] - base.group[g];
    t.rows.push_back({groups[g].name, format_number(base.group[g], 0), format_number(inhibited.group[g], 0),
                      (d >= 0 ? "+" : "") + format_number(d, 0),
                      base.group[g] > 1 ? (d >= 0 ? "+" : "") + format_number(100 * d / base.group[g], 0) : "-"});
  }
  t.rows.push_back({"hip contact (BW)", format_number(base.contact_bw, 2), format_number(inhibited.contact_bw, 2),
                    format_number(inhibited.contact_bw - base.contact_bw, 2), ""});
  t.rows.push_back({"L5/S1 compression (N)", format_number(base.compression, 0), format_number(inhibited.compression, 0),
                    format_number(inhibited.compression - base.compression, 0), ""});
  t.rows.push_back({"L5/S1 anterior shear (N)", format_number(base.shear, 0), format_number(inhibited.shear, 0),
                    format_number(inhibited.shear - base.shear, 0), ""});
  out.tables.push_back(t);

  Figure bars;
  bars.kind = Figure::Kind::Bar;
  bars.title = "Muscle group forces in the step-up stance";
  bars.y_label = "force (N)";
  Series sb{"all muscles free", {}, base.group, false}, si{"gluteus maximus capped", {}, inhibited.group, false};
  for (const Group& g : groups) bars.categories.push_back(g.name);
  bars.series = {sb, si};
  out.figures.push_back(bars);
  Figure line;
  line.title = "Group forces as the gluteus maximus cap is lowered";
  line.x_label = "activation cap";
  line.y_label = "force (N)";
  for (size_t g = 0; g < groups.size(); ++g) {
    Series se;
    se.name = groups[g].name;
    se.x = caps;
    for (const Outcome& o : sweep) se.y.push_back(o.group[g]);
    line.series.push_back(se);
  }
  out.figures.push_back(line);

  const double d_ham = inhibited.group[2] - base.group[2], d_mag = inhibited.group[3] - base.group[3];
  const double d_es = inhibited.group[4] - base.group[4];
  out.key_number = {"hamstring force increase", d_ham, "N", 0};
  out.numbers = {
      {"trunk inclination from vertical", trunk_pitch, "deg", 0},
      {"hip extension moment needed", -ps.tau[hip_flex_r], "N m", 1},
      {"gluteus maximus force, free", base.group[0], "N", 0},
      {"gluteus maximus force, capped", inhibited.group[0], "N", 0},
      {"hamstring force increase", d_ham, "N", 0},
      {"adductor magnus force increase", d_mag, "N", 0},
      {"erector spinae + multifidus force change", d_es, "N", 0},
      {"hip contact, free", base.contact_bw, "BW", 2},
      {"hip contact, capped", inhibited.contact_bw, "BW", 2},
      {"L5/S1 compression, free", base.compression, "N", 0},
      {"L5/S1 compression, capped", inhibited.compression, "N", 0},
      {"L5/S1 anterior shear, free", base.shear, "N", 0},
      {"L5/S1 anterior shear, capped", inhibited.shear, "N", 0},
      {"largest reserve at hip/lumbar, capped", inhibited.reserve, "N m", 2},
  };
  out.verdict.claim =
      "With the gluteus maximus inhibited, the hamstrings, adductor magnus and erector spinae take over the hip "
      "extension, and the low back is loaded more.";
  const bool ham = d_ham > 1.0, mag = d_mag > 1.0, back = inhibited.compression - base.compression > 1.0;
  out.verdict.status = ham && mag && back ? VerdictStatus::Supported
                       : ham || mag       ? VerdictStatus::Partly
                                          : VerdictStatus::NotSupported;
  out.verdict.text = fmt::format(
      "Capping the gluteus maximus at {} changes the hamstring force by {} N ({}%) and the adductor magnus by {} N. "
      "The erector spinae change by {} N and L5/S1 compression by {} N: {}{}",
      format_number(cap, 2), format_number(d_ham, 0),
      base.group[2] > 1 ? format_number(100 * d_ham / base.group[2], 0) : "-", format_number(d_mag, 0),
      format_number(d_es, 0), format_number(inhibited.compression - base.compression, 0),
      back ? "the low back is loaded more."
           : "in this fixed posture the back muscles do not cross the hip, so they cannot take over hip extension; "
             "a change in the low back would come from a changed posture (more trunk lean), not modelled here.",
      inhibited.feasible ? "" : " The capped muscles cannot hold the step-up without reserve actuators.");
  LiteratureComparison lc;
  lc.quantity = "hamstring force increase when gluteus maximus is weak";
  lc.model_value = d_ham;
  lc.low = 0.0;
  lc.high = 1e9;
  lc.unit = "N";
  lc.published = "> 0 (synergistic dominance)";
  lc.source = "Sahrmann SA (2002) Diagnosis and treatment of movement impairment syndromes; Lewis CL, Sahrmann SA, "
              "Moran DW (2007) Anterior hip joint force increases with hip extension, decreased gluteal force, or "
              "decreased iliopsoas force. J Biomech 40:3725-3731";
  out.literature.push_back(lc);
  out.limits = {
      "One still posture; the motion of a step-up (and its accelerations) is not simulated.",
      "Inhibition is modelled only as an activation ceiling; real inhibition also changes timing and coordination.",
      "Static optimization shares load by least effort; a person may co-contract or change posture instead.",
      "Muscles that do not cross the hip (erector spinae) can take over only through a change of posture, which is "
      "held fixed here.",
  };
  Posture shown{"The step-up on the right leg, gluteus maximus free, then capped: hip contact force (femoral head "
                "on the acetabulum) as an arrow",
                {}, {}, "", {}};
  for (const double c : {1.0, cap}) {
    for (int m : capped) s.muscles.set_activation_bounds(m, 0.0, c);
    add_posture_frame(shown, s, ps, sharing.solve(ps, {hip_joint}).reactions[0], hip_joint,
                      c < 1.0 ? fmt::format("activation capped at {}", format_number(c, 2)) : std::string("free"));
    for (int m : capped) s.muscles.set_activation_bounds(m, 0.0, 1.0);
  }
  out.postures.push_back(std::move(shown));
  return out;
}

}  // namespace

ScenarioInfo glute_inhibition_scenario() {
  ScenarioInfo info;
  info.name = "glute-inhibition";
  info.title = "Gluteus maximus inhibition in a step-up";
  info.summary = "gluteus maximus activation capped in a step-up stance: hamstrings, adductor magnus, L5/S1 load";
  info.parameters = {
      {"cap", "activation ceiling of the inhibited muscles", 0.2, 0.0, 1.0, "", false},
      {"cap_medius", "also cap gluteus medius and minimus (0 or 1)", 0.0, 0.0, 1.0, "", true},
      {"hip_flexion", "stance hip flexion on the step", 45.0, 0.0, 100.0, "deg", false},
      {"knee_flexion", "stance knee flexion on the step", 50.0, 0.0, 110.0, "deg", false},
      {"trunk_flexion", "lumbar flexion (trunk bent forward over the step)", 20.0, 0.0, 60.0, "deg", false},
      {"cap_points", "points of the cap sweep", 6.0, 2.0, 50.0, "", true},
  };
  info.run = &run;
  return info;
}

}  // namespace femur::hip::detail
