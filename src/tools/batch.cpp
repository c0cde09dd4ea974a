// Batch runs (tools/batch.hpp): finding trials, running them on a TBB task arena, the
// completion records that make a batch resumable, and the summary table.
#include "femur/tools/batch.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "femur/io/atomic_file.hpp"
#include "femur/io/error.hpp"
#include "femur/io/setup.hpp"
#include "femur/math/parallel.hpp"
#include "femur/tools/run_setup.hpp"

namespace femur::tools {

namespace fs = std::filesystem;

namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

bool hidden(const fs::path& p) {
  const std::string n = p.filename().string();
  return !n.empty() && n[0] == '.';
}

// DIR/.femur-batch/<id with '/' as '__'>.done
fs::path record_path(const fs::path& root, const std::string& id) {
  std::string name = id;
  for (char& c : name)
    if (c == '/' || c == '\\') c = '_';
  return root / ".femur-batch" / (name + ".done");
}

// A completion record: the setup's modification time, then "size<TAB>path" per output.
std::string format_record(const BatchTrial& trial, const std::vector<fs::path>& files) {
  std::string s = fmt::format("setup\t{}\n", fs::last_write_time(trial.setup).time_since_epoch().count());
  for (const fs::path& f : files) s += fmt::format("{}\t{}\n", fs::file_size(f), f.string());
  return s;
}

// True when the record exists, the setup has not changed since, and every output it lists
// is still there with its size.
bool record_is_complete(const fs::path& record, const BatchTrial& trial) {
  std::ifstream in(record);
  if (!in) return false;
  std::string line;
  if (!std::getline(in, line)) return false;
  std::error_code ec;
  const auto setup_time = fs::last_write_time(trial.setup, ec);
  if (ec || line != fmt::format("setup\t{}", setup_time.time_since_epoch().count())) return false;
  int files = 0;
  while (std::getline(in, line)) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) return false;
    const fs::path f = line.substr(tab + 1);
    const auto size = fs::file_size(f, ec);
    if (ec || std::to_string(size) != line.substr(0, tab)) return false;
    ++files;
  }
  return files > 0;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Splits one CSV line (RFC 4180 quoting, no embedded newlines).
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  for (auto& f : out) {
    const size_t b = f.find_first_not_of(" \t");
    const size_t e = f.find_last_not_of(" \t");
    f = b == std::string::npos ? "" : f.substr(b, e - b + 1);
  }
  return out;
}

// The progress line: "batch: 37/500 trials, 2 failed, 41 s left".
class BatchProgress {
 public:
  BatchProgress(size_t total, bool show) : total_(total), on_(show && isatty(STDERR_FILENO)), start_(now_seconds()) {}
  void update(size_t done, size_t failed) {
    if (!on_) return;
    const double t = now_seconds();
    if (t < next_ && done < total_) return;
    next_ = t + 0.1;
    const double left = done > 0 ? (t - start_) / static_cast<double>(done) * static_cast<double>(total_ - done) : 0.0;
    std::fprintf(stderr, "\rbatch: %zu/%zu trials, %zu failed, %.0f s left   ", done, total_, failed, std::ceil(left));
    std::fflush(stderr);
    printed_ = true;
  }
  ~BatchProgress() {
    if (printed_) std::fprintf(stderr, "\n");
  }

 private:
  size_t total_;
  bool on_;
  double start_, next_ = 0.0;
  bool printed_ = false;
};

}  // namespace

const char* trial_status_name(TrialStatus s) {
  switch (s) {
    case TrialStatus::ok:
      return "ok";
    case TrialStatus::failed:
      return "failed";
    case TrialStatus::skipped:
      return "skipped";
  }
  return "?";
}

int BatchResult::count(TrialStatus s) const {
  return static_cast<int>(std::count_if(trials.begin(), trials.end(), [s](const TrialResult& t) { return t.status == s; }));
}

BatchPlan find_batch_trials(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw std::runtime_error(dir.string() + ": not a folder");
  BatchPlan plan;
  plan.root = dir;
  std::vector<fs::path> found;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    if (hidden(it->path())) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || it->path().extension() != ".xml") continue;
    try {
      if (io::classify_opensim_xml(it->path()).kind != io::OpenSimXmlKind::tool_setup) continue;
    } catch (const io::ParseError&) {
      // Not well-formed: listed, so that the batch reports why it cannot run.
    }
    found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  for (const fs::path& p : found) plan.trials.push_back({p.lexically_relative(dir).generic_string(), p, {}});
  return plan;
}

BatchPlan read_batch_manifest(const fs::path& manifest) {
  std::ifstream in(manifest);
  if (!in) throw std::runtime_error(manifest.string() + ": cannot be read");
  BatchPlan plan;
  plan.root = manifest.parent_path().empty() ? fs::path(".") : manifest.parent_path();
  const std::string file = manifest.string();
  std::set<std::string> ids;
  auto add = [&](std::string setup, std::string out_dir, std::string id, int line) {
    if (setup.empty()) throw io::ParseError(file, line, "trial without a setup");
    fs::path s(setup);
    if (s.is_relative()) s = plan.root / s;
    fs::path o(out_dir);
    if (!out_dir.empty() && o.is_relative()) o = plan.root / o;
    if (id.empty()) id = s.lexically_relative(plan.root).generic_string() + (out_dir.empty() ? "" : " -> " + out_dir);
    if (!ids.insert(id).second) throw io::ParseError(file, line, "trial '" + id + "' listed twice");
    plan.trials.push_back({id, s, out_dir.empty() ? fs::path() : o});
  };
  if (manifest.extension() == ".json") {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
      throw io::ParseError(file, 0, std::string("not valid JSON: ") + e.what());
    }
    if (j.is_object() && j.contains("trials")) j = j["trials"];
    if (!j.is_array()) throw io::ParseError(file, 0, "expected a list of trials (or {\"trials\": [...]})");
    for (size_t i = 0; i < j.size(); ++i) {
      const auto& t = j[i];
      auto str = [&](const char* key) {
        if (!t.contains(key)) return std::string();
        if (!t[key].is_string()) throw io::ParseError(file, 0, fmt::format("trial {}: '{}' must be a string", i + 1, key));
        return t[key].get<std::string>();
      };
      if (!t.is_object()) throw io::ParseError(file, 0, fmt::format("trial {} is not an object", i + 1));
      add(str("setup"), str("out_dir"), str("id"), 0);
    }
    return plan;
  }
  std::string line;
  int number = 0;
  std::vector<std::string> header;
  int setup_col = -1, out_col = -1, id_col = -1;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::vector<std::string> fields = split_csv(line);
    if (header.empty()) {
      header = fields;
      for (size_t c = 0; c < header.size(); ++c) {
        if (header[c] == "setup") setup_col = static_cast<int>(c);
        if (header[c] == "out_dir") out_col = static_cast<int>(c);
        if (header[c] == "id") id_col = static_cast<int>(c);
      }
      if (setup_col < 0) throw io::ParseError(file, number, "the header names no 'setup' column");
      continue;
    }
    if (fields.size() != header.size())
      throw io::ParseError(file, number, fmt::format("{} fields, the header has {}", fields.size(), header.size()));
    add(fields[static_cast<size_t>(setup_col)], out_col >= 0 ? fields[static_cast<size_t>(out_col)] : "",
        id_col >= 0 ? fields[static_cast<size_t>(id_col)] : "", number);
  }
  if (header.empty()) throw io::ParseError(file, 1, "empty manifest");
  return plan;
}

TrialResult run_trial(const BatchTrial& trial) {
  TrialResult r;
  r.id = trial.id;
  std::vector<std::string> warnings;
  const io::SetupFile setup = io::read_setup(trial.setup, &warnings);
  io::require_inputs_exist(setup);
  RunOptions options;
  options.threads = 1;
  options.quiet = true;
  options.output_directory = trial.output_directory;
  const RunReport report = run_setup(setup, options);
  r.files_written = report.files_written;
  r.frames = report.frames;
  r.status = TrialStatus::ok;
  return r;
}

BatchResult run_batch(const BatchPlan& plan, const BatchOptions& options) {
  const double start = now_seconds();
  BatchResult result;
  result.trials.resize(plan.trials.size());
  const int threads = options.threads > 0 ? options.threads : default_thread_count();
  std::mutex mutex;  // serializes on_trial, progress and the record folder's creation
  size_t done = 0, failed = 0;
  BatchProgress progress(plan.trials.size(), options.show_progress);

  auto run_one = [&](size_t i) {
    const BatchTrial& trial = plan.trials[i];
    TrialResult& r = result.trials[i];
    const fs::path record = record_path(plan.root, trial.id);
    if (options.resume && record_is_complete(record, trial)) {
      r.id = trial.id;
      r.status = TrialStatus::skipped;
    } else {
      std::error_code ec;
      fs::remove(record, ec);  // redone: the old record no longer holds
      const double t0 = now_seconds();
      try {
        r = run_trial(trial);
        fs::create_directories(record.parent_path());
        io::write_file_atomically(record, format_record(trial, r.files_written));
      } catch (const std::exception& e) {
        r = TrialResult{};
        r.id = trial.id;
        r.status = TrialStatus::failed;
        r.error = e.what();
      } catch (...) {
        r = TrialResult{};
        r.id = trial.id;
        r.status = TrialStatus::failed;
        r.error = "unknown error";
      }
      r.seconds = now_seconds() - t0;
    }
    std::lock_guard<std::mutex> lock(mutex);
    ++done;
    if (r.status == TrialStatus::failed) ++failed;
    progress.update(done, failed);
    if (options.on_trial) options.on_trial(r);
  };

  // One trial per task: trials differ in length by orders of magnitude, so work stealing
  // balances them; each task builds its own Model and Data.
  parallel_for(plan.trials.size(), threads, run_one);
  result.seconds = now_seconds() - start;
  return result;
}

std::string format_batch_summary_csv(const BatchResult& result) {
  std::string s = "setup,status,seconds,error\n";
  for (const TrialResult& t : result.trials) {
    std::string error = t.error;
    std::replace(error.begin(), error.end(), '\n', ' ');
    s += fmt::format("{},{},{:.3f},{}\n", csv_field(t.id), trial_status_name(t.status), t.seconds, csv_field(error));
  }
  return s;
}

namespace {

nlohmann::json trials_json(const BatchResult& result) {
  nlohmann::json trials = nlohmann::json::array();
  for (const TrialResult& t : result.trials) {
    nlohmann::json e{{"setup", t.id}, {"status", trial_status_name(t.status)}, {"seconds", t.seconds}, {"error", t.error}};
    e["files_written"] = nlohmann::json::array();
    for (const auto& f : t.files_written) e["files_written"].push_back(f.string());
    trials.push_back(std::move(e));
  }
  return trials;
}

}  // namespace

std::string format_batch_trials_json(const BatchResult& result) { return trials_json(result).dump(); }

std::string format_batch_summary_json(const BatchResult& result) {
  nlohmann::json j;
  j["seconds"] = result.seconds;
  j["ok"] = result.count(TrialStatus::ok);
  j["failed"] = result.count(TrialStatus::failed);
  j["skipped"] = result.count(TrialStatus::skipped);
  j["trials"] = trials_json(result);
  return j.dump(2) + "\n";
}

void write_batch_summary(const fs::path& path, const BatchResult& result) {
  io::write_file_atomically(path, path.extension() == ".json" ? format_batch_summary_json(result)
                                                              : format_batch_summary_csv(result));
}

}  // namespace femur::tools
