// The typed parts of a model: force elements, contact geometry and controllers, one plain
// struct per OpenSim class. The reader parses and checks every property once (numbers in the
// units OpenSim reads them), ModelBuilder::build() resolves the names they refer to into
// indices; after that nothing reads text. An element femur has no part for is still kept
// (std::monostate, with its XML for the writer), listed and warned about.
//
//   for (const ForceElement& f : model.forces)
//     if (const auto* a = std::get_if<CoordinateActuator>(&f.part)) tau[a->coordinate] += ...;
#pragma once

#include <array>
#include <limits>
#include <string>
#include <variant>
#include <vector>

#include "femur/math/spatial.hpp"
#include "femur/model/muscle_parameters.hpp"
#include "femur/model/paths.hpp"

namespace femur {

// ---- Actuators (OpenSim/Simulation/Model/Actuator.cpp: min_control -inf, max_control +inf;
// the scalar actuation times optimal_force is the force).

// CoordinateActuator (OpenSim/Actuators/CoordinateActuator.cpp; 3.x GeneralizedForce):
// a generalized force on one coordinate.
struct CoordinateActuator {
  int coordinate = -1;  // index into Model::coordinates
  double optimal_force = 1.0;
  double min_control = -std::numeric_limits<double>::infinity();
  double max_control = std::numeric_limits<double>::infinity();
  friend bool operator==(const CoordinateActuator&, const CoordinateActuator&) = default;
};

// ActivationCoordinateActuator (OpenSim/Actuators/ActivationCoordinateActuator.cpp): a
// CoordinateActuator with first-order activation dynamics.
struct ActivationCoordinateActuator : CoordinateActuator {
  double activation_time_constant = 0.01;
  double default_activation = 0.5;
  friend bool operator==(const ActivationCoordinateActuator&, const ActivationCoordinateActuator&) = default;
};

// PointActuator (OpenSim/Actuators/PointActuator.cpp; 3.x Force): actuation x
// unit(direction) at `point` of `body`; direction in ground if force_is_global, else in the
// body; point in ground (fixed in ground) if point_is_global, else in the body.
struct PointActuator {
  int body = -1;
  Vec3 point = Vec3::Zero();
  bool point_is_global = false;
  Vec3 direction = Vec3::UnitX();
  bool force_is_global = false;
  double optimal_force = 1.0;
  double min_control = -std::numeric_limits<double>::infinity();
  double max_control = std::numeric_limits<double>::infinity();
  friend bool operator==(const PointActuator&, const PointActuator&) = default;
};

// TorqueActuator (OpenSim/Actuators/TorqueActuator.cpp; 3.x Torque): actuation x unit(axis)
// on body_a, the opposite on body_b; axis in ground if torque_is_global, else in body_a.
struct TorqueActuator {
  int body_a = -1, body_b = -1;
  Vec3 axis = Vec3::UnitX();
  bool torque_is_global = true;
  double optimal_force = 1.0;
  double min_control = -std::numeric_limits<double>::infinity();
  double max_control = std::numeric_limits<double>::infinity();
  friend bool operator==(const TorqueActuator&, const TorqueActuator&) = default;
};

// PathActuator (OpenSim/Simulation/Model/PathActuator.cpp): a tension along its path.
struct PathActuator {
  double optimal_force = 1.0;
  double min_control = -std::numeric_limits<double>::infinity();
  double max_control = std::numeric_limits<double>::infinity();
  friend bool operator==(const PathActuator&, const PathActuator&) = default;
};

// Schutte1993Muscle (3.x name of Schutte1993Muscle_Deprecated, OpenSim/Actuators/
// Schutte1993Muscle_Deprecated.cpp): read so that it is listed, scaled and written back;
// femur does not evaluate this muscle model. The curves are indices into Model::functions
// (-1: OpenSim's built-in curve).
struct Schutte1993Muscle {
  double max_isometric_force = 1000.0, optimal_fiber_length = 0.1, tendon_slack_length = 0.2;
  double pennation_angle_at_optimal = 0.0, max_contraction_velocity = 10.0;
  double optimal_force = 1.0, min_control = 0.0, max_control = 1.0;
  double time_scale = 0.1, activation1 = 7.667, activation2 = 1.459854, damping = 0.1;
  int tendon_force_length_curve = -1, active_force_length_curve = -1, passive_force_length_curve = -1;
  friend bool operator==(const Schutte1993Muscle&, const Schutte1993Muscle&) = default;
};

// ---- Forces of the state alone

// CoordinateLimitForce (OpenSim/Simulation/Model/CoordinateLimitForce.cpp), in the units of
// the file: degrees and N m/degree for a rotational coordinate (the muscle layer converts).
struct CoordinateLimitForce {
  int coordinate = -1;
  double upper_stiffness = 1.0, upper_limit = 0.0;
  double lower_stiffness = 1.0, lower_limit = 0.0;
  double damping = 0.001, transition = 0.1;
  bool compute_dissipation_energy = false;
  friend bool operator==(const CoordinateLimitForce&, const CoordinateLimitForce&) = default;
};

// PathSpring (OpenSim/Simulation/Model/PathSpring.cpp): tension = stiffness x max(L -
// resting_length, 0) x (1 + dissipation x Ldot) along its GeometryPath. The three properties
// have no default (NaN in OpenSim): the reader requires them.
struct PathSpring {
  double resting_length = std::numeric_limits<double>::quiet_NaN();
  double stiffness = std::numeric_limits<double>::quiet_NaN();
  double dissipation = std::numeric_limits<double>::quiet_NaN();
  friend bool operator==(const PathSpring&, const PathSpring&) = default;
};

// SpringGeneralizedForce (OpenSim/Actuators/SpringGeneralizedForce.cpp):
// f = -stiffness (q - rest_length) - viscosity qdot.
struct SpringGeneralizedForce {
  int coordinate = -1;
  double stiffness = 0.0, rest_length = 0.0, viscosity = 0.0;
  friend bool operator==(const SpringGeneralizedForce&, const SpringGeneralizedForce&) = default;
};

// PointToPointSpring (OpenSim/Simulation/Model/PointToPointSpring.cpp): a linear spring
// between point1 of body1 and point2 of body2 (points in their body frames).
struct PointToPointSpring {
  int body1 = -1, body2 = -1;
  Vec3 point1 = Vec3::Zero(), point2 = Vec3::Zero();
  double stiffness = 1.0, rest_length = 0.0;
  friend bool operator==(const PointToPointSpring&, const PointToPointSpring&) = default;
};

// ExpressionBasedCoordinateForce (OpenSim/Simulation/Model/
// ExpressionBasedCoordinateForce.cpp): a generalized force given by an expression of the
// coordinate value `q` and speed `qdot` (whitespace is removed, as OpenSim does).
struct ExpressionBasedCoordinateForce {
  int coordinate = -1;
  std::string expression = "0.0";
  friend bool operator==(const ExpressionBasedCoordinateForce&, const ExpressionBasedCoordinateForce&) = default;
};

// PrescribedForce (OpenSim/Simulation/Model/PrescribedForce.cpp): force, point and torque on
// `body` as functions of time, each all three components or none (indices into
// Model::functions, -1: none). Force and torque in ground if force_is_global, else in the
// body; point in ground if point_is_global, else in the body.
struct PrescribedForce {
  int body = -1;
  std::array<int, 3> force_functions{-1, -1, -1};
  std::array<int, 3> point_functions{-1, -1, -1};
  std::array<int, 3> torque_functions{-1, -1, -1};
  bool force_is_global = true;
  bool point_is_global = false;
  friend bool operator==(const PrescribedForce&, const PrescribedForce&) = default;
};

// ---- Contact

// SmoothSphereHalfSpaceForce (OpenSim/Simulation/Model/SmoothSphereHalfSpaceForce.cpp;
// Serrancoli et al. 2019): between one ContactSphere and one ContactHalfSpace.
struct SmoothSphereHalfSpaceForce {
  int sphere = -1, half_space = -1;  // indices into Model::contact_geometry
  double stiffness = 1.0, dissipation = 0.0;
  double static_friction = 0.0, dynamic_friction = 0.0, viscous_friction = 0.0;
  double transition_velocity = 0.01;
  double constant_contact_force = 1e-5;  // Moco's older files: derivative_smoothing
  double hertz_smoothing = 300.0, hunt_crossley_smoothing = 50.0;
  friend bool operator==(const SmoothSphereHalfSpaceForce&, const SmoothSphereHalfSpaceForce&) = default;
};

// HuntCrossleyForce (OpenSim/Simulation/Model/HuntCrossleyForce.cpp): Hertz contact between
// the geometry of each parameter set.
struct HuntCrossleyForce {
  struct ContactParameters {
    std::vector<int> geometry;  // indices into Model::contact_geometry
    double stiffness = 0.0, dissipation = 0.0;
    double static_friction = 0.0, dynamic_friction = 0.0, viscous_friction = 0.0;
    friend bool operator==(const ContactParameters&, const ContactParameters&) = default;
  };
  std::vector<ContactParameters> contact_parameters;
  double transition_velocity = 0.01;
  friend bool operator==(const HuntCrossleyForce&, const HuntCrossleyForce&) = default;
};

// ---- Force elements

using ForcePart =
    std::variant<std::monostate, MuscleParameters, Schutte1993Muscle, CoordinateActuator,
                 ActivationCoordinateActuator, PointActuator, TorqueActuator, PathActuator,
                 CoordinateLimitForce, PathSpring, SpringGeneralizedForce, PointToPointSpring,
                 ExpressionBasedCoordinateForce, PrescribedForce, SmoothSphereHalfSpaceForce,
                 HuntCrossleyForce>;

using ForcePath = std::variant<std::monostate, GeometryPath>;

struct ForceElement {
  std::string type;  // the XML element name as written, e.g. Thelen2003Muscle, GeneralizedForce
  std::string name;
  bool applies_force = true;  // 4.0 appliesForce (3.x: not isDisabled)
  ForcePart part;             // monostate: an element femur does not model
  ForcePath path;
  std::string file;           // where it was read ("" for a model built in code)
  int line = 0;
  // Names of the properties the file set (OpenSim writes a property back when it is not at
  // its default; so does femur's writer, plus any property whose value differs from it).
  std::vector<std::string> given;
  // The element's XML as read, for an element femur does not model (written back as is).
  std::string xml;

  const GeometryPath* geometry_path() const { return std::get_if<GeometryPath>(&path); }
  GeometryPath* geometry_path() { return std::get_if<GeometryPath>(&path); }
};

// OpenSim 4's class name of a typed part ("Thelen2003Muscle", "CoordinateActuator", ...;
// 3.x names such as GeneralizedForce become their 4.0 class); the type as written for an
// element femur does not model.
std::string force_class_name(const ForceElement& force);

// Model::getMuscles() and getActuators(): muscles of every model (an unmodelled element by
// its class name), and every Actuator subclass.
bool is_muscle(const ForceElement& force);
bool is_actuator(const ForceElement& force);
// Whether femur computes this element's force: the three muscle models, the coordinate,
// point, torque and path actuators, CoordinateLimitForce, PathSpring and
// SpringGeneralizedForce. The others are read, checked, listed and written back.
bool is_simulated(const ForceElement& force);

// ---- Contact geometry (OpenSim/Simulation/Model/ContactGeometry.cpp, ContactSphere.cpp,
// ContactHalfSpace.cpp, ContactMesh.cpp)

struct ContactGeometry {
  enum class Kind { Sphere, HalfSpace, Mesh, Other };
  Kind kind = Kind::Other;
  std::string type;  // as written (ContactSphere, ...)
  std::string name;
  int body = 0;                     // index into Model::bodies
  Vec3 location = Vec3::Zero();     // in the body frame (an offset frame folded in)
  Vec3 orientation = Vec3::Zero();  // body-fixed X-Y-Z angles, in the body frame
  double radius = 0.0;              // Sphere
  std::string mesh_file;            // Mesh
  std::string file;
  int line = 0;
  std::vector<std::string> given;
  std::string xml;  // Other: as read
};

// ---- Controllers (OpenSim/Simulation/Control/Controller.cpp, ControlSetController.cpp,
// PrescribedController.cpp)

// Controls from a file (a ControlSet, e.g. CMC's output) for the listed actuators.
struct ControlSetController {
  std::string controls_file;
  friend bool operator==(const ControlSetController&, const ControlSetController&) = default;
};

// One function of time per actuator (indices into Model::functions), or a controls file.
struct PrescribedController {
  std::vector<int> control_functions;
  std::string controls_file;
  int interpolation_method = -1;  // -1: not given
  friend bool operator==(const PrescribedController&, const PrescribedController&) = default;
};

using ControllerPart = std::variant<std::monostate, ControlSetController, PrescribedController>;

struct Controller {
  std::string type, name;
  bool enabled = true;         // 4.5 enabled (before: not isDisabled)
  std::vector<int> actuators;  // indices into Model::forces
  ControllerPart part;
  std::string file;
  int line = 0;
  std::vector<std::string> given;
  std::string xml;  // monostate: as read
};

}  // namespace femur
