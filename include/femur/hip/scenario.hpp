// Scenarios: the questions a physiotherapist asks about the hip and low back, each answered
// by running femur's tools on a model. A scenario is a task (a posture or a motion with its
// external loads), the model changes it makes (weakness = max isometric force scaled,
// tightness = optimal fiber length shortened, inhibition = activation upper bound), the
// numbers and figures it computes, and a verdict computed from those numbers and set beside
// the literature value it is compared with.
//
//   const femur::hip::ScenarioInfo& s = femur::hip::require_scenario("glute-med-weakness");
//   femur::hip::ScenarioParameters p = femur::hip::resolve_parameters(s, {"min_strength=30"});
//   femur::hip::ScenarioResult r = s.run(femur::hip::build_hip_model(), p);
//
// Results carry only data (numbers, series, tables, text); report/html_report.hpp turns them
// into HTML and the CLI into a summary table.
#pragma once

#include <array>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "femur/model/model.hpp"

namespace femur::hip {

// A bad scenario name, --set key or value. The message lists what is valid.
class ScenarioError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// One parameter a scenario accepts through `--set key=value`.
struct ParameterSpec {
  std::string key;
  std::string description;
  double default_value = 0.0;
  double min = 0.0, max = 0.0;  // inclusive range
  std::string unit;             // as shown to the user ("%", "deg", "cm", "" ...)
  bool integer = false;
};

// Validated values, one per ParameterSpec (defaults filled in).
class ScenarioParameters {
 public:
  double get(std::string_view key) const;  // throws std::out_of_range for an unknown key
  int get_int(std::string_view key) const { return static_cast<int>(get(key)); }
  void set(const std::string& key, double value) { values_[key] = value; }
  const std::map<std::string, double, std::less<>>& values() const { return values_; }

 private:
  std::map<std::string, double, std::less<>> values_;
};

// ---- What a scenario gives back.

struct Series {
  std::string name;
  std::vector<double> x, y;
  bool dashed = false;
};

// A line plot (series over a numeric x) or a bar plot (one bar per category and series:
// series[k].y[i] is the bar of category i).
struct Figure {
  enum class Kind { Line, Bar };
  Kind kind = Kind::Line;
  std::string title, x_label, y_label;
  std::vector<Series> series;
  std::vector<std::string> categories;  // Bar only
  std::string caption;
  // Optional horizontal band (e.g. a literature range) drawn behind the data.
  bool has_band = false;
  double band_low = 0.0, band_high = 0.0;
  std::string band_label;
  // Optional vertical band over a range of x (e.g. the hip angles where a clinical test is
  // positive), drawn behind the data of a Line plot and clipped to its x range.
  bool has_x_band = false;
  double x_band_low = 0.0, x_band_high = 0.0;
  std::string x_band_label;
};

struct Number {
  std::string label;
  double value = 0.0;
  std::string unit;
  int decimals = 1;
};

struct Table {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// A model number set beside a published one.
struct LiteratureComparison {
  std::string quantity;
  double model_value = 0.0;
  double low = 0.0, high = 0.0;  // published range (low == high for a single value)
  std::string unit;
  std::string source;            // citation
  std::string published;         // how to show the published value, when not "low-high"
  bool within() const { return model_value >= low && model_value <= high; }
};

enum class VerdictStatus { Supported, Partly, NotSupported };
const char* verdict_status_name(VerdictStatus s);  // "supported", "partly supported", "not supported"

struct Verdict {
  VerdictStatus status = VerdictStatus::NotSupported;
  std::string claim;  // the statement tested, in plain words
  std::string text;   // what the numbers say, with the numbers
};

// A posture, or a sweep of postures, the scenario computed, shown in 3D in the report (the
// same view as `femur view`): one row of coordinate values per frame (model.nq values, rad
// and m) with a label each and, where the scenario computed it, the hip contact force: what
// the femoral head applies to the acetabulum, in ground coordinates (N).
struct Posture {
  std::string caption;
  std::vector<std::string> labels;
  std::vector<std::vector<double>> q;
  std::string hip_joint;                                   // e.g. "hip_r"; empty: no force drawn
  std::vector<std::array<double, 3>> hip_force_in_ground;  // one per frame when hip_joint is set
};

struct ScenarioResult {
  std::string name, title;
  std::string question;  // in plain words
  std::string method;
  Number key_number;     // the one number for the summary table
  std::vector<Number> numbers;
  std::vector<Figure> figures;
  std::vector<Table> tables;
  Verdict verdict;
  std::vector<LiteratureComparison> literature;
  std::vector<std::string> limits;
  std::vector<std::pair<std::string, std::string>> parameters;  // key, value as used
  std::vector<Posture> postures;
  std::string model_name;
  double seconds = 0.0;
};

// ---- The registry.

struct ScenarioInfo {
  std::string name;
  std::string title;
  std::string summary;  // one line for `femur scenario --list`
  std::vector<ParameterSpec> parameters;
  ScenarioResult (*run)(const Model& model, const ScenarioParameters& parameters) = nullptr;
};

// Every scenario, in the order `femur demo` runs them.
const std::vector<ScenarioInfo>& scenario_registry();
const ScenarioInfo* find_scenario(std::string_view name);
// Throws ScenarioError "unknown scenario 'x'; scenarios: a, b, ...".
const ScenarioInfo& require_scenario(std::string_view name);

// Parses `key=value` assignments against the scenario's parameters. Throws ScenarioError
// naming the bad key or value and listing every valid key with its range and default.
ScenarioParameters resolve_parameters(const ScenarioInfo& scenario,
                                      const std::vector<std::string>& assignments);

// The valid keys of a scenario, one per line: "  key  [min, max] unit (default d): description".
std::string describe_parameters(const ScenarioInfo& scenario);

// Runs the scenario on the model with resolved parameters; fills name, title, parameters,
// model_name and seconds.
ScenarioResult run_scenario(const ScenarioInfo& scenario, const Model& model,
                            const ScenarioParameters& parameters);

// Number formatting shared by the report and the CLI ("2.61", "-0.5").
std::string format_number(double value, int decimals);

}  // namespace femur::hip
