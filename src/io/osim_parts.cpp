// Property tables of the typed parts (see osim_parts.hpp). Defaults live in the part structs
// (model/forces.hpp, model/muscle_parameters.hpp); the tables say only names and checks.
#include "osim_parts.hpp"

#include <charconv>
#include <cmath>

namespace femur::io::osim {
namespace {

// One accessor per kind of value; `field` may name a nested member (a.b).
#define FEMUR_NUMBER(P, field, key, ...) \
  Property<P> { .name = key, .number = [](P& p) -> double& { return p.field; }, __VA_ARGS__ }
#define FEMUR_BOOL(P, field, key, ...) \
  Property<P> { .name = key, .boolean = [](P& p) -> bool& { return p.field; }, __VA_ARGS__ }
#define FEMUR_VEC3(P, field, key, ...) \
  Property<P> { .name = key, .vec3 = [](P& p) -> Vec3& { return p.field; }, __VA_ARGS__ }
#define FEMUR_OPTIONAL(P, field, key, ...) \
  Property<P> { .name = key, .optional = [](P& p) -> std::optional<double>& { return p.field; }, __VA_ARGS__ }
#define FEMUR_TEXT(P, field, key, ...) \
  Property<P> { .name = key, .text = [](P& p) -> std::string& { return p.field; }, __VA_ARGS__ }

bool thelen(const MuscleParameters& p) { return p.kind == MuscleKind::Thelen2003; }
bool millard(const MuscleParameters& p) { return p.kind == MuscleKind::Millard2012; }
bool degroote(const MuscleParameters& p) { return p.kind == MuscleKind::DeGrooteFregly2016; }
bool thelen_or_millard(const MuscleParameters& p) { return !degroote(p); }
bool millard_or_degroote(const MuscleParameters& p) { return !thelen(p); }

// Actuator.cpp / PathActuator.cpp properties shared by the scalar actuators.
#define FEMUR_ACTUATOR(P)                                              \
  FEMUR_NUMBER(P, optimal_force, "optimal_force", .check = Check::Any), \
      FEMUR_NUMBER(P, min_control, "min_control", .check = Check::Any),  \
      FEMUR_NUMBER(P, max_control, "max_control", .check = Check::Any)

}  // namespace

const std::vector<Property<MuscleParameters>>& muscle_properties() {
  using P = MuscleParameters;
  static const std::vector<Property<P>> table = {
      // Muscle.cpp, PathActuator.cpp, Actuator.cpp (B.0)
      FEMUR_NUMBER(P, max_isometric_force, "max_isometric_force", .check = Check::NonNegative),
      FEMUR_NUMBER(P, optimal_fiber_length, "optimal_fiber_length", .check = Check::Positive),
      FEMUR_NUMBER(P, tendon_slack_length, "tendon_slack_length", .check = Check::Positive),
      FEMUR_NUMBER(P, pennation_angle_at_optimal, "pennation_angle_at_optimal", .old_name = "pennation_angle"),
      FEMUR_NUMBER(P, max_contraction_velocity, "max_contraction_velocity", .check = Check::Positive),
      FEMUR_BOOL(P, ignore_tendon_compliance, "ignore_tendon_compliance"),
      FEMUR_BOOL(P, ignore_activation_dynamics, "ignore_activation_dynamics"),
      FEMUR_NUMBER(P, default_activation, "default_activation"),
      FEMUR_NUMBER(P, default_fiber_length, "default_fiber_length", .applies = thelen_or_millard),
      FEMUR_NUMBER(P, min_control, "min_control"),
      FEMUR_NUMBER(P, max_control, "max_control"),
      FEMUR_NUMBER(P, optimal_force, "optimal_force"),
      // Activation dynamics (B.2)
      FEMUR_NUMBER(P, activation_time_constant, "activation_time_constant", .check = Check::Positive),
      FEMUR_NUMBER(P, deactivation_time_constant, "deactivation_time_constant", .check = Check::Positive),
      FEMUR_NUMBER(P, minimum_activation, "minimum_activation", .applies = thelen_or_millard),
      FEMUR_NUMBER(P, maximum_pennation_angle, "maximum_pennation_angle", .applies = thelen_or_millard),
      // Thelen2003Muscle (B.3)
      FEMUR_NUMBER(P, fmax_tendon_strain, "FmaxTendonStrain", .check = Check::Positive, .applies = thelen),
      FEMUR_NUMBER(P, fmax_muscle_strain, "FmaxMuscleStrain", .check = Check::Positive, .applies = thelen),
      FEMUR_NUMBER(P, kshape_active, "KshapeActive", .check = Check::Positive, .applies = thelen),
      FEMUR_NUMBER(P, kshape_passive, "KshapePassive", .check = Check::Positive, .applies = thelen),
      FEMUR_NUMBER(P, af, "Af", .check = Check::Positive, .applies = thelen),
      FEMUR_NUMBER(P, flen, "Flen", .applies = thelen),
      FEMUR_NUMBER(P, fv_linear_extrap_threshold, "fv_linear_extrap_threshold", .applies = thelen),
      // Millard2012EquilibriumMuscle and its curves (B.4); DeGroote's damping
      FEMUR_NUMBER(P, fiber_damping, "fiber_damping", .check = Check::NonNegative, .applies = millard_or_degroote),
      FEMUR_NUMBER(P, active_force_length.min_norm_active_fiber_length,
                   "ActiveForceLengthCurve/min_norm_active_fiber_length", .applies = millard),
      FEMUR_NUMBER(P, active_force_length.transition_norm_fiber_length,
                   "ActiveForceLengthCurve/transition_norm_fiber_length", .applies = millard),
      FEMUR_NUMBER(P, active_force_length.max_norm_active_fiber_length,
                   "ActiveForceLengthCurve/max_norm_active_fiber_length", .applies = millard),
      FEMUR_NUMBER(P, active_force_length.shallow_ascending_slope, "ActiveForceLengthCurve/shallow_ascending_slope",
                   .applies = millard),
      FEMUR_NUMBER(P, active_force_length.minimum_value, "ActiveForceLengthCurve/minimum_value", .applies = millard),
      FEMUR_NUMBER(P, force_velocity.concentric_slope_at_vmax, "ForceVelocityCurve/concentric_slope_at_vmax",
                   .applies = millard),
      FEMUR_NUMBER(P, force_velocity.concentric_slope_near_vmax, "ForceVelocityCurve/concentric_slope_near_vmax",
                   .applies = millard),
      FEMUR_NUMBER(P, force_velocity.isometric_slope, "ForceVelocityCurve/isometric_slope", .applies = millard),
      FEMUR_NUMBER(P, force_velocity.eccentric_slope_at_vmax, "ForceVelocityCurve/eccentric_slope_at_vmax",
                   .applies = millard),
      FEMUR_NUMBER(P, force_velocity.eccentric_slope_near_vmax, "ForceVelocityCurve/eccentric_slope_near_vmax",
                   .applies = millard),
      FEMUR_NUMBER(P, force_velocity.max_eccentric_velocity_force_multiplier,
                   "ForceVelocityCurve/max_eccentric_velocity_force_multiplier", .applies = millard),
      FEMUR_NUMBER(P, force_velocity.concentric_curviness, "ForceVelocityCurve/concentric_curviness",
                   .applies = millard),
      FEMUR_NUMBER(P, force_velocity.eccentric_curviness, "ForceVelocityCurve/eccentric_curviness",
                   .applies = millard),
      FEMUR_NUMBER(P, fiber_force_length.strain_at_zero_force, "FiberForceLengthCurve/strain_at_zero_force",
                   .applies = millard),
      FEMUR_NUMBER(P, fiber_force_length.strain_at_one_norm_force, "FiberForceLengthCurve/strain_at_one_norm_force",
                   .applies = millard),
      FEMUR_OPTIONAL(P, fiber_force_length.stiffness_at_low_force, "FiberForceLengthCurve/stiffness_at_low_force",
                     .applies = millard),
      FEMUR_OPTIONAL(P, fiber_force_length.stiffness_at_one_norm_force,
                     "FiberForceLengthCurve/stiffness_at_one_norm_force", .applies = millard),
      FEMUR_OPTIONAL(P, fiber_force_length.curviness, "FiberForceLengthCurve/curviness", .applies = millard),
      FEMUR_NUMBER(P, tendon_force_length.strain_at_one_norm_force, "TendonForceLengthCurve/strain_at_one_norm_force",
                   .applies = millard),
      FEMUR_OPTIONAL(P, tendon_force_length.stiffness_at_one_norm_force,
                     "TendonForceLengthCurve/stiffness_at_one_norm_force", .applies = millard),
      FEMUR_OPTIONAL(P, tendon_force_length.norm_force_at_toe_end, "TendonForceLengthCurve/norm_force_at_toe_end",
                     .applies = millard),
      FEMUR_OPTIONAL(P, tendon_force_length.curviness, "TendonForceLengthCurve/curviness", .applies = millard),
      // DeGrooteFregly2016Muscle (B.5)
      FEMUR_NUMBER(P, active_force_width_scale, "active_force_width_scale", .applies = degroote),
      FEMUR_NUMBER(P, passive_fiber_strain_at_one_norm_force, "passive_fiber_strain_at_one_norm_force",
                   .check = Check::Positive, .applies = degroote),
      FEMUR_NUMBER(P, tendon_strain_at_one_norm_force, "tendon_strain_at_one_norm_force", .check = Check::Positive,
                   .applies = degroote),
      FEMUR_NUMBER(P, default_normalized_tendon_force, "default_normalized_tendon_force", .applies = degroote),
      FEMUR_BOOL(P, ignore_passive_fiber_force, "ignore_passive_fiber_force", .applies = degroote),
  };
  return table;
}

bool is_muscle_object(const std::string& name) {
  return name == "ActiveForceLengthCurve" || name == "ForceVelocityCurve" || name == "FiberForceLengthCurve" ||
         name == "TendonForceLengthCurve";
}

const std::vector<Property<Schutte1993Muscle>>& schutte_properties() {
  using P = Schutte1993Muscle;
  static const std::vector<Property<P>> table = {
      FEMUR_NUMBER(P, max_isometric_force, "max_isometric_force", .check = Check::NonNegative),
      FEMUR_NUMBER(P, optimal_fiber_length, "optimal_fiber_length", .check = Check::Positive),
      FEMUR_NUMBER(P, tendon_slack_length, "tendon_slack_length", .check = Check::Positive),
      FEMUR_NUMBER(P, pennation_angle_at_optimal, "pennation_angle_at_optimal", .old_name = "pennation_angle"),
      FEMUR_NUMBER(P, max_contraction_velocity, "max_contraction_velocity", .check = Check::Positive),
      FEMUR_ACTUATOR(P),
      FEMUR_NUMBER(P, time_scale, "time_scale", .check = Check::Positive),
      FEMUR_NUMBER(P, activation1, "activation1"),
      FEMUR_NUMBER(P, activation2, "activation2"),
      FEMUR_NUMBER(P, damping, "damping", .check = Check::NonNegative),
  };
  return table;
}

const std::vector<Property<CoordinateActuator>>& coordinate_actuator_properties() {
  using P = CoordinateActuator;
  static const std::vector<Property<P>> table = {FEMUR_ACTUATOR(P)};
  return table;
}

const std::vector<Property<ActivationCoordinateActuator>>& activation_coordinate_actuator_properties() {
  using P = ActivationCoordinateActuator;
  static const std::vector<Property<P>> table = {
      FEMUR_ACTUATOR(P),
      FEMUR_NUMBER(P, activation_time_constant, "activation_time_constant", .check = Check::Positive),
      FEMUR_NUMBER(P, default_activation, "default_activation"),
  };
  return table;
}

const std::vector<Property<PointActuator>>& point_actuator_properties() {
  using P = PointActuator;
  static const std::vector<Property<P>> table = {
      FEMUR_VEC3(P, point, "point"),
      FEMUR_BOOL(P, point_is_global, "point_is_global"),
      FEMUR_VEC3(P, direction, "direction"),
      FEMUR_BOOL(P, force_is_global, "force_is_global"),
      FEMUR_ACTUATOR(P),
  };
  return table;
}

const std::vector<Property<TorqueActuator>>& torque_actuator_properties() {
  using P = TorqueActuator;
  static const std::vector<Property<P>> table = {
      FEMUR_VEC3(P, axis, "axis"),
      FEMUR_BOOL(P, torque_is_global, "torque_is_global"),
      FEMUR_ACTUATOR(P),
  };
  return table;
}

const std::vector<Property<PathActuator>>& path_actuator_properties() {
  using P = PathActuator;
  static const std::vector<Property<P>> table = {FEMUR_ACTUATOR(P)};
  return table;
}

const std::vector<Property<CoordinateLimitForce>>& coordinate_limit_properties() {
  using P = CoordinateLimitForce;
  static const std::vector<Property<P>> table = {
      FEMUR_NUMBER(P, upper_stiffness, "upper_stiffness", .check = Check::NonNegative),
      FEMUR_NUMBER(P, upper_limit, "upper_limit"),
      FEMUR_NUMBER(P, lower_stiffness, "lower_stiffness", .check = Check::NonNegative),
      FEMUR_NUMBER(P, lower_limit, "lower_limit"),
      FEMUR_NUMBER(P, damping, "damping", .check = Check::NonNegative),
      FEMUR_NUMBER(P, transition, "transition", .check = Check::Positive),
      FEMUR_BOOL(P, compute_dissipation_energy, "compute_dissipation_energy"),
  };
  return table;
}

const std::vector<Property<PathSpring>>& path_spring_properties() {
  using P = PathSpring;
  // PathSpring::extendFinalizeFromProperties asserts resting_length > 0.
  static const std::vector<Property<P>> table = {
      FEMUR_NUMBER(P, resting_length, "resting_length", .check = Check::Positive, .required = true),
      FEMUR_NUMBER(P, stiffness, "stiffness", .check = Check::NonNegative, .required = true),
      FEMUR_NUMBER(P, dissipation, "dissipation", .check = Check::NonNegative, .required = true),
  };
  return table;
}

const std::vector<Property<SpringGeneralizedForce>>& spring_generalized_properties() {
  using P = SpringGeneralizedForce;
  static const std::vector<Property<P>> table = {
      FEMUR_NUMBER(P, stiffness, "stiffness"),
      FEMUR_NUMBER(P, rest_length, "rest_length"),
      FEMUR_NUMBER(P, viscosity, "viscosity"),
  };
  return table;
}

const std::vector<Property<PointToPointSpring>>& point_to_point_spring_properties() {
  using P = PointToPointSpring;
  static const std::vector<Property<P>> table = {
      FEMUR_VEC3(P, point1, "point1"),
      FEMUR_VEC3(P, point2, "point2"),
      FEMUR_NUMBER(P, stiffness, "stiffness"),
      FEMUR_NUMBER(P, rest_length, "rest_length", .check = Check::NonNegative),
  };
  return table;
}

const std::vector<Property<ExpressionBasedCoordinateForce>>& expression_force_properties() {
  using P = ExpressionBasedCoordinateForce;
  static const std::vector<Property<P>> table = {FEMUR_TEXT(P, expression, "expression")};
  return table;
}

const std::vector<Property<PrescribedForce>>& prescribed_force_properties() {
  using P = PrescribedForce;
  static const std::vector<Property<P>> table = {
      FEMUR_BOOL(P, point_is_global, "pointIsGlobal"),
      FEMUR_BOOL(P, force_is_global, "forceIsGlobal"),
  };
  return table;
}

const std::vector<Property<SmoothSphereHalfSpaceForce>>& smooth_sphere_properties() {
  using P = SmoothSphereHalfSpaceForce;
  static const std::vector<Property<P>> table = {
      FEMUR_NUMBER(P, stiffness, "stiffness", .check = Check::NonNegative),
      FEMUR_NUMBER(P, dissipation, "dissipation", .check = Check::NonNegative),
      FEMUR_NUMBER(P, static_friction, "static_friction", .check = Check::NonNegative),
      FEMUR_NUMBER(P, dynamic_friction, "dynamic_friction", .check = Check::NonNegative),
      FEMUR_NUMBER(P, viscous_friction, "viscous_friction", .check = Check::NonNegative),
      FEMUR_NUMBER(P, transition_velocity, "transition_velocity", .check = Check::Positive),
      // Moco's SmoothSphereHalfSpaceForce (opensim-moco, before 4.1) named it derivative_smoothing.
      FEMUR_NUMBER(P, constant_contact_force, "constant_contact_force", .check = Check::NonNegative,
                   .old_name = "derivative_smoothing"),
      FEMUR_NUMBER(P, hertz_smoothing, "hertz_smoothing", .check = Check::Positive),
      FEMUR_NUMBER(P, hunt_crossley_smoothing, "hunt_crossley_smoothing", .check = Check::Positive),
  };
  return table;
}

const std::vector<Property<HuntCrossleyForce>>& hunt_crossley_properties() {
  using P = HuntCrossleyForce;
  static const std::vector<Property<P>> table = {
      FEMUR_NUMBER(P, transition_velocity, "transition_velocity", .check = Check::Positive),
  };
  return table;
}

const std::vector<Property<HuntCrossleyForce::ContactParameters>>& contact_parameters_properties() {
  using P = HuntCrossleyForce::ContactParameters;
  static const std::vector<Property<P>> table = {
      FEMUR_NUMBER(P, stiffness, "stiffness", .check = Check::NonNegative),
      FEMUR_NUMBER(P, dissipation, "dissipation", .check = Check::NonNegative),
      FEMUR_NUMBER(P, static_friction, "static_friction", .check = Check::NonNegative),
      FEMUR_NUMBER(P, dynamic_friction, "dynamic_friction", .check = Check::NonNegative),
      FEMUR_NUMBER(P, viscous_friction, "viscous_friction", .check = Check::NonNegative),
  };
  return table;
}

const std::vector<Property<ControlSetController>>& control_set_controller_properties() {
  using P = ControlSetController;
  static const std::vector<Property<P>> table = {FEMUR_TEXT(P, controls_file, "controls_file")};
  return table;
}

const std::vector<Property<PrescribedController>>& prescribed_controller_properties() {
  using P = PrescribedController;
  static const std::vector<Property<P>> table = {FEMUR_TEXT(P, controls_file, "controls_file")};
  return table;
}

std::string number_text(double v) {
  if (v == 0.0) return "0";
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace femur::io::osim
