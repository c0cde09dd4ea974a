// MocoInverse by direct collocation (see muscle_inverse.hpp for the problem).
//
//   solve_muscle_inverse
//     prescribe            filter, spline, couplers; per node q, qdot, qddot
//     inverse dynamics     RNEA with gravity and external loads, projected on the free roots
//     paths                lengths, lengthening speeds, moment arms per node
//     InverseNlp           variables per node [a | fT | e | x | dfT]; constraints per node
//                          [tendon equilibrium | ID residual], then the collocation defects,
//                          then a(t0) = e(t0); Jacobian values in one pass over dual numbers
//     solve_nlp            IPOPT, L-BFGS Hessian
//     trajectory           Moco's solution layout
#include "femur/ocp/muscle_inverse.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <stdexcept>
#include <tuple>
#include <variant>

#include <fmt/format.h>

#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/couplers.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/math/filter.hpp"
#include "femur/math/gcv_spline.hpp"
#include "femur/model/data.hpp"
#include "femur/muscle/degroote2016.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/ocp/degroote_t.hpp"
#include "femur/ocp/jet.hpp"
#include "femur/tools/inverse_dynamics.hpp"

namespace femur::ocp {

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kInf = std::numeric_limits<double>::infinity();


struct InverseMuscle {
  std::string name;
  DeGrooteFregly2016 dgf;
  int path = -1;
  bool compliant = false;
  int compliant_index = -1;
  double lo = 0.0, hi = 1.0;            // excitation and activation bounds
  std::vector<int> rows;                // ID rows the muscle spans (structural)
};

struct InverseActuator {
  std::string name;
  int row = -1;
  double optimal_force = 1.0, lo = -kInf, hi = kInf, weight = 1.0;
};

// What the prescribed motion gives at each node, in double.
struct Nodes {
  Eigen::VectorXd time;
  Eigen::MatrixXd q, qdot;      // nodes x nq (for the output)
  Eigen::MatrixXd b;            // nodes x rows: generalized forces the motion needs
  Eigen::MatrixXd length, speed;  // nodes x muscles
  std::vector<Eigen::MatrixXd> moment_arm;  // per node: muscles x rows
};

using Jet3 = ceres::Jet<double, 3>;
using Jet2 = ceres::Jet<double, 2>;
using Jet1 = ceres::Jet<double, 1>;
using Hyper3 = ceres::Jet<Jet3, 3>;  // second derivatives
using Hyper2 = ceres::Jet<Jet2, 2>;

class InverseNlp : public SparseNlp {
 public:
  InverseNlp(const Nodes& nodes, std::vector<InverseMuscle> muscles, std::vector<InverseActuator> actuators,
             std::vector<std::string> row_names, Transcription transcription, double aux_weight, double tau_a,
             double tau_d, double activation_weight)
      : nodes_(nodes),
        muscles_(std::move(muscles)),
        actuators_(std::move(actuators)),
        row_names_(std::move(row_names)),
        hs_(transcription == Transcription::HermiteSimpson),
        aux_weight_(aux_weight),
        tau_a_(tau_a),
        tau_d_(tau_d),
        act_weight_(activation_weight) {
    nm_ = static_cast<int>(muscles_.size());
    for (const InverseMuscle& m : muscles_) nc_ += m.compliant ? 1 : 0;
    nx_ = static_cast<int>(actuators_.size());
    nrow_ = static_cast<int>(row_names_.size());
    npts_ = static_cast<int>(nodes_.time.size());
    blk_ = 2 * nm_ + nx_ + 2 * nc_;
    ns_ = nm_ + nc_;
    nint_ = hs_ ? (npts_ - 1) / 2 : npts_ - 1;
    pc_ = nc_ + nrow_;
    defect_begin_ = npts_ * pc_;
    initial_begin_ = defect_begin_ + nint_ * ns_ * (hs_ ? 2 : 1);
    m_ = initial_begin_ + nm_;
    for (int r = 0; r < nrow_; ++r) {
      actuators_on_row_.emplace_back();
      for (int j = 0; j < nx_; ++j)
        if (actuators_[static_cast<size_t>(j)].row == r) actuators_on_row_.back().push_back(j);
    }
    // Quadrature weights (trapezoidal, or Simpson over each interval's three points).
    weight_ = Eigen::VectorXd::Zero(npts_);
    if (hs_) {
      for (int i = 0; i < nint_; ++i) {
        const double h = nodes_.time[2 * i + 2] - nodes_.time[2 * i];
        weight_[2 * i] += h / 6.0;
        weight_[2 * i + 1] += 4.0 * h / 6.0;
        weight_[2 * i + 2] += h / 6.0;
      }
    } else {
      for (int i = 0; i < nint_; ++i) {
        const double h = nodes_.time[i + 1] - nodes_.time[i];
        weight_[i] += h / 2.0;
        weight_[i + 1] += h / 2.0;
      }
    }
    adot_.resize(npts_, nm_);
    adot_a_.resize(npts_, nm_);
    adot_e_.resize(npts_, nm_);
    guess_ = Eigen::VectorXd::Zero(num_variables());
  }

  // Column offsets within a node's block.
  int col_a(int j, int m) const { return j * blk_ + m; }
  int col_f(int j, int c) const { return j * blk_ + nm_ + c; }
  int col_e(int j, int m) const { return j * blk_ + nm_ + nc_ + m; }
  int col_x(int j, int k) const { return j * blk_ + 2 * nm_ + nc_ + k; }
  int col_d(int j, int c) const { return j * blk_ + 2 * nm_ + nc_ + nx_ + c; }

  int num_variables() const override { return npts_ * blk_; }
  int num_constraints() const override { return m_; }
  int nodes() const { return npts_; }
  int muscles() const { return nm_; }
  int compliant() const { return nc_; }
  int actuators() const { return nx_; }
  const std::vector<InverseMuscle>& muscle_list() const { return muscles_; }
  const std::vector<InverseActuator>& actuator_list() const { return actuators_; }
  Eigen::VectorXd& guess() { return guess_; }

  void variable_bounds(Eigen::VectorXd& lo, Eigen::VectorXd& hi) const {
    lo.resize(num_variables());
    hi.resize(num_variables());
    for (int j = 0; j < npts_; ++j) {
      for (int m = 0; m < nm_; ++m) {
        const InverseMuscle& mu = muscles_[static_cast<size_t>(m)];
        lo[col_a(j, m)] = mu.lo, hi[col_a(j, m)] = mu.hi;
        lo[col_e(j, m)] = mu.lo, hi[col_e(j, m)] = mu.hi;
      }
      for (int c = 0; c < nc_; ++c) {
        lo[col_f(j, c)] = degroote::min_norm_tendon_force, hi[col_f(j, c)] = degroote::max_norm_tendon_force;
        lo[col_d(j, c)] = -1000.0, hi[col_d(j, c)] = 1000.0;  // implicit_auxiliary_derivative_bounds
      }
      for (int k = 0; k < nx_; ++k) {
        lo[col_x(j, k)] = actuators_[static_cast<size_t>(k)].lo;
        hi[col_x(j, k)] = actuators_[static_cast<size_t>(k)].hi;
      }
    }
  }

  void bounds(double* x_lo, double* x_hi, double* g_lo, double* g_hi) const override {
    Eigen::VectorXd lo, hi;
    variable_bounds(lo, hi);
    for (int i = 0; i < num_variables(); ++i) {
      x_lo[i] = std::isfinite(lo[i]) ? lo[i] : -2e19;
      x_hi[i] = std::isfinite(hi[i]) ? hi[i] : 2e19;
    }
    for (int i = 0; i < m_; ++i) g_lo[i] = g_hi[i] = 0.0;
  }

  void initial_guess(double* x) const override {
    for (int i = 0; i < num_variables(); ++i) x[i] = guess_[i];
  }

  void jacobian_structure(std::vector<int>& rows, std::vector<int>& cols) const override {
    rows.clear();
    cols.clear();
    std::vector<double> g(static_cast<size_t>(m_));
    const_cast<InverseNlp*>(this)->assemble(guess_.data(), g.data(), [&](int r, int c, double) {
      rows.push_back(r);
      cols.push_back(c);
    });
  }

  void evaluate(const double* x, double& f, double* gradient, double* g, double* jacobian) override {
    // Objective: sum_j w_j (sum e^2 + sum w_x x^2 + w_aux sum dfT^2).
    f = 0.0;
    std::fill(gradient, gradient + num_variables(), 0.0);
    for (int j = 0; j < npts_; ++j) {
      const double w = weight_[j];
      for (int m = 0; m < nm_; ++m) {
        const double e = x[col_e(j, m)], a = x[col_a(j, m)];
        f += w * e * e + w * act_weight_ * a * a;
        gradient[col_e(j, m)] = 2.0 * w * e;
        gradient[col_a(j, m)] = 2.0 * w * act_weight_ * a;
      }
      for (int k = 0; k < nx_; ++k) {
        const double v = x[col_x(j, k)], wk = actuators_[static_cast<size_t>(k)].weight;
        f += w * wk * v * v;
        gradient[col_x(j, k)] = 2.0 * w * wk * v;
      }
      for (int c = 0; c < nc_; ++c) {
        const double d = x[col_d(j, c)];
        f += w * aux_weight_ * d * d;
        gradient[col_d(j, c)] = 2.0 * w * aux_weight_ * d;
      }
    }
    std::size_t k = 0;
    assemble(x, g, [&](int, int, double v) { jacobian[k++] = v; });
  }

  bool has_hessian() const override { return true; }
  void hessian_structure(std::vector<int>& rows, std::vector<int>& cols) const override {
    rows.clear();
    cols.clear();
    std::vector<double> lambda(static_cast<size_t>(m_), 0.0);
    const_cast<InverseNlp*>(this)->assemble_hessian(guess_.data(), 0.0, lambda.data(), [&](int r, int c, double) {
      rows.push_back(r);
      cols.push_back(c);
    });
  }
  void hessian(const double* x, double sigma, const double* lambda, double* values) override {
    std::size_t k = 0;
    assemble_hessian(x, sigma, lambda, [&](int, int, double v) { values[k++] = v; });
  }

  // The Hessian of sigma f + lambda' g, lower triangle, through emit(row, column, value). The
  // constraints are linear but for the tendon equilibrium (in a, fT, dfT at one node) and the
  // activation dynamics inside the defects (in a, e at one node): per node and muscle a block
  // over (a, fT, dfT, e), from second-order dual numbers.
  template <class Emit>
  void assemble_hessian(const double* x, double sigma, const double* lambda, Emit&& emit) {
    // mu(j, m): the multiplier weight of adot(a_j, e_j) summed over the defect rows using it.
    mu_.setZero(npts_, nm_);
    for (int i = 0; i < nint_; ++i) {
      if (!hs_) {
        const double h = nodes_.time[i + 1] - nodes_.time[i];
        for (int m = 0; m < nm_; ++m) {
          const double l = lambda[defect_begin_ + i * ns_ + m];
          mu_(i, m) += -0.5 * h * l;
          mu_(i + 1, m) += -0.5 * h * l;
        }
      } else {
        const int j0 = 2 * i, jm = 2 * i + 1, j1 = 2 * i + 2;
        const double h = nodes_.time[j1] - nodes_.time[j0];
        for (int m = 0; m < nm_; ++m) {
          const double ls = lambda[defect_begin_ + i * 2 * ns_ + m];
          const double li = lambda[defect_begin_ + i * 2 * ns_ + ns_ + m];
          mu_(j0, m) += -h / 6.0 * ls - h / 8.0 * li;
          mu_(jm, m) += -4.0 * h / 6.0 * ls;
          mu_(j1, m) += -h / 6.0 * ls + h / 8.0 * li;
        }
      }
    }
    for (int j = 0; j < npts_; ++j) {
      const double w2 = 2.0 * sigma * weight_[j];
      for (int m = 0; m < nm_; ++m) {
        const InverseMuscle& mu = muscles_[static_cast<size_t>(m)];
        const Hyper2 a2 = second_order_variable<2>(x[col_a(j, m)], 0), e2 = second_order_variable<2>(x[col_e(j, m)], 1);
        const Hyper2 ad = degroote_activation_rate(a2, e2, tau_a_, tau_d_);
        const double u = mu_(j, m);
        if (mu.compliant) {
          const int c = mu.compliant_index;
          const double l = lambda[j * pc_ + c];
          const Hyper3 a = second_order_variable<3>(x[col_a(j, m)], 0), fT = second_order_variable<3>(x[col_f(j, c)], 1),
                       dF = second_order_variable<3>(x[col_d(j, c)], 2);
          const Hyper3 r = degroote_implicit_residual(mu.dgf, nodes_.length(j, m), nodes_.speed(j, m), a, fT, dF);
          emit(col_a(j, m), col_a(j, m), l * r.v[0].v[0] + u * ad.v[0].v[0] + w2 * act_weight_);
          emit(col_f(j, c), col_a(j, m), l * r.v[1].v[0]);
          emit(col_f(j, c), col_f(j, c), l * r.v[1].v[1]);
          emit(col_e(j, m), col_a(j, m), u * ad.v[1].v[0]);
          emit(col_e(j, m), col_e(j, m), u * ad.v[1].v[1] + w2);
          emit(col_d(j, c), col_a(j, m), l * r.v[2].v[0]);
          emit(col_d(j, c), col_f(j, c), l * r.v[2].v[1]);
          emit(col_d(j, c), col_d(j, c), l * r.v[2].v[2] + w2 * aux_weight_);
        } else {
          emit(col_a(j, m), col_a(j, m), u * ad.v[0].v[0] + w2 * act_weight_);
          emit(col_e(j, m), col_a(j, m), u * ad.v[1].v[0]);
          emit(col_e(j, m), col_e(j, m), u * ad.v[1].v[1] + w2);
        }
      }
      for (int k = 0; k < nx_; ++k) emit(col_x(j, k), col_x(j, k), w2 * actuators_[static_cast<size_t>(k)].weight);
    }
  }

  // Re-simulation (issue 16 item 6): the muscle states integrated forward from the solution's
  // initial activations and tendon forces under its excitations (linear between nodes), with
  // the path lengths as cubic Hermite curves through the nodes' lengths and speeds; the implicit
  // tendon equation solved for dfT at every stage (Newton), RK4 with `substeps` per node
  // interval. Returns the largest |simulated - collocated| activation and normalized tendon
  // force over the nodes.
  std::pair<double, double> resimulate(const double* x, int substeps) const {
    Eigen::VectorXd y(ns_), k1(ns_), k2(ns_), k3(ns_), k4(ns_), tmp(ns_);
    for (int m = 0; m < nm_; ++m) y[m] = x[col_a(0, m)];
    for (int c = 0; c < nc_; ++c) y[nm_ + c] = x[col_f(0, c)];
    double drift_a = 0.0, drift_f = 0.0;
    for (int j = 0; j + 1 < npts_; ++j) {
      const double t0 = nodes_.time[j], h = (nodes_.time[j + 1] - t0) / substeps;
      // Derivative at local time s in [0, H] of node interval j.
      const double H = nodes_.time[j + 1] - t0;
      auto rate = [&](double s, const Eigen::VectorXd& yy, Eigen::VectorXd& out) {
        const double u = s / H;
        const double h00 = 2 * u * u * u - 3 * u * u + 1, h10 = u * u * u - 2 * u * u + u, h01 = -2 * u * u * u + 3 * u * u,
                     h11 = u * u * u - u * u;
        const double d00 = (6 * u * u - 6 * u) / H, d10 = 3 * u * u - 4 * u + 1, d01 = (-6 * u * u + 6 * u) / H,
                     d11 = 3 * u * u - 2 * u;
        for (int m = 0; m < nm_; ++m) {
          const double e = (1 - u) * x[col_e(j, m)] + u * x[col_e(j + 1, m)];
          out[m] = degroote_activation_rate(yy[m], e, tau_a_, tau_d_);
          const InverseMuscle& mu = muscles_[static_cast<size_t>(m)];
          if (!mu.compliant) continue;
          const double L0 = nodes_.length(j, m), L1 = nodes_.length(j + 1, m);
          const double V0 = nodes_.speed(j, m), V1 = nodes_.speed(j + 1, m);
          const double L = h00 * L0 + h10 * H * V0 + h01 * L1 + h11 * H * V1;
          const double V = d00 * L0 + d10 * V0 + d01 * L1 + d11 * V1;
          const int c = mu.compliant_index;
          const double a = std::clamp(yy[m], 1e-6, 1.0), fT = std::max(yy[nm_ + c], 0.0);
          double dF = 0.0;
          for (int it = 0; it < 50; ++it) {
            const Jet1 r = degroote_implicit_residual(mu.dgf, L, V, Jet1(a), Jet1(fT), Jet1(dF, 0));
            if (std::abs(r.a) < 1e-12 || r.v[0] == 0.0) break;
            dF -= r.a / r.v[0];
          }
          out[nm_ + c] = dF;
        }
      };
      for (int k = 0; k < substeps; ++k) {
        const double s = k * h;
        rate(s, y, k1);
        tmp = y + 0.5 * h * k1;
        rate(s + 0.5 * h, tmp, k2);
        tmp = y + 0.5 * h * k2;
        rate(s + 0.5 * h, tmp, k3);
        tmp = y + h * k3;
        rate(s + h, tmp, k4);
        y += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
      }
      for (int m = 0; m < nm_; ++m) drift_a = std::max(drift_a, std::abs(y[m] - x[col_a(j + 1, m)]));
      for (int c = 0; c < nc_; ++c) drift_f = std::max(drift_f, std::abs(y[nm_ + c] - x[col_f(j + 1, c)]));
    }
    return {drift_a, drift_f};
  }

  // The two terms of the objective at x.
  std::tuple<double, double, double> objective_terms(const double* x) const {
    double effort = 0.0, aux = 0.0, activation = 0.0;
    for (int j = 0; j < npts_; ++j) {
      for (int m = 0; m < nm_; ++m) {
        effort += weight_[j] * x[col_e(j, m)] * x[col_e(j, m)];
        activation += weight_[j] * act_weight_ * x[col_a(j, m)] * x[col_a(j, m)];
      }
      for (int k = 0; k < nx_; ++k)
        effort += weight_[j] * actuators_[static_cast<size_t>(k)].weight * x[col_x(j, k)] * x[col_x(j, k)];
      for (int c = 0; c < nc_; ++c) aux += weight_[j] * aux_weight_ * x[col_d(j, c)] * x[col_d(j, c)];
    }
    return {effort, aux, activation};
  }

  // What constraint row r is, in words.
  std::string describe_row(int r) const {
    if (r < defect_begin_) {
      const int j = r / pc_, i = r % pc_;
      const double t = nodes_.time[j];
      if (i < nc_)
        return fmt::format("tendon force equilibrium of muscle '{}' at t = {:.6g} s", compliant_name(i), t);
      return fmt::format("inverse-dynamics residual of coordinate '{}' at t = {:.6g} s",
                         row_names_[static_cast<size_t>(i - nc_)], t);
    }
    if (r < initial_begin_) {
      const int per = ns_ * (hs_ ? 2 : 1);
      const int interval = (r - defect_begin_) / per;
      const int s = (r - defect_begin_) % per % ns_;
      const int j0 = hs_ ? 2 * interval : interval, j1 = hs_ ? 2 * interval + 2 : interval + 1;
      const std::string what = s < nm_ ? "activation of muscle '" + muscles_[static_cast<size_t>(s)].name + "'"
                                       : "normalized tendon force of muscle '" + compliant_name(s - nm_) + "'";
      return fmt::format("collocation defect of the {} in [{:.6g}, {:.6g}] s", what, nodes_.time[j0],
                         nodes_.time[j1]);
    }
    return "initial activation = initial excitation of muscle '" +
           muscles_[static_cast<size_t>(r - initial_begin_)].name + "'";
  }

  // Constraints at x into g, each Jacobian entry through emit(row, column, value) in a fixed
  // order (jacobian_structure records the same order).
  template <class Emit>
  void assemble(const double* x, double* g, Emit&& emit) {
    // Per node: tendon equilibrium and ID residuals.
    for (int j = 0; j < npts_; ++j) {
      double* gj = g + j * pc_;
      double* id = gj + nc_;
      for (int r = 0; r < nrow_; ++r) id[r] = -nodes_.b(j, r);
      const Eigen::MatrixXd& ma = nodes_.moment_arm[static_cast<size_t>(j)];
      for (int m = 0; m < nm_; ++m) {
        const InverseMuscle& mu = muscles_[static_cast<size_t>(m)];
        const double L = nodes_.length(j, m), V = nodes_.speed(j, m);
        if (mu.compliant) {
          const int c = mu.compliant_index;
          const Jet3 a(x[col_a(j, m)], 0), fT(x[col_f(j, c)], 1), dF(x[col_d(j, c)], 2);
          const Jet3 res = degroote_implicit_residual(mu.dgf, L, V, a, fT, dF);
          gj[c] = res.a;
          emit(j * pc_ + c, col_a(j, m), res.v[0]);
          emit(j * pc_ + c, col_f(j, c), res.v[1]);
          emit(j * pc_ + c, col_d(j, c), res.v[2]);
          const double F0 = mu.dgf.p.max_isometric_force;
          for (int r : mu.rows) {
            id[r] += ma(m, r) * F0 * fT.a;
            emit(j * pc_ + nc_ + r, col_f(j, c), ma(m, r) * F0);
          }
        } else {
          const Jet1 a(x[col_a(j, m)], 0);
          const Jet1 F = degroote_rigid_tendon_force(mu.dgf, L, V, a);
          for (int r : mu.rows) {
            id[r] += ma(m, r) * F.a;
            emit(j * pc_ + nc_ + r, col_a(j, m), ma(m, r) * F.v[0]);
          }
        }
      }
      for (int r = 0; r < nrow_; ++r)
        for (int k : actuators_on_row_[static_cast<size_t>(r)]) {
          const double F = actuators_[static_cast<size_t>(k)].optimal_force;
          id[r] += F * x[col_x(j, k)];
          emit(j * pc_ + nc_ + r, col_x(j, k), F);
        }
      // Activation dynamics at this node, for the defects.
      for (int m = 0; m < nm_; ++m) {
        const Jet2 a(x[col_a(j, m)], 0), e(x[col_e(j, m)], 1);
        const Jet2 ad = degroote_activation_rate(a, e, tau_a_, tau_d_);
        adot_(j, m) = ad.a;
        adot_a_(j, m) = ad.v[0];
        adot_e_(j, m) = ad.v[1];
      }
    }
    // Collocation defects.
    int row = defect_begin_;
    for (int i = 0; i < nint_; ++i) {
      if (!hs_) {
        const int j0 = i, j1 = i + 1;
        const double h = nodes_.time[j1] - nodes_.time[j0];
        for (int m = 0; m < nm_; ++m, ++row) {
          g[row] = x[col_a(j1, m)] - x[col_a(j0, m)] - 0.5 * h * (adot_(j0, m) + adot_(j1, m));
          emit(row, col_a(j0, m), -1.0 - 0.5 * h * adot_a_(j0, m));
          emit(row, col_e(j0, m), -0.5 * h * adot_e_(j0, m));
          emit(row, col_a(j1, m), 1.0 - 0.5 * h * adot_a_(j1, m));
          emit(row, col_e(j1, m), -0.5 * h * adot_e_(j1, m));
        }
        for (int c = 0; c < nc_; ++c, ++row) {
          g[row] = x[col_f(j1, c)] - x[col_f(j0, c)] - 0.5 * h * (x[col_d(j0, c)] + x[col_d(j1, c)]);
          emit(row, col_f(j0, c), -1.0);
          emit(row, col_d(j0, c), -0.5 * h);
          emit(row, col_f(j1, c), 1.0);
          emit(row, col_d(j1, c), -0.5 * h);
        }
      } else {
        // Hermite-Simpson, separated form: Simpson quadrature and Hermite interpolation.
        const int j0 = 2 * i, jm = 2 * i + 1, j1 = 2 * i + 2;
        const double h = nodes_.time[j1] - nodes_.time[j0];
        for (int m = 0; m < nm_; ++m, ++row) {
          g[row] = x[col_a(j1, m)] - x[col_a(j0, m)] -
                   h / 6.0 * (adot_(j0, m) + 4.0 * adot_(jm, m) + adot_(j1, m));
          emit(row, col_a(j0, m), -1.0 - h / 6.0 * adot_a_(j0, m));
          emit(row, col_e(j0, m), -h / 6.0 * adot_e_(j0, m));
          emit(row, col_a(jm, m), -4.0 * h / 6.0 * adot_a_(jm, m));
          emit(row, col_e(jm, m), -4.0 * h / 6.0 * adot_e_(jm, m));
          emit(row, col_a(j1, m), 1.0 - h / 6.0 * adot_a_(j1, m));
          emit(row, col_e(j1, m), -h / 6.0 * adot_e_(j1, m));
        }
        for (int c = 0; c < nc_; ++c, ++row) {
          g[row] = x[col_f(j1, c)] - x[col_f(j0, c)] -
                   h / 6.0 * (x[col_d(j0, c)] + 4.0 * x[col_d(jm, c)] + x[col_d(j1, c)]);
          emit(row, col_f(j0, c), -1.0);
          emit(row, col_d(j0, c), -h / 6.0);
          emit(row, col_d(jm, c), -4.0 * h / 6.0);
          emit(row, col_f(j1, c), 1.0);
          emit(row, col_d(j1, c), -h / 6.0);
        }
        for (int m = 0; m < nm_; ++m, ++row) {
          g[row] = x[col_a(jm, m)] - 0.5 * (x[col_a(j0, m)] + x[col_a(j1, m)]) -
                   h / 8.0 * (adot_(j0, m) - adot_(j1, m));
          emit(row, col_a(j0, m), -0.5 - h / 8.0 * adot_a_(j0, m));
          emit(row, col_e(j0, m), -h / 8.0 * adot_e_(j0, m));
          emit(row, col_a(jm, m), 1.0);
          emit(row, col_a(j1, m), -0.5 + h / 8.0 * adot_a_(j1, m));
          emit(row, col_e(j1, m), h / 8.0 * adot_e_(j1, m));
        }
        for (int c = 0; c < nc_; ++c, ++row) {
          g[row] = x[col_f(jm, c)] - 0.5 * (x[col_f(j0, c)] + x[col_f(j1, c)]) -
                   h / 8.0 * (x[col_d(j0, c)] - x[col_d(j1, c)]);
          emit(row, col_f(j0, c), -0.5);
          emit(row, col_d(j0, c), -h / 8.0);
          emit(row, col_f(jm, c), 1.0);
          emit(row, col_f(j1, c), -0.5);
          emit(row, col_d(j1, c), h / 8.0);
        }
      }
    }
    // MocoInitialActivationGoal (endpoint constraint): a(t0) = e(t0).
    for (int m = 0; m < nm_; ++m, ++row) {
      g[row] = x[col_a(0, m)] - x[col_e(0, m)];
      emit(row, col_a(0, m), 1.0);
      emit(row, col_e(0, m), -1.0);
    }
  }

 private:
  std::string compliant_name(int c) const {
    for (const InverseMuscle& m : muscles_)
      if (m.compliant_index == c) return m.name;
    return "?";
  }

  const Nodes& nodes_;
  std::vector<InverseMuscle> muscles_;
  std::vector<InverseActuator> actuators_;
  std::vector<std::string> row_names_;
  std::vector<std::vector<int>> actuators_on_row_;
  bool hs_;
  double aux_weight_, tau_a_, tau_d_, act_weight_;
  int nm_ = 0, nc_ = 0, nx_ = 0, nrow_ = 0, npts_ = 0, blk_ = 0, ns_ = 0, nint_ = 0, pc_ = 0;
  int defect_begin_ = 0, initial_begin_ = 0, m_ = 0;
  Eigen::VectorXd weight_, guess_;
  Eigen::MatrixXd adot_, adot_a_, adot_e_, mu_;
};

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

MuscleParameters to_degroote(const MuscleParameters& in) {
  MuscleParameters p = in;
  p.kind = MuscleKind::DeGrooteFregly2016;
  if (in.kind == MuscleKind::Millard2012) {
    p.passive_fiber_strain_at_one_norm_force = in.fiber_force_length.strain_at_one_norm_force;
    p.tendon_strain_at_one_norm_force = in.tendon_force_length.strain_at_one_norm_force;
  } else if (in.kind == MuscleKind::Thelen2003) {
    p.fiber_damping = 0.0;
    p.passive_fiber_strain_at_one_norm_force = in.fmax_muscle_strain;
    p.tendon_strain_at_one_norm_force = in.fmax_tendon_strain;
  }
  return p;
}

struct MuscleInverseProblem::Impl {
  const Model& model;
  MuscleInverseOptions options;
  Nodes nodes;
  std::vector<char> welded;
  std::vector<InverseMuscle> muscles;
  std::vector<InverseActuator> actuators;
  std::unique_ptr<InverseNlp> nlp;
  double seconds_setup = 0.0;

  Impl(const Model& model, const io::Table& coordinates, const tools::ExternalLoadsData* loads,
       const MuscleInverseOptions& options);
  MuscleInverseSolution solve();
};

MuscleInverseProblem::Impl::Impl(const Model& model_, const io::Table& coordinates,
                                 const tools::ExternalLoadsData* loads, const MuscleInverseOptions& options_)
    : model(model_), options(options_) {
  const auto setup_start = Clock::now();
  if (coordinates.rows() < 6)
    throw std::invalid_argument("the coordinates table has " + std::to_string(coordinates.rows()) +
                                " rows; its quintic splines need at least 6");
  const double t0 = options.initial_time, t1 = options.final_time;
  const double first = coordinates.time[0], last = coordinates.time[coordinates.rows() - 1];
  if (!(t0 < t1) || t0 < first - 1e-12 || t1 > last + 1e-12)
    throw std::invalid_argument(fmt::format("time range [{}, {}] s is not within the coordinates' [{}, {}] s", t0,
                                            t1, first, last));
  if (!(options.mesh_interval > 0.0) || !std::isfinite(options.mesh_interval))
    throw std::invalid_argument("mesh interval must be positive");
  const int intervals = std::max(1, static_cast<int>(std::lround((t1 - t0) / options.mesh_interval)));
  const bool hs = options.transcription == Transcription::HermiteSimpson;
  const int npts = hs ? 2 * intervals + 1 : intervals + 1;

  // Welded joints: their coordinates held at zero, no residual.
  welded.assign(static_cast<size_t>(model.nq), 0);
  for (const std::string& name : options.weld_joints) {
    const auto it = std::find_if(model.joints.begin(), model.joints.end(),
                                 [&](const Joint& j) { return j.name == name; });
    if (it == model.joints.end()) throw std::invalid_argument("--weld: model has no joint named '" + name + "'");
    for (int k = it->q_start; k < it->q_start + it->nq; ++k) welded[static_cast<size_t>(k)] = 1;
  }
  // Residual rows: the free (non-dependent) coordinates that are not welded.
  const std::vector<int> free = free_coordinates(model);
  std::vector<int> row_of_free(free.size(), -1);
  std::vector<int> row_coordinate;
  std::vector<std::string> row_names;
  for (std::size_t i = 0; i < free.size(); ++i) {
    if (welded[static_cast<size_t>(free[i])]) continue;
    row_of_free[i] = static_cast<int>(row_coordinate.size());
    row_coordinate.push_back(free[i]);
    row_names.push_back(model.coordinates[static_cast<size_t>(free[i])].name);
  }
  const int nrow = static_cast<int>(row_coordinate.size());
  std::vector<int> row_of_coordinate(static_cast<size_t>(model.nq), -1);
  for (int r = 0; r < nrow; ++r) row_of_coordinate[static_cast<size_t>(row_coordinate[static_cast<size_t>(r)])] = r;

  // Forces: muscles (as DeGrooteFregly2016) and CoordinateActuators; anything else that
  // applies a force is refused.
  double tau_a = -1.0, tau_d = -1.0;
  int compliant = 0;
  for (const ForceElement& f : model.forces) {
    if (!f.applies_force) continue;
    const std::string where = f.file.empty() ? "" : f.file + ":" + std::to_string(f.line) + ": ";
    if (const auto* p = std::get_if<MuscleParameters>(&f.part)) {
      MuscleParameters dp = to_degroote(*p);
      if (options.ignore_passive_fiber_force) dp.ignore_passive_fiber_force = true;
      if (options.ignore_tendon_compliance) dp.ignore_tendon_compliance = true;
      if (dp.ignore_activation_dynamics)
        throw std::invalid_argument(where + "muscle '" + f.name +
                                    "': ignore_activation_dynamics is not supported by femur inverse");
      InverseMuscle m;
      m.name = f.name;
      m.dgf = make_degroote2016(dp);
      m.path = model.paths.path_index(f.name);
      if (m.path < 0) throw std::invalid_argument(where + "muscle '" + f.name + "' has no geometry path");
      m.compliant = !dp.ignore_tendon_compliance;
      if (m.compliant) m.compliant_index = compliant++;
      m.lo = dp.min_control;
      m.hi = dp.max_control;
      // DeGrooteFregly2016Muscle keeps its time constants in function-local statics: the first
      // muscle's apply to all (OPENSIM-NOTES.md B.5).
      if (tau_a < 0) tau_a = dp.activation_time_constant, tau_d = dp.deactivation_time_constant;
      muscles.push_back(std::move(m));
    } else if (const auto* ca = std::get_if<CoordinateActuator>(&f.part)) {
      InverseActuator a;
      a.name = f.name;
      a.row = ca->coordinate >= 0 ? row_of_coordinate[static_cast<size_t>(ca->coordinate)] : -1;
      if (a.row < 0)
        throw std::invalid_argument(where + "CoordinateActuator '" + f.name +
                                    "' acts on a coordinate that is coupled, welded or absent");
      a.optimal_force = ca->optimal_force;
      a.lo = ca->min_control;
      a.hi = ca->max_control;
      a.weight = f.name.rfind("reserve_", 0) == 0 ? options.reserves_weight : 1.0;
      actuators.push_back(std::move(a));
    } else {
      throw std::invalid_argument(where + "model force '" + f.name + "' (" + f.type +
                                  ") cannot be part of femur inverse yet; disable it (appliesForce false)");
    }
  }
  // ModelFactory::createReserveActuators (OpenSim/Actuators/ModelFactory.cpp): one per free
  // coordinate that no CoordinateActuator drives, named after the coordinate's path.
  if (options.reserves_optimal_force != 0.0) {
    if (!(options.reserves_optimal_force > 0.0) || !std::isfinite(options.reserves_optimal_force))
      throw std::invalid_argument("reserve optimal force must be positive and finite");
    if (!(options.reserves_bound > 0.0))
      throw std::invalid_argument("reserve bound must be positive");
    std::vector<char> driven(static_cast<size_t>(nrow), 0);
    for (const InverseActuator& a : actuators) driven[static_cast<size_t>(a.row)] = 1;
    for (int r = 0; r < nrow; ++r) {
      if (driven[static_cast<size_t>(r)]) continue;
      const Coordinate& c = model.coordinates[static_cast<size_t>(row_coordinate[static_cast<size_t>(r)])];
      InverseActuator a;
      a.name = "reserve_jointset_" + model.joints[static_cast<size_t>(c.joint)].name + "_" + c.name;
      a.row = r;
      a.optimal_force = options.reserves_optimal_force;
      a.lo = -options.reserves_bound;
      a.hi = options.reserves_bound;
      a.weight = options.reserves_weight;
      actuators.push_back(std::move(a));
    }
  }
  if (muscles.empty() && actuators.empty()) throw std::invalid_argument("the model has no muscles or actuators");

  // Prescribed kinematics: (filtered) coordinates, quintic GCV splines (PositionMotion).
  std::vector<int> column_of(static_cast<size_t>(model.nq), -1), used;
  for (int k = 0; k < model.nq; ++k) {
    if (welded[static_cast<size_t>(k)]) continue;
    const int col = coordinates.column(model.coordinates[static_cast<size_t>(k)].name);
    if (col < 0) continue;
    column_of[static_cast<size_t>(k)] = static_cast<int>(used.size());
    used.push_back(col);
  }
  Samples samples;
  samples.time = coordinates.time;
  samples.data.resize(coordinates.rows(), static_cast<Eigen::Index>(used.size()));
  for (std::size_t j = 0; j < used.size(); ++j) samples.data.col(static_cast<Eigen::Index>(j)) = coordinates.data.col(used[j]);
  if (options.lowpass_cutoff_hz >= 0.0) samples = filter_coordinates(samples, options.lowpass_cutoff_hz);
  if (coordinates.in_degrees)
    for (int k = 0; k < model.nq; ++k) {
      const int j = column_of[static_cast<size_t>(k)];
      if (j >= 0 && model.coordinates[static_cast<size_t>(k)].motion_type == MotionType::Rotational)
        samples.data.col(j) *= std::numbers::pi / 180.0;
    }
  const GcvSplineSet splines = fit_gcv_spline_set(5, samples.time, samples.data, GcvSmoothing::interpolating());

  const int nm = static_cast<int>(muscles.size());
  nodes.time.resize(npts);
  for (int j = 0; j < npts; ++j) nodes.time[j] = t0 + (t1 - t0) * j / (npts - 1);
  nodes.q.resize(npts, model.nq);
  nodes.qdot.resize(npts, model.nq);
  nodes.b.resize(npts, nrow);
  nodes.length.resize(npts, nm);
  nodes.speed.resize(npts, nm);
  Data data(model);
  PathData path_data(model, model.paths);
  Eigen::VectorXd q = model.default_q(), qd = Eigen::VectorXd::Zero(model.nv), qdd = Eigen::VectorXd::Zero(model.nv);
  Eigen::VectorXd load_values, gamma;
  Eigen::MatrixXd G;
  Eigen::MatrixXd max_arm = Eigen::MatrixXd::Zero(nm, nrow);
  for (int j = 0; j < npts; ++j) {
    const double t = nodes.time[j];
    for (int k = 0; k < model.nq; ++k) {
      const int c = column_of[static_cast<size_t>(k)];
      if (welded[static_cast<size_t>(k)]) {
        q[k] = qd[k] = qdd[k] = 0.0;
      } else if (c >= 0) {
        const FunctionValue v = splines.evaluate(c, t);
        q[k] = v.f;
        qd[k] = v.df;
        qdd[k] = v.ddf;
      }
    }
    apply_couplers(model, q, qd, qdd);
    nodes.q.row(j) = q.transpose();
    nodes.qdot.row(j) = qd.transpose();
    clear_applied_forces(data);
    if (loads) {
      if (loads->needs_body_poses) forward_kinematics(model, data, q);
      apply_external_loads(model, data, *loads, t, load_values);
    }
    const Eigen::VectorXd tau = rnea(model, data, q, qd, qdd);
    coupler_basis(model, q, qd, G, gamma);
    const Eigen::VectorXd projected = G.transpose() * tau;
    for (std::size_t i = 0; i < free.size(); ++i)
      if (row_of_free[i] >= 0) nodes.b(j, row_of_free[i]) = projected[static_cast<Eigen::Index>(i)];
    compute_paths(model, model.paths, data, q, qd, path_data);
    Eigen::MatrixXd ma(nm, nrow);
    for (int m = 0; m < nm; ++m) {
      const int p = muscles[static_cast<size_t>(m)].path;
      nodes.length(j, m) = path_data.length[p];
      nodes.speed(j, m) = path_data.speed[p];
      for (int r = 0; r < nrow; ++r) {
        ma(m, r) = path_data.moment_arm(p, row_coordinate[static_cast<size_t>(r)]);
        max_arm(m, r) = std::max(max_arm(m, r), std::abs(ma(m, r)));
      }
    }
    nodes.moment_arm.push_back(std::move(ma));
    if (!nodes.b.row(j).allFinite() || !nodes.length.row(j).allFinite() || !nodes.speed.row(j).allFinite())
      throw std::invalid_argument(fmt::format("the prescribed motion gives non-finite generalized forces or muscle "
                                              "lengths at t = {} s",
                                              t));
  }
  for (int m = 0; m < nm; ++m)
    for (int r = 0; r < nrow; ++r)
      if (max_arm(m, r) > 1e-12) muscles[static_cast<size_t>(m)].rows.push_back(r);

  nlp = std::make_unique<InverseNlp>(nodes, muscles, actuators, row_names, options.transcription,
                                     options.auxiliary_derivatives_weight, tau_a > 0 ? tau_a : 0.015,
                                     tau_d > 0 ? tau_d : 0.060, options.minimize_sum_squared_activations ? 1.0 : 0.0);
  const InverseNlp& problem = *nlp;
  Eigen::VectorXd lo, hi;
  problem.variable_bounds(lo, hi);

  // Guess: excitation and activation 0.05 (within bounds), reserves 0, the tendon force in
  // static equilibrium, derivatives 0; or the columns of a given trajectory.
  Eigen::VectorXd& x0 = nlp->guess();
  for (int j = 0; j < npts; ++j) {
    for (int m = 0; m < nm; ++m) {
      const InverseMuscle& mu = muscles[static_cast<size_t>(m)];
      const double a = std::clamp(0.05, mu.lo, mu.hi);
      x0[problem.col_a(j, m)] = x0[problem.col_e(j, m)] = a;
      if (mu.compliant) {
        MuscleState state;
        degroote_fiber_equilibrium(mu.dgf, nodes.length(j, m), nodes.speed(j, m), a, state);
        x0[problem.col_f(j, mu.compliant_index)] = std::clamp(state.tendon_force / mu.dgf.p.max_isometric_force, 0.0, 5.0);
      }
    }
    for (int k = 0; k < problem.actuators(); ++k) x0[problem.col_x(j, k)] = std::clamp(0.0, lo[problem.col_x(j, k)], hi[problem.col_x(j, k)]);
  }
  if (options.guess) {
    const io::Table& guess = *options.guess;
    if (guess.rows() < 1) throw std::invalid_argument("the guess has no rows");
    auto take = [&](const std::string& label, auto col_of) {
      const auto it = std::find(guess.labels.begin(), guess.labels.end(), label);
      if (it == guess.labels.end()) return;
      const int c = static_cast<int>(it - guess.labels.begin());
      for (int j = 0; j < npts; ++j) {
        const int v = col_of(j);
        const double value = interpolate(guess, c, nodes.time[j]);
        if (!std::isfinite(value))
          throw std::invalid_argument(fmt::format("guess column '{}' is not finite at t = {} s", label, nodes.time[j]));
        if (value < lo[v] - 1e-9 || value > hi[v] + 1e-9)
          throw std::invalid_argument(fmt::format("guess column '{}' is {} at t = {} s, outside its bounds [{}, {}]",
                                                  label, value, nodes.time[j], lo[v], hi[v]));
        x0[v] = value;
      }
    };
    for (int m = 0; m < nm; ++m) {
      const InverseMuscle& mu = muscles[static_cast<size_t>(m)];
      const std::string path = "/forceset/" + mu.name;
      take(path + "/activation", [&](int j) { return problem.col_a(j, m); });
      take(path, [&](int j) { return problem.col_e(j, m); });
      if (mu.compliant) {
        take(path + "/normalized_tendon_force", [&](int j) { return problem.col_f(j, mu.compliant_index); });
        take(path + "/implicitderiv_normalized_tendon_force", [&](int j) { return problem.col_d(j, mu.compliant_index); });
      }
    }
    for (int k = 0; k < problem.actuators(); ++k)
      take("/forceset/" + actuators[static_cast<size_t>(k)].name, [&](int j) { return problem.col_x(j, k); });
  }

  seconds_setup = std::chrono::duration<double>(Clock::now() - setup_start).count();
}

MuscleInverseSolution MuscleInverseProblem::Impl::solve() {
  MuscleInverseSolution solution;
  InverseNlp& nlp = *this->nlp;
  const int npts = nlp.nodes(), nm = nlp.muscles();
  const Eigen::VectorXd& x0 = nlp.guess();
  solution.nodes = npts;
  solution.variables = nlp.num_variables();
  solution.constraints = nlp.num_constraints();
  {
    std::vector<int> r, c;
    nlp.jacobian_structure(r, c);
    solution.jacobian_nonzeros = static_cast<int>(r.size());
  }
  solution.seconds_setup = seconds_setup;

  solution.nlp = solve_nlp(nlp, options.solver);
  solution.success = solution.nlp.status == NlpStatus::Solved;
  const Eigen::VectorXd& x = solution.nlp.x.size() == nlp.num_variables() ? solution.nlp.x : x0;
  if (solution.nlp.g.size() == nlp.num_constraints()) {
    Eigen::Index worst = 0;
    solution.worst_violation = solution.nlp.g.cwiseAbs().maxCoeff(&worst);
    solution.worst_constraint = nlp.describe_row(static_cast<int>(worst));
  }
  std::tie(solution.objective_excitation_effort, solution.objective_auxiliary_derivatives,
           solution.objective_activation_effort) = nlp.objective_terms(x.data());
  std::tie(solution.resimulation_activation_drift, solution.resimulation_tendon_force_drift) =
      nlp.resimulate(x.data(), 20);

  // The trajectory in Moco's layout.
  io::Table& out = solution.trajectory;
  out.time = nodes.time;
  std::vector<Eigen::VectorXd> columns;
  auto add = [&](const std::string& label, Eigen::VectorXd values) {
    out.labels.push_back(label);
    columns.push_back(std::move(values));
  };
  auto gather = [&](auto col_of) {
    Eigen::VectorXd v(npts);
    for (int j = 0; j < npts; ++j) v[j] = x[col_of(j)];
    return v;
  };
  for (int m = 0; m < nm; ++m) {
    const InverseMuscle& mu = muscles[static_cast<size_t>(m)];
    add("/forceset/" + mu.name + "/activation", gather([&](int j) { return nlp.col_a(j, m); }));
    if (mu.compliant)
      add("/forceset/" + mu.name + "/normalized_tendon_force",
          gather([&](int j) { return nlp.col_f(j, mu.compliant_index); }));
  }
  for (int k : tools::coordinates_in_multibody_tree_order(model)) {
    if (welded[static_cast<size_t>(k)]) continue;
    const Coordinate& c = model.coordinates[static_cast<size_t>(k)];
    const std::string path = "/jointset/" + model.joints[static_cast<size_t>(c.joint)].name + "/" + c.name;
    add(path + "/value", nodes.q.col(k));
    add(path + "/speed", nodes.qdot.col(k));
  }
  solution.num_states = static_cast<int>(out.labels.size());
  for (int k = 0; k < nlp.actuators(); ++k)
    add("/forceset/" + actuators[static_cast<size_t>(k)].name, gather([&](int j) { return nlp.col_x(j, k); }));
  for (int m = 0; m < nm; ++m)
    add("/forceset/" + muscles[static_cast<size_t>(m)].name, gather([&](int j) { return nlp.col_e(j, m); }));
  solution.num_controls = static_cast<int>(out.labels.size()) - solution.num_states;
  for (int m = 0; m < nm; ++m) {
    const InverseMuscle& mu = muscles[static_cast<size_t>(m)];
    if (mu.compliant)
      add("/forceset/" + mu.name + "/implicitderiv_normalized_tendon_force",
          gather([&](int j) { return nlp.col_d(j, mu.compliant_index); }));
  }
  solution.num_derivatives = static_cast<int>(out.labels.size()) - solution.num_states - solution.num_controls;
  out.data.resize(npts, static_cast<Eigen::Index>(columns.size()));
  for (std::size_t c = 0; c < columns.size(); ++c) out.data.col(static_cast<Eigen::Index>(c)) = columns[c];
  out.in_degrees = false;
  auto& meta = out.metadata;
  meta["num_controls"] = std::to_string(solution.num_controls);
  meta["num_states"] = std::to_string(solution.num_states);
  meta["num_derivatives"] = std::to_string(solution.num_derivatives);
  meta["num_multipliers"] = "0";
  meta["num_parameters"] = "0";
  meta["num_slacks"] = "0";
  meta["num_iterations"] = std::to_string(solution.nlp.iterations);
  meta["objective"] = fmt::format("{}", solution.nlp.objective);
  meta["objective_excitation_effort"] = fmt::format("{}", solution.objective_excitation_effort);
  meta["objective_auxiliary_derivatives"] = fmt::format("{}", solution.objective_auxiliary_derivatives);
  if (options.minimize_sum_squared_activations)
    meta["objective_activation_effort"] = fmt::format("{}", solution.objective_activation_effort);
  meta["solver_duration"] = fmt::format("{}", solution.nlp.seconds);
  meta["status"] = solution.nlp.message;
  meta["success"] = solution.success ? "true" : "false";
  return solution;
}

MuscleInverseProblem::MuscleInverseProblem(const Model& model, const io::Table& coordinates,
                                           const tools::ExternalLoadsData* loads, const MuscleInverseOptions& options)
    : impl_(std::make_unique<Impl>(model, coordinates, loads, options)) {}
MuscleInverseProblem::~MuscleInverseProblem() = default;
SparseNlp& MuscleInverseProblem::nlp() { return *impl_->nlp; }
MuscleInverseSolution MuscleInverseProblem::solve() { return impl_->solve(); }

MuscleInverseSolution solve_muscle_inverse(const Model& model, const io::Table& coordinates,
                                           const tools::ExternalLoadsData* loads,
                                           const MuscleInverseOptions& options) {
  return MuscleInverseProblem(model, coordinates, loads, options).solve();
}

double trajectory_rms(const io::Table& a, const io::Table& b, const std::vector<std::string>& columns) {
  if (columns.empty() || a.rows() < 2 || b.rows() < 2) return 0.0;
  const double t0 = std::max(a.time[0], b.time[0]);
  const double t1 = std::min(a.time[a.rows() - 1], b.time[b.rows() - 1]);
  if (!(t1 > t0)) throw std::invalid_argument("the trajectories do not overlap in time");
  std::vector<double> times;
  for (int i = 0; i < a.rows(); ++i)
    if (a.time[i] >= t0 && a.time[i] <= t1) times.push_back(a.time[i]);
  for (int i = 0; i < b.rows(); ++i)
    if (b.time[i] >= t0 && b.time[i] <= t1) times.push_back(b.time[i]);
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end(), [](double x, double y) { return std::abs(x - y) < 1e-12; }),
              times.end());
  double total = 0.0;
  for (const std::string& label : columns) {
    const int ca = a.column(label), cb = b.column(label);
    if (ca < 0 || cb < 0) throw std::invalid_argument("column '" + label + "' is missing from a trajectory");
    for (std::size_t i = 0; i + 1 < times.size(); ++i) {
      const double d0 = interpolate(a, ca, times[i]) - interpolate(b, cb, times[i]);
      const double d1 = interpolate(a, ca, times[i + 1]) - interpolate(b, cb, times[i + 1]);
      total += 0.5 * (times[i + 1] - times[i]) * (d0 * d0 + d1 * d1);
    }
  }
  return std::sqrt(total / ((t1 - t0) * static_cast<double>(columns.size())));
}

}  // namespace femur::ocp
