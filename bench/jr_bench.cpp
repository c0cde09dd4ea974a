// JointReaction timings on the Estimating_Joint_Reaction_Loads tutorial (gait2392, 92 muscles
// applied along their paths from the SO force file). OpenSim 4.6 takes 14 ms per frame on
// this run (shared/opensim/README.md, "How fast OpenSim is").
//   BM_JointReactionFrame     one frame: kinematics, paths, muscle forces, forward dynamics,
//                             reactions (allocations per frame reported, must be 0)
//   BM_JointReactionAnalysis  tools::joint_reaction over the tutorial's 151 frames (per frame)
//   BM_JointReactionSetup     `femur run setup_JointReaction.xml` end to end, files included
#include <benchmark/benchmark.h>

#include <filesystem>
#include <numbers>

#include "alloc_counter.hpp"
#include "femur/dynamics/joint_reaction.hpp"
#include "femur/dynamics/rnea.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/tools/joint_reaction.hpp"
#include "femur/tools/run_setup.hpp"
#include "support/test_data.hpp"

namespace {

namespace fs = std::filesystem;
using namespace femur;

const std::string kTutorial = "Tutorials/Estimating_Joint_Reaction_Loads/";

struct Tutorial {
  Model model;
  io::Table forces;
  tools::AnalyzeStates states;
  std::vector<int> rows;
};

// The tutorial's model, SO forces and coordinates (speeds by central differences: values do
// not matter for timing).
const Tutorial& tutorial() {
  static const Tutorial t = [] {
    Tutorial t;
    t.model = io::read_osim(test::opensim_file(kTutorial + "subject01_simbody_adjusted_StaticOp.osim"));
    t.forces = io::read_sto(test::opensim_file(
        kTutorial + "OutputReference/ResultsStaticOptimization/subject01_StaticOptimization_force.sto"));
    const io::Table k = io::read_sto(test::opensim_file(kTutorial + "subject01_walk1_Kinematics.sto"));
    const int n = k.rows();
    t.states.time = k.time;
    t.states.q = Eigen::MatrixXd::Zero(n, t.model.nq);
    t.states.u = Eigen::MatrixXd::Zero(n, t.model.nv);
    for (int c = 0; c < t.model.nq; ++c) {
      const int col = k.column(t.model.coordinates[c].name);
      if (col < 0) continue;
      const double s = t.model.coordinates[c].motion_type == MotionType::Rotational ? std::numbers::pi / 180 : 1.0;
      t.states.q.col(c) = k.data.col(col) * s;
    }
    for (int i = 1; i + 1 < n; ++i)
      t.states.u.row(i) = (t.states.q.row(i + 1) - t.states.q.row(i - 1)) / (k.time[i + 1] - k.time[i - 1]);
    for (int i = 0; i < n; i += 10) t.rows.push_back(i);
    return t;
  }();
  return t;
}

void BM_JointReactionFrame(benchmark::State& state) {
  if (test::opensim_data().empty()) {
    state.SkipWithError("OpenSim data not found");
    return;
  }
  const Tutorial& t = tutorial();
  const Model& model = t.model;
  const PathSet& paths = model.paths;
  PathData path_data(model, paths);
  const tools::ActuatorSet actuators = tools::bind_actuators(model, paths);
  Eigen::VectorXd actuations(actuators.size());
  for (int k = 0; k < actuators.size(); ++k) actuations[k] = t.forces.data(40, t.forces.column(actuators.actuators[k].name));
  const Eigen::VectorXd q = t.states.q.row(400).transpose(), u = t.states.u.row(400).transpose();
  Eigen::VectorXd tau(model.nv);
  Data data(model);
  const int hip = model.joint_index("hip_r");
  std::size_t allocations = 0;
  for (auto _ : state) {
    const std::size_t before = bench::allocation_count();
    clear_applied_forces(data);
    tau.setZero();
    forward_kinematics(model, data, q, u);
    compute_path_lengths(model, paths, data, q, path_data);
    tools::apply_actuator_forces(model, paths, path_data, actuators, q, actuations, data, tau);
    compute_mobilizer_reactions(model, data, q, u, tau);
    const Wrench w = reaction_on_child(model, data, hip);
    benchmark::DoNotOptimize(w.force.data());
    allocations += bench::allocation_count() - before;
  }
  state.counters["allocs_per_frame"] = static_cast<double>(allocations) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_JointReactionFrame)->Unit(benchmark::kMicrosecond);

void BM_JointReactionAnalysis(benchmark::State& state) {
  if (test::opensim_data().empty()) {
    state.SkipWithError("OpenSim data not found");
    return;
  }
  const Tutorial& t = tutorial();
  const auto requests = tools::resolve_reaction_requests(t.model, {"ground_pelvis", "hip_r", "hip_r"},
                                                         {"child", "child", "parent"}, {"ground", "child", "child"});
  tools::JointReactionInputs inputs;
  inputs.forces = &t.forces;
  for (auto _ : state) {
    tools::JointReactionResult r = tools::joint_reaction(t.model, t.states, t.rows, requests, inputs);
    benchmark::DoNotOptimize(r.loads.data.data());
  }
  state.counters["per_frame_us"] = benchmark::Counter(
      static_cast<double>(t.rows.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_JointReactionAnalysis)->Unit(benchmark::kMillisecond);

void BM_JointReactionSetup(benchmark::State& state) {
  if (test::opensim_data().empty()) {
    state.SkipWithError("OpenSim data not found");
    return;
  }
  const fs::path dir = test::temp_dir("jr-bench");
  fs::copy(test::opensim_file(kTutorial), dir, fs::copy_options::recursive);
  fs::create_directories(dir / "ResultsStaticOptimization");
  fs::copy_file(dir / "OutputReference/ResultsStaticOptimization/subject01_StaticOptimization_force.sto",
                dir / "ResultsStaticOptimization/subject01_StaticOptimization_force.sto");
  fs::copy_file(dir / "subject01_simbody_adjusted_StaticOp.osim", dir / "subject01_simbody_adjusted.osim");
  const io::SetupFile setup = io::read_setup(dir / "setup_JointReaction.xml");
  tools::RunOptions options;
  options.quiet = true;
  double compute = 0.0;
  for (auto _ : state) {
    const tools::RunReport report = tools::run_setup(setup, options);
    compute += report.seconds / report.frames;
  }
  state.counters["compute_per_frame_us"] = 1e6 * compute / static_cast<double>(state.iterations());
}
BENCHMARK(BM_JointReactionSetup)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
