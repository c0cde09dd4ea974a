// Wrapping over a torus as OpenSim computes it (OpenSim/Simulation/Wrap/WrapTorus.cpp:
// wrapLine, findClosestPoint, calcCircleResids). OPENSIM-NOTES.md A.8.
//
// The torus lies around the wrap-frame z axis; a path through its hole wraps on the inside of
// the tube. OpenSim finds the point of the centre circle (radius `outer_radius`) nearest the
// segment, puts there a cylinder of radius `inner_radius`, length 10000, tangent to the
// circle, constrained to the side facing the torus axis (+x of the cylinder frame), and
// delegates to the cylinder algorithm.
#include <cmath>
#include <limits>

#include "wrap_common.hpp"

namespace femur {
namespace {

constexpr double kCylinderLength = 10000.0;  // CYL_LENGTH

// The 1-D equation OpenSim hands to MINPACK lmdif (calcCircleResids) for the point a + u n of
// the line (n = unit(b - a)): f(u) = 2 a.n + 2 u - 2 R (2 c4 u + 2 c3) / rho(u), with
// rho(u) the distance of the line point from the z axis. (The derivative of the squared
// distance to the circle has R (2 c4 u + 2 c3) / rho in the last term; OpenSim's extra factor
// 2 makes its root the closest approach to the circle of radius 2R. Reproduced as is.)
struct CircleEquation {
  Vec3 a, n;
  double radius;
  double c2, c3, c4, c5;

  CircleEquation(const Vec3& from, const Vec3& to, double r) : a(from), radius(r) {
    n = (to - from) / (to - from).norm();
    c2 = 2.0 * a.dot(n);
    c3 = a.x() * n.x() + a.y() * n.y();
    c4 = n.x() * n.x() + n.y() * n.y();
    c5 = a.x() * a.x() + a.y() * a.y();
  }
  double rho(double u) const { return std::sqrt(u * u * c4 + 2.0 * c3 * u + c5); }
  double f(double u) const { return c2 + 2.0 * u - 2.0 * radius * (2.0 * c4 * u + 2.0 * c3) / rho(u); }
  double df(double u) const {
    const double r = rho(u), g = c4 * u + c3;
    return 2.0 - 4.0 * radius * (c4 * r * r - g * g) / (r * r * r);
  }
};

// Root of f from u = 0 by Newton steps inside a trust region (what lmdif does for one
// residual in one unknown; its first step is bounded by 0.2 in scaled units). OpenSim stops
// lmdif at ftol = xtol = 1e-4 (relative); we converge fully, so torus tangent points agree
// with OpenSim's to that tolerance of the circle search, not to round-off.
double solve_circle_equation(const CircleEquation& eq) {
  double u = 0.0;
  double fu = eq.f(u);
  double dfu = eq.df(u);
  double radius = dfu != 0.0 ? 0.2 / std::abs(dfu) : 0.2;
  for (int it = 0; it < 500 && std::isfinite(fu) && fu != 0.0; ++it) {
    if (dfu == 0.0 || !std::isfinite(dfu)) break;
    double step = -fu / dfu;
    if (std::abs(step) > radius) step = std::copysign(radius, step);
    const double trial = u + step;
    const double f_trial = eq.f(trial);
    const double predicted = fu * fu - (fu + dfu * step) * (fu + dfu * step);
    const double actual = fu * fu - f_trial * f_trial;
    if (std::isfinite(f_trial) && actual > 0.0) {
      u = trial;
      fu = f_trial;
      dfu = eq.df(u);
      if (predicted > 0.0 && actual > 0.75 * predicted) radius = std::max(radius, 2.0 * std::abs(step));
      else if (predicted > 0.0 && actual < 0.25 * predicted) radius *= 0.5;
      if (std::abs(step) <= 1e-13 * (1.0 + std::abs(u))) break;
    } else {
      radius = 0.5 * std::abs(step);
      if (radius <= 1e-15 * (1.0 + std::abs(u))) break;
    }
  }
  return u;
}

// findClosestPoint: solve from each end, keep the line point nearer the circle (with a
// quadrant: the one on the active side, or the nearer if both are), and return the circle
// point above it. False when a quadrant leaves neither.
bool closest_circle_point(double radius, const Vec3& p1, const Vec3& p2, WrapQuadrant quadrant,
                          Vec3& on_circle) {
  Vec3 best[2];
  double distance[2];
  for (int pass = 0; pass < 2; ++pass) {
    const Vec3& from = pass == 0 ? p1 : p2;
    const Vec3& to = pass == 0 ? p2 : p1;
    const CircleEquation eq(from, to, radius);
    const Vec3 x = from + solve_circle_equation(eq) * eq.n;
    best[pass] = x;
    distance[pass] = std::sqrt(x.squaredNorm() + radius * radius -
                               2.0 * radius * std::sqrt(x.x() * x.x() + x.y() * x.y()));
  }
  int pick = distance[0] < distance[1] ? 0 : 1;
  if (quadrant.constrained()) {
    const bool ok0 = wrap_detail::dsign(best[0][quadrant.axis]) == quadrant.sign;
    const bool ok1 = wrap_detail::dsign(best[1][quadrant.axis]) == quadrant.sign;
    if (ok0 && !ok1) pick = 0;
    else if (ok1 && !ok0) pick = 1;
    else if (!ok0 && !ok1) return false;
  }
  const Vec3& x = best[pick];
  const double planar = std::sqrt(x.x() * x.x() + x.y() * x.y());
  on_circle = Vec3(x.x() * radius / planar, x.y() * radius / planar, 0.0);
  return true;
}

}  // namespace

WrapPoints wrap_torus(const WrapSurface& surface, const Vec3& p1, const Vec3& p2,
                      bool adjust_tangency) {
  WrapPoints out;
  Vec3 on_circle;
  if (!closest_circle_point(surface.outer_radius, p1, p2, surface.quadrant, on_circle)) return out;

  // Cylinder frame: x from the circle point towards the torus axis, y = -z of the torus,
  // z = x cross y (the circle's tangent); origin at the circle point.
  const Vec3 x_axis = wrap_detail::unit_or_zero(-on_circle);
  const Vec3 y_axis(0.0, 0.0, -1.0);
  const Vec3 z_axis = x_axis.cross(y_axis);
  Mat3 R_cyl_torus;  // rows: the cylinder axes in torus coordinates
  R_cyl_torus.row(0) = x_axis.transpose();
  R_cyl_torus.row(1) = y_axis.transpose();
  R_cyl_torus.row(2) = z_axis.transpose();
  const Vec3 offset = R_cyl_torus * (-on_circle);  // makes the circle point the origin
  const Vec3 q1 = R_cyl_torus * p1 + offset, q2 = R_cyl_torus * p2 + offset;

  const WrapPoints cyl = wrap_detail::wrap_cylinder_core(surface.inner_radius, kCylinderLength,
                                                         WrapQuadrant{0, 1}, q1, q2, adjust_tangency);
  // OpenSim returns `wrapped` whatever the cylinder said; when the cylinder did not wrap the
  // tangent points it leaves are NaN and GeometryPath never selects that result. We say
  // NoWrap then (the driver's only other use of the code, the pass-0 order swap, could differ).
  if (!cyl.wraps()) return out;
  out.status = WrapStatus::Wrapped;
  out.r1 = R_cyl_torus.transpose() * (cyl.r1 - offset);
  out.r2 = R_cyl_torus.transpose() * (cyl.r2 - offset);
  out.arc_length = cyl.arc_length;
  return out;
}

}  // namespace femur
