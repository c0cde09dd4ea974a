// Muscle parameters: the numbers a Thelen2003Muscle, Millard2012EquilibriumMuscle or
// DeGrooteFregly2016Muscle element of an .osim file holds, with OpenSim's defaults for what a
// file leaves out (OPENSIM-NOTES.md B.0-B.5), plus the small types every model shares
// (MuscleState, EquilibriumResult, fixed-width pennation). MuscleSet (muscle_model.hpp) holds
// every muscle of a Model and takes run-time changes.
//
//   femur::MuscleParameters p = femur::make_muscle_parameters(model.forces[k]);
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace femur {

struct ForceElement;
struct Model;

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
};

// FiberForceLengthCurve (OpenSim/Actuators/FiberForceLengthCurve.cpp): the three optional
// properties are all given or all absent; absent means 0.2, 2/(e1 - e0), 0.75.
struct FiberForceLengthCurveParameters {
  double strain_at_zero_force = 0.0;
  double strain_at_one_norm_force = 0.7;
  std::optional<double> stiffness_at_low_force, stiffness_at_one_norm_force, curviness;
};

// TendonForceLengthCurve (OpenSim/Actuators/TendonForceLengthCurve.cpp): optional stiffness
// (1.375/e0), norm_force_at_toe_end (2/3) and curviness (0.5), all or none.
struct TendonForceLengthCurveParameters {
  double strain_at_one_norm_force = 0.049;
  std::optional<double> stiffness_at_one_norm_force, norm_force_at_toe_end, curviness;
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
};


// What one evaluation of a muscle gives (OpenSim's MuscleLengthInfo, FiberVelocityInfo and
// MuscleDynamicsInfo, the entries MuscleAnalysis reports). Forces in N, lengths in m.
struct MuscleState {
  double fiber_length = 0, normalized_fiber_length = 0;
  double pennation_angle = 0, cos_pennation = 1;
  double tendon_length = 0, normalized_tendon_length = 0;
  double fiber_velocity = 0, normalized_fiber_velocity = 0;  // + lengthening
  double active_force_length_multiplier = 0, passive_force_multiplier = 0;
  double force_velocity_multiplier = 1;
  double active_fiber_force = 0;   // F0 a f_L f_V
  double passive_fiber_force = 0;  // F0 (f_PE + damping), along the fiber
  double fiber_force = 0;          // active + passive, along the fiber
  double tendon_force = 0;         // what the muscle applies along its path
  bool fiber_clamped = false;      // at the minimum fiber length and shortening
};

// Outcome of an equilibrium solve.
enum class EquilibriumStatus {
  Converged,          // force balance within tolerance
  AtMinimumLength,    // the fiber reached its lower bound (OpenSim warns and keeps it)
  Failed              // no balance found; the state holds the last iterate
};

struct EquilibriumResult {
  EquilibriumStatus status = EquilibriumStatus::Failed;
  double residual = 0;  // fiber force along tendon - tendon force, N
  int iterations = 0;
  bool used_fallback = false;  // OpenSim's iteration failed; the bracketing solve found it
};

// Fixed-width pennation (OpenSim/Actuators/MuscleFixedWidthPennationModel.cpp; B.1): the
// fiber keeps a constant height h = l0 sin(phi0) as it shortens.
struct FixedWidthPennation {
  double optimal_fiber_length = 0.1, optimal_pennation = 0, maximum_pennation = std::acos(0.1);
  double height = 0;               // l0 sin(phi0)
  double minimum_fiber_length = 0; // h / sin(phi_max), or 0.01 l0 for phi_max = 0
  double minimum_fiber_length_along_tendon = 0;
  double maximum_sin_pennation = 0;

  FixedWidthPennation() = default;
  FixedWidthPennation(double l0, double phi0, double phi_max)
      : optimal_fiber_length(l0), optimal_pennation(phi0), maximum_pennation(phi_max) {
    height = l0 * std::sin(phi0);
    if (phi_max > 1.0e-14) {  // SimTK::SignificantReal
      const double along = height * std::cos(phi_max) / std::sin(phi_max);
      minimum_fiber_length = std::sqrt(height * height + along * along);
    } else {
      minimum_fiber_length = 0.01 * l0;
    }
    maximum_sin_pennation = std::sin(phi_max);
    minimum_fiber_length_along_tendon = minimum_fiber_length * std::cos(phi_max);
  }
  double pennation_angle(double l) const {
    if (!(optimal_pennation > 2.220446049250313e-16)) return 0.0;
    if (l > minimum_fiber_length) {
      const double s = height / l;
      return s < maximum_sin_pennation ? std::asin(s) : maximum_pennation;
    }
    return maximum_pennation;
  }
  // Fiber length for a muscle-tendon length and tendon length.
  double fiber_length(double muscle_length, double tendon_length) const {
    const double along = muscle_length - tendon_length;
    if (along >= minimum_fiber_length_along_tendon) return std::sqrt(height * height + along * along);
    return minimum_fiber_length;
  }
  // dl/dt for a path speed and tendon speed: (dL - dlT) cos(phi).
  static double fiber_velocity(double cos_phi, double path_speed, double tendon_speed) {
    return (path_speed - tendon_speed) * cos_phi;
  }
  // d(phi)/dl = -h / (l^2 cos(phi)).
  double dpennation_dfiber_length(double l) const {
    if (!(optimal_pennation > 2.220446049250313e-16) || !(l > minimum_fiber_length)) return 0.0;
    const double s = height / l;
    return -height / (l * l * std::sqrt(1.0 - s * s));
  }
};

// OpenSim's defaults for a muscle of this kind (the kind-specific time constants, damping and
// default activation set, everything else as in MuscleParameters).
MuscleParameters default_muscle_parameters(MuscleKind kind);

// Reads a muscle from the model reader's neutral form. Missing properties take OpenSim's
// defaults; 3.x names are mapped (pennation_angle -> pennation_angle_at_optimal). Throws
// std::invalid_argument naming the muscle and the property for a value that is not a number,
// a non-positive optimal fiber length or tendon slack length, a negative force, a pennation
// outside [0, pi/2), or an element that is not one of the three muscle models.
MuscleParameters make_muscle_parameters(const ForceElement& element);

// Checks the values a MuscleSet setter or a hand-built MuscleParameters may carry; throws
// std::invalid_argument "muscle 'NAME': PROPERTY ..." on the first bad one.
void validate_muscle_parameters(const MuscleParameters& p);

}  // namespace femur
