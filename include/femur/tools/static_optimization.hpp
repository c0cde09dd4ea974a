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
//
// Beyond OpenSim's analysis, for callers that hold postures rather than replay a motion (the
// hip scenarios, hip/scenario.hpp), with every default OpenSim's: the solver can work on a
// caller's MuscleSet (weakness = max isometric force scaled, tightness = optimal fiber length
// shortened, inhibition = activation upper bound), leave actuators out, apply point loads on
// bodies, add reserve actuators of its own, balance only some coordinates, count the muscles'
// passive fiber forces, and give the joint reactions with the solved forces applied.
//
//   tools::StaticOptimizer so(model, muscles, nullptr, options);   // muscles: the caller's
//   so.solve_frame(0.0, q, zero, zero, point_loads, x, forces);     // one still posture
//   so.joint_reactions({hip_joint}, reactions);                     // with x's forces applied
#pragma once

#include <array>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/dynamics/joint_reaction.hpp"
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
  // Each muscle's term of the cost weighted by its volume: sum_j (V_j / V_mean) |x_j|^p with
  // V_j = max_isometric_force x optimal_fiber_length as the model reads them (PCSA x fiber
  // length up to the specific tension), V_mean their mean over the model's muscles; other
  // actuators keep weight 1. The volume-weighted criterion (Happee & van der Helm 1995), one
  // of the criteria compared for hip contact by Modenese et al. 2011 and Wesseling et al. 2015
  // (issue 18). Off = OpenSim's unweighted sum.
  bool volume_weighted = false;
  // Passive hip flexion moments the actuators need not supply, one per listed hip: the moment of
  // all passive structures crossing the hip (capsule, ligaments, passive muscle) measured in ten
  // healthy subjects by Riener & Edrich 1999 (J Biomech 32:539-544; the relation as used by
  // Miller et al. 2012 for sprinting): M = exp(1.4655 - 0.0034 K - 0.0750 H)
  // - exp(1.3403 - 0.0226 K + 0.0305 H) + 8.072 N m (flexing), H the hip flexion and K the knee
  // flexion in degrees. The moment is a couple between pelvis and femur: it lowers the
  // muscles' share, and so their contribution to the joint reaction force, not the force
  // itself. It includes passive muscle force: do not combine with include_passive_fiber_force.
  struct PassiveHipMoment {
    std::string hip_flexion;   // coordinate, flexion positive
    std::string knee_angle;    // coordinate of the same leg's knee
    double knee_flexion_sign = 1.0;  // -1 where knee flexion is negative (gait2392's knee_angle_r)
  };
  std::vector<PassiveHipMoment> passive_hip_moments;

  // ---- Beyond OpenSim's analysis (the defaults are OpenSim's; the hip scenarios set them).
  // Count each muscle's passive fiber force along the tendon (rigid tendon, at the path's
  // length and lengthening speed, as the capacity F_j) as a force the muscle applies whatever
  // its control: the controls supply b minus its generalized forces, and the muscle's force is
  // x_j F_j plus it. OpenSim's StaticOptimization overrides each actuator's force with x_j F_j
  // (StaticOptimizationTarget), so passive forces do not enter there.
  bool include_passive_fiber_force = false;
  // The coordinates whose generalized forces the actuators must supply (the constraint rows);
  // empty = every unconstrained coordinate (OpenSim). A coordinate left out is held by
  // something the model does not have (a floor under a lying pelvis, the ground under a free
  // root). Locked and prescribed coordinates are never rows.
  std::vector<std::string> coordinates;
  // Reserve actuators added by the tool after the model's actuators: a CoordinateActuator
  // named "<coordinate>_reserve" of optimal force reserve_optimal_force, control unbounded,
  // on each listed coordinate (as OpenSim's reserve actuator files add them).
  std::vector<std::string> reserve_coordinates;
  double reserve_optimal_force = 1.0;
  // Actuators left out, as if removed from the model: control held at 0, no force (no passive
  // force either).
  std::vector<std::string> excluded_actuators;
  // true: each frame's solve starts from the previous frame's multipliers (a motion: one or
  // two Newton steps). false: from zero, so that a frame's result does not depend on the
  // frames solved before it (independent postures).
  bool warm_start = true;
};

// A force at a point fixed in a body, applied besides gravity and the external loads: a ground
// reaction a caller builds, an elastic band, a d'Alembert load.
struct PointLoad {
  int body = 0;
  Vec3 point_in_body = Vec3::Zero();
  Vec3 force_in_ground = Vec3::Zero();
};

// One frame's outcome.
struct StaticOptimizationFrame {
  BoundedQpStatus status = BoundedQpStatus::Solved;
  int iterations = 0;
  double constraint_violation = 0.0;  // |generalized force residual|_inf (N or N m)
};

// The per-frame solver: actuators, paths and muscles bound once; a frame allocates nothing.
// A frame runs in two stages: evaluate_frame (kinematics, paths, inverse dynamics, the actuator
// columns, capacities and passive forces) and solve (the QP); solve_frame does both.
class StaticOptimizer {
 public:
  // Coordinate coupler constraints (CoordinateCouplerConstraint) are handled as OpenSim's
  // StaticOptimizationTarget handles them: a dependent coordinate is constrained
  // (Coordinate::isConstrained), so only the independent ones are constraint rows, and the
  // accelerations are those of the constrained system. With qdot = G qdot_free
  // (kinematics/couplers.hpp) the rows are G^T (actuator forces - inverse dynamics) = 0: the
  // coupler's constraint forces do no work along the free coordinates. Each frame's q and u
  // are projected onto the couplers first (dependent values from the independent ones).
  // Throws std::invalid_argument / std::runtime_error (naming the force's file and line) for
  // what femur cannot compute: reserves on a dependent coordinate, enabled forces that are not actuators,
  // actuators it cannot apply, fewer actuators than constraint rows, unknown coordinates or
  // actuators in the options.
  StaticOptimizer(const Model& model, const ExternalLoadsData* loads, const StaticOptimizationOptions& options);
  // The same over a caller's MuscleSet, built from `model`, which must outlive the optimizer:
  // its parameters and activation bounds (min_control, max_control) as they are when a frame
  // is evaluated are that frame's (scale max isometric force = weakness, shorten optimal fiber
  // length = tightness, lower max_control = inhibition).
  StaticOptimizer(const Model& model, const MuscleSet& muscles, const ExternalLoadsData* loads,
                  const StaticOptimizationOptions& options);
  StaticOptimizer(const StaticOptimizer&) = delete;  // muscles_ may point into the object
  StaticOptimizer& operator=(const StaticOptimizer&) = delete;

  // The unknowns: the enabled actuators in ForceSet order (the output columns), then the
  // reserves the options add (from first_reserve() on).
  const std::vector<std::string>& actuator_names() const { return names_; }
  int num_actuators() const { return static_cast<int>(names_.size()); }
  int first_reserve() const { return first_reserve_; }
  // The unknown of MuscleSet muscle i, or -1 (a disabled muscle); the muscle of unknown j, or -1.
  int actuator_of_muscle(int i) const { return actuator_of_muscle_[static_cast<size_t>(i)]; }
  int muscle_of_actuator(int j) const { return muscle_of_actuator_[static_cast<size_t>(j)]; }
  const MuscleSet& muscles() const { return *muscles_; }
  const PathSet& paths() const { return paths_; }
  // The constraint rows: coordinates whose generalized forces the actuators supply.
  const std::vector<int>& free_coordinates() const { return free_; }
  const Eigen::VectorXd& lower_bounds() const { return lo_; }
  const Eigen::VectorXd& upper_bounds() const { return hi_; }

  // Solves one frame at time t (for the external loads): q, u (nq = nv) and the target
  // accelerations qddot (the entries of unconstrained coordinates; locked and prescribed ones
  // are held at zero acceleration), with the point loads applied besides gravity and the
  // external loads. Writes the controls x and the actuator forces x_j F_j (plus the passive
  // force with include_passive_fiber_force). Warm-started from the previous frame unless the
  // options say otherwise.
  StaticOptimizationFrame solve_frame(double t, const Eigen::VectorXd& q, const Eigen::VectorXd& u,
                                      const Eigen::VectorXd& qddot, Eigen::VectorXd& x, Eigen::VectorXd& forces);
  StaticOptimizationFrame solve_frame(double t, const Eigen::VectorXd& q, const Eigen::VectorXd& u,
                                      const Eigen::VectorXd& qddot, const std::vector<PointLoad>& point_loads,
                                      Eigen::VectorXd& x, Eigen::VectorXd& forces);

  // The two stages of solve_frame. evaluate_frame alone gives a posture's demand and the
  // muscles' geometry, capacities and passive forces without solving.
  void evaluate_frame(double t, const Eigen::VectorXd& q, const Eigen::VectorXd& u, const Eigen::VectorXd& qddot,
                      const std::vector<PointLoad>& point_loads);
  StaticOptimizationFrame solve(Eigen::VectorXd& x, Eigen::VectorXd& forces);

  // After evaluate_frame: the generalized forces the motion needs under gravity and the loads
  // (inverse dynamics, every coordinate), the paths (lengths, speeds, moment arms), per unknown
  // F_j (optimal force or muscle capacity) and passive force along the tendon (0 for what is
  // not a muscle, and without include_passive_fiber_force), and the constraint system A x = b
  // (rows = free_coordinates()).
  const Eigen::VectorXd& generalized_forces() const { return tau_; }
  const PathData& path_data() const { return path_data_; }
  const Eigen::VectorXd& optimal_forces() const { return optimal_force_; }
  const Eigen::VectorXd& passive_forces() const { return passive_force_; }
  const Eigen::MatrixXd& constraint_matrix() const { return A_; }
  const Eigen::VectorXd& constraint_vector() const { return b_; }
  // After evaluate_frame: body poses etc. of this frame (for the external-load columns).
  const Data& data() const { return data_; }

  // After solve: the reaction of each listed joint on its child body (ground, at the child
  // frame's origin; dynamics/joint_reaction.hpp) with `forces` (one per unknown, as solve
  // wrote them) applied along the actuators' paths, gravity, the external and point loads, at
  // the frame's q, u and qddot. Reserves are generalized forces and do not enter a reaction.
  void joint_reactions(const std::vector<int>& joints, const Eigen::VectorXd& forces, std::vector<Wrench>& on_child);

 private:
  void bind(const Model& model);
  void read_muscle_bounds();

  const Model* model_;
  const ExternalLoadsData* loads_;
  StaticOptimizationOptions options_;
  PathSet paths_;
  ActuatorSet actuators_;  // enabled actuators only
  MuscleSet own_muscles_;  // the muscles when the caller gives none
  const MuscleSet* muscles_ = nullptr;
  std::vector<std::string> names_;
  std::vector<int> muscle_of_actuator_;  // index into *muscles_, -1 if not a muscle
  std::vector<int> actuator_of_muscle_;
  std::vector<bool> excluded_;           // per unknown
  std::vector<int> reserve_coordinate_;  // per reserve
  int first_reserve_ = 0;
  std::vector<int> free_;           // constraint rows
  std::vector<int> unconstrained_;  // coordinates that accelerate as asked
  // Couplers: the coordinates that are not dependent (G's columns), each row's G column, and
  // per row the coordinates G can reach from it (the row's own and the dependents it drives).
  bool coupled_ = false;
  std::vector<int> basis_coordinates_, row_column_;
  std::vector<std::vector<int>> row_support_;
  Eigen::MatrixXd G_;
  Eigen::VectorXd lo_, hi_, w_, c_;

  Data data_;
  PathData path_data_;
  BoundedQp qp_;
  Eigen::MatrixXd A_;
  Eigen::VectorXd b_, y_, optimal_force_, passive_force_, unit_, tau_column_, load_values_, qddot_, tau_;
  Eigen::VectorXd q_, u_, model_forces_;
  std::vector<std::array<int, 2>> passive_hips_;  // hip flexion, knee coordinate
  std::vector<PointLoad> point_loads_;  // the frame's, for joint_reactions
  double t_ = 0.0;
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
