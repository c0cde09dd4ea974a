// Woltring's GCV spline: evaluation, fitting, and the statistics of the fit, checked against
// mathematical identities (finite differences, polynomial reproduction, the normal equations
// of the smoothing problem, the influence matrix computed column by column).
#include "femur/math/gcv_spline.hpp"

#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>

#include <gtest/gtest.h>

namespace femur {
namespace {

constexpr double kPi = std::numbers::pi;

// Strictly increasing, irregular knots.
Eigen::VectorXd irregular_knots(int n, unsigned seed, double mean_step = 0.05) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.5, 1.5);
  Eigen::VectorXd x(n);
  double t = 0.3;
  for (int i = 0; i < n; ++i) {
    x[i] = t;
    t += mean_step * u(rng);
  }
  return x;
}

TEST(GcvSplineEvaluation, DerivativesMatchCentralFiniteDifferences) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int degree : {1, 3, 5, 7}) {
    const Eigen::VectorXd knots = irregular_knots(14, 11, 0.4);
    std::vector<double> x(knots.data(), knots.data() + knots.size());
    std::vector<double> c(x.size());
    for (double& ci : c) ci = u(rng);
    const double h = 1e-6;
    // Inside the knot range and on both polynomial extensions.
    for (double t = x.front() - 0.7; t < x.back() + 0.7; t += 0.0137) {
      const FunctionValue v = gcv_spline_evaluate(degree, x, c, t);
      const FunctionValue p = gcv_spline_evaluate(degree, x, c, t + h);
      const FunctionValue m = gcv_spline_evaluate(degree, x, c, t - h);
      EXPECT_NEAR((p.f - m.f) / (2 * h), v.df, 1e-7 * (1 + std::abs(v.df))) << degree << " " << t;
      if (degree > 1) {
        EXPECT_NEAR((p.df - m.df) / (2 * h), v.ddf, 1e-7 * (1 + std::abs(v.ddf)))
            << degree << " " << t;
      } else {
        EXPECT_EQ(v.ddf, 0.0);
      }
    }
  }
}

TEST(GcvSplineEvaluation, DerivativesAboveTheDegreeAreZeroAndOutsideItIsAPolynomialOfDegreeMMinus1) {
  const Eigen::VectorXd knots = irregular_knots(12, 3, 0.3);
  std::vector<double> x(knots.data(), knots.data() + knots.size());
  std::vector<double> c = {0.3, -1.0, 0.5, 2.0, 0.1, -0.4, 0.9, 0.0, -0.2, 0.6, 1.1, -0.8};
  EXPECT_EQ(gcv_spline_derivative(5, x, c, 6, 1.0), 0.0);
  // Natural end conditions: left of x_1 the quintic continues as a quadratic.
  EXPECT_NEAR(gcv_spline_derivative(5, x, c, 3, x.front() - 0.5), 0.0, 1e-9);
  EXPECT_NEAR(gcv_spline_derivative(5, x, c, 3, x.back() + 0.5), 0.0, 1e-9);
  EXPECT_NE(gcv_spline_derivative(5, x, c, 2, x.front() - 0.5), 0.0);
}

TEST(GcvSplineFit, ExactPolynomialOfDegreeBelowHalfOrderIsReproducedWhateverTheSmoothing) {
  const Eigen::VectorXd x = irregular_knots(40, 5);
  const Eigen::VectorXd y = (1.5 - 0.7 * x.array() + 0.3 * x.array().square()).matrix();
  for (GcvSmoothing smoothing : {GcvSmoothing::gcv(), GcvSmoothing::opensim(),
                                 GcvSmoothing::smoothing_parameter(1e-6),
                                 GcvSmoothing::smoothing_parameter(1e-3)}) {
    const GcvSpline s = fit_gcv_spline(5, x, y, smoothing);
    for (double t = x[0]; t <= x[x.size() - 1]; t += 0.01) {
      const FunctionValue v = s.evaluate(t);
      EXPECT_NEAR(v.f, 1.5 - 0.7 * t + 0.3 * t * t, 1e-9);
      EXPECT_NEAR(v.df, -0.7 + 0.6 * t, 1e-7);
      EXPECT_NEAR(v.ddf, 0.6, 1e-5);
    }
  }
}

TEST(GcvSplineFit, OpenSimDefaultErrorVarianceZeroInterpolatesTheData) {
  const Eigen::VectorXd x = irregular_knots(60, 8);
  std::mt19937 rng(2);
  std::normal_distribution<double> noise(0.0, 0.1);
  Eigen::VectorXd y(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) y[i] = std::sin(3.0 * x[i]) + noise(rng);
  for (int degree : {3, 5, 7}) {
    const GcvSpline s = fit_gcv_spline(degree, x, y);
    for (Eigen::Index i = 0; i < x.size(); ++i) EXPECT_NEAR(s.evaluate(x[i]).f, y[i], 1e-9);
    EXPECT_LT(s.statistics.mean_squared_residual, 1e-20);
  }
}

TEST(GcvSplineFit, GcvChoiceOnNoisySineIsCloseToTruthAndEstimatesTheNoiseVariance) {
  const int n = 150;
  const double sigma = 0.02;
  std::mt19937 rng(42);
  std::normal_distribution<double> noise(0.0, sigma);
  Eigen::VectorXd x(n), y(n);
  for (int i = 0; i < n; ++i) {
    x[i] = 0.01 * i;
    y[i] = std::sin(2 * kPi * x[i]) + noise(rng);
  }
  const GcvSpline s = fit_gcv_spline(5, x, y, GcvSmoothing::gcv());
  double err = 0.0, err_d = 0.0;
  for (int i = 0; i < n; ++i) {
    const FunctionValue v = s.evaluate(x[i]);
    err += std::pow(v.f - std::sin(2 * kPi * x[i]), 2);
    err_d += std::pow(v.df - 2 * kPi * std::cos(2 * kPi * x[i]), 2);
  }
  err = std::sqrt(err / n);
  err_d = std::sqrt(err_d / n);
  EXPECT_LT(err, 0.5 * sigma);        // smoothing removes most of the noise
  EXPECT_LT(err_d, 0.05 * 2 * kPi);   // and the derivative is within 5% of its amplitude
  EXPECT_NEAR(s.statistics.error_variance, sigma * sigma, 0.35 * sigma * sigma);
  EXPECT_GT(s.statistics.smoothing_parameter, 0.0);
  // GCV is (locally) minimal at the chosen p.
  const double p = s.statistics.smoothing_parameter;
  for (double factor : {0.5, 2.0}) {
    const GcvSpline other = fit_gcv_spline(5, x, y, GcvSmoothing::smoothing_parameter(p * factor));
    EXPECT_GT(other.statistics.gcv, s.statistics.gcv);
  }
}

// The smoothing spline minimizes sum w_i r_i^2 + p' int (s^(m))^2; its normal equations say
// that the jump of s^(2m-1) at each knot is proportional to the residual there, with one
// constant for all knots. This checks the basis and penalty matrices independently of how
// they were built.
TEST(GcvSplineFit, ResidualsAreProportionalToTheJumpsOfTheHighestDerivative) {
  const Eigen::VectorXd x = irregular_knots(30, 13, 0.1);
  Eigen::VectorXd y(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) y[i] = std::cos(2.0 * x[i]) + 0.05 * std::sin(37.0 * i);
  for (int degree : {3, 5}) {
    const int top = degree;  // 2m-1
    const GcvSpline s = fit_gcv_spline(degree, x, y, GcvSmoothing::smoothing_parameter(1e-5));
    const Eigen::Index n = x.size();
    double ratio0 = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double left = i == 0 ? x[0] - 1.0 : 0.5 * (x[i - 1] + x[i]);
      const double right = i == n - 1 ? x[n - 1] + 1.0 : 0.5 * (x[i] + x[i + 1]);
      const double jump = s.derivative(top, right) - s.derivative(top, left);
      const double residual = y[i] - s.evaluate(x[i]).f;
      const double ratio = residual / jump;
      if (i == 0) ratio0 = ratio;
      EXPECT_NEAR(ratio, ratio0, 1e-6 * std::abs(ratio0)) << "degree " << degree << " knot " << i;
    }
  }
}

// trace of the influence matrix A (s(x_i) = sum_j A_ij y_j), from fits of unit vectors,
// against the residual degrees of freedom GCVSPL computes from the band inverse.
TEST(GcvSplineFit, ResidualDegreesOfFreedomEqualNMinusTraceOfTheInfluenceMatrix) {
  const Eigen::VectorXd x = irregular_knots(25, 21);
  const int n = static_cast<int>(x.size());
  const GcvSmoothing smoothing = GcvSmoothing::smoothing_parameter(3e-7);
  double trace = 0.0;
  for (int j = 0; j < n; ++j) {
    const GcvSpline s = fit_gcv_spline(5, x, Eigen::VectorXd::Unit(n, j), smoothing);
    trace += s.evaluate(x[j]).f;
  }
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) y[i] = std::sin(5.0 * x[i]) + 0.1 * std::cos(11.0 * i);
  const GcvSpline s = fit_gcv_spline(5, x, y, smoothing);
  EXPECT_NEAR(s.statistics.residual_dof, n - trace, 1e-8 * n);
  EXPECT_GT(s.statistics.residual_dof, 0.5);
  EXPECT_LT(s.statistics.residual_dof, n - 6 + 1e-9);  // at most n - 2m (polynomial)
  // GCV = (mean squared residual) / (dof / n)^2.
  const double trn = s.statistics.residual_dof / n;
  EXPECT_NEAR(s.statistics.gcv, s.statistics.mean_squared_residual / (trn * trn),
              1e-12 * s.statistics.gcv);
}

TEST(GcvSplineFit, SetOfColumnsGivesBitwiseTheSameSplinesAsFittingEachColumn) {
  const Eigen::VectorXd x = irregular_knots(80, 4, 0.01);
  Eigen::MatrixXd y(x.size(), 5);
  for (Eigen::Index j = 0; j < y.cols(); ++j)
    for (Eigen::Index i = 0; i < y.rows(); ++i)
      y(i, j) = std::sin((j + 1) * 3.0 * x[i]) + 1e-3 * std::sin(97.0 * i * (j + 1));
  for (GcvSmoothing smoothing : {GcvSmoothing::opensim(), GcvSmoothing::gcv()}) {
    const GcvSplineSet set = fit_gcv_spline_set(5, x, y, smoothing);
    for (Eigen::Index j = 0; j < y.cols(); ++j) {
      const GcvSpline one = fit_gcv_spline(5, x, Eigen::VectorXd(y.col(j)), smoothing);
      const GcvSpline from_set = set.spline(j);
      EXPECT_EQ(one.coefficients, from_set.coefficients);
      EXPECT_EQ(one.statistics.smoothing_parameter, from_set.statistics.smoothing_parameter);
      const FunctionValue a = one.evaluate(x[7] + 0.003);
      const FunctionValue b = set.evaluate(j, x[7] + 0.003);
      EXPECT_EQ(a.f, b.f);
      EXPECT_EQ(a.df, b.df);
      EXPECT_EQ(a.ddf, b.ddf);
    }
  }
}

// The size of a gait2392 coordinates file. Its speed is a benchmark
// (BM_GcvSplineSetFit23x150 in bench/math_bench.cpp); here each column's curve must stay
// on the slow signal within the 1e-4 ripple added to it (measured worst 1.0e-4: GCV keeps
// this ripple, which it cannot tell from signal at 60 Hz), for every column.
TEST(GcvSplineFit, TwentyThreeColumnsOfOneHundredFiftyRowsKeepTheirSignal) {
  const int n = 150, cols = 23;
  Eigen::VectorXd x(n);
  for (int i = 0; i < n; ++i) x[i] = i / 60.0;
  Eigen::MatrixXd y(n, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < n; ++i) y(i, j) = std::sin((j + 1) * 0.7 * x[i]) + 1e-4 * std::sin(91.0 * i * j);
  const GcvSplineSet set = fit_gcv_spline_set(5, x, y);
  ASSERT_EQ(set.size(), cols);
  for (int j = 0; j < cols; ++j) {
    double worst = 0.0;
    for (int i = 0; i < n; ++i)
      worst = std::max(worst, std::abs(set.evaluate(j, x[i]).f - std::sin((j + 1) * 0.7 * x[i])));
    EXPECT_LT(worst, 1.2e-4) << "column " << j;
  }
}

TEST(GcvSplineFit, RejectsBadInput) {
  Eigen::VectorXd x(5), y(5);
  x << 0, 1, 2, 3, 4;
  y << 0, 1, 0, 1, 0;
  EXPECT_THROW(fit_gcv_spline(5, x, y), std::invalid_argument);  // needs 6 points
  EXPECT_THROW(fit_gcv_spline(4, x, y), std::invalid_argument);  // even degree
  Eigen::VectorXd x2(6), y2 = Eigen::VectorXd::Zero(6);
  x2 << 0, 1, 2, 2, 3, 4;
  EXPECT_THROW(fit_gcv_spline(5, x2, y2), std::invalid_argument);  // repeated knot
  x2 << 0, 1, 2, 3, 4, 5;
  EXPECT_THROW(fit_gcv_spline(5, x2, y2, GcvSmoothing::error_variance(-1.0)), std::invalid_argument);
  EXPECT_THROW(fit_gcv_spline(5, x2, Eigen::VectorXd::Zero(5)), std::invalid_argument);
  std::vector<double> k = {0, 1, 2}, c = {1, 2};
  EXPECT_THROW(gcv_spline_evaluate(3, k, c, 0.5), std::invalid_argument);
}

}  // namespace
}  // namespace femur
