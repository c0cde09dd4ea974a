// The scalar properties of each typed part, as .osim files name them: one table per OpenSim
// class, read by osim_forces.cpp (parse, check, assign, remember it was given) and written
// back by osim_writer.cpp (a property the file gave, or one whose value is not OpenSim's
// default). Names, older names and defaults follow each class's constructProperties (files
// cited in model/forces.hpp and model/muscle_parameters.hpp). Private to src/io.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "femur/model/forces.hpp"

namespace femur::io::osim {

// What a value must satisfy; the reader reports the first violation at the property's line.
enum class Check { Any, NonNegative, Positive };

// One property of a part P: its name in the file ("Object/leaf" for a property of a nested
// object such as a Millard muscle's ActiveForceLengthCurve), an older spelling, and exactly one
// accessor for its value.
template <class P>
struct Property {
  const char* name = nullptr;
  double& (*number)(P&) = nullptr;
  bool& (*boolean)(P&) = nullptr;
  Vec3& (*vec3)(P&) = nullptr;
  std::optional<double>& (*optional)(P&) = nullptr;
  std::string& (*text)(P&) = nullptr;
  Check check = Check::Any;
  const char* old_name = nullptr;
  bool required = false;                        // OpenSim's default is NaN: the file must set it
  bool (*applies)(const P&) = nullptr;          // null: every part of this type has it
};

// The table of each part type (typed parts whose properties are all scalars; references to
// bodies, coordinates, geometry and functions are read by hand).
const std::vector<Property<MuscleParameters>>& muscle_properties();
const std::vector<Property<Schutte1993Muscle>>& schutte_properties();
const std::vector<Property<CoordinateActuator>>& coordinate_actuator_properties();
const std::vector<Property<ActivationCoordinateActuator>>& activation_coordinate_actuator_properties();
const std::vector<Property<PointActuator>>& point_actuator_properties();
const std::vector<Property<TorqueActuator>>& torque_actuator_properties();
const std::vector<Property<PathActuator>>& path_actuator_properties();
const std::vector<Property<CoordinateLimitForce>>& coordinate_limit_properties();
const std::vector<Property<PathSpring>>& path_spring_properties();
const std::vector<Property<SpringGeneralizedForce>>& spring_generalized_properties();
const std::vector<Property<PointToPointSpring>>& point_to_point_spring_properties();
const std::vector<Property<ExpressionBasedCoordinateForce>>& expression_force_properties();
const std::vector<Property<PrescribedForce>>& prescribed_force_properties();
const std::vector<Property<SmoothSphereHalfSpaceForce>>& smooth_sphere_properties();
const std::vector<Property<HuntCrossleyForce>>& hunt_crossley_properties();
const std::vector<Property<HuntCrossleyForce::ContactParameters>>& contact_parameters_properties();
const std::vector<Property<ControlSetController>>& control_set_controller_properties();
const std::vector<Property<PrescribedController>>& prescribed_controller_properties();

// The nested objects of a muscle (a Millard muscle's curves): an empty <FiberForceLengthCurve/>
// is an object with all its defaults, not an unknown property.
bool is_muscle_object(const std::string& name);

// Text of a number as femur writes it: the shortest that reads back exactly (C++17
// to_chars); "Inf", "-Inf", "NaN" as SimTK writes them; negative zero as "0".
std::string number_text(double v);

// The text of each property of `part` to write back: those named in `given`, and those whose
// value differs from `defaults` (NaN equal to NaN). Keys are the table's names.
template <class P>
void property_texts(const std::vector<Property<P>>& table, const P& part, const P& defaults,
                    const std::vector<std::string>& given, std::vector<std::pair<std::string, std::string>>& out) {
  P value = part, fallback = defaults;  // accessors take mutable parts
  const auto same = [](double a, double b) { return a == b || (a != a && b != b); };
  for (const Property<P>& prop : table) {
    if (prop.applies && !prop.applies(part)) continue;
    bool is_given = false;
    for (const std::string& g : given) is_given = is_given || g == prop.name;
    std::string text;
    bool differs = false;
    if (prop.number) {
      text = number_text(prop.number(value));
      differs = !same(prop.number(value), prop.number(fallback));
    } else if (prop.boolean) {
      text = prop.boolean(value) ? "true" : "false";
      differs = prop.boolean(value) != prop.boolean(fallback);
    } else if (prop.vec3) {
      const Vec3& v = prop.vec3(value);
      text = number_text(v.x()) + " " + number_text(v.y()) + " " + number_text(v.z());
      differs = v != prop.vec3(fallback);
    } else if (prop.optional) {
      const auto& v = prop.optional(value);
      text = v ? number_text(*v) : std::string();
      differs = v.has_value() != prop.optional(fallback).has_value() || (v && !same(*v, *prop.optional(fallback)));
    } else if (prop.text) {
      text = prop.text(value);
      differs = text != prop.text(fallback);
    }
    if (is_given || differs) out.emplace_back(prop.name, std::move(text));
  }
}

}  // namespace femur::io::osim
