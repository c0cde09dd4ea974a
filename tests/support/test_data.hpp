// Shared test fixtures: where OpenSim's reference data live, and skipping when absent.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace femur::test {

// ../shared/opensim beside the project, or $FEMUR_OPENSIM_DATA. Empty if neither exists.
std::filesystem::path opensim_data();

// FEMUR_REQUIRE_DATA=1 (set by .ci/run): a missing data folder fails the tests that need it
// instead of skipping them.
bool data_required();

// Path of a file under the OpenSim data folder (not checked).
std::filesystem::path opensim_file(const std::string& relative);

// This project's source tree (for tests/data).
std::filesystem::path source_dir();

// A fresh empty temporary directory, removed at process exit.
std::filesystem::path temp_dir(const std::string& tag);

// Whole content of a text file ("" if it cannot be read), and its writer.
std::string read_text(const std::filesystem::path& file);
void write_text(const std::filesystem::path& file, const std::string& text);

// A copy of a folder of the OpenSim data (relative path) in a fresh temporary directory,
// so setups can run there without writing into the shared folder.
std::filesystem::path copy_opensim_folder(const std::string& relative, const std::string& tag);

// The femur command line (FEMUR_CLI) run with `args` (already quoted as a shell needs):
// its exit code and what it printed on stdout and stderr.
struct CliRun {
  int exit_code = -1;
  std::string out, err;
};
CliRun run_cli(const std::string& args);
// The same, run in folder `dir` (a `cd` first).
CliRun run_cli_in(const std::filesystem::path& dir, const std::string& args);

// The examples of `femur <command> --help` (docs/cli.md), each as the arguments after "femur":
// a footer line starting with "  femur ", continued by lines while it ends with '\'; a
// trailing "# comment" is dropped.
std::vector<std::string> help_examples(const std::string& command);

}  // namespace femur::test

// Skips the current test with a printed reason when the OpenSim data folder is missing, or
// fails it when FEMUR_REQUIRE_DATA=1.
#define FEMUR_REQUIRE_OPENSIM_DATA()                                                          \
  do {                                                                                        \
    if (::femur::test::opensim_data().empty()) {                                              \
      if (::femur::test::data_required())                                                     \
        FAIL() << "OpenSim reference data not found and FEMUR_REQUIRE_DATA=1 (set "           \
                  "FEMUR_OPENSIM_DATA or place it at ../shared/opensim)";                      \
      GTEST_SKIP() << "OpenSim reference data not found (set FEMUR_OPENSIM_DATA or place it " \
                      "at ../shared/opensim)";                                                \
    }                                                                                         \
  } while (0)
