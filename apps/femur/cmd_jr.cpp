// femur jr --model M --coordinates C --forces F.sto [--joints J...] [--on child|parent]
// [--in FRAME] [--external-loads X] [--actuators R.xml] [--cutoff HZ] [--step N] [--out-dir DIR]: Joint Reaction
// loads without a setup file. Builds the AnalyzeSetup an OpenSim setup_JointReaction.xml would
// hold and runs it through tools::run_setup, the same path as `femur run`.
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyze_command.hpp"
#include "commands.hpp"
#include "femur/io/setup.hpp"

namespace femur::cli {

void register_jr_command(CLI::App& app) {
  struct Args : AnalyzeArgs {
    std::string forces;
    std::vector<std::string> joints{"ALL"}, on{"child"}, in{"ground"};
  };
  auto args = std::make_shared<Args>();
  auto* jr = app.add_subcommand("jr", "Joint Reaction: forces and moments the joints carry");
  jr->footer(
      "Example:\n"
      "  femur jr --model subject01_simbody_adjusted_StaticOp.osim --coordinates subject01_walk1_Kinematics.sto \\\n"
      "           --forces ResultsStaticOptimization/subject01_StaticOptimization_force.sto \\\n"
      "           --external-loads foot_floor_loads.xml --actuators gait2392_SO_weak_Residual_Actuators.xml \\\n"
      "           --joints hip_r knee_r ankle_r --on child --in child --cutoff 6 --step 10 --name subject01 \\\n"
      "           --out-dir ResultsJointReaction\n"
      "Writes <name>_JointReaction_ReactionLoads.sto as OpenSim's AnalyzeTool does.");
  add_analyze_options(*jr, *args, "ResultsJointReaction");
  jr->add_option("--forces", args->forces, "Actuator forces (.sto, e.g. Static Optimization's _force.sto)")
      ->required()
      ->check(CLI::ExistingFile);
  jr->add_option("--joints", args->joints, "Joints to report (default ALL)");
  jr->add_option("--on", args->on, "Body the load acts on: child or parent (one, or one per joint)");
  jr->add_option("--in", args->in, "Frame the load is expressed in: ground, child, parent or a body (one, or one per joint)");
  jr->callback([args] {
    io::JointReactionSettings jr_settings;
    jr_settings.name = "JointReaction";
    jr_settings.forces_file = command_line_file(args->forces, "forces_file", "femur jr");
    jr_settings.joint_names = args->joints;
    jr_settings.apply_on_bodies = args->on;
    jr_settings.express_in_frame = args->in;
    run_analyze(make_analyze_setup(*args, "femur jr", jr_settings), args->flags, "jr");
  });
}

}  // namespace femur::cli
