// Thelen2003Muscle: curves from Thelen (2003) J Biomech Eng 125:70-77 (eqs. 2-7) and the
// numerical procedures of OpenSim/Actuators/Thelen2003Muscle.cpp (calcdlceN, calcfvInv,
// initMuscleState, calcActiveFiberForceAlongTendon), restated; see OPENSIM-NOTES.md B.3.
#include "femur/muscle/thelen2003.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace femur {
namespace {

constexpr double kSignificantReal = 1.0e-14;   // SimTK::SignificantReal (double)
constexpr double kSqrtEps = 1.4901161193847656e-08;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double sign(double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0); }

}  // namespace

Thelen2003 make_thelen2003(const MuscleParameters& p) {
  Thelen2003 m;
  m.p = p;
  m.pennation = FixedWidthPennation(p.optimal_fiber_length, p.pennation_angle_at_optimal, p.maximum_pennation_angle);
  // Thelen 2003 reports e_toe = 0.609 e0; OpenSim uses the exact value for C1 continuity at
  // the toe end with kToe = 3 and Ftoe = 0.33.
  const double e3 = std::exp(3.0);
  const double e0 = p.fmax_tendon_strain;
  m.e_toe = 99.0 * e0 * e3 / (166.0 * e3 - 67.0);
  m.k_lin = 0.67 / (e0 - m.e_toe);
  m.passive_denominator = std::exp(p.kshape_passive) - 1.0;
  return m;
}

double thelen_active_force_length(const Thelen2003& m, double l, double* d) {
  const double g = m.p.kshape_active;
  const double x = l - 1.0;
  const double f = std::exp(-x * x / g);
  if (d) *d = -2.0 * x / g * f;
  return f;
}

double thelen_passive_force_length(const Thelen2003& m, double l, double* d) {
  const double e0 = m.p.fmax_muscle_strain, k = m.p.kshape_passive;
  if (l > 1.0) {
    const double ex = std::exp(k * (l - 1.0) / e0);
    const double den = m.passive_denominator;
    if (d) *d = k / e0 * ex / den;
    return (ex - 1.0) / den;
  }
  if (d) *d = 0.0;
  return 0.0;
}

double thelen_tendon_force_length(const Thelen2003& m, double tl, double* d) {
  constexpr double kToe = 3.0, fToe = 0.33;
  const double x = tl - 1.0;
  if (x > m.e_toe) {
    if (d) *d = m.k_lin;
    return m.k_lin * (x - m.e_toe) + fToe;
  }
  if (x > 0.0) {
    const double c = fToe / (std::exp(kToe) - 1.0);
    const double ex = std::exp(kToe * x / m.e_toe);
    if (d) *d = c * kToe / m.e_toe * ex;
    return c * (ex - 1.0);
  }
  if (d) *d = 0.0;
  return 0.0;
}

double thelen_normalized_fiber_velocity(const Thelen2003& m, double a, double fal, double F, double* dF) {
  const double af = m.p.af, flen = m.p.flen;
  const double afl = a * fal;
  const double asyE = afl * flen;                 // eccentric asymptote
  const double thresh = m.p.fv_linear_extrap_threshold;
  const double k = 0.25 + 0.75 * a;
  auto b_of = [&](double Fm, double& db) {
    if (Fm <= afl) {  // concentric, Thelen 2003 eq. 7
      db = 1.0 / af;
      return afl + Fm / af;
    }
    db = -(2.0 + 2.0 / af) / (flen - 1.0);  // eccentric
    return (2.0 + 2.0 / af) * (afl * flen - Fm) / (flen - 1.0);
  };
  if (F > 0.0 && F < asyE * thresh) {  // eq. 6
    double db = 0;
    const double b = b_of(F, db);
    if (dF) *dF = k / b - k * (F - afl) / (b * b) * db;
    return k * (F - afl) / b;
  }
  // Linear extrapolation from the last valid point of eq. 6.
  double F0 = 0.0, b = 0.0, db = 0.0;
  if (F <= 0.0) {  // concentric side: from F = 0
    b = afl;
    db = 1.0 / af;
  } else {         // eccentric side: from the threshold force
    F0 = thresh * asyE;
    b = (2.0 + 2.0 / af) * (afl * flen - F0) / (flen - 1.0);
    db = -(2.0 + 2.0 / af) / (flen - 1.0);
  }
  const double v0 = k * (F0 - afl) / b;
  const double slope = k / b - k * (F0 - afl) / (b * b) * db;
  if (dF) *dF = slope;
  return v0 + slope * (F - F0);
}

double thelen_force_velocity_multiplier(const Thelen2003& m, double a, double fal, double v,
                                        double tolerance, int max_iterations) {
  // Newton on a f_L f_V from f_V = 1, as calcfvInv: the error is measured before each step and
  // the step taken regardless, so the returned value is one step past the last check.
  double ferr = 1.0;
  double F = a * fal;
  int iter = 0;
  while (std::abs(ferr) >= tolerance && iter < max_iterations) {
    double dF = 0;
    const double v1 = thelen_normalized_fiber_velocity(m, a, fal, F, &dF);
    ferr = v1 - v;
    if (std::abs(dF) > kSignificantReal) F -= ferr / dF;
    ++iter;
  }
  if (std::abs(ferr) < tolerance) return std::max(0.0, F / (a * fal));
  return kNaN;
}

namespace {
// f_V for a normalized fiber velocity in closed form: eqs. 6-7 are linear-fractional in
// F = a f_L f_V on each side, and linear in the extrapolated regions, so each piece inverts
// exactly (calcfvInv reaches the same value by Newton). Every piece is homogeneous of degree
// one in (F, a f_L) (the eccentric threshold force is a multiple of a f_L too), so f_V = F/(a f_L)
// depends on a and v only and is written without a f_L (fewer divisions on the hot path).
// Clamped at 0 as OpenSim does.
double thelen_fv_closed_form(const Thelen2003& m, double a, double v) {
  const double af = m.p.af, flen = m.p.flen, thresh = m.p.fv_linear_extrap_threshold;
  const double k = 0.25 + 0.75 * a;
  double fv;
  if (v <= 0.0) {
    const double v_min = -k;  // velocity at F = 0
    if (v > v_min) {
      fv = (k + v) / (k - v / af);  // v (1 + f_V/Af) = k (f_V - 1)
    } else {
      fv = (v - v_min) / (k + k / af);  // slope of eq. 6 at F = 0, times a f_L
    }
  } else {
    const double c = (2.0 + 2.0 / af) / (flen - 1.0);
    const double B = c * flen * (1.0 - thresh);  // b/(a f_L) at the threshold force
    const double v0 = k * (thresh * flen - 1.0) / B;
    if (v < v0) {
      fv = (v * c * flen + k) / (k + v * c);  // v c (Flen - f_V) = k (f_V - 1)
    } else {
      const double slope = k / B + k * (thresh * flen - 1.0) / (B * B) * c;  // dv/dF times a f_L
      fv = thresh * flen + (v - v0) / slope;
    }
  }
  return std::max(0.0, fv);
}
}  // namespace

double thelen_clamp_activation(const Thelen2003& m, double a) {
  return std::clamp(a, m.p.minimum_activation, 1.0);
}

double thelen_activation_derivative(const Thelen2003& m, double a, double u) {
  // MuscleFirstOrderActivationDynamicModel::calcDerivative (Thelen 2003 eq. 1 with the
  // activation-dependent time constants of Winters 1995).
  a = thelen_clamp_activation(m, a);
  const double tau = (u > a) ? m.p.activation_time_constant * (0.5 + 1.5 * a)
                             : m.p.deactivation_time_constant / (0.5 + 1.5 * a);
  return (u - a) / tau;
}

double thelen_inextensible_tendon_active_fiber_force(const Thelen2003& m, double l, double v, double a) {
  if (!(l > m.pennation.minimum_fiber_length)) return 0.0;
  const double ca = thelen_clamp_activation(m, a);
  const double lN = l / m.p.optimal_fiber_length;
  const double vN = v / (m.p.optimal_fiber_length * m.p.max_contraction_velocity);
  const double fal = thelen_active_force_length(m, lN);
  const double fv = thelen_force_velocity_multiplier(m, ca, fal, vN, 1e-6, 100);
  const double phi = m.pennation.pennation_angle(l);
  return m.p.max_isometric_force * ca * fal * fv * std::cos(phi);
}

void thelen_rigid_tendon_state(const Thelen2003& m, double L, double V, double a, MuscleState& s) {
  const auto& pen = m.pennation;
  const double F0 = m.p.max_isometric_force, l0 = m.p.optimal_fiber_length;
  const double ca = thelen_clamp_activation(m, a);
  s.fiber_length = std::max(pen.fiber_length(L, m.p.tendon_slack_length), pen.minimum_fiber_length);
  s.normalized_fiber_length = s.fiber_length / l0;
  s.pennation_angle = pen.pennation_angle(s.fiber_length);
  // cos(asin(h/l)) without the trigonometry (the rigid-tendon path is the hot one).
  s.cos_pennation = s.pennation_angle == 0.0 ? 1.0
                    : (s.pennation_angle == pen.maximum_pennation ? std::cos(pen.maximum_pennation)
                                                                  : std::sqrt(1.0 - (pen.height / s.fiber_length) *
                                                                                        (pen.height / s.fiber_length)));
  s.tendon_length = L - s.fiber_length * s.cos_pennation;
  s.normalized_tendon_length = s.tendon_length / m.p.tendon_slack_length;
  s.fiber_velocity = FixedWidthPennation::fiber_velocity(s.cos_pennation, V, 0.0);
  s.normalized_fiber_velocity = s.fiber_velocity / (l0 * m.p.max_contraction_velocity);
  s.active_force_length_multiplier = thelen_active_force_length(m, s.normalized_fiber_length);
  s.passive_force_multiplier = thelen_passive_force_length(m, s.normalized_fiber_length);
  s.fiber_clamped = !(s.fiber_length > pen.minimum_fiber_length) && s.fiber_velocity <= 0.0;
  s.force_velocity_multiplier =
      s.fiber_clamped ? 1.0
                      : thelen_fv_closed_form(m, ca, s.normalized_fiber_velocity);
  s.active_fiber_force = F0 * ca * s.active_force_length_multiplier * s.force_velocity_multiplier;
  s.passive_fiber_force = F0 * s.passive_force_multiplier;
  s.fiber_force = s.active_fiber_force + s.passive_fiber_force;
  s.tendon_force = s.fiber_force * s.cos_pennation;
}

void thelen_elastic_state(const Thelen2003& m, double L, double a, double fiber_length, MuscleState& s) {
  const auto& pen = m.pennation;
  const double F0 = m.p.max_isometric_force, l0 = m.p.optimal_fiber_length;
  const double ca = thelen_clamp_activation(m, a);
  s.fiber_length = std::max(fiber_length, pen.minimum_fiber_length);  // clampFiberLength
  s.normalized_fiber_length = s.fiber_length / l0;
  s.pennation_angle = pen.pennation_angle(s.fiber_length);
  // cos(asin(h/l)) without the trigonometry (this runs at every state derivative).
  s.cos_pennation = s.pennation_angle == 0.0 ? 1.0
                    : (s.pennation_angle == pen.maximum_pennation ? std::cos(pen.maximum_pennation)
                                                                  : std::sqrt(1.0 - (pen.height / s.fiber_length) *
                                                                                        (pen.height / s.fiber_length)));
  s.tendon_length = L - s.fiber_length * s.cos_pennation;
  s.normalized_tendon_length = s.tendon_length / m.p.tendon_slack_length;
  const double fse = thelen_tendon_force_length(m, s.normalized_tendon_length);
  s.active_force_length_multiplier = thelen_active_force_length(m, s.normalized_fiber_length);
  s.passive_force_multiplier = thelen_passive_force_length(m, s.normalized_fiber_length);
  const double afalfv = fse / s.cos_pennation - s.passive_force_multiplier;
  s.force_velocity_multiplier = afalfv / (ca * s.active_force_length_multiplier);
  s.normalized_fiber_velocity = thelen_normalized_fiber_velocity(m, ca, s.active_force_length_multiplier, afalfv);
  s.fiber_velocity = s.normalized_fiber_velocity * m.p.max_contraction_velocity * l0;
  // isFiberStateClamped: at the lower bound and shortening.
  s.fiber_clamped = s.fiber_length <= pen.minimum_fiber_length && s.normalized_fiber_velocity <= 0.0;
  if (s.fiber_clamped) {
    s.fiber_velocity = s.normalized_fiber_velocity = 0.0;
    s.force_velocity_multiplier = 1.0;
  }
  s.active_fiber_force = s.fiber_clamped ? 0.0
                                         : F0 * ca * s.active_force_length_multiplier * s.force_velocity_multiplier;
  s.passive_fiber_force = F0 * s.passive_force_multiplier;
  s.fiber_force = s.fiber_clamped ? 0.0 : s.active_fiber_force + s.passive_fiber_force;
  s.tendon_force = F0 * fse;
}

namespace {

// The working variables of initMuscleState; each member function is one of its lambdas.
struct ThelenSolver {
  const Thelen2003& m;
  double ma, ml, dml, tol;
  double tsl, ofl, fiso, vmax, h;
  double lce = 0, phi = 0, cosphi = 1, tl = 0, lceN = 0, tlN = 0;
  double fse = 0, fal = 0, fpe = 0, fv = 1;
  double Fm = 0, FmAT = 0, Ft = 0, ferr = 0;
  double dFm_dlce = 0, dFmAT_dlce = 0, dFmAT_dlceAT = 0, dFt_d_tl = 0, dFt_d_lce = 0;
  double dtl = 0, dlce = 0, dlceN = 0;

  ThelenSolver(const Thelen2003& mm, double a, double L, double V, double t)
      : m(mm), ma(a), ml(L), dml(V), tol(t) {
    tsl = m.p.tendon_slack_length;
    ofl = m.p.optimal_fiber_length;
    fiso = m.p.max_isometric_force;
    vmax = m.p.max_contraction_velocity;
    h = m.pennation.height;
  }
  void position() {
    phi = m.pennation.pennation_angle(lce);
    cosphi = std::cos(phi);
    tl = ml - lce * cosphi;
    lceN = lce / ofl;
    tlN = tl / tsl;
  }
  void multipliers() {
    fse = thelen_tendon_force_length(m, tlN);
    fal = thelen_active_force_length(m, lceN);
    fpe = thelen_passive_force_length(m, lceN);
  }
  void force_error() {
    Fm = (ma * fal * fv + fpe) * fiso;
    FmAT = Fm * cosphi;
    Ft = fse * fiso;
    ferr = FmAT - Ft;
  }
  void partials() {
    double dfal = 0, dfpe = 0, dfse = 0;
    thelen_active_force_length(m, lceN, &dfal);
    thelen_passive_force_length(m, lceN, &dfpe);
    thelen_tendon_force_length(m, tlN, &dfse);
    dFm_dlce = ((ma * fv) * dfal + dfpe) * fiso / ofl;
    // calcDFmATDlce: d(cos phi)/dl = h^2 / (l^3 sqrt(1 - h^2/l^2)).
    const double h2 = h * h, l2 = lce * lce;
    const double dcos = h2 / (l2 * lce * std::sqrt(1.0 - h2 / l2));
    dFmAT_dlce = dFm_dlce * cosphi + Fm * dcos;
    dFmAT_dlceAT = dFmAT_dlce * cosphi;
    dFt_d_tl = dfse * fiso / tsl;
    // calcDFseDlce
    const double r = h / lce;
    const double dphi = -h / (l2 * std::sqrt(1.0 - r * r));
    const double dtl_dlce = -std::cos(phi) + lce * std::sin(phi) * dphi;
    dFt_d_lce = dfse * dtl_dlce * fiso / tsl;
  }
  // Shares the path speed between fiber and tendon by stiffness, then f_V from the fiber speed.
  bool velocity() {
    if (std::abs(dFmAT_dlceAT + dFt_d_tl) > kSignificantReal && tl > tsl)
      dtl = dFmAT_dlceAT / (dFmAT_dlceAT + dFt_d_tl) * dml;
    else
      dtl = dml;
    dlce = FixedWidthPennation::fiber_velocity(cosphi, dml, dtl);
    dlceN = dlce / (vmax * ofl);
    fv = thelen_force_velocity_multiplier(m, ma, fal, dlceN, tol, 100);
    return std::isfinite(fv);
  }
};

}  // namespace

EquilibriumResult thelen_fiber_equilibrium(const Thelen2003& m, double L, double V, double a,
                                           MuscleState& out, double tolerance) {
  const double fiso = m.p.max_isometric_force;
  const double tol = tolerance > 0 ? tolerance : std::max(1e-10 * fiso, 10 * kSignificantReal);
  const double lmin = m.pennation.minimum_fiber_length;
  EquilibriumResult res;
  ThelenSolver S(m, a, L, V, tol);

  // --- OpenSim's iteration (Thelen2003Muscle::initMuscleState, up to 20 Newton steps) ---
  bool ok = true;
  S.tl = 1.01 * S.tsl;
  S.lce = m.pennation.fiber_length(L, S.tl);
  S.position();
  S.multipliers();
  S.fv = 1.0;
  S.partials();
  ok = S.velocity();
  S.force_error();
  S.partials();
  double ferr_prev = S.ferr, lce_prev = S.lce;
  int iter = 0;
  while (ok && std::abs(S.ferr) > tol && iter < 20) {
    const double dferr = S.dFmAT_dlce - S.dFt_d_lce;
    double hstep = 1.0;
    while (std::abs(S.ferr) >= std::abs(ferr_prev)) {
      const double delta = -hstep * ferr_prev / dferr;
      if (std::abs(delta) > kSignificantReal) {
        S.lce = lce_prev + delta;
      } else {
        S.lce = lce_prev - sign(delta) * kSqrtEps;
        hstep = 0;
      }
      if (!(S.lce >= lmin)) S.lce = lmin;  // also catches NaN
      S.position();
      S.multipliers();
      S.force_error();
      if (hstep <= kSqrtEps) break;
      hstep *= 0.5;
    }
    ferr_prev = S.ferr;
    lce_prev = S.lce;
    S.partials();
    ok = S.velocity();
    ++iter;
  }
  res.iterations = iter;
  if (ok && std::isfinite(S.ferr) && std::abs(S.ferr) < tol) {
    res.status = EquilibriumStatus::Converged;
    res.residual = S.ferr;
    thelen_elastic_state(m, L, a, S.lce, out);
    return res;
  }

  // --- Fallback: bisection on the same balance over [l_min, fiber length at tendon slack] ---
  // The velocity share depends on the stiffnesses at l, so f_V is iterated to its fixed point
  // at each trial length.
  res.used_fallback = true;
  auto residual = [&](double l) {
    S.lce = l;
    S.position();
    S.multipliers();
    S.fv = 1.0;
    S.Fm = (S.ma * S.fal + S.fpe) * fiso;
    for (int k = 0; k < 4; ++k) {
      S.partials();
      if (!S.velocity()) S.fv = 1.0;
      S.Fm = (S.ma * S.fal * S.fv + S.fpe) * fiso;
    }
    S.force_error();
    return S.ferr;
  };
  double lo = lmin;
  double hi = m.pennation.fiber_length(L, S.tsl);
  double rlo = residual(lo);
  if (hi <= lo || rlo >= 0.0) {  // the fiber would be shorter than its minimum
    res.status = EquilibriumStatus::AtMinimumLength;
    res.residual = rlo;
    thelen_elastic_state(m, L, a, lmin, out);
    return res;
  }
  double rhi = residual(hi);
  int k = 0;
  double mid = hi, rmid = rhi;
  for (; k < 200 && std::abs(rmid) > tol; ++k) {
    mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    rmid = residual(mid);
    if ((rmid < 0) == (rlo < 0)) { lo = mid; rlo = rmid; } else { hi = mid; rhi = rmid; }
  }
  res.iterations += k;
  res.residual = rmid;
  res.status = std::abs(rmid) <= tol ? EquilibriumStatus::Converged : EquilibriumStatus::Failed;
  thelen_elastic_state(m, L, a, mid, out);
  return res;
}

}  // namespace femur
