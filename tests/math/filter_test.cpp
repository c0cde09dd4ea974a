// OpenSim's coordinate filter chain: padding, Butterworth IIR (zero phase), FIR, resampling,
// checked against the filter's analytic response and against the time column of OpenSim's own
// inverse-dynamics output (which shows the padding and resampling OpenSim applied).
#include "femur/math/filter.hpp"

#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include "support/test_data.hpp"

namespace femur {
namespace {

constexpr double kPi = std::numbers::pi;

Eigen::VectorXd sampled_sine(int n, double dt, double hz, double amplitude = 1.0) {
  Eigen::VectorXd s(n);
  for (int i = 0; i < n; ++i) s[i] = amplitude * std::sin(2 * kPi * hz * i * dt + 0.3);
  return s;
}

// Amplitude of the component at `hz` in s[first..last) by least squares on sin and cos.
double amplitude_at(const Eigen::VectorXd& s, double dt, double hz, int first, int last) {
  Eigen::MatrixXd a(last - first, 2);
  Eigen::VectorXd b(last - first);
  for (int i = first; i < last; ++i) {
    a(i - first, 0) = std::sin(2 * kPi * hz * i * dt);
    a(i - first, 1) = std::cos(2 * kPi * hz * i * dt);
    b[i - first] = s[i];
  }
  const Eigen::Vector2d c = (a.transpose() * a).ldlt().solve(a.transpose() * b);
  return c.norm();
}

// |H|^2 of the bilinear third-order Butterworth, i.e. the gain of the forward-backward pass.
double butterworth_double_pass_gain(double hz, double cutoff_hz, double dt) {
  const double ratio = std::tan(kPi * hz * dt) / std::tan(kPi * cutoff_hz * dt);
  return 1.0 / (1.0 + std::pow(ratio, 6));
}

TEST(PadSignal, ReflectsOddlySoValueAndSlopeAreKeptAtBothEnds) {
  Eigen::VectorXd s(6);
  s << 1.0, 1.5, 1.7, 2.5, 2.0, 3.0;
  const Eigen::VectorXd p = pad_signal(s, 3);
  ASSERT_EQ(p.size(), 12);
  EXPECT_EQ(p.segment(3, 6), s);
  for (int k = 1; k <= 3; ++k) {
    EXPECT_DOUBLE_EQ(p[3 - k], 2 * s[0] - s[k]);          // before the start
    EXPECT_DOUBLE_EQ(p[8 + k], 2 * s[5] - s[5 - k]);      // after the end
    EXPECT_DOUBLE_EQ(p[3 - k] + p[3 + k], 2 * p[3]);      // point symmetry about the start
    EXPECT_DOUBLE_EQ(p[8 - k] + p[8 + k], 2 * p[8]);      // and about the end
  }
  EXPECT_EQ(pad_signal(s, 0), s);
  EXPECT_THROW(pad_signal(s, 6), std::invalid_argument);
}

TEST(PadSamples, ExtendsTheTimeColumnByTheSameReflection) {
  Samples in;
  in.time = Eigen::VectorXd::LinSpaced(10, 0.5, 0.95);
  in.data = Eigen::MatrixXd::Random(10, 3);
  const Samples out = pad(in, 5);
  ASSERT_EQ(out.time.size(), 20);
  EXPECT_NEAR(out.time[0], 0.25, 1e-15);
  EXPECT_NEAR(out.time[19], 1.20, 1e-15);
  for (Eigen::Index i = 1; i < 20; ++i) EXPECT_NEAR(out.time[i] - out.time[i - 1], 0.05, 1e-14);
  EXPECT_EQ(out.data.col(2), pad_signal(in.data.col(2), 5));
}

TEST(LowpassIir, ConstantSignalPassesUnchanged) {
  const Eigen::VectorXd s = Eigen::VectorXd::Constant(200, 3.25);
  const Eigen::VectorXd f = lowpass_iir(s, 0.01, 6.0);
  for (Eigen::Index i = 0; i < s.size(); ++i) EXPECT_NEAR(f[i], 3.25, 1e-12);
}

TEST(LowpassIir, SineWellBelowCutoffPassesWithinOnePercent) {
  const double dt = 0.01;
  const Eigen::VectorXd s = sampled_sine(1000, dt, 1.0);
  const Eigen::VectorXd f = lowpass_iir(s, dt, 6.0);
  const double a = amplitude_at(f, dt, 1.0, 200, 800);
  EXPECT_NEAR(a, 1.0, 0.01);
  EXPECT_NEAR(a, butterworth_double_pass_gain(1.0, 6.0, dt), 1e-3);
  // Zero phase: the filtered sine is in phase with the input.
  double lag = 0.0;
  for (int i = 200; i < 800; ++i) lag += (f[i] - a * s[i]) * (f[i] - a * s[i]);
  EXPECT_LT(std::sqrt(lag / 600), 1e-3);
}

TEST(LowpassIir, SineAboveCutoffIsAttenuatedByTheSquaredButterworthGain) {
  const double dt = 0.01;
  for (double hz : {6.0, 9.0, 12.0, 20.0}) {
    const Eigen::VectorXd s = sampled_sine(2000, dt, hz);
    const Eigen::VectorXd f = lowpass_iir(s, dt, 6.0);
    const double expected = butterworth_double_pass_gain(hz, 6.0, dt);
    EXPECT_NEAR(amplitude_at(f, dt, hz, 300, 1700), expected, 2e-3 + 0.01 * expected) << hz;
  }
  // At the cutoff the double pass halves the amplitude (3 dB twice).
  EXPECT_NEAR(butterworth_double_pass_gain(6.0, 6.0, dt), 0.5, 1e-12);
}

TEST(LowpassIir, FirstThreeSamplesOfEachPassAreCopiedFromItsInput) {
  // With 4 samples: forward y = [x0, x1, x2, y3]; backward over [y3, x2, x1, x0] gives
  // [y3, x2, x1, z3]; reversed back: [z3, x1, x2, y3]. So samples 1 and 2 come out unchanged
  // and the last one is the forward difference equation at sample 3.
  Eigen::VectorXd x(4);
  x << 0.3, -1.25, 2.5, 0.75;
  const double dt = 0.01, fc = 5.0;
  const Eigen::VectorXd f = lowpass_iir(x, dt, fc);
  EXPECT_EQ(f[1], x[1]);
  EXPECT_EQ(f[2], x[2]);
  const double wa = std::tan(kPi * fc * dt);
  const double d = (wa + 1) * (wa * wa + wa + 1);
  const double a = wa * wa * wa / d;
  const double b1 = (3 * wa * wa * wa + 2 * wa * wa - 2 * wa - 3) / d;
  const double b2 = (3 * wa * wa * wa - 2 * wa * wa - 2 * wa + 3) / d;
  const double b3 = (wa - 1) * (wa * wa - wa + 1) / d;
  const double y3 = a * (x[3] + 3 * x[2] + 3 * x[1] + x[0]) - b1 * x[2] - b2 * x[1] - b3 * x[0];
  EXPECT_NEAR(f[3], y3, 1e-12);
  const double z3 = a * (x[0] + 3 * x[1] + 3 * x[2] + y3) - b1 * x[1] - b2 * x[2] - b3 * y3;
  EXPECT_NEAR(f[0], z3, 1e-12);
  EXPECT_THROW(lowpass_iir(Eigen::VectorXd::Ones(3), dt, fc), std::invalid_argument);
}

TEST(LowpassIir, CutoffAtOrAboveHalfTheSampleRateIsReplacedBy049Fs) {
  const double dt = 0.01;
  const Eigen::VectorXd s = sampled_sine(300, dt, 7.0) + sampled_sine(300, dt, 31.0, 0.2);
  EXPECT_EQ(lowpass_iir(s, dt, 50.0), lowpass_iir(s, dt, 49.0));
  EXPECT_EQ(lowpass_iir(s, dt, 80.0), lowpass_iir(s, dt, 0.49 * 100.0));
  EXPECT_NE(lowpass_iir(s, dt, 48.0), lowpass_iir(s, dt, 49.0));
}

TEST(LowpassIirSamples, UniformTimesAreNotResampled) {
  Samples in;
  const int n = 120;
  in.time.resize(n);
  for (int i = 0; i < n; ++i) in.time[i] = 0.125 * i;  // exact in binary: uniform steps
  in.data.resize(n, 2);
  in.data.col(0) = sampled_sine(n, 0.125, 0.2);
  in.data.col(1) = sampled_sine(n, 0.125, 1.5);
  const Samples out = lowpass_iir(in, 1.0);
  EXPECT_EQ(out.time, in.time);
  EXPECT_EQ(out.data.col(1), lowpass_iir(Eigen::VectorXd(in.data.col(1)), 0.125, 1.0));
}

TEST(LowpassIirSamples, NonUniformTimesAreResampledToTheMinimumStepWithAQuinticSpline) {
  Samples in;
  const int n = 50;
  in.time.resize(n);
  for (int i = 0; i < n; ++i) in.time[i] = 0.01 * i + 0.002 * std::sin(1.3 * i) + 0.002;
  in.data.resize(n, 1);
  for (int i = 0; i < n; ++i) in.data(i, 0) = std::sin(2.0 * in.time[i]);
  const double dt = min_time_step(in.time);
  const Samples re = resample(in, dt);
  EXPECT_EQ(re.time[0], in.time[0]);
  EXPECT_LE(re.time[re.time.size() - 1], in.time[n - 1]);
  EXPECT_GT(re.time[re.time.size() - 1] + dt, in.time[n - 1]);
  for (Eigen::Index i = 0; i < re.time.size(); ++i)
    EXPECT_NEAR(re.data(i, 0), std::sin(2.0 * re.time[i]), 1e-6);  // interpolating quintic
  const Samples out = lowpass_iir(in, 4.0);
  EXPECT_EQ(out.time, re.time);
}

TEST(LowpassFir, HasUnitDcGainAndPassesALowSine) {
  const double dt = 0.01;
  const Eigen::VectorXd c = lowpass_fir(Eigen::VectorXd::Constant(200, -1.5), 40, dt, 6.0);
  for (Eigen::Index i = 0; i < c.size(); ++i) EXPECT_NEAR(c[i], -1.5, 1e-12);
  const Eigen::VectorXd f = lowpass_fir(sampled_sine(600, dt, 1.0), 40, dt, 6.0);
  EXPECT_NEAR(amplitude_at(f, dt, 1.0, 100, 500), 1.0, 0.01);
  const Eigen::VectorXd h = lowpass_fir(sampled_sine(600, dt, 25.0), 40, dt, 6.0);
  EXPECT_LT(amplitude_at(h, dt, 25.0, 100, 500), 0.01);
  EXPECT_THROW(lowpass_fir(Eigen::VectorXd::Ones(50), 30, dt, 6.0), std::invalid_argument);
}

// Reads the time column and the data of an OpenSim .mot/.sto (enough for this test).
Samples read_mot(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line) && line.rfind("endheader", 0) != 0) {}
  std::getline(in, line);  // labels
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::vector<double> row;
    double v;
    while (ss >> v) row.push_back(v);
    if (!row.empty()) rows.push_back(row);
  }
  Samples s;
  s.time.resize(static_cast<Eigen::Index>(rows.size()));
  s.data.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size() - 1));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    s.time[static_cast<Eigen::Index>(i)] = rows[i][0];
    for (std::size_t j = 1; j < rows[i].size(); ++j)
      s.data(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j - 1)) = rows[i][j];
  }
  return s;
}

// OpenSim's ID on gait2354 (6 Hz, time range 0.4-1.6) reports frames at the times of the
// padded, resampled coordinate storage: the IK file's 8-decimal times are not uniform, so
// lowpassIIR resampled the padded storage to its minimum step from its first (padded) time.
// Our chain must give exactly those times (to the 8 printed decimals).
TEST(FilterCoordinates, TimesMatchOpenSimInverseDynamicsOutputForGait2354) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Samples ik =
      read_mot(test::opensim_file("Pipelines/Gait2354_Simbody/OutputReference/subject01_walk1_ik.mot"));
  const Samples id = read_mot(test::opensim_file(
      "Pipelines/Gait2354_Simbody/OutputReference/ResultsInverseDynamics/inverse_dynamics.sto"));
  ASSERT_EQ(ik.time.size(), 73);
  const Samples filtered = filter_coordinates(ik, 6.0);
  // Storage::findIndex(0.4): the last row at or before the start time.
  Eigen::Index start = 0;
  while (start + 1 < filtered.time.size() && filtered.time[start + 1] <= 0.4) ++start;
  ASSERT_LE(start + id.time.size(), filtered.time.size());
  for (Eigen::Index i = 0; i < id.time.size(); ++i)
    EXPECT_NEAR(filtered.time[start + i], id.time[i], 6e-9) << "row " << i;
  // The padded rows stay, and the filtered coordinates stay close to the IK input.
  EXPECT_EQ(filtered.time.size(), 73 + 2 * 36);
  for (Eigen::Index i = 0; i < ik.time.size(); ++i)
    EXPECT_NEAR(filtered.data(36 + i, 6), ik.data(i, 6), 2.0) << "hip_flexion_r, degrees";
}

}  // namespace
}  // namespace femur
