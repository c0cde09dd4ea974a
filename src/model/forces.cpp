// Class names and categories of the typed force elements (OpenSim 4 class names; 3.x names
// are renamed as OpenSim/Actuators/RegisterTypes_osimActuators.cpp does).
#include "femur/model/forces.hpp"
#include "femur/model/overload.hpp"

namespace femur {

std::string force_class_name(const ForceElement& force) {
  return std::visit(
      Overload{[&](const std::monostate&) { return force.type; },
               [](const MuscleParameters& p) { return std::string(muscle_kind_name(p.kind)); },
               [](const Schutte1993Muscle&) { return std::string("Schutte1993Muscle_Deprecated"); },
               [](const CoordinateActuator&) { return std::string("CoordinateActuator"); },
               [](const ActivationCoordinateActuator&) { return std::string("ActivationCoordinateActuator"); },
               [](const PointActuator&) { return std::string("PointActuator"); },
               [](const TorqueActuator&) { return std::string("TorqueActuator"); },
               [](const PathActuator&) { return std::string("PathActuator"); },
               [](const CoordinateLimitForce&) { return std::string("CoordinateLimitForce"); },
               [](const PathSpring&) { return std::string("PathSpring"); },
               [](const SpringGeneralizedForce&) { return std::string("SpringGeneralizedForce"); },
               [](const PointToPointSpring&) { return std::string("PointToPointSpring"); },
               [](const ExpressionBasedCoordinateForce&) { return std::string("ExpressionBasedCoordinateForce"); },
               [](const PrescribedForce&) { return std::string("PrescribedForce"); },
               [](const SmoothSphereHalfSpaceForce&) { return std::string("SmoothSphereHalfSpaceForce"); },
               [](const HuntCrossleyForce&) { return std::string("HuntCrossleyForce"); }},
      force.part);
}

bool is_muscle(const ForceElement& force) {
  if (std::holds_alternative<MuscleParameters>(force.part) || std::holds_alternative<Schutte1993Muscle>(force.part))
    return true;
  // OpenSim names every Muscle subclass "...Muscle..." (RigidTendonMuscle, McKibben is not one).
  return std::holds_alternative<std::monostate>(force.part) && force.type.find("Muscle") != std::string::npos;
}

bool is_actuator(const ForceElement& force) {
  switch (force.part.index()) {
    case 0:  // not modelled: every Actuator subclass is named "...Actuator" or "...Muscle"
      return is_muscle(force) || force.type.find("Actuator") != std::string::npos;
    default:
      return std::holds_alternative<MuscleParameters>(force.part) ||
             std::holds_alternative<Schutte1993Muscle>(force.part) ||
             std::holds_alternative<CoordinateActuator>(force.part) ||
             std::holds_alternative<ActivationCoordinateActuator>(force.part) ||
             std::holds_alternative<PointActuator>(force.part) ||
             std::holds_alternative<TorqueActuator>(force.part) ||
             std::holds_alternative<PathActuator>(force.part);
  }
}

bool is_simulated(const ForceElement& force) {
  return std::holds_alternative<MuscleParameters>(force.part) ||
         std::holds_alternative<CoordinateActuator>(force.part) ||
         std::holds_alternative<ActivationCoordinateActuator>(force.part) ||
         std::holds_alternative<PointActuator>(force.part) ||
         std::holds_alternative<TorqueActuator>(force.part) ||
         std::holds_alternative<PathActuator>(force.part) ||
         std::holds_alternative<CoordinateLimitForce>(force.part) ||
         std::holds_alternative<PathSpring>(force.part) ||
         std::holds_alternative<SpringGeneralizedForce>(force.part);
}

}  // namespace femur
