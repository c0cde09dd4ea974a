// CMC and RRA speed on the shipped setups, each timed whole as `femur run` runs it (inputs
// read, desired kinematics filtered and splined, the tracking, the analyses, every output
// written), against OpenSim 4.6's times on this kind of machine (shared/opensim README, "How
// fast OpenSim is"): RRA Gait2354 6 s, CMC Gait2354 55.5 s, RRA Gait10dof18musc 20 s, CMC
// Gait10dof18musc 111 s. The arm26 tutorial has no OpenSim time. Counters: the speed-up over
// OpenSim and the real-time factor (simulated seconds per wall second).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <string>

#include "femur/io/setup.hpp"
#include "femur/tools/run_setup.hpp"
#include "support/test_data.hpp"

namespace {

namespace fs = std::filesystem;

struct Case {
  fs::path setup;
  double simulated = 0.0;   // seconds tracked
  double opensim = 0.0;     // OpenSim 4.6 seconds, 0 if unknown
};

// A copy of a pipeline folder with what its earlier steps would have written (as the shipped
// setups test provides them).
const Case& bench_case(const std::string& which) {
  static std::map<std::string, Case> cases;
  auto it = cases.find(which);
  if (it != cases.end()) return it->second;
  Case c;
  if (which == "arm26") {
    const fs::path dir = femur::test::copy_opensim_folder(
        "Tutorials/Computed_Muscle_Control/OutputReference/ComputedMuscleControl", "cmc-bench-arm26");
    fs::copy_file(femur::test::opensim_file("Tutorials/Computed_Muscle_Control/OutputReference/arm26.osim"), dir / "arm26.osim");
    fs::copy_file(femur::test::opensim_file(
                      "Tutorials/Computed_Muscle_Control/OutputReference/InverseKinematics/arm26_InverseKinematics.mot"),
                  dir / "arm26_InverseKinematics.mot");
    c = {dir / "arm26_Setup_ComputedMuscleControl.xml", 0.96, 0.0};
  } else if (which.rfind("gait2354", 0) == 0) {
    const fs::path dir = femur::test::copy_opensim_folder("Pipelines/Gait2354_Simbody", "cmc-bench-" + which);
    fs::copy_file(dir / "OutputReference/subject01_simbody.osim", dir / "subject01_simbody.osim");
    fs::copy_file(dir / "OutputReference/subject01_simbody_adjusted.osim", dir / "subject01_simbody_adjusted.osim");
    fs::copy(dir / "OutputReference/ResultsRRA", dir / "ResultsRRA", fs::copy_options::recursive);
    c = which == "gait2354_rra" ? Case{dir / "subject01_Setup_RRA.xml", 0.499, 6.0}
                                : Case{dir / "subject01_Setup_CMC.xml", 0.39, 55.5};
  } else {
    const fs::path dir = femur::test::copy_opensim_folder("Pipelines/Gait10dof18musc", "cmc-bench-" + which);
    fs::copy_file(dir / "OutputReference/subject01.osim", dir / "subject01.osim");
    fs::create_directories(dir / "IK");
    fs::copy_file(dir / "OutputReference/IK/subject01_walk_IK.mot", dir / "IK/subject01_walk_IK.mot");
    fs::create_directories(dir / "RRA");
    fs::copy(dir / "OutputReference/RRA/Results", dir / "RRA/Results", fs::copy_options::recursive);
    c = which == "gait10dof_rra" ? Case{dir / "RRA/walk_Setup_RRA.xml", 2.499, 20.0}
                                 : Case{dir / "CMC/walk_Setup_CMC.xml", 1.265, 111.0};
  }
  return cases.emplace(which, c).first->second;
}

void run_case(benchmark::State& state, const std::string& which) {
  if (femur::test::opensim_data().empty()) {
    state.SkipWithError("OpenSim data not found");
    return;
  }
  const Case& c = bench_case(which);
  const femur::io::SetupFile setup = femur::io::read_setup(c.setup);
  femur::tools::RunOptions options;
  options.quiet = true;
  for (auto _ : state) {
    const femur::tools::RunReport report = femur::tools::run_setup(setup, options);
    benchmark::DoNotOptimize(report.frames);
  }
  state.counters["sim_s_per_wall_s"] =
      benchmark::Counter(c.simulated * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  if (c.opensim > 0)
    state.counters["x_opensim"] =
        benchmark::Counter(c.opensim * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Cmc_Arm26(benchmark::State& state) { run_case(state, "arm26"); }
void BM_Cmc_Gait2354(benchmark::State& state) { run_case(state, "gait2354_cmc"); }
void BM_Rra_Gait2354(benchmark::State& state) { run_case(state, "gait2354_rra"); }
void BM_Rra_Gait10dof18musc(benchmark::State& state) { run_case(state, "gait10dof_rra"); }
void BM_Cmc_Gait10dof18musc(benchmark::State& state) { run_case(state, "gait10dof_cmc"); }
BENCHMARK(BM_Cmc_Arm26)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Cmc_Gait2354)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Rra_Gait2354)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Rra_Gait10dof18musc)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Cmc_Gait10dof18musc)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
