// DeGrooteFregly2016Muscle: curves of De Groote et al. (2016) Ann Biomed Eng 44:2922-2936
// (supplementary material, with OpenSim's corrections: passive curve through zero at l = 0.2,
// "-d3" in the inverse force-velocity curve) and the procedures of
// OpenSim/Actuators/DeGrooteFregly2016Muscle.cpp, restated.
#include "femur/muscle/degroote2016.hpp"

#include <algorithm>
#include <cmath>

namespace femur {
using namespace degroote;

DeGrooteFregly2016 make_degroote2016(const MuscleParameters& p) {
  DeGrooteFregly2016 m;
  m.p = p;
  m.fiber_width = p.optimal_fiber_length * std::sin(p.pennation_angle_at_optimal);
  m.kT = std::log((1.0 + c3) / c1) / (1.0 + p.tendon_strain_at_one_norm_force - c2);
  m.passive_offset = std::exp(kPE * (min_norm_fiber_length - 1.0) / p.passive_fiber_strain_at_one_norm_force);
  m.passive_denominator = std::exp(kPE) - m.passive_offset;
  return m;
}

namespace {
// b1 exp(-(x - b2)^2 / (2 (b3 + b4 x)^2)) and its derivative.
double gaussian_like(double x, double b1, double b2, double b3, double b4, double* d) {
  const double s = b3 + b4 * x;
  const double r = x - b2;
  const double g = b1 * std::exp(-0.5 * r * r / (s * s));
  if (d) *d = g * (-(r / (s * s)) + r * r * b4 / (s * s * s));
  return g;
}
}  // namespace

double degroote_active_force_length(const DeGrooteFregly2016& m, double l, double* d) {
  const double scale = m.p.active_force_width_scale;
  const double x = (l - 1.0) / scale + 1.0;
  double d1_ = 0, d2_ = 0, d3_ = 0;
  const double f = gaussian_like(x, b11, b21, b31, b41, &d1_) + gaussian_like(x, b12, b22, b32, b42, &d2_) +
                   gaussian_like(x, b13, b23, b33, b43, &d3_);
  if (d) *d = (d1_ + d2_ + d3_) / scale;
  return f;
}

double degroote_passive_force_length(const DeGrooteFregly2016& m, double l, double* d) {
  if (m.p.ignore_passive_fiber_force) {
    if (d) *d = 0.0;
    return 0.0;
  }
  const double e0 = m.p.passive_fiber_strain_at_one_norm_force;
  const double offset = m.passive_offset, denom = m.passive_denominator;
  const double ex = std::exp(kPE * (l - 1.0) / e0);
  if (d) *d = kPE * ex / (e0 * denom);
  return (ex - offset) / denom;
}

double degroote_tendon_force_length(const DeGrooteFregly2016& m, double lT, double* d) {
  const double ex = std::exp(m.kT * (lT - c2));
  if (d) *d = c1 * m.kT * ex;
  return c1 * ex - c3;
}

double degroote_tendon_force_length_inverse(const DeGrooteFregly2016& m, double f) {
  return std::log((f + c3) / c1) / m.kT + c2;
}

double degroote_force_velocity(double v, double* d) {
  const double z = d2 * v + d3;
  const double root = std::sqrt(z * z + 1.0);
  if (d) *d = d1 * d2 / root;
  return d1 * std::log(z + root) + d4;
}

double degroote_force_velocity_inverse(double fv) { return (std::sinh((fv - d4) / d1) - d3) / d2; }

double degroote_activation_derivative(const DeGrooteFregly2016& m, double a, double u) {
  if (m.p.ignore_activation_dynamics) return 0.0;
  // OpenSim caches these in function-local statics (the first muscle's values apply to all);
  // femur uses each muscle's own constants.
  const double b = 0.1;
  const double z = 0.5 + 1.5 * a;
  const double f = 0.5 * std::tanh(b * (u - a));
  const double rate = (f + 0.5) / (m.p.activation_time_constant * z) + (0.5 - f) * z / m.p.deactivation_time_constant;
  return rate * (u - a);
}

namespace {
// calcMuscleLengthInfoHelper + forces of calcMuscleDynamicsInfoHelper for given lT and fiber speed.
void length_info(const DeGrooteFregly2016& m, double L, double norm_tendon_length, MuscleState& s) {
  s.normalized_tendon_length = norm_tendon_length;
  s.tendon_length = m.p.tendon_slack_length * norm_tendon_length;
  const double along = L - s.tendon_length;
  s.fiber_length = std::sqrt(along * along + m.fiber_width * m.fiber_width);
  s.normalized_fiber_length = s.fiber_length / m.p.optimal_fiber_length;
  s.cos_pennation = along / s.fiber_length;
  s.pennation_angle = std::asin(m.fiber_width / s.fiber_length);
  s.passive_force_multiplier = degroote_passive_force_length(m, s.normalized_fiber_length);
  s.active_force_length_multiplier = degroote_active_force_length(m, s.normalized_fiber_length);
  s.fiber_clamped = false;
}
void forces(const DeGrooteFregly2016& m, double a, MuscleState& s) {
  const double F0 = m.p.max_isometric_force;
  s.active_fiber_force = F0 * a * s.active_force_length_multiplier * s.force_velocity_multiplier;
  s.passive_fiber_force = F0 * (s.passive_force_multiplier + m.p.fiber_damping * s.normalized_fiber_velocity);
  s.fiber_force = s.active_fiber_force + s.passive_fiber_force;
}
}  // namespace

void degroote_rigid_tendon_state(const DeGrooteFregly2016& m, double L, double V, double a, MuscleState& s) {
  length_info(m, L, 1.0, s);
  s.fiber_velocity = V * s.cos_pennation;
  s.normalized_fiber_velocity = s.fiber_velocity / (m.p.max_contraction_velocity * m.p.optimal_fiber_length);
  s.force_velocity_multiplier = degroote_force_velocity(s.normalized_fiber_velocity);
  forces(m, a, s);
  s.tendon_force = s.fiber_force * s.cos_pennation;
}

double degroote_inextensible_tendon_active_fiber_force(const DeGrooteFregly2016& m, double l, double v, double a) {
  const double lN = l / m.p.optimal_fiber_length;
  const double vN = v / (m.p.max_contraction_velocity * m.p.optimal_fiber_length);
  return m.p.max_isometric_force * a * degroote_active_force_length(m, lN) * degroote_force_velocity(vN);
}

void degroote_elastic_state(const DeGrooteFregly2016& m, double L, double V, double a, double fT, double dfT,
                            MuscleState& s) {
  length_info(m, L, degroote_tendon_force_length_inverse(m, fT), s);
  // Implicit form: tendon speed from dF/dt through the tendon stiffness.
  double kT = 0;
  degroote_tendon_force_length(m, s.normalized_tendon_length, &kT);
  const double vT = m.p.tendon_slack_length * dfT / kT;
  s.fiber_velocity = (V - vT) * s.cos_pennation;
  s.normalized_fiber_velocity = s.fiber_velocity / (m.p.max_contraction_velocity * m.p.optimal_fiber_length);
  s.force_velocity_multiplier = degroote_force_velocity(s.normalized_fiber_velocity);
  forces(m, a, s);
  s.tendon_force = m.p.max_isometric_force * fT;
}

double degroote_explicit_state(const DeGrooteFregly2016& m, double L, double V, double a, double fT,
                               MuscleState& s) {
  length_info(m, L, degroote_tendon_force_length_inverse(m, fT), s);
  s.force_velocity_multiplier =
      (fT / s.cos_pennation - s.passive_force_multiplier) / (a * s.active_force_length_multiplier);
  s.normalized_fiber_velocity = degroote_force_velocity_inverse(s.force_velocity_multiplier);
  s.fiber_velocity = s.normalized_fiber_velocity * m.p.max_contraction_velocity * m.p.optimal_fiber_length;
  forces(m, a, s);
  s.tendon_force = m.p.max_isometric_force * fT;
  const double tendon_velocity = V - s.fiber_velocity / s.cos_pennation;
  double kT = 0;
  degroote_tendon_force_length(m, s.normalized_tendon_length, &kT);
  return tendon_velocity / m.p.tendon_slack_length * kT;
}

EquilibriumResult degroote_fiber_equilibrium(const DeGrooteFregly2016& m, double L, double V, double a,
                                             MuscleState& out, double tolerance) {
  const double F0 = m.p.max_isometric_force;
  const double tol = tolerance > 0 ? tolerance / F0 : 1e-12;  // on normalized force
  auto residual = [&](double fT) {
    degroote_elastic_state(m, L, V, a, fT, 0.0, out);
    return (out.fiber_force * out.cos_pennation - out.tendon_force) / F0;
  };
  EquilibriumResult res;
  double lo = min_norm_tendon_force, hi = max_norm_tendon_force;
  double rlo = residual(lo), rhi = residual(hi);
  if ((rlo > 0) == (rhi > 0)) {  // OpenSim's bisection returns an end of the interval
    const double end = std::abs(rlo) < std::abs(rhi) ? lo : hi;
    res.residual = residual(end) * F0;
    res.status = EquilibriumStatus::Failed;
    return res;
  }
  // Bracketed secant/bisection on the residual (monotone in most of the range).
  double x = 0.5 * (lo + hi), r = residual(x);
  int k = 0;
  for (; k < 200 && std::abs(r) > tol; ++k) {
    if ((r > 0) == (rlo > 0)) { lo = x; rlo = r; } else { hi = x; rhi = r; }
    double next = lo - rlo * (hi - lo) / (rhi - rlo);  // regula falsi step
    if (!(next > lo && next < hi) || k % 3 == 2) next = 0.5 * (lo + hi);  // keep halving too
    if (hi - lo < 1e-15) break;
    x = next;
    r = residual(x);
  }
  res.iterations = k;
  res.residual = residual(x) * F0;
  res.status = std::abs(res.residual) <= tol * F0 ? EquilibriumStatus::Converged : EquilibriumStatus::Failed;
  return res;
}

}  // namespace femur
