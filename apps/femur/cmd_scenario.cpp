// femur scenario NAME [--set key=value ...] [--out-dir DIR] [--model FILE.osim] [--json]
// femur scenario --list
// Runs one scenario (hip/scenario.hpp) on femur's built-in hip model (or a given .osim),
// prints its key numbers and verdict, and with --out-dir writes DIR/NAME.html. A bad name, key
// or value exits 2 (a usage error) with the list of valid ones.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cmd_options.hpp"
#include "commands.hpp"
#include "femur/io/error.hpp"
#include "femur/io/output_files.hpp"
#include "femur/hip/hip_model.hpp"
#include "femur/hip/scenario.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/report/html_report.hpp"

namespace femur::cli {

// The model scenarios run on: the built-in hip model, or an .osim file (shared with cmd_demo).
Model load_scenario_model(const std::string& file) {
  if (file.empty()) return hip::build_hip_model();
  std::vector<std::string> warnings;
  Model m = io::read_osim(file, &warnings);
  for (const std::string& w : warnings) std::fprintf(stderr, "femur: warning: %s\n", w.c_str());
  return m;
}

nlohmann::json scenario_json(const hip::ScenarioResult& r) {
  nlohmann::json j;
  j["scenario"] = r.name;
  j["title"] = r.title;
  j["model"] = r.model_name;
  j["seconds"] = r.seconds;
  j["key_number"] = {{"label", r.key_number.label}, {"value", r.key_number.value}, {"unit", r.key_number.unit}};
  j["verdict"] = {{"status", report::verdict_status_name(r.verdict.status)}, {"claim", r.verdict.claim}, {"text", r.verdict.text}};
  for (const report::Number& n : r.numbers) {
    nlohmann::json num = {{"label", n.label}, {"value", n.value}, {"unit", n.unit}};
    if (!n.text.empty()) num["text"] = n.text;  // not a measurement: what the search found instead
    j["numbers"].push_back(num);
  }
  if (r.population.samples > 0) {
    const report::Population& p = r.population;
    nlohmann::json pop = {{"samples", p.samples}, {"seed", p.seed}, {"spread", p.spread}, {"varied", p.varied},
                          {"summary", report::population_sentence(r)}};
    for (report::VerdictStatus v : {report::VerdictStatus::Supported, report::VerdictStatus::Partly,
                                    report::VerdictStatus::NotSupported, report::VerdictStatus::CannotAnswer})
      pop["verdicts"][report::verdict_status_name(v)] = p.verdicts[static_cast<size_t>(v)];
    for (const report::Spread& n : p.numbers)
      pop["numbers"].push_back({{"label", n.label}, {"unit", n.unit}, {"as_run", n.as_run}, {"median", n.median},
                                {"p5", n.low}, {"p95", n.high}, {"models", n.models}});
    j["population"] = pop;
  }
  for (const report::LiteratureComparison& c : r.literature)
    j["literature"].push_back({{"quantity", c.quantity}, {"model", c.model_value}, {"low", c.low}, {"high", c.high},
                               {"unit", c.unit}, {"source", c.source}, {"agrees", c.within()}});
  for (const auto& [k, v] : r.parameters) j["parameters"][k] = v;
  return j;
}

namespace {

struct ScenarioOptions {
  std::string name;
  std::vector<std::string> sets;
  std::string out;
  std::string model;
  bool list = false;
  OutputFlags flags;
};

void list_scenarios() {
  for (const hip::ScenarioInfo& s : hip::scenario_registry()) {
    std::printf("%-22s %s\n", s.name.c_str(), s.summary.c_str());
    std::printf("%s", hip::describe_parameters(s).c_str());
  }
}

void run(const ScenarioOptions& o) {
  if (o.list) {
    list_scenarios();
    return;
  }
  // A bad name, key or value is a usage error (exit 2), found before any work.
  if (o.name.empty()) throw io::UsageError("no scenario named; `femur scenario --list` shows them");
  const hip::ScenarioInfo* found = nullptr;
  hip::ScenarioParameters params;
  try {
    found = &hip::require_scenario(o.name);
    params = hip::resolve_parameters(*found, o.sets);  // before the model: fail fast
  } catch (const hip::ScenarioError& e) {
    throw io::UsageError(e.what());
  }
  const hip::ScenarioInfo& info = *found;
  const Model model = load_scenario_model(o.model);
  const hip::ScenarioResult r = hip::run_scenario(info, model, params);
  if (!o.out.empty()) {
    const std::string file = o.out + "/" + r.name + ".html";
    io::OutputFiles outputs;
    outputs.stage(file, report::render_html_report({r}, {.title = "femur: " + r.title, .subtitle = "Model " + r.model_name, .model = &model}));
    outputs.commit();
    if (!o.flags.json && !o.flags.quiet) std::fprintf(stderr, "femur: wrote %s\n", file.c_str());
  }
  if (o.flags.quiet && !o.flags.json) return;  // --json asked for the result: -q silences stderr only
  if (o.flags.json) {
    std::printf("%s\n", scenario_json(r).dump(2).c_str());
    return;
  }
  std::printf("%s (%s, %.2f s)\n", r.title.c_str(), r.model_name.c_str(), r.seconds);
  for (const report::Number& n : r.numbers) {
    if (!n.text.empty())
      std::printf("  %-70s %s\n", n.label.c_str(), n.text.c_str());
    else
      std::printf("  %-70s %10s %s\n", n.label.c_str(), report::format_number(n.value, n.decimals).c_str(), n.unit.c_str());
  }
  std::printf("verdict: %s: %s\n  %s\n", report::verdict_status_name(r.verdict.status), r.verdict.claim.c_str(),
              r.verdict.text.c_str());
  if (r.population.samples > 0) std::printf("over plausible models: %s\n", report::population_sentence(r).c_str());
}

}  // namespace

void register_scenario_command(CLI::App& app) {
  auto o = std::make_shared<ScenarioOptions>();
  CLI::App* cmd = app.add_subcommand("scenario", "Run one hip/low-back scenario and report its verdict");
  cmd->footer(
      "Examples:\n  femur scenario --list\n  femur scenario glute-med-weakness --set min_strength=30 --out-dir out\n"
      "  femur scenario glute-med-weakness --set samples=100 --set seed=7   # the verdict over 100 plausible models\n"
      "Keys and ranges of each scenario: femur scenario --list. Static scenarios also take samples, seed, spread,\n"
      "strength_cv, fiber_cv and slack_cv: they rerun over plausible models (muscle strengths and abductor/iliopsoas\n"
      "attachments drawn from published spreads) on all cores and report the verdict share and 90% intervals.");
  cmd->add_option("name", o->name, "Scenario name (see --list)");
  cmd->add_flag("--list", o->list, "List the scenarios and their --set keys");
  cmd->add_option("--set", o->sets, "Change a parameter: key=value (repeatable)")->take_all();
  cmd->add_option("--out-dir,--out", o->out, "Write DIR/NAME.html (the folder is created)");
  cmd->add_option("--model", o->model, "Run on this .osim instead of the built-in hip model")
      ->check(CLI::ExistingFile);
  add_output_flags(*cmd, o->flags);
  cmd->callback([o] { run(*o); });
}

}  // namespace femur::cli
