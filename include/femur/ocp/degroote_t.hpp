// DeGrooteFregly2016Muscle over a scalar type T (double or ceres::Jet for forward-mode
// derivatives): the curves and the implicit-tendon equations optimal control needs. The
// equations are those of muscle/degroote2016.hpp (De Groote et al. 2016, Ann Biomed Eng
// 44:2922-2936; OpenSim/Actuators/DeGrooteFregly2016Muscle.h/.cpp), written once more as
// templates so that the double code path of the muscle layer keeps its speed. Parameters
// (DeGrooteFregly2016) stay double; only the variables of the optimal-control problem are T.
//
//   T r = ocp::degroote_implicit_residual(m, L, V, a, fT, dfT);   // equilibrium, normalized
//   T F = ocp::degroote_rigid_tendon_force(m, L, V, a);           // tendon force (N)
//   T adot = ocp::degroote_activation_rate(m, a, e);
#pragma once

#include <cmath>

#include "femur/muscle/degroote2016.hpp"

namespace femur::ocp {

namespace detail {
template <typename T>
T gaussian_like(const T& x, double b1, double b2, double b3, double b4) {
  using std::exp;
  const T s = b3 + b4 * x;
  const T r = x - b2;
  return b1 * exp(-0.5 * r * r / (s * s));
}
}  // namespace detail

// Active force-length multiplier (sum of three Gaussian-like terms, width scaled).
template <typename T>
T degroote_active_force_length(const DeGrooteFregly2016& m, const T& norm_fiber_length) {
  using namespace degroote;
  const T x = (norm_fiber_length - 1.0) / m.p.active_force_width_scale + 1.0;
  return detail::gaussian_like(x, b11, b21, b31, b41) + detail::gaussian_like(x, b12, b22, b32, b42) +
         detail::gaussian_like(x, b13, b23, b33, b43);
}

// Passive force-length multiplier (0 with ignore_passive_fiber_force).
template <typename T>
T degroote_passive_force_length(const DeGrooteFregly2016& m, const T& norm_fiber_length) {
  using std::exp;
  if (m.p.ignore_passive_fiber_force) return norm_fiber_length * 0.0;
  const double e0 = m.p.passive_fiber_strain_at_one_norm_force;
  return (exp(degroote::kPE * (norm_fiber_length - 1.0) / e0) - m.passive_offset) / m.passive_denominator;
}

// Force-velocity multiplier: d1 ln(d2 v + d3 + sqrt((d2 v + d3)^2 + 1)) + d4.
template <typename T>
T degroote_force_velocity(const T& norm_fiber_velocity) {
  using std::log;
  using std::sqrt;
  using namespace degroote;
  const T z = d2 * norm_fiber_velocity + d3;
  return d1 * log(z + sqrt(z * z + 1.0)) + d4;
}

// Normalized tendon length at normalized tendon force f: ln((f + c3)/c1)/kT + c2.
template <typename T>
T degroote_tendon_length_from_force(const DeGrooteFregly2016& m, const T& norm_tendon_force) {
  using std::log;
  using namespace degroote;
  return log((norm_tendon_force + c3) / c1) / m.kT + c2;
}

// da/dt (OpenSim computeStateVariableDerivatives; De Groote et al. 2016 eq. S2-S3), with the
// time constants given (OpenSim applies the first DeGroote muscle's to all: the caller picks).
template <typename T>
T degroote_activation_rate(const T& a, const T& e, double tau_a, double tau_d) {
  using std::tanh;
  const T z = 0.5 + 1.5 * a;
  const T f = 0.5 * tanh(0.1 * (e - a));
  return ((f + 0.5) / (tau_a * z) + (0.5 - f) * z / tau_d) * (e - a);
}

// Implicit tendon dynamics (tendon_compliance_dynamics_mode "implicit"): the state is the
// normalized tendon force fT, its derivative dfT a variable; the tendon velocity follows from
// dfT through the tendon stiffness (calcTendonForceLengthInverseCurveDerivative), the fiber
// velocity from the path's lengthening speed V. Returns the equilibrium residual
// fT - (a f_L f_V + f_PE + damping v) cos(alpha), normalized by the maximum isometric force.
template <typename T>
T degroote_implicit_residual(const DeGrooteFregly2016& m, double L, double V, const T& a, const T& fT,
                             const T& dfT) {
  using std::sqrt;
  const T lT = degroote_tendon_length_from_force(m, fT);
  const T along = L - m.p.tendon_slack_length * lT;
  const T lf = sqrt(along * along + m.fiber_width * m.fiber_width);
  const T cos_alpha = along / lf;
  const T lN = lf / m.p.optimal_fiber_length;
  // d fT / d lT = c1 kT exp(kT (lT - c2)) = kT (fT + c3).
  const T stiffness = m.kT * (fT + degroote::c3);
  const T tendon_velocity = m.p.tendon_slack_length * dfT / stiffness;
  const T vN = (V - tendon_velocity) * cos_alpha / (m.p.max_contraction_velocity * m.p.optimal_fiber_length);
  const T fiber = a * degroote_active_force_length(m, lN) * degroote_force_velocity(vN) +
                  degroote_passive_force_length(m, lN) + m.p.fiber_damping * vN;
  return fT - fiber * cos_alpha;
}

// Rigid tendon (ignore_tendon_compliance): tendon force in N = fiber force along the tendon,
// with the tendon at its slack length and the fiber velocity from the path's speed.
template <typename T>
T degroote_rigid_tendon_force(const DeGrooteFregly2016& m, double L, double V, const T& a) {
  using std::sqrt;
  const double along = L - m.p.tendon_slack_length;
  const double lf = std::sqrt(along * along + m.fiber_width * m.fiber_width);
  const double cos_alpha = along / lf;
  const double lN = lf / m.p.optimal_fiber_length;
  const double vN = V * cos_alpha / (m.p.max_contraction_velocity * m.p.optimal_fiber_length);
  const T fiber = a * degroote_active_force_length(m, lN) * degroote_force_velocity(vN) +
                  degroote_passive_force_length(m, lN) + m.p.fiber_damping * vN;
  return m.p.max_isometric_force * fiber * cos_alpha;
}

}  // namespace femur::ocp
