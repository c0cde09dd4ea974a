// Every subcommand's `--help` example, run as written in the folder of the shipped data it
// names (docs/cli.md): each exits 0. An example is a footer line starting with "  femur ",
// continued by lines while it ends with '\'; a trailing "# comment" is dropped.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

struct Run {
  int exit_code = -1;
  std::string out, err;
};

// FEMUR_CLI with `args` (as a shell reads them) in folder `dir`.
Run run_in(const fs::path& dir, const std::string& args) {
  const fs::path logs = test::temp_dir("help-example-logs");
  const std::string cmd = "cd \"" + dir.string() + "\" && \"" + FEMUR_CLI + "\" " + args + " >\"" +
                          (logs / "out").string() + "\" 2>\"" + (logs / "err").string() + "\"";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, test::read_text(logs / "out"), test::read_text(logs / "err")};
}

// The examples of `femur <command> --help`, each as the arguments after "femur".
std::vector<std::string> examples_of(const std::string& command) {
  const Run help = run_in(fs::temp_directory_path(), command + " --help");
  EXPECT_EQ(help.exit_code, 0) << command << ": " << help.err;
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

void run_examples(const std::string& command, const fs::path& dir, size_t at_least = 1) {
  const std::vector<std::string> examples = examples_of(command);
  EXPECT_GE(examples.size(), at_least) << "femur " << command << " --help shows no example";
  for (const std::string& e : examples) {
    SCOPED_TRACE("femur " + e);
    EXPECT_EQ(e.rfind(command + " ", 0) == 0 || e == command, true) << "an example of another command";
    const Run r = run_in(dir, e);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
}

fs::path gait2354() {
  const fs::path dir = test::copy_opensim_folder("Pipelines/Gait2354_Simbody", "help-2354");
  // Scale's output, which the IK and ID setups read.
  fs::copy_file(dir / "OutputReference" / "subject01_simbody.osim", dir / "subject01_simbody.osim");
  return dir;
}

TEST(CliHelpExamples, RunIkAndIdOnTheGait2354Pipeline) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = gait2354();
  run_examples("run", dir);
  run_examples("ik", dir, 2);
  run_examples("id", dir);
}

TEST(CliHelpExamples, ScaleOnTheGait2354Pipeline) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = gait2354();
  run_examples("scale", dir);
  EXPECT_TRUE(fs::exists(dir / "static_pose.mot"));
}

TEST(CliHelpExamples, InverseOnMocosMocoInverseProblem) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Moco/MocoInverse", "help-inverse");
  run_examples("inverse", dir);
  EXPECT_TRUE(fs::exists(dir / "inverse_solution.sto"));
}

TEST(CliHelpExamples, SoThenJrOnTheJointReactionTutorial) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Tutorials/Estimating_Joint_Reaction_Loads", "help-jr");
  run_examples("so", dir);
  run_examples("jr", dir);  // reads what the so example wrote
  EXPECT_TRUE(fs::exists(dir / "ResultsJointReaction" / "subject01_JointReaction_ReactionLoads.sto"));
}

TEST(CliHelpExamples, ConvertOnTheShippedC3d) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("c3d", "help-c3d");
  run_examples("convert", dir);
  EXPECT_TRUE(fs::exists(dir / "results" / "walking2.trc"));
}

TEST(CliHelpExamples, ModelSubcommands) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::temp_dir("help-model");
  fs::copy_file(test::opensim_file("Tests/Analyze/arm26.osim"), dir / "arm26.osim");
  run_examples("model info", dir, 2);
  run_examples("model convert", dir);
  run_examples("model export-hip", dir);
}

TEST(CliHelpExamples, ScenarioAndDemo) {
  const fs::path dir = test::temp_dir("help-scenario");
  run_examples("scenario", dir, 2);
  run_examples("demo", dir);
  EXPECT_TRUE(fs::exists(dir / "out" / "report.html"));
}

}  // namespace
}  // namespace femur
