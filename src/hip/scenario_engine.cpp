// The scenarios' engine: the model bound once (Statics), frames evaluated and loads shared by
// tools::StaticOptimizer, variants applied to the muscles, every variant run on every frame.
// See scenario_engine.hpp.
#include "scenario_engine.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "femur/kinematics/forward_kinematics.hpp"

namespace femur::hip::detail {

// ---- The model bound once.

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
  // The evaluator never solves: it skips the muscles' active capacities (F_j = max isometric force).
  tools::StaticOptimizationOptions options = sharing_options(m, muscles, all);
  options.use_muscle_physiology = false;
  evaluator = std::make_unique<tools::StaticOptimizer>(m, muscles, nullptr, options);
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

int Statics::path(std::string_view name) const {
  const int k = evaluator->paths().path_index(std::string(name));
  if (k < 0) throw ScenarioError("model '" + model.name + "' has no path '" + std::string(name) + "'");
  return k;
}

std::vector<int> Statics::require_muscles(const std::vector<std::string>& prefixes, std::string_view side,
                                          std::string_view what) const {
  std::vector<int> out = muscles_matching(prefixes, side);
  if (out.empty()) throw ScenarioError("model '" + model.name + "' " + std::string(what));
  return out;
}

double Statics::flexion_sign(int k) const { return model.coordinates[static_cast<size_t>(k)].range_min < -0.5 ? -1.0 : 1.0; }

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

std::vector<int> non_root_coordinates(const Model& model) {
  std::vector<int> out;
  for (int k = 0; k < model.nq; ++k) {
    const Joint& j = model.joints[static_cast<size_t>(model.coordinates[static_cast<size_t>(k)].joint)];
    if (j.parent_body != 0) out.push_back(k);
  }
  return out;
}

// ---- One frame evaluated and shared.

namespace {

// A StaticOptimizer's view of the frame it evaluated last, in MuscleSet order.
PostureState read_posture(const Statics& s, const tools::StaticOptimizer& so, const Eigen::VectorXd& q,
                          const Eigen::VectorXd& qdot, const Eigen::VectorXd& qddot, const std::vector<PointLoad>& loads) {
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

PostureState evaluate_motion(Statics& s, const Eigen::VectorXd& q, const Eigen::VectorXd& qdot,
                             const Eigen::VectorXd& qddot, const std::vector<PointLoad>& loads) {
  s.evaluator->evaluate_frame(0.0, q, qdot, qddot, loads);
  return read_posture(s, *s.evaluator, q, qdot, qddot, loads);
}

PostureState evaluate_posture(Statics& s, const Eigen::VectorXd& q, const std::vector<PointLoad>& loads) {
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(s.model.nv);
  return evaluate_motion(s, q, zero, zero, loads);
}

LoadSharing::LoadSharing(Statics& s, const SharingOptions& options)
    : s_(s), options_(options), so_(s.model, s.muscles, nullptr, sharing_options(s.model, s.muscles, options)) {}

Sharing LoadSharing::solve(const PostureState& posture, const std::vector<int>& joints, PostureState* evaluated) {
  const int nm = s_.muscles.size();
  so_.evaluate_frame(0.0, posture.q, posture.u, posture.qddot, posture.loads);
  if (evaluated) *evaluated = read_posture(s_, so_, posture.q, posture.u, posture.qddot, posture.loads);
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
  measure_adequacy(out);
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

// Sharing::reserve_share and force_ratio of the frame the optimizer just solved.
void LoadSharing::measure_adequacy(Sharing& out) const {
  const int nm = s_.muscles.size();
  const std::vector<int>& c = options_.coordinates;
  // Per joint with judged coordinates: |its reserves| / |the moment it needs| (vectors over the
  // joint's judged coordinates: a hip's three), so that a reserve on an axis that needs
  // almost nothing is set against the joint's whole moment.
  const Eigen::VectorXd& tau = so_.generalized_forces();
  std::vector<int> judged_joints;
  for (int k : options_.judged) {
    const int j = s_.model.coordinates[static_cast<size_t>(k)].joint;
    if (std::find(judged_joints.begin(), judged_joints.end(), j) != judged_joints.end()) continue;
    judged_joints.push_back(j);
    double r2 = 0.0, t2 = 0.0;
    for (int kk : options_.judged) {
      if (s_.model.coordinates[static_cast<size_t>(kk)].joint != j) continue;
      const auto it = std::find(c.begin(), c.end(), kk);
      if (it == c.end()) continue;
      r2 += out.reserve[it - c.begin()] * out.reserve[it - c.begin()];
      t2 += tau[kk] * tau[kk];
    }
    // A reserve within the feasibility tolerance (1 N m, its own optimal force) is the
    // optimizer's regularisation, not a missing muscle: it does not count.
    if (std::sqrt(r2) > options_.feasibility_tolerance)
      out.reserve_share = std::max(out.reserve_share, t2 > 0.0 ? std::sqrt(r2 / t2) : HUGE_VAL);
  }
  // Muscles that cross a judged coordinate (a moment arm above 1 mm there).
  for (int m = 0; m < nm; ++m) {
    bool crosses = false;
    for (int k : options_.judged)
      crosses = crosses || std::abs(so_.path_data().moment_arm(s_.muscle_path[static_cast<size_t>(m)], k)) > 1e-3;
    if (!crosses) continue;
    const double ratio = out.force[m] / s_.muscles.parameters(m).max_isometric_force;
    if (ratio > out.force_ratio) out.force_ratio = ratio, out.over_force_muscle = m;
  }
}

void Adequacy::add(const Statics& s, const Sharing& sharing) {
  reserve_share = std::max(reserve_share, sharing.reserve_share);
  if (sharing.force_ratio > force_ratio) {
    force_ratio = sharing.force_ratio;
    over_force_muscle = s.muscles.parameters(sharing.over_force_muscle).name;
  }
}

void Adequacy::merge(const Adequacy& other) {
  reserve_share = std::max(reserve_share, other.reserve_share);
  if (other.force_ratio > force_ratio) force_ratio = other.force_ratio, over_force_muscle = other.over_force_muscle;
}

std::string Adequacy::why_not() const {
  std::string out;
  if (reserve_share > kMaxReserveShare)
    out = std::isinf(reserve_share) ? "reserve actuators act where no moment is needed"
                                    : fmt::format("reserve actuators carry {}% of a joint moment (more than {}%)",
                                                  report::format_number(100.0 * reserve_share, 0),
                                                  report::format_number(100.0 * kMaxReserveShare, 0));
  if (force_ratio > 1.0)
    out += (out.empty() ? "" : "; ") + fmt::format("{} reaches {} times its maximum isometric force", over_force_muscle,
                                                   report::format_number(force_ratio, 3));
  return out;
}

void apply_adequacy(Verdict& v, const Adequacy& a) {
  if (a.answerable()) return;
  v.status = VerdictStatus::CannotAnswer;
  v.text = "The model cannot answer: " + a.why_not() +
           ", so the muscles as modelled do not produce this task and no yes or no follows from it. " + v.text;
}

double group_force(const Sharing& sharing, const std::vector<int>& group) {
  double f = 0.0;
  for (int m : group) f += sharing.force[m];
  return f;
}

double mean_activation(const Sharing& sh, const std::vector<int>& group) {
  double sum = 0.0;
  for (int m : group) sum += sh.activation[m];
  return group.empty() ? 0.0 : sum / static_cast<double>(group.size());
}

double max_activation(const Sharing& sh, const std::vector<int>& group) {
  double out = 0.0;
  for (int m : group) out = std::max(out, sh.activation[m]);
  return out;
}

double passive_moment(const PostureState& posture, int coordinate, const std::vector<int>& muscles) {
  if (muscles.empty()) return posture.moment_arm.col(coordinate).dot(posture.passive);
  double sum = 0.0;
  for (int m : muscles) sum += posture.moment_arm(m, coordinate) * posture.passive[m];
  return sum;
}

double normalized_fiber_length(const Statics& s, const PostureState& posture, int muscle) {
  MuscleState st;
  rigid_tendon_state(s.muscles.model(muscle), posture.path_length[muscle], 0.0, 0.0, st);
  return st.normalized_fiber_length;
}

// ---- Variants, tasks and the engine.

MuscleChange MuscleChange::strength(std::vector<int> muscles, double scale) {
  return {Kind::Strength, std::move(muscles), scale, 1.0};
}

MuscleChange MuscleChange::shortening(std::vector<int> muscles, double fraction) {
  if (!(fraction >= 0.0 && fraction < 1.0))
    throw ScenarioError("optimal fiber length can be shortened by a fraction in [0, 1), got " + std::to_string(fraction));
  return {Kind::Shortening, std::move(muscles), fraction, 1.0};
}

MuscleChange MuscleChange::activation(std::vector<int> muscles, double lower, double upper) {
  return {Kind::Activation, std::move(muscles), lower, upper};
}

void apply_changes(Statics& s, const std::vector<MuscleChange>& changes) {
  MuscleSet& ms = s.muscles;
  for (int m : s.changed) ms.set_parameters(m, ms.model_parameters(m));
  s.changed.clear();
  for (const MuscleChange& c : changes)
    for (int m : c.muscles) {
      s.changed.push_back(m);
      switch (c.kind) {
        case MuscleChange::Kind::Strength: ms.set_max_isometric_force_scale(m, c.value); break;
        case MuscleChange::Kind::Shortening:
          ms.set_optimal_fiber_length(m, ms.model_parameters(m).optimal_fiber_length * (1.0 - c.value));
          break;
        case MuscleChange::Kind::Activation: ms.set_activation_bounds(m, c.value, c.upper); break;
      }
    }
}

PostureState Engine::evaluate(const Frame& f) {
  if (f.u.size() == 0) return evaluate_posture(s_, f.q, f.loads);
  return evaluate_motion(s_, f.q, f.u, f.qddot, f.loads);
}

Sharing Engine::solve(const Task& task, const Frame& frame, const std::vector<int>& excluded, PostureState* evaluated) {
  PostureState in;
  in.q = frame.q;
  in.u = frame.u.size() ? frame.u : Eigen::VectorXd::Zero(s_.model.nv);
  in.qddot = frame.qddot.size() ? frame.qddot : Eigen::VectorXd::Zero(s_.model.nv);
  in.loads = frame.loads;
  return sharing(task.sharing, excluded).solve(in, task.reactions, evaluated);
}

LoadSharing& Engine::sharing(const SharingOptions& options, const std::vector<int>& excluded) {
  SharingOptions o = options;
  o.excluded_muscles.insert(o.excluded_muscles.end(), excluded.begin(), excluded.end());
  for (Cached& c : cache_)
    if (c.options.coordinates == o.coordinates && c.options.judged == o.judged &&
        c.options.reserve_optimal_force == o.reserve_optimal_force &&
        c.options.feasibility_tolerance == o.feasibility_tolerance &&
        c.options.excluded_muscles == o.excluded_muscles && c.options.passive_fiber_force == o.passive_fiber_force)
      return *c.sharing;
  cache_.push_back({o, std::make_unique<LoadSharing>(s_, o)});
  return *cache_.back().sharing;
}

// ---- Small helpers.

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

std::vector<double> steps(double a, double b, double step) {
  // Accumulated, as a loop `for (x = a; x <= b; x += step)` visits them.
  std::vector<double> v;
  if (step > 0)
    for (double x = a; x <= b + 1e-9; x += step) v.push_back(x);
  else
    for (double x = a; x >= b - 1e-9; x += step) v.push_back(x);
  return v;
}

std::string base_muscle_name(const std::string& name) {
  std::string s = name;
  if (s.size() > 2 && s[s.size() - 2] == '_' && (s.back() == 'r' || s.back() == 'l')) s.resize(s.size() - 2);
  while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

// ---- The report's 3D views.

void add_posture_frame(Posture& posture, const Eigen::VectorXd& q, const std::string& label) {
  posture.labels.push_back(label);
  posture.q.emplace_back(q.data(), q.data() + q.size());
  if (!posture.hip_joint.empty()) posture.hip_force_in_ground.push_back({NAN, NAN, NAN});
}

void add_posture_frame(Posture& posture, const Statics& s, const PostureState& ps, const JointLoad& hip, int hip_joint,
                       const std::string& label) {
  add_posture_frame(posture, s, ps.q, hip, hip_joint, label);
}

void add_posture_frame(Posture& posture, const Statics& s, const Eigen::VectorXd& q, const JointLoad& hip, int hip_joint,
                       const std::string& label) {
  if (posture.hip_joint.empty()) {
    posture.hip_joint = s.model.joints[static_cast<std::size_t>(hip_joint)].name;
    posture.hip_force_in_ground.assign(posture.q.size(), {NAN, NAN, NAN});
  }
  add_posture_frame(posture, q, label);
  // The reaction is the parent's push on the child (the pelvis on the femur); the femur's push
  // on the pelvis is its opposite.
  const Vec3 f = -hip.force_in_ground;
  posture.hip_force_in_ground.back() = {f.x(), f.y(), f.z()};
}

}  // namespace femur::hip::detail
