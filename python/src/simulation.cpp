// The simulation tools as direct functions (issue 19): femur.scale (ScaleTool: measurements,
// manual scales, mass, MarkerPlacer), femur.forward with the flags of `femur forward`, femur.cmc
// and femur.rra (CMCTool and RRATool without a setup file). Each builds in memory the io:: setup
// its command or setup file would give and calls the same C++ path (include/femur/tools/scale.hpp,
// forward_tool.hpp, cmc_tool.hpp), with the GIL released; a Model or Tables given in memory
// replace the setup's files (tools/given_inputs.hpp). Results are Tables (copies of the tool's
// outputs). Nothing is written, except by femur.rra, which runs tools::run_rra_setup into a
// private temporary folder (17 digits, so the tables read back are the computed doubles) and
// removes it.
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <system_error>

#include "bindings.hpp"
#include "femur/io/control_set.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/cmc_tool.hpp"
#include "femur/tools/forward_tool.hpp"
#include "femur/tools/inverse_kinematics.hpp"
#include "femur/tools/run_setup.hpp"
#include "femur/tools/scale.hpp"

namespace femur::python {

namespace fs = std::filesystem;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A file given as a Python argument, named in messages as "femur.<function>(<argument>=...)".
io::FileRef file_ref(const std::optional<fs::path>& path, const std::string& argument, const std::string& function) {
  io::FileRef f;
  if (!path || path->empty()) return f;
  f.path = fs::absolute(*path).lexically_normal();
  if (!fs::exists(f.path)) throw FileNotFound("femur." + function + ": " + argument + ": file not found: " + path->string());
  f.written = path->string();
  f.element = argument;
  f.source = "femur." + function + "(" + argument + "=" + path->string() + ")";
  return f;
}

std::shared_ptr<PyModel> py_model(Model model, std::vector<std::string> warnings = {}) {
  auto m = std::make_shared<PyModel>(std::make_shared<const Model>(std::move(model)));
  m->warnings = std::move(warnings);
  return m;
}

io::Table states_table(const sim::StateLayout& L, const sim::Trajectory& traj) {
  io::Table t;
  t.name = "states";
  for (int c : L.opensim_order) t.labels.push_back(L.names[static_cast<size_t>(c)]);  // as <name>_states.sto
  t.time = Eigen::Map<const Eigen::VectorXd>(traj.time.data(), traj.rows());
  t.data.resize(traj.rows(), L.size());
  for (int i = 0; i < traj.rows(); ++i)
    for (int c = 0; c < L.size(); ++c)
      t.data(i, c) = traj.states[static_cast<size_t>(i)][L.opensim_order[static_cast<size_t>(c)]];
  return t;
}

// A private folder for femur.rra's outputs, removed when it goes out of scope.
struct TemporaryFolder {
  TemporaryFolder() {
    std::string pattern = (fs::temp_directory_path() / "femur-python-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder in " + fs::temp_directory_path().string());
    path = pattern;
  }
  ~TemporaryFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

using ModelOrPath = std::variant<std::shared_ptr<PyModel>, fs::path>;
using TableOrPath = std::variant<io::Table, fs::path>;

// The inputs a call gave in memory (a Model, Tables), kept alive for the run; inputs() points
// the tool at them (tools/given_inputs.hpp) instead of at files.
struct Given {
  std::shared_ptr<const Model> model;
  std::string model_label;
  std::optional<io::Table> kinematics, loads_data;
  std::string kinematics_label;
  std::optional<io::ControlSet> controls;

  tools::GivenInputs inputs() const {
    tools::GivenInputs g;
    g.model = model.get();
    g.model_label = model_label;
    g.kinematics = kinematics ? &*kinematics : nullptr;
    g.kinematics_label = kinematics_label;
    g.controls = controls ? &*controls : nullptr;
    g.external_loads_data = loads_data ? &*loads_data : nullptr;
    return g;
  }
};

std::string table_label(const io::Table& t, const std::string& argument, const std::string& function) {
  return "femur." + function + "(" + argument + "=Table '" + t.name + "')";
}

// The model argument: a Model object (with its forces: force_set must be empty), or a path the
// tool reads with the force_set files.
io::FileRef model_input(const ModelOrPath& model, const std::vector<fs::path>& force_set, Given& g,
                        const std::string& function) {
  if (const auto* path = std::get_if<fs::path>(&model)) return file_ref(*path, "model", function);
  if (!force_set.empty())
    throw std::invalid_argument("femur." + function + ": force_set applies to a model read from a file; a Model "
                                "object holds its forces already (femur.Model(path, force_set_files=[...]))");
  g.model = std::get<std::shared_ptr<PyModel>>(model)->model;
  g.model_label = "'" + g.model->name + "' (femur.Model)";
  return {};
}

// A table argument: a Table is kept in `given`, a path becomes the setup's file.
io::FileRef table_input(const TableOrPath& table, std::optional<io::Table>& given, std::string* label,
                        const std::string& argument, const std::string& function) {
  if (const auto* path = std::get_if<fs::path>(&table)) return file_ref(*path, argument, function);
  given = std::get<io::Table>(table);
  if (label) *label = table_label(*given, argument, function);
  return {};
}

// external_loads_data: the table that replaces the datafile the external_loads XML names.
void loads_data_input(const std::optional<TableOrPath>& data, const std::optional<fs::path>& external_loads, Given& g,
                      const std::string& function) {
  if (!data) return;
  if (!external_loads)
    throw std::invalid_argument("femur." + function + ": external_loads_data needs external_loads (the ExternalLoads "
                                ".xml whose forces name its columns)");
  const io::FileRef f = table_input(*data, g.loads_data, nullptr, "external_loads_data", function);
  if (!f.empty()) g.loads_data = io::read_sto(f.path);
}

// The fields CMC and RRA share.
struct CmcArgs {
  ModelOrPath model;
  TableOrPath desired_kinematics;
  fs::path task_set;
  std::vector<fs::path> force_set;
  bool replace_force_set = false;
  std::optional<fs::path> external_loads;
  std::optional<TableOrPath> external_loads_data;
  std::optional<fs::path> constraints;
  std::optional<double> initial_time, final_time;
  double cutoff = -1.0, tolerance = 1e-5, min_step = 1e-8, max_step = 1.0;
  bool equilibrium = true;
  std::vector<std::string> actuators_to_exclude;
  std::string name;
};

void fill_cmc_setup(io::CmcSetup& s, const CmcArgs& a, Given& g, const std::string& function) {
  s.name = a.name;
  s.file = "femur." + function;  // messages about the run itself name the call
  s.model_file = model_input(a.model, a.force_set, g, function);
  for (const fs::path& f : a.force_set) s.force_set_files.push_back(file_ref(f, "force_set", function));
  s.replace_force_set = a.replace_force_set;
  s.external_loads_file = file_ref(a.external_loads, "external_loads", function);
  loads_data_input(a.external_loads_data, a.external_loads, g, function);
  s.desired_kinematics_file =
      table_input(a.desired_kinematics, g.kinematics, &g.kinematics_label, "desired_kinematics", function);
  s.task_set_file = file_ref(a.task_set, "task_set", function);
  s.constraints_file = file_ref(a.constraints, "constraints", function);
  s.lowpass_cutoff_frequency = a.cutoff;
  s.integrator_error_tolerance = a.tolerance;
  s.minimum_integrator_step_size = a.min_step;
  s.maximum_integrator_step_size = a.max_step;
  s.solve_for_equilibrium_for_auxiliary_states = a.equilibrium;
  s.actuators_to_exclude = a.actuators_to_exclude;
  // Without a time range, the desired kinematics' own (what CMCTool clamps to).
  s.initial_time = a.initial_time.value_or(-kInf);
  s.final_time = a.final_time.value_or(kInf);
  if (!a.initial_time || !a.final_time) {
    io::require_inputs_exist(io::SetupFile(s));
    const io::Table q = g.kinematics ? *g.kinematics : io::read_sto(s.desired_kinematics_file.path);
    if (q.rows() > 0) {
      if (!a.initial_time) s.initial_time = q.time[0];
      if (!a.final_time) s.final_time = q.time[q.rows() - 1];
    }
  }
}

// measurements=[{"name": ..., "marker_pairs": [(m1, m2), ...], "bodies": {body: "XYZ"}}, ...]:
// the Measurements of a MeasurementSet (Measurement.cpp: MarkerPairSet, BodyScaleSet).
std::vector<io::Measurement> measurements_of(const py::handle& list) {
  std::vector<io::Measurement> out;
  for (const py::handle& item : list) {
    if (!py::isinstance<py::dict>(item))
      throw std::invalid_argument("measurements: each item must be a dict {name, marker_pairs, bodies}");
    const py::dict d = py::reinterpret_borrow<py::dict>(item);
    for (const auto& kv : d) {
      const std::string key = kv.first.cast<std::string>();
      if (key != "name" && key != "marker_pairs" && key != "bodies" && key != "apply")
        throw std::invalid_argument("measurements: unknown key '" + key + "' (name, marker_pairs, bodies, apply)");
    }
    io::Measurement m;
    m.name = d.contains("name") ? d["name"].cast<std::string>() : std::string();
    m.apply = d.contains("apply") ? d["apply"].cast<bool>() : true;
    if (!d.contains("marker_pairs") || !d.contains("bodies"))
      throw std::invalid_argument("measurements: '" + m.name + "' needs marker_pairs and bodies");
    for (const auto& pair : d["marker_pairs"].cast<std::vector<std::pair<std::string, std::string>>>())
      m.marker_pairs.push_back({pair.first, pair.second, 0});
    if (m.marker_pairs.empty()) throw std::invalid_argument("measurements: '" + m.name + "' has no marker pair");
    for (const auto& [body, axes] : d["bodies"].cast<std::map<std::string, std::string>>()) {
      io::BodyScale bs;
      bs.body = body;
      for (char a : axes) {
        if (a != 'X' && a != 'Y' && a != 'Z' && a != 'x' && a != 'y' && a != 'z')
          throw std::invalid_argument("measurements: '" + m.name + "': axes of '" + body + "' must be letters of XYZ, not '" +
                                      axes + "'");
        bs.axes.push_back(std::string(1, a));
      }
      m.body_scales.push_back(std::move(bs));
    }
    out.push_back(std::move(m));
  }
  return out;
}

// "<name>_Kinematics_q.sto" -> "Kinematics_q".
std::string output_key(const std::string& file_name, const std::string& name) {
  std::string k = file_name;
  if (k.rfind(name + "_", 0) == 0) k.erase(0, name.size() + 1);
  const auto dot = k.rfind('.');
  if (dot != std::string::npos) k.erase(dot);
  return k;
}

}  // namespace

void bind_simulation(py::module_& m) {
  m.def(
      "scale",
      [](const std::variant<std::shared_ptr<PyModel>, fs::path>& model, std::optional<fs::path> marker_set,
         std::optional<std::variant<io::MarkerTable, fs::path>> markers, double mass,
         std::map<std::string, Eigen::Vector3d> scale, bool preserve_mass_distribution,
         std::optional<std::pair<double, double>> time_range, bool place_markers, std::optional<std::string> name,
         py::object measurements, std::optional<std::vector<std::string>> scaling_order) {
        if (place_markers && !markers) throw std::invalid_argument("place_markers=True needs markers (the static trial)");
        // measurements: a ScaleTool setup's MeasurementSet (read below) or the same as dicts.
        std::optional<fs::path> measurement_setup;
        std::vector<io::Measurement> measured;
        if (!measurements.is_none()) {
          if (!markers) throw std::invalid_argument("measurements need markers (the static trial they measure)");
          if (py::isinstance<py::list>(measurements) || py::isinstance<py::tuple>(measurements)) {
            measured = measurements_of(measurements);
          } else {
            measurement_setup = measurements.cast<fs::path>();
          }
        }
        for (const std::string& step : scaling_order.value_or(std::vector<std::string>{}))
          if (step != "measurements" && step != "manualScale")
            throw std::invalid_argument("scaling_order: expected 'measurements' or 'manualScale', not '" + step + "'");
        if (!(mass > 0.0) && mass != -1.0) throw std::invalid_argument("mass must be a finite number > 0 (or -1: keep)");
        if (time_range && !(time_range->first <= time_range->second))
          throw std::invalid_argument("time_range: the start is after the end");
        std::vector<std::string> warnings;
        std::optional<Model> generic;
        tools::ScaledModel scaled;
        std::vector<Vec3> factors;
        std::optional<tools::MarkerPlacement> placed;
        io::Table pose;
        std::map<std::string, double> measurement_factors;
        {
          py::gil_scoped_release release;
          // GenericModelMaker: the model (from its file, with the marker set) or a Model as given.
          if (const auto* p = std::get_if<fs::path>(&model)) {
            io::ScaleSetup setup;
            setup.file = "femur.scale";
            setup.generic_model_maker.present = true;
            setup.generic_model_maker.model_file = file_ref(*p, "model", "scale");
            setup.generic_model_maker.marker_set_file = file_ref(marker_set, "marker_set", "scale");
            io::require_inputs_exist(io::SetupFile(setup));
            generic = tools::generic_model(setup);
          } else {
            if (marker_set) throw std::invalid_argument("marker_set needs the model as a file path (it updates that file's markers)");
            generic = std::get<std::shared_ptr<PyModel>>(model)->get();
          }
          if (name) generic->name = *name;
          io::MarkerTable trial;
          if (markers && (place_markers || !measurements.is_none())) {
            if (const auto* p = std::get_if<fs::path>(&*markers)) {
              trial = tools::read_markers_in_metres(*p, &warnings);
            } else {
              trial = std::get<io::MarkerTable>(*markers);
              trial.convert_to_metres();
            }
          }
          // ModelScaler: the ScaleTool setup's ModelScaler built from the arguments (its
          // MeasurementSet, a ScaleSet of the manual scales, scaling_order, time_range), turned
          // into scale factors by the ScaleTool's own code, then the mass.
          io::ScaleSetup ss;
          ss.file = "femur.scale";
          io::ModelScaler& ms = ss.model_scaler;
          if (measurement_setup) {
            const fs::path setup_path = file_ref(measurement_setup, "measurements", "scale").path;
            const io::SetupFile read = io::read_setup(setup_path);
            const auto* scale_setup = std::get_if<io::ScaleSetup>(&read);
            if (!scale_setup) throw std::invalid_argument(setup_path.string() + ": not a ScaleTool setup (measurements)");
            ss.file = scale_setup->file;  // messages name its lines
            measured = scale_setup->model_scaler.measurements;
          }
          ms.measurements = std::move(measured);
          for (const auto& [body, f] : scale) {
            if (generic->body_index(body) < 0)
              throw std::invalid_argument("scale: '" + body + "' is not a body of model " + generic->name);
            if (!f.allFinite() || (f.array() <= 0.0).any())
              throw std::invalid_argument("scale: the factors of '" + body + "' must be finite numbers > 0");
            io::ManualScale s;
            s.segment = body;
            s.scales = {f[0], f[1], f[2]};
            ms.scale_set.push_back(s);
          }
          if (scaling_order) {
            ms.scaling_order = *scaling_order;
          } else {  // OpenSim's setups: measurements, then the manual scales
            if (!ms.measurements.empty()) ms.scaling_order.push_back("measurements");
            if (!ms.scale_set.empty()) ms.scaling_order.push_back("manualScale");
          }
          ms.time_range = time_range ? std::array<double, 2>{time_range->first, time_range->second}
                                     : std::array<double, 2>{-kInf, kInf};  // the whole trial
          const tools::ScaleFactorOptions fo =
              tools::scale_factor_options(ss, *generic, trial.frames() > 0 ? &trial : nullptr, &warnings);
          const tools::ScaleFactors sf = tools::compute_scale_factors(*generic, trial.frames() > 0 ? &trial : nullptr, fo);
          factors = sf.body;
          for (const tools::MeasurementResult& r : sf.measurements) measurement_factors[r.name] = r.factor;
          scaled = tools::scale_model(*generic, factors, {preserve_mass_distribution, mass});
          // MarkerPlacer: every marker of the trial that the model has, weight 1 (as `femur scale`).
          if (place_markers) {
            io::InverseKinematicsSetup ik;
            ik.file = "femur.scale";
            for (const Marker& mk : generic->markers) {
              if (trial.marker(mk.name) < 0) continue;
              io::IkTask task;
              task.kind = io::IkTask::Kind::marker;
              task.name = mk.name;
              task.weight = 1.0;
              ik.tasks.push_back(task);
            }
            if (ik.tasks.empty()) throw std::invalid_argument("scale: no marker of the static trial is a marker of the model");
            tools::MarkerPlacerOptions o;
            o.ik = tools::ik_options_from_setup(ik, scaled.model);
            o.ik.threads = 1;
            o.start_time = time_range ? time_range->first : -kInf;
            o.end_time = time_range ? time_range->second : kInf;
            placed = tools::place_markers(scaled.model, trial, o);
            for (const std::string& w : placed->warnings) warnings.push_back("MarkerPlacer: " + w);
            pose = tools::static_pose_table(placed->model, *placed);
          }
        }
        py::dict d;
        py::dict f;
        for (size_t b = 1; b < generic->bodies.size(); ++b) f[py::str(generic->bodies[b].name)] = Eigen::Vector3d(factors[b]);
        d["factors"] = f;
        d["measurement_factors"] = measurement_factors;
        if (placed) {
          d["model"] = py_model(placed->model);
          d["static_pose"] = pose;
          d["q"] = placed->q;
          d["moved_markers"] = placed->moved;
          d["marker_error_rms"] = placed->ik.marker_error_rms.size() > 0 ? py::cast(placed->ik.marker_error_rms[0]) : py::none();
        } else {
          d["model"] = py_model(scaled.model);
          d["static_pose"] = py::none();
          d["q"] = py::none();
          d["moved_markers"] = std::vector<std::string>{};
          d["marker_error_rms"] = py::none();
        }
        d["warnings"] = warnings;
        return d;
      },
      py::arg("model"), py::kw_only(), py::arg("marker_set") = py::none(), py::arg("markers") = py::none(),
      py::arg("mass") = -1.0, py::arg("scale") = std::map<std::string, Eigen::Vector3d>{},
      py::arg("preserve_mass_distribution") = false, py::arg("time_range") = py::none(),
      py::arg("place_markers") = false, py::arg("name") = py::none(), py::arg("measurements") = py::none(),
      py::arg("scaling_order") = py::none(),
      R"doc(OpenSim's ScaleTool without a setup file: the generic model (a Model, or an .osim path whose
markers `marker_set` updates), scaled by `measurements` and manual scales {body: (sx, sy, sz)}
in `scaling_order` (default: measurements, then manualScale, as OpenSim's setups), the
subject `mass` (kg; -1 keeps the model's), then with place_markers=True the MarkerPlacer on
the static trial `markers` (.trc path or MarkerTable; every trial marker the model has, weight
1). Measurements and placement average the trial over `time_range` (default all of it).

`measurements` is a ScaleTool setup path (its MeasurementSet; errors name its lines) or a list
of {"name": str, "marker_pairs": [(m1, m2), ...], "bodies": {body: "XYZ"}}: each one's factor
is the mean over its pairs of trial distance / model distance, applied to the listed axes of
the listed bodies (OpenSim's ModelScaler, through femur's ScaleTool code).

Returns {"model": Model, "factors": {body: (3,) array}, "measurement_factors": {name: float},
"static_pose": Table or None, "q": (nq,) static pose or None, "moved_markers": [...],
"marker_error_rms": float or None, "warnings": [...]}.

Example:
    >>> r = femur.scale("gait2354_simbody.osim", marker_set="gait2354_Scale_MarkerSet.xml",
    ...                 markers="subject01_static.trc", mass=72.6, preserve_mass_distribution=True,
    ...                 measurements=[{"name": "pelvis", "marker_pairs": [("R.ASIS", "L.ASIS")],
    ...                                "bodies": {"pelvis": "XYZ"}}],
    ...                 scale={"femur_r": (1.1, 1.1, 1.1)}, time_range=(1, 2), place_markers=True)
    >>> r["measurement_factors"]["pelvis"], r["model"].write("subject01_simbody.osim"))doc");

  m.def(
      "forward",
      [](const fs::path& setup_path) {
        py::gil_scoped_release release;
        std::vector<std::string> warnings;
        const io::SetupFile setup = io::read_setup(setup_path, &warnings);
        const auto* s = std::get_if<io::ForwardSetup>(&setup);
        if (!s) throw std::invalid_argument(setup_path.string() + ": not a ForwardTool setup");
        tools::ForwardRun run = tools::prepare_forward(*s, warnings);
        const sim::Trajectory traj = tools::integrate_forward(run);
        return states_table(run.sm->system.layout, traj);
      },
      py::arg("setup"),
      R"doc(Forward simulation of a ForwardTool setup: the states Table (every integrator step,
OpenSim 4 state names in the order of <name>_states.sto, radians). Nothing is written.

Example:
    >>> y = femur.forward("subject01_Setup_Forward.xml"))doc");

  m.def(
      "forward",
      [](const ModelOrPath& model, double final_time, double initial_time, std::optional<TableOrPath> controls,
         std::optional<TableOrPath> states, std::optional<fs::path> external_loads,
         std::optional<TableOrPath> external_loads_data, std::vector<fs::path> force_set, double tolerance,
         double min_step, double max_step, int max_steps, bool equilibrium) {
        if (!(final_time > initial_time))
          throw std::invalid_argument("final_time " + std::to_string(final_time) + " is not after initial_time " +
                                      std::to_string(initial_time));
        if (!(tolerance > 0)) throw std::invalid_argument("tolerance must be positive");
        if (!(max_step > 0) || min_step > max_step)
          throw std::invalid_argument("min_step and max_step must satisfy 0 <= min_step <= max_step, max_step > 0");
        if (max_steps < 1) throw std::invalid_argument("max_steps must be at least 1");
        py::gil_scoped_release release;
        // The ForwardTool setup `femur forward` builds from the same flags; what was given in
        // memory replaces its files.
        Given g;
        io::ForwardSetup s;
        s.name = "forward";
        s.file = "femur.forward";
        s.model_file = model_input(model, force_set, g, "forward");
        for (const fs::path& f : force_set) s.force_set_files.push_back(file_ref(f, "force_set", "forward"));
        s.replace_force_set = false;
        if (states) s.states_file = table_input(*states, g.kinematics, &g.kinematics_label, "states", "forward");
        s.external_loads_file = file_ref(external_loads, "external_loads", "forward");
        loads_data_input(external_loads_data, external_loads, g, "forward");
        s.initial_time = initial_time;
        s.final_time = final_time;
        s.solve_for_equilibrium_for_auxiliary_states = equilibrium;
        s.maximum_number_of_integrator_steps = max_steps;
        s.minimum_integrator_step_size = min_step;
        s.maximum_integrator_step_size = max_step;
        s.integrator_error_tolerance = tolerance;
        if (controls) {
          std::optional<io::Table> table;
          io::ControllerSettings c;
          c.type = "ControlSetController";
          c.controls_file = table_input(*controls, table, nullptr, "controls", "forward");
          if (table) g.controls = io::control_set_from_table(*table, table_label(*table, "controls", "forward"));
          else s.controllers.push_back(c);
        }
        std::vector<std::string> warnings;
        tools::ForwardRun run = tools::prepare_forward(s, warnings, g.inputs());
        const sim::Trajectory traj = tools::integrate_forward(run);
        return states_table(run.sm->system.layout, traj);
      },
      py::arg("model"), py::arg("final_time"), py::kw_only(), py::arg("initial_time") = 0.0,
      py::arg("controls") = py::none(), py::arg("states") = py::none(), py::arg("external_loads") = py::none(),
      py::arg("external_loads_data") = py::none(), py::arg("force_set") = std::vector<fs::path>{},
      py::arg("tolerance") = 1e-5, py::arg("min_step") = 1e-8,
      py::arg("max_step") = 1.0, py::arg("max_steps") = 20000, py::arg("equilibrium") = false,
      R"doc(Forward simulation with the flags of `femur forward`: the model (a Model, e.g. a scaled
one held in memory, or an .osim path plus force_set files) driven by `controls` (a Table with
one column per control, or a ControlSet .xml / .sto path) from the last row of `states` (Table
or path) at or before initial_time (the model's defaults without), muscles equilibrated when
equilibrium=True, Runge-Kutta-Merson to final_time. `external_loads` is an ExternalLoads .xml;
`external_loads_data` (Table or path) replaces the data file it names. Returns the states
Table (every integrator step, OpenSim 4 state names in the order of <name>_states.sto,
radians). Nothing is written.

Example:
    >>> m = femur.Model("arm26.osim")
    >>> u = femur.Table(["TRIlong", "BIClong"], [0.0, 1.0], [[0.1, 0.5], [0.1, 0.5]])
    >>> y = femur.forward(m, 1.0, controls=u, equilibrium=True, max_steps=30000))doc");

  m.def(
      "cmc",
      [](const ModelOrPath& model, const TableOrPath& desired_kinematics, const fs::path& task_set,
         std::vector<fs::path> force_set, bool replace_force_set, std::optional<fs::path> external_loads,
         std::optional<TableOrPath> external_loads_data, std::optional<fs::path> constraints,
         std::optional<double> initial_time, std::optional<double> final_time, double cutoff, double window,
         bool fast_target, bool equilibrium, double tolerance, double min_step, double max_step,
         std::vector<std::string> actuators_to_exclude) {
        std::vector<std::string> warnings;
        std::vector<tools::CmcOutput> outputs;
        tools::CmcResult r;
        io::CmcSetup s;
        {
          py::gil_scoped_release release;
          CmcArgs a{model, desired_kinematics, task_set, force_set, replace_force_set, external_loads,
                    external_loads_data, constraints, initial_time, final_time, cutoff, tolerance, min_step,
                    max_step, equilibrium, actuators_to_exclude, "cmc"};
          Given g;
          fill_cmc_setup(s, a, g, "cmc");
          s.cmc_time_window = window;
          s.use_fast_optimization_target = fast_target;
          tools::CmcPrepared p = tools::prepare_cmc(s, /*rra=*/false, warnings, g.inputs());
          r = tools::run_cmc(*p.sm, p.desired, p.tasks, p.controls, p.initial_time, p.final_time, p.initial_state,
                             p.settings, p.points);
          outputs = tools::cmc_outputs(s, p, r);
        }
        py::dict d;
        for (tools::CmcOutput& o : outputs) {
          if (!o.text.empty()) d[py::str(output_key(o.file_name, s.name) + "_text")] = o.text;
          else d[py::str(output_key(o.file_name, s.name))] = std::move(o.table);
        }
        d["start_time"] = r.start_time;
        d["windows"] = r.windows;
        d["seconds"] = r.seconds;
        d["warnings"] = warnings;
        return d;
      },
      py::arg("model"), py::arg("desired_kinematics"), py::arg("task_set"), py::kw_only(),
      py::arg("force_set") = std::vector<fs::path>{}, py::arg("replace_force_set") = false,
      py::arg("external_loads") = py::none(), py::arg("external_loads_data") = py::none(),
      py::arg("constraints") = py::none(), py::arg("initial_time") = py::none(),
      py::arg("final_time") = py::none(), py::arg("cutoff") = -1.0, py::arg("window") = 0.01,
      py::arg("fast_target") = true, py::arg("equilibrium") = true, py::arg("tolerance") = 1e-5,
      py::arg("min_step") = 1e-8, py::arg("max_step") = 1.0,
      py::arg("actuators_to_exclude") = std::vector<std::string>{},
      R"doc(Computed Muscle Control (OpenSim's CMCTool) without a setup file: the model (a Model
holding its reserves, e.g. femur.Model(path, force_set_files=[...]), or an .osim path plus
force_set files), tracking `desired_kinematics` (a Table or a .mot/.sto path; `cutoff` Hz
low-pass, -1 none) with the CMC_TaskSet `task_set`, controls bounded by `constraints`
(ControlSet .xml), optional `external_loads` (ExternalLoads .xml; `external_loads_data`, a
Table or path, replaces the data file it names); initial_time/final_time default to the
kinematics' range; `window` is cmc_time_window, `fast_target`
use_fast_optimization_target, `equilibrium` solve_for_equilibrium_for_auxiliary_states.

Returns the tables `femur run` would write, keyed by their file name without the run name:
{"states", "controls", "pErr", "Kinematics_q", "Kinematics_u", "Kinematics_dudt",
"Actuation_force", "Actuation_speed", "Actuation_power"} plus "controls_text" (the
_controls.xml ControlSet), "start_time", "windows", "seconds", "warnings". Nothing is written.

Example:
    >>> m = femur.Model("arm26.osim", force_set_files=["arm26_Reserve_Actuators.xml"])
    >>> q = femur.read_sto("arm26_InverseKinematics.mot")
    >>> r = femur.cmc(m, q, "arm26_ComputedMuscleControl_Tasks.xml", initial_time=0, final_time=1)
    >>> r["states"]["/forceset/BIClong/activation"].max())doc");

  m.def(
      "rra",
      [](const ModelOrPath& model, const TableOrPath& desired_kinematics, const fs::path& task_set,
         std::vector<fs::path> force_set, bool replace_force_set, std::optional<fs::path> external_loads,
         std::optional<TableOrPath> external_loads_data, std::optional<fs::path> constraints,
         std::optional<double> initial_time, std::optional<double> final_time, double cutoff, bool equilibrium,
         double tolerance, double min_step, double max_step,
         std::optional<std::string> adjust_com_body, std::optional<std::pair<double, double>> com_time_range,
         std::vector<std::string> actuators_to_exclude) {
        std::vector<std::pair<std::string, io::Table>> tables;
        std::string residuals_text;
        std::optional<Model> adjusted;
        {
          py::gil_scoped_release release;
          io::RraSetup s;
          CmcArgs a{model, desired_kinematics, task_set, force_set, replace_force_set, external_loads,
                    external_loads_data, constraints, initial_time, final_time, cutoff, tolerance, min_step,
                    max_step, equilibrium, actuators_to_exclude, "rra"};
          Given g;
          fill_cmc_setup(s, a, g, "rra");
          TemporaryFolder tmp;
          s.output_precision = 17;  // the doubles themselves, read back below
          if (adjust_com_body) {
            s.adjust_com_to_reduce_residuals = true;
            s.adjusted_com_body = *adjust_com_body;
            if (com_time_range) {
              s.initial_time_for_com_adjustment = com_time_range->first;
              s.final_time_for_com_adjustment = com_time_range->second;
            }
            s.output_model_file.path = tmp.path / "rra_adjusted.osim";
            s.output_model_file.element = "output_model_file";
          }
          tools::RunOptions options;
          options.quiet = true;
          options.output_directory = tmp.path;
          const tools::RunReport report = tools::run_rra_setup(s, options, g.inputs());
          for (const fs::path& f : report.files_written) {
            const std::string file = f.filename().string();
            if (f.extension() == ".sto") {
              tables.emplace_back(output_key(file, "rra"), io::read_sto(f));
            } else if (file == "rra_avgResiduals.txt") {
              std::ifstream in(f);
              residuals_text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
            } else if (f.extension() == ".osim") {
              adjusted = io::read_osim(f);
            }
          }
        }
        py::dict d;
        for (auto& [k, t] : tables) d[py::str(k)] = std::move(t);
        // "FX average = 1.23" lines of _avgResiduals.txt.
        py::dict avg;
        std::istringstream lines(residuals_text);
        for (std::string line; std::getline(lines, line);) {
          const auto at = line.find(" average = ");
          if (at != std::string::npos) avg[py::str(line.substr(0, at))] = std::stod(line.substr(at + 11));
        }
        d["average_residuals"] = avg;
        d["adjusted_model"] = adjusted ? py::cast(py_model(std::move(*adjusted))) : py::none();
        return d;
      },
      py::arg("model"), py::arg("desired_kinematics"), py::arg("task_set"), py::kw_only(),
      py::arg("force_set") = std::vector<fs::path>{}, py::arg("replace_force_set") = false,
      py::arg("external_loads") = py::none(), py::arg("external_loads_data") = py::none(),
      py::arg("constraints") = py::none(), py::arg("initial_time") = py::none(),
      py::arg("final_time") = py::none(), py::arg("cutoff") = -1.0, py::arg("equilibrium") = true,
      py::arg("tolerance") = 1e-5, py::arg("min_step") = 1e-8, py::arg("max_step") = 1.0,
      py::arg("adjust_com_body") = py::none(), py::arg("com_time_range") = py::none(),
      py::arg("actuators_to_exclude") = std::vector<std::string>{},
      R"doc(Residual Reduction Algorithm (OpenSim's RRATool) without a setup file; arguments as
femur.cmc (a Model or path, a Table or path; 1 ms window, the slow target), plus
`adjust_com_body` (adjust_com_to_reduce_residuals on that body, over `com_time_range`, default
the run's). With a path the adjusted model is the file's model (its own forces); with a Model,
that Model (with whatever forces it holds) with the centre of mass moved.

Returns the tables of femur.cmc (keyed "states", "controls", "pErr", "Kinematics_q", ...,
"Actuation_force", ...), "average_residuals" {"FX": ..., "MZ": ...} (_avgResiduals.txt) and
"adjusted_model" (a Model with the moved centre of mass, or None). It runs the tool into a
private temporary folder at 17 digits (exact doubles) and reads the tables back; the folder is
removed.

Example:
    >>> m = femur.Model("subject01_simbody.osim", force_set_files=["gait2354_RRA_Actuators.xml"],
    ...                 replace_force_set=True)
    >>> r = femur.rra(m, femur.read_sto("subject01_walk1_ik.mot"), "gait2354_RRA_Tasks.xml",
    ...               external_loads="subject01_walk1_grf.xml", constraints="gait2354_RRA_ControlConstraints.xml",
    ...               initial_time=0.75, final_time=1.25, cutoff=6, adjust_com_body="torso")
    >>> r["average_residuals"]["FY"], r["adjusted_model"].bodies[-1].com_in_body)doc");
}

}  // namespace femur::python
