// Woltring's natural smoothing spline (GCVSPL): evaluation from knots and coefficients.
//
// Reference: H.J. Woltring (1986), "A Fortran package for generalized, cross-validatory
// spline smoothing and differentiation", Adv. Eng. Software 8(2):104-113, routine SPLDER;
// the B-spline scheme is that of Lyche, Schumaker & Sepehrnoori (1983), Adv. Eng. Software
// 5(1):2-5. OpenSim evaluates its GCVSpline through Simbody's SimTK::Spline, which calls
// the same routine (simbody SimTKmath/Geometry/src/gcvspl.cpp, SPLDER), so the order of the
// floating-point operations below is chosen to be the same as there: results agree bit for
// bit, not only to rounding.
//
// The representation. A natural spline of order 2m (degree 2m-1) on knots x_1 < ... < x_n is
// a polynomial of degree 2m-1 between knots and of degree m-1 outside [x_1, x_n]. Woltring
// writes it as sum_J d_J B_J(t) over n + 2m B-splines J = 1..n+2m, B_J of order 2m with
// knots x_{J-2m} .. x_J, where knots with index < 1 are at -infinity and > n at +infinity
// (scaled so that the limits exist: these are the natural end conditions). Only
// d_{m+1} .. d_{n+m} can be non-zero; they are the n stored coefficients c_1..c_n.
//
// Evaluating the ider'th derivative at t in knot interval l (x_l <= t < x_{l+1}):
//  1. take the 2m coefficients that are non-zero on the interval, d_{l+1} .. d_{l+2m};
//  2. differentiate ider times in coefficient space: each pass turns order-k coefficients
//     into order-(k-1) ones, d'_J = (d_J - d_{J-1}) / (x_{J-2m+k-1} - x_{J-2m}) where both
//     knots are finite; d'_J = -d_{J-1} where the left knot is at -infinity; unchanged where
//     the right knot is at +infinity. The factors (k-1) are applied at the end;
//  3. run de Boor's triangular recurrence for the remaining order k = 2m - ider, with the
//     same three cases for finite/infinite knots;
//  4. multiply by (2m-1)(2m-2)...(k) when ider > 0.
#include "femur/math/gcv_spline.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>

namespace femur {
namespace {

constexpr int kMaxHalfOrder = 4;  // degree 7; OpenSim clamps the degree to 1..7

// Number of knots <= t: the 1-based interval index l with x_l <= t < x_{l+1}; 0 left of
// x_1 and n at or right of x_n (Woltring's SEARCH returns the same l).
int knot_interval(const double* x, int n, double t) {
  return static_cast<int>(std::upper_bound(x, x + n, t) - x);
}

// The ider'th derivative (ider >= 0) of the natural spline of half order m at t.
double natural_spline_derivative(int ider, int m, int n, const double* x, const double* c,
                                 double t) {
  const int order = 2 * m;
  const int k = order - ider;  // order left after differentiating
  if (k < 1) return 0.0;       // derivatives of order >= 2m vanish

  const int l = knot_interval(x, n, t);
  // 1-based accessors, so the index arithmetic reads as in the paper.
  auto X = [x](int i) { return x[i - 1]; };
  // q[1..2m] holds the working coefficients (q[0] is never read as data).
  std::array<double, 2 * kMaxHalfOrder + 1> q{};

  // 1. Local coefficients d_{l+r}, r = 1..2m; d_J = c_{J-m} for m < J <= n+m, else 0.
  for (int r = 1; r <= order; ++r) {
    const int J = l + r;
    q[r] = (J > m && J <= n + m) ? c[J - m - 1] : 0.0;
  }

  // 2. Differentiate in coefficient space. With s = J - 2m the shifted B-spline index,
  // q[r] holds d_J for r = s + 2m - l. At pass i the coefficients still needed are those
  // with s >= l + 1 - 2m + i; the ones with 1 <= s <= min(l, n - 2m + i) have two finite
  // knots x_s and x_{s+2m-i}.
  if (ider > 0) {
    const int shift = order - l;  // r = s + shift
    for (int i = 1; i <= ider; ++i) {
      const int s_low = l + 1 - order + i;
      const int s_first = std::max(1, s_low);
      const int s_last = std::min(l, n - order + i);
      const int span = order - i;
      // Finite knots, from the right so that d_{J-1} is still the old value.
      for (int s = s_last; s >= s_first; --s) {
        const int r = s + shift;
        q[r] = (q[r] - q[r - 1]) / (X(s + span) - X(s));
      }
      // Left knot at -infinity: d'_J = -d_{J-1}, for s = 0 down to s_low.
      if (s_low < 1) {
        for (int r = shift; r >= i + 1; --r) q[r] = -q[r - 1];
      }
    }
    // Drop the ider leading coefficients that no longer touch the interval.
    for (int r = 1; r <= k; ++r) q[r] = q[r + ider];
  }

  // 3. de Boor's recurrence for order k on interval l; q[k] ends up holding the value.
  for (int i = 1; i <= k - 1; ++i) {
    const int last_finite = n - k + i;  // right knot x_{jj+k-i} is finite iff jj <= this
    const int k_minus_i = k - i;
    int r = k;
    int jj = l;
    // Right knot at +infinity.
    for (int j = last_finite + 1; j <= l; ++j) {
      q[r] = q[r - 1] + (t - X(jj)) * q[r];
      --jj;
      --r;
    }
    // Both knots finite: the ordinary convex combination.
    const int left_limit = l - k + 1 + i;
    const int j_first = std::max(1, left_limit);
    const int j_last = std::min(l, last_finite);
    for (int j = j_first; j <= j_last; ++j) {
      const double right = X(jj + k_minus_i);
      const double z = q[r];
      q[r] = z + (right - t) * (q[r - 1] - z) / (right - X(jj));
      --r;
      --jj;
    }
    // Left knot at -infinity.
    if (left_limit <= 0) {
      jj = k_minus_i;
      for (int j = 1; j <= 1 - left_limit; ++j) {
        q[r] += (X(jj) - t) * q[r - 1];
        --jj;
        --r;
      }
    }
  }

  // 4. The factors of the differentiation passes.
  double value = q[k];
  if (ider > 0) {
    for (int j = k; j <= order - 1; ++j) value *= j;
  }
  return value;
}

}  // namespace

double gcv_spline_derivative(int degree, const std::vector<double>& x,
                             const std::vector<double>& c, int derivative_order, double t) {
  const int m = (degree + 1) / 2;
  if (degree < 1 || degree > 2 * kMaxHalfOrder - 1 || degree % 2 == 0)
    throw std::invalid_argument("gcv_spline: degree must be 1, 3, 5 or 7");
  if (x.size() != c.size())
    throw std::invalid_argument("gcv_spline: knots and coefficients differ in number");
  if (static_cast<int>(x.size()) < 2 * m)
    throw std::invalid_argument("gcv_spline: fewer than degree + 1 knots");
  if (derivative_order < 0) throw std::invalid_argument("gcv_spline: negative derivative order");
  return natural_spline_derivative(derivative_order, m, static_cast<int>(x.size()), x.data(),
                                   c.data(), t);
}

FunctionValue gcv_spline_evaluate(int degree, const std::vector<double>& x,
                                  const std::vector<double>& c, double t) {
  FunctionValue v;
  v.f = gcv_spline_derivative(degree, x, c, 0, t);
  const int m = (degree + 1) / 2;
  const int n = static_cast<int>(x.size());
  v.df = natural_spline_derivative(1, m, n, x.data(), c.data(), t);
  v.ddf = natural_spline_derivative(2, m, n, x.data(), c.data(), t);
  return v;
}

}  // namespace femur
