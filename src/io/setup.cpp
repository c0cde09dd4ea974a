// Tool setup files: dispatch on the root element, the InverseKinematics and InverseDynamics
// tools, the input-file check and the root classifier. Scale is in setup_scale.cpp; the
// AbstractTool family (Analyze, Forward, CMC, RRA) and its analyses in setup_analyze.cpp.
#include "femur/io/setup.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "setup_reader.hpp"

namespace femur::io {
namespace fs = std::filesystem;
using detail::Node;
using detail::OsimXmlReader;

namespace detail {

// Default "./" of Tool/AbstractTool results_directory: the setup folder.
void default_results_directory(OsimXmlReader& r, Node root, FileRef& dir) {
  if (!dir.empty()) return;
  dir = r.file_ref(root, "./");
  dir.element = "results_directory";
  dir.line = 0;
}

// A file written inside results_directory (Storage::printResult(store, name, dir, ...)).
void in_results_directory(const FileRef& dir, FileRef& f) {
  if (f.empty() || fs::path(f.written).is_absolute()) return;
  std::string w = f.written;
  std::replace(w.begin(), w.end(), '\\', '/');
  f.path = (dir.path / w).lexically_normal();
}

std::vector<IkTask> read_ik_task_set(OsimXmlReader& r, Node set) {
  std::vector<IkTask> tasks;
  r.for_each_object(set, "IKTaskSet", [&](Node o) {
    IkTask t;
    t.name = o.attribute("name");
    t.line = r.line(o);
    if (o.name() == "IKMarkerTask") {
      t.kind = IkTask::Kind::marker;
    } else if (o.name() == "IKCoordinateTask") {
      t.kind = IkTask::Kind::coordinate;
    } else {
      r.warn(o, fmt::format("<{}> is not a known IK task type, ignored", o.name()));
      return;
    }
    for (Node c : r.children(o)) {
      const auto n = c.name();
      if (n == "apply") {
        r.read(c, t.apply);
      } else if (n == "weight") {
        r.read(c, t.weight);
      } else if (t.kind == IkTask::Kind::coordinate && n == "value") {
        r.read(c, t.value);
      } else if (t.kind == IkTask::Kind::coordinate && n == "value_type") {
        // IKCoordinateTask::StringToValueType (case-insensitive).
        std::string v = r.text(c);
        std::transform(v.begin(), v.end(), v.begin(), [](unsigned char ch) { return std::tolower(ch); });
        if (v == "default_value") t.value_type = IkTask::ValueType::default_value;
        else if (v == "manual_value") t.value_type = IkTask::ValueType::manual_value;
        else if (v == "from_file") t.value_type = IkTask::ValueType::from_file;
        else
          r.fail(c, fmt::format("<value_type>: expected default_value, manual_value or from_file, got '{}'",
                                r.text(c)));
      } else {
        r.unknown(c, o.name());
      }
    }
    tasks.push_back(std::move(t));
  });
  return tasks;
}

InverseKinematicsSetup read_inverse_kinematics(OsimXmlReader& r, Node root) {
  InverseKinematicsSetup s;
  s.name = root.attribute("name");
  for (Node c : r.children(root)) {
    const auto n = c.name();
    if (n == "model_file") r.read(c, s.model_file);
    else if (n == "marker_file") r.read(c, s.marker_file);
    else if (n == "coordinate_file") r.read(c, s.coordinate_file);
    else if (n == "constraint_weight") r.read(c, s.constraint_weight);
    else if (n == "accuracy") r.read(c, s.accuracy);
    else if (n == "time_range") r.read(c, s.time_range);
    else if (n == "IKTaskSet") s.tasks = read_ik_task_set(r, c);
    else if (n == "report_errors") r.read(c, s.report_errors);
    else if (n == "report_marker_locations") r.read(c, s.report_marker_locations);
    else if (n == "output_motion_file") r.read(c, s.output_motion_file);
    else if (n == "results_directory") r.read(c, s.results_directory);
    else if (n == "input_directory") r.read(c, s.input_directory);
    else if (n == "defaults") continue;  // OpenSim's per-type default objects
    else r.unknown(c, "InverseKinematicsTool");
  }
  default_results_directory(r, root, s.results_directory);
  return s;
}

InverseDynamicsSetup read_inverse_dynamics(OsimXmlReader& r, Node root) {
  InverseDynamicsSetup s;
  s.name = root.attribute("name");
  for (Node c : r.children(root)) {
    const auto n = c.name();
    if (n == "model_file") r.read(c, s.model_file);
    else if (n == "time_range") r.read(c, s.time_range);
    else if (n == "forces_to_exclude") r.read(c, s.forces_to_exclude);
    else if (n == "external_loads_file") r.read(c, s.external_loads_file);
    else if (n == "coordinates_file") r.read(c, s.coordinates_file);
    else if (n == "lowpass_cutoff_frequency_for_coordinates") r.read(c, s.lowpass_cutoff_frequency_for_coordinates);
    else if (n == "output_gen_force_file") r.read(c, s.output_gen_force_file);
    else if (n == "joints_to_report_body_forces") r.read(c, s.joints_to_report_body_forces);
    else if (n == "output_body_forces_file") r.read(c, s.output_body_forces_file);
    else if (n == "results_directory") r.read(c, s.results_directory);
    else if (n == "input_directory") r.read(c, s.input_directory);
    else if (n == "coordinates_in_degrees") r.read(c, s.coordinates_in_degrees);
    else if (n == "defaults") continue;
    else r.unknown(c, "InverseDynamicsTool");
  }
  default_results_directory(r, root, s.results_directory);
  // InverseDynamicsTool.cpp defaults, written inside results_directory.
  if (s.output_gen_force_file.empty()) {
    s.output_gen_force_file = r.file_ref(root, "inverse_dynamics.sto");
    s.output_gen_force_file.element = "output_gen_force_file";
    s.output_gen_force_file.line = 0;
  }
  if (s.output_body_forces_file.empty()) {
    s.output_body_forces_file = r.file_ref(root, "body_forces_at_joints.sto");
    s.output_body_forces_file.element = "output_body_forces_file";
    s.output_body_forces_file.line = 0;
  }
  in_results_directory(s.results_directory, s.output_gen_force_file);
  in_results_directory(s.results_directory, s.output_body_forces_file);
  return s;
}

}  // namespace detail

namespace {

template <class T>
T read_tool(OsimXmlReader& r, Node root, int version, const fs::path& file,
            T (*reader)(OsimXmlReader&, Node)) {
  T s = reader(r, root);
  s.file = file;
  s.document_version = version;
  return s;
}

}  // namespace

SetupFile read_setup(const fs::path& file, std::vector<std::string>* warnings) {
  OsimXmlReader r(file.parent_path(), warnings);
  int version = 0;
  const Node root = r.open(file, &version);
  const auto type = root.name();
  if (type == "InverseKinematicsTool") return read_tool(r, root, version, file, &detail::read_inverse_kinematics);
  if (type == "InverseDynamicsTool") return read_tool(r, root, version, file, &detail::read_inverse_dynamics);
  if (type == "ScaleTool") return read_tool(r, root, version, file, &detail::read_scale);
  if (type == "AnalyzeTool") return read_tool(r, root, version, file, &detail::read_analyze);
  if (type == "ForwardTool") return read_tool(r, root, version, file, &detail::read_forward);
  if (type == "CMCTool") return read_tool(r, root, version, file, &detail::read_cmc);
  if (type == "RRATool") return read_tool(r, root, version, file, &detail::read_rra);
  r.fail(root, fmt::format("<{}> is not a tool setup (expected ScaleTool, InverseKinematicsTool, "
                           "InverseDynamicsTool, AnalyzeTool, ForwardTool, CMCTool or RRATool)",
                           type));
}

std::string tool_name(const SetupFile& setup) {
  struct Visitor {
    std::string operator()(const ScaleSetup&) const { return "ScaleTool"; }
    std::string operator()(const InverseKinematicsSetup&) const { return "InverseKinematicsTool"; }
    std::string operator()(const InverseDynamicsSetup&) const { return "InverseDynamicsTool"; }
    std::string operator()(const AnalyzeSetup&) const { return "AnalyzeTool"; }
    std::string operator()(const ForwardSetup&) const { return "ForwardTool"; }
    std::string operator()(const CmcSetup&) const { return "CMCTool"; }
    std::string operator()(const RraSetup&) const { return "RRATool"; }
  };
  return std::visit(Visitor{}, setup);
}

// ---------------------------------------------------------------------------------------
// Input check

namespace {

class InputCheck {
 public:
  void need(const FileRef& f) {
    if (f.empty()) return;
    std::error_code ec;
    if (!fs::exists(f.path, ec)) missing(f, f.path);
    else found.push_back(f.path);
  }
  void need(const std::vector<FileRef>& fs_) {
    for (const FileRef& f : fs_) need(f);
  }
  // ExternalLoads: the file itself, then its datafile, looked up as ExternalLoads.cpp does:
  // relative to the current directory (the setup's folder), then to the loads file's folder.
  void need_external_loads(const FileRef& f, const fs::path& setup_dir) {
    if (f.empty()) return;
    std::error_code ec;
    if (!fs::exists(f.path, ec)) {
      missing(f, f.path);
      return;
    }
    found.push_back(f.path);
    detail::OsimXmlReader r(f.path.parent_path(), nullptr);
    int version = 0;
    const Node root = r.open(f.path, &version);
    if (root.name() != "ExternalLoads") {
      messages.push_back(fmt::format("{}:{}: <{}>: {} holds a <{}>, expected <ExternalLoads>", f.source,
                                     f.line, f.element, f.path.string(), root.name()));
      return;
    }
    const ExternalLoads loads = detail::read_external_loads_root(r, root);
    const FileRef& data = loads.datafile;
    if (data.empty()) return;
    const fs::path located = locate_datafile(loads, setup_dir / "setup.xml");
    if (fs::exists(located, ec)) {
      found.push_back(located);
      return;
    }
    missing(data, data.path);
  }
  void missing(const FileRef& f, const fs::path& p) {
    messages.push_back(fmt::format("{}:{}: <{}>: file not found: {}", f.source, f.line, f.element, p.string()));
  }

  std::vector<std::string> messages;
  std::vector<fs::path> found;  // the inputs that exist
};

void check_common(InputCheck& c, const AbstractToolSetup& s) {
  const fs::path dir = s.file.parent_path();
  c.need(s.model_file);
  c.need(s.force_set_files);
  c.need_external_loads(s.external_loads_file, dir);
  for (const ControllerSettings& k : s.controllers)
    if (k.enabled) c.need(k.controls_file);
  for (const AnalysisSettings& a : s.analyses) {
    if (const auto* jr = std::get_if<JointReactionSettings>(&a); jr && jr->on) c.need(jr->forces_file);
  }
}

void check_cmc(InputCheck& c, const CmcSetup& s) {
  check_common(c, s);
  c.need(s.desired_points_file);
  c.need(s.desired_kinematics_file);
  c.need(s.task_set_file);
  c.need(s.constraints_file);
  c.need(s.rra_controls_file);
}

}  // namespace

namespace {
InputCheck check_inputs(const SetupFile& setup) {
  InputCheck c;
  struct Visitor {
    InputCheck& c;
    void operator()(const ScaleSetup& s) const {
      if (s.generic_model_maker.present) {
        c.need(s.generic_model_maker.model_file);
        c.need(s.generic_model_maker.marker_set_file);
      }
      if (s.model_scaler.present && s.model_scaler.apply) c.need(s.model_scaler.marker_file);
      if (s.marker_placer.present && s.marker_placer.apply) {
        c.need(s.marker_placer.marker_file);
        c.need(s.marker_placer.coordinate_file);
      }
    }
    void operator()(const InverseKinematicsSetup& s) const {
      c.need(s.model_file);
      c.need(s.marker_file);
      c.need(s.coordinate_file);
    }
    void operator()(const InverseDynamicsSetup& s) const {
      c.need(s.model_file);
      c.need(s.coordinates_file);
      c.need_external_loads(s.external_loads_file, s.file.parent_path());
    }
    void operator()(const AnalyzeSetup& s) const {
      check_common(c, s);
      c.need(s.states_file);
      c.need(s.coordinates_file);
      c.need(s.speeds_file);
      c.need(s.controls_file);
    }
    void operator()(const ForwardSetup& s) const {
      check_common(c, s);
      c.need(s.states_file);
      c.need(s.controls_file);
    }
    void operator()(const CmcSetup& s) const { check_cmc(c, s); }
    void operator()(const RraSetup& s) const { check_cmc(c, s); }
  };
  std::visit(Visitor{c}, setup);
  return c;
}
}  // namespace

std::vector<std::string> check_inputs_exist(const SetupFile& setup) { return check_inputs(setup).messages; }

void require_inputs_exist(const SetupFile& setup) {
  const std::vector<std::string> missing = check_inputs_exist(setup);
  if (missing.empty()) return;
  std::string message = "missing input files:";
  for (const std::string& m : missing) message += "\n  " + m;
  throw std::runtime_error(message);
}

std::string setup_place(const fs::path& file, int line) {
  return line > 0 ? file.string() + ":" + std::to_string(line) + ": " : file.string() + ": ";
}

std::vector<fs::path> input_files(const SetupFile& setup) {
  std::vector<fs::path> files = check_inputs(setup).found;
  files.push_back(std::visit([](const auto& s) { return s.file; }, setup));
  return files;
}

// ---------------------------------------------------------------------------------------

OpenSimXmlRoot classify_opensim_xml(const fs::path& file) {
  OsimXmlReader r(file.parent_path(), nullptr);
  OpenSimXmlRoot out;
  const Node root = r.open(file, &out.document_version);
  out.type = std::string(root.name());
  const std::string& t = out.type;
  if (t == "ScaleTool" || t == "InverseKinematicsTool" || t == "InverseDynamicsTool" ||
      t == "AnalyzeTool" || t == "ForwardTool" || t == "CMCTool" || t == "RRATool")
    out.kind = OpenSimXmlKind::tool_setup;
  else if (t == "ExternalLoads") out.kind = OpenSimXmlKind::external_loads;
  else if (t == "ForceSet") out.kind = OpenSimXmlKind::force_set;
  else if (t == "CMC_TaskSet" || t == "rdCMC_TaskSet") out.kind = OpenSimXmlKind::cmc_task_set;
  else if (t == "ControlSet") out.kind = OpenSimXmlKind::control_set;
  else if (t == "MarkerSet") out.kind = OpenSimXmlKind::marker_set;
  else if (t == "ScaleSet") out.kind = OpenSimXmlKind::scale_set;
  else if (t == "Model") out.kind = OpenSimXmlKind::model;
  return out;
}

}  // namespace femur::io
