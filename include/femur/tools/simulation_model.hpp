// A Model made ready to simulate: its actuators bound to bodies, coordinates and paths
// (tools::ActuatorSet), the simulate layer's System built on them, the external loads, and
// the force applier that joins them in the state derivative. Forward, and the Analyze
// analyses that need the model's dynamics (Kinematics' accelerations, Actuation), start here;
// CMC and RRA will too.
//
//   auto sm = tools::make_simulation_model(model, &loads);   // loads may be null
//   sim::Workspace ws(sm->system);
//   ws.applier = sm->applier.get();
#pragma once

#include <limits>
#include <memory>
#include <vector>

#include "femur/model/model.hpp"
#include "femur/simulate/system.hpp"
#include "femur/tools/actuator_set.hpp"
#include "femur/tools/external_loads.hpp"

namespace femur::tools {

// The actuators (bind_actuators order) as the simulation sees them; a muscle is matched to the
// MuscleSet by its force. Throws std::invalid_argument for a muscle type femur does not
// simulate (it would be treated as a plain path actuator otherwise).
std::vector<sim::SimActuator> make_sim_actuators(const Model& model, const ActuatorSet& set, const MuscleSet& muscles);

// Applies the bound actuators (apply_actuator_forces) and the external loads
// (apply_external_loads) of one evaluation.
class ModelForceApplier final : public sim::ForceApplier {
 public:
  ModelForceApplier(const Model& model, const PathSet& paths, const ActuatorSet& actuators,
                    const ExternalLoadsData* loads);
  void apply(double t, const Eigen::VectorXd& q, const Eigen::VectorXd& u, const Eigen::VectorXd& actuation,
             const PathData& paths, Data& data, Eigen::VectorXd& tau) override;

 private:
  const Model& model_;
  const PathSet& paths_;
  const ActuatorSet& actuators_;
  const ExternalLoadsData* loads_;
  Eigen::VectorXd values_;  // the loads at values_time_ (Runge-Kutta-Merson meets each time twice)
  double values_time_ = std::numeric_limits<double>::quiet_NaN();
};

struct SimulationModel {
  const Model* model = nullptr;
  ActuatorSet actuators;
  sim::System system;
  ExternalLoadsData loads;
  bool has_loads = false;
  std::unique_ptr<ModelForceApplier> applier;
  // The actuator names, in order (what controls are matched against).
  std::vector<std::string> actuator_names() const;
};

// `model` must outlive the result; `loads` is copied (may be null).
std::unique_ptr<SimulationModel> make_simulation_model(const Model& model, const ExternalLoadsData* loads);

// Speed of actuator k at the workspace's last state (OpenSim's Actuator::getSpeed): a path's
// lengthening speed, a coordinate's speed, the magnitude of a PointActuator point's velocity,
// a TorqueActuator's relative angular velocity along its axis. Needs forward kinematics with
// velocities and the path speeds at that state.
double actuator_speed(const SimulationModel& sm, const sim::Workspace& ws, int k);

// Adds CorrectionController's actuators to a model: one CoordinateActuator
// "<coordinate>_corrector" with optimal force 1 per coordinate (CorrectionController::
// extendConnectToModel), unless the model already has one of that name.
void add_corrector_actuators(Model& model);

}  // namespace femur::tools
