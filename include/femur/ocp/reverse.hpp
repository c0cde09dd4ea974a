// Reverse-mode automatic differentiation on a tape (Griewank & Walther, "Evaluating
// Derivatives", 2nd ed., 2008, ch. 3-5) for femur's optimal control: a scalar type `RevT<V>`
// that records every operation while it computes its value V, then reverse sweeps over the
// recorded partials.
//
// First derivatives (V = double): one recording, one sweep with vector-valued adjoints (one
// component per output) gives the Jacobian of several outputs at the cost of a few double
// evaluations, where forward duals cost one pass per input.
//
// Second derivatives, forward over reverse (V = ceres::Jet<double, K>, `Rev<K>`): the values
// carry K tangent directions; for a scalar phi(x) with the first K inputs seeded as those
// directions, one sweep with Jet-valued adjoints gives
//
//   adjoint(x_i).a    = d phi / d x_i                 (the gradient)
//   adjoint(x_i).v[l] = d^2 phi / d x_i d x_l         (K columns of the Hessian)
//
// in one recording and one sweep, a few times one Jet<K> evaluation, where nested forward duals
// cost K times that.
//
//   RevTape<V>& tape = RevTape<V>::local();        // per thread, reused
//   tape.clear();
//   RevT<V> x = tape.variable(value, l);           // tangent direction l (or -1: none)
//   RevT<V> phi = ...;                             // any templated code over RevT<V>
//   tape.sweep(phi);                               // tape.adjoint(x) then holds the Jets
//
// Values that depend on no tape variable are constants (index -1): they are folded into the
// partials of the operations using them and never recorded. The tape allocates only when it
// grows past its largest size so far (once per thread).
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include <ceres/jet.h>
#include <Eigen/Core>

namespace femur::ocp {

template <class V>
class RevTape;

template <class V>
struct RevT {
  V v;
  int i = -1;  // tape index, -1: a constant
  RevT() : v(0.0) {}
  RevT(double s) : v(s) {}  // NOLINT: implicit, as double -> T in the model code
  RevT(const V& value, int index) : v(value), i(index) {}
  RevT& operator+=(const RevT& o) { return *this = *this + o; }
  RevT& operator-=(const RevT& o) { return *this = *this - o; }
  RevT& operator*=(const RevT& o) { return *this = *this * o; }
  RevT& operator/=(const RevT& o) { return *this = *this / o; }
  // The plain value (a constant carries no tangent, so this is all of it).
  double value() const {
    if constexpr (std::is_same_v<V, double>)
      return v;
    else
      return v.a;
  }
};

template <int K>
using Rev = RevT<ceres::Jet<double, K>>;

template <class V>
class RevTape {
 public:
  static constexpr bool kPlain = std::is_same_v<V, double>;
  // One recorded operation: up to two parents; partials as doubles (c0, c1), or, when they
  // carry tangents (nl >= 0), as values in `partials_` (nl for p0, nl + 1 for p1).
  struct Node {
    int p0, p1;
    double c0, c1;
    int nl;
  };

  // This thread's tape; it becomes the one the operators record on.
  static RevTape& local() {
    thread_local RevTape tape;
    active_ = &tape;
    return tape;
  }
  // The tape the operators record on (a plain thread-local pointer: no initialization guard per
  // operation). Set by local().
  static RevTape& active() { return *active_; }
  void clear() {
    n_nodes_ = 0;
    n_partials_ = 0;
  }
  // A tape input of value v, tangent direction l (l < 0: none; ignored for double values).
  RevT<V> variable(double v, int l) {
    if constexpr (kPlain) {
      return RevT<V>(v, push({-1, -1, 0.0, 0.0, -1}));
    } else {
      const V value = l >= 0 ? V(v, l) : V(v);
      return RevT<V>(value, push({-1, -1, 0.0, 0.0, -1}));
    }
  }
  int size() const { return n_nodes_; }
  const V& adjoint(const RevT<V>& x) const { return adjoint_[static_cast<size_t>(x.i)]; }

  // Reverse sweep from the scalar `phi` (adjoint 1 with no tangent): adjoint() then holds the
  // gradient, and with Jet values the Hessian columns.
  void sweep(const RevT<V>& phi) {
    const std::size_t n = static_cast<size_t>(n_nodes_);
    if (adjoint_.size() < n) adjoint_.resize(n);
    std::fill(adjoint_.begin(), adjoint_.begin() + static_cast<std::ptrdiff_t>(n), V(0.0));
    if (phi.i < 0) return;
    adjoint_[static_cast<size_t>(phi.i)] = V(1.0);
    reverse(adjoint_, phi.i);
  }
  // Reverse sweep of several outputs at once: adjoints A (e.g. Eigen::Matrix<double, W, 1>),
  // output j seeded with the unit vector e_j. adj[x.i] is then row x of the outputs'
  // Jacobian transposed: adj[x.i][j] = d out_j / d x.
  template <class A>
  void sweep_outputs(const RevT<V>* out, int count, std::vector<A>& adj) const {
    static_assert(kPlain, "vector sweeps take a tape of double values");
    const std::size_t n = static_cast<size_t>(n_nodes_);
    if (adj.size() < n) adj.resize(n);
    std::fill(adj.begin(), adj.begin() + static_cast<std::ptrdiff_t>(n), A::Zero());
    int last = -1;
    for (int j = 0; j < count; ++j) {
      if (out[j].i < 0) continue;
      adj[static_cast<size_t>(out[j].i)][j] += 1.0;
      last = std::max(last, out[j].i);
    }
    if (last >= 0) reverse(adj, last);
  }

  // Recording (used by RevT's operators).
  int push(const Node& nd) {
    if (n_nodes_ == capacity_) grow();
    nodes_[static_cast<size_t>(n_nodes_)] = nd;
    return n_nodes_++;
  }
  int linear(const RevT<V>& x, double cx, const RevT<V>& y, double cy) {
    if (x.i < 0) return push({y.i, -1, cy, 0.0, -1});
    if (y.i < 0) return push({x.i, -1, cx, 0.0, -1});
    return push({x.i, y.i, cx, cy, -1});
  }
  int unary(const RevT<V>& x, const V& d) {
    if constexpr (kPlain) return push({x.i, -1, d, 0.0, -1});
    const int nl = reserve_partials(1);
    partials_[static_cast<size_t>(nl)] = d;
    return push({x.i, -1, 0.0, 0.0, nl});
  }
  int binary(const RevT<V>& x, const V& dx, const RevT<V>& y, const V& dy) {
    if constexpr (kPlain) return push({x.i, y.i, dx, dy, -1});
    const int nl = reserve_partials(2);
    partials_[static_cast<size_t>(nl)] = dx;
    partials_[static_cast<size_t>(nl + 1)] = dy;
    return push({x.i, y.i, 0.0, 0.0, nl});
  }

 private:
  // dst += c a, fused (no temporary Jet).
  template <class A>
  static void accumulate(A& dst, double c, const A& a) {
    if constexpr (std::is_same_v<A, V> && !kPlain) {
      dst.a += c * a.a;
      dst.v += c * a.v;
    } else {
      dst += c * a;
    }
  }
  // dst += p a for a partial p with tangents (Jet values only): the product rule, fused.
  template <class A>
  static void accumulate_tangent(A& dst, const V& p, const A& a) {
    if constexpr (kPlain) {
      dst += p * a;
    } else {
      dst.a += p.a * a.a;
      dst.v += p.a * a.v + a.a * p.v;
    }
  }
  template <class A>
  void reverse(std::vector<A>& adj, int last) const {
    for (std::size_t k = static_cast<size_t>(last) + 1; k-- > 0;) {
      const Node& nd = nodes_[k];
      if (nd.p0 < 0) continue;
      const A& a = adj[k];
      if (nd.nl < 0) {
        accumulate(adj[static_cast<size_t>(nd.p0)], nd.c0, a);
        if (nd.p1 >= 0) accumulate(adj[static_cast<size_t>(nd.p1)], nd.c1, a);
      } else {
        accumulate_tangent(adj[static_cast<size_t>(nd.p0)], partials_[static_cast<size_t>(nd.nl)], a);
        if (nd.p1 >= 0) accumulate_tangent(adj[static_cast<size_t>(nd.p1)], partials_[static_cast<size_t>(nd.nl + 1)], a);
      }
    }
  }
  __attribute__((noinline)) void grow() {
    nodes_.resize(std::max<size_t>(4096, 2 * nodes_.size()));
    capacity_ = static_cast<int>(nodes_.size());
  }
  int reserve_partials(int count) {
    if (n_partials_ + count > static_cast<int>(partials_.size()))
      partials_.resize(std::max<size_t>(4096, 2 * partials_.size()));
    const int at = n_partials_;
    n_partials_ += count;
    return at;
  }
  static inline thread_local RevTape* active_ = nullptr;
  int n_nodes_ = 0, n_partials_ = 0, capacity_ = 0;
  std::vector<Node> nodes_;
  std::vector<V> partials_;
  std::vector<V> adjoint_;
};

template <class V>
inline RevT<V> operator+(const RevT<V>& x, const RevT<V>& y) {
  if (x.i < 0 && y.i < 0) return RevT<V>(x.v + y.v, -1);
  return RevT<V>(x.v + y.v, RevTape<V>::active().linear(x, 1.0, y, 1.0));
}
template <class V>
inline RevT<V> operator-(const RevT<V>& x, const RevT<V>& y) {
  if (x.i < 0 && y.i < 0) return RevT<V>(x.v - y.v, -1);
  return RevT<V>(x.v - y.v, RevTape<V>::active().linear(x, 1.0, y, -1.0));
}
template <class V>
inline RevT<V> operator-(const RevT<V>& x) {
  if (x.i < 0) return RevT<V>(-x.v, -1);
  return RevT<V>(-x.v, RevTape<V>::active().push({x.i, -1, -1.0, 0.0, -1}));
}
template <class V>
inline RevT<V> operator*(const RevT<V>& x, const RevT<V>& y) {
  if (x.i < 0 && y.i < 0) return RevT<V>(x.v * y.v, -1);
  // A constant has no tangent: its value is the partial.
  if (x.i < 0) return RevT<V>(x.v * y.v, RevTape<V>::active().push({y.i, -1, x.value(), 0.0, -1}));
  if (y.i < 0) return RevT<V>(x.v * y.v, RevTape<V>::active().push({x.i, -1, y.value(), 0.0, -1}));
  return RevT<V>(x.v * y.v, RevTape<V>::active().binary(x, y.v, y, x.v));
}
template <class V>
inline RevT<V> operator/(const RevT<V>& x, const RevT<V>& y) {
  const V q = x.v / y.v;
  if (x.i < 0 && y.i < 0) return RevT<V>(q, -1);
  if (y.i < 0) return RevT<V>(q, RevTape<V>::active().push({x.i, -1, 1.0 / y.value(), 0.0, -1}));
  const V inv = 1.0 / y.v;
  if (x.i < 0) return RevT<V>(q, RevTape<V>::active().unary(y, -q * inv));
  return RevT<V>(q, RevTape<V>::active().binary(x, inv, y, -q * inv));
}
template <class V>
inline RevT<V> operator+(const RevT<V>& x, double s) {
  return x.i < 0 ? RevT<V>(x.v + s, -1) : RevT<V>(x.v + s, RevTape<V>::active().push({x.i, -1, 1.0, 0.0, -1}));
}
template <class V>
inline RevT<V> operator+(double s, const RevT<V>& x) {
  return x + s;
}
template <class V>
inline RevT<V> operator-(const RevT<V>& x, double s) {
  return x + (-s);
}
template <class V>
inline RevT<V> operator-(double s, const RevT<V>& x) {
  return x.i < 0 ? RevT<V>(s - x.v, -1) : RevT<V>(s - x.v, RevTape<V>::active().push({x.i, -1, -1.0, 0.0, -1}));
}
template <class V>
inline RevT<V> operator*(const RevT<V>& x, double s) {
  return x.i < 0 ? RevT<V>(x.v * s, -1) : RevT<V>(x.v * s, RevTape<V>::active().push({x.i, -1, s, 0.0, -1}));
}
template <class V>
inline RevT<V> operator*(double s, const RevT<V>& x) {
  return x * s;
}
template <class V>
inline RevT<V> operator/(const RevT<V>& x, double s) {
  return x * (1.0 / s);
}
template <class V>
inline RevT<V> operator/(double s, const RevT<V>& x) {
  return RevT<V>(s) / x;
}
template <class V>
inline bool operator<(const RevT<V>& x, const RevT<V>& y) { return x.value() < y.value(); }
template <class V>
inline bool operator>(const RevT<V>& x, const RevT<V>& y) { return x.value() > y.value(); }
template <class V>
inline bool operator<=(const RevT<V>& x, const RevT<V>& y) { return x.value() <= y.value(); }
template <class V>
inline bool operator>=(const RevT<V>& x, const RevT<V>& y) { return x.value() >= y.value(); }
template <class V>
inline bool operator==(const RevT<V>& x, const RevT<V>& y) { return x.value() == y.value(); }
template <class V>
inline bool operator!=(const RevT<V>& x, const RevT<V>& y) { return x.value() != y.value(); }

// Elementary functions: value and the local partial (std:: for double values, ceres:: by
// argument-dependent lookup for Jets).
template <class V>
inline RevT<V> rev_unary(const RevT<V>& x, const V& f, const V& df) {
  return x.i < 0 ? RevT<V>(f, -1) : RevT<V>(f, RevTape<V>::active().unary(x, df));
}
template <class V>
inline RevT<V> sin(const RevT<V>& x) {
  using std::cos;
  using std::sin;
  return rev_unary<V>(x, sin(x.v), cos(x.v));
}
template <class V>
inline RevT<V> cos(const RevT<V>& x) {
  using std::cos;
  using std::sin;
  return rev_unary<V>(x, cos(x.v), -sin(x.v));
}
template <class V>
inline RevT<V> sqrt(const RevT<V>& x) {
  using std::sqrt;
  const V s = sqrt(x.v);
  return rev_unary<V>(x, s, 0.5 / s);
}
template <class V>
inline RevT<V> tanh(const RevT<V>& x) {
  using std::tanh;
  const V t = tanh(x.v);
  return rev_unary<V>(x, t, 1.0 - t * t);
}
template <class V>
inline RevT<V> exp(const RevT<V>& x) {
  using std::exp;
  const V e = exp(x.v);
  return rev_unary<V>(x, e, e);
}
template <class V>
inline RevT<V> log(const RevT<V>& x) {
  using std::log;
  return rev_unary<V>(x, log(x.v), 1.0 / x.v);
}
template <class V>
inline RevT<V> pow(const RevT<V>& x, double p) {
  using std::pow;
  return rev_unary<V>(x, pow(x.v, p), p * pow(x.v, p - 1.0));
}

}  // namespace femur::ocp

namespace Eigen {
template <class V>
struct NumTraits<femur::ocp::RevT<V>> : GenericNumTraits<double> {
  using Real = femur::ocp::RevT<V>;
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
template <class V, typename Op>
struct ScalarBinaryOpTraits<femur::ocp::RevT<V>, double, Op> {
  using ReturnType = femur::ocp::RevT<V>;
};
template <class V, typename Op>
struct ScalarBinaryOpTraits<double, femur::ocp::RevT<V>, Op> {
  using ReturnType = femur::ocp::RevT<V>;
};
}  // namespace Eigen
