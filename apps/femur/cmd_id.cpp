// femur id --model M --coordinates C [--external-loads X] [--cutoff HZ] [--time-range T0 T1]
// [--exclude NAME...] [--body-forces JOINT...] [-o OUT.sto]: inverse dynamics without a setup file, the same tool
// `femur run Setup_InverseDynamics.xml` runs (tools::inverse_dynamics).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cmd_options.hpp"
#include "commands.hpp"
#include "loads_input.hpp"
#include "femur/io/external_loads.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/external_loads.hpp"
#include "femur/tools/input_checks.hpp"
#include "femur/tools/inverse_dynamics.hpp"

namespace femur::cli {

namespace fs = std::filesystem;

void register_id_command(CLI::App& app) {
  struct Args {
    std::string model, coordinates, external_loads, out = "inverse_dynamics.sto";
    std::vector<std::string> body_forces;
    std::string body_forces_out = "body_forces_at_joints.sto";
    double cutoff = -1.0;
    std::vector<double> time_range;
    std::vector<std::string> exclude{"Muscles"};
    OutputFlags flags;
  };
  auto args = std::make_shared<Args>();
  auto* id = app.add_subcommand("id", "Inverse dynamics: generalized forces from coordinates (and ground reactions)");
  id->footer(
      "Example:\n"
      "  femur id --model subject01_simbody.osim --coordinates subject01_walk1_ik.mot \\\n"
      "           --external-loads subject01_walk1_grf.xml --cutoff 6 -o inverse_dynamics.sto\n"
      "As OpenSim's InverseDynamicsTool: coordinates filtered (if --cutoff >= 0), splined, and\n"
      "one output row per row of the filtered table within --time-range (default: the\n"
      "coordinates file's first to last time, so the filter's padded rows are left out).");
  id->add_option("--model", args->model, "OpenSim model (.osim)")->required()->check(CLI::ExistingFile);
  id->add_option("--coordinates", args->coordinates, "Coordinates (.mot/.sto, e.g. an IK result)")
      ->required()
      ->check(CLI::ExistingFile);
  id->add_option("--external-loads", args->external_loads, "ExternalLoads XML (ground reaction forces)")
      ->check(CLI::ExistingFile);
  id->add_option("--cutoff", args->cutoff, "Low-pass cutoff for the coordinates in Hz (default -1: none)")
      ->check(finite_number());
  add_time_range(*id, args->time_range, "Start and end time in s (default: the coordinates file's)");
  id->add_option("--exclude", args->exclude,
                 "Model forces to leave out: names or ALL, ACTUATORS, MUSCLES (default Muscles)");
  id->add_option("--body-forces", args->body_forces,
                 "Joints (or All) whose equivalent body forces are written (joints_to_report_body_forces)");
  id->add_option("--body-forces-out", args->body_forces_out,
                 "Body forces file (default body_forces_at_joints.sto, beside --out)");
  id->add_option("-o,--out", args->out, "Output file (default inverse_dynamics.sto; its folder is created)");
  add_output_flags(*id, args->flags);
  id->callback([args] {
    io::OutputFiles outputs({args->model, args->coordinates});
    outputs.add_input(args->external_loads);
    std::vector<std::string> warnings;
    const io::ExternalLoads xml = read_loads_input(args->external_loads, outputs, warnings);
    const fs::path out(args->out);
    outputs.claim(out);  // before any work: never over an input
    const fs::path body_out = out.parent_path() / fs::path(args->body_forces_out).filename();
    if (!args->body_forces.empty()) outputs.claim(body_out);

    const Model model = io::read_osim(args->model, &warnings);
    io::Table coordinates = io::read_sto(args->coordinates);
    io::remove_repeated_times(coordinates);  // a repeated last time, as `femur run` takes it
    if (auto w = tools::coordinates_in_degrees_warning(model, coordinates, args->coordinates); !w.empty())
      warnings.push_back(w);
    const tools::ExternalLoadsData loads = bind_loads_input(model, args->external_loads, xml, warnings);
    tools::InverseDynamicsOptions options;
    options.lowpass_cutoff_hz = args->cutoff;
    if (coordinates.rows() > 0) {
      // The file's own rows, not the padding the filter adds around them.
      const double first = coordinates.time[0], last = coordinates.time[coordinates.rows() - 1];
      check_time_range(args->time_range, first, last, args->coordinates);
      options.start_time = args->time_range.size() == 2 ? args->time_range[0] : first;
      options.end_time = args->time_range.size() == 2 ? args->time_range[1] : last;
    }
    options.forces_to_exclude = args->exclude;
    options.joints_to_report_body_forces = args->body_forces;
    tools::InverseDynamicsResult result;
    try {
      result = tools::inverse_dynamics(model, coordinates, args->external_loads.empty() ? nullptr : &loads, options);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(args->coordinates + ": " + e.what());
    }
    outputs.stage_sto(out, result.generalized_forces);
    if (!result.body_forces.labels.empty()) outputs.stage_sto(body_out, result.body_forces);
    const auto written = outputs.commit();
    warnings.insert(warnings.end(), result.warnings.begin(), result.warnings.end());
    print_warnings(warnings, args->flags);
    print_summary(args->flags, "id", written, result.generalized_forces.rows(), result.seconds, warnings,
                  fmt::format("id: {} frames in {:.3f} s", result.generalized_forces.rows(), result.seconds));
  });
}

}  // namespace femur::cli
