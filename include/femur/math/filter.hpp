// OpenSim's low-pass filter chain for sampled coordinates (OpenSim/Common/Signal.cpp and
// Storage.cpp): odd-reflection padding, resampling to a uniform step with an interpolating
// quintic GCV spline, and a zero-phase third-order Butterworth IIR filter (or a windowed-sinc
// FIR filter). The InverseDynamicsTool and AnalyzeTool run, when a cutoff >= 0 is given:
//   storage.pad(storage.getSize() / 2); storage.lowpassIIR(cutoff);
// which is filter_coordinates() below; the padded rows stay in the result.
#pragma once

#include <Eigen/Core>

namespace femur {

// Samples of several signals at common times: data has one row per time, one column per
// signal (the same layout as io::Table's time and data).
struct Samples {
  Eigen::VectorXd time;
  Eigen::MatrixXd data;
};

// Signal::Pad: `pad` samples prepended and appended by odd reflection about the end samples,
// s[-k] = 2 s[0] - s[k] and s[N-1+k] = 2 s[N-1] - s[N-1-k], k = 1..pad, which keeps value and
// slope continuous. 0 <= pad < N; throws std::invalid_argument otherwise.
Eigen::VectorXd pad_signal(const Eigen::VectorXd& signal, int pad);

// Storage::pad: the time column and every data column padded by pad_signal (so the times
// extend the sampling symmetrically before the first and after the last sample).
Samples pad(const Samples& samples, int pad);

// Storage::getMinTimeStep: the smallest difference of consecutive times (+inf if < 2 rows).
double min_time_step(const Eigen::VectorXd& time);

// Storage::resample(dt, degree): every column is fitted with OpenSim's GCVSpline of `degree`
// (error variance 0: interpolating) and evaluated at t = t_0, t_0 + dt, ... accumulated by
// repeated addition while t <= t_last. dt is enlarged if it would give more than 100000
// samples; the step used is returned through `used_dt` when given.
Samples resample(const Samples& samples, double dt, int degree = 5, double* used_dt = nullptr);

// Signal::LowpassIIR: third-order Butterworth low-pass by the bilinear transform,
// wa = tan(pi fc T), run forward, then over the reversed result, then reversed back (zero
// phase, squared magnitude response). The first 3 samples of each pass are copied from its
// input. fc >= fs/2 is replaced by 0.49 fs. Needs >= 4 samples.
Eigen::VectorXd lowpass_iir(const Eigen::VectorXd& signal, double sample_interval,
                            double cutoff_hz);

// Storage::lowpassIIR: if the time steps are not uniform (mean step - min step > machine
// epsilon) the samples are first resampled to the minimum step (resample(), quintic), then
// every column is filtered with T = that step.
Samples lowpass_iir(const Samples& samples, double cutoff_hz);

// Signal::LowpassFIR: windowed-sinc (Hamming) non-recursive low-pass of order M (>= 30
// advised, N >= 2M), the signal padded by M samples (pad_signal), coefficients normalized
// to unit DC gain.
Eigen::VectorXd lowpass_fir(const Eigen::VectorXd& signal, int order, double sample_interval,
                            double cutoff_hz);

// Storage::lowpassFIR: resampling as lowpass_iir, then lowpass_fir on every column.
Samples lowpass_fir(const Samples& samples, int order, double cutoff_hz);

// The coordinate filtering of OpenSim's InverseDynamicsTool / AnalyzeTool: pad by N/2
// (integer division) samples, then lowpass_iir. A negative cutoff returns the input as is.
Samples filter_coordinates(const Samples& samples, double cutoff_hz);

}  // namespace femur
