#include <cstdio>
#include <variant>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "analyze_command.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/run_setup.hpp"

namespace femur::cli {

io::FileRef command_line_file(const std::string& path, const char* element, const std::string& command) {
  io::FileRef ref;
  ref.path = path;
  ref.written = path;
  ref.element = element;
  ref.source = command;
  return ref;
}

void add_analyze_options(CLI::App& c, AnalyzeArgs& a, const std::string& default_out) {
  a.out_dir = default_out;
  c.add_option("--model", a.model, "OpenSim model (.osim)")->required()->check(CLI::ExistingFile);
  c.add_option("--coordinates", a.coordinates, "Coordinates (.mot/.sto, e.g. an IK or RRA result)")
      ->required()
      ->check(CLI::ExistingFile);
  c.add_option("--external-loads", a.external_loads, "ExternalLoads XML (ground reaction forces)")
      ->check(CLI::ExistingFile);
  c.add_option("--actuators", a.actuators, "ForceSet XML(s) appended to the model (reserves, residuals)")
      ->check(CLI::ExistingFile);
  c.add_option("--cutoff", a.cutoff, "Low-pass cutoff for the coordinates in Hz (default -1: none)")
      ->check(finite_number());
  add_time_range(c, a.time_range, "Start and end time in s (default: the coordinates file's)");
  c.add_option("--step", a.step, "Record every Nth row of the coordinates, as step_interval (default 1)")
      ->check(whole_at_least(1));
  c.add_option("--name", a.name, "Prefix of the output files (default femur)");
  c.add_option("--out-dir", a.out_dir, "Output folder (default " + default_out + "; created)");
  add_output_flags(c, a.flags);
}

io::AnalyzeSetup make_analyze_setup(const AnalyzeArgs& a, const std::string& command, io::AnalysisSettings analysis) {
  io::AnalyzeSetup setup;
  setup.name = a.name;
  setup.file = command;
  setup.model_file = command_line_file(a.model, "model_file", command);
  for (const auto& f : a.actuators) setup.force_set_files.push_back(command_line_file(f, "force_set_files", command));
  setup.coordinates_file = command_line_file(a.coordinates, "coordinates_file", command);
  if (!a.external_loads.empty())
    setup.external_loads_file = command_line_file(a.external_loads, "external_loads_file", command);
  setup.lowpass_cutoff_frequency_for_coordinates = a.cutoff;
  setup.results_directory = command_line_file(a.out_dir, "results_directory", command);
  // The file's own rows, not the padding the filter adds around them.
  const io::Table table = io::read_sto(a.coordinates);
  const double first = table.time.size() == 0 ? 0.0 : table.time(0);
  const double last = table.time.size() == 0 ? 0.0 : table.time(table.time.size() - 1);
  check_time_range(a.time_range, first, last, a.coordinates);
  setup.initial_time = a.time_range.size() == 2 ? a.time_range[0] : first;
  setup.final_time = a.time_range.size() == 2 ? a.time_range[1] : last;
  std::visit([&](auto& s) { s.step_interval = a.step; }, analysis);
  setup.analyses.push_back(std::move(analysis));
  return setup;
}

void run_analyze(const io::AnalyzeSetup& setup, const OutputFlags& flags, const char* command) {
  tools::RunOptions options;
  options.quiet = flags.quiet;
  options.verbose = flags.verbose;
  const tools::RunReport report = tools::run_setup(io::SetupFile(setup), options);
  print_warnings(report.warnings, flags);
  print_summary(flags, command, report.files_written, report.frames, report.seconds, report.warnings,
                fmt::format("{}: {} frames in {:.3f} s", command, report.frames, report.seconds));
}

}  // namespace femur::cli
