// Woltring's generalized cross-validatory spline (GCVSPL, Woltring 1986, Adv. Eng. Software
// 8:104-113): a natural smoothing spline of odd degree 2m-1 whose smoothing is chosen by
// generalized cross-validation, and its evaluation with derivatives. OpenSim fits it to
// coordinates (degree 5) to differentiate them in ID, Analyze and SO (OpenSim/Common/GCVSpline.cpp).
#pragma once

#include <vector>

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

}  // namespace femur
