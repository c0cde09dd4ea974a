// Bounded nonlinear least squares for small dense problems: minimize 0.5 |r(x)|^2 with
// lower <= x <= upper, by damped Gauss-Newton (Levenberg-Marquardt). Used by inverse
// kinematics (one solve per frame, ~20-40 unknowns, ~100 residuals), so the solver keeps
// every buffer between calls: after resize(), solve() allocates nothing.
//
//   Levenberg 1944, Q. Appl. Math. 2:164; Marquardt 1963, J. SIAM 11:431 (scaled damping
//   diag(J^T J)); bounds by projection with the variables held at an active bound removed
//   from the step, as in the projected LM of Kanzow, Yamashita & Fukushima 2004,
//   J. Comput. Appl. Math. 172:375.
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>

namespace femur {

// The function whose squared norm is minimized. evaluate() writes the residuals r (size
// num_residuals) at x and, when J is not null, their Jacobian dr/dx (num_residuals x
// num_parameters). Called once per iteration; the virtual call is not in an inner loop.
class LeastSquaresProblem {
 public:
  virtual ~LeastSquaresProblem() = default;
  virtual void evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& r, Eigen::MatrixXd* J) = 0;
};

struct LeastSquaresOptions {
  int max_iterations = 100;
  // Converged when the projected gradient |x - clamp(x - J^T r)|_inf is at most this ...
  double gradient_tolerance = 1e-12;
  // ... or when an accepted step changes no parameter by more than this (in x's units).
  double step_tolerance = 1e-9;
  // Damping of the first iteration, relative to diag(J^T J) (Marquardt's scaling).
  double initial_damping = 1e-6;
  // Add a secant estimate of the residuals' curvature to J^T J (NL2SOL's structured update):
  // superlinear instead of linear convergence when the residuals at the optimum are not
  // small. The estimate is kept between solve() calls, so a sequence of similar problems
  // (IK frames) starts each with it.
  bool secant_hessian = false;
};

enum class LeastSquaresStatus {
  GradientSmall,   // converged: projected gradient below gradient_tolerance
  StepSmall,       // converged: accepted step below step_tolerance
  CostConverged,   // converged: the predicted decrease is below the cost's rounding error
  NoProgress,      // the damping grew without bound: no step lowers the cost any more
  MaxIterations,   // stopped at max_iterations
  NotFinite,       // the residuals at the starting point are not finite
};

struct LeastSquaresSummary {
  LeastSquaresStatus status = LeastSquaresStatus::MaxIterations;
  int iterations = 0;    // linear solves
  int evaluations = 0;   // calls of evaluate()
  double initial_cost = 0.0;
  double cost = 0.0;     // 0.5 |r|^2 at the returned x
  double gradient_norm = 0.0;  // projected gradient, inf-norm
  double step_norm = 0.0;      // last accepted step, inf-norm

  bool converged() const {
    return status == LeastSquaresStatus::GradientSmall || status == LeastSquaresStatus::StepSmall ||
           status == LeastSquaresStatus::CostConverged;
  }
};

class LeastSquaresSolver {
 public:
  LeastSquaresSolver() = default;
  LeastSquaresSolver(int num_parameters, int num_residuals) { resize(num_parameters, num_residuals); }

  // Sizes every buffer (the only allocating call).
  void resize(int num_parameters, int num_residuals);
  int num_parameters() const { return static_cast<int>(x_trial_.size()); }
  int num_residuals() const { return static_cast<int>(r_.size()); }

  // Minimizes from x (moved inside the bounds first) and returns the minimizer in x.
  // lower/upper may hold -inf/+inf. Throws std::invalid_argument on wrong sizes.
  LeastSquaresSummary solve(LeastSquaresProblem& problem, Eigen::VectorXd& x, const Eigen::VectorXd& lower,
                            const Eigen::VectorXd& upper, const LeastSquaresOptions& options = {});

  // Residuals and Jacobian at the returned x (valid after solve()).
  const Eigen::VectorXd& residuals() const { return r_; }
  const Eigen::MatrixXd& jacobian() const { return J_; }

 private:
  Eigen::VectorXd r_, r_trial_, g_, step_, x_trial_, rhs_, scale_;
  Eigen::MatrixXd J_, J_trial_, H_, A_;
  Eigen::VectorXi free_;  // 1 where the parameter may move this iteration
  Eigen::MatrixXd S_;     // secant estimate of sum r_i d2r_i/dx2 (kept between solves)
  Eigen::VectorXd g_new_, y_, y_sharp_, Ss_;
  bool secant_usable_ = false;
  void update_secant();
  Eigen::LLT<Eigen::MatrixXd> llt_;
};

}  // namespace femur
