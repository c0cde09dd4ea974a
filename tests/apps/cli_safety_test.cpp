// The femur binary (FEMUR_CLI) on bad numbers, its own inputs as outputs, and failures
// half-way (issue 21, defects 1-4): every case exits non-zero with the place and the cause,
// and leaves no output file behind.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;
using test::CliRun;
using test::run_cli;

std::string q(const fs::path& p) { return "\"" + p.string() + "\""; }

std::vector<std::string> lines_of(const fs::path& file) {
  std::vector<std::string> lines;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void write_lines(const fs::path& file, const std::vector<std::string>& lines) {
  std::ofstream out(file);
  for (const std::string& l : lines) out << l << '\n';
}

// Where a poked cell ended up: its 1-based line and column.
struct Cell {
  int line = 0, column = 0;
};

// Copies an STO/MOT file with the cell of data row `row` (0-based) and tab-separated column
// `col` (0 = time) replaced by `value`.
Cell poke_sto(const fs::path& from, const fs::path& to, int row, int col, const std::string& value) {
  std::vector<std::string> lines = lines_of(from);
  size_t i = 0;
  while (i < lines.size() && lines[i].find("endheader") != 0) ++i;
  i += 2 + static_cast<size_t>(row);  // the labels, then the rows
  std::string& l = lines.at(i);
  size_t begin = 0;
  for (int c = 0; c < col; ++c) begin = l.find('\t', begin) + 1;
  size_t end = l.find('\t', begin);
  if (end == std::string::npos) end = l.size();
  l.replace(begin, end - begin, value);
  write_lines(to, lines);
  return {static_cast<int>(i) + 1, static_cast<int>(begin) + 1};
}

// Same for a TRC data row (frame `row`, 0-based; tab-separated cell `col`, 0 = Frame#).
Cell poke_trc(const fs::path& from, const fs::path& to, int row, int col, const std::string& value) {
  std::vector<std::string> lines = lines_of(from);
  const size_t i = 6 + static_cast<size_t>(row);  // 5 header lines and a blank one
  std::string& l = lines.at(i);
  size_t begin = 0;
  for (int c = 0; c < col; ++c) begin = l.find('\t', begin) + 1;
  l.replace(begin, l.find('\t', begin) - begin, value);
  write_lines(to, lines);
  return {static_cast<int>(i) + 1, static_cast<int>(begin) + 1};
}

size_t files_in(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

// ---- Defect 1 and 2: bad numbers ----------------------------------------------------

class JointReactionTutorial : public ::testing::Test {
 protected:
  void SetUp() override {
    FEMUR_REQUIRE_OPENSIM_DATA();
    dir_ = test::copy_opensim_folder("Tutorials/Estimating_Joint_Reaction_Loads", "cli-safety-so");
  }
  std::string so_args(const fs::path& coordinates, const fs::path& out) const {
    return "so --model " + q(dir_ / "subject01_simbody_adjusted_StaticOp.osim") + " --coordinates " + q(coordinates) +
           " --external-loads " + q(dir_ / "foot_floor_loads.xml") + " --actuators " +
           q(dir_ / "gait2392_SO_weak_Residual_Actuators.xml") + " --time-range 0.5 0.56 --name s --quiet --out-dir " +
           q(out);
  }
  fs::path dir_;
};

// The tester's case: one NaN cell of the coordinates gave exit 0 and activations such as
// 6.9e-310 (uninitialised memory). Now the reader stops at the cell.
TEST_F(JointReactionTutorial, SoWithANaNCoordinateFailsAtTheCellAndWritesNothing) {
  const fs::path bad = dir_ / "kin_nan.sto";
  const Cell c = poke_sto(dir_ / "subject01_walk1_Kinematics.sto", bad, 50, 7, "NaN");
  const CliRun r = run_cli(so_args(bad, dir_ / "out"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "femur: error: " + bad.string() + ":" + std::to_string(c.line) + ":" + std::to_string(c.column) +
                       ": value 'NaN' in column 'hip_flexion_r' is not a number (NaN)\n");
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

// 1e308 degrees is a finite cell, but its speeds overflow: the states are checked before
// Static Optimization runs on them.
TEST_F(JointReactionTutorial, SoWithAnOverflowingCoordinateFailsNamingTimeAndCoordinate) {
  const fs::path bad = dir_ / "kin_big.sto";
  poke_sto(dir_ / "subject01_walk1_Kinematics.sto", bad, 50, 7, "1e308");
  const CliRun r = run_cli(so_args(bad, dir_ / "out"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "femur: error: femur so: <coordinates_file> " + bad.string() +
                       ": coordinate 'hip_flexion_r' has a speed that is not finite at time 0.545000 s; a value "
                       "of the file is out of range near that time\n");
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(JointReactionTutorial, JrWithANaNForceFailsAtTheCell) {
  ASSERT_EQ(run_cli(so_args(dir_ / "subject01_walk1_Kinematics.sto", dir_ / "so")).exit_code, 0);
  const fs::path bad = dir_ / "forces_nan.sto";
  const Cell c = poke_sto(dir_ / "so" / "s_StaticOptimization_force.sto", bad, 20, 4, "NaN");
  const CliRun r = run_cli("jr --model " + q(dir_ / "subject01_simbody_adjusted_StaticOp.osim") + " --coordinates " +
                           q(dir_ / "subject01_walk1_Kinematics.sto") + " --forces " + q(bad) +
                           " --joints hip_r --time-range 0.5 0.56 --quiet --out-dir " + q(dir_ / "jr"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad.string() + ":" + std::to_string(c.line) + ":" + std::to_string(c.column) +
                       ": value 'NaN' in column '"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "jr"));
}

class Gait2354Pipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    FEMUR_REQUIRE_OPENSIM_DATA();
    dir_ = test::copy_opensim_folder("Pipelines/Gait2354_Simbody", "cli-safety-2354");
    model_ = dir_ / "subject01_simbody.osim";  // Scale's output, which the IK setup reads
    fs::copy_file(dir_ / "OutputReference" / "subject01_simbody.osim", model_);
  }
  fs::path dir_, model_;
};

TEST_F(Gait2354Pipeline, IdWithANaNCoordinateOrGroundReactionFailsAtTheCell) {
  const fs::path bad = dir_ / "ik_nan.mot";
  const Cell c = poke_sto(dir_ / "subject01_walk1_ik.mot", bad, 10, 5, "NaN");
  CliRun r = run_cli("id --model " + q(model_) + " --coordinates " + q(bad) + " --quiet -o " + q(dir_ / "id.sto"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "femur: error: " + bad.string() + ":" + std::to_string(c.line) + ":" + std::to_string(c.column) +
                       ": value 'NaN' in column 'pelvis_ty' is not a number (NaN)\n");

  // One NaN cell in the GRF .mot, through --external-loads.
  const Cell g = poke_sto(dir_ / "subject01_walk1_grf.mot", dir_ / "grf_nan.mot", 100, 2, "nan");
  std::string xml = test::read_text(dir_ / "subject01_walk1_grf.xml");
  xml.replace(xml.find("subject01_walk1_grf.mot"), 23, "grf_nan.mot");
  test::write_text(dir_ / "grf_nan.xml", xml);
  r = run_cli("id --model " + q(model_) + " --coordinates " + q(dir_ / "subject01_walk1_ik.mot") +
              " --external-loads " + q(dir_ / "grf_nan.xml") + " --quiet -o " + q(dir_ / "id.sto"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "femur: error: " + (dir_ / "grf_nan.mot").string() + ":" + std::to_string(g.line) + ":" +
                       std::to_string(g.column) + ": value 'nan' in column 'ground_force_vy' is not a number (NaN)\n");
  EXPECT_FALSE(fs::exists(dir_ / "id.sto"));
}

// A coordinate of 1e308 degrees is finite in the file; the generalized forces it gives are
// not, and the result is refused rather than written.
TEST_F(Gait2354Pipeline, IdWhoseResultIsNotFiniteWritesNothing) {
  const fs::path bad = dir_ / "ik_big.mot";
  poke_sto(dir_ / "subject01_walk1_ik.mot", bad, 10, 7, "1e308");
  const CliRun r = run_cli("id --model " + q(model_) + " --coordinates " + q(bad) + " --quiet -o " + q(dir_ / "id.sto"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("id.sto: the result at time "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" is not finite; an input value is out of range near that time"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "id.sto"));
}

TEST_F(Gait2354Pipeline, IkAndScaleOnAMarkerOf1e308FailAtTheCell) {
  const fs::path walk = dir_ / "big.trc";
  const Cell c = poke_trc(dir_ / "subject01_walk1.trc", walk, 10, 3, "1e308");
  CliRun r = run_cli("ik --model " + q(model_) + " --markers " + q(walk) + " --quiet -o " + q(dir_ / "ik.mot"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "femur: error: " + walk.string() + ":" + std::to_string(c.line) + ":" + std::to_string(c.column) +
                       ": marker 'R.ASIS' Y value '1e308' is out of range (beyond 1e9)\n");
  EXPECT_FALSE(fs::exists(dir_ / "ik.mot"));

  const fs::path stat = dir_ / "static_big.trc";
  const Cell s = poke_trc(dir_ / "subject01_static.trc", stat, 10, 3, "1e308");
  r = run_cli("scale --model " + q(dir_ / "gait2354_simbody.osim") + " --marker-set " +
              q(dir_ / "gait2354_Scale_MarkerSet.xml") + " --markers " + q(stat) + " --place-markers --quiet -o " +
              q(dir_ / "scaled.osim"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "femur: error: " + stat.string() + ":" + std::to_string(s.line) + ":" + std::to_string(s.column) +
                       ": marker 'R.ASIS' Y value '1e308' is out of range (beyond 1e9)\n");
  EXPECT_FALSE(fs::exists(dir_ / "scaled.osim"));
}

// ---- Defect 3: an output that is an input --------------------------------------------

TEST_F(Gait2354Pipeline, AnOutputThatIsAnInputIsRefusedBeforeAnyWork) {
  const fs::path trc = dir_ / "subject01_walk1.trc", ik = dir_ / "subject01_walk1_ik.mot";
  const std::string trc_text = test::read_text(trc), ik_text = test::read_text(ik), model_text = test::read_text(model_);
  const std::string ik_cmd = "ik --model " + q(model_) + " --markers " + q(trc) + " --quiet";

  CliRun r = run_cli(ik_cmd + " -o " + q(trc));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "femur: error: " + trc.string() + " is also an input; refusing to overwrite it\n");
  // Another name of the same file.
  const fs::path other = dir_ / "link.osim";
  fs::create_symlink(model_, other);
  r = run_cli(ik_cmd + " -o " + q(other));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "femur: error: " + other.string() + " is also an input (as " + model_.string() +
                       "); refusing to overwrite it\n");
  r = run_cli(ik_cmd + " -o " + q(dir_ / "a.mot") + " --errors " + q(dir_ / "a.mot"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "femur: error: " + (dir_ / "a.mot").string() + " is written twice by this command\n");

  r = run_cli("id --model " + q(model_) + " --coordinates " + q(ik) + " --quiet -o " + q(ik));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "femur: error: " + ik.string() + " is also an input; refusing to overwrite it\n");

  // A setup whose output motion is its marker file.
  std::string setup = test::read_text(dir_ / "subject01_Setup_IK.xml");
  const std::string tag = "<output_motion_file>";
  const size_t at = setup.find(tag) + tag.size();
  setup.replace(at, setup.find('<', at) - at, "subject01_walk1.trc");
  test::write_text(dir_ / "setup_bad.xml", setup);
  int line = 1;
  for (size_t i = 0; i < at; ++i) line += setup[i] == '\n';
  r = run_cli("run " + q(dir_ / "setup_bad.xml") + " --quiet");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "femur: error: " + (dir_ / "setup_bad.xml").string() + ":" + std::to_string(line) +
                       ": <output_motion_file> " + trc.string() + " is also an input; refusing to overwrite it\n");

  EXPECT_EQ(test::read_text(trc), trc_text);
  EXPECT_EQ(test::read_text(ik), ik_text);
  EXPECT_EQ(test::read_text(model_), model_text);
}

// ---- Defect 4: all outputs or none ---------------------------------------------------

TEST_F(Gait2354Pipeline, AFailedRunLeavesNoneOfItsOutputs) {
  const fs::path blocker = dir_ / "a_file";  // a folder below a file cannot be created
  test::write_text(blocker, "x");
  const fs::path ok = dir_ / "ok.mot";
  CliRun r = run_cli("ik --model " + q(model_) + " --markers " + q(dir_ / "subject01_walk1.trc") +
                     " --time-range 0 0.3 --quiet -o " + q(ok) + " --errors " + q(blocker / "e.sto"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "femur: error: " + (blocker / "e.sto").string() + ": cannot write it: " + blocker.string() +
                       " is a file, not a folder\n");
  EXPECT_FALSE(fs::exists(ok));

  r = run_cli("scale --model " + q(dir_ / "gait2354_simbody.osim") + " --marker-set " +
              q(dir_ / "gait2354_Scale_MarkerSet.xml") + " --markers " + q(dir_ / "subject01_static.trc") +
              " --time-range 0 0.1 --place-markers --static-pose " + q(blocker / "pose.mot") + " --quiet -o " +
              q(dir_ / "scaled.osim"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "scaled.osim"));

  // `femur run` IK with a results directory that cannot be made: the motion is not left.
  std::string setup = test::read_text(dir_ / "subject01_Setup_IK.xml");
  const std::string tag = "<output_motion_file>";
  const size_t at = setup.find(tag);
  setup.insert(at, "<results_directory>a_file/results</results_directory>");
  setup.replace(setup.find("<time_range>"), setup.find("</time_range>") - setup.find("<time_range>"),
                "<time_range>0.4 0.45");
  test::write_text(dir_ / "setup_ro.xml", setup);
  const size_t before = files_in(dir_);
  fs::remove(dir_ / "subject01_walk1_ik.mot");  // the setup's output
  r = run_cli("run " + q(dir_ / "setup_ro.xml") + " --quiet");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "subject01_walk1_ik.mot"));
  EXPECT_EQ(files_in(dir_), before - 1);  // no temporary file left either
}

// kill -9 leaves "<name>.femur-tmp-<pid>"; the next write of that name removes it (the
// process is gone), and never one of a process still running.
TEST_F(Gait2354Pipeline, TemporaryFilesOfAKilledRunAreRemovedByTheNextRun) {
  const fs::path out = dir_ / "ik.mot";
  const fs::path stale = dir_ / "ik.mot.femur-tmp-999999999";
  const fs::path live = dir_ / ("ik.mot.femur-tmp-" + std::to_string(::getpid()));
  test::write_text(stale, "partial");
  test::write_text(live, "being written");
  const CliRun r = run_cli("ik --model " + q(model_) + " --markers " + q(dir_ / "subject01_walk1.trc") +
                           " --time-range 0 0.3 --quiet -o " + q(out));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out));
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live));
}

}  // namespace
}  // namespace femur
