// The Model: bodies, joints, coordinates, constraints, markers, and the typed forces, paths,
// wrap objects, contact geometry and controllers of a musculoskeletal model (forces.hpp,
// paths.hpp, wrap_object.hpp). Immutable once ModelBuilder::build() returns it; shared
// read-only by every thread. Per-evaluation buffers live in Data.
//
// Conventions (OpenSim's, OPENSIM-NOTES.md 1.3): every joint connects a parent frame F,
// fixed in the parent body, to a child frame M, fixed in the child body, and X_F_M(q) is
// the joint transform. Internally each body's kinematics are carried in its joint frame M
// (Pinocchio's habit: the inertia is stored in M once, so the recursion needs one
// transform per joint); Body::X_body_M turns it back into the body frame.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "femur/math/function.hpp"
#include "femur/math/spatial.hpp"
#include "femur/model/forces.hpp"
#include "femur/model/paths.hpp"
#include "femur/model/tree.hpp"
#include "femur/model/wrap_object.hpp"

namespace femur {

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
  std::vector<ForceElement> forces;        // ForceSet order, then forces found elsewhere
  std::vector<WrapObject> wrap_objects;
  std::vector<ContactGeometry> contact_geometry;
  std::vector<Controller> controllers;
  PathSet paths;  // every GeometryPath of `forces`, compiled (paths.hpp)

  int nq = 0;  // number of coordinates (= generalized speeds: q-dot = u for every joint)
  int nv = 0;

  int body_index(const std::string& name) const;        // -1 if absent
  int coordinate_index(const std::string& name) const;  // -1 if absent
  int joint_index(const std::string& name) const;
  int marker_index(const std::string& name) const;
  int force_index(const std::string& name) const;
  int wrap_object_index(const std::string& name) const;
  int contact_geometry_index(const std::string& name) const;

  // Coordinate default values as a vector (radians, metres).
  Eigen::VectorXd default_q() const;
};

}  // namespace femur
