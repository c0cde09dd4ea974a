// ControlSet: the controls of a model's actuators over time, as OpenSim writes them
// (OpenSim/Simulation/Control/ControlSet.cpp, ControlLinear.cpp, ControlConstant.cpp): the
// `_controls.xml` of Static Optimization and CMC, the ForwardTool's controls_file, CMC's
// control constraints. Read with read_control_set(); a controls .sto (one column per control)
// becomes the same structure with control_set_from_table(). Evaluation is simulate's work
// (simulate/controls.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "femur/io/table.hpp"

namespace femur::io {

// One node of a ControlLinear: the value at time t.
struct ControlNode {
  double t = 0.0;
  double value = 0.0;
};

// ControlLinear (ControlLinear.cpp, Control.cpp defaults). A ControlConstant is read as a
// ControlLinear with one node (a constant).
struct ControlLinear {
  std::string name;          // actuator name, with or without ".excitation"
  int line = 0;
  bool is_model_control = true;
  bool extrapolate = true;   // linear extrapolation outside the nodes (linear controls only)
  double default_min = 0.02;
  double default_max = 1.0;
  bool filter_on = false;    // read, not used by OpenSim 4 (C.11)
  bool use_steps = false;    // step (x_{i+1} holds on (t_i, t_{i+1}]) or linear interpolation
  std::vector<ControlNode> x_nodes, min_nodes, max_nodes;
};

struct ControlSet {
  std::string name;
  std::filesystem::path file;   // the file read
  int document_version = 0;
  std::vector<ControlLinear> controls;
  int index(const std::string& name) const;  // -1 if absent
};

// Reads a ControlSet XML file (inside <OpenSimDocument> or bare). Throws ParseError
// "file:LINE: ..." for malformed XML, a value that is not a number, node times that decrease,
// a control without a name, two controls of the same name, or a control type femur does not
// know. Unknown properties are reported in `warnings` (may be null).
ControlSet read_control_set(const std::filesystem::path& file, std::vector<std::string>* warnings = nullptr);

// A controls table (.sto, one column per control) as OpenSim's ControlSet(Storage)
// (ControlSet.cpp ExtractControl): one linear ControlLinear per column, a node at every row.
ControlSet control_set_from_table(const Table& table, const std::filesystem::path& file);

// The ControlSet as OpenSim 4 writes it (ControlSet::print): an OpenSimDocument (Version
// 40000) with one ControlLinear per control, its numbers in the shortest form that reads back exactly.
std::string format_control_set(const ControlSet& set);

}  // namespace femur::io
