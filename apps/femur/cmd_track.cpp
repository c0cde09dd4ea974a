// femur track --model M --states-reference C [--external-loads GRF.xml] [--lowpass HZ]
// [--states-weight W] [--track-speeds] [--grf-weight W] [--effort-weight W] [--symmetry]
// [--bound NAME=LO,HI] [--remove-muscles] [--reserves F] [--t0 --t1] [--mesh-interval H]
// [-o OUT.sto]: tracking by direct collocation with implicit multibody dynamics and smooth
// contact (OpenSim Moco's MocoTrack; ocp/gait_collocation.hpp).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cmd_options.hpp"
#include "commands.hpp"
#include "femur/io/external_loads.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/table.hpp"
#include "femur/ocp/contact_groups.hpp"
#include "femur/ocp/gait_collocation.hpp"
#include "femur/ocp/moco_track_setup.hpp"
#include "femur/ocp/walk3d_model.hpp"
#include "gait_command.hpp"
#include "loads_input.hpp"

namespace femur::cli {

namespace fs = std::filesystem;

void apply_bound(const Model& model, const std::string& text, ocp::GaitProblem& pb) {
  // NAME=LO,HI with degrees for rotational coordinates, metres for translational ones.
  const auto eq = text.find('='), comma = text.find(',');
  if (eq == std::string::npos || comma == std::string::npos || comma < eq)
    throw CLI::ValidationError("--bound", "'" + text + "': expected NAME=LO,HI");
  const std::string name = text.substr(0, eq);
  const int k = model.coordinate_index(name);
  if (k < 0) throw std::runtime_error("--bound: the model has no coordinate '" + name + "'");
  double lo = 0, hi = 0;
  try {
    lo = std::stod(text.substr(eq + 1, comma - eq - 1));
    hi = std::stod(text.substr(comma + 1));
  } catch (const std::exception&) {
    throw std::runtime_error("--bound '" + text + "': LO and HI must be numbers");
  }
  const double s = model.coordinates[static_cast<size_t>(k)].motion_type == MotionType::Rotational ? M_PI / 180.0 : 1.0;
  pb.coordinate_bounds[name] = {lo * s, hi * s};
}

std::string gait_report(const std::string& command, const ocp::GaitSolution& s, const ocp::GaitComparison* c,
                        const std::vector<ocp::ContactGroup>& groups) {
  std::string text = fmt::format(
      "{}: {} ({} iterations, {:.2f} s solve: {:.2f} s in femur's functions and derivatives, {:.2f} s in IPOPT; "
      "setup {:.2f} s); {} nodes, {} variables, {} constraints; objective {:.6g} (states {:.4g}, GRF {:.4g}, "
      "effort {:.4g}); largest constraint violation {:.3g}: {}",
      command, s.nlp.message, s.nlp.iterations, s.nlp.seconds, s.nlp.seconds_evaluation,
      s.nlp.seconds - s.nlp.seconds_evaluation, s.seconds_setup, s.nodes, s.variables, s.constraints,
      s.nlp.objective, s.objective_states, s.objective_grf, s.objective_effort, s.worst_violation,
      s.worst_constraint);
  text += fmt::format("\n{}: re-simulated open loop from the first node: largest drift {:.2f} deg, {:.4f} m; "
                      "angles within 5 deg for {}",
                      command, s.resimulation_angle_drift_deg, s.resimulation_translation_drift,
                      s.resimulation_time_to_5deg < 0 ? std::string("the whole motion")
                                                      : fmt::format("{:.3f} s", s.resimulation_time_to_5deg));
  if (c) {
    text += fmt::format("\n{}: joint angles vs reference: RMS {:.2f} deg", command, c->joint_angle_rms_deg);
    for (std::size_t g = 0; g < c->grf_rms_x.size(); ++g)
      text += fmt::format("\n{}: GRF {} vs reference: RMS {:.1f} N (x), {:.1f} N (y){}; peak vertical {:.0f} N "
                          "(reference {:.0f} N)",
                          command, groups[g].reference_prefix, c->grf_rms_x[g], c->grf_rms_y[g],
                          c->grf_rms_z[g] > 0.0 ? fmt::format(", {:.1f} N (z)", c->grf_rms_z[g]) : std::string(),
                          c->grf_peak_y[g], c->grf_peak_y_reference[g]);
  }
  return text;
}

void register_track_command(CLI::App& app) {
  struct Args {
    std::string model, states, external_loads, guess, out = "track_solution.sto", grf_out, tracked_states_out;
    double t0 = std::nan(""), t1 = std::nan(""), mesh_interval = -1.0, lowpass = -1.0;
    double states_weight = 1.0, grf_weight = 1.0, effort_weight = 10.0, reserves = 0.0;
    double tolerance = 1e-4, constraint_tolerance = 1e-4;
    int intervals = 50, max_iterations = 1000;
    std::vector<std::string> bounds;
    bool track_speeds = false, symmetry = false, remove_muscles = false, grf_normalize = false;
    bool write_failed = false, ipopt_output = false;
    std::string hessian = "exact";
    std::string model_sets, grf_components = "xy";
    std::vector<std::string> state_weights;
    bool periodic = false;
    OutputFlags flags;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("track", "Tracking by direct collocation (Moco's MocoTrack): states and GRF");
  cmd->footer(
      "Example (Moco's example2DWalking tracking problem):\n"
      "  femur track --model 2D_gait.osim --states-reference referenceCoordinates.sto \\\n"
      "      --lowpass 6 --track-speeds --external-loads referenceGRF.xml --grf-normalize --symmetry \\\n"
      "      --bound pelvis_tilt=-20,-10 --bound pelvis_tx=0,1 --bound pelvis_ty=0.75,1.25 \\\n"
      "      --bound hip_flexion_r=-10,60 --bound hip_flexion_l=-10,60 --bound knee_angle_r=-50,0 \\\n"
      "      --bound knee_angle_l=-50,0 --bound ankle_angle_r=-15,25 --bound ankle_angle_l=-15,25 \\\n"
      "      --bound lumbar=0,20 -o track_solution.sto --grf-out track_grf.sto \\\n"
      "      --tracked-states-out track_tracked_states.sto\n"
      "Implicit multibody dynamics (accelerations as variables, inverse-dynamics residuals as\n"
      "constraints), SmoothSphereHalfSpaceForce contact, DeGrooteFregly2016 muscles (rigid\n"
      "tendons) on polynomial path surrogates, trapezoidal transcription, IPOPT with the exact\n"
      "Hessian of the Lagrangian (--hessian lbfgs: L-BFGS).\n"
      "A solve that does not converge exits 1 and writes nothing unless --write-failed.");
  cmd->add_option("--model", args->model, "OpenSim model (.osim)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--states-reference", args->states, "Reference coordinates (.sto/.mot)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--external-loads", args->external_loads,
                  "ExternalLoads XML of the reference GRF: each ExternalForce tracked by the model's contact "
                  "forces whose sphere is on its applied_to_body")
      ->check(CLI::ExistingFile);
  cmd->add_option("--model-sets", args->model_sets,
                  "auto or DIR: add the model's <stem>_ContactGeometrySet.xml, _ContactForceSet.xml, "
                  "_ExpressionBasedCoordinateForceSet.xml and _FunctionBasedPathSet.xml (beside the model, or in DIR) "
                  "as Moco's example3DWalking does: spheres raised 2 cm, muscles DeGrooteFregly2016 with rigid "
                  "tendons, no passive fiber force, active curve 1.5x wide, minimum control 0");
  cmd->add_option("--state-weight", args->state_weights,
                  "Weight of one tracked state, PATH=W (e.g. /jointset/ground_pelvis/pelvis_ty/value=0); repeatable");
  cmd->add_option("--grf-components", args->grf_components, "GRF components tracked: xy (default) or xyz")
      ->check(CLI::IsMember({"xy", "xyz"}));
  cmd->add_flag("--periodic", args->periodic,
                "Full-cycle periodicity: states (but *_tx values) and controls equal at t0 and t1 (Moco's example3DWalking)");
  cmd->add_option("--lowpass", args->lowpass, "Low-pass cutoff for the reference in Hz (default: none)");
  cmd->add_option("--states-weight", args->states_weight, "Global state tracking weight (default 1)")
      ->check(non_negative());
  cmd->add_flag("--track-speeds", args->track_speeds, "Also track the reference's speeds (spline derivatives)");
  cmd->add_option("--grf-weight", args->grf_weight, "GRF tracking weight (default 1)")->check(non_negative());
  cmd->add_flag("--grf-normalize", args->grf_normalize, "Divide GRF errors by the reference's peak per component");
  cmd->add_option("--effort-weight", args->effort_weight, "Control effort weight (default 10)")->check(non_negative());
  cmd->add_flag("--symmetry", args->symmetry, "Half-cycle symmetry: _r/_l pairs swap, the rest periodic (Moco's example)");
  cmd->add_option("--bound", args->bounds, "Coordinate bounds NAME=LO,HI (deg, or m for translations); repeatable");
  cmd->add_flag("--remove-muscles", args->remove_muscles, "Leave the muscles out (ModOpRemoveMuscles)");
  cmd->add_option("--reserves", args->reserves, "Reserve actuators of this optimal force on undriven coordinates")
      ->check(positive_number());
  cmd->add_option("--t0", args->t0, "Initial time (default: the reference's first)")->check(finite_number());
  cmd->add_option("--t1", args->t1, "Final time (default: the reference's last)")->check(finite_number());
  cmd->add_option("--mesh-intervals", args->intervals, "Mesh intervals (default 50)")->check(whole_at_least(2));
  cmd->add_option("--mesh-interval", args->mesh_interval, "Mesh interval in s (overrides --mesh-intervals)")
      ->check(positive_number());
  cmd->add_option("--guess", args->guess, "Initial guess: a trajectory .sto (columns by Moco name)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--tolerance", args->tolerance, "IPOPT convergence tolerance (default 1e-4)")->check(positive_number());
  cmd->add_option("--constraint-tolerance", args->constraint_tolerance, "IPOPT constraint tolerance (default 1e-4)")
      ->check(positive_number());
  cmd->add_option("--max-iterations", args->max_iterations, "IPOPT iteration limit (default 1000)")
      ->check(whole_at_least(0));
  cmd->add_option("--hessian", args->hessian,
                  "exact (default: the exact Hessian of the Lagrangian) or lbfgs (IPOPT's L-BFGS)")
      ->check(CLI::IsMember({"exact", "lbfgs"}));
  cmd->add_flag("--write-failed", args->write_failed, "Write the last iterate even when the solver fails");
  cmd->add_flag("--ipopt-output", args->ipopt_output, "Print IPOPT's iteration table");
  cmd->add_option("-o,--out", args->out, "Solution file (default track_solution.sto)");
  cmd->add_option("--grf-out", args->grf_out, "Also write the solution's GRF per node (.sto)");
  cmd->add_option("--tracked-states-out", args->tracked_states_out,
                  "Also write the states reference as tracked (low-passed, radians, Moco's state paths, speeds "
                  "with --track-speeds): MocoTrack's NAME_tracked_states.sto");
  add_output_flags(*cmd, args->flags);
  cmd->callback([args] {
    io::OutputFiles outputs({args->model, args->states});
    outputs.add_input(args->external_loads);
    outputs.add_input(args->guess);
    std::vector<std::string> warnings;
    const io::ExternalLoads xml = read_loads_input(args->external_loads, outputs, warnings);
    if (!args->external_loads.empty() && xml.datafile.empty())  // the GRF to track are its data
      throw std::runtime_error(args->external_loads + ": names no <datafile>");
    outputs.claim(args->out);
    if (!args->grf_out.empty()) outputs.claim(args->grf_out);
    if (!args->tracked_states_out.empty()) outputs.claim(args->tracked_states_out);
    ocp::WalkingModel walking;
    if (!args->model_sets.empty()) {
      const ocp::ModelSetFiles sets = ocp::find_model_sets(args->model, args->model_sets == "auto" ? "" : args->model_sets);
      for (const auto* f : {&sets.contact_geometry, &sets.contact_forces, &sets.expression_forces, &sets.function_based_paths})
        if (!f->empty()) outputs.add_input(f->string());
      walking = ocp::read_walking_model(args->model, sets, {}, &warnings);
    } else {
      walking.model = io::read_osim(args->model, &warnings);
    }
    const Model& model = walking.model;
    const io::Table states = io::read_sto(args->states);
    if (states.rows() < 6) throw std::runtime_error(args->states + ": fewer than 6 rows");
    io::Table grf, guess;
    ocp::GaitProblem pb;
    std::vector<ocp::ContactGroup> groups;
    if (!args->external_loads.empty()) {
      grf = io::read_sto(xml.datafile.path);
      groups = ocp::contact_groups_from_loads(model, xml, args->external_loads);
      pb.grf_reference = &grf;
      pb.grf_groups = groups;
      pb.grf_weight = args->grf_weight;
      pb.grf_normalize = args->grf_normalize;
    }
    if (!args->guess.empty()) {
      guess = io::read_sto(args->guess);
      pb.guess = &guess;
    }
    pb.initial_time = std::isnan(args->t0) ? states.time[0] : args->t0;
    pb.final_time = std::isnan(args->t1) ? states.time[states.rows() - 1] : args->t1;
    pb.mesh_intervals = args->mesh_interval > 0
                            ? std::max(2, static_cast<int>(std::lround((pb.final_time - pb.initial_time) / args->mesh_interval)))
                            : args->intervals;
    pb.states_reference = &states;
    pb.lowpass_hz = args->lowpass;
    pb.states_weight = args->states_weight;
    pb.track_speeds = args->track_speeds;
    pb.effort_weight = args->effort_weight;
    pb.remove_muscles = args->remove_muscles;
    pb.reserves_optimal_force = args->reserves;
    pb.path_functions = walking.path_functions;
    pb.grf_dimensions = args->grf_components == "xyz" ? 3 : 2;
    for (const std::string& w : args->state_weights) {
      const auto eq = w.find('=');
      if (eq == std::string::npos) throw CLI::ValidationError("--state-weight", "'" + w + "': expected PATH=W");
      try {
        pb.state_weights[w.substr(0, eq)] = std::stod(w.substr(eq + 1));
      } catch (const std::exception&) {
        throw std::runtime_error("--state-weight '" + w + "': W must be a number");
      }
    }
    if (args->periodic)
      for (const auto& p : ocp::gait_periodicity_pairs(model)) {
        const std::string name = p.first.substr(0, p.first.rfind("/activation"));
        const bool muscle = name.rfind("/forceset/", 0) == 0 &&
                            std::ranges::any_of(model.forces, [&](const ForceElement& f) {
                              return "/forceset/" + f.name == name && std::holds_alternative<MuscleParameters>(f.part);
                            });
        if (!(args->remove_muscles && muscle)) pb.periodic_pairs.push_back(p);
      }
    for (const std::string& b : args->bounds) apply_bound(model, b, pb);
    if (args->symmetry)
      for (const auto& p : ocp::gait_symmetry_pairs(model))
        if (!(args->remove_muscles && p.first.find("/activation") != std::string::npos)) pb.periodic_pairs.push_back(p);
    pb.solver.convergence_tolerance = args->tolerance;
    pb.solver.constraint_tolerance = args->constraint_tolerance;
    pb.solver.max_iterations = args->max_iterations;
    pb.solver.print_level = args->ipopt_output ? 5 : 0;
    pb.solver.exact_hessian = args->hessian == "exact";
    ocp::GaitSolution s;
    try {
      s = ocp::solve_gait(model, pb);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(std::string("track: ") + e.what());
    }
    const ocp::GaitComparison c = ocp::compare_gait(model, s, states, pb.grf_reference, groups);
    const std::string report = gait_report("track", s, &c, groups);
    if (!s.success && !args->write_failed)
      throw std::runtime_error(report + "\ntrack: nothing written (--write-failed writes the last iterate)");
    outputs.stage_sto(args->out, s.trajectory);
    if (!args->grf_out.empty()) outputs.stage_sto(args->grf_out, s.grf);
    if (!args->tracked_states_out.empty())
      outputs.stage_sto(args->tracked_states_out,
                        ocp::moco_tracked_states(model, states, args->lowpass, args->track_speeds));
    const auto written = outputs.commit();
    print_warnings(warnings, args->flags);
    const std::string extra = fmt::format(
        "\"success\": {}, \"status\": {}, \"iterations\": {}, \"objective\": {}, \"seconds_solve\": {}, "
        "\"seconds_functions\": {}, \"joint_angle_rms_deg\": {}",
        s.success ? "true" : "false", json_string(s.nlp.message), s.nlp.iterations, s.nlp.objective, s.nlp.seconds,
        s.nlp.seconds_evaluation, c.joint_angle_rms_deg);
    print_summary(args->flags, "track", written, s.nodes, s.nlp.seconds + s.seconds_setup, warnings, report, extra);
    if (!s.success) throw std::runtime_error("track: " + s.nlp.message + "; the last iterate was written to " + args->out);
  });
}

}  // namespace femur::cli
