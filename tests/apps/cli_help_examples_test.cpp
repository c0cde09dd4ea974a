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

using test::CliRun;
using test::run_cli_in;

// Runs every example of `femur <command> --help` in `dir` but those containing `skip` (when
// not empty; the caller says which test covers them); each must exit 0.
void run_examples(const std::string& command, const fs::path& dir, size_t at_least = 1,
                  const std::string& skip = "") {
  const std::vector<std::string> examples = test::help_examples(command);
  EXPECT_GE(examples.size(), at_least) << "femur " << command << " --help shows no example";
  for (const std::string& e : examples) {
    SCOPED_TRACE("femur " + e);
    EXPECT_EQ(e.rfind(command + " ", 0) == 0 || e == command, true) << "an example of another command";
    if (!skip.empty() && e.find(skip) != std::string::npos) continue;
    const CliRun r = run_cli_in(dir, e);
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

// The forward example replays OpenSim's CMC result for Gait2354 (its controls and states from
// OutputReference/ResultsCMC) from the pipeline's folder.
TEST(CliHelpExamples, ForwardOnTheGait2354Pipeline) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Pipelines/Gait2354_Simbody", "help-forward");
  fs::copy_file(dir / "OutputReference" / "subject01_simbody_adjusted.osim", dir / "subject01_simbody_adjusted.osim");
  fs::copy(dir / "OutputReference" / "ResultsCMC", dir / "ResultsCMC");
  run_examples("forward", dir);
  EXPECT_TRUE(fs::exists(dir / "ResultsForward" / "forward_states.sto"));
}

// The batch examples on a study folder and a manifest of the Gait2354 IK and ID setups. The
// --dask example needs a cluster: python/tests/test_dask.py runs `femur batch --dask` on a
// local one.
TEST(CliHelpExamples, BatchOnAStudyFolderAndAManifest) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::temp_dir("help-batch");
  const fs::path study = dir / "study";
  fs::copy(test::opensim_file("Pipelines/Gait2354_Simbody"), study, fs::copy_options::recursive);
  fs::copy_file(study / "OutputReference" / "subject01_simbody.osim", study / "subject01_simbody.osim");
  fs::remove_all(study / "OutputReference");
  for (const char* keep : {"subject01_Setup_IK.xml", "subject01_Setup_InverseDynamics.xml"})
    EXPECT_TRUE(fs::exists(study / keep)) << keep;
  for (const auto& e : fs::directory_iterator(study)) {
    const std::string name = e.path().filename().string();
    if (name.find("_Setup_") != std::string::npos && name != "subject01_Setup_IK.xml" &&
        name != "subject01_Setup_InverseDynamics.xml")
      fs::remove(e.path());
  }
  test::write_text(dir / "trials.csv", "setup,out_dir\nstudy/subject01_Setup_IK.xml,ik_again\n");
  run_examples("batch", dir, 3, "--dask");
  EXPECT_TRUE(fs::exists(study / "batch_summary.csv"));
  EXPECT_TRUE(fs::exists(dir / "batch_summary.csv"));
  EXPECT_TRUE(fs::exists(dir / "ik_again"));
}

// The view examples: --export writes the page; the served one must print its URL and keep
// serving until stopped (timeout's exit status 124). The page itself is tested in a browser
// (tests/web).
TEST(CliHelpExamples, ViewServesAndExports) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path pipeline = test::copy_opensim_folder("Pipelines/Gait2392_Simbody", "help-view");
  const fs::path tutorial = test::copy_opensim_folder("Tutorials/Estimating_Joint_Reaction_Loads", "help-view-jr");
  const std::vector<std::string> examples = test::help_examples("view");
  ASSERT_EQ(examples.size(), 2u);
  for (const std::string& e : examples) {
    SCOPED_TRACE("femur " + e);
    if (e.find("--export") != std::string::npos) {
      const CliRun r = run_cli_in(tutorial, e);
      EXPECT_EQ(r.exit_code, 0) << r.err;
    } else {
      const std::string cmd = "cd \"" + pipeline.string() + "\" && timeout 8 \"" + FEMUR_CLI + "\" " + e + " >\"" +
                              (pipeline / "served.txt").string() + "\" 2>&1";
      const int status = std::system(cmd.c_str());
      EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 124) << test::read_text(pipeline / "served.txt");
      EXPECT_NE(test::read_text(pipeline / "served.txt").find("http://127.0.0.1:"), std::string::npos);
    }
  }
  EXPECT_TRUE(fs::exists(tutorial / "walk.html"));
}

TEST(CliHelpExamples, ScenarioAndDemo) {
  const fs::path dir = test::temp_dir("help-scenario");
  run_examples("scenario", dir, 2);
  run_examples("demo", dir);
  EXPECT_TRUE(fs::exists(dir / "out" / "report.html"));
}

}  // namespace
}  // namespace femur
