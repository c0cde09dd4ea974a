#include "cmd_options.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

#include "femur/io/error.hpp"

namespace femur::cli {

namespace {

// strtod on the whole text, or false.
bool parse_number(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

std::string shown(double v) { return fmt::format("{}", v); }

}  // namespace

CLI::Validator finite_number() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        double v;
        if (!parse_number(s, v) || !std::isfinite(v)) return "must be a finite number, got '" + s + "'";
        return {};
      },
      "NUMBER", "finite");
}

CLI::Validator positive_number() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        double v;
        if (!parse_number(s, v) || !std::isfinite(v) || !(v > 0))
          return "must be a finite number greater than 0, got '" + s + "'";
        return {};
      },
      "NUMBER>0", "positive");
}

CLI::Validator non_negative() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        double v;
        if (!parse_number(s, v) || !std::isfinite(v) || !(v >= 0))
          return "must be a finite number, 0 or more, got '" + s + "'";
        return {};
      },
      "NUMBER>=0", "non-negative");
}

CLI::Validator whole_at_least(int minimum) {
  return CLI::Validator(
      [minimum](std::string& s) -> std::string {
        char* end = nullptr;
        errno = 0;
        const long v = std::strtol(s.c_str(), &end, 10);
        if (s.empty() || end != s.c_str() + s.size() || errno != 0 || v < minimum ||
            v > std::numeric_limits<int>::max())
          return "must be a whole number, " + std::to_string(minimum) + " or more, got '" + s + "'";
        return {};
      },
      "INT>=" + std::to_string(minimum), "whole");
}

CLI::Option* add_time_range(CLI::App& command, std::vector<double>& range, const std::string& what) {
  auto* o = command.add_option("--time-range", range, what);
  o->expected(2);
  o->type_name("T0 T1");
  o->check(CLI::Validator(
      [](std::string& s) -> std::string {
        double v;
        if (!parse_number(s, v) || std::isnan(v)) return "must be a time in s (or -inf, inf), got '" + s + "'";
        return {};
      },
      "", "time"));
  return o;
}

void check_time_range(const std::vector<double>& range, double first, double last, const std::string& file) {
  if (range.size() != 2) return;
  const std::string given = "--time-range " + shown(range[0]) + " " + shown(range[1]);
  if (range[0] > range[1]) throw io::UsageError(given + ": the start is after the end");
  if (range[1] < first || range[0] > last)
    throw io::UsageError(given + " lies outside the times of " + file + " (" + shown(first) + " to " + shown(last) +
                         " s)");
}

void add_output_flags(CLI::App& command, OutputFlags& flags) {
  command.add_flag("--json", flags.json, "Print the summary as one JSON object on stdout");
  auto* quiet = command.add_flag("--quiet,-q", flags.quiet, "Errors only: no progress, warnings or summary (with --json the JSON is still printed)");
  auto* verbose = command.add_flag("--verbose,-v", flags.verbose, "Every warning in full, not summarised");
  quiet->excludes(verbose);
}

void print_warnings(const std::vector<std::string>& warnings, const OutputFlags& flags) {
  if (flags.quiet) return;
  for (const std::string& w : warnings) std::fprintf(stderr, "femur: warning: %s\n", w.c_str());
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

void print_summary(const OutputFlags& flags, const std::string& command, const std::vector<std::filesystem::path>& outputs,
                   int frames, double seconds, const std::vector<std::string>& warnings, const std::string& text,
                   const std::string& extra_json) {
  if (flags.quiet && !flags.json) return;
  if (flags.json) {
    std::string s = "{\"command\": " + json_string(command) + ", \"outputs\": [";
    for (size_t i = 0; i < outputs.size(); ++i) s += (i ? ", " : "") + json_string(outputs[i].string());
    s += fmt::format("], \"frames\": {}, \"seconds\": {:.6f}, \"warnings\": [", frames, seconds);
    for (size_t i = 0; i < warnings.size(); ++i) s += (i ? ", " : "") + json_string(warnings[i]);
    s += "]";
    if (!extra_json.empty()) s += ", " + extra_json;
    s += "}\n";
    std::fputs(s.c_str(), stdout);
    return;
  }
  for (const auto& f : outputs) std::printf("wrote %s\n", f.string().c_str());
  if (!text.empty()) std::printf("%s\n", text.c_str());
}

}  // namespace femur::cli
