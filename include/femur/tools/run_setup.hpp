// `femur run SETUP.xml`: runs an unchanged OpenSim tool setup file with femur's tools.
// The setup is read by io::read_setup; each tool's adapter turns it into the tool's
// arguments, runs it and writes OpenSim's output files (atomically, nothing on failure).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "femur/io/setup.hpp"

namespace femur::tools {

struct RunOptions {
  int threads = 1;             // worker threads for tools that split frames
  bool quiet = false;          // no progress on stderr
  bool verbose = false;        // warnings in full (per frame), not summarised
  std::filesystem::path output_directory;  // overrides the setup's results folder if set
};

struct RunReport {
  std::vector<std::filesystem::path> files_written;
  int frames = 0;
  double seconds = 0.0;        // compute time, file reading excluded
  std::vector<std::string> warnings;  // for the caller to print (the tools print none)
};

// Dispatches on the setup's tool. Throws std::runtime_error (or io::ParseError) with a
// message naming the setup file when the tool is not supported yet or an input is bad.
RunReport run_setup(const io::SetupFile& setup, const RunOptions& options);

}  // namespace femur::tools
