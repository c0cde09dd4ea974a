// What the femur subcommands share (docs/cli.md): number checks with plain messages, the
// --time-range option and its check against the data, and the output flags --json, --quiet
// and --verbose with one meaning everywhere.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace femur::cli {

// Checks of an option's text before CLI11 converts it. Messages say what was expected:
// "must be a finite number, got 'nan'". (CLI11's PositiveNumber accepts nan and prints
// DBL_MAX with 309 digits.)
CLI::Validator finite_number();     // any finite number
CLI::Validator positive_number();   // finite, > 0
CLI::Validator non_negative();      // finite, >= 0
CLI::Validator whole_at_least(int minimum);  // an integer >= minimum

// --time-range T0 T1 (seconds; -inf and inf allowed). Returns the option.
CLI::Option* add_time_range(CLI::App& command, std::vector<double>& range, const std::string& what);
// Usage error (io::UsageError) unless T0 <= T1 and [T0, T1] overlaps [first, last], the
// times of `file`: "--time-range 2 1: the start is after the end", "--time-range 10 20 lies
// outside the times of FILE (0.5 to 2 s)". Empty `range`: nothing to check.
void check_time_range(const std::vector<double>& range, double first, double last, const std::string& file);

// --json, --quiet, --verbose (see docs/cli.md).
struct OutputFlags {
  bool json = false;     // the summary as one JSON object on stdout
  bool quiet = false;    // errors only: no progress, warnings or summary
  bool verbose = false;  // every warning in full (not summarised)
  bool progress() const { return !quiet; }
};
void add_output_flags(CLI::App& command, OutputFlags& flags);

// Prints warnings on stderr ("femur: warning: ...") unless quiet.
void print_warnings(const std::vector<std::string>& warnings, const OutputFlags& flags);

// A JSON string literal (quotes, backslashes and control characters escaped).
std::string json_string(const std::string& s);

// The summary every command prints on stdout unless quiet: with --json one object
// {"command": ..., "outputs": [...], "frames": N, "seconds": S, "warnings": [...], EXTRA}
// where `extra_json` is a list of further "key": value members (may be empty); otherwise
// "wrote FILE" per output and `text` (if not empty).
void print_summary(const OutputFlags& flags, const std::string& command,
                   const std::vector<std::filesystem::path>& outputs, int frames, double seconds,
                   const std::vector<std::string>& warnings, const std::string& text,
                   const std::string& extra_json = "");

}  // namespace femur::cli
