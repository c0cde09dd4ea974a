// femur batch DIR|MANIFEST [--threads N] [--no-resume] [--summary FILE]: every tool setup
// under DIR (or listed in a CSV/JSON manifest) run as `femur run` runs it, on every core,
// with a summary table; exit code 1 when any trial failed (tools/batch.hpp).
#include <cstdio>
#include <filesystem>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cmd_options.hpp"
#include "commands.hpp"
#include "femur/io/error.hpp"
#include "femur/tools/batch.hpp"

namespace femur::cli {

namespace fs = std::filesystem;

void register_batch_command(CLI::App& app) {
  struct Args {
    std::string input, summary;
    int threads = 0;
    bool no_resume = false;
    OutputFlags flags;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("batch", "Run every tool setup under a folder (or in a manifest) on all cores");
  cmd->footer(
      "Examples:\n"
      "  femur batch study/                 # every OpenSim tool setup under study/\n"
      "  femur batch trials.csv --threads 2 # a manifest: columns setup[,out_dir][,id]\n"
      "Each trial runs as `femur run SETUP` (its outputs where the setup says, or in out_dir).\n"
      "The summary (setup,status,seconds,error) goes to ROOT/batch_summary.csv, ROOT being the\n"
      "folder or the manifest's folder. A rerun skips trials that completed (records in\n"
      "ROOT/.femur-batch/) and redoes the rest; --no-resume redoes everything. Exit code 1\n"
      "when any trial failed; the failures are listed in the summary.");
  cmd->add_option("input", args->input, "Folder of setups, or a manifest (.csv or .json)")->required();
  cmd->add_option("--threads", args->threads, "Trials run at once (default 0: every core)")->check(whole_at_least(0));
  cmd->add_flag("--no-resume", args->no_resume, "Run every trial, even those recorded complete");
  cmd->add_option("--summary", args->summary, "Summary file (.csv or .json; default ROOT/batch_summary.csv)");
  add_output_flags(*cmd, args->flags);
  cmd->callback([args] {
    const fs::path input(args->input);
    if (!fs::exists(input)) throw io::UsageError(args->input + ": no such folder or manifest");
    const tools::BatchPlan plan =
        fs::is_directory(input) ? tools::find_batch_trials(input) : tools::read_batch_manifest(input);
    if (plan.trials.empty()) throw std::runtime_error(args->input + ": no tool setup found");
    tools::BatchOptions options;
    options.threads = args->threads;
    options.resume = !args->no_resume;
    options.show_progress = args->flags.progress();
    const tools::BatchResult result = tools::run_batch(plan, options);
    const fs::path summary = args->summary.empty() ? plan.root / "batch_summary.csv" : fs::path(args->summary);
    tools::write_batch_summary(summary, result);
    const int ok = result.count(tools::TrialStatus::ok), failed = result.count(tools::TrialStatus::failed),
              skipped = result.count(tools::TrialStatus::skipped);
    if (!args->flags.quiet) {
      if (args->flags.json) {
        std::fputs(tools::format_batch_summary_json(result).c_str(), stdout);
      } else {
        for (const auto& t : result.trials)
          if (t.status == tools::TrialStatus::failed) std::fprintf(stderr, "femur: %s failed: %s\n", t.id.c_str(), t.error.c_str());
        std::printf("wrote %s\nbatch: %zu trials, %d ok, %d failed, %d skipped (complete before) in %.2f s\n",
                    summary.string().c_str(), result.trials.size(), ok, failed, skipped, result.seconds);
      }
    }
    if (failed > 0)
      throw std::runtime_error(fmt::format("{} of {} trials failed (see {})", failed, result.trials.size(), summary.string()));
  });
}

}  // namespace femur::cli
