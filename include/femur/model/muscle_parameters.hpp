// Muscle parameters: the numbers a Thelen2003Muscle, Millard2012EquilibriumMuscle or
// DeGrooteFregly2016Muscle element of an .osim file holds, with OpenSim's defaults for what a
// file leaves out (OPENSIM-NOTES.md B.0-B.5). Plain data of the model layer: the reader fills
// it once (model/forces.hpp, ForceElement::part), the muscle layer builds its models from it
// (muscle/muscle_model.hpp) and MuscleSet takes run-time changes.
//
//   MuscleParameters p = default_muscle_parameters(MuscleKind::Thelen2003);
//   p.max_isometric_force = 1200;
//   validate_muscle_parameters(p);  // throws std::invalid_argument on a bad value
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace femur {

enum class MuscleKind { Thelen2003, Millard2012, DeGrooteFregly2016 };

// The element name OpenSim uses for each kind.
std::string_view muscle_kind_name(MuscleKind kind);
// Kind for an .osim element name; nullopt for anything that is not one of the three models.
std::optional<MuscleKind> muscle_kind_from_type(std::string_view type);

// ActiveForceLengthCurve (OpenSim/Actuators/ActiveForceLengthCurve.cpp, 4.x defaults).
struct ActiveForceLengthCurveParameters {
  double min_norm_active_fiber_length = 0.47 - 0.0259;
  double transition_norm_fiber_length = 0.73;
  double max_norm_active_fiber_length = 1.8123;
  double shallow_ascending_slope = 0.8616;
  double minimum_value = 0.1;
  friend bool operator==(const ActiveForceLengthCurveParameters&, const ActiveForceLengthCurveParameters&) = default;
};

// ForceVelocityCurve (OpenSim/Actuators/ForceVelocityCurve.cpp).
struct ForceVelocityCurveParameters {
  double concentric_slope_at_vmax = 0.0;
  double concentric_slope_near_vmax = 0.25;
  double isometric_slope = 5.0;
  double eccentric_slope_at_vmax = 0.0;
  double eccentric_slope_near_vmax = 0.15;
  double max_eccentric_velocity_force_multiplier = 1.4;
  double concentric_curviness = 0.6;
  double eccentric_curviness = 0.9;
  friend bool operator==(const ForceVelocityCurveParameters&, const ForceVelocityCurveParameters&) = default;
};

// FiberForceLengthCurve (OpenSim/Actuators/FiberForceLengthCurve.cpp): the three optional
// properties are all given or all absent; absent means 0.2, 2/(e1 - e0), 0.75.
struct FiberForceLengthCurveParameters {
  double strain_at_zero_force = 0.0;
  double strain_at_one_norm_force = 0.7;
  std::optional<double> stiffness_at_low_force, stiffness_at_one_norm_force, curviness;
  friend bool operator==(const FiberForceLengthCurveParameters&, const FiberForceLengthCurveParameters&) = default;
};

// TendonForceLengthCurve (OpenSim/Actuators/TendonForceLengthCurve.cpp): optional stiffness
// (1.375/e0), norm_force_at_toe_end (2/3) and curviness (0.5), all or none.
struct TendonForceLengthCurveParameters {
  double strain_at_one_norm_force = 0.049;
  std::optional<double> stiffness_at_one_norm_force, norm_force_at_toe_end, curviness;
  friend bool operator==(const TendonForceLengthCurveParameters&, const TendonForceLengthCurveParameters&) = default;
};

struct MuscleParameters {
  std::string name;
  MuscleKind kind = MuscleKind::Thelen2003;

  // Muscle.cpp / ActivationFiberLengthMuscle.cpp (B.0).
  double max_isometric_force = 1000.0;        // N
  double optimal_fiber_length = 0.1;          // m
  double tendon_slack_length = 0.2;           // m
  double pennation_angle_at_optimal = 0.0;    // rad
  double max_contraction_velocity = 10.0;     // optimal fiber lengths per second
  bool ignore_tendon_compliance = false;
  bool ignore_activation_dynamics = false;
  double default_activation = 0.05;
  // The property is constructed before the file is read, so a file without it gets 0.1 m.
  double default_fiber_length = 0.1;
  double min_control = 0.0;                   // Actuator bounds (SO uses them)
  double max_control = 1.0;
  double optimal_force = 1.0;                 // PathActuator's; a muscle's force does not use it

  // Activation dynamics (B.2); defaults depend on the kind.
  double activation_time_constant = 0.015;
  double deactivation_time_constant = 0.050;
  double minimum_activation = 0.01;
  double maximum_pennation_angle = std::acos(0.1);

  // Thelen2003Muscle (B.3).
  double fmax_tendon_strain = 0.04;
  double fmax_muscle_strain = 0.6;
  double kshape_active = 0.45;
  double kshape_passive = 5.0;
  double af = 0.25;
  double flen = 1.4;
  double fv_linear_extrap_threshold = 0.95;

  // Millard2012EquilibriumMuscle (B.4); DeGroote also has fiber_damping (default 0).
  double fiber_damping = 0.1;
  ActiveForceLengthCurveParameters active_force_length;
  ForceVelocityCurveParameters force_velocity;
  FiberForceLengthCurveParameters fiber_force_length;
  TendonForceLengthCurveParameters tendon_force_length;

  // DeGrooteFregly2016Muscle (B.5).
  double active_force_width_scale = 1.0;
  double passive_fiber_strain_at_one_norm_force = 0.6;
  double tendon_strain_at_one_norm_force = 0.049;
  double default_normalized_tendon_force = 0.5;
  bool ignore_passive_fiber_force = false;
  friend bool operator==(const MuscleParameters&, const MuscleParameters&) = default;
};

// OpenSim's defaults for a muscle of this kind (the kind-specific time constants, damping and
// default activation set, everything else as in MuscleParameters).
MuscleParameters default_muscle_parameters(MuscleKind kind);

// A value OpenSim (or femur's muscle models) would refuse: `property` is its name in the
// file ("max_isometric_force", "FiberForceLengthCurve/curviness"), `message` what is wrong
// ("must be positive, got -0.1"). `at_load` is false for a rule only the muscle model
// enforces when it is evaluated (Thelen2003Muscle's minimum_activation >= 0.01: OpenSim
// refuses such a model when it builds the system; femur lists it and refuses it in the tools).
struct ParameterProblem {
  std::string property;
  std::string message;
  bool at_load = true;
};
// Every problem, in the order of the checks.
std::vector<ParameterProblem> check_muscle_parameters(const MuscleParameters& p);

// Throws std::invalid_argument "muscle 'NAME': PROPERTY MESSAGE" for the first problem
// check_muscle_parameters finds (MuscleSet's setters and hand-built parameters use it).
void validate_muscle_parameters(const MuscleParameters& p);

}  // namespace femur
