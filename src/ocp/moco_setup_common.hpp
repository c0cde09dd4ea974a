// What the .omoco readers (moco_inverse_setup.cpp, moco_track_setup.cpp) share: the study's
// root element, paths taken from the setup's folder as OpenSim resolves them, the
// ModelProcessor and TableProcessor objects (OpenSim/Actuators/ModelProcessor.h,
// OpenSim/Simulation/TableProcessor.h), MocoTool's time properties (OpenSim/Moco/MocoTool.h)
// and the report of a failed solve.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "femur/io/table.hpp"
#include "femur/io/xml_util.hpp"

namespace femur::ocp::detail {

// The study element: the first element inside <OpenSimDocument>, or the document's root.
inline pugi::xml_node moco_root_object(const io::XmlDocument& doc) {
  pugi::xml_node root = doc.root();
  if (std::string_view(root.name()) == "OpenSimDocument") root = root.first_child();
  while (root && root.type() != pugi::node_element) root = root.next_sibling();
  return root;
}

// The study element, which must be <tool> (an error at its line otherwise).
inline pugi::xml_node moco_study_element(const io::XmlDocument& doc, std::string_view tool) {
  const pugi::xml_node root = moco_root_object(doc);
  if (std::string_view(root.name()) != tool) doc.fail(root, "not a <" + std::string(tool) + "> setup");
  return root;
}

// The study's name attribute, or the tool's name when it has none (the NAME of NAME_solution.sto).
inline std::string moco_study_name_of(pugi::xml_node study) {
  const std::string name = study.attribute("name").as_string();
  return name.empty() ? std::string(study.name()) : name;
}

inline std::filesystem::path relative_to(const std::filesystem::path& setup, const std::string& path) {
  const std::filesystem::path p(path);
  return p.is_absolute() ? p : setup.parent_path() / p;
}

// An object property written <Type name="property"> (OpenSim 4) or wrapped <property><Type>:
// the <Type> element (an error at the wrapper's line when it holds none).
inline pugi::xml_node object_of(const io::XmlDocument& doc, pugi::xml_node c, std::string_view type) {
  if (std::string_view(c.name()) == type) return c;
  const pugi::xml_node p = c.child(std::string(type).c_str());
  if (!p) doc.fail(c, "<" + std::string(c.name()) + "> holds no <" + std::string(type) + ">");
  return p;
}

// A <ModelProcessor>: its filepath (relative to the setup's folder) into `model_file`, each
// element of <operators> to `on_operator(op)`, which fails on what it does not apply; any other
// property is an error at its line.
template <class OnOperator>
void read_model_processor(const io::XmlDocument& doc, pugi::xml_node processor, const std::filesystem::path& setup,
                          std::filesystem::path& model_file, OnOperator on_operator) {
  for (pugi::xml_node c : processor.children()) {
    if (c.type() != pugi::node_element) continue;
    const std::string_view n = c.name();
    if (n == "filepath") {
      model_file = relative_to(setup, io::XmlDocument::text(c));
    } else if (n == "operators") {
      for (pugi::xml_node op : c.children())
        if (op.type() == pugi::node_element) on_operator(op);
    } else {
      doc.fail(c, "<ModelProcessor> property <" + std::string(n) + "> is not supported by femur yet");
    }
  }
}

// A <TableProcessor>: its filepath (relative to the setup's folder; an empty one leaves `file`
// empty) and TabOpLowPassFilter's cutoff into `cutoff_hz`. TabOpUseAbsoluteStateNames is
// accepted (femur matches both label forms); any other operator or property is an error at its
// line.
inline void read_table_processor(const io::XmlDocument& doc, pugi::xml_node processor,
                                 const std::filesystem::path& setup, std::filesystem::path& file, double& cutoff_hz) {
  for (pugi::xml_node c : processor.children()) {
    if (c.type() != pugi::node_element) continue;
    const std::string_view n = c.name();
    if (n == "filepath") {
      const std::string text = io::XmlDocument::text(c);
      if (!text.empty()) file = relative_to(setup, text);
    } else if (n == "operators") {
      for (pugi::xml_node op : c.children()) {
        if (op.type() != pugi::node_element) continue;
        const std::string_view o = op.name();
        if (o == "TabOpLowPassFilter")
          cutoff_hz = doc.number(op.child("cutoff_frequency"));
        else if (o != "TabOpUseAbsoluteStateNames")
          doc.fail(op, "table operator <" + std::string(o) + "> is not supported by femur yet");
      }
    } else {
      doc.fail(c, "<TableProcessor> property <" + std::string(n) + "> is not supported by femur yet");
    }
  }
}

// MocoTool's time properties (initial_time, final_time, mesh_interval, clip_time_range) into the
// setup's fields of the same names; false when `c` is none of them.
template <class Setup>
bool read_moco_tool_time(const io::XmlDocument& doc, pugi::xml_node c, Setup& s) {
  const std::string_view n = c.name();
  const std::string text = io::XmlDocument::text(c);
  if (n == "initial_time") {
    if (!text.empty()) s.initial_time = doc.number(c);
  } else if (n == "final_time") {
    if (!text.empty()) s.final_time = doc.number(c);
  } else if (n == "mesh_interval") {
    s.mesh_interval = doc.number(c);
    if (!(s.mesh_interval > 0.0)) doc.fail(c, "<mesh_interval> must be positive");
  } else if (n == "clip_time_range") {
    s.clip_time_range = doc.boolean(c);
  } else {
    return false;
  }
  return true;
}

// MocoTool::updateTimeInfo: the data's range unless given; clip_time_range shortens it by 1 ms
// at each end.
template <class Setup>
std::pair<double, double> moco_time_range(const Setup& s, const io::Table& data) {
  std::pair<double, double> t{s.initial_time.value_or(data.time[0]), s.final_time.value_or(data.time[data.rows() - 1])};
  if (s.clip_time_range) t.first += 1e-3, t.second -= 1e-3;
  return t;
}

// The error of a solve that did not converge: IPOPT's status and the most violated constraint.
template <class Solution>
std::runtime_error moco_solve_failed(const std::filesystem::path& setup, std::string_view tool, const Solution& s) {
  return std::runtime_error(fmt::format("{}: {}: {} after {} iterations; largest constraint violation {:.3g}: {}; "
                                        "nothing written",
                                        setup.string(), tool, s.nlp.message, s.nlp.iterations, s.worst_violation,
                                        s.worst_constraint));
}

}  // namespace femur::ocp::detail
