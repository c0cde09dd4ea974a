// ExternalLoads files. Properties and defaults: OpenSim/Simulation/Model/ExternalLoads.cpp
// (datafile; external_loads_model_kinematics_file and its cutoff, dropped in 4.2),
// ExternalForce.cpp (force/point expressed in "ground" by default; a force needs a force or a
// torque identifier) and, for OpenSim 2.x files, PrescribedForce.cpp.
#include "femur/io/external_loads.hpp"

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "setup_reader.hpp"

namespace femur::io {
namespace detail {
namespace {

void read_applies_force(OsimXmlReader& r, Node c, bool& applies) {
  if (c.name() == "appliesForce") {
    r.read(c, applies);
  } else {  // isDisabled, before OpenSim 4.0
    bool disabled = !applies;
    r.read(c, disabled);
    applies = !disabled;
  }
}

ExternalForce read_external_force(OsimXmlReader& r, Node o) {
  ExternalForce f;
  f.name = o.attribute("name");
  f.line = r.line(o);
  for (Node c : r.children(o)) {
    const auto k = c.name();
    if (k == "appliesForce" || k == "isDisabled") read_applies_force(r, c, f.applies_force);
    else if (k == "applied_to_body") r.read(c, f.applied_to_body);
    else if (k == "force_expressed_in_body") r.read(c, f.force_expressed_in_body);
    else if (k == "point_expressed_in_body") r.read(c, f.point_expressed_in_body);
    else if (k == "force_identifier") r.read(c, f.force_identifier);
    else if (k == "point_identifier") r.read(c, f.point_identifier);
    else if (k == "torque_identifier") r.read(c, f.torque_identifier);
    else if (k == "data_source_name") r.read(c, f.data_source_name);
    else r.unknown(c, "ExternalForce");
  }
  // ExternalForce::extendFinalizeFromProperties
  if (f.force_identifier.empty() && f.torque_identifier.empty())
    r.fail(o, fmt::format("<ExternalForce> '{}': no force or torque identified", f.name));
  if (f.applied_to_body.empty())
    r.fail(o, fmt::format("<ExternalForce> '{}': <applied_to_body> is empty", f.name));
  return f;
}

PrescribedFunction read_function(OsimXmlReader& r, Node o) {
  PrescribedFunction fn;
  fn.type = std::string(o.name());
  fn.name = o.attribute("name");
  if (fn.type == "Constant") {
    for (Node c : r.children(o))
      if (c.name() == "value") r.read(c, fn.value);
    return fn;
  }
  bool has_samples = false;
  for (Node c : r.children(o)) {
    if (c.name() == "x") {
      r.read(c, fn.x);
      has_samples = true;
    } else if (c.name() == "y") {
      r.read(c, fn.y);
    }
  }
  if (!has_samples) r.warn(o, fmt::format("function <{}> '{}' has no <x> samples, kept empty", fn.type, fn.name));
  if (fn.x.size() != fn.y.size())
    r.fail(o, fmt::format("<{}> '{}': <x> has {} values, <y> has {}", fn.type, fn.name, fn.x.size(), fn.y.size()));
  return fn;
}

std::vector<PrescribedFunction> read_function_set(OsimXmlReader& r, Node set) {
  std::vector<PrescribedFunction> out;
  r.for_each_object(set, "FunctionSet", [&](Node o) { out.push_back(read_function(r, o)); });
  return out;
}

PrescribedForce read_prescribed_force(OsimXmlReader& r, Node o) {
  PrescribedForce f;
  f.name = o.attribute("name");
  f.line = r.line(o);
  for (Node c : r.children(o)) {
    const auto k = c.name();
    if (k == "appliesForce" || k == "isDisabled") {
      read_applies_force(r, c, f.applies_force);
    } else if (k == "body") {
      r.read(c, f.body);
    } else if (k == "socket_frame" || k == "frame") {  // 4.x: a path to the frame
      std::string path;
      r.read(c, path);
      f.body = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
    } else if (k == "pointIsGlobal") {
      r.read(c, f.point_is_global);
    } else if (k == "forceIsGlobal") {
      r.read(c, f.force_is_global);
    } else if (k == "FunctionSet" || k == "forceFunctions" || k == "pointFunctions" || k == "torqueFunctions") {
      // 2.x writes <FunctionSet name="forceFunctions">; a named property element also works.
      const std::string which = k == "FunctionSet" ? c.attribute("name") : std::string(k);
      auto fns = read_function_set(r, c);
      if (which == "forceFunctions") f.force_functions = std::move(fns);
      else if (which == "pointFunctions") f.point_functions = std::move(fns);
      else if (which == "torqueFunctions") f.torque_functions = std::move(fns);
      else r.warn(c, fmt::format("<FunctionSet> '{}' is not a property of PrescribedForce, ignored", which));
    } else {
      r.unknown(c, "PrescribedForce");
    }
  }
  for (const auto* set : {&f.force_functions, &f.point_functions, &f.torque_functions})
    if (!set->empty() && set->size() != 3)
      r.fail(o, fmt::format("<PrescribedForce> '{}': a function set holds {} functions, expected 3", f.name,
                            set->size()));
  return f;
}

}  // namespace

ExternalLoads read_external_loads_root(OsimXmlReader& r, Node root) {
  ExternalLoads loads;
  loads.name = root.attribute("name");
  for (Node c : r.children(root)) {
    const auto k = c.name();
    if (k == "objects") {
      for (Node o0 : r.children(c)) {
        const Node o = r.object(o0);
        if (o.name() == "ExternalForce") loads.forces.push_back(read_external_force(r, o));
        else if (o.name() == "PrescribedForce") loads.prescribed_forces.push_back(read_prescribed_force(r, o));
        else r.warn(o, fmt::format("<{}> is not a load femur reads from an ExternalLoads file, ignored", o.name()));
      }
    } else if (k == "groups" || k == "defaults") {
      continue;
    } else if (k == "datafile") {
      r.read(c, loads.datafile);
    } else if (k == "external_loads_model_kinematics_file") {
      r.read(c, loads.external_loads_model_kinematics_file);
    } else if (k == "lowpass_cutoff_frequency_for_load_kinematics") {
      r.read(c, loads.lowpass_cutoff_frequency_for_load_kinematics);
    } else {
      r.unknown(c, "ExternalLoads");
    }
  }
  return loads;
}

}  // namespace detail

ExternalLoads read_external_loads(const std::filesystem::path& file, std::vector<std::string>* warnings) {
  // The datafile is looked up beside the ExternalLoads file (ExternalLoads::extendConnectToModel
  // falls back to the document's folder).
  detail::OsimXmlReader r(file.parent_path(), warnings);
  int version = 0;
  const detail::Node root = r.open(file, &version);
  if (root.name() != "ExternalLoads")
    r.fail(root, fmt::format("<{}> is not an ExternalLoads object", root.name()));
  ExternalLoads loads = detail::read_external_loads_root(r, root);
  loads.file = file;
  loads.document_version = version;
  return loads;
}

std::filesystem::path locate_datafile(const ExternalLoads& loads, const std::filesystem::path& setup_file) {
  const std::filesystem::path beside_setup = detail::resolve_path(setup_file.parent_path(), loads.datafile.written);
  std::error_code ec;
  if (std::filesystem::exists(beside_setup, ec)) return beside_setup;
  return loads.datafile.path;
}

}  // namespace femur::io
