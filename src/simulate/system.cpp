// The time derivative of a musculoskeletal simulation, stage by stage in the order it runs
// (controls, kinematics, paths, muscles, actuators, forces, accelerations), as OpenSim's
// Model::computeStateVariableDerivatives realizes them through Simbody's stages.
#include "femur/simulate/system.hpp"
#include "femur/model/overload.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "femur/dynamics/aba.hpp"
#include "femur/dynamics/crba.hpp"
#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/kinematics/jacobian.hpp"

namespace femur::sim {

namespace {

std::string where(const ForceElement& f) { return f.file.empty() ? "" : f.file + ":" + std::to_string(f.line) + ": "; }

}  // namespace

// One muscle's state and derivatives (each model's computeStateVariableDerivatives with its
// calcMuscleLengthInfo / calcFiberVelocityInfo / calcMuscleDynamicsInfo): the tendon force in
// out.tendon_force, da/dt in adot and d(fiber state)/dt in fdot (each written only if the
// muscle has that state).
void muscle_state_derivatives(const MuscleModel& model, FiberState fiber_kind, double L, double V, double excitation,
                        double activation_state, double fiber_state, MuscleState& out, double& adot, double& fdot) {
  std::visit(
      Overload{
          [&](const Thelen2003& m) {
            // Thelen2003Muscle: the fiber length is always a state (B.0).
            thelen_elastic_state(m, L, activation_state, fiber_state, out);
            adot = thelen_activation_derivative(m, activation_state, excitation);
            fdot = out.fiber_velocity;  // 0 when the fiber is clamped at its minimum length
          },
          [&](const Millard2012& m) {
            const double a = m.p.ignore_activation_dynamics ? excitation : activation_state;
            if (fiber_kind == FiberState::none) millard_rigid_tendon_state(m, L, V, a, out);
            else millard_elastic_state(m, L, a, fiber_state, out);
            if (!m.p.ignore_activation_dynamics) adot = millard_activation_derivative(m, activation_state, excitation);
            fdot = out.fiber_velocity;
          },
          [&](const DeGrooteFregly2016& m) {
            const double a = m.p.ignore_activation_dynamics ? excitation : activation_state;
            if (fiber_kind == FiberState::none) degroote_rigid_tendon_state(m, L, V, a, out);
            else fdot = degroote_explicit_state(m, L, V, a, fiber_state, out);
            if (!m.p.ignore_activation_dynamics) adot = degroote_activation_derivative(m, activation_state, excitation);
          }},
      model.variant());
}


System make_system(const Model& model, std::vector<SimActuator> actuators) {
  System S;
  S.model = &model;
  S.muscles = MuscleSet(model);
  S.paths = model.paths;
  S.actuators = std::move(actuators);
  S.layout = make_state_layout(model, S.muscles);

  std::vector<char> is_actuator(model.forces.size(), 0);
  for (const SimActuator& a : S.actuators)
    if (a.force >= 0 && a.force < static_cast<int>(model.forces.size())) is_actuator[static_cast<size_t>(a.force)] = 1;
  std::vector<char> is_muscle(model.forces.size(), 0);
  for (int m = 0; m < S.muscles.size(); ++m) is_muscle[static_cast<size_t>(S.muscles.force_index(m))] = 1;
  for (size_t i = 0; i < model.forces.size(); ++i) {
    const ForceElement& f = model.forces[i];
    if (!f.applies_force || is_muscle[i] || is_actuator[i] || is_passive_force(f)) continue;
    throw std::invalid_argument(where(f) + f.type + " '" + f.name +
                                "': femur cannot simulate this force yet (set appliesForce false to run without it)");
  }
  S.passive = build_passive_force_set(model);

  S.muscle_path.resize(static_cast<size_t>(S.muscles.size()));
  S.muscle_actuator.assign(static_cast<size_t>(S.muscles.size()), -1);
  for (int m = 0; m < S.muscles.size(); ++m) {
    const ForceElement& f = model.forces[static_cast<size_t>(S.muscles.force_index(m))];
    const int p = S.paths.path_index(f.name);
    if (p < 0) throw std::invalid_argument(where(f) + f.type + " '" + f.name + "' has no geometry path");
    S.muscle_path[static_cast<size_t>(m)] = p;
    const MuscleParameters& mp = S.muscles.parameters(m);
    if (mp.kind != MuscleKind::Thelen2003 && mp.ignore_tendon_compliance) S.needs_path_speeds = true;
    if (mp.kind == MuscleKind::DeGrooteFregly2016) S.needs_path_speeds = true;
  }
  for (size_t k = 0; k < S.actuators.size(); ++k) {
    const int m = S.actuators[k].muscle;
    if (m < 0) continue;
    if (m >= S.muscles.size())
      throw std::invalid_argument("actuator '" + S.actuators[k].name + "' names a muscle index out of range");
    S.muscle_actuator[static_cast<size_t>(m)] = static_cast<int>(k);
  }
  for (int m = 0; m < S.muscles.size(); ++m)
    if (S.muscle_actuator[static_cast<size_t>(m)] < 0)
      throw std::invalid_argument("muscle '" + S.muscles.parameters(m).name + "' is not among the actuators");
  if (S.passive.needs_paths()) S.needs_path_speeds = true;

  // Constraints: couplers and locked coordinates reduce the free coordinates.
  S.locked.assign(static_cast<size_t>(model.nq), 0);
  std::vector<char> dependent(static_cast<size_t>(model.nq), 0);
  for (const CouplerConstraint& c : model.couplers) dependent[static_cast<size_t>(c.dependent)] = 1;
  for (int k = 0; k < model.nq; ++k) {
    const Coordinate& c = model.coordinates[static_cast<size_t>(k)];
    if (c.prescribed)
      throw std::invalid_argument("coordinate '" + c.name +
                                  "' is prescribed; femur cannot simulate prescribed motion yet");
    if (c.locked) S.locked[static_cast<size_t>(k)] = 1;
    if (!c.locked && !dependent[static_cast<size_t>(k)]) S.free_coordinates.push_back(k);
  }
  S.constrained = static_cast<int>(S.free_coordinates.size()) != model.nq;
  return S;
}

Workspace::Workspace(const System& S)
    : data(*S.model), path_data(*S.model, S.paths) {
  const Model& model = *S.model;
  q = Eigen::VectorXd::Zero(model.nq);
  u = Eigen::VectorXd::Zero(model.nv);
  tau = Eigen::VectorXd::Zero(model.nv);
  udot = Eigen::VectorXd::Zero(model.nv);
  controls = Eigen::VectorXd::Zero(S.actuator_count());
  actuation = Eigen::VectorXd::Zero(S.actuator_count());
  muscle.resize(static_cast<size_t>(S.muscles.size()));
  const auto nf = static_cast<Eigen::Index>(S.free_coordinates.size());
  if (S.constrained) {
    G = Eigen::MatrixXd::Zero(model.nv, nf);
    GtM = Eigen::MatrixXd::Zero(nf, model.nv);
    Mr = Eigen::MatrixXd::Zero(nf, nf);
    gamma = Eigen::VectorXd::Zero(model.nv);
    bias = Eigen::VectorXd::Zero(model.nv);
    rhs = Eigen::VectorXd::Zero(nf);
    udot_free = Eigen::VectorXd::Zero(nf);
    // Sized by factoring an identity (see BoundedQp::resize: a fresh LDLT(nf) assigned here
    // copied an uninitialised info field).
    ldlt.compute(Eigen::MatrixXd::Identity(nf, nf));
  }
}

namespace {

// G with u = G u_free and gamma with udot = G udot_free + gamma (couplers, as
// kinematics/couplers.hpp, plus locked coordinates: zero rows).
void constraint_basis(const System& S, Workspace& ws) {
  const Model& model = *S.model;
  ws.G.setZero();
  ws.gamma.setZero();
  for (size_t j = 0; j < S.free_coordinates.size(); ++j) ws.G(S.free_coordinates[j], static_cast<Eigen::Index>(j)) = 1.0;
  for (const CouplerConstraint& c : model.couplers) {
    const int k = c.independent[0];
    const FunctionValue f = model.functions[static_cast<size_t>(c.function)].evaluate(ws.q[k]);
    ws.G.row(c.dependent) = f.df * ws.G.row(k);
    ws.gamma[c.dependent] = f.ddf * ws.u[k] * ws.u[k] + f.df * ws.gamma[k];
  }
}

}  // namespace

void kinematics_stage(const System& S, Workspace& ws) {
  const Model& model = *S.model;
  forward_kinematics(model, ws.data, ws.q, ws.u);
  if (S.paths.size() > 0) {
    compute_path_lengths(model, S.paths, ws.data, ws.q, ws.path_data);
    if (S.needs_path_speeds) compute_path_speeds(model, S.paths, ws.data, ws.q, ws.u, ws.path_data);
    if (S.passive.needs_paths()) {
      compute_joint_jacobians(model, ws.data, ws.q);
      compute_moment_arms(model, S.paths, ws.data, ws.q, ws.path_data);
    }
  }
}

void accelerations_stage(const System& S, Workspace& ws, double t, const Eigen::VectorXd& actuation) {
  const Model& model = *S.model;
  // Forces: passive elements, actuators and external loads (gravity is in the dynamics).
  clear_applied_forces(ws.data);
  ws.tau.setZero();
  if (!S.passive.empty())
    add_passive_generalized_forces(model, S.passive, ws.q, ws.u, S.passive.needs_paths() ? &ws.path_data : nullptr,
                                   ws.tau);
  if (ws.applier) ws.applier->apply(t, ws.q, ws.u, actuation, ws.path_data, ws.data, ws.tau);

  // Accelerations.
  if (!S.constrained) {
    ws.udot = aba_after_kinematics(model, ws.data, ws.tau);
  } else {
    // (G^T M G) udot_free = G^T (tau - C - g - applied - M gamma); RNEA at udot = gamma gives
    // the bias with M gamma in one pass (dynamics/constrained_dynamics.hpp).
    constraint_basis(S, ws);
    ws.bias = rnea(model, ws.data, ws.q, ws.u, ws.gamma);
    const Eigen::MatrixXd& M = crba(model, ws.data, ws.q);
    ws.GtM.noalias() = ws.G.transpose() * M;
    ws.Mr.noalias() = ws.GtM * ws.G;
    ws.tau -= ws.bias;
    ws.rhs.noalias() = ws.G.transpose() * ws.tau;
    ws.ldlt.compute(ws.Mr);
    ws.udot_free = ws.ldlt.solve(ws.rhs);
    ws.udot.noalias() = ws.G * ws.udot_free;
    ws.udot += ws.gamma;
  }
}

void state_derivative(const System& S, Workspace& ws, double t, const Eigen::VectorXd& y, Eigen::VectorXd& ydot) {
  const StateLayout& L = S.layout;
  ++ws.evaluations;
  ws.q = y.head(L.nq);
  ws.u = y.segment(L.nq, L.nv);

  // Controls (Model::computeControls: the controllers' sum).
  if (ws.controllers) ws.controllers->compute(t, ws.q, ws.u, ws.controls);
  else ws.controls.setZero();

  // Kinematics (poses, velocities and velocity-product terms, which the articulated-body pass
  // below reuses) and muscle paths at (q, u).
  kinematics_stage(S, ws);

  // Muscles: tendon forces and the derivatives of their states.
  for (int m = 0; m < S.muscles.size(); ++m) {
    const auto mi = static_cast<size_t>(m);
    const int path = S.muscle_path[mi];
    const int act = S.muscle_actuator[mi];
    const int ia = L.activation[mi], ifb = L.fiber[mi];
    double adot = 0.0, fdot = 0.0;
    const double V = S.needs_path_speeds ? ws.path_data.speed[path] : 0.0;
    muscle_state_derivatives(S.muscles.model(m), L.fiber_kind[mi], ws.path_data.length[path], V, ws.controls[act],
                       ia >= 0 ? y[ia] : 0.0, ifb >= 0 ? y[ifb] : 0.0, ws.muscle[mi], adot, fdot);
    // A disabled muscle keeps its states and applies nothing (Muscle::isDisabled).
    const bool on = S.actuators[static_cast<size_t>(act)].applies_force;
    if (ia >= 0) ydot[ia] = on ? adot : 0.0;
    if (ifb >= 0) ydot[ifb] = on ? fdot : 0.0;
  }

  // Actuations: tendon force for muscles, control x optimal force for the others.
  for (int k = 0; k < S.actuator_count(); ++k) {
    const SimActuator& a = S.actuators[static_cast<size_t>(k)];
    double f = 0.0;
    if (a.applies_force) f = a.muscle >= 0 ? ws.muscle[static_cast<size_t>(a.muscle)].tendon_force : ws.controls[k] * a.optimal_force;
    ws.actuation[k] = f;
  }

  accelerations_stage(S, ws, t, ws.actuation);
  ydot.head(L.nq) = ws.u;
  ydot.segment(L.nq, L.nv) = ws.udot;
}

void project_constraints(const System& S, Eigen::VectorXd& y) {
  const Model& model = *S.model;
  const int nq = S.layout.nq;
  for (int k = 0; k < nq; ++k)
    if (S.locked[static_cast<size_t>(k)]) y[nq + k] = 0.0;
  for (const CouplerConstraint& c : model.couplers) {
    const int k = c.independent[0];
    const FunctionValue f = model.functions[static_cast<size_t>(c.function)].evaluate(y[k]);
    y[c.dependent] = f.f;
    y[nq + c.dependent] = f.df * y[nq + k];
  }
}

EquilibriumReport equilibrate_muscles(const System& S, Workspace& ws, double t, Eigen::VectorXd& y) {
  const Model& model = *S.model;
  const StateLayout& L = S.layout;
  EquilibriumReport report;
  ws.q = y.head(L.nq);
  ws.u = y.segment(L.nq, L.nv);
  if (ws.controllers) ws.controllers->compute(t, ws.q, ws.u, ws.controls);
  else ws.controls.setZero();
  forward_kinematics(model, ws.data, ws.q, ws.u);
  if (S.paths.size() == 0) return report;
  compute_path_lengths(model, S.paths, ws.data, ws.q, ws.path_data);
  compute_path_speeds(model, S.paths, ws.data, ws.q, ws.u, ws.path_data);
  for (int m = 0; m < S.muscles.size(); ++m) {
    const auto mi = static_cast<size_t>(m);
    const int f = L.fiber[mi];
    if (f < 0) continue;
    const MuscleParameters& p = S.muscles.parameters(m);
    const int path = S.muscle_path[mi];
    const int ia = L.activation[mi];
    const double a = ia >= 0 ? y[ia] : ws.controls[S.muscle_actuator[mi]];
    MuscleState out;
    const EquilibriumResult r =
        fiber_equilibrium(S.muscles.model(m), ws.path_data.length[path], ws.path_data.speed[path], a, out);
    y[f] = L.fiber_kind[mi] == FiberState::fiber_length ? out.fiber_length : out.tendon_force / p.max_isometric_force;
    if (r.status == EquilibriumStatus::Failed)
      report.failed.push_back(fmt::format("{}: fiber equilibrium not found (residual {:.3g} N)", p.name, r.residual));
  }
  return report;
}

}  // namespace femur::sim
