// Per-frame times of femur's tools on the shipped OpenSim pipelines, to compare with OpenSim's
// own "compute time" lines (shared/opensim/README.md, "How fast OpenSim is"). Each tool keeps
// its benchmarks in its own section below.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <numbers>

#include "alloc_counter.hpp"
#include "femur/dynamics/rnea.hpp"
#include "femur/io/external_loads.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/table.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/math/filter.hpp"
#include "femur/math/gcv_spline.hpp"
#include "femur/tools/external_loads.hpp"
#include "femur/tools/inverse_dynamics.hpp"
#include "femur/tools/run_setup.hpp"
#include "support/test_data.hpp"

namespace {

// ===========================================================================================
// Inverse dynamics: gait2392 subject01_walk1 as its ID setup runs it (6 Hz filter, time range
// 0.4-1.6 s, two ground reaction forces, muscles excluded). OpenSim 4.6: 5-8 ms per frame.

struct Gait2392Walk {
  femur::Model model;
  femur::io::Table coordinates;
  femur::io::ExternalLoads loads_xml;
  femur::io::Table grf;
  femur::tools::ExternalLoadsData loads;
  femur::tools::InverseDynamicsOptions options;
};

const Gait2392Walk* gait2392_walk() {
  static const Gait2392Walk* walk = []() -> Gait2392Walk* {
    if (femur::test::opensim_data().empty()) return nullptr;
    const std::string p = "Pipelines/Gait2392_Simbody/";
    auto* w = new Gait2392Walk;
    w->model = femur::io::read_osim(femur::test::opensim_file(p + "OutputReference/subject01_simbody.osim"));
    w->coordinates = femur::io::read_sto(femur::test::opensim_file(p + "subject01_walk1_ik.mot"));
    w->loads_xml = femur::io::read_external_loads(femur::test::opensim_file(p + "subject01_walk1_grf.xml"));
    w->grf = femur::io::read_sto(femur::test::opensim_file(p + "subject01_walk1_grf.mot"));
    w->loads = femur::tools::bind_external_loads(w->model, w->loads_xml, w->grf);
    w->options.lowpass_cutoff_hz = 6.0;
    w->options.start_time = 0.4;
    w->options.end_time = 1.6;
    w->options.forces_to_exclude = {"muscles"};
    return w;
  }();
  return walk;
}

// Reports seconds per output frame next to the time per call.
void report_per_frame(benchmark::State& state, int frames) {
  state.counters["frames"] = frames;
  state.counters["per_frame"] = benchmark::Counter(
      frames, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// The whole tool from tables in memory: filtering, quintic splines, every frame's solve,
// plus binding the loads (cubic splines of 18 GRF columns x 1501 rows). File reading excluded.
void BM_InverseDynamics_Gait2392Walk_Whole(benchmark::State& state) {
  const Gait2392Walk* w = gait2392_walk();
  if (!w) return state.SkipWithError("OpenSim data not found (FEMUR_OPENSIM_DATA)");
  int frames = 0;
  for (auto _ : state) {
    const femur::tools::ExternalLoadsData loads =
        femur::tools::bind_external_loads(w->model, w->loads_xml, w->grf);
    const femur::tools::InverseDynamicsResult r =
        femur::tools::inverse_dynamics(w->model, w->coordinates, &loads, w->options);
    frames = r.generalized_forces.rows();
    benchmark::DoNotOptimize(r.generalized_forces.data.data());
  }
  report_per_frame(state, frames);
}
BENCHMARK(BM_InverseDynamics_Gait2392Walk_Whole)->Unit(benchmark::kMillisecond);

// The tool with the loads already bound (what OpenSim's ID "compute time" line also leaves out).
void BM_InverseDynamics_Gait2392Walk_LoadsBound(benchmark::State& state) {
  const Gait2392Walk* w = gait2392_walk();
  if (!w) return state.SkipWithError("OpenSim data not found (FEMUR_OPENSIM_DATA)");
  int frames = 0;
  for (auto _ : state) {
    const femur::tools::InverseDynamicsResult r =
        femur::tools::inverse_dynamics(w->model, w->coordinates, &w->loads, w->options);
    frames = r.generalized_forces.rows();
    benchmark::DoNotOptimize(r.generalized_forces.data.data());
  }
  report_per_frame(state, frames);
}
BENCHMARK(BM_InverseDynamics_Gait2392Walk_LoadsBound)->Unit(benchmark::kMillisecond);

// One frame of the solve loop alone, as inverse_dynamics runs it: q, q-dot, q-ddot from the
// 23 quintic splines, the two GRFs from their cubic splines, RNEA. Must not allocate.
void BM_InverseDynamics_Gait2392Walk_OneFrame(benchmark::State& state) {
  const Gait2392Walk* w = gait2392_walk();
  if (!w) return state.SkipWithError("OpenSim data not found (FEMUR_OPENSIM_DATA)");
  const femur::Model& model = w->model;
  femur::Samples s;
  s.time = w->coordinates.time;
  s.data.resize(w->coordinates.rows(), model.nq);
  for (int k = 0; k < model.nq; ++k) {
    const femur::Coordinate& c = model.coordinates[k];
    s.data.col(k) = w->coordinates.data.col(w->coordinates.column(c.name)) *
                    (c.motion_type == femur::MotionType::Rotational ? std::numbers::pi / 180.0 : 1.0);
  }
  s = femur::filter_coordinates(s, 6.0);
  const femur::GcvSplineSet splines = femur::fit_gcv_spline_set(5, s.time, s.data);
  femur::Data data(model);
  Eigen::VectorXd q(model.nq), qd(model.nq), qdd(model.nq), values(w->loads.columns());
  std::size_t i = 0;
  const std::size_t before = femur::bench::allocation_count();
  for (auto _ : state) {
    const double t = 0.4 + 1.2 * static_cast<double>(i++ % 73) / 72.0;
    for (int k = 0; k < model.nq; ++k) {
      const femur::FunctionValue v = splines.evaluate(k, t);
      q[k] = v.f;
      qd[k] = v.df;
      qdd[k] = v.ddf;
    }
    femur::clear_applied_forces(data);
    if (w->loads.needs_body_poses) femur::forward_kinematics(model, data, q);
    femur::tools::apply_external_loads(model, data, w->loads, t, values);
    benchmark::DoNotOptimize(femur::rnea(model, data, q, qd, qdd).data());
  }
  state.counters["allocs/call"] = benchmark::Counter(
      static_cast<double>(femur::bench::allocation_count() - before) / state.iterations());
}
BENCHMARK(BM_InverseDynamics_Gait2392Walk_OneFrame)->Unit(benchmark::kMicrosecond);

// `femur run subject01_Setup_InverseDynamics.xml` end to end: reading the model, the IK and
// GRF files and the setup, the tool, and writing the result (a temporary copy of the inputs).
void BM_InverseDynamics_Gait2392Walk_SetupEndToEnd(benchmark::State& state) {
  if (femur::test::opensim_data().empty()) return state.SkipWithError("OpenSim data not found");
  namespace fs = std::filesystem;
  const fs::path dir = femur::test::temp_dir("bench-id");
  const std::string p = "Pipelines/Gait2392_Simbody/";
  for (const char* f : {"subject01_Setup_InverseDynamics.xml", "subject01_walk1_grf.xml",
                        "subject01_walk1_grf.mot", "subject01_walk1_ik.mot"})
    fs::copy_file(femur::test::opensim_file(p + f), dir / f);
  fs::copy_file(femur::test::opensim_file(p + "OutputReference/subject01_simbody.osim"),
                dir / "subject01_simbody.osim");
  femur::tools::RunOptions options;
  options.quiet = true;
  int frames = 0;
  for (auto _ : state) {
    const femur::io::SetupFile setup = femur::io::read_setup(dir / "subject01_Setup_InverseDynamics.xml");
    frames = femur::tools::run_setup(setup, options).frames;
  }
  report_per_frame(state, frames);
}
BENCHMARK(BM_InverseDynamics_Gait2392Walk_SetupEndToEnd)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
