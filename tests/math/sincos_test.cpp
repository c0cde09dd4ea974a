// sincos_fast against the C library's sin and cos: within two units in the last place of
// the result, plus the reduction's absolute error near the zeros (pi/2 is carried to about
// 86 bits, so |k| 1e-26 for x = k pi/2 + r), across the quadrants, at the quadrant
// boundaries, for joint-sized and large angles; non-finite angles give NaN as in libm.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "femur/math/sincos.hpp"

namespace femur {
namespace {

void expect_close(double x) {
  double s, c;
  sincos_fast(x, &s, &c);
  const double es = std::sin(x), ec = std::cos(x);
  constexpr double kEps = std::numeric_limits<double>::epsilon();
  const double reduction = 1e-26 * (1.0 + std::fabs(x));
  EXPECT_LE(std::fabs(s - es), 2.0 * kEps * std::fabs(es) + reduction) << "sin(" << x << ")";
  EXPECT_LE(std::fabs(c - ec), 2.0 * kEps * std::fabs(ec) + reduction) << "cos(" << x << ")";
}

TEST(SincosFast, MatchesTheLibraryToTheLastBitsOverJointAngles) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> angle(-20.0, 20.0);
  for (int n = 0; n < 200000; ++n) expect_close(angle(rng));
  for (double x = -7.0; x <= 7.0; x += 1.0 / 1024.0) expect_close(x);
}

TEST(SincosFast, MatchesTheLibraryAtQuadrantBoundariesAndZero) {
  for (int k = -12; k <= 12; ++k) {
    const double b = k * M_PI_2;
    for (double d : {0.0, 1e-300, 1e-17, 1e-9, 1e-4})
      for (double x : {b - d, b + d, std::nextafter(b, 1e9), std::nextafter(b, -1e9)}) expect_close(x);
  }
  double s, c;
  sincos_fast(0.0, &s, &c);
  EXPECT_EQ(s, 0.0);
  EXPECT_EQ(c, 1.0);
}

TEST(SincosFast, MatchesTheLibraryForLargeAnglesAndPassesNonFiniteOnes) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> angle(-1e6, 1e6);
  for (int n = 0; n < 20000; ++n) expect_close(angle(rng));
  for (double x : {2e6, -3e9, 1e300}) expect_close(x);
  double s, c;
  sincos_fast(std::numeric_limits<double>::quiet_NaN(), &s, &c);
  EXPECT_TRUE(std::isnan(s) && std::isnan(c));
  sincos_fast(std::numeric_limits<double>::infinity(), &s, &c);
  EXPECT_TRUE(std::isnan(s) && std::isnan(c));
}

}  // namespace
}  // namespace femur
