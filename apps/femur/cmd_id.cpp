// femur id --model M --coordinates C [--external-loads X] [--cutoff HZ] [--time-range T0 T1]
// [--exclude NAME...] [-o OUT.sto]: inverse dynamics without a setup file, the same tool
// `femur run Setup_InverseDynamics.xml` runs (tools::inverse_dynamics).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "femur/io/external_loads.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/external_loads.hpp"
#include "femur/tools/inverse_dynamics.hpp"

namespace femur::cli {

namespace fs = std::filesystem;

void register_id_command(CLI::App& app) {
  struct Args {
    std::string model, coordinates, external_loads, out = "inverse_dynamics.sto";
    double cutoff = -1.0;
    std::vector<double> time_range;
    std::vector<std::string> exclude{"Muscles"};
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  auto* id = app.add_subcommand("id", "Inverse dynamics: generalized forces from coordinates (and ground reactions)");
  id->footer(
      "Example:\n"
      "  femur id --model subject01_simbody.osim --coordinates subject01_walk1_ik.mot \\\n"
      "           --external-loads subject01_walk1_grf.xml --cutoff 6 -o inverse_dynamics.sto\n"
      "As OpenSim's InverseDynamicsTool: coordinates filtered (if --cutoff >= 0), splined, and\n"
      "the output has the filtered table's rows (padded rows included) within --time-range.");
  id->add_option("--model", args->model, "OpenSim model (.osim)")->required()->check(CLI::ExistingFile);
  id->add_option("--coordinates", args->coordinates, "Coordinates (.mot/.sto, e.g. an IK result)")
      ->required()
      ->check(CLI::ExistingFile);
  id->add_option("--external-loads", args->external_loads, "ExternalLoads XML (ground reaction forces)")
      ->check(CLI::ExistingFile);
  id->add_option("--cutoff", args->cutoff, "Low-pass cutoff for the coordinates in Hz (default -1: none)");
  id->add_option("--time-range", args->time_range, "Start and end time in s")->expected(2);
  id->add_option("--exclude", args->exclude,
                 "Model forces to leave out: names or ALL, ACTUATORS, MUSCLES (default Muscles)");
  id->add_option("-o,--out", args->out, "Output file (default inverse_dynamics.sto)");
  id->add_flag("--quiet", args->quiet, "No warnings or summary");
  id->callback([args] {
    io::OutputFiles outputs({args->model, args->coordinates});
    outputs.add_input(args->external_loads);
    io::ExternalLoads xml;
    std::vector<std::string> warnings;
    if (!args->external_loads.empty()) {
      xml = io::read_external_loads(args->external_loads, &warnings);
      if (xml.datafile.empty() && !xml.forces.empty())
        throw std::runtime_error(args->external_loads + ": names no <datafile> for its forces");
      outputs.add_input(xml.datafile.path);
    }
    const fs::path out(args->out);
    outputs.claim(out);  // before any work: never over an input

    const Model model = io::read_osim(args->model, &warnings);
    io::Table coordinates = io::read_sto(args->coordinates);
    io::remove_repeated_times(coordinates);  // a repeated last time, as `femur run` takes it
    tools::ExternalLoadsData loads;
    if (!args->external_loads.empty()) {
      io::Table table;
      if (!xml.datafile.empty()) table = io::read_sto(xml.datafile.path);  // beside the loads file
      loads = tools::bind_external_loads(model, xml, table, &warnings);
    }
    tools::InverseDynamicsOptions options;
    options.lowpass_cutoff_hz = args->cutoff;
    if (args->time_range.size() == 2) {
      options.start_time = args->time_range[0];
      options.end_time = args->time_range[1];
    }
    options.forces_to_exclude = args->exclude;
    tools::InverseDynamicsResult result;
    try {
      result = tools::inverse_dynamics(model, coordinates, args->external_loads.empty() ? nullptr : &loads, options);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(args->coordinates + ": " + e.what());
    }
    outputs.stage_sto(out, result.generalized_forces);
    outputs.commit();
    if (!args->quiet) {
      for (const auto& w : warnings) std::fprintf(stderr, "femur: warning: %s\n", w.c_str());
      for (const auto& w : result.warnings) std::fprintf(stderr, "femur: warning: %s\n", w.c_str());
      std::printf("wrote %s: %d frames in %.3f s\n", out.string().c_str(),
                  result.generalized_forces.rows(), result.seconds);
    }
  });
}

}  // namespace femur::cli
