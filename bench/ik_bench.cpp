// Inverse kinematics per frame on the shipped walking trials, with the setups as shipped
// (tasks, weights, time range), model and TRC loaded once outside the timing.
// OpenSim 4.6 on this kind of machine (shared/opensim/README.md): gait2392 subject01_walk1
// 11.5 ms per frame, gait2354 10 ms, gait10dof18musc 0.8 ms. Each benchmark reports
// ms/frame, the ratio to OpenSim, iterations per frame and allocations per call; the
// "_10frames" variants show that allocations do not grow with the number of frames (the
// per-frame solve allocates nothing; setup and result tables do).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "alloc_counter.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/setup.hpp"
#include "femur/tools/inverse_kinematics.hpp"
#include "support/test_data.hpp"

namespace {

using namespace femur;

struct Trial {
  Model model;
  io::MarkerTable markers;
  tools::IkOptions options;
};

// Reads the setup as `femur run` does (paths resolved against the shared folder).
std::unique_ptr<Trial> load(const std::string& setup, const std::string& model) {
  if (test::opensim_data().empty()) return nullptr;
  auto t = std::make_unique<Trial>();
  const auto s = std::get<io::InverseKinematicsSetup>(io::read_setup(test::opensim_file(setup)));
  t->model = io::read_osim(test::opensim_file(model));
  t->markers = io::read_trc(s.marker_file.path);
  t->markers.convert_to_metres();
  t->options = tools::ik_options_from_setup(s, t->model);
  return t;
}

const Trial* gait2392() {
  static const auto t = load("Pipelines/Gait2392_Simbody/subject01_Setup_IK.xml",
                             "Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim");
  return t.get();
}
const Trial* gait2354() {
  static const auto t = load("Pipelines/Gait2354_Simbody/subject01_Setup_IK.xml",
                             "Pipelines/Gait2354_Simbody/OutputReference/subject01_simbody.osim");
  return t.get();
}
const Trial* gait10dof() {
  static const auto t = load("Pipelines/Gait10dof18musc/IK/walk_Setup_IK.xml",
                             "Pipelines/Gait10dof18musc/OutputReference/subject01.osim");
  return t.get();
}

void run(benchmark::State& state, const Trial* trial, double opensim_ms_per_frame, int threads, int max_frames) {
  if (!trial) {
    state.SkipWithError("OpenSim data not found (FEMUR_OPENSIM_DATA)");
    return;
  }
  tools::IkOptions options = trial->options;
  options.threads = threads;
  if (max_frames > 0) {
    // The rows nearest the setup's start time, then max_frames of them.
    int first = 0;
    while (first + 1 < trial->markers.frames() && trial->markers.time[first] < options.start_time) ++first;
    options.end_time = trial->markers.time[std::min(first + max_frames - 1, trial->markers.frames() - 1)];
  }
  int frames = 0;
  long iterations = 0;
  const size_t before = bench::allocation_count();
  for (auto _ : state) {
    const tools::IkResult r = tools::inverse_kinematics(trial->model, trial->markers, options);
    frames = r.frames();
    for (int it : r.iterations) iterations += it;
    benchmark::DoNotOptimize(r.q.data());
  }
  const double calls = static_cast<double>(state.iterations());
  state.counters["frames"] = frames;
  state.counters["ms/frame"] = benchmark::Counter(calls * frames * 1e-3, benchmark::Counter::kIsRate |
                                                                           benchmark::Counter::kInvert);
  state.counters["iter/frame"] = static_cast<double>(iterations) / (calls * frames);
  state.counters["allocs/call"] = static_cast<double>(bench::allocation_count() - before) / calls;
  state.counters["opensim_ms/frame"] = opensim_ms_per_frame;
}

void BM_IK_Gait2392_Walk1(benchmark::State& s) { run(s, gait2392(), 11.5, 1, 0); }
void BM_IK_Gait2392_Walk1_10frames(benchmark::State& s) { run(s, gait2392(), 11.5, 1, 10); }
void BM_IK_Gait2392_Walk1_2threads(benchmark::State& s) { run(s, gait2392(), 11.5, 2, 0); }
void BM_IK_Gait2354_Walk1(benchmark::State& s) { run(s, gait2354(), 10.0, 1, 0); }
void BM_IK_Gait10dof_Walk(benchmark::State& s) { run(s, gait10dof(), 0.8, 1, 0); }
void BM_IK_Gait10dof_Walk_10frames(benchmark::State& s) { run(s, gait10dof(), 0.8, 1, 10); }

BENCHMARK(BM_IK_Gait2392_Walk1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IK_Gait2392_Walk1_10frames)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IK_Gait2392_Walk1_2threads)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_IK_Gait2354_Walk1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IK_Gait10dof_Walk)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IK_Gait10dof_Walk_10frames)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
