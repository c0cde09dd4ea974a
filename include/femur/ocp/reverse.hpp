// Second derivatives by forward-over-reverse automatic differentiation (Griewank & Walther,
// "Evaluating Derivatives", 2nd ed., 2008, ch. 3-5): a scalar type `Rev<K>` that records every
// operation on a tape while it computes its value as a ceres::Jet<double, K> (K tangent
// directions), then one reverse sweep over the tape with Jet-valued adjoints. For a scalar
// phi(x) with the first K inputs seeded as the tangent directions, the sweep gives
//
//   adjoint(x_i).a    = d phi / d x_i                 (the gradient)
//   adjoint(x_i).v[l] = d^2 phi / d x_i d x_l         (K columns of the Hessian)
//
// in one recording and one sweep, whatever the number of outputs summed into phi: the cost is
// a few times one Jet<K> evaluation, where nested forward duals cost K times that.
//
//   RevTape<K>& tape = RevTape<K>::local();        // per thread, reused
//   tape.clear();
//   Rev<K> x = tape.variable(value, l);            // tangent direction l (or -1: none)
//   Rev<K> phi = ...;                              // any templated code over Rev<K>
//   tape.sweep(phi);                               // tape.adjoint(x) then holds the Jets
//
// Values that depend on no tape variable are constants (index -1): they are folded into the
// partials of the operations using them and never recorded. Allocation only when the tape
// grows past its largest size so far (once per thread).
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <ceres/jet.h>
#include <Eigen/Core>

namespace femur::ocp {

template <int K>
class RevTape;

template <int K>
struct Rev {
  using J = ceres::Jet<double, K>;
  J v;
  int i = -1;  // tape index, -1: a constant
  Rev() : v(0.0) {}
  Rev(double s) : v(s) {}  // NOLINT: implicit, as double -> T in the model code
  Rev(const J& value, int index) : v(value), i(index) {}
  Rev& operator+=(const Rev& o) { return *this = *this + o; }
  Rev& operator-=(const Rev& o) { return *this = *this - o; }
  Rev& operator*=(const Rev& o) { return *this = *this * o; }
  Rev& operator/=(const Rev& o) { return *this = *this / o; }
  double value() const { return v.a; }
};

template <int K>
class RevTape {
 public:
  using J = ceres::Jet<double, K>;
  // One recorded operation: up to two parents; linear partials as doubles (c0, c1), nonlinear
  // ones (nl >= 0) as Jets in `partials_` (nl for p0, nl + 1 for p1).
  struct Node {
    int p0, p1;
    double c0, c1;
    int nl;
  };

  static RevTape& local() {
    thread_local RevTape tape;
    return tape;
  }
  void clear() {
    n_nodes_ = 0;
    n_partials_ = 0;
  }
  // A tape input of value v, tangent direction l (l < 0: no tangent).
  Rev<K> variable(double v, int l) {
    const J value = l >= 0 ? J(v, l) : J(v);
    return Rev<K>(value, push({-1, -1, 0.0, 0.0, -1}));
  }
  int size() const { return n_nodes_; }
  const J& adjoint(const Rev<K>& x) const { return adjoint_[static_cast<size_t>(x.i)]; }

  // Reverse sweep from `phi` (adjoint 1 with no tangent).
  void sweep(const Rev<K>& phi) {
    const std::size_t n = static_cast<size_t>(n_nodes_);
    if (adjoint_.size() < n) adjoint_.resize(n);
    for (std::size_t k = 0; k < n; ++k) adjoint_[k] = J(0.0);
    if (phi.i < 0) return;
    adjoint_[static_cast<size_t>(phi.i)] = J(1.0);
    for (std::size_t k = static_cast<size_t>(phi.i) + 1; k-- > 0;) {
      const Node& nd = nodes_[k];
      if (nd.p0 < 0) continue;
      const J& a = adjoint_[k];
      if (a.a == 0.0 && a.v.isZero(0.0)) continue;
      if (nd.nl < 0) {
        adjoint_[static_cast<size_t>(nd.p0)] += nd.c0 * a;
        if (nd.p1 >= 0) adjoint_[static_cast<size_t>(nd.p1)] += nd.c1 * a;
      } else {
        adjoint_[static_cast<size_t>(nd.p0)] += partials_[static_cast<size_t>(nd.nl)] * a;
        if (nd.p1 >= 0) adjoint_[static_cast<size_t>(nd.p1)] += partials_[static_cast<size_t>(nd.nl + 1)] * a;
      }
    }
  }

  // Recording (used by Rev's operators).
  int push(const Node& nd) {
    if (n_nodes_ == static_cast<int>(nodes_.size())) nodes_.resize(std::max<size_t>(4096, 2 * nodes_.size()));
    nodes_[static_cast<size_t>(n_nodes_)] = nd;
    return n_nodes_++;
  }
  int linear(const Rev<K>& x, double cx, const Rev<K>& y, double cy) {
    if (x.i < 0) return push({y.i, -1, cy, 0.0, -1});
    if (y.i < 0) return push({x.i, -1, cx, 0.0, -1});
    return push({x.i, y.i, cx, cy, -1});
  }
  int unary(const Rev<K>& x, const J& d) {
    const int nl = reserve_partials(1);
    partials_[static_cast<size_t>(nl)] = d;
    return push({x.i, -1, 0.0, 0.0, nl});
  }
  int binary(const Rev<K>& x, const J& dx, const Rev<K>& y, const J& dy) {
    const int nl = reserve_partials(2);
    partials_[static_cast<size_t>(nl)] = dx;
    partials_[static_cast<size_t>(nl + 1)] = dy;
    return push({x.i, y.i, 0.0, 0.0, nl});
  }

 private:
  int reserve_partials(int count) {
    if (n_partials_ + count > static_cast<int>(partials_.size()))
      partials_.resize(std::max<size_t>(4096, 2 * partials_.size()));
    const int at = n_partials_;
    n_partials_ += count;
    return at;
  }
  int n_nodes_ = 0, n_partials_ = 0;
  std::vector<Node> nodes_;
  std::vector<J> partials_;
  std::vector<J> adjoint_;
};

template <int K>
inline Rev<K> operator+(const Rev<K>& x, const Rev<K>& y) {
  if (x.i < 0 && y.i < 0) return Rev<K>(x.v + y.v, -1);
  return Rev<K>(x.v + y.v, RevTape<K>::local().linear(x, 1.0, y, 1.0));
}
template <int K>
inline Rev<K> operator-(const Rev<K>& x, const Rev<K>& y) {
  if (x.i < 0 && y.i < 0) return Rev<K>(x.v - y.v, -1);
  return Rev<K>(x.v - y.v, RevTape<K>::local().linear(x, 1.0, y, -1.0));
}
template <int K>
inline Rev<K> operator-(const Rev<K>& x) {
  if (x.i < 0) return Rev<K>(-x.v, -1);
  return Rev<K>(-x.v, RevTape<K>::local().push({x.i, -1, -1.0, 0.0, -1}));
}
template <int K>
inline Rev<K> operator*(const Rev<K>& x, const Rev<K>& y) {
  if (x.i < 0 && y.i < 0) return Rev<K>(x.v * y.v, -1);
  // A constant has no tangent: its value is the partial.
  if (x.i < 0) return Rev<K>(x.v * y.v, RevTape<K>::local().push({y.i, -1, x.v.a, 0.0, -1}));
  if (y.i < 0) return Rev<K>(x.v * y.v, RevTape<K>::local().push({x.i, -1, y.v.a, 0.0, -1}));
  return Rev<K>(x.v * y.v, RevTape<K>::local().binary(x, y.v, y, x.v));
}
template <int K>
inline Rev<K> operator/(const Rev<K>& x, const Rev<K>& y) {
  const typename Rev<K>::J q = x.v / y.v;
  if (x.i < 0 && y.i < 0) return Rev<K>(q, -1);
  if (y.i < 0) return Rev<K>(q, RevTape<K>::local().push({x.i, -1, 1.0 / y.v.a, 0.0, -1}));
  const typename Rev<K>::J inv = 1.0 / y.v;
  if (x.i < 0) return Rev<K>(q, RevTape<K>::local().unary(y, -q * inv));
  return Rev<K>(q, RevTape<K>::local().binary(x, inv, y, -q * inv));
}
template <int K>
inline Rev<K> operator+(const Rev<K>& x, double s) {
  return x.i < 0 ? Rev<K>(x.v + s, -1) : Rev<K>(x.v + s, RevTape<K>::local().push({x.i, -1, 1.0, 0.0, -1}));
}
template <int K>
inline Rev<K> operator+(double s, const Rev<K>& x) {
  return x + s;
}
template <int K>
inline Rev<K> operator-(const Rev<K>& x, double s) {
  return x + (-s);
}
template <int K>
inline Rev<K> operator-(double s, const Rev<K>& x) {
  return x.i < 0 ? Rev<K>(s - x.v, -1) : Rev<K>(s - x.v, RevTape<K>::local().push({x.i, -1, -1.0, 0.0, -1}));
}
template <int K>
inline Rev<K> operator*(const Rev<K>& x, double s) {
  return x.i < 0 ? Rev<K>(x.v * s, -1) : Rev<K>(x.v * s, RevTape<K>::local().push({x.i, -1, s, 0.0, -1}));
}
template <int K>
inline Rev<K> operator*(double s, const Rev<K>& x) {
  return x * s;
}
template <int K>
inline Rev<K> operator/(const Rev<K>& x, double s) {
  return x * (1.0 / s);
}
template <int K>
inline Rev<K> operator/(double s, const Rev<K>& x) {
  return Rev<K>(s) / x;
}
template <int K>
inline bool operator<(const Rev<K>& x, const Rev<K>& y) { return x.v.a < y.v.a; }
template <int K>
inline bool operator>(const Rev<K>& x, const Rev<K>& y) { return x.v.a > y.v.a; }
template <int K>
inline bool operator<=(const Rev<K>& x, const Rev<K>& y) { return x.v.a <= y.v.a; }
template <int K>
inline bool operator>=(const Rev<K>& x, const Rev<K>& y) { return x.v.a >= y.v.a; }
template <int K>
inline bool operator==(const Rev<K>& x, const Rev<K>& y) { return x.v.a == y.v.a; }
template <int K>
inline bool operator!=(const Rev<K>& x, const Rev<K>& y) { return x.v.a != y.v.a; }

// Elementary functions: value and the local partial, both Jets.
template <int K>
inline Rev<K> rev_unary(const Rev<K>& x, const ceres::Jet<double, K>& f, const ceres::Jet<double, K>& df) {
  return x.i < 0 ? Rev<K>(f, -1) : Rev<K>(f, RevTape<K>::local().unary(x, df));
}
template <int K>
inline Rev<K> sin(const Rev<K>& x) {
  return rev_unary(x, ceres::sin(x.v), ceres::cos(x.v));
}
template <int K>
inline Rev<K> cos(const Rev<K>& x) {
  return rev_unary(x, ceres::cos(x.v), -ceres::sin(x.v));
}
template <int K>
inline Rev<K> sqrt(const Rev<K>& x) {
  const ceres::Jet<double, K> s = ceres::sqrt(x.v);
  return rev_unary(x, s, 0.5 / s);
}
template <int K>
inline Rev<K> tanh(const Rev<K>& x) {
  const ceres::Jet<double, K> t = ceres::tanh(x.v);
  return rev_unary(x, t, 1.0 - t * t);
}
template <int K>
inline Rev<K> exp(const Rev<K>& x) {
  const ceres::Jet<double, K> e = ceres::exp(x.v);
  return rev_unary(x, e, e);
}
template <int K>
inline Rev<K> log(const Rev<K>& x) {
  return rev_unary(x, ceres::log(x.v), 1.0 / x.v);
}
template <int K>
inline Rev<K> pow(const Rev<K>& x, double p) {
  return rev_unary(x, ceres::pow(x.v, p), p * ceres::pow(x.v, p - 1.0));
}

}  // namespace femur::ocp

namespace Eigen {
template <int K>
struct NumTraits<femur::ocp::Rev<K>> : GenericNumTraits<double> {
  using Real = femur::ocp::Rev<K>;
  using NonInteger = Real;
  using Nested = Real;
  using Literal = Real;
  enum { IsComplex = 0, IsInteger = 0, IsSigned = 1, RequireInitialization = 1, ReadCost = 1, AddCost = 20, MulCost = 40 };
  static Real epsilon() { return Real(std::numeric_limits<double>::epsilon()); }
  static Real dummy_precision() { return Real(1e-12); }
  static Real highest() { return Real(std::numeric_limits<double>::max()); }
  static Real lowest() { return Real(-std::numeric_limits<double>::max()); }
  static int digits10() { return 15; }
};
template <int K, typename Op>
struct ScalarBinaryOpTraits<femur::ocp::Rev<K>, double, Op> {
  using ReturnType = femur::ocp::Rev<K>;
};
template <int K, typename Op>
struct ScalarBinaryOpTraits<double, femur::ocp::Rev<K>, Op> {
  using ReturnType = femur::ocp::Rev<K>;
};
}  // namespace Eigen
