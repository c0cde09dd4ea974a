// Long trials and units that cannot be right (issue 21, defects 5, 6 and 11), through the
// femur binary (FEMUR_CLI).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "femur/io/table.hpp"
#include "femur/tools/input_checks.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;
using test::CliRun;
using test::run_cli;

std::string q(const fs::path& p) { return "\"" + p.string() + "\""; }

// Defect 6: so and jr make their states from the window and the margins the filter and the
// splines need, not from the whole file. Against the whole file (no trimming, as OpenSim)
// the window's activations agree to the 8 digits written, rows included (--step counts rows
// from the whole file's start).
TEST(LongTrials, SoOnAWindowGivesWhatTheWholeFileGivesThere) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path d = test::opensim_file("Tutorials/Estimating_Joint_Reaction_Loads");
  const fs::path out = test::temp_dir("long-window");
  const std::string common = "so --model " + q(d / "subject01_simbody_adjusted_StaticOp.osim") + " --coordinates " +
                             q(d / "subject01_walk1_Kinematics.sto") + " --external-loads " +
                             q(d / "foot_floor_loads.xml") + " --actuators " +
                             q(d / "gait2392_SO_weak_Residual_Actuators.xml") + " --cutoff 20 --step 7 --quiet";
  // At 20 Hz the margin is 9/20 s: the window 1.0-1.1 s reads 0.53-1.57 s of the 0.5-2 s file.
  ASSERT_EQ(run_cli(common + " --time-range 1.0 1.1 --out-dir " + q(out / "window")).exit_code, 0);
  ASSERT_EQ(run_cli(common + " --out-dir " + q(out / "whole")).exit_code, 0);
  const io::Table w = io::read_sto(out / "window" / "femur_StaticOptimization_activation.sto");
  const io::Table a = io::read_sto(out / "whole" / "femur_StaticOptimization_activation.sto");
  // Rows strictly inside the window are those whose index in the whole file's (padded)
  // states is a multiple of 7; the window's first and last rows are always recorded.
  int inside = 0, matched = 0;
  for (int j = 0; j < a.rows(); ++j) inside += a.time[j] > 1.0 + 1e-9 && a.time[j] < 1.1 - 1e-9;
  ASSERT_GE(inside, 12);
  EXPECT_EQ(w.rows(), inside + 2);
  double worst = 0.0;
  for (int i = 1; i + 1 < w.rows(); ++i)
    for (int j = 0; j < a.rows(); ++j) {
      if (std::abs(a.time[j] - w.time[i]) > 1e-9) continue;
      ++matched;
      for (int c = 0; c < w.cols(); ++c)
        worst = std::max(worst, std::abs(w.data(i, c) - a.data(j, c)) / std::max(1.0, std::abs(a.data(j, c))));
    }
  EXPECT_EQ(matched, inside);  // the same rows
  EXPECT_LT(worst, 1e-6);      // the files hold 8 significant digits
}

// The femur command line run as a child of its own, with the child's peak resident memory
// (wait4's ru_maxrss, KiB; includes what the child waited for). stdout and stderr are dropped.
struct PeakRun {
  int exit_code = -1;
  long max_rss_kib = 0;
};
PeakRun run_cli_peak_memory(const std::vector<std::string>& args) {
  std::vector<std::string> argv_s{FEMUR_CLI};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  PeakRun r;
  if (posix_spawn(&pid, FEMUR_CLI, &actions, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    rusage usage{};
    if (wait4(pid, &status, 0, &usage) == pid && WIFEXITED(status)) {
      r.exit_code = WEXITSTATUS(status);
      r.max_rss_kib = usage.ru_maxrss;
    }
  }
  posix_spawn_file_actions_destroy(&actions);
  return r;
}

// Must hold of issue 21: `femur so` on a 100k-row trial with a 10 s window stays under 200 MB.
// The trial is the tutorial's 1.5 s walk at 1 kHz played forwards and backwards (no jumps in
// the coordinates) to 100 s. The GCV spline fit of the 10 s window (10^4 knots) kept every
// factorization it tried, 0.6 MB each: 576 MB before its cache had a byte budget (80-140 MB
// after, with the same activations to the last digit).
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
TEST(LongTrials, SoOnATenSecondWindowOfA100kRowTrialStaysUnder200MB) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path d = test::opensim_file("Tutorials/Estimating_Joint_Reaction_Loads");
  const io::Table walk = io::read_sto(d / "subject01_walk1_Kinematics.sto");
  const fs::path out = test::temp_dir("long-so-memory");
  const fs::path file = out / "long.sto";
  const int rows = 100000, m = walk.rows();
  {
    std::ofstream f(file);
    f << "long\nversion=1\nnRows=" << rows << "\nnColumns=" << walk.cols() + 1 << "\ninDegrees=yes\nendheader\ntime";
    for (const std::string& l : walk.labels) f << '\t' << l;
    f << '\n';
    for (int i = 0; i < rows; ++i) {
      const int k = i % (2 * m - 2), j = k < m ? k : 2 * m - 2 - k;
      f << fmt::format("{:.3f}", i * 0.001);
      for (int c = 0; c < walk.cols(); ++c) f << fmt::format("\t{:.8f}", walk.data(j, c));
      f << '\n';
    }
  }
  const PeakRun r = run_cli_peak_memory(
      {"so", "--model", (d / "subject01_simbody_adjusted_StaticOp.osim").string(), "--coordinates", file.string(),
       "--actuators", (d / "gait2392_SO_weak_Residual_Actuators.xml").string(), "--cutoff", "6", "--time-range",
       "40", "50", "--quiet", "--out-dir", (out / "so").string()});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_LT(r.max_rss_kib, 200 * 1024);
  EXPECT_GT(r.max_rss_kib, 0);
  const io::Table a = io::read_sto(out / "so" / "femur_StaticOptimization_activation.sto");
  EXPECT_EQ(a.rows(), 10001);  // every 1 ms row of the window
  EXPECT_NEAR(a.time[0], 40.0, 1e-9);
  EXPECT_NEAR(a.time[a.rows() - 1], 50.0, 1e-9);
}
#endif

TEST(LongTrials, TrimToWindowKeepsTheWindowAndItsMargins) {
  io::Table t;
  t.labels = {"x"};
  t.time = Eigen::VectorXd::LinSpaced(1001, 0.0, 10.0);  // 100 Hz
  t.data = t.time;
  io::Table c = t;
  EXPECT_EQ(tools::trim_to_window(c, 4.0, 5.0, 1.0, 20), 280);  // 3 s - 20 rows
  EXPECT_NEAR(c.time[0], 2.8, 1e-12);
  EXPECT_NEAR(c.time[c.rows() - 1], 6.2, 1e-12);
  EXPECT_EQ(c.data(0, 0), c.time[0]);
  c = t;
  EXPECT_EQ(tools::trim_to_window(c, 0.0, 10.0, 1.0, 20), 0);
  EXPECT_EQ(c.rows(), 1001);
}

// Defect 5: OpenSim's filter resamples a padded table of more than 100000 rows at a coarser
// step; femur does the same (its results stay OpenSim's) and says so.
TEST(LongTrials, IdWarnsWhenTheFilterResamplesALongTrial) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path d = test::opensim_file("Pipelines/Gait2354_Simbody");
  const fs::path out = test::temp_dir("long-id");
  const fs::path file = out / "long.sto";
  {
    std::ofstream f(file);
    const int rows = 51000;  // padded by rows/2 on each side: 102000 > 100000
    f << "long\nversion=1\nnRows=" << rows << "\nnColumns=2\ninDegrees=yes\nendheader\ntime\tknee_angle_r\n";
    for (int i = 0; i < rows; ++i) f << fmt::format("{:.6f}\t{:.6f}\n", i / 120.0, -30.0 + 20.0 * std::sin(i / 40.0));
  }
  const CliRun r = run_cli("id --model " + q(d / "OutputReference" / "subject01_simbody.osim") + " --coordinates " +
                           q(file) + " --cutoff 6 --time-range 100 101 -o " + q(out / "id.sto"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("femur: warning: the coordinates file: the filter resampled the coordinates from 120"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(" Hz to 117.6"), std::string::npos) << r.err;  // 850 s of padded table in 100000 rows
}

// Defect 11: a TRC labelled m holding mm, and a coordinates file without inDegrees holding
// degrees, give a warning with the evidence.
TEST(LongTrials, UnitsThatCannotBeRightAreWarnedWithTheEvidence) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path d = test::opensim_file("Pipelines/Gait2354_Simbody");
  const fs::path out = test::temp_dir("units");
  std::string trc = test::read_text(d / "subject01_walk1.trc");
  const size_t units = trc.find("\tmm\t");
  ASSERT_NE(units, std::string::npos);
  trc.replace(units, 4, "\tm\t");
  test::write_text(out / "walk_m.trc", trc);
  const std::string model = q(d / "OutputReference" / "subject01_simbody.osim");
  CliRun r = run_cli("ik --model " + model + " --markers " + q(out / "walk_m.trc") + " --time-range 0 0.1 -o " +
                     q(out / "ik.mot"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("femur: warning: " + (out / "walk_m.trc").string() +
                       ": Units=m, but the markers of a frame span 1734 m (median over frames), more than a body; "
                       "are they in mm?"),
            std::string::npos)
      << r.err;

  std::string mot = test::read_text(d / "subject01_walk1_ik.mot");
  const size_t deg = mot.find("inDegrees=yes\n");
  ASSERT_NE(deg, std::string::npos);
  mot.erase(deg, 14);
  test::write_text(out / "ik_radians.sto", mot);
  r = run_cli("id --model " + model + " --coordinates " + q(out / "ik_radians.sto") + " -o " + q(out / "id.sto"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("femur: warning: " + (out / "ik_radians.sto").string() +
                       ": coordinate 'knee_angle_r' reaches 69.74, read in radians (3996 degrees) because the "
                       "header has no inDegrees=yes; if the file is in degrees, add inDegrees=yes to its header"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace femur
