// The HTML report of one or more sections (report/document.hpp): one self-contained file
// (inline CSS and SVG, nothing fetched), a summary table (section, key number, verdict) and
// each section: the question in plain words, the method, the plots, the numbers, the verdict,
// the literature comparison, the limits and the parameters used. Given the model, each
// section's postures are shown in 3D (the viewer of `femur view`, its script inline once).
//
//   std::vector<femur::report::Section> results = ...;   // e.g. the hip scenarios' results
//   femur::report::write_html_report("out/report.html", results, {.title = "femur demo"});
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "femur/model/model.hpp"
#include "femur/report/document.hpp"

namespace femur::report {

struct ReportOptions {
  std::string title = "femur report";
  std::string subtitle;     // e.g. the model and the command that made it
  std::string generated_by = "femur 0.1.0";
  // The model the scenarios ran on: their postures (ScenarioResult::postures) are drawn in 3D.
  // Null: no 3D views, and no script in the page.
  const Model* model = nullptr;
};

std::string render_html_report(const std::vector<Section>& results, const ReportOptions& options = {});

// Renders and writes atomically (io::write_file_atomically); creates the parent folder.
void write_html_report(const std::filesystem::path& file, const std::vector<Section>& results,
                       const ReportOptions& options = {});

}  // namespace femur::report
