// Scale tool on the shipped gait2392 and gait2354 Scale setups: the computing steps one by
// one (scale factors from the measurements, Model::scale with its two path-length passes,
// marker placement with its IK frame) with the model and marker files loaded outside the
// timing, and the whole `femur run` (reading the model, the marker set and the TRC, writing
// both models, the scale set and the static pose) in a temporary folder.
// OpenSim 4.6 on this kind of machine (shared/opensim/README.md): gait2392 scale + marker
// placement 0.85 s wall.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <string>

#include "femur/io/osim_reader.hpp"
#include "femur/io/setup.hpp"
#include "femur/tools/run_setup.hpp"
#include "femur/tools/scale.hpp"
#include "support/test_data.hpp"

namespace {

using namespace femur;
namespace fs = std::filesystem;

struct Case {
  fs::path dir;               // staged copy of the setup's inputs
  io::ScaleSetup setup;
  Model generic;              // with the marker set of the setup
  io::MarkerTable markers;    // static trial, metres
  tools::ScaleFactorOptions factors;
  tools::ScaleFactors computed;
  tools::ScaledModel scaled;
  tools::MarkerPlacerOptions placer;
};

// Stages the Scale inputs of a pipeline and prepares every step's arguments the way
// run_scale_setup does.
std::unique_ptr<Case> load(const std::string& pipeline, const std::string& model) {
  if (test::opensim_data().empty()) return nullptr;
  auto c = std::make_unique<Case>();
  c->dir = test::temp_dir("scale-bench-" + model);
  const fs::path src = test::opensim_file("Pipelines/" + pipeline);
  for (const std::string& f : {std::string("subject01_Setup_Scale.xml"), model + "_simbody.osim",
                               model + "_Scale_MarkerSet.xml", std::string("subject01_static.trc")})
    fs::copy_file(src / f, c->dir / f);
  c->setup = std::get<io::ScaleSetup>(io::read_setup(c->dir / "subject01_Setup_Scale.xml"));
  c->generic = tools::generic_model(c->setup);
  c->markers = io::read_trc(c->dir / "subject01_static.trc");
  c->markers.convert_to_metres();
  const auto& ms = c->setup.model_scaler;
  c->factors.order = {tools::ScalingStep::measurements, tools::ScalingStep::manual_scale};
  c->factors.start_time = ms.time_range[0];
  c->factors.end_time = ms.time_range[1];
  for (const io::Measurement& m : ms.measurements) {
    tools::ScaleMeasurement sm;
    sm.name = m.name;
    for (const io::MarkerPair& p : m.marker_pairs) sm.marker_pairs.push_back({p.marker1, p.marker2});
    for (const io::BodyScale& b : m.body_scales)
      if (c->generic.body_index(b.body) >= 0) sm.bodies.push_back({b.body, {true, true, true}});
    c->factors.measurements.push_back(std::move(sm));
  }
  for (const io::ManualScale& s : ms.scale_set)
    c->factors.manual_scales.push_back({s.segment, Vec3(s.scales[0], s.scales[1], s.scales[2])});
  c->computed = tools::compute_scale_factors(c->generic, &c->markers, c->factors);
  c->scaled = tools::scale_model(c->generic, c->computed.body, {ms.preserve_mass_distribution, c->setup.mass});
  io::InverseKinematicsSetup ik;
  ik.file = c->setup.file;
  ik.tasks = c->setup.marker_placer.tasks;
  c->placer.ik = tools::ik_options_from_setup(ik, c->scaled.model);
  c->placer.start_time = c->setup.marker_placer.time_range[0];
  c->placer.end_time = c->setup.marker_placer.time_range[1];
  return c;
}

const Case* gait2392() {
  static const auto c = load("Gait2392_Simbody", "gait2392");
  return c.get();
}
const Case* gait2354() {
  static const auto c = load("Gait2354_Simbody", "gait2354");
  return c.get();
}

#define REQUIRE_CASE(c)                                                  \
  if (!(c)) {                                                            \
    state.SkipWithError("OpenSim data not found (FEMUR_OPENSIM_DATA)"); \
    return;                                                              \
  }

void BM_ScaleFactors(benchmark::State& state, const Case* (*get)()) {
  const Case* c = get();
  REQUIRE_CASE(c);
  for (auto _ : state) benchmark::DoNotOptimize(tools::compute_scale_factors(c->generic, &c->markers, c->factors));
}

void BM_ScaleModel(benchmark::State& state, const Case* (*get)()) {
  const Case* c = get();
  REQUIRE_CASE(c);
  const auto& ms = c->setup.model_scaler;
  for (auto _ : state)
    benchmark::DoNotOptimize(tools::scale_model(c->generic, c->computed.body, {ms.preserve_mass_distribution, c->setup.mass}));
}

void BM_PlaceMarkers(benchmark::State& state, const Case* (*get)()) {
  const Case* c = get();
  REQUIRE_CASE(c);
  for (auto _ : state) benchmark::DoNotOptimize(tools::place_markers(c->scaled.model, c->markers, c->placer));
}

// The whole `femur run`, files included; OpenSim's 0.85 s (gait2392) is wall time too.
void BM_RunScaleSetup(benchmark::State& state, const Case* (*get)()) {
  const Case* c = get();
  REQUIRE_CASE(c);
  tools::RunOptions quiet;
  quiet.quiet = true;
  for (auto _ : state) benchmark::DoNotOptimize(tools::run_scale_setup(c->setup, quiet));
  state.counters["x_faster_than_OpenSim"] =
      benchmark::Counter(0.85 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_ScaleFactors, gait2392, gait2392)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ScaleModel, gait2392, gait2392)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PlaceMarkers, gait2392, gait2392)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_RunScaleSetup, gait2392, gait2392)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ScaleModel, gait2354, gait2354)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PlaceMarkers, gait2354, gait2354)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_RunScaleSetup, gait2354, gait2354)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
