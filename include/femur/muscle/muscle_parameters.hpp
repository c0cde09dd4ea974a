// The small types every muscle model shares: what one evaluation gives (MuscleState), the
// outcome of an equilibrium solve, and the fixed-width pennation model. The parameters
// themselves are plain model data (model/muscle_parameters.hpp), read once with the Model.
#pragma once

#include <cmath>

#include "femur/model/muscle_parameters.hpp"

namespace femur {

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

}  // namespace femur
