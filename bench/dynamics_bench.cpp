// Per-call times of femur's kinematics and dynamics on gait2392 (23 coordinates, CustomJoint
// splines included), and of Simbody's on a tree of the same shape and masses (free pelvis,
// ball hips and lumbar, pin knees, ankles, subtalar and toes) in the same run, so the ratio
// is measured on one machine at one time. Each benchmark reports allocations per call.
#include <benchmark/benchmark.h>

#include <random>

#include "alloc_counter.hpp"
#include "femur/dynamics/aba.hpp"
#include "femur/dynamics/crba.hpp"
#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/kinematics/jacobian.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

#ifdef FEMUR_HAVE_SIMBODY
#include "support/simbody_reference.hpp"
#endif

namespace {

using femur::Data;
using femur::Model;

constexpr const char* kGait2392 = "Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim";

const Model* gait2392() {
  static const Model* model = [] {
    if (femur::test::opensim_data().empty()) return static_cast<Model*>(nullptr);
    return new Model(femur::test::load_opensim_model(kGait2392));
  }();
  return model;
}

// Runs `body` once per iteration over a ring of random states and reports allocations.
template <class Body>
void run(benchmark::State& state, Body&& body) {
  const Model* model = gait2392();
  if (!model) {
    state.SkipWithError("OpenSim data not found (FEMUR_OPENSIM_DATA)");
    return;
  }
  Data data(*model);
  std::vector<femur::test::State> states;
  for (unsigned s = 0; s < 64; ++s) states.push_back(femur::test::random_state(*model, s + 1));
  size_t k = 0;
  const size_t before = femur::bench::allocation_count();
  for (auto _ : state) {
    body(*model, data, states[k++ & 63]);
    benchmark::ClobberMemory();
  }
  state.counters["allocs/call"] =
      benchmark::Counter(static_cast<double>(femur::bench::allocation_count() - before) / state.iterations());
}

void BM_Femur_ForwardKinematics(benchmark::State& state) {
  run(state, [](const Model& m, Data& d, const femur::test::State& s) { femur::forward_kinematics(m, d, s.q); });
}
void BM_Femur_ForwardKinematicsAcc(benchmark::State& state) {
  run(state, [](const Model& m, Data& d, const femur::test::State& s) {
    femur::forward_kinematics(m, d, s.q, s.qdot, s.qddot);
  });
}
void BM_Femur_JointJacobians(benchmark::State& state) {
  run(state, [](const Model& m, Data& d, const femur::test::State& s) { femur::compute_joint_jacobians(m, d, s.q); });
}
void BM_Femur_PointJacobian(benchmark::State& state) {
  femur::Matrix3X J(3, gait2392() ? gait2392()->nv : 0);
  run(state, [&J](const Model& m, Data& d, const femur::test::State& s) {
    femur::compute_joint_jacobians(m, d, s.q);
    femur::point_jacobian(m, d, m.body_index("toes_r"), femur::Vec3(0.03, 0.0, 0.0), J);
  });
}
void BM_Femur_Rnea(benchmark::State& state) {
  run(state, [](const Model& m, Data& d, const femur::test::State& s) { femur::rnea(m, d, s.q, s.qdot, s.qddot); });
}
void BM_Femur_Crba(benchmark::State& state) {
  run(state, [](const Model& m, Data& d, const femur::test::State& s) { femur::crba(m, d, s.q); });
}
void BM_Femur_Aba(benchmark::State& state) {
  run(state, [](const Model& m, Data& d, const femur::test::State& s) { femur::aba(m, d, s.q, s.qdot, s.qddot); });
}

BENCHMARK(BM_Femur_ForwardKinematics);
BENCHMARK(BM_Femur_ForwardKinematicsAcc);
BENCHMARK(BM_Femur_JointJacobians);
BENCHMARK(BM_Femur_PointJacobian);
BENCHMARK(BM_Femur_Rnea);
BENCHMARK(BM_Femur_Crba);
BENCHMARK(BM_Femur_Aba);

#ifdef FEMUR_HAVE_SIMBODY

// Simbody on the same tree and states (its ball and free mobilizers with quaternions).
// Gravity costs femur nothing (it is the base acceleration); Simbody gets zero body forces.
template <class Body>
void run_simbody(benchmark::State& bstate, Body&& body) {
  const Model* model = gait2392();
  if (!model) {
    bstate.SkipWithError("OpenSim data not found (FEMUR_OPENSIM_DATA)");
    return;
  }
  femur::test::SimbodyReference simbody(*model);
  std::vector<femur::test::State> states;
  for (unsigned s = 0; s < 64; ++s) states.push_back(femur::test::random_state(*model, s + 1));
  std::vector<double> out(static_cast<size_t>(model->nv) * model->nv);
  size_t k = 0;
  const size_t before = femur::bench::allocation_count();
  for (auto _ : bstate) {
    const femur::test::State& s = states[k++ & 63];
    simbody.set_state(s.q.data(), s.qdot.data());
    body(simbody, s, out.data());
    benchmark::ClobberMemory();
  }
  bstate.counters["allocs/call"] =
      benchmark::Counter(static_cast<double>(femur::bench::allocation_count() - before) / bstate.iterations());
}

void BM_Simbody_InverseDynamics(benchmark::State& state) {
  run_simbody(state, [](femur::test::SimbodyReference& sb, const femur::test::State& s, double* out) {
    sb.inverse_dynamics(s.qddot.data(), out);
  });
}
void BM_Simbody_MassMatrix(benchmark::State& state) {
  run_simbody(state, [](femur::test::SimbodyReference& sb, const femur::test::State&, double* out) {
    sb.mass_matrix(out);
  });
}
void BM_Simbody_ForwardDynamics(benchmark::State& state) {
  run_simbody(state, [](femur::test::SimbodyReference& sb, const femur::test::State& s, double* out) {
    sb.forward_dynamics(s.qddot.data(), out);
  });
}

BENCHMARK(BM_Simbody_InverseDynamics);
BENCHMARK(BM_Simbody_MassMatrix);
BENCHMARK(BM_Simbody_ForwardDynamics);

#endif  // FEMUR_HAVE_SIMBODY

}  // namespace

BENCHMARK_MAIN();
