// femur model info FILE [--json]: what a model file contains (counts by kind, the
// coordinates with their ranges and defaults). Warnings of the reader go to stderr; a bad
// file is reported as "femur: error: file:line: message" with exit code 1 (main.cpp).
// femur model convert IN OUT: reads any .osim (1.9 to 4.x) and writes it in the 4.0 layout.
// femur model export-hip OUT: writes femur's built-in hip model (hip/hip_model.hpp) as .osim.
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cmd_options.hpp"
#include "commands.hpp"
#include "femur/hip/hip_model.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/osim_writer.hpp"
#include "femur/io/output_files.hpp"

namespace femur::cli {
namespace {

struct InfoOptions {
  std::string file;
  OutputFlags flags;
};

const char* motion_name(MotionType t) {
  switch (t) {
    case MotionType::Rotational: return "rotational";
    case MotionType::Translational: return "translational";
    case MotionType::Coupled: return "coupled";
  }
  return "?";
}

// Presentation units: degrees for rotational coordinates, metres otherwise (values inside
// femur are radians and metres).
struct Shown {
  double value, min, max;
  const char* unit;
};
Shown shown(const Coordinate& c) {
  const bool deg = c.motion_type == MotionType::Rotational;
  const double k = deg ? 180.0 / std::numbers::pi : 1.0;
  return {c.default_value * k, c.range_min * k, c.range_max * k, deg ? "deg" : "m"};
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  return fmt::format("{}", v);
}

std::string json_counts(const std::map<std::string, int>& m) {
  std::string s = "{";
  for (const auto& [k, v] : m) s += fmt::format("{}{}: {}", s.size() > 1 ? ", " : "", json_string(k), v);
  return s + "}";
}

std::string text_counts(const std::map<std::string, int>& m) {
  std::string s;
  for (const auto& [k, v] : m) s += fmt::format("{}{}: {}", s.empty() ? "" : ", ", k, v);
  return s.empty() ? "" : " (" + s + ")";
}

void run_info(const InfoOptions& opt) {
  std::vector<std::string> warnings;
  io::OsimInfo info;
  const Model model = io::read_osim(opt.file, &warnings, &info);
  print_warnings(warnings, opt.flags);

  std::map<std::string, int> joints, constraints, forces, not_simulated, wraps, contact, controllers;
  for (const auto& j : model.joints) ++joints[joint_type_name(j.type)];
  if (!model.couplers.empty()) constraints["CoordinateCouplerConstraint"] = static_cast<int>(model.couplers.size());
  for (const auto& c : model.other_constraints) ++constraints[c.type];
  for (const auto& f : model.forces) {
    ++forces[f.type];
    if (!is_simulated(f)) ++not_simulated[f.type];
  }
  int n_not_simulated = 0;
  for (const auto& [type, n] : not_simulated) n_not_simulated += n;
  for (const auto& w : model.wrap_objects) ++wraps[wrap_kind_name(w.kind)];
  for (const auto& g : model.contact_geometry) ++contact[g.type];
  for (const auto& c : model.controllers) ++controllers[c.type];
  const int n_bodies = static_cast<int>(model.bodies.size()) - 1;  // without ground
  const int n_constraints = static_cast<int>(model.couplers.size() + model.other_constraints.size());

  if (opt.flags.json) {
    std::string s = "{\n";
    s += fmt::format("  \"name\": {},\n  \"file\": {},\n  \"version\": {},\n", json_string(model.name),
                     json_string(opt.file), info.version);
    s += fmt::format("  \"credits\": {},\n  \"publications\": {},\n", json_string(model.credits),
                     json_string(model.publications));
    s += fmt::format("  \"ground\": {},\n  \"gravity\": [{}, {}, {}],\n", json_string(model.bodies[0].name),
                     json_number(model.gravity.x()), json_number(model.gravity.y()), json_number(model.gravity.z()));
    s += fmt::format("  \"bodies\": {},\n", n_bodies);
    s += fmt::format("  \"joints\": {{\"count\": {}, \"by_type\": {}}},\n", model.joints.size(), json_counts(joints));
    s += fmt::format("  \"constraints\": {{\"count\": {}, \"by_type\": {}}},\n", n_constraints, json_counts(constraints));
    s += fmt::format("  \"markers\": {},\n", model.markers.size());
    s += fmt::format("  \"forces\": {{\"count\": {}, \"by_type\": {}, \"list\": [", model.forces.size(),
                     json_counts(forces));
    for (std::size_t i = 0; i < model.forces.size(); ++i) {
      const ForceElement& f = model.forces[i];
      s += fmt::format("{}\n    {{\"name\": {}, \"type\": {}, \"class\": {}, \"applies_force\": {}, \"simulated\": {}, "
                       "\"path\": {}}}",
                       i ? "," : "", json_string(f.name), json_string(f.type), json_string(force_class_name(f)),
                       f.applies_force, is_simulated(f), f.geometry_path() ? "\"GeometryPath\"" : "null");
    }
    s += model.forces.empty() ? "]},\n" : "\n  ]},\n";
    s += fmt::format("  \"wrap_objects\": {{\"count\": {}, \"by_type\": {}}},\n", model.wrap_objects.size(),
                     json_counts(wraps));
    s += fmt::format("  \"contact_geometry\": {{\"count\": {}, \"by_type\": {}}},\n", model.contact_geometry.size(),
                     json_counts(contact));
    s += fmt::format("  \"controllers\": {{\"count\": {}, \"by_type\": {}}},\n", model.controllers.size(),
                     json_counts(controllers));
    s += "  \"coordinates\": [";
    for (std::size_t i = 0; i < model.coordinates.size(); ++i) {
      const Coordinate& c = model.coordinates[i];
      const Shown v = shown(c);
      s += fmt::format(
          "{}\n    {{\"name\": {}, \"joint\": {}, \"motion_type\": \"{}\", \"default\": {}, \"range\": [{}, {}], "
          "\"unit\": \"{}\", \"clamped\": {}, \"locked\": {}}}",
          i ? "," : "", json_string(c.name),
          json_string(c.joint >= 0 ? model.joints[c.joint].name : std::string()), motion_name(c.motion_type),
          json_number(v.value), json_number(v.min), json_number(v.max), v.unit, c.clamped, c.locked);
    }
    s += model.coordinates.empty() ? "],\n" : "\n  ],\n";
    s += "  \"warnings\": [";
    for (std::size_t i = 0; i < warnings.size(); ++i) s += (i ? ", " : "") + json_string(warnings[i]);
    s += "]\n}\n";
    std::fputs(s.c_str(), stdout);
    return;
  }

  std::string s;
  s += fmt::format("model:        {}\n", model.name.empty() ? "(unnamed)" : model.name);
  s += fmt::format("file:         {} (OpenSim document version {})\n", opt.file, info.version);
  if (!model.credits.empty()) {
    // The first sentence or 100 characters; --json has the whole text.
    std::string c = model.credits.substr(0, std::min(model.credits.find(". "), std::size_t{100}));
    s += fmt::format("credits:      {}{}\n", c, c.size() < model.credits.size() ? " ..." : "");
  }
  s += fmt::format("gravity:      {} {} {} m/s^2\n", model.gravity.x(), model.gravity.y(), model.gravity.z());
  s += fmt::format("bodies:       {} (+ ground '{}')\n", n_bodies, model.bodies[0].name);
  s += fmt::format("joints:       {}{}\n", model.joints.size(), text_counts(joints));
  s += fmt::format("coordinates:  {}\n", model.coordinates.size());
  s += fmt::format("constraints:  {}{}\n", n_constraints, text_counts(constraints));
  s += fmt::format("markers:      {}\n", model.markers.size());
  s += fmt::format("forces:       {}{}\n", model.forces.size(), text_counts(forces));
  if (n_not_simulated > 0)
    s += fmt::format("  not simulated by femur: {}{}\n", n_not_simulated, text_counts(not_simulated));
  s += fmt::format("wrap objects: {}{}\n", model.wrap_objects.size(), text_counts(wraps));
  if (!model.contact_geometry.empty())
    s += fmt::format("contact:      {}{}\n", model.contact_geometry.size(), text_counts(contact));
  if (!model.controllers.empty())
    s += fmt::format("controllers:  {}{}\n", model.controllers.size(), text_counts(controllers));
  if (!model.coordinates.empty()) {
    std::size_t w = 10;
    for (const auto& c : model.coordinates) w = std::max(w, c.name.size());
    s += fmt::format("\n{:<{}}  {:<13}  {:>9}  {:>21}  {:<4} {}\n", "coordinate", w, "motion", "default", "range",
                     "unit", "flags");
    for (const auto& c : model.coordinates) {
      const Shown v = shown(c);
      std::string flags;
      if (c.clamped) flags += "clamped ";
      if (c.locked) flags += "locked ";
      if (c.prescribed) flags += "prescribed ";
      s += fmt::format("{:<{}}  {:<13}  {:>9.3f}  [{:>9.3f}, {:>9.3f}]  {:<4} {}\n", c.name, w,
                       motion_name(c.motion_type), v.value, v.min, v.max, v.unit, flags);
    }
  }
  std::fputs(s.c_str(), stdout);
}

struct ConvertOptions {
  std::string input, output;
  OutputFlags flags;
};

void run_convert(const ConvertOptions& opt) {
  io::OutputFiles outputs({opt.input});
  outputs.claim(opt.output);  // never over the model read
  std::vector<std::string> warnings;
  const Model model = io::read_osim(opt.input, &warnings);
  outputs.stage(opt.output, io::format_osim(model));
  const auto written = outputs.commit();
  print_warnings(warnings, opt.flags);
  print_summary(opt.flags, "model convert", written, 0, 0.0, warnings,
                fmt::format("model convert: {} bodies, {} joints, {} forces written in the OpenSim 4.0 format",
                            model.bodies.size() - 1, model.joints.size(), model.forces.size()));
}

}  // namespace

void register_model_command(CLI::App& app) {
  auto* model = app.add_subcommand("model", "Inspect a model file");
  model->require_subcommand(1);

  auto opt = std::make_shared<InfoOptions>();
  auto* info = model->add_subcommand(
      "info", "Summarize an OpenSim model (.osim): counts of bodies, joints, coordinates, constraints, "
              "markers, forces and wrap objects, and each coordinate's range and default");
  info->add_option("FILE", opt->file, "OpenSim model file (.osim, format 1.9 to 4.x)")
      ->required();
  add_output_flags(*info, opt->flags);
  info->footer(
      "Rotational coordinates are shown in degrees, translational ones in metres.\n"
      "Reader warnings go to stderr; a bad file exits with code 1 and \"femur: error: file:line: message\".\n\n"
      "Example:\n"
      "  femur model info arm26.osim\n"
      "  femur model info arm26.osim --json");
  info->callback([opt] { run_info(*opt); });

  auto conv = std::make_shared<ConvertOptions>();
  auto* convert = model->add_subcommand(
      "convert", "Read an OpenSim model (.osim, format 1.9 to 4.x) and write it in the OpenSim 4.0 format");
  convert->add_option("IN", conv->input, "OpenSim model file to read")->required();
  convert->add_option("OUT", conv->output, "OpenSim 4.0 model file to write (its folder is created)")
      ->required();
  convert->footer(
      "What femur's model holds is written: bodies, joints with their frames and coordinates,\n"
      "coupler constraints, markers, forces with their paths, wrap objects. Display geometry and\n"
      "other constraints are not. The output appears only when complete.\n\n"
      "Example:\n"
      "  femur model convert arm26.osim arm26_v4.osim");
  add_output_flags(*convert, conv->flags);
  convert->callback([conv] { run_convert(*conv); });

  struct ExportOptions {
    std::string out;
    OutputFlags flags;
  };
  auto exported = std::make_shared<ExportOptions>();
  auto* export_hip = model->add_subcommand(
      "export-hip", "Write femur's built-in hip, pelvis and low-back model as an OpenSim 4.0 model file");
  export_hip->add_option("OUT", exported->out, "OpenSim model file to write (its folder is created)")->required();
  add_output_flags(*export_hip, exported->flags);
  export_hip->footer(
      "The same model as models/femur_hip.osim: pelvis, L5/S1 lumbar joint and torso, two legs, 98\n"
      "DeGrooteFregly2016 muscles (sources in models/README.md). The output appears only when complete.\n\n"
      "Example:\n"
      "  femur model export-hip femur_hip.osim");
  export_hip->callback([exported] {
    io::OutputFiles outputs;
    const Model model = hip::build_hip_model();
    outputs.stage(exported->out, io::format_osim(model));
    print_summary(exported->flags, "model export-hip", outputs.commit(), 0, 0.0, {},
                  fmt::format("model export-hip: {} ({} muscles)", model.name, model.forces.size()));
  });
}

}  // namespace femur::cli
