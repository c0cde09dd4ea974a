// Runge-Kutta-Merson with Simbody's error control (see the header for the sources).
#include "femur/simulate/integrator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace femur::sim {

RungeKuttaMerson::RungeKuttaMerson(Derivative f, const IntegratorSettings& settings, int size, Projection project)
    : f_(std::move(f)), project_(std::move(project)), s_(settings) {
  y_ = f0_ = y1_ = ysave_ = fa_ = fb_ = ytmp_ = err_ = Eigen::VectorXd::Zero(size);
}

void RungeKuttaMerson::initialize(double t0, const Eigen::VectorXd& y0) {
  t_ = t0;
  y_ = y0;
  if (project_) project_(y_);
  f_(t_, y_, f0_);
  ++stats_.evaluations;
  // AbstractIntegratorRep::methodInitialize.
  h_ = s_.initial_step > 0 ? s_.initial_step : 0.01;
  if (s_.minimum_step > 0) h_ = std::max(h_, s_.minimum_step);
  h_ = std::min(h_, s_.maximum_step);
  last_h_ = h_;
}

double RungeKuttaMerson::error_norm(const Eigen::VectorXd& e, const Eigen::VectorXd& y0) const {
  const Eigen::Index n = e.size(), nq = s_.nq, nu = s_.nu, nz = n - nq - nu;
  // Simbody's calcRelativeScaling: weight 1/|v| when |v| > 1 (unit weights), else 1.
  auto rms = [&](Eigen::Index begin, Eigen::Index count, bool relative) {
    if (count <= 0) return 0.0;
    double sum = 0.0;
    for (Eigen::Index i = begin; i < begin + count; ++i) {
      const double v = std::abs(y0[i]);
      const double w = relative && v > 1.0 ? 1.0 / v : 1.0;
      sum += (w * e[i]) * (w * e[i]);
    }
    return std::sqrt(sum / static_cast<double>(count));
  };
  const double q = rms(0, nq, false), u = rms(nq, nu, true), z = rms(nq + nu, nz, true);
  return std::max({q, u, z});
}

bool RungeKuttaMerson::adjust_step_size(double err, bool limited) {
  constexpr double kSafety = 0.9, kMinShrink = 0.1, kMaxGrow = 5.0, kHysteresisLow = 0.9, kHysteresisHigh = 1.2;
  double h = 0.0;
  if (!std::isfinite(err)) h = kMinShrink * h_;
  else if (err == 0.0) h = kMaxGrow * h_;
  else h = kSafety * h_ * std::pow(s_.accuracy / err, 0.25);
  if (h > h_ && (limited || h < kHysteresisHigh * h_)) h = h_;
  if (h < h_) h = err <= s_.accuracy ? h_ : std::min(h, kHysteresisLow * h_);
  h = std::clamp(h, kMinShrink * h_, kMaxGrow * h_);
  if (s_.minimum_step > 0) h = std::max(h, s_.minimum_step);
  h = std::min(h, s_.maximum_step);
  const bool success = h >= h_;
  h_ = h;
  return success;
}

void RungeKuttaMerson::step(double t_end) {
  const double t0 = t_;
  for (;;) {
    // AbstractIntegratorRep::takeOneStep: aim at t0 + h unless the end is (almost) within reach.
    bool limited = false;
    double t1 = 0.0;
    if (t_end < t0 + 0.95 * h_) {
      limited = true;
      t1 = t_end;
    } else if (t_end > t0 + 1.001 * h_) {
      t1 = t0 + h_;
    } else {
      t1 = t_end;
    }
    if (!(t1 > t0))
      throw std::runtime_error(fmt::format("integrator: unable to advance time past t = {} (step {:.3g} s)", t0, h_));
    const double h = t1 - t0;
    ++stats_.attempts;

    // Merson's stages (RungeKuttaMersonIntegratorRep::attemptODEStep).
    ytmp_ = y_ + (h / 3) * f0_;
    f_(t0 + h / 3, ytmp_, fa_);                               // f1
    ytmp_ = y_ + (h / 6) * (f0_ + fa_);
    f_(t0 + h / 3, ytmp_, fa_);                               // f2
    ytmp_ = y_ + (h / 8) * (f0_ + 3 * fa_);
    f_(t0 + h / 2, ytmp_, fb_);                               // f3
    ysave_ = y_ + (h / 2) * (f0_ - 3 * fa_ + 4 * fb_);
    f_(t1, ysave_, fa_);                                      // f4
    stats_.evaluations += 4;
    y1_ = y_ + (h / 6) * (f0_ + 4 * fb_ + fa_);
    err_ = (y1_ - ysave_).cwiseAbs() / 5;

    const double err = error_norm(err_, y_);
    const bool at_minimum = s_.minimum_step > 0 && h_ <= s_.minimum_step;
    if (!std::isfinite(err) && at_minimum) {
      Eigen::Index worst = 0;
      for (Eigen::Index i = 0; i < err_.size(); ++i)
        if (!std::isfinite(err_[i])) { worst = i; break; }
      throw std::runtime_error(fmt::format(
          "integrator: the state derivative is not finite at t = {} (state {}) even at the minimum step {:.3g} s",
          t0, worst, s_.minimum_step));
    }
    if (!adjust_step_size(err, limited) || !std::isfinite(err)) continue;

    // Accepted.
    if (err > s_.accuracy) ++stats_.accepted_over_tolerance;
    stats_.worst_error = std::max(stats_.worst_error, err);
    ++stats_.steps;
    stats_.smallest_step = std::min(stats_.smallest_step, h);
    stats_.largest_step = std::max(stats_.largest_step, h);
    last_h_ = h;
    t_ = t1;
    y_ = y1_;
    if (project_) project_(y_);
    f_(t_, y_, f0_);
    ++stats_.evaluations;
    return;
  }
}

void RungeKuttaMerson::restart_after_discontinuity() {
  f_(std::nextafter(t_, std::numeric_limits<double>::infinity()), y_, f0_);
  ++stats_.evaluations;
}

}  // namespace femur::sim
