// femur demo [--out-dir DIR] [--model FILE.osim] [--json]: the physiotherapist's job. Runs every
// scenario with its default parameters on the built-in hip model (each static one also over its
// default number of plausible models, hip/population.hpp), prints a summary table (scenario,
// key number, verdict, share of the models giving that verdict) and writes DIR/report.html (one
// self-contained file).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cmd_options.hpp"
#include "commands.hpp"
#include "femur/io/output_files.hpp"
#include "femur/hip/scenario.hpp"
#include "femur/report/html_report.hpp"

namespace femur::cli {

Model load_scenario_model(const std::string& file);           // cmd_scenario.cpp
nlohmann::json scenario_json(const hip::ScenarioResult& r);   // cmd_scenario.cpp

namespace {

struct DemoOptions {
  std::string out = "out";
  std::string model;
  OutputFlags flags;
};

void run(const DemoOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  const Model model = load_scenario_model(o.model);
  const bool tty = o.flags.progress() && isatty(fileno(stderr));
  // The scenarios are independent: they run on all cores (the results in the registry's order),
  // so that one scenario's serial part overlaps another's population. Each result is the same
  // as a lone run's.
  // Long-running scenarios (predicted gait: minutes) run only through `femur scenario NAME`.
  std::vector<hip::ScenarioInfo> registry;
  for (const hip::ScenarioInfo& s : hip::scenario_registry())
    if (!s.long_running) registry.push_back(s);
  std::vector<hip::ScenarioResult> results(registry.size());
  std::vector<std::exception_ptr> errors(registry.size());
  std::atomic<size_t> next{0}, done{0};
  std::mutex progress;
  auto work = [&] {
    for (size_t i = next++; i < registry.size(); i = next++) {
      try {
        results[i] = hip::run_scenario(registry[i], model, hip::resolve_parameters(registry[i], {}));
      } catch (...) {
        errors[i] = std::current_exception();
      }
      if (tty) {
        std::lock_guard<std::mutex> lock(progress);
        std::fprintf(stderr, "\r[%zu/%zu] %-24s", ++done, registry.size(), registry[i].name.c_str());
      }
    }
  };
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::min<unsigned>(cores, static_cast<unsigned>(registry.size())); ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
  if (tty) std::fprintf(stderr, "\r%60s\r", "");
  const std::string file = o.out + "/report.html";
  io::OutputFiles outputs;
  outputs.stage(file, report::render_html_report(
                          results, {.title = "femur demo: the hip and low back, scenario by scenario",
                                    .subtitle = fmt::format("Model {} ({} scenarios). Each verdict is computed from "
                                                            "the model's numbers and set beside the literature.",
                                                            model.name, results.size()),
                                     .model = &model}));
  outputs.commit();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (o.flags.quiet && !o.flags.json) return;  // --json asked for the result: -q silences stderr only
  if (o.flags.json) {
    nlohmann::json j;
    j["report"] = file;
    j["seconds"] = seconds;
    for (const hip::ScenarioResult& r : results) j["scenarios"].push_back(scenario_json(r));
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  // Columns as wide as their longest entry.
  std::vector<std::string> values;
  int name_w = 8, label_w = 10, value_w = 5;
  for (const hip::ScenarioResult& r : results) {
    values.push_back(!r.key_number.text.empty() ? r.key_number.text
                                                 : report::format_number(r.key_number.value, r.key_number.decimals) +
                                                       (r.key_number.unit.empty() ? "" : " " + r.key_number.unit));
    name_w = std::max(name_w, static_cast<int>(r.name.size()));
    label_w = std::max(label_w, static_cast<int>(r.key_number.label.size()));
    value_w = std::max(value_w, static_cast<int>(values.back().size()));
  }
  std::printf("%-*s  %-*s  %-*s  %-19s  %s\n", name_w, "scenario", label_w, "key number", value_w, "value", "verdict",
              "share of models");
  for (size_t i = 0; i < results.size(); ++i) {
    const hip::ScenarioResult& r = results[i];
    const std::string share =
        r.population.samples > 0 ? fmt::format("{}% of {}", report::format_number(100 * r.population.share(r.verdict.status), 0),
                                               r.population.samples)
                                 : "-";
    std::printf("%-*s  %-*s  %-*s  %-19s  %s\n", name_w, r.name.c_str(), label_w, r.key_number.label.c_str(), value_w,
                values[i].c_str(), report::verdict_status_name(r.verdict.status), share.c_str());
  }
  std::printf("report: %s (%.1f s)\n", file.c_str(), seconds);
}

}  // namespace

void register_demo_command(CLI::App& app) {
  auto o = std::make_shared<DemoOptions>();
  CLI::App* cmd = app.add_subcommand("demo", "Run every scenario (but the long-running tight-hip-flexors-gait) and write one HTML report");
  cmd->footer(
      "Example:\n  femur demo --out-dir out      # then open out/report.html\n"
      "Each static scenario is also rerun over a few plausible models (its default `samples`, 4-20, said in the\n"
      "report); for more, run one scenario: femur scenario NAME --set samples=1000\n"
      "tight-hip-flexors-gait (five predicted gaits: minutes) runs only as femur scenario tight-hip-flexors-gait.");
  cmd->add_option("--out-dir,--out", o->out, "Folder for report.html (created)")->capture_default_str();
  cmd->add_option("--model", o->model, "Run on this .osim instead of the built-in hip model")
      ->check(CLI::ExistingFile);
  add_output_flags(*cmd, o->flags);
  cmd->callback([o] { run(*o); });
}

}  // namespace femur::cli
