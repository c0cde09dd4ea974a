// Throughput of the STO reader and writer on a generated ~50 MB file (30000 rows x 100
// columns at 16 significant digits, values of gait-data magnitude), and of the TRC reader.
// Reports bytes/s of file text: the target is >= 100 MB/s both ways.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "femur/io/table.hpp"
#include "support/test_data.hpp"

namespace {
namespace fs = std::filesystem;

struct StoFixture {
  femur::io::Table table;
  fs::path dir, path;
  size_t bytes = 0;

  StoFixture() {
    constexpr int kRows = 30000, kCols = 100;
    std::mt19937_64 rng(42);
    std::normal_distribution<double> value(0.0, 50.0);
    table.name = "bench";
    for (int c = 0; c < kCols; ++c) table.labels.push_back("/forceset/muscle_" + std::to_string(c) + "/activation");
    table.time.resize(kRows);
    table.data.resize(kRows, kCols);
    for (int r = 0; r < kRows; ++r) {
      table.time[r] = r * 0.001;
      for (int c = 0; c < kCols; ++c) table.data(r, c) = value(rng);
    }
    dir = femur::test::temp_dir("io-bench");
    path = dir / "bench.sto";
    femur::io::write_sto(path, table);
    bytes = fs::file_size(path);
  }
};

StoFixture& sto() {
  static StoFixture f;
  return f;
}

void BM_ReadSto(benchmark::State& state) {
  auto& f = sto();
  for (auto _ : state) {
    femur::io::Table t = femur::io::read_sto(f.path);
    benchmark::DoNotOptimize(t.data.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(f.bytes));
  state.counters["MB"] = static_cast<double>(f.bytes) / 1e6;
}
BENCHMARK(BM_ReadSto)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_WriteSto(benchmark::State& state) {
  auto& f = sto();
  const fs::path out = f.dir / "written.sto";
  for (auto _ : state) femur::io::write_sto(out, f.table);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(f.bytes));
}
BENCHMARK(BM_WriteSto)->Unit(benchmark::kMillisecond)->UseRealTime();

// Writing at 17 digits (exact round trip) costs more digits per value.
void BM_WriteStoPrecision17(benchmark::State& state) {
  auto& f = sto();
  const fs::path out = f.dir / "written17.sto";
  size_t bytes = 0;
  for (auto _ : state) {
    femur::io::write_sto(out, f.table, {.precision = 17});
    bytes = fs::file_size(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(bytes));
}
BENCHMARK(BM_WriteStoPrecision17)->Unit(benchmark::kMillisecond)->UseRealTime();

// A marker file of the same size class: 100 markers x 15000 frames in mm.
void BM_ReadTrc(benchmark::State& state) {
  static const auto setup = [] {
    femur::io::MarkerTable t;
    constexpr int kFrames = 15000, kMarkers = 100;
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> mm(-1500.0, 1500.0);
    for (int m = 0; m < kMarkers; ++m) t.markers.push_back("M" + std::to_string(m));
    t.time.resize(kFrames);
    t.data.resize(kFrames, 3 * kMarkers);
    for (int f = 0; f < kFrames; ++f) {
      t.time[f] = f / 100.0;
      for (int c = 0; c < 3 * kMarkers; ++c) t.data(f, c) = std::round(mm(rng) * 1e5) / 1e5;
    }
    t.data_rate = 100;
    t.units = "mm";
    const fs::path p = sto().dir / "bench.trc";
    femur::io::write_trc(p, t);
    return std::pair{p, fs::file_size(p)};
  }();
  for (auto _ : state) {
    femur::io::MarkerTable t = femur::io::read_trc(setup.first);
    benchmark::DoNotOptimize(t.data.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(setup.second));
}
BENCHMARK(BM_ReadTrc)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
