// Millard2012EquilibriumMuscle: the model of Millard et al. (2013) J Biomech Eng 135:021005
// with OpenSim's numerical procedures (OpenSim/Actuators/Millard2012EquilibriumMuscle.cpp:
// buildMuscle, calcMuscleLengthInfo, calcFiberVelocityInfo, calcDampedNormFiberVelocity,
// calcMuscleDynamicsInfo, estimateMuscleFiberState, calcActiveFiberForceAlongTendon), restated.
#include "femur/muscle/millard2012.hpp"

#include <algorithm>
#include <cmath>

namespace femur {
namespace {
constexpr double kSignificantReal = 1.0e-14;
}

Millard2012 make_millard2012(const MuscleParameters& p) {
  Millard2012 m;
  m.p = p;
  // buildMuscle always uses acos(0.1) as the maximum pennation angle.
  m.pennation = FixedWidthPennation(p.optimal_fiber_length, p.pennation_angle_at_optimal, std::acos(0.1));
  m.use_fiber_damping = p.fiber_damping >= 0.001;
  ActiveForceLengthCurveParameters afl = p.active_force_length;
  ForceVelocityCurveParameters fv = p.force_velocity;
  ForceVelocityCurveParameters fv_inv = p.force_velocity;
  if (!p.ignore_tendon_compliance && !m.use_fiber_damping) {
    // Elastic tendon without damping: the model is singular at a = 0, f_L = 0, f_V' = 0.
    m.minimum_activation = std::clamp(p.minimum_activation, 0.01, 1.0);
    afl.minimum_value = std::max(afl.minimum_value, 0.1);
    if (fv.concentric_slope_at_vmax < 0.1 || fv.eccentric_slope_at_vmax < 0.1)
      fv.concentric_slope_at_vmax = fv.eccentric_slope_at_vmax = 0.1;
  } else {
    m.minimum_activation = std::clamp(p.minimum_activation, 0.0, 1.0);
    afl.minimum_value = 0.0;
    fv.concentric_slope_at_vmax = fv.eccentric_slope_at_vmax = 0.0;
  }
  if (fv_inv.concentric_slope_at_vmax < 0.1 || fv_inv.eccentric_slope_at_vmax < 0.1)
    fv_inv.concentric_slope_at_vmax = fv_inv.eccentric_slope_at_vmax = 0.1;
  m.active_force_length = make_millard_active_force_length_curve(afl);
  m.force_velocity = make_millard_force_velocity_curve(fv);
  m.force_velocity_inverse = make_millard_force_velocity_inverse_curve(fv_inv);
  m.fiber_force_length = make_millard_fiber_force_length_curve(p.fiber_force_length);
  m.tendon_force_length = make_millard_tendon_force_length_curve(p.tendon_force_length);
  m.minimum_fiber_length = std::max(afl.min_norm_active_fiber_length * p.optimal_fiber_length,
                                    m.pennation.minimum_fiber_length);
  m.minimum_fiber_length_along_tendon =
      m.minimum_fiber_length * std::cos(m.pennation.pennation_angle(m.minimum_fiber_length));
  return m;
}

double millard_clamp_activation(const Millard2012& m, double a) {
  return std::clamp(a, m.minimum_activation, 1.0);
}

double millard_activation_derivative(const Millard2012& m, double a, double u) {
  if (m.p.ignore_activation_dynamics) return 0.0;
  // calcActivationDerivative: both excitation and activation are clamped to [a_min, 1].
  const double cu = std::clamp(u, m.minimum_activation, 1.0);
  const double ca = std::clamp(a, m.minimum_activation, 1.0);
  const double tau = (cu > ca) ? m.p.activation_time_constant * (0.5 + 1.5 * ca)
                               : m.p.deactivation_time_constant / (0.5 + 1.5 * ca);
  return (cu - ca) / tau;
}

namespace {

bool fiber_state_clamped(const Millard2012& m, double lce, double dlce) {
  return (lce <= m.minimum_fiber_length && dlce <= 0) || lce < m.minimum_fiber_length;
}

// Forces of calcMuscleDynamicsInfo from length and velocity quantities already in `s`.
void fill_forces(const Millard2012& m, double a, bool rigid, MuscleState& s) {
  const double F0 = m.p.max_isometric_force;
  if (s.fiber_clamped) {
    s.active_fiber_force = s.passive_fiber_force = s.fiber_force = 0.0;
    if (rigid) s.tendon_force = 0.0;
    return;
  }
  const double beta = m.use_fiber_damping ? m.p.fiber_damping : 0.0;
  double fa = F0 * a * s.active_force_length_multiplier * s.force_velocity_multiplier;
  double p1 = F0 * s.passive_force_multiplier;
  double p2 = F0 * beta * s.normalized_fiber_velocity;
  double fm = fa + p1 + p2;
  if (rigid && fm < 0) {  // the damping force saturates: a fiber never pushes
    fm = 0.0;
    p2 = -fa - p1;
  }
  s.active_fiber_force = fa;
  s.passive_fiber_force = p1 + p2;
  s.fiber_force = fm;
  if (rigid) s.tendon_force = fm * s.cos_pennation;
}

// calcDampedNormFiberVelocity: v solving (a f_L f_V(v) + f_PE + beta v) cos(phi) = f_T by Newton
// from the inverse-curve estimate. Returns false if it does not converge.
bool damped_norm_fiber_velocity(const Millard2012& m, double a, double fal, double fpe, double fse,
                                double cosphi, double& v) {
  const double F0 = m.p.max_isometric_force, beta = m.p.fiber_damping;
  const double tol = std::max(1.0e-10 * F0, kSignificantReal * 100);
  const double fv0 = (fse / std::max(cosphi, 0.01) - fpe) / (std::max(a, 0.01) * std::max(fal, 0.01));
  v = std::clamp(m.force_velocity_inverse.value(fv0), -1.0, 1.0);
  double err = 1e10;
  for (int iter = 0; iter < 20 && std::abs(err) > tol; ++iter) {
    const double fv = m.force_velocity.value(v);
    const double fm = F0 * (a * fal * fv + fpe + beta * v);
    err = fm * cosphi - fse * F0;
    if (std::abs(err) <= tol) break;  // converged: the slope is not needed
    const double derr = F0 * (a * fal * m.force_velocity.derivative(v, 1) + beta) * cosphi;
    if (std::abs(derr) > kSignificantReal) v -= err / derr;
  }
  return std::abs(err) <= tol;
}

}  // namespace

void millard_rigid_tendon_state(const Millard2012& m, double L, double V, double a, MuscleState& s) {
  const auto& pen = m.pennation;
  const double l0 = m.p.optimal_fiber_length, lTs = m.p.tendon_slack_length;
  const double ca = millard_clamp_activation(m, a);
  s.fiber_length = std::max(pen.fiber_length(L, lTs), m.minimum_fiber_length);
  s.normalized_fiber_length = s.fiber_length / l0;
  s.pennation_angle = pen.pennation_angle(s.fiber_length);
  // cos(asin(h/l)) = sqrt(1 - (h/l)^2) without the trigonometry (this is the hot path).
  const double sin_phi = pen.height / s.fiber_length;
  s.cos_pennation = s.pennation_angle == 0.0 ? 1.0
                    : (s.pennation_angle == pen.maximum_pennation ? std::cos(pen.maximum_pennation)
                                                                  : std::sqrt(1.0 - sin_phi * sin_phi));
  s.tendon_length = L - s.fiber_length * s.cos_pennation;
  s.normalized_tendon_length = s.tendon_length / lTs;
  const bool buckled = s.tendon_length < lTs - kSignificantReal;  // the fiber does not move
  s.fiber_velocity = buckled ? 0.0 : FixedWidthPennation::fiber_velocity(s.cos_pennation, V, 0.0);
  s.normalized_fiber_velocity = buckled ? 0.0 : s.fiber_velocity / (l0 * m.p.max_contraction_velocity);
  // f_PE, f_L and f_V together (f_V at 0 when buckled, then replaced by 1).
  double f[3];
  smooth_segmented_values3(m.fiber_force_length, s.normalized_fiber_length, m.active_force_length,
                           s.normalized_fiber_length, m.force_velocity, s.normalized_fiber_velocity, f);
  s.passive_force_multiplier = f[0];
  s.active_force_length_multiplier = f[1];
  s.force_velocity_multiplier = buckled ? 1.0 : f[2];
  s.fiber_clamped = fiber_state_clamped(m, s.fiber_length, s.fiber_velocity);
  if (s.fiber_clamped) {
    s.fiber_velocity = s.normalized_fiber_velocity = 0.0;
    s.force_velocity_multiplier = 1.0;
  }
  fill_forces(m, ca, /*rigid=*/true, s);
}

double millard_inextensible_tendon_active_fiber_force(const Millard2012& m, double l, double v, double a) {
  if (l <= m.minimum_fiber_length) return 0.0;
  const double ca = millard_clamp_activation(m, a);
  const double lN = l / m.p.optimal_fiber_length;
  const double vN = v / (m.p.optimal_fiber_length * m.p.max_contraction_velocity);
  const double fal = m.active_force_length.value(lN);
  const double fv = m.force_velocity.value(vN);
  // OpenSim passes the normalized length to calcPennationAngle here (upstream quirk, kept).
  const double phi = m.pennation.pennation_angle(lN);
  return m.p.max_isometric_force * ca * fal * fv * std::cos(phi);
}

void millard_elastic_state(const Millard2012& m, double L, double a, double fiber_length, MuscleState& s) {
  const double l0 = m.p.optimal_fiber_length, lTs = m.p.tendon_slack_length, F0 = m.p.max_isometric_force;
  const double ca = millard_clamp_activation(m, a);
  s.fiber_length = std::max(fiber_length, m.minimum_fiber_length);
  s.normalized_fiber_length = s.fiber_length / l0;
  s.pennation_angle = m.pennation.pennation_angle(s.fiber_length);
  s.cos_pennation = std::cos(s.pennation_angle);
  s.tendon_length = L - s.fiber_length * s.cos_pennation;
  s.normalized_tendon_length = s.tendon_length / lTs;
  // f_PE, f_L and f_T together (the same values as three value() calls, in lockstep).
  double f[3];
  smooth_segmented_values3(m.fiber_force_length, s.normalized_fiber_length, m.active_force_length,
                           s.normalized_fiber_length, m.tendon_force_length, s.normalized_tendon_length, f);
  s.passive_force_multiplier = f[0];
  s.active_force_length_multiplier = f[1];
  const double fse = f[2];
  double vN = -1.0;
  if (m.use_fiber_damping) {
    if (!damped_norm_fiber_velocity(m, ca, s.active_force_length_multiplier, s.passive_force_multiplier, fse,
                                    s.cos_pennation, vN))
      vN = -1.0;  // OpenSim throws here; femur reports the fiber as clamped below if it is
    s.force_velocity_multiplier = m.force_velocity.value(vN);
  } else {
    s.force_velocity_multiplier =
        (fse / s.cos_pennation - s.passive_force_multiplier) / (ca * s.active_force_length_multiplier);
    vN = m.force_velocity_inverse.value(s.force_velocity_multiplier);
  }
  s.normalized_fiber_velocity = vN;
  s.fiber_velocity = vN * m.p.max_contraction_velocity * l0;
  s.fiber_clamped = fiber_state_clamped(m, s.fiber_length, s.fiber_velocity);
  if (s.fiber_clamped) {
    s.fiber_velocity = s.normalized_fiber_velocity = 0.0;
    s.force_velocity_multiplier = 1.0;
  }
  fill_forces(m, ca, /*rigid=*/false, s);
  s.tendon_force = F0 * fse;
}

EquilibriumResult millard_fiber_equilibrium(const Millard2012& m, double ml, double dml, double a,
                                            MuscleState& out, double tolerance) {
  const double fiso = m.p.max_isometric_force, tsl = m.p.tendon_slack_length, ofl = m.p.optimal_fiber_length;
  const double vmax = m.p.max_contraction_velocity;
  const double tol = tolerance > 0 ? tolerance : std::max(1e-10 * fiso, 10 * kSignificantReal);
  const double beta = m.use_fiber_damping ? m.p.fiber_damping : 0.0;
  const double ma = millard_clamp_activation(m, a);
  const auto& pen = m.pennation;
  const double h = pen.height;
  const bool static_solution = std::abs(dml) < kSignificantReal;
  EquilibriumResult res;

  // --- estimateMuscleFiberState ---
  double tl = tsl * 1.01;
  double lce = std::max(pen.fiber_length(ml, tl), m.minimum_fiber_length);
  double phi = pen.pennation_angle(lce), cosphi = std::cos(phi), sinphi = std::sin(phi);
  double tlN = tl / tsl, lceN = lce / ofl;
  double dtl = 0.0;
  double dlce = static_solution ? 0.0 : FixedWidthPennation::fiber_velocity(cosphi, dml, dtl);
  double dlceN = static_solution ? 0.0 : dlce / (vmax * ofl);
  double ferr = 10.0;
  int iter = 0, min_ctr = 0;
  const int max_iter = 200;
  while (std::abs(ferr) > tol && iter < max_iter && min_ctr < 10) {
    const double fal = m.active_force_length.value(lceN);
    const double fpe = m.fiber_force_length.value(lceN);
    const double fse = m.tendon_force_length.value(tlN);
    const double fv = static_solution ? 1.0 : m.force_velocity.value(dlceN);
    const double Fm = fiso * (ma * fal * fv + fpe + beta * dlceN);
    ferr = Fm * cosphi - fse * fiso;
    // Partials (calcFiberStiffness, calc_DFiberForceAT_DFiberLength[AT], calc_DTendonForce_DFiberLength).
    const double dFm_dlce = fiso * (ma * m.active_force_length.derivative(lceN, 1) * fv +
                                    m.fiber_force_length.derivative(lceN, 1)) / ofl;
    const double dphi_dlce = pen.dpennation_dfiber_length(lce);
    const double dFmAT_dlce = dFm_dlce * cosphi + Fm * (-sinphi * dphi_dlce);
    const double dlceAT_dlce = cosphi - lce * sinphi * dphi_dlce;
    const double dFmAT_dlceAT = dFmAT_dlce / dlceAT_dlce;
    const double dFt_d_tl = m.tendon_force_length.derivative(tlN, 1) * fiso / tsl;
    const double dtl_dlce = -dlceAT_dlce;  // tl = L - l cos(phi)
    const double dFt_d_lce = dFt_d_tl * dtl_dlce;
    const double dferr = dFmAT_dlce - dFt_d_lce;
    (void)h;
    if (std::abs(ferr) > tol) {
      if (std::abs(dferr) > kSignificantReal) lce -= ferr / dferr;
      else lce += 0.25 * ofl;  // OpenSim perturbs randomly by up to 0.5 l0 here
      if (!(lce >= m.minimum_fiber_length) || fiber_state_clamped(m, lce, dlceN)) {
        ++min_ctr;
        lce = m.minimum_fiber_length;
      }
      phi = pen.pennation_angle(lce);
      sinphi = std::sin(phi);
      cosphi = std::cos(phi);
      tl = ml - lce * cosphi;
      lceN = lce / ofl;
      tlN = tl / tsl;
      if (!static_solution) {
        // Share the path speed between fiber and tendon by their stiffnesses in series.
        if (std::abs(dFmAT_dlceAT + dFt_d_tl) > kSignificantReal && tlN > 1.0) {
          const double Ke = dFmAT_dlceAT * dFt_d_tl / (dFmAT_dlceAT + dFt_d_tl);
          dtl = Ke / dFt_d_tl * dml;
        } else {
          dtl = dml;
        }
        dlce = FixedWidthPennation::fiber_velocity(cosphi, dml, dtl);
        dlceN = dlce / (vmax * ofl);
      }
    }
    ++iter;
  }
  res.iterations = iter;
  if (std::isfinite(ferr) && std::abs(ferr) < tol) {
    res.status = EquilibriumStatus::Converged;
    res.residual = ferr;
    millard_elastic_state(m, ml, a, lce, out);
    return res;
  }
  if (iter < max_iter && min_ctr >= 10) {  // OpenSim: "at its minimum length"
    res.status = EquilibriumStatus::AtMinimumLength;
    res.residual = ferr;
    millard_elastic_state(m, ml, a, m.minimum_fiber_length, out);
    return res;
  }

  // --- Fallback: bisection of the static-velocity balance (or with the stiffness-shared
  // speed, evaluated at each trial length) over [l_min, l at tendon slack] ---
  res.used_fallback = true;
  auto residual = [&](double l) {
    const double ph = pen.pennation_angle(l), c = std::cos(ph), sn = std::sin(ph);
    const double t = ml - l * c;
    const double lN = l / ofl, tN = t / tsl;
    const double fal = m.active_force_length.value(lN), fpe = m.fiber_force_length.value(lN);
    const double fse = m.tendon_force_length.value(tN);
    double vN = 0.0;
    if (!static_solution) {
      const double dFt = m.tendon_force_length.derivative(tN, 1) * fiso / tsl;
      double fv = 1.0;
      for (int k = 0; k < 4; ++k) {
        const double Fm = fiso * (ma * fal * fv + fpe + beta * vN);
        const double dFm = fiso * (ma * m.active_force_length.derivative(lN, 1) * fv +
                                   m.fiber_force_length.derivative(lN, 1)) / ofl;
        const double dph = pen.dpennation_dfiber_length(l);
        const double dAT = c - l * sn * dph;
        const double kAT = (dFm * c + Fm * (-sn * dph)) / dAT;
        double vt = dml;
        if (std::abs(kAT + dFt) > kSignificantReal && tN > 1.0) vt = kAT / (kAT + dFt) * dml;
        vN = FixedWidthPennation::fiber_velocity(c, dml, vt) / (vmax * ofl);
        fv = m.force_velocity.value(vN);
      }
    }
    const double fv = static_solution ? 1.0 : m.force_velocity.value(vN);
    return fiso * (ma * fal * fv + fpe + beta * vN) * c - fse * fiso;
  };
  double lo = m.minimum_fiber_length, hi = pen.fiber_length(ml, tsl);
  double rlo = residual(lo);
  if (hi <= lo || rlo >= 0.0) {
    res.status = EquilibriumStatus::AtMinimumLength;
    res.residual = rlo;
    millard_elastic_state(m, ml, a, m.minimum_fiber_length, out);
    return res;
  }
  double mid = hi, rmid = residual(hi);
  int k = 0;
  for (; k < 200 && std::abs(rmid) > tol; ++k) {
    mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    rmid = residual(mid);
    if ((rmid < 0) == (rlo < 0)) { lo = mid; rlo = rmid; } else { hi = mid; }
  }
  res.iterations += k;
  res.residual = rmid;
  res.status = std::abs(rmid) <= tol ? EquilibriumStatus::Converged : EquilibriumStatus::Failed;
  millard_elastic_state(m, ml, a, mid, out);
  return res;
}

}  // namespace femur
