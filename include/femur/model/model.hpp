// The Model: bodies, joints, coordinates, constraints, markers and (in neutral form) the
// forces and wrap objects of a musculoskeletal model. Immutable once ModelBuilder::build()
// returns it; shared read-only by every thread. Per-evaluation buffers live in Data.
//
// Conventions (OpenSim's, OPENSIM-NOTES.md 1.3): every joint connects a parent frame F,
// fixed in the parent body, to a child frame M, fixed in the child body, and X_F_M(q) is
// the joint transform. Internally each body's kinematics are carried in its joint frame M
// (Pinocchio's habit: the inertia is stored in M once, so the recursion needs one
// transform per joint); Body::X_body_M turns it back into the body frame.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "femur/math/function.hpp"
#include "femur/math/spatial.hpp"

namespace femur {

enum class MotionType { Rotational, Translational, Coupled };

// The joint type as written in the file; all are carried as six transform axes.
enum class JointType { Weld, Pin, Slider, Universal, Ball, Gimbal, Free, Planar, Custom };
const char* joint_type_name(JointType type);

struct Coordinate {
  std::string name;
  MotionType motion_type = MotionType::Rotational;
  double default_value = 0.0;
  double default_speed = 0.0;
  double range_min = -1e300, range_max = 1e300;
  bool clamped = false;
  bool locked = false;
  bool prescribed = false;
  int joint = -1;  // index into Model::joints
};

// One axis of a CustomJoint SpatialTransform (OpenSim TransformAxis): the spatial value
// s = function(q[coordinate]) rotates about (axes 0-2) or translates along (axes 3-5) `axis`.
struct TransformAxis {
  Vec3 axis = Vec3::UnitX();  // unit vector, in F (translations) or the current rotated frame
  int function = -1;          // index into Model::functions
  int coordinate = -1;        // model coordinate index, -1 for a constant axis
  // Derived by the builder for speed: the value of a constant axis, and whether the axis
  // is +-X, +-Y or +-Z (principal = 0, 1, 2; -1 otherwise) with its sign.
  double constant_value = 0.0;
  int principal = -1;
  double principal_sign = 1.0;
  bool linear = false;  // function is slope * q + intercept (evaluated inline)
  double slope = 0.0, intercept = 0.0;
};

struct Joint {
  std::string name;
  JointType type = JointType::Custom;
  int parent_body = 0;            // index into Model::bodies (0 = ground)
  int child_body = 0;
  Transform X_parent_F;           // F in the parent body frame
  Transform X_child_M;            // M in the child body frame
  Transform X_parentM_F;          // F in the parent's joint frame M (derived)
  bool F_is_translation = false;  // X_parentM_F has no rotation (derived; skips a product)
  // The one axis that moves, when the joint is a single linear rotation with every other
  // axis constant zero (a pin about any axis; derived): its S is constant and c_J zero.
  int single_rotation_axis = -1;
  // Evaluation plan (derived by the builder), for the recursions' closed form
  // (principal_joint_motion_in_F in joint_model.hpp): set when every axis that moves or has a
  // non-zero constant value is exactly +-X, +-Y or +-Z and every such rotation is linear in
  // its coordinate (or constant). Only those axes are listed, in order; the others
  // (constant zero) are skipped.
  bool principal_plan = false;
  int n_plan_rotations = 0, n_plan_translations = 0;
  std::array<int, 3> plan_rotations{}, plan_translations{};  // indices into axes
  std::array<TransformAxis, 6> axes;  // rotation1..3, translation1..3
  int q_start = 0;                // first coordinate of this joint
  int nq = 0;                     // number of coordinates
};

struct Body {
  std::string name;
  double mass = 0.0;
  Vec3 com_in_body = Vec3::Zero();
  Mat3 inertia_about_com = Mat3::Zero();  // in the body frame
  int joint = -1;                          // joint that moves this body (-1 for ground)
  int parent = -1;                         // parent body index (-1 for ground)
  Transform X_body_M;                      // the joint frame M in the body frame (derived)
  SpatialInertia inertia_in_M;             // inertia about M's origin, in M (derived)
};

// q[dependent] = function(q[independent]) (OpenSim CoordinateCouplerConstraint).
struct CouplerConstraint {
  std::string name;
  int dependent = -1;
  std::vector<int> independent;  // one coordinate for the function kinds femur supports
  int function = -1;
};

// Any other constraint the file declares (e.g. WeldConstraint): kept for `model info`.
struct OtherConstraint {
  std::string type, name;
  int line = 0;
};

struct Marker {
  std::string name;
  int body = 0;
  Vec3 location_in_body = Vec3::Zero();
  bool fixed = false;
};

// ---- Neutral form of forces and wrap objects, for the muscle and tool layers to build on.

struct PathPoint {
  enum class Kind { Fixed, Conditional, Moving };
  std::string name;
  Kind kind = Kind::Fixed;
  int body = 0;
  Vec3 location = Vec3::Zero();  // in the body frame (Fixed, Conditional)
  int coordinate = -1;           // Conditional: the switching coordinate; Moving: the driver
  double range_min = 0.0, range_max = 0.0;  // Conditional, internal units
  std::array<int, 3> moving_functions{-1, -1, -1};  // Moving: x, y, z functions (-1 = 0)
};

struct PathWrap {
  std::string wrap_object;
  std::string method = "hybrid";
  int range_begin = -1, range_end = -1;  // 1-based into the path points, -1 = whole path
};

struct WrapObject {
  std::string type;  // WrapCylinder, WrapSphere, WrapEllipsoid, WrapTorus
  std::string name;
  int body = 0;
  Vec3 translation = Vec3::Zero();
  Vec3 xyz_body_rotation = Vec3::Zero();
  std::string quadrant = "all";
  bool active = true;
  std::map<std::string, std::string> properties;  // radius, length, dimensions, ...
  int line = 0;
};

struct ForceElement {
  std::string type;  // the XML element name, e.g. Thelen2003Muscle, CoordinateActuator
  std::string name;
  bool applies_force = true;
  std::map<std::string, std::string> properties;  // scalar properties as written
  std::vector<PathPoint> path;                     // GeometryPath points, if any
  std::vector<PathWrap> wraps;
  std::string file;
  int line = 0;
};

struct Model {
  std::string name;
  std::string source_file;
  // OpenSim's <credits> and <publications>: who made the model and what to cite (licences
  // such as CC BY ask that the credit travel with the model). Written back as read.
  std::string credits, publications;
  Vec3 gravity{0.0, -9.80665, 0.0};

  std::vector<Body> bodies;  // index 0 = ground, parents before children
  std::vector<Joint> joints; // joints[i] moves bodies[joint_child(i)]; in tree order
  std::vector<Coordinate> coordinates;  // grouped by joint, in tree order
  std::vector<Function> functions;
  std::vector<CouplerConstraint> couplers;
  std::vector<OtherConstraint> other_constraints;
  std::vector<Marker> markers;
  std::vector<ForceElement> forces;
  std::vector<WrapObject> wrap_objects;

  int nq = 0;  // number of coordinates (= generalized speeds: q-dot = u for every joint)
  int nv = 0;

  int body_index(const std::string& name) const;        // -1 if absent
  int coordinate_index(const std::string& name) const;  // -1 if absent
  int joint_index(const std::string& name) const;
  int marker_index(const std::string& name) const;

  // Coordinate default values as a vector (radians, metres).
  Eigen::VectorXd default_q() const;
};

}  // namespace femur
