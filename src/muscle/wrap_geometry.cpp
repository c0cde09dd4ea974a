// Wrap surfaces from the model's WrapObjects, and the dispatch of wrap_segment().
// Property names, defaults and checks follow OpenSim/Simulation/Wrap/WrapObject.cpp,
// WrapCylinder.cpp, WrapSphere.cpp, WrapEllipsoid.cpp, WrapTorus.cpp, PathWrap.cpp.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "femur/muscle/wrap_geometry.hpp"

namespace femur {
namespace {

[[noreturn]] void fail(const WrapObject& object, const std::string& what) {
  std::ostringstream ss;
  ss << object.type << " '" << object.name << "'";
  if (object.line > 0) ss << " (line " << object.line << ")";
  ss << ": " << what;
  throw std::invalid_argument(ss.str());
}

// The numbers of a property as written (whitespace separated); `count` of them expected.
std::vector<double> numbers(const WrapObject& object, const std::string& key, int count) {
  const auto it = object.properties.find(key);
  std::vector<double> out;
  if (it == object.properties.end()) return out;
  const char* s = it->second.c_str();
  while (true) {
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') ++s;
    if (*s == '\0') break;
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s, &end);
    if (end == s || errno == ERANGE || !std::isfinite(v))
      fail(object, "property '" + key + "' is not a number list: '" + it->second + "'");
    out.push_back(v);
    s = end;
  }
  if (static_cast<int>(out.size()) != count)
    fail(object, "property '" + key + "' needs " + std::to_string(count) + " number" +
                     (count == 1 ? "" : "s") + ", got '" + it->second + "'");
  return out;
}

double scalar(const WrapObject& object, const std::string& key, double fallback) {
  const auto v = numbers(object, key, 1);
  return v.empty() ? fallback : v[0];
}

}  // namespace

WrapQuadrant parse_wrap_quadrant(const std::string& q) {
  // WrapObject::extendFinalizeFromProperties; "" (absent) and "Unassigned" mean all.
  if (q.empty() || q == "Unassigned" || q == "all" || q == "ALL" || q == "All") return {};
  if (q == "x" || q == "+x" || q == "X" || q == "+X") return {0, 1};
  if (q == "-x" || q == "-X") return {0, -1};
  if (q == "y" || q == "+y" || q == "Y" || q == "+Y") return {1, 1};
  if (q == "-y" || q == "-Y") return {1, -1};
  if (q == "z" || q == "+z" || q == "Z" || q == "+Z") return {2, 1};
  if (q == "-z" || q == "-Z") return {2, -1};
  throw std::invalid_argument("unknown wrap quadrant '" + q +
                              "' (expected all, x, +x, -x, y, +y, -y, z, +z or -z)");
}

WrapMethod parse_wrap_method(const std::string& m) {
  if (m.empty() || m == "Unassigned" || m == "hybrid" || m == "Hybrid" || m == "HYBRID")
    return WrapMethod::Hybrid;
  if (m == "midpoint" || m == "Midpoint" || m == "MIDPOINT") return WrapMethod::Midpoint;
  if (m == "axial" || m == "Axial" || m == "AXIAL") return WrapMethod::Axial;
  throw std::invalid_argument("unknown wrap method '" + m + "' (expected hybrid, midpoint or axial)");
}

WrapSurface make_wrap_surface(const WrapObject& object) {
  WrapSurface s;
  s.name = object.name;
  s.active = object.active;
  s.body = object.body;
  s.X_body_wrap.R = body_fixed_xyz(object.xyz_body_rotation);
  s.X_body_wrap.p = object.translation;
  try {
    s.quadrant = parse_wrap_quadrant(object.quadrant);
  } catch (const std::invalid_argument& e) {
    fail(object, e.what());
  }

  if (object.type == "WrapCylinder") {
    s.kind = WrapSurface::Kind::Cylinder;
    s.radius = scalar(object, "radius", 1.0);
    s.length = scalar(object, "length", 1.0);
    if (s.radius < 0.0) fail(object, "radius cannot be less than zero");
    if (s.length < 0.0) fail(object, "length cannot be less than zero");
  } else if (object.type == "WrapSphere") {
    s.kind = WrapSurface::Kind::Sphere;
    s.radius = scalar(object, "radius", 1.0);
    if (s.radius < 0.0) fail(object, "radius cannot be less than zero");
  } else if (object.type == "WrapEllipsoid") {
    s.kind = WrapSurface::Kind::Ellipsoid;
    const auto d = numbers(object, "dimensions", 3);
    // OpenSim's default is (-1, -1, -1), rejected as "not specified"; a zero semi-axis would
    // divide by zero everywhere in the algorithm, so it is rejected too.
    if (d.empty()) fail(object, "dimensions were not specified");
    s.dimensions = Vec3(d[0], d[1], d[2]);
    if (s.dimensions.minCoeff() <= 0.0) fail(object, "dimensions must be positive");
  } else if (object.type == "WrapTorus") {
    s.kind = WrapSurface::Kind::Torus;
    s.inner_radius = scalar(object, "inner_radius", 0.01);
    s.outer_radius = scalar(object, "outer_radius", 0.05);
    if (s.inner_radius <= 0.0) fail(object, "inner_radius must be greater than zero");
    if (s.outer_radius <= 0.0) fail(object, "outer_radius must be greater than zero");
    if (s.outer_radius <= s.inner_radius) fail(object, "outer_radius must be greater than inner_radius");
  } else {
    fail(object, "unknown wrap object type (expected WrapCylinder, WrapSphere, WrapEllipsoid or WrapTorus)");
  }
  return s;
}

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
