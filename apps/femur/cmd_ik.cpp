// femur ik --model M.osim --markers T.trc [--setup S.xml] -o out.mot: inverse kinematics
// without a setup file (every marker weight 1), or with the tasks, accuracy and time range of
// an OpenSim InverseKinematicsTool setup.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <stdexcept>
#include <variant>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/inverse_kinematics.hpp"

namespace femur::cli {

namespace {
std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}
}  // namespace

void register_ik_command(CLI::App& app) {
  struct Args {
    std::string model, markers, setup, out, errors;
    double start = -std::numeric_limits<double>::infinity();
    double end = std::numeric_limits<double>::infinity();
    double accuracy = 0.0;
    int threads = 1;
    bool json = false;
    bool quiet = false;
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
  ik->add_option("--model", args->model, "OpenSim model (.osim)")->required();
  ik->add_option("--markers", args->markers, "Marker trajectories (.trc)")->required();
  ik->add_option("--setup", args->setup, "InverseKinematicsTool setup: its tasks, accuracy and time range");
  ik->add_option("-o,--out", args->out, "Output motion (.mot)")->required();
  ik->add_option("--errors", args->errors, "Also write the marker errors (.sto) here");
  ik->add_option("--start", args->start, "First time (s); default: the setup's or the file's");
  ik->add_option("--end", args->end, "Last time (s)");
  ik->add_option("--accuracy", args->accuracy, "OpenSim's accuracy (default 1e-5 or the setup's)");
  ik->add_option("--threads", args->threads, "Worker threads (default 1)")->check(CLI::PositiveNumber);
  ik->add_flag("--json", args->json, "Print a JSON summary on stdout");
  ik->add_flag("--quiet", args->quiet, "No progress on stderr");
  ik->callback([args] {
    // Outputs claimed before any work: none may be an input.
    io::OutputFiles outputs({args->model, args->markers});
    outputs.add_input(args->setup);
    outputs.claim(args->out);
    if (!args->errors.empty()) outputs.claim(args->errors);

    const Model model = io::read_osim(args->model);
    io::MarkerTable markers = io::read_trc(args->markers);
    try {
      markers.convert_to_metres();
    } catch (const std::invalid_argument& e) {
      throw io::ParseError(args->markers, 3, e.what());
    }
    tools::IkOptions options;
    if (!args->setup.empty()) {
      const io::SetupFile setup = io::read_setup(args->setup);
      const auto* ik_setup = std::get_if<io::InverseKinematicsSetup>(&setup);
      if (!ik_setup)
        throw std::runtime_error(args->setup + ": expected an InverseKinematicsTool setup, got " + io::tool_name(setup));
      options = tools::ik_options_from_setup(*ik_setup, model);
    }
    if (std::isfinite(args->start)) options.start_time = args->start;
    if (std::isfinite(args->end)) options.end_time = args->end;
    if (args->accuracy > 0.0) options.accuracy = args->accuracy;
    options.threads = args->threads;
    options.show_progress = !args->quiet;

    const auto t0 = std::chrono::steady_clock::now();
    const tools::IkResult result = tools::inverse_kinematics(model, markers, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    outputs.stage_sto(args->out, tools::ik_motion_table(model, result));
    if (!args->errors.empty()) outputs.stage_sto(args->errors, tools::ik_marker_errors_table(result));
    outputs.commit();  // both files or neither

    int not_converged = 0;
    for (char c : result.converged) not_converged += c ? 0 : 1;
    const double rms = result.frames() > 0 ? result.marker_error_rms.mean() : 0.0;
    const double worst = result.frames() > 0 ? result.marker_error_max.maxCoeff() : 0.0;
    if (args->json) {
      std::printf("%s\n", fmt::format("{{\"frames\": {}, \"markers\": {}, \"seconds\": {:.6f}, "
                                      "\"mean_marker_rms_m\": {:.6g}, \"max_marker_error_m\": {:.6g}, "
                                      "\"frames_not_converged\": {}, \"output\": {}}}",
                                      result.frames(), result.marker_names.size(), seconds, rms, worst,
                                      not_converged, json_string(args->out))
                              .c_str());
    } else {
      std::printf("wrote %s\n", args->out.c_str());
      if (!args->errors.empty()) std::printf("wrote %s\n", args->errors.c_str());
      std::printf("ik: %d frames, %zu markers, %.3f s; marker RMS %.2f mm (mean), max %.2f mm\n", result.frames(),
                  result.marker_names.size(), seconds, 1e3 * rms, 1e3 * worst);
    }
    if (not_converged > 0)
      std::fprintf(stderr, "femur: warning: %d frame(s) stopped before converging\n", not_converged);
  });
}

}  // namespace femur::cli
