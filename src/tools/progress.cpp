#include "femur/tools/progress.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <utility>

namespace femur::tools {

namespace {
constexpr double kFirstPrint = 1.0;  // s: runs shorter than this print nothing
constexpr double kInterval = 0.1;    // s between prints
}  // namespace

double Progress::steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Progress::Progress(std::string label, long total, bool show)
    : Progress(std::move(label), total, show && isatty(STDERR_FILENO) ? stderr : nullptr, &steady_seconds) {}

Progress::Progress(std::string label, long total, std::FILE* out, Clock clock)
    : label_(std::move(label)), total_(total), out_(out), clock_(clock) {
  if (!out_) return;
  start_ = clock_();
  next_ = start_ + kFirstPrint;
}

Progress::~Progress() { finish(); }

void Progress::print(long done, double now) {
  next_ = now + kInterval;
  const double elapsed = now - start_;
  // Remaining time at the mean rate so far; unknown before the first frame is done.
  if (done > 0) {
    const double left = elapsed / static_cast<double>(done) * static_cast<double>(total_ - done);
    std::fprintf(out_, "\r%s: %ld/%ld frames, %.0f s left   ", label_.c_str(), done, total_, std::ceil(left));
  } else {
    std::fprintf(out_, "\r%s: %ld/%ld frames   ", label_.c_str(), done, total_);
  }
  std::fflush(out_);
  printed_ = true;
}

void Progress::finish() {
  if (!out_ || !printed_) {
    out_ = nullptr;
    return;
  }
  const double elapsed = clock_() - start_;
  std::fprintf(out_, "\r%s: %ld/%ld frames in %.1f s          \n", label_.c_str(), done_, total_, elapsed);
  std::fflush(out_);
  out_ = nullptr;
}

}  // namespace femur::tools
