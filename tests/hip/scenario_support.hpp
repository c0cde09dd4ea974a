#pragma once
// Shared by the scenario tests: femur's hip model built once per test binary, and a scenario
// run without its population of plausible models (issue 18 item 7) unless the test sets
// `samples` itself, since most tests read the plain run.
#include <string>
#include <vector>

#include "femur/hip/hip_model.hpp"
#include "femur/hip/scenario.hpp"

namespace femur::hip::test_support {

inline const Model& hip_model() {
  static const Model m = build_hip_model();
  return m;
}

inline ScenarioResult run_plain(const std::string& name, std::vector<std::string> sets = {},
                                const Model& model = hip_model()) {
  const ScenarioInfo& s = require_scenario(name);
  if (s.population) sets.insert(sets.begin(), "samples=0");  // a later samples=N wins
  return run_scenario(s, model, resolve_parameters(s, sets));
}

}  // namespace femur::hip::test_support
