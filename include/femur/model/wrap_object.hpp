// Wrap objects of a model (OpenSim/Simulation/Wrap/WrapObject.cpp, WrapCylinder.cpp,
// WrapSphere.cpp, WrapEllipsoid.cpp, WrapTorus.cpp; OPENSIM-NOTES.md A.4): a cylinder,
// sphere, ellipsoid or torus fixed to a body, its sizes in metres, parsed and checked once by
// the reader. WrapSurface is the pure geometry the wrapping algorithms use (muscle/
// wrap_geometry.hpp); a WrapObject is a WrapSurface plus what the file said about its frame.
#pragma once

#include <string>

#include "femur/math/spatial.hpp"

namespace femur {

// PathWrap `method` (only WrapEllipsoid uses it to choose the wrap plane; A.2).
enum class WrapMethod { Hybrid, Midpoint, Axial };

// `quadrant`: axis 0/1/2 = x/y/z with sign +1/-1; axis -1 (sign 0) = "all" (unconstrained).
struct WrapQuadrant {
  int axis = -1;
  int sign = 0;
  bool constrained() const { return axis >= 0; }
  friend bool operator==(const WrapQuadrant&, const WrapQuadrant&) = default;
};

// One wrap surface. Lengths in metres, in the wrap frame.
struct WrapSurface {
  enum class Kind { Cylinder, Sphere, Ellipsoid, Torus };
  Kind kind = Kind::Cylinder;
  std::string name;
  double radius = 1.0;                      // Cylinder, Sphere
  double length = 1.0;                      // Cylinder (along local z, centred)
  Vec3 dimensions = Vec3::Ones();           // Ellipsoid semi-axes
  double inner_radius = 0.0, outer_radius = 0.0;  // Torus
  WrapQuadrant quadrant;
  bool active = true;
  int body = 0;                             // index into Model::bodies
  Transform X_body_wrap;                    // wrap frame in the body frame
};

struct WrapOptions {
  WrapMethod method = WrapMethod::Hybrid;
  // OpenSim's WrapResult::singleWrap is false when the path has more than one PathWrap
  // (active or not; GeometryPath.cpp sets it to PathWrapSet size == 1). Then WrapCylinder
  // (and WrapTorus through its cylinder) slides the tangent points until the straight parts
  // meet the helix within 0.1 degree (WrapCylinder::_make_spiral_path). The path compiler
  // sets this to (number of PathWraps on the path > 1).
  bool adjust_cylinder_tangency = false;
};

// A wrap object of the model: the surface, with its frame as the file wrote it
// (X_body_wrap = (body_fixed_xyz(xyz_body_rotation), translation), set by the builder).
struct WrapObject : WrapSurface {
  Vec3 translation = Vec3::Zero();
  Vec3 xyz_body_rotation = Vec3::Zero();
  std::string file;
  int line = 0;
};

// "WrapCylinder", "WrapSphere", "WrapEllipsoid", "WrapTorus".
const char* wrap_kind_name(WrapSurface::Kind kind);
// OpenSim's spelling of a quadrant as femur writes it: "all", "x", "-x", ... "-z".
const char* wrap_quadrant_name(WrapQuadrant quadrant);
// "hybrid", "midpoint", "axial".
const char* wrap_method_name(WrapMethod method);

}  // namespace femur
