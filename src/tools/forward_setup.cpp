// The ForwardTool setup adapter of `femur run` (OpenSim/Tools/ForwardTool.cpp run,
// loadStatesStorage, determineInitialTimeFromStatesStorage, printResultsInternal;
// OPENSIM-NOTES.md C.8), top to bottom:
//
//   prepare_forward
//     read_model             model_file + force_set_files, CorrectionController's actuators
//     external loads          external_loads_file
//     make_controllers        ControlSetController controls files (.xml or .sto), correction
//     initial_state           states_file row at or before initial_time, or the defaults;
//                             equilibrateMuscles when asked
//   integrate_forward        Runge-Kutta-Merson, every step recorded
//   run_forward_setup        analyses on the recorded steps, then every file written
#include "femur/tools/forward_tool.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <stdexcept>
#include <type_traits>

#include <fmt/format.h>

#include "femur/io/control_set.hpp"
#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/dynamics_analyses.hpp"
#include "femur/tools/progress.hpp"

namespace femur::tools {

namespace fs = std::filesystem;

namespace {

std::string place(const io::ForwardSetup& setup, int line) { return io::setup_place(setup.file, line); }

void check_inputs(const io::ForwardSetup& setup, const GivenInputs& given) {
  if (setup.model_file.empty() && !given.model)
    throw std::runtime_error(setup.file.string() + ": <model_file> is not set; ForwardTool needs a model");
  if (given.model && !setup.force_set_files.empty())
    throw std::runtime_error(place(setup, 0) + "<force_set_files> cannot be added to " + given.model_label +
                             ", a model already built; read it with its force sets");
  io::require_inputs_exist(io::SetupFile(setup));
  if (!(setup.final_time > setup.initial_time))
    throw std::runtime_error(place(setup, 0) + fmt::format("<final_time> {} is not after <initial_time> {}",
                                                          setup.final_time, setup.initial_time));
  if (!(setup.integrator_error_tolerance > 0))
    throw std::runtime_error(place(setup, 0) + "<integrator_error_tolerance> must be positive");
  if (!(setup.maximum_integrator_step_size > 0))
    throw std::runtime_error(place(setup, 0) + "<maximum_integrator_step_size> must be positive");
  if (setup.minimum_integrator_step_size > setup.maximum_integrator_step_size)
    throw std::runtime_error(place(setup, 0) + "<minimum_integrator_step_size> exceeds <maximum_integrator_step_size>");
  if (setup.maximum_number_of_integrator_steps < 1)
    throw std::runtime_error(place(setup, 0) + "<maximum_number_of_integrator_steps> must be at least 1");
}

// Analyses the Forward tool runs on its steps; any other that is on is refused before work.
void check_analyses(const io::ForwardSetup& setup) {
  for (const io::AnalysisSettings& analysis : setup.analyses) {
    std::visit(
        [&](const auto& a) {
          using T = std::decay_t<decltype(a)>;
          if constexpr (!std::is_same_v<T, io::KinematicsSettings> && !std::is_same_v<T, io::ActuationSettings> &&
                        !std::is_same_v<T, io::BodyKinematicsSettings> &&
                        !std::is_same_v<T, io::PointKinematicsSettings> &&
                        !std::is_same_v<T, io::ForceReporterSettings>) {
            if (!a.on) return;
            std::string type;
            if constexpr (std::is_same_v<T, io::UnknownAnalysis>) type = a.type;
            else if constexpr (std::is_same_v<T, io::StaticOptimizationSettings>) type = "StaticOptimization";
            else if constexpr (std::is_same_v<T, io::JointReactionSettings>) type = "JointReaction";
            else type = "MuscleAnalysis";
            throw std::runtime_error(place(setup, a.line) + "the " + type + " analysis '" + a.name +
                                     "' is not supported by femur's Forward tool yet; turn it off "
                                     "(<on>false</on>) to run the others");
          }
        },
        analysis);
  }
}

bool has_correction_controller(const io::ForwardSetup& setup) {
  return std::any_of(setup.controllers.begin(), setup.controllers.end(),
                     [](const io::ControllerSettings& c) { return c.type == "CorrectionController"; });
}

// A controls file: a ControlSet (.xml) or a table with one column per control (.sto/.mot).
io::ControlSet read_controls(const io::FileRef& ref) {
  const std::string ext = ref.path.extension().string();
  if (ext == ".sto" || ext == ".mot") return io::control_set_from_table(io::read_sto(ref.path), ref.path);
  return io::read_control_set(ref.path);
}

sim::Controllers make_controllers(const io::ForwardSetup& setup, const SimulationModel& sm, const io::Table* states,
                                  const io::ControlSet* given_controls, std::vector<std::string>& warnings) {
  const std::vector<std::string> names = sm.actuator_names();
  sim::Controllers controllers(static_cast<int>(names.size()));
  std::vector<const io::FileRef*> files;
  if (!setup.controls_file.empty()) files.push_back(&setup.controls_file);  // before OpenSim 1.9
  for (const io::ControllerSettings& c : setup.controllers) {
    if (!c.enabled) continue;
    if (c.type == "ControlSetController") {
      if (!c.controls_file.empty()) files.push_back(&c.controls_file);
    } else if (c.type == "CorrectionController") {
      if (!states)
        throw std::runtime_error(place(setup, c.line) +
                                 "CorrectionController tracks the states of <states_file>, which is not set");
      const Model& model = *sm.model;
      sim::CorrectionController cc;
      cc.kp = c.kp;
      cc.kv = c.kv;
      cc.time = states->time;
      cc.q_desired = Eigen::MatrixXd::Zero(states->rows(), model.nq);
      cc.u_desired = Eigen::MatrixXd::Zero(states->rows(), model.nq);
      const sim::StateLayout& L = sm.system.layout;
      const std::vector<int> cols = sim::state_columns(model, sm.system.muscles, L, *states);
      for (int k = 0; k < model.nq; ++k) {
        const std::string name = model.coordinates[static_cast<size_t>(k)].name + "_corrector";
        const auto it = std::find(names.begin(), names.end(), name);
        cc.actuator.push_back(static_cast<int>(it - names.begin()));
        cc.coordinate.push_back(k);
        const int qc = cols[static_cast<size_t>(k)], uc = cols[static_cast<size_t>(L.nq + k)];
        if (qc >= 0) cc.q_desired.col(k) = states->data.col(qc);
        if (uc >= 0) cc.u_desired.col(k) = states->data.col(uc);
      }
      controllers.add(std::move(cc));
    } else {
      throw std::runtime_error(place(setup, c.line) + "controller <" + c.type +
                               "> is not supported by femur; disable it to run without it");
    }
  }
  for (const io::FileRef* ref : files) {
    const io::ControlSet set = read_controls(*ref);
    if (set.controls.empty()) warnings.push_back(ref->path.string() + ": the controls file holds no controls");
    controllers.add(sim::make_prescribed_controller(set, names));
  }
  if (given_controls) controllers.add(sim::make_prescribed_controller(*given_controls, names));
  return controllers;
}

}  // namespace

ForwardRun prepare_forward(const io::ForwardSetup& setup, std::vector<std::string>& warnings,
                           const GivenInputs& given) {
  check_inputs(setup, given);
  check_analyses(setup);
  ForwardRun run;

  // AbstractTool::loadModel + updateModelForces; CorrectionController::extendConnectToModel
  // adds its actuators even when the controller is disabled.
  io::OsimReadOptions options;
  for (const io::FileRef& ref : setup.force_set_files) options.force_set_files.push_back(ref.path);
  options.replace_force_set = setup.replace_force_set;
  run.model = std::make_unique<Model>(given.model ? *given.model
                                                  : io::read_osim(setup.model_file.path, &warnings, nullptr, options));
  if (has_correction_controller(setup)) add_corrector_actuators(*run.model);

  ExternalLoadsData loads;
  const bool have_loads = !setup.external_loads_file.empty();
  if (have_loads)
    loads = read_setup_external_loads(*run.model, setup.external_loads_file, setup.file, &warnings,
                                      given.external_loads_data);
  try {
    run.sm = make_simulation_model(*run.model, have_loads ? &loads : nullptr);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(setup.model_file.place(setup.file) + "<model_file>: " + e.what());
  }
  const sim::System& S = run.sm->system;

  // Initial state: defaults, then the states file row (ForwardTool::loadStatesStorage,
  // determineInitialTimeFromStatesStorage).
  double t0 = setup.initial_time;
  run.initial_state = sim::default_state(*run.model, S.muscles, S.layout);
  io::Table states;
  const bool have_states = !setup.states_file.empty() || given.kinematics;
  const std::string states_name = given.kinematics ? given.kinematics_label : setup.states_file.path.string();
  if (have_states) {
    states = given.kinematics ? *given.kinematics : io::read_sto(setup.states_file.path);
    if (states.rows() < 1)
      throw std::runtime_error(setup.states_file.place(setup.file) + "<states_file>: " +
                               states_name + " has no rows");
    const std::vector<int> cols = sim::state_columns(*run.model, S.muscles, S.layout, states);
    if (std::none_of(cols.begin(), cols.end(), [](int c) { return c >= 0; }))
      throw std::runtime_error(setup.states_file.place(setup.file) + "<states_file>: " +
                               states_name + " has no column for any state of the model");
    for (size_t i = 0; i < cols.size(); ++i)
      if (cols[i] < 0)
        warnings.push_back(fmt::format("{}: no column for state {}; it starts at its default",
                                       states_name, S.layout.names[i]));
    int row = 0;
    if (t0 < states.time[0]) {
      warnings.push_back(fmt::format("initial_time {} precedes the first time in {}; starting at {}", t0,
                                     states_name, states.time[0]));
    } else {
      row = static_cast<int>(io::find_row_at_or_before(states.time, t0));
    }
    t0 = states.time[row];
    try {
      sim::state_from_row(cols, states, row, run.initial_state);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(setup.states_file.place(setup.file) + "<states_file>: " +
                               states_name + ": " + e.what());
    }
  }
  if (!(setup.final_time > t0))
    throw std::runtime_error(place(setup, 0) + fmt::format("<final_time> {} is not after the initial time {} taken "
                                                          "from the states file",
                                                          setup.final_time, t0));

  run.controllers = make_controllers(setup, *run.sm, have_states ? &states : nullptr, given.controls, warnings);
  run.workspace = std::make_unique<sim::Workspace>(S);
  run.workspace->applier = run.sm->applier.get();
  run.workspace->controllers = &run.controllers;
  sim::project_constraints(S, run.initial_state);

  if (setup.solve_for_equilibrium_for_auxiliary_states) {
    const sim::EquilibriumReport report = sim::equilibrate_muscles(S, *run.workspace, t0, run.initial_state);
    run.equilibrium_failures = report.failed;
    for (const std::string& f : report.failed) warnings.push_back(f);
  }

  run.settings.initial_time = t0;
  run.settings.final_time = setup.final_time;
  run.settings.accuracy = setup.integrator_error_tolerance;
  run.settings.minimum_step = setup.minimum_integrator_step_size;
  run.settings.maximum_step = setup.maximum_integrator_step_size;
  run.settings.maximum_steps = setup.maximum_number_of_integrator_steps;
  run.settings.breakpoints = sim::control_step_times(run.controllers.list(), t0, setup.final_time);
  return run;
}

sim::Trajectory integrate_forward(ForwardRun& run) {
  return sim::simulate(run.sm->system, *run.workspace, run.initial_state, run.settings);
}

RunReport run_forward_setup(const io::ForwardSetup& setup, const RunOptions& options) {
  std::vector<std::string> warnings;
  ForwardRun run = prepare_forward(setup, warnings);
  const sim::System& S = run.sm->system;

  const double span = run.settings.final_time - run.settings.initial_time;
  Progress progress("forward (ms simulated)", static_cast<long>(1000 * span + 0.5), !options.quiet);
  run.settings.on_step = [&](double t) { progress.update(static_cast<long>(1000 * (t - run.settings.initial_time))); };
  sim::Trajectory traj;
  try {
    traj = integrate_forward(run);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(place(setup, 0) + e.what());
  }
  progress.finish();

  // Analyses on the recorded steps (Manager::record: AnalysisSet::step with the step count).
  StateRows rows;
  rows.time = traj.time;
  rows.states = traj.states;
  std::vector<AnalysisFile> outputs;
  const int last = traj.rows() - 1;
  for (const io::AnalysisSettings& analysis : setup.analyses) {
    std::visit(
        [&](const auto& a) {
          using T = std::decay_t<decltype(a)>;
          if (!a.on) return;
          std::vector<AnalysisFile> files;
          try {
            if constexpr (std::is_same_v<T, io::KinematicsSettings>)
              files = kinematics_analysis(setup.name, a, *run.sm, *run.workspace, rows, recorded_rows(0, last, a));
            else if constexpr (std::is_same_v<T, io::ActuationSettings>)
              files = actuation_analysis(setup.name, a, *run.sm, *run.workspace, rows, recorded_rows(0, last, a));
            else if constexpr (std::is_same_v<T, io::BodyKinematicsSettings>)
              files = body_kinematics_analysis(setup.name, a, *run.sm, *run.workspace, rows, recorded_rows(0, last, a));
            else if constexpr (std::is_same_v<T, io::PointKinematicsSettings>)
              files = point_kinematics_analysis(setup.name, a, *run.sm, *run.workspace, rows, recorded_rows(0, last, a));
            else if constexpr (std::is_same_v<T, io::ForceReporterSettings>)
              files = force_reporter_analysis(setup.name, a, *run.sm, *run.workspace, rows, recorded_rows(0, last, a));
          } catch (const std::invalid_argument& e) {
            throw std::runtime_error(place(setup, a.line) + a.name + ": " + e.what());
          }
          for (AnalysisFile& f : files) outputs.push_back(std::move(f));
        },
        analysis);
  }

  // States (radians), states in degrees, controls (ForwardTool::printResultsInternal).
  const Model& model = *run.model;
  const sim::StateLayout& L = S.layout;
  io::Table states;
  states.name = setup.name;
  for (int i : L.opensim_order) states.labels.push_back(L.names[static_cast<size_t>(i)]);
  states.time = Eigen::Map<const Eigen::VectorXd>(traj.time.data(), traj.rows());
  states.data = Eigen::MatrixXd(traj.rows(), L.size());
  for (int r = 0; r < traj.rows(); ++r)
    for (int c = 0; c < L.size(); ++c) states.data(r, c) = traj.states[static_cast<size_t>(r)][L.opensim_order[static_cast<size_t>(c)]];
  io::Table degrees = states;
  degrees.in_degrees = true;
  for (int c = 0; c < L.size(); ++c) {
    const int i = L.opensim_order[static_cast<size_t>(c)];
    const int k = i < L.nq ? i : (i < L.nq + L.nv ? i - L.nq : -1);
    if (k >= 0 && model.coordinates[static_cast<size_t>(k)].motion_type == MotionType::Rotational)
      degrees.data.col(c) *= 180.0 / std::numbers::pi;
  }
  io::Table controls;
  controls.name = "controls";
  controls.labels = run.sm->actuator_names();
  controls.time = states.time;
  controls.data = Eigen::MatrixXd(traj.rows(), static_cast<Eigen::Index>(controls.labels.size()));
  for (int r = 0; r < traj.rows(); ++r) controls.data.row(r) = traj.controls[static_cast<size_t>(r)].transpose();

  if (!options.quiet) {
    for (const std::string& w : warnings) std::fprintf(stderr, "femur: warning: %s\n", w.c_str());
    const auto& st = traj.statistics;
    std::fprintf(stderr,
                 "femur: forward: %.4g s simulated in %ld steps (%ld rejected, %ld evaluations, steps %.3g..%.3g s) "
                 "in %.3f s\n",
                 span, st.steps, st.attempts - st.steps, st.evaluations, st.smallest_step, st.largest_step,
                 traj.seconds);
    if (st.accepted_over_tolerance > 0)
      std::fprintf(stderr,
                   "femur: warning: %ld steps at the minimum step size %.3g s were accepted above the error tolerance "
                   "(worst error %.3g)\n",
                   st.accepted_over_tolerance, run.settings.minimum_step, st.worst_error);
  }

  const fs::path dir = !options.output_directory.empty() ? options.output_directory
                       : !setup.results_directory.empty() ? setup.results_directory.path
                                                          : setup.file.parent_path();
  io::StoWriteOptions write_options;
  write_options.precision = std::max(setup.output_precision, 1);
  fs::create_directories(dir);
  RunReport report;
  auto write = [&](const std::string& name, const io::Table& table, bool mot) {
    io::StoWriteOptions o = write_options;
    o.mot_header = mot;
    io::write_sto(dir / name, table, o);
    report.files_written.push_back(dir / name);
  };
  write(setup.name + "_states.sto", states, false);
  write(setup.name + "_states_degrees.mot", degrees, true);
  write(setup.name + "_controls.sto", controls, false);
  for (const AnalysisFile& o : outputs) write(o.file_name, o.table, false);
  report.frames = traj.rows();
  report.seconds = traj.seconds;
  return report;
}

}  // namespace femur::tools
