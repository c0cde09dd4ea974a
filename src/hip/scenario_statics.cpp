// Quasi-static mechanics for the scenarios: postures evaluated and loads shared by
// tools::StaticOptimizer. See scenario_statics.hpp.
#include "scenario_statics.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "femur/kinematics/forward_kinematics.hpp"

namespace femur::hip::detail {

tools::StaticOptimizationOptions sharing_options(const Model& model, const MuscleSet& muscles, const SharingOptions& o) {
  tools::StaticOptimizationOptions options;
  options.include_passive_fiber_force = o.passive_fiber_force;
  options.warm_start = false;  // each posture on its own: the order of the solves does not matter
  options.reserve_optimal_force = o.reserve_optimal_force;
  for (int k : o.coordinates) {
    options.coordinates.push_back(model.coordinates[static_cast<size_t>(k)].name);
    options.reserve_coordinates.push_back(model.coordinates[static_cast<size_t>(k)].name);
  }
  for (int m : o.excluded_muscles) options.excluded_actuators.push_back(muscles.parameters(m).name);
  return options;
}

Statics::Statics(const Model& m) : model(m), muscles(m), data(m) {
  for (const Body& b : m.bodies) mass += b.mass;
  weight = mass * m.gravity.norm();
  SharingOptions all;
  all.coordinates = non_root_coordinates(m);
  evaluator = std::make_unique<tools::StaticOptimizer>(m, muscles, nullptr, sharing_options(m, muscles, all));
  for (int i = 0; i < muscles.size(); ++i) {
    const std::string& name = muscles.parameters(i).name;
    muscle_path.push_back(evaluator->paths().path_index(name));
    if (muscle_path.back() < 0 || evaluator->actuator_of_muscle(i) < 0)
      throw ScenarioError("model '" + m.name + "': muscle '" + name + "' has no geometry path");
  }
}

int Statics::coordinate(std::string_view name) const {
  const int k = model.coordinate_index(std::string(name));
  if (k < 0) throw ScenarioError("model '" + model.name + "' has no coordinate '" + std::string(name) + "'");
  return k;
}

int Statics::body(std::string_view name) const {
  const int k = model.body_index(std::string(name));
  if (k < 0) throw ScenarioError("model '" + model.name + "' has no body '" + std::string(name) + "'");
  return k;
}

int Statics::muscle(std::string_view name) const {
  const int k = muscles.index(name);
  if (k < 0) throw ScenarioError("model '" + model.name + "' has no muscle '" + std::string(name) + "'");
  return k;
}

std::vector<int> Statics::muscles_matching(const std::vector<std::string>& prefixes, std::string_view side) const {
  std::vector<int> out;
  for (int i = 0; i < muscles.size(); ++i) {
    const std::string& n = muscles.parameters(i).name;
    if (!side.empty() && (n.size() < side.size() || n.compare(n.size() - side.size(), side.size(), side) != 0))
      continue;
    for (const std::string& p : prefixes)
      if (n.rfind(p, 0) == 0) {
        out.push_back(i);
        break;
      }
  }
  return out;
}

int Statics::joint_of(std::string_view coordinate_name) const {
  return model.coordinates[static_cast<size_t>(coordinate(coordinate_name))].joint;
}

void Statics::kinematics(const Eigen::VectorXd& q) { forward_kinematics(model, data, q); }

Vec3 Statics::center_of_mass() const {
  Vec3 sum = Vec3::Zero();
  double m = 0.0;
  for (size_t b = 1; b < model.bodies.size(); ++b) {
    const Body& body = model.bodies[b];
    sum += body.mass * femur::point_in_ground(model, data, static_cast<int>(b), body.com_in_body);
    m += body.mass;
  }
  return m > 0 ? Vec3(sum / m) : Vec3::Zero();
}

Vec3 Statics::point_in_ground(int b, const Vec3& p) const { return femur::point_in_ground(model, data, b, p); }

Vec3 Statics::ground_to_body(int b, const Vec3& p_ground) const {
  return body_pose(model, data, b).apply_inverse(p_ground);
}

Vec3 Statics::body_axis_in_ground(int b, const Vec3& axis) const { return body_pose(model, data, b).R * axis; }

namespace {

// The evaluator's view of a frame, in MuscleSet order.
PostureState read_posture(Statics& s, const Eigen::VectorXd& q, const Eigen::VectorXd& qdot,
                          const Eigen::VectorXd& qddot, const std::vector<PointLoad>& loads) {
  tools::StaticOptimizer& so = *s.evaluator;
  so.evaluate_frame(0.0, q, qdot, qddot, loads);
  PostureState out;
  out.q = q;
  out.u = qdot;
  out.qddot = qddot;
  out.loads = loads;
  out.tau = so.generalized_forces();
  const int nm = s.muscles.size();
  out.moment_arm.resize(nm, s.model.nv);
  out.path_length.resize(nm);
  out.path_speed.resize(nm);
  out.passive.resize(nm);
  for (int i = 0; i < nm; ++i) {
    const int p = s.muscle_path[static_cast<size_t>(i)];
    out.moment_arm.row(i) = so.path_data().moment_arm.row(p);
    out.path_length[i] = so.path_data().length[p];
    out.path_speed[i] = so.path_data().speed[p];
    out.passive[i] = so.passive_forces()[so.actuator_of_muscle(i)];
  }
  return out;
}

}  // namespace

PostureState evaluate_posture(Statics& s, const Eigen::VectorXd& q, const std::vector<PointLoad>& loads) {
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(s.model.nv);
  return read_posture(s, q, zero, zero, loads);
}

PostureState evaluate_motion(Statics& s, const Eigen::VectorXd& q, const Eigen::VectorXd& qdot,
                             const Eigen::VectorXd& qddot) {
  return read_posture(s, q, qdot, qddot, {});
}

LoadSharing::LoadSharing(Statics& s, const SharingOptions& options)
    : s_(s), options_(options), so_(s.model, s.muscles, nullptr, sharing_options(s.model, s.muscles, options)) {}

Sharing LoadSharing::solve(const PostureState& posture, const std::vector<int>& joints) {
  const int nm = s_.muscles.size();
  so_.evaluate_frame(0.0, posture.q, posture.u, posture.qddot, posture.loads);
  const tools::StaticOptimizationFrame frame = so_.solve(x_, forces_);
  Sharing out;
  out.solved = frame.status == BoundedQpStatus::Solved;
  out.activation.resize(nm);
  out.force.resize(nm);
  for (int m = 0; m < nm; ++m) {
    out.activation[m] = x_[so_.actuator_of_muscle(m)];
    out.force[m] = forces_[so_.actuator_of_muscle(m)];
  }
  out.reserve = forces_.tail(so_.num_actuators() - so_.first_reserve());
  out.effort = out.activation.squaredNorm();
  const std::vector<int>& c = options_.coordinates;
  for (int k : options_.judged) {
    const auto it = std::find(c.begin(), c.end(), k);
    if (it == c.end()) continue;
    out.max_judged_reserve = std::max(out.max_judged_reserve, std::abs(out.reserve[it - c.begin()]));
  }
  out.feasible = out.solved && out.max_judged_reserve <= options_.feasibility_tolerance;
  if (!joints.empty()) {
    so_.joint_reactions(joints, forces_, wrenches_);
    for (size_t i = 0; i < joints.size(); ++i) {
      JointLoad l;
      l.force_in_ground = wrenches_[i].force;
      const int child = s_.model.joints[static_cast<size_t>(joints[i])].child_body;
      l.force_in_child = body_pose(s_.model, so_.data(), child).R.transpose() * wrenches_[i].force;
      l.magnitude = wrenches_[i].force.norm();
      out.reactions.push_back(l);
    }
  }
  return out;
}

std::vector<int> non_root_coordinates(const Model& model) {
  std::vector<int> out;
  for (int k = 0; k < model.nq; ++k) {
    const Joint& j = model.joints[static_cast<size_t>(model.coordinates[static_cast<size_t>(k)].joint)];
    if (j.parent_body != 0) out.push_back(k);
  }
  return out;
}

void shorten_optimal_fiber_length(Statics& s, const std::vector<int>& muscles, double fraction) {
  if (!(fraction >= 0.0 && fraction < 1.0))
    throw ScenarioError("optimal fiber length can be shortened by a fraction in [0, 1), got " + std::to_string(fraction));
  for (int m : muscles)
    s.muscles.set_optimal_fiber_length(m, s.muscles.model_parameters(m).optimal_fiber_length * (1.0 - fraction));
}

double passive_moment(const PostureState& posture, int coordinate, const std::vector<int>& muscles) {
  if (muscles.empty()) return posture.moment_arm.col(coordinate).dot(posture.passive);
  double sum = 0.0;
  for (int m : muscles) sum += posture.moment_arm(m, coordinate) * posture.passive[m];
  return sum;
}

double group_force(const Sharing& sharing, const std::vector<int>& group) {
  double f = 0.0;
  for (int m : group) f += sharing.force[m];
  return f;
}

double interpolate_clamped(const std::vector<double>& x, const std::vector<double>& y, double v) {
  if (v <= x.front()) return y.front();
  if (v >= x.back()) return y.back();
  const size_t i = static_cast<size_t>(std::upper_bound(x.begin(), x.end(), v) - x.begin());
  const double t = (v - x[i - 1]) / (x[i] - x[i - 1]);
  return y[i - 1] + t * (y[i] - y[i - 1]);
}

std::vector<double> linspace(double a, double b, int n) {
  std::vector<double> v(static_cast<size_t>(std::max(n, 1)));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = n == 1 ? a : a + (b - a) * i / (n - 1);
  return v;
}

std::string base_muscle_name(const std::string& name) {
  std::string s = name;
  if (s.size() > 2 && s[s.size() - 2] == '_' && (s.back() == 'r' || s.back() == 'l')) s.resize(s.size() - 2);
  while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

// ---- Single-leg stance (moved here from scenario_glute_med_weakness.cpp; see the header).

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
  auto knee_sign = [&](int k) { return s.model.coordinates[static_cast<size_t>(k)].range_min < -0.5 ? -1.0 : 1.0; };
  Eigen::VectorXd q = s.model.default_q();
  q[pelvis_list] = drop_sign * rad(drop_deg);
  q[hip_flex_l] = rad(swing_hip_flexion_deg);
  q[knee_l] = rad(swing_knee_flexion_deg) * knee_sign(knee_l);
  if (stance_hip_flexion_deg != 0.0) q[hip_flex_r] = rad(stance_hip_flexion_deg);
  if (stance_knee_flexion_deg != 0.0) q[knee_r] = rad(stance_knee_flexion_deg) * knee_sign(knee_r);
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
void choose_sagittal(StanceBuilder& b, LoadSharing& sharing) {
  double best = HUGE_VAL, best_deg = 0.0;
  for (double f = -10.0; f <= 10.0 + 1e-9; f += 2.5) {
    b.trunk_flexion_deg = f;
    const Eigen::VectorXd q = b.posture(0.0, 0.0);
    const PostureState ps = evaluate_posture(b.s, q, b.ground_reaction(q));
    const Sharing sh = sharing.solve(ps);
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

// ---- Tight hip flexors: the passive extension limit.

double normalized_fiber_length(const Statics& s, const PostureState& posture, int muscle) {
  MuscleState st;
  rigid_tendon_state(s.muscles.model(muscle), posture.path_length[muscle], 0.0, 0.0, st);
  return st.normalized_fiber_length;
}

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

void add_posture_frame(Posture& posture, const Eigen::VectorXd& q, const std::string& label) {
  posture.labels.push_back(label);
  posture.q.emplace_back(q.data(), q.data() + q.size());
  if (!posture.hip_joint.empty()) posture.hip_force_in_ground.push_back({NAN, NAN, NAN});
}

void add_posture_frame(Posture& posture, const Statics& s, const PostureState& ps, const JointLoad& hip, int hip_joint,
                       const std::string& label) {
  if (posture.hip_joint.empty()) {
    posture.hip_joint = s.model.joints[static_cast<std::size_t>(hip_joint)].name;
    posture.hip_force_in_ground.assign(posture.q.size(), {NAN, NAN, NAN});
  }
  add_posture_frame(posture, ps.q, label);
  // The reaction is the parent's push on the child (the pelvis on the femur); the femur's push
  // on the pelvis is its opposite.
  const Vec3 f = -hip.force_in_ground;
  posture.hip_force_in_ground.back() = {f.x(), f.y(), f.z()};
}

}  // namespace femur::hip::detail
