// ceres::Jet (libceres-dev, header-only use) for femur's optimal control: Jet<double, N> gives
// exact first derivatives, Jet<Jet<double, N>, N> exact second derivatives (value .a.a,
// gradient .v[k].a, Hessian .v[k].v[l]). ceres 2.1 defines the arithmetic of a Jet with its own
// scalar type only; the operators below add a plain double on either side of a nested Jet, so
// that the templated model code (constants written as doubles) runs over both.
#pragma once

#include <ceres/jet.h>

namespace ceres {

template <int M, int N>
inline Jet<Jet<double, M>, N> operator+(const Jet<Jet<double, M>, N>& f, double s) {
  return f + Jet<double, M>(s);
}
template <int M, int N>
inline Jet<Jet<double, M>, N> operator+(double s, const Jet<Jet<double, M>, N>& f) {
  return Jet<double, M>(s) + f;
}
template <int M, int N>
inline Jet<Jet<double, M>, N> operator-(const Jet<Jet<double, M>, N>& f, double s) {
  return f - Jet<double, M>(s);
}
template <int M, int N>
inline Jet<Jet<double, M>, N> operator-(double s, const Jet<Jet<double, M>, N>& f) {
  return Jet<double, M>(s) - f;
}
template <int M, int N>
inline Jet<Jet<double, M>, N> operator*(const Jet<Jet<double, M>, N>& f, double s) {
  return f * Jet<double, M>(s);
}
template <int M, int N>
inline Jet<Jet<double, M>, N> operator*(double s, const Jet<Jet<double, M>, N>& f) {
  return Jet<double, M>(s) * f;
}
template <int M, int N>
inline Jet<Jet<double, M>, N> operator/(const Jet<Jet<double, M>, N>& f, double s) {
  return f / Jet<double, M>(s);
}
template <int M, int N>
inline Jet<Jet<double, M>, N> operator/(double s, const Jet<Jet<double, M>, N>& f) {
  return Jet<double, M>(s) / f;
}

}  // namespace ceres

namespace femur::ocp {

// A variable of a second-order Jet: value v, seeded as variable k of N.
template <int N>
ceres::Jet<ceres::Jet<double, N>, N> second_order_variable(double v, int k) {
  return ceres::Jet<ceres::Jet<double, N>, N>(ceres::Jet<double, N>(v, k), k);
}

}  // namespace femur::ocp
