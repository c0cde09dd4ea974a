// OpenSim's coordinate filters. The arithmetic follows OpenSim/Common/Signal.cpp and
// Storage.cpp step by step (same formulas, same order of operations) so that filtered
// coordinates, and the accelerations differentiated from them, agree with OpenSim's to
// rounding.
#include "femur/math/filter.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include "femur/math/gcv_spline.hpp"

namespace femur {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kEps = std::numeric_limits<double>::epsilon();  // SimTK::Eps
constexpr int kMaxResampleSize = 100000;                          // Storage::MAX_RESAMPLE_SIZE

void check_samples(const Samples& samples, const char* who) {
  if (samples.time.size() != samples.data.rows())
    throw std::invalid_argument(std::string(who) + ": time and data differ in number of rows");
}

// The step resample() and the filters use, and whether the times need resampling first
// (Storage::lowpassIIR / lowpassFIR).
double uniform_step(const Samples& samples, const char* who, bool& needs_resampling) {
  const Eigen::Index n = samples.time.size();
  if (n < 2) throw std::invalid_argument(std::string(who) + ": fewer than 2 samples");
  const double dt_min = min_time_step(samples.time);
  if (dt_min < kEps)
    throw std::invalid_argument(std::string(who) +
                                ": times are not strictly increasing; cannot resample");
  const double dt_mean = (samples.time[n - 1] - samples.time[0]) / static_cast<double>(n - 1);
  needs_resampling = (dt_mean - dt_min) > kEps;
  return dt_min;
}

// Signal::sinc and Signal::hamming.
double sinc(double x) {
  if (x < 1.0e-8 && x > -1.0e-8) return 1.0;
  return std::sin(x) / x;
}
double hamming(int k, int m) {
  const double x = static_cast<double>(k) * kPi / static_cast<double>(m);
  return 0.54 + 0.46 * std::cos(x);
}

}  // namespace

Eigen::VectorXd pad_signal(const Eigen::VectorXd& signal, int pad) {
  const int n = static_cast<int>(signal.size());
  if (pad < 0) throw std::invalid_argument("pad_signal: negative pad size");
  if (pad == 0) return signal;
  // The reflection reads s[pad] and s[n-1-pad]: pad must be below n (OpenSim checks
  // pad <= n and then reads past its array when pad == n).
  if (pad >= n)
    throw std::invalid_argument("pad_signal: pad size " + std::to_string(pad) +
                                " must be smaller than the number of samples " +
                                std::to_string(n));
  Eigen::VectorXd s(n + 2 * pad);
  // Prepended: mirror image of s[1..pad] about s[0], negated: 2 s[0] - s[pad - i].
  for (int i = 0; i < pad; ++i) s[i] = 2.0 * signal[0] - signal[pad - i];
  for (int i = 0; i < n; ++i) s[pad + i] = signal[i];
  // Appended: 2 s[n-1] - s[n-2-i].
  for (int i = 0; i < pad; ++i) s[pad + n + i] = 2.0 * signal[n - 1] - signal[n - 2 - i];
  return s;
}

Samples pad(const Samples& samples, int pad) {
  check_samples(samples, "pad");
  if (pad == 0) return samples;
  Samples out;
  out.time = pad_signal(samples.time, pad);
  out.data.resize(out.time.size(), samples.data.cols());
  for (Eigen::Index j = 0; j < samples.data.cols(); ++j)
    out.data.col(j) = pad_signal(samples.data.col(j), pad);
  return out;
}

double min_time_step(const Eigen::VectorXd& time) {
  double dt_min = std::numeric_limits<double>::infinity();
  for (Eigen::Index i = 1; i < time.size(); ++i) {
    const double dt = time[i] - time[i - 1];
    if (dt < dt_min) dt_min = dt;
  }
  return dt_min;
}

Samples resample(const Samples& samples, double dt, int degree, double* used_dt) {
  check_samples(samples, "resample");
  const Eigen::Index n = samples.time.size();
  if (!(dt > 0.0)) throw std::invalid_argument("resample: step must be positive");
  if (n <= 1) {
    if (used_dt) *used_dt = dt;
    return samples;
  }
  const double first = samples.time[0];
  const double last = samples.time[n - 1];
  if ((last - first) / dt > kMaxResampleSize) dt = (last - first) / kMaxResampleSize;

  // GCVSplineSet(degree, storage): error variance 0 (OpenSim's default), i.e. interpolating.
  const GcvSplineSet splines =
      fit_gcv_spline_set(degree, samples.time, samples.data, GcvSmoothing::interpolating());

  // GCVSplineSet::constructStorage(0, dt): for (x = minX; x <= maxX; x += dt).
  std::vector<double> times;
  for (double t = first; t <= last; t += dt) times.push_back(t);
  Samples out;
  out.time = Eigen::Map<const Eigen::VectorXd>(times.data(), static_cast<Eigen::Index>(times.size()));
  out.data.resize(out.time.size(), samples.data.cols());
  for (Eigen::Index j = 0; j < samples.data.cols(); ++j)
    for (Eigen::Index i = 0; i < out.time.size(); ++i)
      out.data(i, j) = splines.derivative(j, 0, out.time[i]);
  if (used_dt) *used_dt = dt;
  return out;
}

Eigen::VectorXd lowpass_iir(const Eigen::VectorXd& signal, double sample_interval,
                            double cutoff_hz) {
  const Eigen::Index n = signal.size();
  const double T = sample_interval;
  if (T == 0.0) throw std::invalid_argument("lowpass_iir: zero sample interval");
  if (n < 4) throw std::invalid_argument("lowpass_iir: fewer than 4 samples");
  double fc = cutoff_hz;
  const double fs = 1 / T;
  if (fc >= 0.5 * fs) fc = 0.49 * fs;

  // Bilinear transform of the analog third-order Butterworth prototype, with the cutoff
  // pre-warped: wa = tan(wc T / 2).
  const double wc = 2 * kPi * fc;
  const double wa = std::tan(wc * T / 2.0);
  const double wa2 = wa * wa;
  const double wa3 = wa * wa * wa;
  const double denom = (wa + 1) * (wa * wa + wa + 1.0);
  const double a0 = wa3 / denom;
  const double a1 = 3 * wa3 / denom;
  const double a2 = 3 * wa3 / denom;
  const double a3 = wa3 / denom;
  const double b1 = (3 * wa3 + 2 * wa2 - 2 * wa - 3) / denom;
  const double b2 = (3 * wa3 - 2 * wa2 - 2 * wa + 3) / denom;
  const double b3 = (wa - 1) * (wa2 - wa + 1) / denom;

  // One causal pass: y[0..2] = x[0..2], then the difference equation.
  auto pass = [&](const Eigen::VectorXd& x, Eigen::VectorXd& y) {
    for (Eigen::Index i = 0; i < 3; ++i) y[i] = x[i];
    for (Eigen::Index i = 3; i < n; ++i)
      y[i] = a0 * x[i] + a1 * x[i - 1] + a2 * x[i - 2] + a3 * x[i - 3] - b1 * y[i - 1] -
             b2 * y[i - 2] - b3 * y[i - 3];
  };
  Eigen::VectorXd forward(n), backward(n);
  pass(signal, forward);
  const Eigen::VectorXd reversed = forward.reverse();
  pass(reversed, backward);
  return backward.reverse();
}

Samples lowpass_iir(const Samples& samples, double cutoff_hz) {
  check_samples(samples, "lowpass_iir");
  bool needs_resampling = false;
  double dt = uniform_step(samples, "lowpass_iir", needs_resampling);
  Samples out = needs_resampling ? resample(samples, dt, 5, &dt) : samples;
  if (out.time.size() < 4) throw std::invalid_argument("lowpass_iir: fewer than 4 samples");
  for (Eigen::Index j = 0; j < out.data.cols(); ++j)
    out.data.col(j) = lowpass_iir(Eigen::VectorXd(out.data.col(j)), dt, cutoff_hz);
  return out;
}

Eigen::VectorXd lowpass_fir(const Eigen::VectorXd& signal, int order, double sample_interval,
                            double cutoff_hz) {
  const int n = static_cast<int>(signal.size());
  const int m = order;
  if (m < 1) throw std::invalid_argument("lowpass_fir: order must be positive");
  if (m + m > n)
    throw std::invalid_argument("lowpass_fir: the number of samples (" + std::to_string(n) +
                                ") must be at least twice the filter order (" +
                                std::to_string(m) + ")");
  const Eigen::VectorXd s = pad_signal(signal, m);
  const double T = sample_interval;
  const double w = 2.0 * kPi * cutoff_hz;
  // The 2m + 1 coefficients once (they depend on k only; Signal::lowpassFIR recomputes them for
  // every sample), summed in the same order, so every output is the same number.
  Eigen::VectorXd coef(2 * m + 1);
  double sum_coef = 0.0;
  for (int k = -m; k <= m; ++k) {
    const double x = static_cast<double>(k) * w * T;
    // Ideal low-pass impulse response 2 f T sinc(k w T), Hamming-windowed.
    coef[k + m] = (sinc(x) * T * w / kPi) * hamming(k, m);
    sum_coef = sum_coef + coef[k + m];
  }
  Eigen::VectorXd out(n);
  for (int i = 0; i < n; ++i) {
    double acc = 0.0;
    for (int k = -m; k <= m; ++k) acc = acc + coef[k + m] * s[m + i - k];
    out[i] = acc / sum_coef;  // unit gain at DC
  }
  return out;
}

Samples lowpass_fir(const Samples& samples, int order, double cutoff_hz) {
  check_samples(samples, "lowpass_fir");
  bool needs_resampling = false;
  double dt = uniform_step(samples, "lowpass_fir", needs_resampling);
  Samples out = needs_resampling ? resample(samples, dt, 5, &dt) : samples;
  for (Eigen::Index j = 0; j < out.data.cols(); ++j)
    out.data.col(j) = lowpass_fir(Eigen::VectorXd(out.data.col(j)), order, dt, cutoff_hz);
  return out;
}

Samples filter_coordinates(const Samples& samples, double cutoff_hz) {
  check_samples(samples, "filter_coordinates");
  if (cutoff_hz < 0.0) return samples;
  const Samples padded = pad(samples, static_cast<int>(samples.time.size()) / 2);
  return lowpass_iir(padded, cutoff_hz);
}

}  // namespace femur
