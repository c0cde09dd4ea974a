#include "support/test_data.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
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
CliRun run_cli(const std::string& args) {
  const fs::path dir = temp_dir("cli");
  const fs::path out = dir / "out.txt", err = dir / "err.txt";
  const std::string cmd =
      std::string("\"") + FEMUR_CLI + "\" " + args + " >\"" + out.string() + "\" 2>\"" + err.string() + "\"";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(out), read_text(err)};
}
#endif

}  // namespace femur::test
