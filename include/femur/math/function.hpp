// Scalar functions of one variable with exact first and second derivatives: the
// functions OpenSim models use for joint axes, moving path points and couplers
// (OpenSim/Common/*Function*.cpp, SimmSpline.cpp, NaturalCubicSpline.cpp, GCVSpline.cpp).
// A Function is an immutable value; evaluation is a switch on its kind, allocation-free.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace femur {

enum class FunctionKind {
  Constant,            // value
  Linear,              // slope * x + intercept
  PiecewiseLinear,     // through (x_i, y_i), linear extrapolation with the end slopes
  PiecewiseConstant,   // y_i on [x_i, x_{i+1}) (OpenSim PiecewiseConstantFunction)
  SimmSpline,          // cubic through (x_i, y_i), Forsythe-Malcolm-Moler end conditions
  // OpenSim 4 reads <NaturalCubicSpline> as a SimmSpline (RegisterTypes_osimCommon.cpp:
  // "old NaturalCubicSpline (which wasn't a natural cubic spline)"), and so does femur:
  // same Forsythe-Malcolm-Moler cubic, only the kind and its XML name differ.
  NaturalCubicSpline,
  GCVSpline,           // Woltring's natural spline of odd degree from its coefficients
  Polynomial,          // sum c_k x^(n-k), highest power first
  Multiplier,          // scale * inner(x)
  Sine,                // amplitude * sin(omega * x + phase) + offset
  Step,                // smooth step from start_value to end_value between two times
};

// Value and derivatives at one point.
struct FunctionValue {
  double f = 0.0;    // value
  double df = 0.0;   // first derivative
  double ddf = 0.0;  // second derivative
};

class Function {
 public:
  Function();  // Constant 0

  static Function constant(double value);
  static Function linear(double slope, double intercept);
  static Function piecewise_linear(std::vector<double> x, std::vector<double> y);
  static Function piecewise_constant(std::vector<double> x, std::vector<double> y);
  static Function simm_spline(std::vector<double> x, std::vector<double> y);
  static Function natural_cubic_spline(std::vector<double> x, std::vector<double> y);
  // A GCVSpline as OpenSim stores it: degree (1, 3, 5, 7), knots x and coefficients
  // (x() gives the knots, parameters() the coefficients, degree() the degree).
  static Function gcv_spline(int degree, std::vector<double> x, std::vector<double> coefficients);
  // Coefficients with the highest power first (OpenSim PolynomialFunction).
  static Function polynomial(std::vector<double> coefficients);
  static Function multiplier(Function inner, double scale);
  static Function sine(double amplitude, double omega, double phase, double offset);
  static Function step(double start_time, double end_time, double start_value, double end_value);

  FunctionKind kind() const { return kind_; }
  const char* kind_name() const;

  double value(double x) const;
  FunctionValue evaluate(double x) const;  // value, first and second derivative

  bool is_constant() const { return kind_ == FunctionKind::Constant; }

  // Knots and values of the tabulated kinds (empty for analytic kinds).
  const std::vector<double>& x() const { return x_; }
  const std::vector<double>& y() const { return y_; }
  // Parameters of analytic kinds in declaration order (e.g. slope, intercept);
  // the coefficients of a GCVSpline.
  const std::vector<double>& parameters() const { return p_; }
  int degree() const { return degree_; }  // GCVSpline degree (0 for other kinds)
  const Function* inner() const { return inner_.get(); }

 private:
  FunctionKind kind_ = FunctionKind::Constant;
  std::vector<double> x_, y_;     // knots
  std::vector<double> b_, c_, d_; // per-knot polynomial coefficients (splines)
  std::vector<double> p_;         // analytic parameters
  int degree_ = 0;                // GCVSpline degree
  std::shared_ptr<const Function> inner_;  // Multiplier
};

}  // namespace femur
