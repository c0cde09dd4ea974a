// femur jr --model M --coordinates C --forces F.sto [--joints J...] [--on child|parent]
// [--in FRAME] [--external-loads X] [--actuators R.xml] [--cutoff HZ] [-o DIR]: Joint Reaction
// loads without a setup file. Builds the AnalyzeSetup an OpenSim setup_JointReaction.xml would
// hold and runs it through tools::run_setup, the same path as `femur run`.
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
  ref.source = "femur jr";
  return ref;
}
}  // namespace

void register_jr_command(CLI::App& app) {
  struct Args {
    std::string model, coordinates, forces, external_loads, out = "ResultsJointReaction", name = "femur";
    std::vector<std::string> actuators, joints{"ALL"}, on{"child"}, in{"ground"};
    double cutoff = -1.0;
    std::vector<double> time_range;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  auto* jr = app.add_subcommand("jr", "Joint Reaction: forces and moments the joints carry");
  jr->footer(
      "Example:\n"
      "  femur jr --model subject01_simbody_adjusted.osim --coordinates subject01_walk1_Kinematics.sto \\\n"
      "           --forces ResultsStaticOptimization/subject01_StaticOptimization_force.sto \\\n"
      "           --external-loads foot_floor_loads.xml --actuators gait2392_SO_weak_Residual_Actuators.xml \\\n"
      "           --joints hip_r knee_r ankle_r --on child --in child --cutoff 6 -o ResultsJointReaction\n"
      "Writes <name>_JointReaction_ReactionLoads.sto as OpenSim's AnalyzeTool does.");
  jr->add_option("--model", args->model, "OpenSim model (.osim)")->required()->check(CLI::ExistingFile);
  jr->add_option("--coordinates", args->coordinates, "Coordinates (.mot/.sto)")->required()->check(CLI::ExistingFile);
  jr->add_option("--forces", args->forces, "Actuator forces (.sto, e.g. Static Optimization's _force.sto)")
      ->required()
      ->check(CLI::ExistingFile);
  jr->add_option("--external-loads", args->external_loads, "ExternalLoads XML (ground reaction forces)")
      ->check(CLI::ExistingFile);
  jr->add_option("--actuators", args->actuators, "ForceSet XML(s) appended to the model (reserves, residuals)")
      ->check(CLI::ExistingFile);
  jr->add_option("--joints", args->joints, "Joints to report (default ALL)");
  jr->add_option("--on", args->on, "Body the load acts on: child or parent (one, or one per joint)");
  jr->add_option("--in", args->in, "Frame the load is expressed in: ground, child, parent or a body (one, or one per joint)");
  jr->add_option("--cutoff", args->cutoff, "Low-pass cutoff for the coordinates in Hz (default -1: none)");
  jr->add_option("--time-range", args->time_range, "Start and end time in s")->expected(2);
  jr->add_option("--name", args->name, "Prefix of the output file (default femur)");
  jr->add_option("-o,--out", args->out, "Output folder (default ResultsJointReaction)");
  jr->add_flag("--quiet", args->quiet, "No progress or summary");
  jr->callback([args] {
    io::AnalyzeSetup setup;
    setup.name = args->name;
    setup.file = "femur jr";
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
    io::JointReactionSettings jr_settings;
    jr_settings.name = "JointReaction";
    jr_settings.forces_file = file_ref(args->forces, "forces_file");
    jr_settings.joint_names = args->joints;
    jr_settings.apply_on_bodies = args->on;
    jr_settings.express_in_frame = args->in;
    setup.analyses.emplace_back(jr_settings);
    tools::RunOptions options;
    options.quiet = args->quiet;
    const tools::RunReport report = tools::run_setup(io::SetupFile(setup), options);
    if (!args->quiet) {
      for (const auto& f : report.files_written) std::printf("wrote %s\n", f.string().c_str());
      std::printf("jr: %d frames in %.3f s\n", report.frames, report.seconds);
    }
  });
}

}  // namespace femur::cli
