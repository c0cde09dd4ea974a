// femur inverse --model M --coordinates C [--external-loads X] [--t0 T --t1 T]
// [--mesh-interval H] [--lowpass HZ] [--weld JOINT,...] [--muscles degroote]
// [--ignore-passive-fiber] [--tendon implicit|rigid] [-o OUT.sto]: the muscle-driven inverse
// problem of OpenSim Moco's MocoInverse by direct collocation (ocp/muscle_inverse.hpp).
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
#include "femur/ocp/muscle_inverse.hpp"
#include "femur/tools/external_loads.hpp"

namespace femur::cli {

namespace fs = std::filesystem;

void register_inverse_command(CLI::App& app) {
  struct Args {
    std::string model, coordinates, external_loads, guess, out = "inverse_solution.sto";
    double t0 = std::nan(""), t1 = std::nan(""), mesh_interval = 0.025, lowpass = -1.0;
    double tolerance = 1e-4, constraint_tolerance = 1e-4, reserves_weight = 1.0, reserves = 0.0;
    int max_iterations = 3000;
    std::vector<std::string> weld;
    std::string muscles = "degroote", tendon = "implicit", transcription = "hermite-simpson", hessian = "exact";
    bool ignore_passive = false, write_failed = false, ipopt_output = false, minimize_activations = false;
    OutputFlags flags;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("inverse", "Muscle-driven inverse problem (Moco's MocoInverse) by direct collocation");
  cmd->footer(
      "Example (Moco's MocoInverse test problem):\n"
      "  femur inverse --model subject_walk_armless_18musc.osim \\\n"
      "      --coordinates subject_walk_armless_coordinates.mot --lowpass 6 \\\n"
      "      --external-loads subject_walk_armless_external_loads.xml --t0 0.45 --t1 1.0 \\\n"
      "      --mesh-interval 0.025 --weld subtalar_r,subtalar_l,mtp_r,mtp_l \\\n"
      "      --ignore-passive-fiber --tendon implicit -o inverse_solution.sto\n"
      "The kinematics are prescribed; activations, tendon forces, excitations and the model's\n"
      "CoordinateActuator controls (reserves) minimize the integral of the squared controls.\n"
      "The solution is written in Moco's trajectory layout. A solve that does not converge\n"
      "exits 1 and writes nothing unless --write-failed.");
  cmd->add_option("--model", args->model, "OpenSim model (.osim)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--coordinates", args->coordinates, "Coordinates (.mot/.sto, e.g. an IK result)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--external-loads", args->external_loads, "ExternalLoads XML (ground reaction forces)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--t0", args->t0, "Initial time in s (default: the coordinates' first)")->check(finite_number());
  cmd->add_option("--t1", args->t1, "Final time in s (default: the coordinates' last)")->check(finite_number());
  cmd->add_option("--mesh-interval", args->mesh_interval, "Mesh interval in s (default 0.025)")
      ->check(positive_number());
  cmd->add_option("--lowpass", args->lowpass, "Low-pass cutoff for the coordinates in Hz (default -1: none)")
      ->check(finite_number());
  cmd->add_option("--weld", args->weld, "Joints to weld (comma-separated): their coordinates are held at 0")
      ->delimiter(',');
  cmd->add_option("--muscles", args->muscles, "Muscle model: degroote (muscles replaced by DeGrooteFregly2016)")
      ->check(CLI::IsMember({"degroote"}));
  cmd->add_flag("--ignore-passive-fiber", args->ignore_passive, "Ignore passive fiber forces");
  cmd->add_option("--tendon", args->tendon,
                  "implicit (compliant tendons as the model says, implicit dynamics) or rigid (all rigid)")
      ->check(CLI::IsMember({"implicit", "rigid"}));
  cmd->add_option("--transcription", args->transcription, "hermite-simpson (default, as Moco) or trapezoidal")
      ->check(CLI::IsMember({"hermite-simpson", "trapezoidal"}));
  cmd->add_option("--reserves", args->reserves,
                  "Add a reserve actuator of this optimal force (N m or N) on every coordinate no actuator drives")
      ->check(positive_number());
  cmd->add_option("--reserves-weight", args->reserves_weight, "Effort weight of actuators named reserve_* (default 1)")
      ->check(non_negative());
  cmd->add_option("--tolerance", args->tolerance, "IPOPT convergence tolerance (default 1e-4)")->check(positive_number());
  cmd->add_option("--constraint-tolerance", args->constraint_tolerance, "IPOPT constraint tolerance (default 1e-4)")
      ->check(positive_number());
  cmd->add_option("--max-iterations", args->max_iterations, "IPOPT iteration limit (default 3000)")
      ->check(whole_at_least(0));
  cmd->add_option("--hessian", args->hessian, "exact (default: second-order dual numbers) or lbfgs (IPOPT's L-BFGS)")
      ->check(CLI::IsMember({"exact", "lbfgs"}));
  cmd->add_option("--guess", args->guess, "Initial guess: a trajectory .sto (columns by Moco name)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--minimize-activations", args->minimize_activations,
                "Also minimize the integral of the squared activations (minimize_sum_squared_activations)");
  cmd->add_flag("--write-failed", args->write_failed, "Write the last iterate even when the solver fails");
  cmd->add_flag("--ipopt-output", args->ipopt_output, "Print IPOPT's iteration table");
  cmd->add_option("-o,--out", args->out, "Solution file (default inverse_solution.sto)");
  add_output_flags(*cmd, args->flags);
  cmd->callback([args] {
    io::OutputFiles outputs({args->model, args->coordinates});
    outputs.add_input(args->external_loads);
    outputs.add_input(args->guess);
    std::vector<std::string> warnings;
    const io::ExternalLoads xml = read_loads_input(args->external_loads, outputs, warnings);
    const fs::path out(args->out);
    outputs.claim(out);

    const Model model = io::read_osim(args->model, &warnings);
    io::Table coordinates = io::read_sto(args->coordinates);
    io::remove_repeated_times(coordinates);
    if (coordinates.rows() < 1) throw std::runtime_error(args->coordinates + ": no rows");
    const tools::ExternalLoadsData loads = bind_loads_input(model, args->external_loads, xml, warnings);
    io::Table guess;
    ocp::MuscleInverseOptions options;
    if (!args->guess.empty()) {
      guess = io::read_sto(args->guess);
      options.guess = &guess;
    }
    options.initial_time = std::isnan(args->t0) ? coordinates.time[0] : args->t0;
    options.final_time = std::isnan(args->t1) ? coordinates.time[coordinates.rows() - 1] : args->t1;
    options.mesh_interval = args->mesh_interval;
    options.lowpass_cutoff_hz = args->lowpass;
    options.weld_joints = args->weld;
    options.ignore_passive_fiber_force = args->ignore_passive;
    options.ignore_tendon_compliance = args->tendon == "rigid";
    options.transcription = args->transcription == "trapezoidal" ? ocp::Transcription::Trapezoidal
                                                                   : ocp::Transcription::HermiteSimpson;
    options.reserves_weight = args->reserves_weight;
    options.reserves_optimal_force = args->reserves;
    options.minimize_sum_squared_activations = args->minimize_activations;
    options.solver.convergence_tolerance = args->tolerance;
    options.solver.constraint_tolerance = args->constraint_tolerance;
    options.solver.max_iterations = args->max_iterations;
    options.solver.print_level = args->ipopt_output ? 5 : 0;
    options.solver.exact_hessian = args->hessian == "exact";
    ocp::MuscleInverseSolution s;
    try {
      s = ocp::solve_muscle_inverse(model, coordinates, args->external_loads.empty() ? nullptr : &loads, options);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(std::string("inverse: ") + e.what());
    }
    const std::string report = fmt::format(
        "inverse: {} ({} iterations, {:.3f} s solve: {:.3f} s in femur's functions and derivatives, "
        "{:.3f} s in IPOPT; setup {:.3f} s); {} nodes, {} variables, {} constraints; objective {:.6g} "
        "(effort {:.6g}, auxiliary derivatives {:.6g}); largest constraint violation {:.3g}: {}; re-simulated "
        "muscle states drift by {:.2g} (activation) and {:.2g} (normalized tendon force)",
        s.nlp.message, s.nlp.iterations, s.nlp.seconds, s.nlp.seconds_evaluation,
        s.nlp.seconds - s.nlp.seconds_evaluation, s.seconds_setup, s.nodes, s.variables, s.constraints,
        s.nlp.objective, s.objective_excitation_effort, s.objective_auxiliary_derivatives, s.worst_violation,
        s.worst_constraint, s.resimulation_activation_drift, s.resimulation_tendon_force_drift);
    if (!s.success && !args->write_failed)
      throw std::runtime_error(report + "; nothing written (--write-failed writes the last iterate)");
    outputs.stage_sto(out, s.trajectory);
    const auto written = outputs.commit();
    print_warnings(warnings, args->flags);
    const std::string extra = fmt::format(
        "\"success\": {}, \"status\": {}, \"iterations\": {}, \"objective\": {}, \"seconds_solve\": {}, "
        "\"seconds_functions\": {}, \"seconds_setup\": {}",
        s.success ? "true" : "false", json_string(s.nlp.message), s.nlp.iterations, s.nlp.objective, s.nlp.seconds,
        s.nlp.seconds_evaluation, s.seconds_setup);
    print_summary(args->flags, "inverse", written, s.nodes, s.nlp.seconds + s.seconds_setup, warnings, report, extra);
    if (!s.success) throw std::runtime_error(report + "; the last iterate was written to " + args->out);
  });
}

}  // namespace femur::cli
