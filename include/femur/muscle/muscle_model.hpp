// One muscle of any of the three models, as a closed set (std::variant dispatched once per
// call), and MuscleSet: every muscle of a Model in ForceSet order, with setters for the
// run-time changes the hip scenarios make (weaker, shorter or tighter muscles).
//
//   femur::MuscleSet muscles(model);                  // all muscles, ForceSet order
//   femur::MuscleState s;
//   femur::rigid_tendon_state(muscles.model(i), L, V, a, s);      // s.tendon_force ...
//   femur::fiber_equilibrium(muscles.model(i), L, V, a, s);       // elastic tendon
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "femur/muscle/degroote2016.hpp"
#include "femur/muscle/millard2012.hpp"
#include "femur/muscle/muscle_parameters.hpp"
#include "femur/muscle/thelen2003.hpp"

namespace femur {

struct Model;

class MuscleModel {
 public:
  explicit MuscleModel(const MuscleParameters& p);
  const MuscleParameters& parameters() const;
  MuscleKind kind() const { return parameters().kind; }
  const std::variant<Thelen2003, Millard2012, DeGrooteFregly2016>& variant() const { return model_; }

 private:
  std::variant<Thelen2003, Millard2012, DeGrooteFregly2016> model_;
};

// Rigid tendon at path length L (m) and lengthening speed V (m/s), activation a.
void rigid_tendon_state(const MuscleModel& m, double L, double V, double a, MuscleState& out);
// Static Optimization's capacity (Muscle::calcInextensibleTendonActiveFiberForce as each model
// overrides it) at a given fiber length and velocity.
double calc_inextensible_tendon_active_fiber_force(const MuscleModel& m, double fiber_length,
                                                   double fiber_velocity, double activation = 1.0);
// Fiber length (Thelen, Millard) or normalized tendon force (DeGroote) at force balance, as each
// model's computeInitialFiberEquilibrium. A muscle with ignore_tendon_compliance gives its
// rigid-tendon state and a Converged result.
EquilibriumResult fiber_equilibrium(const MuscleModel& m, double L, double V, double a, MuscleState& out,
                                    double tolerance = -1.0);
// da/dt for excitation u.
double activation_derivative(const MuscleModel& m, double activation, double excitation);
// The minimum fiber length the model allows (m).
double minimum_fiber_length(const MuscleModel& m);

// Every Thelen2003Muscle, Millard2012EquilibriumMuscle and DeGrooteFregly2016Muscle of a model
// (ForceSet order). Setters validate and rebuild the one muscle they change.
class MuscleSet {
 public:
  MuscleSet() = default;
  explicit MuscleSet(const Model& model);

  int size() const { return static_cast<int>(models_.size()); }
  int index(std::string_view name) const;  // -1 if absent
  const MuscleModel& model(int i) const { return models_.at(i); }
  const MuscleParameters& parameters(int i) const { return models_.at(i).parameters(); }
  // The parameters as read from the model, before any setter below changed them.
  const MuscleParameters& model_parameters(int i) const { return read_.at(i); }
  // Index of the muscle in Model::forces.
  int force_index(int i) const { return force_index_.at(i); }

  // max_isometric_force = scale x the value read from the model (1 restores it).
  void set_max_isometric_force_scale(int i, double scale);
  void set_optimal_fiber_length(int i, double length);
  void set_tendon_slack_length(int i, double length);
  // Bounds of the control (Static Optimization's bounds on activation) and minimum_activation.
  void set_activation_bounds(int i, double min_control, double max_control);
  void set_minimum_activation(int i, double minimum_activation);
  void set_parameters(int i, const MuscleParameters& p);

  // By name; throw std::invalid_argument for an unknown muscle.
  void set_max_isometric_force_scale(std::string_view name, double scale);
  void set_optimal_fiber_length(std::string_view name, double length);
  void set_tendon_slack_length(std::string_view name, double length);
  void set_activation_bounds(std::string_view name, double min_control, double max_control);

 private:
  int require(std::string_view name) const;
  std::vector<MuscleModel> models_;
  std::vector<MuscleParameters> read_;  // as read from the model
  std::vector<int> force_index_;
};

}  // namespace femur
