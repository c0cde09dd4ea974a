// Forward simulation speed: one state derivative of gait2354 (54 Thelen2003 muscles, CMC's
// reserve and residual actuators, ground reaction forces) and the shipped Gait2354 Forward
// setup (0.83-1.08 s from the CMC states and controls, model name corrected), reported as
// simulated seconds per wall second (real-time factor) with the integrator's step counts.
// The derivative fails if it allocates.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "alloc_counter.hpp"
#include "femur/io/setup.hpp"
#include "femur/tools/forward_tool.hpp"
#include "support/test_data.hpp"

namespace {

namespace fs = std::filesystem;

// The Gait2354 pipeline folder with the files Forward reads from earlier steps, and the setup
// with its model name corrected (the shipped file names ".osubject01_simbody_adjusted.osim").
const fs::path& gait2354_forward_setup() {
  static const fs::path setup = [] {
    const fs::path dir = femur::test::copy_opensim_folder("Pipelines/Gait2354_Simbody", "forward-bench");
    const fs::path ref = femur::test::opensim_file("Pipelines/Gait2354_Simbody/OutputReference");
    fs::copy(ref / "subject01_simbody_adjusted.osim", dir / "subject01_simbody_adjusted.osim");
    fs::copy(ref / "ResultsCMC", dir / "ResultsCMC", fs::copy_options::recursive);
    std::string text = femur::test::read_text(dir / "subject01_Setup_Forward.xml");
    const std::string typo = ".osubject01_simbody_adjusted.osim";
    text.replace(text.find(typo), typo.size(), "subject01_simbody_adjusted.osim");
    femur::test::write_text(dir / "subject01_Setup_Forward_fixed.xml", text);
    return dir / "subject01_Setup_Forward_fixed.xml";
  }();
  return setup;
}

femur::tools::ForwardRun prepare() {
  std::vector<std::string> warnings;
  const auto setup = std::get<femur::io::ForwardSetup>(femur::io::read_setup(gait2354_forward_setup()));
  return femur::tools::prepare_forward(setup, warnings);
}

void BM_StateDerivative_Gait2354(benchmark::State& state) {
  if (femur::test::opensim_data().empty()) {
    state.SkipWithError("OpenSim data not found");
    return;
  }
  femur::tools::ForwardRun run = prepare();
  Eigen::VectorXd ydot(run.initial_state.size());
  femur::sim::state_derivative(run.sm->system, *run.workspace, run.settings.initial_time, run.initial_state, ydot);
  const std::size_t before = femur::bench::allocation_count();
  for (auto _ : state) {
    femur::sim::state_derivative(run.sm->system, *run.workspace, run.settings.initial_time, run.initial_state, ydot);
    benchmark::DoNotOptimize(ydot.data());
  }
  const std::size_t allocs = femur::bench::allocation_count() - before;
  state.counters["allocs"] = static_cast<double>(allocs);
  if (allocs != 0) state.SkipWithError("the state derivative allocated");
}
BENCHMARK(BM_StateDerivative_Gait2354)->Unit(benchmark::kMicrosecond);

void BM_Forward_Gait2354(benchmark::State& state) {
  if (femur::test::opensim_data().empty()) {
    state.SkipWithError("OpenSim data not found");
    return;
  }
  femur::tools::ForwardRun run = prepare();
  femur::sim::Trajectory traj;
  for (auto _ : state) traj = femur::tools::integrate_forward(run);
  const double simulated = run.settings.final_time - run.settings.initial_time;
  state.counters["sim_s_per_wall_s"] =
      benchmark::Counter(simulated * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["steps"] = static_cast<double>(traj.statistics.steps);
  state.counters["rejected"] = static_cast<double>(traj.statistics.attempts - traj.statistics.steps);
  state.counters["evaluations"] = static_cast<double>(traj.statistics.evaluations);
}
BENCHMARK(BM_Forward_Gait2354)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
