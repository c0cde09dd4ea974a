// Scenarios: the questions a physiotherapist asks about the hip and low back, each answered
// by running femur's tools on a model. A scenario is declared, not programmed as one block:
// its question and parameters (ScenarioInfo), its task (still postures or a prescribed motion
// with the loads on the body), its variants (the model changes it makes: weakness = max
// isometric force scaled, tightness = optimal fiber length shortened, inhibition = activation
// upper bound, a muscle left out), the metrics it reads from each solved frame, and its report:
// numbers, figures, tables and a verdict rule computed from those metrics, set beside the
// literature. One engine (src/hip/scenario_engine.hpp) runs every variant on every frame with
// tools::StaticOptimizer; the report's types are report/document.hpp's.
//
//   const femur::hip::ScenarioInfo& s = femur::hip::require_scenario("glute-med-weakness");
//   femur::hip::ScenarioParameters p = femur::hip::resolve_parameters(s, {"min_strength=30"});
//   femur::hip::ScenarioResult r = femur::hip::run_scenario(s, femur::hip::build_hip_model(), p);
//
// Results carry only data (numbers, series, tables, text); report/html_report.hpp turns them
// into HTML and the CLI into a summary table.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "femur/model/model.hpp"
#include "femur/report/document.hpp"

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

// What a scenario gives back: a section of the report (report/document.hpp).
using ScenarioResult = report::Section;
using Posture = report::Posture;  // a section's postures in 3D

// ---- The registry.

// A scenario as a declaration: what it asks (heading, question) and its parameters; `run`
// declares the study (tasks, variants, the metrics it reads: src/hip/scenario_engine.hpp), runs
// it with the engine, and declares the findings (numbers, figures, tables, verdict rule,
// literature) in report/document.hpp's terms.
struct ScenarioInfo {
  std::string name;
  std::string title;     // short title of the scenario
  std::string summary;   // one line for `femur scenario --list`
  std::string heading;   // the title of its section in the report: the question in a few words
  std::string question;  // in plain words
  std::vector<ParameterSpec> parameters;
  ScenarioResult (*run)(const Model& model, const ScenarioParameters& parameters) = nullptr;
  // Choices (thresholds, margins) the verdict depends on, each with other values to try:
  // run_scenario reruns the scenario with each one (the rest as given) and adds the table
  // "How the verdict depends on the choices" (issue 18). Values outside the key's range are
  // skipped.
  std::vector<std::pair<std::string, std::vector<double>>> verdict_choices;
  // A static scenario (still postures, no prescribed motion): the registry appends the
  // population keys (hip/population.hpp: samples, seed, spread, ...) and run_scenario reruns it
  // over `samples` plausible models (ScenarioResult::population).
  bool population = false;
  // Minutes of work (optimal control): `femur scenario NAME` runs it, `femur demo` and the tests
  // that run every scenario leave it out.
  bool long_running = false;
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

// Runs the scenario on the model with resolved parameters; fills what the declaration says
// (name, heading as the title, question), the command that makes it again, the parameters as
// used, model_name and seconds; for a static scenario with samples > 0, its population
// (hip/population.hpp).
ScenarioResult run_scenario(const ScenarioInfo& scenario, const Model& model,
                            const ScenarioParameters& parameters);

}  // namespace femur::hip
