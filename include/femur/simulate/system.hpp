// The musculoskeletal system a forward simulation integrates, and its time derivative
// dy/dt = f(t, y) (DESIGN.md, simulate): controls from the controllers, muscle states and
// tendon forces (Thelen2003, Millard2012, DeGrooteFregly2016 as OpenSim's
// computeStateVariableDerivatives), actuator forces, passive forces (coordinate limits, path
// springs, coordinate springs), external loads, gravity, then the articulated-body algorithm
// (or the reduced mass-matrix solve when couplers or locked coordinates constrain the model).
//
// Binding the model's actuators and external loads to bodies is the tools layer's work
// (tools::ActuatorSet, tools::ExternalLoadsData); the system reaches it through a ForceApplier
// called once per evaluation.
//
//   sim::System system = sim::make_system(model, actuators);
//   sim::Workspace ws(system);                 // one per thread; all buffers
//   ws.applier = &applier;  ws.controllers = &controllers;
//   sim::state_derivative(system, ws, t, y, ydot);   // allocates nothing
#pragma once

#include <string>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "femur/model/data.hpp"
#include "femur/model/model.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/muscle_model.hpp"
#include "femur/muscle/passive_forces.hpp"
#include "femur/simulate/controls.hpp"
#include "femur/simulate/state.hpp"

namespace femur::sim {

// One actuator of the model (Model::getActuators order). A muscle's control is its excitation
// and its force the tendon force; any other actuator's force is control x optimal_force.
struct SimActuator {
  std::string name;
  int force = -1;              // index into Model::forces
  int muscle = -1;             // index into System::muscles, -1 if not a muscle
  double optimal_force = 1.0;
  bool applies_force = true;
};

// Applies the actuators' forces (one actuation per SimActuator: tendon force or
// control x optimal_force) and the loads that depend on time, adding body forces to data.f_ext
// (ground, about the ground origin) and generalized forces to tau. Called once per
// evaluation, after forward kinematics at (q, u) and the path geometry at q (and speeds when
// System::needs_path_speeds). Must not allocate or throw.
class ForceApplier {
 public:
  virtual ~ForceApplier() = default;
  virtual void apply(double t, const Eigen::VectorXd& q, const Eigen::VectorXd& u,
                     const Eigen::VectorXd& actuation, const PathData& paths, Data& data,
                     Eigen::VectorXd& tau) = 0;
};

struct System {
  const Model* model = nullptr;
  MuscleSet muscles;
  PathSet paths;
  std::vector<int> muscle_path;       // per muscle: its path in `paths`
  std::vector<int> muscle_actuator;   // per muscle: its actuator
  PassiveForceSet passive;
  std::vector<SimActuator> actuators;
  StateLayout layout;
  // Coordinates that move freely (neither coupled to another nor locked) and whether any is
  // constrained (then the reduced mass-matrix solve replaces ABA).
  std::vector<int> free_coordinates;
  std::vector<char> locked;           // per coordinate
  bool constrained = false;
  // Path speeds are needed by rigid-tendon muscles, path springs and the actuator speeds.
  bool needs_path_speeds = false;

  int actuator_count() const { return static_cast<int>(actuators.size()); }
};

// Builds the system: the model's muscles (MuscleSet), their paths, the passive forces, and the
// actuators given by the caller (tools::make_sim_actuators binds them). Throws
// std::invalid_argument naming the force (and its file:line) for a force femur cannot simulate
// yet (contact, bushings, ...), a muscle without a path, or a prescribed coordinate.
System make_system(const Model& model, std::vector<SimActuator> actuators);

// Every buffer one evaluation writes. One per thread.
struct Workspace {
  explicit Workspace(const System& system);

  ForceApplier* applier = nullptr;          // actuator and external forces (may be null: none)
  const Controllers* controllers = nullptr; // controls (may be null: all zero)

  Data data;
  PathData path_data;
  Eigen::VectorXd q, u, tau, controls, actuation;
  std::vector<MuscleState> muscle;          // per muscle, after an evaluation
  Eigen::VectorXd udot;                     // accelerations of the last evaluation
  // Constrained dynamics: G (nv x free), gamma, reduced mass matrix and its factorization.
  Eigen::MatrixXd G, GtM, Mr;
  Eigen::VectorXd gamma, bias, rhs, udot_free;
  Eigen::LDLT<Eigen::MatrixXd> ldlt;
  long evaluations = 0;
};

// dy/dt at (t, y) into ydot (size layout.size()). Also leaves in the workspace the controls,
// the actuations (one per actuator), every muscle's state, and udot. Allocates nothing.
void state_derivative(const System& system, Workspace& ws, double t, const Eigen::VectorXd& y,
                      Eigen::VectorXd& ydot);

// The stages of state_derivative for callers that choose the actuations themselves (CMC, RRA):
// kinematics_stage poses the model at (ws.q, ws.u) and computes the muscle paths (lengths,
// speeds when needed, moment arms when passive path forces need them); accelerations_stage
// then applies the passive forces, the actuations given (one per actuator, muscles included)
// and the applier's external loads at time t, and writes ws.udot. Neither allocates.
void kinematics_stage(const System& system, Workspace& ws);
void accelerations_stage(const System& system, Workspace& ws, double t, const Eigen::VectorXd& actuation);

// One muscle's state and derivatives at path length L and lengthening speed V (each model's
// computeStateVariableDerivatives): the tendon force in out.tendon_force, da/dt in adot and
// d(fiber state)/dt in fdot (each written only if the muscle has that state).
void muscle_state_derivatives(const MuscleModel& model, FiberState fiber_kind, double L, double V, double excitation,
                              double activation_state, double fiber_state, MuscleState& out, double& adot,
                              double& fdot);

// Overwrites the dependent coordinates (and speeds) of y with their couplers' values and zeroes
// the speeds of locked coordinates (what Simbody's projection does after each step).
void project_constraints(const System& system, Eigen::VectorXd& y);

struct EquilibriumReport {
  std::vector<std::string> failed;  // "muscle: message" per muscle whose solve did not converge
};

// Model::equilibrateMuscles: each muscle's fiber length (or normalized tendon force) at which
// fiber and tendon forces balance, at the activation in y and the path length and speed at
// (q, u) (computeInitialFiberEquilibrium). Muscles whose solve fails keep the solver's last
// value and are listed in the report.
EquilibriumReport equilibrate_muscles(const System& system, Workspace& ws, double t, Eigen::VectorXd& y);

}  // namespace femur::sim
