// Timings of the muscle models on gait2392's 92 muscles (Thelen2003 and Millard2012 files):
// rigid-tendon forces of all muscles per call (Static Optimization and moment-arm analyses
// evaluate these every frame), the SO capacity F0 f_L f_V cos(phi), and the elastic-tendon
// equilibrium per muscle. Each benchmark fails if the timed loop allocates.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "alloc_counter.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/muscle/muscle_model.hpp"
#include "support/test_data.hpp"

namespace {

struct Inputs {
  femur::MuscleSet muscles;
  std::vector<double> L, V;
};

// Lengths spread over each muscle's working range (0.8-1.2 optimal fiber length) and speeds
// of +-0.5 l0/s (walking-like).
Inputs make_inputs(const char* file) {
  Inputs in;
  in.muscles = femur::MuscleSet(femur::io::read_osim(femur::test::opensim_file(file)));
  for (int i = 0; i < in.muscles.size(); ++i) {
    const auto& p = in.muscles.parameters(i);
    const double s = 0.8 + 0.4 * ((i * 37) % 92) / 91.0;
    in.L.push_back(p.tendon_slack_length + s * p.optimal_fiber_length * std::cos(p.pennation_angle_at_optimal));
    in.V.push_back(((i % 5) - 2) * 0.25 * p.optimal_fiber_length);
  }
  return in;
}

const Inputs& thelen() {
  static const Inputs in = make_inputs("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim");
  return in;
}
const Inputs& millard() {
  static const Inputs in = make_inputs("Models/Gait2392_Simbody/gait2392_millard2012muscle.osim");
  return in;
}
// No shared model uses DeGrooteFregly2016Muscle: gait2392's Thelen muscles with their geometry
// (F0, l0, lTs, phi0, vmax) and DeGroote's defaults for everything else.
const Inputs& degroote() {
  static const Inputs in = [] {
    Inputs d = make_inputs("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim");
    for (int i = 0; i < d.muscles.size(); ++i) {
      const femur::MuscleParameters& t = d.muscles.parameters(i);
      femur::MuscleParameters p = femur::default_muscle_parameters(femur::MuscleKind::DeGrooteFregly2016);
      p.name = t.name;
      p.max_isometric_force = t.max_isometric_force;
      p.optimal_fiber_length = t.optimal_fiber_length;
      p.tendon_slack_length = t.tendon_slack_length;
      p.pennation_angle_at_optimal = t.pennation_angle_at_optimal;
      p.max_contraction_velocity = t.max_contraction_velocity;
      d.muscles.set_parameters(i, p);
    }
    return d;
  }();
  return in;
}

void check_no_allocation(benchmark::State& state, std::size_t before) {
  const std::size_t n = femur::bench::allocation_count() - before;
  state.counters["allocs"] = static_cast<double>(n);
  if (n != 0) state.SkipWithError("allocated inside the timed loop");
}

void rigid_all(benchmark::State& state, const Inputs& in, bool moving) {
  femur::MuscleState s;
  const std::size_t before = femur::bench::allocation_count();
  for (auto _ : state) {
    double sum = 0;
    for (int i = 0; i < in.muscles.size(); ++i) {
      femur::rigid_tendon_state(in.muscles.model(i), in.L[i], moving ? in.V[i] : 0.0, 0.5, s);
      sum += s.tendon_force;
    }
    benchmark::DoNotOptimize(sum);
  }
  check_no_allocation(state, before);
  state.counters["muscles"] = in.muscles.size();
}

void BM_RigidTendonForces92_Thelen(benchmark::State& st) { rigid_all(st, thelen(), true); }
void BM_RigidTendonForces92_ThelenIsometric(benchmark::State& st) { rigid_all(st, thelen(), false); }
void BM_RigidTendonForces92_Millard(benchmark::State& st) { rigid_all(st, millard(), true); }
void BM_RigidTendonForces92_DeGroote(benchmark::State& st) { rigid_all(st, degroote(), true); }

void BM_SoCapacity92_Thelen(benchmark::State& state) {
  const Inputs& in = thelen();
  const std::size_t before = femur::bench::allocation_count();
  for (auto _ : state) {
    double sum = 0;
    for (int i = 0; i < in.muscles.size(); ++i)
      sum += femur::calc_inextensible_tendon_active_fiber_force(in.muscles.model(i), in.muscles.parameters(i).default_fiber_length, 0.0, 1.0);
    benchmark::DoNotOptimize(sum);
  }
  check_no_allocation(state, before);
}

void equilibrium(benchmark::State& state, const Inputs& in, bool moving) {
  femur::MuscleState s;
  int failed = 0;
  const std::size_t before = femur::bench::allocation_count();
  for (auto _ : state) {
    for (int i = 0; i < in.muscles.size(); ++i) {
      const auto r = femur::fiber_equilibrium(in.muscles.model(i), in.L[i], moving ? in.V[i] : 0.0, 0.05, s);
      failed += r.status == femur::EquilibriumStatus::Failed;
    }
    benchmark::DoNotOptimize(s.fiber_length);
  }
  check_no_allocation(state, before);
  state.counters["per_muscle_ns"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * in.muscles.size(),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["failed"] = failed;
}

void BM_Equilibrium92_Thelen(benchmark::State& st) { equilibrium(st, thelen(), true); }
void BM_Equilibrium92_ThelenStatic(benchmark::State& st) { equilibrium(st, thelen(), false); }
void BM_Equilibrium92_Millard(benchmark::State& st) { equilibrium(st, millard(), true); }
void BM_Equilibrium92_MillardStatic(benchmark::State& st) { equilibrium(st, millard(), false); }

}  // namespace

BENCHMARK(BM_RigidTendonForces92_Thelen)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RigidTendonForces92_ThelenIsometric)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RigidTendonForces92_Millard)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RigidTendonForces92_DeGroote)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SoCapacity92_Thelen)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Equilibrium92_Thelen)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Equilibrium92_ThelenStatic)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Equilibrium92_Millard)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Equilibrium92_MillardStatic)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
