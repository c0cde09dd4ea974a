// Tracking and prediction by direct collocation with implicit multibody dynamics
// (gait_collocation.hpp).
//
//   solve_gait
//     setup       muscles (DeGrooteFregly2016, rigid tendon), CoordinateActuators, path
//                 surrogates over the bounds, reference splines, bounds and guess
//     GaitNlp     per node (TBB): ID residual and contact over ceres::Jet, muscle forces with
//                 analytic chain rule, activation dynamics, objective integrands; then the
//                 trapezoidal defects, periodicity pairs and average speed, assembled in the
//                 order of the recorded structure
//     hessian     exact Hessian of the Lagrangian (opt-in per solve): per node forward-over-
//                 reverse through the dynamics and contact (ocp/reverse.hpp: one tape, one
//                 sweep), second-order duals through muscles and activation, plus the
//                 final-time and displacement couplings
//     solve_nlp   IPOPT, L-BFGS or the exact Hessian (GaitProblem::solver.exact_hessian)
//     output      Moco's trajectory layout, GRF per node, the worst constraint
#include "femur/ocp/gait_collocation.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <stdexcept>
#include <set>
#include <variant>

#include <fmt/format.h>

#include "femur/math/expression.hpp"
#include "femur/math/filter.hpp"
#include "femur/math/gcv_spline.hpp"
#include "femur/math/parallel.hpp"
#include "femur/muscle/degroote2016.hpp"
#include "femur/ocp/degroote_t.hpp"
#include "femur/ocp/jet.hpp"
#include "femur/ocp/multibody_t.hpp"
#include "femur/ocp/reverse.hpp"

namespace femur::ocp {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMaxNq = 32;  // independent coordinates (example3DWalking: 31)
using Jet3 = ceres::Jet<double, 3>;
using Jet2 = ceres::Jet<double, 2>;

struct MuscleInfo {
  std::string name;
  DeGrooteFregly2016 dgf;
  int path = -1;
  double lo = 0.0, hi = 1.0;
};
struct ActuatorInfo {
  std::string name;
  int coordinate = -1;  // collocation (independent) index
  double optimal_force = 1.0, lo = -1.0, hi = 1.0;
};
// ExpressionBasedCoordinateForce: a generalized force E(q, qdot) on one coordinate (passive
// joint torques of example3DWalking), in the residual as r_k -= E.
struct ExpressionForceInfo {
  std::string name;
  int coordinate = -1;  // collocation index
  Expression expression;
};

// Rigid-tendon DeGrooteFregly2016 tendon force (N) with length, speed and activation as
// variables (degroote_t.hpp's equations; the fiber velocity is the path's times cos(alpha)).
template <class T>
T rigid_tendon_force(const DeGrooteFregly2016& m, const T& L, const T& V, const T& a) {
  using std::sqrt;
  const T along = L - m.p.tendon_slack_length;
  const T lf = sqrt(along * along + m.fiber_width * m.fiber_width);
  const T cos_alpha = along / lf;
  const T lN = lf / m.p.optimal_fiber_length;
  const T vN = V * cos_alpha / (m.p.max_contraction_velocity * m.p.optimal_fiber_length);
  const T fiber = a * degroote_active_force_length(m, lN) * degroote_force_velocity(vN) +
                  degroote_passive_force_length(m, lN) + m.p.fiber_damping * vN;
  return m.p.max_isometric_force * fiber * cos_alpha;
}

// What one node's evaluation gives.
struct NodeEval {
  Eigen::VectorXd res;                                                        // n
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> J;  // n x B
  Eigen::VectorXd adot, adot_a, adot_e;                                       // nm
  double L_track = 0.0, L_grf = 0.0, L_effort = 0.0;
  Eigen::VectorXd g_track, g_effort;  // B (track includes GRF)
  Eigen::MatrixXd grf;                // groups x 3
};

struct Layout {
  int n = 0, nm = 0, na = 0, B = 0, N = 0, P = 0;
  int oq = 0, ou = 0, oa = 0, oe = 0, ox = 0, oud = 0;
  bool free_tf = false;
  int tf_var = -1, nvar = 0;
  int res_begin = 0, def_begin = 0, pair_begin = 0, speed_row = -1, m = 0;
  int var(int node, int offset) const { return node * B + offset; }
};

class GaitNlp : public SparseNlp {
 public:
  Layout L;
  const MultibodyT& mb;
  const std::vector<MuscleInfo>& muscles;
  const std::vector<ActuatorInfo>& actuators;
  const std::vector<PathSurrogate>& surrogates;
  std::vector<ExpressionForceInfo> expression_forces;
  Eigen::VectorXd wq, wu;  // per coordinate: tracking weights of value and speed (0: untracked)
  int gd = 2;              // GRF components tracked: x, y (and z when 3)
  const GaitProblem& pb;
  double tau_a = 0.015, tau_d = 0.06;
  Eigen::VectorXd xlo, xhi, guess;
  // Tracking reference at the nodes (fixed time only): nodes x n, with mask of tracked coordinates.
  Eigen::MatrixXd ref_q, ref_u, ref_grf;  // ref_grf: nodes x (2 * groups): x, y
  Eigen::VectorXd grf_scale;              // 2 * groups: 1 / normalization factor
  std::vector<char> tracked;
  std::vector<std::vector<int>> group_contacts;  // per group: indices into mb.contacts
  std::vector<std::pair<int, int>> pairs;  // (node-0 variable offset, node-N variable offset)
  int speed_q = -1;
  std::vector<std::vector<int>> row_cols;  // per residual row: node-local columns
  std::vector<NodeEval> nodes;
  int nnz = 0;

  GaitNlp(const Layout& layout, const MultibodyT& mb_, const std::vector<MuscleInfo>& m,
          const std::vector<ActuatorInfo>& a, const std::vector<PathSurrogate>& s, const GaitProblem& p)
      : L(layout), mb(mb_), muscles(m), actuators(a), surrogates(s), pb(p) {
    row_cols.resize(static_cast<size_t>(L.n));
    for (int k = 0; k < L.n; ++k) {
      auto& c = row_cols[static_cast<size_t>(k)];
      for (int j = 0; j < L.n; ++j) c.push_back(L.oq + j);
      for (int j = 0; j < L.n; ++j) c.push_back(L.ou + j);
      for (int j = 0; j < L.n; ++j) c.push_back(L.oud + j);
      for (int mm = 0; mm < L.nm; ++mm) {
        const auto& coords = surrogates[static_cast<size_t>(mm)].coordinates;
        if (std::find(coords.begin(), coords.end(), k) != coords.end()) c.push_back(L.oa + mm);
      }
      for (int j = 0; j < L.na; ++j)
        if (actuators[static_cast<size_t>(j)].coordinate == k) c.push_back(L.ox + j);
    }
    nodes.resize(static_cast<size_t>(L.P));
    for (NodeEval& e : nodes) {
      e.res.resize(L.n);
      e.J.resize(L.n, L.B);
      e.adot.resize(L.nm);
      e.adot_a.resize(L.nm);
      e.adot_e.resize(L.nm);
      e.g_track.resize(L.B);
      e.g_effort.resize(L.B);
    }
  }

  double h_of(const double* x) const {
    const double tf = L.free_tf ? x[L.tf_var] : pb.final_time;
    return (tf - pb.initial_time) / L.N;
  }

  int num_variables() const override { return L.nvar; }
  int num_constraints() const override { return L.m; }
  void bounds(double* x_lo, double* x_hi, double* g_lo, double* g_hi) const override {
    std::copy(xlo.data(), xlo.data() + L.nvar, x_lo);
    std::copy(xhi.data(), xhi.data() + L.nvar, x_hi);
    std::fill(g_lo, g_lo + L.m, 0.0);
    std::fill(g_hi, g_hi + L.m, 0.0);
  }
  void initial_guess(double* x) const override { std::copy(guess.data(), guess.data() + L.nvar, x); }

  void jacobian_structure(std::vector<int>& rows, std::vector<int>& cols) const override {
    rows.clear();
    cols.clear();
    auto emit = [&](int r, int c) {
      rows.push_back(r);
      cols.push_back(c);
    };
    for (int i = 0; i < L.P; ++i)
      for (int k = 0; k < L.n; ++k)
        for (int c : row_cols[static_cast<size_t>(k)]) emit(L.res_begin + i * L.n + k, L.var(i, c));
    const int per = 2 * L.n + L.nm;
    for (int i = 0; i < L.N; ++i) {
      const int r0 = L.def_begin + i * per;
      for (int k = 0; k < L.n; ++k) {
        const int r = r0 + k;
        emit(r, L.var(i, L.oq + k));
        emit(r, L.var(i, L.ou + k));
        emit(r, L.var(i + 1, L.oq + k));
        emit(r, L.var(i + 1, L.ou + k));
        if (L.free_tf) emit(r, L.tf_var);
      }
      for (int k = 0; k < L.n; ++k) {
        const int r = r0 + L.n + k;
        emit(r, L.var(i, L.ou + k));
        emit(r, L.var(i, L.oud + k));
        emit(r, L.var(i + 1, L.ou + k));
        emit(r, L.var(i + 1, L.oud + k));
        if (L.free_tf) emit(r, L.tf_var);
      }
      for (int mm = 0; mm < L.nm; ++mm) {
        const int r = r0 + 2 * L.n + mm;
        emit(r, L.var(i, L.oa + mm));
        emit(r, L.var(i, L.oe + mm));
        emit(r, L.var(i + 1, L.oa + mm));
        emit(r, L.var(i + 1, L.oe + mm));
        if (L.free_tf) emit(r, L.tf_var);
      }
    }
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      emit(L.pair_begin + static_cast<int>(p), L.var(0, pairs[p].first));
      emit(L.pair_begin + static_cast<int>(p), L.var(L.N, pairs[p].second));
    }
    if (L.speed_row >= 0) {
      emit(L.speed_row, L.var(L.N, L.oq + speed_q));
      emit(L.speed_row, L.var(0, L.oq + speed_q));
      if (L.free_tf) emit(L.speed_row, L.tf_var);
    }
  }

  // The residual's Jacobian by reverse mode: one recording of the inverse dynamics over
  // doubles, one sweep with an adjoint per output (the n residuals and the GRF integrand),
  // sized to the model.
  void evaluate_node(int i, const double* z) {
    if (L.n <= 10)
      evaluate_node_t<12>(i, z);
    else if (L.n <= 16)
      evaluate_node_t<18>(i, z);
    else
      evaluate_node_t<kMaxNq + 2>(i, z);
  }

  // Values only (no derivatives): the residual, activation rates and integrands.
  void node_values(int i, const double* z) { node_values_into(nodes[static_cast<size_t>(i)], i, z); }

  // Forward dynamics from the same equations (re-simulation): udot solves
  // M(q) udot = -r(q, u, a, x; udot = 0), with M's columns from the inverse dynamics at unit
  // accelerations; adot the activation dynamics. z holds q, u, a, e, x (udot ignored).
  void forward(const double* z_in, double* udot, double* adot, NodeEval& scratch, Eigen::VectorXd& z) {
    z = Eigen::Map<const Eigen::VectorXd>(z_in, L.B);
    for (int k = 0; k < L.n; ++k) z[L.oud + k] = 0.0;
    node_values_into(scratch, 0, z.data());
    const Eigen::VectorXd r0 = scratch.res;
    Eigen::MatrixXd M(L.n, L.n);
    std::array<double, kMaxNq> t0{}, t1{}, acc{};
    inverse_dynamics_t<double>(mb, z.data() + L.oq, z.data() + L.ou, acc.data(), t0.data());
    for (int k = 0; k < L.n; ++k) {
      acc[static_cast<size_t>(k)] = 1.0;
      inverse_dynamics_t<double>(mb, z.data() + L.oq, z.data() + L.ou, acc.data(), t1.data());
      acc[static_cast<size_t>(k)] = 0.0;
      for (int r = 0; r < L.n; ++r) M(r, k) = t1[static_cast<size_t>(r)] - t0[static_cast<size_t>(r)];
    }
    const Eigen::VectorXd ud = M.ldlt().solve(-r0);
    for (int k = 0; k < L.n; ++k) udot[k] = ud[k];
    for (int m = 0; m < L.nm; ++m) adot[m] = scratch.adot[m];
  }

  void node_values_into(NodeEval& e, int i, const double* z) {
    const int n = L.n;
    std::array<double, kMaxNq> tau;
    std::array<ContactForceT<double>, 16> contact;
    inverse_dynamics_t<double>(mb, z + L.oq, z + L.ou, z + L.oud, tau.data(), contact.data());
    for (int k = 0; k < n; ++k) e.res[k] = tau[static_cast<size_t>(k)];
    std::array<double, PathSurrogate::kMaxDimension> g{};
    for (int mm = 0; mm < L.nm; ++mm) {
      const PathSurrogate& s = surrogates[static_cast<size_t>(mm)];
      const int d = s.dimension();
      const double len = s.evaluate(z + L.oq, g.data(), nullptr);
      double V = 0.0;
      for (int j = 0; j < d; ++j) V += g[static_cast<size_t>(j)] * z[L.ou + s.coordinates[static_cast<size_t>(j)]];
      const double F = rigid_tendon_force<double>(muscles[static_cast<size_t>(mm)].dgf, len, V, z[L.oa + mm]);
      for (int kk = 0; kk < d; ++kk) e.res[s.coordinates[static_cast<size_t>(kk)]] += g[static_cast<size_t>(kk)] * F;
      e.adot[mm] = degroote_activation_rate<double>(z[L.oa + mm], z[L.oe + mm], tau_a, tau_d);
    }
    for (int j = 0; j < L.na; ++j)
      e.res[actuators[static_cast<size_t>(j)].coordinate] -= actuators[static_cast<size_t>(j)].optimal_force * z[L.ox + j];
    for (const ExpressionForceInfo& ef : expression_forces) {
      const double qu[2] = {z[L.oq + ef.coordinate], z[L.ou + ef.coordinate]};
      e.res[ef.coordinate] -= ef.expression.evaluate<double>(qu);
    }
    e.L_track = e.L_grf = e.L_effort = 0.0;
    if (ref_q.rows() > 0)
      for (int k = 0; k < n; ++k) {
        if (!tracked[static_cast<size_t>(k)]) continue;
        const double dq = z[L.oq + k] - ref_q(i, k);
        e.L_track += wq[k] * dq * dq;
        if (pb.track_speeds) {
          const double du = z[L.ou + k] - ref_u(i, k);
          e.L_track += wu[k] * du * du;
        }
      }
    const int ng = static_cast<int>(group_contacts.size());
    e.grf.resize(ng, 3);
    for (int gi = 0; gi < ng; ++gi) {
      Vec3 F = Vec3::Zero();
      for (int c : group_contacts[static_cast<size_t>(gi)]) F += contact[static_cast<size_t>(c)].force;
      e.grf.row(gi) = F.transpose();
      if (pb.grf_weight > 0.0 && ref_grf.rows() > 0)
        for (int dim = 0; dim < gd; ++dim) {
          const double err = grf_scale[gd * gi + dim] * (F[dim] - ref_grf(i, gd * gi + dim));
          e.L_grf += pb.grf_weight * err * err;
        }
    }
    for (int j = 0; j < L.nm; ++j) e.L_effort += pb.effort_weight * std::pow(std::abs(z[L.oe + j]), pb.effort_exponent);
    for (int j = 0; j < L.na; ++j) e.L_effort += pb.effort_weight * std::pow(std::abs(z[L.ox + j]), pb.effort_exponent);
  }

  bool evaluate_values(const double* x, double& f, double* g) override {
    const double h = h_of(x);
    femur::parallel_for(static_cast<std::size_t>(L.P), 0, [&](std::size_t k) {
      const int i = static_cast<int>(k);
      node_values(i, x + L.var(i, 0));
    });
    double J_track = 0.0, J_eff = 0.0;
    for (int i = 0; i < L.P; ++i) {
      const double c = (i == 0 || i == L.N) ? 0.5 : 1.0;
      const NodeEval& e = nodes[static_cast<size_t>(i)];
      J_track += c * h * (e.L_track + e.L_grf);
      J_eff += c * h * e.L_effort;
    }
    double D = 1.0;
    if (pb.effort_divide_by_displacement) D = x[L.var(L.N, L.oq + speed_q)] - x[L.var(0, L.oq + speed_q)];
    f = J_track + J_eff / D;
    for (int i = 0; i < L.P; ++i)
      for (int k = 0; k < L.n; ++k) g[L.res_begin + i * L.n + k] = nodes[static_cast<size_t>(i)].res[k];
    const int per = 2 * L.n + L.nm;
    for (int i = 0; i < L.N; ++i) {
      const int r0 = L.def_begin + i * per;
      const double* z0 = x + L.var(i, 0);
      const double* z1 = x + L.var(i + 1, 0);
      for (int k = 0; k < L.n; ++k) {
        g[r0 + k] = z1[L.oq + k] - z0[L.oq + k] - 0.5 * h * (z0[L.ou + k] + z1[L.ou + k]);
        g[r0 + L.n + k] = z1[L.ou + k] - z0[L.ou + k] - 0.5 * h * (z0[L.oud + k] + z1[L.oud + k]);
      }
      for (int mm = 0; mm < L.nm; ++mm)
        g[r0 + 2 * L.n + mm] = z1[L.oa + mm] - z0[L.oa + mm] -
                               0.5 * h * (nodes[static_cast<size_t>(i)].adot[mm] + nodes[static_cast<size_t>(i + 1)].adot[mm]);
    }
    for (std::size_t p = 0; p < pairs.size(); ++p)
      g[L.pair_begin + static_cast<int>(p)] = x[L.var(0, pairs[p].first)] - x[L.var(L.N, pairs[p].second)];
    if (L.speed_row >= 0)
      g[L.speed_row] = x[L.var(L.N, L.oq + speed_q)] - x[L.var(0, L.oq + speed_q)] - pb.average_speed * L.N * h;
    return true;
  }

  template <int W>
  void evaluate_node_t(int i, const double* z) {
    using R = RevT<double>;
    NodeEval& e = nodes[static_cast<size_t>(i)];
    const int n = L.n;
    RevTape<double>& tape = RevTape<double>::local();
    tape.clear();
    std::array<R, kMaxNq> q, u, ud, tau;
    for (int k = 0; k < n; ++k) {
      q[static_cast<size_t>(k)] = tape.variable(z[L.oq + k], -1);
      u[static_cast<size_t>(k)] = tape.variable(z[L.ou + k], -1);
      ud[static_cast<size_t>(k)] = tape.variable(z[L.oud + k], -1);
    }
    std::array<ContactForceT<R>, 16> contact;
    inverse_dynamics_t<R>(mb, q.data(), u.data(), ud.data(), tau.data(), contact.data());
    // GRF per group and the GRF tracking integrand (an output of the sweep: its gradient).
    std::array<R, kMaxNq + 1> out;
    for (int k = 0; k < n; ++k) out[static_cast<size_t>(k)] = tau[static_cast<size_t>(k)];
    const int ng = static_cast<int>(group_contacts.size());
    e.grf.resize(ng, 3);
    R lgrf(0.0);
    for (int gi = 0; gi < ng; ++gi) {
      Vec3T<R> F = Vec3T<R>::Zero();
      for (int c : group_contacts[static_cast<size_t>(gi)]) F += contact[static_cast<size_t>(c)].force;
      for (int dim = 0; dim < 3; ++dim) e.grf(gi, dim) = F[dim].value();
      if (pb.grf_weight > 0.0 && ref_grf.rows() > 0)
        for (int dim = 0; dim < gd; ++dim) {
          const R err = grf_scale[gd * gi + dim] * (F[dim] - ref_grf(i, gd * gi + dim));
          lgrf += pb.grf_weight * (err * err);
        }
    }
    out[static_cast<size_t>(n)] = lgrf;
    using Adjoint = Eigen::Matrix<double, W, 1>;
    thread_local std::vector<Adjoint> adj;
    tape.sweep_outputs(out.data(), n + 1, adj);
    e.J.setZero();
    e.g_track.setZero();
    e.L_grf = lgrf.value();
    for (int k = 0; k < n; ++k) e.res[k] = tau[static_cast<size_t>(k)].value();
    for (int j = 0; j < n; ++j) {
      const Adjoint& aq = adj[static_cast<size_t>(q[static_cast<size_t>(j)].i)];
      const Adjoint& au = adj[static_cast<size_t>(u[static_cast<size_t>(j)].i)];
      const Adjoint& aud = adj[static_cast<size_t>(ud[static_cast<size_t>(j)].i)];
      for (int k = 0; k < n; ++k) {
        e.J(k, L.oq + j) = aq[k];
        e.J(k, L.ou + j) = au[k];
        e.J(k, L.oud + j) = aud[k];
      }
      e.g_track[L.oq + j] += aq[n];
      e.g_track[L.ou + j] += au[n];
    }
    // Muscles: r_k += g_k F with g = dL/dq (moment arm -g), F(L(q), V(q, u), a).
    std::array<double, PathSurrogate::kMaxDimension> g{};
    std::array<double, PathSurrogate::kMaxDimension * PathSurrogate::kMaxDimension> H{};
    for (int mm = 0; mm < L.nm; ++mm) {
      const PathSurrogate& s = surrogates[static_cast<size_t>(mm)];
      const int d = s.dimension();
      const double len = s.evaluate(z + L.oq, g.data(), H.data());
      double V = 0.0;
      for (int j = 0; j < d; ++j) V += g[static_cast<size_t>(j)] * z[L.ou + s.coordinates[static_cast<size_t>(j)]];
      const Jet3 F = rigid_tendon_force<Jet3>(muscles[static_cast<size_t>(mm)].dgf, Jet3(len, 0), Jet3(V, 1),
                                              Jet3(z[L.oa + mm], 2));
      for (int kk = 0; kk < d; ++kk) {
        const int k = s.coordinates[static_cast<size_t>(kk)];
        const double gk = g[static_cast<size_t>(kk)];
        e.res[k] += gk * F.a;
        e.J(k, L.oa + mm) += gk * F.v[2];
        for (int jj = 0; jj < d; ++jj) {
          const int c = s.coordinates[static_cast<size_t>(jj)];
          double Hu = 0.0;
          for (int ii = 0; ii < d; ++ii) Hu += H[static_cast<size_t>(jj * d + ii)] * z[L.ou + s.coordinates[static_cast<size_t>(ii)]];
          const double dF_dq = F.v[0] * g[static_cast<size_t>(jj)] + F.v[1] * Hu;
          e.J(k, L.oq + c) += H[static_cast<size_t>(kk * d + jj)] * F.a + gk * dF_dq;
          e.J(k, L.ou + c) += gk * F.v[1] * g[static_cast<size_t>(jj)];
        }
      }
      // Activation dynamics.
      const Jet2 ad = degroote_activation_rate<Jet2>(Jet2(z[L.oa + mm], 0), Jet2(z[L.oe + mm], 1), tau_a, tau_d);
      e.adot[mm] = ad.a;
      e.adot_a[mm] = ad.v[0];
      e.adot_e[mm] = ad.v[1];
    }
    for (int j = 0; j < L.na; ++j) {
      const ActuatorInfo& a = actuators[static_cast<size_t>(j)];
      e.res[a.coordinate] -= a.optimal_force * z[L.ox + j];
      e.J(a.coordinate, L.ox + j) -= a.optimal_force;
    }
    for (const ExpressionForceInfo& ef : expression_forces) {
      const int k = ef.coordinate;
      const double qu[2] = {z[L.oq + k], z[L.ou + k]};
      double grad[2];
      e.res[k] -= ef.expression.evaluate(qu, grad);
      e.J(k, L.oq + k) -= grad[0];
      e.J(k, L.ou + k) -= grad[1];
    }
    // Objective integrands (the GRF part above).
    e.g_effort.setZero();
    e.L_track = e.L_effort = 0.0;
    if (ref_q.rows() > 0) {
      for (int k = 0; k < n; ++k) {
        if (!tracked[static_cast<size_t>(k)]) continue;
        const double dq = z[L.oq + k] - ref_q(i, k);
        e.L_track += wq[k] * dq * dq;
        e.g_track[L.oq + k] += 2.0 * wq[k] * dq;
        if (pb.track_speeds) {
          const double du = z[L.ou + k] - ref_u(i, k);
          e.L_track += wu[k] * du * du;
          e.g_track[L.ou + k] += 2.0 * wu[k] * du;
        }
      }
    }
    const double p = pb.effort_exponent;
    auto effort = [&](int offset, int count) {
      for (int j = 0; j < count; ++j) {
        const double c = z[offset + j], ac = std::abs(c);
        e.L_effort += pb.effort_weight * std::pow(ac, p);
        e.g_effort[offset + j] += pb.effort_weight * p * std::pow(ac, p - 1.0) * (c < 0 ? -1.0 : 1.0);
      }
    };
    effort(L.oe, L.nm);
    effort(L.ox, L.na);
  }

  void evaluate(const double* x, double& f, double* gradient, double* g, double* jac) override {
    const double h = h_of(x);
    femur::parallel_for(static_cast<std::size_t>(L.P), 0, [&](std::size_t k) {
      const int i = static_cast<int>(k);
      evaluate_node(i, x + L.var(i, 0));
    });
    // Objective: trapezoidal quadrature, effort over the displacement when asked.
    std::fill(gradient, gradient + L.nvar, 0.0);
    double J_track = 0.0, J_eff = 0.0, dJ_track_dh = 0.0, dJ_eff_dh = 0.0;
    for (int i = 0; i < L.P; ++i) {
      const double c = (i == 0 || i == L.N) ? 0.5 : 1.0;
      const NodeEval& e = nodes[static_cast<size_t>(i)];
      J_track += c * h * (e.L_track + e.L_grf);
      J_eff += c * h * e.L_effort;
      dJ_track_dh += c * (e.L_track + e.L_grf);
      dJ_eff_dh += c * e.L_effort;
    }
    double D = 1.0;
    if (pb.effort_divide_by_displacement) D = x[L.var(L.N, L.oq + speed_q)] - x[L.var(0, L.oq + speed_q)];
    f = J_track + J_eff / D;
    for (int i = 0; i < L.P; ++i) {
      const double c = (i == 0 || i == L.N) ? 0.5 : 1.0;
      const NodeEval& e = nodes[static_cast<size_t>(i)];
      double* gi = gradient + L.var(i, 0);
      for (int b = 0; b < L.B; ++b) gi[b] += c * h * (e.g_track[b] + e.g_effort[b] / D);
    }
    if (pb.effort_divide_by_displacement) {
      gradient[L.var(L.N, L.oq + speed_q)] += -J_eff / (D * D);
      gradient[L.var(0, L.oq + speed_q)] += J_eff / (D * D);
    }
    if (L.free_tf) gradient[L.tf_var] += (dJ_track_dh + dJ_eff_dh / D) / L.N;
    last_track_ = J_track;
    last_effort_ = J_eff / D;
    // Constraints and Jacobian, in the order of jacobian_structure.
    int k_nz = 0;
    for (int i = 0; i < L.P; ++i) {
      const NodeEval& e = nodes[static_cast<size_t>(i)];
      for (int k = 0; k < L.n; ++k) {
        g[L.res_begin + i * L.n + k] = e.res[k];
        for (int c : row_cols[static_cast<size_t>(k)]) jac[k_nz++] = e.J(k, c);
      }
    }
    const int per = 2 * L.n + L.nm;
    const double dh = 1.0 / L.N;
    for (int i = 0; i < L.N; ++i) {
      const int r0 = L.def_begin + i * per;
      const double* z0 = x + L.var(i, 0);
      const double* z1 = x + L.var(i + 1, 0);
      const NodeEval& e0 = nodes[static_cast<size_t>(i)];
      const NodeEval& e1 = nodes[static_cast<size_t>(i + 1)];
      for (int k = 0; k < L.n; ++k) {
        const double s = z0[L.ou + k] + z1[L.ou + k];
        g[r0 + k] = z1[L.oq + k] - z0[L.oq + k] - 0.5 * h * s;
        jac[k_nz++] = -1.0;
        jac[k_nz++] = -0.5 * h;
        jac[k_nz++] = 1.0;
        jac[k_nz++] = -0.5 * h;
        if (L.free_tf) jac[k_nz++] = -0.5 * dh * s;
      }
      for (int k = 0; k < L.n; ++k) {
        const double s = z0[L.oud + k] + z1[L.oud + k];
        g[r0 + L.n + k] = z1[L.ou + k] - z0[L.ou + k] - 0.5 * h * s;
        jac[k_nz++] = -1.0;
        jac[k_nz++] = -0.5 * h;
        jac[k_nz++] = 1.0;
        jac[k_nz++] = -0.5 * h;
        if (L.free_tf) jac[k_nz++] = -0.5 * dh * s;
      }
      for (int mm = 0; mm < L.nm; ++mm) {
        const double s = e0.adot[mm] + e1.adot[mm];
        g[r0 + 2 * L.n + mm] = z1[L.oa + mm] - z0[L.oa + mm] - 0.5 * h * s;
        jac[k_nz++] = -1.0 - 0.5 * h * e0.adot_a[mm];
        jac[k_nz++] = -0.5 * h * e0.adot_e[mm];
        jac[k_nz++] = 1.0 - 0.5 * h * e1.adot_a[mm];
        jac[k_nz++] = -0.5 * h * e1.adot_e[mm];
        if (L.free_tf) jac[k_nz++] = -0.5 * dh * s;
      }
    }
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      g[L.pair_begin + static_cast<int>(p)] = x[L.var(0, pairs[p].first)] - x[L.var(L.N, pairs[p].second)];
      jac[k_nz++] = 1.0;
      jac[k_nz++] = -1.0;
    }
    if (L.speed_row >= 0) {
      const double T = L.N * h;
      g[L.speed_row] = x[L.var(L.N, L.oq + speed_q)] - x[L.var(0, L.oq + speed_q)] - pb.average_speed * T;
      jac[k_nz++] = 1.0;
      jac[k_nz++] = -1.0;
      if (L.free_tf) jac[k_nz++] = -pb.average_speed;
    }
  }

  // ---- Exact Hessian of the Lagrangian sigma f + lambda' g (lower triangle). ----
  // Per node a block over the node's variables: the inverse-dynamics residual (with contact)
  // weighted by its multipliers, plus sigma times the GRF tracking integrand, by forward-over-
  // reverse differentiation (one tape and one reverse sweep with Jet adjoints over q and u; the
  // residual is linear in udot, so udot x udot and udot x u vanish); each muscle's moment
  // term g(q) F(L(q), g(q)'u, a) over second-order dual numbers in its own q, u and a (the
  // surrogate polynomial evaluated over them); the activation dynamics inside the defects; the
  // tracking and effort integrands (diagonal). Coupling terms: the final time (the defects'
  // h (.), the objective's quadrature) and the displacement D dividing the effort.
  std::vector<std::pair<int, int>> hess_local;   // node-local (row, col), row >= col
  std::vector<std::vector<int>> hess_node_nz;    // per node: nonzero index of each hess_local entry
  std::map<std::pair<int, int>, int> hess_index; // global (row, col) -> nonzero index
  std::vector<int> hess_rows, hess_cols;
  bool hess_built = false;

  void build_hessian_structure() {
    const int B = L.B;
    std::vector<char> pat(static_cast<size_t>(B * B), 0);
    auto mark = [&](int a, int b) {
      pat[static_cast<size_t>(std::max(a, b) * B + std::min(a, b))] = 1;
    };
    for (int a = 0; a < 2 * L.n; ++a)
      for (int b = 0; b < 2 * L.n; ++b) mark(a, b);
    for (int a = 0; a < L.n; ++a)
      for (int b = 0; b < L.n; ++b) mark(L.oud + a, L.oq + b);
    for (int mm = 0; mm < L.nm; ++mm) {
      const auto& cs = surrogates[static_cast<size_t>(mm)].coordinates;
      std::vector<int> v;
      for (int c : cs) v.push_back(L.oq + c), v.push_back(L.ou + c);
      v.push_back(L.oa + mm);
      for (int a : v)
        for (int b : v) mark(a, b);
      mark(L.oa + mm, L.oe + mm);
      mark(L.oe + mm, L.oe + mm);
    }
    for (int j = 0; j < L.na; ++j) mark(L.ox + j, L.ox + j);
    hess_local.clear();
    for (int a = 0; a < B; ++a)
      for (int b = 0; b <= a; ++b)
        if (pat[static_cast<size_t>(a * B + b)]) hess_local.push_back({a, b});
    std::set<std::pair<int, int>> all;
    for (int i = 0; i < L.P; ++i)
      for (const auto& [a, b] : hess_local) all.insert({L.var(i, a), L.var(i, b)});
    auto add = [&](int r, int c) { all.insert({std::max(r, c), std::min(r, c)}); };
    if (L.free_tf)
      for (int v = 0; v < L.P * L.B; ++v) add(L.tf_var, v);
    if (pb.effort_divide_by_displacement) {
      const int s0 = L.var(0, L.oq + speed_q), sN = L.var(L.N, L.oq + speed_q);
      for (int i = 0; i < L.P; ++i) {
        for (int j = 0; j < L.nm; ++j) add(s0, L.var(i, L.oe + j)), add(sN, L.var(i, L.oe + j));
        for (int j = 0; j < L.na; ++j) add(s0, L.var(i, L.ox + j)), add(sN, L.var(i, L.ox + j));
      }
      add(s0, s0);
      add(sN, sN);
      add(sN, s0);
      if (L.free_tf) add(L.tf_var, s0), add(L.tf_var, sN);
    }
    hess_index.clear();
    hess_rows.clear();
    hess_cols.clear();
    for (const auto& rc : all) {
      hess_index[rc] = static_cast<int>(hess_rows.size());
      hess_rows.push_back(rc.first);
      hess_cols.push_back(rc.second);
    }
    hess_node_nz.assign(static_cast<size_t>(L.P), {});
    for (int i = 0; i < L.P; ++i)
      for (const auto& [a, b] : hess_local) hess_node_nz[static_cast<size_t>(i)].push_back(hess_index.at({L.var(i, a), L.var(i, b)}));
    hess_built = true;
  }

  bool has_hessian() const override { return true; }
  void hessian_structure(std::vector<int>& rows, std::vector<int>& cols) const override {
    if (!hess_built) const_cast<GaitNlp*>(this)->build_hessian_structure();
    rows = hess_rows;
    cols = hess_cols;
  }

  // The surrogate's length and gradient over any scalar type (x: q - center, local).
  template <class T>
  static void surrogate_t(const PathSurrogate& s, const T* x, T& len, T* grad) {
    const int d = s.dimension();
    std::array<std::array<T, 16>, PathSurrogate::kMaxDimension> pw;
    const T zero = x[0] * 0.0;
    for (int j = 0; j < d; ++j) {
      pw[static_cast<size_t>(j)][0] = zero + 1.0;
      for (int p = 1; p <= s.order; ++p)
        pw[static_cast<size_t>(j)][static_cast<size_t>(p)] = pw[static_cast<size_t>(j)][static_cast<size_t>(p - 1)] * x[j];
    }
    len = zero;
    for (int j = 0; j < d; ++j) grad[j] = zero;
    for (std::size_t t = 0; t < s.coefficients.size(); ++t) {
      const auto& e = s.exponents[t];
      const double c = s.coefficients[t];
      T term = zero + c;
      for (int j = 0; j < d; ++j) term = term * pw[static_cast<size_t>(j)][e[static_cast<size_t>(j)]];
      len = len + term;
      for (int a = 0; a < d; ++a) {
        const int ea = e[static_cast<size_t>(a)];
        if (ea == 0) continue;
        T g = zero + c * ea;
        for (int j = 0; j < d; ++j)
          g = g * pw[static_cast<size_t>(j)][static_cast<size_t>(j == a ? ea - 1 : e[static_cast<size_t>(j)])];
        grad[a] = grad[a] + g;
      }
    }
  }

  // One muscle's moment term sum_k lambda_k g_k(q) F(L(q), g(q)'u, a) (g = dL/dq) into H: the
  // surrogate's length and gradient as second-order duals over its D coordinates only (cheap),
  // lifted into second-order duals over (q, u, a) of the muscle (2D + 1) for the force.
  template <int D>
  void muscle_hessian(int mm, const double* z, const double* lam, Eigen::MatrixXd& H) const {
    constexpr int K = 2 * D + 1;
    using HQ = ceres::Jet<ceres::Jet<double, D>, D>;
    using HK = ceres::Jet<ceres::Jet<double, K>, K>;
    const PathSurrogate& s = surrogates[static_cast<size_t>(mm)];
    std::array<HQ, D> x, gq;
    for (int j = 0; j < D; ++j)
      x[static_cast<size_t>(j)] = second_order_variable<D>(z[L.oq + s.coordinates[static_cast<size_t>(j)]] - s.center[static_cast<size_t>(j)], j);
    HQ lenq;
    surrogate_t<HQ>(s, x.data(), lenq, gq.data());
    auto lift = [&](const HQ& v) {
      HK out{ceres::Jet<double, K>(0.0)};
      out.a.a = v.a.a;
      for (int j = 0; j < D; ++j) {
        out.a.v[j] = v.a.v[j];
        out.v[j].a = v.v[j].a;
        for (int l = 0; l < D; ++l) out.v[j].v[l] = v.v[j].v[l];
      }
      return out;
    };
    std::array<int, K> off{};
    HK V{ceres::Jet<double, K>(0.0)}, phi{ceres::Jet<double, K>(0.0)};
    std::array<HK, D> g;
    for (int j = 0; j < D; ++j) {
      const int k = s.coordinates[static_cast<size_t>(j)];
      off[static_cast<size_t>(j)] = L.oq + k;
      off[static_cast<size_t>(D + j)] = L.ou + k;
      g[static_cast<size_t>(j)] = lift(gq[static_cast<size_t>(j)]);
      V = V + g[static_cast<size_t>(j)] * second_order_variable<K>(z[L.ou + k], D + j);
    }
    off[static_cast<size_t>(2 * D)] = L.oa + mm;
    const HK F = rigid_tendon_force<HK>(muscles[static_cast<size_t>(mm)].dgf, lift(lenq), V,
                                        second_order_variable<K>(z[L.oa + mm], 2 * D));
    for (int j = 0; j < D; ++j) phi = phi + lam[s.coordinates[static_cast<size_t>(j)]] * (g[static_cast<size_t>(j)] * F);
    for (int r = 0; r < K; ++r)
      for (int c = 0; c < K; ++c) H(off[static_cast<size_t>(r)], off[static_cast<size_t>(c)]) += phi.v[r].v[c];
  }

  // Node i's block of the Hessian into H (B x B, both triangles of the q/u part; udot rows
  // below the q columns): mu_i the activation-rate multipliers, Dv the displacement.
  // The inverse-dynamics residual (with contact) weighted by its multipliers, plus sigma times
  // the GRF tracking integrand, is one scalar phi(q, u, udot) recorded once on a reverse-mode
  // tape (ocp/reverse.hpp) with q and u as the K >= 2n tangent directions; one reverse sweep
  // gives every column H(., q) and H(., u) (udot x udot and udot x u vanish: phi is linear in
  // udot).
  template <int K>
  void node_hessian(int i, const double* z, double sigma, const double* lambda, const double* mu, double h, double Dv,
                    Eigen::MatrixXd& H) {
    using R = Rev<K>;
    const int n = L.n;
    const double c = (i == 0 || i == L.N) ? 0.5 : 1.0;
    H.setZero(L.B, L.B);
    const double* lam = lambda + L.res_begin + i * n;
    const bool grf = pb.grf_weight > 0.0 && ref_grf.rows() > 0;
    const double sg = sigma * c * h * pb.grf_weight;
    RevTape<ceres::Jet<double, K>>& tape = RevTape<ceres::Jet<double, K>>::local();
    tape.clear();
    std::array<R, kMaxNq> q, u, ud, tau;
    std::array<ContactForceT<R>, 16> contact;
    for (int k = 0; k < n; ++k) {
      q[static_cast<size_t>(k)] = tape.variable(z[L.oq + k], k);
      u[static_cast<size_t>(k)] = tape.variable(z[L.ou + k], n + k);
      ud[static_cast<size_t>(k)] = tape.variable(z[L.oud + k], -1);
    }
    inverse_dynamics_t<R>(mb, q.data(), u.data(), ud.data(), tau.data(), contact.data());
    R phi(0.0);
    for (int k = 0; k < n; ++k) phi += lam[k] * tau[static_cast<size_t>(k)];
    if (grf) {
      for (std::size_t gi = 0; gi < group_contacts.size(); ++gi) {
        Vec3T<R> F = Vec3T<R>::Zero();
        for (int cc : group_contacts[gi]) F += contact[static_cast<size_t>(cc)].force;
        for (int dim = 0; dim < gd; ++dim) {
          const double sc = grf_scale[gd * static_cast<int>(gi) + dim];
          const R err = sc * (F[dim] - ref_grf(i, gd * static_cast<int>(gi) + dim));
          phi += sg * (err * err);
        }
      }
    }
    tape.sweep(phi);
    for (int k = 0; k < n; ++k) {
      const ceres::Jet<double, K>& aq = tape.adjoint(q[static_cast<size_t>(k)]);
      const ceres::Jet<double, K>& au = tape.adjoint(u[static_cast<size_t>(k)]);
      const ceres::Jet<double, K>& aud = tape.adjoint(ud[static_cast<size_t>(k)]);
      for (int l = 0; l < n; ++l) {
        H(L.oq + k, L.oq + l) += aq.v[l];
        H(L.oq + k, L.ou + l) += aq.v[n + l];
        H(L.ou + k, L.oq + l) += au.v[l];
        H(L.ou + k, L.ou + l) += au.v[n + l];
        H(L.oud + k, L.oq + l) += aud.v[l];
      }
    }
    // Muscles.
    for (int mm = 0; mm < L.nm; ++mm) {
      switch (surrogates[static_cast<size_t>(mm)].dimension()) {
        case 1: muscle_hessian<1>(mm, z, lam, H); break;
        case 2: muscle_hessian<2>(mm, z, lam, H); break;
        case 3: muscle_hessian<3>(mm, z, lam, H); break;
        case 4: muscle_hessian<4>(mm, z, lam, H); break;
        default: break;  // a length without coordinates exerts no moment
      }
      // Activation dynamics in the defects.
      using Hyper2 = ceres::Jet<Jet2, 2>;
      const Hyper2 ad = degroote_activation_rate<Hyper2>(second_order_variable<2>(z[L.oa + mm], 0),
                                                         second_order_variable<2>(z[L.oe + mm], 1), tau_a, tau_d);
      const double w = mu[mm];
      H(L.oa + mm, L.oa + mm) += w * ad.v[0].v[0];
      H(L.oe + mm, L.oa + mm) += w * ad.v[1].v[0];
      H(L.oa + mm, L.oe + mm) += w * ad.v[0].v[1];
      H(L.oe + mm, L.oe + mm) += w * ad.v[1].v[1];
    }
    // Expression-based coordinate forces: -lambda_k E(q_k, u_k).
    for (const ExpressionForceInfo& ef : expression_forces) {
      using Hyper2 = ceres::Jet<Jet2, 2>;
      const int k = ef.coordinate;
      const Hyper2 qu[2] = {second_order_variable<2>(z[L.oq + k], 0), second_order_variable<2>(z[L.ou + k], 1)};
      const Hyper2 E = ef.expression.evaluate<Hyper2>(qu);
      const int off[2] = {L.oq + k, L.ou + k};
      for (int r = 0; r < 2; ++r)
        for (int cc = 0; cc < 2; ++cc) H(off[r], off[cc]) -= lam[k] * E.v[r].v[cc];
    }
    // Tracking and effort integrands.
    if (ref_q.rows() > 0)
      for (int k = 0; k < n; ++k) {
        if (!tracked[static_cast<size_t>(k)]) continue;
        H(L.oq + k, L.oq + k) += sigma * c * h * 2.0 * wq[k];
        if (pb.track_speeds) H(L.ou + k, L.ou + k) += sigma * c * h * 2.0 * wu[k];
      }
    const double p = pb.effort_exponent;
    auto effort = [&](int offset, int count) {
      for (int j = 0; j < count; ++j) {
        const double ac = std::abs(z[offset + j]);
        H(offset + j, offset + j) += sigma * c * h / Dv * pb.effort_weight * p * (p - 1.0) * std::pow(ac, p - 2.0);
      }
    };
    effort(L.oe, L.nm);
    effort(L.ox, L.na);
  }

  void hessian(const double* x, double sigma, const double* lambda, double* values) override {
    if (!hess_built) build_hessian_structure();
    std::fill(values, values + hess_rows.size(), 0.0);
    const double h = h_of(x);
    const int per = 2 * L.n + L.nm;
    // mu(i, m): the weight of adot(a_i, e_i) over the defect rows using it.
    Eigen::MatrixXd mu = Eigen::MatrixXd::Zero(L.P, std::max(L.nm, 1));
    for (int i = 0; i < L.N; ++i)
      for (int m = 0; m < L.nm; ++m) {
        const double l = lambda[L.def_begin + i * per + 2 * L.n + m];
        mu(i, m) += -0.5 * h * l;
        mu(i + 1, m) += -0.5 * h * l;
      }
    double D = 1.0;
    if (pb.effort_divide_by_displacement) D = x[L.var(L.N, L.oq + speed_q)] - x[L.var(0, L.oq + speed_q)];
    femur::parallel_for(static_cast<std::size_t>(L.P), 0, [&](std::size_t node) {
      const int i = static_cast<int>(node);
      thread_local Eigen::MatrixXd H;
      const Eigen::VectorXd mui = mu.row(i).transpose();
      if (L.n <= 10)
        node_hessian<20>(i, x + L.var(i, 0), sigma, lambda, mui.data(), h, D, H);
      else if (L.n <= 16)
        node_hessian<32>(i, x + L.var(i, 0), sigma, lambda, mui.data(), h, D, H);
      else
        node_hessian<2 * kMaxNq>(i, x + L.var(i, 0), sigma, lambda, mui.data(), h, D, H);
      const auto& nz = hess_node_nz[static_cast<size_t>(i)];
      for (std::size_t t = 0; t < hess_local.size(); ++t) values[nz[t]] += H(hess_local[t].first, hess_local[t].second);
    });
    auto add = [&](int r, int c, double v) { values[hess_index.at({std::max(r, c), std::min(r, c)})] += v; };
    // Effort integrands and their gradients (for D and the final time).
    const double p = pb.effort_exponent;
    double J_eff_h = 0.0;  // sum c L_effort (J_eff / h)
    std::vector<double> geff(static_cast<size_t>(L.P * L.B), 0.0);
    for (int i = 0; i < L.P; ++i) {
      const double c = (i == 0 || i == L.N) ? 0.5 : 1.0;
      const double* z = x + L.var(i, 0);
      auto eff = [&](int offset, int count) {
        for (int j = 0; j < count; ++j) {
          const double v = z[offset + j], av = std::abs(v);
          J_eff_h += c * pb.effort_weight * std::pow(av, p);
          geff[static_cast<size_t>(L.var(i, offset + j))] =
              c * pb.effort_weight * p * std::pow(av, p - 1.0) * (v < 0 ? -1.0 : 1.0);
        }
      };
      eff(L.oe, L.nm);
      eff(L.ox, L.na);
    }
    if (pb.effort_divide_by_displacement) {
      const int s0 = L.var(0, L.oq + speed_q), sN = L.var(L.N, L.oq + speed_q);
      for (int i = 0; i < L.P; ++i) {
        auto cross = [&](int offset, int count) {
          for (int j = 0; j < count; ++j) {
            const int v = L.var(i, offset + j);
            const double t = sigma * h * geff[static_cast<size_t>(v)] / (D * D);
            add(sN, v, -t);
            add(s0, v, t);
          }
        };
        cross(L.oe, L.nm);
        cross(L.ox, L.na);
      }
      const double dd = 2.0 * sigma * h * J_eff_h / (D * D * D);
      add(sN, sN, dd);
      add(s0, s0, dd);
      add(sN, s0, -dd);
      if (L.free_tf) {
        const double t = -sigma * J_eff_h / (L.N * D * D);
        add(L.tf_var, sN, t);
        add(L.tf_var, s0, -t);
      }
    }
    if (L.free_tf) {
      const double dh = 1.0 / L.N;
      for (int v = 0; v < L.P * L.B; ++v)
        if (geff[static_cast<size_t>(v)] != 0.0) add(L.tf_var, v, sigma * dh * geff[static_cast<size_t>(v)] / D);
      // Tracking integrands' gradients would couple here too; solve_gait refuses tracking with
      // a free final time.
      for (int i = 0; i < L.N; ++i) {
        const int r0 = L.def_begin + i * per;
        for (int k = 0; k < L.n; ++k) {
          const double lq = lambda[r0 + k], lu = lambda[r0 + L.n + k];
          add(L.tf_var, L.var(i, L.ou + k), -0.5 * dh * lq);
          add(L.tf_var, L.var(i + 1, L.ou + k), -0.5 * dh * lq);
          add(L.tf_var, L.var(i, L.oud + k), -0.5 * dh * lu);
          add(L.tf_var, L.var(i + 1, L.oud + k), -0.5 * dh * lu);
        }
      }
      // -0.5 dh lambda_a (adot_i + adot_{i+1}): the activation rates' gradients.
      for (int i = 0; i < L.P; ++i) {
        const double* z = x + L.var(i, 0);
        for (int m = 0; m < L.nm; ++m) {
          double l = 0.0;
          if (i > 0) l += lambda[L.def_begin + (i - 1) * per + 2 * L.n + m];
          if (i < L.N) l += lambda[L.def_begin + i * per + 2 * L.n + m];
          const Jet2 ad = degroote_activation_rate<Jet2>(Jet2(z[L.oa + m], 0), Jet2(z[L.oe + m], 1), tau_a, tau_d);
          add(L.tf_var, L.var(i, L.oa + m), -0.5 * dh * l * ad.v[0]);
          add(L.tf_var, L.var(i, L.oe + m), -0.5 * dh * l * ad.v[1]);
        }
      }
    }
  }
  double last_track_ = 0.0, last_effort_ = 0.0;
};

std::string coordinate_path(const Model& model, int k) {
  const Coordinate& c = model.coordinates[static_cast<size_t>(k)];
  return "/jointset/" + model.joints[static_cast<size_t>(c.joint)].name + "/" + c.name;
}

// Linear interpolation of column c of `table` at time t (clamped at the ends).
double interpolate(const io::Table& table, int c, double t) {
  const int n = table.rows();
  if (t <= table.time[0]) return table.data(0, c);
  if (t >= table.time[n - 1]) return table.data(n - 1, c);
  const auto it = std::upper_bound(table.time.data(), table.time.data() + n, t);
  const int i1 = static_cast<int>(it - table.time.data()), i0 = i1 - 1;
  const double s = (t - table.time[i0]) / (table.time[i1] - table.time[i0]);
  return (1.0 - s) * table.data(i0, c) + s * table.data(i1, c);
}

}  // namespace

namespace {
GaitSolution solve_or_check(const Model& model, const GaitProblem& pb, DerivativeCheck* check,
                            double* hessian_error = nullptr, GaitEvaluationTimes* timing = nullptr,
                            int repetitions = 1) {
  const auto setup_start = Clock::now();
  GaitSolution sol;
  const MultibodyT mb = make_multibody_t(model);
  if (mb.nu > kMaxNq)
    throw std::invalid_argument(fmt::format("the model has {} independent coordinates; at most {}", mb.nu, kMaxNq));
  // Collocation coordinates are the independent ones (multibody_t.hpp): k -> model index.
  auto mi = [&](int k) { return mb.independent[static_cast<size_t>(k)]; };
  auto reduced_of = [&](int model_index, const std::string& what) {
    const int k = mb.reduced[static_cast<size_t>(model_index)];
    if (k < 0)
      throw std::invalid_argument(what + " acts on the coupled coordinate '" +
                                  model.coordinates[static_cast<size_t>(model_index)].name + "'");
    return k;
  };
  std::vector<ExpressionForceInfo> expression_forces;
  if (mb.contacts.size() > 16) throw std::invalid_argument("more than 16 contact forces");
  // Forces: DeGrooteFregly2016 muscles with rigid tendons, CoordinateActuators, contact.
  std::vector<MuscleInfo> muscles;
  std::vector<ActuatorInfo> actuators;
  std::vector<std::string> control_names;  // ForceSet order
  std::vector<std::pair<int, int>> control_slot;  // (0 muscle / 1 actuator, index)
  double tau_a = -1, tau_d = -1;
  for (const ForceElement& f : model.forces) {
    if (!f.applies_force) continue;
    const std::string where = f.file.empty() ? "" : f.file + ":" + std::to_string(f.line) + ": ";
    if (const auto* p = std::get_if<MuscleParameters>(&f.part)) {
      if (pb.remove_muscles) continue;
      if (p->kind != MuscleKind::DeGrooteFregly2016 || !p->ignore_tendon_compliance)
        throw std::invalid_argument(where + "muscle '" + f.name +
                                    "': femur track/predict take DeGrooteFregly2016 muscles with rigid tendons");
      MuscleInfo m;
      m.name = f.name;
      m.dgf = make_degroote2016(*p);
      m.path = model.paths.path_index(f.name);
      m.lo = p->min_control;
      m.hi = p->max_control;
      if (tau_a < 0) tau_a = p->activation_time_constant, tau_d = p->deactivation_time_constant;
      control_slot.push_back({0, static_cast<int>(muscles.size())});
      control_names.push_back("/forceset/" + f.name);
      muscles.push_back(m);
    } else if (const auto* ca = std::get_if<CoordinateActuator>(&f.part)) {
      ActuatorInfo a;
      a.name = f.name;
      a.coordinate = reduced_of(ca->coordinate, where + "CoordinateActuator '" + f.name + "'");
      a.optimal_force = ca->optimal_force;
      a.lo = std::isfinite(ca->min_control) ? ca->min_control : -1e3;
      a.hi = std::isfinite(ca->max_control) ? ca->max_control : 1e3;
      control_slot.push_back({1, static_cast<int>(actuators.size())});
      control_names.push_back("/forceset/" + f.name);
      actuators.push_back(a);
    } else if (const auto* eb = std::get_if<ExpressionBasedCoordinateForce>(&f.part)) {
      ExpressionForceInfo e;
      e.name = f.name;
      e.coordinate = reduced_of(eb->coordinate, where + "ExpressionBasedCoordinateForce '" + f.name + "'");
      try {
        e.expression = Expression::parse(eb->expression, {"q", "qdot"});
      } catch (const std::invalid_argument& err) {
        throw std::invalid_argument(where + "ExpressionBasedCoordinateForce '" + f.name + "': expression " + err.what());
      }
      expression_forces.push_back(std::move(e));
    } else if (!std::holds_alternative<SmoothSphereHalfSpaceForce>(f.part)) {
      throw std::invalid_argument(where + "model force '" + f.name + "' (" + f.type +
                                  ") cannot be part of femur track/predict yet");
    }
  }
  if (pb.reserves_optimal_force > 0.0) {
    std::vector<char> driven(static_cast<size_t>(mb.nu), 0);
    for (const ActuatorInfo& a : actuators) driven[static_cast<size_t>(a.coordinate)] = 1;
    for (int k = 0; k < mb.nu; ++k) {
      if (driven[static_cast<size_t>(k)]) continue;
      ActuatorInfo a;
      a.name = "reserve_" + model.coordinates[static_cast<size_t>(mi(k))].name;
      a.coordinate = k;
      a.optimal_force = pb.reserves_optimal_force;
      a.lo = -1e3;
      a.hi = 1e3;
      control_slot.push_back({1, static_cast<int>(actuators.size())});
      control_names.push_back("/forceset/" + a.name);
      actuators.push_back(a);
    }
  }
  if (muscles.empty() && actuators.empty()) throw std::invalid_argument("the model has no muscles or actuators");
  Layout L;
  L.n = mb.nu;
  L.nm = static_cast<int>(muscles.size());
  L.na = static_cast<int>(actuators.size());
  L.oq = 0;
  L.ou = L.n;
  L.oa = 2 * L.n;
  L.oe = L.oa + L.nm;
  L.ox = L.oe + L.nm;
  L.oud = L.ox + L.na;
  L.B = L.oud + L.n;
  if (pb.mesh_intervals < 2) throw std::invalid_argument("at least 2 mesh intervals");
  L.N = pb.mesh_intervals;
  L.P = L.N + 1;
  L.free_tf = pb.free_final_time;
  L.nvar = L.P * L.B + (L.free_tf ? 1 : 0);
  if (L.free_tf) L.tf_var = L.P * L.B;
  if (L.free_tf && (!(pb.final_time_lo > pb.initial_time) || !(pb.final_time_hi >= pb.final_time_lo)))
    throw std::invalid_argument("final time bounds must satisfy initial time < lower <= upper");
  if (!L.free_tf && !(pb.final_time > pb.initial_time)) throw std::invalid_argument("final time must exceed initial time");
  if (L.free_tf && (pb.states_reference || pb.grf_reference))
    throw std::invalid_argument("tracking goals need a fixed final time");

  // Bounds per coordinate.
  Eigen::VectorXd qlo(L.n), qhi(L.n);
  for (int k = 0; k < L.n; ++k) {
    qlo[k] = model.coordinates[static_cast<size_t>(mi(k))].range_min;
    qhi[k] = model.coordinates[static_cast<size_t>(mi(k))].range_max;
  }
  for (const auto& [name, b] : pb.coordinate_bounds) {
    const int km = model.coordinate_index(name);
    if (km < 0) throw std::invalid_argument("bounds: the model has no coordinate '" + name + "'");
    const int k = reduced_of(km, "a bound");
    if (!(b.first <= b.second)) throw std::invalid_argument("bounds of '" + name + "': lower exceeds upper");
    qlo[k] = b.first;
    qhi[k] = b.second;
  }
  // Path lengths: the problem's FunctionBasedPaths where given, else surrogates fitted over
  // the bounds widened by a margin; coordinates then renumbered to the collocation's.
  {
    std::vector<int> path_of, fitted;
    sol.surrogates.resize(muscles.size());
    for (std::size_t mm = 0; mm < muscles.size(); ++mm) {
      const auto it = std::find_if(pb.path_functions.begin(), pb.path_functions.end(),
                                   [&](const PathSurrogate& p) { return p.name == muscles[mm].name; });
      if (it != pb.path_functions.end()) {
        sol.surrogates[mm] = *it;
      } else {
        if (muscles[mm].path < 0) throw std::invalid_argument("muscle '" + muscles[mm].name + "' has no path");
        path_of.push_back(muscles[mm].path);
        fitted.push_back(static_cast<int>(mm));
      }
    }
    if (!path_of.empty()) {
      Eigen::VectorXd lo(model.nq), hi(model.nq);
      for (int km = 0; km < model.nq; ++km) {
        lo[km] = model.coordinates[static_cast<size_t>(km)].range_min;
        hi[km] = model.coordinates[static_cast<size_t>(km)].range_max;
      }
      for (int k = 0; k < L.n; ++k) {
        lo[mi(k)] = std::max(qlo[k] - pb.surrogate_margin, lo[mi(k)]);
        hi[mi(k)] = std::min(qhi[k] + pb.surrogate_margin, hi[mi(k)]);
      }
      const std::vector<PathSurrogate> fit = fit_path_surrogates(model, path_of, lo, hi);
      for (std::size_t j = 0; j < fit.size(); ++j) sol.surrogates[static_cast<size_t>(fitted[j])] = fit[j];
    }
    for (PathSurrogate& ps : sol.surrogates)
      for (int& c : ps.coordinates) c = reduced_of(c, "the path of muscle '" + ps.name + "'");
  }

  auto nlp = std::make_unique<GaitNlp>(L, mb, muscles, actuators, sol.surrogates, pb);
  GaitNlp& G = *nlp;
  if (tau_a > 0) G.tau_a = tau_a, G.tau_d = tau_d;
  G.expression_forces = std::move(expression_forces);
  if (pb.grf_dimensions != 2 && pb.grf_dimensions != 3) throw std::invalid_argument("GRF dimensions must be 2 or 3");
  G.gd = pb.grf_dimensions;
  // Constraint layout.
  G.L.res_begin = 0;
  G.L.def_begin = L.P * L.n;
  G.L.pair_begin = G.L.def_begin + L.N * (2 * L.n + L.nm);
  // Variable names (Moco layout) -> node-local offset.
  std::map<std::string, int> offset_of;
  for (int k = 0; k < L.n; ++k) {
    offset_of[coordinate_path(model, mi(k)) + "/value"] = L.oq + k;
    offset_of[coordinate_path(model, mi(k)) + "/speed"] = L.ou + k;
    offset_of[coordinate_path(model, mi(k)) + "/accel"] = L.oud + k;
  }
  for (int mm = 0; mm < L.nm; ++mm) {
    offset_of["/forceset/" + muscles[static_cast<size_t>(mm)].name + "/activation"] = L.oa + mm;
    offset_of["/forceset/" + muscles[static_cast<size_t>(mm)].name] = L.oe + mm;
  }
  for (int j = 0; j < L.na; ++j) offset_of["/forceset/" + actuators[static_cast<size_t>(j)].name] = L.ox + j;
  for (const auto& [a, b] : pb.periodic_pairs) {
    const auto ia = offset_of.find(a), ib = offset_of.find(b);
    if (ia == offset_of.end()) throw std::invalid_argument("periodicity pair: no variable named '" + a + "'");
    if (ib == offset_of.end()) throw std::invalid_argument("periodicity pair: no variable named '" + b + "'");
    G.pairs.push_back({ia->second, ib->second});
  }
  G.L.m = G.L.pair_begin + static_cast<int>(G.pairs.size());
  if (std::isfinite(pb.average_speed) || pb.effort_divide_by_displacement) {
    G.speed_q = model.coordinate_index(pb.speed_coordinate);
    if (G.speed_q < 0) throw std::invalid_argument("average speed: the model has no coordinate '" + pb.speed_coordinate + "'");
    G.speed_q = reduced_of(G.speed_q, "the average speed");
  }
  if (std::isfinite(pb.average_speed)) G.L.speed_row = G.L.m++;
  L = G.L;

  // Node times (for the reference and the guess): the initial final time.
  const double tf0 = L.free_tf ? std::clamp(pb.final_time, pb.final_time_lo, pb.final_time_hi) : pb.final_time;
  Eigen::VectorXd times(L.P);
  for (int i = 0; i < L.P; ++i) times[i] = pb.initial_time + (tf0 - pb.initial_time) * i / L.N;

  // State reference: filtered, quintic splines (values, speeds, accelerations at the nodes).
  Eigen::MatrixXd ref_ud;
  G.tracked.assign(static_cast<size_t>(L.n), 0);
  if (pb.states_reference) {
    const io::Table& R = *pb.states_reference;
    std::vector<int> cols, coords;
    for (int k = 0; k < L.n; ++k) {
      int c = R.column(coordinate_path(model, mi(k)) + "/value");
      if (c < 0) c = R.column(model.coordinates[static_cast<size_t>(mi(k))].name);
      if (c < 0) continue;
      cols.push_back(c);
      coords.push_back(k);
    }
    if (cols.empty()) throw std::invalid_argument("the states reference has no column of a model coordinate");
    if (pb.initial_time < R.time[0] - 1e-9 || pb.final_time > R.time[R.rows() - 1] + 1e-9)
      throw std::invalid_argument(fmt::format("time range [{}, {}] s is not within the states reference's [{}, {}] s",
                                              pb.initial_time, pb.final_time, R.time[0], R.time[R.rows() - 1]));
    Samples s;
    s.time = R.time;
    s.data.resize(R.rows(), static_cast<Eigen::Index>(cols.size()));
    for (std::size_t j = 0; j < cols.size(); ++j) {
      s.data.col(static_cast<Eigen::Index>(j)) = R.data.col(cols[j]);
      const int k = coords[j];
      if (R.in_degrees && model.coordinates[static_cast<size_t>(mi(k))].motion_type == MotionType::Rotational)
        s.data.col(static_cast<Eigen::Index>(j)) *= M_PI / 180.0;
    }
    if (pb.lowpass_hz > 0) s = filter_coordinates(s, pb.lowpass_hz);
    const GcvSplineSet sp = fit_gcv_spline_set(5, s.time, s.data, GcvSmoothing::interpolating());
    G.ref_q = Eigen::MatrixXd::Zero(L.P, L.n);
    G.ref_u = Eigen::MatrixXd::Zero(L.P, L.n);
    ref_ud = Eigen::MatrixXd::Zero(L.P, L.n);
    for (std::size_t j = 0; j < cols.size(); ++j) {
      const int k = coords[j];
      G.tracked[static_cast<size_t>(k)] = 1;
      for (int i = 0; i < L.P; ++i) {
        const FunctionValue v = sp.evaluate(static_cast<Eigen::Index>(j), times[i]);
        G.ref_q(i, k) = v.f;
        G.ref_u(i, k) = v.df;
        ref_ud(i, k) = v.ddf;
      }
    }
  }
  // Tracking weights: the global weight times the per-variable weight (Moco's MocoWeightSet of
  // MocoStateTrackingGoal; 1 when not given).
  G.wq = Eigen::VectorXd::Zero(L.n);
  G.wu = Eigen::VectorXd::Zero(L.n);
  for (const auto& [name, w] : pb.state_weights) {
    const auto it = offset_of.find(name);
    if (it == offset_of.end() || it->second >= 2 * L.n)
      throw std::invalid_argument("state weight: no coordinate value or speed named '" + name + "'");
    if (!(w >= 0.0)) throw std::invalid_argument("state weight of '" + name + "' must be non-negative");
  }
  for (int k = 0; k < L.n; ++k) {
    if (!G.tracked[static_cast<size_t>(k)]) continue;
    const std::string path = coordinate_path(model, mi(k));
    const auto wv = pb.state_weights.find(path + "/value"), ws = pb.state_weights.find(path + "/speed");
    G.wq[k] = pb.states_weight * (wv == pb.state_weights.end() ? 1.0 : wv->second);
    G.wu[k] = pb.states_weight * (ws == pb.state_weights.end() ? 1.0 : ws->second);
  }
  // Contact groups and the GRF reference.
  for (const ContactGroup& grp : pb.grf_groups) {
    std::vector<int> idx;
    for (const std::string& name : grp.forces) {
      int found = -1;
      for (std::size_t c = 0; c < mb.contacts.size(); ++c)
        if (mb.contacts[c].name == name) found = static_cast<int>(c);
      if (found < 0) throw std::invalid_argument("contact group: the model has no SmoothSphereHalfSpaceForce '" + name + "'");
      idx.push_back(found);
    }
    G.group_contacts.push_back(idx);
  }
  const int gd = G.gd;
  G.grf_scale = Eigen::VectorXd::Ones(gd * static_cast<int>(pb.grf_groups.size()));
  if (pb.grf_reference) {
    const io::Table& R = *pb.grf_reference;
    G.ref_grf = Eigen::MatrixXd::Zero(L.P, gd * static_cast<int>(pb.grf_groups.size()));
    for (std::size_t gi = 0; gi < pb.grf_groups.size(); ++gi) {
      for (int dim = 0; dim < gd; ++dim) {
        const std::string label = pb.grf_groups[gi].reference_prefix + (dim == 0 ? "x" : dim == 1 ? "y" : "z");
        const int c = R.column(label);
        if (c < 0) throw std::invalid_argument("the GRF reference has no column '" + label + "'");
        for (int i = 0; i < L.P; ++i) G.ref_grf(i, gd * static_cast<int>(gi) + dim) = interpolate(R, c, times[i]);
        const double peak = R.data.col(c).cwiseAbs().maxCoeff();
        if (pb.grf_normalize && !(peak > 1e-9))
          throw std::invalid_argument("GRF normalization: the reference column '" + label + "' is zero");
        G.grf_scale[gd * static_cast<int>(gi) + dim] = pb.grf_normalize ? 1.0 / peak : 1.0;
      }
    }
  }

  // Bounds.
  G.xlo.resize(L.nvar);
  G.xhi.resize(L.nvar);
  for (int i = 0; i < L.P; ++i) {
    double* lo = G.xlo.data() + L.var(i, 0);
    double* hi = G.xhi.data() + L.var(i, 0);
    for (int k = 0; k < L.n; ++k) {
      lo[L.oq + k] = qlo[k], hi[L.oq + k] = qhi[k];
      lo[L.ou + k] = -pb.speed_bound, hi[L.ou + k] = pb.speed_bound;
      lo[L.oud + k] = -pb.acceleration_bound, hi[L.oud + k] = pb.acceleration_bound;
    }
    for (int mm = 0; mm < L.nm; ++mm) {
      lo[L.oa + mm] = lo[L.oe + mm] = muscles[static_cast<size_t>(mm)].lo;
      hi[L.oa + mm] = hi[L.oe + mm] = muscles[static_cast<size_t>(mm)].hi;
    }
    for (int j = 0; j < L.na; ++j) lo[L.ox + j] = actuators[static_cast<size_t>(j)].lo, hi[L.ox + j] = actuators[static_cast<size_t>(j)].hi;
  }
  if (L.free_tf) G.xlo[L.tf_var] = pb.final_time_lo, G.xhi[L.tf_var] = pb.final_time_hi;

  // Guess: the given trajectory, else the tracked states (MocoTrack's
  // apply_tracked_states_to_guess), else the middle of the bounds; activations 0.1.
  G.guess.resize(L.nvar);
  for (int i = 0; i < L.P; ++i) {
    double* z = G.guess.data() + L.var(i, 0);
    for (int b = 0; b < L.B; ++b) z[b] = 0.0;
    for (int k = 0; k < L.n; ++k) {
      z[L.oq + k] = G.tracked[static_cast<size_t>(k)] ? G.ref_q(i, k) : 0.5 * (qlo[k] + qhi[k]);
      z[L.ou + k] = G.tracked[static_cast<size_t>(k)] ? G.ref_u(i, k) : 0.0;
      z[L.oud + k] = G.tracked[static_cast<size_t>(k)] ? ref_ud(i, k) : 0.0;
    }
    for (int mm = 0; mm < L.nm; ++mm) z[L.oa + mm] = z[L.oe + mm] = std::max(0.1, muscles[static_cast<size_t>(mm)].lo);
  }
  if (pb.guess) {
    const io::Table& Gt = *pb.guess;
    if (Gt.rows() < 2) throw std::invalid_argument("the guess has fewer than 2 rows");
    // Scaled in time onto [t0, tf0].
    const double g0 = Gt.time[0], g1 = Gt.time[Gt.rows() - 1];
    for (const auto& [name, off] : offset_of) {
      const int c = Gt.column(name);
      if (c < 0 || Gt.labels[static_cast<size_t>(c)] != name) continue;
      for (int r = 0; r < Gt.rows(); ++r)
        if (!std::isfinite(Gt.data(r, c)))
          throw std::invalid_argument(fmt::format("guess column '{}' is not finite at t = {} s", name, Gt.time[r]));
      for (int i = 0; i < L.P; ++i) {
        const double t = g0 + (g1 - g0) * i / L.N;
        const double v = interpolate(Gt, c, t);
        const int var = L.var(i, off);
        if (v < G.xlo[var] - 1e-9 || v > G.xhi[var] + 1e-9)
          throw std::invalid_argument(fmt::format("guess column '{}' = {} at t = {} s is outside its bounds [{}, {}]",
                                                  name, v, t, G.xlo[var], G.xhi[var]));
        G.guess[var] = v;
      }
    }
    if (L.free_tf) G.guess[L.tf_var] = std::clamp(g1 - g0 + pb.initial_time, pb.final_time_lo, pb.final_time_hi);
  } else if (L.free_tf) {
    G.guess[L.tf_var] = tf0;
  }
  for (int v = 0; v < L.nvar; ++v) G.guess[v] = std::clamp(G.guess[v], G.xlo[v], G.xhi[v]);

  std::vector<int> jr, jc;
  G.jacobian_structure(jr, jc);
  sol.nodes = L.P;
  sol.variables = L.nvar;
  sol.constraints = L.m;
  sol.jacobian_nonzeros = static_cast<int>(jr.size());
  sol.seconds_setup = std::chrono::duration<double>(Clock::now() - setup_start).count();

  if (timing) {
    Eigen::VectorXd lambda(L.m), grad(L.nvar), g(L.m), jac(static_cast<Eigen::Index>(jr.size()));
    for (int r = 0; r < L.m; ++r) lambda[r] = std::sin(1.3 * r + 0.7) * (1.0 + (r % 7));
    std::vector<int> hr, hc;
    G.hessian_structure(hr, hc);
    Eigen::VectorXd hv(static_cast<Eigen::Index>(hr.size()));
    double f = 0.0;
    // Process CPU time (all threads): on a shared machine the wall time measures the load.
    auto cpu = [] {
      timespec ts{};
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
      return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
    };
    auto best = [&](auto&& fn) {
      double t = std::numeric_limits<double>::infinity();
      for (int r = 0; r < std::max(1, repetitions); ++r) {
        const double t0 = cpu();
        fn();
        t = std::min(t, cpu() - t0);
      }
      return t;
    };
    timing->values = best([&] { G.evaluate_values(G.guess.data(), f, g.data()); });
    timing->derivatives = best([&] { G.evaluate(G.guess.data(), f, grad.data(), g.data(), jac.data()); });
    timing->hessian = best([&] { G.hessian(G.guess.data(), 0.7, lambda.data(), hv.data()); });
    return sol;
  }
  if (hessian_error) {
    // Multipliers of both signs and varied sizes (deterministic), sigma not 1.
    Eigen::VectorXd lambda(L.m);
    for (int r = 0; r < L.m; ++r) lambda[r] = std::sin(1.3 * r + 0.7) * (1.0 + (r % 7));
    *hessian_error = check_hessian(G, G.guess, 0.7, lambda, 1e-6);
    return sol;
  }
  if (check) {
    *check = check_derivatives(G, G.guess);
    // The values-only path must give the same f and g as the full evaluation.
    double f_full = 0.0, f_values = 0.0;
    Eigen::VectorXd grad(L.nvar), g_full(L.m), g_values(L.m), jac(static_cast<Eigen::Index>(jr.size()));
    G.evaluate(G.guess.data(), f_full, grad.data(), g_full.data(), jac.data());
    G.evaluate_values(G.guess.data(), f_values, g_values.data());
    const double scale = 1.0 + g_full.cwiseAbs().maxCoeff();
    if (std::abs(f_full - f_values) > 1e-10 * (1.0 + std::abs(f_full)) || (g_full - g_values).cwiseAbs().maxCoeff() > 1e-10 * scale)
      throw std::logic_error(fmt::format("values-only evaluation differs: f {} vs {}, g by {}", f_full, f_values,
                                         (g_full - g_values).cwiseAbs().maxCoeff()));
    return sol;
  }
  NlpSolverOptions solver = pb.solver;
  if (solver.mumps_pivot_order < 0) solver.mumps_pivot_order = 3;              // SCOTCH
  if (solver.mumps_permuting_scaling < 0) solver.mumps_permuting_scaling = 0;  // none
  sol.nlp = solve_nlp(G, solver);
  sol.success = sol.nlp.status == NlpStatus::Solved;
  const Eigen::VectorXd& x = sol.nlp.x;
  if (x.size() != L.nvar) return sol;

  // Evaluate at the last iterate for the report (objective parts, GRF, worst constraint).
  {
    double f = 0.0;
    Eigen::VectorXd grad(L.nvar), g(L.m), jac(static_cast<Eigen::Index>(jr.size()));
    G.evaluate(x.data(), f, grad.data(), g.data(), jac.data());
    double track = 0.0, grf = 0.0;
    const double h = G.h_of(x.data());
    for (int i = 0; i < L.P; ++i) {
      const double c = (i == 0 || i == L.N) ? 0.5 : 1.0;
      track += c * h * G.nodes[static_cast<size_t>(i)].L_track;
      grf += c * h * G.nodes[static_cast<size_t>(i)].L_grf;
    }
    sol.objective_states = track;
    sol.objective_grf = grf;
    sol.objective_effort = G.last_effort_;
    int worst = -1;
    for (int r = 0; r < L.m; ++r)
      if (std::abs(g[r]) > sol.worst_violation) sol.worst_violation = std::abs(g[r]), worst = r;
    const double tf = L.free_tf ? x[L.tf_var] : pb.final_time;
    auto t_of = [&](int i) { return pb.initial_time + (tf - pb.initial_time) * i / L.N; };
    if (worst >= 0) {
      if (worst < L.def_begin) {
        const int i = worst / L.n, k = worst % L.n;
        sol.worst_constraint = fmt::format("ID residual of {} at t = {:.4f} s", model.coordinates[static_cast<size_t>(mi(k))].name, t_of(i));
      } else if (worst < L.pair_begin) {
        const int per = 2 * L.n + L.nm, i = (worst - L.def_begin) / per, k = (worst - L.def_begin) % per;
        const std::string what = k < L.n ? model.coordinates[static_cast<size_t>(mi(k))].name + " value"
                                 : k < 2 * L.n ? model.coordinates[static_cast<size_t>(mi(k - L.n))].name + " speed"
                                               : muscles[static_cast<size_t>(k - 2 * L.n)].name + " activation";
        sol.worst_constraint = fmt::format("collocation defect of {} on [{:.4f}, {:.4f}] s", what, t_of(i), t_of(i + 1));
      } else if (worst == L.speed_row) {
        sol.worst_constraint = "average speed";
      } else {
        const auto& pr = pb.periodic_pairs[static_cast<size_t>(worst - L.pair_begin)];
        sol.worst_constraint = "periodicity of " + pr.first + " (initial) with " + pr.second + " (final)";
      }
    }
    // Re-simulation: q, u, a integrated forward (RK4, 50 steps per mesh interval) from the
    // solution's first node under its controls (linear between nodes); drift at the nodes.
    {
      const int steps = 50;
      const int ns = 2 * L.n + L.nm;
      NodeEval scratch = G.nodes[0];
      Eigen::VectorXd zbuf(L.B), z(L.B);
      Eigen::VectorXd y(ns), k1(ns), k2(ns), k3(ns), k4(ns), yt(ns);
      auto pack = [&](const double* zn, Eigen::VectorXd& out) {
        for (int k = 0; k < L.n; ++k) out[k] = zn[L.oq + k], out[L.n + k] = zn[L.ou + k];
        for (int m = 0; m < L.nm; ++m) out[2 * L.n + m] = zn[L.oa + m];
      };
      auto rate = [&](double s_frac, int i, const Eigen::VectorXd& yy, Eigen::VectorXd& dy) {
        // controls at fraction s_frac of interval i
        const double* z0 = x.data() + L.var(i, 0);
        const double* z1 = x.data() + L.var(std::min(i + 1, L.N), 0);
        for (int b = 0; b < L.B; ++b) z[b] = (1.0 - s_frac) * z0[b] + s_frac * z1[b];
        for (int k = 0; k < L.n; ++k) z[L.oq + k] = yy[k], z[L.ou + k] = yy[L.n + k];
        for (int m = 0; m < L.nm; ++m) z[L.oa + m] = yy[2 * L.n + m];
        std::array<double, kMaxNq> ud{};
        std::vector<double> ad(static_cast<size_t>(L.nm));
        G.forward(z.data(), ud.data(), ad.data(), scratch, zbuf);
        for (int k = 0; k < L.n; ++k) dy[k] = yy[L.n + k], dy[L.n + k] = ud[static_cast<size_t>(k)];
        for (int m = 0; m < L.nm; ++m) dy[2 * L.n + m] = ad[static_cast<size_t>(m)];
      };
      pack(x.data(), y);
      const double h = G.h_of(x.data()), dt = h / steps;
      for (int i = 0; i < L.N && y.allFinite(); ++i) {
        for (int s_ = 0; s_ < steps; ++s_) {
          const double f0 = static_cast<double>(s_) / steps, fh = (s_ + 0.5) / steps, f1 = (s_ + 1.0) / steps;
          rate(f0, i, y, k1);
          yt = y + 0.5 * dt * k1;
          rate(fh, i, yt, k2);
          yt = y + 0.5 * dt * k2;
          rate(fh, i, yt, k3);
          yt = y + dt * k3;
          rate(f1, i, yt, k4);
          y += dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
        }
        Eigen::VectorXd col(ns);
        pack(x.data() + L.var(i + 1, 0), col);
        for (int k = 0; k < L.n; ++k) {
          const double d = std::abs(y[k] - col[k]);
          if (model.coordinates[static_cast<size_t>(mi(k))].motion_type == MotionType::Rotational)
            sol.resimulation_angle_drift_deg = std::max(sol.resimulation_angle_drift_deg, d * 180.0 / M_PI);
          else
            sol.resimulation_translation_drift = std::max(sol.resimulation_translation_drift, d);
        }
        if (sol.resimulation_angle_drift_deg > 5.0 && sol.resimulation_time_to_5deg < 0)
          sol.resimulation_time_to_5deg = t_of(i + 1) - t_of(0);
      }
      if (!y.allFinite()) sol.resimulation_angle_drift_deg = sol.resimulation_translation_drift = std::nan("");
    }
    // Trajectory in Moco's layout.
    io::Table& T = sol.trajectory;
    for (int k = 0; k < L.n; ++k) {
      T.labels.push_back(coordinate_path(model, mi(k)) + "/value");
      T.labels.push_back(coordinate_path(model, mi(k)) + "/speed");
    }
    for (const MuscleInfo& m : muscles) T.labels.push_back("/forceset/" + m.name + "/activation");
    for (const std::string& c : control_names) T.labels.push_back(c);
    for (int k = 0; k < L.n; ++k) T.labels.push_back(coordinate_path(model, mi(k)) + "/accel");
    T.time.resize(L.P);
    T.data.resize(L.P, static_cast<Eigen::Index>(T.labels.size()));
    for (int i = 0; i < L.P; ++i) {
      const double* z = x.data() + L.var(i, 0);
      T.time[i] = t_of(i);
      int c = 0;
      for (int k = 0; k < L.n; ++k) T.data(i, c++) = z[L.oq + k], T.data(i, c++) = z[L.ou + k];
      for (int mm = 0; mm < L.nm; ++mm) T.data(i, c++) = z[L.oa + mm];
      for (const auto& [kind, idx] : control_slot) T.data(i, c++) = kind == 0 ? z[L.oe + idx] : z[L.ox + idx];
      for (int k = 0; k < L.n; ++k) T.data(i, c++) = z[L.oud + k];
    }
    T.name = "femur_solution";
    T.metadata["num_states"] = std::to_string(2 * L.n + L.nm);
    T.metadata["num_controls"] = std::to_string(control_names.size());
    T.metadata["num_derivatives"] = std::to_string(L.n);
    T.metadata["num_multipliers"] = "0";
    T.metadata["num_parameters"] = "0";
    T.metadata["num_slacks"] = "0";
    T.metadata["objective"] = fmt::format("{}", sol.nlp.objective);
    T.metadata["status"] = sol.nlp.message;
    T.metadata["success"] = sol.success ? "true" : "false";
    T.metadata["inDegrees"] = "no";
    // GRF per node: the force on each group's foot, labelled as the reference's columns.
    io::Table& R = sol.grf;
    for (std::size_t gi = 0; gi < pb.grf_groups.size(); ++gi)
      for (const char* a : {"x", "y", "z"}) R.labels.push_back(pb.grf_groups[gi].reference_prefix + a);
    R.time = T.time;
    R.data.resize(L.P, static_cast<Eigen::Index>(R.labels.size()));
    for (int i = 0; i < L.P; ++i)
      for (std::size_t gi = 0; gi < pb.grf_groups.size(); ++gi)
        for (int dim = 0; dim < 3; ++dim) R.data(i, static_cast<Eigen::Index>(3 * gi + static_cast<size_t>(dim))) = G.nodes[static_cast<size_t>(i)].grf(static_cast<Eigen::Index>(gi), dim);
    R.name = "femur_grf";
    R.metadata["inDegrees"] = "no";
  }
  return sol;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> gait_symmetry_pairs(const Model& model) {
  std::vector<std::pair<std::string, std::string>> pairs;
  auto ends = [](const std::string& s, const std::string& e) {
    return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
  };
  auto swap_side = [](std::string s) {
    const char c = s.back();
    s.back() = c == 'r' ? 'l' : 'r';
    return s;
  };
  std::vector<char> coupled(static_cast<size_t>(model.nq), 0);
  for (const CouplerConstraint& cc : model.couplers) coupled[static_cast<size_t>(cc.dependent)] = 1;
  for (int k = 0; k < model.nq; ++k) {
    const Coordinate& c = model.coordinates[static_cast<size_t>(k)];
    const std::string path = coordinate_path(model, k);
    if (coupled[static_cast<size_t>(k)]) continue;  // follows its independent coordinate
    if (ends(c.name, "_r") || ends(c.name, "_l")) {
      const Joint& j = model.joints[static_cast<size_t>(c.joint)];
      // The partner's path: its joint is the one moving the partner coordinate.
      const int partner = model.coordinate_index(swap_side(c.name));
      if (partner < 0) continue;
      const std::string other = coordinate_path(model, partner);
      (void)j;
      pairs.push_back({path + "/value", other + "/value"});
      pairs.push_back({path + "/speed", other + "/speed"});
    } else if (!ends(c.name, "_tx")) {
      pairs.push_back({path + "/value", path + "/value"});
      pairs.push_back({path + "/speed", path + "/speed"});
    } else {
      pairs.push_back({path + "/speed", path + "/speed"});
    }
  }
  for (const ForceElement& f : model.forces) {
    if (!f.applies_force) continue;
    if (std::holds_alternative<CoordinateActuator>(f.part)) pairs.push_back({"/forceset/" + f.name, "/forceset/" + f.name});
    if (std::holds_alternative<MuscleParameters>(f.part) && (ends(f.name, "_r") || ends(f.name, "_l"))) {
      std::string other = f.name;
      other.back() = other.back() == 'r' ? 'l' : 'r';
      pairs.push_back({"/forceset/" + f.name + "/activation", "/forceset/" + other + "/activation"});
    }
  }
  return pairs;
}

std::vector<std::pair<std::string, std::string>> gait_periodicity_pairs(const Model& model) {
  std::vector<std::pair<std::string, std::string>> pairs;
  auto ends = [](const std::string& s, const std::string& e) {
    return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
  };
  std::vector<char> coupled(static_cast<size_t>(model.nq), 0);
  for (const CouplerConstraint& c : model.couplers) coupled[static_cast<size_t>(c.dependent)] = 1;
  for (int k = 0; k < model.nq; ++k) {
    if (coupled[static_cast<size_t>(k)]) continue;
    const std::string path = coordinate_path(model, k);
    if (!ends(model.coordinates[static_cast<size_t>(k)].name, "_tx")) pairs.push_back({path + "/value", path + "/value"});
    pairs.push_back({path + "/speed", path + "/speed"});
  }
  for (const ForceElement& f : model.forces) {
    if (!f.applies_force) continue;
    if (std::holds_alternative<MuscleParameters>(f.part)) {
      pairs.push_back({"/forceset/" + f.name + "/activation", "/forceset/" + f.name + "/activation"});
      pairs.push_back({"/forceset/" + f.name, "/forceset/" + f.name});
    }
    if (std::holds_alternative<CoordinateActuator>(f.part)) pairs.push_back({"/forceset/" + f.name, "/forceset/" + f.name});
  }
  return pairs;
}

GaitComparison compare_gait(const Model& model, const GaitSolution& solution, const io::Table& coordinates,
                            const io::Table* grf, const std::vector<ContactGroup>& groups) {
  GaitComparison out;
  const io::Table& T = solution.trajectory;
  double sum = 0.0;
  int count = 0;
  for (int k = 0; k < model.nq; ++k) {
    const Coordinate& c = model.coordinates[static_cast<size_t>(k)];
    if (c.motion_type != MotionType::Rotational) continue;
    const int cs = T.column(coordinate_path(model, k) + "/value");
    int cr = coordinates.column(coordinate_path(model, k) + "/value");
    if (cr < 0) cr = coordinates.column(c.name);
    if (cs < 0 || cr < 0) continue;
    const double scale = coordinates.in_degrees ? M_PI / 180.0 : 1.0;
    for (int i = 0; i < T.rows(); ++i) {
      const double d = T.data(i, cs) - scale * interpolate(coordinates, cr, T.time[i]);
      sum += d * d;
      ++count;
    }
  }
  out.joint_angle_rms_deg = count > 0 ? std::sqrt(sum / count) * 180.0 / M_PI : 0.0;
  if (grf) {
    const io::Table& S = solution.grf;
    for (const ContactGroup& g : groups) {
      const int sx = S.column(g.reference_prefix + "x"), sy = S.column(g.reference_prefix + "y");
      const int sz = S.column(g.reference_prefix + "z");
      const int rx = grf->column(g.reference_prefix + "x"), ry = grf->column(g.reference_prefix + "y");
      const int rz = grf->column(g.reference_prefix + "z");
      double ex = 0.0, ey = 0.0, ez = 0.0, peak = 0.0, peak_ref = 0.0;
      for (int i = 0; i < S.rows(); ++i) {
        const double dx = S.data(i, sx) - (rx >= 0 ? interpolate(*grf, rx, S.time[i]) : 0.0);
        const double dy = S.data(i, sy) - (ry >= 0 ? interpolate(*grf, ry, S.time[i]) : 0.0);
        const double dz = sz >= 0 ? S.data(i, sz) - (rz >= 0 ? interpolate(*grf, rz, S.time[i]) : 0.0) : 0.0;
        ex += dx * dx;
        ey += dy * dy;
        ez += dz * dz;
        peak = std::max(peak, S.data(i, sy));
      }
      if (ry >= 0) peak_ref = grf->data.col(ry).maxCoeff();
      out.grf_rms_x.push_back(std::sqrt(ex / std::max(1, S.rows())));
      out.grf_rms_y.push_back(std::sqrt(ey / std::max(1, S.rows())));
      out.grf_rms_z.push_back(std::sqrt(ez / std::max(1, S.rows())));
      out.grf_peak_y.push_back(peak);
      out.grf_peak_y_reference.push_back(peak_ref);
    }
  }
  return out;
}

WalkCheck check_walking(const Eigen::VectorXd& first, const Eigen::VectorXd& second, double body_weight) {
  WalkCheck w;
  const Eigen::VectorXd a = first / body_weight, b = second / body_weight;
  w.min_right = a.minCoeff();
  w.max_right = a.maxCoeff();
  w.min_left = b.minCoeff();
  w.max_left = b.maxCoeff();
  // The full cycle of the first foot: its half cycle, then the second foot's (the symmetry). By
  // the symmetry the second foot's full cycle is the same curve shifted by half a cycle, so one
  // curve judges both feet, whichever phase the half cycle starts at. Its last point repeats the
  // first (the next cycle): the cycle is c[0 .. 2N-1], rotated to start at its minimum so that
  // no stance is split at the ends.
  const Eigen::Index N2 = a.size() + b.size() - 2;
  Eigen::VectorXd full(N2 + 1);
  full << a, b.tail(b.size() - 1);
  Eigen::Index lowest = 0;
  full.head(N2).minCoeff(&lowest);
  Eigen::VectorXd c(N2 + 1);
  for (Eigen::Index k = 0; k <= N2; ++k) c[k] = full[(lowest + k) % N2];
  // Local maxima above 0.6 BW, merged unless a valley at least 0.05 BW below the lower one
  // separates them.
  std::vector<int> peaks;
  for (Eigen::Index i = 1; i + 1 < c.size(); ++i)
    if (c[i] >= c[i - 1] && c[i] > c[i + 1] && c[i] > 0.6) {
      if (!peaks.empty()) {
        const int j = peaks.back();
        const double valley = c.segment(j, i - j + 1).minCoeff();
        if (valley > std::min(c[j], c[i]) - 0.05) {
          if (c[i] > c[j]) peaks.back() = static_cast<int>(i);
          continue;
        }
      }
      peaks.push_back(static_cast<int>(i));
    }
  w.peaks = static_cast<int>(peaks.size());
  if (peaks.size() >= 2) {
    w.peak_first = c[peaks[0]];
    w.peak_second = c[peaks[1]];
    w.valley = c.segment(peaks[0], peaks[1] - peaks[0] + 1).minCoeff();
  }
  if (c.maxCoeff() < 0.6)
    w.reason = "a foot never loads above 0.6 body weights";
  else if (c.minCoeff() > 0.05)
    w.reason = "a foot never unloads below 0.05 body weights (no swing)";
  else if (w.peaks != 2)
    w.reason = fmt::format("the vertical GRF of a stance has {} peaks above 0.6 body weights, not 2", w.peaks);
  w.walks = w.reason.empty();
  return w;
}

GaitSolution solve_gait(const Model& model, const GaitProblem& problem) { return solve_or_check(model, problem, nullptr); }

DerivativeCheck check_gait_derivatives(const Model& model, const GaitProblem& problem) {
  DerivativeCheck check;
  solve_or_check(model, problem, &check);
  return check;
}

double check_gait_hessian(const Model& model, const GaitProblem& problem) {
  double error = 0.0;
  solve_or_check(model, problem, nullptr, &error);
  return error;
}

GaitEvaluationTimes time_gait_evaluations(const Model& model, const GaitProblem& problem, int repetitions) {
  GaitEvaluationTimes times;
  solve_or_check(model, problem, nullptr, nullptr, &times, repetitions);
  return times;
}

}  // namespace femur::ocp
