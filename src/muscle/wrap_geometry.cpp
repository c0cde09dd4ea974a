// The dispatch of wrap_segment() over the four surfaces (OpenSim/Simulation/Wrap/
// WrapObject.cpp wrapPathSegment).
#include "femur/muscle/wrap_geometry.hpp"

namespace femur {

WrapPoints wrap_segment(const WrapSurface& surface, const WrapOptions& options, const Vec3& p1,
                        const Vec3& p2, const WrapHint* hint) {
  WrapPoints out;
  switch (surface.kind) {
    case WrapSurface::Kind::Cylinder:
      out = wrap_cylinder(surface, p1, p2, options.adjust_cylinder_tangency);
      break;
    case WrapSurface::Kind::Sphere:
      out = wrap_sphere(surface, p1, p2);
      break;
    case WrapSurface::Kind::Ellipsoid:
      return wrap_ellipsoid(surface, options.method, p1, p2, hint);
    case WrapSurface::Kind::Torus:
      out = wrap_torus(surface, p1, p2, options.adjust_cylinder_tangency);
      break;
  }
  // The other objects carry the memory through unchanged (WrapResult copies previousWrap).
  out.c1 = hint ? hint->c1 : WrapHint{}.c1;
  return out;
}

}  // namespace femur
