// OpenSim's muscle defaults and the checks it applies to muscle properties
// (OPENSIM-NOTES.md B.0-B.5; OpenSim/Simulation/Model/Muscle.cpp, OpenSim/Actuators/
// Thelen2003Muscle.cpp, Millard2012EquilibriumMuscle.cpp, DeGrooteFregly2016Muscle.cpp and
// the curve classes' constructProperties).
#include "femur/model/muscle_parameters.hpp"

#include <numbers>
#include <stdexcept>
#include <string>

namespace femur {

std::string_view muscle_kind_name(MuscleKind kind) {
  switch (kind) {
    case MuscleKind::Thelen2003: return "Thelen2003Muscle";
    case MuscleKind::Millard2012: return "Millard2012EquilibriumMuscle";
    case MuscleKind::DeGrooteFregly2016: return "DeGrooteFregly2016Muscle";
  }
  return "";
}

std::optional<MuscleKind> muscle_kind_from_type(std::string_view type) {
  if (type == "Thelen2003Muscle") return MuscleKind::Thelen2003;
  if (type == "Millard2012EquilibriumMuscle") return MuscleKind::Millard2012;
  if (type == "DeGrooteFregly2016Muscle") return MuscleKind::DeGrooteFregly2016;
  return std::nullopt;
}

MuscleParameters default_muscle_parameters(MuscleKind kind) {
  MuscleParameters p;
  p.kind = kind;
  switch (kind) {
    case MuscleKind::Thelen2003:  // Thelen2003Muscle::constructProperties (setMinControl = a_min)
      p.activation_time_constant = 0.015;
      p.deactivation_time_constant = 0.050;
      p.minimum_activation = 0.01;
      p.min_control = 0.01;
      p.default_activation = 0.05;
      break;
    case MuscleKind::Millard2012:  // Millard2012EquilibriumMuscle::constructProperties (setMinControl = a_min)
      p.activation_time_constant = 0.010;
      p.deactivation_time_constant = 0.040;
      p.minimum_activation = 0.01;
      p.min_control = 0.01;
      p.fiber_damping = 0.1;
      p.default_activation = 0.05;
      break;
    case MuscleKind::DeGrooteFregly2016:  // DeGrooteFregly2016Muscle::constructProperties
      p.activation_time_constant = 0.015;
      p.deactivation_time_constant = 0.060;
      p.minimum_activation = 0.0;
      p.fiber_damping = 0.0;
      p.default_activation = 0.5;
      break;
  }
  return p;
}

std::vector<ParameterProblem> check_muscle_parameters(const MuscleParameters& p) {
  // std::to_string keeps the messages of femur 0.1.
  std::vector<ParameterProblem> problems;
  auto fail = [&](const char* property, std::string message, bool at_load = true) {
    problems.push_back(ParameterProblem{property, std::move(message), at_load});
  };
  auto positive = [&](double v, const char* what) {
    if (!(v > 0.0) || !std::isfinite(v)) fail(what, "must be positive, got " + std::to_string(v));
  };
  auto non_negative = [&](double v, const char* what) {
    if (!(v >= 0.0) || !std::isfinite(v)) fail(what, "must not be negative, got " + std::to_string(v));
  };
  non_negative(p.max_isometric_force, "max_isometric_force");
  positive(p.optimal_fiber_length, "optimal_fiber_length");
  positive(p.tendon_slack_length, "tendon_slack_length");
  positive(p.max_contraction_velocity, "max_contraction_velocity");
  if (!(p.pennation_angle_at_optimal >= 0.0 && p.pennation_angle_at_optimal < std::numbers::pi / 2))
    fail("pennation_angle_at_optimal", "must be in [0, pi/2), got " + std::to_string(p.pennation_angle_at_optimal));
  positive(p.activation_time_constant, "activation_time_constant");
  positive(p.deactivation_time_constant, "deactivation_time_constant");
  if (!(p.minimum_activation >= 0.0 && p.minimum_activation < 1.0))
    fail("minimum_activation", "must be in [0, 1), got " + std::to_string(p.minimum_activation));
  if (!(p.min_control <= p.max_control)) fail("min_control", "must not exceed max_control");
  non_negative(p.fiber_damping, "fiber_damping");
  if (p.kind == MuscleKind::Thelen2003) {
    // Thelen2003Muscle::extendFinalizeFromProperties: minimum_activation >= 0.01.
    if (p.minimum_activation < 0.01)
      fail("minimum_activation",
           "must be at least 0.01 for Thelen2003Muscle, got " + std::to_string(p.minimum_activation), false);
    positive(p.fmax_tendon_strain, "FmaxTendonStrain");
    positive(p.fmax_muscle_strain, "FmaxMuscleStrain");
    positive(p.kshape_active, "KshapeActive");
    positive(p.kshape_passive, "KshapePassive");
    positive(p.af, "Af");
    if (!(p.flen > 1.0)) fail("Flen", "must exceed 1");
  }
  if (p.kind == MuscleKind::DeGrooteFregly2016) {
    positive(p.passive_fiber_strain_at_one_norm_force, "passive_fiber_strain_at_one_norm_force");
    positive(p.tendon_strain_at_one_norm_force, "tendon_strain_at_one_norm_force");
    if (!(p.active_force_width_scale >= 1.0)) fail("active_force_width_scale", "must be at least 1");
  }
  if (p.kind == MuscleKind::Millard2012) {
    positive(p.tendon_force_length.strain_at_one_norm_force, "TendonForceLengthCurve/strain_at_one_norm_force");
    if (!(p.fiber_force_length.strain_at_one_norm_force > p.fiber_force_length.strain_at_zero_force))
      fail("FiberForceLengthCurve/strain_at_one_norm_force", "must exceed strain_at_zero_force");
    const auto& f = p.fiber_force_length;
    const int given = f.stiffness_at_low_force.has_value() + f.stiffness_at_one_norm_force.has_value() +
                      f.curviness.has_value();
    if (given != 0 && given != 3)
      fail("FiberForceLengthCurve", "optional stiffness_at_low_force, stiffness_at_one_norm_force and "
                                    "curviness must all be set or all be empty");
    const auto& t = p.tendon_force_length;
    const int tgiven = t.stiffness_at_one_norm_force.has_value() + t.norm_force_at_toe_end.has_value() +
                       t.curviness.has_value();
    if (tgiven != 0 && tgiven != 3)
      fail("TendonForceLengthCurve", "optional stiffness_at_one_norm_force, norm_force_at_toe_end and "
                                     "curviness must all be set or all be empty");
  }
  return problems;
}

void validate_muscle_parameters(const MuscleParameters& p) {
  const auto problems = check_muscle_parameters(p);
  if (!problems.empty())
    throw std::invalid_argument("muscle '" + p.name + "': " + problems[0].property + " " + problems[0].message);
}

}  // namespace femur
