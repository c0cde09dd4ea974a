// Bounded damped Gauss-Newton: known minimizers (Rosenbrock, exact exponential fit, linear
// least squares against the normal equations), bound handling checked against the KKT
// conditions, and the failure statuses.
#include "femur/math/least_squares.hpp"

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>

#include <gtest/gtest.h>

namespace {

using femur::LeastSquaresOptions;
using femur::LeastSquaresProblem;
using femur::LeastSquaresSolver;
using femur::LeastSquaresStatus;

constexpr double kInf = std::numeric_limits<double>::infinity();

// A problem from a lambda, for short tests.
class LambdaProblem : public LeastSquaresProblem {
 public:
  using Fn = std::function<void(const Eigen::VectorXd&, Eigen::VectorXd&, Eigen::MatrixXd*)>;
  explicit LambdaProblem(Fn fn) : fn_(std::move(fn)) {}
  void evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& r, Eigen::MatrixXd* J) override { fn_(x, r, J); }

 private:
  Fn fn_;
};

Eigen::VectorXd unbounded(int n, double sign) { return Eigen::VectorXd::Constant(n, sign * kInf); }

// Rosenbrock's function as residuals (Moré, Garbow & Hillstrom 1981, problem 1):
// r = (10 (x2 - x1^2), 1 - x1), minimum 0 at (1, 1), start (-1.2, 1).
LambdaProblem rosenbrock() {
  return LambdaProblem([](const Eigen::VectorXd& x, Eigen::VectorXd& r, Eigen::MatrixXd* J) {
    r << 10.0 * (x[1] - x[0] * x[0]), 1.0 - x[0];
    if (J) *J << -20.0 * x[0], 10.0, -1.0, 0.0;
  });
}

TEST(LeastSquares, FindsTheRosenbrockMinimumFromTheStandardStart) {
  LambdaProblem problem = rosenbrock();
  LeastSquaresSolver solver(2, 2);
  Eigen::VectorXd x(2);
  x << -1.2, 1.0;
  const auto summary = solver.solve(problem, x, unbounded(2, -1), unbounded(2, 1));
  EXPECT_TRUE(summary.converged());
  EXPECT_NEAR(x[0], 1.0, 1e-10);
  EXPECT_NEAR(x[1], 1.0, 1e-10);
  EXPECT_LT(summary.cost, 1e-20);
  EXPECT_LT(summary.iterations, 50);
}

TEST(LeastSquares, RecoversTheParametersOfAnExactExponentialFit) {
  // y_k = a exp(b t_k) with a = 2.5, b = -1.3, fitted from (1, 0).
  const int m = 20;
  Eigen::VectorXd t = Eigen::VectorXd::LinSpaced(m, 0.0, 3.0);
  Eigen::VectorXd y = (2.5 * (-1.3 * t.array()).exp()).matrix();
  LambdaProblem problem([&](const Eigen::VectorXd& p, Eigen::VectorXd& r, Eigen::MatrixXd* J) {
    for (int k = 0; k < m; ++k) {
      const double e = std::exp(p[1] * t[k]);
      r[k] = p[0] * e - y[k];
      if (J) {
        (*J)(k, 0) = e;
        (*J)(k, 1) = p[0] * t[k] * e;
      }
    }
  });
  LeastSquaresSolver solver(2, m);
  Eigen::VectorXd p(2);
  p << 1.0, 0.0;
  const auto summary = solver.solve(problem, p, unbounded(2, -1), unbounded(2, 1));
  EXPECT_TRUE(summary.converged());
  EXPECT_NEAR(p[0], 2.5, 1e-10);
  EXPECT_NEAR(p[1], -1.3, 1e-10);
}

TEST(LeastSquares, SolvesLinearLeastSquaresAsTheNormalEquationsDo) {
  Eigen::MatrixXd A(6, 3);
  A << 1, 2, 0, 0, 1, 1, 3, 0, 1, 1, 1, 1, 2, -1, 0, 0, 0, 4;
  Eigen::VectorXd b(6);
  b << 1, -2, 0.5, 3, 1, -1;
  LambdaProblem problem([&](const Eigen::VectorXd& x, Eigen::VectorXd& r, Eigen::MatrixXd* J) {
    r = A * x - b;
    if (J) *J = A;
  });
  LeastSquaresSolver solver(3, 6);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(3);
  const auto summary = solver.solve(problem, x, unbounded(3, -1), unbounded(3, 1));
  const Eigen::VectorXd expected = (A.transpose() * A).ldlt().solve(A.transpose() * b);
  EXPECT_TRUE(summary.converged());
  EXPECT_LT((x - expected).lpNorm<Eigen::Infinity>(), 1e-10);
  // The residual at the minimum is orthogonal to the columns of A.
  EXPECT_LT((A.transpose() * solver.residuals()).lpNorm<Eigen::Infinity>(), 1e-9);
}

TEST(LeastSquares, StopsAtTheBoundAndSatisfiesTheKktConditions) {
  // Linear problem whose unconstrained minimum lies outside the box: at the solution, each
  // variable is either interior with zero gradient or at a bound with the gradient pointing out.
  Eigen::MatrixXd A(4, 3);
  A << 2, 1, 0, 1, 3, 1, 0, 1, 2, 1, 0, 1;
  Eigen::VectorXd b(4);
  b << 4, -3, 5, 2;
  LambdaProblem problem([&](const Eigen::VectorXd& x, Eigen::VectorXd& r, Eigen::MatrixXd* J) {
    r = A * x - b;
    if (J) *J = A;
  });
  const Eigen::VectorXd free_minimum = (A.transpose() * A).ldlt().solve(A.transpose() * b);
  Eigen::VectorXd lower(3), upper(3);
  lower << -0.5, -0.5, -0.5;
  upper << 0.5, 0.5, 0.5;
  ASSERT_GT(free_minimum.lpNorm<Eigen::Infinity>(), 0.5);  // the bound must matter

  LeastSquaresSolver solver(3, 4);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(3);
  const auto summary = solver.solve(problem, x, lower, upper);
  EXPECT_TRUE(summary.converged());
  // Gradient tolerance: the solver stops when a step's predicted decrease is below the
  // rounding of the cost (here ~20), i.e. |g|^2 / |H| ~ 1e-14.
  const Eigen::VectorXd g = A.transpose() * (A * x - b);
  const double tol = 1e-6;
  int at_bound = 0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_GE(x[i], lower[i]);
    EXPECT_LE(x[i], upper[i]);
    if (x[i] <= lower[i]) {
      ++at_bound;
      EXPECT_GE(g[i], -tol);
    } else if (x[i] >= upper[i]) {
      ++at_bound;
      EXPECT_LE(g[i], tol);
    } else {
      EXPECT_NEAR(g[i], 0.0, tol);
    }
  }
  EXPECT_GE(at_bound, 1);

  // Brute force over a fine grid of the box finds no lower cost.
  const double cost = 0.5 * (A * x - b).squaredNorm();
  double best = kInf;
  for (double u = -0.5; u <= 0.5001; u += 0.01)
    for (double v = -0.5; v <= 0.5001; v += 0.01)
      for (double w = -0.5; w <= 0.5001; w += 0.01) {
        Eigen::Vector3d y(u, v, w);
        best = std::min(best, 0.5 * (A * y - b).squaredNorm());
      }
  EXPECT_LE(cost, best + 1e-12);
}

TEST(LeastSquares, MovesAStartOutsideTheBoundsInsideFirst) {
  LambdaProblem problem([](const Eigen::VectorXd& x, Eigen::VectorXd& r, Eigen::MatrixXd* J) {
    r[0] = x[0] - 3.0;
    if (J) (*J)(0, 0) = 1.0;
  });
  LeastSquaresSolver solver(1, 1);
  Eigen::VectorXd x(1);
  x << 10.0;
  Eigen::VectorXd lower(1), upper(1);
  lower << -1.0;
  upper << 1.0;
  solver.solve(problem, x, lower, upper);
  EXPECT_EQ(x[0], 1.0);
}

TEST(LeastSquares, ReportsResidualsThatAreNotFinite) {
  LambdaProblem problem([](const Eigen::VectorXd& x, Eigen::VectorXd& r, Eigen::MatrixXd* J) {
    r[0] = std::log(x[0]);
    if (J) (*J)(0, 0) = 1.0 / x[0];
  });
  LeastSquaresSolver solver(1, 1);
  Eigen::VectorXd x(1);
  x << -1.0;
  const auto summary = solver.solve(problem, x, unbounded(1, -1), unbounded(1, 1));
  EXPECT_EQ(summary.status, LeastSquaresStatus::NotFinite);
  EXPECT_FALSE(summary.converged());
}

TEST(LeastSquares, StopsAtMaxIterations) {
  LambdaProblem problem = rosenbrock();
  LeastSquaresSolver solver(2, 2);
  Eigen::VectorXd x(2);
  x << -1.2, 1.0;
  LeastSquaresOptions options;
  options.max_iterations = 2;
  const auto summary = solver.solve(problem, x, unbounded(2, -1), unbounded(2, 1), options);
  EXPECT_EQ(summary.status, LeastSquaresStatus::MaxIterations);
  EXPECT_EQ(summary.iterations, 2);
  EXPECT_LE(summary.cost, summary.initial_cost);  // rejected steps leave x where it was
}

TEST(LeastSquares, RejectsVectorsOfTheWrongSize) {
  LambdaProblem problem = rosenbrock();
  LeastSquaresSolver solver(2, 2);
  Eigen::VectorXd x(3);
  EXPECT_THROW(solver.solve(problem, x, unbounded(3, -1), unbounded(3, 1)), std::invalid_argument);
}

TEST(LeastSquares, SecantCurvatureReachesTheSameMinimumInFewerIterationsOnLargeResiduals) {
  // y_k = a exp(b t_k) plus a large alternating misfit: Gauss-Newton converges linearly
  // there, the NL2SOL secant term restores fast convergence; both find the same minimizer.
  const int m = 30;
  Eigen::VectorXd t = Eigen::VectorXd::LinSpaced(m, 0.0, 3.0), y(m);
  for (int k = 0; k < m; ++k) y[k] = 2.5 * std::exp(-1.3 * t[k]) + ((k % 2) ? 1.0 : -1.0) * (1.0 + t[k] * t[k]);
  LambdaProblem problem([&](const Eigen::VectorXd& p, Eigen::VectorXd& r, Eigen::MatrixXd* J) {
    for (int k = 0; k < m; ++k) {
      const double e = std::exp(p[1] * t[k]);
      r[k] = p[0] * e - y[k];
      if (J) {
        (*J)(k, 0) = e;
        (*J)(k, 1) = p[0] * t[k] * e;
      }
    }
  });
  LeastSquaresOptions options;
  options.step_tolerance = 1e-12;
  options.max_iterations = 500;
  Eigen::VectorXd gn(2), secant(2);
  gn << 1.0, -0.5;
  secant = gn;
  LeastSquaresSolver a(2, m), b(2, m);
  const auto plain = a.solve(problem, gn, unbounded(2, -1), unbounded(2, 1), options);
  options.secant_hessian = true;
  const auto with_secant = b.solve(problem, secant, unbounded(2, -1), unbounded(2, 1), options);
  EXPECT_TRUE(plain.converged());
  EXPECT_TRUE(with_secant.converged());
  // Cost ~600 here: a predicted decrease below its rounding (1e-15 * cost) stops both at
  // |dx| ~ sqrt(2e-15 cost / |H|) ~ 1e-6 from the exact minimizer.
  EXPECT_LT((gn - secant).lpNorm<Eigen::Infinity>(), 3e-6);
  EXPECT_LT(with_secant.iterations, plain.iterations);
  std::printf("large residuals: Gauss-Newton %d iterations, with secant curvature %d\n", plain.iterations,
              with_secant.iterations);
}

}  // namespace
