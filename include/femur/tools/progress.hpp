// Progress of a per-frame loop on stderr: "label: done/total frames, N s left", rewritten in
// place with '\r' at most ten times a second, shown only when stderr is a terminal, the run
// is not quiet, and the loop has lasted over a second (short runs print nothing). finish()
// (or the destructor) ends the line with the frames done and the time taken. update() allocates nothing: between prints it is one
// clock read and a comparison, cheap enough for a hot loop.
#pragma once

#include <cstdio>
#include <string>

namespace femur::tools {

class Progress {
 public:
  using Clock = double (*)();  // seconds, monotonic

  // For the tools: shows progress on stderr when `show` and stderr is a terminal.
  Progress(std::string label, long total, bool show);
  // For tests: always on, writing to `out`, timed by `clock`.
  Progress(std::string label, long total, std::FILE* out, Clock clock);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `done` frames of `total` are finished.
  void update(long done) {
    if (!out_) return;
    done_ = done;
    const double now = clock_();
    if (now < next_) return;
    print(done, now);
  }
  // Ends the line if anything was printed (idempotent).
  void finish();

  static double steady_seconds();

 private:
  void print(long done, double now);

  std::string label_;
  long total_ = 0;
  std::FILE* out_ = nullptr;  // null: off
  Clock clock_ = nullptr;
  double start_ = 0.0;
  double next_ = 0.0;         // no print before this time
  long done_ = 0;
  bool printed_ = false;
};

}  // namespace femur::tools
