// Dual semismooth Newton for separable convex programs with equalities and bounds (see the
// header for the method and its references).
#include "femur/math/bounded_qp.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace femur {

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Bounds may be infinite but not NaN, and lo <= hi.
bool valid_bounds(const Eigen::VectorXd& lo, const Eigen::VectorXd& hi) {
  for (Eigen::Index i = 0; i < lo.size(); ++i)
    if (std::isnan(lo[i]) || std::isnan(hi[i]) || lo[i] > hi[i] || lo[i] == kInf || hi[i] == -kInf) return false;
  return true;
}

// w x^2 + c x: inner minimizer (s - c) / (2w), slope 1/(2w).
struct Quadratic {
  const Eigen::VectorXd& w;
  const Eigen::VectorXd& c;
  double unconstrained(Eigen::Index i, double s, double& slope) const {
    slope = 0.5 / w[i];
    return (s - c[i]) * slope;
  }
  double value(Eigen::Index i, double x) const { return (w[i] * x + c[i]) * x; }
};

// w |x|^p: inner minimizer sign(s) (|s| / (w p))^(1/(p-1)), slope x / ((p-1) s). The slope is
// 0 (p < 2) or infinite (p > 2) at s = 0; it is kept within [1e-12, 1e12] x (1/(2w)) so that
// the Newton system stays usable, which only slows the steps near s = 0.
struct Power {
  const Eigen::VectorXd& w;
  double p;
  double unconstrained(Eigen::Index i, double s, double& slope) const {
    const double base = 0.5 / w[i];
    if (s == 0.0) {
      slope = p < 2.0 ? 1e-12 * base : 1e12 * base;
      return 0.0;
    }
    const double x = std::copysign(std::pow(std::abs(s) / (w[i] * p), 1.0 / (p - 1.0)), s);
    slope = std::clamp(x / ((p - 1.0) * s), 1e-12 * base, 1e12 * base);
    return x;
  }
  double value(Eigen::Index i, double x) const { return w[i] * std::pow(std::abs(x), p); }
};

}  // namespace

void BoundedQp::resize(int n, int m) {
  if (n < 0 || m < 0) throw std::invalid_argument("BoundedQp::resize: negative size");
  d_.resize(n);
  s_.resize(n);
  x_trial_.resize(n);
  zeros_ = Eigen::VectorXd::Zero(n);
  y_trial_.resize(m);
  g_.resize(m);
  y_step_.resize(m);
  r_.resize(m);
  scaled_columns_.resize(m, n);
  // Factoring an identity sizes the factor's storage once, so compute() in the solve does not
  // allocate. (Assigning a fresh LLT(m) instead copied its info field, which Eigen 3.4 leaves
  // uninitialised until the first compute: UBSan's invalid-enum-load finding.)
  H_.setIdentity(m, m);
  llt_.compute(H_);
}

bool BoundedQp::infeasibility_certificate(const Eigen::MatrixXd& A, const Eigen::VectorXd& b,
                                          const Eigen::VectorXd& lo, const Eigen::VectorXd& hi,
                                          const Eigen::VectorXd& v) {
  // Farkas: A x = b has no solution in the box when some v has v.b > max over the box of
  // v.A x = sum_i max(s_i lo_i, s_i hi_i), s = A^T v. A direction along which the dual keeps
  // rising is such a v.
  const double v_norm = v.lpNorm<Eigen::Infinity>();
  if (!(v_norm > 0.0) || !std::isfinite(v_norm)) return false;
  s_.noalias() = A.transpose() * v;
  const double zero = 1e-12 * v_norm * (A.size() ? A.cwiseAbs().maxCoeff() : 0.0);
  double support = 0.0, scale = std::abs(v.dot(b));
  for (Eigen::Index i = 0; i < s_.size(); ++i) {
    const double si = s_[i];
    if (std::abs(si) <= zero) continue;
    const double bound = si > 0.0 ? hi[i] : lo[i];
    if (!std::isfinite(bound)) return false;
    support += si * bound;
    scale += std::abs(si * bound);
  }
  return v.dot(b) - support > 1e-9 * scale;
}

template <class Separable>
double BoundedQp::primal_of_dual(const Separable& objective, const Eigen::MatrixXd& A, const Eigen::VectorXd& b,
                                 const Eigen::VectorXd& lo, const Eigen::VectorXd& hi, const Eigen::VectorXd& y,
                                 Eigen::VectorXd& x) {
  // s = A^T y; x_i minimizes f_i(x) - s_i x over [lo_i, hi_i] (a convex function of one
  // variable: its unconstrained minimizer clamped); psi = L(x, y) = sum (f_i - s_i x_i) + y.b.
  s_.noalias() = A.transpose() * y;
  double psi = y.dot(b);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    double slope = 0.0;
    const double free = objective.unconstrained(i, s_[i], slope);
    double xi;
    if (free <= lo[i]) {
      xi = lo[i];
      d_[i] = 0.0;
    } else if (free >= hi[i]) {
      xi = hi[i];
      d_[i] = 0.0;
    } else {
      xi = free;
      d_[i] = slope;
    }
    x[i] = xi;
    psi += objective.value(i, xi) - s_[i] * xi;
  }
  return psi;
}

template <class Separable>
BoundedQpSummary BoundedQp::newton_dual(const Separable& objective, const Eigen::MatrixXd& A,
                                        const Eigen::VectorXd& b, const Eigen::VectorXd& lo,
                                        const Eigen::VectorXd& hi, Eigen::VectorXd& x, Eigen::VectorXd& y,
                                        const BoundedQpOptions& options) {
  const Eigen::Index n = d_.size(), m = g_.size();
  BoundedQpSummary summary;
  const double a_max = A.size() ? A.cwiseAbs().maxCoeff() : 0.0;
  const double b_max = m ? b.lpNorm<Eigen::Infinity>() : 0.0;
  // Scale of the residual: |b| and the size of A x at the current x.
  auto tolerance_now = [&]() {
    return options.tolerance * (1.0 + b_max + a_max * (n ? x.lpNorm<Eigen::Infinity>() : 0.0));
  };
  // Where rounding stops Newton steps from improving the residual further.
  auto floor_now = [&]() { return 1e4 * tolerance_now(); };

  double psi = primal_of_dual(objective, A, b, lo, hi, y, x);
  g_.noalias() = b - A * x;
  double residual = m ? g_.lpNorm<Eigen::Infinity>() : 0.0;
  int stalls = 0;
  summary.status = BoundedQpStatus::MaxIterations;
  for (int it = 0;; ++it) {
    if (residual <= tolerance_now()) {
      summary.status = BoundedQpStatus::Solved;
      break;
    }
    if (it >= options.max_iterations) break;
    ++summary.iterations;

    // Generalized Hessian of -psi: A_F D_F A_F^T over the variables inside their bounds.
    Eigen::Index free = 0;
    for (Eigen::Index i = 0; i < n; ++i)
      if (d_[i] > 0.0) scaled_columns_.col(free++) = A.col(i) * std::sqrt(d_[i]);
    H_.setZero();
    if (free > 0) H_.selfadjointView<Eigen::Lower>().rankUpdate(scaled_columns_.leftCols(free));
    // A relative ridge keeps the system definite when fewer than m independent columns are
    // free (psi is then linear along the missing directions and the step is long there).
    const double trace = H_.diagonal().sum();
    double ridge = 1e-12 * (trace > 0.0 ? trace / static_cast<double>(m) : 1.0) + 1e-300;
    for (int attempt = 0;; ++attempt) {
      H_.diagonal().array() += ridge;
      llt_.compute(H_);
      if (llt_.info() == Eigen::Success || attempt > 8) break;
      H_.diagonal().array() -= ridge;
      ridge *= 1e3;
    }
    y_step_ = g_;
    llt_.solveInPlace(y_step_);
    const double slope = g_.dot(y_step_);
    if (!(slope > 0.0) || !y_step_.allFinite()) break;

    // Armijo search on psi (ascent), allowing for rounding in psi near the solution.
    double t = 1.0;
    bool accepted = false;
    for (int ls = 0; ls < 80; ++ls) {
      y_trial_ = y + t * y_step_;
      const double psi_trial = primal_of_dual(objective, A, b, lo, hi, y_trial_, x_trial_);
      const double slack = 16.0 * kEps * (std::abs(psi) + std::abs(psi_trial));
      if (psi_trial - psi >= 1e-4 * t * slope - slack) {
        psi = psi_trial;
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      primal_of_dual(objective, A, b, lo, hi, y, x);  // d_ and x back to y
      break;
    }
    y.swap(y_trial_);
    x.swap(x_trial_);
    r_.noalias() = b - A * x;
    const double new_residual = m ? r_.lpNorm<Eigen::Infinity>() : 0.0;
    g_.swap(r_);
    stalls = new_residual > 0.5 * residual ? stalls + 1 : 0;
    residual = new_residual;
    if (stalls >= 3) {
      // No progress: either rounding (the residual is as small as the data allow) or the
      // multipliers running off because no x within the bounds meets A x = b.
      if (residual <= floor_now()) {
        summary.status = BoundedQpStatus::Solved;
        break;
      }
      if (infeasibility_certificate(A, b, lo, hi, y_step_) || infeasibility_certificate(A, b, lo, hi, y)) {
        summary.status = BoundedQpStatus::Infeasible;
        break;
      }
    }
  }
  if (summary.status == BoundedQpStatus::MaxIterations && residual <= floor_now())
    summary.status = BoundedQpStatus::Solved;  // rounding floor reached
  summary.residual = residual;
  summary.objective = 0.0;
  summary.active_bounds = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    summary.objective += objective.value(i, x[i]);
    if (d_[i] == 0.0) ++summary.active_bounds;
  }
  return summary;
}

namespace {

bool valid_input(const Eigen::MatrixXd& A, const Eigen::VectorXd& b, const Eigen::VectorXd& w,
                 const Eigen::VectorXd& lo, const Eigen::VectorXd& hi, const Eigen::VectorXd& y) {
  return A.allFinite() && b.allFinite() && y.allFinite() && valid_bounds(lo, hi) && w.allFinite() &&
         (w.array() > 0.0).all();
}

}  // namespace

BoundedQpSummary BoundedQp::solve(const Eigen::MatrixXd& A, const Eigen::VectorXd& b, const Eigen::VectorXd& w,
                                  const Eigen::VectorXd& c, const Eigen::VectorXd& lo, const Eigen::VectorXd& hi,
                                  Eigen::VectorXd& x, Eigen::VectorXd& y, const BoundedQpOptions& options) {
  const Eigen::Index n = d_.size(), m = g_.size();
  if (A.rows() != m || A.cols() != n || b.size() != m || w.size() != n || c.size() != n || lo.size() != n ||
      hi.size() != n || y.size() != m)
    throw std::invalid_argument("BoundedQp::solve: sizes do not match resize(" + std::to_string(n) + ", " +
                                std::to_string(m) + ")");
  if (x.size() != n) x.resize(n);  // the one allowed allocation: an unsized output
  if (!valid_input(A, b, w, lo, hi, y) || !c.allFinite()) {
    BoundedQpSummary summary;
    summary.status = BoundedQpStatus::InvalidInput;
    return summary;
  }
  return newton_dual(Quadratic{w, c}, A, b, lo, hi, x, y, options);
}

BoundedQpSummary BoundedQp::solve_power(const Eigen::MatrixXd& A, const Eigen::VectorXd& b,
                                        const Eigen::VectorXd& w, double p, const Eigen::VectorXd& lo,
                                        const Eigen::VectorXd& hi, Eigen::VectorXd& x, Eigen::VectorXd& y,
                                        const BoundedQpOptions& options) {
  // p = 2 is the quadratic itself; otherwise its multipliers start the p problem.
  BoundedQpSummary start = solve(A, b, w, zeros_, lo, hi, x, y, options);
  if (!(p > 1.0) || !std::isfinite(p)) {
    start.status = BoundedQpStatus::InvalidInput;
    return start;
  }
  if (p == 2.0 || start.status == BoundedQpStatus::InvalidInput || start.status == BoundedQpStatus::Infeasible)
    return start;
  BoundedQpSummary summary = newton_dual(Power{w, p}, A, b, lo, hi, x, y, options);
  summary.iterations += start.iterations;
  return summary;
}

}  // namespace femur
