// Computed Muscle Control and its muscle-free twin, the Residual Reduction Algorithm: a model
// driven to track desired kinematics by solving, every `window` seconds, for the actuator
// controls that make its accelerations follow PD-corrected desired accelerations
// (OpenSim/Tools/CMC.cpp computeControls, computeInitialStates; CMC_Joint.cpp;
// VectorFunctionForActuators.cpp; ActuatorForceTargetFast.cpp; ActuatorForceTarget.cpp;
// OPENSIM-NOTES.md C.9, C.10). One window [t, t+T]:
//
//   1. offsets dq = q(t) - q_d(t), du = u(t) - q_d'(t), held over the window; pErr = q_d(t) - q;
//      a_des = ka q_d''(t+T) + kv (u_d(t) - u) + kp (q_d(t) - q) per active task;
//   2. each actuator's force at t+T for its lowest and highest control (muscles: their
//      activation and fiber states integrated over the window with the coordinates moving along
//      q_d(tau) + dq, the "predictor"; other actuators: control x optimal force);
//   3. forces f within those bounds whose accelerations at t+T meet the desired ones: the fast
//      target (equalities, sum of (f / capacity)^2) or the slow target (weighted squared
//      acceleration errors plus the same sum);
//   4. each muscle's excitation root-solved so that the predictor gives its force; the controls
//      become nodes at t+T (muscles: steps, others: linear);
//   5. the model integrated over the window by Runge-Kutta-Merson with those controls.
//
// The predictor runs each muscle on its own (the coordinates are prescribed there, so the
// muscles do not interact), from path lengths computed once per window on a 1 ms grid and
// interpolated (cubic Hermite with the path speeds); femur root-solves each excitation (Brent)
// to a force within 1e-4 of the target, started from the excitation in force,
// where OpenSim stops its vector root solver at 4e-3, and solves the target exactly
// (math/bounded_qp.hpp) where OpenSim stops IPOPT at the convergence tolerance.
#pragma once

#include <array>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/io/control_set.hpp"
#include "femur/io/table.hpp"
#include "femur/math/gcv_spline.hpp"
#include "femur/math/spatial.hpp"
#include "femur/model/model.hpp"
#include "femur/tools/dynamics_analyses.hpp"
#include "femur/tools/simulation_model.hpp"

namespace femur::tools {

// The desired coordinates as CMCTool prepares them (CMCTool.cpp run): padded by 60 rows at
// each end (odd reflection), low-pass filtered (FIR, order 50) when cutoff >= 0, degrees turned
// to radians, then quintic interpolating splines of q, of u = dq/dt sampled at the data times,
// and of du/dt sampled likewise. One spline column per model coordinate; a coordinate without a
// column is 0 (formCompleteStorages), listed in `missing`.
struct DesiredKinematics {
  GcvSplineSet q, u, udot;
  double first_time = 0.0, last_time = 0.0;   // of the data, before padding
  std::vector<std::string> missing;
};

// Throws std::invalid_argument for a table with fewer than 6 rows, or with no column for any
// coordinate.
DesiredKinematics make_desired_kinematics(const Model& model, const io::Table& table, double cutoff_hz);

// A joint task bound to the model (CMC_Joint).
struct CmcTask {
  std::string name;
  int coordinate = -1;
  double kp = 1.0, kv = 1.0, ka = 1.0, weight = 1.0;
};

// A point task bound to the model (CMC_Point.cpp): a body-fixed point (or the whole body's
// centre of mass) tracked in ground along X, Y and Z (CMC_Task's default direction vectors),
// each component on its own (active, kp, kv, ka, weight). Its desired positions are three
// consecutive columns of CmcPoints::desired (CMC_TaskSet::setFunctions: columns named as the
// task); the desired velocity and acceleration are their splines' derivatives, as CMC_Point
// takes them when no velocity or acceleration functions are set:
//   a_des_c = ka_c p_d''(t+T)_c + kv_c (p_d'(t) - v(t))_c + kp_c (p_d(t) - p(t))_c.
// The point's acceleration is J(q) u' + J'(q, u) u at the window's end, so each active
// component adds one acceleration row to the fast target's equalities (or the slow target's
// weighted errors), as a coordinate task does.
struct CmcPointTask {
  std::string name;
  int body = -1;                    // -1: the centre of mass of every body ("center_of_mass")
  Vec3 point = Vec3::Zero();        // in the body frame
  std::array<bool, 3> active{true, true, true};
  std::array<double, 3> kp{1.0, 1.0, 1.0}, kv{1.0, 1.0, 1.0}, ka{1.0, 1.0, 1.0}, weight{1.0, 1.0, 1.0};
  int column = -1;                  // first of its three columns in CmcPoints::desired
};

// The desired points as CMCTool prepares them: padded by 60 rows, low-pass filtered (FIR,
// order 50) when cutoff >= 0, quintic interpolating splines of every column (no unit change).
struct CmcPoints {
  GcvSplineSet desired;
  std::vector<std::string> labels;  // the table's column labels
  std::vector<CmcPointTask> tasks;
};

// Fills `points.desired` and `labels` from the table, and binds each task's column: the first
// column named as the task, followed by two more of that name. Throws std::invalid_argument
// for a table with fewer than 6 rows and for a task without its three columns.
void make_desired_points(const io::Table& table, double cutoff_hz, CmcPoints& points);

struct CmcSettings {
  double window = 0.01;              // cmc_time_window (RRA: 0.001)
  bool fast_target = true;           // use_fast_optimization_target (RRA: always the slow one)
  double accuracy = 1e-5;            // integrator_error_tolerance of the main integration
  double minimum_step = 1e-8;
  double maximum_step = 1.0;
  bool show_progress = false;
};

// One control of the CMC ControlSet, bound to its actuator.
struct CmcControl {
  io::ControlLinear control;         // "<actuator>.excitation"; nodes added as windows are solved
  int actuator = -1;                 // index into the simulation model's actuators
};

struct CmcResult {
  StateRows rows;                    // every accepted integrator step, from the tracking start
  std::vector<Eigen::VectorXd> control_rows;  // controls of every actuator per row
  io::ControlSet controls;           // the CMC ControlSet (what _controls.xml holds)
  io::Table position_errors;         // pErr: q_d - q per active task, at ti and each window start
  double start_time = 0.0;           // where tracking started (ti + 0.03 with muscle states)
  long windows = 0;
  long predictor_runs = 0;
  double seconds = 0.0;
};

// The CMC controls for every actuator of the simulation model: each gets a ControlLinear named
// "<actuator>.excitation" with bounds from the actuator's min/max control (infinite bounds
// become +-10000), muscles stepped with bounds widened to [0.02, 1] (CMC.cpp
// extendAddToSystem); a control of `constraints` (may be null) with the same name (with or
// without ".excitation") replaces it wholesale (CMCTool.cpp initializeControlSetUsingConstraints).
// Throws std::invalid_argument "<file>:LINE: control 'x' names no actuator of the model" for a
// constraint that matches no actuator.
std::vector<CmcControl> make_cmc_controls(const SimulationModel& sm, const io::ControlSet* constraints);

// RRA's centre-of-mass pass (RRATool::adjustCOMToReduceResiduals, through the InverseDynamics
// analysis): at each time, the actuator forces of least sum (f_j / optimal_force_j)^2 whose
// accelerations equal the desired ones (q_d, u_d, u_d' of `desired`) on every free coordinate.
// One row per time, one column per control. Throws std::runtime_error naming the time when the
// actuators cannot produce the accelerations (an unactuated coordinate).
Eigen::MatrixXd least_squares_actuator_forces(const SimulationModel& sm, const DesiredKinematics& desired,
                                              const std::vector<CmcControl>& controls, const std::vector<double>& times);

// Runs CMC (or RRA) from initial_time to final_time - window. `y0` holds the initial muscle
// states (equilibrated or defaults); its q and u are replaced by the desired ones at
// initial_time. Throws std::runtime_error "CMC: at time T no actuator forces within their
// bounds achieve the desired accelerations of: coord, coord" for an infeasible window, and on
// an integrator failure.
// `points` adds point tasks (CMC_Point) after the joint tasks; their pErr columns are the task
// name once per active component.
CmcResult run_cmc(const SimulationModel& sm, const DesiredKinematics& desired, const std::vector<CmcTask>& tasks,
                  std::vector<CmcControl> controls, double initial_time, double final_time, const Eigen::VectorXd& y0,
                  const CmcSettings& settings, const CmcPoints& points = {});

}  // namespace femur::tools
