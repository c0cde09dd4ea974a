// Timings of the math layer's scalar functions. A SimmSpline is evaluated for every
// spline-driven joint axis and moving path point at every frame (gait2392: 36 SimmSplines
// with 2-17 knots), so its evaluate() is on the hot path of kinematics and muscle paths.
//
// Each benchmark also counts heap allocations made inside the timed loop (global operator
// new and malloc are counted in bench_support.cpp) and fails if there is any: evaluation
// must not allocate.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "alloc_counter.hpp"
#include "femur/math/function.hpp"
#include "femur/math/gcv_spline.hpp"

namespace {

// n knots over the knee's range [-2.0944, 2.0944] with uneven spacing and a smooth,
// knee-like curve (millimetre translations), as in the gait2392 knee splines.
femur::Function make_spline(int n, bool simm = true) {
  std::vector<double> x, y;
  for (int i = 0; i < n; ++i) {
    const double s = static_cast<double>(i) / (n - 1);
    x.push_back(-2.0944 + 4.1888 * (s + 0.03 * std::sin(7.0 * s) * s * (1 - s)));
    y.push_back(0.005 * std::sin(1.3 * x.back()) - 0.002 * x.back() * x.back());
  }
  return simm ? femur::Function::simm_spline(x, y) : femur::Function::piecewise_linear(x, y);
}

// 1024 query points inside the knot range, in random order, so that the bisection's
// branches are not learned by the predictor (a frame visits each spline once at an
// unrelated angle).
std::vector<double> query_points() {
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> angle(-2.0, 2.0);
  std::vector<double> t(1024);
  for (double& v : t) v = angle(rng);
  return t;
}

void report_allocations(benchmark::State& state, long before) {
  const long allocations = static_cast<long>(femur::bench::allocation_count()) - before;
  state.counters["allocs"] = static_cast<double>(allocations);
  if (allocations != 0) state.SkipWithError("evaluation allocated on the heap");
}

void BM_SimmSplineEvaluate(benchmark::State& state) {
  const femur::Function fn = make_spline(static_cast<int>(state.range(0)));
  const std::vector<double> t = query_points();
  std::size_t i = 0;
  const long before = static_cast<long>(femur::bench::allocation_count());
  for (auto _ : state) {
    benchmark::DoNotOptimize(fn.evaluate(t[i]));
    i = (i + 1) & 1023;
  }
  report_allocations(state, before);
}
BENCHMARK(BM_SimmSplineEvaluate)->Arg(8)->Arg(12)->Arg(17)->Arg(20);

void BM_SimmSplineValue(benchmark::State& state) {
  const femur::Function fn = make_spline(static_cast<int>(state.range(0)));
  const std::vector<double> t = query_points();
  std::size_t i = 0;
  const long before = static_cast<long>(femur::bench::allocation_count());
  for (auto _ : state) {
    benchmark::DoNotOptimize(fn.value(t[i]));
    i = (i + 1) & 1023;
  }
  report_allocations(state, before);
}
BENCHMARK(BM_SimmSplineValue)->Arg(8)->Arg(20);

void BM_PiecewiseLinearEvaluate(benchmark::State& state) {
  const femur::Function fn = make_spline(static_cast<int>(state.range(0)), false);
  const std::vector<double> t = query_points();
  std::size_t i = 0;
  const long before = static_cast<long>(femur::bench::allocation_count());
  for (auto _ : state) {
    benchmark::DoNotOptimize(fn.evaluate(t[i]));
    i = (i + 1) & 1023;
  }
  report_allocations(state, before);
}
BENCHMARK(BM_PiecewiseLinearEvaluate)->Arg(12);

// A coupler-style MultiplierFunction wrapping a SimmSpline (gait2392 patella, knee).
void BM_MultiplierOfSimmSplineEvaluate(benchmark::State& state) {
  const femur::Function fn = femur::Function::multiplier(make_spline(12), 1.05);
  const std::vector<double> t = query_points();
  std::size_t i = 0;
  const long before = static_cast<long>(femur::bench::allocation_count());
  for (auto _ : state) {
    benchmark::DoNotOptimize(fn.evaluate(t[i]));
    i = (i + 1) & 1023;
  }
  report_allocations(state, before);
}
BENCHMARK(BM_MultiplierOfSimmSplineEvaluate);

// Building the coefficients (done once per model load).
void BM_SimmSplineBuild(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(make_spline(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_SimmSplineBuild)->Arg(17);

}  // namespace

// GCV smoothing splines (Woltring 1986) fitted to 23 columns of 150 rows, the size of a
// gait2392 coordinates file: the fit runs once per tool call (IK/ID/SO filtering and
// derivatives), so it is setup cost, not per frame. Was a 500 ms wall-clock assertion in
// gcv_spline_test (issue 22: speed belongs in benchmarks, not in timed unit tests).
static void BM_GcvSplineSetFit23x150(benchmark::State& state) {
  const int n = 150, cols = 23;
  Eigen::VectorXd x(n);
  for (int i = 0; i < n; ++i) x[i] = i / 60.0;
  Eigen::MatrixXd y(n, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < n; ++i) y(i, j) = std::sin((j + 1) * 0.7 * x[i]) + 1e-4 * std::sin(91.0 * i * j);
  for (auto _ : state) benchmark::DoNotOptimize(femur::fit_gcv_spline_set(5, x, y));
  state.SetItemsProcessed(state.iterations() * cols);
}
BENCHMARK(BM_GcvSplineSetFit23x150)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
