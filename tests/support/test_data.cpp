#include "support/test_data.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <random>
#include <vector>

namespace femur::test {
namespace fs = std::filesystem;

fs::path source_dir() { return fs::path(FEMUR_SOURCE_DIR); }

fs::path opensim_data() {
  if (const char* env = std::getenv("FEMUR_OPENSIM_DATA"); env && *env) {
    return fs::is_directory(env) ? fs::path(env) : fs::path();
  }
  const fs::path beside = source_dir().parent_path() / "shared" / "opensim";
  return fs::is_directory(beside) ? beside : fs::path();
}

bool data_required() {
  const char* env = std::getenv("FEMUR_REQUIRE_DATA");
  return env && std::string(env) == "1";
}

fs::path opensim_file(const std::string& relative) { return opensim_data() / relative; }

namespace {
struct TempDirs {
  std::vector<fs::path> dirs;
  ~TempDirs() {
    std::error_code ec;
    for (const auto& d : dirs) fs::remove_all(d, ec);
  }
};
TempDirs& temp_dirs() {
  static TempDirs t;
  return t;
}
}  // namespace

fs::path temp_dir(const std::string& tag) {
  std::random_device rd;
  fs::path dir = fs::temp_directory_path() / ("femur-" + tag + "-" + std::to_string(rd()));
  fs::create_directories(dir);
  temp_dirs().dirs.push_back(dir);
  return dir;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& file, const std::string& text) { std::ofstream(file) << text; }

fs::path copy_opensim_folder(const std::string& relative, const std::string& tag) {
  const fs::path dir = temp_dir(tag);
  fs::copy(opensim_file(relative), dir, fs::copy_options::recursive);
  return dir;
}

#ifdef FEMUR_CLI
CliRun run_cli_in(const fs::path& dir, const std::string& args) {
  const fs::path logs = temp_dir("cli");
  const fs::path out = logs / "out.txt", err = logs / "err.txt";
  const std::string cmd = "cd \"" + dir.string() + "\" && \"" + FEMUR_CLI + "\" " + args + " >\"" + out.string() +
                          "\" 2>\"" + err.string() + "\"";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(out), read_text(err)};
}

CliRun run_cli(const std::string& args) { return run_cli_in(fs::current_path(), args); }

std::vector<std::string> help_examples(const std::string& command) {
  const CliRun help = run_cli(command + " --help");
  if (help.exit_code != 0) throw std::runtime_error("femur " + command + " --help failed: " + help.err);
  std::vector<std::string> examples;
  std::istringstream in(help.out);
  std::string line, current;
  bool continued = false;
  while (std::getline(in, line)) {
    if (!continued) {
      if (line.rfind("  femur ", 0) != 0) continue;
      current = line.substr(8);
    } else {
      current += " " + line.substr(line.find_first_not_of(' '));
    }
    continued = !current.empty() && current.back() == '\\';
    if (continued) {
      current.pop_back();
      continue;
    }
    if (const size_t hash = current.find(" #"); hash != std::string::npos) current.erase(hash);
    examples.push_back(current);
  }
  return examples;
}
#endif

}  // namespace femur::test
