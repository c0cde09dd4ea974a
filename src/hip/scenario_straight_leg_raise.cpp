// Scenario `straight-leg-raise`: supine, the left knee bent with the foot flat, the right leg
// straight and lifted until the heel is `heel_lift` above the floor (20 cm by default), 2 s
// up and 2 s down, 2 sets of 15. Quasi-static: every raised-leg hip angle of a sweep is held
// still by one Static Optimization frame (the motion is slow; the inertial part of the hip
// moment is computed with RNEA along the prescribed trajectory and reported, not shared).
//
// Supine: the pelvis free joint is set to a supine pose (pelvis_tilt turns the pelvis so its
// anterior axis points up), so gravity acts along the pelvis' anterior-posterior axis. The
// floor holds the pelvis through the ground-pelvis joint: its six coordinates are not among
// the coordinates the muscles balance (non_root_coordinates), so their generalized forces are
// the unactuated floor reaction on the pelvis. The floor also holds the torso: a force equal
// to the torso's weight acts upward at the torso's centre of mass, so the lumbar joint carries
// only what the muscles (psoas, abdominals, back muscles) do to it. The bent left leg rests on
// its foot: a floor force under the foot (normal and friction), sized so that the left hip
// and knee need no active flexion moment.
//
// Reported: hip flexor forces vs angle, quadriceps force (the knee held straight against the
// shank's weight), hip contact (BW), L5/S1 compression and shear (lumbar joint reaction in
// the torso frame), the psoas share of the flexor force and of L5/S1 compression (psoas
// removed for comparison), and session totals (impulse = integral of force over time, and
// peak x repetitions).
#include <algorithm>
#include <cmath>

#include <Eigen/LU>
#include <fmt/format.h>

#include "femur/dynamics/rnea.hpp"
#include "scenario_statics.hpp"

namespace femur::hip::detail {
namespace {

constexpr double kPi = 3.14159265358979323846;

struct Frame {
  double angle_deg = 0, heel_lift_cm = 0;
  double flexion_moment = 0, inertial_moment_peak = 0;
  double iliopsoas = 0, psoas = 0, iliacus = 0, rect_fem = 0, other_flexors = 0, vasti = 0, quadriceps = 0;
  double contact_bw = 0, compression = 0, shear = 0;
  double compression_no_psoas = 0, shear_no_psoas = 0, contact_no_psoas_bw = 0;
  double reserve = 0;
  bool feasible = false;
};


ScenarioResult run(const Model& model, const ScenarioParameters& P) {
  Statics s(model);
  const int tilt = s.coordinate("pelvis_tilt"), ty = s.coordinate("pelvis_ty");
  const int hip_flex_r = s.coordinate("hip_flexion_r"), knee_r = s.coordinate("knee_angle_r");
  const int hip_flex_l = s.coordinate("hip_flexion_l"), knee_l = s.coordinate("knee_angle_l");
  const int ankle_l = s.coordinate("ankle_angle_l");
  const int pelvis = s.body("pelvis"), torso = s.body("torso"), calcn_r = s.body("calcn_r"), calcn_l = s.body("calcn_l");
  const double knee_sign_l = model.coordinates[static_cast<size_t>(knee_l)].range_min < -0.5 ? -1.0 : 1.0;

  // Supine: the sign of pelvis_tilt that turns the pelvis' anterior axis (x) up.
  Eigen::VectorXd q = model.default_q();
  q[tilt] = rad(90.0);
  s.kinematics(q);
  if (s.body_axis_in_ground(pelvis, Vec3::UnitX()).y() < 0) q[tilt] = -rad(90.0);
  q[ty] = 0.15;
  // Hook-lying left leg: hip 45, knee 90 degrees, ankle turned so that the foot is flat.
  q[hip_flex_l] = rad(45.0);
  q[knee_l] = knee_sign_l * rad(90.0);
  for (int it = 0; it < 6; ++it) {
    auto foot_pitch = [&] {
      s.kinematics(q);
      const Vec3 a = s.body_axis_in_ground(calcn_l, Vec3::UnitX());
      return std::atan2(a.y(), std::hypot(a.x(), a.z()));
    };
    const double e0 = foot_pitch();
    q[ankle_l] += 1e-4;
    const double de = (foot_pitch() - e0) / 1e-4;
    q[ankle_l] -= 1e-4;
    if (std::abs(de) > 1e-9) q[ankle_l] -= e0 / de;
  }

  // The heel (calcn origin) height as a function of the raised hip's flexion; the angle that
  // lifts it by heel_lift is found by bisection on the model's own leg.
  const double lift = P.get("heel_lift") / 100.0;
  auto heel_height = [&](double angle) {
    Eigen::VectorXd qq = q;
    qq[hip_flex_r] = angle;
    s.kinematics(qq);
    return s.point_in_ground(calcn_r, Vec3::Zero()).y();
  };
  const double heel0 = heel_height(0.0);
  double lo = 0.0, hi = rad(89.0);
  if (heel_height(hi) - heel0 < lift) throw ScenarioError("heel_lift is more than the straight leg can reach");
  for (int it = 0; it < 60; ++it) ((heel_height(0.5 * (lo + hi)) - heel0 < lift) ? lo : hi) = 0.5 * (lo + hi);
  const double top = 0.5 * (lo + hi);
  s.kinematics(q);
  const Vec3 hip_centre = s.point_in_ground(s.body("femur_r"), Vec3::Zero());
  const double leg_length = (hip_centre - s.point_in_ground(calcn_r, Vec3::Zero())).norm();

  SharingOptions so;
  so.coordinates = non_root_coordinates(model);
  so.judged = {hip_flex_r, s.coordinate("hip_adduction_r"), s.coordinate("hip_rotation_r"), knee_r,
               s.coordinate("lumbar_extension"), s.coordinate("lumbar_bending"), s.coordinate("lumbar_rotation")};
  const std::vector<int> psoas = s.muscles_matching({"psoas"}, "_r"), iliacus = s.muscles_matching({"iliacus"}, "_r");
  const std::vector<int> rect_fem = s.muscles_matching({"rect_fem"}, "_r"), vasti = s.muscles_matching({"vas_"}, "_r");
  const std::vector<int> other_flexors = s.muscles_matching({"sar", "tfl", "pect", "add_long", "add_brev", "grac"}, "_r");
  if (psoas.empty() || iliacus.empty() || rect_fem.empty())
    throw ScenarioError("model '" + model.name + "' lacks psoas_r, iliacus_r or rect_fem_r");
  const double psoas_strength = P.get("psoas_strength") / 100.0;
  for (int m : psoas) s.muscles.set_max_isometric_force_scale(m, std::max(psoas_strength, 1e-6));
  const double tight = P.get("thigh_tight");
  for (int m : vasti) s.muscles.set_activation_bounds(m, tight, 1.0);
  for (int m : rect_fem) s.muscles.set_activation_bounds(m, tight, 1.0);
  SharingOptions so_no_psoas = so;
  so_no_psoas.excluded_muscles = psoas;
  if (psoas_strength <= 0.0) so.excluded_muscles = psoas;

  const int hip_joint = s.joint_of("hip_flexion_r"), lumbar_joint = s.joint_of("lumbar_extension");
  const Vec3 torso_support = -model.bodies[static_cast<size_t>(torso)].mass * model.gravity;
  const double T = P.get("seconds_up");  // the down phase takes as long

  // Prescribed trajectory of one repetition: theta(t) = top (1 - cos(pi t / T)) / 2 up, mirrored
  // down; peak angular speed top pi / (2T), peak acceleration top pi^2 / (2 T^2).
  const double peak_speed = top * kPi / (2 * T), peak_acc = top * kPi * kPi / (2 * T * T);

  LoadSharing sharing(s, so), sharing_no_psoas(s, so_no_psoas);
  std::vector<Frame> frames;
  Posture shown{"The straight-leg raise, supine, left knee bent: hip contact force (femoral head on the "
                "acetabulum) as an arrow",
                {}, {}, "", {}};
  double foot_friction = 0.0;  // largest |friction| / normal force under the left foot
  for (double a : linspace(0.0, top, std::max(3, P.get_int("points")))) {
    Eigen::VectorXd qa = q;
    qa[hip_flex_r] = a;
    s.kinematics(qa);
    std::vector<PointLoad> loads{{torso, model.bodies[static_cast<size_t>(torso)].com_in_body, torso_support}};
    // Left foot: the floor force at the mid-foot (normal force and friction along the floor)
    // that, with the muscles' passive forces, balances the left hip and knee: the bent leg rests.
    const Vec3 midfoot_l(0.1, 0.0, 0.0);
    const PostureState base = evaluate_posture(s, qa, loads);
    loads.push_back({calcn_l, midfoot_l, Vec3(0, 1.0, 0)});
    const PostureState unit_y = evaluate_posture(s, qa, loads);
    loads.back().force_in_ground = Vec3(1.0, 0, 0);
    const PostureState unit_x = evaluate_posture(s, qa, loads);
    Eigen::Matrix2d J;
    J << unit_y.tau[hip_flex_l] - base.tau[hip_flex_l], unit_x.tau[hip_flex_l] - base.tau[hip_flex_l],
        unit_y.tau[knee_l] - base.tau[knee_l], unit_x.tau[knee_l] - base.tau[knee_l];
    // What the muscles' passive forces already supply at the left hip and knee.
    const Eigen::VectorXd passive_tau = base.moment_arm.transpose() * base.passive;
    const Eigen::Vector2d fyx = J.fullPivLu().solve(Eigen::Vector2d(passive_tau[hip_flex_l] - base.tau[hip_flex_l],
                                                                    passive_tau[knee_l] - base.tau[knee_l]));
    Eigen::Vector2d f_yx = fyx;
    constexpr double kMu = 0.6;  // assumed static friction of a bare foot or sock on a mat
    if (std::abs(f_yx[1]) > kMu * f_yx[0]) {
      // Friction at its limit: the normal force alone balances the hip; the knee flexors do the rest.
      const double sgn = f_yx[1] < 0 ? -1.0 : 1.0;
      f_yx[0] = (passive_tau[hip_flex_l] - base.tau[hip_flex_l]) / (J(0, 0) + sgn * kMu * J(0, 1));
      f_yx[1] = sgn * kMu * f_yx[0];
    }
    loads.back().force_in_ground = Vec3(f_yx[1], std::max(0.0, f_yx[0]), 0);
    const PostureState ps = evaluate_posture(s, qa, loads);
    foot_friction = std::max(foot_friction, std::abs(fyx[1]) / std::max(fyx[0], 1e-9));  // wanted, before the limit

    Frame f;
    f.angle_deg = deg(a);
    s.kinematics(qa);
    f.heel_lift_cm = 100.0 * (s.point_in_ground(calcn_r, Vec3::Zero()).y() - heel0);
    f.flexion_moment = ps.tau[hip_flex_r];
    // Inertial part of the hip moment at the peak acceleration (start/end of the lift) and at
    // the peak speed (mid-lift): RNEA without gravity or loads minus nothing.
    {
      clear_applied_forces(s.data);
      Eigen::VectorXd qd = Eigen::VectorXd::Zero(model.nv), qdd = Eigen::VectorXd::Zero(model.nv);
      const Eigen::VectorXd tau0 = rnea(model, s.data, qa, qd, qdd);
      qdd[hip_flex_r] = peak_acc;
      const double acc_part = rnea(model, s.data, qa, qd, qdd)[hip_flex_r] - tau0[hip_flex_r];
      qdd.setZero();
      qd[hip_flex_r] = peak_speed;
      const double speed_part = rnea(model, s.data, qa, qd, qdd)[hip_flex_r] - tau0[hip_flex_r];
      f.inertial_moment_peak = std::max(std::abs(acc_part), std::abs(speed_part));
    }
    const Sharing sh = sharing.solve(ps, {hip_joint, lumbar_joint});
    const std::vector<JointLoad>& jl = sh.reactions;
    add_posture_frame(shown, s, ps, sh.reactions[0], hip_joint, fmt::format("leg raised {} deg", format_number(deg(a), 0)));
    f.psoas = group_force(sh, psoas);
    f.iliacus = group_force(sh, iliacus);
    f.iliopsoas = f.psoas + f.iliacus;
    f.rect_fem = group_force(sh, rect_fem);
    f.other_flexors = group_force(sh, other_flexors);
    f.vasti = group_force(sh, vasti);
    f.quadriceps = f.vasti + f.rect_fem;
    f.contact_bw = jl[0].magnitude / s.weight;
    // Reaction of the pelvis (S1) on the torso (L5) in the torso frame: +y compression,
    // -x anterior shear of L5 resisted (as glute-inhibition).
    f.compression = jl[1].force_in_child.y();
    f.shear = -jl[1].force_in_child.x();
    f.reserve = sh.max_judged_reserve;
    f.feasible = sh.feasible;
    const Sharing np = sharing_no_psoas.solve(ps, {hip_joint, lumbar_joint});
    const std::vector<JointLoad>& jn = np.reactions;
    f.contact_no_psoas_bw = jn[0].magnitude / s.weight;
    f.compression_no_psoas = jn[1].force_in_child.y();
    f.shear_no_psoas = -jn[1].force_in_child.x();
    frames.push_back(f);
  }
  for (int m : psoas) s.muscles.set_max_isometric_force_scale(m, 1.0);

  // Session totals: the quasi-static force at theta(t), integrated over one repetition (T up,
  // T down, the heel lifted throughout) and multiplied by sets x repetitions.
  const int reps = P.get_int("sets") * P.get_int("reps");
  std::vector<double> ang;
  for (const Frame& f : frames) ang.push_back(f.angle_deg);
  auto rep_impulse = [&](auto field) {
    std::vector<double> y;
    for (const Frame& f : frames) y.push_back(field(f));
    const int n = 400;
    double sum = 0.0;
    for (int i = 0; i < n; ++i) {  // midpoint rule over the up phase; the down phase mirrors it
      const double t = (i + 0.5) * T / n;
      sum += interpolate_clamped(ang, y, deg(top) * 0.5 * (1 - std::cos(kPi * t / T))) * T / n;
    }
    return 2.0 * sum;
  };
  const double imp_contact = reps * rep_impulse([&](const Frame& f) { return f.contact_bw * s.weight; });
  const double imp_compr = reps * rep_impulse([](const Frame& f) { return f.compression; });
  const double imp_psoas = reps * rep_impulse([](const Frame& f) { return f.psoas; });
  const double imp_iliopsoas = reps * rep_impulse([](const Frame& f) { return f.iliopsoas; });

  auto peak = [&](auto field) { return max_over(frames, field); };
  const Frame& f0 = frames.front();
  const double peak_moment = peak([](const Frame& f) { return f.flexion_moment; });
  const double peak_inertial = peak([](const Frame& f) { return f.inertial_moment_peak; });
  const double peak_contact = peak([](const Frame& f) { return f.contact_bw; });
  const double peak_compr = peak([](const Frame& f) { return f.compression; });
  const double peak_compr_np = peak([](const Frame& f) { return f.compression_no_psoas; });
  const double peak_shear = peak([](const Frame& f) { return f.shear; });
  const double peak_shear_np = peak([](const Frame& f) { return f.shear_no_psoas; });
  const double peak_psoas = peak([](const Frame& f) { return f.psoas; });
  const double peak_quads = peak([](const Frame& f) { return f.quadriceps; });
  const double peak_vasti = peak([](const Frame& f) { return f.vasti; });
  const double max_reserve = peak([](const Frame& f) { return f.reserve; });
  const double flexor_total0 = f0.iliopsoas + f0.rect_fem + f0.other_flexors;
  const double psoas_share = flexor_total0 > 0 ? 100.0 * f0.psoas / flexor_total0 : 0.0;
  const double compr_from_psoas = peak_compr - peak_compr_np;

  ScenarioResult out;
  out.title = "Straight-leg raise: hip flexors, quadriceps, hip joint and low back";
  out.question =
      "Lying on the back with one knee bent, the other leg straight and the thigh tight, lifting the heel 20 cm: how "
      "hard do the hip flexors and the quadriceps work, how much does the hip joint carry, how much does the psoas "
      "load the low back (L5/S1), and what does a session of 2 x 15 add up to?";
  out.method = fmt::format(
      "Model '{}' supine (the pelvis turned so that gravity acts front-to-back on it; the floor holds the pelvis "
      "through the ground-pelvis joint, whose coordinates the muscles need not balance, and holds the torso with a "
      "force equal to its weight at its centre of mass). Left hip 45 and knee 90 degrees, foot flat, resting on a "
      "floor force (normal force and friction) that, with the passive muscle forces, balances the left hip and knee. The right leg (hip-to-heel {} m) is straight, the knee held at "
      "0 degrees by the muscles, and raised from the floor to {} degrees hip flexion, which lifts the heel {} cm. "
      "Each of {} angles is one static optimization frame (least sum of squared activations, rigid tendons), once "
      "with psoas as set ({}% strength) and once with psoas removed. Quasi-static: with {} s up and {} s down on a "
      "cosine profile the inertial hip moment is at most {} N m against {} N m for gravity. Session: {} sets x {} "
      "repetitions; impulse = integral of force over the time the heel is up.",
      model.name, format_number(leg_length, 2), format_number(deg(top), 1), format_number(P.get("heel_lift"), 0),
      frames.size(), format_number(P.get("psoas_strength"), 0), format_number(T, 1), format_number(T, 1),
      format_number(peak_inertial, 2), format_number(peak_moment, 1), P.get_int("sets"), P.get_int("reps"));

  auto line = [&](const std::string& name, auto field, bool dashed = false) {
    return angle_series(name, frames, field, dashed);
  };
  Figure ff;
  ff.title = "Hip flexor and quadriceps forces vs hip flexion";
  ff.x_label = "raised hip flexion (deg)";
  ff.y_label = "force (N)";
  ff.series = {line("psoas", [](const Frame& f) { return f.psoas; }),
               line("iliacus", [](const Frame& f) { return f.iliacus; }),
               line("rectus femoris", [](const Frame& f) { return f.rect_fem; }),
               line("other hip flexors", [](const Frame& f) { return f.other_flexors; }),
               line("vasti", [](const Frame& f) { return f.vasti; }, true)};
  ff.caption = "The flexor demand is largest with the leg low (longest gravity lever) and falls as the leg rises.";
  out.figures.push_back(ff);
  Figure fj;
  fj.title = "Hip contact and L5/S1 load vs hip flexion";
  fj.x_label = "raised hip flexion (deg)";
  fj.y_label = "force (BW)";
  fj.series = {line("hip contact", [](const Frame& f) { return f.contact_bw; }),
               line("L5/S1 compression", [&](const Frame& f) { return f.compression / s.weight; }),
               line("L5/S1 anterior shear", [&](const Frame& f) { return f.shear / s.weight; }),
               line("L5/S1 compression, psoas removed", [&](const Frame& f) { return f.compression_no_psoas / s.weight; }, true)};
  out.figures.push_back(fj);

  Table t;
  t.title = "Per angle";
  t.header = {"hip flexion (deg)", "heel lift (cm)", "flexion moment (N m)", "psoas (N)", "iliacus (N)",
              "rectus femoris (N)", "vasti (N)", "hip contact (BW)", "L5/S1 compression (N)", "L5/S1 shear (N)",
              "compression, no psoas (N)"};
  for (const Frame& f : frames)
    t.rows.push_back({format_number(f.angle_deg, 1), format_number(f.heel_lift_cm, 1), format_number(f.flexion_moment, 1),
                      format_number(f.psoas, 0), format_number(f.iliacus, 0), format_number(f.rect_fem, 0),
                      format_number(f.vasti, 0), format_number(f.contact_bw, 2), format_number(f.compression, 0),
                      format_number(f.shear, 0), format_number(f.compression_no_psoas, 0)});
  out.tables.push_back(t);

  out.key_number = {"L5/S1 compression added by psoas", compr_from_psoas, "N", 0};
  out.numbers = {
      {"hip flexion at top", deg(top), "deg", 1},
      {"peak hip flexion moment", peak_moment, "N m", 1},
      {"largest inertial hip moment", peak_inertial, "N m", 2},
      {"psoas force, leg low", f0.psoas, "N", 0},
      {"iliopsoas force, leg low", f0.iliopsoas, "N", 0},
      {"rectus femoris force, leg low", f0.rect_fem, "N", 0},
      {"psoas share of hip flexor force, leg low", psoas_share, "%", 0},
      {"peak psoas force", peak_psoas, "N", 0},
      {"peak quadriceps force", peak_quads, "N", 0},
      {"peak vasti force", peak_vasti, "N", 0},
      {"peak hip contact", peak_contact, "BW", 2},
      {"peak L5/S1 compression", peak_compr, "N", 0},
      {"peak L5/S1 compression, psoas removed", peak_compr_np, "N", 0},
      {"L5/S1 compression added by psoas", compr_from_psoas, "N", 0},
      {"peak L5/S1 anterior shear", peak_shear, "N", 0},
      {"peak L5/S1 anterior shear, psoas removed", peak_shear_np, "N", 0},
      {"largest reserve at hip/knee/lumbar", max_reserve, "N m", 2},
      {"left foot friction / normal force for a passive rest", foot_friction, "", 2},
      {"repetitions per session", static_cast<double>(reps), "", 0},
      {"session hip contact impulse", imp_contact / 1000.0, "kN s", 1},
      {"session L5/S1 compression impulse", imp_compr / 1000.0, "kN s", 1},
      {"session psoas impulse", imp_psoas / 1000.0, "kN s", 1},
      {"session iliopsoas impulse", imp_iliopsoas / 1000.0, "kN s", 1},
      {"session peak hip contact x repetitions", peak_contact * reps, "BW", 0},
      {"session peak L5/S1 compression x repetitions", peak_compr * reps / 1000.0, "kN", 1},
  };

  out.verdict.claim =
      "A straight-leg raise loads the low back through the psoas: L5/S1 compression is higher with the psoas "
      "working than without it, while the hip contact force stays moderate (below walking's 2-3 BW).";
  const bool psoas_loads = compr_from_psoas > 1.0, moderate = peak_contact < 2.0;
  out.verdict.status = psoas_loads && moderate ? VerdictStatus::Supported
                       : psoas_loads || moderate ? VerdictStatus::Partly
                                                 : VerdictStatus::NotSupported;
  out.verdict.text = fmt::format(
      "With the leg low the hip needs {} N m of flexion moment; psoas carries {} N ({}% of the flexor force) and "
      "L5/S1 compression peaks at {} N, {} N more than with the psoas removed ({} N); anterior shear {} N vs {} N. "
      "Hip contact peaks at {} BW. The quadriceps hold the knee straight with {} N (vasti {} N). A session of {} "
      "repetitions totals {} kN s of L5/S1 compression impulse.{}",
      format_number(peak_moment, 1), format_number(f0.psoas, 0), format_number(psoas_share, 0),
      format_number(peak_compr, 0), format_number(compr_from_psoas, 0), format_number(peak_compr_np, 0),
      format_number(peak_shear, 0), format_number(peak_shear_np, 0), format_number(peak_contact, 2),
      format_number(peak_quads, 0), format_number(peak_vasti, 0), reps, format_number(imp_compr / 1000.0, 1),
      max_reserve > so.feasibility_tolerance ? " Some angles needed reserve actuators: the muscles could not hold them alone." : "");

  LiteratureComparison hc;
  hc.quantity = "hip contact force, supine straight-leg raise";
  hc.model_value = peak_contact;
  hc.low = 0.8;
  hc.high = 1.8;
  hc.unit = "BW";
  hc.published = "long-lever exercises (straight-leg raise among them) around 50% of walking's ~2.4 BW";
  hc.source = "Schwachmeyer V, Damm P, Bender A, Dymke J, Graichen F, Bergmann G (2013) In vivo hip joint loading "
              "during post-operative physiotherapeutic exercises. PLoS ONE 8(10):e77807";
  out.literature.push_back(hc);
  LiteratureComparison lc;
  lc.quantity = "L5/S1 compression, bilateral/unilateral straight-leg raise";
  lc.model_value = peak_compr;
  lc.low = 0.0;
  lc.high = 2500.0;
  lc.unit = "N";
  lc.published = "2000-2500 N for a bilateral leg raise; less for one leg";
  lc.source = "Axler CT, McGill SM (1997) Low back loads over a variety of abdominal exercises: searching for the "
              "safest abdominal challenge. Med Sci Sports Exerc 29(6):804-811";
  out.literature.push_back(lc);
  out.limits = {
      fmt::format("The bent left leg would need friction {} times the normal force under the foot to rest on its passive "
                  "tissues alone; above 0.6 (assumed) the knee flexors hold the rest, and the left hip flexors that balance "
                  "them add to the L5/S1 load.",
                  format_number(foot_friction, 2)),
      "Quasi-static: each angle is held still; the inertial hip moment of the prescribed 2 s cosine lift is computed "
      "and reported but not shared among the muscles.",
      "The floor holds the torso with exactly its weight at its centre of mass; how the floor contact under the "
      "back redistributes when the psoas pulls on the spine is not modelled.",
      "The heel is taken as just clear of the floor at 0 degrees (the leg fully held); resting between repetitions is "
      "not modelled and the impulse assumes the heel stays up for the whole 4 s.",
      "Static optimization gives the least co-contraction that holds the knee; a 'thigh tight' cue adds quadriceps "
      "activation beyond that (set thigh_tight), balanced by the knee flexors.",
      "Psoas reaches the spine through one torso point 3 cm lateral and anterior of L5/S1 (see hip_model_muscles.cpp); "
      "its segmental attachments on T12-L4 are lumped into that point.",
  };
  out.postures.push_back(std::move(shown));
  return out;
}

}  // namespace

ScenarioInfo straight_leg_raise_scenario() {
  ScenarioInfo info;
  info.name = "straight-leg-raise";
  info.title = "Straight-leg raise (supine)";
  info.summary = "supine straight-leg raise to a 20 cm heel lift: hip flexors, quadriceps, hip contact, L5/S1 load from psoas";
  info.parameters = {
      {"heel_lift", "height the heel is lifted", 20.0, 2.0, 60.0, "cm", false},
      {"points", "hip angles from 0 to the top", 7.0, 3.0, 60.0, "", true},
      {"psoas_strength", "raised-leg (right) psoas max isometric force (0 removes it)", 100.0, 0.0, 200.0, "%", false},
      {"thigh_tight", "lowest quadriceps activation ('thigh tight' cue)", 0.0, 0.0, 1.0, "", false},
      {"seconds_up", "time to lift (the same to lower)", 2.0, 0.5, 10.0, "s", false},
      {"sets", "sets per session", 2.0, 1.0, 10.0, "", true},
      {"reps", "repetitions per set", 15.0, 1.0, 100.0, "", true},
  };
  info.run = &run;
  return info;
}

}  // namespace femur::hip::detail
