// BoundedQp: closed-form equality QPs, KKT conditions on random bounded problems (convexity
// makes KKT sufficient), agreement with brute force over every active set, infeasibility,
// warm starts, and the p-norm objective's own optimality conditions.
#include "femur/math/bounded_qp.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include <Eigen/Dense>

namespace femur {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Problem {
  Eigen::MatrixXd A;
  Eigen::VectorXd b, w, c, lo, hi;
};

// A random problem with a strictly feasible point inside the bounds, so it has a solution.
Problem random_problem(int n, int m, std::mt19937& rng, bool some_unbounded) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Problem p;
  p.A = Eigen::MatrixXd::NullaryExpr(m, n, [&]() { return u(rng); });
  p.w = Eigen::VectorXd::NullaryExpr(n, [&]() { return 0.2 + std::abs(u(rng)); });
  p.c = Eigen::VectorXd::NullaryExpr(n, [&]() { return 0.3 * u(rng); });
  p.lo.resize(n);
  p.hi.resize(n);
  Eigen::VectorXd inside(n);
  for (int i = 0; i < n; ++i) {
    p.lo[i] = 0.01;
    p.hi[i] = 1.0;
    inside[i] = 0.01 + 0.99 * (0.5 + 0.5 * u(rng));
    if (some_unbounded && i >= n - 3) {
      p.lo[i] = -kInf;
      p.hi[i] = kInf;
    }
  }
  p.b = p.A * inside;
  return p;
}

// KKT of min sum w x^2 + c x, A x = b, lo <= x <= hi, with the multipliers y.
void expect_kkt(const Problem& p, const Eigen::VectorXd& x, const Eigen::VectorXd& y, double tol) {
  EXPECT_LE((p.A * x - p.b).lpNorm<Eigen::Infinity>(), tol);
  const Eigen::VectorXd z = 2.0 * p.w.cwiseProduct(x) + p.c - p.A.transpose() * y;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    EXPECT_GE(x[i], p.lo[i]);
    EXPECT_LE(x[i], p.hi[i]);
    if (x[i] > p.lo[i] && x[i] < p.hi[i]) {
      EXPECT_NEAR(z[i], 0.0, tol) << "variable " << i;
    }
    if (x[i] == p.lo[i]) {
      EXPECT_GE(z[i], -tol) << "variable " << i << " at its lower bound";
    }
    if (x[i] == p.hi[i]) {
      EXPECT_LE(z[i], tol) << "variable " << i << " at its upper bound";
    }
  }
}

TEST(BoundedQp, EqualityOnlyProblemMatchesTheClosedForm) {
  std::mt19937 rng(1);
  Problem p = random_problem(12, 4, rng, false);
  p.lo.setConstant(-kInf);
  p.hi.setConstant(kInf);
  // x = (2W)^-1 (A^T y - c) with A x = b: (A (2W)^-1 A^T) y = b + A (2W)^-1 c.
  const Eigen::VectorXd d = (2.0 * p.w).cwiseInverse();
  const Eigen::MatrixXd S = p.A * d.asDiagonal() * p.A.transpose();
  const Eigen::VectorXd y_exact = S.llt().solve(p.b + p.A * d.cwiseProduct(p.c));
  const Eigen::VectorXd x_exact = d.cwiseProduct(p.A.transpose() * y_exact - p.c);

  BoundedQp qp(12, 4);
  Eigen::VectorXd x, y = Eigen::VectorXd::Zero(4);
  const BoundedQpSummary s = qp.solve(p.A, p.b, p.w, p.c, p.lo, p.hi, x, y);
  ASSERT_TRUE(s.solved());
  EXPECT_LE(s.iterations, 2);  // a quadratic without active bounds: one Newton step
  EXPECT_LE((x - x_exact).lpNorm<Eigen::Infinity>(), 1e-11);
  EXPECT_LE((y - y_exact).lpNorm<Eigen::Infinity>(), 1e-10);
  EXPECT_EQ(s.active_bounds, 0);
}

TEST(BoundedQp, RandomBoundedProblemsSatisfyKkt) {
  std::mt19937 rng(2);
  BoundedQp qp(98, 23);
  for (int trial = 0; trial < 50; ++trial) {
    const Problem p = random_problem(98, 23, rng, trial % 2 == 0);
    Eigen::VectorXd x, y = Eigen::VectorXd::Zero(23);
    const BoundedQpSummary s = qp.solve(p.A, p.b, p.w, p.c, p.lo, p.hi, x, y);
    ASSERT_TRUE(s.solved()) << "trial " << trial << " status " << static_cast<int>(s.status);
    expect_kkt(p, x, y, 1e-9);
    EXPECT_GT(s.active_bounds, 0);
    EXPECT_LT(s.iterations, 30);
  }
}

// Every assignment of lower / upper / free to each variable: the equality-constrained QP on
// the free ones, kept when it is within bounds and its multipliers have the right signs.
double brute_force_objective(const Problem& p) {
  const int n = static_cast<int>(p.w.size());
  const int m = static_cast<int>(p.b.size());
  double best = kInf;
  int combos = 1;
  for (int i = 0; i < n; ++i) combos *= 3;
  for (int code = 0; code < combos; ++code) {
    Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
    std::vector<int> free;
    int k = code;
    for (int i = 0; i < n; ++i, k /= 3) {
      if (k % 3 == 0) {
        x[i] = p.lo[i];
      } else if (k % 3 == 1) {
        x[i] = p.hi[i];
      } else {
        free.push_back(i);
      }
    }
    // KKT system on the free variables: 2W x_F - A_F^T y = -c_F, A_F x_F = b - A_B x_B.
    const int nf = static_cast<int>(free.size());
    Eigen::MatrixXd K = Eigen::MatrixXd::Zero(nf + m, nf + m);
    Eigen::VectorXd r(nf + m);
    Eigen::VectorXd rhs = p.b - p.A * x;
    for (int a = 0; a < nf; ++a) {
      K(a, a) = 2.0 * p.w[free[a]];
      K.block(nf, a, m, 1) = p.A.col(free[a]);
      K.block(a, nf, 1, m) = -p.A.col(free[a]).transpose();
      r[a] = -p.c[free[a]];
    }
    r.tail(m) = rhs;
    Eigen::FullPivLU<Eigen::MatrixXd> lu(K);
    if (lu.rank() < nf + m) continue;
    const Eigen::VectorXd sol = lu.solve(r);
    bool ok = true;
    for (int a = 0; a < nf; ++a) {
      x[free[a]] = sol[a];
      ok = ok && sol[a] >= p.lo[free[a]] - 1e-12 && sol[a] <= p.hi[free[a]] + 1e-12;
    }
    if (!ok || (p.A * x - p.b).norm() > 1e-9) continue;
    const double f = (p.w.cwiseProduct(x) + p.c).dot(x);
    best = std::min(best, f);
  }
  return best;
}

TEST(BoundedQp, AgreesWithBruteForceOverEveryActiveSet) {
  std::mt19937 rng(3);
  BoundedQp qp(7, 2);
  for (int trial = 0; trial < 20; ++trial) {
    const Problem p = random_problem(7, 2, rng, false);
    Eigen::VectorXd x, y = Eigen::VectorXd::Zero(2);
    const BoundedQpSummary s = qp.solve(p.A, p.b, p.w, p.c, p.lo, p.hi, x, y);
    ASSERT_TRUE(s.solved());
    // The minimum over feasible vertices/faces is the optimum; ours may not be lower.
    EXPECT_NEAR(s.objective, brute_force_objective(p), 1e-10) << "trial " << trial;
  }
}

TEST(BoundedQp, WarmStartFromTheSolutionNeedsNoNewtonStep) {
  std::mt19937 rng(4);
  const Problem p = random_problem(40, 10, rng, true);
  BoundedQp qp(40, 10);
  Eigen::VectorXd x, y = Eigen::VectorXd::Zero(10);
  const BoundedQpSummary cold = qp.solve(p.A, p.b, p.w, p.c, p.lo, p.hi, x, y);
  ASSERT_TRUE(cold.solved());
  EXPECT_GT(cold.iterations, 1);
  Eigen::VectorXd x2;
  const BoundedQpSummary warm = qp.solve(p.A, p.b, p.w, p.c, p.lo, p.hi, x2, y);
  ASSERT_TRUE(warm.solved());
  EXPECT_EQ(warm.iterations, 0);
  EXPECT_LE((x2 - x).lpNorm<Eigen::Infinity>(), 1e-12);
}

TEST(BoundedQp, ConstraintsOutOfReachOfTheBoundsAreReportedInfeasible) {
  // x1 + x2 = 5 with both in [0, 1].
  Eigen::MatrixXd A(1, 2);
  A << 1.0, 1.0;
  const Eigen::VectorXd b = Eigen::VectorXd::Constant(1, 5.0), w = Eigen::VectorXd::Ones(2),
                        c = Eigen::VectorXd::Zero(2), lo = Eigen::VectorXd::Zero(2), hi = Eigen::VectorXd::Ones(2);
  BoundedQp qp(2, 1);
  Eigen::VectorXd x, y = Eigen::VectorXd::Zero(1);
  const BoundedQpSummary s = qp.solve(A, b, w, c, lo, hi, x, y);
  EXPECT_EQ(s.status, BoundedQpStatus::Infeasible);
  EXPECT_DOUBLE_EQ(x[0], 1.0);  // as close as the bounds allow
  EXPECT_DOUBLE_EQ(x[1], 1.0);
  EXPECT_NEAR(s.residual, 3.0, 1e-12);
}

TEST(BoundedQp, BadInputIsRejectedWithoutThrowing) {
  Eigen::MatrixXd A = Eigen::MatrixXd::Ones(1, 2);
  const Eigen::VectorXd b = Eigen::VectorXd::Ones(1), c = Eigen::VectorXd::Zero(2);
  Eigen::VectorXd lo = Eigen::VectorXd::Zero(2), hi = Eigen::VectorXd::Ones(2), w = Eigen::VectorXd::Ones(2);
  BoundedQp qp(2, 1);
  Eigen::VectorXd x, y = Eigen::VectorXd::Zero(1);
  lo[0] = 2.0;  // lo > hi
  EXPECT_EQ(qp.solve(A, b, w, c, lo, hi, x, y).status, BoundedQpStatus::InvalidInput);
  lo[0] = 0.0;
  w[1] = 0.0;  // not strictly convex
  EXPECT_EQ(qp.solve(A, b, w, c, lo, hi, x, y).status, BoundedQpStatus::InvalidInput);
  w[1] = 1.0;
  EXPECT_EQ(qp.solve_power(A, b, w, 1.0, lo, hi, x, y).status, BoundedQpStatus::InvalidInput);
  EXPECT_THROW(qp.solve(Eigen::MatrixXd::Ones(2, 2), b, w, c, lo, hi, x, y), std::invalid_argument);
}

// Optimality of min sum w |x|^p: w p |x|^(p-1) sign(x) - (A^T y)_i is 0 inside the bounds,
// >= 0 at a lower and <= 0 at an upper bound, with y from the final quadratic model.
void expect_power_kkt(const Problem& p, double power, const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                      double tol) {
  EXPECT_LE((p.A * x - p.b).lpNorm<Eigen::Infinity>(), 1e-9);
  const Eigen::VectorXd Aty = p.A.transpose() * y;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double g = p.w[i] * power * std::pow(std::abs(x[i]), power - 1.0) * (x[i] < 0 ? -1.0 : 1.0);
    const double z = g - Aty[i];
    if (x[i] > p.lo[i] && x[i] < p.hi[i]) {
      EXPECT_NEAR(z, 0.0, tol) << "variable " << i;
    }
    if (x[i] <= p.lo[i]) {
      EXPECT_GE(z, -tol) << "variable " << i;
    }
    if (x[i] >= p.hi[i]) {
      EXPECT_LE(z, tol) << "variable " << i;
    }
  }
}

TEST(BoundedQp, PowerObjectiveMeetsItsOptimalityConditions) {
  std::mt19937 rng(5);
  for (double power : {1.5, 3.0, 4.0}) {
    BoundedQp qp(30, 6);
    for (int trial = 0; trial < 10; ++trial) {
      Problem p = random_problem(30, 6, rng, trial % 2 == 0);
      p.c.setZero();
      Eigen::VectorXd x, y = Eigen::VectorXd::Zero(6);
      const BoundedQpSummary s = qp.solve_power(p.A, p.b, p.w, power, p.lo, p.hi, x, y);
      ASSERT_TRUE(s.solved()) << "p = " << power << " trial " << trial << " status " << static_cast<int>(s.status);
      EXPECT_LT(s.iterations, 60);
      expect_power_kkt(p, power, x, y, 1e-8);
    }
  }
}

TEST(BoundedQp, PowerTwoIsTheQuadraticWithoutLinearTerm) {
  std::mt19937 rng(6);
  Problem p = random_problem(20, 5, rng, true);
  BoundedQp qp(20, 5);
  Eigen::VectorXd x1, x2, y1 = Eigen::VectorXd::Zero(5), y2 = Eigen::VectorXd::Zero(5);
  ASSERT_TRUE(qp.solve_power(p.A, p.b, p.w, 2.0, p.lo, p.hi, x1, y1).solved());
  ASSERT_TRUE(qp.solve(p.A, p.b, p.w, Eigen::VectorXd::Zero(20), p.lo, p.hi, x2, y2).solved());
  EXPECT_LE((x1 - x2).lpNorm<Eigen::Infinity>(), 1e-14);
}

}  // namespace
}  // namespace femur
