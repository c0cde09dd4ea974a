// Per-frame times of the muscle paths: all 92 gait2392 paths (subject01_simbody.osim) with
// their moment arms about all 23 coordinates, kinematics (forward kinematics + joint
// Jacobians) included, over the frames of the subject01 walk; and arm26's wrapping paths.
// Each benchmark reports allocations per call (must be 0).
#include <benchmark/benchmark.h>

#include <cmath>
#include <memory>

#include "alloc_counter.hpp"
#include "femur/io/table.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/kinematics/jacobian.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace {

using femur::Data;
using femur::Model;
using femur::PathData;
using femur::PathSet;

struct Fixture {
  Model model;
  PathSet paths;
  std::vector<Eigen::VectorXd> q, qdot;  // one per motion frame
};

// Model, its paths and the frames of a coordinates file (speeds by central differences).
std::unique_ptr<Fixture> load(const char* model_file, const char* motion_file) {
  if (femur::test::opensim_data().empty()) return nullptr;
  auto f = std::make_unique<Fixture>();
  f->model = femur::test::load_opensim_model(model_file);
  f->paths = f->model.paths;
  const femur::io::Table motion = femur::io::read_sto(femur::test::opensim_file(motion_file));
  for (int r = 0; r < motion.rows(); ++r) {
    Eigen::VectorXd q = f->model.default_q();
    for (int k = 0; k < f->model.nq; ++k) {
      const int col = motion.column(f->model.coordinates[k].name);
      const bool rot = f->model.coordinates[k].motion_type == femur::MotionType::Rotational;
      if (col >= 0) q[k] = motion.data(r, col) * (motion.in_degrees && rot ? M_PI / 180.0 : 1.0);
    }
    f->q.push_back(q);
  }
  for (size_t r = 0; r < f->q.size(); ++r) {
    const size_t a = r == 0 ? 0 : r - 1, b = std::min(r + 1, f->q.size() - 1);
    f->qdot.push_back((f->q[b] - f->q[a]) / (motion.time[static_cast<int>(b)] - motion.time[static_cast<int>(a)]));
  }
  return f;
}

const Fixture* gait2392() {
  static const auto f = load("Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim",
                             "Generated/Gait2392_Simbody/subject01_walk1_ik.mot");
  return f.get();
}
const Fixture* arm26() {
  static const auto f = load("Tutorials/Computed_Muscle_Control/InverseKinematics/arm26.osim",
                             "Tutorials/Computed_Muscle_Control/OutputReference/InverseKinematics/"
                             "arm26_InverseKinematics.mot");
  return f.get();
}

// Runs `body` once per iteration over the motion's frames and reports allocations per call.
template <class Body>
void run(benchmark::State& state, const Fixture* f, Body&& body) {
  if (!f) {
    state.SkipWithError("OpenSim data not found (FEMUR_OPENSIM_DATA)");
    return;
  }
  Data data(f->model);
  PathData pd(f->model, f->paths);
  body(*f, data, pd, 0);  // warm up (wrap memory)
  size_t k = 0;
  const size_t n = f->q.size();
  const size_t before = femur::bench::allocation_count();
  for (auto _ : state) {
    body(*f, data, pd, k++ % n);
    benchmark::DoNotOptimize(pd.moment_arm.data());
    benchmark::ClobberMemory();
  }
  state.counters["allocs/call"] =
      benchmark::Counter(static_cast<double>(femur::bench::allocation_count() - before) / state.iterations());
  state.counters["paths"] = f->paths.size();
}

// The target: kinematics + Jacobians + 92 lengths + 92 x 23 moment arms.
void BM_Gait2392_LengthsAndMomentArms(benchmark::State& state) {
  run(state, gait2392(), [](const Fixture& f, Data& d, PathData& pd, size_t i) {
    femur::compute_paths(f.model, f.paths, d, f.q[i], pd);
  });
}
// Everything, speeds included (forward kinematics with q-dot on top).
void BM_Gait2392_LengthsSpeedsMomentArms(benchmark::State& state) {
  run(state, gait2392(), [](const Fixture& f, Data& d, PathData& pd, size_t i) {
    femur::compute_paths(f.model, f.paths, d, f.q[i], f.qdot[i], pd);
  });
}
// Forward kinematics + lengths only.
void BM_Gait2392_Lengths(benchmark::State& state) {
  run(state, gait2392(), [](const Fixture& f, Data& d, PathData& pd, size_t i) {
    femur::forward_kinematics(f.model, d, f.q[i]);
    femur::compute_path_lengths(f.model, f.paths, d, f.q[i], pd);
  });
}
// The kinematics part alone, for reference.
void BM_Gait2392_JointJacobiansOnly(benchmark::State& state) {
  run(state, gait2392(), [](const Fixture& f, Data& d, PathData&, size_t i) {
    femur::compute_joint_jacobians(f.model, d, f.q[i]);
  });
}
// Wrapping paths: arm26 (cylinders and ellipsoids), kinematics included.
void BM_Arm26_LengthsAndMomentArms(benchmark::State& state) {
  run(state, arm26(), [](const Fixture& f, Data& d, PathData& pd, size_t i) {
    femur::compute_paths(f.model, f.paths, d, f.q[i], pd);
  });
}

BENCHMARK(BM_Gait2392_LengthsAndMomentArms);
BENCHMARK(BM_Gait2392_LengthsSpeedsMomentArms);
BENCHMARK(BM_Gait2392_Lengths);
BENCHMARK(BM_Gait2392_JointJacobiansOnly);
BENCHMARK(BM_Arm26_LengthsAndMomentArms);

}  // namespace

BENCHMARK_MAIN();
