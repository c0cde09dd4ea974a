// `femur run` on a Moco MocoTrack .omoco file (ocp/moco_track_setup.hpp): the shipped
// tests/data/ocp/track_2d_walking.omoco (Moco's example2DWalking reference tracked by the
// skeleton with reserves) gives the same solution as `femur track` with the same options; its
// properties read as written; what femur does not apply is an error at its line.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "femur/io/error.hpp"
#include "femur/io/table.hpp"
#include "femur/ocp/moco_inverse_setup.hpp"
#include "femur/ocp/moco_track_setup.hpp"
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
