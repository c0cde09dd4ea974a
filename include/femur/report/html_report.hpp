// The HTML report of one or more scenario results: one self-contained file (inline CSS and
// SVG, nothing fetched), a summary table (scenario, key number, verdict) and a section per
// scenario: the question in plain words, the method, the plots, the numbers, the verdict,
// the literature comparison, the limits and the parameters used. Given the model, each
// scenario's postures are shown in 3D (the viewer of `femur view`, its script inline once).
//
//   std::vector<femur::hip::ScenarioResult> results = ...;
//   femur::report::write_html_report("out/report.html", results, {.title = "femur demo"});
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "femur/hip/scenario.hpp"

namespace femur::report {

struct ReportOptions {
  std::string title = "femur report";
  std::string subtitle;     // e.g. the model and the command that made it
  std::string generated_by = "femur 0.1.0";
  // The model the scenarios ran on: their postures (ScenarioResult::postures) are drawn in 3D.
  // Null: no 3D views, and no script in the page.
  const Model* model = nullptr;
};

std::string render_html_report(const std::vector<hip::ScenarioResult>& results, const ReportOptions& options = {});

// Renders and writes atomically (io::write_file_atomically); creates the parent folder.
void write_html_report(const std::filesystem::path& file, const std::vector<hip::ScenarioResult>& results,
                       const ReportOptions& options = {});

}  // namespace femur::report
