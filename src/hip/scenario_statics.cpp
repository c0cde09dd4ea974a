// Quasi-static mechanics for the scenarios: posture -> required generalized forces, muscle
// capacities, one Static Optimization frame, joint reactions. See scenario_statics.hpp.
#include "scenario_statics.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/kinematics/jacobian.hpp"

namespace femur::hip::detail {

Statics::Statics(const Model& m)
    : model(m),
      paths(m.paths),
      actuators(tools::bind_actuators(m, paths)),
      muscles(m),
      data(m),
      path_data(m, paths) {
  for (int i = 0; i < muscles.size(); ++i) {
    const std::string& name = muscles.parameters(i).name;
    muscle_path.push_back(paths.path_index(name));
    muscle_actuator.push_back(actuators.index(name));
    if (muscle_path.back() < 0 || muscle_actuator.back() < 0)
      throw ScenarioError("model '" + m.name + "': muscle '" + name + "' has no geometry path");
  }
  for (const Body& b : m.bodies) mass += b.mass;
  weight = mass * m.gravity.norm();
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

PostureState evaluate_posture(Statics& s, const Eigen::VectorXd& q, const std::vector<PointLoad>& loads) {
  const Model& model = s.model;
  PostureState out;
  out.q = q;
  out.loads = loads;
  // Paths first: compute_paths runs the kinematics and Jacobians the moment arms need.
  compute_paths(model, s.paths, s.data, q, s.path_data);
  const int nm = s.muscles.size();
  out.moment_arm.resize(nm, model.nv);
  out.path_length.resize(nm);
  for (int i = 0; i < nm; ++i) {
    const int p = s.muscle_path[static_cast<size_t>(i)];
    out.moment_arm.row(i) = s.path_data.moment_arm.row(p);
    out.path_length[i] = s.path_data.length[p];
  }
  // Generalized forces that hold the posture still under gravity and the loads.
  clear_applied_forces(s.data);
  for (const PointLoad& l : loads) apply_point_force(model, s.data, l.body, l.point_in_body, l.force_in_ground);
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(model.nv);
  out.tau = rnea(model, s.data, q, zero, zero);
  return out;
}

Capacity muscle_capacity(const Statics& s, const PostureState& posture) {
  // Rigid tendon (SO's use_muscle_physiology) held still: the fiber length follows from the path.
  return muscle_capacity(s, posture, Eigen::VectorXd::Zero(s.muscles.size()));
}

Sharing share_loads(Statics& s, const PostureState& posture, const Capacity& cap, const SharingOptions& o) {
  const int nm = s.muscles.size();
  const int nc = static_cast<int>(o.coordinates.size());
  const int n = nm + nc;
  // Rows: sum_m r_mk (a_m C_m + P_m) + R r_k = tau_k for every listed coordinate k.
  Eigen::MatrixXd A = Eigen::MatrixXd::Zero(nc, n);
  Eigen::VectorXd b(nc), w = Eigen::VectorXd::Ones(n), c = Eigen::VectorXd::Zero(n);
  Eigen::VectorXd lo(n), hi(n), x = Eigen::VectorXd::Zero(n), y = Eigen::VectorXd::Zero(nc);
  std::vector<bool> excluded(static_cast<size_t>(nm), false);
  for (int m : o.excluded_muscles) excluded[static_cast<size_t>(m)] = true;
  for (int r = 0; r < nc; ++r) {
    const int k = o.coordinates[static_cast<size_t>(r)];
    b[r] = posture.tau[k];
    for (int m = 0; m < nm; ++m) {
      if (excluded[static_cast<size_t>(m)]) continue;
      A(r, m) = posture.moment_arm(m, k) * cap.active[m];
      b[r] -= posture.moment_arm(m, k) * cap.passive[m];
    }
    A(r, nm + r) = o.reserve_optimal_force;
  }
  for (int m = 0; m < nm; ++m) {
    const MuscleParameters& p = s.muscles.parameters(m);
    lo[m] = std::max(0.0, p.min_control);
    hi[m] = excluded[static_cast<size_t>(m)] ? lo[m] : std::max(lo[m], p.max_control);
    if (excluded[static_cast<size_t>(m)]) lo[m] = hi[m] = 0.0;
  }
  lo.tail(nc).setConstant(-1e30);
  hi.tail(nc).setConstant(1e30);
  if (s.qp.num_variables() != n || s.qp.num_equalities() != nc) s.qp.resize(n, nc);
  const BoundedQpSummary sum = s.qp.solve(A, b, w, c, lo, hi, x, y);

  Sharing out;
  out.solved = sum.solved();
  out.activation = x.head(nm);
  out.force.resize(nm);
  for (int m = 0; m < nm; ++m)
    out.force[m] = excluded[static_cast<size_t>(m)] ? 0.0 : out.activation[m] * cap.active[m] + cap.passive[m];
  out.reserve = x.tail(nc) * o.reserve_optimal_force;
  out.effort = out.activation.squaredNorm();
  for (int k : o.judged) {
    const auto it = std::find(o.coordinates.begin(), o.coordinates.end(), k);
    if (it == o.coordinates.end()) continue;
    out.max_judged_reserve = std::max(out.max_judged_reserve, std::abs(out.reserve[it - o.coordinates.begin()]));
  }
  out.feasible = out.solved && out.max_judged_reserve <= o.feasibility_tolerance;
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

std::vector<JointLoad> joint_loads(Statics& s, const PostureState& posture, const Sharing& sharing,
                                   const std::vector<int>& joints) {
  const Model& model = s.model;
  compute_paths(model, s.paths, s.data, posture.q, s.path_data);
  clear_applied_forces(s.data);
  for (const PointLoad& l : posture.loads) apply_point_force(model, s.data, l.body, l.point_in_body, l.force_in_ground);
  Eigen::VectorXd actuation = Eigen::VectorXd::Zero(s.actuators.size());
  for (int m = 0; m < s.muscles.size(); ++m) actuation[s.muscle_actuator[static_cast<size_t>(m)]] = sharing.force[m];
  Eigen::VectorXd tau_extra = Eigen::VectorXd::Zero(model.nv);
  tools::apply_actuator_forces(model, s.paths, s.path_data, s.actuators, posture.q, actuation, s.data, tau_extra);
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(model.nv);
  compute_mobilizer_reactions_at(model, s.data, posture.q, zero, zero);
  std::vector<JointLoad> out;
  for (int j : joints) {
    const Wrench w = reaction_on_child(model, s.data, j);
    JointLoad l;
    l.force_in_ground = w.force;
    const int child = model.joints[static_cast<size_t>(j)].child_body;
    l.force_in_child = body_pose(model, s.data, child).R.transpose() * w.force;
    l.magnitude = w.force.norm();
    out.push_back(l);
  }
  return out;
}

void shorten_optimal_fiber_length(Statics& s, const std::vector<int>& muscles, double fraction) {
  if (!(fraction >= 0.0 && fraction < 1.0))
    throw ScenarioError("optimal fiber length can be shortened by a fraction in [0, 1), got " + std::to_string(fraction));
  for (int m : muscles)
    s.muscles.set_optimal_fiber_length(m, s.muscles.model_parameters(m).optimal_fiber_length * (1.0 - fraction));
}

double passive_moment(const PostureState& posture, const Capacity& capacity, int coordinate,
                      const std::vector<int>& muscles) {
  if (muscles.empty()) return posture.moment_arm.col(coordinate).dot(capacity.passive);
  double sum = 0.0;
  for (int m : muscles) sum += posture.moment_arm(m, coordinate) * capacity.passive[m];
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

// ---- Moving postures.
Eigen::VectorXd muscle_path_speeds(Statics& s, const Eigen::VectorXd& q, const Eigen::VectorXd& qdot) {
  compute_paths(s.model, s.paths, s.data, q, qdot, s.path_data);
  Eigen::VectorXd v(s.muscles.size());
  for (int i = 0; i < s.muscles.size(); ++i) v[i] = s.path_data.speed[s.muscle_path[static_cast<size_t>(i)]];
  return v;
}

Capacity muscle_capacity(const Statics& s, const PostureState& posture, const Eigen::VectorXd& path_speed) {
  const int nm = s.muscles.size();
  Capacity c;
  c.active.resize(nm);
  c.passive.resize(nm);
  MuscleState st;
  for (int i = 0; i < nm; ++i) {
    const MuscleModel& m = s.muscles.model(i);
    rigid_tendon_state(m, posture.path_length[i], path_speed[i], 0.0, st);
    c.passive[i] = st.passive_fiber_force * st.cos_pennation;
    c.active[i] = calc_inextensible_tendon_active_fiber_force(m, st.fiber_length, st.fiber_velocity, 1.0);
  }
  return c;
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
void choose_sagittal(StanceBuilder& b, const SharingOptions& so) {
  double best = HUGE_VAL, best_deg = 0.0;
  for (double f = -10.0; f <= 10.0 + 1e-9; f += 2.5) {
    b.trunk_flexion_deg = f;
    const Eigen::VectorXd q = b.posture(0.0, 0.0);
    const PostureState ps = evaluate_posture(b.s, q, b.ground_reaction(q));
    const Sharing sh = share_loads(b.s, ps, muscle_capacity(b.s, ps), so);
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
    return passive_moment(ps, muscle_capacity(s, ps), hip, muscles) - demand;
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

void add_posture_frame(Posture& posture, Statics& s, const PostureState& ps, const Sharing& sharing, int hip_joint,
                       const std::string& label) {
  if (posture.hip_joint.empty()) {
    posture.hip_joint = s.model.joints[static_cast<std::size_t>(hip_joint)].name;
    posture.hip_force_in_ground.assign(posture.q.size(), {NAN, NAN, NAN});
  }
  add_posture_frame(posture, ps.q, label);
  // joint_loads gives the parent's push on the child (the pelvis on the femur); the femur's
  // push on the pelvis is its opposite.
  const Vec3 f = -joint_loads(s, ps, sharing, {hip_joint})[0].force_in_ground;
  posture.hip_force_in_ground.back() = {f.x(), f.y(), f.z()};
}

}  // namespace femur::hip::detail
