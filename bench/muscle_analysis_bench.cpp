// MuscleAnalysis timings on gait2392 (92 muscles, moment arms about the six coordinates of
// Generated/Gait2392_Simbody/MuscleAnalysis) over the Generated IK motion (121 frames). OpenSim
// 4.6 takes 96 ms per frame on this run (shared/opensim/README.md, "How fast OpenSim is").
//   BM_MuscleAnalysisFrame        one frame: kinematics, paths, speeds, moment arms, 92 muscle
//                                 states (default fiber length, as the reference run), the 18
//                                 quantities and 6 x 2 moment tables; allocations per frame
//   BM_MuscleAnalysisFrameEquilibrium  the same with every fiber solved to equilibrium
//   BM_MuscleAnalysis             tools::muscle_analysis over the 121 frames (per frame)
//   BM_MuscleAnalysisSetup        `femur run` of the AnalyzeTool setup end to end, 30 files
//                                 written (per frame)
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <numbers>

#include "alloc_counter.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/muscle_analysis.hpp"
#include "femur/tools/run_setup.hpp"
#include "support/test_data.hpp"

namespace {

namespace fs = std::filesystem;
using namespace femur;

const char* const kModel = "Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim";
const char* const kMotion = "Generated/Gait2392_Simbody/subject01_walk1_ik.mot";
const char* const kCoordinates =
    "hip_flexion_r hip_adduction_r hip_rotation_r knee_angle_r ankle_angle_r lumbar_extension";

struct Gait2392 {
  Model model;
  tools::AnalyzeStates states;
  std::vector<int> rows;
  tools::MuscleAnalysisOptions options;
};

// The model and its IK motion (speeds by central differences: values do not matter for timing).
const Gait2392& gait2392() {
  static const Gait2392 g = [] {
    Gait2392 g;
    g.model = io::read_osim(test::opensim_file(kModel));
    const io::Table k = io::read_sto(test::opensim_file(kMotion));
    const int n = k.rows();
    g.states.time = k.time;
    g.states.q = Eigen::MatrixXd::Zero(n, g.model.nq);
    g.states.u = Eigen::MatrixXd::Zero(n, g.model.nv);
    for (int c = 0; c < g.model.nq; ++c) {
      const int col = k.column(g.model.coordinates[static_cast<size_t>(c)].name);
      if (col < 0) continue;
      const bool rot = g.model.coordinates[static_cast<size_t>(c)].motion_type == MotionType::Rotational;
      g.states.q.col(c) = k.data.col(col) * (rot && k.in_degrees ? std::numbers::pi / 180 : 1.0);
    }
    for (int i = 1; i + 1 < n; ++i)
      g.states.u.row(i) = (g.states.q.row(i + 1) - g.states.q.row(i - 1)) / (k.time[i + 1] - k.time[i - 1]);
    for (int i = 0; i < n; ++i) g.rows.push_back(i);
    g.options.moment_arm_coordinate_list = {"hip_flexion_r", "hip_adduction_r", "hip_rotation_r",
                                            "knee_angle_r",  "ankle_angle_r",   "lumbar_extension"};
    return g;
  }();
  return g;
}

bool have_data(benchmark::State& state) {
  if (!test::opensim_data().empty()) return true;
  state.SkipWithError("OpenSim data not found");
  return false;
}

void frame(benchmark::State& state, bool equilibrium) {
  if (!have_data(state)) return;
  const Gait2392& g = gait2392();
  tools::MuscleAnalysisOptions options = g.options;
  options.solve_for_equilibrium = equilibrium;
  const tools::MuscleAnalysisPlan plan = tools::plan_muscle_analysis(g.model, options);
  tools::MuscleAnalysisData data(g.model, plan);
  std::vector<Eigen::VectorXd> q, u;
  for (int r : g.rows) {
    q.push_back(g.states.q.row(r).transpose());
    u.push_back(g.states.u.row(r).transpose());
  }
  size_t i = 0;
  tools::muscle_analysis_frame(g.model, plan, options, q[0], u[0], data);  // warm the wrap memory
  const std::size_t before = bench::allocation_count();
  for (auto _ : state) {
    tools::muscle_analysis_frame(g.model, plan, options, q[i], u[i], data);
    benchmark::DoNotOptimize(data.values.data());
    i = (i + 1) % q.size();
  }
  state.counters["allocs_per_frame"] =
      static_cast<double>(bench::allocation_count() - before) / static_cast<double>(state.iterations());
  state.counters["muscles"] = static_cast<double>(plan.muscle.size());
}

void BM_MuscleAnalysisFrame(benchmark::State& state) { frame(state, false); }
void BM_MuscleAnalysisFrameEquilibrium(benchmark::State& state) { frame(state, true); }

void BM_MuscleAnalysis(benchmark::State& state) {
  if (!have_data(state)) return;
  const Gait2392& g = gait2392();
  for (auto _ : state) {
    const tools::MuscleAnalysisResult r = tools::muscle_analysis(g.model, g.states, g.rows, g.options);
    benchmark::DoNotOptimize(r.tables.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(g.rows.size()));
  state.counters["per_frame_us"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(g.rows.size()) * 1e-6,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_MuscleAnalysisSetup(benchmark::State& state) {
  if (!have_data(state)) return;
  const fs::path dir = test::temp_dir("ma-bench");
  const fs::path setup = dir / "setup.xml";
  std::ofstream(setup) << "<OpenSimDocument Version=\"40000\"><AnalyzeTool name=\"gait2392_walk1\">"
                       << "<model_file>" << test::opensim_file(kModel).string() << "</model_file>"
                       << "<results_directory>results</results_directory>"
                       << "<initial_time>0.5</initial_time><final_time>2.5</final_time>"
                       << "<AnalysisSet><objects><MuscleAnalysis name=\"MuscleAnalysis\">"
                       << "<moment_arm_coordinate_list>" << kCoordinates << "</moment_arm_coordinate_list>"
                       << "<compute_moments>true</compute_moments></MuscleAnalysis></objects></AnalysisSet>"
                       << "<coordinates_file>" << test::opensim_file(kMotion).string() << "</coordinates_file>"
                       << "</AnalyzeTool></OpenSimDocument>";
  tools::RunOptions options;
  options.quiet = true;
  int frames = 0;
  for (auto _ : state) frames = tools::run_setup(io::read_setup(setup), options).frames;
  state.counters["per_frame_us"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * frames * 1e-6,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

BENCHMARK(BM_MuscleAnalysisFrame)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MuscleAnalysisFrameEquilibrium)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MuscleAnalysis)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MuscleAnalysisSetup)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
