// The tools on numpy arrays and Tables: femur.ik, femur.id, femur.states, femur.so, femur.jr,
// femur.muscle_analysis, femur.scale_model and femur.run (any OpenSim setup
// file, as `femur run`). Each is the C++ tool function (include/femur/tools/), called with
// the GIL released; results are Tables (copies of the tool's output, which is then freed).
#include <cmath>
#include <limits>

#include "bindings.hpp"
#include "femur/io/external_loads.hpp"
#include "femur/io/setup.hpp"
#include "femur/tools/analyze_states.hpp"
#include "femur/tools/external_loads.hpp"
#include "femur/tools/inverse_dynamics.hpp"
#include "femur/tools/inverse_kinematics.hpp"
#include "femur/tools/joint_reaction.hpp"
#include "femur/tools/muscle_analysis.hpp"
#include "femur/tools/run_setup.hpp"
#include "femur/tools/scale.hpp"
#include "femur/tools/static_optimization.hpp"

namespace femur::python {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// External loads from an ExternalLoads XML and its datafile, read and checked as the commands'
// --external-loads (tools::read_external_loads_input).
tools::ExternalLoadsData read_loads(const Model& model, const std::filesystem::path& xml_path) {
  const io::ExternalLoads xml = tools::read_external_loads_input(xml_path, nullptr);
  return tools::bind_external_loads(model, xml, tools::read_external_loads_data(xml));
}

using TableOrPath = std::variant<io::Table, std::filesystem::path>;

io::Table table_of(const TableOrPath& t) {
  if (const auto* p = std::get_if<std::filesystem::path>(&t)) return io::read_sto(*p);
  return std::get<io::Table>(t);
}

// The rows an AnalyzeTool analysis visits (Analysis::proceed, as src/tools/analyze_setup.cpp
// selects them): the first and last rows within [t0, t1] and those between whose index is a
// multiple of step_interval.
std::vector<int> rows_between(const tools::AnalyzeStates& s, double t0, double t1, int step_interval) {
  if (step_interval < 1) throw std::invalid_argument("step_interval must be at least 1");
  int first = -1, last = -1;
  for (int i = 0; i < s.rows(); ++i)
    if (s.time[i] >= t0 - 1e-12 && s.time[i] <= t1 + 1e-12) {
      if (first < 0) first = i;
      last = i;
    }
  std::vector<int> rows;
  for (int i = first; first >= 0 && i <= last; ++i)
    if (i == first || i == last || i % step_interval == 0) rows.push_back(i);
  if (rows.empty()) throw std::invalid_argument("no states row within the time range");
  return rows;
}

}  // namespace

void bind_tools(py::module_& m) {
  py::class_<tools::IkResult>(m, "IkResult", R"doc(
What femur.ik returns: coordinate_names, time (frames,), q (frames, nq) in radians and metres,
marker_names, marker_squared_error (frames, markers), total_squared_error, marker_error_rms,
marker_error_max (frames,), iterations, converged.

Example:
    >>> r = femur.ik(m, "subject01_walk1.trc"); r.q.shape, r.marker_error_rms.max()
)doc")
      .def_readonly("coordinate_names", &tools::IkResult::coordinate_names)
      .def_readonly("time", &tools::IkResult::time)
      .def_readonly("q", &tools::IkResult::q)
      .def_readonly("marker_names", &tools::IkResult::marker_names)
      .def_readonly("marker_squared_error", &tools::IkResult::marker_squared_error)
      .def_readonly("total_squared_error", &tools::IkResult::total_squared_error)
      .def_readonly("marker_error_rms", &tools::IkResult::marker_error_rms)
      .def_readonly("marker_error_max", &tools::IkResult::marker_error_max)
      .def_readonly("iterations", &tools::IkResult::iterations)
      .def_property_readonly("converged",
                             [](const tools::IkResult& r) { return std::vector<bool>(r.converged.begin(), r.converged.end()); })
      .def("motion", [](const tools::IkResult& r, const PyModel& model) { return tools::ik_motion_table(model.get(), r); },
           py::arg("model"), "The motion as OpenSim writes it (a Table, rotational columns in degrees).\n\n"
           "Example:\n    >>> femur.ik(m, \"walk.trc\").motion(m).write(\"walk_ik.mot\")")
      .def("__len__", &tools::IkResult::frames);

  m.def(
      "ik",
      [](const PyModel& model, const std::variant<io::MarkerTable, std::filesystem::path>& markers,
         std::optional<std::map<std::string, double>> marker_weights, double accuracy, double start_time,
         double end_time, int threads, std::optional<std::filesystem::path> tasks_from) {
        tools::IkOptions options;
        if (tasks_from) {
          // The IKTaskSet (marker weights, coordinate tasks) of an InverseKinematicsTool setup.
          py::gil_scoped_release release;
          const io::SetupFile setup = io::read_setup(*tasks_from);
          const auto* ik_setup = std::get_if<io::InverseKinematicsSetup>(&setup);
          if (!ik_setup) throw std::invalid_argument(tasks_from->string() + ": not an InverseKinematicsTool setup");
          options = tools::ik_options_from_setup(*ik_setup, model.get());
        }
        if (marker_weights)
          for (const auto& [name, w] : *marker_weights) options.marker_weights.push_back({name, w});
        options.accuracy = accuracy;
        options.start_time = start_time;
        options.end_time = end_time;
        options.threads = threads;
        py::gil_scoped_release release;
        if (const auto* path = std::get_if<std::filesystem::path>(&markers)) {
          const io::MarkerTable table = tools::read_markers_in_metres(*path);
          return tools::inverse_kinematics_of_file(model.get(), table, options, *path);
        }
        io::MarkerTable table = std::get<io::MarkerTable>(markers);
        table.convert_to_metres();
        return tools::inverse_kinematics(model.get(), table, options);
      },
      py::arg("model"), py::arg("markers"), py::arg("marker_weights") = py::none(), py::arg("accuracy") = 1e-5,
      py::arg("start_time") = -kInf, py::arg("end_time") = kInf, py::arg("threads") = 1,
      py::arg("tasks_from") = py::none(),
      R"doc(Inverse kinematics (OpenSim's InverseKinematicsTool) of a .trc file or a MarkerTable.

marker_weights: {marker: weight}; None tracks every marker of the file the model has, weight 1
(or the tasks of `tasks_from`, an IK setup file whose IKTaskSet is used; the time range and
accuracy given here apply).

Example:
    >>> r = femur.ik(m, "subject01_walk1.trc", threads=2)
    >>> r.motion(m).write("ik.mot"))doc");

  m.def(
      "id",
      [](const PyModel& model, const TableOrPath& coordinates, std::optional<std::filesystem::path> external_loads,
         double lowpass_cutoff_hz, std::optional<double> start_time, std::optional<double> end_time,
         std::vector<std::string> forces_to_exclude) {
        py::gil_scoped_release release;
        io::Table table = table_of(coordinates);
        io::remove_repeated_times(table);
        tools::ExternalLoadsData loads;
        if (external_loads) loads = read_loads(model.get(), *external_loads);
        tools::InverseDynamicsOptions options;
        options.lowpass_cutoff_hz = lowpass_cutoff_hz;
        if (table.rows() > 0) {
          options.start_time = start_time.value_or(table.time[0]);
          options.end_time = end_time.value_or(table.time[table.rows() - 1]);
        }
        options.forces_to_exclude = std::move(forces_to_exclude);
        return tools::inverse_dynamics(model.get(), table, external_loads ? &loads : nullptr, options)
            .generalized_forces;
      },
      py::arg("model"), py::arg("coordinates"), py::arg("external_loads") = py::none(),
      py::arg("lowpass_cutoff_hz") = -1.0, py::arg("start_time") = py::none(), py::arg("end_time") = py::none(),
      py::arg("forces_to_exclude") = std::vector<std::string>{"Muscles"},
      R"doc(Inverse dynamics (OpenSim's InverseDynamicsTool) of a coordinates Table or file, with an
optional ExternalLoads XML. Returns the generalized forces Table (<coordinate>_moment/_force).

Example:
    >>> tau = femur.id(m, "subject01_walk1_ik.mot", "subject01_walk1_grf.xml", lowpass_cutoff_hz=6)
    >>> tau["hip_flexion_r_moment"])doc");

  m.def(
      "states",
      [](const PyModel& model, const TableOrPath& coordinates, double lowpass_cutoff_hz) {
        py::gil_scoped_release release;
        io::Table table = table_of(coordinates);
        io::remove_repeated_times(table);
        return tools::states_from_coordinates(model.get(), table, lowpass_cutoff_hz, nullptr);
      },
      py::arg("model"), py::arg("coordinates"), py::arg("lowpass_cutoff_hz") = -1.0,
      R"doc(States from a coordinates Table or file as AnalyzeTool makes them: filtered (cutoff >= 0),
in radians, speeds from a quintic GCV spline.

Example:
    >>> s = femur.states(m, "subject01_walk1_ik.mot", lowpass_cutoff_hz=6))doc");

  m.def(
      "so",
      [](const PyModel& model, const tools::AnalyzeStates& states, std::optional<std::filesystem::path> external_loads,
         double activation_exponent, bool use_muscle_physiology, double start_time, double end_time,
         int step_interval) {
        py::gil_scoped_release release;
        tools::ExternalLoadsData loads;
        if (external_loads) loads = read_loads(model.get(), *external_loads);
        tools::StaticOptimizationOptions options;
        options.activation_exponent = activation_exponent;
        options.use_muscle_physiology = use_muscle_physiology;
        tools::StaticOptimizationResult r =
            tools::static_optimization(model.get(), states, rows_between(states, start_time, end_time, step_interval),
                                       external_loads ? &loads : nullptr, options);
        return std::make_pair(std::move(r.activations), std::move(r.forces));
      },
      py::arg("model"), py::arg("states"), py::arg("external_loads") = py::none(),
      py::arg("activation_exponent") = 2.0, py::arg("use_muscle_physiology") = true, py::arg("start_time") = -kInf,
      py::arg("end_time") = kInf, py::arg("step_interval") = 1,
      R"doc(Static optimization (OpenSim's analysis). Returns (activations, forces) Tables.

Example:
    >>> act, force = femur.so(m, femur.states(m, "ik.mot", 6), "grf.xml"))doc");

  m.def(
      "jr",
      [](const PyModel& model, const tools::AnalyzeStates& states, std::vector<std::string> joints,
         std::vector<std::string> on, std::vector<std::string> in_frame, std::optional<io::Table> forces,
         std::optional<std::filesystem::path> external_loads, double start_time, double end_time,
         int step_interval) {
        py::gil_scoped_release release;
        tools::ExternalLoadsData loads;
        if (external_loads) loads = read_loads(model.get(), *external_loads);
        const auto requests = tools::resolve_reaction_requests(model.get(), joints, on, in_frame);
        tools::JointReactionInputs inputs;
        inputs.loads = external_loads ? &loads : nullptr;
        inputs.forces = forces ? &*forces : nullptr;
        return tools::joint_reaction(model.get(), states, rows_between(states, start_time, end_time, step_interval), requests, inputs)
            .loads;
      },
      py::arg("model"), py::arg("states"), py::arg("joints") = std::vector<std::string>{"ALL"},
      py::arg("on") = std::vector<std::string>{"child"}, py::arg("in_frame") = std::vector<std::string>{"child"},
      py::arg("forces") = py::none(), py::arg("external_loads") = py::none(), py::arg("start_time") = -kInf,
      py::arg("end_time") = kInf, py::arg("step_interval") = 1,
      R"doc(Joint reaction loads (OpenSim's JointReaction analysis); `forces` is e.g. the forces Table of
femur.so. Columns <joint>_on_<body>_in_<frame>_fx fy fz mx my mz px py pz.

Example:
    >>> jr = femur.jr(m, s, ["hip_r"], ["child"], ["child"], forces=force, external_loads="grf.xml"))doc");

  m.def(
      "muscle_analysis",
      [](const PyModel& model, const tools::AnalyzeStates& states, std::vector<std::string> muscles,
         std::vector<std::string> coordinates, bool compute_moments, bool solve_for_equilibrium) {
        py::gil_scoped_release release;
        tools::MuscleAnalysisOptions options;
        options.muscle_list = std::move(muscles);
        options.moment_arm_coordinate_list = std::move(coordinates);
        options.compute_moments = compute_moments;
        options.solve_for_equilibrium = solve_for_equilibrium;
        std::vector<int> rows(static_cast<size_t>(states.rows()));
        for (int i = 0; i < states.rows(); ++i) rows[static_cast<size_t>(i)] = i;
        tools::MuscleAnalysisResult r = tools::muscle_analysis(model.get(), states, rows, options);
        std::map<std::string, io::Table> out;
        for (auto& t : r.tables) out.emplace(t.name, std::move(t));
        return out;
      },
      py::arg("model"), py::arg("states"), py::arg("muscles") = std::vector<std::string>{"all"},
      py::arg("coordinates") = std::vector<std::string>{"all"}, py::arg("compute_moments") = true,
      py::arg("solve_for_equilibrium") = false,
      R"doc(OpenSim's MuscleAnalysis: {storage name: Table} (Length, FiberLength, MomentArm_<q>, ...).

Example:
    >>> ma = femur.muscle_analysis(m, s, coordinates=["hip_flexion_r"]); ma["Length"]["psoas_r"])doc");

  m.def(
      "scale_model",
      [](const PyModel& model, const std::map<std::string, Eigen::Vector3d>& factors, bool preserve_mass_distribution,
         double subject_mass) {
        const Model& mm = model.get();
        std::vector<Vec3> body(mm.bodies.size(), Vec3::Ones());
        for (const auto& [name, f] : factors) body[static_cast<size_t>(body_index(mm, name))] = f;
        std::shared_ptr<const Model> scaled;
        {
          py::gil_scoped_release release;
          tools::ModelScaleOptions options;
          options.preserve_mass_distribution = preserve_mass_distribution;
          options.subject_mass = subject_mass;
          scaled = std::make_shared<const Model>(tools::scale_model(mm, body, options).model);
        }
        return std::make_shared<PyModel>(scaled);
      },
      py::arg("model"), py::arg("factors"), py::arg("preserve_mass_distribution") = false,
      py::arg("subject_mass") = -1.0,
      R"doc(OpenSim's Model::scale: {body: (sx, sy, sz)} (other bodies 1); returns a new Model.

Example:
    >>> big = femur.scale_model(m, {"femur_r": (1.1, 1.1, 1.1)}, subject_mass=80))doc");


  m.def(
      "run",
      [](const std::filesystem::path& setup_path, std::optional<std::filesystem::path> out_dir, int threads) {
        std::vector<std::string> warnings;
        tools::RunReport report;
        {
          py::gil_scoped_release release;
          const io::SetupFile setup = io::read_setup(setup_path, &warnings);
          io::require_inputs_exist(setup);
          tools::RunOptions options;
          options.threads = threads;
          options.quiet = true;
          if (out_dir) options.output_directory = *out_dir;
          report = tools::run_setup(setup, options);
        }
        warnings.insert(warnings.end(), report.warnings.begin(), report.warnings.end());
        py::dict d;
        std::vector<std::string> files;
        for (const auto& f : report.files_written) files.push_back(f.string());
        d["files_written"] = files;
        d["frames"] = report.frames;
        d["seconds"] = report.seconds;
        d["warnings"] = warnings;
        return d;
      },
      py::arg("setup"), py::arg("out_dir") = py::none(), py::arg("threads") = 1,
      R"doc(Runs an OpenSim tool setup file as `femur run` does; returns {files_written, frames,
seconds, warnings}.

Example:
    >>> femur.run("subject01_Setup_InverseDynamics.xml", out_dir="results"))doc");
}

}  // namespace femur::python
