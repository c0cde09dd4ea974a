// The Millard2012 muscle curves: quintic Bezier corners joined into C2 curves. The
// construction follows OpenSim/Common/SmoothSegmentedFunctionFactory.cpp and
// SegmentedQuinticBezierToolkit.cpp (4.x) so that the curves are the same functions; the
// inversion of x(u) is our own (a Hermite start from a per-segment table, then Newton on the
// exact Bezier; OpenSim: spline guess + Newton to 100 eps).
// Reference: Millard et al. (2013) J Biomech Eng 135:021005, Appendix.
#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <vector>

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

// The Bernstein weights of degree 5 and 4 at u (shared by the x and y sums of one segment).
struct Bernstein5 {
  double b[6];   // C(5,k) u^k (1-u)^(5-k) without the binomials
  double d[5];   // u^k (1-u)^(4-k)
  explicit Bernstein5(double u) {
    const double t = 1.0 - u;
    const double u2 = u * u, t2 = t * t;
    const double u3 = u2 * u, t3 = t2 * t, u4 = u2 * u2, t4 = t2 * t2;
    d[0] = t4; d[1] = u * t3; d[2] = u2 * t2; d[3] = u3 * t; d[4] = u4;
    b[0] = t4 * t; b[1] = u * t4; b[2] = u2 * t3; b[3] = u3 * t2; b[4] = u4 * t; b[5] = u4 * u;
  }
  // p(u); the sum as a tree (shorter dependency chain than left to right).
  double value(const std::array<double, 6>& p) const {
    return (p[0] * b[0] + 5.0 * p[1] * b[1]) + (10.0 * p[2] * b[2] + 10.0 * p[3] * b[3]) +
           (5.0 * p[4] * b[4] + p[5] * b[5]);
  }
  // dp/du.
  double d1(const std::array<double, 6>& p) const {
    return 5.0 * (((p[1] - p[0]) * d[0] + 4.0 * (p[2] - p[1]) * d[1]) +
                  (6.0 * (p[3] - p[2]) * d[2] + (4.0 * (p[4] - p[3]) * d[3] + (p[5] - p[4]) * d[4])));
  }
};

constexpr int kCells = SmoothSegmentedCurve::kCells;

// The general path: u in [0, 1] with x(u) = x; x(u) increases monotonically for every corner
// the factories make. Start from the tabulated x(u) (linear interpolation between the cell
// bounds), then Newton kept inside the bracket, to |x(u) - x| <= 1e-15 max(1, |x|).
double solve_u(const SmoothSegmentedCurve::Segment& s, double x) {
  const auto& px = s.x;
  int j = 0;
  while (j < kCells - 1 && x >= s.x_at[j + 1]) ++j;
  double lo = static_cast<double>(j) / kCells, hi = static_cast<double>(j + 1) / kCells;
  const double span = s.x_at[j + 1] - s.x_at[j];
  double u = span > 0 ? lo + (x - s.x_at[j]) / span * (1.0 / kCells) : lo;
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

// The fast path: the cell by binary search on the cell bounds (no data-dependent loop), the
// Hermite start u0 (within ~1e-4), one Newton step on the exact x(u) to u1 (within ~1e-9),
// then at u1 x, x', y and y' from the same Bernstein weights: the second Newton step
// du = -(x(u1) - x)/x'(u1) and y = y(u1) + y'(u1) du, which differs from y(u1 + du) by
// y''(u1) du^2/2 ~ 1e-18. Returns y; `dydx` (if given) gets y'(u1)/x'(u1).
// curve_of checks this on every cell against the general path before it sets fast_inverse.
// N curves' segments at N points in lockstep (N = 1 for value(), 3 for
// smooth_segmented_values3): each stage is a loop over the lanes, so the chains interleave.
template <int N>
inline void values_fast(const SmoothSegmentedCurve::Segment* const seg[N], const double x[N], double y[N]) {
  static_assert(kCells == 16, "the binary search below is written for 16 cells");
  int k[N];
  for (int j = 0; j < N; ++j) k[j] = (x[j] >= seg[j]->x_at[8]) ? 8 : 0;
  for (int j = 0; j < N; ++j) k[j] += (x[j] >= seg[j]->x_at[k[j] + 4]) ? 4 : 0;
  for (int j = 0; j < N; ++j) k[j] += (x[j] >= seg[j]->x_at[k[j] + 2]) ? 2 : 0;
  for (int j = 0; j < N; ++j) k[j] += (x[j] >= seg[j]->x_at[k[j] + 1]) ? 1 : 0;
  // Newton steps in the power form (Estrin): their rounding (~1e-14) is squared away by the
  // last step below.
  const auto power_step = [](const SmoothSegmentedCurve::Segment& s, double x, double u) {
    const auto& a = s.power_x;
    const auto& da = s.power_dx;
    const double w2 = u * u, w4 = w2 * w2;
    const double f = ((a[0] - x) + u * a[1]) + w2 * (a[2] + u * a[3]) + w4 * (a[4] + u * a[5]);
    const double d = (da[0] + u * da[1]) + w2 * (da[2] + u * da[3]) + w4 * da[4];
    return u - f / d;
  };
  double u1[N];
  for (int j = 0; j < N; ++j) {
    const auto& s = *seg[j];
    const auto& c = s.start[k[j]];
    const double t = (x[j] - s.x_at[k[j]]) * c[0];
    const double u0 = (k[j] + t * (c[1] + t * (c[2] + t * c[3]))) * (1.0 / kCells);
    u1[j] = power_step(s, x[j], u0);
  }
  for (int extra = 1; extra < 3; ++extra)  // sharp corners only (power_steps > 1)
    for (int j = 0; j < N; ++j)
      if (seg[j]->power_steps > extra) u1[j] = power_step(*seg[j], x[j], u1[j]);
  for (int j = 0; j < N; ++j) {
    // Step 2 and y on the Bernstein form, with the binomials folded into the control points.
    const auto& s = *seg[j];
    const double u = u1[j], v = 1.0 - u;
    const double u2 = u * u, v2 = v * v;
    const double u3 = u2 * u, v3 = v2 * v, u4 = u2 * u2, v4 = v2 * v2;
    const double q1 = u * v3, q2 = u2 * v2, q3 = u3 * v;  // degree-4 weights (q0 = v4, q4 = u4)
    const double b0 = v4 * v, b1 = u * v4, b2 = u2 * v3, b3 = u3 * v2, b4 = u4 * v, b5 = u4 * u;
    const auto& wx = s.wx;
    const auto& wy = s.wy;
    const auto& dwx = s.dwx;
    const auto& dwy = s.dwy;
    const double xu = (wx[0] * b0 + wx[1] * b1) + (wx[2] * b2 + wx[3] * b3) + (wx[4] * b4 + wx[5] * b5);
    const double yu = (wy[0] * b0 + wy[1] * b1) + (wy[2] * b2 + wy[3] * b3) + (wy[4] * b4 + wy[5] * b5);
    const double dxdu = (dwx[0] * v4 + dwx[1] * q1) + (dwx[2] * q2 + (dwx[3] * q3 + dwx[4] * u4));
    const double dydu = (dwy[0] * v4 + dwy[1] * q1) + (dwy[2] * q2 + (dwy[3] * q3 + dwy[4] * u4));
    y[j] = yu - dydu * ((xu - x[j]) / dxdu);
  }
}

inline double value_fast(const SmoothSegmentedCurve::Segment& s, double x) {
  const SmoothSegmentedCurve::Segment* seg[1] = {&s};
  double y[1];
  values_fast<1>(seg, &x, y);
  return y[0];
}

// The u of the fast path (for derivative()): the same start and steps, the last one applied.
inline double solve_u_fast(const SmoothSegmentedCurve::Segment& s, double x) {
  int k = 0;
  k += (x >= s.x_at[k + 8]) ? 8 : 0;
  k += (x >= s.x_at[k + 4]) ? 4 : 0;
  k += (x >= s.x_at[k + 2]) ? 2 : 0;
  k += (x >= s.x_at[k + 1]) ? 1 : 0;
  const auto& c = s.start[k];
  const double t = (x - s.x_at[k]) * c[0];
  double u = (k + t * (c[1] + t * (c[2] + t * c[3]))) * (1.0 / kCells);
  for (int i = 0; i <= s.power_steps; ++i) {
    const Bernstein5 w(u);
    u -= (w.value(s.x) - x) / w.d1(s.x);
  }
  return u;
}

// The Hermite start of each cell (see SmoothSegmentedCurve::Segment::start).
void build_start(SmoothSegmentedCurve::Segment& s) {
  constexpr double kBinomial5[6] = {1, 5, 10, 10, 5, 1}, kBinomial4[5] = {1, 4, 6, 4, 1};
  for (int k = 0; k < 6; ++k) {
    s.wx[k] = kBinomial5[k] * s.x[k];
    s.wy[k] = kBinomial5[k] * s.y[k];
    // Power form: a_j = C(5, j) sum_i (-1)^(j-i) C(j, i) p_i.
    double sum = 0, cji = 1;  // C(j, i) built up along i
    for (int i = 0; i <= k; ++i) {
      sum += (((k - i) % 2) ? -1.0 : 1.0) * cji * s.x[i];
      cji = cji * (k - i) / (i + 1);
    }
    s.power_x[k] = kBinomial5[k] * sum;
  }
  for (int k = 0; k < 5; ++k) {
    s.power_dx[k] = (k + 1) * s.power_x[k + 1];
    s.dwx[k] = 5.0 * kBinomial4[k] * (s.x[k + 1] - s.x[k]);
    s.dwy[k] = 5.0 * kBinomial4[k] * (s.y[k + 1] - s.y[k]);
  }
  std::array<double, kCells + 1> dxdu{};
  for (int k = 0; k <= kCells; ++k) {
    s.x_at[k] = bezier(s.x, static_cast<double>(k) / kCells);
    dxdu[k] = bezier_d1(s.x, static_cast<double>(k) / kCells);
  }
  for (int k = 0; k < kCells; ++k) {
    const double w = s.x_at[k + 1] - s.x_at[k];
    // Cell-local v = 16 u - k as a function of t = (x - x_at[k])/w: v(0) = 0, v(1) = 1,
    // dv/dt = 16 w / x'(u) at the ends; Hermite cubic v = m0 t + (3 - 2 m0 - m1) t^2 + (m0 + m1 - 2) t^3.
    double m0 = kCells * w / dxdu[k], m1 = kCells * w / dxdu[k + 1];
    if (!(std::isfinite(m0) && std::isfinite(m1) && m0 >= 0 && m1 >= 0)) m0 = m1 = 1.0;  // linear
    s.start[k] = {w > 0 ? 1.0 / w : 0.0, m0, 3.0 - 2.0 * m0 - m1, m0 + m1 - 2.0};
  }
}

// Whether the fast path reproduces the general one on this segment: two points inside every
// cell, |x(u) - x| at rounding level and y within 1e-12 of the safeguarded solution.
bool fast_path_agrees(const SmoothSegmentedCurve::Segment& s) {
  for (int k = 0; k < kCells; ++k) {
    for (double f : {0.3, 0.7}) {
      const double x = bezier(s.x, (k + f) / kCells);
      const double uf = solve_u_fast(s, x), ur = solve_u(s, x);
      const double yf = value_fast(s, x), yr = bezier(s.y, ur);
      if (!(std::abs(bezier(s.x, uf) - x) <= 1e-14 * std::max(1.0, std::abs(x)))) return false;
      if (!(std::abs(yf - yr) <= 1e-12 * std::max(1.0, std::abs(yr)))) return false;
      if (!(std::abs(bezier(s.y, uf) - yr) <= 1e-12 * std::max(1.0, std::abs(yr)))) return false;
    }
  }
  return true;
}

double scale_curviness(double c) { return 0.1 + 0.8 * c; }

// The shared tables: one per distinct set of control points, kept while a curve uses it.
std::shared_ptr<const SmoothSegmentedCurve::Table> intern_table(
    std::initializer_list<SmoothSegmentedCurve::Segment> segs) {
  static std::mutex mutex;
  static std::vector<std::weak_ptr<const SmoothSegmentedCurve::Table>> pool;
  const auto same = [&](const SmoothSegmentedCurve::Table& t) {
    if (t.count != static_cast<int>(segs.size())) return false;
    int i = 0;
    for (const auto& s : segs) {
      if (s.x != t.segments[i].x || s.y != t.segments[i].y) return false;
      ++i;
    }
    return true;
  };
  std::lock_guard<std::mutex> lock(mutex);
  pool.erase(std::remove_if(pool.begin(), pool.end(), [](const auto& w) { return w.expired(); }), pool.end());
  for (const auto& w : pool)
    if (auto t = w.lock(); t && same(*t)) return t;
  auto t = std::make_shared<SmoothSegmentedCurve::Table>();
  bool fast = true;
  for (auto s : segs) {
    build_start(s);
    bool agrees = false;
    for (s.power_steps = 1; s.power_steps <= 3 && !agrees; ++s.power_steps) agrees = fast_path_agrees(s);
    --s.power_steps;
    fast = fast && agrees;
    t->segments[t->count++] = s;
  }
  t->fast_inverse = fast;
  for (int k = 0; k < 4; ++k)
    t->segment_starts[k] = k + 1 < t->count ? t->segments[k].x[5] : std::numeric_limits<double>::infinity();
  pool.push_back(t);
  return t;
}

SmoothSegmentedCurve curve_of(std::initializer_list<SmoothSegmentedCurve::Segment> segs, double x0, double x1,
                              double y0, double y1, double dydx0, double dydx1) {
  SmoothSegmentedCurve c;
  c.table = intern_table(segs);
  c.x0 = x0; c.x1 = x1; c.y0 = y0; c.y1 = y1; c.dydx0 = dydx0; c.dydx1 = dydx1;
  return c;
}

// The segment holding x in [x0, x1] (the segments' x ranges are consecutive).
inline int segment_index(const SmoothSegmentedCurve::Table& c, double x) {
  const auto& b = c.segment_starts;
  return ((x >= b[0]) + (x >= b[1])) + ((x >= b[2]) + (x >= b[3]));
}

double derivative_at(const SmoothSegmentedCurve::Segment& s, double u, int order) {
  const double dx = bezier_d1(s.x, u), dy = bezier_d1(s.y, u);
  if (order == 1) return dy / dx;
  const double ddx = bezier_d2(s.x, u), ddy = bezier_d2(s.y, u);
  return (ddy * dx - dy * ddx) / (dx * dx * dx);
}

}  // namespace

double SmoothSegmentedCurve::value(double x) const {
  if (x < x0) return y0 + dydx0 * (x - x0);
  if (x > x1) return y1 + dydx1 * (x - x1);
  const Table& T = *table;
  const auto& s = T.segments[segment_index(T, x)];
  return T.fast_inverse ? value_fast(s, x) : bezier(s.y, solve_u(s, x));
}

double SmoothSegmentedCurve::value_reference(double x) const {
  if (x < x0) return y0 + dydx0 * (x - x0);
  if (x > x1) return y1 + dydx1 * (x - x1);
  const Table& T = *table;
  int i = 0;
  while (i < T.count - 1 && !(x < T.segments[i].x[5])) ++i;
  return bezier(T.segments[i].y, solve_u(T.segments[i], x));
}

double SmoothSegmentedCurve::derivative(double x, int order) const {
  if (order == 0) return value(x);
  if (x < x0 || x > x1) return order == 1 ? (x < x0 ? dydx0 : dydx1) : 0.0;
  const Table& T = *table;
  const auto& s = T.segments[segment_index(T, x)];
  return derivative_at(s, T.fast_inverse ? solve_u_fast(s, x) : solve_u(s, x), order);
}

double SmoothSegmentedCurve::derivative_reference(double x, int order) const {
  if (order == 0) return value_reference(x);
  if (x < x0 || x > x1) return order == 1 ? (x < x0 ? dydx0 : dydx1) : 0.0;
  const Table& T = *table;
  int i = 0;
  while (i < T.count - 1 && !(x < T.segments[i].x[5])) ++i;
  return derivative_at(T.segments[i], solve_u(T.segments[i], x), order);
}

std::shared_ptr<const SmoothSegmentedCurve::Table> SmoothSegmentedCurve::empty_table() {
  static const auto empty = std::make_shared<const Table>();
  return empty;
}

void smooth_segmented_values3(const SmoothSegmentedCurve& a, double xa, const SmoothSegmentedCurve& b, double xb,
                              const SmoothSegmentedCurve& c, double xc, double out[3]) {
  const SmoothSegmentedCurve* curve[3] = {&a, &b, &c};
  const double xin[3] = {xa, xb, xc};
  if (!(a.fast_inverse() && b.fast_inverse() && c.fast_inverse())) {
    for (int j = 0; j < 3; ++j) out[j] = curve[j]->value(xin[j]);
    return;
  }
  // Points outside a curve's range are evaluated at its end (and the result discarded) so that
  // all three lanes run the same code.
  double x[3], y[3];
  const SmoothSegmentedCurve::Segment* seg[3];
  for (int j = 0; j < 3; ++j) {
    const SmoothSegmentedCurve& C = *curve[j];
    x[j] = xin[j] < C.x0 ? C.x0 : (xin[j] > C.x1 ? C.x1 : xin[j]);
    seg[j] = &C.table->segments[segment_index(*C.table, x[j])];
  }
  values_fast<3>(seg, x, y);
  for (int j = 0; j < 3; ++j) {
    const SmoothSegmentedCurve& C = *curve[j];
    const double xj = xin[j];
    out[j] = xj < C.x0 ? C.y0 + C.dydx0 * (xj - C.x0) : (xj > C.x1 ? C.y1 + C.dydx1 * (xj - C.x1) : y[j]);
  }
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
