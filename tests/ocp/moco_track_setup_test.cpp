// `femur run` on a Moco MocoTrack .omoco file (ocp/moco_track_setup.hpp): the shipped
// tests/data/ocp/track_2d_walking.omoco (Moco's example2DWalking reference tracked by the
// skeleton with reserves) gives the same solution as `femur track` with the same options; its
// properties read as written; what femur does not apply is an error at its line.
#include <cmath>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "femur/io/error.hpp"
#include "femur/io/table.hpp"
#include "femur/ocp/moco_inverse_setup.hpp"
#include "femur/ocp/moco_study.hpp"
#include "femur/ocp/moco_track_setup.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

fs::path shipped() { return test::source_dir() / "tests/data/ocp/track_2d_walking.omoco"; }

std::string q(const fs::path& p) { return "\"" + p.string() + "\""; }

TEST(MocoTrackSetup, ShippedFileReadsAsWritten) {
  ASSERT_TRUE(ocp::is_moco_track_setup(shipped()));
  EXPECT_FALSE(ocp::is_moco_inverse_setup(shipped()));
  const ocp::MocoTrackSetup s = ocp::read_moco_track_setup(shipped());
  EXPECT_EQ(s.name, "track_2d_walking");
  EXPECT_EQ(s.model_file, shipped().parent_path() / "2D_gait.osim");
  EXPECT_EQ(s.states_file, shipped().parent_path() / "referenceCoordinates.sto");
  EXPECT_TRUE(s.guess_file.empty());
  EXPECT_TRUE(s.remove_muscles);
  EXPECT_DOUBLE_EQ(s.reserves_optimal_force, 250.0);
  EXPECT_DOUBLE_EQ(s.lowpass_cutoff_hz, 6.0);
  EXPECT_DOUBLE_EQ(s.states_weight, 10.0);
  EXPECT_TRUE(s.track_speeds);
  EXPECT_TRUE(s.minimize_control_effort);
  EXPECT_DOUBLE_EQ(s.control_effort_weight, 0.001);
  ASSERT_TRUE(s.initial_time && s.final_time);
  EXPECT_DOUBLE_EQ(*s.final_time, 0.47);
  EXPECT_DOUBLE_EQ(s.mesh_interval, 0.047);
  // The problem femur track builds from the same options.
  io::Table states;
  states.labels = {"/jointset/groundPelvis/pelvis_tx/value"};
  states.time.resize(6);
  states.time << 0, 0.1, 0.2, 0.3, 0.4, 0.47;
  states.data = Eigen::MatrixXd::Zero(6, 1);
  const ocp::GaitProblem pb = ocp::moco_track_problem(s, states);
  EXPECT_EQ(pb.mesh_intervals, 10);
  EXPECT_DOUBLE_EQ(pb.effort_weight, 0.001);
  EXPECT_DOUBLE_EQ(pb.solver.convergence_tolerance, 1e-2);  // MocoTrack's solver default
  EXPECT_TRUE(pb.remove_muscles);
  EXPECT_TRUE(pb.track_speeds);
}

// `femur run` probes a setup once for its study: MocoTrack, MocoInverse or neither (an OpenSim
// tool setup, or a file that is not XML: the setup reader reports that).
TEST(MocoStudy, ProbeNamesTheStudy) {
  EXPECT_EQ(ocp::moco_study(shipped()), ocp::MocoStudy::Track);
  EXPECT_EQ(ocp::moco_study_name(ocp::MocoStudy::Track), "MocoTrack");
  const fs::path dir = test::temp_dir("moco_study");
  test::write_text(dir / "inverse.omoco", "<OpenSimDocument Version=\"40500\"><MocoInverse name=\"x\"/></OpenSimDocument>");
  test::write_text(dir / "ik.xml", "<OpenSimDocument Version=\"40500\"><InverseKinematicsTool/></OpenSimDocument>");
  test::write_text(dir / "junk.omoco", "not xml <");
  EXPECT_EQ(ocp::moco_study(dir / "inverse.omoco"), ocp::MocoStudy::Inverse);
  EXPECT_EQ(ocp::moco_study(dir / "ik.xml"), ocp::MocoStudy::None);
  EXPECT_EQ(ocp::moco_study(dir / "junk.omoco"), ocp::MocoStudy::None);
  EXPECT_EQ(ocp::moco_study(dir / "absent.omoco"), ocp::MocoStudy::None);
  EXPECT_THROW(ocp::run_moco_study(ocp::MocoStudy::None, dir / "ik.xml", {}), std::invalid_argument);
}

// 11 nodes, 0.5-5 s (loaded machine, before/after the ocpspeed work): part of the normal suite.
TEST(MocoTrackSetup, RunGivesFemurTracksSolutionForTheSameOptions) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Moco/example2DWalking", "moco_track");
  fs::copy_file(shipped(), dir / "track_2d_walking.omoco");
  const test::CliRun r = test::run_cli("run " + q(dir / "track_2d_walking.omoco") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::exists(dir / "track_2d_walking_solution.sto"));
  const test::CliRun t = test::run_cli(
      "track --model " + q(dir / "2D_gait.osim") + " --states-reference " + q(dir / "referenceCoordinates.sto") +
      " --lowpass 6 --track-speeds --states-weight 10 --remove-muscles --reserves 250 --effort-weight 0.001 --t0 0 "
      "--t1 0.47 --mesh-interval 0.047 --tolerance 1e-2 --constraint-tolerance 1e-2 -q -o " +
      q(dir / "track_cli.sto"));
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const io::Table a = io::read_sto(dir / "track_2d_walking_solution.sto");
  const io::Table b = io::read_sto(dir / "track_cli.sto");
  ASSERT_EQ(a.labels, b.labels);
  ASSERT_EQ(a.rows(), 11);
  ASSERT_EQ(a.rows(), b.rows());
  // One engine, one problem: the same iterates (measured: identical to the last digit).
  EXPECT_LE((a.data - b.data).cwiseAbs().maxCoeff(), 1e-12);
  const std::string text = test::read_text(dir / "track_2d_walking_solution.sto");
  EXPECT_NE(text.find("success=true"), std::string::npos);
  EXPECT_NE(text.find("/forceset/reserve_hip_flexion_r"), std::string::npos) << "ModOpAddReserves";
  EXPECT_EQ(text.find("/forceset/soleus_r"), std::string::npos) << "ModOpRemoveMuscles";

  // MocoTrack's NAME_tracked_states.sto: the reference's 10 coordinates (50 rows) low-passed at
  // 6 Hz with the 25 + 25 padded rows kept (TableUtilities::filterLowpass), then each one's
  // spline derivative appended as .../speed in the model's coordinate order.
  ASSERT_TRUE(fs::exists(dir / "track_2d_walking_tracked_states.sto"));
  const io::Table ref = io::read_sto(dir / "referenceCoordinates.sto");
  const io::Table tracked = io::read_sto(dir / "track_2d_walking_tracked_states.sto");
  ASSERT_EQ(ref.cols(), 10);
  ASSERT_EQ(tracked.cols(), 20);
  ASSERT_EQ(tracked.rows(), 100);
  EXPECT_FALSE(tracked.in_degrees);
  EXPECT_EQ(tracked.labels[10], "/jointset/groundPelvis/pelvis_tilt/speed");  // the model's first coordinate
  // The reference's times are not uniform (9.59 ms steps to +-1e-7 s): the filter resamples at the
  // smallest step, so rows 25 and 74 fall within 1e-6 s of its first and last time.
  EXPECT_NEAR(tracked.time[25], ref.time[0], 1e-6);
  EXPECT_NEAR(tracked.time[74], ref.time[49], 1e-6);
  EXPECT_LT(tracked.time[0], ref.time[0]);
  // The low-passed reference: within 1.5 deg (rotations) or 5 mm of the data it smooths, and not
  // the data itself; the speeds within 5% of the peak of the filtered values' central differences.
  for (int j = 0; j < 10; ++j) {
    const std::string& value = ref.labels[static_cast<size_t>(j)];
    EXPECT_EQ(tracked.labels[static_cast<size_t>(j)], value);
    const int speed = tracked.column(value.substr(0, value.size() - 6) + "/speed");
    ASSERT_GE(speed, 10) << value;
    double worst = 0.0, worst_speed = 0.0, peak_speed = 0.0;
    for (int i = 0; i < 50; ++i) worst = std::max(worst, std::abs(tracked.data(25 + i, j) - ref.data(i, j)));
    for (int i = 1; i + 1 < tracked.rows(); ++i) {
      const double fd = (tracked.data(i + 1, j) - tracked.data(i - 1, j)) / (tracked.time[i + 1] - tracked.time[i - 1]);
      worst_speed = std::max(worst_speed, std::abs(tracked.data(i, speed) - fd));
      peak_speed = std::max(peak_speed, std::abs(fd));
    }
    EXPECT_LT(worst, value.find("pelvis_t") != std::string::npos && value.find("tilt") == std::string::npos
                         ? 0.005
                         : 1.5 * std::numbers::pi / 180.0)
        << value;
    EXPECT_LT(worst_speed, 0.05 * peak_speed) << tracked.labels[static_cast<size_t>(speed)];
  }
  EXPECT_GT((tracked.data.block(25, 0, 50, 10) - ref.data).cwiseAbs().maxCoeff(), 1e-3) << "not filtered";
}

// moco_tracked_states on a known signal: 30 deg sin(2 pi t) at 100 Hz in a bare-named degrees
// column, a ramp, and a column of no coordinate.
TEST(MocoTrackSetup, TrackedStatesAreTheFilteredReferenceInRadiansWithSplineSpeeds) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = test::load_opensim_model("Moco/example2DWalking/2D_gait.osim");
  io::Table ref;
  ref.labels = {"hip_flexion_r", "/jointset/groundPelvis/pelvis_tx/value", "extra"};
  ref.in_degrees = true;
  ref.time = Eigen::VectorXd::LinSpaced(101, 0.0, 1.0);
  ref.data.resize(101, 3);
  for (int i = 0; i < 101; ++i)
    ref.data.row(i) << 30.0 * std::sin(2 * std::numbers::pi * ref.time[i]), 1.2 * ref.time[i], 5.0;
  const io::Table t = ocp::moco_tracked_states(model, ref, 6.0, true);
  EXPECT_EQ(t.labels, (std::vector<std::string>{"/jointset/hip_r/hip_flexion_r/value",
                                                "/jointset/groundPelvis/pelvis_tx/value", "extra",
                                                "/jointset/groundPelvis/pelvis_tx/speed",
                                                "/jointset/hip_r/hip_flexion_r/speed"}));
  ASSERT_EQ(t.rows(), 201);  // 50 padded rows either side
  EXPECT_FALSE(t.in_degrees);
  const double amp = 30.0 * std::numbers::pi / 180.0, w = 2 * std::numbers::pi;
  for (int i = 50; i <= 150; ++i) {
    const double time = t.time[i];
    EXPECT_NEAR(t.data(i, 0), amp * std::sin(w * time), 2e-3) << time;  // 1 Hz passes a 6 Hz low-pass
    EXPECT_NEAR(t.data(i, 1), 1.2 * time, 1e-5) << time;                // a ramp is kept, in metres
    EXPECT_NEAR(t.data(i, 2), 5.0, 1e-9);                               // not a coordinate: not converted
    EXPECT_NEAR(t.data(i, 3), 1.2, 1e-3) << time;
    EXPECT_NEAR(t.data(i, 4), amp * w * std::cos(w * time), 2e-2) << time;
  }
  // Without a filter or speeds: the reference in radians, relabelled, nothing appended.
  const io::Table plain = ocp::moco_tracked_states(model, ref, -1.0, false);
  ASSERT_EQ(plain.rows(), 101);
  ASSERT_EQ(plain.cols(), 3);
  EXPECT_NEAR(plain.data(25, 0), amp, 1e-12);
  EXPECT_EQ(plain.data(25, 1), ref.data(25, 1));
  ref.labels = {"a", "b", "c"};
  EXPECT_THROW(ocp::moco_tracked_states(model, ref, 6.0, true), std::invalid_argument);
}

// The shipped file with one line replaced; the message names the file and that line.
void expect_error(const std::string& from, const std::string& to, const std::string& message) {
  std::string text = test::read_text(shipped());
  const std::size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  const fs::path file = test::temp_dir("moco_track_bad") / "bad.omoco";
  test::write_text(file, text);
  try {
    ocp::read_moco_track_setup(file);
    ADD_FAILURE() << "no error for " << to;
  } catch (const io::ParseError& e) {
    EXPECT_EQ(std::string(e.what()), file.string() + ":" + message);
  }
}

TEST(MocoTrackSetup, WhatFemurDoesNotApplyIsAnErrorAtItsLine) {
  expect_error("<ModOpRemoveMuscles />", "<ModOpAddExternalLoads><filepath>grf.xml</filepath></ModOpAddExternalLoads>",
               "16: model operator <ModOpAddExternalLoads> is not supported by femur's MocoTrack yet");
  expect_error("<optimal_force>250</optimal_force>", "<optimal_force>250</optimal_force><bound>10</bound>",
               "18: ModOpAddReserves: a <bound> on the reserves is not supported by femur track yet");
  expect_error("<filepath></filepath>", "<filepath>markers.trc</filepath>",
               "33: MocoTrack: marker tracking (markers_reference) is not supported by femur yet");
  expect_error("<scale_state_weights_with_range>false", "<scale_state_weights_with_range>true",
               "31: MocoTrack: scale_state_weights_with_range true is not supported by femur yet");
  expect_error("<guess_file></guess_file>", "<guess_file>guess.sto</guess_file>",
               "39: MocoTrack: apply_tracked_states_to_guess with a guess_file is not supported by femur yet");
  expect_error("<clip_time_range>false</clip_time_range>", "<minimize_state_derivatives>true</minimize_state_derivatives>",
               "12: MocoTrack property <minimize_state_derivatives> is not supported by femur yet");
  expect_error("<mesh_interval>0.047</mesh_interval>", "<mesh_interval>0</mesh_interval>",
               "11: <mesh_interval> must be positive");
  expect_error("<TabOpLowPassFilter>\n\t\t\t\t\t<cutoff_frequency>6</cutoff_frequency>\n\t\t\t\t</TabOpLowPassFilter>",
               "<TabOpTrimmer />", "25: table operator <TabOpTrimmer> is not supported by femur yet");
}

}  // namespace
}  // namespace femur
