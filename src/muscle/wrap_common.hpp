// Small geometric helpers shared by the wrap surfaces, with the exact conventions of
// OpenSim/Simulation/Wrap/WrapMath.cpp and OpenSim/Common/SimmMacros.h that decide branches
// (sign test, round-off threshold, what a degenerate normalization gives).
#pragma once

#include <cmath>
#include <numbers>

#include "femur/muscle/wrap_geometry.hpp"

namespace femur::wrap_detail {

// SimmMacros.h: ROUNDOFF_ERROR and DSIGN (zero counts as positive).
inline constexpr double kRoundoff = 2e-13;
inline int dsign(double v) { return v >= 0.0 ? 1 : -1; }

// Mtx::Normalize / WrapMath::NormalizeOrZero: a zero vector stays zero.
inline Vec3 unit_or_zero(const Vec3& v) {
  const double n = v.norm();
  return n == 0.0 ? Vec3::Zero() : Vec3(v / n);
}

// Closest points of the lines a1 + s (a2 - a1) and b1 + t (b2 - b1) (WrapMath::IntersectLines):
// s and t are fractions of the two given segments. False when the directions are parallel
// within round-off (|u1 x u2|^2 <= 2e-13 with unit directions); outputs are then untouched.
inline bool closest_points_of_lines(const Vec3& a1, const Vec3& a2, const Vec3& b1, const Vec3& b2,
                                    Vec3& on_a, double& s, Vec3& on_b, double& t) {
  const Vec3 da = a2 - a1, db = b2 - b1;
  const double la = da.norm(), lb = db.norm();
  const Vec3 ua = la == 0.0 ? Vec3::Zero() : Vec3(da / la);
  const Vec3 ub = lb == 0.0 ? Vec3::Zero() : Vec3(db / lb);
  const Vec3 c = ua.cross(ub);
  const double denom = c.squaredNorm();
  if (std::abs(denom) <= kRoundoff) return false;
  // Solving a1 + s ua + k c = b1 + t ub by Cramer's rule: s = det(d, ub, c)/|c|^2,
  // t = det(d, ua, c)/|c|^2 with d = b1 - a1.
  const Vec3 d = b1 - a1;
  const double tb = d.dot(ua.cross(c)) / denom;
  const double sa = d.dot(ub.cross(c)) / denom;
  on_b = b1 + tb * ub;
  on_a = a1 + sa * ua;
  s = sa / la;
  t = tb / lb;
  return true;
}

// Foot of the perpendicular from p on the z axis of the wrap frame.
inline Vec3 foot_on_z_axis(const Vec3& p) { return {0.0, 0.0, p.z()}; }

// The cylinder algorithm on its own (WrapCylinder::wrapLine), for WrapCylinder and for the
// cylinder WrapTorus builds: axis z, centred, of the given radius, length and quadrant.
WrapPoints wrap_cylinder_core(double radius, double length, WrapQuadrant quadrant,
                              const Vec3& p1, const Vec3& p2, bool adjust_tangency);

}  // namespace femur::wrap_detail
