// femur forward --model M --final-time T [--controls C] [--states S] [--external-loads X]
// [--actuators F...] [--initial-time T0] [--tolerance E] [--min-step H] [--max-step H]
// [--max-steps N] [--equilibrium] [--analyses LIST] [--step N] [--name N] [--out-dir DIR]
// [--json] [--quiet|--verbose]:
// a forward simulation without a setup file; the flags build the ForwardTool setup that
// `femur run Setup_Forward.xml` runs (tools::run_forward_setup).
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
#include "femur/io/error.hpp"
#include "femur/io/setup.hpp"
#include "femur/tools/forward_tool.hpp"

namespace femur::cli {

namespace fs = std::filesystem;

namespace {

io::FileRef file_ref(const std::string& path, const char* flag) {
  io::FileRef f;
  if (path.empty()) return f;
  f.path = fs::absolute(path).lexically_normal();
  f.written = path;
  f.element = flag;
  f.source = std::string("femur forward ") + flag;
  return f;
}

}  // namespace

void register_forward_command(CLI::App& app) {
  struct Args {
    std::string model, controls, states, external_loads, name = "forward", out = ".";
    std::vector<std::string> force_sets, analyses;
    double initial_time = 0.0, final_time = 0.0;
    double tolerance = 1e-5, min_step = 1e-8, max_step = 1.0;
    int max_steps = 20000, step_interval = 1, precision = 8;
    bool equilibrium = false;
    OutputFlags flags;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("forward", "Forward simulation: a model driven by controls from an initial state");
  cmd->footer(
      "Example:\n"
      "  femur forward --model subject01_simbody_adjusted.osim --actuators gait2354_CMC_Actuators.xml \\\n"
      "                --controls ResultsCMC/subject01_walk1_controls.xml \\\n"
      "                --states ResultsCMC/subject01_walk1_states.sto --external-loads subject01_walk1_grf.xml \\\n"
      "                --initial-time 0.83 --final-time 1.08 --tolerance 5e-5 --min-step 1e-5 \\\n"
      "                --analyses Kinematics,Actuation,BodyKinematics --step 10 --out-dir ResultsForward\n"
      "As OpenSim's ForwardTool: the run starts from the last states row at or before --initial-time\n"
      "(the model's defaults without --states), integrates by Runge-Kutta-Merson with the error\n"
      "tolerance, and writes NAME_states.sto, NAME_states_degrees.mot, NAME_controls.sto and the\n"
      "analyses' files into --out-dir.");
  cmd->add_option("--model", args->model, "OpenSim model (.osim)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--final-time", args->final_time, "End of the simulation in s")->required()->check(finite_number());
  cmd->add_option("--initial-time", args->initial_time, "Start of the simulation in s (default 0)")
      ->check(finite_number());
  cmd->add_option("--controls", args->controls, "Controls: a ControlSet (.xml) or a table (.sto), one per actuator")
      ->check(CLI::ExistingFile);
  cmd->add_option("--states", args->states, "Initial states (.sto), e.g. a CMC states file")->check(CLI::ExistingFile);
  cmd->add_option("--external-loads", args->external_loads, "ExternalLoads XML (ground reaction forces)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--actuators,--force-set", args->force_sets, "ForceSet XML files appended to the model (reserves, residuals)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--tolerance", args->tolerance, "Integrator error tolerance (default 1e-5)")->check(positive_number());
  cmd->add_option("--min-step", args->min_step, "Minimum step size in s (default 1e-8)")->check(non_negative());
  cmd->add_option("--max-step", args->max_step, "Maximum step size in s (default 1)")->check(positive_number());
  cmd->add_option("--max-steps", args->max_steps, "Maximum number of integrator steps (default 20000)")
      ->check(whole_at_least(1));
  cmd->add_flag("--equilibrium", args->equilibrium, "Equilibrate the muscles' fibers at the start");
  cmd->add_option("--analyses", args->analyses,
                  "Analyses to run on the steps: Kinematics, Actuation, BodyKinematics (comma-separated)")
      ->delimiter(',');
  cmd->add_option("--step,--step-interval", args->step_interval, "Record the analyses every Nth step (default 1)")
      ->check(whole_at_least(1));
  cmd->add_option("--name", args->name, "Prefix of the output files (default forward)");
  cmd->add_option("--out-dir,--out", args->out, "Folder for the results (default .)");
  cmd->add_option("--precision", args->precision, "Significant digits in the output files (default 8)")
      ->check(whole_at_least(1));
  add_output_flags(*cmd, args->flags);
  cmd->callback([args] {
    if (!(args->final_time > args->initial_time))
      throw io::UsageError(fmt::format("--final-time {} is not after --initial-time {}", args->final_time,
                                           args->initial_time));
    if (args->min_step > args->max_step)
      throw io::UsageError(fmt::format("--min-step {} is larger than --max-step {}", args->min_step, args->max_step));
    io::ForwardSetup s;
    s.name = args->name;
    s.file = fs::absolute("femur-forward");  // messages about the run name this pseudo-file
    s.model_file = file_ref(args->model, "--model");
    for (const std::string& f : args->force_sets) s.force_set_files.push_back(file_ref(f, "--actuators"));
    s.replace_force_set = false;
    s.states_file = file_ref(args->states, "--states");
    s.external_loads_file = file_ref(args->external_loads, "--external-loads");
    s.results_directory = file_ref(args->out, "--out-dir");
    s.output_precision = args->precision;
    s.initial_time = args->initial_time;
    s.final_time = args->final_time;
    s.solve_for_equilibrium_for_auxiliary_states = args->equilibrium;
    s.maximum_number_of_integrator_steps = args->max_steps;
    s.minimum_integrator_step_size = args->min_step;
    s.maximum_integrator_step_size = args->max_step;
    s.integrator_error_tolerance = args->tolerance;
    if (!args->controls.empty()) {
      io::ControllerSettings c;
      c.type = "ControlSetController";
      c.controls_file = file_ref(args->controls, "--controls");
      s.controllers.push_back(c);
    }
    for (const std::string& a : args->analyses) {
      auto common = [&](io::AnalysisCommon& x) {
        x.name = a;
        x.step_interval = args->step_interval;
      };
      if (a == "Kinematics") {
        io::KinematicsSettings k;
        common(k);
        s.analyses.push_back(k);
      } else if (a == "Actuation") {
        io::ActuationSettings k;
        common(k);
        s.analyses.push_back(k);
      } else if (a == "BodyKinematics") {
        io::BodyKinematicsSettings k;
        common(k);
        s.analyses.push_back(k);
      } else {
        throw io::UsageError("--analyses: '" + a + "' is not one of Kinematics, Actuation, BodyKinematics");
      }
    }
    tools::RunOptions options;
    options.quiet = args->flags.quiet;
    const tools::RunReport report = tools::run_forward_setup(s, options);
    print_warnings(report.warnings, args->flags);
    print_summary(args->flags, "forward", report.files_written, report.frames, report.seconds, report.warnings,
                  fmt::format("forward: {} steps recorded in {:.3f} s", report.frames, report.seconds));
  });
}

}  // namespace femur::cli
