// Controls of a simulation: one value per actuator at any time, summed over the controllers
// as OpenSim's Model::computeControls sums its ControllerSet. The controllers are a closed set
// (std::variant): a prescribed ControlSet (ControlSetController) and OpenSim's
// CorrectionController; CMC adds its own alternative.
//
//   sim::Controllers c;
//   c.add(sim::make_prescribed_controller(control_set, actuator_names));   // throws on a bad name
//   c.compute(t, q, u, controls);                                          // no allocation
#pragma once

#include <string>
#include <variant>
#include <vector>

#include <Eigen/Core>

#include "femur/io/control_set.hpp"

namespace femur::sim {

// The value of one ControlLinear at time t (ControlLinear::getControlValue, OpenSim 4): with
// i the last node at or before t, steps give x_i at t == t_i and x_{i+1} on (t_i, t_{i+1}],
// the first value before the first node and the last after the last; linear controls
// interpolate, and outside the nodes extrapolate from the two end nodes when `extrapolate`
// (else hold the end value). One node is a constant. No node gives NaN.
double control_value(const io::ControlLinear& control, double t);
double control_value(const std::vector<io::ControlNode>& nodes, bool use_steps, bool extrapolate, double t);

// ControlSetController: each control drives the actuator it names. Controls whose nodes share
// their times (CMC writes every control at the same times) are evaluated as a group, with one
// search for the node interval.
struct PrescribedController {
  std::vector<io::ControlLinear> controls;
  std::vector<int> actuator;               // per control, the actuator index
  std::vector<std::vector<int>> groups;    // controls with identical node times
};

// Binds a ControlSet to actuators by name, with or without ".excitation"
// (ControlSetController::extendConnectToModel). Throws io::ParseError "file:LINE: control
// 'x' names no actuator of the model" for an unknown name, and for a control without nodes.
PrescribedController make_prescribed_controller(const io::ControlSet& set,
                                                const std::vector<std::string>& actuator_names);
// The same with the actuators already known (actuator[k] drives set.controls[k]): no name
// matching, for a caller that rebinds the same controls many times (CMC, once per window).
PrescribedController make_prescribed_controller(const io::ControlSet& set, const std::vector<int>& actuator);

// CorrectionController (OpenSim/Tools/CorrectionController.cpp): one CoordinateActuator
// "<coordinate>_corrector" (optimal force 1) per coordinate, with control
// -kv (u - u_des) - kp (q - q_des) / optimal_force, the desired states read from a table at t.
// OpenSim reads the desired states with the quirky index 2i / 2i+1 into the states file's
// columns (see the .cpp); femur takes the coordinate's own value and speed columns.
struct CorrectionController {
  double kp = 100.0, kv = 20.0;
  std::vector<int> actuator;     // per coordinate, the corrector actuator
  std::vector<int> coordinate;   // per entry, the coordinate index
  Eigen::VectorXd time;          // desired states: rows of time
  Eigen::MatrixXd q_desired, u_desired;  // rows x entries
};

using Controller = std::variant<PrescribedController, CorrectionController>;

// Times in (t0, t1) where a step control (use_steps) changes value: its node times, sorted,
// each once. A forward simulation lands on them (SimulationSettings::breakpoints).
std::vector<double> control_step_times(const std::vector<Controller>& controllers, double t0, double t1);

// The controllers of a simulation, summed.
class Controllers {
 public:
  Controllers() = default;
  explicit Controllers(int actuator_count) : count_(actuator_count) {}
  void add(Controller c) { list_.push_back(std::move(c)); }
  int actuator_count() const { return count_; }
  bool empty() const { return list_.empty(); }
  const std::vector<Controller>& list() const { return list_; }

  // Writes the controls of every actuator at (t, q, u) into `controls` (size
  // actuator_count(); actuators no controller drives get 0). Allocates nothing.
  void compute(double t, const Eigen::VectorXd& q, const Eigen::VectorXd& u, Eigen::VectorXd& controls) const;

 private:
  int count_ = 0;
  std::vector<Controller> list_;
};

}  // namespace femur::sim
