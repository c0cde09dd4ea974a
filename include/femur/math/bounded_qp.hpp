// Small dense convex programs with a separable objective, linear equalities and bounds:
//
//   minimize  sum_i w_i x_i^2 + c_i x_i      (or sum_i w_i |x_i|^p, p > 1)
//   subject to A x = b,  lo <= x <= hi       (A: m x n, m <= ~30, n <= ~150; bounds may be inf)
//
// Static Optimization solves one per frame (x = actuator controls, A x = b the acceleration
// constraints), so the solver keeps every buffer between calls: after resize(), solve() and
// solve_power() allocate nothing, and a solve warm-started from the previous frame's
// multipliers usually takes one or two Newton steps.
//
// Method (quadratic objective, w_i > 0): the Lagrangian dual. For multipliers y the inner
// minimum over the box is explicit, x_i(y) = clamp((a_i.y - c_i) / (2 w_i), lo_i, hi_i), and
// the dual function psi(y) = min_x L(x, y) is concave, piecewise quadratic and continuously
// differentiable with gradient b - A x(y). Its maximizer is found by the semismooth Newton
// method with the generalized Hessian -A_F D_F A_F^T (F = variables strictly inside their
// bounds, D = 1/(2w)) and an Armijo line search on psi: the primal-dual active-set method of
// Hintermueller, Ito & Kunisch 2003 (SIAM J. Optim. 13:865) applied to the dual, as in the
// dual Newton methods for separable QPs (Qi & Sun 2006, SIAM J. Matrix Anal. Appl. 28:360).
// Every iterate x(y) is stationary, within bounds and complementary; only A x = b is
// approached, and once the active set is right one Newton step solves it exactly.
//
// p != 2: the same dual Newton method with the exact inner minimizer of w|x|^p - s x,
// x(s) = sign(s) (|s| / (w p))^(1/(p-1)) clamped to the bounds, whose slope dx/ds =
// x / ((p-1) s) replaces 1/(2w) in the generalized Hessian (bounded where it vanishes or
// blows up at s = 0); started from the multipliers of the p = 2 problem. Each Newton step is
// the SQP step of the primal with the curvature taken at the inner minimizer.
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>

namespace femur {

struct BoundedQpOptions {
  // Converged when |A x - b|_inf <= tolerance * (1 + |b|_inf + max_ij |A_ij| max|x_j|).
  double tolerance = 1e-12;
  int max_iterations = 100;        // Newton steps on the dual (per QP)
};

enum class BoundedQpStatus {
  Solved,         // A x = b to the tolerance, x optimal
  MaxIterations,  // stopped at max_iterations; x is the last iterate (within bounds)
  Infeasible,     // no x within the bounds satisfies A x = b (the multipliers diverge);
                  // x is the last iterate, within bounds, the closest the dual got
  InvalidInput,   // lo > hi, w <= 0, p <= 1, or a non-finite entry
};

struct BoundedQpSummary {
  BoundedQpStatus status = BoundedQpStatus::MaxIterations;
  int iterations = 0;        // Newton steps on the dual (solve_power: both stages)
  double residual = 0.0;     // |A x - b|_inf at the returned x
  double objective = 0.0;
  int active_bounds = 0;     // variables at a bound
  bool solved() const { return status == BoundedQpStatus::Solved; }
};

class BoundedQp {
 public:
  BoundedQp() = default;
  BoundedQp(int num_variables, int num_equalities) { resize(num_variables, num_equalities); }

  // Sizes every buffer (the only allocating call).
  void resize(int num_variables, int num_equalities);
  int num_variables() const { return static_cast<int>(d_.size()); }
  int num_equalities() const { return static_cast<int>(y_step_.size()); }

  // min sum w_i x_i^2 + c_i x_i s.t. A x = b, lo <= x <= hi. `y` holds the equality
  // multipliers: read as the warm start (zeros for a cold start), written at the end (the
  // gradient of the objective at x equals A^T y on the variables inside their bounds).
  // Throws std::invalid_argument when the sizes do not match resize().
  BoundedQpSummary solve(const Eigen::MatrixXd& A, const Eigen::VectorXd& b, const Eigen::VectorXd& w,
                         const Eigen::VectorXd& c, const Eigen::VectorXd& lo, const Eigen::VectorXd& hi,
                         Eigen::VectorXd& x, Eigen::VectorXd& y, const BoundedQpOptions& options = {});

  // min sum w_i |x_i|^p s.t. A x = b, lo <= x <= hi, for p > 1 (p = 2 goes straight to
  // solve()). `y` is the warm start of the first QP and, on return, the multipliers of the
  // last one (for p != 2 they are those of the final quadratic model).
  BoundedQpSummary solve_power(const Eigen::MatrixXd& A, const Eigen::VectorXd& b, const Eigen::VectorXd& w,
                               double p, const Eigen::VectorXd& lo, const Eigen::VectorXd& hi,
                               Eigen::VectorXd& x, Eigen::VectorXd& y, const BoundedQpOptions& options = {});

 private:
  // The dual Newton iteration for a separable objective (quadratic or power, see the .cpp).
  template <class Separable>
  BoundedQpSummary newton_dual(const Separable& objective, const Eigen::MatrixXd& A, const Eigen::VectorXd& b,
                               const Eigen::VectorXd& lo, const Eigen::VectorXd& hi, Eigen::VectorXd& x,
                               Eigen::VectorXd& y, const BoundedQpOptions& options);
  // x(y) and dx/ds into d_ (0 at a bound); returns the dual value psi(y).
  template <class Separable>
  double primal_of_dual(const Separable& objective, const Eigen::MatrixXd& A, const Eigen::VectorXd& b,
                        const Eigen::VectorXd& lo, const Eigen::VectorXd& hi, const Eigen::VectorXd& y,
                        Eigen::VectorXd& x);

  // True when v proves A x = b has no solution within the bounds (uses s_).
  bool infeasibility_certificate(const Eigen::MatrixXd& A, const Eigen::VectorXd& b, const Eigen::VectorXd& lo,
                                 const Eigen::VectorXd& hi, const Eigen::VectorXd& v);

  Eigen::VectorXd d_, s_, x_trial_, y_trial_, g_, y_step_, r_;
  Eigen::MatrixXd scaled_columns_, H_;
  Eigen::LLT<Eigen::MatrixXd> llt_;
  Eigen::VectorXd zeros_;
};

}  // namespace femur
