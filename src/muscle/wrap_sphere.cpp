// Wrapping over a sphere as OpenSim computes it (OpenSim/Simulation/Wrap/WrapSphere.cpp,
// wrapLine). OPENSIM-NOTES.md A.6. The sphere of radius R is centred on the wrap-frame origin;
// the path over it is the great-circle arc in the plane through p1, p2 and the centre.
#include <cmath>
#include <numbers>

#include "wrap_common.hpp"

namespace femur {

namespace {

// The two tangent points from an outside point p in the plane with unit normal n through the
// centre: p + sqrt(|p|^2 - R^2) (cos a y -+ sin a z), y = unit(-p), z = n x y, a = asin(R/|p|)
// (WrapSphere.cpp builds the same with a rotation about x of +-a).
void tangent_candidates(const Vec3& p, const Vec3& n, double radius, Vec3& a, Vec3& b) {
  const double dist = p.norm();
  const Vec3 y = wrap_detail::unit_or_zero(-p);
  const Vec3 z = n.cross(y);
  const double angle = std::asin(radius / dist);
  const double reach = dist * std::cos(angle);
  a = p + reach * (std::cos(angle) * y - std::sin(angle) * z);
  b = p + reach * (std::cos(angle) * y + std::sin(angle) * z);
}

}  // namespace

WrapPoints wrap_sphere(const WrapSurface& surface, const Vec3& p1, const Vec3& p2) {
  using wrap_detail::dsign;
  using wrap_detail::unit_or_zero;
  const double radius = surface.radius;
  WrapPoints out;

  if (p1.norm() < radius || p2.norm() < radius) {
    out.status = WrapStatus::InsideRadius;
    return out;
  }

  // The line p2 + l (p1 - p2) meets the sphere at two l strictly inside (0, 1), or no wrap,
  // whatever the quadrant: a sphere wraps only a segment that cuts it.
  const Vec3 d = p1 - p2;
  const double qa = d.squaredNorm();
  const double qb = 2.0 * p2.dot(d);
  const double qc = p2.squaredNorm() - radius * radius;
  const double disc = qb * qb - 4.0 * qa * qc;
  if (disc < 0.0) return out;
  const double l1 = (-qb + std::sqrt(disc)) / (2.0 * qa);
  const double l2 = (-qb - std::sqrt(disc)) / (2.0 * qa);
  if (!(0.0 < l1 && l1 < 1.0) || !(0.0 < l2 && l2 < 1.0) || l1 < l2) return out;

  const Vec3 dir21 = unit_or_zero(d);  // from p2 towards p1
  Vec3 normal = dir21.cross(unit_or_zero(p2));
  if (normal.norm() < 1e-5) {
    // The line passes through the centre: the wrap plane is undefined. OpenSim then reuses
    // the previous call's tangent points, which its WrapResult copy has turned into NaN.
    // We take the plane containing the line and the wrap-frame axis least aligned with it
    // (a documented departure: OpenSim's answer here is NaN).
    int k = 0;
    for (int i = 1; i < 3; ++i)
      if (std::abs(dir21[i]) < std::abs(dir21[k])) k = i;
    normal = dir21.cross(Vec3::Unit(k));
  }
  normal = unit_or_zero(normal);

  Vec3 r1a, r1b, r2a, r2b;
  tangent_candidates(p1, normal, radius, r1a, r1b);
  tangent_candidates(p2, normal, radius, r2a, r2b);
  const Vec3 r1am = unit_or_zero(r1a), r1bm = unit_or_zero(r1b);
  const Vec3 r2am = unit_or_zero(r2a), r2bm = unit_or_zero(r2b);

  // Shortest arc: the pair with the closest radial directions. r11, r22 keep the others.
  Vec3 r1, r2, r11, r22;
  {
    const double j1 = r1am.dot(r2am), j2 = r1am.dot(r2bm), j3 = r1bm.dot(r2am), j4 = r1bm.dot(r2bm);
    if (j1 > j2 && j1 > j3 && j1 > j4) { r1 = r1a; r2 = r2a; r11 = r1b; r22 = r2b; }
    else if (j2 > j3 && j2 > j4) { r1 = r1a; r2 = r2b; r11 = r1b; r22 = r2a; }
    else if (j3 > j4) { r1 = r1b; r2 = r2a; r11 = r1a; r22 = r2b; }
    else { r1 = r1b; r2 = r2b; r11 = r1a; r22 = r2a; }
  }

  WrapStatus status = WrapStatus::Wrapped;
  bool far_side_wrap = false;
  if (surface.quadrant.constrained()) {
    const int ax = surface.quadrant.axis, sg = surface.quadrant.sign;
    if (dsign(p1[ax]) == sg || dsign(p2[ax]) == sg) {
      // Closest point of the line to the centre. OpenSim tests its distance from p1 (in
      // metres, along p1 -> p2) against (0, 1) as if it were a fraction: kept as is.
      const double tt = p1.dot(dir21);
      const Vec3 mm = p1 - tt * dir21;
      if (mm.squaredNorm() < radius * radius && tt > 0.0 && tt < 1.0)
        status = WrapStatus::Mandatory;
      else if (dsign(p1[ax]) != dsign(p2[ax]) && dsign(mm[ax]) != sg)
        status = WrapStatus::Wrapped;
      else
        return out;  // NoWrap
    }
    if (dsign(p1[ax]) != sg || dsign(p2[ax]) != sg) {
      Vec3 wrap_axis = Vec3::Zero();
      wrap_axis[ax] = sg;
      // Tangent points facing the centre as seen from both ends...
      const Vec3 towards = unit_or_zero(-p1 - p2);
      if (r1am.dot(towards) > r1bm.dot(towards)) { r1 = r1a; r11 = r1b; } else { r1 = r1b; r11 = r1a; }
      if (r2am.dot(towards) > r2bm.dot(towards)) { r2 = r2a; r22 = r2b; } else { r2 = r2b; r22 = r2a; }
      // ...flipped to the other pair if the path would leave towards the inactive side...
      if (unit_or_zero((r1 - p1) + (r2 - p2)).dot(wrap_axis) < 0.0) { r1 = r11; r2 = r22; }
      // ...and a far-side wrap when the path and the radial directions disagree.
      const Vec3 sum_musc = (r1 - p1) + (r2 - p2);
      const Vec3 sum_r = r1 + r2;
      far_side_wrap = sum_r.dot(sum_musc) < 0.0;
    }
  }

  // Great-circle arc R * angle. For a far-side wrap OpenSim stores R * (-(2 pi - angle)), a
  // negative length (an upstream quirk reproduced here so path lengths match OpenSim's).
  double angle = std::acos(std::clamp(unit_or_zero(r1).dot(unit_or_zero(r2)), -1.0, 1.0));
  if (far_side_wrap) angle = -(2.0 * std::numbers::pi - angle);

  out.status = status;
  out.r1 = r1;
  out.r2 = r2;
  out.arc_length = radius * angle;
  return out;
}

}  // namespace femur
