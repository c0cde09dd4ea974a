// The femur binary (FEMUR_CLI) on bad arguments and the messages of issue 21 (defects 7, 9
// and 10): each is refused with exit code 2 (a usage error) or 1 (a bad input) and a message
// that names what is wrong and where.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "femur/io/table.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;
using test::CliRun;
using test::run_cli;

std::string q(const fs::path& p) { return "\"" + p.string() + "\""; }

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

const char* kUsageTail = "\nRun with --help for more information.\n";

TEST(CliArguments, AnUnknownCommandIsNamed) {
  const CliRun r = run_cli("bogus");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("femur: error: unknown command 'bogus'; the commands are model, convert, run, ", 0), 0u)
      << r.err;
}

TEST(CliArguments, ModelInfoOnAFolderSaysItIsAFolder) {
  const fs::path dir = test::temp_dir("cli-args-dir");
  const CliRun r = run_cli("model info " + q(dir));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "femur: error: " + dir.string() + ": is a directory, not a file\n");
}

TEST(CliArguments, ScenarioUsageErrorsExit2) {
  CliRun r = run_cli("scenario no-such-scenario");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("femur: error: unknown scenario 'no-such-scenario'; scenarios: ", 0), 0u) << r.err;
  r = run_cli("scenario glute-med-weakness --set no_such_key=1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("femur: error: scenario 'glute-med-weakness': unknown key 'no_such_key'", 0), 0u) << r.err;
  EXPECT_EQ(run_cli("scenario").exit_code, 2);
}

class Gait2354Arguments : public ::testing::Test {
 protected:
  void SetUp() override {
    FEMUR_REQUIRE_OPENSIM_DATA();
    dir_ = test::opensim_file("Pipelines/Gait2354_Simbody");
    out_ = test::temp_dir("cli-args");
    model_ = dir_ / "OutputReference" / "subject01_simbody.osim";
  }
  std::string id(const std::string& extra) const {
    return "id --model " + q(model_) + " --coordinates " + q(dir_ / "subject01_walk1_ik.mot") + " -o " +
           q(out_ / "id.sto") + " " + extra;
  }
  std::string ik(const std::string& extra) const {
    return "ik --model " + q(model_) + " --markers " + q(dir_ / "subject01_walk1.trc") + " -o " + q(out_ / "ik.mot") +
           " " + extra;
  }
  std::string scale(const std::string& extra) const {
    return "scale --model " + q(dir_ / "gait2354_simbody.osim") + " --markers " + q(dir_ / "subject01_static.trc") +
           " -o " + q(out_ / "scaled.osim") + " " + extra;
  }
  fs::path dir_, out_, model_;
};

TEST_F(Gait2354Arguments, TimeRangesMustBeOrderedAndOverlapTheData) {
  CliRun r = run_cli(id("--time-range 2 1"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "femur: error: --time-range 2 1: the start is after the end\n");
  r = run_cli(id("--time-range 10 20"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "femur: error: --time-range 10 20 lies outside the times of " +
                       (dir_ / "subject01_walk1_ik.mot").string() + " (0.4 to 1.6 s)\n");
  r = run_cli(ik("--time-range 5 6"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("lies outside the times of " + (dir_ / "subject01_walk1.trc").string() + " (0 to 2.5 s)"),
            std::string::npos)
      << r.err;
  r = run_cli(scale("--time-range 9 10"));
  EXPECT_EQ(r.exit_code, 2);
  r = run_cli(id("--time-range nan 1"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, std::string("femur: error: --time-range: must be a time in s (or -inf, inf), got 'nan'") + kUsageTail);
  EXPECT_FALSE(fs::exists(out_ / "id.sto"));
  EXPECT_FALSE(fs::exists(out_ / "ik.mot"));
}

TEST_F(Gait2354Arguments, NumbersOutOfRangeAreUsageErrorsWithPlainMessages) {
  struct Case {
    std::string args, message;
  };
  const Case cases[] = {
      {id("--cutoff nan"), "--cutoff: must be a finite number, got 'nan'"},
      {ik("--accuracy 0"), "--accuracy: must be a finite number greater than 0, got '0'"},
      {ik("--accuracy -1"), "--accuracy: must be a finite number greater than 0, got '-1'"},
      {ik("--accuracy nan"), "--accuracy: must be a finite number greater than 0, got 'nan'"},
      {ik("--threads 0"), "--threads: must be a whole number, 1 or more, got '0'"},
      {scale("--mass nan"), "--mass: must be a finite number greater than 0, got 'nan'"},
      {scale("--mass inf"), "--mass: must be a finite number greater than 0, got 'inf'"},
      {scale("--scale pelvis inf 1 1"), "--scale: scale factor 'inf' of segment 'pelvis' is not a finite number greater than 0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args);
    const CliRun r = run_cli(c.args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "femur: error: " + c.message + kUsageTail);
  }
}

// Defect 7: the scale --help example had no --time-range and failed ("no frame of the static
// trial in [0, -1]"); without one, the whole static trial is averaged.
TEST_F(Gait2354Arguments, ScaleWithoutATimeRangePlacesMarkersOnTheWholeTrial) {
  const CliRun r = run_cli(scale("--marker-set " + q(dir_ / "gait2354_Scale_MarkerSet.xml") +
                                 " --place-markers --static-pose " + q(out_ / "pose.mot") + " --json"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out_ / "scaled.osim"));
  EXPECT_TRUE(fs::exists(out_ / "pose.mot"));
  EXPECT_EQ(r.out.rfind("{\"command\": \"scale\", \"outputs\": [", 0), 0u) << r.out;
}

TEST_F(Gait2354Arguments, IkMessagesAboutTheMarkersNameTheFile) {
  // A TRC with no frames.
  const fs::path empty = out_ / "empty.trc";
  std::ofstream(empty) << "PathFileType\t4\t(X/Y/Z)\tempty.trc\n"
                          "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\t"
                          "OrigNumFrames\n60\t60\t0\t1\tmm\t60\t1\t0\nFrame#\tTime\tR.ASIS\t\t\n\t\tX1\tY1\tZ1\n\n";
  CliRun r = run_cli("ik --model " + q(model_) + " --markers " + q(empty) + " -o " + q(out_ / "ik.mot"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "femur: error: " + empty.string() + ": the marker table has no frames\n");
  // Markers the model does not have.
  const fs::path other = out_ / "other.trc";
  std::ofstream(other) << "PathFileType\t4\t(X/Y/Z)\tother.trc\n"
                          "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\t"
                          "OrigNumFrames\n60\t60\t1\t1\tmm\t60\t1\t1\nFrame#\tTime\tNotAMarker\t\t\n\t\tX1\tY1\tZ1\n\n"
                          "1\t0\t1\t2\t3\n";
  r = run_cli("ik --model " + q(model_) + " --markers " + q(other) + " -o " + q(out_ / "ik.mot"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "femur: error: " + other.string() + ": no marker of the marker file is both in the model and tracked\n");
}

// One CLI: without --time-range, id writes the coordinates file's own rows, not the rows the
// filter pads around them (-1.25 to 5.75 s for a 0.5-4 s trial before).
TEST_F(Gait2354Arguments, IdWithACutoffAndNoTimeRangeWritesTheFilesOwnRows) {
  const CliRun r = run_cli(id("--cutoff 6 --quiet"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const io::Table t = io::read_sto(out_ / "id.sto");
  ASSERT_EQ(t.rows(), 73);
  // The filter resamples the padded rows (the file's 3-decimal times are not uniform), as
  // OpenSim does: the times are those of the file to 1e-6 s.
  EXPECT_NEAR(t.time[0], 0.4, 1e-6);
  EXPECT_NEAR(t.time[72], 1.6, 1e-6);
}

// One CLI: every command that writes files prints a JSON summary with --json, and names
// what it wrote otherwise (model convert printed nothing).
TEST_F(Gait2354Arguments, EveryCommandPrintsAJsonSummary) {
  const fs::path c3d = test::opensim_file("c3d/walking2.c3d");
  const std::string commands[] = {
      id(""),
      ik("--time-range 0.4 0.5"),
      scale("--scale pelvis 1.1 1.1 1.1"),
      "convert " + q(c3d) + " --out-dir " + q(out_ / "c3d"),
      "model convert " + q(model_) + " " + q(out_ / "converted.osim"),
      "model export-hip " + q(out_ / "hip.osim"),
  };
  for (const std::string& c : commands) {
    SCOPED_TRACE(c);
    CliRun r = run_cli(c + " --json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("{\"command\": ", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("\"outputs\": [\""), std::string::npos) << r.out;
    EXPECT_EQ(count_of(r.out, "\n"), 1) << r.out;  // one line, one object
    r = run_cli(c);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("wrote ", 0), 0u) << r.out;
  }
  for (const std::string& c : {"model info " + q(model_) + " --json", std::string("scenario muscle-roles --json")}) {
    const CliRun r = run_cli(c);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("{", 0), 0u) << r.out;
  }
  // --quiet silences progress and warnings on stderr; the JSON asked for still comes out.
  for (const std::string& c : {id("") + " --json --quiet", std::string("scenario muscle-roles --json -q")}) {
    SCOPED_TRACE(c);
    const CliRun r = run_cli(c);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("{", 0), 0u) << r.out;
    EXPECT_EQ(r.err, "");
  }
}

class JointReactionArguments : public ::testing::Test {
 protected:
  void SetUp() override {
    FEMUR_REQUIRE_OPENSIM_DATA();
    dir_ = test::opensim_file("Tutorials/Estimating_Joint_Reaction_Loads");
    out_ = test::temp_dir("cli-args-jr");
  }
  std::string common() const {
    return " --model " + q(dir_ / "subject01_simbody_adjusted_StaticOp.osim") + " --coordinates " +
           q(dir_ / "subject01_walk1_Kinematics.sto") + " --time-range 0.5 0.56";
  }
  fs::path dir_, out_;
};

// Without reserves the model is too weak at every frame: one warning, not one per frame;
// --verbose gives each frame's.
TEST_F(JointReactionArguments, SoWithoutReservesWarnsOnce) {
  const std::string so = "so" + common() + " --external-loads " + q(dir_ / "foot_floor_loads.xml") + " --out-dir " +
                         q(out_ / "so");
  CliRun r = run_cli(so);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count_of(r.err, "femur: warning: "), 1) << r.err;
  EXPECT_NE(r.err.find("no solution within the actuators' bounds at 61 of 61 frames (0.5 to 0.56 s; "),
            std::string::npos)
      << r.err;
  r = run_cli(so + " --verbose");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count_of(r.err, "femur: warning: "), 62) << r.err;
  r = run_cli(so + " --quiet");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "");
}

// --step N records every Nth row of the coordinates, as a setup's step_interval: rows 0 to
// 100 of the 1 kHz file at step 10 are 11 frames.
TEST_F(JointReactionArguments, SoStepRecordsEveryNthRow) {
  const CliRun r = run_cli("so" + std::string(" --model ") + q(dir_ / "subject01_simbody_adjusted_StaticOp.osim") +
                           " --coordinates " + q(dir_ / "subject01_walk1_Kinematics.sto") + " --external-loads " +
                           q(dir_ / "foot_floor_loads.xml") + " --actuators " +
                           q(dir_ / "gait2392_SO_weak_Residual_Actuators.xml") +
                           " --time-range 0.5 0.6 --step 10 --json --out-dir " + q(out_ / "so"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"frames\": 11,"), std::string::npos) << r.out;
  EXPECT_NE(test::read_text(out_ / "so" / "femur_StaticOptimization_activation.sto").find("nRows=11\n"),
            std::string::npos);
}

// A forces file without a column for one actuator names the column; the analysis is named
// once ("JointReaction 'JointReaction': JointReaction:" repeated itself).
TEST_F(JointReactionArguments, AForcesFileMissingAColumnNamesIt) {
  const std::string reference = (dir_ / "OutputReference" / "ResultsStaticOptimization" / "subject01_StaticOptimization_force.sto").string();
  ASSERT_TRUE(fs::exists(reference));
  std::string text = test::read_text(reference);
  // Rename the column glut_med1_r (header line and nothing else changes).
  const size_t at = text.find("\tglut_med1_r\t");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 13, "\tsomething_else\t");
  const fs::path forces = out_ / "forces.sto";
  test::write_text(forces, text);
  const CliRun r = run_cli("jr" + common() + " --forces " + q(forces) + " --joints hip_r --out-dir " + q(out_ / "jr"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "femur: error: femur jr: JointReaction 'JointReaction': <forces_file> " + forces.string() +
                       " has no column for actuator 'glut_med1_r'; it needs one per actuator of the model\n");
  EXPECT_FALSE(fs::exists(out_ / "jr"));
}

}  // namespace
}  // namespace femur
