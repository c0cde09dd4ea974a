// `femur so` and `femur jr` as a user runs them: the built binary on the joint-reaction
// tutorial (exit 0, OpenSim-named files written), and a missing required flag (exit 2).
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

int run(const std::string& args) {
  const std::string cmd = std::string("cd / && \"") + FEMUR_CLI + "\" " + args + " >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(AnalysisCli, SoThenJrRunTheTutorialWithoutASetupFile) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path d = test::opensim_file("Tutorials/Estimating_Joint_Reaction_Loads");
  const fs::path out = test::temp_dir("analysis-cli");
  const std::string common = " --model \"" + (d / "subject01_simbody_adjusted_StaticOp.osim").string() +
                             "\" --coordinates \"" + (d / "subject01_walk1_Kinematics.sto").string() +
                             "\" --external-loads \"" + (d / "foot_floor_loads.xml").string() + "\" --actuators \"" +
                             (d / "gait2392_SO_weak_Residual_Actuators.xml").string() +
                             "\" --cutoff 6 --time-range 0.5 0.6 --name subject01 --quiet";
  ASSERT_EQ(run("so" + common + " -o \"" + (out / "so").string() + "\""), 0);
  const fs::path forces = out / "so" / "subject01_StaticOptimization_force.sto";
  EXPECT_TRUE(fs::exists(out / "so" / "subject01_StaticOptimization_activation.sto"));
  ASSERT_TRUE(fs::exists(forces));
  ASSERT_EQ(run("jr" + common + " --forces \"" + forces.string() + "\" --joints hip_r knee_r -o \"" +
                (out / "jr").string() + "\""),
            0);
  EXPECT_GT(fs::file_size(out / "jr" / "subject01_JointReaction_ReactionLoads.sto"), 0u);
}

TEST(AnalysisCli, AMissingRequiredFlagIsAUsageError) {
  EXPECT_EQ(run("so --coordinates x.sto"), 2);
  EXPECT_EQ(run("jr --model x.osim --coordinates x.sto"), 2);
}

}  // namespace
}  // namespace femur
