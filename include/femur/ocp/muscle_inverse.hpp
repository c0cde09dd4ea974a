// Muscle-driven inverse problem (OpenSim Moco's MocoInverse, OpenSim/Moco/MocoInverse.cpp) by
// direct collocation: the kinematics are prescribed (coordinates low-pass filtered and
// splined), so the multibody dynamics reduce to one inverse-dynamics residual per free
// coordinate and node; the unknowns are the muscles' activations a and (compliant tendons)
// normalized tendon forces fT with their derivatives dfT, the excitations e and the controls x
// of the model's CoordinateActuators (reserves). MocoInverse's problem:
//
//   min  int_t0^t1  sum e^2 + sum x^2 + w_aux sum dfT^2  dt      (MocoControlGoal, exponent 2;
//                                                               the implicit auxiliary
//                                                               derivatives, weight 0.01;
//                                                               optionally + sum a^2)
//   s.t. sum_m r_mk F_m + sum_j x_j F_opt,j = tau_k(ID)    every free coordinate k, every node
//        fT - (a f_L f_V + f_PE + beta v) cos(alpha) = 0   every compliant muscle, every node
//        da/dt = activation dynamics(a, e), dfT/dt = dfT      (collocated)
//        a(t0) = e(t0)                                       (MocoInitialActivationGoal)
//        e, a in [min_control, max_control], fT in [0, 5], dfT in [-1000, 1000],
//        x in [min_control, max_control] of each actuator
//
// Coupler constraints are eliminated (the generalized forces of dependent coordinates are
// projected on their free roots, as the multipliers would carry them); welded joints
// (--weld) hold their coordinates at zero and have no residual. Muscle path lengths, speeds
// and moment arms, and the inverse dynamics (RNEA with gravity and external loads), are
// computed once per node in double: they do not depend on the unknowns. Only the muscle side
// runs over dual numbers (ceres::Jet), one node at a time; the Jacobian's sparsity is known by
// construction. IPOPT solves it with an L-BFGS Hessian (ocp/nlp.hpp).
#pragma once

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/io/table.hpp"
#include "femur/model/model.hpp"
#include "femur/ocp/nlp.hpp"
#include "femur/tools/external_loads.hpp"

namespace femur::ocp {

enum class Transcription { Trapezoidal, HermiteSimpson };

struct MuscleInverseOptions {
  double initial_time = 0.0, final_time = 0.0;  // within the coordinates table
  double mesh_interval = 0.025;                  // s; intervals = round((t1 - t0) / this)
  Transcription transcription = Transcription::Trapezoidal;
  double lowpass_cutoff_hz = -1.0;               // < 0: no filtering (MocoInverse: TabOpLowPassFilter)
  std::vector<std::string> weld_joints;          // ModOpReplaceJointsWithWelds
  bool ignore_passive_fiber_force = false;       // ModOpIgnorePassiveFiberForcesDGF
  bool ignore_tendon_compliance = false;         // all tendons rigid (else as the model says)
  double reserves_weight = 1.0;                  // MocoInverse reserves_weight (".*/reserve_.*")
  // ModOpAddReserves: a CoordinateActuator "reserve_<coordinate path, / as _>" of this optimal
  // force on every free coordinate without an actuator (0 = none), controls within +-bound.
  double reserves_optimal_force = 0.0;
  double reserves_bound = std::numeric_limits<double>::infinity();
  double auxiliary_derivatives_weight = 0.01;    // implicit_auxiliary_derivatives_weight
  // MocoInverse minimize_sum_squared_activations: MocoSumSquaredStateGoal "activation_effort"
  // (weight 1) adds the integral of sum a^2.
  bool minimize_sum_squared_activations = false;
  NlpSolverOptions solver;
  const io::Table* guess = nullptr;              // a trajectory (.sto) to start from; columns by name
};

struct MuscleInverseSolution {
  NlpResult nlp;
  bool success = false;
  // Moco's trajectory layout: time, states (muscle activation / normalized_tendon_force per
  // muscle, then each coordinate's value and speed), controls (actuators in ForceSet order:
  // coordinate actuators, then muscles), then the implicit derivatives.
  io::Table trajectory;
  int num_states = 0, num_controls = 0, num_derivatives = 0;
  double objective_excitation_effort = 0.0, objective_auxiliary_derivatives = 0.0, objective_activation_effort = 0.0;
  // The most violated constraint at the last iterate: "ID residual of knee_angle_r at t = 0.61 s".
  std::string worst_constraint;
  double worst_violation = 0.0;
  // Re-simulation: the muscle states integrated forward (RK4, 20 steps per node interval) from
  // the solution's initial state under its excitations, the same activation and implicit tendon
  // equations; the largest difference from the collocated states at the nodes.
  double resimulation_activation_drift = 0.0, resimulation_tendon_force_drift = 0.0;
  int nodes = 0, variables = 0, constraints = 0, jacobian_nonzeros = 0;
  double seconds_setup = 0.0;  // filtering, splines, paths and inverse dynamics at every node
};

// The problem, built once (kinematics, inverse dynamics and paths at every node), then solved.
// Its NLP is exposed for tests (finite-difference checks of the derivatives).
class MuscleInverseProblem {
 public:
  // Throws std::invalid_argument as solve_muscle_inverse.
  MuscleInverseProblem(const Model& model, const io::Table& coordinates, const tools::ExternalLoadsData* loads,
                       const MuscleInverseOptions& options);
  ~MuscleInverseProblem();
  SparseNlp& nlp();
  MuscleInverseSolution solve();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Builds the problem (throws std::invalid_argument naming what is wrong: time range outside
// the table, a muscle that is not DeGrooteFregly2016-convertible, a guess column that is not
// finite or outside its bounds) and solves it. The trajectory is filled even when the solver
// fails (the last iterate); `success` says whether to trust it.
// ModOpReplaceMusclesWithDeGrooteFregly2016 (DeGrooteFregly2016Muscle::replaceMuscles,
// OpenSim/Actuators/DeGrooteFregly2016Muscle.cpp): the common Muscle properties carried over,
// Millard's curve strains mapped, Thelen's strains mapped with zero fiber damping.
MuscleParameters to_degroote(const MuscleParameters& in);

MuscleInverseSolution solve_muscle_inverse(const Model& model, const io::Table& coordinates,
                                           const tools::ExternalLoadsData* loads,
                                           const MuscleInverseOptions& options);

// Moco's MocoTrajectory::compareContinuousVariablesRMS over the columns both tables share
// whose labels satisfy `keep`: sqrt(int sum_c (a_c - b_c)^2 dt / (T * columns)), both
// trajectories linearly interpolated on the union of their times within the common range.
double trajectory_rms(const io::Table& a, const io::Table& b, const std::vector<std::string>& columns);

}  // namespace femur::ocp
