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
#include <cmath>
#include <cstddef>
#include <iterator>
#include <list>
#include <stdexcept>
#include <unordered_map>

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


// ---------------------------------------------------------------------------------------
// Fitting (GCVSPL). The smoothing spline minimizes
//   sum_i w_i (y_i - s(x_i))^2 + p * integral (s^(m)(t))^2 dt
// over natural splines s of order 2m (Woltring 1986, eq. 1). Writing s = sum_j c_j B_j in the
// basis above gives the banded system (B + p W^-1 E) c = y, where B (half-bandwidth m-1)
// is the collocation matrix B_ij = B_j(x_i) and E (half-bandwidth m) holds the divided-
// difference weights of the penalty (Lyche et al. 1983, BASIS and PREP). p is chosen by a
// search that brackets the minimum of a criterion (GCV or estimated true MSE) by doubling or
// halving p, then refines it by golden section to a relative width of 1e-6.
// The statistics need trace(A) of the influence matrix A = B (B + p W^-1 E)^-1; it equals
// n - p trace(W^-1 E (B + p W^-1 E)^-1), and only the central 2m+1 bands of the inverse are
// needed, which Erisman & Tinney's (1975) recurrence gives from the LU factors in O(n m^2).
// ---------------------------------------------------------------------------------------

// n x n matrix with `half` bands each side of the diagonal, stored by rows:
// element (i, i+k) of the matrix, 1-based i, |k| <= half, at data[(i-1)*(2 half+1) + half + k].
struct BandMatrix {
  int n = 0;
  int half = 0;
  std::vector<double> data;

  void resize(int rows, int half_bandwidth) {
    n = rows;
    half = half_bandwidth;
    data.assign(static_cast<std::size_t>(n) * (2 * half + 1), 0.0);
  }
  double& operator()(int k, int i) { return data[(i - 1) * (2 * half + 1) + half + k]; }
  double operator()(int k, int i) const { return data[(i - 1) * (2 * half + 1) + half + k]; }
};

// The collocation matrix B_ij = B_j(x_i) of the natural B-splines (half-bandwidth m-1) and
// its mean absolute row sum (L1 norm / n). Each row evaluates the 2m-1 B-splines that are
// non-zero at a knot by the triangular recurrence of increasing order i = 3..2m, with the
// three knot cases (left at -infinity, both finite, right at +infinity) as in evaluation.
void collocation_matrix(int m, int n, const double* x, BandMatrix& b, double& l1_norm) {
  b.resize(n, m - 1);
  if (m == 1) {
    for (int l = 1; l <= n; ++l) b(0, l) = 1.0;
    l1_norm = 1.0;
    return;
  }
  auto X = [x](int i) { return x[i - 1]; };
  // q[j], j = -(m-1)..m, at qbuf[j + m - 1].
  std::array<double, 2 * kMaxHalfOrder> qbuf{};
  auto q = [&qbuf, m](int j) -> double& { return qbuf[j + m - 1]; };
  const int order = 2 * m;
  for (int l = 1; l <= n; ++l) {
    qbuf.fill(0.0);
    // Order 2: the hat at x_l, unnormalized inside (1 / (x_{l+1} - x_{l-1})).
    q(m - 1) = (l != 1 && l != n) ? 1.0 / (X(l + 1) - X(l - 1)) : 1.0;
    const double arg = X(l);
    for (int i = 3; i <= order; ++i) {
      int ir = m + 1 - i;
      double v = q(ir);
      if (l < i) {  // splines whose left knots are at -infinity
        for (int j = l + 1; j <= i; ++j) {
          const double u = v;
          v = q(ir + 1);
          q(ir) = u + (X(j) - arg) * v;
          ++ir;
        }
      }
      const int j_first = std::max(l - i + 1, 1);
      const int j_last = std::min(l - 1, n - i);
      if (i < order) {
        for (int j = j_first; j <= j_last; ++j) {
          const double right = X(i + j);
          const double u = v;
          v = q(ir + 1);
          q(ir) = u + (v - u) * (right - arg) / (right - X(j));
          ++ir;
        }
      } else {  // the last order is left unnormalized
        for (int j = j_first; j <= j_last; ++j) {
          const double u = v;
          v = q(ir + 1);
          q(ir) = (arg - X(j)) * u + (X(i + j) - arg) * v;
          ++ir;
        }
      }
      // splines whose right knots are at +infinity
      for (int j = n - i + 1; j <= l - 1; ++j) {
        const double u = v;
        v = q(ir + 1);
        q(ir) = (arg - X(j)) * u + v;
        ++ir;
      }
    }
    for (int k = -(m - 1); k <= m - 1; ++k) b(k, l) = q(k);
  }
  // Entries outside the matrix (first and last m-1 rows) are zero.
  for (int i = 1; i <= m - 1; ++i) {
    for (int k = i; k <= m - 1; ++k) {
      b(-k, i) = 0.0;
      b(k, n + 1 - i) = 0.0;
    }
  }
  double sum = 0.0;
  for (int i = 1; i <= n; ++i)
    for (int k = -(m - 1); k <= m - 1; ++k) sum += std::abs(b(k, i));
  l1_norm = sum / n;
}

// W^-1 E: E is the matrix of the penalty in the B-spline basis, built column by column from
// divided-difference coefficients of order m on the knots x_{j-m}..x_{j+m} (clipped to
// 1..n), scaled by (2m-1)!/(m-1)! with alternating sign at the ends and by the knot span
// inside (Lyche et al. 1983, PREP). Half-bandwidth m. Also its mean absolute row sum.
void penalty_matrix(int m, int n, const double* x, const double* w, BandMatrix& we,
                    double& l1_norm) {
  we.resize(n, m);
  auto X = [x](int i) { return x[i - 1]; };
  double f1 = -1.0;
  if (m != 1) {
    for (int i = 2; i <= m; ++i) f1 = -f1 * i;
    for (int i = m + 1; i <= 2 * m - 1; ++i) f1 *= i;
  }
  for (int j = 1; j <= n; ++j) {
    double f;
    if (j > n - m) {
      f1 = -f1;
      f = f1;
    } else if (j < m + 1) {
      f = f1;
    } else {
      f = f1 * (X(j + m) - X(j - m));
    }
    const int first = std::max(1, j - m);
    const int last = std::min(n, j + m);
    // Row r of column j: f / prod_{i != r} (x_r - x_i), i over first..last, ascending.
    for (int r = first; r <= last; ++r) {
      double ff = f;
      const double y = X(r);
      for (int i = first; i <= last; ++i)
        if (i != r) ff = ff / (y - X(i));
      we(j - r, r) = ff;
    }
  }
  double sum = 0.0;
  for (int i = 1; i <= n; ++i) {
    const double wi = w[i - 1];
    for (int k = -m; k <= m; ++k) {
      we(k, i) /= wi;
      sum += std::abs(we(k, i));
    }
  }
  l1_norm = sum / n;
}

// In-place LU factorization without pivoting of a band matrix (half-bandwidth m): L has a
// unit diagonal and is stored below, U on and above (Woltring's BANDET, Crout order).
void band_lu(BandMatrix& e) {
  const int m = e.half;
  const int n = e.n;
  for (int i = 1; i <= n; ++i) {
    double di = e(0, i);
    const int mi = std::min(m, i - 1);
    if (mi >= 1) {
      for (int k = 1; k <= mi; ++k) di -= e(-k, i) * e(k, i - k);
      e(0, i) = di;
    }
    const int lm = std::min(m, n - i);
    for (int l = 1; l <= lm; ++l) {
      double dl = e(-l, i + l);
      const int km = std::min(m - l, i - 1);
      if (km >= 1) {
        double du = e(l, i);
        for (int k = 1; k <= km; ++k) {
          du -= e(-k, i) * e(l + k, i - k);
          dl -= e(-l - k, l + i) * e(k, i - k);
        }
        e(l, i) = du;
      }
      e(-l, i + l) = dl / di;
    }
  }
}

// Solves L U c = y with the factors of band_lu (BANSOL).
void band_solve(const BandMatrix& e, const double* y, double* c) {
  const int m = e.half;
  const int n = e.n;
  c[0] = y[0];
  for (int i = 2; i <= n; ++i) {
    double d = y[i - 1];
    const int mi = std::min(m, i - 1);
    for (int l = 1; l <= mi; ++l) d -= e(-l, i) * c[i - l - 1];
    c[i - 1] = d;
  }
  c[n - 1] /= e(0, n);
  for (int i = n - 1; i >= 1; --i) {
    double d = c[i - 1];
    const int mi = std::min(m, n - i);
    for (int l = 1; l <= mi; ++l) d -= e(l, i) * c[i + l - 1];
    c[i - 1] = d / e(0, i);
  }
}

// Overwrites the LU factors in e with the central 2m+1 bands of the inverse matrix
// (Erisman & Tinney 1975, from the last row up) and returns sum_ij b_ij (inverse)_ji for the
// band matrix b of the same half-bandwidth (Woltring's TRINV).
double band_inverse_trace(const BandMatrix& b, BandMatrix& e) {
  const int m = e.half;
  const int n = e.n;
  std::array<double, kMaxHalfOrder + 1> upper{};  // row i of U scaled by 1/u_ii
  std::array<double, kMaxHalfOrder + 1> lower{};  // column i of L
  e(0, n) = 1.0 / e(0, n);
  for (int i = n - 1; i >= 1; --i) {
    const int mi = std::min(m, n - i);
    double dd = 1.0 / e(0, i);
    for (int k = 1; k <= mi; ++k) {
      upper[k] = e(k, i) * dd;
      lower[k] = e(-k, k + i);
    }
    dd += dd;
    for (int j = mi; j >= 1; --j) {
      double du = 0.0;
      double dl = 0.0;
      for (int k = 1; k <= mi; ++k) {
        du -= upper[k] * e(j - k, i + k);
        dl -= lower[k] * e(k - j, i + j);
      }
      e(j, i) = du;
      e(-j, j + i) = dl;
      dd -= upper[j] * dl + lower[j] * du;
    }
    e(0, i) = dd * 0.5;
  }
  double sum = 0.0;
  for (int i = 1; i <= n; ++i) {
    const int k_low = -std::min(m, i - 1);
    const int k_high = std::min(m, n - i);
    for (int k = k_low; k <= k_high; ++k) sum += b(k, i) * e(-k, k + i);
  }
  return sum;
}

// Everything about a knot sequence that does not depend on the data: B, W^-1 E, their norm
// ratio, and the factorizations of B + p W^-1 E already computed (each p the search tries
// is tried for every column of a set; the matrices depend on p only, so each is factored once).
class GcvProblem {
 public:
  static constexpr double kEps = 1e-15;  // GCVSPL's relative rounding tolerance * 10

  GcvProblem(int m, int n, const double* x, const double* w) : m_(m), n_(n), w_(w) {
    double b_norm = 0.0;
    collocation_matrix(m, n, x, b_, b_norm);
    penalty_matrix(m, n, x, w, we_, el_);
    el_ /= b_norm;
  }

  double el() const { return el_; }

  // GCVSPL's SPLC: fits column y for smoothing parameter p, writes c and the statistics,
  // returns the criterion value.
  double fit(double p, GcvSmoothing smoothing, const double* y, double* c,
             GcvFitStatistics& stats) {
    double dp = p;
    stats.smoothing_parameter = p;
    const double pel = p * el_;
    if (pel < kEps) {  // pseudo-interpolation floor
      dp = kEps / el_;
      stats.smoothing_parameter = 0.0;
    }
    if (pel * kEps > 1.0) {  // pseudo least-squares polynomial ceiling
      dp = 1.0 / (el_ * kEps);
      stats.smoothing_parameter = dp;
    }
    const Factorization& f = factorization(dp);
    band_solve(f.lu, y, c);
    stats.residual_dof = f.trace * dp;
    const double trn = stats.residual_dof / n_;

    double esn = 0.0;
    const int mb = m_ - 1;
    for (int i = 1; i <= n_; ++i) {
      double dt = -y[i - 1];
      const int k_low = -std::min(mb, i - 1);
      const int k_high = std::min(mb, n_ - i);
      for (int k = k_low; k <= k_high; ++k) dt += b_(k, i) * c[i + k - 1];
      esn += dt * dt * w_[i - 1] * 1.0;  // the second weight is OpenSim's unit wy
    }
    esn /= n_;

    stats.error_variance = esn / trn;
    stats.gcv = stats.error_variance / trn;
    stats.mean_squared_residual = esn;
    ++stats.criterion_evaluations;
    if (smoothing.criterion != GcvCriterion::ErrorVariance) {
      stats.true_mse = stats.error_variance - esn;
      switch (smoothing.criterion) {
        case GcvCriterion::Gcv: return stats.gcv;
        case GcvCriterion::ResidualDof: return std::abs(stats.residual_dof - smoothing.value);
        default: return 0.0;
      }
    }
    stats.true_mse = esn - smoothing.value * (trn * 2.0 - 1.0);
    return stats.true_mse;
  }

 private:
  struct Factorization {
    double dp = 0.0;
    BandMatrix lu;
    double trace = 0.0;
  };

  const Factorization& factorization(double dp) {
    if (const auto it = index_.find(dp); it != index_.end()) {
      cache_.splice(cache_.end(), cache_, it->second);  // most recently used last
      return cache_.back();
    }
    Factorization f;
    f.dp = dp;
    f.lu.resize(n_, m_);
    for (int i = 1; i <= n_; ++i) {
      const int k_low = -std::min(m_, i - 1);
      const int k_high = std::min(m_, n_ - i);
      for (int k = k_low; k <= k_high; ++k)
        f.lu(k, i) = (std::abs(k) == m_) ? dp * we_(k, i) : b_(k, i) + dp * we_(k, i);
    }
    band_lu(f.lu);
    work_ = f.lu;
    f.trace = band_inverse_trace(we_, work_);
    // Least recently used out once the cache would pass its byte budget. A long trial's knots
    // make each factorization large (10^4 knots: 0.6 MB) and the golden-section points differ
    // between columns, so an unbounded cache grew to ~0.5 GB on a 10 s window at 1 kHz; the
    // bracketing points every column tries stay in use and so stay cached.
    const std::size_t bytes = f.lu.data.size() * sizeof(double);
    while (!cache_.empty() && (cache_.size() + 1) * bytes > kCacheBytes) {
      index_.erase(cache_.front().dp);
      cache_.pop_front();
    }
    cache_.push_back(std::move(f));
    index_.emplace(dp, std::prev(cache_.end()));
    return cache_.back();
  }

  int m_, n_;
  const double* w_;
  BandMatrix b_, we_, work_;
  double el_ = 0.0;
  // Factorizations by dp, least recently used first (list: stable addresses, O(1) moves).
  static constexpr std::size_t kCacheBytes = std::size_t{64} << 20;
  std::list<Factorization> cache_;
  std::unordered_map<double, std::list<Factorization>::iterator> index_;
};

// GCVSPL's search for p: start at p = 1/el, halve while the criterion decreases (stop at the
// interpolation floor), else double while it decreases (stop at the polynomial ceiling), then
// golden-section search on the bracket until its relative width is <= 1e-6, and fit at its
// midpoint. The final fit is always the last call, so c and stats describe it.
void search_smoothing(GcvProblem& problem, GcvSmoothing smoothing, const double* y, double* c,
                      GcvFitStatistics& stats) {
  constexpr double kRatio = 2.0;
  constexpr double kGolden = 1.618033983;
  constexpr double kTolerance = 1e-6;
  constexpr double kCeiling = 999999999999999.88;  // GCVSPL's test for "p is infinite"
  auto criterion = [&](double p) { return problem.fit(p, smoothing, y, c, stats); };

  double r1 = 0.0;
  if (smoothing.criterion == GcvCriterion::SmoothingParameter) {
    r1 = smoothing.value;
  } else {
    r1 = 1.0 / problem.el();
    double r2 = r1 * kRatio;
    double gf2 = criterion(r2);
    bool bracketed = false;
    for (;;) {  // smaller p while it helps
      const double gf1 = criterion(r1);
      if (gf1 > gf2) {
        bracketed = true;
        break;
      }
      if (stats.smoothing_parameter <= 0.0) break;  // interpolation
      r2 = r1;
      gf2 = gf1;
      r1 /= kRatio;
    }
    if (bracketed) {
      double r3 = r2 * kRatio;
      bool reached_ceiling = false;
      double gf3 = 0.0;
      for (;;) {  // larger p while it helps
        gf3 = criterion(r3);
        if (gf3 > gf2) break;
        if (stats.smoothing_parameter >= kCeiling) {
          reached_ceiling = true;
          break;
        }
        r2 = r3;
        gf2 = gf3;
        r3 *= kRatio;
      }
      if (!reached_ceiling) {
        // Golden section on [r1, r3]; r3 and r4 are the inner points.
        r2 = r3;
        double alpha = (r2 - r1) / kGolden;
        double r4 = r1 + alpha;
        r3 = r2 - alpha;
        gf3 = criterion(r3);
        double gf4 = criterion(r4);
        for (;;) {
          if (gf3 <= gf4) {
            r2 = r4;
            const double err = (r2 - r1) / (r1 + r2);
            if (err * err + 1.0 == 1.0 || err <= kTolerance) break;
            r4 = r3;
            gf4 = gf3;
            alpha /= kGolden;
            r3 = r2 - alpha;
            gf3 = criterion(r3);
          } else {
            r1 = r3;
            const double err = (r2 - r1) / (r1 + r2);
            if (err * err + 1.0 == 1.0 || err <= kTolerance) break;
            r3 = r4;
            gf3 = gf4;
            alpha /= kGolden;
            r4 = r1 + alpha;
            gf4 = criterion(r4);
          }
        }
        r1 = (r1 + r2) * 0.5;
      }
    }
  }
  criterion(r1);
}

void check_fit_input(int degree, const Eigen::VectorXd& x, Eigen::Index rows,
                     const GcvSmoothing& smoothing) {
  if (degree < 1 || degree > 2 * kMaxHalfOrder - 1 || degree % 2 == 0)
    throw std::invalid_argument("fit_gcv_spline: degree must be 1, 3, 5 or 7");
  if (rows != x.size())
    throw std::invalid_argument("fit_gcv_spline: x and y have different numbers of rows");
  if (x.size() < degree + 1)
    throw std::invalid_argument("fit_gcv_spline: need at least degree + 1 data points");
  for (Eigen::Index i = 1; i < x.size(); ++i)
    if (!(x[i - 1] < x[i]))
      throw std::invalid_argument("fit_gcv_spline: x must be strictly increasing");
  const int m = (degree + 1) / 2;
  const double v = smoothing.value;
  const bool bad =
      ((smoothing.criterion == GcvCriterion::SmoothingParameter ||
        smoothing.criterion == GcvCriterion::ErrorVariance) && v < 0.0) ||
      (smoothing.criterion == GcvCriterion::ResidualDof &&
       (v < 0.0 || v > static_cast<double>(x.size() - m)));
  if (bad) throw std::invalid_argument("fit_gcv_spline: smoothing value out of range");
}

}  // namespace

GcvSpline fit_gcv_spline(int degree, const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                         const Eigen::VectorXd& weights, GcvSmoothing smoothing) {
  check_fit_input(degree, x, y.size(), smoothing);
  if (weights.size() != x.size())
    throw std::invalid_argument("fit_gcv_spline: weights and x differ in size");
  for (Eigen::Index i = 0; i < weights.size(); ++i)
    if (!(weights[i] > 0.0)) throw std::invalid_argument("fit_gcv_spline: weights must be > 0");
  const int n = static_cast<int>(x.size());
  GcvSpline spline;
  spline.degree = degree;
  spline.x.assign(x.data(), x.data() + n);
  spline.coefficients.assign(n, 0.0);
  GcvProblem problem((degree + 1) / 2, n, spline.x.data(), weights.data());
  search_smoothing(problem, smoothing, y.data(), spline.coefficients.data(), spline.statistics);
  return spline;
}

GcvSpline fit_gcv_spline(int degree, const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                         GcvSmoothing smoothing) {
  return fit_gcv_spline(degree, x, y, Eigen::VectorXd::Ones(x.size()), smoothing);
}

GcvSplineSet fit_gcv_spline_set(int degree, const Eigen::VectorXd& x, const Eigen::MatrixXd& y,
                                GcvSmoothing smoothing) {
  check_fit_input(degree, x, y.rows(), smoothing);
  const int n = static_cast<int>(x.size());
  GcvSplineSet set;
  set.degree = degree;
  set.x.assign(x.data(), x.data() + n);
  set.coefficients.setZero(n, y.cols());
  set.statistics.assign(static_cast<std::size_t>(y.cols()), GcvFitStatistics{});
  const std::vector<double> ones(n, 1.0);
  GcvProblem problem((degree + 1) / 2, n, set.x.data(), ones.data());
  for (Eigen::Index j = 0; j < y.cols(); ++j)
    search_smoothing(problem, smoothing, y.col(j).data(), set.coefficients.col(j).data(),
                     set.statistics[static_cast<std::size_t>(j)]);
  return set;
}

FunctionValue GcvSplineSet::evaluate(Eigen::Index column, double t) const {
  const int m = (degree + 1) / 2;
  const int n = static_cast<int>(x.size());
  const double* c = coefficients.col(column).data();
  FunctionValue v;
  v.f = natural_spline_derivative(0, m, n, x.data(), c, t);
  v.df = natural_spline_derivative(1, m, n, x.data(), c, t);
  v.ddf = natural_spline_derivative(2, m, n, x.data(), c, t);
  return v;
}

double GcvSplineSet::derivative(Eigen::Index column, int order, double t) const {
  if (order < 0) throw std::invalid_argument("gcv_spline: negative derivative order");
  return natural_spline_derivative(order, (degree + 1) / 2, static_cast<int>(x.size()), x.data(),
                                   coefficients.col(column).data(), t);
}

GcvSpline GcvSplineSet::spline(Eigen::Index column) const {
  GcvSpline s;
  s.degree = degree;
  s.x = x;
  const double* c = coefficients.col(column).data();
  s.coefficients.assign(c, c + coefficients.rows());
  s.statistics = statistics[static_cast<std::size_t>(column)];
  return s;
}

namespace {
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
