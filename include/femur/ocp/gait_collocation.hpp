// Tracking and predictive simulation of a muscle-driven model with foot-ground contact by
// direct collocation (Moco's MocoTrack and MocoStudy with implicit multibody dynamics):
//
//   variables per node   q, u, a (muscle activations), e (excitations), x (CoordinateActuator
//                        controls), udot (accelerations); the final time when free
//   constraints          per node: inverse-dynamics residual tau(q, u, udot) - R(q)^T F(q, u, a)
//                        - x F_opt = 0 (ocp/multibody_t.hpp, contact included);
//                        per interval (trapezoidal): q' = u, u' = udot, a' = f(a, e);
//                        periodicity / symmetry pairs between the first and last node;
//                        average speed of one coordinate
//   objective            integral of (state tracking + GRF tracking + control effort)
//
// Muscles are DeGrooteFregly2016 with rigid tendons (2D_gait's own setting), their paths the
// polynomial surrogates of ocp/path_surrogate.hpp or the model's FunctionBasedPaths;
// ExpressionBasedCoordinateForces (passive joint torques) enter the residual; coupled
// coordinates follow their couplers (ocp/multibody_t.hpp: the independent ones are the variables). Derivatives are exact (ceres::Jet through the
// dynamics and contact, analytic through paths and muscles); IPOPT with L-BFGS or the exact Hessian of the Lagrangian.
#pragma once

#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "femur/io/table.hpp"
#include "femur/model/model.hpp"
#include "femur/ocp/nlp.hpp"
#include "femur/ocp/path_surrogate.hpp"

namespace femur::ocp {

// Contact forces tracked together against one external force of the reference (Moco's
// MocoContactTrackingGoalGroup): the SmoothSphereHalfSpaceForce names and the reference
// table's force column prefix (e.g. "ground_force_r_v" for columns ..._vx, _vy, _vz).
struct ContactGroup {
  std::vector<std::string> forces;
  std::string reference_prefix;
};

struct GaitProblem {
  double initial_time = 0.0, final_time = 1.0;
  bool free_final_time = false;
  double final_time_lo = 0.0, final_time_hi = 0.0;  // when free
  int mesh_intervals = 50;
  // Bounds on coordinate values by coordinate name (SI); the others take the model's range.
  std::map<std::string, std::pair<double, double>> coordinate_bounds;
  double speed_bound = 50.0, acceleration_bound = 1000.0;

  // State tracking (MocoStateTrackingGoal through MocoTrack): reference coordinates (columns by
  // coordinate name or Moco path), low-pass filtered and splined; speeds from the spline.
  const io::Table* states_reference = nullptr;
  double lowpass_hz = -1.0;
  double states_weight = 0.0;
  bool track_speeds = false;
  // Per-variable weights by Moco path ("/jointset/ground_pelvis/pelvis_ty/value" or ".../speed"),
  // multiplying states_weight (MocoTrack's states_weight_set); 1 for those not listed.
  std::map<std::string, double> state_weights;
  // GRF tracking (MocoContactTrackingGoal, projection "plane" with normal z: x and y tracked).
  const io::Table* grf_reference = nullptr;
  std::vector<ContactGroup> grf_groups;
  double grf_weight = 0.0;
  // Moco's normalize_tracking_error: each component's error divided by the reference's peak |F|.
  bool grf_normalize = false;
  // Components tracked: 2 (x and y, the 2D example's projection onto the sagittal plane) or 3
  // (x, y and z: MocoContactTrackingGoal without a projection, the 3D example).
  int grf_dimensions = 2;
  // Muscle path lengths given as functions of the coordinates (FunctionBasedPath; PathSurrogate
  // with the muscle's name and model coordinate indices, ocp/walk3d_model.hpp reads them) used
  // instead of fitting a surrogate to the muscle's geometry path.
  std::vector<PathSurrogate> path_functions;
  // MocoTrack's ModOpRemoveMuscles and ModOpAddReserves: muscles left out; a CoordinateActuator
  // "reserve_<coordinate>" of this optimal force (unbounded control) on every coordinate
  // without one (0: none).
  bool remove_muscles = false;
  double reserves_optimal_force = 0.0;
  // Control effort (MocoControlGoal): weight * integral of sum |control|^exponent, divided by
  // the displacement of `speed_coordinate` when asked.
  double effort_weight = 1.0, effort_exponent = 2.0;
  bool effort_divide_by_displacement = false;
  // MocoPeriodicityGoal pairs by variable name in Moco's layout (".../value", ".../speed",
  // "/forceset/<muscle>/activation", "/forceset/<actuator>" for a control): the first's initial
  // value equals the second's final value.
  std::vector<std::pair<std::string, std::string>> periodic_pairs;
  // MocoAverageSpeedGoal (as an endpoint constraint): (q(tf) - q(t0)) / (tf - t0) = speed.
  double average_speed = std::numeric_limits<double>::quiet_NaN();
  std::string speed_coordinate = "pelvis_tx";
  // Polynomial surrogate fitting box: the bounds widened by this much (rad or m).
  double surrogate_margin = 0.2;
  const io::Table* guess = nullptr;  // a trajectory in Moco's layout; missing columns: defaults
  // exact_hessian: the exact Hessian of the Lagrangian (forward-over-reverse per node plus the
  // coupling terms) instead of IPOPT's L-BFGS.
  // MUMPS's ordering and scaling left at -1 are SCOTCH without the permuting scaling (nlp.hpp:
  // together 4-6x less time in IPOPT than AMD on example2DWalking).
  NlpSolverOptions solver{.exact_hessian = false};
};

struct GaitSolution {
  NlpResult nlp;
  bool success = false;
  // Moco's trajectory layout: time, states (coordinate values and speeds, muscle activations),
  // controls (actuators in ForceSet order), then the accelerations ("/accel"); header with
  // num_states, num_controls.
  io::Table trajectory;
  io::Table grf;  // per node, each contact group's force on the foot (x, y, z) in the reference's column names
  double objective_states = 0.0, objective_grf = 0.0, objective_effort = 0.0;
  std::string worst_constraint;
  double worst_violation = 0.0;
  // Re-simulation: the states integrated forward from the first node under the solution's
  // controls (linear between nodes; RK4, 50 steps per interval, the same dynamics, contact and
  // muscles in double); the largest drift from the collocated coordinates at the nodes, and the
  // time after which an angle first drifts by more than 5 deg (-1: never). Open loop, so a
  // walking solution drifts as a balance problem does; the first nodes show the transcription.
  double resimulation_angle_drift_deg = 0.0, resimulation_translation_drift = 0.0;
  double resimulation_time_to_5deg = -1.0;
  int nodes = 0, variables = 0, constraints = 0, jacobian_nonzeros = 0;
  double seconds_setup = 0.0;
  std::vector<PathSurrogate> surrogates;
};

// Throws std::invalid_argument naming what is wrong (a bound or guess outside the box, a NaN
// in the guess, an unknown periodic variable, a reference column missing, a model force the
// problem cannot hold).
GaitSolution solve_gait(const Model& model, const GaitProblem& problem);

// Moco's example2DWalking symmetry (MocoPeriodicityGoal pairs): each _r coordinate's value and
// speed at t0 equal its _l partner's at tf and vice versa, other coordinates periodic except the
// *_tx values (their speeds periodic), every CoordinateActuator's control periodic, each _r
// muscle activation paired with its _l partner.
std::vector<std::pair<std::string, std::string>> gait_symmetry_pairs(const Model& model);

// Moco's example3DWalking periodicity over a full gait cycle (MocoPeriodicityGoal): every
// coordinate's value (except *_tx and the coupled ones) and speed, each muscle's activation and
// excitation and each CoordinateActuator's control equal at t0 and tf.
std::vector<std::pair<std::string, std::string>> gait_periodicity_pairs(const Model& model);

// The solution against the references at its nodes: RMS over every rotational coordinate and
// node of (solution - reference) in degrees; per contact group, RMS and peak of the horizontal
// (x), vertical (y) and lateral (z) force in N.
struct GaitComparison {
  double joint_angle_rms_deg = 0.0;
  std::vector<double> grf_rms_x, grf_rms_y, grf_peak_y, grf_peak_y_reference;
  std::vector<double> grf_rms_z;  // the lateral force (3D)
};
GaitComparison compare_gait(const Model& model, const GaitSolution& solution, const io::Table& coordinates,
                            const io::Table* grf, const std::vector<ContactGroup>& groups);

// Does a symmetric half-cycle solution walk? The full cycle's vertical GRF of the first group's
// foot is its half-cycle curve followed by the second group's (the symmetry; the second foot's
// full cycle is the same curve half a cycle later, so the verdict does not depend on where the
// half cycle starts). It walks when the foot loads (peak above 0.6 body weights) and unloads
// (below 0.05 body weights somewhere in the cycle), and the vertical GRF of its stance shows two
// peaks above 0.6 body weights separated by a valley at least 0.05 body weights below the lower
// peak. min_/max_right and _left are over the half cycle.
struct WalkCheck {
  bool walks = false;
  double peak_first = 0.0, peak_second = 0.0, valley = 0.0;  // in body weights
  double min_right = 0.0, max_right = 0.0, min_left = 0.0, max_left = 0.0;  // in body weights
  int peaks = 0;
  std::string reason;  // why not, when it does not walk
};
WalkCheck check_walking(const Eigen::VectorXd& vertical_first, const Eigen::VectorXd& vertical_second,
                        double body_weight);

// Builds the problem and compares its gradient and Jacobian at the initial guess with central
// differences (nlp.hpp check_derivatives) instead of solving: the test of the derivatives.
DerivativeCheck check_gait_derivatives(const Model& model, const GaitProblem& problem);
// The exact Hessian of the Lagrangian at the initial guess (sigma 0.7, fixed multipliers of both
// signs) against central differences of the Lagrangian's gradient: the largest
// |analytic - numeric| / max(1, |analytic|) over the whole matrix (nlp.hpp check_hessian).
double check_gait_hessian(const Model& model, const GaitProblem& problem);

// CPU seconds (all threads) per evaluation of the NLP at the problem's initial guess (best of
// `repetitions`; node evaluations on TBB): values only (IPOPT's trial points), values with the
// gradient and Jacobian, and the exact Hessian of the Lagrangian. For benchmarks.
struct GaitEvaluationTimes {
  double values = 0.0, derivatives = 0.0, hessian = 0.0;
};
GaitEvaluationTimes time_gait_evaluations(const Model& model, const GaitProblem& problem, int repetitions);

}  // namespace femur::ocp
