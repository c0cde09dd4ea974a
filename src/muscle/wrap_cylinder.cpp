// Wrapping over a cylinder as OpenSim computes it (OpenSim/Simulation/Wrap/WrapCylinder.cpp,
// wrapLine, _make_spiral_path, _adjust_tangent_point; helpers from WrapMath.cpp).
// OPENSIM-NOTES.md A.5. The cylinder is the z axis of the wrap frame, centred, of radius R
// and length L; the path over it is a helix between the two tangent points.
#include <cmath>
#include <numbers>

#include "wrap_common.hpp"

namespace femur {
namespace wrap_detail {
namespace {

constexpr int kMaxTangencyIterations = 100;                            // MAX_ITERATIONS
constexpr double kTangencyThreshold = 0.1 * std::numbers::pi / 180.0;  // TANGENCY_THRESHOLD
constexpr double kHelixSegmentLength = 0.002;  // m: display segments; sets where w1 is taken

// The helix from r1 to r2 around the z axis (_make_spiral_path): it turns by theta about the
// axis (the short way, or 2 pi - theta for a long wrap, then in the negative sense) while
// rising linearly from foot(r1) to foot(r2). Its length is sqrt((R theta)^2 + dz^2).
struct Helix {
  Vec3 start_foot = Vec3::Zero();  // foot of r1 on the axis
  Vec3 axial = Vec3::Zero();       // foot(r2) - foot(r1)
  Vec3 radial = Vec3::Zero();      // (r1 - foot(r1)) / R
  Vec3 turn_axis = Vec3::Zero();   // unit(radial(r1) x radial(r2)), zero if they are parallel
  double sense = 1.0;
  double theta = 0.0;
  double radius = 0.0;
  double length = 0.0;

  // The point at fraction t of the helix (_calc_spiral_wrap_point): the start radial
  // direction turned by sense * t * theta about turn_axis, plus t of the rise.
  Vec3 point(double t) const {
    const double angle = sense * t * theta;
    Vec3 dir = radial;
    if (turn_axis.squaredNorm() > 0.0) dir = Eigen::AngleAxisd(angle, turn_axis) * radial;
    return start_foot + radius * dir + t * axial;
  }
};

Helix make_helix(const Vec3& r1, const Vec3& r2, double radius, bool long_wrap) {
  Helix h;
  h.radius = radius;
  h.sense = long_wrap ? -1.0 : 1.0;
  h.start_foot = foot_on_z_axis(r1);
  h.axial = foot_on_z_axis(r2) - h.start_foot;
  h.radial = (r1 - h.start_foot) / radius;
  const Vec3 radial2 = (r2 - foot_on_z_axis(r2)) / radius;
  // OpenSim takes acos of the cosine unclamped (NaN on round-off above 1); we clamp.
  const double c = h.radial.dot(radial2) / (h.radial.norm() * radial2.norm());
  h.theta = std::acos(std::clamp(c, -1.0, 1.0));
  if (long_wrap) h.theta = 2.0 * std::numbers::pi - h.theta;
  const double around = radius * h.theta;
  h.length = std::sqrt(around * around + h.axial.squaredNorm());
  h.turn_axis = unit_or_zero(h.radial.cross(radial2));
  return h;
}

// _adjust_tangent_point: if the straight part p -> r and the first helix chord r -> w make
// angles with the axis that differ by more than 0.1 degree, slide r along its generator
// (the surface line through r parallel to the axis) 1.5 times the way to where the line
// p -> w passes closest to that generator. Returns whether it counted as an adjustment.
bool adjust_tangent_point(const Vec3& p, Vec3& r, const Vec3& w) {
  const Vec3 pr = unit_or_zero(r - p);
  const Vec3 rw = unit_or_zero(w - r);
  const double alpha = std::acos(pr.z());  // angles with the axis direction (0, 0, 1)
  const double omega = std::acos(rw.z());
  if (!(std::abs(alpha - omega) > kTangencyThreshold)) return false;
  const Vec3 p_on_generator(r.x(), r.y(), p.z());
  const Vec3 w_on_generator(r.x(), r.y(), w.z());
  Vec3 on_line, on_generator;
  double s = 0.0, t = 0.0;
  // When the two lines are parallel OpenSim moves r by an unset vector; we leave it.
  if (closest_points_of_lines(p, w, p_on_generator, w_on_generator, on_line, s, on_generator, t))
    r += 1.5 * (on_generator - r);
  return true;
}

// Tangent point candidates from an outside point p (distance d >= R from the axis): in the
// plane z = p.z, foot + (R^2/d) v +- sqrt(R^2 - R^4/d^2) (z x v), v = unit radial of p.
struct Candidates {
  Vec3 a, b;
  double distance;
};

Candidates tangent_candidates(const Vec3& p, double radius) {
  const Vec3 foot = foot_on_z_axis(p);
  const Vec3 offset = p - foot;
  const double d = offset.norm();
  const Vec3 v = d == 0.0 ? Vec3::Zero() : Vec3(offset / d);
  const double along = radius * (radius / d);
  const Vec3 base = foot + along * v;
  const double across = std::sqrt(radius * radius - along * along);
  const Vec3 u = Vec3::UnitZ().cross(v);
  return {base + across * u, base - across * u, d};
}

// Step 5 of wrapLine: slide a preliminary tangent point along its generator to where the
// plane through p1, p2 and the apex cuts it (WrapMath::IntersectLineSegPlane on the segment
// r -/+ 10 z), but only if the cut's height is closer to the far end's height than this end's.
// OpenSim projects the cut onto the line through this end's axis foot with *direction* the
// other foot (a point, passed as a direction): a zero other foot (other end at z = 0, up to
// the round-off of opensim_foot_z) gives no slide, any other the plain height comparison.
// So with an end exactly at z = 0 of the wrap frame the other tangent point may stay
// unslid and the length differ from that of its neighbours; real paths meet this on a set of
// measure zero, but it is kept so that the same inputs give OpenSim's answer.
// Height of the axis foot of p exactly as WrapMath::GetClosestPointOnLineToPoint computes it
// from the axis point (0, 0, -1): the scale by 1/|v| and back by |v| can leave a round-off
// residue, which decides whether a foot "at z = 0" is a zero direction in slide_to_plane.
double opensim_foot_z(const Vec3& p) {
  const double vx = p.x(), vy = p.y(), vz = p.z() + 1.0;
  const double mag = std::sqrt(vx * vx + vy * vy + vz * vz);
  if (mag == 0.0) return -1.0;
  const double rmag = 1.0 / mag;
  return -1.0 + (vz * rmag) * mag;
}

void slide_to_plane(Vec3& r, const Vec3& normal, double offset, double own_z, double other_z,
                    double other_foot_z_opensim) {
  constexpr double kLineEpsilon = 1e-5;  // WrapMath.cpp LINE_EPSILON
  const Vec3 a = r - 10.0 * Vec3::UnitZ();
  const Vec3 seg = 20.0 * Vec3::UnitZ();
  const double dot = seg.dot(normal);
  if (std::abs(dot) < kLineEpsilon) return;
  const double t = (-offset - normal.dot(a)) / dot;
  if (t < -kLineEpsilon || t > 1.0 + kLineEpsilon) return;
  const Vec3 cut = a + t * seg;
  if (other_foot_z_opensim == 0.0) return;
  const double to_other = cut.z() - other_z, span = own_z - other_z;
  if (to_other * to_other < span * span) r = cut;
}

}  // namespace

WrapPoints wrap_cylinder_core(double radius, double length, WrapQuadrant quadrant,
                              const Vec3& p1, const Vec3& p2, bool adjust_tangency) {
  WrapPoints out;
  const double r_squared = radius * radius;

  // 1. An end inside the infinite cylinder: no wrap over it.
  if (p1.x() * p1.x() + p1.y() * p1.y() < r_squared ||
      p2.x() * p2.x() + p2.y() * p2.y() < r_squared) {
    out.status = WrapStatus::InsideRadius;
    return out;
  }

  // 2. Closest approach of the segment p1 p2 and the axis segment z in [-L/2, L/2].
  Vec3 near_line = p1, near_axis = Vec3::Zero();
  double t_line = std::numeric_limits<double>::quiet_NaN(), t_axis = 0.0;
  closest_points_of_lines(p1, p2, Vec3(0, 0, -0.5 * length), Vec3(0, 0, 0.5 * length), near_line,
                          t_line, near_axis, t_axis);
  const bool crosses = (near_line - near_axis).squaredNorm() < r_squared && t_line > 0.0 && t_line < 1.0;

  WrapStatus status = WrapStatus::Wrapped;
  if (!quadrant.constrained()) {
    if (!crosses) return out;  // NoWrap: unconstrained cylinders wrap only what they cut
    status = WrapStatus::Mandatory;
  }

  // 3. Tangent point candidates from each end.
  const Vec3 foot1 = foot_on_z_axis(p1), foot2 = foot_on_z_axis(p2);
  const Candidates c1 = tangent_candidates(p1, radius);
  const Candidates c2 = tangent_candidates(p2, radius);

  // 4. Choose one candidate per end.
  Vec3 r1, r2;
  bool far_side_wrap = false, long_wrap = false;
  if (quadrant.constrained()) {
    const int ax = quadrant.axis, sg = quadrant.sign;
    if (dsign(p1[ax]) == sg || dsign(p2[ax]) == sg) {
      if (crosses)
        status = WrapStatus::Mandatory;
      else if (dsign(p1[ax]) != dsign(p2[ax]) && dsign(near_line[ax]) != sg)
        status = WrapStatus::Wrapped;
      else
        return out;  // NoWrap
    }
    // (With both ends off the active side OpenSim goes on as `wrapped`.)
    const Vec3 r1am = c1.a - foot1, r1bm = c1.b - foot1, r2am = c2.a - foot2, r2bm = c2.b - foot2;
    // Unclamped acos as in OpenSim: a NaN makes `alpha > beta` false, as there.
    const double alpha = std::acos(r1am.dot(r2bm) / (r1am.norm() * r2bm.norm()));
    const double beta = std::acos(r1bm.dot(r2am) / (r1bm.norm() * r2am.norm()));
    const bool s1a = dsign(c1.a[ax]) == sg, s1b = dsign(c1.b[ax]) == sg;
    const bool s2a = dsign(c2.a[ax]) == sg, s2b = dsign(c2.b[ax]) == sg;
    // Pairs (r1a, r2b) and (r1b, r2a) turn opposite ways; pick the one the active candidates
    // point to, and call it a far-side wrap when it is the larger of the two angles.
    auto take_ab = [&] { r1 = c1.a; r2 = c2.b; far_side_wrap = alpha > beta; };
    auto take_ba = [&] { r1 = c1.b; r2 = c2.a; far_side_wrap = !(alpha > beta); };
    if (s1a && s1b) {
      if (s2a) take_ba(); else take_ab();
    } else if (s1a) {
      take_ab();
    } else if (s1b) {
      take_ba();
    } else if (s2a) {
      take_ba();
    } else if (s2b) {
      take_ab();
    } else {  // no candidate on the active side
      if (alpha > beta) { r1 = c1.a; r2 = c2.b; } else { r1 = c1.b; r2 = c2.a; }
      far_side_wrap = true;
    }
    // More than half way round when the radial and the path directions disagree.
    const Vec3 sum_musc = (r1 - p1) + (r2 - p2);
    const Vec3 sum_r = (r1 - foot1) + (r2 - foot2);
    long_wrap = sum_r.dot(sum_musc) < 0.0;
  } else {
    // Shortest way round: the pair whose radial directions are closest.
    const Vec3 r1am = unit_or_zero(c1.a - foot1), r1bm = unit_or_zero(c1.b - foot1);
    const Vec3 r2am = unit_or_zero(c2.a - foot2), r2bm = unit_or_zero(c2.b - foot2);
    const double d1 = r1am.dot(r2am), d2 = r1am.dot(r2bm), d3 = r1bm.dot(r2am), d4 = r1bm.dot(r2bm);
    if (d1 > d2 && d1 > d3 && d1 > d4) { r1 = c1.a; r2 = c2.a; }
    else if (d2 > d3 && d2 > d4) { r1 = c1.a; r2 = c2.b; }
    else if (d3 > d4) { r1 = c1.b; r2 = c2.a; }
    else { r1 = c1.b; r2 = c2.b; }
  }

  // 5. The plane through p1, p2 and an apex on the surface: the axis point level with the
  // point of p1 p2 at t = d1 / (d1 + d2), pushed out by R towards the line (away from it for a
  // far-side wrap). The tangent points slide along their generators onto that plane.
  {
    const double t = c1.distance / (c1.distance + c2.distance);
    const Vec3 mid = p1 + t * (p2 - p1);
    const Vec3 axis_point = foot_on_z_axis(mid);
    const Vec3 l1 = unit_or_zero(p1 - axis_point), l2 = unit_or_zero(p2 - axis_point);
    const Vec3 normal0 = unit_or_zero(l1.cross(l2));
    const Vec3 vert1 = unit_or_zero(Vec3::UnitZ().cross(normal0));
    const Vec3 vert2 = unit_or_zero(normal0.cross(Vec3::UnitZ()));
    const Vec3 apex1 = axis_point + radius * vert1, apex2 = axis_point + radius * vert2;
    const bool first_nearer = (mid - apex1).squaredNorm() < (mid - apex2).squaredNorm();
    const Vec3 apex = (first_nearer != far_side_wrap) ? apex1 : apex2;
    const Vec3 u = unit_or_zero(p1 - apex), v = unit_or_zero(p2 - apex);
    const Vec3 normal = unit_or_zero(u.cross(v));
    const double offset = -p1.dot(normal);
    slide_to_plane(r1, normal, offset, foot1.z(), foot2.z(), opensim_foot_z(p2));
    slide_to_plane(r2, normal, offset, foot2.z(), foot1.z(), opensim_foot_z(p1));
  }

  // 6. Both tangent points beyond the ends of the finite cylinder: no wrap.
  const double half = 0.5 * length;
  if ((r1.z() < -half || r1.z() > half) && (r2.z() < -half || r2.z() > half)) return out;

  // 7-8. The helix, and with more than one PathWrap on the path the tangency adjustment:
  // slide r1 and r2 until the straight parts meet the helix's first and last display chords
  // (taken every 2 mm) within 0.1 degree, at most 100 times.
  Helix helix = make_helix(r1, r2, radius, long_wrap);
  for (int iterations = 0; adjust_tangency && iterations < kMaxTangencyIterations; ++iterations) {
    int segments = static_cast<int>(helix.length / kHelixSegmentLength);
    if (segments < 1) segments = 1;
    if (segments < 2) break;  // OpenSim's check sits at the second display point
    const double t = 1.0 / segments;
    const Vec3 w1 = helix.point(t), w2 = helix.point(1.0 - t);
    const bool moved1 = adjust_tangent_point(p1, r1, w1);
    const bool moved2 = adjust_tangent_point(p2, r2, w2);
    if (!moved1 && !moved2) break;
    helix = make_helix(r1, r2, radius, long_wrap);
  }

  out.status = status;
  out.r1 = r1;
  out.r2 = r2;
  out.arc_length = helix.length;
  return out;
}

}  // namespace wrap_detail

WrapPoints wrap_cylinder(const WrapSurface& surface, const Vec3& p1, const Vec3& p2,
                         bool adjust_tangency) {
  return wrap_detail::wrap_cylinder_core(surface.radius, surface.length, surface.quadrant, p1, p2,
                                         adjust_tangency);
}

}  // namespace femur
