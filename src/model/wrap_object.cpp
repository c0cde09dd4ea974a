// Names of wrap kinds, quadrants and methods as OpenSim writes them (WrapObject.cpp,
// PathWrap.cpp).
#include "femur/model/wrap_object.hpp"

namespace femur {

const char* wrap_kind_name(WrapSurface::Kind kind) {
  switch (kind) {
    case WrapSurface::Kind::Cylinder: return "WrapCylinder";
    case WrapSurface::Kind::Sphere: return "WrapSphere";
    case WrapSurface::Kind::Ellipsoid: return "WrapEllipsoid";
    case WrapSurface::Kind::Torus: return "WrapTorus";
  }
  return "WrapObject";
}

const char* wrap_quadrant_name(WrapQuadrant q) {
  static const char* kNames[3][2] = {{"-x", "x"}, {"-y", "y"}, {"-z", "z"}};
  if (!q.constrained()) return "all";
  return kNames[q.axis][q.sign > 0 ? 1 : 0];
}

const char* wrap_method_name(WrapMethod method) {
  switch (method) {
    case WrapMethod::Hybrid: return "hybrid";
    case WrapMethod::Midpoint: return "midpoint";
    case WrapMethod::Axial: return "axial";
  }
  return "hybrid";
}

}  // namespace femur
