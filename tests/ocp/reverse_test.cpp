// Reverse-mode differentiation on a tape (ocp/reverse.hpp) against nested forward duals
// (ceres::Jet, exact to rounding): the Jacobian of several outputs from one sweep over doubles,
// and the gradient and Hessian of a scalar by forward over reverse, on a function that uses
// every operation the tape records (constants on either side, all elementary functions).
#include <array>
#include <vector>

#include <gtest/gtest.h>

#include "femur/ocp/jet.hpp"
#include "femur/ocp/reverse.hpp"

namespace femur {
namespace {

// Three outputs of three inputs over any scalar type.
template <class T>
std::array<T, 3> f(const T& x, const T& y, const T& z) {
  using std::cos;
  using std::pow;
  using std::sin;
  using std::sqrt;
  using std::tanh;
  const T r = sqrt(x * x + y * y + 0.3);
  const T a = sin(x) * y - 2.0 * z / (1.5 + y * y) + cos(z) * r;
  const T b = pow(r, 1.5) * tanh(0.7 * x - z) + 3.0 - x / 2.0 + (1.0 - y) * z;
  T c = a * b;
  c -= 0.5 / (2.0 + z * z);
  c += -x;
  return {a, b, c};
}

TEST(Reverse, JacobianOfSeveralOutputsInOneSweep) {
  const double x0 = 0.4, y0 = -0.8, z0 = 1.3;
  using J3 = ceres::Jet<double, 3>;
  const auto ref = f<J3>(J3(x0, 0), J3(y0, 1), J3(z0, 2));
  using R = ocp::RevT<double>;
  ocp::RevTape<double>& tape = ocp::RevTape<double>::local();
  tape.clear();
  const R x = tape.variable(x0, -1), y = tape.variable(y0, -1), z = tape.variable(z0, -1);
  const auto out = f<R>(x, y, z);
  using A = Eigen::Matrix<double, 4, 1>;
  std::vector<A> adj;
  tape.sweep_outputs(out.data(), 3, adj);
  const R* in[3] = {&x, &y, &z};
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(out[static_cast<size_t>(k)].value(), ref[static_cast<size_t>(k)].a, 1e-14);
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(adj[static_cast<size_t>(in[j]->i)][k], ref[static_cast<size_t>(k)].v[j], 1e-12)
          << "output " << k << ", input " << j;
  }
  // A second recording on the same tape starts clean.
  tape.clear();
  const R x2 = tape.variable(1.0, -1);
  const R sq = x2 * x2;
  tape.sweep_outputs(&sq, 1, adj);
  EXPECT_DOUBLE_EQ(adj[static_cast<size_t>(x2.i)][0], 2.0);
}

TEST(Reverse, HessianByForwardOverReverse) {
  const double x0 = 0.4, y0 = -0.8, z0 = 1.3;
  const double w[3] = {0.7, -1.2, 0.45};
  // Reference: second-order nested Jets.
  using H = ceres::Jet<ceres::Jet<double, 3>, 3>;
  const auto hr = f<H>(ocp::second_order_variable<3>(x0, 0), ocp::second_order_variable<3>(y0, 1),
                       ocp::second_order_variable<3>(z0, 2));
  H phi_ref = hr[0] * w[0] + hr[1] * w[1] + hr[2] * w[2];
  // Forward over reverse with tangents along x and y only (z: no tangent), as the gait
  // Hessian seeds q and u but not udot: the x and y columns, every row.
  using R = ocp::Rev<2>;
  ocp::RevTape<ceres::Jet<double, 2>>& tape = ocp::RevTape<ceres::Jet<double, 2>>::local();
  tape.clear();
  const R x = tape.variable(x0, 0), y = tape.variable(y0, 1), z = tape.variable(z0, -1);
  const auto out = f<R>(x, y, z);
  const R phi = out[0] * w[0] + out[1] * w[1] + out[2] * w[2];
  tape.sweep(phi);
  const R* in[3] = {&x, &y, &z};
  EXPECT_NEAR(phi.value(), phi_ref.a.a, 1e-13);
  for (int i = 0; i < 3; ++i) {
    const auto& adj = tape.adjoint(*in[i]);
    EXPECT_NEAR(adj.a, phi_ref.v[i].a, 1e-12) << "gradient " << i;
    for (int l = 0; l < 2; ++l) EXPECT_NEAR(adj.v[l], phi_ref.v[i].v[l], 1e-11) << "Hessian " << i << ", " << l;
  }
}

}  // namespace
}  // namespace femur
