// `femur model info` run as a user runs it: the built binary (FEMUR_CLI), its stdout,
// stderr and exit code.
#include <array>
#include <sys/wait.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "support/test_data.hpp"

namespace {

using femur::test::CliRun;
using femur::test::run_cli;

namespace fs = std::filesystem;

TEST(ModelInfoCli, PrintsTheCountsOfGait2392) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto file = femur::test::opensim_file("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim");
  const CliRun r = run_cli("model info \"" + file.string() + "\"");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("model:        3DGaitModel2392"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("OpenSim document version 40000"), std::string::npos);
  EXPECT_NE(r.out.find("bodies:       12 (+ ground 'ground')"), std::string::npos);
  // The credit, shortened to its first 100 characters (the file's text is longer).
  EXPECT_NE(r.out.find("credits:      Delp S.L., Loan J.P., Hoy M.G."), std::string::npos);
  EXPECT_NE(r.out.find(" ...\n"), std::string::npos);
  EXPECT_NE(r.out.find("joints:       12 (CustomJoint: 12)"), std::string::npos);
  EXPECT_NE(r.out.find("coordinates:  23"), std::string::npos);
  EXPECT_NE(r.out.find("forces:       92 (Thelen2003Muscle: 92)"), std::string::npos);
  // knee_angle_r: range -2.0943951 .. 0.17453293 rad shown in degrees.
  EXPECT_NE(r.out.find("knee_angle_r      rotational         0.000  [ -120.000,    10.000]  deg"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("pelvis_ty         translational      0.950  [   -1.000,     2.000]  m"), std::string::npos);
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(ModelInfoCli, EmitsJson) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto file = femur::test::opensim_file("Tests/MomentArms/CoupledCoordinatesMPPsMomentArmTest.osim");
  const CliRun r = run_cli("model info --json \"" + file.string() + "\"");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"version\": 30000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"credits\": \"Unassigned\""), std::string::npos);  // as the file says
  EXPECT_NE(r.out.find("\"joints\": {\"count\": 4, \"by_type\": {\"PinJoint\": 2, \"PlanarJoint\": 1, \"WeldJoint\": 1}}"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"constraints\": {\"count\": 3, \"by_type\": {\"CoordinateCouplerConstraint\": 2, "
                       "\"WeldConstraint\": 1}}"),
            std::string::npos)
      << r.out;
  // The WeldConstraint warning is on stderr, and in the JSON.
  EXPECT_NE(r.err.find("femur: warning: "), std::string::npos);
  EXPECT_NE(r.err.find(":408: WeldConstraint 'WeldConstraint_1' is not enforced by femur yet"), std::string::npos);
  EXPECT_NE(r.out.find("\"warnings\": [\""), std::string::npos);
}

TEST(ModelInfoCli, BadFileExitsWithOneAndTheMessage) {
  const auto file = femur::test::source_dir() / "tests" / "data" / "bad" / "osim_unknown_joint_type.osim";
  const CliRun r = run_cli("model info \"" + file.string() + "\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "femur: error: " + file.string() + ":16: unknown joint type 'HingeJoint' (joint 'hip')\n");
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(ModelInfoCli, MissingArgumentIsAUsageError) {
  const CliRun r = run_cli("model info");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(ModelInfoCli, HelpShowsAnExample) {
  const CliRun r = run_cli("model info --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example:"), std::string::npos) << r.out;
}

}  // namespace
