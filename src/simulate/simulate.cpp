// The forward simulation loop (OpenSim/Simulation/Manager/Manager.cpp integrate: record the
// initial state, then every internal step of the integrator until the final time).
#include "femur/simulate/simulate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace femur::sim {

Trajectory simulate(const System& system, Workspace& ws, const Eigen::VectorXd& y0, const SimulationSettings& s) {
  if (y0.size() != system.layout.size())
    throw std::invalid_argument(fmt::format("simulate: the initial state has {} entries, the system {}", y0.size(),
                                            system.layout.size()));
  if (!(s.final_time > s.initial_time))
    throw std::invalid_argument(fmt::format("simulate: the final time {} is not after the initial time {}",
                                            s.final_time, s.initial_time));
  if (!(s.accuracy > 0)) throw std::invalid_argument("simulate: the integrator error tolerance must be positive");
  if (!(s.maximum_step > 0)) throw std::invalid_argument("simulate: the maximum step size must be positive");
  if (s.minimum_step > s.maximum_step)
    throw std::invalid_argument(fmt::format("simulate: the minimum step size {} exceeds the maximum {}",
                                            s.minimum_step, s.maximum_step));

  IntegratorSettings is;
  is.accuracy = s.accuracy;
  is.minimum_step = s.minimum_step;
  is.maximum_step = s.maximum_step;
  is.nq = system.layout.nq;
  is.nu = system.layout.nv;
  RungeKuttaMerson rk([&](double t, const Eigen::VectorXd& y, Eigen::VectorXd& ydot) { state_derivative(system, ws, t, y, ydot); },
                      is, system.layout.size(),
                      system.constrained ? RungeKuttaMerson::Projection([&](Eigen::VectorXd& y) { project_constraints(system, y); })
                                         : RungeKuttaMerson::Projection());

  const auto start = std::chrono::steady_clock::now();
  Trajectory out;
  auto record = [&] {
    out.time.push_back(rk.time());
    out.states.push_back(rk.state());
    // The controls of the recorded state (Model::getControls at that state): the derivative
    // just evaluated at (t, y) left them in the workspace.
    out.controls.push_back(ws.controls);
  };
  rk.initialize(s.initial_time, y0);
  record();
  // OpenSim 4 hands maximum_number_of_integrator_steps to Integrator::setInternalStepLimit,
  // which limits the steps of one stepTo call; with every internal step returned that limit
  // never binds. femur applies it to the whole run (as OpenSim 3's IntegRKF did), so that an
  // integrator that cannot meet its tolerance stops with a message instead of running on.
  auto next_break = std::upper_bound(s.breakpoints.begin(), s.breakpoints.end(), s.initial_time);
  while (rk.time() < s.final_time) {
    if (rk.statistics().steps >= s.maximum_steps)
      throw std::runtime_error(fmt::format(
          "integrator: maximum_number_of_integrator_steps ({}) reached at t = {:.6g} s before the final time {:.6g} s "
          "(last step {:.3g} s; raise the step limit or the error tolerance)",
          s.maximum_steps, rk.time(), s.final_time, rk.last_step_size()));
    const bool to_break = next_break != s.breakpoints.end() && *next_break < s.final_time;
    rk.step(to_break ? *next_break : s.final_time);
    record();
    if (to_break && rk.time() == *next_break) {
      rk.restart_after_discontinuity();
      while (next_break != s.breakpoints.end() && *next_break <= rk.time()) ++next_break;
    }
    if (s.on_step) s.on_step(rk.time());
  }
  out.statistics = rk.statistics();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace femur::sim
