// Static Optimization per frame on the Estimating_Joint_Reaction_Loads tutorial (gait2392,
// 92 Thelen muscles + 6 residual actuators, 23 coordinates, two ground reaction forces).
// OpenSim 4.6 takes 217 ms per frame on this machine (shared/opensim/README.md).
//
//   BM_StaticOptimization_Gait2392_OneFrame   paths, capacities, inverse dynamics, actuator
//                                              columns and the QP, warm-started as in a run;
//                                              must not allocate
//   BM_StaticOptimization_Gait2392_QpOnly     the QP alone on each frame's A, b (cold and warm)
//   BM_StaticOptimization_Gait2392_Setup      `femur run setup_static_optimization.xml`, files included
#include <benchmark/benchmark.h>

#include <filesystem>
#include <numbers>


#include "alloc_counter.hpp"
#include "femur/io/external_loads.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/math/gcv_spline.hpp"
#include "femur/tools/run_setup.hpp"
#include "femur/tools/static_optimization.hpp"
#include "support/test_data.hpp"

namespace {

namespace fs = std::filesystem;
const char* kTutorial = "Tutorials/Estimating_Joint_Reaction_Loads/";

struct Gait2392So {
  femur::Model model;
  femur::io::ExternalLoads loads_xml;
  femur::io::Table grf;
  femur::tools::ExternalLoadsData loads;
  Eigen::VectorXd time;
  Eigen::MatrixXd q, u, qdd;  // frames x nq
};

// The model plus its residual actuators (the setup's force_set_files, appended as AnalyzeTool
// does), the coordinates in radians, speeds and target accelerations from quintic splines.
const Gait2392So* gait2392_so() {
  static const Gait2392So* so = []() -> Gait2392So* {
    if (femur::test::opensim_data().empty()) return nullptr;
    auto* w = new Gait2392So;
    const std::string dir = femur::test::opensim_file(kTutorial).string();
    femur::io::OsimReadOptions options;
    options.force_set_files = {dir + "gait2392_SO_weak_Residual_Actuators.xml"};
    w->model = femur::io::read_osim(dir + "subject01_simbody_adjusted_StaticOp.osim", nullptr, nullptr, options);
    w->loads_xml = femur::io::read_external_loads(dir + "foot_floor_loads.xml");
    w->grf = femur::io::read_sto(dir + "subject01_walk1_grf.mot");
    w->loads = femur::tools::bind_external_loads(w->model, w->loads_xml, w->grf);
    const femur::io::Table k = femur::io::read_sto(dir + "subject01_walk1_Kinematics.sto");
    const int nq = w->model.nq;
    w->time = k.time;
    w->q = Eigen::MatrixXd::Zero(k.rows(), nq);
    for (int c = 0; c < nq; ++c) {
      const femur::Coordinate& coord = w->model.coordinates[static_cast<size_t>(c)];
      const int col = k.column(coord.name);
      if (col >= 0)
        w->q.col(c) = k.data.col(col) * (coord.motion_type == femur::MotionType::Rotational ? std::numbers::pi / 180 : 1.0);
    }
    const femur::GcvSplineSet qs = femur::fit_gcv_spline_set(5, w->time, w->q, femur::GcvSmoothing::interpolating());
    w->u.resize(k.rows(), nq);
    for (int i = 0; i < k.rows(); ++i)
      for (int c = 0; c < nq; ++c) w->u(i, c) = qs.derivative(c, 1, w->time[i]);
    const femur::GcvSplineSet us = femur::fit_gcv_spline_set(5, w->time, w->u, femur::GcvSmoothing::interpolating());
    w->qdd.resize(k.rows(), nq);
    for (int i = 0; i < k.rows(); ++i)
      for (int c = 0; c < nq; ++c) w->qdd(i, c) = us.derivative(c, 1, w->time[i]);
    return w;
  }();
  return so;
}

// The tutorial's frames: 0.5 - 1.999 s, every 10th row.
std::vector<int> frames(const Gait2392So& w) {
  std::vector<int> rows;
  for (int i = 0; i < static_cast<int>(w.time.size()); i += 10) rows.push_back(i);
  return rows;
}

void BM_StaticOptimization_Gait2392_OneFrame(benchmark::State& state) {
  const Gait2392So* w = gait2392_so();
  if (!w) return state.SkipWithError("OpenSim data not found (FEMUR_OPENSIM_DATA)");
  femur::tools::StaticOptimizer so(w->model, &w->loads, {});
  const int n = so.num_actuators();
  Eigen::VectorXd q(w->model.nq), u(w->model.nv), qdd(w->model.nv), x(n), forces(n);
  const std::vector<int> rows = frames(*w);
  size_t k = 0;
  long iterations = 0, solves = 0;
  auto one = [&]() {
    const int i = rows[k];
    k = (k + 1) % rows.size();
    q = w->q.row(i).transpose();
    u = w->u.row(i).transpose();
    qdd = w->qdd.row(i).transpose();
    const femur::tools::StaticOptimizationFrame f = so.solve_frame(w->time[i], q, u, qdd, x, forces);
    iterations += f.iterations;
    ++solves;
    benchmark::DoNotOptimize(x.data());
  };
  one();  // first frame: cold start
  const std::size_t before = femur::bench::allocation_count();
  for (auto _ : state) one();
  state.counters["allocs/frame"] =
      benchmark::Counter(static_cast<double>(femur::bench::allocation_count() - before) / state.iterations());
  state.counters["newton/frame"] = static_cast<double>(iterations) / static_cast<double>(solves);
  state.counters["actuators"] = n;
}
BENCHMARK(BM_StaticOptimization_Gait2392_OneFrame)->Unit(benchmark::kMicrosecond);

void BM_StaticOptimization_Gait2392_QpOnly(benchmark::State& state) {
  const Gait2392So* w = gait2392_so();
  if (!w) return state.SkipWithError("OpenSim data not found (FEMUR_OPENSIM_DATA)");
  const bool warm = state.range(0) != 0;
  femur::tools::StaticOptimizer so(w->model, &w->loads, {});
  const int n = so.num_actuators(), m = static_cast<int>(so.free_coordinates().size());
  Eigen::VectorXd q, u, qdd, x(n), forces(n);
  std::vector<Eigen::MatrixXd> As;
  std::vector<Eigen::VectorXd> bs;
  for (int i : frames(*w)) {
    q = w->q.row(i).transpose();
    u = w->u.row(i).transpose();
    qdd = w->qdd.row(i).transpose();
    so.solve_frame(w->time[i], q, u, qdd, x, forces);
    As.push_back(so.constraint_matrix());
    bs.push_back(so.constraint_vector());
  }
  femur::BoundedQp qp(n, m);
  const Eigen::VectorXd wts = Eigen::VectorXd::Ones(n), c = Eigen::VectorXd::Zero(n);
  Eigen::VectorXd y = Eigen::VectorXd::Zero(m);
  size_t k = 0;
  long iterations = 0, solves = 0;
  for (auto _ : state) {
    if (!warm) y.setZero();
    const femur::BoundedQpSummary s = qp.solve(As[k], bs[k], wts, c, so.lower_bounds(), so.upper_bounds(), x, y);
    iterations += s.iterations;
    ++solves;
    k = (k + 1) % As.size();
    benchmark::DoNotOptimize(x.data());
  }
  state.counters["newton/frame"] = static_cast<double>(iterations) / static_cast<double>(solves);
}
BENCHMARK(BM_StaticOptimization_Gait2392_QpOnly)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_StaticOptimization_Gait2392_Setup(benchmark::State& state) {
  if (femur::test::opensim_data().empty()) return state.SkipWithError("OpenSim data not found");
  const fs::path dir = femur::test::temp_dir("so-bench");
  fs::copy(femur::test::opensim_file(kTutorial), dir, fs::copy_options::recursive);
  fs::copy_file(dir / "subject01_simbody_adjusted_StaticOp.osim", dir / "subject01_simbody_adjusted.osim");
  femur::tools::RunOptions options;
  options.quiet = true;
  int frames_done = 0;
  double compute = 0.0;
  for (auto _ : state) {
    const femur::tools::RunReport r =
        femur::tools::run_setup(femur::io::read_setup(dir / "setup_static_optimization.xml"), options);
    frames_done = r.frames;
    compute = r.seconds;
  }
  state.counters["frames"] = frames_done;
  state.counters["compute_ms/frame"] = 1e3 * compute / std::max(frames_done, 1);
}
BENCHMARK(BM_StaticOptimization_Gait2392_Setup)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
