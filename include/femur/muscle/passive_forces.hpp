// Non-muscle model forces OpenSim applies from the state alone (no control): coordinate limit
// springs, path springs, generalized-coordinate springs. Tools that must include every
// non-excluded model force (inverse dynamics) add their generalized forces.
//
//   CoordinateLimitForce   (OpenSim/Simulation/Model/CoordinateLimitForce.cpp)
//   PathSpring             (OpenSim/Simulation/Model/PathSpring.cpp)
//   SpringGeneralizedForce (OpenSim/Actuators/SpringGeneralizedForce.cpp)
//
// Use: build a PassiveForceSet once from the Model's typed parts; per frame call
// add_passive_generalized_forces (allocation-free, never throws).
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/model/model.hpp"

namespace femur {

struct PathData;

// Whether femur computes this force element's force from the state (one of the types above).
bool is_passive_force(const ForceElement& force);

// CoordinateLimitForce in SI units (CoordinateLimitForce::connectToModel): for a rotational
// coordinate, w = pi/180 and limits are w*limit (rad), stiffnesses K/w (N*m/rad), damping
// damping/w (N*m*s/rad), transition w*transition (rad); w = 1 for a translational one.
struct CoordinateLimitSpec {
  int force = -1;       // index into Model::forces
  int coordinate = -1;
  double q_upper = 0.0, q_lower = 0.0;  // limits
  double k_upper = 0.0, k_lower = 0.0;  // stiffnesses
  double damping = 0.0;
  double transition = 0.0;
};

// PathSpring: tension = stiffness * max(L - resting_length, 0) * (1 + dissipation * Ldot),
// applied along its GeometryPath.
struct PathSpringSpec {
  int force = -1;
  int path = -1;  // index into Model::paths
  double resting_length = 0.0, stiffness = 0.0, dissipation = 0.0;
};

// SpringGeneralizedForce: f = -stiffness * (q - rest_length) - viscosity * qdot.
struct GeneralizedSpringSpec {
  int force = -1;
  int coordinate = -1;
  double stiffness = 0.0, rest_length = 0.0, viscosity = 0.0;
};

struct PassiveForceSet {
  std::vector<CoordinateLimitSpec> coordinate_limits;
  std::vector<PathSpringSpec> path_springs;
  std::vector<GeneralizedSpringSpec> generalized_springs;

  bool empty() const {
    return coordinate_limits.empty() && path_springs.empty() && generalized_springs.empty();
  }
  bool needs_paths() const { return !path_springs.empty(); }
};

// Collects every force element that is_passive_force, applies its force, and is not skipped
// (skip[i] != 0 leaves Model::forces[i] out; an empty skip leaves nothing out), in SI units.
// The reader checked the values when the model was loaded.
PassiveForceSet build_passive_force_set(const Model& model, const std::vector<char>& skip = {});

// The CoordinateLimitForce's generalized force at (q, qdot) (CoordinateLimitForce::
// calcLimitForce): with the Simbody step S(x) = x^3 (10 - 15x + 6x^2),
//   K_up(q)  = k_upper * S((q - q_upper) / transition)            (clamped to [0, 1])
//   K_low(q) = k_lower * S((q_lower - q) / transition)
//   f = -K_up (q - q_upper) + K_low (q_lower - q) - damping (K_up/k_upper + K_low/k_lower) qdot
double coordinate_limit_force(const CoordinateLimitSpec& spec, double q, double qdot);

// Its potential energy (CoordinateLimitForce::computePotentialEnergy).
double coordinate_limit_potential_energy(const CoordinateLimitSpec& spec, double q);

// PathSpring tension at length L and lengthening speed Ldot.
double path_spring_tension(const PathSpringSpec& spec, double length, double speed);

// Adds every compiled force's generalized force to tau_applied (size nv). `paths` holds the
// path lengths, speeds and moment arms at (q, qdot) (compute_paths with qdot) and is needed
// only when set.needs_paths(). A path force adds tension x moment arm per coordinate (moment
// arms are the generalized force of a unit tension, MomentArmSolver; with coupler
// constraints they are projected onto the independent coordinates).
void add_passive_generalized_forces(const Model& model, const PassiveForceSet& set,
                                    const Eigen::VectorXd& q, const Eigen::VectorXd& qdot,
                                    const PathData* paths, Eigen::VectorXd& tau_applied);

}  // namespace femur
