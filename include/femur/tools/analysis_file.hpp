// One output file of an AnalyzeTool analysis: its name (as OpenSim names it,
// `<tool name>_<analysis name>_<storage>.sto`) and its table. The analyses return them; the
// AnalyzeTool adapter (tools/analyze_setup.cpp) writes them all together.
#pragma once

#include <string>

#include "femur/io/table.hpp"

namespace femur::tools {

struct AnalysisFile {
  std::string file_name;
  io::Table table;
};

}  // namespace femur::tools
