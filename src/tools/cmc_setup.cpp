// The CMCTool and RRATool setup adapters of `femur run` (OpenSim/Tools/CMCTool.cpp run,
// RRATool.cpp run; OPENSIM-NOTES.md C.9, C.10), top to bottom:
//
//   prepare      model + force sets, external loads, task set, control constraints, desired
//                kinematics; every input read and checked before any work
//   (RRA)        the centre-of-mass adjustment (rra_setup.cpp)
//   run_cmc      the tracking (cmc.cpp)
//   outputs      _states.sto, _controls.sto, _controls.xml, _pErr.sto, the Kinematics and
//                Actuation analyses; all written together at the end (io::OutputFiles)
#include "femur/tools/cmc_tool.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include <fmt/format.h>

#include "femur/io/cmc_task_set.hpp"
#include "femur/io/control_set.hpp"
#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/table.hpp"
#include "femur/simulate/state.hpp"
#include "femur/tools/dynamics_analyses.hpp"

namespace femur::tools {

namespace fs = std::filesystem;

namespace {

std::string place(const io::CmcSetup& setup, int line) { return io::setup_place(setup.file, line); }

void check_inputs(const io::CmcSetup& setup, const char* tool, const GivenInputs& given) {
  if (setup.model_file.empty() && !given.model)
    throw std::runtime_error(setup.file.string() + ": <model_file> is not set; " + tool + " needs a model");
  if (given.model && !setup.force_set_files.empty())
    throw std::runtime_error(place(setup, 0) + "<force_set_files> cannot be added to " + given.model_label +
                             ", a model already built; read it with its force sets");
  io::require_inputs_exist(io::SetupFile(setup));
  if (setup.desired_kinematics_file.empty() && !given.kinematics)
    throw std::runtime_error(place(setup, 0) + "<desired_kinematics_file> is not set; " + tool +
                             " tracks the coordinates it holds");
  if (setup.task_set_file.empty())
    throw std::runtime_error(place(setup, 0) + "<task_set_file> is not set; " + tool + " needs its tracking tasks");
  if (!(setup.final_time > setup.initial_time))
    throw std::runtime_error(place(setup, 0) + fmt::format("<final_time> {} is not after <initial_time> {}",
                                                          setup.final_time, setup.initial_time));
  if (!(setup.integrator_error_tolerance > 0))
    throw std::runtime_error(place(setup, 0) + "<integrator_error_tolerance> must be positive");
  if (!(setup.cmc_time_window > 0))
    throw std::runtime_error(place(setup, 0) + "<cmc_time_window> must be positive");
}

// Kinematics and Actuation run on the steps; others are refused before work.
void check_analyses(const io::CmcSetup& setup) {
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
                                     "' is not supported by femur's CMC and RRA tools yet; turn it off "
                                     "(<on>false</on>) to run the others");
          }
        },
        analysis);
  }
  for (const io::ControllerSettings& c : setup.controllers)
    if (c.enabled)
      throw std::runtime_error(place(setup, c.line) + "controller <" + c.type + "> in the setup's ControllerSet: " +
                               "femur's CMC runs only its own controller; disable it");
}

}  // namespace

CmcPrepared prepare_cmc(const io::CmcSetup& setup, bool rra, std::vector<std::string>& warnings,
                        const GivenInputs& given) {
  const char* tool = rra ? "RRA" : "CMC";
  check_inputs(setup, tool, given);
  check_analyses(setup);
  if (!setup.rra_controls_file.empty() && !rra)
    throw std::runtime_error(setup.rra_controls_file.place(setup.file) +
                             "<rra_controls_file>: OpenSim does not implement it either (CMCTool::constructRRAControlSet); "
                             "leave it empty");
  CmcPrepared p;
  io::OsimReadOptions options;
  for (const io::FileRef& ref : setup.force_set_files) options.force_set_files.push_back(ref.path);
  options.replace_force_set = setup.replace_force_set;
  p.model = std::make_unique<Model>(given.model ? *given.model
                                                : io::read_osim(setup.model_file.path, &warnings, nullptr, options));
  const std::string model_name = given.model ? given.model_label : setup.model_file.path.filename().string();

  if (!setup.external_loads_file.empty()) {
    p.loads = read_setup_external_loads(*p.model, setup.external_loads_file, setup.file, &warnings,
                                        given.external_loads_data);
    p.has_loads = true;
  }
  try {
    p.sm = make_simulation_model(*p.model, p.has_loads ? &p.loads : nullptr);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(setup.model_file.place(setup.file) + "<model_file>: " + e.what());
  }
  const Model& model = *p.model;

  // Tasks (CMC_TaskSet): active joint tasks, bound to coordinates.
  const io::CmcTaskSet tasks = io::read_cmc_task_set(setup.task_set_file.path, &warnings);
  for (const io::CmcJointTask& t : tasks.tasks) {
    if (!t.active) continue;
    const int k = model.coordinate_index(t.coordinate);
    if (k < 0)
      throw std::runtime_error(fmt::format("{}:{}: task '{}' tracks coordinate '{}', which the model {} does not have",
                                           tasks.file.string(), t.line, t.name, t.coordinate,
                                           model_name));
    if (model.coordinates[static_cast<size_t>(k)].locked)
      warnings.push_back(fmt::format("{}:{}: task '{}' tracks the locked coordinate '{}'", tasks.file.string(), t.line,
                                     t.name, t.coordinate));
    p.tasks.push_back({t.name, k, t.kp, t.kv, t.ka, t.weight});
  }
  // Point tasks (CMC_Point) with an active component, bound to their body.
  for (const io::CmcPointTaskSpec& t : tasks.points) {
    if (!t.active[0] && !t.active[1] && !t.active[2]) continue;
    CmcPointTask pt;
    pt.name = t.name;
    if (t.wrt_body != "center_of_mass") {
      pt.body = model.body_index(t.wrt_body);
      if (pt.body <= 0)
        throw std::runtime_error(fmt::format("{}:{}: point task '{}': wrt_body '{}' is not a moving body of the model {}",
                                             tasks.file.string(), t.line, t.name, t.wrt_body,
                                             setup.model_file.path.filename().string()));
    }
    pt.point = Vec3(t.point[0], t.point[1], t.point[2]);
    pt.active = t.active;
    pt.kp = t.kp;
    pt.kv = t.kv;
    pt.ka = t.ka;
    pt.weight = t.weight;
    p.points.tasks.push_back(pt);
  }
  if (!p.points.tasks.empty() && setup.desired_points_file.empty())
    throw std::runtime_error(fmt::format("{}:{}: point task '{}' needs <desired_points_file> in the setup",
                                         tasks.file.string(), tasks.points.front().line, p.points.tasks.front().name));
  if (p.points.tasks.empty() && !setup.desired_points_file.empty())
    warnings.push_back(setup.desired_points_file.place(setup.file) +
                       "<desired_points_file>: the task set has no active point task; the file is not used");
  if (!p.points.tasks.empty()) {
    // CMCTool::run: Storage(desired_points_file), pad(60), lowpassFIR, GCVSplineSet(5).
    const io::Table points = io::read_sto(setup.desired_points_file.path);
    try {
      make_desired_points(points, setup.lowpass_cutoff_frequency, p.points);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(setup.desired_points_file.place(setup.file) + "<desired_points_file> " +
                               setup.desired_points_file.path.string() + ": " + e.what());
    }
  }
  if (p.tasks.empty() && p.points.tasks.empty())
    throw std::runtime_error(setup.task_set_file.place(setup.file) + "<task_set_file>: " +
                             setup.task_set_file.path.string() + " has no active task");

  // Controls and their constraints.
  io::ControlSet constraints;
  const bool have_constraints = !setup.constraints_file.empty();
  if (have_constraints) constraints = io::read_control_set(setup.constraints_file.path, &warnings);
  try {
    p.controls = make_cmc_controls(*p.sm, have_constraints ? &constraints : nullptr);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(e.what());
  }
  // actuators_to_exclude (CMCTool::getActuatorsPathsForCMC): those actuators get no CMC control.
  for (const std::string& name : setup.actuators_to_exclude) {
    const auto it = std::find_if(p.controls.begin(), p.controls.end(), [&](const CmcControl& c) {
      return c.control.name == name + ".excitation";
    });
    if (it == p.controls.end())
      throw std::runtime_error(place(setup, 0) + "<actuators_to_exclude>: '" + name + "' is not an actuator of the model");
    p.controls.erase(it);
  }

  // Desired kinematics, the time range clamped to the data (CMCTool::run).
  io::Table q = given.kinematics ? *given.kinematics : io::read_sto(setup.desired_kinematics_file.path);
  const std::string q_name = given.kinematics ? given.kinematics_label : setup.desired_kinematics_file.path.string();
  // OpenSim's CMC and RRA end their states with two rows a rounding error apart; a later
  // step reading them keeps the first.
  if (const int dropped = io::remove_repeated_times(q); dropped > 0)
    warnings.push_back(fmt::format("{}: {} rows repeat the time of the row above; they were skipped",
                                   q_name, dropped));
  if (q.rows() < 6)
    throw std::runtime_error(setup.desired_kinematics_file.place(setup.file) + "<desired_kinematics_file>: " +
                             q_name + fmt::format(" has {} rows; at least 6 are needed", q.rows()));
  // A file in radians whose rotations reach beyond two turns holds degrees under a wrong header
  // (the shipped Gait2392 ResultsRRA Kinematics_q.sto says inDegrees=no): tracked as radians it
  // would ask for accelerations no model can produce.
  if (!q.in_degrees) {
    for (int k = 0; k < p.model->nq; ++k) {
      const Coordinate& c = p.model->coordinates[static_cast<size_t>(k)];
      const int col = q.column(c.name);
      if (col < 0 || c.motion_type != MotionType::Rotational) continue;
      const double peak = q.data.col(col).cwiseAbs().maxCoeff();
      if (peak > 4 * std::numbers::pi)
        throw std::runtime_error(setup.desired_kinematics_file.place(setup.file) + "<desired_kinematics_file>: " +
                                 q_name +
                                 fmt::format(": the header says inDegrees=no (radians) but coordinate {} reaches {:g}, "
                                             "more than two turns; the file holds degrees (set inDegrees=yes)",
                                             c.name, peak));
    }
  }
  const double first = q.time[0], last = q.time[q.rows() - 1];
  if (setup.initial_time >= last || setup.final_time <= first)
    throw std::runtime_error(place(setup, 0) +
                             fmt::format("<initial_time> {} to <final_time> {} lies outside the desired kinematics ({} to "
                                         "{} s in {})",
                                         setup.initial_time, setup.final_time, first, last,
                                         q_name));
  p.initial_time = std::max(setup.initial_time, first);
  p.final_time = std::min(setup.final_time, last);
  if (p.initial_time != setup.initial_time || p.final_time != setup.final_time)
    warnings.push_back(fmt::format("the time range {} to {} s was clamped to the desired kinematics: {} to {} s",
                                   setup.initial_time, setup.final_time, p.initial_time, p.final_time));
  try {
    p.desired = make_desired_kinematics(model, q, rra ? setup.lowpass_cutoff_frequency : setup.lowpass_cutoff_frequency);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(setup.desired_kinematics_file.place(setup.file) + "<desired_kinematics_file>: " +
                             q_name + ": " + e.what());
  }
  for (const std::string& c : p.desired.missing)
    warnings.push_back(fmt::format("{}: no column for coordinate {}; it is tracked to 0",
                                   q_name, c));

  // Initial auxiliary states: the defaults, equilibrated at the default pose (CMCTool::run).
  const sim::System& S = p.sm->system;
  p.initial_state = sim::default_state(model, S.muscles, S.layout);
  if (setup.solve_for_equilibrium_for_auxiliary_states || rra) {
    sim::Workspace ws(S);
    ws.applier = p.sm->applier.get();
    Eigen::VectorXd y = p.initial_state;
    y.segment(S.layout.nq, S.layout.nv).setZero();
    const sim::EquilibriumReport r = sim::equilibrate_muscles(S, ws, p.initial_time, y);
    for (const std::string& f : r.failed) warnings.push_back(f);
    p.initial_state.tail(S.layout.nz) = y.tail(S.layout.nz);
  }

  p.settings.window = rra ? 0.001 : setup.cmc_time_window;
  p.settings.fast_target = rra ? false : setup.use_fast_optimization_target;
  p.settings.accuracy = setup.integrator_error_tolerance;
  p.settings.minimum_step = setup.minimum_integrator_step_size;
  p.settings.maximum_step = setup.maximum_integrator_step_size;
  return p;
}

std::vector<CmcOutput> cmc_outputs(const io::CmcSetup& setup, const CmcPrepared& p, const CmcResult& r) {
  const Model& model = *p.model;
  const sim::System& S = p.sm->system;
  const sim::StateLayout& L = S.layout;
  std::vector<CmcOutput> out;
  const std::string& name = setup.name;

  io::Table states;
  states.name = name + "_states";
  for (int i : L.opensim_order) states.labels.push_back(L.names[static_cast<size_t>(i)]);
  const int rows = r.rows.rows();
  states.time = Eigen::Map<const Eigen::VectorXd>(r.rows.time.data(), rows);
  states.data.resize(rows, L.size());
  for (int i = 0; i < rows; ++i)
    for (int c = 0; c < L.size(); ++c)
      states.data(i, c) = r.rows.states[static_cast<size_t>(i)][L.opensim_order[static_cast<size_t>(c)]];
  out.push_back({name + "_states.sto", states, "", {}});

  io::Table controls;
  controls.name = "controls";
  controls.labels = p.sm->actuator_names();
  controls.time = states.time;
  controls.data.resize(rows, static_cast<Eigen::Index>(controls.labels.size()));
  for (int i = 0; i < rows; ++i) controls.data.row(i) = r.control_rows[static_cast<size_t>(i)].transpose();
  out.push_back({name + "_controls.sto", controls, "", {}});
  out.push_back({name + "_controls.xml", {}, io::format_control_set(r.controls), {}});
  out.push_back({name + "_pErr.sto", r.position_errors, "", {}});

  // The analyses on the recorded steps, with the CMC controls (CMCTool::addNecessaryAnalyses
  // adds Kinematics and Actuation at step_interval 1 when the setup lacks them; Kinematics
  // always in degrees).
  sim::Controllers controllers(S.actuator_count());
  controllers.add(sim::make_prescribed_controller(r.controls, p.sm->actuator_names()));
  sim::Workspace ws(S);
  ws.applier = p.sm->applier.get();
  ws.controllers = &controllers;
  const int last = rows - 1;
  // The first Kinematics and the first Actuation analysis that are on (or the defaults added
  // when the setup has none): evaluated together, once per row, when they record the same rows.
  io::KinematicsSettings kinematics;
  kinematics.name = "Kinematics";
  io::ActuationSettings actuation;
  actuation.name = "Actuation";
  int kinematics_at = -1, actuation_at = -1;  // index in setup.analyses, -1: the default
  for (size_t i = 0; i < setup.analyses.size(); ++i) {
    if (const auto* k = std::get_if<io::KinematicsSettings>(&setup.analyses[i]); k && k->on && kinematics_at < 0) {
      kinematics = *k;
      kinematics.in_degrees = true;
      kinematics_at = static_cast<int>(i);
    }
    if (const auto* a = std::get_if<io::ActuationSettings>(&setup.analyses[i]); a && a->on && actuation_at < 0) {
      actuation = *a;
      actuation_at = static_cast<int>(i);
    }
  }
  std::optional<KinematicsAndActuationFiles> shared;
  const std::vector<int> kinematics_rows = recorded_rows(0, last, kinematics);
  if (kinematics_rows == recorded_rows(0, last, actuation)) {
    try {
      shared = kinematics_and_actuation_analyses(name, kinematics, actuation, *p.sm, ws, r.rows, kinematics_rows);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(place(setup, kinematics_at >= 0 ? kinematics.line : 0) + kinematics.name + ": " + e.what());
    }
  }
  bool have_kinematics = false, have_actuation = false;
  std::vector<AnalysisFile> files;
  for (size_t i = 0; i < setup.analyses.size(); ++i) {
    std::visit(
        [&](const auto& a0) {
          using T = std::decay_t<decltype(a0)>;
          if (!a0.on) return;
          T a = a0;
          std::vector<AnalysisFile> f;
          try {
            if constexpr (std::is_same_v<T, io::KinematicsSettings>) {
              a.in_degrees = true;
              have_kinematics = true;
              if (shared && static_cast<int>(i) == kinematics_at) f = std::move(shared->kinematics);
              else f = kinematics_analysis(name, a, *p.sm, ws, r.rows, recorded_rows(0, last, a));
            } else if constexpr (std::is_same_v<T, io::ActuationSettings>) {
              have_actuation = true;
              if (shared && static_cast<int>(i) == actuation_at) f = std::move(shared->actuation);
              else f = actuation_analysis(name, a, *p.sm, ws, r.rows, recorded_rows(0, last, a));
            } else if constexpr (std::is_same_v<T, io::BodyKinematicsSettings>) {
              f = body_kinematics_analysis(name, a, *p.sm, ws, r.rows, recorded_rows(0, last, a));
            } else if constexpr (std::is_same_v<T, io::PointKinematicsSettings>) {
              f = point_kinematics_analysis(name, a, *p.sm, ws, r.rows, recorded_rows(0, last, a));
            } else if constexpr (std::is_same_v<T, io::ForceReporterSettings>) {
              f = force_reporter_analysis(name, a, *p.sm, ws, r.rows, recorded_rows(0, last, a));
            }
          } catch (const std::invalid_argument& e) {
            throw std::runtime_error(place(setup, a.line) + a.name + ": " + e.what());
          }
          for (AnalysisFile& x : f) files.push_back(std::move(x));
        },
        setup.analyses[i]);
  }
  if (!have_kinematics) {
    std::vector<AnalysisFile> f = shared ? std::move(shared->kinematics)
                                         : kinematics_analysis(name, kinematics, *p.sm, ws, r.rows, kinematics_rows);
    for (AnalysisFile& x : f) files.push_back(std::move(x));
  }
  if (!have_actuation) {
    std::vector<AnalysisFile> f =
        shared ? std::move(shared->actuation)
               : actuation_analysis(name, actuation, *p.sm, ws, r.rows, recorded_rows(0, last, actuation));
    for (AnalysisFile& x : f) files.push_back(std::move(x));
  }
  for (AnalysisFile& f : files) out.push_back({f.file_name, std::move(f.table), "", {}});
  (void)model;
  return out;
}

RunReport write_cmc_outputs(const io::CmcSetup& setup, const RunOptions& options, std::vector<CmcOutput> outputs) {
  const fs::path dir = !options.output_directory.empty() ? options.output_directory
                       : !setup.results_directory.empty() ? setup.results_directory.path
                                                          : setup.file.parent_path();
  io::OutputFiles files(io::input_files(io::SetupFile(setup)));
  for (const CmcOutput& o : outputs) files.claim(o.path.empty() ? dir / o.file_name : o.path);
  io::StoWriteOptions w;
  w.precision = std::max(setup.output_precision, 1);
  for (const CmcOutput& o : outputs) {
    const fs::path target = o.path.empty() ? dir / o.file_name : o.path;
    if (!o.text.empty()) files.stage(target, o.text);
    else files.stage_sto(target, o.table, w);
  }
  RunReport report;
  report.files_written = files.commit();
  return report;
}

RunReport run_cmc_setup(const io::CmcSetup& setup, const RunOptions& options) {
  std::vector<std::string> warnings;
  CmcPrepared p = prepare_cmc(setup, false, warnings);
  p.settings.show_progress = !options.quiet;
  CmcResult r;
  try {
    r = run_cmc(*p.sm, p.desired, p.tasks, p.controls, p.initial_time, p.final_time, p.initial_state, p.settings,
                p.points);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(place(setup, 0) + e.what());
  }
  std::vector<CmcOutput> outputs = cmc_outputs(setup, p, r);
  RunReport report = write_cmc_outputs(setup, options, std::move(outputs));
  if (!options.quiet) {
    for (const std::string& w : warnings) std::fprintf(stderr, "femur: warning: %s\n", w.c_str());
    std::fprintf(stderr, "femur: cmc: %.4g s tracked (%ld windows, %ld predictor runs, %d steps) in %.3f s\n",
                 p.final_time - p.settings.window - r.start_time, r.windows, r.predictor_runs, r.rows.rows(), r.seconds);
  }
  report.frames = r.rows.rows();
  report.seconds = r.seconds;
  report.warnings = warnings;
  return report;
}

}  // namespace femur::tools
