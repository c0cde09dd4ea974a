// Polynomial surrogates of muscle path lengths for optimal control: each muscle's length as a
// polynomial in the coordinates it crosses, fitted by least squares to femur's exact paths
// (conditional and moving points, wrapping) over a box of coordinate values, as Moco's
// PolynomialPathFitter and PredSim's polynomial fits do. The surrogate gives length, moment
// arms (-dL/dq) and their derivatives exactly, in double, for the collocation's Jacobian; the
// fit error against the exact paths (length and moment arms, on points not used in the fit) is
// reported per muscle (Moco and PredSim accept <= 3 mm RMS).
//
//   auto s = ocp::fit_path_surrogates(model, {path indices}, lo, hi);   // lo, hi: per coordinate
//   s[m].evaluate(q, L, gradient, hessian);
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/model/model.hpp"

namespace femur::ocp {

struct PathSurrogate {
  static constexpr int kMaxDimension = 4;
  std::string name;
  std::vector<int> coordinates;  // model coordinate indices the length depends on
  int order = 0;
  std::vector<double> center;    // the polynomial is in (q - center)
  std::vector<std::array<std::uint8_t, kMaxDimension>> exponents;
  std::vector<double> coefficients;
  // Fit quality on validation points (random, not the fitting grid), against femur's paths.
  double rms_length_error = 0.0, max_length_error = 0.0, rms_moment_arm_error = 0.0;

  int dimension() const { return static_cast<int>(coordinates.size()); }
  // Length at the full coordinate vector q; gradient (dimension) and Hessian (dimension^2,
  // row-major) with respect to this surrogate's coordinates, when not null.
  double evaluate(const double* q, double* gradient, double* hessian) const;
};

// Fits one surrogate per listed path (indices into model.paths) over the box lo <= q <= hi
// (model coordinate order). Throws std::invalid_argument if a path depends on more than
// kMaxDimension coordinates.
std::vector<PathSurrogate> fit_path_surrogates(const Model& model, const std::vector<int>& paths,
                                               const Eigen::VectorXd& lo, const Eigen::VectorXd& hi);

}  // namespace femur::ocp
