// IPOPT's TNLP interface over a SparseNlp. Every callback of one iterate shares one
// evaluation: the first callback at a new x evaluates f, grad f, g and the Jacobian together.
#include "femur/ocp/nlp.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <dlfcn.h>
#include <stdexcept>

#include <IpIpoptApplication.hpp>
#include <IpTNLP.hpp>

namespace femur::ocp {

namespace {

using Ipopt::Index;
using Ipopt::Number;
using Clock = std::chrono::steady_clock;

class Adapter : public Ipopt::TNLP {
 public:
  Adapter(SparseNlp& nlp, NlpResult& result, bool hessian) : nlp_(nlp), result_(result), hessian_(hessian) {
    n_ = nlp.num_variables();
    m_ = nlp.num_constraints();
    nlp.jacobian_structure(rows_, cols_);
    if (hessian_) nlp.hessian_structure(hrows_, hcols_);
    x_.resize(n_);
    grad_.resize(n_);
    g_.resize(m_);
    jac_.resize(static_cast<Eigen::Index>(rows_.size()));
  }

  bool get_nlp_info(Index& n, Index& m, Index& nnz_jac_g, Index& nnz_h_lag, IndexStyleEnum& style) override {
    n = n_;
    m = m_;
    nnz_jac_g = static_cast<Index>(rows_.size());
    nnz_h_lag = static_cast<Index>(hrows_.size());
    style = TNLP::C_STYLE;
    return true;
  }
  bool get_bounds_info(Index, Number* x_l, Number* x_u, Index, Number* g_l, Number* g_u) override {
    nlp_.bounds(x_l, x_u, g_l, g_u);
    return true;
  }
  bool get_starting_point(Index, bool init_x, Number* x, bool, Number*, Number*, Index, bool, Number*) override {
    if (init_x) nlp_.initial_guess(x);
    return true;
  }
  bool eval_f(Index, const Number* x, bool new_x, Number& obj) override {
    update_values(x, new_x);
    obj = f_;
    return finite_;
  }
  bool eval_grad_f(Index, const Number* x, bool new_x, Number* grad) override {
    update(x, new_x);
    std::memcpy(grad, grad_.data(), sizeof(double) * static_cast<size_t>(n_));
    return finite_;
  }
  bool eval_g(Index, const Number* x, bool new_x, Index, Number* g) override {
    update_values(x, new_x);
    std::memcpy(g, g_.data(), sizeof(double) * static_cast<size_t>(m_));
    return finite_;
  }
  bool eval_jac_g(Index, const Number* x, bool new_x, Index, Index nele, Index* iRow, Index* jCol,
                  Number* values) override {
    if (!values) {
      for (Index k = 0; k < nele; ++k) {
        iRow[k] = rows_[static_cast<size_t>(k)];
        jCol[k] = cols_[static_cast<size_t>(k)];
      }
      return true;
    }
    update(x, new_x);
    std::memcpy(values, jac_.data(), sizeof(double) * static_cast<size_t>(nele));
    return finite_;
  }
  bool eval_h(Index, const Number* x, bool new_x, Number obj_factor, Index, const Number* lambda, bool,
              Index nele, Index* iRow, Index* jCol, Number* values) override {
    if (!values) {
      for (Index k = 0; k < nele; ++k) {
        iRow[k] = hrows_[static_cast<size_t>(k)];
        jCol[k] = hcols_[static_cast<size_t>(k)];
      }
      return true;
    }
    update(x, new_x);
    const auto start = Clock::now();
    nlp_.hessian(x, obj_factor, lambda, values);
    result_.seconds_evaluation += std::chrono::duration<double>(Clock::now() - start).count();
    for (Index k = 0; k < nele; ++k)
      if (!std::isfinite(values[k])) return false;
    return finite_;
  }
  bool intermediate_callback(Ipopt::AlgorithmMode, Index iter, Number, Number, Number, Number, Number, Number,
                             Number, Number, Index, const Ipopt::IpoptData*,
                             Ipopt::IpoptCalculatedQuantities*) override {
    result_.iterations = iter;
    return true;
  }
  void finalize_solution(Ipopt::SolverReturn status, Index n, const Number* x, const Number*, const Number*,
                         Index m, const Number* g, const Number*, Number obj, const Ipopt::IpoptData*,
                         Ipopt::IpoptCalculatedQuantities*) override {
    result_.x = Eigen::Map<const Eigen::VectorXd>(x, n);
    result_.g = Eigen::Map<const Eigen::VectorXd>(g, m);
    result_.objective = obj;
    switch (status) {
      case Ipopt::SUCCESS:
        result_.status = NlpStatus::Solved;
        result_.message = "solved";
        break;
      case Ipopt::STOP_AT_ACCEPTABLE_POINT:
        result_.status = NlpStatus::Solved;
        result_.message = "solved to acceptable level";
        break;
      case Ipopt::MAXITER_EXCEEDED:
      case Ipopt::CPUTIME_EXCEEDED:
        result_.status = NlpStatus::MaxIterations;
        result_.message = "maximum number of iterations exceeded";
        break;
      case Ipopt::LOCAL_INFEASIBILITY:
        result_.status = NlpStatus::Infeasible;
        result_.message = "converged to a point of local infeasibility (the problem may be infeasible)";
        break;
      case Ipopt::RESTORATION_FAILURE:
        result_.status = NlpStatus::Infeasible;
        result_.message = "restoration phase failed (the problem may be infeasible)";
        break;
      case Ipopt::INVALID_NUMBER_DETECTED:
        result_.status = NlpStatus::Failed;
        result_.message = "invalid number (NaN or Inf) in a function or derivative";
        break;
      default:
        result_.status = NlpStatus::Failed;
        result_.message = "IPOPT stopped with status " + std::to_string(static_cast<int>(status));
    }
  }

 private:
  // A new x invalidates both the values and the derivatives.
  void take(const Number* x, bool new_x) {
    if (!new_x && (evaluated_ || values_)) return;
    std::memcpy(x_.data(), x, sizeof(double) * static_cast<size_t>(n_));
    evaluated_ = values_ = false;
  }
  // f and g only, through the problem's values-only path when it has one.
  void update_values(const Number* x, bool new_x) {
    take(x, new_x);
    if (evaluated_ || values_) return;
    const auto start = Clock::now();
    if (!nlp_.evaluate_values(x_.data(), f_, g_.data())) {
      evaluate_all();
    } else {
      finite_ = std::isfinite(f_) && g_.allFinite();
      values_ = true;
      ++result_.evaluations;
    }
    result_.seconds_evaluation += std::chrono::duration<double>(Clock::now() - start).count();
  }
  void update(const Number* x, bool new_x) {
    take(x, new_x);
    if (evaluated_) return;
    const auto start = Clock::now();
    evaluate_all();
    result_.seconds_evaluation += std::chrono::duration<double>(Clock::now() - start).count();
  }
  void evaluate_all() {
    nlp_.evaluate(x_.data(), f_, grad_.data(), g_.data(), jac_.data());
    finite_ = std::isfinite(f_) && grad_.allFinite() && g_.allFinite() && jac_.allFinite();
    evaluated_ = values_ = true;
    ++result_.evaluations;
  }

  SparseNlp& nlp_;
  NlpResult& result_;
  int n_ = 0, m_ = 0;
  bool hessian_ = false;
  std::vector<int> rows_, cols_, hrows_, hcols_;
  Eigen::VectorXd x_, grad_, g_, jac_;
  double f_ = 0.0;
  bool evaluated_ = false, values_ = false, finite_ = true;
};

// MUMPS's SCOTCH ordering draws from SCOTCH's process-wide random generator, so a second solve
// in the same process (femur's Python module, a scenario's sweep) ordered differently and ended
// 1e-8 away from the first. SCOTCH_randomReset (scotch.h, SCOTCH 6-7) restarts the generator
// before each solve. libscotch comes in with MUMPS (not linked by femur): found among the
// loaded libraries, in the global scope or, inside a module loaded with RTLD_LOCAL, by soname.
void reset_scotch_random() {
  using Reset = void (*)();
  static const Reset reset = [] {
    void* f = dlsym(RTLD_DEFAULT, "SCOTCH_randomReset");
    for (const char* soname : {"libscotch-7.0.so", "libscotch-6.1.so", "libscotch-6.0.so", "libscotch.so"}) {
      if (f) break;
      if (void* h = dlopen(soname, RTLD_LAZY | RTLD_NOLOAD)) f = dlsym(h, "SCOTCH_randomReset");
    }
    return reinterpret_cast<Reset>(f);
  }();
  if (reset) reset();
}

}  // namespace

NlpResult solve_nlp(SparseNlp& nlp, const NlpSolverOptions& options) {
  NlpResult result;
  const auto start = Clock::now();
  const bool exact = options.exact_hessian && nlp.has_hessian();
  Ipopt::SmartPtr<Ipopt::TNLP> adapter = new Adapter(nlp, result, exact);
  Ipopt::SmartPtr<Ipopt::IpoptApplication> app = IpoptApplicationFactory();
  app->Options()->SetIntegerValue("print_level", options.print_level);
  app->Options()->SetStringValue("sb", "yes");  // no banner
  app->Options()->SetStringValue("hessian_approximation", exact ? "exact" : "limited-memory");
  // The adaptive barrier update (Nocedal, Waechter, Waltz 2009): with the monotone one the
  // barrier stops near tol and leaves controls that sit at their bounds measurably off them.
  app->Options()->SetStringValue("mu_strategy", "adaptive");
  // MUMPS's ordering and scaling (NlpSolverOptions; -1: AMD and automatic scaling). AMD on
  // MocoInverse's block-banded systems takes 15% less CPU than MUMPS's automatic ordering (18
  // muscles: 0.20 s against 0.24 s in IPOPT); the gait problems ask for SCOTCH without scaling.
  app->Options()->SetIntegerValue("mumps_pivot_order", options.mumps_pivot_order >= 0 ? options.mumps_pivot_order : 0);
  app->Options()->SetIntegerValue("mumps_permuting_scaling",
                                  options.mumps_permuting_scaling >= 0 ? options.mumps_permuting_scaling : 7);
  app->Options()->SetNumericValue("tol", options.convergence_tolerance);
  app->Options()->SetNumericValue("dual_inf_tol", options.convergence_tolerance);
  app->Options()->SetNumericValue("constr_viol_tol", options.constraint_tolerance);
  app->Options()->SetNumericValue("compl_inf_tol", options.convergence_tolerance);
  app->Options()->SetIntegerValue("max_iter", options.max_iterations);
  if (options.print_level >= 5) app->Options()->SetStringValue("print_timing_statistics", "yes");
  if (app->Initialize() != Ipopt::Solve_Succeeded) throw std::runtime_error("IPOPT failed to initialize");
  reset_scotch_random();
  const Ipopt::ApplicationReturnStatus status = app->OptimizeTNLP(adapter);
  if (result.x.size() == 0) {  // finalize_solution not called (error before the first iterate)
    result.status = NlpStatus::Failed;
    result.message = "IPOPT stopped before its first iterate (status " + std::to_string(static_cast<int>(status)) + ")";
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

DerivativeCheck check_derivatives(SparseNlp& nlp, const Eigen::VectorXd& x, double step) {
  const int n = nlp.num_variables(), m = nlp.num_constraints();
  std::vector<int> rows, cols;
  nlp.jacobian_structure(rows, cols);
  Eigen::VectorXd grad(n), g(m), jac(static_cast<Eigen::Index>(rows.size()));
  double f = 0.0;
  nlp.evaluate(x.data(), f, grad.data(), g.data(), jac.data());
  std::vector<std::vector<std::pair<int, double>>> by_column(static_cast<size_t>(n));
  for (std::size_t k = 0; k < rows.size(); ++k) by_column[static_cast<size_t>(cols[k])].push_back({rows[k], jac[static_cast<Eigen::Index>(k)]});
  DerivativeCheck out;
  Eigen::VectorXd xp = x, gp(m), gm(m), scratch_grad(n), scratch_jac(jac.size());
  for (int c = 0; c < n; ++c) {
    double fp = 0.0, fm = 0.0;
    xp[c] = x[c] + step;
    nlp.evaluate(xp.data(), fp, scratch_grad.data(), gp.data(), scratch_jac.data());
    xp[c] = x[c] - step;
    nlp.evaluate(xp.data(), fm, scratch_grad.data(), gm.data(), scratch_jac.data());
    xp[c] = x[c];
    const double gnum = (fp - fm) / (2.0 * step);
    out.max_gradient_error = std::max(out.max_gradient_error, std::abs(grad[c] - gnum) / std::max(1.0, std::abs(grad[c])));
    Eigen::VectorXd numeric = (gp - gm) / (2.0 * step);
    Eigen::VectorXd analytic = Eigen::VectorXd::Zero(m);
    std::vector<char> declared(static_cast<size_t>(m), 0);
    for (const auto& [r, v] : by_column[static_cast<size_t>(c)]) {
      analytic[r] = v;
      declared[static_cast<size_t>(r)] = 1;
    }
    for (int r = 0; r < m; ++r) {
      const double e = std::abs(analytic[r] - numeric[r]) / std::max(1.0, std::abs(analytic[r]));
      if (e > out.max_jacobian_error) {
        out.max_jacobian_error = e;
        out.worst_row = r;
        out.worst_column = c;
        out.analytic = analytic[r];
        out.numeric = numeric[r];
        out.outside_structure = !declared[static_cast<size_t>(r)];
      }
    }
  }
  return out;
}

double check_hessian(SparseNlp& nlp, const Eigen::VectorXd& x, double sigma, const Eigen::VectorXd& lambda,
                     double step) {
  const int n = nlp.num_variables(), m = nlp.num_constraints();
  std::vector<int> jr, jc, hr, hc;
  nlp.jacobian_structure(jr, jc);
  nlp.hessian_structure(hr, hc);
  Eigen::VectorXd hv(static_cast<Eigen::Index>(hr.size()));
  nlp.hessian(x.data(), sigma, lambda.data(), hv.data());
  Eigen::MatrixXd H = Eigen::MatrixXd::Zero(n, n);
  for (std::size_t k = 0; k < hr.size(); ++k) {
    H(hr[k], hc[k]) += hv[static_cast<Eigen::Index>(k)];
    if (hr[k] != hc[k]) H(hc[k], hr[k]) += hv[static_cast<Eigen::Index>(k)];
  }
  auto lagrangian_gradient = [&](const Eigen::VectorXd& at) {
    Eigen::VectorXd grad(n), g(m), jac(static_cast<Eigen::Index>(jr.size()));
    double f = 0.0;
    nlp.evaluate(at.data(), f, grad.data(), g.data(), jac.data());
    Eigen::VectorXd out = sigma * grad;
    for (std::size_t k = 0; k < jr.size(); ++k) out[jc[k]] += lambda[jr[k]] * jac[static_cast<Eigen::Index>(k)];
    return out;
  };
  double worst = 0.0;
  Eigen::VectorXd xp = x;
  for (int c = 0; c < n; ++c) {
    xp[c] = x[c] + step;
    const Eigen::VectorXd gp = lagrangian_gradient(xp);
    xp[c] = x[c] - step;
    const Eigen::VectorXd gm = lagrangian_gradient(xp);
    xp[c] = x[c];
    const Eigen::VectorXd numeric = (gp - gm) / (2.0 * step);
    for (int r = 0; r < n; ++r)
      worst = std::max(worst, std::abs(H(r, c) - numeric[r]) / std::max(1.0, std::abs(H(r, c))));
  }
  return worst;
}

}  // namespace femur::ocp
