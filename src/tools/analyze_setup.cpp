// The AnalyzeTool setup adapter of `femur run` (OpenSim/Tools/AnalyzeTool.cpp): files in, the
// states AnalyzeTool would hand its analyses, one function per analysis, files out.
//
//   run_analyze_setup
//     read_model_and_force_sets      model_file + force_set_files (reserves, residuals)
//     read_states                    states_file, or coordinates_file (+ filter, GCV speeds)
//     analysis_rows                  initial_time .. final_time, step_interval
//     run_analysis (dispatcher)      -> run_joint_reaction (one function per analysis)
//     write every output             only when all analyses succeeded
//
// Other analyses (StaticOptimization, MuscleAnalysis, ...) are added as one more function
// `run_<analysis>` and one more branch in run_analysis.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <numbers>
#include <stdexcept>
#include <type_traits>

#include <fmt/format.h>

#include "femur/io/control_set.hpp"
#include "femur/io/error.hpp"
#include "femur/io/external_loads.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/table.hpp"
#include "femur/io/xml_util.hpp"
#include "femur/math/filter.hpp"
#include "femur/math/gcv_spline.hpp"
#include "femur/tools/dynamics_analyses.hpp"
#include "femur/tools/input_checks.hpp"
#include "femur/tools/joint_reaction.hpp"
#include "femur/tools/muscle_analysis.hpp"
#include "femur/tools/static_optimization.hpp"

namespace femur::tools {

namespace fs = std::filesystem;

namespace {

std::string place(const io::AnalyzeSetup& setup, int line) { return io::setup_place(setup.file, line); }

// Every input must be named and exist before anything is read.
void check_inputs(const io::AnalyzeSetup& setup) {
  if (setup.model_file.empty())
    throw std::runtime_error(setup.file.string() + ": <model_file> is not set; AnalyzeTool needs a model");
  if (setup.states_file.empty() && setup.coordinates_file.empty())
    throw std::runtime_error(setup.file.string() +
                             ": AnalyzeTool needs a <states_file> or a <coordinates_file>");
  io::require_inputs_exist(io::SetupFile(setup));
}

// ---------------------------------------------------------------------------------------
// Model and force sets

// AbstractTool::updateModelForces: the model with its force_set_files appended (or replacing
// its forces when replace_force_set is true), read by the .osim reader so that every force
// is resolved against the model.
Model read_model_and_force_sets(const io::AnalyzeSetup& setup, std::vector<std::string>& warnings) {
  io::OsimReadOptions options;
  for (const io::FileRef& ref : setup.force_set_files) options.force_set_files.push_back(ref.path);
  options.replace_force_set = setup.replace_force_set;
  return io::read_osim(setup.model_file.path, &warnings, nullptr, options);
}

// Offset frames a setup may name in express_in_frame ("pin1/rod1_offset"): each joint's
// parent and child frames. OpenSim 4 names them in the joint's <frames> and sockets; files
// before 4.0 get "<body>_offset" frames when they are converted (Joint::updateFromXMLNode).
std::vector<NamedFrame> joint_frames(const Model& model, const fs::path& model_file) {
  std::vector<NamedFrame> frames;
  auto add = [&](const Joint& j, const std::string& name, bool child) {
    NamedFrame nf;
    nf.paths = {j.name + "/" + name, "jointset/" + j.name + "/" + name, "/jointset/" + j.name + "/" + name};
    nf.frame.name = name;
    nf.frame.body = child ? j.child_body : j.parent_body;
    nf.frame.X_body_frame = child ? j.X_child_M : j.X_parent_F;
    frames.push_back(std::move(nf));
  };
  for (const Joint& j : model.joints) {
    add(j, model.bodies[static_cast<size_t>(j.child_body)].name + "_offset", true);
    add(j, model.bodies[static_cast<size_t>(j.parent_body)].name + "_offset", false);
  }
  // 4.x: the names the joint's sockets give.
  const io::XmlDocument doc = io::XmlDocument::load_file(model_file);
  auto leaf = [](std::string s) {
    const auto slash = s.find_last_of('/');
    return slash == std::string::npos ? s : s.substr(slash + 1);
  };
  const pugi::xml_node joint_set =
      doc.root().find_node([](pugi::xml_node n) { return std::string_view(n.name()) == "JointSet"; });
  for (pugi::xml_node js : joint_set.child("objects").children()) {
    if (js.type() != pugi::node_element) continue;
    const int j = model.joint_index(js.attribute("name").value());
    if (j < 0) continue;
    const std::string parent = leaf(io::XmlDocument::text(js.child("socket_parent_frame")));
    const std::string child = leaf(io::XmlDocument::text(js.child("socket_child_frame")));
    if (!child.empty()) add(model.joints[static_cast<size_t>(j)], child, true);
    if (!parent.empty()) add(model.joints[static_cast<size_t>(j)], parent, false);
  }
  return frames;
}

// ---------------------------------------------------------------------------------------
// States

// Margins of the window a long file is cut to (tools/input_checks.hpp): the filter's third-
// order Butterworth settles as exp(-pi fc t), to 1e-12 after 9 / fc seconds; the quintic
// interpolating splines' influence falls ~25-fold per knot.
constexpr double kFilterSettling = 9.0;
constexpr int kSplineMarginRows = 20;

std::string coordinate_path(const Model& model, const Coordinate& c, const char* state) {
  return "/jointset/" + model.joints[static_cast<size_t>(c.joint)].name + "/" + c.name + "/" + state;
}

}  // namespace

// AnalyzeTool::loadStatesFromFile, states_file: Model::formStateStorage maps the columns to
// the model's states by name (OpenSim 4 paths or the older bare names, `<coord>_u` for
// speeds); a state without a column is 0.
AnalyzeStates states_from_states_file(const Model& model, const io::Table& table) {
  AnalyzeStates s;
  s.time = table.time;
  s.q = Eigen::MatrixXd::Zero(table.rows(), model.nq);
  s.u = Eigen::MatrixXd::Zero(table.rows(), model.nv);
  for (int k = 0; k < model.nq; ++k) {
    const Coordinate& c = model.coordinates[static_cast<size_t>(k)];
    const double scale =
        table.in_degrees && c.motion_type == MotionType::Rotational ? std::numbers::pi / 180.0 : 1.0;
    const int qc = table.column(coordinate_path(model, c, "value"));
    const int uc = table.column(coordinate_path(model, c, "speed"));
    if (qc >= 0) s.q.col(k) = table.data.col(qc) * scale;
    if (uc >= 0) s.u.col(k) = table.data.col(uc) * scale;
  }
  return s;
}

// AnalyzeTool::loadStatesFromFile, coordinates_file: optional pad(N/2) + lowpassIIR
// (filter_coordinates), then SimbodyEngine::formCompleteStorages: a coordinate without a
// column is 0, rotational columns go to radians when the file is in degrees, and the speeds
// are the first derivative of a quintic GCVSplineSet (error variance 0) of the coordinates.
// speeds_file, when given, replaces those speeds.
AnalyzeStates states_from_coordinates(const Model& model, const io::Table& table, double cutoff_hz,
                                      const io::Table* speeds) {
  if (table.rows() < 1) throw std::invalid_argument("the coordinates file has no rows");
  Samples samples;
  samples.time = table.time;
  samples.data = Eigen::MatrixXd::Zero(table.rows(), model.nq);
  for (int k = 0; k < model.nq; ++k) {
    const Coordinate& c = model.coordinates[static_cast<size_t>(k)];
    int col = table.column(c.name);
    if (col < 0) col = table.column(coordinate_path(model, c, "value"));
    if (col >= 0) samples.data.col(k) = table.data.col(col);
  }
  if (cutoff_hz >= 0.0) samples = filter_coordinates(samples, cutoff_hz);
  if (table.in_degrees)
    for (int k = 0; k < model.nq; ++k)
      if (model.coordinates[static_cast<size_t>(k)].motion_type == MotionType::Rotational)
        samples.data.col(k) *= std::numbers::pi / 180.0;
  const Eigen::Index rows = samples.time.size();
  for (Eigen::Index i = 1; i < rows; ++i)
    if (!(samples.time[i] > samples.time[i - 1]))
      throw std::invalid_argument("coordinate times must increase (row " + std::to_string(i + 1) + ")");
  AnalyzeStates s;
  s.time = samples.time;
  s.q = samples.data;
  s.u = Eigen::MatrixXd::Zero(rows, model.nv);
  if (speeds) {
    if (speeds->rows() != rows)
      throw std::invalid_argument("the speeds file has " + std::to_string(speeds->rows()) +
                                  " rows, the coordinates " + std::to_string(rows));
    for (int k = 0; k < model.nq; ++k) {
      const Coordinate& c = model.coordinates[static_cast<size_t>(k)];
      int col = speeds->column(c.name);
      if (col < 0) col = speeds->column(coordinate_path(model, c, "speed"));
      const double scale =
          speeds->in_degrees && c.motion_type == MotionType::Rotational ? std::numbers::pi / 180.0 : 1.0;
      if (col >= 0) s.u.col(k) = speeds->data.col(col) * scale;
    }
    return s;
  }
  if (rows < 6)
    throw std::invalid_argument("the coordinates file has " + std::to_string(rows) +
                                " rows; the quintic spline of the speeds needs at least 6");
  const GcvSplineSet splines = fit_gcv_spline_set(5, samples.time, samples.data, GcvSmoothing::opensim(0.0));
  for (Eigen::Index i = 0; i < rows; ++i)
    for (int k = 0; k < model.nq; ++k) s.u(i, k) = splines.derivative(k, 1, samples.time[i]);
  return s;
}

namespace {

// Values the reader accepts (finite) can still overflow once converted, filtered or
// differentiated (1e308 degrees): such states are an error naming the file, time and
// coordinate, before any analysis runs on them.
void check_finite_states(const io::AnalyzeSetup& setup, const Model& model, const AnalyzeStates& s) {
  const io::FileRef& ref = setup.states_file.empty() ? setup.coordinates_file : setup.states_file;
  for (Eigen::Index i = 0; i < s.rows(); ++i)
    for (int k = 0; k < model.nq; ++k) {
      const bool q_ok = std::isfinite(s.q(i, k)), u_ok = std::isfinite(s.u(i, k));
      if (q_ok && u_ok) continue;
      throw std::runtime_error(ref.place(setup.file) + "<" + ref.element + "> " + ref.path.string() +
                               ": coordinate '" + model.coordinates[static_cast<size_t>(k)].name + "' has a " +
                               (q_ok ? "speed" : "value") + " that is not finite at time " +
                               std::to_string(s.time[i]) + " s; a value of the file is out of range near that time");
    }
}

// AnalyzeTool::run: begin() at the first row, end() at the last, step(s, i) in between,
// which records when the row's index in the states is a multiple of step_interval
// (Analysis::proceed).
// `offset` is the index of states row 0 in the states of the whole file (the states of a
// long file are made from the window only; see trim_to_window).
std::vector<int> analysis_rows(int first, int last, const io::AnalysisCommon& a, int offset = 0) {
  std::vector<int> rows;
  if (!a.on) return rows;
  const int interval = std::max(a.step_interval, 1);
  for (int i = first; i <= last; ++i)
    if (i == first || i == last || (i + offset) % interval == 0) rows.push_back(i);
  return rows;
}

// The model's dynamics along the states, for the analyses that realize each row to
// accelerations (Kinematics, Actuation, BodyKinematics, PointKinematics): built once, on first
// use. Muscle states come from the states file's columns (defaults without one), equilibrated
// per row when solve_for_equilibrium_for_auxiliary_states; controls from the enabled
// ControlSetControllers (zero without).
struct AnalyzeDynamics {
  std::unique_ptr<SimulationModel> sm;
  sim::Controllers controllers;
  std::unique_ptr<sim::Workspace> ws;
  StateRows rows;
};

// What every analysis receives.
struct AnalyzeContext {
  const io::AnalyzeSetup& setup;
  const Model& model;
  const AnalyzeStates& states;
  int first = 0, last = 0;             // rows of the time window
  int row_offset = 0;                  // index of row 0 in the states of the whole file
  const ExternalLoadsData* loads = nullptr;
  std::vector<std::string>& warnings;
  bool show_progress = false;
  bool verbose = false;  // every frame's warning, not a summary
  const io::Table* states_table = nullptr;  // the states file, when the states came from one
  std::unique_ptr<AnalyzeDynamics> dynamics = nullptr;
};

AnalyzeDynamics& dynamics(AnalyzeContext& cx) {
  if (cx.dynamics) return *cx.dynamics;
  auto d = std::make_unique<AnalyzeDynamics>();
  try {
    d->sm = make_simulation_model(cx.model, cx.loads);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(cx.setup.model_file.place(cx.setup.file) + "<model_file>: " + e.what());
  }
  const sim::System& S = d->sm->system;
  const std::vector<std::string> names = d->sm->actuator_names();
  d->controllers = sim::Controllers(static_cast<int>(names.size()));
  std::vector<const io::FileRef*> files;
  if (!cx.setup.controls_file.empty()) files.push_back(&cx.setup.controls_file);
  for (const io::ControllerSettings& c : cx.setup.controllers)
    if (c.enabled && c.type == "ControlSetController" && !c.controls_file.empty()) files.push_back(&c.controls_file);
  for (const io::FileRef* ref : files) {
    const std::string ext = ref->path.extension().string();
    const io::ControlSet set = ext == ".sto" || ext == ".mot"
                                   ? io::control_set_from_table(io::read_sto(ref->path), ref->path)
                                   : io::read_control_set(ref->path);
    d->controllers.add(sim::make_prescribed_controller(set, names));
  }
  d->ws = std::make_unique<sim::Workspace>(S);
  d->ws->applier = d->sm->applier.get();
  d->ws->controllers = &d->controllers;
  std::vector<int> columns;
  if (cx.states_table) columns = sim::state_columns(cx.model, S.muscles, S.layout, *cx.states_table);
  const int rows = cx.states.rows();
  d->rows.time.resize(static_cast<size_t>(rows));
  d->rows.states.resize(static_cast<size_t>(rows));
  const Eigen::VectorXd defaults = sim::default_state(cx.model, S.muscles, S.layout);
  for (int r = 0; r < rows; ++r) {
    Eigen::VectorXd y = defaults;
    if (cx.states_table && r < cx.states_table->rows()) sim::state_from_row(columns, *cx.states_table, r, y);
    y.head(cx.model.nq) = cx.states.q.row(r).transpose();
    y.segment(cx.model.nq, cx.model.nv) = cx.states.u.row(r).transpose();
    if (cx.setup.solve_for_equilibrium_for_auxiliary_states && r >= cx.first && r <= cx.last) {
      const sim::EquilibriumReport report = sim::equilibrate_muscles(S, *d->ws, cx.states.time[r], y);
      for (const std::string& f : report.failed)
        cx.warnings.push_back(fmt::format("t = {}: {}", cx.states.time[r], f));
    }
    d->rows.time[static_cast<size_t>(r)] = cx.states.time[r];
    d->rows.states[static_cast<size_t>(r)] = std::move(y);
  }
  cx.dynamics = std::move(d);
  return *cx.dynamics;
}


// ---------------------------------------------------------------------------------------
// Analyses: one function each.

std::vector<AnalysisFile> run_joint_reaction(const AnalyzeContext& cx, const io::JointReactionSettings& a,
                                               double& seconds, int& frames) {
  const std::string where = place(cx.setup, a.line) + "JointReaction '" + a.name + "': ";
  std::vector<ReactionRequest> requests;
  try {
    requests = resolve_reaction_requests(cx.model, a.joint_names, a.apply_on_bodies, a.express_in_frame,
                                         joint_frames(cx.model, cx.setup.model_file.path));
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(where + e.what());
  }
  io::Table forces;
  JointReactionInputs inputs;
  inputs.loads = cx.loads;
  if (!a.forces_file.empty()) {
    std::error_code ec;
    if (!fs::exists(a.forces_file.path, ec))
      throw std::runtime_error(a.forces_file.place(cx.setup.file) + "<forces_file>: file not found: " +
                               a.forces_file.path.string());
    forces = io::read_sto(a.forces_file.path);
    inputs.forces = &forces;
  }
  JointReactionResult r;
  try {
    r = joint_reaction(cx.model, cx.states, analysis_rows(cx.first, cx.last, a, cx.row_offset), requests, inputs);
  } catch (const std::exception& e) {
    // The analysis's own messages start with "JointReaction: "; `where` says it already.
    std::string message = e.what();
    if (message.rfind("JointReaction: ", 0) == 0) message.erase(0, 15);
    // "the forces file has no column ..." names the file.
    if (!a.forces_file.empty() && message.rfind("the forces file ", 0) == 0)
      message = "<forces_file> " + a.forces_file.path.string() + " " + message.substr(16);
    throw std::runtime_error(where + message);
  }
  for (const std::string& w : r.warnings) cx.warnings.push_back("JointReaction '" + a.name + "': " + w);
  seconds += r.seconds;
  frames = std::max(frames, r.loads.rows());
  return {{cx.setup.name + "_" + a.name + "_ReactionLoads.sto", std::move(r.loads)}};
}

// The dispatcher: one branch per analysis femur runs.
std::vector<AnalysisFile> run_analysis(AnalyzeContext& cx, const io::AnalysisSettings& analysis,
                                         double& seconds, int& frames) {
  return std::visit(
      [&](const auto& a) -> std::vector<AnalysisFile> {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, io::JointReactionSettings>) {
          return run_joint_reaction(cx, a, seconds, frames);
        } else if constexpr (std::is_same_v<T, io::MuscleAnalysisSettings>) {
          return run_muscle_analysis(cx.setup, a, cx.model, cx.states, analysis_rows(cx.first, cx.last, a, cx.row_offset),
                                     cx.warnings, seconds, frames);
        } else if constexpr (std::is_same_v<T, io::StaticOptimizationSettings>) {
          return run_static_optimization(cx.setup, a, cx.model, cx.states, analysis_rows(cx.first, cx.last, a, cx.row_offset),
                                         cx.loads, cx.warnings, seconds, frames, cx.show_progress, cx.verbose);
        } else if constexpr (std::is_same_v<T, io::KinematicsSettings> || std::is_same_v<T, io::ActuationSettings> ||
                             std::is_same_v<T, io::BodyKinematicsSettings> ||
                             std::is_same_v<T, io::PointKinematicsSettings> ||
                             std::is_same_v<T, io::ForceReporterSettings>) {
          if (!a.on) return {};
          AnalyzeDynamics& d = dynamics(cx);
          const std::vector<int> rows = analysis_rows(cx.first, cx.last, a, cx.row_offset);
          const auto start = std::chrono::steady_clock::now();
          std::vector<AnalysisFile> files;
          try {
            if constexpr (std::is_same_v<T, io::KinematicsSettings>)
              files = kinematics_analysis(cx.setup.name, a, *d.sm, *d.ws, d.rows, rows);
            else if constexpr (std::is_same_v<T, io::ActuationSettings>)
              files = actuation_analysis(cx.setup.name, a, *d.sm, *d.ws, d.rows, rows);
            else if constexpr (std::is_same_v<T, io::BodyKinematicsSettings>)
              files = body_kinematics_analysis(cx.setup.name, a, *d.sm, *d.ws, d.rows, rows);
            else if constexpr (std::is_same_v<T, io::ForceReporterSettings>)
              files = force_reporter_analysis(cx.setup.name, a, *d.sm, *d.ws, d.rows, rows);
            else
              files = point_kinematics_analysis(cx.setup.name, a, *d.sm, *d.ws, d.rows, rows);
          } catch (const std::invalid_argument& e) {
            throw std::runtime_error(place(cx.setup, a.line) + a.name + ": " + e.what());
          }
          seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          frames = std::max(frames, static_cast<int>(rows.size()));
          return files;
        } else {
          (void)seconds;
          (void)frames;
          return {};
        }
      },
      analysis);
}

// The files an analysis writes whatever the states: StaticOptimization's two and
// JointReaction's one (MuscleAnalysis's depend on the model and are known after it ran).
std::vector<std::string> known_output_names(const io::AnalyzeSetup& setup) {
  std::vector<std::string> names;
  for (const io::AnalysisSettings& analysis : setup.analyses) {
    if (const auto* so = std::get_if<io::StaticOptimizationSettings>(&analysis); so && so->on) {
      names.push_back(setup.name + "_" + so->name + "_activation.sto");
      names.push_back(setup.name + "_" + so->name + "_force.sto");
    } else if (const auto* jr = std::get_if<io::JointReactionSettings>(&analysis); jr && jr->on) {
      names.push_back(setup.name + "_" + jr->name + "_ReactionLoads.sto");
    }
  }
  return names;
}

bool known_output(const io::AnalyzeSetup& setup, const std::string& name) {
  const std::vector<std::string> names = known_output_names(setup);
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Claimed before any work, so that an output over an input is refused at once.
void claim_known_outputs(const io::AnalyzeSetup& setup, const fs::path& dir, io::OutputFiles& outputs) {
  for (const std::string& name : known_output_names(setup)) outputs.claim(dir / name);
}

// Analyses femur cannot run yet are rejected before any work (when they are on).
void check_analyses(const io::AnalyzeSetup& setup) {
  if (setup.analyses.empty())
    throw std::runtime_error(setup.file.string() + ": AnalyzeTool: no analyses have been set");
  for (const io::AnalysisSettings& analysis : setup.analyses) {
    std::visit(
        [&](const auto& a) {
          using T = std::decay_t<decltype(a)>;
          if constexpr (!std::is_same_v<T, io::JointReactionSettings> &&
                        !std::is_same_v<T, io::MuscleAnalysisSettings> &&
                        !std::is_same_v<T, io::StaticOptimizationSettings> &&
                        !std::is_same_v<T, io::KinematicsSettings> && !std::is_same_v<T, io::ActuationSettings> &&
                        !std::is_same_v<T, io::BodyKinematicsSettings> &&
                        !std::is_same_v<T, io::PointKinematicsSettings> &&
                        !std::is_same_v<T, io::ForceReporterSettings>) {
            if (!a.on) return;
            std::string type;
            if constexpr (std::is_same_v<T, io::UnknownAnalysis>) type = a.type;
            else if constexpr (std::is_same_v<T, io::StaticOptimizationSettings>) type = "StaticOptimization";
            else type = "MuscleAnalysis";
            throw std::runtime_error(place(setup, a.line) + "the " + type + " analysis '" + a.name +
                                     "' is not supported by femur yet; turn it off (<on>false</on>) "
                                     "to run the others");
          }
        },
        analysis);
  }
}

}  // namespace

RunReport run_analyze_setup(const io::AnalyzeSetup& setup, const RunOptions& options) {
  check_inputs(setup);
  check_analyses(setup);
  // The folder the outputs go to; each output's name is known once its analysis ran, so
  // they are checked against the inputs then (before anything is written).
  const fs::path dir = !options.output_directory.empty() ? options.output_directory
                       : !setup.results_directory.empty() ? setup.results_directory.path
                                                          : setup.file.parent_path();
  io::OutputFiles written(io::input_files(io::SetupFile(setup)));
  claim_known_outputs(setup, dir, written);
  std::vector<std::string> warnings;
  const Model model = read_model_and_force_sets(setup, warnings);

  // States, as AnalyzeTool::loadStatesFromFile makes them, from the rows of the time window
  // and the margins the filter and splines need (trim_to_window): a 10 s window of a long
  // file costs what 10 s cost (2.7 GB and 130 s for 10 s of a 100,000-row file before).
  AnalyzeStates states;
  io::Table states_table;
  int row_offset = 0;
  try {
    if (!setup.states_file.empty()) {
      if (!setup.coordinates_file.empty())
        warnings.push_back("ignoring coordinates_file since states_file is also set");
      states_table = io::read_sto(setup.states_file.path);
      if (auto w = coordinates_in_degrees_warning(model, states_table, setup.states_file.path.string()); !w.empty())
        warnings.push_back(w);
      row_offset = trim_to_window(states_table, setup.initial_time, setup.final_time, 0.0, kSplineMarginRows);
      states = states_from_states_file(model, states_table);
    } else {
      io::Table speeds;
      if (!setup.speeds_file.empty()) speeds = io::read_sto(setup.speeds_file.path);
      io::Table coordinates = io::read_sto(setup.coordinates_file.path);
      io::remove_repeated_times(coordinates);
      const std::string file = setup.coordinates_file.path.string();
      if (auto w = coordinates_in_degrees_warning(model, coordinates, file); !w.empty()) warnings.push_back(w);
      const double cutoff = setup.lowpass_cutoff_frequency_for_coordinates;
      if (setup.speeds_file.empty()) {
        // Storage::pad(N/2) puts N/2 rows before the first: OpenSim's row indices (for
        // step_interval) count from there.
        const int rows_before = coordinates.rows();
        const double margin_s = cutoff > 0 ? kFilterSettling / cutoff : cutoff == 0 ? io::kInf : 0.0;
        const int first = trim_to_window(coordinates, setup.initial_time, setup.final_time, margin_s, kSplineMarginRows);
        row_offset = cutoff >= 0 ? rows_before / 2 + first - coordinates.rows() / 2 : first;
      }
      states = states_from_coordinates(model, coordinates, cutoff, setup.speeds_file.empty() ? nullptr : &speeds);
      if (cutoff >= 0)
        if (auto w = resampling_warning(coordinates.time, states.time, file); !w.empty()) warnings.push_back(w);
    }
  } catch (const std::invalid_argument& e) {
    const io::FileRef& ref = setup.states_file.empty() ? setup.coordinates_file : setup.states_file;
    throw std::runtime_error(ref.place(setup.file) + "<" + ref.element + ">: " + e.what());
  }
  if (states.rows() < 1) throw std::runtime_error(setup.file.string() + ": AnalyzeTool: the states have no rows");
  check_finite_states(setup, model, states);

  ExternalLoadsData loads;
  const bool have_loads = !setup.external_loads_file.empty();
  if (have_loads) {
    loads = read_setup_external_loads(model, setup.external_loads_file, setup.file, &warnings);
  }

  // AnalyzeTool::run: rows from findIndex(initial_time) to findIndex(final_time).
  const int first_row = static_cast<int>(io::find_row_at_or_before(states.time, setup.initial_time));
  const int last_row = static_cast<int>(io::find_row_at_or_before(states.time, setup.final_time));
  AnalyzeContext cx{setup,    model,          states,          first_row,
                    last_row, row_offset,     have_loads ? &loads : nullptr, warnings,
                    !options.quiet, options.verbose, setup.states_file.empty() ? nullptr : &states_table};
  RunReport report;
  std::vector<AnalysisFile> outputs;
  for (const io::AnalysisSettings& analysis : setup.analyses)
    for (AnalysisFile& o : run_analysis(cx, analysis, report.seconds, report.frames))
      outputs.push_back(std::move(o));


  // Written only now that every analysis succeeded (Storage::printResult into
  // results_directory), all files renamed into place together.
  io::StoWriteOptions write_options;
  write_options.precision = std::max(setup.output_precision, 1);
  for (const AnalysisFile& o : outputs)
    if (!known_output(setup, o.file_name)) written.claim(dir / o.file_name);
  for (const AnalysisFile& o : outputs) written.stage_sto(dir / o.file_name, o.table, write_options);
  report.files_written = written.commit();
  report.warnings = std::move(warnings);
  return report;
}

}  // namespace femur::tools
