#include "femur/math/least_squares.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace femur {

void LeastSquaresSolver::resize(int num_parameters, int num_residuals) {
  const Eigen::Index n = num_parameters, m = num_residuals;
  r_.setZero(m);
  r_trial_.setZero(m);
  g_.setZero(n);
  step_.setZero(n);
  x_trial_.setZero(n);
  rhs_.setZero(n);
  scale_.setZero(n);
  J_.setZero(m, n);
  J_trial_.setZero(m, n);
  H_.setZero(n, n);
  A_.setZero(n, n);
  free_.setZero(n);
  S_.setZero(n, n);
  g_new_.setZero(n);
  y_.setZero(n);
  y_sharp_.setZero(n);
  Ss_.setZero(n);
  secant_usable_ = false;
  // Factoring an identity sizes the factor once (no allocation in the solve) and sets its
  // info; assigning a fresh LLT(n) copied the info Eigen 3.4 leaves uninitialised (UBSan).
  llt_.compute(Eigen::MatrixXd::Identity(n, n));
}

namespace {
// The largest |x_i - clamp(x_i - g_i)|: zero exactly at a point satisfying the first-order
// (KKT) conditions of the bound-constrained problem.
double projected_gradient_norm(const Eigen::VectorXd& x, const Eigen::VectorXd& g, const Eigen::VectorXd& lower,
                               const Eigen::VectorXd& upper) {
  double norm = 0.0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double moved = std::clamp(x[i] - g[i], lower[i], upper[i]);
    norm = std::max(norm, std::abs(x[i] - moved));
  }
  return norm;
}
}  // namespace

// Structured secant update of S ~ sum_i r_i d2r_i/dx2 (Dennis, Gay & Welsch 1981, ACM TOMS
// 7:348, the NL2SOL update, with its sizing factor): S+ s = y# where y# = (J+ - J)^T r+.
// Called after an accepted step_ with J_ = J+, J_trial_ = J, g_ = J^T r (old gradient).
void LeastSquaresSolver::update_secant() {
  g_new_.noalias() = J_.transpose() * r_;
  y_sharp_.noalias() = J_trial_.transpose() * r_;
  y_sharp_ = g_new_ - y_sharp_;
  y_ = g_new_ - g_;
  const double ys = y_.dot(step_);
  if (!(ys > 0.0)) return;  // no curvature information along this step
  Ss_.noalias() = S_ * step_;
  const double sSs = step_.dot(Ss_);
  if (sSs != 0.0) {
    const double tau = std::min(1.0, std::abs(step_.dot(y_sharp_)) / std::abs(sSs));
    S_ *= tau;
    Ss_ *= tau;
  }
  // w = y# - S s; S += (w y^T + y w^T) / ys - (w.s) y y^T / ys^2.
  y_sharp_ -= Ss_;
  const double ws = y_sharp_.dot(step_);
  const Eigen::Index n = S_.rows();
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i)
      S_(i, j) += (y_sharp_[i] * y_[j] + y_[i] * y_sharp_[j]) / ys - ws * y_[i] * y_[j] / (ys * ys);
  secant_usable_ = true;
}

LeastSquaresSummary LeastSquaresSolver::solve(LeastSquaresProblem& problem, Eigen::VectorXd& x,
                                              const Eigen::VectorXd& lower, const Eigen::VectorXd& upper,
                                              const LeastSquaresOptions& options) {
  const Eigen::Index n = x_trial_.size();
  if (x.size() != n || lower.size() != n || upper.size() != n)
    throw std::invalid_argument("LeastSquaresSolver::solve: x, lower and upper must have num_parameters() entries");

  LeastSquaresSummary summary;
  x = x.cwiseMax(lower).cwiseMin(upper);
  problem.evaluate(x, r_, &J_);
  ++summary.evaluations;
  if (!r_.allFinite() || !J_.allFinite()) {
    summary.status = LeastSquaresStatus::NotFinite;
    summary.cost = summary.initial_cost = std::numeric_limits<double>::infinity();
    return summary;
  }
  double cost = 0.5 * r_.squaredNorm();
  summary.initial_cost = cost;

  double lambda = options.initial_damping;
  double nu = 2.0;
  bool have_derivatives = false;  // g_ and H_ belong to the current x
  while (true) {
    if (!have_derivatives) {
      g_.noalias() = J_.transpose() * r_;
      // J^T J by a symmetric rank update (half the flops of the full product).
      H_.setZero();
      H_.selfadjointView<Eigen::Lower>().rankUpdate(J_.transpose());
      H_.triangularView<Eigen::StrictlyUpper>() = H_.transpose();
      have_derivatives = true;
      summary.gradient_norm = projected_gradient_norm(x, g_, lower, upper);
      if (summary.gradient_norm <= options.gradient_tolerance) {
        summary.status = LeastSquaresStatus::GradientSmall;
        break;
      }
      // A parameter at a bound whose gradient pushes it out stays there this iteration.
      double max_diagonal = 0.0;
      for (Eigen::Index i = 0; i < n; ++i) {
        free_[i] = !((x[i] <= lower[i] && g_[i] > 0.0) || (x[i] >= upper[i] && g_[i] < 0.0));
        max_diagonal = std::max(max_diagonal, H_(i, i));
      }
      // Marquardt's scaling makes the damping independent of each parameter's units (radians
      // beside metres); the floor keeps a parameter that moves nothing from a zero pivot.
      const double floor = std::max(1e-12 * max_diagonal, 1e-300);
      for (Eigen::Index i = 0; i < n; ++i) scale_[i] = std::max(H_(i, i), floor);
    }
    if (summary.iterations >= options.max_iterations) {
      summary.status = LeastSquaresStatus::MaxIterations;
      break;
    }
    ++summary.iterations;

    // Damped normal equations on the free parameters: (H + lambda D) s = -g, with H the
    // Gauss-Newton J^T J, plus the secant estimate S of the residual curvature if asked.
    const bool with_secant = options.secant_hessian && secant_usable_;
    A_ = H_;
    if (with_secant) A_ += S_;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (free_[i]) {
        A_(i, i) += lambda * scale_[i];
        rhs_[i] = -g_[i];
      } else {
        A_.row(i).setZero();
        A_.col(i).setZero();
        A_(i, i) = 1.0;
        rhs_[i] = 0.0;
      }
    }
    llt_.compute(A_);
    if (llt_.info() != Eigen::Success && with_secant) {
      secant_usable_ = false;  // S made the model indefinite: plain Gauss-Newton from here
      S_.setZero();
      continue;
    }
    if (llt_.info() != Eigen::Success) {
      lambda = std::max(lambda, 1e-12) * nu;
      nu *= 2.0;
      if (lambda > 1e16) {
        summary.status = LeastSquaresStatus::NoProgress;
        break;
      }
      continue;
    }
    step_ = rhs_;
    llt_.solveInPlace(step_);
    x_trial_ = (x + step_).cwiseMax(lower).cwiseMin(upper);
    step_ = x_trial_ - x;  // the step actually taken, after projection
    const double step_norm = step_.lpNorm<Eigen::Infinity>();

    // Gain ratio: actual decrease over the decrease the Gauss-Newton model predicts.
    rhs_.noalias() = H_ * step_;
    if (with_secant) rhs_.noalias() += S_ * step_;
    const double predicted = -(g_.dot(step_) + 0.5 * step_.dot(rhs_));
    // When even the model's decrease is at the rounding level of the cost, no step can be
    // judged any more: this x is the minimizer to working precision.
    if (predicted <= 1e-15 * cost && lambda <= 1.0) {
      summary.status = LeastSquaresStatus::CostConverged;
      break;
    }
    problem.evaluate(x_trial_, r_trial_, &J_trial_);
    ++summary.evaluations;
    const double trial_cost = 0.5 * r_trial_.squaredNorm();
    const bool finite = std::isfinite(trial_cost) && J_trial_.allFinite();
    const double rho = (predicted > 0.0 && finite) ? (cost - trial_cost) / predicted : -1.0;

    if (rho > 1e-4) {
      x = x_trial_;
      r_.swap(r_trial_);
      J_.swap(J_trial_);
      if (options.secant_hessian) update_secant();
      cost = trial_cost;
      have_derivatives = false;
      summary.step_norm = step_norm;
      // Nielsen 1999 (IMM-REP-1999-05): shrink the damping by up to 3 on a good step.
      const double t = 2.0 * rho - 1.0;
      lambda *= std::max(1.0 / 3.0, 1.0 - t * t * t);
      lambda = std::max(lambda, 1e-15);
      nu = 2.0;
      if (step_norm <= options.step_tolerance) {
        summary.status = LeastSquaresStatus::StepSmall;
        break;
      }
    } else {
      // A rejected, hardly damped step this small means the cost no longer changes above
      // rounding: done. (A heavily damped small step says nothing about convergence.)
      if (step_norm <= options.step_tolerance && lambda <= 1.0) {
        summary.status = LeastSquaresStatus::StepSmall;
        break;
      }
      lambda *= nu;
      nu *= 2.0;
      if (lambda > 1e16) {
        summary.status = LeastSquaresStatus::NoProgress;
        break;
      }
    }
  }
  summary.cost = cost;
  return summary;
}

}  // namespace femur
