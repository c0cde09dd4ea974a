// femur so --model M --coordinates C [--external-loads X] [--actuators R.xml] [--cutoff HZ]
// [--time-range T0 T1] [-o DIR]: Static Optimization without a setup file. Builds the
// AnalyzeSetup an OpenSim setup_static_optimization.xml would hold and runs it through
// tools::run_setup, the same path as `femur run`.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/run_setup.hpp"

namespace femur::cli {

namespace {
io::FileRef file_ref(const std::string& path, const char* element) {
  io::FileRef ref;
  ref.path = path;
  ref.written = path;
  ref.element = element;
  ref.source = "femur so";
  return ref;
}
}  // namespace

void register_so_command(CLI::App& app) {
  struct Args {
    std::string model, coordinates, external_loads, out = "ResultsStaticOptimization", name = "femur";
    std::vector<std::string> actuators;
    double cutoff = -1.0, exponent = 2.0;
    std::vector<double> time_range;
    bool no_physiology = false, quiet = false;
  };
  auto args = std::make_shared<Args>();
  auto* so = app.add_subcommand("so", "Static Optimization: muscle activations and forces frame by frame");
  so->footer(
      "Example:\n"
      "  femur so --model subject01_simbody_adjusted.osim --coordinates subject01_walk1_Kinematics.sto \\\n"
      "           --external-loads foot_floor_loads.xml --actuators gait2392_SO_weak_Residual_Actuators.xml \\\n"
      "           --cutoff 6 -o ResultsStaticOptimization\n"
      "Writes <name>_StaticOptimization_activation.sto and _force.sto as OpenSim's AnalyzeTool does.");
  so->add_option("--model", args->model, "OpenSim model (.osim)")->required()->check(CLI::ExistingFile);
  so->add_option("--coordinates", args->coordinates, "Coordinates (.mot/.sto, e.g. an IK or RRA result)")
      ->required()
      ->check(CLI::ExistingFile);
  so->add_option("--external-loads", args->external_loads, "ExternalLoads XML (ground reaction forces)")
      ->check(CLI::ExistingFile);
  so->add_option("--actuators", args->actuators, "ForceSet XML(s) appended to the model (reserves, residuals)")
      ->check(CLI::ExistingFile);
  so->add_option("--cutoff", args->cutoff, "Low-pass cutoff for the coordinates in Hz (default -1: none)");
  so->add_option("--time-range", args->time_range, "Start and end time in s")->expected(2);
  so->add_option("--exponent", args->exponent, "Activation exponent of the cost (default 2)");
  so->add_flag("--no-muscle-physiology", args->no_physiology, "Ignore force-length-velocity (F = a F0)");
  so->add_option("--name", args->name, "Prefix of the output files (default femur)");
  so->add_option("-o,--out", args->out, "Output folder (default ResultsStaticOptimization)");
  so->add_flag("--quiet", args->quiet, "No progress or summary");
  so->callback([args] {
    io::AnalyzeSetup setup;
    setup.name = args->name;
    setup.file = "femur so";
    setup.model_file = file_ref(args->model, "model_file");
    for (const auto& a : args->actuators) setup.force_set_files.push_back(file_ref(a, "force_set_files"));
    setup.coordinates_file = file_ref(args->coordinates, "coordinates_file");
    if (!args->external_loads.empty()) setup.external_loads_file = file_ref(args->external_loads, "external_loads_file");
    setup.lowpass_cutoff_frequency_for_coordinates = args->cutoff;
    setup.results_directory = file_ref(args->out, "results_directory");
    if (args->time_range.size() == 2) {
      setup.initial_time = args->time_range[0];
      setup.final_time = args->time_range[1];
    } else {  // the file's own rows, not the padding the filter adds around them
      const io::Table table = io::read_sto(args->coordinates);
      setup.initial_time = table.time.size() == 0 ? 0.0 : table.time(0);
      setup.final_time = table.time.size() == 0 ? 0.0 : table.time(table.time.size() - 1);
    }
    io::StaticOptimizationSettings so_settings;
    so_settings.name = "StaticOptimization";
    so_settings.activation_exponent = args->exponent;
    so_settings.use_muscle_physiology = !args->no_physiology;
    setup.analyses.emplace_back(so_settings);
    tools::RunOptions options;
    options.quiet = args->quiet;
    const tools::RunReport report = tools::run_setup(io::SetupFile(setup), options);
    if (!args->quiet) {
      for (const auto& f : report.files_written) std::printf("wrote %s\n", f.string().c_str());
      std::printf("so: %d frames in %.3f s\n", report.frames, report.seconds);
    }
  });
}

}  // namespace femur::cli
