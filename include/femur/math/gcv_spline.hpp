// Woltring's generalized cross-validatory spline (GCVSPL, Woltring 1986, Adv. Eng. Software
// 8:104-113): a natural smoothing spline of odd degree 2m-1 whose smoothing is chosen by
// generalized cross-validation, and its evaluation with derivatives. OpenSim fits it to
// coordinates (degree 5) to differentiate them in ID, Analyze and SO (OpenSim/Common/GCVSpline.cpp).
//
// What OpenSim 4.x actually does (OpenSim/Common/GCVSpline.cpp createSimTKFunction, Simbody
// SimTKmath SplineFitter.h): unit weights; error variance < 0 -> minimize the GCV function
// (GCVSPL mode 2); error variance >= 0 -> minimize the estimated true mean squared error for
// that variance (mode 3). GCVSplineSet's default error variance is 0.0, and that is what the
// InverseDynamicsTool passes (`GCVSplineSet coordSplines(5, coords)`): mode 3 with variance 0
// gives an interpolating spline (smoothing parameter driven down to GCVSPL's floor), so the
// smoothing in ID comes from the low-pass filter, not from the spline.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "femur/math/function.hpp"

namespace femur {

// Evaluates the spline of `degree` (1, 3, 5 or 7) with knots x and coefficients c as
// OpenSim's GCVSpline stores them, with its first and second derivatives at t.
// Outside [x.front(), x.back()] the natural spline continues as a polynomial of degree
// (degree-1)/2, as Woltring's SPLDER (and so OpenSim) computes it.
FunctionValue gcv_spline_evaluate(int degree, const std::vector<double>& x,
                                  const std::vector<double>& c, double t);

// The derivative of any order (0 = value) of the same spline; zero for order > degree.
double gcv_spline_derivative(int degree, const std::vector<double>& x,
                             const std::vector<double>& c, int derivative_order, double t);

// How the smoothing parameter p is chosen (GCVSPL's MD argument).
enum class GcvCriterion {
  SmoothingParameter = 1,  // p = value, given
  Gcv = 2,                 // minimize the generalized cross-validation function
  ErrorVariance = 3,       // minimize the estimated true MSE for error variance = value
  ResidualDof = 4,         // residual degrees of freedom = value
};

struct GcvSmoothing {
  GcvCriterion criterion = GcvCriterion::ErrorVariance;
  double value = 0.0;

  // What OpenSim's GCVSpline(degree, n, x, y, name, errorVariance) does.
  static GcvSmoothing opensim(double error_variance = 0.0) {
    return error_variance < 0.0 ? GcvSmoothing{GcvCriterion::Gcv, 0.0}
                                : GcvSmoothing{GcvCriterion::ErrorVariance, error_variance};
  }
  static GcvSmoothing gcv() { return {GcvCriterion::Gcv, 0.0}; }
  static GcvSmoothing error_variance(double v) { return {GcvCriterion::ErrorVariance, v}; }
  static GcvSmoothing smoothing_parameter(double p) { return {GcvCriterion::SmoothingParameter, p}; }
  static GcvSmoothing residual_dof(double dof) { return {GcvCriterion::ResidualDof, dof}; }
  // What OpenSim's GCVSplineSet(degree, storage) ends at: with error variance 0, GCVSPL's
  // criterion (mode 3, the estimated true MSE) is the mean squared residual, which falls as p
  // falls, so its search walks p down to the interpolation floor (p = 1e-15) or to within
  // rounding noise of it. Fitting at the floor directly is one band factorization instead of
  // ~80; on the gait files the splines differ by < 1e-9 deg/s^2 in acceleration.
  static GcvSmoothing interpolating() { return smoothing_parameter(0.0); }
};

// GCVSPL's statistics of the final fit (its work array WK(1..6)).
struct GcvFitStatistics {
  double gcv = 0.0;                    // generalized cross-validation function value
  double mean_squared_residual = 0.0;  // weighted
  double residual_dof = 0.0;           // estimated degrees of freedom of the residual
  double smoothing_parameter = 0.0;    // p (0: interpolation floor reached)
  double true_mse = 0.0;               // estimate of the true mean squared error
  double error_variance = 0.0;         // estimate of the error variance
  int criterion_evaluations = 0;       // how many values of p were tried
};

// One fitted spline: knots, coefficients and how it was fitted.
struct GcvSpline {
  int degree = 5;
  std::vector<double> x;             // knots = the abscissae of the data
  std::vector<double> coefficients;  // as OpenSim's GCVSpline stores them
  GcvFitStatistics statistics;

  FunctionValue evaluate(double t) const { return gcv_spline_evaluate(degree, x, coefficients, t); }
  double derivative(int order, double t) const {
    return gcv_spline_derivative(degree, x, coefficients, order, t);
  }
};

// Fits the natural spline of `degree` (1, 3, 5, 7) to (x_i, y_i) with unit weights, exactly
// as OpenSim/Simbody's GCVSPL does (same search over p, same operation order).
// x must be strictly increasing with at least degree + 1 points; throws std::invalid_argument.
GcvSpline fit_gcv_spline(int degree, const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                         GcvSmoothing smoothing = GcvSmoothing::opensim());

// As above with weights w_i > 0 (relative inverse variances of y_i).
GcvSpline fit_gcv_spline(int degree, const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                         const Eigen::VectorXd& weights, GcvSmoothing smoothing);

// Many signals sampled at the same x (one per column of y), each fitted on its own as OpenSim's
// GCVSplineSet does; the band factorizations that depend only on x and p are shared, so
// fitting 23 columns costs little more than fitting one.
struct GcvSplineSet {
  int degree = 5;
  std::vector<double> x;
  Eigen::MatrixXd coefficients;  // x.size() rows, one column per signal
  std::vector<GcvFitStatistics> statistics;

  Eigen::Index size() const { return coefficients.cols(); }
  FunctionValue evaluate(Eigen::Index column, double t) const;
  double derivative(Eigen::Index column, int order, double t) const;
  GcvSpline spline(Eigen::Index column) const;
};

GcvSplineSet fit_gcv_spline_set(int degree, const Eigen::VectorXd& x, const Eigen::MatrixXd& y,
                                GcvSmoothing smoothing = GcvSmoothing::opensim());

}  // namespace femur
