// The Millard2012 muscle curves: quintic Bezier corners joined into C2 curves. The
// construction follows OpenSim/Common/SmoothSegmentedFunctionFactory.cpp and
// SegmentedQuinticBezierToolkit.cpp (4.x) so that the curves are the same functions; the
// inversion of x(u) is our own safeguarded Newton (OpenSim: spline guess + Newton to 100 eps).
// Reference: Millard et al. (2013) J Biomech Eng 135:021005, Appendix.
#include <algorithm>
#include <cmath>

#include "femur/muscle/millard2012.hpp"

namespace femur {
namespace {

double bezier(const std::array<double, 6>& p, double u) {
  const double t = 1.0 - u;
  const double u2 = u * u, t2 = t * t;
  return p[0] * t2 * t2 * t + 5.0 * p[1] * u * t2 * t2 + 10.0 * p[2] * u2 * t2 * t +
         10.0 * p[3] * u2 * u * t2 + 5.0 * p[4] * u2 * u2 * t + p[5] * u2 * u2 * u;
}
double bezier_d1(const std::array<double, 6>& p, double u) {
  const double t = 1.0 - u;
  const double u2 = u * u, t2 = t * t;
  return 5.0 * ((p[1] - p[0]) * t2 * t2 + 4.0 * (p[2] - p[1]) * u * t2 * t + 6.0 * (p[3] - p[2]) * u2 * t2 +
                4.0 * (p[4] - p[3]) * u2 * u * t + (p[5] - p[4]) * u2 * u2);
}
double bezier_d2(const std::array<double, 6>& p, double u) {
  const double t = 1.0 - u;
  return 20.0 * ((p[2] - 2 * p[1] + p[0]) * t * t * t + 3.0 * (p[3] - 2 * p[2] + p[1]) * u * t * t +
                 3.0 * (p[4] - 2 * p[3] + p[2]) * u * u * t + (p[5] - 2 * p[4] + p[3]) * u * u * u);
}

// u in [0, 1] with x(u) = x; x(u) increases monotonically for every corner the factories make.
// Start from the tabulated x(u) (linear interpolation between eighths), then Newton kept
// inside the bracket; converges to |x(u) - x| <= 1e-15 |x| in 2-4 steps.
double solve_u(const SmoothSegmentedCurve::Segment& s, double x) {
  const auto& px = s.x;
  int j = 0;
  while (j < 7 && x >= s.x_at[j + 1]) ++j;
  double lo = j / 8.0, hi = (j + 1) / 8.0;
  const double span = s.x_at[j + 1] - s.x_at[j];
  double u = span > 0 ? lo + (x - s.x_at[j]) / span * 0.125 : lo;
  u = std::clamp(u, lo, hi);
  const double tol = 1e-15 * std::max(1.0, std::abs(x));
  for (int k = 0; k < 60; ++k) {
    const double f = bezier(px, u) - x;
    if (std::abs(f) <= tol) break;
    if (f < 0) lo = u; else hi = u;
    const double df = bezier_d1(px, u);
    double next = (df > 0) ? u - f / df : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (next == u || hi - lo < 1e-17) break;
    u = next;
  }
  return u;
}

double scale_curviness(double c) { return 0.1 + 0.8 * c; }

SmoothSegmentedCurve curve_of(std::initializer_list<SmoothSegmentedCurve::Segment> segs, double x0, double x1,
                              double y0, double y1, double dydx0, double dydx1) {
  SmoothSegmentedCurve c;
  for (auto s : segs) {
    for (int k = 0; k <= 8; ++k) s.x_at[k] = bezier(s.x, k / 8.0);
    c.segments[c.count++] = s;
  }
  c.x0 = x0; c.x1 = x1; c.y0 = y0; c.y1 = y1; c.dydx0 = dydx0; c.dydx1 = dydx1;
  return c;
}

}  // namespace

double SmoothSegmentedCurve::value(double x) const {
  if (x < x0) return y0 + dydx0 * (x - x0);
  if (x > x1) return y1 + dydx1 * (x - x1);
  int i = 0;
  while (i < count - 1 && !(x < segments[i].x[5])) ++i;
  const auto& s = segments[i];
  return bezier(s.y, solve_u(s, x));
}

double SmoothSegmentedCurve::derivative(double x, int order) const {
  if (order == 0) return value(x);
  if (x < x0 || x > x1) return order == 1 ? (x < x0 ? dydx0 : dydx1) : 0.0;
  int i = 0;
  while (i < count - 1 && !(x < segments[i].x[5])) ++i;
  const auto& s = segments[i];
  const double u = solve_u(s, x);
  const double dx = bezier_d1(s.x, u), dy = bezier_d1(s.y, u);
  if (order == 1) return dy / dx;
  const double ddx = bezier_d2(s.x, u), ddy = bezier_d2(s.y, u);
  return (ddy * dx - dy * ddx) / (dx * dx * dx);
}

SmoothSegmentedCurve::Segment bezier_corner(double x0, double y0, double dydx0, double x1, double y1,
                                            double dydx1, double c) {
  // Intersection of the two end tangents; the inner control points lie a fraction c of the
  // way from each end point to it (each doubled, which makes the curve C2 at the joins).
  double xC;
  if (std::abs(dydx0 - dydx1) > 1.4901161193847656e-08)
    xC = (y1 - y0 - x1 * dydx1 + x0 * dydx0) / (dydx0 - dydx1);
  else
    xC = 0.5 * (x1 + x0);
  const double yC = (xC - x1) * dydx1 + y1;
  const double x0m = x0 + c * (xC - x0), y0m = y0 + c * (yC - y0);
  const double x1m = x1 + c * (xC - x1), y1m = y1 + c * (yC - y1);
  SmoothSegmentedCurve::Segment s;
  s.x = {x0, x0m, x0m, x1m, x1m, x1};
  s.y = {y0, y0m, y0m, y1m, y1m, y1};
  return s;
}

SmoothSegmentedCurve make_millard_active_force_length_curve(const ActiveForceLengthCurveParameters& p) {
  // createFiberActiveForceLengthCurve(x0, x1, x2 = 1, x3, ylow, dydx, curviness = 1).
  const double x0 = p.min_norm_active_fiber_length, x1 = p.transition_norm_fiber_length, x2 = 1.0,
               x3 = p.max_norm_active_fiber_length, ylow = p.minimum_value, dydx = p.shallow_ascending_slope;
  const double c = scale_curviness(1.0);
  const double xDelta = 0.05 * x2;  // half the width of the plateau shoulder
  const double xs = x2 - xDelta;
  const double y0 = 0, dydx0 = 0;
  const double y1 = 1 - dydx * (xs - x1);
  const double dydx01 = 1.25 * (y1 - y0) / (x1 - x0);
  const double x01 = x0 + 0.5 * (x1 - x0), y01 = y0 + 0.5 * (y1 - y0);
  const double x1s = x1 + 0.5 * (xs - x1), y1s = y1 + 0.5 * (1 - y1), dydx1s = dydx;
  const double y2 = 1, dydx2 = 0;
  const double y3 = 0, dydx3 = 0;
  const double x23 = (x2 + xDelta) + 0.5 * (x3 - (x2 + xDelta)), y23 = y2 + 0.5 * (y3 - y2);
  const double dydx23 = (y3 - y2) / ((x3 - xDelta) - (x2 + xDelta));
  return curve_of({bezier_corner(x0, ylow, dydx0, x01, y01, dydx01, c),
                   bezier_corner(x01, y01, dydx01, x1s, y1s, dydx1s, c),
                   bezier_corner(x1s, y1s, dydx1s, x2, y2, dydx2, c),
                   bezier_corner(x2, y2, dydx2, x23, y23, dydx23, c),
                   bezier_corner(x23, y23, dydx23, x3, ylow, dydx3, c)},
                  x0, x3, ylow, ylow, 0.0, 0.0);
}

namespace {
std::array<SmoothSegmentedCurve::Segment, 4> force_velocity_segments(double fmaxE, double dydxC, double dydxNearC,
                                                                     double dydxIso, double dydxE,
                                                                     double dydxNearE, double concCurv,
                                                                     double eccCurv) {
  const double cC = scale_curviness(concCurv), cE = scale_curviness(eccCurv);
  const double xC = -1, yC = 0;
  const double xNearC = -0.9;
  const double yNearC = yC + 0.5 * dydxNearC * (xNearC - xC) + 0.5 * dydxC * (xNearC - xC);
  const double xIso = 0, yIso = 1;
  const double xE = 1, yE = fmaxE;
  const double xNearE = 0.9;
  const double yNearE = yE + 0.5 * dydxNearE * (xNearE - xE) + 0.5 * dydxE * (xNearE - xE);
  return {bezier_corner(xC, yC, dydxC, xNearC, yNearC, dydxNearC, cC),
          bezier_corner(xNearC, yNearC, dydxNearC, xIso, yIso, dydxIso, cC),
          bezier_corner(xIso, yIso, dydxIso, xNearE, yNearE, dydxNearE, cE),
          bezier_corner(xNearE, yNearE, dydxNearE, xE, yE, dydxE, cE)};
}
}  // namespace

SmoothSegmentedCurve make_millard_force_velocity_curve(const ForceVelocityCurveParameters& p) {
  const auto s = force_velocity_segments(p.max_eccentric_velocity_force_multiplier, p.concentric_slope_at_vmax,
                                         p.concentric_slope_near_vmax, p.isometric_slope,
                                         p.eccentric_slope_at_vmax, p.eccentric_slope_near_vmax,
                                         p.concentric_curviness, p.eccentric_curviness);
  return curve_of({s[0], s[1], s[2], s[3]}, -1.0, 1.0, 0.0, p.max_eccentric_velocity_force_multiplier,
                  p.concentric_slope_at_vmax, p.eccentric_slope_at_vmax);
}

SmoothSegmentedCurve make_millard_force_velocity_inverse_curve(const ForceVelocityCurveParameters& p) {
  auto s = force_velocity_segments(p.max_eccentric_velocity_force_multiplier, p.concentric_slope_at_vmax,
                                   p.concentric_slope_near_vmax, p.isometric_slope, p.eccentric_slope_at_vmax,
                                   p.eccentric_slope_near_vmax, p.concentric_curviness, p.eccentric_curviness);
  for (auto& seg : s) std::swap(seg.x, seg.y);
  return curve_of({s[0], s[1], s[2], s[3]}, 0.0, p.max_eccentric_velocity_force_multiplier, -1.0, 1.0,
                  1.0 / p.concentric_slope_at_vmax, 1.0 / p.eccentric_slope_at_vmax);
}

SmoothSegmentedCurve make_millard_fiber_force_length_curve(const FiberForceLengthCurveParameters& p) {
  const double e0 = p.strain_at_zero_force, e1 = p.strain_at_one_norm_force;
  // FiberForceLengthCurve::ensureCurveUpToDate defaults.
  const double kIso = p.stiffness_at_one_norm_force.value_or(2.0 / (e1 - e0));
  const double kLow = p.stiffness_at_low_force.value_or(0.2);
  const double c = scale_curviness(p.curviness.value_or(0.75));
  const double xZero = 1 + e0, yZero = 0;
  const double xIso = 1 + e1, yIso = 1;
  const double deltaX = std::min(0.1 * (1.0 / kIso), 0.1 * (xIso - xZero));
  const double xLow = xZero + deltaX;
  const double xfoot = xZero + 0.5 * (xLow - xZero);
  const double yLow = kLow * (xLow - xfoot);
  return curve_of({bezier_corner(xZero, yZero, 0, xLow, yLow, kLow, c),
                   bezier_corner(xLow, yLow, kLow, xIso, yIso, kIso, c)},
                  xZero, xIso, yZero, yIso, 0.0, kIso);
}

SmoothSegmentedCurve make_millard_tendon_force_length_curve(const TendonForceLengthCurveParameters& p) {
  const double eIso = p.strain_at_one_norm_force;
  // TendonForceLengthCurve::ensureCurveUpToDate defaults.
  const double kIso = p.stiffness_at_one_norm_force.value_or(1.375 / eIso);
  const double fToe = p.norm_force_at_toe_end.value_or(2.0 / 3.0);
  const double c = scale_curviness(p.curviness.value_or(0.5));
  const double x0 = 1.0, y0 = 0, dydx0 = 0;
  const double xIso = 1.0 + eIso, yIso = 1, dydxIso = kIso;
  const double yToe = fToe, xToe = (yToe - 1) / kIso + xIso;
  const double xFoot = 1.0 + (xToe - 1.0) / 10.0, yFoot = 0;
  const double yToeMid = yToe * 0.5;
  const double xToeMid = (yToeMid - yIso) / kIso + xIso;
  const double dydxToeMid = (yToeMid - yFoot) / (xToeMid - xFoot);
  const double xToeCtrl = xFoot + 0.5 * (xToeMid - xFoot);
  const double yToeCtrl = yFoot + dydxToeMid * (xToeCtrl - xFoot);
  return curve_of({bezier_corner(x0, y0, dydx0, xToeCtrl, yToeCtrl, dydxToeMid, c),
                   bezier_corner(xToeCtrl, yToeCtrl, dydxToeMid, xToe, yToe, dydxIso, c)},
                  x0, xToe, y0, yToe, dydx0, dydxIso);
}

}  // namespace femur
