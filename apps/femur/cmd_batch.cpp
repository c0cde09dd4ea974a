// femur batch DIR|MANIFEST [--threads N] [--no-resume] [--summary FILE]: every tool setup
// under DIR (or listed in a CSV/JSON manifest) run as `femur run` runs it, on every core,
// with a summary table; exit code 1 when any trial failed (tools/batch.hpp).
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
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

namespace {

// `femur batch --dask ADDRESS`: the trials are run by femur.dask (python/femur/dask.py) on the
// cluster, through Debian's Python (FEMUR_PYTHON overrides it). The Python package beside this
// executable (a build tree's python/) is found first. Returns the exit code.
int run_on_dask(const std::string& scheduler, const std::string& input, const std::string& summary, bool quiet) {
  const char* python = std::getenv("FEMUR_PYTHON");
  const std::string interpreter = python && *python ? python : "/usr/bin/python3";
  std::error_code ec;
  const fs::path beside = fs::canonical("/proc/self/exe", ec).parent_path() / "python";
  if (!ec && fs::exists(beside / "femur")) {
    const char* old = std::getenv("PYTHONPATH");
    const std::string path = beside.string() + (old && *old ? ":" + std::string(old) : "");
    setenv("PYTHONPATH", path.c_str(), 1);
  }
  std::vector<std::string> args{interpreter, "-m", "femur.dask", scheduler, input};
  if (!summary.empty()) args.insert(args.end(), {"--summary", summary});
  if (quiet) args.push_back("--quiet");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, interpreter.c_str(), nullptr, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("--dask: cannot start " + interpreter);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace

void register_batch_command(CLI::App& app) {
  struct Args {
    std::string input, summary, dask;
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
      "  femur batch trials.csv --dask tcp://scheduler:8786  # on a dask cluster (femur.dask)\n"
      "Each trial runs as `femur run SETUP` (its outputs where the setup says, or in out_dir).\n"
      "The summary (setup,status,seconds,error) goes to ROOT/batch_summary.csv, ROOT being the\n"
      "folder or the manifest's folder. A rerun skips trials that completed (records in\n"
      "ROOT/.femur-batch/) and redoes the rest; --no-resume redoes everything. Exit code 1\n"
      "when any trial failed; the failures are listed in the summary.");
  cmd->add_option("input", args->input, "Folder of setups, or a manifest (.csv or .json)")->required();
  cmd->add_option("--threads", args->threads, "Trials run at once (default 0: every core)")->check(whole_at_least(0));
  cmd->add_flag("--no-resume", args->no_resume, "Run every trial, even those recorded complete");
  cmd->add_option("--summary", args->summary, "Summary file (.csv or .json; default ROOT/batch_summary.csv)");
  cmd->add_option("--dask", args->dask,
                  "Run the trials on a dask.distributed cluster (scheduler address, e.g. tcp://host:8786)");
  add_output_flags(*cmd, args->flags);
  cmd->callback([args] {
    const fs::path input(args->input);
    if (!fs::exists(input)) throw io::UsageError(args->input + ": no such folder or manifest");
    if (!args->dask.empty()) {
      if (run_on_dask(args->dask, args->input, args->summary, args->flags.quiet) != 0)
        throw std::runtime_error("the batch on " + args->dask + " did not complete every trial (see the summary)");
      return;
    }
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
    if (!args->flags.quiet && !args->flags.json)
      for (const auto& t : result.trials)
        if (t.status == tools::TrialStatus::failed) std::fprintf(stderr, "femur: %s failed: %s\n", t.id.c_str(), t.error.c_str());
    int frames = 0;
    for (const auto& t : result.trials) frames += t.frames;
    print_summary(args->flags, "batch", {summary}, frames, result.seconds, {},
                  fmt::format("batch: {} trials, {} ok, {} failed, {} skipped (complete before) in {:.2f} s",
                              result.trials.size(), ok, failed, skipped, result.seconds),
                  fmt::format("\"ok\": {}, \"failed\": {}, \"skipped\": {}, \"trials\": {}", ok, failed, skipped,
                              tools::format_batch_trials_json(result)));
    if (failed > 0)
      throw std::runtime_error(fmt::format("{} of {} trials failed (see {})", failed, result.trials.size(), summary.string()));
  });
}

}  // namespace femur::cli
