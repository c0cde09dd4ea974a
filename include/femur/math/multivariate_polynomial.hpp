// A polynomial in up to six variables, as OpenSim's MultivariatePolynomialFunction (the length
// function of a FunctionBasedPath, fitted to a muscle path over its coordinates).
//
// Coefficient order (OpenSim/Common/MultivariatePolynomialFunction.h and .cpp,
// generateCombinations): every exponent tuple (p_0, ..., p_{d-1}) with p_0 + ... <= order,
// in lexicographic order with the last variable's exponent running fastest — "ascending
// powers starting from the last independent component". For d = 2, order 2 the terms are
// 1, y, y^2, x, xy, x^2. There are C(d + order, order) coefficients.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace femur {

struct MultivariatePolynomial {
  static constexpr int kMaxDimension = 6;
  static constexpr int kMaxOrder = 12;

  int dimension = 0;
  int order = 0;
  std::vector<double> coefficients;  // as given, in OpenSim's order

  // One term with a nonzero coefficient: coefficient * prod_j x_j^exponents[j].
  struct Term {
    double coefficient = 0.0;
    std::array<std::uint8_t, kMaxDimension> exponents{};
  };
  std::vector<Term> terms;  // the nonzero terms, in coefficient order

  // Checks 1 <= dimension <= 6, 0 <= order <= 12, the coefficient count C(dimension + order,
  // order) and that every coefficient is finite; throws std::invalid_argument naming what is
  // wrong (expected and given counts for a wrong count).
  static MultivariatePolynomial make(int dimension, int order, std::vector<double> coefficients);

  // Number of coefficients of a polynomial of this dimension and order.
  static int coefficient_count(int dimension, int order);

  // Exponents of coefficient k in OpenSim's order (k < coefficient_count(dimension, order)).
  static std::array<int, kMaxDimension> exponents_of(int dimension, int order, int k);

  // Value at x[0 .. dimension-1]; T is double or a dual number type (ceres::Jet).
  template <class T>
  T value(const T* x) const;

  // Value and its exact gradient (dimension entries).
  double value(const double* x, double* gradient) const;
};

template <class T>
T MultivariatePolynomial::value(const T* x) const {
  // powers[j][k] = x_j^k, built by repeated multiplication (no pow).
  std::array<std::array<T, kMaxOrder + 1>, kMaxDimension> powers;
  for (int j = 0; j < dimension; ++j) {
    powers[j][0] = T(1.0);
    for (int k = 1; k <= order; ++k) powers[j][k] = powers[j][k - 1] * x[j];
  }
  T sum = T(0.0);
  for (const Term& term : terms) {
    T product = T(term.coefficient);
    for (int j = 0; j < dimension; ++j)
      if (term.exponents[j] != 0) product = product * powers[j][term.exponents[j]];
    sum = sum + product;
  }
  return sum;
}

}  // namespace femur
