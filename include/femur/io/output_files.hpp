// The outputs of one command, committed together. A command claims every file it will write
// before computing (an output that is one of its inputs is refused then, as a usage error),
// stages each file's content as it is produced (written to a temporary file beside the
// target, so that a full disk or an unwritable folder fails before anything is renamed), and
// commits them all at the end. Destroyed without commit (an exception), it removes its
// temporary files and the folders it created: a failed command leaves nothing behind.
//
//   io::OutputFiles out({model_path, markers_path});  // the inputs
//   out.claim(motion_path);                             // before computing; throws UsageError
//   ... compute ...
//   out.stage_sto(motion_path, table);                  // temporary file written now
//   const auto written = out.commit();                  // every file renamed into place
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "femur/io/table.hpp"

namespace femur::io {

class OutputFiles {
 public:
  explicit OutputFiles(std::vector<std::filesystem::path> inputs = {});
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;
  ~OutputFiles();

  // Adds an input (a file the command reads): claiming it as an output is then refused.
  void add_input(const std::filesystem::path& input);

  // Declares `path` as an output. Throws UsageError "ORIGINPATH is also an input (...);
  // refusing to overwrite it" when it is one of the inputs (the same file, whatever the
  // spelling), and "ORIGINPATH is written twice by this command" when it was claimed before.
  // `origin` says where the name comes from ("setup.xml:12: <output_motion_file> ", "-o ").
  // Call before computing.
  void claim(const std::filesystem::path& path, const std::string& origin = "");

  // Writes `content` to the temporary file of `path` (claimed now if it was not), creating
  // its folder. Throws std::runtime_error naming `path` when it cannot be written.
  void stage(const std::filesystem::path& path, const std::string& content);
  // A table as write_sto writes it, after checking that every value is finite (throws
  // std::runtime_error "PATH: the result at time T, column C is not finite (...)").
  void stage_sto(const std::filesystem::path& path, const Table& table, const StoWriteOptions& options = {});

  // Renames every staged file into place and returns their paths, in staging order.
  std::vector<std::filesystem::path> commit();

 private:
  struct Staged {
    std::filesystem::path target, temporary;
  };
  std::vector<std::filesystem::path> inputs_, claimed_;
  std::vector<Staged> staged_;
  std::vector<std::filesystem::path> created_folders_;  // to remove (if empty) on failure
  bool committed_ = false;
};

// The first value of `table` (time included) that is not finite, as "time T, column C"
// (row number when the time itself is not finite); empty when every value is finite.
std::string first_non_finite(const Table& table);

// The temporary file write_file_atomically and OutputFiles write before renaming:
// "<name>.femur-tmp-<pid>" beside `path`. Those left by a process that no longer runs (a run
// killed with kill -9) are removed by remove_stale_temporaries(path), which every write of
// `path` calls first.
std::filesystem::path temporary_path(const std::filesystem::path& path);
void remove_stale_temporaries(const std::filesystem::path& path);

}  // namespace femur::io
