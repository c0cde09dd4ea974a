// Scalar functions of one variable with value, first and second derivative, reproducing the
// OpenSim/Common function classes (each kind cites the file whose behaviour it follows).
//
// Two constants come from OpenSim/Common/SimmMacros.h and matter for bit-level agreement:
// knot spacing is clamped below at TINY_NUMBER = 1e-7 when coefficients are built, and an
// abscissa within ROUNDOFF_ERROR = 2e-13 of an end knot is treated as that knot.
#include "femur/math/function.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "femur/math/gcv_spline.hpp"

namespace femur {
namespace {

constexpr double kTinySpacing = 1e-7;     // SimmMacros.h TINY_NUMBER
constexpr double kEndTolerance = 2e-13;   // SimmMacros.h ROUNDOFF_ERROR

bool near_knot(double t, double knot) { return std::abs(t - knot) <= kEndTolerance; }

// Segment k with x[k] <= t <= x[k+1], for x[0] <= t < x[n-1]. This is the bisection of
// OpenSim's SimmSpline/PiecewiseLinearFunction/PiecewiseConstantFunction::calcValue,
// kept step for step because at an interior knot it decides which neighbouring segment
// is used (which matters for the slope of a piecewise-linear function and for the value
// of a piecewise-constant one there). A NaN t returns the first probe.
int find_segment(const double* x, int n, double t) {
  if (n < 3) return 0;
  int lo = 0;
  int hi = n;
  for (;;) {
    const int mid = (lo + hi) / 2;
    if (t < x[mid]) {
      hi = mid;
    } else if (t > x[mid + 1]) {
      lo = mid;
    } else {
      return mid;
    }
  }
}

std::string fmt_double(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

[[noreturn]] void fail(const char* kind, const std::string& what) {
  throw std::invalid_argument(std::string(kind) + ": " + what);
}

void require_finite(const char* kind, const char* name, const std::vector<double>& v) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      fail(kind, std::string(name) + "[" + std::to_string(i) + "] is not a finite number");
    }
  }
}

void require_finite(const char* kind, const char* name, double v) {
  if (!std::isfinite(v)) fail(kind, std::string(name) + " is not a finite number");
}

// Checks tabulated data: equal sizes, at least min_points, finite, x strictly increasing.
void validate_table(const char* kind, const std::vector<double>& x, const std::vector<double>& y,
                    std::size_t min_points, const char* y_name = "y") {
  if (x.size() != y.size()) {
    fail(kind, "x has " + std::to_string(x.size()) + " values but " + y_name + " has " +
                   std::to_string(y.size()));
  }
  if (x.size() < min_points) {
    fail(kind, "needs at least " + std::to_string(min_points) + " points, got " +
                   std::to_string(x.size()));
  }
  require_finite(kind, "x", x);
  require_finite(kind, y_name, y);
  for (std::size_t i = 1; i < x.size(); ++i) {
    if (!(x[i] > x[i - 1])) {
      fail(kind, "x must be strictly increasing, but x[" + std::to_string(i) +
                     "] = " + fmt_double(x[i]) + " follows x[" + std::to_string(i - 1) +
                     "] = " + fmt_double(x[i - 1]));
    }
  }
}

// Cubic spline coefficients of Forsythe, Malcolm & Moler, "Computer Methods for
// Mathematical Computations" (1977), routine SPLINE, as OpenSim/Common/SimmSpline.cpp
// (calcCoefficients) computes them. On segment k, s(t) = y_k + u(b_k + u(c_k + u d_k)),
// u = t - x_k. The unknowns are sigma_k = s''(x_k)/6; continuity of s' gives the
// tridiagonal system h_{k-1} sigma_{k-1} + 2(h_{k-1} + h_k) sigma_k + h_k sigma_{k+1}
// = delta_k - delta_{k-1} (delta = divided difference) at interior knots. The end rows
// make s''' at each end equal to the third derivative of the cubic through the first
// (last) four points, -h_0 sigma_0 + h_0 sigma_1 = h_0^2 (third divided difference) for
// n > 3; for n = 3 the right-hand side is zero (s''' = 0: the parabola through the three
// points). n = 2 is the straight line. Spacings are clamped below at 1e-7 as in OpenSim,
// and b, c, d of the last knot are those of the end (b = slope there, c = s''/2).
void fmm_coefficients(const std::vector<double>& x, const std::vector<double>& y,
                      std::vector<double>& b, std::vector<double>& c, std::vector<double>& d) {
  const std::size_t n = x.size();
  b.assign(n, 0.0);
  c.assign(n, 0.0);
  d.assign(n, 0.0);
  auto spacing = [](double a, double bb) { return std::max(kTinySpacing, bb - a); };

  if (n == 2) {
    const double slope = (y[1] - y[0]) / spacing(x[0], x[1]);
    b[0] = b[1] = slope;
    return;
  }

  const std::size_t last = n - 1;
  // h_k in d, diagonal in b, right-hand side (then sigma) in c.
  std::vector<double>& h = d;
  std::vector<double>& diag = b;
  std::vector<double>& rhs = c;

  h[0] = spacing(x[0], x[1]);
  double delta_prev = (y[1] - y[0]) / h[0];
  for (std::size_t k = 1; k < last; ++k) {
    h[k] = spacing(x[k], x[k + 1]);
    diag[k] = 2.0 * (h[k - 1] + h[k]);
    const double delta = (y[k + 1] - y[k]) / h[k];
    rhs[k] = delta - delta_prev;  // same subtraction, same order, as SimmSpline.cpp
    delta_prev = delta;
  }

  diag[0] = -h[0];
  diag[last] = -h[last - 1];
  rhs[0] = 0.0;
  rhs[last] = 0.0;
  if (n > 3) {
    // Second divided differences from the stored first-difference jumps, then the third
    // divided difference at each end, scaled as in the FMM end rows.
    const double d31 = spacing(x[1], x[3]);
    const double d20 = spacing(x[0], x[2]);
    const double d30 = spacing(x[0], x[3]);
    const double e1 = spacing(x[n - 3], x[last]);
    const double e2 = spacing(x[n - 4], x[n - 2]);
    const double e3 = spacing(x[n - 4], x[last]);
    rhs[0] = (rhs[2] / d31 - rhs[1] / d20) * h[0] * h[0] / d30;
    rhs[last] = -(rhs[last - 1] / e1 - rhs[n - 3] / e2) * h[last - 1] * h[last - 1] / e3;
  }

  // Gaussian elimination without pivoting (the system is diagonally dominant apart from
  // the end rows, as in FMM), then back substitution for sigma.
  for (std::size_t k = 1; k < n; ++k) {
    const double factor = h[k - 1] / diag[k - 1];
    diag[k] -= factor * h[k - 1];
    rhs[k] -= factor * rhs[k - 1];
  }
  rhs[last] /= diag[last];
  for (std::size_t k = last; k-- > 0;) {
    rhs[k] = (rhs[k] - h[k] * rhs[k + 1]) / diag[k];
  }

  // Polynomial coefficients from sigma (now in c).
  b[last] = (y[last] - y[last - 1]) / h[last - 1] + h[last - 1] * (c[last - 1] + 2.0 * c[last]);
  for (std::size_t k = 0; k < last; ++k) {
    b[k] = (y[k + 1] - y[k]) / h[k] - h[k] * (c[k + 1] + 2.0 * c[k]);
    d[k] = (c[k + 1] - c[k]) / h[k];
    c[k] *= 3.0;
  }
  c[last] *= 3.0;
  d[last] = d[last - 1];
}

// Evaluation of an FMM spline (SimmSpline.cpp calcValue/calcDerivative): linear
// extrapolation with the end slope outside the knots, the end values and slopes exactly
// at the end knots, the segment cubic inside.
FunctionValue eval_fmm(const std::vector<double>& xv, const std::vector<double>& yv,
                       const std::vector<double>& bv, const std::vector<double>& cv,
                       const std::vector<double>& dv, double t) {
  const double* x = xv.data();
  const int n = static_cast<int>(xv.size());
  const int last = n - 1;
  if (t < x[0]) return {yv[0] + (t - x[0]) * bv[0], bv[0], 0.0};
  if (t > x[last]) return {yv[last] + (t - x[last]) * bv[last], bv[last], 0.0};
  if (near_knot(t, x[0])) return {yv[0], bv[0], 2.0 * cv[0]};
  if (near_knot(t, x[last])) return {yv[last], bv[last], 2.0 * cv[last]};
  const int k = find_segment(x, n, t);
  const double u = t - x[k];
  const double b = bv[k], c = cv[k], d = dv[k];
  return {yv[k] + u * (b + u * (c + u * d)), b + u * (2.0 * c + 3.0 * u * d),
          2.0 * c + 6.0 * u * d};
}

// The value alone, along the same branches as eval_fmm.
double value_fmm(const std::vector<double>& xv, const std::vector<double>& yv,
                 const std::vector<double>& bv, const std::vector<double>& cv,
                 const std::vector<double>& dv, double t) {
  const double* x = xv.data();
  const int n = static_cast<int>(xv.size());
  const int last = n - 1;
  if (t < x[0]) return yv[0] + (t - x[0]) * bv[0];
  if (t > x[last]) return yv[last] + (t - x[last]) * bv[last];
  if (near_knot(t, x[0])) return yv[0];
  if (near_knot(t, x[last])) return yv[last];
  const int k = find_segment(x, n, t);
  const double u = t - x[k];
  return yv[k] + u * (bv[k] + u * (cv[k] + u * dv[k]));
}

// OpenSim/Common/PiecewiseLinearFunction.cpp: slopes b_k clamped-spacing divided
// differences, b_{n-1} = b_{n-2}; linear extrapolation with the end slopes.
FunctionValue eval_piecewise_linear(const std::vector<double>& xv, const std::vector<double>& yv,
                                    const std::vector<double>& bv, double t) {
  const double* x = xv.data();
  const int n = static_cast<int>(xv.size());
  const int last = n - 1;
  if (t < x[0]) return {yv[0] + (t - x[0]) * bv[0], bv[0], 0.0};
  if (t > x[last]) return {yv[last] + (t - x[last]) * bv[last], bv[last], 0.0};
  if (near_knot(t, x[0])) return {yv[0], bv[0], 0.0};
  if (near_knot(t, x[last])) return {yv[last], bv[last], 0.0};
  const int k = find_segment(x, n, t);
  return {yv[k] + (t - x[k]) * bv[k], bv[k], 0.0};
}

// OpenSim/Common/PiecewiseConstantFunction.cpp: y_0 at or left of x_0, y_{n-1} at or
// right of x_{n-1}, y_k on the segment the bisection finds; all derivatives zero.
double eval_piecewise_constant(const std::vector<double>& xv, const std::vector<double>& yv,
                               double t) {
  const double* x = xv.data();
  const int n = static_cast<int>(xv.size());
  const int last = n - 1;
  if (t < x[0] || near_knot(t, x[0])) return yv[0];
  if (t > x[last] || near_knot(t, x[last])) return yv[last];
  return yv[find_segment(x, n, t)];
}

// Simbody's Function::Step (SimTKcommon/internal/Function.h), which OpenSim's StepFunction
// creates: y0 + (y1 - y0) * stepUp(s), s = (t - x0)/(x1 - x0), stepUp(s) = 10s^3 - 15s^4 +
// 6s^5 (SimTKcommon/Scalar.h), constant outside the transition; x0 > x1 steps backwards.
FunctionValue eval_step(const std::vector<double>& p, double t) {
  const double x0 = p[0], x1 = p[1], y0 = p[2], y1 = p[3];
  const double inv_range = 1.0 / (x1 - x0);
  const double sign = inv_range > 0.0 ? 1.0 : -1.0;
  if ((t - x0) * sign <= 0.0) return {y0, 0.0, 0.0};
  if ((t - x1) * sign >= 0.0) return {y1, 0.0, 0.0};
  const double s = (t - x0) * inv_range;
  const double y_range = y1 - y0;
  const double step = s * s * s * (10.0 + s * (6.0 * s - 15.0));
  const double s_sm1 = s * (s - 1.0);
  const double dstep = 30.0 * s_sm1 * s_sm1;                 // 30 s^2 (1-s)^2
  const double d2step = 60.0 * s * (1.0 + s * (2.0 * s - 3.0));  // 60 s (1-s)(1-2s)
  return {y0 + y_range * step, y_range * inv_range * dstep,
          y_range * inv_range * inv_range * d2step};
}

// Horner's scheme carrying the first two derivatives; coefficients highest power first
// (OpenSim/Common/PolynomialFunction.h, SimTK::Function::Polynomial).
FunctionValue eval_polynomial(const std::vector<double>& coefficients, double t) {
  double f = 0.0, df = 0.0, ddf = 0.0;
  for (const double a : coefficients) {
    ddf = ddf * t + 2.0 * df;
    df = df * t + f;
    f = f * t + a;
  }
  return {f, df, ddf};
}

}  // namespace

Function::Function() : p_{0.0} {}

Function Function::constant(double value) {
  require_finite("Constant", "value", value);
  Function fn;
  fn.kind_ = FunctionKind::Constant;
  fn.p_ = {value};
  return fn;
}

Function Function::linear(double slope, double intercept) {
  require_finite("LinearFunction", "slope", slope);
  require_finite("LinearFunction", "intercept", intercept);
  Function fn;
  fn.kind_ = FunctionKind::Linear;
  fn.p_ = {slope, intercept};
  return fn;
}

Function Function::piecewise_linear(std::vector<double> x, std::vector<double> y) {
  validate_table("PiecewiseLinearFunction", x, y, 2);
  Function fn;
  fn.kind_ = FunctionKind::PiecewiseLinear;
  fn.p_.clear();
  const std::size_t n = x.size();
  fn.b_.assign(n, 0.0);
  for (std::size_t k = 0; k + 1 < n; ++k) {
    fn.b_[k] = (y[k + 1] - y[k]) / std::max(kTinySpacing, x[k + 1] - x[k]);
  }
  fn.b_[n - 1] = fn.b_[n - 2];
  fn.x_ = std::move(x);
  fn.y_ = std::move(y);
  return fn;
}

Function Function::piecewise_constant(std::vector<double> x, std::vector<double> y) {
  // OpenSim evaluates a one-point PiecewiseConstantFunction read from a file (its value
  // everywhere), so one point is accepted here.
  validate_table("PiecewiseConstantFunction", x, y, 1);
  Function fn;
  fn.kind_ = FunctionKind::PiecewiseConstant;
  fn.p_.clear();
  fn.x_ = std::move(x);
  fn.y_ = std::move(y);
  return fn;
}

Function Function::simm_spline(std::vector<double> x, std::vector<double> y) {
  validate_table("SimmSpline", x, y, 2);
  Function fn;
  fn.kind_ = FunctionKind::SimmSpline;
  fn.p_.clear();
  fmm_coefficients(x, y, fn.b_, fn.c_, fn.d_);
  fn.x_ = std::move(x);
  fn.y_ = std::move(y);
  return fn;
}

Function Function::natural_cubic_spline(std::vector<double> x, std::vector<double> y) {
  // OpenSim 4 maps NaturalCubicSpline onto SimmSpline (RegisterTypes_osimCommon.cpp), and
  // the old NaturalCubicSpline.cpp computed the very same FMM coefficients.
  validate_table("NaturalCubicSpline", x, y, 2);
  Function fn;
  fn.kind_ = FunctionKind::NaturalCubicSpline;
  fn.p_.clear();
  fmm_coefficients(x, y, fn.b_, fn.c_, fn.d_);
  fn.x_ = std::move(x);
  fn.y_ = std::move(y);
  return fn;
}

Function Function::gcv_spline(int degree, std::vector<double> x, std::vector<double> coefficients) {
  if (degree != 1 && degree != 3 && degree != 5 && degree != 7) {
    fail("GCVSpline", "degree must be 1, 3, 5 or 7, got " + std::to_string(degree));
  }
  // GCVSpline.cpp needs at least 2 * half order = degree + 1 points.
  validate_table("GCVSpline", x, coefficients, static_cast<std::size_t>(degree) + 1,
                 "coefficients");
  Function fn;
  fn.kind_ = FunctionKind::GCVSpline;
  fn.degree_ = degree;
  fn.x_ = std::move(x);
  fn.p_ = std::move(coefficients);
  return fn;
}

Function Function::polynomial(std::vector<double> coefficients) {
  if (coefficients.empty()) fail("PolynomialFunction", "needs at least one coefficient");
  require_finite("PolynomialFunction", "coefficients", coefficients);
  Function fn;
  fn.kind_ = FunctionKind::Polynomial;
  fn.p_ = std::move(coefficients);
  return fn;
}

Function Function::multiplier(Function inner, double scale) {
  require_finite("MultiplierFunction", "scale", scale);
  Function fn;
  fn.kind_ = FunctionKind::Multiplier;
  fn.p_ = {scale};
  fn.inner_ = std::make_shared<const Function>(std::move(inner));
  return fn;
}

Function Function::sine(double amplitude, double omega, double phase, double offset) {
  require_finite("Sine", "amplitude", amplitude);
  require_finite("Sine", "omega", omega);
  require_finite("Sine", "phase", phase);
  require_finite("Sine", "offset", offset);
  Function fn;
  fn.kind_ = FunctionKind::Sine;
  fn.p_ = {amplitude, omega, phase, offset};
  return fn;
}

Function Function::step(double start_time, double end_time, double start_value,
                         double end_value) {
  require_finite("StepFunction", "transition_start_time", start_time);
  require_finite("StepFunction", "transition_end_time", end_time);
  require_finite("StepFunction", "start_value", start_value);
  require_finite("StepFunction", "end_value", end_value);
  if (start_time == end_time) {
    // Simbody's Function::Step refuses a zero-length switching interval.
    fail("StepFunction", "transition_start_time and transition_end_time are both " +
                             fmt_double(start_time) + "; the transition needs a length");
  }
  Function fn;
  fn.kind_ = FunctionKind::Step;
  fn.p_ = {start_time, end_time, start_value, end_value};
  return fn;
}

const char* Function::kind_name() const {
  switch (kind_) {
    case FunctionKind::Constant: return "Constant";
    case FunctionKind::Linear: return "LinearFunction";
    case FunctionKind::PiecewiseLinear: return "PiecewiseLinearFunction";
    case FunctionKind::PiecewiseConstant: return "PiecewiseConstantFunction";
    case FunctionKind::SimmSpline: return "SimmSpline";
    case FunctionKind::NaturalCubicSpline: return "NaturalCubicSpline";
    case FunctionKind::GCVSpline: return "GCVSpline";
    case FunctionKind::Polynomial: return "PolynomialFunction";
    case FunctionKind::Multiplier: return "MultiplierFunction";
    case FunctionKind::Sine: return "Sine";
    case FunctionKind::Step: return "StepFunction";
  }
  return "Unknown";
}

double Function::value(double x) const {
  switch (kind_) {
    case FunctionKind::Constant: return p_[0];
    case FunctionKind::Linear: return p_[0] * x + p_[1];
    case FunctionKind::PiecewiseConstant: return eval_piecewise_constant(x_, y_, x);
    case FunctionKind::SimmSpline:
    case FunctionKind::NaturalCubicSpline: return value_fmm(x_, y_, b_, c_, d_, x);
    case FunctionKind::Sine: return p_[0] * std::sin(p_[1] * x + p_[2]) + p_[3];
    case FunctionKind::Multiplier: return p_[0] * inner_->value(x);
    default: return evaluate(x).f;
  }
}

FunctionValue Function::evaluate(double x) const {
  switch (kind_) {
    case FunctionKind::Constant:
      return {p_[0], 0.0, 0.0};
    case FunctionKind::Linear:
      return {p_[0] * x + p_[1], p_[0], 0.0};
    case FunctionKind::PiecewiseLinear:
      return eval_piecewise_linear(x_, y_, b_, x);
    case FunctionKind::PiecewiseConstant:
      return {eval_piecewise_constant(x_, y_, x), 0.0, 0.0};
    case FunctionKind::SimmSpline:
    case FunctionKind::NaturalCubicSpline:
      return eval_fmm(x_, y_, b_, c_, d_, x);
    case FunctionKind::GCVSpline:
      return gcv_spline_evaluate(degree_, x_, p_, x);
    case FunctionKind::Polynomial:
      return eval_polynomial(p_, x);
    case FunctionKind::Multiplier: {
      const FunctionValue inner = inner_->evaluate(x);
      const double scale = p_[0];
      return {scale * inner.f, scale * inner.df, scale * inner.ddf};
    }
    case FunctionKind::Sine: {
      // OpenSim/Common/Sine.h: amplitude * sin(omega * x + phase) + offset.
      const double amplitude = p_[0], omega = p_[1];
      const double angle = omega * x + p_[2];
      const double s = std::sin(angle), c = std::cos(angle);
      return {amplitude * s + p_[3], amplitude * omega * c, -amplitude * omega * omega * s};
    }
    case FunctionKind::Step:
      return eval_step(p_, x);
  }
  return {};
}

}  // namespace femur
