// femur ik --model M.osim --markers T.trc [--setup S.xml] -o out.mot [--errors E.sto]
// [--time-range T0 T1] [--accuracy A] [--threads N]: inverse kinematics without a setup file
// (every marker weight 1), or with the tasks, accuracy and time range of an OpenSim
// InverseKinematicsTool setup.
#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <variant>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cmd_options.hpp"
#include "commands.hpp"
#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/inverse_kinematics.hpp"

namespace femur::cli {

void register_ik_command(CLI::App& app) {
  struct Args {
    std::string model, markers, setup, out, errors;
    std::vector<double> time_range;
    double accuracy = 0.0;  // 0: not given
    int threads = 1;
    OutputFlags flags;
  };
  auto args = std::make_shared<Args>();
  auto* ik = app.add_subcommand("ik", "Inverse kinematics: coordinates that best match measured markers");
  ik->footer(
      "Examples:\n"
      "  femur ik --model subject01_simbody.osim --markers subject01_walk1.trc -o walk1_ik.mot\n"
      "  femur ik --model subject01_simbody.osim --markers subject01_walk1.trc \\\n"
      "           --setup subject01_Setup_IK.xml --errors walk1_errors.sto -o walk1_ik.mot\n"
      "Without --setup every marker of the file that the model has is tracked with weight 1.\n"
      "The motion is written as OpenSim writes it: rotations in degrees, inDegrees=yes.");
  ik->add_option("--model", args->model, "OpenSim model (.osim)")->required()->check(CLI::ExistingFile);
  ik->add_option("--markers", args->markers, "Marker trajectories (.trc)")->required()->check(CLI::ExistingFile);
  ik->add_option("--setup", args->setup, "InverseKinematicsTool setup: its tasks, accuracy and time range")
      ->check(CLI::ExistingFile);
  ik->add_option("-o,--out", args->out, "Output motion (.mot; its folder is created)")->required();
  ik->add_option("--errors", args->errors, "Also write the marker errors (.sto) here");
  add_time_range(*ik, args->time_range, "Start and end time in s (default: the setup's, else the file's)");
  ik->add_option("--accuracy", args->accuracy, "OpenSim's accuracy (default 1e-5 or the setup's)")
      ->check(positive_number());
  ik->add_option("--threads", args->threads, "Worker threads (default 1)")->check(whole_at_least(1));
  add_output_flags(*ik, args->flags);
  ik->callback([args] {
    // Outputs claimed before any work: none may be an input.
    io::OutputFiles outputs({args->model, args->markers});
    outputs.add_input(args->setup);
    outputs.claim(args->out);
    if (!args->errors.empty()) outputs.claim(args->errors);

    std::vector<std::string> warnings;
    const Model model = io::read_osim(args->model, &warnings);
    const io::MarkerTable markers = tools::read_markers_in_metres(args->markers, &warnings);
    if (markers.frames() > 0)
      check_time_range(args->time_range, markers.time[0], markers.time[markers.frames() - 1], args->markers);
    tools::IkOptions options;
    if (!args->setup.empty()) {
      const io::SetupFile setup = io::read_setup(args->setup, &warnings);
      const auto* ik_setup = std::get_if<io::InverseKinematicsSetup>(&setup);
      if (!ik_setup)
        throw io::UsageError(args->setup + ": expected an InverseKinematicsTool setup, got " + io::tool_name(setup));
      options = tools::ik_options_from_setup(*ik_setup, model);
    }
    if (args->time_range.size() == 2) {
      options.start_time = args->time_range[0];
      options.end_time = args->time_range[1];
    }
    if (args->accuracy > 0.0) options.accuracy = args->accuracy;
    options.threads = args->threads;
    options.show_progress = args->flags.progress();

    const auto t0 = std::chrono::steady_clock::now();
    const tools::IkResult result = tools::inverse_kinematics_of_file(model, markers, options, args->markers);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    outputs.stage_sto(args->out, tools::ik_motion_table(model, result));
    if (!args->errors.empty()) outputs.stage_sto(args->errors, tools::ik_marker_errors_table(result));
    const auto written = outputs.commit();  // both files or neither

    int not_converged = 0;
    for (char c : result.converged) not_converged += c ? 0 : 1;
    if (not_converged > 0) warnings.push_back(fmt::format("{} frame(s) stopped before converging", not_converged));
    const double rms = result.frames() > 0 ? result.marker_error_rms.mean() : 0.0;
    const double worst = result.frames() > 0 ? result.marker_error_max.maxCoeff() : 0.0;
    print_warnings(warnings, args->flags);
    print_summary(args->flags, "ik", written, result.frames(), seconds, warnings,
                  fmt::format("ik: {} frames, {} markers, {:.3f} s; marker RMS {:.2f} mm (mean), max {:.2f} mm",
                              result.frames(), result.marker_names.size(), seconds, 1e3 * rms, 1e3 * worst),
                  fmt::format("\"markers\": {}, \"mean_marker_rms_m\": {:.6g}, \"max_marker_error_m\": {:.6g}, "
                              "\"frames_not_converged\": {}",
                              result.marker_names.size(), rms, worst, not_converged));
  });
}

}  // namespace femur::cli
