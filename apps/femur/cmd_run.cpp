// femur run SETUP.xml [--out-dir DIR] [--threads N]: an unchanged OpenSim tool setup file, run
// by femur.
#include <cstdio>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cmd_options.hpp"
#include "commands.hpp"
#include "femur/io/setup.hpp"
#include "femur/ocp/moco_study.hpp"
#include "femur/tools/run_setup.hpp"

namespace femur::cli {

void register_run_command(CLI::App& app) {
  struct Args {
    std::string setup;
    int threads = 1;
    std::string out_dir;
    OutputFlags flags;
  };
  auto args = std::make_shared<Args>();
  auto* run = app.add_subcommand(
      "run", "Run an OpenSim tool setup file (IK, ID, Analyze, Scale, Forward, CMC, RRA) or Moco's MocoInverse/MocoTrack .omoco");
  run->footer(
      "Example:\n  femur run subject01_Setup_InverseDynamics.xml\n"
      "Relative paths in the setup are taken from the setup file's folder, as OpenSim does.");
  run->add_option("setup", args->setup, "OpenSim setup XML file")->required();
  run->add_option("--threads", args->threads, "Worker threads (default 1)")->check(whole_at_least(1));
  run->add_option("--out-dir,--out", args->out_dir, "Write results into this folder instead of the setup's");
  add_output_flags(*run, args->flags);
  run->callback([args] {
    std::vector<std::string> warnings;
    if (const ocp::MocoStudy study = ocp::moco_study(args->setup); study != ocp::MocoStudy::None) {  // ocp layer
      tools::RunOptions options;
      options.quiet = args->flags.quiet;
      if (!args->out_dir.empty()) options.output_directory = args->out_dir;
      const tools::RunReport report = ocp::run_moco_study(study, args->setup, options);
      const std::string tool(ocp::moco_study_name(study));
      print_warnings(report.warnings, args->flags);
      print_summary(args->flags, "run", report.files_written, report.frames, report.seconds, report.warnings,
                    fmt::format("{}: {} nodes in {:.3f} s", tool, report.frames, report.seconds),
                    "\"tool\": " + json_string(tool));
      return;
    }
    const io::SetupFile setup = io::read_setup(args->setup, &warnings);
    io::require_inputs_exist(setup);
    tools::RunOptions options;
    options.threads = args->threads;
    options.quiet = args->flags.quiet;
    options.verbose = args->flags.verbose;
    if (!args->out_dir.empty()) options.output_directory = args->out_dir;
    const tools::RunReport report = tools::run_setup(setup, options);
    warnings.insert(warnings.end(), report.warnings.begin(), report.warnings.end());
    print_warnings(warnings, args->flags);
    const std::string tool = io::tool_name(setup);
    print_summary(args->flags, "run", report.files_written, report.frames, report.seconds, warnings,
                  fmt::format("{}: {} frames in {:.3f} s", tool, report.frames, report.seconds),
                  "\"tool\": " + json_string(tool));
  });
}

}  // namespace femur::cli
