// Least-squares polynomial fits of muscle path lengths (path_surrogate.hpp).
#include "femur/ocp/path_surrogate.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include <Eigen/QR>
#include <fmt/format.h>

#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/model/data.hpp"
#include "femur/muscle/geometry_path.hpp"

namespace femur::ocp {

namespace {

using Exponents = std::array<std::uint8_t, PathSurrogate::kMaxDimension>;

std::vector<Exponents> monomials(int dimension, int order) {
  std::vector<Exponents> out;
  Exponents e{};
  auto recurse = [&](auto&& self, int j, int left) -> void {
    if (j == dimension) {
      out.push_back(e);
      return;
    }
    for (int p = 0; p <= left; ++p) {
      e[static_cast<size_t>(j)] = static_cast<std::uint8_t>(p);
      self(self, j + 1, left - p);
    }
    e[static_cast<size_t>(j)] = 0;
  };
  recurse(recurse, 0, order);
  return out;
}

double ipow(double x, int p) {
  double r = 1.0;
  for (int k = 0; k < p; ++k) r *= x;
  return r;
}

// Exact lengths and moment arms at q.
struct ExactPaths {
  const Model& model;
  Data data;
  PathData paths;
  explicit ExactPaths(const Model& m) : model(m), data(m), paths(m, m.paths) {}
  void at(const Eigen::VectorXd& q) { compute_paths(model, model.paths, data, q, paths); }
};

}  // namespace

double PathSurrogate::evaluate(const double* q, double* gradient, double* hessian) const {
  const int d = dimension();
  std::array<double, kMaxDimension> x{};
  for (int j = 0; j < d; ++j) x[static_cast<size_t>(j)] = q[coordinates[static_cast<size_t>(j)]] - center[static_cast<size_t>(j)];
  // powers[j][p] = x_j^p
  std::array<std::array<double, 16>, kMaxDimension> pw{};
  for (int j = 0; j < d; ++j) {
    pw[static_cast<size_t>(j)][0] = 1.0;
    for (int p = 1; p <= order; ++p) pw[static_cast<size_t>(j)][static_cast<size_t>(p)] = pw[static_cast<size_t>(j)][static_cast<size_t>(p - 1)] * x[static_cast<size_t>(j)];
  }
  auto P = [&](int j, int p) { return p < 0 ? 0.0 : pw[static_cast<size_t>(j)][static_cast<size_t>(p)]; };
  double value = 0.0;
  if (gradient) std::fill(gradient, gradient + d, 0.0);
  if (hessian) std::fill(hessian, hessian + d * d, 0.0);
  for (std::size_t t = 0; t < coefficients.size(); ++t) {
    const Exponents& e = exponents[t];
    const double c = coefficients[t];
    double term = c;
    for (int j = 0; j < d; ++j) term *= P(j, e[static_cast<size_t>(j)]);
    value += term;
    if (!gradient && !hessian) continue;
    for (int a = 0; a < d; ++a) {
      const int ea = e[static_cast<size_t>(a)];
      if (ea == 0) continue;
      if (gradient) {
        double g = c * ea * P(a, ea - 1);
        for (int j = 0; j < d; ++j)
          if (j != a) g *= P(j, e[static_cast<size_t>(j)]);
        gradient[a] += g;
      }
      if (hessian) {
        for (int b = 0; b < d; ++b) {
          const int eb = e[static_cast<size_t>(b)];
          double h = 0.0;
          if (a == b) {
            if (ea < 2) continue;
            h = c * ea * (ea - 1) * P(a, ea - 2);
            for (int j = 0; j < d; ++j)
              if (j != a) h *= P(j, e[static_cast<size_t>(j)]);
          } else {
            if (eb == 0) continue;
            h = c * ea * eb * P(a, ea - 1) * P(b, eb - 1);
            for (int j = 0; j < d; ++j)
              if (j != a && j != b) h *= P(j, e[static_cast<size_t>(j)]);
          }
          hessian[a * d + b] += h;
        }
      }
    }
  }
  return value;
}

std::vector<PathSurrogate> fit_path_surrogates(const Model& model, const std::vector<int>& path_indices,
                                               const Eigen::VectorXd& lo, const Eigen::VectorXd& hi) {
  ExactPaths exact(model);
  std::mt19937 rng(2016);
  const int nq = model.nq;
  auto random_q = [&]() {
    Eigen::VectorXd q(nq);
    for (int k = 0; k < nq; ++k) q[k] = std::uniform_real_distribution<double>(lo[k], hi[k])(rng);
    return q;
  };
  // Which coordinates each path crosses: its length changes when the coordinate alone moves.
  std::vector<std::vector<int>> depends(path_indices.size());
  for (int trial = 0; trial < 10; ++trial) {
    const Eigen::VectorXd q = random_q();
    exact.at(q);
    const Eigen::VectorXd base = exact.paths.length;
    for (int k = 0; k < nq; ++k) {
      Eigen::VectorXd qk = q;
      qk[k] = std::uniform_real_distribution<double>(lo[k], hi[k])(rng);
      exact.at(qk);
      for (std::size_t m = 0; m < path_indices.size(); ++m) {
        auto& dep = depends[m];
        if (std::abs(exact.paths.length[path_indices[m]] - base[path_indices[m]]) > 1e-9 &&
            std::find(dep.begin(), dep.end(), k) == dep.end())
          dep.push_back(k);
      }
    }
  }
  std::vector<PathSurrogate> out;
  for (std::size_t m = 0; m < path_indices.size(); ++m) {
    const int p = path_indices[m];
    PathSurrogate s;
    s.name = model.paths.paths[static_cast<size_t>(p)].name;
    std::sort(depends[m].begin(), depends[m].end());
    s.coordinates = depends[m];
    const int d = s.dimension();
    if (d > PathSurrogate::kMaxDimension)
      throw std::invalid_argument(fmt::format("path '{}' crosses {} coordinates; surrogates take at most {}", s.name, d,
                                              PathSurrogate::kMaxDimension));
    for (int c : s.coordinates) s.center.push_back(0.5 * (lo[c] + hi[c]));
    // Fitting grid (full factorial) and validation points (random).
    const int per_axis = d <= 1 ? 61 : d == 2 ? 25 : d == 3 ? 13 : 8;
    int grid = 1;
    for (int j = 0; j < d; ++j) grid *= per_axis;
    std::vector<Eigen::VectorXd> fit_q, val_q;
    Eigen::VectorXd mid = 0.5 * (lo + hi);
    for (int g = 0; g < grid; ++g) {
      Eigen::VectorXd q = mid;
      int r = g;
      for (int j = 0; j < d; ++j) {
        const int c = s.coordinates[static_cast<size_t>(j)];
        q[c] = lo[c] + (hi[c] - lo[c]) * (r % per_axis) / (per_axis - 1);
        r /= per_axis;
      }
      fit_q.push_back(q);
    }
    for (int v = 0; v < 400; ++v) val_q.push_back(random_q());
    std::vector<double> fit_L, val_L;
    std::vector<Eigen::VectorXd> val_r;
    for (const auto& q : fit_q) {
      exact.at(q);
      fit_L.push_back(exact.paths.length[p]);
    }
    for (const auto& q : val_q) {
      exact.at(q);
      val_L.push_back(exact.paths.length[p]);
      Eigen::VectorXd r(d);
      for (int j = 0; j < d; ++j) r[j] = exact.paths.moment_arm(p, s.coordinates[static_cast<size_t>(j)]);
      val_r.push_back(r);
    }
    // The lowest order (3..8 for one coordinate, 3..6 otherwise) whose validation RMS is below
    // 0.5 mm, else the best.
    PathSurrogate best;
    best.rms_length_error = 1e300;
    const int max_order = d <= 1 ? 8 : d == 2 ? 7 : 6;
    for (int order = d == 0 ? 0 : 3; order <= (d == 0 ? 0 : max_order); ++order) {
      PathSurrogate t = s;
      t.order = order;
      t.exponents = monomials(d, order);
      const int nt = static_cast<int>(t.exponents.size());
      Eigen::MatrixXd A(static_cast<Eigen::Index>(fit_q.size()), nt);
      Eigen::VectorXd b(static_cast<Eigen::Index>(fit_q.size()));
      for (std::size_t i = 0; i < fit_q.size(); ++i) {
        for (int k = 0; k < nt; ++k) {
          double v = 1.0;
          for (int j = 0; j < d; ++j)
            v *= ipow(fit_q[i][s.coordinates[static_cast<size_t>(j)]] - s.center[static_cast<size_t>(j)],
                      t.exponents[static_cast<size_t>(k)][static_cast<size_t>(j)]);
          A(static_cast<Eigen::Index>(i), k) = v;
        }
        b[static_cast<Eigen::Index>(i)] = fit_L[i];
      }
      const Eigen::VectorXd c = A.colPivHouseholderQr().solve(b);
      t.coefficients.assign(c.data(), c.data() + nt);
      double sum = 0.0, worst = 0.0, sum_r = 0.0;
      std::vector<double> grad(static_cast<size_t>(std::max(d, 1)));
      for (std::size_t i = 0; i < val_q.size(); ++i) {
        const double L = t.evaluate(val_q[i].data(), grad.data(), nullptr);
        const double e = L - val_L[i];
        sum += e * e;
        worst = std::max(worst, std::abs(e));
        for (int j = 0; j < d; ++j) {
          const double er = -grad[static_cast<size_t>(j)] - val_r[i][j];
          sum_r += er * er;
        }
      }
      t.rms_length_error = std::sqrt(sum / static_cast<double>(val_q.size()));
      t.max_length_error = worst;
      t.rms_moment_arm_error = d > 0 ? std::sqrt(sum_r / static_cast<double>(val_q.size() * static_cast<size_t>(d))) : 0.0;
      if (t.rms_length_error < best.rms_length_error) best = t;
      if (best.rms_length_error < 5e-4) break;
    }
    out.push_back(std::move(best));
  }
  return out;
}

}  // namespace femur::ocp
