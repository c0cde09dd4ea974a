// Wrapping over an ellipsoid as OpenSim computes it (OpenSim/Simulation/Wrap/WrapEllipsoid.cpp:
// wrapLine, calcTangentPoint, CalcDistanceOnEllipsoid, findClosestPoint, closestPointToEllipse).
// OPENSIM-NOTES.md A.7.
//
// The path lies in one plane through p1 and p2; the plane is fixed by a third point c1 on the
// surface, chosen by the PathWrap method (the "Frans" axial choice, a "fan" average of
// closest points, or the chord midpoint). The tangent points come from a damped Gauss-Newton
// iteration whose stopping tolerance is loose (residual^2 < 1e-8 in normalized units), so to
// give OpenSim's lengths to ~1e-9 m we take the same steps, in the same order. The length
// on the surface is the length of a polyline sampled every ~1 mm, as OpenSim's.
//
// Everything is computed in normalized units (lengths times f = 3 / (a + b + c)), as OpenSim
// does, and scaled back at the end.
#include <cmath>
#include <limits>
#include <numbers>

#include <Eigen/LU>

#include "wrap_common.hpp"

namespace femur {
namespace {

using wrap_detail::dsign;
using wrap_detail::kRoundoff;
using wrap_detail::unit_or_zero;

constexpr double kInsideTolerance = 1e-4;  // ELLIPSOID_TOLERANCE_1 (and the collinear test)
constexpr double kTiny = 1e-8;             // ELLIPSOID_TINY: stop when residual^2 <= this
constexpr double kMuBlendMin = 0.7073;     // below: pure fan
constexpr double kMuBlendMax = 0.9;        // above: pure axial ("Frans")
constexpr int kFanSamples = 300;           // NUM_FAN_SAMPLES
constexpr double kSvBoundaryBlend = 0.3;   // SV_BOUNDARY_BLEND
constexpr double kSegmentLength = 0.001;   // m, desiredSegLength of the surface polyline
constexpr int kMaxSegments = 499;

// ---- Closest point on an ellipse / ellipsoid (Eberly, Graphics Gems IV, as adapted in
// WrapEllipsoid.cpp). The Newton iteration on t solves the Lagrange condition
// x_i = a_i^2 u_i / (t + a_i^2) with sum (x_i / a_i)^2 = 1.

// Ellipse (x/a)^2 + (y/b)^2 = 1, point (u, v). Always writes (x, y).
void closest_on_ellipse(double a, double b, double u, double v, double& x, double& y) {
  const double a2 = a * a, b2 = b * b;
  const double a2u2 = a2 * u * u, b2v2 = b2 * v * v;
  const bool near_x_origin = std::abs(u) <= kRoundoff;
  const bool near_y_origin = std::abs(v) <= kRoundoff;
  if (near_x_origin && near_y_origin) {
    if (a < b) { x = u < 0.0 ? -a : a; y = v; }
    else { x = u; y = v < 0.0 ? -b : b; }
    return;
  }
  if (near_x_origin) {
    if (a >= b || std::abs(v) >= b - a2 / b) {
      x = u;
      y = v >= 0.0 ? b : -b;
    } else {
      y = b2 * v / (b2 - a2);
      const double ydb = y / b;
      x = a * std::sqrt(std::abs(1.0 - ydb * ydb));
    }
    return;
  }
  if (near_y_origin) {
    if (b >= a || std::abs(u) >= a - b2 / a) {
      x = u >= 0.0 ? a : -a;
      y = v;
    } else {
      x = a2 * u / (a2 - b2);
      const double xda = x / a;
      y = b * std::sqrt(std::abs(1.0 - xda * xda));
    }
    return;
  }
  double t = (u / a) * (u / a) + (v / b) * (v / b) < 1.0 ? 0.0 : std::max(a, b) * std::sqrt(u * u + v * v);
  double p = 0.0, q = 0.0;
  for (int i = 0; i < 64; ++i) {
    p = t + a2;
    q = t + b2;
    const double f = p * p * q * q - a2u2 * q * q - b2v2 * p * p;
    if (std::abs(f) < 1e-9) break;
    const double fp = 2.0 * (p * q * (p + q) - a2u2 * q - b2v2 * p);
    t -= f / fp;
  }
  x = a2 * u / p;
  y = b2 * v / q;
}

// Ellipsoid with semi-axes `a` (normalized), point `w`. `special_axis` 0/1/2 reduces to the
// ellipse in the plane through w normal to that axis; -1 picks it automatically for points
// within round-off of a coordinate plane (the one whose ellipse has the smallest radii sum,
// compared with the file's dimensions, `dims`, as OpenSim does). Returns false, leaving
// `out` untouched, when the general Newton iteration does not converge in 64 steps.
bool closest_on_ellipsoid(const Vec3& a, const Vec3& dims, const Vec3& w, Vec3& out,
                          int special_axis = -1) {
  if (special_axis < 0) {
    double min_sum = std::numeric_limits<double>::infinity();
    for (int i = 0; i < 3; ++i) {
      if (std::abs(w[i]) <= kRoundoff) {
        const double sum = dims.sum() - dims[i];
        if (min_sum > sum) { special_axis = i; min_sum = sum; }
      }
    }
  }
  if (special_axis == 0) { out.x() = w.x(); closest_on_ellipse(a.y(), a.z(), w.y(), w.z(), out.y(), out.z()); return true; }
  if (special_axis == 1) { out.y() = w.y(); closest_on_ellipse(a.z(), a.x(), w.z(), w.x(), out.z(), out.x()); return true; }
  if (special_axis == 2) { out.z() = w.z(); closest_on_ellipse(a.x(), a.y(), w.x(), w.y(), out.x(), out.y()); return true; }

  const Vec3 a2 = a.cwiseProduct(a);
  const Vec3 a2w2 = a2.cwiseProduct(w.cwiseProduct(w));
  double t = w.cwiseQuotient(a).squaredNorm() < 1.0 ? 0.0 : a.maxCoeff() * w.norm();
  for (int i = 0; i < 64; ++i) {
    const double p = t + a2.x(), q = t + a2.y(), r = t + a2.z();
    const double p2 = p * p, q2 = q * q, r2 = r * r;
    const double f = p2 * q2 * r2 - a2w2.x() * q2 * r2 - a2w2.y() * p2 * r2 - a2w2.z() * p2 * q2;
    if (std::abs(f) < 1e-9) {
      out = Vec3(a2.x() * w.x() / p, a2.y() * w.y() / q, a2.z() * w.z() / r);
      return true;
    }
    const double pq = p * q, pr = p * r, qr = q * r, pqr = p * q * r;
    const double fp = 2.0 * (pqr * (qr + pr + pq) - a2w2.x() * qr * (q + r) -
                             a2w2.y() * pr * (p + r) - a2w2.z() * pq * (p + q));
    t -= f / fp;
  }
  return false;
}

// The fan of the hybrid method: the sum of unit(closest(sample) - sample) over the chord
// samples r1 + (i / 300) (r2 - r1), i = 1..298, in order; a failed solve reuses the previous
// closest point (`c`, in/out), as OpenSim's loop does with its t_c1[0]. The general-case
// Newton solves run eight at a time, interleaved: each sample gets exactly the arithmetic of
// closest_on_ellipsoid (so the same bits), but the four dependency chains overlap, which is
// most of the cost of a hybrid wrap.
Vec3 fan_sum(const Vec3& a, const Vec3& dims, const Vec3& r1, const Vec3& r1r2, Vec3& c) {
  constexpr int kLanes = 8;  // 4 gave 14.4 us per hybrid wrap, 8 13.5 us, 1 (scalar) 23.5 us
  const Vec3 a2 = a.cwiseProduct(a);
  const double amax = a.maxCoeff();
  Vec3 sum = Vec3::Zero();
  for (int first = 1; first < kFanSamples - 1; first += kLanes) {
    const int lanes = std::min(kLanes, kFanSamples - 1 - first);
    Vec3 w[kLanes], out[kLanes];
    bool ok[kLanes], active[kLanes];
    double t[kLanes], p[kLanes], q[kLanes], r[kLanes], a2w2[kLanes][3];
    for (int l = 0; l < lanes; ++l) {
      w[l] = r1 + (static_cast<double>(first + l) / kFanSamples) * r1r2;
      ok[l] = false;
      active[l] = true;
      if (std::abs(w[l].x()) <= kRoundoff || std::abs(w[l].y()) <= kRoundoff ||
          std::abs(w[l].z()) <= kRoundoff) {  // near a coordinate plane: the 2-D special case
        out[l] = c;
        ok[l] = closest_on_ellipsoid(a, dims, w[l], out[l]);
        active[l] = false;
        continue;
      }
      for (int i = 0; i < 3; ++i) a2w2[l][i] = a2[i] * (w[l][i] * w[l][i]);
      const double ux = w[l].x() / a.x(), uy = w[l].y() / a.y(), uz = w[l].z() / a.z();
      t[l] = ux * ux + uy * uy + uz * uz < 1.0 ? 0.0 : amax * w[l].norm();
    }
    for (int it = 0; it < 64; ++it) {
      bool any = false;
      for (int l = 0; l < lanes; ++l) {
        if (!active[l]) continue;
        p[l] = t[l] + a2.x();
        q[l] = t[l] + a2.y();
        r[l] = t[l] + a2.z();
        const double p2 = p[l] * p[l], q2 = q[l] * q[l], r2 = r[l] * r[l];
        const double f = p2 * q2 * r2 - a2w2[l][0] * q2 * r2 - a2w2[l][1] * p2 * r2 - a2w2[l][2] * p2 * q2;
        if (std::abs(f) < 1e-9) {
          out[l] = Vec3(a2.x() * w[l].x() / p[l], a2.y() * w[l].y() / q[l], a2.z() * w[l].z() / r[l]);
          ok[l] = true;
          active[l] = false;
          continue;
        }
        const double pq = p[l] * q[l], pr = p[l] * r[l], qr = q[l] * r[l], pqr = p[l] * q[l] * r[l];
        const double fp = 2.0 * (pqr * (qr + pr + pq) - a2w2[l][0] * qr * (q[l] + r[l]) -
                                 a2w2[l][1] * pr * (p[l] + r[l]) - a2w2[l][2] * pq * (p[l] + q[l]));
        t[l] -= f / fp;
        any = true;
      }
      if (!any) break;
    }
    for (int l = 0; l < lanes; ++l) {
      if (ok[l]) c = out[l];
      sum += unit_or_zero(c - w[l]);
    }
  }
  return sum;
}

// ---- Tangent point from an outside point p in the plane n.x + n4 = 0 (calcTangentPoint).
// Unknowns (r, d): r on the ellipsoid, in the plane, and the tangent plane at r,
// g(r).x + d = 0 with g(r) = 2 (r - m) / a^2, passing through both r and p. Residuals
//   e0 = n.r + n4, e1 = sum((r - m)/a)^2 - 1, e2 = g(r).r + d, e3 = g(r).p + d.
// Levenberg-Marquardt with the diagonal scaled by (1 + alpha), a 1/16 step, a pcos-based
// damping near the line p -> centre, then a doubling line search (WrapEllipsoid.cpp).
struct TangentProblem {
  Vec3 p, m, a2, n;
  double n4;

  Eigen::Vector4d residuals(const Vec3& r, double d) const {
    const Vec3 g = 2.0 * (r - m).cwiseQuotient(a2);
    Eigen::Vector4d e;
    e[0] = n.dot(r) + n4;
    e[1] = (r - m).cwiseProduct(r - m).cwiseQuotient(a2).sum() - 1.0;
    e[2] = g.dot(r) + d;
    e[3] = g.dot(p) + d;
    return e;
  }
};

void solve_tangent_point(double p_level, Vec3& r, const Vec3& p, const Vec3& m, const Vec3& a,
                         const Vec3& n, double n4) {
  if (std::abs(p_level) < kInsideTolerance) {  // p on the surface: it is its own tangent point
    r = p;
    return;
  }
  constexpr int kMaxOuter = 50, kMaxInner = 1000;
  const TangentProblem prob{p, m, a.cwiseProduct(a), n, n4};
  double d = -(2.0 * (r - m).cwiseQuotient(prob.a2)).dot(r);
  Eigen::Vector4d e = prob.residuals(r, d);
  double ssq = e.squaredNorm(), ssq_old = ssq;
  double alpha = 0.01;
  const Vec3 pm = unit_or_zero(p - m);

  for (int it = 0; ssq > kTiny && it < kMaxOuter; ++it) {
    // J(i, j) = d e_j / d theta_i, theta = (r, d).
    Eigen::Matrix4d jt;
    for (int i = 0; i < 3; ++i) {
      jt(i, 0) = n[i];
      jt(i, 1) = 2.0 * (r[i] - m[i]) / prob.a2[i];
      jt(i, 2) = 2.0 * (2.0 * r[i] - m[i]) / prob.a2[i];
      jt(i, 3) = 2.0 * p[i] / prob.a2[i];
    }
    jt.row(3) << 0.0, 0.0, 1.0, 1.0;
    // Smaller steps while r is nearly on the line from p through the centre.
    const double pcos = unit_or_zero(p - r).dot(pm);
    const double damping = pcos > 0.1 ? 1.0 - std::pow(pcos, 100) : 1.0;
    const Eigen::Vector4d v = -(jt * e);
    Eigen::Matrix4d h = jt * jt.transpose();
    const Eigen::Vector4d diag = h.diagonal();

    // Increase the damping, accumulating the steps, until the residual goes down.
    Eigen::Vector4d step = Eigen::Vector4d::Zero();
    for (int k = 0; ssq >= ssq_old && k < kMaxInner; ++k) {
      h.diagonal() = diag * (1.0 + alpha);
      step = damping * (h.inverse() * v) / 16.0;
      r += step.head<3>();
      d += step[3];
      e = prob.residuals(r, d);
      ssq_old = ssq;
      ssq = e.squaredNorm();
      alpha *= 4.0;
    }
    alpha /= 8.0;

    // Then go on along the last step, 1, 2, 4, ... times, while the residual keeps falling,
    // and take back the last move.
    double factor = 0.5;
    for (int k = 0; ssq <= ssq_old && k < kMaxInner; ++k) {
      factor *= 2.0;
      r += step.head<3>() * factor;
      d += step[3] * factor;
      e = prob.residuals(r, d);
      ssq_old = ssq;
      ssq = e.squaredNorm();
    }
    r -= step.head<3>() * factor;
    d -= step[3] * factor;
    e = prob.residuals(r, d);
    ssq = e.squaredNorm();
    ssq_old = ssq;
  }
}

// ---- Length along the surface from r1 to r2 in the plane (CalcDistanceOnEllipsoid): rays
// from a0, where the plane meets the coordinate axis most normal to it, turned in equal angle
// steps from r1 towards r2 (or the other way round for a far-side wrap), cut the ellipsoid;
// the length is that of the polyline r1, cuts..., r2. Also returns the first and last
// interior samples (w1, w2) for the wrong-way test. `factor` converts to metres.
struct SurfacePath {
  double length = 0.0;
  int points = 0;  // polyline points, r1 and r2 included
  Vec3 w1 = Vec3::Zero(), w2 = Vec3::Zero();
};

SurfacePath surface_path(const Vec3& r1, const Vec3& r2, const Vec3& m, const Vec3& a,
                         const Vec3& n, double n4, bool far_side_wrap, double factor) {
  SurfacePath out;
  const double chord_m = (r1 - r2).norm() / factor;
  if (chord_m < kSegmentLength) {  // under 1 mm: the chord
    out.length = chord_m * factor;
    out.points = 2;
    return out;
  }
  int segments = static_cast<int>(chord_m / kSegmentLength);
  if (segments > kMaxSegments) segments = kMaxSegments;

  int imax = 0;
  for (int i = 1; i < 3; ++i)
    if (std::abs(n[i]) > std::abs(n[imax])) imax = i;
  const Vec3 u = Vec3::Unit(imax);
  const double mu = (-n.dot(m) - n4) / n.dot(u);
  const Vec3 a0 = m + mu * u;

  const Vec3 ar1 = unit_or_zero(r1 - a0), ar2 = unit_or_zero(r2 - a0);
  const double phi0 = std::acos(std::clamp(ar1.dot(ar2), -1.0, 1.0));
  const double dphi = far_side_wrap ? -(2.0 * std::numbers::pi - phi0) / segments : phi0 / segments;
  const Vec3 ez = unit_or_zero(ar1.cross(ar2));
  const Vec3 ey = ez.cross(ar1);
  const Vec3 f2 = (a0 - m).cwiseQuotient(a);
  const double cc = f2.squaredNorm() - 1.0;

  Vec3 previous = r1;
  out.points = segments + 1;
  for (int i = 0; i < segments - 1; ++i) {
    const double phi = (i + 1) * dphi;
    const Vec3 ray = std::cos(phi) * ar1 + std::sin(phi) * ey;
    const Vec3 f1 = ray.cwiseQuotient(a);
    const double aa = f1.squaredNorm(), bb = 2.0 * f1.dot(f2);
    const double along = (-bb + std::sqrt(bb * bb - 4.0 * aa * cc)) / (2.0 * aa);
    const Vec3 s = a0 + along * ray;
    if (i == 0) out.w1 = s;
    out.w2 = s;
    out.length += (s - previous).norm();
    previous = s;
  }
  out.length += (r2 - previous).norm();
  return out;
}

}  // namespace

WrapPoints wrap_ellipsoid(const WrapSurface& surface, WrapMethod method, const Vec3& point1,
                          const Vec3& point2, const WrapHint* hint) {
  WrapPoints out;
  const Vec3& dims = surface.dimensions;
  Vec3 c1 = hint ? hint->c1 : WrapHint{}.c1;  // kept if a closest-point solve fails
  out.c1 = c1;

  const double factor = 3.0 / dims.sum();
  const Vec3 p1 = point1 * factor, p2 = point2 * factor;
  const Vec3 m = Vec3::Zero();
  const Vec3 a = dims * factor;

  // 1. An end inside (beyond the tolerance): no wrap.
  const double p1e = (p1 - m).cwiseQuotient(a).squaredNorm() - 1.0;
  const double p2e = (p2 - m).cwiseQuotient(a).squaredNorm() - 1.0;
  if (p1e < -kInsideTolerance || p2e < -kInsideTolerance) {
    out.status = WrapStatus::InsideRadius;
    return out;
  }

  // 2. Both ends seen in nearly the same direction from the centre: no wrap.
  const Vec3 p1p2 = p1 - p2;
  if (std::abs(unit_or_zero(p1 - m).dot(unit_or_zero(p2 - m)) - 1.0) < kInsideTolerance) return out;

  // 3. The segment must pierce the ellipsoid: the line p2 + l (p1 - p2) meets it at two l in
  // (0, 1). Every ellipsoid wrap is then mandatory.
  const Vec3 f1 = p1p2.cwiseQuotient(a), f2 = (p2 - m).cwiseQuotient(a);
  const double qa = f1.squaredNorm(), qb = 2.0 * f1.dot(f2), qc = f2.squaredNorm() - 1.0;
  const double disc = qb * qb - 4.0 * qa * qc;
  if (disc < 0.0) return out;
  const double l1 = (-qb + std::sqrt(disc)) / (2.0 * qa);
  const double l2 = (-qb - std::sqrt(disc)) / (2.0 * qa);
  if (!(0.0 < l1 && l1 < 1.0) || !(0.0 < l2 && l2 < 1.0)) return out;
  Vec3 r1 = p2 + l1 * p1p2;  // entry (p1 side) and exit points
  Vec3 r2 = p2 + l2 * p1p2;

  // 4. The plane point c1.
  const Vec3 r1r2 = r2 - r1;
  const Vec3 mu_abs = unit_or_zero(p1p2).cwiseAbs();
  int best = 0;
  for (int i = 1; i < 3; ++i)
    if (mu_abs[i] > mu_abs[best]) best = i;
  double mu = mu_abs[best];

  // "Frans" candidates: where the chord crosses each coordinate plane through the centre,
  // and the closest surface point in that plane (the 2-D ellipse problem).
  Vec3 t_axis, sv_axis[3], c_axis[3];
  for (int i = 0; i < 3; ++i) {
    t_axis[i] = (m[i] - r1[i]) / r1r2[i];
    sv_axis[i] = r1 + t_axis[i] * r1r2;
    c_axis[i] = Vec3::Zero();
    closest_on_ellipsoid(a, dims, sv_axis[i], c_axis[i], i);
  }
  const double t_best = t_axis[best];
  Vec3 sv = Vec3::Zero();
  double fan_weight = -std::numeric_limits<double>::infinity();

  if (method == WrapMethod::Midpoint) {
    sv = r1 + 0.5 * (r2 - r1);
    closest_on_ellipsoid(a, dims, sv, c1);
  } else {
    if (method == WrapMethod::Hybrid && mu > kMuBlendMin) {
      // Fade the axial choice out when its chord point nears or leaves the chord ends.
      double s = 1.0;
      if (t_best < 0.0 || t_best > 1.0) s = 0.0;
      else if (t_best < kSvBoundaryBlend) s = t_best / kSvBoundaryBlend;
      else if (t_best > 1.0 - kSvBoundaryBlend) s = (1.0 - t_best) / kSvBoundaryBlend;
      if (s < 1.0) mu = kMuBlendMin + s * (mu - kMuBlendMin);
    }
    if (method == WrapMethod::Axial || mu > kMuBlendMin) {
      c1 = c_axis[best];
      sv = sv_axis[best];
    }
    if (method == WrapMethod::Hybrid && mu < kMuBlendMax) {
      // "Fan": average the directions from 298 chord points to their closest surface points.
      const Vec3 sv_mid = r1 + 0.5 * r1r2;
      Vec3 sample_c = c_axis[0];  // a failed solve keeps the previous value, as in OpenSim
      const Vec3 sum = fan_sum(a, dims, r1, r1r2, sample_c);
      const Vec3 fan_target = sv_mid + unit_or_zero(sum);
      if (mu <= kMuBlendMin) {
        closest_on_ellipsoid(a, dims, fan_target, c1);
        sv = sv_mid;
        fan_weight = 1.0;
      } else {
        const double tt = (mu - kMuBlendMin) / (kMuBlendMax - kMuBlendMin);
        Vec3 fan_c = c_axis[1];
        closest_on_ellipsoid(a, dims, fan_target, fan_c);
        const Vec3 blended = tt * c1 + (1.0 - tt) * fan_c;
        sv = tt * sv + (1.0 - tt) * sv_mid;
        closest_on_ellipsoid(a, dims, blended, c1);
        fan_weight = 1.0 - tt;
      }
    }
  }

  // Start the tangent searches from c1 (keeps the path on c1's side), except for the axial
  // method when its chord point is off the chord.
  if (method != WrapMethod::Axial || (t_best > 0.0 && t_best < 1.0)) r1 = r2 = c1;

  // With a quadrant, a c1 on the inactive side is mirrored across the centre plane, pulled
  // back part way by the fan weight and put back on the surface.
  if (surface.quadrant.constrained()) {
    const int ax = surface.quadrant.axis;
    if (dsign(c1[ax] - m[ax]) != surface.quadrant.sign) {
      const Vec3 orig_c1 = c1;
      c1[ax] = -c1[ax];
      r1 = r2 = c1;
      // OpenSim then tests EQUAL_WITHIN_ERROR(fanWeight, -Infinity) to give an unset weight
      // a value from mu; -inf - (-inf) is NaN, so that test never holds: a c1 that no fan
      // touched (axial, midpoint, or hybrid with mu >= 0.9) is mirrored without pull-back.
      if (fan_weight > 1.0) fan_weight = 1.0;
      if (fan_weight > 0.0) {
        const double bisection = 0.5 * (orig_c1[ax] + c1[ax]);
        c1[ax] += fan_weight * (bisection - c1[ax]);
        const Vec3 pulled = c1;
        closest_on_ellipsoid(a, dims, pulled, c1);
      }
    }
  }

  // 5. The wrap plane through p1, p2 and c1, and the tangent points in it.
  const Vec3 n = unit_or_zero(p1p2.cross(p1 - c1));
  const double n4 = -n.dot(c1);
  solve_tangent_point(p1e, r1, p1, m, a, n, n4);
  solve_tangent_point(p2e, r2, p2, m, a, n, n4);

  // 6-7. The surface path; with a quadrant, a path that starts back towards p1 or ends back
  // towards p2 is redone the other way round the plane (far-side wrap).
  SurfacePath path = surface_path(r1, r2, m, a, n, n4, false, factor);
  if (surface.quadrant.constrained() && path.points > 2) {
    const bool back1 = unit_or_zero(p1 - r1).dot(unit_or_zero(path.w1 - r1)) > 0.0;
    const bool back2 = unit_or_zero(p2 - r2).dot(unit_or_zero(path.w2 - r2)) > 0.0;
    if (back1 || back2) path = surface_path(r1, r2, m, a, n, n4, true, factor);
  }

  out.status = WrapStatus::Mandatory;
  out.r1 = r1 / factor;
  out.r2 = r2 / factor;
  out.arc_length = path.length / factor;
  out.c1 = c1;
  return out;
}

}  // namespace femur
