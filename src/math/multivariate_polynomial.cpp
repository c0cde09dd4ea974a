// MultivariatePolynomial: construction with OpenSim's coefficient order and the gradient.
#include "femur/math/multivariate_polynomial.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace femur {

int MultivariatePolynomial::coefficient_count(int dimension, int order) {
  // C(dimension + order, order), exact in integers: each partial product is a binomial.
  long long c = 1;
  for (int i = 1; i <= order; ++i) c = c * (dimension + i) / i;
  return static_cast<int>(c);
}

namespace {

// Visits every exponent tuple in OpenSim's order: p_0 outermost, p_{d-1} innermost, each
// from 0 up to what the order leaves (MultivariatePolynomialFunction.cpp, generateCombinations).
template <class Visit>
void for_each_exponents(int dimension, int order, Visit&& visit) {
  std::array<int, MultivariatePolynomial::kMaxDimension> p{};
  while (true) {
    visit(p);
    // Next tuple: raise the last exponent that can still grow, zeroing the ones after it.
    int sum = 0;
    for (int j = 0; j < dimension; ++j) sum += p[j];
    int j = dimension - 1;
    while (j >= 0) {
      if (sum < order) {
        ++p[j];
        break;
      }
      sum -= p[j];
      p[j] = 0;
      --j;
    }
    if (j < 0) return;
  }
}

}  // namespace

std::array<int, MultivariatePolynomial::kMaxDimension> MultivariatePolynomial::exponents_of(
    int dimension, int order, int k) {
  std::array<int, kMaxDimension> result{};
  int i = 0;
  for_each_exponents(dimension, order, [&](const std::array<int, kMaxDimension>& p) {
    if (i++ == k) result = p;
  });
  return result;
}

MultivariatePolynomial MultivariatePolynomial::make(int dimension, int order,
                                                    std::vector<double> coefficients) {
  if (dimension < 1 || dimension > kMaxDimension)
    throw std::invalid_argument("MultivariatePolynomialFunction: dimension " +
                                std::to_string(dimension) + " is not between 1 and " +
                                std::to_string(kMaxDimension));
  if (order < 0 || order > kMaxOrder)
    throw std::invalid_argument("MultivariatePolynomialFunction: order " + std::to_string(order) +
                                " is not between 0 and " + std::to_string(kMaxOrder));
  const int expected = coefficient_count(dimension, order);
  if (static_cast<int>(coefficients.size()) != expected)
    throw std::invalid_argument("MultivariatePolynomialFunction: dimension " +
                                std::to_string(dimension) + " and order " + std::to_string(order) +
                                " need " + std::to_string(expected) + " coefficients, " +
                                std::to_string(coefficients.size()) + " given");
  for (std::size_t k = 0; k < coefficients.size(); ++k)
    if (!std::isfinite(coefficients[k]))
      throw std::invalid_argument("MultivariatePolynomialFunction: coefficient " +
                                  std::to_string(k) + " is not finite");

  MultivariatePolynomial poly;
  poly.dimension = dimension;
  poly.order = order;
  int k = 0;
  for_each_exponents(dimension, order, [&](const std::array<int, kMaxDimension>& p) {
    const double c = coefficients[k++];
    if (c == 0.0) return;
    Term term;
    term.coefficient = c;
    for (int j = 0; j < dimension; ++j) term.exponents[j] = static_cast<std::uint8_t>(p[j]);
    poly.terms.push_back(term);
  });
  poly.coefficients = std::move(coefficients);
  return poly;
}

double MultivariatePolynomial::value(const double* x, double* gradient) const {
  std::array<std::array<double, kMaxOrder + 1>, kMaxDimension> powers;
  for (int j = 0; j < dimension; ++j) {
    powers[j][0] = 1.0;
    for (int k = 1; k <= order; ++k) powers[j][k] = powers[j][k - 1] * x[j];
    gradient[j] = 0.0;
  }
  double sum = 0.0;
  for (const Term& term : terms) {
    double product = term.coefficient;
    for (int j = 0; j < dimension; ++j)
      if (term.exponents[j] != 0) product *= powers[j][term.exponents[j]];
    sum += product;
    // d/dx_j: e_j x_j^(e_j - 1) times the other factors, without dividing by x_j.
    for (int j = 0; j < dimension; ++j) {
      const int e = term.exponents[j];
      if (e == 0) continue;
      double partial = term.coefficient * e * powers[j][e - 1];
      for (int i = 0; i < dimension; ++i)
        if (i != j && term.exponents[i] != 0) partial *= powers[i][term.exponents[i]];
      gradient[j] += partial;
    }
  }
  return sum;
}

}  // namespace femur
