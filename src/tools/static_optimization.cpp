// Static Optimization (OpenSim/Analyses/StaticOptimization.cpp, StaticOptimizationTarget.cpp):
// actuators bound once, then per frame, in the order OpenSim's target evaluates them:
//
//   solve_frame
//     compute_paths            kinematics, path lengths, lengthening speeds, moment arms
//     inverse dynamics (RNEA)  the generalized forces the target accelerations need, with
//                              gravity and the external loads (b)
//     actuator columns         generalized force of each actuator at its F_j (A): muscles
//                              r_j F_j with F_j = calcInextensibleTendonActiveFiberForce(a = 1)
//     bounded QP               min sum |x|^p, A x = b, min_control <= x <= max_control
//
// static_optimization() adds the target accelerations (a quintic GCV spline of the speeds,
// differentiated once, as StaticOptimization::begin builds _statesSplineSet) and the tables.
#include "femur/tools/static_optimization.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>
#include <limits>
#include <stdexcept>
#include <tuple>
#include <variant>

#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/couplers.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/math/gcv_spline.hpp"
#include "femur/tools/progress.hpp"

namespace femur::tools {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string where(const ForceElement& f) {
  return f.file.empty() ? "" : f.file + ":" + std::to_string(f.line) + ": ";
}

// An Actuator's min_control / max_control (Actuator.cpp: -inf / +inf by default); a muscle's
// are in its parameters.
std::pair<double, double> control_bounds(const ForceElement& f) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  std::pair<double, double> bounds{-inf, inf};
  std::visit([&](const auto& part) {
    if constexpr (requires { part.min_control; }) bounds = {part.min_control, part.max_control};
  }, f.part);
  return bounds;
}

// Adds the generalized forces of the body forces in data.f_ext (ground, about the ground
// origin) to tau: tau_k += J_k . f_b for every body b that coordinate k moves.
void add_generalized_body_forces(const Model& model, const Data& data, Eigen::VectorXd& tau) {
  for (int b = 1; b < static_cast<int>(model.bodies.size()); ++b) {
    const Force& f = data.f_ext[static_cast<size_t>(b)];
    if (f.n.isZero(0.0) && f.f.isZero(0.0)) continue;
    for (int a = b; a > 0; a = model.bodies[static_cast<size_t>(a)].parent) {
      const Joint& joint = model.joints[static_cast<size_t>(model.bodies[static_cast<size_t>(a)].joint)];
      for (int k = joint.q_start; k < joint.q_start + joint.nq; ++k)
        tau[k] += data.J.col(k).head<3>().dot(f.n) + data.J.col(k).tail<3>().dot(f.f);
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------
// The per-frame solver

StaticOptimizer::StaticOptimizer(const Model& model, const ExternalLoadsData* loads,
                                 const StaticOptimizationOptions& options)
    : model_(&model),
      loads_(loads),
      options_(options),
      paths_(model.paths),
      own_muscles_(model),
      muscles_(&own_muscles_),
      data_(model),
      path_data_(model, paths_) {
  bind(model);
}

StaticOptimizer::StaticOptimizer(const Model& model, const MuscleSet& muscles, const ExternalLoadsData* loads,
                                 const StaticOptimizationOptions& options)
    : model_(&model),
      loads_(loads),
      options_(options),
      paths_(model.paths),
      muscles_(&muscles),
      data_(model),
      path_data_(model, paths_) {
  bind(model);
}

void StaticOptimizer::bind(const Model& model) {
  const StaticOptimizationOptions& options = options_;
  if (!options.use_model_force_set)
    throw std::runtime_error(
        "StaticOptimization: use_model_force_set false (a coordinate actuator per coordinate) is not "
        "supported by femur yet");
  if (!(options.activation_exponent > 1.0) || !std::isfinite(options.activation_exponent))
    throw std::invalid_argument("StaticOptimization: activation_exponent must exceed 1, got " +
                                std::to_string(options.activation_exponent));
  if (!(options.reserve_optimal_force > 0.0) || !std::isfinite(options.reserve_optimal_force))
    throw std::invalid_argument("StaticOptimization: reserve_optimal_force must be positive, got " +
                                std::to_string(options.reserve_optimal_force));
  // A coupler's dependent coordinate is constrained (OpenSim's Coordinate::isConstrained):
  // no constraint row, no reserve.
  std::vector<char> dependent(static_cast<size_t>(model.nq), 0);
  for (const CouplerConstraint& c : model.couplers) dependent[static_cast<size_t>(c.dependent)] = 1;
  for (const ForceElement& f : model.forces)
    if (f.applies_force && !is_actuator(f))
      throw std::runtime_error(where(f) + "StaticOptimization: model force '" + f.name + "' (" + f.type +
                               ") cannot be computed by femur yet");
  auto coordinate = [&](const std::string& name) {
    const int k = model.coordinate_index(name);
    if (k < 0) throw std::invalid_argument("StaticOptimization: model '" + model.name + "' has no coordinate '" + name + "'");
    return k;
  };

  const MuscleSet& muscles = *muscles_;
  std::vector<int> muscle_of_force(model.forces.size(), -1);
  for (int i = 0; i < muscles.size(); ++i) {
    const int f = muscles.force_index(i);
    if (f < 0 || f >= static_cast<int>(model.forces.size()) || model.forces[static_cast<size_t>(f)].name != muscles.parameters(i).name)
      throw std::invalid_argument("StaticOptimization: the muscle set was not built from model '" + model.name + "' ('" +
                                  muscles.parameters(i).name + "')");
    muscle_of_force[static_cast<size_t>(f)] = i;
  }

  // StaticOptimization::begin removes the disabled actuators (issue #2438); the rest, in
  // ForceSet order, are the unknowns, then the reserves the options add.
  const ActuatorSet all = bind_actuators(model, paths_);
  for (const BoundActuator& a : all.actuators)
    if (model.forces[static_cast<size_t>(a.force)].applies_force) actuators_.actuators.push_back(a);
  first_reserve_ = actuators_.size();
  actuator_of_muscle_.assign(static_cast<size_t>(muscles.size()), -1);
  for (const BoundActuator& a : actuators_.actuators) {
    names_.push_back(a.name);
    const int mi = muscle_of_force[static_cast<size_t>(a.force)];
    muscle_of_actuator_.push_back(mi);
    if (mi >= 0) actuator_of_muscle_[static_cast<size_t>(mi)] = static_cast<int>(names_.size()) - 1;
  }
  for (const std::string& c : options.reserve_coordinates) {
    reserve_coordinate_.push_back(coordinate(c));
    if (dependent[static_cast<size_t>(reserve_coordinate_.back())])
      throw std::invalid_argument("StaticOptimization: coordinate '" + c + "' of model '" + model.name +
                                  "' follows a coupler constraint; a reserve belongs on its independent coordinate");
    names_.push_back(c + "_reserve");
    muscle_of_actuator_.push_back(-1);
  }
  const int n = num_actuators();
  excluded_.assign(static_cast<size_t>(n), false);
  for (const std::string& name : options.excluded_actuators) {
    const auto it = std::find(names_.begin(), names_.begin() + first_reserve_, name);
    if (it == names_.begin() + first_reserve_)
      throw std::invalid_argument("StaticOptimization: no enabled actuator '" + name + "' to exclude in model '" +
                                  model.name + "'");
    excluded_[static_cast<size_t>(it - names_.begin())] = true;
  }

  lo_.resize(n);
  hi_.resize(n);
  for (int j = 0; j < first_reserve_; ++j) {
    const ForceElement& f = model.forces[static_cast<size_t>(actuators_.actuators[static_cast<size_t>(j)].force)];
    // StaticOptimization::record: bounds = getMinControl(), getMaxControl().
    const int mi = muscle_of_actuator_[static_cast<size_t>(j)];
    if (mi >= 0) {
      lo_[j] = muscles.parameters(mi).min_control;
      hi_[j] = muscles.parameters(mi).max_control;
    } else {
      std::tie(lo_[j], hi_[j]) = control_bounds(f);
    }
    if (!(lo_[j] <= hi_[j]) || lo_[j] == kInf || hi_[j] == -kInf)
      throw std::invalid_argument(where(f) + f.type + " '" + f.name + "': min_control " + std::to_string(lo_[j]) +
                                  " and max_control " + std::to_string(hi_[j]) + " leave no admissible control");
    if (excluded_[static_cast<size_t>(j)]) lo_[j] = hi_[j] = 0.0;
  }
  lo_.tail(n - first_reserve_).setConstant(-kInf);
  hi_.tail(n - first_reserve_).setConstant(kInf);

  // Acceleration constraints for every coordinate that is not constrained (Coordinate::
  // isConstrained: locked, prescribed or dependent in a coupler), or for the listed ones among them.
  for (int k = 0; k < model.nq; ++k)
    if (!model.coordinates[static_cast<size_t>(k)].locked && !model.coordinates[static_cast<size_t>(k)].prescribed &&
        !dependent[static_cast<size_t>(k)])
      unconstrained_.push_back(k);
  if (options.coordinates.empty()) {
    free_ = unconstrained_;
  } else {
    std::vector<bool> listed(static_cast<size_t>(model.nq), false);
    for (const std::string& c : options.coordinates) listed[static_cast<size_t>(coordinate(c))] = true;
    for (int k : unconstrained_)
      if (listed[static_cast<size_t>(k)]) free_.push_back(k);
  }
  const int m = static_cast<int>(free_.size());
  if (n < m)
    throw std::runtime_error("StaticOptimization: over-constrained system: " + std::to_string(n) +
                             " actuators for " + std::to_string(m) +
                             " unconstrained coordinates; it needs at least as many actuators");

  for (const auto& h : options.passive_hip_moments)
    passive_hips_.push_back({coordinate(h.hip_flexion), coordinate(h.knee_angle)});

  // Couplers: row r balances G^T along its coordinate's column of G; the coordinates that column
  // reaches are the row's own and the dependents it drives (couplers are stored so that an
  // independent coordinate is final before it drives another, kinematics/couplers.cpp).
  coupled_ = !model.couplers.empty();
  if (coupled_) {
    basis_coordinates_ = femur::free_coordinates(model);
    G_ = Eigen::MatrixXd::Zero(model.nv, static_cast<Eigen::Index>(basis_coordinates_.size()));
    for (int k : free_) {
      row_column_.push_back(static_cast<int>(std::find(basis_coordinates_.begin(), basis_coordinates_.end(), k) -
                                             basis_coordinates_.begin()));
      std::vector<char> reached(static_cast<size_t>(model.nq), 0);
      reached[static_cast<size_t>(k)] = 1;
      for (const CouplerConstraint& c : model.couplers)
        if (reached[static_cast<size_t>(c.independent[0])]) reached[static_cast<size_t>(c.dependent)] = 1;
      std::vector<int>& support = row_support_.emplace_back();
      for (int i = 0; i < model.nq; ++i)
        if (reached[static_cast<size_t>(i)]) support.push_back(i);
    }
  }
  w_ = Eigen::VectorXd::Ones(n);
  if (options.volume_weighted && muscles.size() > 0) {
    // Volumes of the muscles as the model reads them, so a variant's strength scale (weakness)
    // changes what a muscle can do, not what its activation costs.
    auto volume = [&](int i) {
      const MuscleParameters& p = muscles.model_parameters(i);
      return p.max_isometric_force * p.optimal_fiber_length;
    };
    double mean = 0.0;
    for (int i = 0; i < muscles.size(); ++i) mean += volume(i);
    mean /= muscles.size();
    if (!(mean > 0.0))
      throw std::invalid_argument("StaticOptimization: volume weighting needs muscles of positive volume");
    for (int j = 0; j < first_reserve_; ++j)
      if (const int mi = muscle_of_actuator_[static_cast<size_t>(j)]; mi >= 0) w_[j] = volume(mi) / mean;
  }
  c_ = Eigen::VectorXd::Zero(n);
  qp_.resize(n, m);
  A_ = Eigen::MatrixXd::Zero(m, n);
  b_ = Eigen::VectorXd::Zero(m);
  y_ = Eigen::VectorXd::Zero(m);
  optimal_force_ = Eigen::VectorXd::Zero(n);
  passive_force_ = Eigen::VectorXd::Zero(n);
  // A reserve's column is constant: its optimal force on its coordinate's row.
  for (int j = first_reserve_; j < n; ++j) {
    optimal_force_[j] = options.reserve_optimal_force;
    const auto row = std::find(free_.begin(), free_.end(), reserve_coordinate_[static_cast<size_t>(j - first_reserve_)]);
    if (row != free_.end()) A_(row - free_.begin(), j) = options.reserve_optimal_force;
  }
  unit_ = Eigen::VectorXd::Zero(first_reserve_);
  model_forces_ = Eigen::VectorXd::Zero(first_reserve_);
  tau_column_ = Eigen::VectorXd::Zero(model.nv);
  qddot_ = Eigen::VectorXd::Zero(model.nv);
  tau_ = Eigen::VectorXd::Zero(model.nv);
  q_ = Eigen::VectorXd::Zero(model.nq);
  u_ = Eigen::VectorXd::Zero(model.nv);
  load_values_.resize(loads_ ? std::max(loads_->columns(), 1) : 1);
}

// The muscles' bounds as the MuscleSet holds them now (a caller may have capped them; the
// optimizer's own set never changes).
void StaticOptimizer::read_muscle_bounds() {
  if (muscles_ == &own_muscles_) return;
  for (int j = 0; j < first_reserve_; ++j) {
    const int mi = muscle_of_actuator_[static_cast<size_t>(j)];
    if (mi < 0 || excluded_[static_cast<size_t>(j)]) continue;
    const MuscleParameters& p = muscles_->parameters(mi);
    lo_[j] = p.min_control;
    hi_[j] = p.max_control;
  }
}

StaticOptimizationFrame StaticOptimizer::solve_frame(double t, const Eigen::VectorXd& q, const Eigen::VectorXd& u,
                                                     const Eigen::VectorXd& qddot, Eigen::VectorXd& x,
                                                     Eigen::VectorXd& forces) {
  static const std::vector<PointLoad> none;
  return solve_frame(t, q, u, qddot, none, x, forces);
}

StaticOptimizationFrame StaticOptimizer::solve_frame(double t, const Eigen::VectorXd& q, const Eigen::VectorXd& u,
                                                     const Eigen::VectorXd& qddot,
                                                     const std::vector<PointLoad>& point_loads, Eigen::VectorXd& x,
                                                     Eigen::VectorXd& forces) {
  evaluate_frame(t, q, u, qddot, point_loads);
  return solve(x, forces);
}

void StaticOptimizer::evaluate_frame(double t, const Eigen::VectorXd& q, const Eigen::VectorXd& u,
                                     const Eigen::VectorXd& qddot, const std::vector<PointLoad>& point_loads) {
  const Model& model = *model_;
  const int m = static_cast<int>(free_.size());
  read_muscle_bounds();
  t_ = t;
  q_ = q;
  u_ = u;
  point_loads_ = point_loads;
  // With couplers: the dependent coordinates' values and speeds from the independent ones.
  if (coupled_) apply_couplers(model, q_, u_);

  // Kinematics and paths at (q, u).
  compute_paths(model, paths_, data_, q_, u_, path_data_);

  // b: the generalized forces the target accelerations need under gravity and the external
  // and point loads; locked coordinates do not accelerate (their constraint force is not asked
  // for); a dependent coordinate accelerates as its coupler makes it.
  qddot_.setZero();
  for (int k : unconstrained_) qddot_[k] = qddot[k];
  if (coupled_) {
    apply_couplers(model, q_, u_, qddot_);
    // G (kinematics/couplers.hpp coupler_basis, here without allocating): qdot = G qdot_free.
    G_.setZero();
    for (size_t j = 0; j < basis_coordinates_.size(); ++j) G_(basis_coordinates_[j], static_cast<Eigen::Index>(j)) = 1.0;
    for (const CouplerConstraint& c : model.couplers)
      G_.row(c.dependent) = model.functions[static_cast<size_t>(c.function)].evaluate(q_[c.independent[0]]).df *
                            G_.row(c.independent[0]);
  }
  // Row r of a vector of generalized forces g: g at the row's coordinate, or with couplers its
  // projection G^T g on the row's free coordinate (not for path moment arms: see below).
  auto row_of = [&](int r, auto&& g) {
    if (!coupled_) return g(free_[static_cast<size_t>(r)]);
    double sum = 0.0;
    for (int k : row_support_[static_cast<size_t>(r)]) sum += G_(k, row_column_[static_cast<size_t>(r)]) * g(k);
    return sum;
  };
  clear_applied_forces(data_);
  if (loads_) apply_external_loads(model, data_, *loads_, t, load_values_);
  for (const PointLoad& l : point_loads) apply_point_force(model, data_, l.body, l.point_in_body, l.force_in_ground);
  tau_ = rnea(model, data_, q_, u_, qddot_);
  for (int r = 0; r < m; ++r) b_[r] = row_of(r, [&](int k) { return tau_[k]; });
  // Passive hip moments (Riener & Edrich 1999, in degrees; options): supplied whatever the controls.
  for (size_t h = 0; h < passive_hips_.size(); ++h) {
    const auto [hip, knee] = passive_hips_[h];
    const double H = q_[hip] * 180.0 / std::numbers::pi;
    const double K = options_.passive_hip_moments[h].knee_flexion_sign * q_[knee] * 180.0 / std::numbers::pi;
    const double M = std::exp(1.4655 - 0.0034 * K - 0.0750 * H) - std::exp(1.3403 - 0.0226 * K + 0.0305 * H) + 8.072;
    for (int r = 0; r < m; ++r)
      if (free_[static_cast<size_t>(r)] == hip) b_[r] -= M;
  }

  // A: each actuator's generalized force at actuation F_j (StaticOptimizationTarget::
  // prepareToOptimize: _optimalForce, then the linearized constraint matrix).
  for (int j = 0; j < first_reserve_; ++j) {
    const BoundActuator& a = actuators_.actuators[static_cast<size_t>(j)];
    const bool excluded = excluded_[static_cast<size_t>(j)];
    if (a.kind == BoundActuator::Kind::path) {
      const int mi = muscle_of_actuator_[static_cast<size_t>(j)];
      double F = a.optimal_force, passive = 0.0;
      if (mi >= 0) {
        const MuscleModel& mm = muscles_->model(mi);
        if (options_.use_muscle_physiology || options_.include_passive_fiber_force)
          rigid_tendon_state(mm, path_data_.length[a.path], path_data_.speed[a.path], 1.0, muscle_state_);
        // calcInextensibleTendonActiveFiberForce(s, 1): tendon at slack length, fiber length
        // and velocity from the path (Thelen2003Muscle.cpp, Millard2012EquilibriumMuscle.cpp).
        F = options_.use_muscle_physiology
                ? calc_inextensible_tendon_active_fiber_force(mm, muscle_state_.fiber_length,
                                                              muscle_state_.fiber_velocity, 1.0)
                : mm.parameters().max_isometric_force;
        if (options_.include_passive_fiber_force && !excluded)
          passive = muscle_state_.passive_fiber_force * muscle_state_.cos_pennation;
      }
      optimal_force_[j] = F;
      passive_force_[j] = passive;
      const double column = excluded ? 0.0 : F;
      // A path's moment arm about an independent coordinate already moves the coupled ones with
      // it (OpenSim's MomentArmSolver, muscle/geometry_path.cpp): it is the row's G^T projection.
      for (int r = 0; r < m; ++r) A_(r, j) = column * path_data_.moment_arm(a.path, free_[static_cast<size_t>(r)]);
    } else {
      // CoordinateActuator, PointActuator, TorqueActuator: unit actuation through the same code
      // that applies them elsewhere, projected on the coordinates.
      optimal_force_[j] = a.optimal_force;
      clear_applied_forces(data_);
      tau_column_.setZero();
      unit_[j] = 1.0;
      apply_actuator_forces(model, paths_, path_data_, actuators_, q_, unit_, data_, tau_column_);
      unit_[j] = 0.0;
      add_generalized_body_forces(model, data_, tau_column_);
      const double column = excluded ? 0.0 : a.optimal_force;
      for (int r = 0; r < m; ++r) A_(r, j) = column * row_of(r, [&](int k) { return tau_column_[k]; });
    }
  }
  // The muscles' passive forces are applied whatever the controls: the controls supply the rest.
  if (options_.include_passive_fiber_force)
    for (int r = 0; r < m; ++r)
      for (int j = 0; j < first_reserve_; ++j)
        if (muscle_of_actuator_[static_cast<size_t>(j)] >= 0 && !excluded_[static_cast<size_t>(j)])
          b_[r] -= path_data_.moment_arm(actuators_.actuators[static_cast<size_t>(j)].path, free_[static_cast<size_t>(r)]) *
                   passive_force_[j];
}

StaticOptimizationFrame StaticOptimizer::solve(Eigen::VectorXd& x, Eigen::VectorXd& forces) {
  // min sum |x|^p (StaticOptimizationTarget::objectiveFunc), warm-started from the last frame.
  if (!options_.warm_start) y_.setZero();
  const bool warm = !y_.isZero(0.0);
  auto solve_qp = [&]() {
    return options_.activation_exponent == 2.0 ? qp_.solve(A_, b_, w_, c_, lo_, hi_, x, y_)
                                               : qp_.solve_power(A_, b_, w_, options_.activation_exponent, lo_,
                                                                 hi_, x, y_);
  };
  BoundedQpSummary s = solve_qp();
  if (!s.solved() && warm) {
    y_.setZero();
    const int first = s.iterations;
    s = solve_qp();
    s.iterations += first;
  }
  if (!s.solved()) y_.setZero();  // a diverged dual is no start for the next frame
  // Non-finite states, accelerations or loads: the solver leaves x untouched; the frame says
  // so with NaN controls rather than keeping whatever x held.
  if (s.status == BoundedQpStatus::InvalidInput) x.setConstant(std::numeric_limits<double>::quiet_NaN());

  forces = x.cwiseProduct(optimal_force_);
  if (options_.include_passive_fiber_force) forces += passive_force_;
  StaticOptimizationFrame frame;
  frame.status = s.status;
  frame.iterations = s.iterations;
  frame.constraint_violation = s.residual;
  return frame;
}

void StaticOptimizer::joint_reactions(const std::vector<int>& joints, const Eigen::VectorXd& forces,
                                      std::vector<Wrench>& on_child) {
  const Model& model = *model_;
  if (forces.size() != num_actuators())
    throw std::invalid_argument("StaticOptimizer::joint_reactions: " + std::to_string(forces.size()) +
                                " forces for " + std::to_string(num_actuators()) + " actuators");
  for (int j : joints)
    if (j < 0 || j >= static_cast<int>(model.joints.size()))
      throw std::invalid_argument("StaticOptimizer::joint_reactions: no joint " + std::to_string(j));
  // The frame's loads again, then each actuator's force along its path (or on its bodies and
  // coordinate), then the reactions at the frame's accelerations.
  clear_applied_forces(data_);
  if (loads_) apply_external_loads(model, data_, *loads_, t_, load_values_);
  for (const PointLoad& l : point_loads_) apply_point_force(model, data_, l.body, l.point_in_body, l.force_in_ground);
  model_forces_ = forces.head(first_reserve_);
  tau_column_.setZero();
  apply_actuator_forces(model, paths_, path_data_, actuators_, q_, model_forces_, data_, tau_column_);
  compute_mobilizer_reactions_at(model, data_, q_, u_, qddot_);
  on_child.resize(joints.size());
  for (size_t i = 0; i < joints.size(); ++i) on_child[i] = reaction_on_child(model, data_, joints[i]);
}

// ---------------------------------------------------------------------------------------
// The analysis over a motion

StaticOptimizationResult static_optimization(const Model& model, const AnalyzeStates& states,
                                             const std::vector<int>& rows, const ExternalLoadsData* loads,
                                             const StaticOptimizationOptions& options) {
  const auto clock_start = std::chrono::steady_clock::now();
  if (states.q.cols() != model.nq || states.u.cols() != model.nv || states.q.rows() != states.rows() ||
      states.u.rows() != states.rows())
    throw std::invalid_argument("StaticOptimization: the states do not match the model's coordinates");
  for (int r : rows)
    if (r < 0 || r >= states.rows()) throw std::invalid_argument("StaticOptimization: row index out of range");
  StaticOptimizer so(model, loads, options);
  StaticOptimizationResult result;

  // StaticOptimization::begin: _statesSplineSet = GCVSplineSet(5, _statesStore) over every row
  // of the states; the target acceleration of a coordinate is its speed spline's derivative.
  if (states.rows() < 6)
    throw std::invalid_argument("StaticOptimization: the states have " + std::to_string(states.rows()) +
                                " rows; the quintic spline of the speeds needs at least 6");
  // GCVSplineSet(5, store) has error variance 0, which drives GCVSPL to its interpolation floor
  // (math/gcv_spline.hpp, GcvSmoothing::interpolating): fitted there directly.
  const GcvSplineSet speed_splines = fit_gcv_spline_set(5, states.time, states.u, GcvSmoothing::interpolating());

  // Tables: activations, and ForceReporter's forces (actuators, then external loads).
  io::Table& act = result.activations;
  act.name = "Static Optimization";
  act.comments = {"This file contains static optimization results.", ""};
  act.labels = so.actuator_names();
  io::Table& frc = result.forces;
  frc.name = "ModelForces";
  frc.comments = {"",
                  "This file contains the forces exerted on a model during a simulation.",
                  "",
                  "A force is a generalized force, meaning that it can be either a force (N) or a torque (Nm).",
                  "",
                  "Units are S.I. units (second, meters, Newtons, ...)",
                  "If the header above contains a line with 'inDegrees', this indicates whether rotational values "
                  "are in degrees (yes) or radians (no).",
                  ""};
  frc.labels = so.actuator_names();
  if (loads) {
    // ExternalForce::getRecordLabels.
    for (const BoundExternalForce& f : loads->forces) {
      const std::string base = model.bodies[static_cast<size_t>(f.applied_to_body)].name + "_" + f.name + "_";
      if (f.force_column >= 0) {
        for (const char* s : {"Fx", "Fy", "Fz"}) frc.labels.push_back(base + s);
        if (f.point_column >= 0)
          for (const char* s : {"px", "py", "pz"}) frc.labels.push_back(base + s);
      }
      if (f.torque_column >= 0)
        for (const char* s : {"Tx", "Ty", "Tz"}) frc.labels.push_back(base + s);
    }
  }
  const Eigen::Index frames = static_cast<Eigen::Index>(rows.size());
  const int n = so.num_actuators();
  act.time.resize(frames);
  act.data.resize(frames, n);
  frc.time.resize(frames);
  frc.data.resize(frames, static_cast<Eigen::Index>(frc.labels.size()));

  Eigen::VectorXd q(model.nq), u(model.nv), qddot(model.nv), values;
  Eigen::VectorXd x = Eigen::VectorXd::Zero(n), forces = Eigen::VectorXd::Zero(n);
  Progress progress("so", static_cast<long>(frames), options.show_progress);
  for (Eigen::Index row = 0; row < frames; ++row) {
    progress.update(static_cast<long>(row));
    const int i = rows[static_cast<size_t>(row)];
    const double t = states.time[i];
    q = states.q.row(i).transpose();
    u = states.u.row(i).transpose();
    for (int k = 0; k < model.nv; ++k) qddot[k] = speed_splines.derivative(k, 1, t);
    const StaticOptimizationFrame frame = so.solve_frame(t, q, u, qddot, x, forces);
    result.frames.push_back(frame);
    if (frame.status == BoundedQpStatus::InvalidInput)
      result.warnings.push_back("StaticOptimization: the states, target accelerations or external loads at time " +
                                std::to_string(t) + " are not finite; no solution");
    else if (frame.status != BoundedQpStatus::Solved)
      result.warnings.push_back(
          "StaticOptimization: no solution within the actuators' bounds at time " + std::to_string(t) +
          " (generalized force violation " + std::to_string(frame.constraint_violation) +
          "): the model appears too weak; the last iterate is kept");
    act.time[row] = t;
    frc.time[row] = t;
    act.data.row(row) = x.transpose();
    frc.data.row(row).head(n) = forces.transpose();
    if (loads && !loads->forces.empty()) {
      // ExternalForce::getRecordValues: force and torque in ground, point in the body it acts on.
      values.resize(std::max(loads->columns(), 1));
      loads->evaluate(t, values);
      const Data& data = so.data();
      Eigen::Index c = n;
      for (const BoundExternalForce& f : loads->forces) {
        const Transform X_ground_fb = body_pose(model, data, f.force_expressed_in_body);
        if (f.force_column >= 0) {
          frc.data.block<1, 3>(row, c) = (X_ground_fb.R * values.segment<3>(f.force_column)).transpose();
          c += 3;
          if (f.point_column >= 0) {
            const Vec3 p_ground =
                body_pose(model, data, f.point_expressed_in_body).apply(values.segment<3>(f.point_column));
            frc.data.block<1, 3>(row, c) =
                body_pose(model, data, f.applied_to_body).apply_inverse(p_ground).transpose();
            c += 3;
          }
        }
        if (f.torque_column >= 0) {
          frc.data.block<1, 3>(row, c) = (X_ground_fb.R * values.segment<3>(f.torque_column)).transpose();
          c += 3;
        }
      }
    }
  }
  progress.update(static_cast<long>(frames));
  progress.finish();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  return result;
}

}  // namespace femur::tools
