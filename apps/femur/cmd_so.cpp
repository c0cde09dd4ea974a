// femur so --model M --coordinates C [--external-loads X] [--actuators R.xml] [--cutoff HZ]
// [--time-range T0 T1] [--step N] [--out-dir DIR]: Static Optimization without a setup file. Builds the
// AnalyzeSetup an OpenSim setup_static_optimization.xml would hold and runs it through
// tools::run_setup, the same path as `femur run`.
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyze_command.hpp"
#include "commands.hpp"
#include "femur/io/setup.hpp"

namespace femur::cli {

void register_so_command(CLI::App& app) {
  struct Args : AnalyzeArgs {
    double exponent = 2.0;
    bool no_physiology = false;
    std::string weighting = "none";
  };
  auto args = std::make_shared<Args>();
  auto* so = app.add_subcommand("so", "Static Optimization: muscle activations and forces frame by frame");
  so->footer(
      "Example:\n"
      "  femur so --model subject01_simbody_adjusted_StaticOp.osim --coordinates subject01_walk1_Kinematics.sto \\\n"
      "           --external-loads foot_floor_loads.xml --actuators gait2392_SO_weak_Residual_Actuators.xml \\\n"
      "           --cutoff 6 --step 10 --name subject01 --out-dir ResultsStaticOptimization\n"
      "Writes <name>_StaticOptimization_activation.sto and _force.sto as OpenSim's AnalyzeTool does.\n"
      "Frames without a solution within the actuators' bounds (a model without reserves) give one\n"
      "warning in all; --verbose lists each.");
  add_analyze_options(*so, *args, "ResultsStaticOptimization");
  so->add_option("--exponent", args->exponent, "Activation exponent of the cost (default 2)")
      ->check(CLI::Validator(
          [](std::string& v) -> std::string {
            char* end = nullptr;
            const double p = std::strtod(v.c_str(), &end);
            if (v.empty() || *end != 0 || !(p > 1.0) || !std::isfinite(p))
              return "must be a finite number greater than 1, got '" + v + "'";
            return {};
          },
          "NUMBER>1", "exponent"));
  so->add_flag("--no-muscle-physiology", args->no_physiology, "Ignore force-length-velocity (F = a F0)");
  so->add_option("--weighting", args->weighting,
                 "Weight of each muscle's term of the cost: none (OpenSim's) or volume (max isometric force x "
                 "optimal fiber length over their mean; Happee & van der Helm 1995)")
      ->check(CLI::IsMember({"none", "volume"}));
  so->callback([args] {
    io::StaticOptimizationSettings so_settings;
    so_settings.name = "StaticOptimization";
    so_settings.activation_exponent = args->exponent;
    so_settings.use_muscle_physiology = !args->no_physiology;
    so_settings.volume_weighted = args->weighting == "volume";
    run_analyze(make_analyze_setup(*args, "femur so", so_settings), args->flags, "so");
  });
}

}  // namespace femur::cli
