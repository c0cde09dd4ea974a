#include "femur/io/output_files.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "femur/io/error.hpp"

namespace femur::io {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTemporaryTag = ".femur-tmp-";

// The same file for two spellings of a path: the same inode when both exist, else the same
// absolute, normalized path (symbolic links resolved as far as they exist).
bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
  const fs::path ca = fs::weakly_canonical(fs::absolute(a, ec), ec);
  const fs::path cb = fs::weakly_canonical(fs::absolute(b, ec), ec);
  return ca == cb;
}

bool process_alive(long pid) {
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) == 0) return true;
  return errno == EPERM;  // it exists, owned by someone else
}

}  // namespace

fs::path temporary_path(const fs::path& path) {
  fs::path tmp = path;
  tmp += std::string(kTemporaryTag) + std::to_string(::getpid());
  return tmp;
}

void remove_stale_temporaries(const fs::path& path) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const std::string prefix = path.filename().string() + std::string(kTemporaryTag);
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) continue;
    if (process_alive(std::stol(digits))) continue;  // another run writing the same file now
    std::error_code rm;
    fs::remove(it->path(), rm);
  }
}

std::string first_non_finite(const Table& t) {
  for (Eigen::Index r = 0; r < t.time.size(); ++r) {
    if (!std::isfinite(t.time[r])) return fmt::format("row {} (time {})", r + 1, t.time[r]);
    for (Eigen::Index c = 0; c < t.data.cols(); ++c)
      if (!std::isfinite(t.data(r, c)))
        return fmt::format("time {}, column '{}'", t.time[r],
                           c < static_cast<Eigen::Index>(t.labels.size()) ? t.labels[static_cast<size_t>(c)] : "?");
  }
  return {};
}

OutputFiles::OutputFiles(std::vector<fs::path> inputs) : inputs_(std::move(inputs)) {}

OutputFiles::~OutputFiles() {
  if (committed_) return;
  std::error_code ec;
  for (const Staged& s : staged_) fs::remove(s.temporary, ec);
  for (auto it = created_folders_.rbegin(); it != created_folders_.rend(); ++it) {
    if (fs::is_directory(*it, ec) && fs::is_empty(*it, ec)) fs::remove(*it, ec);
  }
}

void OutputFiles::add_input(const fs::path& input) {
  if (!input.empty()) inputs_.push_back(input);
}

void OutputFiles::claim(const fs::path& path, const std::string& origin) {
  if (path.empty()) throw UsageError(origin + "an output file name is empty");
  for (const fs::path& in : inputs_)
    if (same_file(path, in)) {
      const std::string also = in == path ? "" : " (as " + in.string() + ")";
      throw UsageError(origin + path.string() + " is also an input" + also + "; refusing to overwrite it");
    }
  for (const fs::path& out : claimed_)
    if (same_file(path, out)) throw UsageError(origin + path.string() + " is written twice by this command");
  claimed_.push_back(path);
}

void OutputFiles::stage(const fs::path& path, const std::string& content) {
  bool known = false;
  for (const fs::path& out : claimed_) known = known || out == path;
  if (!known) claim(path);
  if (committed_) throw std::logic_error("OutputFiles: stage after commit");

  // The folders that do not exist yet, outermost first, created now and removed on failure.
  std::vector<fs::path> missing;
  std::error_code ec;
  fs::path dir = path.parent_path();
  for (; !dir.empty() && !fs::exists(dir, ec); dir = dir.parent_path()) {
    missing.push_back(dir);
    if (dir == dir.parent_path()) break;
  }
  if (!dir.empty() && fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw std::runtime_error(path.string() + ": cannot write it: " + dir.string() + " is a file, not a folder");
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    std::error_code mk;
    if (!fs::create_directory(*it, mk) && mk)
      throw std::runtime_error(path.string() + ": cannot create folder " + it->string() + ": " + mk.message());
    created_folders_.push_back(*it);
  }

  remove_stale_temporaries(path);
  const fs::path tmp = temporary_path(path);
  staged_.push_back({path, tmp});
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(path.string() + ": cannot open for writing");
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.flush();
  if (!out) throw std::runtime_error(path.string() + ": write failed (disk full?)");
}

void OutputFiles::stage_sto(const fs::path& path, const Table& table, const StoWriteOptions& options) {
  if (const std::string bad = first_non_finite(table); !bad.empty())
    throw std::runtime_error(path.string() + ": the result at " + bad +
                             " is not finite; an input value is out of range near that time");
  stage(path, format_sto(table, options));
}

std::vector<fs::path> OutputFiles::commit() {
  std::vector<fs::path> written;
  for (const Staged& s : staged_) {
    std::error_code ec;
    fs::rename(s.temporary, s.target, ec);
    if (ec) throw std::runtime_error(s.target.string() + ": cannot rename temporary file: " + ec.message());
    written.push_back(s.target);
  }
  committed_ = true;
  return written;
}

}  // namespace femur::io
