// Internal to the hip layer: how a scenario declares its report from the rows the engine
// measured (scenario_engine.hpp). A figure's series are a field of the rows against another;
// a table's columns are fields formatted; numbers are fields at a frame or over the frames;
// draw() assembles the parts into the report's section.
//
//   const std::vector<Row>& rows = results.frames(0);
//   report::Figure f = report::line_figure("Hip contact", "hip flexion (deg)", "force (BW)",
//                                          {series_of("hip contact", rows, &Row::angle_deg, &Row::contact_bw)});
//   report::Table t = table_of("Per angle", rows, {column("hip flexion (deg)", &Row::angle_deg, 1), ...});
#pragma once

#include <algorithm>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "scenario_engine.hpp"

namespace femur::hip::detail {

// y(row) against x(row) over the rows; x and y are fields (&Row::f) or functions of a row.
template <class Row, class X, class Y>
Series series_of(std::string name, const std::vector<Row>& rows, X x, Y y, bool dashed = false) {
  Series s;
  s.name = std::move(name);
  s.dashed = dashed;
  for (const Row& r : rows) {
    s.x.push_back(static_cast<double>(std::invoke(x, r)));
    s.y.push_back(static_cast<double>(std::invoke(y, r)));
  }
  return s;
}

// field(row) over the rows.
template <class Row, class F>
std::vector<double> values_of(const std::vector<Row>& rows, F field) {
  std::vector<double> v;
  for (const Row& r : rows) v.push_back(static_cast<double>(std::invoke(field, r)));
  return v;
}

// The largest field(row) over the rows (a sweep's frames).
template <class Row, class F>
double peak(const std::vector<Row>& rows, F field) {
  double m = std::numeric_limits<double>::lowest();
  for (const Row& r : rows) m = std::max(m, static_cast<double>(std::invoke(field, r)));
  return m;
}

// A table column: a header and how a row's cell reads.
template <class Row>
struct Column {
  std::string header;
  std::function<std::string(const Row&)> cell;
};

// A number column: field(row) x scale with `decimals` decimals.
template <class Row, class F>
Column<Row> column(std::string header, F field, int decimals, double scale = 1.0) {
  return {std::move(header), [field, decimals, scale](const Row& r) {
            return format_number(scale * static_cast<double>(std::invoke(field, r)), decimals);
          }};
}

// One table row per row.
template <class Row>
Table table_of(std::string title, const std::vector<Row>& rows, const std::vector<Column<Row>>& columns) {
  Table t;
  t.title = std::move(title);
  for (const Column<Row>& c : columns) t.header.push_back(c.header);
  for (const Row& r : rows) {
    std::vector<std::string>& cells = t.rows.emplace_back();
    for (const Column<Row>& c : columns) cells.push_back(c.cell(r));
  }
  return t;
}

// A scenario's report, declared part by part from its findings; draw() makes the section, the
// same way for every scenario (run_scenario adds what the scenario's declaration says: its
// heading, question, name and parameters).
struct ReportParts {
  std::string method;
  Number key_number;  // the one number for the summary table
  std::vector<Number> numbers;
  std::vector<Figure> figures;
  std::vector<Table> tables;
  Verdict verdict;
  std::vector<LiteratureComparison> literature;
  std::vector<std::string> limits;
};
ScenarioResult draw(ReportParts parts);

// ---- Published figures several scenarios compare with.
// Bergmann G, Deuretzbacher G, Heller M, Graichen F, Rohlmann A, Strauss J, Duda GN (2001) Hip
// contact forces and gait patterns from routine activities. J Biomech 34:859-871 (abstract):
// the average patient (4 instrumented implants) loads the hip with 238% BW walking at about
// 4 km/h, "slightly less when standing on one leg", 251% BW climbing stairs up. The abstract
// gives no spread; the band is the +-15% issue 18 accepts for the model ("Must hold").
constexpr double kBergmannWalkingBW = 2.38, kBergmannStairsUpBW = 2.51, kBergmannTolerance = 0.15;
constexpr const char* kBergmann2001 =
    "Bergmann G et al. (2001) Hip contact forces and gait patterns from routine activities. J Biomech 34:859-871 "
    "(abstract: 238% BW walking at 4 km/h, one-leg stance slightly less, 251% BW stairs up; band +-15%)";
inline LiteratureComparison bergmann(std::string quantity, double model_bw, double published_bw) {
  return {std::move(quantity), model_bw, (1.0 - kBergmannTolerance) * published_bw,
          (1.0 + kBergmannTolerance) * published_bw, "BW", kBergmann2001,
          format_number(published_bw, 2) + " +-15%"};
}

// "a, b, c".
std::string join_names(const std::vector<std::string>& names);
// "+12" / "-3" (a signed change with `decimals` decimals).
std::string signed_number(double value, int decimals);

}  // namespace femur::hip::detail
