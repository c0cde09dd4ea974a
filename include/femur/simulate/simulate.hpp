// A forward simulation: the system's state integrated from an initial state over a time
// interval by Runge-Kutta-Merson, every accepted step recorded with its controls (OpenSim's
// Manager::integrate records each internal step of its RungeKuttaMersonIntegrator).
//
//   sim::Trajectory traj = sim::simulate(system, ws, y0, settings);
#pragma once

#include <functional>
#include <vector>

#include <Eigen/Core>

#include "femur/simulate/integrator.hpp"
#include "femur/simulate/system.hpp"

namespace femur::sim {

struct SimulationSettings {
  double initial_time = 0.0;
  double final_time = 1.0;
  double accuracy = 1e-5;          // integrator_error_tolerance
  double minimum_step = 1e-8;      // minimum_integrator_step_size
  double maximum_step = 1.0;       // maximum_integrator_step_size
  long maximum_steps = 20000;      // maximum_number_of_integrator_steps (a total, see the .cpp)
  // Times where the derivative jumps (step changes of controls). When given, the integrator
  // lands on each and restarts from the right-hand derivative instead of stepping across the
  // jump (which costs rejected steps and, at the minimum step, accuracy). Sorted.
  std::vector<double> breakpoints;
  // Called after each accepted step with the time reached (progress display); may be empty.
  std::function<void(double)> on_step;
};

// The recorded steps: row 0 is the initial state, then one row per accepted step.
struct Trajectory {
  std::vector<double> time;
  std::vector<Eigen::VectorXd> states;    // y per row
  std::vector<Eigen::VectorXd> controls;  // controls per row, at (t, y)
  IntegratorStatistics statistics;
  double seconds = 0.0;                   // wall time of the integration
  int rows() const { return static_cast<int>(time.size()); }
};

// Integrates from y0 at settings.initial_time to settings.final_time. Throws
// std::runtime_error "integrator: ..." when maximum_steps steps do not reach the final time
// (naming the time reached) or when the derivative is not finite.
Trajectory simulate(const System& system, Workspace& ws, const Eigen::VectorXd& y0, const SimulationSettings& settings);

}  // namespace femur::sim
