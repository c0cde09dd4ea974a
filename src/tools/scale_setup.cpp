// ScaleTool setup -> compute_scale_factors, scale_model, place_markers: what ScaleTool::run
// does with its three parts (OpenSim/Tools/ScaleTool.cpp, GenericModelMaker.cpp,
// ModelScaler.cpp, MarkerPlacer.cpp), with every name of the setup checked against the model
// and the marker files before anything is computed, and every file written at the end.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "femur/io/atomic_file.hpp"
#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/osim_writer.hpp"
#include "femur/io/table.hpp"
#include "femur/io/xml_util.hpp"
#include "femur/tools/input_checks.hpp"
#include "femur/tools/scale.hpp"

namespace femur::tools {

namespace fs = std::filesystem;

namespace {

std::string label(const io::ScaleSetup& setup) { return setup.file.string(); }

// The last segment of a frame path ("/bodyset/torso" -> "torso", "../torso" -> "torso").
std::string path_leaf(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A MarkerSet file (GenericModelMaker marker_set_file): <Marker> elements with `body` (before
// 4.0) or `socket_parent_frame` naming a body, `location`, `fixed`. Model::updateMarkerSet: a
// marker of the same name is replaced, the new ones are appended in file order.
void update_marker_set(Model& model, const fs::path& file) {
  const io::XmlDocument doc = io::XmlDocument::load_file(file);
  pugi::xml_node set = doc.root();
  if (std::string_view(set.name()) == "OpenSimDocument") set = set.child("MarkerSet");
  if (!set || std::string_view(set.name()) != "MarkerSet") doc.fail(doc.root(), "expected a <MarkerSet>");
  pugi::xml_node objects = set.child("objects") ? set.child("objects") : set;
  for (pugi::xml_node m : objects.children()) {
    if (m.type() != pugi::node_element) continue;
    if (std::string_view(m.name()) != "Marker") doc.fail(m, fmt::format("<{}> is not a Marker", m.name()));
    Marker marker;
    marker.name = m.attribute("name").value();
    std::string frame = doc.child_text(m, "socket_parent_frame");
    if (frame.empty()) frame = doc.child_text(m, "body");
    const std::string body = path_leaf(frame);
    marker.body = model.body_index(body);
    if (marker.body < 0)
      doc.fail(m, fmt::format("marker '{}': model {} has no body '{}'", marker.name, model.name, frame));
    marker.location_in_body = doc.child_vec3(m, "location", Vec3::Zero());
    marker.fixed = doc.child_bool(m, "fixed", false);
    std::erase_if(model.markers, [&](const Marker& old) { return old.name == marker.name; });
    model.markers.push_back(std::move(marker));
  }
}

// `metres_per_unit` (optional) receives the factor from the file's units to metres.
io::MarkerTable read_markers_in_metres(const io::FileRef& ref, std::vector<std::string>& warnings,
                                       double* metres_per_unit = nullptr) {
  io::MarkerTable t = io::read_trc(ref.path);
  if (std::string w = marker_units_warning(t, ref.path.string()); !w.empty()) warnings.push_back(w);
  if (metres_per_unit) *metres_per_unit = t.units == "mm" ? 1e-3 : t.units == "cm" ? 1e-2 : 1.0;
  try {
    t.convert_to_metres();
  } catch (const std::invalid_argument& e) {
    throw io::ParseError(ref.path.string(), 3, e.what());
  }
  return t;
}

// The MarkerSet file MarkerPlacer's output_marker_file asks for (Model::writeMarkerFile).
std::string format_marker_set(const Model& model) {
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<OpenSimDocument Version=\"40600\">\n"
                  "\t<MarkerSet name=\"markerset\">\n\t\t<objects>\n";
  for (const Marker& m : model.markers) {
    const Vec3& p = m.location_in_body;
    s += fmt::format("\t\t\t<Marker name=\"{}\">\n\t\t\t\t<socket_parent_frame>/bodyset/{}</socket_parent_frame>\n"
                     "\t\t\t\t<location>{} {} {}</location>\n\t\t\t\t<fixed>{}</fixed>\n\t\t\t</Marker>\n",
                     m.name, model.bodies[m.body].name, p[0], p[1], p[2], m.fixed ? "true" : "false");
  }
  s += "\t\t</objects>\n\t\t<groups />\n\t</MarkerSet>\n</OpenSimDocument>\n";
  return s;
}

}  // namespace

// The scaler's options, each name checked against the model and the marker file; unknown
// ones are setup errors at their line (OpenSim warns and skips the measurement instead).
ScaleFactorOptions scale_factor_options(const io::ScaleSetup& setup, const Model& model,
                                        const io::MarkerTable* markers, std::vector<std::string>* warnings) {
  const io::ModelScaler& ms = setup.model_scaler;
  ScaleFactorOptions o;
  o.start_time = ms.time_range[0];
  o.end_time = ms.time_range[1];
  bool measure = false;
  for (const std::string& step : ms.scaling_order) {
    o.order.push_back(step == "manualScale" ? ScalingStep::manual_scale : ScalingStep::measurements);
    measure = measure || step == "measurements";
  }
  const std::string model_name = model.name;
  for (const io::Measurement& m : ms.measurements) {
    if (!m.apply) continue;
    ScaleMeasurement sm;
    sm.name = m.name;
    for (const io::MarkerPair& p : m.marker_pairs) {
      for (const std::string& name : {p.marker1, p.marker2}) {
        if (model.marker_index(name) < 0)
          throw io::ParseError(label(setup), p.line,
                               fmt::format("Measurement '{}': MarkerPair names marker '{}', which model {} does not have",
                                           m.name, name, model_name));
        if (measure && markers && markers->marker(name) < 0)
          throw io::ParseError(label(setup), p.line,
                               fmt::format("Measurement '{}': MarkerPair names marker '{}', which is not in {}", m.name,
                                           name, ms.marker_file.path.filename().string()));
      }
      sm.marker_pairs.push_back({p.marker1, p.marker2});
    }
    // A BodyScale naming a body the model lacks does nothing in OpenSim (Measurement::
    // applyScaleFactor finds no Scale of that name) and the shipped gait setups rely on it
    // (patella_r/l in the 'thigh' measurement; the gait models have no patella bodies): a
    // warning. A measurement none of whose BodyScales names a body scales nothing: an error.
    const io::BodyScale* unknown = nullptr;
    int known = 0;
    for (const io::BodyScale& bs : m.body_scales) {
      if (model.body_index(bs.body) < 0) {
        if (!unknown) unknown = &bs;
        if (warnings)
          warnings->push_back(fmt::format("{}:{}: Measurement '{}': BodyScale names body '{}', which model {} does "
                                          "not have; ignored, as OpenSim does",
                                          label(setup), bs.line, m.name, bs.body, model_name));
        continue;
      }
      ++known;
      ScaleMeasurement::BodyAxes axes;
      axes.body = bs.body;
      for (const std::string& a : bs.axes) axes.axes[(a[0] == 'X' || a[0] == 'x') ? 0 : (a[0] == 'Y' || a[0] == 'y') ? 1 : 2] = true;
      sm.bodies.push_back(std::move(axes));
    }
    if (known == 0 && unknown)
      throw io::ParseError(label(setup), unknown->line,
                           fmt::format("Measurement '{}': BodyScale names body '{}', which model {} does not have "
                                       "(no body of this measurement is in the model)",
                                       m.name, unknown->body, model_name));
    o.measurements.push_back(std::move(sm));
  }
  for (const io::ManualScale& s : ms.scale_set) {
    if (!s.apply) continue;
    if (model.body_index(s.segment) < 0)
      throw io::ParseError(label(setup), s.line,
                           fmt::format("Scale: segment '{}' is not a body of model {}", s.segment, model_name));
    o.manual_scales.push_back({s.segment, Vec3(s.scales[0], s.scales[1], s.scales[2])});
  }
  return o;
}

namespace {

// The MarkerPlacer's IKTaskSet through the IK tool's own adapter (same task rules, same
// messages, lines of this setup).
IkOptions placer_ik_options(const io::ScaleSetup& setup, const Model& model) {
  io::InverseKinematicsSetup ik;
  ik.name = setup.name;
  ik.file = setup.file;
  ik.tasks = setup.marker_placer.tasks;
  ik.coordinate_file = setup.marker_placer.coordinate_file;
  return ik_options_from_setup(ik, model);
}

}  // namespace

Model generic_model(const io::ScaleSetup& setup) {
  const io::GenericModelMaker& gm = setup.generic_model_maker;
  if (!gm.present || gm.model_file.empty())
    throw io::ParseError(label(setup), 0, "ScaleTool: no GenericModelMaker <model_file> given");
  Model model = io::read_osim(gm.model_file.path);
  if (!gm.marker_set_file.empty()) update_marker_set(model, gm.marker_set_file.path);
  if (!setup.name.empty()) model.name = setup.name;  // ScaleTool::createModel renames it
  return model;
}

RunReport run_scale_setup(const io::ScaleSetup& setup, const RunOptions& run) {
  const io::ModelScaler& ms = setup.model_scaler;
  const io::MarkerPlacer& mp = setup.marker_placer;
  const bool scaling = ms.present && ms.apply;
  const bool placing = mp.present && mp.apply;

  // ---- The outputs, claimed before any work so that none overwrites an input. The
  // scaler's model is not written when the placer writes the same file (OpenSim writes it
  // twice, the placer's last).
  io::OutputFiles outputs(io::input_files(io::SetupFile(setup)));
  auto target = [&](const io::FileRef& ref) {
    if (ref.empty()) return fs::path();
    return run.output_directory.empty() ? ref.path : run.output_directory / ref.path.filename();
  };
  fs::path scaled_model_out = scaling ? target(ms.output_model_file) : fs::path();
  const fs::path scale_set_out = scaling ? target(ms.output_scale_file) : fs::path();
  const fs::path placed_model_out = placing ? target(mp.output_model_file) : fs::path();
  const fs::path marker_set_out = placing ? target(mp.output_marker_file) : fs::path();
  const fs::path pose_out = placing ? target(mp.output_motion_file) : fs::path();
  if (!scaled_model_out.empty() && scaled_model_out == placed_model_out) scaled_model_out.clear();
  auto claim = [&](const fs::path& p, const io::FileRef& ref) {
    if (!p.empty()) outputs.claim(p, ref.place(setup.file) + "<" + ref.element + "> ");
  };
  claim(scaled_model_out, ms.output_model_file);
  claim(scale_set_out, ms.output_scale_file);
  claim(placed_model_out, mp.output_model_file);
  claim(marker_set_out, mp.output_marker_file);
  claim(pose_out, mp.output_motion_file);

  // ---- GenericModelMaker: the model and its marker set.
  const Model model = generic_model(setup);

  std::vector<std::string> warnings;

  // ---- Check every step against the files before computing anything.
  std::optional<io::MarkerTable> scale_markers, static_markers;
  double static_unit = 1.0;
  ScaleFactorOptions factor_options;
  if (scaling) {
    const bool measure = std::find(ms.scaling_order.begin(), ms.scaling_order.end(), "measurements") !=
                         ms.scaling_order.end();
    const bool any = std::any_of(ms.measurements.begin(), ms.measurements.end(),
                                 [](const io::Measurement& m) { return m.apply; });
    if (measure && any) {
      if (ms.marker_file.empty())
        throw io::ParseError(label(setup), 0, "ModelScaler: <marker_file> not set but measurements are used");
      scale_markers = read_markers_in_metres(ms.marker_file, warnings);
    }
    factor_options = scale_factor_options(setup, model, scale_markers ? &*scale_markers : nullptr, &warnings);
  }
  if (placing) {
    if (mp.marker_file.empty()) throw io::ParseError(label(setup), 0, "MarkerPlacer: no <marker_file> given");
    static_markers = read_markers_in_metres(mp.marker_file, warnings, &static_unit);
    (void)placer_ik_options(setup, model);  // unknown tasks fail here, before any work
  }

  // ---- Compute: scale, then place markers on the scaled model.
  const auto start = std::chrono::steady_clock::now();
  ScaledModel scaled{model, {}};
  std::vector<Vec3> factors(model.bodies.size(), Vec3::Ones());
  if (scaling) {
    factors = compute_scale_factors(model, scale_markers ? &*scale_markers : nullptr, factor_options).body;
    scaled = scale_model(model, factors, {ms.preserve_mass_distribution, setup.mass});
  }
  std::optional<MarkerPlacement> placed;
  if (placing) {
    MarkerPlacerOptions o;
    o.ik = placer_ik_options(setup, scaled.model);  // default_value tasks: the scaled model's defaults
    o.ik.threads = 1;
    o.start_time = mp.time_range[0];
    o.end_time = mp.time_range[1];
    // max_marker_movement is in the marker file's units (MarkerData before convertToUnits).
    o.max_marker_movement = mp.max_marker_movement * static_unit;
    try {
      placed = place_markers(scaled.model, *static_markers, o);
    } catch (const std::invalid_argument& e) {  // the static trial cannot be used: name it
      std::string message = e.what();
      if (message.rfind("place_markers: ", 0) == 0) message.erase(0, 15);
      throw std::runtime_error(mp.marker_file.path.string() + ": MarkerPlacer: " + message);
    }
    for (const std::string& w : placed->warnings) warnings.push_back("MarkerPlacer: " + w);
  }
  RunReport report;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.frames = 1;

  // ---- Write: every file staged, then all renamed into place together.
  if (!scaled_model_out.empty()) outputs.stage(scaled_model_out, io::format_osim(scaled.model));
  if (!scale_set_out.empty()) outputs.stage(scale_set_out, format_scale_set(scaled.model, factors));
  if (placed) {
    if (!placed_model_out.empty()) outputs.stage(placed_model_out, io::format_osim(placed->model));
    if (!marker_set_out.empty()) outputs.stage(marker_set_out, format_marker_set(placed->model));
    if (!pose_out.empty()) outputs.stage_sto(pose_out, static_pose_table(placed->model, *placed));
  }
  report.files_written = outputs.commit();
  report.warnings = std::move(warnings);
  return report;
}

}  // namespace femur::tools
