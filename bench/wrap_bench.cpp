// wrap_segment per call for each surface (src/muscle/wrap_*.cpp), on segments that wrap,
// with the sizes of arm26's wrap objects. Each benchmark also checks that the timed loop
// allocates nothing.
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "alloc_counter.hpp"
#include "femur/muscle/wrap_geometry.hpp"

namespace femur {
namespace {

struct Segment {
  Vec3 p1, p2;
};

// 64 segments between random points within `spread` of the centre that the surface wraps.
std::vector<Segment> wrapping_segments(const WrapSurface& s, const WrapOptions& o, double spread,
                                       double z_spread, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<Segment> out;
  while (out.size() < 64) {
    const Vec3 p1(spread * u(rng), spread * u(rng), z_spread * u(rng));
    const Vec3 p2(spread * u(rng), spread * u(rng), z_spread * u(rng));
    if (wrap_segment(s, o, p1, p2).wraps()) out.push_back({p1, p2});
  }
  return out;
}

void run(benchmark::State& state, const WrapSurface& s, const WrapOptions& o,
         const std::vector<Segment>& segments) {
  WrapHint hint;
  std::size_t i = 0;
  const std::size_t before = bench::allocation_count();
  for (auto _ : state) {
    const Segment& seg = segments[i++ & 63];
    WrapPoints w = wrap_segment(s, o, seg.p1, seg.p2, &hint);
    benchmark::DoNotOptimize(w);
  }
  const std::size_t allocations = bench::allocation_count() - before;
  state.counters["allocs"] = static_cast<double>(allocations);
  if (allocations != 0) state.SkipWithError("wrap_segment allocated on the heap");
}

WrapSurface cylinder(WrapQuadrant q) {  // arm26 TRI: radius 0.016, length 0.05
  WrapSurface s;
  s.kind = WrapSurface::Kind::Cylinder;
  s.radius = 0.016;
  s.length = 0.05;
  s.quadrant = q;
  return s;
}

WrapSurface ellipsoid(WrapQuadrant q) {  // arm26 TRIlonghh: 0.035 x 0.02 x 0.02
  WrapSurface s;
  s.kind = WrapSurface::Kind::Ellipsoid;
  s.dimensions = Vec3(0.035, 0.02, 0.02);
  s.quadrant = q;
  return s;
}

void BM_WrapCylinder(benchmark::State& state) {
  const WrapSurface s = cylinder({});
  const WrapOptions o{WrapMethod::Hybrid, false};
  run(state, s, o, wrapping_segments(s, o, 0.08, 0.02, 1));
}
BENCHMARK(BM_WrapCylinder);

// Quadrant +x and the tangency adjustment (a path with more than one PathWrap, as TRIlong).
void BM_WrapCylinderQuadrantAdjusted(benchmark::State& state) {
  const WrapSurface s = cylinder({0, 1});
  const WrapOptions o{WrapMethod::Hybrid, true};
  run(state, s, o, wrapping_segments(s, o, 0.08, 0.02, 2));
}
BENCHMARK(BM_WrapCylinderQuadrantAdjusted);

// Hybrid method: segments whose direction is within ~26 degrees of an axis use the axial
// plane only; the others average 298 closest points ("fan"), which dominates the cost.
void BM_WrapEllipsoidHybrid(benchmark::State& state) {
  const WrapSurface s = ellipsoid({2, 1});
  const WrapOptions o{WrapMethod::Hybrid, false};
  run(state, s, o, wrapping_segments(s, o, 0.08, 0.08, 3));
}
BENCHMARK(BM_WrapEllipsoidHybrid);

void BM_WrapEllipsoidMidpoint(benchmark::State& state) {
  const WrapSurface s = ellipsoid({});
  const WrapOptions o{WrapMethod::Midpoint, false};
  run(state, s, o, wrapping_segments(s, o, 0.08, 0.08, 4));
}
BENCHMARK(BM_WrapEllipsoidMidpoint);

void BM_WrapSphere(benchmark::State& state) {
  WrapSurface s;
  s.kind = WrapSurface::Kind::Sphere;
  s.radius = 0.02;
  const WrapOptions o{};
  run(state, s, o, wrapping_segments(s, o, 0.08, 0.08, 5));
}
BENCHMARK(BM_WrapSphere);

}  // namespace
}  // namespace femur

BENCHMARK_MAIN();
