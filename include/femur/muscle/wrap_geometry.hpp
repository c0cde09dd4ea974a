// Wrapping geometry of muscle paths: how a straight path segment p1 -> p2 is wrapped over a
// cylinder, sphere, ellipsoid or torus, exactly as OpenSim computes it
// (OpenSim/Simulation/Wrap/Wrap{Cylinder,Sphere,Ellipsoid,Torus}.cpp, WrapMath.cpp).
//
// Use: the model's wrap objects are WrapSurfaces (model/wrap_object.hpp, read and checked
// with the Model); for every candidate segment of a path, express both end points in the
// wrap frame and call wrap_segment().
// The driver (GeometryPath::applyWrapObjects, OPENSIM-NOTES A.3) lives in the paths code;
// this is pure geometry: no Model, no Data, no allocation, no exceptions in wrap_segment().
#pragma once

#include <limits>
#include <string>

#include "femur/math/spatial.hpp"
#include "femur/model/wrap_object.hpp"

namespace femur {

// OpenSim's WrapObject::WrapAction: noWrap, insideRadius, wrapped, mandatoryWrap.
enum class WrapStatus { NoWrap = 0, InsideRadius = 1, Wrapped = 2, Mandatory = 3 };

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

}  // namespace femur
