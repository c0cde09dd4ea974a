// Batch runs: many tool setups (trials), each run as `femur run` runs it, on every core.
// Trials come from a folder (every OpenSim tool setup found under it) or from a manifest
// (CSV or JSON: setup file, optional output folder and id). Each trial runs on its own (one
// Model and Data per trial, one trial per TBB task); a trial that fails is reported with its
// error and never stops the others. Resumable: a trial that succeeded leaves a completion
// record (DIR/.femur-batch/<id>.done, written atomically after its outputs were committed,
// listing them with their sizes); a later run skips it while those files are intact and the
// setup is not newer, and redoes every other trial. Outputs are committed atomically by the
// tools (io::OutputFiles), so a killed batch leaves no partial output.
//
//   tools::BatchPlan plan = tools::find_batch_trials("study/");
//   tools::BatchResult r = tools::run_batch(plan, {.threads = 0});
//   tools::write_batch_summary(plan.root / "batch_summary.csv", r);
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace femur::tools {

struct BatchTrial {
  std::string id;                          // the setup's path relative to the root (or the manifest's id)
  std::filesystem::path setup;             // the setup file
  std::filesystem::path output_directory;  // empty: the setup's own results_directory
};

struct BatchPlan {
  std::filesystem::path root;      // where batch_summary.csv and .femur-batch/ go
  std::vector<BatchTrial> trials;  // in id order
};

// Every tool setup file (io::classify_opensim_xml) under `dir`, recursively, in path order.
// An .xml file that is not well-formed XML is listed too (it fails with its parse error: it
// may be a broken setup); other XML files (models, external loads, marker sets, ...) are not.
// Hidden folders (.femur-batch, ...) are skipped. Throws std::runtime_error when `dir` is not
// a folder.
BatchPlan find_batch_trials(const std::filesystem::path& dir);

// A manifest of trials: CSV with a header naming the columns `setup` (required), `out_dir`
// and `id` (optional), or JSON, a list of objects with the same keys (or {"trials": [...]}).
// Relative paths are taken from the manifest's folder, which is the plan's root. Throws
// io::ParseError "manifest:LINE: ..." for a missing column, an empty setup or a duplicate id.
BatchPlan read_batch_manifest(const std::filesystem::path& manifest);

enum class TrialStatus { ok, failed, skipped };
const char* trial_status_name(TrialStatus s);  // "ok", "failed", "skipped"

struct TrialResult {
  std::string id;
  TrialStatus status = TrialStatus::failed;
  double seconds = 0.0;  // wall time of the trial (0 when skipped)
  std::string error;     // the exception message when failed
  std::vector<std::filesystem::path> files_written;
  int frames = 0;        // frames the tool computed
};

struct BatchOptions {
  int threads = 0;          // worker threads; 0 = every core
  bool resume = true;       // skip trials recorded complete by an earlier run
  bool show_progress = false;  // done/failed/ETA on stderr (only when stderr is a terminal)
  // Called after each trial (from the worker that ran it, serialized); may be empty.
  std::function<void(const TrialResult&)> on_trial;
};

struct BatchResult {
  std::vector<TrialResult> trials;  // in plan order
  double seconds = 0.0;             // wall time
  int count(TrialStatus s) const;
};

// Runs every trial of the plan. Never throws for a trial's failure (it is in the result).
BatchResult run_batch(const BatchPlan& plan, const BatchOptions& options);

// One trial as `femur run SETUP [--out-dir DIR]` (threads 1, quiet). Throws on failure.
TrialResult run_trial(const BatchTrial& trial);

// The summary: CSV "setup,status,seconds,error" (one row per trial, RFC 4180 quoting), or
// the same as JSON; written atomically.
void write_batch_summary(const std::filesystem::path& path, const BatchResult& result);
std::string format_batch_summary_csv(const BatchResult& result);
std::string format_batch_summary_json(const BatchResult& result);
// Each trial as a JSON object {"setup", "status", "seconds", "error", "files_written"}, in a
// one-line JSON list (the CLI's --json summary).
std::string format_batch_trials_json(const BatchResult& result);

}  // namespace femur::tools
