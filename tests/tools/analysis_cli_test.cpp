// `femur so`, `femur jr` and `femur scale` as a user runs them: the built binary on the joint-reaction
// tutorial (exit 0, OpenSim-named files written), and a missing required flag (exit 2).
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "femur/io/osim_reader.hpp"
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
  ASSERT_EQ(run("so" + common + " --out-dir \"" + (out / "so").string() + "\""), 0);
  const fs::path forces = out / "so" / "subject01_StaticOptimization_force.sto";
  EXPECT_TRUE(fs::exists(out / "so" / "subject01_StaticOptimization_activation.sto"));
  ASSERT_TRUE(fs::exists(forces));
  ASSERT_EQ(run("jr" + common + " --forces \"" + forces.string() + "\" --joints hip_r knee_r --out-dir \"" +
                (out / "jr").string() + "\""),
            0);
  EXPECT_GT(fs::file_size(out / "jr" / "subject01_JointReaction_ReactionLoads.sto"), 0u);
  // The volume-weighted cost runs the same inputs and gives other forces.
  ASSERT_EQ(run("so" + common + " --weighting volume --out-dir \"" + (out / "so_volume").string() + "\""), 0);
  EXPECT_NE(test::read_text(out / "so_volume" / "subject01_StaticOptimization_force.sto"), test::read_text(forces));
  // --weighting takes none or volume only: anything else is a usage error, nothing written.
  EXPECT_EQ(run("so" + common + " --weighting pcsa --out-dir \"" + (out / "so_pcsa").string() + "\""), 2);
  EXPECT_FALSE(fs::exists(out / "so_pcsa"));
}

TEST(AnalysisCli, AMissingRequiredFlagIsAUsageError) {
  EXPECT_EQ(run("so --coordinates x.sto"), 2);
  EXPECT_EQ(run("jr --model x.osim --coordinates x.sto"), 2);
}

// `femur scale` builds the ScaleSetup and runs it through run_setup: a manual pelvis scale of
// 1.1 moves the hip joints' frames on the pelvis by exactly 1.1 and leaves the knee's (on the
// femur) alone; the model written is one `femur model info` reads.
TEST(ScaleCommandCli, AManualPelvisScaleWritesAModelThatModelInfoReads) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path d = test::opensim_file("Pipelines/Gait2354_Simbody");
  const fs::path out = test::temp_dir("scale-cli") / "out.osim";
  const fs::path generic = d / "gait2354_simbody.osim";
  const test::CliRun r = test::run_cli("scale --model \"" + generic.string() + "\" --markers \"" +
                                       (d / "subject01_static.trc").string() +
                                       "\" --scale pelvis 1.1 1.1 1.1 -o \"" + out.string() + "\"");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::exists(out));
  EXPECT_EQ(test::run_cli("model info \"" + out.string() + "\"").exit_code, 0);
  const Model before = io::read_osim(generic);
  const Model after = io::read_osim(out);
  for (const char* joint : {"hip_r", "hip_l"}) {
    const Vec3 p0 = before.joints[before.joint_index(joint)].X_parent_F.p;
    const Vec3 p1 = after.joints[after.joint_index(joint)].X_parent_F.p;
    ASSERT_GT(p0.norm(), 0.01) << joint;
    EXPECT_LT((p1 - 1.1 * p0).norm(), 1e-12) << joint;
  }
  const Vec3 k0 = before.joints[before.joint_index("knee_r")].X_parent_F.p;
  const Vec3 k1 = after.joints[after.joint_index("knee_r")].X_parent_F.p;
  EXPECT_LT((k1 - k0).norm(), 1e-12);
}

TEST(ScaleCommandCli, AMissingRequiredFlagOrABadScaleIsAUsageError) {
  EXPECT_EQ(test::run_cli("scale --markers x.trc -o out.osim").exit_code, 2);  // no --model
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path generic = test::opensim_file("Pipelines/Gait2354_Simbody/gait2354_simbody.osim");
  EXPECT_EQ(test::run_cli("scale --model \"" + generic.string() + "\"").exit_code, 2);  // no -o
  EXPECT_EQ(test::run_cli("scale --model \"" + generic.string() + "\" --scale pelvis 1 x 1 -o o.osim").exit_code, 2);
  EXPECT_EQ(test::run_cli("scale --model \"" + generic.string() + "\" --place-markers -o o.osim").exit_code, 2);
}

}  // namespace
}  // namespace femur
