// A sparse nonlinear program and its solution by IPOPT (coinor-libipopt-dev):
//
//   min f(x)  subject to  g_lo <= g(x) <= g_hi,  x_lo <= x <= x_hi
//
// The problem gives exact first derivatives (gradient, sparse constraint Jacobian with its
// structure known before the solve); IPOPT approximates the Hessian of the Lagrangian by
// L-BFGS (hessian_approximation limited-memory), as Moco's default.
//
//   class MyNlp : public ocp::SparseNlp { ... };
//   ocp::NlpResult r = ocp::solve_nlp(nlp, options);
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

namespace femur::ocp {

class SparseNlp {
 public:
  virtual ~SparseNlp() = default;
  virtual int num_variables() const = 0;
  virtual int num_constraints() const = 0;
  virtual void bounds(double* x_lo, double* x_hi, double* g_lo, double* g_hi) const = 0;
  virtual void initial_guess(double* x) const = 0;
  // Row and column of every structurally nonzero Jacobian entry, in the order evaluate()
  // writes their values.
  virtual void jacobian_structure(std::vector<int>& rows, std::vector<int>& cols) const = 0;
  // f, its gradient, g and the Jacobian values at x, all at once.
  virtual void evaluate(const double* x, double& f, double* gradient, double* g, double* jacobian) = 0;
  // f and g alone (IPOPT's line-search trial points need no derivatives); false if the problem
  // has no cheaper values-only path, and evaluate() is used.
  virtual bool evaluate_values(const double* x, double& f, double* g) { return false; }
  // The exact Hessian of the Lagrangian sigma f + sum_i lambda_i g_i, lower triangle (row >=
  // column), if the problem gives one.
  virtual bool has_hessian() const { return false; }
  virtual void hessian_structure(std::vector<int>& rows, std::vector<int>& cols) const {}
  virtual void hessian(const double* x, double sigma, const double* lambda, double* values) {}
};

struct NlpSolverOptions {
  double convergence_tolerance = 1e-4;  // IPOPT tol
  double constraint_tolerance = 1e-4;   // IPOPT constr_viol_tol
  int max_iterations = 3000;
  int print_level = 0;  // IPOPT's (0 = silent, 5 = its per-iteration table)
  // The problem's exact Hessian when it has one; false (or no Hessian) = L-BFGS.
  bool exact_hessian = true;
  // MUMPS's fill-reducing ordering of the KKT matrix (IPOPT's mumps_pivot_order: 0 AMD, 3
  // SCOTCH, 4 PORD, 5 METIS) and its permutation and scaling before the factorization
  // (mumps_permuting_scaling: 7 automatic, 0 none); -1: the problem's choice. solve_nlp takes
  // AMD with automatic scaling (MocoInverse's block-banded systems); solve_gait takes SCOTCH
  // without the scaling, 4-6x less time in IPOPT on example2DWalking, whose periodicity pairs
  // close the band into a ring (docs/performance.md).
  int mumps_pivot_order = -1;
  int mumps_permuting_scaling = -1;
};

enum class NlpStatus { Solved, MaxIterations, Infeasible, Failed };

struct NlpResult {
  NlpStatus status = NlpStatus::Failed;
  std::string message;  // IPOPT's return status in words
  int iterations = 0;
  double objective = 0.0;
  Eigen::VectorXd x;  // the last iterate (the solution when Solved)
  Eigen::VectorXd g;  // constraints at x
  int evaluations = 0;
  double seconds = 0.0;            // the whole solve
  double seconds_evaluation = 0.0;  // inside SparseNlp::evaluate (femur's functions and derivatives)
};

NlpResult solve_nlp(SparseNlp& nlp, const NlpSolverOptions& options);

// The test of a problem's derivatives: every column of the Jacobian and the gradient by central
// differences (step h) against the analytic values, including entries outside the declared
// structure (which must be zero). Errors are |analytic - numeric| / max(1, |analytic|).
struct DerivativeCheck {
  double max_jacobian_error = 0.0, max_gradient_error = 0.0;
  int worst_row = -1, worst_column = -1;  // of the largest Jacobian error
  double analytic = 0.0, numeric = 0.0;   // its two values
  bool outside_structure = false;         // the worst entry is not in the declared structure
};
DerivativeCheck check_derivatives(SparseNlp& nlp, const Eigen::VectorXd& x, double step = 1e-6);
// The Hessian of the Lagrangian against central differences of its gradient
// (sigma grad f + J^T lambda), both triangles; the largest |analytic - numeric| / max(1, |analytic|).
double check_hessian(SparseNlp& nlp, const Eigen::VectorXd& x, double sigma, const Eigen::VectorXd& lambda,
                     double step = 1e-6);

}  // namespace femur::ocp
