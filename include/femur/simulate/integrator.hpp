// Error-controlled explicit Runge-Kutta-Merson integration with the step-size control and
// error norm of Simbody's RungeKuttaMersonIntegrator, which OpenSim's Manager uses (Simbody:
// SimTKmath/Integrators/src/RungeKuttaMersonIntegrator.cpp, AbstractIntegratorRep.cpp
// adjustStepSize/takeOneStep, IntegratorRep.h calcErrorNorm), restated:
//
// - Merson's 5-stage method (Hairer, Norsett & Wanner, Solving ODEs I, table 4.1): the 4th-order
//   solution is propagated; |y1 - y1_hat| / 5 with the embedded 3rd-order solution is the error.
// - The error norm is the largest of three RMS norms: the coordinates' errors (unit weight:
//   femur's q-dot is u), the speeds' errors each divided by max(|u|, 1) and the auxiliary
//   states' errors divided by max(|z|, 1), with u and z taken at the start of the step. A step is
//   accurate when that norm is at most `accuracy` (OpenSim's integrator_error_tolerance).
// - Step control: h_new = 0.9 h (accuracy / err)^(1/4), within [0.1 h, 5 h]; a growth below 20%
//   (or after a step cut short by the end time) keeps h; a failed step shrinks h by at least
//   10%; h stays within [minimum_step, maximum_step]. A step at the minimum size is accepted
//   whatever its error (Simbody's rule), and counted. The first step tries 0.01 s (Simbody's
//   default system timescale 0.1 s / 10), clamped to the limits.
//
//   sim::RungeKuttaMerson rk(f, settings, y0.size());
//   rk.initialize(t0, y0);
//   while (rk.time() < t1) rk.step(t1);     // each call: one accepted step, the last lands on t1
#pragma once

#include <functional>
#include <limits>

#include <Eigen/Core>

namespace femur::sim {

struct IntegratorSettings {
  double accuracy = 1e-3;
  double minimum_step = 0.0;   // <= 0: no minimum
  double maximum_step = std::numeric_limits<double>::infinity();
  double initial_step = -1.0;  // <= 0: Simbody's 0.01 s
  // Partition of y for the error norm: coordinates, speeds, then the rest.
  int nq = 0, nu = 0;
};

struct IntegratorStatistics {
  long steps = 0;              // accepted
  long attempts = 0;           // accepted + rejected
  long evaluations = 0;        // derivative evaluations
  long accepted_over_tolerance = 0;  // accepted at the minimum step with the error above accuracy
  double smallest_step = std::numeric_limits<double>::infinity();
  double largest_step = 0.0;
  double worst_error = 0.0;    // largest error norm of an accepted step
};

class RungeKuttaMerson {
 public:
  // f(t, y, ydot) writes dy/dt; it must not resize ydot.
  using Derivative = std::function<void(double, const Eigen::VectorXd&, Eigen::VectorXd&)>;
  // Called on each accepted state before its derivative is evaluated (e.g. constraint projection).
  using Projection = std::function<void(Eigen::VectorXd&)>;

  RungeKuttaMerson(Derivative f, const IntegratorSettings& settings, int size, Projection project = {});

  // Sets the initial state and evaluates its derivative.
  void initialize(double t0, const Eigen::VectorXd& y0);
  // Takes one accepted step towards t_end, landing exactly on t_end when it is within reach.
  // Throws std::runtime_error when the derivative is not finite even at the minimum step.
  void step(double t_end);
  // After landing on a time where the derivative jumps (a step change of a control), takes the
  // derivative from the right (evaluated just after the current time) for the next step.
  void restart_after_discontinuity();

  double time() const { return t_; }
  const Eigen::VectorXd& state() const { return y_; }
  const Eigen::VectorXd& derivative() const { return f0_; }
  double next_step_size() const { return h_; }
  double last_step_size() const { return last_h_; }
  const IntegratorStatistics& statistics() const { return stats_; }

  // The error norm of an error estimate against the state at the start of the step (exposed for
  // tests).
  double error_norm(const Eigen::VectorXd& error, const Eigen::VectorXd& y_start) const;

 private:
  // Simbody's adjustStepSize; returns true when the step is accepted.
  bool adjust_step_size(double err, bool limited);

  Derivative f_;
  Projection project_;
  IntegratorSettings s_;
  double t_ = 0.0, h_ = 0.0, last_h_ = 0.0;
  Eigen::VectorXd y_, f0_, y1_, ysave_, fa_, fb_, ytmp_, err_;
  IntegratorStatistics stats_;
};

}  // namespace femur::sim
