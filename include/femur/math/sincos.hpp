// Sine and cosine of one angle together, inline: the joint recursions need about twenty per
// call for a gait model, and libm's sincos, an out-of-line call with a general argument
// reduction, was a sixth of an inverse dynamics call. Accurate to about one unit in the last
// place, like libm; angles beyond +-2^20 rad and non-finite ones go to libm.
//
// Method: Cody & Waite reduction x = k pi/2 + r, |r| <= pi/4, with pi/2 split into a 33-bit
// head (k pi/2 head is exact for |k| < 2^20) and a tail; then the minimax polynomials of
// fdlibm's kernels (Sun Microsystems 1993, k_sin.c and k_cos.c; the coefficients are the
// published values) on [-pi/4, pi/4], the cosine in the compensated form 1 - z/2 + ... that
// keeps its last bit; finally the quadrant k mod 4 swaps and negates the pair.
#pragma once

#include <cmath>

namespace femur {

inline void sincos_fast(double x, double* s_out, double* c_out) {
  if (!(std::fabs(x) < 1048576.0)) {  // also NaN
    ::sincos(x, s_out, c_out);
    return;
  }
  constexpr double kTwoOverPi = 6.36619772367581382433e-01;
  constexpr double kPiO2Head = 1.57079632673412561417e+00;  // first 33 bits of pi/2
  constexpr double kPiO2Tail = 6.07710050650619224932e-11;  // pi/2 - head
  constexpr double kRound = 6755399441055744.0;  // 1.5 * 2^52: adding it rounds to an integer
  const double k = (x * kTwoOverPi + kRound) - kRound;
  const double r = (x - k * kPiO2Head) - k * kPiO2Tail;
  const double z = r * r, w = z * z;

  // sin r = r + r^3 (S1 + z S2 + ... + z^5 S6)
  constexpr double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
                   S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
                   S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
  const double sp = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
  const double sr = r + z * r * (S1 + z * sp);

  // cos r = 1 - z/2 + z^2 (C1 + z C2 + ... + z^5 C6), summed as (1 - z/2) + error terms.
  constexpr double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
                   C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07,
                   C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
  const double cp = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
  const double hz = 0.5 * z, one_minus_hz = 1.0 - hz;
  const double cr = one_minus_hz + (((1.0 - one_minus_hz) - hz) + z * cp);

  switch (static_cast<long>(k) & 3) {
    case 0: *s_out = sr; *c_out = cr; break;
    case 1: *s_out = cr; *c_out = -sr; break;
    case 2: *s_out = -sr; *c_out = -cr; break;
    default: *s_out = -cr; *c_out = sr; break;
  }
}

}  // namespace femur
