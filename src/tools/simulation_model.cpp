// A model made ready to simulate (see the header).
#include "femur/tools/simulation_model.hpp"

#include <stdexcept>

#include "femur/kinematics/forward_kinematics.hpp"

namespace femur::tools {

std::vector<sim::SimActuator> make_sim_actuators(const Model& model, const ActuatorSet& set, const MuscleSet& muscles) {
  std::vector<int> muscle_of_force(model.forces.size(), -1);
  for (int m = 0; m < muscles.size(); ++m) muscle_of_force[static_cast<size_t>(muscles.force_index(m))] = m;
  std::vector<sim::SimActuator> out;
  out.reserve(set.actuators.size());
  for (const BoundActuator& b : set.actuators) {
    const ForceElement& f = model.forces[static_cast<size_t>(b.force)];
    sim::SimActuator a;
    a.name = b.name;
    a.force = b.force;
    a.muscle = muscle_of_force[static_cast<size_t>(b.force)];
    a.optimal_force = b.optimal_force;
    a.applies_force = f.applies_force;
    if (a.muscle < 0 && f.type.find("Muscle") != std::string::npos && f.applies_force)
      throw std::invalid_argument((f.file.empty() ? "" : f.file + ":" + std::to_string(f.line) + ": ") + f.type + " '" +
                                  f.name + "': femur simulates Thelen2003Muscle, Millard2012EquilibriumMuscle and "
                                           "DeGrooteFregly2016Muscle, not this muscle type");
    out.push_back(std::move(a));
  }
  return out;
}

ModelForceApplier::ModelForceApplier(const Model& model, const PathSet& paths, const ActuatorSet& actuators,
                                     const ExternalLoadsData* loads)
    : model_(model), paths_(paths), actuators_(actuators), loads_(loads) {
  if (loads_) values_ = Eigen::VectorXd::Zero(loads_->columns());
}

void ModelForceApplier::apply(double t, const Eigen::VectorXd& q, const Eigen::VectorXd& /*u*/,
                              const Eigen::VectorXd& actuation, const PathData& paths, Data& data,
                              Eigen::VectorXd& tau) {
  apply_actuator_forces(model_, paths_, paths, actuators_, q, actuation, data, tau);
  if (!loads_) return;
  if (!(t == values_time_)) {
    loads_->evaluate(t, values_);
    values_time_ = t;
  }
  apply_evaluated_external_loads(model_, data, *loads_, values_);
}

std::vector<std::string> SimulationModel::actuator_names() const {
  std::vector<std::string> names;
  for (const BoundActuator& a : actuators.actuators) names.push_back(a.name);
  return names;
}

std::unique_ptr<SimulationModel> make_simulation_model(const Model& model, const ExternalLoadsData* loads) {
  auto sm = std::make_unique<SimulationModel>();
  sm->model = &model;
  sm->actuators = bind_actuators(model, model.paths);
  const MuscleSet muscles(model);
  sm->system = sim::make_system(model, make_sim_actuators(model, sm->actuators, muscles));
  if (loads) {
    sm->loads = *loads;
    sm->has_loads = true;
  }
  sm->applier = std::make_unique<ModelForceApplier>(model, sm->system.paths, sm->actuators,
                                                    sm->has_loads ? &sm->loads : nullptr);
  return sm;
}

double actuator_speed(const SimulationModel& sm, const sim::Workspace& ws, int k) {
  const Model& model = *sm.model;
  const BoundActuator& a = sm.actuators.actuators[static_cast<size_t>(k)];
  switch (a.kind) {
    case BoundActuator::Kind::coordinate:
      return ws.u[a.coordinate];
    case BoundActuator::Kind::point:
      // PointActuator::calcSpeed: |velocity in ground of get_point() taken in the body|,
      // whatever point_is_global says.
      return point_velocity(model, ws.data, a.body, a.point).norm();
    case BoundActuator::Kind::torque: {
      // TorqueActuator::calcSpeed: (w_A - w_B) . unit(axis), the axis as given.
      const Vec3 wa = a.body_a > 0 ? body_angular_velocity(ws.data, a.body_a) : Vec3::Zero();
      const Vec3 wb = a.body_b > 0 ? body_angular_velocity(ws.data, a.body_b) : Vec3::Zero();
      return (wa - wb).dot(a.axis.normalized());
    }
    case BoundActuator::Kind::path:
      return ws.path_data.speed[a.path];
  }
  return 0.0;
}

void add_corrector_actuators(Model& model) {
  for (int k = 0; k < model.nq; ++k) {
    const std::string name = model.coordinates[static_cast<size_t>(k)].name + "_corrector";
    bool exists = false;
    for (const ForceElement& f : model.forces) exists = exists || f.name == name;
    if (exists) continue;
    ForceElement f;
    f.type = "CoordinateActuator";
    f.name = name;
    f.part = CoordinateActuator{.coordinate = k, .optimal_force = 1.0};
    model.forces.push_back(std::move(f));
  }
}

}  // namespace femur::tools
