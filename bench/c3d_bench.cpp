// Time of read_c3d on OpenSim's walking5.c3d (1.1 MB: 40 markers x 1103 frames at 250 Hz,
// 12 analog channels x 8824 samples at 2000 Hz, 2 force plates), with and without the
// force-plate computation, and of parse_c3d on the bytes already in memory.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "femur/io/c3d.hpp"
#include "support/test_data.hpp"

namespace {

std::filesystem::path walking5() { return femur::test::opensim_file("c3d/walking5.c3d"); }

void BM_ReadC3dWalking5(benchmark::State& state) {
  if (femur::test::opensim_data().empty()) {
    state.SkipWithError("OpenSim data not found");
    return;
  }
  femur::io::C3dReadOptions options;
  options.force_plates = state.range(0) != 0;
  const auto path = walking5();
  for (auto _ : state) {
    femur::io::C3dFile c3d = femur::io::read_c3d(path, options);
    benchmark::DoNotOptimize(c3d.points.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(std::filesystem::file_size(path)));
}
BENCHMARK(BM_ReadC3dWalking5)->Arg(1)->Arg(0)->ArgName("force_plates")->Unit(benchmark::kMillisecond);

void BM_ParseC3dWalking5InMemory(benchmark::State& state) {
  if (femur::test::opensim_data().empty()) {
    state.SkipWithError("OpenSim data not found");
    return;
  }
  std::ifstream in(walking5(), std::ios::binary);
  const std::vector<std::uint8_t> bytes(std::istreambuf_iterator<char>(in), {});
  for (auto _ : state) {
    femur::io::C3dFile c3d = femur::io::parse_c3d(bytes, "walking5.c3d");
    benchmark::DoNotOptimize(c3d.force_plates.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes.size()));
}
BENCHMARK(BM_ParseC3dWalking5InMemory)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
