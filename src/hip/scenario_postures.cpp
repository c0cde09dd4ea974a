// Posture builders and searches shared by the scenarios. See scenario_postures.hpp.
#include "scenario_postures.hpp"

#include <algorithm>
#include <cmath>

namespace femur::hip::detail {

// ---- Single-leg stance (see the header).

StanceBuilder::StanceBuilder(Statics& st)
    : s(st),
      pelvis_list(s.coordinate("pelvis_list")),
      lumbar_bending(s.coordinate("lumbar_bending")),
      hip_add_r(s.coordinate("hip_adduction_r")),
      hip_flex_l(s.coordinate("hip_flexion_l")),
      knee_l(s.coordinate("knee_angle_l")),
      pelvis_tilt(s.coordinate("pelvis_tilt")),
      lumbar_extension(s.coordinate("lumbar_extension")),
      hip_flex_r(s.coordinate("hip_flexion_r")),
      knee_r(s.coordinate("knee_angle_r")),
      pelvis(s.body("pelvis")),
      torso(s.body("torso")),
      femur_r(s.body("femur_r")),
      femur_l(s.body("femur_l")),
      calcn_r(s.body("calcn_r")),
      talus_r(s.body("talus_r")) {
  // Signs from the kinematics, so any model with OpenSim's names works: which way of
  // pelvis_list lowers the left hip, which way of lumbar_bending moves the torso to the right.
  Eigen::VectorXd q = s.model.default_q();
  q[pelvis_list] = 0.1;
  s.kinematics(q);
  drop_sign = s.point_in_ground(femur_l, Vec3::Zero()).y() < s.point_in_ground(femur_r, Vec3::Zero()).y() ? 1.0 : -1.0;
  q[pelvis_list] = 0.0;
  q[lumbar_bending] = 0.1;
  s.kinematics(q);
  const double z1 = s.point_in_ground(torso, s.model.bodies[torso].com_in_body).z();
  q[lumbar_bending] = 0.0;
  s.kinematics(q);
  lean_sign = z1 > s.point_in_ground(torso, s.model.bodies[torso].com_in_body).z() ? 1.0 : -1.0;
}

double StanceBuilder::trunk_lean_deg() const {
  const Vec3 up = s.body_axis_in_ground(torso, Vec3::UnitY());
  return deg(std::atan2(up.z(), up.y()));
}

Vec3 StanceBuilder::ankle() const { return s.point_in_ground(talus_r, Vec3::Zero()); }

Eigen::VectorXd StanceBuilder::posture(double drop_deg, double lean_deg, double medial) {
  // Knee flexion is negative in gait2392's convention (range -120..10 deg); read it from the range.
  Eigen::VectorXd q = s.model.default_q();
  q[pelvis_list] = drop_sign * rad(drop_deg);
  q[hip_flex_l] = rad(swing_hip_flexion_deg);
  q[knee_l] = rad(swing_knee_flexion_deg) * s.flexion_sign(knee_l);
  if (stance_hip_flexion_deg != 0.0) q[hip_flex_r] = rad(stance_hip_flexion_deg);
  if (stance_knee_flexion_deg != 0.0) q[knee_r] = rad(stance_knee_flexion_deg) * s.flexion_sign(knee_r);
  q[lumbar_extension] = -rad(trunk_flexion_deg);
  // Secant steps on one coordinate toward a target of a kinematic quantity.
  auto step = [&](int k, double target, auto&& measure) {
    const double v0 = measure();
    q[k] += 1e-4;
    s.kinematics(q);
    const double dv = (measure() - v0) / 1e-4;
    q[k] -= 1e-4;
    if (std::abs(dv) > 1e-6) q[k] += (target - v0) / dv;
  };
  const int iterations = balance_sagittal ? 10 : 6;
  for (int it = 0; it < iterations; ++it) {
    s.kinematics(q);
    q[lumbar_bending] += lean_sign * rad(lean_deg - trunk_lean_deg());
    // Stance hip adduction that puts the ankle where balance wants it (secant on z; the target
    // is taken before the lumbar update, as glute-med-weakness always has).
    const double target_z = s.center_of_mass().z() - medial;
    step(hip_add_r, target_z, [&] { return ankle().z(); });
    if (balance_sagittal) {
      // Pitch the whole body (pelvis_tilt) until the centre of mass is com_ahead in front of the ankle.
      s.kinematics(q);
      step(pelvis_tilt, com_ahead, [&] { return s.center_of_mass().x() - ankle().x(); });
    }
  }
  s.kinematics(q);
  return q;
}

std::vector<PointLoad> StanceBuilder::ground_reaction(const Eigen::VectorXd& q, double medial, double body_weights) {
  s.kinematics(q);
  const Vec3 com = s.center_of_mass();
  const double floor_y = ankle().y() - 0.05;
  Vec3 cop(com.x(), floor_y, com.z() - medial);
  const Vec3 d = com - cop;
  const Vec3 f = body_weights * s.weight * d / d.y();
  return {PointLoad{calcn_r, s.ground_to_body(calcn_r, cop), f}};
}

std::vector<int> stance_judged(Statics& s) {
  return {s.coordinate("hip_flexion_r"), s.coordinate("hip_adduction_r"), s.coordinate("hip_rotation_r"),
          s.coordinate("lumbar_extension"), s.coordinate("lumbar_bending"), s.coordinate("lumbar_rotation")};
}

// The sagittal trunk inclination people choose when standing on one leg is not fixed; take
// the least-effort one (full strength, pelvis level, trunk upright in the frontal plane) from
// lumbar flexion -10..10 degrees in 2.5-degree steps.
void choose_sagittal(StanceBuilder& b, Engine& engine, const Task& task) {
  double best = HUGE_VAL, best_deg = 0.0;
  for (double f : steps(-10.0, 10.0, 2.5)) {
    b.trunk_flexion_deg = f;
    Frame frame;
    frame.q = b.posture(0.0, 0.0);
    frame.loads = b.ground_reaction(frame.q);
    const Sharing sh = engine.solve(task, frame);
    if (sh.feasible && sh.effort < best) best = sh.effort, best_deg = f;
  }
  b.trunk_flexion_deg = best_deg;
}

std::vector<PointLoad> vertical_deceleration_loads(Statics& s, double body_weights) {
  // d'Alembert: a body accelerating upward by a = (body_weights - 1) |g| needs a net upward force
  // m a; in quasi-static terms each body carries an extra "weight" m (body_weights - 1) g.
  std::vector<PointLoad> out;
  if (body_weights == 1.0) return out;
  for (size_t b = 1; b < s.model.bodies.size(); ++b) {
    const Body& body = s.model.bodies[b];
    if (body.mass <= 0.0) continue;
    out.push_back(PointLoad{static_cast<int>(b), body.com_in_body, Vec3(body.mass * (body_weights - 1.0) * s.model.gravity)});
  }
  return out;
}

void turn_supine(Statics& s, Eigen::VectorXd& q) {
  const int tilt = s.coordinate("pelvis_tilt");
  q[tilt] = rad(90.0);
  s.kinematics(q);
  if (s.body_axis_in_ground(s.body("pelvis"), Vec3::UnitX()).y() < 0) q[tilt] = -rad(90.0);
}

// ---- Tight hip flexors: the passive extension limit.

ExtensionLimit passive_extension_limit(Statics& s, const Eigen::VectorXd& q, int hip, const std::vector<int>& muscles,
                                       double threshold, bool with_gravity, double min_deg, double max_deg) {
  Eigen::VectorXd qq = q;
  // Passive moment minus demand at extension e (deg): >= 0 once the flexors hold the hip back.
  auto excess = [&](double e) {
    qq[hip] = -rad(e);
    const PostureState ps = evaluate_posture(s, qq, {});
    const double demand = threshold + (with_gravity ? ps.tau[hip] : 0.0);
    return passive_moment(ps, hip, muscles) - demand;
  };
  if (excess(min_deg) >= 0.0) return {min_deg, true};
  for (double prev = min_deg;;) {
    const double e = std::min(prev + 1.0, max_deg);
    if (excess(e) >= 0.0) {
      double a = prev, b = e;
      for (int it = 0; it < 24; ++it) (excess(0.5 * (a + b)) >= 0.0 ? b : a) = 0.5 * (a + b);
      return {b, true};
    }
    if (e >= max_deg) return {max_deg, false};
    prev = e;
  }
}

std::string limit_text(const ExtensionLimit& l, double min_deg, double max_deg) {
  if (!l.reached) return "> " + format_number(max_deg, 0);
  return l.angle_deg <= min_deg + 1e-9 ? "< " + format_number(min_deg, 0) : format_number(l.angle_deg, 1);
}

TightFlexors tight_flexors(const Statics& s) {
  const std::pair<const char*, const char*> named[] = {{"iliacus", "iliacus"},
                                                       {"psoas", "psoas"},
                                                       {"rectus femoris", "rect_fem"},
                                                       {"tensor fasciae latae", "tfl"},
                                                       {"sartorius", "sar"}};
  TightFlexors out;
  for (const auto& [label, prefix] : named)
    for (int m : s.muscles_matching({prefix}, "_r")) out.muscles.push_back(m), out.labels.push_back(label);
  if (out.muscles.size() < std::size(named))
    throw ScenarioError("model '" + s.model.name + "' lacks one of iliacus_r, psoas_r, rect_fem_r, tfl_r, sar_r");
  return out;
}

double shortening_for(const std::function<double(double)>& limit_deg, double target, double max_shortening,
                      int iterations) {
  if (limit_deg(0.0) <= target) return 0.0;
  if (limit_deg(max_shortening) > target) return -1.0;
  double a = 0.0, b = max_shortening;
  for (int it = 0; it < iterations; ++it) (limit_deg(0.5 * (a + b)) <= target ? b : a) = 0.5 * (a + b);
  return b;
}

}  // namespace femur::hip::detail
