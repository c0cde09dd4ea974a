// What `femur so` and `femur jr` share: the AnalyzeTool inputs as flags, turned into the
// io::AnalyzeSetup an OpenSim setup file would hold, and run through tools::run_setup (the
// same path as `femur run`).
#pragma once

#include <string>
#include <vector>

#include "cmd_options.hpp"
#include "femur/io/setup.hpp"

namespace CLI {
class App;
}

namespace femur::cli {

struct AnalyzeArgs {
  std::string model, coordinates, external_loads, out_dir, name = "femur";
  std::vector<std::string> actuators;
  double cutoff = -1.0;
  std::vector<double> time_range;
  int step = 1;
  OutputFlags flags;
};

// Adds --model, --coordinates, --external-loads, --actuators, --cutoff, --time-range, --step,
// --name, --out-dir (default `default_out`) and the output flags to `command`.
void add_analyze_options(CLI::App& command, AnalyzeArgs& args, const std::string& default_out);

// The AnalyzeSetup for these flags, with `analysis` as its only analysis (its step_interval
// set from --step). Without a time range, the coordinates file's own first and last times
// (not the filter's padding); a time range outside them is a usage error.
io::AnalyzeSetup make_analyze_setup(const AnalyzeArgs& args, const std::string& command, io::AnalysisSettings analysis);

// A file reference given on the command line (messages name `command` as its source).
io::FileRef command_line_file(const std::string& path, const char* element, const std::string& command);

// Runs the setup; prints its warnings and the summary (files written, frames) as the flags say.
void run_analyze(const io::AnalyzeSetup& setup, const OutputFlags& flags, const char* command);

}  // namespace femur::cli
