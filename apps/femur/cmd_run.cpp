// femur run SETUP.xml: an unchanged OpenSim tool setup file, run by femur.
#include <cstdio>
#include <memory>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "femur/io/setup.hpp"
#include "femur/tools/run_setup.hpp"

namespace femur::cli {

void register_run_command(CLI::App& app) {
  struct Args {
    std::string setup;
    tools::RunOptions options;
    std::string out;
  };
  auto args = std::make_shared<Args>();
  auto* run = app.add_subcommand("run", "Run an OpenSim tool setup file (IK, ID, Analyze, Scale ...)");
  run->footer(
      "Example:\n  femur run subject01_Setup_InverseDynamics.xml\n"
      "Relative paths in the setup are taken from the setup file's folder, as OpenSim does.");
  run->add_option("setup", args->setup, "OpenSim setup XML file")->required();
  run->add_option("--threads", args->options.threads, "Worker threads (default 1)")->check(CLI::PositiveNumber);
  run->add_flag("--quiet", args->options.quiet, "No progress on stderr");
  run->add_option("--out", args->out, "Write results into this folder instead of the setup's");
  run->callback([args] {
    std::vector<std::string> warnings;
    const io::SetupFile setup = io::read_setup(args->setup, &warnings);
    for (const auto& w : warnings) std::fprintf(stderr, "femur: warning: %s\n", w.c_str());
    const std::vector<std::string> missing = io::check_inputs_exist(setup);
    if (!missing.empty()) {
      std::string message = "missing input files:";
      for (const auto& m : missing) message += "\n  " + m;
      throw std::runtime_error(message);
    }
    tools::RunOptions options = args->options;
    if (!args->out.empty()) options.output_directory = args->out;
    const tools::RunReport report = tools::run_setup(setup, options);
    if (!options.quiet) {
      for (const auto& f : report.files_written) std::printf("wrote %s\n", f.string().c_str());
      std::printf("%s: %d frames in %.3f s\n", io::tool_name(setup).c_str(), report.frames, report.seconds);
    }
  });
}

}  // namespace femur::cli
