// femur predict PROBLEM --model M --guess G [--states-reference C] [--external-loads X]
// [-o OUT.sto]: a predictive simulation by direct collocation from femur's gait problem file
// (ocp/gait_problem_file.hpp; docs/cli.md), warm-started from a trajectory (e.g.
// femur track's solution), compared with reference kinematics and GRF when given.
#include <cmath>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cmd_options.hpp"
#include "commands.hpp"
#include "femur/ocp/contact_groups.hpp"
#include "femur/io/external_loads.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/table.hpp"
#include "femur/ocp/gait_collocation.hpp"
#include "femur/ocp/gait_problem_file.hpp"
#include "gait_command.hpp"
#include "loads_input.hpp"

namespace femur::cli {

void register_predict_command(CLI::App& app) {
  struct Args {
    std::string problem, model, guess, states, external_loads, out = "predict_solution.sto", grf_out;
    int max_iterations = -1;
    bool write_failed = false, ipopt_output = false;
    std::string hessian = "exact";
    OutputFlags flags;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("predict", "Predictive simulation by direct collocation from a problem file");
  cmd->footer(
      "Example (Moco's example2DWalking gait prediction, warm-started from femur track):\n"
      "  femur predict tests/data/ocp/gait_prediction.problem --model 2D_gait.osim \\\n"
      "      --guess track_solution.sto --states-reference referenceCoordinates.sto \\\n"
      "      --external-loads referenceGRF.xml -o predict_solution.sto --grf-out predict_grf.sto\n"
      "The problem file format is in docs/cli.md. The references are only compared\n"
      "with (RMS, peaks), not tracked. A solve that does not converge exits 1 and writes\n"
      "nothing unless --write-failed.");
  cmd->add_option("problem", args->problem, "Gait problem file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--model", args->model, "OpenSim model (.osim)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--guess", args->guess, "Initial guess: a trajectory .sto (columns by Moco name)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--states-reference", args->states, "Reference coordinates to compare with")->check(CLI::ExistingFile);
  cmd->add_option("--external-loads", args->external_loads, "ExternalLoads XML of reference GRF to compare with")
      ->check(CLI::ExistingFile);
  cmd->add_option("--max-iterations", args->max_iterations, "Override the problem's IPOPT iteration limit")
      ->check(whole_at_least(0));
  cmd->add_option("--hessian", args->hessian,
                  "exact (default: the exact Hessian of the Lagrangian) or lbfgs (IPOPT's L-BFGS)")
      ->check(CLI::IsMember({"exact", "lbfgs"}));
  cmd->add_flag("--write-failed", args->write_failed, "Write the last iterate even when the solver fails");
  cmd->add_flag("--ipopt-output", args->ipopt_output, "Print IPOPT's iteration table");
  cmd->add_option("-o,--out", args->out, "Solution file (default predict_solution.sto)");
  cmd->add_option("--grf-out", args->grf_out, "Also write the solution's GRF per node (.sto)");
  add_output_flags(*cmd, args->flags);
  cmd->callback([args] {
    io::OutputFiles outputs({args->problem, args->model, args->guess});
    outputs.add_input(args->states);
    outputs.add_input(args->external_loads);
    std::vector<std::string> warnings;
    const io::ExternalLoads xml = read_loads_input(args->external_loads, outputs, warnings);
    if (!args->external_loads.empty() && xml.datafile.empty())  // the GRF to track are its data
      throw std::runtime_error(args->external_loads + ": names no <datafile>");
    outputs.claim(args->out);
    if (!args->grf_out.empty()) outputs.claim(args->grf_out);
    const Model model = io::read_osim(args->model, &warnings);
    ocp::GaitProblem pb = ocp::read_gait_problem(args->problem, model);
    const io::Table guess = io::read_sto(args->guess);
    pb.guess = &guess;
    io::Table states, grf;
    std::vector<ocp::ContactGroup> groups;
    if (!args->states.empty()) states = io::read_sto(args->states);
    if (!args->external_loads.empty()) {
      grf = io::read_sto(xml.datafile.path);
      groups = ocp::contact_groups_from_loads(model, xml, args->external_loads);
    }
    pb.grf_groups = groups;  // reported, not tracked (grf_weight 0)
    if (args->max_iterations >= 0) pb.solver.max_iterations = args->max_iterations;
    pb.solver.print_level = args->ipopt_output ? 5 : 0;
    pb.solver.exact_hessian = args->hessian == "exact";
    ocp::GaitSolution s;
    try {
      s = ocp::solve_gait(model, pb);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(std::string("predict: ") + e.what());
    }
    ocp::GaitComparison c;
    if (!args->states.empty()) c = ocp::compare_gait(model, s, states, args->external_loads.empty() ? nullptr : &grf, groups);
    std::string report = gait_report("predict", s, args->states.empty() ? nullptr : &c, groups);
    // Stride: twice the half cycle's pelvis displacement over twice its duration.
    if (s.trajectory.rows() > 1) {
      const int tx = s.trajectory.column("/jointset/groundPelvis/pelvis_tx/value");
      const double T = s.trajectory.time[s.trajectory.rows() - 1] - s.trajectory.time[0];
      if (tx >= 0) {
        const double d = s.trajectory.data(s.trajectory.rows() - 1, tx) - s.trajectory.data(0, tx);
        report += fmt::format("\npredict: half cycle {:.3f} s, stride length {:.3f} m, cadence {:.1f} steps/min, "
                              "speed {:.3f} m/s",
                              T, 2.0 * d, 60.0 / T, d / T);
      }
    }
    // Does it walk? (both feet load and unload, two vertical GRF peaks per stance)
    if (groups.size() == 2 && s.grf.rows() > 1) {
      double mass = 0.0;
      for (const Body& b : model.bodies) mass += b.mass;
      const ocp::WalkCheck w = ocp::check_walking(s.grf.data.col(1), s.grf.data.col(4), mass * model.gravity.norm());
      report += fmt::format("\npredict: {}: vertical GRF peaks {:.2f} and {:.2f} body weights (valley {:.2f}); first "
                            "foot {:.2f}-{:.2f}, second {:.2f}-{:.2f} body weights",
                            w.walks ? "walks" : "does not walk (" + w.reason + ")", w.peak_first, w.peak_second,
                            w.valley, w.min_right, w.max_right, w.min_left, w.max_left);
    }
    if (!s.success && !args->write_failed)
      throw std::runtime_error(report + "\npredict: nothing written (--write-failed writes the last iterate)");
    outputs.stage_sto(args->out, s.trajectory);
    if (!args->grf_out.empty()) outputs.stage_sto(args->grf_out, s.grf);
    const auto written = outputs.commit();
    print_warnings(warnings, args->flags);
    const std::string extra = fmt::format(
        "\"success\": {}, \"status\": {}, \"iterations\": {}, \"objective\": {}, \"seconds_solve\": {}, "
        "\"seconds_functions\": {}",
        s.success ? "true" : "false", json_string(s.nlp.message), s.nlp.iterations, s.nlp.objective, s.nlp.seconds,
        s.nlp.seconds_evaluation);
    print_summary(args->flags, "predict", written, s.nodes, s.nlp.seconds + s.seconds_setup, warnings, report, extra);
    if (!s.success) throw std::runtime_error("predict: " + s.nlp.message + "; the last iterate was written to " + args->out);
  });
}

}  // namespace femur::cli
