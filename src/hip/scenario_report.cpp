// Helpers for declaring a scenario's report. See scenario_report.hpp.
#include "scenario_report.hpp"

namespace femur::hip::detail {

ScenarioResult draw(ReportParts parts) {
  ScenarioResult out;
  out.method = std::move(parts.method);
  out.key_number = std::move(parts.key_number);
  out.numbers = std::move(parts.numbers);
  out.figures = std::move(parts.figures);
  out.tables = std::move(parts.tables);
  out.verdict = std::move(parts.verdict);
  out.literature = std::move(parts.literature);
  out.limits = std::move(parts.limits);
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string signed_number(double value, int decimals) { return (value >= 0 ? "+" : "") + format_number(value, decimals); }

}  // namespace femur::hip::detail
