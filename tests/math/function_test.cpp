// Tests of femur::Function: analytic derivatives against central finite differences for
// every kind, interpolation and exactness properties of the splines, OpenSim's behaviour at
// and beyond the knots (OpenSim/Common/SimmSpline.cpp, PiecewiseLinearFunction.cpp,
// PiecewiseConstantFunction.cpp, Simbody Function::Step), and rejection of bad input.
#include "femur/math/function.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "femur/math/gcv_spline.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

// Central differences: df ~ (f(x+h) - f(x-h)) / 2h and ddf ~ (df(x+h) - df(x-h)) / 2h.
// With h = 1e-6 the truncation error is O(h^2) on smooth pieces and O(h * jump of the
// next derivative) at a knot (a cubic spline's third derivative jumps there), and rounding
// is about 1e-16 |f| / h = 1e-10 |f|; the tolerances below are well above both and far
// below the size of any real mistake in a derivative formula (which is O(1) relative).
constexpr double kStep = 1e-6;

void expect_derivatives_match_finite_differences(const Function& fn, double x,
                                                 double df_tol = 1e-6,
                                                 double ddf_tol = 1e-5) {
  const FunctionValue at = fn.evaluate(x);
  const FunctionValue plus = fn.evaluate(x + kStep);
  const FunctionValue minus = fn.evaluate(x - kStep);
  const double df_fd = (plus.f - minus.f) / (2.0 * kStep);
  const double ddf_fd = (plus.df - minus.df) / (2.0 * kStep);
  const double df_scale = std::max(1.0, std::abs(df_fd));
  const double ddf_scale = std::max(1.0, std::abs(ddf_fd));
  EXPECT_NEAR(at.df, df_fd, df_tol * df_scale) << fn.kind_name() << " at x = " << x;
  EXPECT_NEAR(at.ddf, ddf_fd, ddf_tol * ddf_scale) << fn.kind_name() << " at x = " << x;
  EXPECT_EQ(fn.value(x), at.f) << fn.kind_name() << " at x = " << x;
}

// Points spread over [lo, hi] plus a margin outside it on both sides.
std::vector<double> sample_points(double lo, double hi, int count = 97) {
  std::vector<double> points;
  const double margin = 0.3 * (hi - lo);
  for (int i = 0; i < count; ++i) {
    points.push_back(lo - margin + (hi - lo + 2.0 * margin) * i / (count - 1));
  }
  return points;
}

// Knots of the right knee's translation1 SimmSpline in gait2392 (both coordinates of the
// CustomJoint knee_r), read from the model file.
struct Knots {
  std::vector<double> x, y;
};

std::vector<double> numbers_between(const std::string& text, std::size_t from,
                                    const std::string& open, const std::string& close) {
  const std::size_t begin = text.find(open, from);
  const std::size_t end = text.find(close, begin);
  if (begin == std::string::npos || end == std::string::npos) return {};
  std::istringstream in(text.substr(begin + open.size(), end - begin - open.size()));
  std::vector<double> values;
  for (double v; in >> v;) values.push_back(v);
  return values;
}

Knots gait2392_knee_translation1() {
  std::ifstream file(test::opensim_file(
      "Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim"));
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();
  const std::size_t joint = text.find("<CustomJoint name=\"knee_r\"");
  if (joint == std::string::npos) return {};
  const std::size_t axis = text.find("<TransformAxis name=\"translation1\"", joint);
  if (axis == std::string::npos) return {};
  return {numbers_between(text, axis, "<x>", "</x>"), numbers_between(text, axis, "<y>", "</y>")};
}

// A cubic with its derivatives, and non-uniform knots to sample it at.
double cubic(double x) { return 0.5 - 1.2 * x + 0.7 * x * x + 0.3 * x * x * x; }
double cubic_d(double x) { return -1.2 + 1.4 * x + 0.9 * x * x; }
double cubic_dd(double x) { return 1.4 + 1.8 * x; }

std::vector<double> uneven_knots(int n) {
  std::vector<double> x;
  for (int i = 0; i < n; ++i) x.push_back(-1.0 + 0.37 * i + 0.05 * std::sin(3.0 * i));
  return x;
}

std::vector<double> apply(const std::vector<double>& x, double (*f)(double)) {
  std::vector<double> y;
  for (double v : x) y.push_back(f(v));
  return y;
}

// Spline-like test data: 9 uneven knots with wiggly values.
const std::vector<double> kX = {-2.0, -1.4, -1.1, -0.3, 0.0, 0.45, 1.2, 1.3, 2.5};
const std::vector<double> kY = {0.3, -0.2, 0.1, 0.8, 0.75, -0.4, 0.0, 0.2, -0.6};

void expect_throws_with(const std::function<void()>& make, const std::string& fragment) {
  try {
    make();
    ADD_FAILURE() << "no exception; expected one mentioning '" << fragment << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos)
        << "message was: " << e.what();
  }
}

// ---------------------------------------------------------------------------------------
// Derivatives of every kind against finite differences.

TEST(Function, AnalyticKindsHaveDerivativesMatchingFiniteDifferences) {
  const std::vector<Function> functions = {
      Function::constant(2.5),
      Function::linear(-0.7, 0.2),
      Function::polynomial({0.3, -1.0, 0.5, 2.0, -0.25}),
      Function::sine(0.8, 2.3, 0.4, -0.1),
      Function::multiplier(Function::sine(1.1, 1.7, -0.3, 0.2), -2.5),
      Function::step(-0.5, 0.8, 1.5, -0.5),
      Function::step(0.8, -0.5, 1.5, -0.5),  // start after end: Simbody steps backwards
  };
  for (const Function& fn : functions) {
    for (double x : sample_points(-1.0, 1.2)) expect_derivatives_match_finite_differences(fn, x);
  }
}

TEST(Function, SplinesHaveDerivativesMatchingFiniteDifferencesInsideAndOutsideTheKnots) {
  for (const Function& fn : {Function::simm_spline(kX, kY), Function::natural_cubic_spline(kX, kY)}) {
    for (double x : sample_points(kX.front(), kX.back())) {
      if (std::abs(x - kX.front()) < 1e-3 || std::abs(x - kX.back()) < 1e-3) continue;
      expect_derivatives_match_finite_differences(fn, x);
    }
    // Interior knots: a cubic spline is C2 there, so central differences apply.
    for (std::size_t i = 1; i + 1 < kX.size(); ++i) {
      expect_derivatives_match_finite_differences(fn, kX[i]);
    }
  }
}

TEST(Function, SimmSplineEndKnotsGiveTheEndSlopeAndTheInsideCurvature) {
  // Outside the knots the spline is a line with the end slope (SimmSpline.cpp), so its
  // second derivative jumps from 2c to 0 at an end knot. One-sided differences: outwards
  // the slope is exact (a line); inwards it is f' + f''h/2 + O(h^2); and the curvature
  // comes from the slope's change inwards.
  const Function fn = Function::simm_spline(kX, kY);
  for (double end : {kX.front(), kX.back()}) {
    const double inward = end == kX.front() ? 1.0 : -1.0;
    const FunctionValue at = fn.evaluate(end);
    const double h = inward * kStep;
    EXPECT_NEAR(at.df, (fn.value(end) - fn.value(end - h)) / h, 1e-8);
    EXPECT_NEAR(at.df + 0.5 * at.ddf * h, (fn.value(end + h) - fn.value(end)) / h, 1e-8);
    const double ddf_one_sided =
        (fn.evaluate(end + inward * kStep).df - at.df) / (inward * kStep);
    EXPECT_NEAR(at.ddf, ddf_one_sided, 1e-4 * std::max(1.0, std::abs(at.ddf)));
  }
}

TEST(Function, PiecewiseLinearHasExactSlopesAndZeroCurvatureEverywhere) {
  const Function fn = Function::piecewise_linear(kX, kY);
  for (double x : sample_points(kX.front(), kX.back())) {
    const bool near_knot = std::any_of(kX.begin(), kX.end(),
                                       [&](double k) { return std::abs(x - k) < 1e-3; });
    const FunctionValue v = fn.evaluate(x);
    EXPECT_EQ(v.ddf, 0.0);
    if (!near_knot) {
      EXPECT_NEAR(v.df, (fn.value(x + kStep) - fn.value(x - kStep)) / (2 * kStep), 1e-8)
          << "x = " << x;
    }
  }
}

TEST(Function, PiecewiseConstantHasZeroDerivatives) {
  const Function fn = Function::piecewise_constant(kX, kY);
  for (double x : sample_points(kX.front(), kX.back())) {
    const FunctionValue v = fn.evaluate(x);
    EXPECT_EQ(v.df, 0.0);
    EXPECT_EQ(v.ddf, 0.0);
  }
}

TEST(Function, GcvSplineDelegatesToWoltringEvaluationAndItsDerivativesMatch) {
  // Any coefficients define a natural quintic spline; derivatives must still match finite
  // differences (the spline is C4 inside, and of degree m-1 = 2 outside the knots).
  const std::vector<double> x = {0.0, 0.1, 0.25, 0.3, 0.45, 0.6, 0.8, 0.9, 1.0};
  const std::vector<double> c = {0.2, 0.5, 0.1, -0.3, 0.4, 0.9, 0.3, -0.2, 0.0};
  const Function fn = Function::gcv_spline(5, x, c);
  EXPECT_EQ(fn.degree(), 5);
  EXPECT_EQ(fn.x(), x);
  EXPECT_EQ(fn.parameters(), c);
  for (double t : sample_points(x.front(), x.back(), 41)) {
    const FunctionValue direct = gcv_spline_evaluate(5, x, c, t);
    const FunctionValue via = fn.evaluate(t);
    EXPECT_EQ(via.f, direct.f);
    EXPECT_EQ(via.df, direct.df);
    EXPECT_EQ(via.ddf, direct.ddf);
    expect_derivatives_match_finite_differences(fn, t);
  }
}

// ---------------------------------------------------------------------------------------
// Spline properties.

TEST(Function, SplinesPassThroughTheirKnots) {
  for (const Function& fn : {Function::simm_spline(kX, kY), Function::natural_cubic_spline(kX, kY),
                             Function::piecewise_linear(kX, kY)}) {
    for (std::size_t i = 0; i < kX.size(); ++i) {
      EXPECT_NEAR(fn.value(kX[i]), kY[i], 1e-14) << fn.kind_name() << " knot " << i;
    }
  }
}

TEST(Function, SimmSplineReproducesACubicFromItsSamples) {
  // FMM's end conditions take s''' at each end from the cubic through the four end points;
  // for samples of a cubic that is the cubic itself, which then satisfies every equation.
  for (int n : {4, 5, 7, 12}) {
    const std::vector<double> x = uneven_knots(n);
    const Function fn = Function::simm_spline(x, apply(x, cubic));
    for (double t = x.front(); t <= x.back(); t += 0.013) {
      const FunctionValue v = fn.evaluate(t);
      EXPECT_NEAR(v.f, cubic(t), 1e-12) << "n = " << n << ", x = " << t;
      EXPECT_NEAR(v.df, cubic_d(t), 1e-11) << "n = " << n << ", x = " << t;
      EXPECT_NEAR(v.ddf, cubic_dd(t), 1e-10) << "n = " << n << ", x = " << t;
    }
  }
}

TEST(Function, SimmSplineWithThreePointsIsTheParabolaThroughThem) {
  // For n = 3 SimmSpline.cpp sets the end right-hand sides to zero: s''' = 0 at both ends,
  // which the parabola through the three points satisfies.
  auto parabola = [](double x) { return 1.0 + 0.5 * x - 2.0 * x * x; };
  const std::vector<double> x = {-0.4, 0.1, 0.9};
  const Function fn = Function::simm_spline(x, {parabola(x[0]), parabola(x[1]), parabola(x[2])});
  for (double t = -0.4; t <= 0.9; t += 0.05) {
    EXPECT_NEAR(fn.value(t), parabola(t), 1e-13);
    EXPECT_NEAR(fn.evaluate(t).df, 0.5 - 4.0 * t, 1e-12);
    EXPECT_NEAR(fn.evaluate(t).ddf, -4.0, 1e-12);
  }
}

TEST(Function, SimmSplineWithTwoPointsIsAStraightLine) {
  const Function fn = Function::simm_spline({1.0, 3.0}, {2.0, -1.0});
  for (double t : {-1.0, 1.0, 1.5, 2.9, 3.0, 4.0}) {
    const FunctionValue v = fn.evaluate(t);
    EXPECT_NEAR(v.f, 2.0 - 1.5 * (t - 1.0), 1e-15);
    EXPECT_EQ(v.df, -1.5);
    EXPECT_EQ(v.ddf, 0.0);
  }
}

TEST(Function, SimmSplineExtrapolatesLinearlyWithTheEndSlopes) {
  const Function fn = Function::simm_spline(kX, kY);
  const FunctionValue first = fn.evaluate(kX.front());
  const FunctionValue last = fn.evaluate(kX.back());
  EXPECT_EQ(first.f, kY.front());  // exactly the end value at the end knot
  EXPECT_EQ(last.f, kY.back());
  // ... and within SimmMacros.h's ROUNDOFF_ERROR (2e-13) of it, as SimmSpline.cpp does.
  EXPECT_EQ(fn.value(kX.front() + 1e-13), kY.front());
  EXPECT_EQ(fn.value(kX.back() - 1e-13), kY.back());
  for (double d : {1e-9, 0.1, 2.0}) {
    const FunctionValue left = fn.evaluate(kX.front() - d);
    const FunctionValue right = fn.evaluate(kX.back() + d);
    EXPECT_NEAR(left.f, kY.front() - d * first.df, 1e-14);
    EXPECT_NEAR(right.f, kY.back() + d * last.df, 1e-14);
    EXPECT_EQ(left.df, first.df);
    EXPECT_EQ(right.df, last.df);
    EXPECT_EQ(left.ddf, 0.0);
    EXPECT_EQ(right.ddf, 0.0);
  }
}

TEST(Function, NaturalCubicSplineIsOpenSimsSimmSplineUnderAnotherName) {
  // OpenSim 4 reads <NaturalCubicSpline> as SimmSpline (RegisterTypes_osimCommon.cpp), so
  // its values are the FMM spline's, not a natural spline's: on samples of a cubic it is
  // the cubic, with a non-zero second derivative at the ends.
  const Function simm = Function::simm_spline(kX, kY);
  const Function natural = Function::natural_cubic_spline(kX, kY);
  EXPECT_EQ(natural.kind(), FunctionKind::NaturalCubicSpline);
  for (double t : sample_points(kX.front(), kX.back())) {
    const FunctionValue a = simm.evaluate(t), b = natural.evaluate(t);
    EXPECT_EQ(a.f, b.f);
    EXPECT_EQ(a.df, b.df);
    EXPECT_EQ(a.ddf, b.ddf);
  }
  const std::vector<double> x = uneven_knots(6);
  const Function on_cubic = Function::natural_cubic_spline(x, apply(x, cubic));
  EXPECT_NEAR(on_cubic.evaluate(x.front()).ddf, cubic_dd(x.front()), 1e-10);
  EXPECT_GT(std::abs(on_cubic.evaluate(x.front()).ddf), 0.1);
}

TEST(Function, Gait2392KneeSplineIsTwiceContinuouslyDifferentiableAtItsKnots) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Knots knee = gait2392_knee_translation1();
  ASSERT_EQ(knee.x.size(), 12u) << "knee_r translation1 SimmSpline not found";
  ASSERT_EQ(knee.y.size(), 12u);
  const Function fn = Function::simm_spline(knee.x, knee.y);
  // Left and right limits 1e-9 apart: the value moves by ~1e-9 |f'|, the slope by
  // ~1e-9 |f''|, the curvature by ~1e-9 |f'''| (|f'''| < 10 here); a discontinuity of
  // any of them would show up as far more than 1e-7.
  constexpr double kEps = 1e-9;
  for (std::size_t i = 1; i + 1 < knee.x.size(); ++i) {
    const FunctionValue left = fn.evaluate(knee.x[i] - kEps);
    const FunctionValue right = fn.evaluate(knee.x[i] + kEps);
    const FunctionValue at = fn.evaluate(knee.x[i]);
    EXPECT_NEAR(at.f, knee.y[i], 1e-15) << "knot " << i;
    EXPECT_NEAR(left.f, right.f, 1e-10) << "knot " << i;
    EXPECT_NEAR(left.df, right.df, 1e-8) << "knot " << i;
    EXPECT_NEAR(left.ddf, right.ddf, 1e-7) << "knot " << i;
    expect_derivatives_match_finite_differences(fn, knee.x[i]);
  }
  // And the third derivative does jump somewhere: the test would see a broken C2 join.
  double max_jump = 0.0;
  for (std::size_t i = 1; i + 1 < knee.x.size(); ++i) {
    const double left = (fn.evaluate(knee.x[i] - 1e-4).ddf - fn.evaluate(knee.x[i] - 2e-4).ddf);
    const double right = (fn.evaluate(knee.x[i] + 2e-4).ddf - fn.evaluate(knee.x[i] + 1e-4).ddf);
    max_jump = std::max(max_jump, std::abs(right - left) / 1e-4);
  }
  EXPECT_GT(max_jump, 1e-3);
}

// ---------------------------------------------------------------------------------------
// OpenSim's behaviour of the other kinds.

TEST(Function, PiecewiseLinearPicksTheSegmentAtAKnotAsOpenSimsBisectionDoes) {
  // PiecewiseLinearFunction.cpp bisects with k = (i + j) / 2 from i = 0, j = n and stops at
  // the first k with x[k] <= t <= x[k+1]. With 5 knots, t = x[3] stops at k = 2 (the
  // segment to its left), t = x[2] at k = 2 (to its right), t = x[1] at k = 1 (right).
  const std::vector<double> x = {0.0, 1.0, 2.0, 3.0, 4.0};
  const std::vector<double> y = {0.0, 1.0, 3.0, 6.0, 10.0};  // slopes 1, 2, 3, 4
  const Function fn = Function::piecewise_linear(x, y);
  EXPECT_EQ(fn.evaluate(3.0).df, 3.0);
  EXPECT_EQ(fn.evaluate(2.0).df, 3.0);
  EXPECT_EQ(fn.evaluate(1.0).df, 2.0);
  EXPECT_EQ(fn.evaluate(0.0).df, 1.0);
  EXPECT_EQ(fn.evaluate(4.0).df, 4.0);  // last slope repeats the last segment's
  EXPECT_EQ(fn.value(-1.0), -1.0);
  EXPECT_EQ(fn.value(5.5), 16.0);
  EXPECT_EQ(fn.value(2.5), 4.5);
}

TEST(Function, PiecewiseConstantHoldsEachValueUntilTheNextKnot) {
  const std::vector<double> x = {0.0, 1.0, 2.0, 3.0, 4.0};
  const std::vector<double> y = {5.0, 6.0, 7.0, 8.0, 9.0};
  const Function fn = Function::piecewise_constant(x, y);
  EXPECT_EQ(fn.value(-3.0), 5.0);
  EXPECT_EQ(fn.value(0.0), 5.0);
  EXPECT_EQ(fn.value(0.5), 5.0);
  EXPECT_EQ(fn.value(1.5), 6.0);
  EXPECT_EQ(fn.value(2.0), 7.0);  // bisection stops at k = 2 for t = x[2]
  EXPECT_EQ(fn.value(3.0), 7.0);  // ... and at k = 2 for t = x[3], as in OpenSim
  EXPECT_EQ(fn.value(3.999), 8.0);
  EXPECT_EQ(fn.value(4.0), 9.0);
  EXPECT_EQ(fn.value(7.0), 9.0);
  EXPECT_EQ(Function::piecewise_constant({1.0}, {4.0}).value(-2.0), 4.0);
}

TEST(Function, StepIsSimbodysQuinticStep) {
  const Function fn = Function::step(1.0, 3.0, 2.0, -2.0);
  EXPECT_EQ(fn.value(0.0), 2.0);
  EXPECT_EQ(fn.value(1.0), 2.0);
  EXPECT_EQ(fn.value(3.0), -2.0);
  EXPECT_EQ(fn.value(9.0), -2.0);
  // Halfway: stepUp(1/2) = 1/2; slope 30 (1/4)^2 (y1-y0)/(x1-x0) = 1.875 * (-4)/2.
  const FunctionValue mid = fn.evaluate(2.0);
  EXPECT_NEAR(mid.f, 0.0, 1e-15);
  EXPECT_NEAR(mid.df, -3.75, 1e-14);
  EXPECT_NEAR(mid.ddf, 0.0, 1e-14);
  // A quarter of the way: 10/64 - 15/256 + 6/1024 = 0.103515625.
  EXPECT_NEAR(fn.value(1.5), 2.0 - 4.0 * 0.103515625, 1e-15);
  // Reversed times step the other way round.
  const Function back = Function::step(3.0, 1.0, 2.0, -2.0);
  EXPECT_EQ(back.value(4.0), 2.0);
  EXPECT_EQ(back.value(0.0), -2.0);
  EXPECT_NEAR(back.value(2.5), 2.0 - 4.0 * 0.103515625, 1e-15);
}

TEST(Function, PolynomialMultiplierSineLinearAndConstantGiveTheirFormulas) {
  const Function poly = Function::polynomial({2.0, -3.0, 0.5});  // 2x^2 - 3x + 0.5
  EXPECT_DOUBLE_EQ(poly.value(1.5), 2.0 * 2.25 - 4.5 + 0.5);
  EXPECT_DOUBLE_EQ(poly.evaluate(1.5).df, 4.0 * 1.5 - 3.0);
  EXPECT_DOUBLE_EQ(poly.evaluate(1.5).ddf, 4.0);
  EXPECT_EQ(poly.parameters(), (std::vector<double>{2.0, -3.0, 0.5}));

  const Function inner = Function::linear(2.0, 1.0);
  const Function scaled = Function::multiplier(inner, -0.5);
  EXPECT_DOUBLE_EQ(scaled.value(3.0), -3.5);
  EXPECT_DOUBLE_EQ(scaled.evaluate(3.0).df, -1.0);
  ASSERT_NE(scaled.inner(), nullptr);
  EXPECT_EQ(scaled.inner()->kind(), FunctionKind::Linear);

  const Function s = Function::sine(2.0, 3.0, 0.5, 1.0);
  EXPECT_DOUBLE_EQ(s.value(0.7), 2.0 * std::sin(2.6) + 1.0);
  EXPECT_DOUBLE_EQ(s.evaluate(0.7).df, 6.0 * std::cos(2.6));
  EXPECT_DOUBLE_EQ(s.evaluate(0.7).ddf, -18.0 * std::sin(2.6));

  EXPECT_EQ(Function::linear(2.0, 1.0).parameters(), (std::vector<double>{2.0, 1.0}));
  EXPECT_EQ(Function::constant(4.0).value(-100.0), 4.0);
  EXPECT_TRUE(Function::constant(4.0).is_constant());
  EXPECT_TRUE(Function().is_constant());
  EXPECT_EQ(Function().value(3.0), 0.0);
}

TEST(Function, KindNamesAreOpenSimXmlElementNames) {
  EXPECT_STREQ(Function::constant(1).kind_name(), "Constant");
  EXPECT_STREQ(Function::linear(1, 0).kind_name(), "LinearFunction");
  EXPECT_STREQ(Function::piecewise_linear(kX, kY).kind_name(), "PiecewiseLinearFunction");
  EXPECT_STREQ(Function::piecewise_constant(kX, kY).kind_name(), "PiecewiseConstantFunction");
  EXPECT_STREQ(Function::simm_spline(kX, kY).kind_name(), "SimmSpline");
  EXPECT_STREQ(Function::natural_cubic_spline(kX, kY).kind_name(), "NaturalCubicSpline");
  EXPECT_STREQ(Function::gcv_spline(1, {0, 1}, {0, 1}).kind_name(), "GCVSpline");
  EXPECT_STREQ(Function::polynomial({1}).kind_name(), "PolynomialFunction");
  EXPECT_STREQ(Function::multiplier(Function::constant(1), 2).kind_name(), "MultiplierFunction");
  EXPECT_STREQ(Function::sine(1, 1, 0, 0).kind_name(), "Sine");
  EXPECT_STREQ(Function::step(0, 1, 0, 1).kind_name(), "StepFunction");
}

// ---------------------------------------------------------------------------------------
// Bad input.

TEST(Function, FactoriesRejectBadInputWithAClearMessage) {
  expect_throws_with([] { Function::simm_spline({0, 1, 2}, {0, 1}); },
                     "SimmSpline: x has 3 values but y has 2");
  expect_throws_with([] { Function::simm_spline({0}, {0}); },
                     "SimmSpline: needs at least 2 points, got 1");
  expect_throws_with([] { Function::natural_cubic_spline({}, {}); }, "at least 2 points");
  expect_throws_with([] { Function::simm_spline({0, 1, 1, 2}, {0, 1, 2, 3}); },
                     "x must be strictly increasing, but x[2] = 1 follows x[1] = 1");
  expect_throws_with([] { Function::piecewise_linear({0, 2, 1}, {0, 1, 2}); },
                     "PiecewiseLinearFunction: x must be strictly increasing");
  expect_throws_with([] { Function::piecewise_linear({0}, {0}); }, "at least 2 points");
  expect_throws_with([] { Function::piecewise_constant({}, {}); },
                     "PiecewiseConstantFunction: needs at least 1 points, got 0");
  expect_throws_with([] { Function::simm_spline({0, NAN, 2}, {0, 1, 2}); },
                     "x[1] is not a finite number");
  expect_throws_with([] { Function::simm_spline({0, 1, 2}, {0, INFINITY, 2}); },
                     "y[1] is not a finite number");
  expect_throws_with([] { Function::gcv_spline(4, {0, 1, 2, 3, 4, 5}, {0, 1, 2, 3, 4, 5}); },
                     "GCVSpline: degree must be 1, 3, 5 or 7, got 4");
  expect_throws_with([] { Function::gcv_spline(5, {0, 1, 2, 3, 4}, {0, 1, 2, 3, 4}); },
                     "GCVSpline: needs at least 6 points, got 5");
  expect_throws_with([] { Function::gcv_spline(3, {0, 1, 2, 3}, {0, 1, 2}); },
                     "x has 4 values but coefficients has 3");
  expect_throws_with([] { Function::polynomial({}); }, "PolynomialFunction: needs at least one");
  expect_throws_with([] { Function::step(1.0, 1.0, 0.0, 1.0); }, "StepFunction: transition");
  expect_throws_with([] { Function::sine(1.0, NAN, 0.0, 0.0); }, "Sine: omega is not a finite");
}

}  // namespace
}  // namespace femur
