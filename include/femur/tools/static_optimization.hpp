// Static Optimization as OpenSim's analysis computes it (OpenSim/Analyses/StaticOptimization.cpp,
// StaticOptimizationTarget.cpp; OPENSIM-NOTES.md C.3): at each state of a motion, one control
// x_j per enabled actuator (muscles, reserves, residuals) minimizes sum_j |x_j|^p subject to
// the accelerations of every unconstrained coordinate equalling the target (the derivative of
// a quintic GCV spline of the speeds) and min_control <= x_j <= max_control. Actuator j
// applies x_j F_j, with F_j its optimal force, or for a muscle its active fiber force at full
// activation with a rigid tendon (use_muscle_physiology) or its maximum isometric force.
//
//   tools::StaticOptimizer so(model, loads, options);           // once per model
//   so.solve_frame(t, q, u, qddot_target, x, forces);           // per frame, no allocation
//   tools::StaticOptimizationResult r = tools::static_optimization(model, states, rows, loads, options);
//
// The acceleration constraints are linear in x (OpenSim linearizes them exactly, A = columns
// c(e_j) - c(0)), and with M invertible "q-ddot(x) = target" is the same set of x as "the
// actuators' generalized forces equal the inverse dynamics forces": sum_j x_j F_j tau_j =
// M(q) q-ddot_target + C(q, q-dot) - gravity - external loads, where tau_j is the generalized
// force of a unit actuation of actuator j (a muscle's moment arms). femur solves that form,
// exactly (dual Newton, math/bounded_qp.hpp), where OpenSim stops IPOPT at 1e-4.
//
// Muscle capacity (the question of which fiber length enters f_L f_V): Thelen2003Muscle,
// Millard2012EquilibriumMuscle and DeGrooteFregly2016Muscle each override
// calcInextensibleTendonActiveFiberForce to take the fiber length from the path length with the
// tendon at its slack length and the fiber velocity from the path's lengthening speed; the
// fiber-length state (default_fiber_length) does not enter. That is what femur computes, and
// what reproduces OpenSim's references (tests/tools/static_optimization_test.cpp).
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/math/bounded_qp.hpp"
#include "femur/model/data.hpp"
#include "femur/model/model.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/muscle_model.hpp"
#include "femur/tools/actuator_set.hpp"
#include "femur/tools/analysis_file.hpp"
#include "femur/tools/analyze_states.hpp"
#include "femur/tools/external_loads.hpp"
#include "femur/tools/joint_reaction.hpp"
#include "femur/tools/muscle_analysis.hpp"

namespace femur::tools {

struct StaticOptimizationOptions {
  double activation_exponent = 2.0;  // p of sum |x|^p (> 1)
  bool use_muscle_physiology = true;
  // false = OpenSim's use_model_force_set off (a CoordinateActuator per coordinate instead of
  // the model's actuators): not supported yet, static_optimization throws.
  bool use_model_force_set = true;
  // optimizer_convergence_criterion and optimizer_max_iterations steer OpenSim's IPOPT; femur
  // solves the QP to rounding (relative residual 1e-12) and keeps them for the report only.
  double convergence_criterion = 1e-4;
  int max_iterations = 100;
  bool show_progress = false;  // frames done and time left on stderr (a terminal only)
};

// One frame's outcome.
struct StaticOptimizationFrame {
  BoundedQpStatus status = BoundedQpStatus::Solved;
  int iterations = 0;
  double constraint_violation = 0.0;  // |generalized force residual|_inf (N or N m)
};

// The per-frame solver: actuators, paths and muscles bound once; solve_frame allocates nothing.
class StaticOptimizer {
 public:
  // Throws std::invalid_argument / std::runtime_error (naming the force's file and line) for
  // what femur cannot compute: coupler constraints, enabled forces that are not actuators,
  // actuators it cannot apply, fewer actuators than unconstrained coordinates.
  StaticOptimizer(const Model& model, const ExternalLoadsData* loads, const StaticOptimizationOptions& options);

  // The enabled actuators, in ForceSet order (the output columns).
  const std::vector<std::string>& actuator_names() const { return names_; }
  int num_actuators() const { return static_cast<int>(names_.size()); }
  // Unconstrained coordinates (not locked or prescribed): the constraint rows.
  const std::vector<int>& free_coordinates() const { return free_; }
  const Eigen::VectorXd& lower_bounds() const { return lo_; }
  const Eigen::VectorXd& upper_bounds() const { return hi_; }

  // Solves one frame at time t (for the external loads): q, u (nq = nv) and the target
  // accelerations qddot (only the free coordinates' entries are used; locked ones are held
  // at zero acceleration). Writes the controls x and the actuator forces x_j F_j.
  // Warm-started from the previous solved frame.
  StaticOptimizationFrame solve_frame(double t, const Eigen::VectorXd& q, const Eigen::VectorXd& u,
                                      const Eigen::VectorXd& qddot, Eigen::VectorXd& x, Eigen::VectorXd& forces);

  // After solve_frame: F_j (optimal force or muscle capacity) and the constraint system
  // A x = b in generalized forces (rows = free_coordinates()).
  const Eigen::VectorXd& optimal_forces() const { return optimal_force_; }
  const Eigen::MatrixXd& constraint_matrix() const { return A_; }
  const Eigen::VectorXd& constraint_vector() const { return b_; }
  // After solve_frame: body poses etc. of this frame (for the external-load columns).
  const Data& data() const { return data_; }

 private:
  const Model* model_;
  const ExternalLoadsData* loads_;
  StaticOptimizationOptions options_;
  PathSet paths_;
  ActuatorSet actuators_;  // enabled actuators only
  MuscleSet muscles_;
  std::vector<std::string> names_;
  std::vector<int> muscle_of_actuator_;  // index into muscles_, -1 if not a muscle
  std::vector<int> free_;
  Eigen::VectorXd lo_, hi_, w_, c_;

  Data data_;
  PathData path_data_;
  BoundedQp qp_;
  Eigen::MatrixXd A_;
  Eigen::VectorXd b_, y_, optimal_force_, unit_, tau_column_, load_values_, qddot_;
  MuscleState muscle_state_;
};

struct StaticOptimizationResult {
  io::Table activations;  // "Static Optimization": x_j per enabled actuator
  // "ModelForces" (OpenSim's ForceReporter): x_j F_j per actuator, then each external force's
  // <body>_<name>_Fx Fy Fz (ground), px py pz (in the applied-to body), Tx Ty Tz (ground).
  io::Table forces;
  std::vector<StaticOptimizationFrame> frames;
  std::vector<std::string> warnings;  // frames where no solution within the bounds exists
  double seconds = 0.0;               // splines and frames (no file I/O)
};

// Runs Static Optimization on states.rows listed in `rows` (indices into states). The target
// accelerations are the first derivative of a quintic GCVSplineSet (error variance 0) fitted to
// every speed column over all rows of `states` (StaticOptimization::begin). A frame without a
// solution within the bounds (a model too weak) keeps the solver's last iterate, which lies
// within the bounds, and adds a warning, as OpenSim keeps IPOPT's last iterate.
StaticOptimizationResult static_optimization(const Model& model, const AnalyzeStates& states,
                                             const std::vector<int>& rows, const ExternalLoadsData* loads,
                                             const StaticOptimizationOptions& options);

// The AnalyzeTool entry point (src/tools/static_optimization_setup.cpp): the analysis's
// settings into options, then `<tool>_<analysis>_activation.sto` and `_force.sto`. Frames
// without a solution within the bounds give one warning in all (each frame's with
// `verbose`); a frame whose inputs are not finite is an error naming its time.
std::vector<AnalysisFile> run_static_optimization(const io::AnalyzeSetup& setup,
                                                  const io::StaticOptimizationSettings& settings,
                                                  const Model& model, const AnalyzeStates& states,
                                                  const std::vector<int>& rows, const ExternalLoadsData* loads,
                                                  std::vector<std::string>& warnings, double& seconds, int& frames,
                                                  bool show_progress = false, bool verbose = false);

}  // namespace femur::tools
