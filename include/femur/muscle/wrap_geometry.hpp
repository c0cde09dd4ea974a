// Wrapping geometry of muscle paths: how a straight path segment p1 -> p2 is wrapped over a
// cylinder, sphere, ellipsoid or torus, exactly as OpenSim computes it
// (OpenSim/Simulation/Wrap/Wrap{Cylinder,Sphere,Ellipsoid,Torus}.cpp, WrapMath.cpp).
//
// Use: parse each model WrapObject once with make_wrap_surface(), then, for every candidate
// segment of a path, express both end points in the wrap frame and call wrap_segment().
// The driver (GeometryPath::applyWrapObjects, OPENSIM-NOTES A.3) lives in the paths code;
// this is pure geometry: no Model, no Data, no allocation, no exceptions in wrap_segment().
#pragma once

#include <limits>
#include <string>

#include "femur/math/spatial.hpp"
#include "femur/model/model.hpp"

namespace femur {

// OpenSim's WrapObject::WrapAction: noWrap, insideRadius, wrapped, mandatoryWrap.
enum class WrapStatus { NoWrap = 0, InsideRadius = 1, Wrapped = 2, Mandatory = 3 };

// PathWrap `method` (only WrapEllipsoid uses it to choose the wrap plane).
enum class WrapMethod { Hybrid, Midpoint, Axial };

// `quadrant`: axis 0/1/2 = x/y/z with sign +1/-1; axis -1 (sign 0) = "all" (unconstrained).
struct WrapQuadrant {
  int axis = -1;
  int sign = 0;
  bool constrained() const { return axis >= 0; }
};

// One wrap object, parsed once from the model. Lengths in metres, in the wrap frame.
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
  // meet the helix within 0.1 degree (WrapCylinder::_make_spiral_path). The driver sets
  // this to (number of PathWraps on the path > 1).
  bool adjust_cylinder_tangency = false;
};

// Result of wrapping one segment. r1, r2: tangent points in the wrap frame (r1 on the p1
// side); arc_length: length of the path on the surface between them. Meaningful only when
// status is Wrapped or Mandatory; wrapped path length = |p1-r1| + arc_length + |r2-p2|.
struct WrapPoints {
  WrapStatus status = WrapStatus::NoWrap;
  Vec3 r1 = Vec3::Zero(), r2 = Vec3::Zero();
  double arc_length = 0.0;
  Vec3 c1 = Vec3::Zero();  // what WrapHint::remember() keeps (ellipsoid plane point, normalized)
  bool wraps() const { return status == WrapStatus::Wrapped || status == WrapStatus::Mandatory; }
};

// Memory of one PathWrap between calls (OpenSim's PathWrap::previousWrap). Of everything
// OpenSim keeps there, only the ellipsoid's plane point c1 is ever read back: it survives when
// Eberly's closest-point iteration fails to converge (WrapEllipsoid.cpp). The driver keeps one
// hint per PathWrap, passes it to every wrap_segment() call of that PathWrap, and calls
// remember(result) whenever a result becomes that PathWrap's best so far (a Mandatory result,
// or a Wrapped one with a smaller length change), as GeometryPath::applyWrapObjects does with
// setPreviousWrap(). OpenSim's resetPreviousWrap() leaves c1 alone, so there is no reset.
struct WrapHint {
  Vec3 c1 = Vec3::Constant(std::numeric_limits<double>::quiet_NaN());
  void remember(const WrapPoints& result) { c1 = result.c1; }
};

// Wraps the straight segment p1 -> p2 (both in the wrap frame) over the surface.
// `hint` may be null (no memory). Never throws, never allocates.
WrapPoints wrap_segment(const WrapSurface& surface, const WrapOptions& options,
                        const Vec3& p1, const Vec3& p2, const WrapHint* hint = nullptr);

// Per-kind entry points (what wrap_segment dispatches to; they ignore `surface.kind`).
WrapPoints wrap_cylinder(const WrapSurface& surface, const Vec3& p1, const Vec3& p2,
                         bool adjust_tangency);
WrapPoints wrap_sphere(const WrapSurface& surface, const Vec3& p1, const Vec3& p2);
WrapPoints wrap_ellipsoid(const WrapSurface& surface, WrapMethod method, const Vec3& p1,
                          const Vec3& p2, const WrapHint* hint);
WrapPoints wrap_torus(const WrapSurface& surface, const Vec3& p1, const Vec3& p2,
                      bool adjust_tangency);

// Parses a model WrapObject (type WrapCylinder, WrapSphere, WrapEllipsoid or WrapTorus).
// Throws std::invalid_argument naming the object for bad properties (unknown type,
// negative radius or length, missing or non-positive ellipsoid dimensions, non-positive torus
// radii or outer <= inner, unknown quadrant, unparsable numbers).
WrapSurface make_wrap_surface(const WrapObject& object);

// Parses an OpenSim quadrant string (A.4); throws std::invalid_argument if unknown.
WrapQuadrant parse_wrap_quadrant(const std::string& quadrant);

// Parses a PathWrap method string (A.2: hybrid/midpoint/axial in lower, Capital or UPPER
// case; "Unassigned" -> hybrid); throws std::invalid_argument otherwise.
WrapMethod parse_wrap_method(const std::string& method);

}  // namespace femur
