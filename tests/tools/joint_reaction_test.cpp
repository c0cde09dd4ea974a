// JointReaction through the AnalyzeTool adapter, on unchanged OpenSim setups run from a
// temporary copy of their folder:
//  * Tests/Analyze DoublePendulum3D (both setups) vs OpenSim's std_ files (OpenSim 4.6
//    reproduces them to 2e-13 N; femur must be within 1e-6 of each quantity's scale);
//  * SinglePin: the same reaction in three frames (body, joint offset frame, ground) and the
//    child keyword;
//  * the Estimating_Joint_Reaction_Loads tutorial (gait2392, SO forces, reserves, GRF) vs
//    OutputReference;
//  * a reserve (CoordinateActuator from force_set_files) on a pin shows up in its reaction;
//  * bad setups: unknown joint or frame -> "setup.xml:LINE: ..." and no output file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/joint_reaction.hpp"
#include "femur/tools/run_setup.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

tools::RunReport run(const fs::path& setup) {
  tools::RunOptions options;
  options.quiet = true;
  return tools::run_setup(io::read_setup(setup), options);
}


// Largest |value| over the three columns of one quantity (f, m or p) of one reaction: the
// scale errors are measured against (a component that is round-off zero has no scale of its
// own).
double group_scale(const io::Table& t, int column) {
  const int first = column - column % 3;
  return t.data.middleCols(first, 3).cwiseAbs().maxCoeff();
}

// Max over columns of max|femur - reference| / scale, columns matched by label.
double worst_relative_error(const io::Table& femur, const io::Table& reference, double floor_scale,
                            double* worst_abs = nullptr) {
  EXPECT_EQ(femur.labels, reference.labels);
  EXPECT_EQ(femur.rows(), reference.rows());
  if (femur.rows() != reference.rows()) return INFINITY;
  EXPECT_LT((femur.time - reference.time).cwiseAbs().maxCoeff(), 1e-12);
  double worst = 0.0;
  for (int c = 0; c < reference.cols(); ++c) {
    const int fc = femur.column(reference.labels[c]);
    if (fc < 0) return INFINITY;
    const double scale = std::max(group_scale(reference, c), floor_scale);
    const double err = (femur.data.col(fc) - reference.data.col(c)).cwiseAbs().maxCoeff();
    worst = std::max(worst, err / scale);
    if (worst_abs) *worst_abs = std::max(*worst_abs, err);
  }
  return worst;
}

TEST(JointReactionSetup, DoublePendulumMatchesOpenSimStandards) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Tests/Analyze", "jr-dp");
  const std::pair<const char*, const char*> cases[] = {
      {"DoublePendulum3D_Setup_JointReaction.xml", "std_DoublePendulum3D_JointReaction_ReactionLoads.sto"},
      {"DoublePendulum3D_Setup_JointReaction_FrameKeyword.xml",
       "std_DoublePendulum3D_JointReaction_ReactionLoads_FrameKeyword.sto"}};
  for (const auto& [setup, standard] : cases) {
    const tools::RunReport report = run(dir / setup);
    ASSERT_EQ(report.files_written.size(), 1u);
    EXPECT_EQ(report.frames, 302);
    const io::Table femur = io::read_sto(report.files_written[0]);
    const io::Table reference = io::read_sto(dir / standard);
    double worst_abs = 0.0;
    const double worst = worst_relative_error(femur, reference, 1e-3, &worst_abs);
    std::printf("[ %s ] worst %.2e relative, %.2e absolute\n", setup, worst, worst_abs);
    // Measured: 3.1e-15 relative, 2.8e-14 N absolute (the coordinates file's speeds come
    // from femur's GCV spline); asserted at 10x.
    EXPECT_LT(worst, 3e-14) << setup;
    EXPECT_LT(worst_abs, 2.8e-13) << setup;
  }
}

TEST(JointReactionSetup, SinglePinReactionIsTheSameInEveryFrameItIsExpressedIn) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Tests/Analyze", "jr-pin");
  const io::Table frames = io::read_sto(run(dir / "SinglePin_Setup_JointReaction.xml").files_written.at(0));
  const io::Table keyword =
      io::read_sto(run(dir / "SinglePin_Setup_JointReaction_FrameKeyword.xml").files_written.at(0));
  ASSERT_EQ(frames.rows(), 302);
  const int in_body = frames.column("pin1_on_rod1_in_rod1_fx");
  const int in_offset = frames.column("pin1_on_rod1_in_rod1_offset_fx");
  const int in_ground = frames.column("pin1_on_rod1_in_ground_fx");
  ASSERT_GE(in_body, 0);
  ASSERT_GE(in_offset, 0);
  ASSERT_GE(in_ground, 0);
  for (int r = 0; r < frames.rows(); ++r) {
    const Eigen::Vector3d f_body = frames.data.block<1, 3>(r, in_body).transpose();
    const Eigen::Vector3d f_offset = frames.data.block<1, 3>(r, in_offset).transpose();
    const Eigen::Vector3d f_ground = frames.data.block<1, 3>(r, in_ground).transpose();
    // The offset frame rod1_offset is only translated from rod1 (SinglePin.osim).
    EXPECT_LT((f_body - f_offset).norm(), 1e-12);
    EXPECT_NEAR(f_body.norm(), f_ground.norm(), 1e-12 * (1.0 + f_body.norm()));
    EXPECT_GT(f_body.norm(), 1.0);
    // The point of application M: the pin at the ground origin, (0, 0.5, 0) in rod1, the
    // origin of rod1_offset.
    const Eigen::Vector3d p_body = frames.data.block<1, 3>(r, in_body + 6).transpose();
    const Eigen::Vector3d p_offset = frames.data.block<1, 3>(r, in_offset + 6).transpose();
    const Eigen::Vector3d p_ground = frames.data.block<1, 3>(r, in_ground + 6).transpose();
    EXPECT_LT((p_body - Eigen::Vector3d(0.0, 0.5, 0.0)).norm(), 1e-12);
    EXPECT_LT(p_offset.norm(), 1e-12);
    EXPECT_LT(p_ground.norm(), 1e-12);
    // A free pin transmits no moment about its axis.
    EXPECT_LT(std::abs(frames.data(r, in_body + 5)), 1e-10);
  }
  // The keyword `child` is rod1, labelled with the body's name.
  ASSERT_EQ(keyword.cols(), 18);
  EXPECT_EQ(keyword.labels[0], "pin1_on_rod1_in_rod1_fx");
  EXPECT_LT((keyword.data.leftCols(9) - frames.data.middleCols(in_body, 9)).cwiseAbs().maxCoeff(), 1e-14);
  EXPECT_LT((keyword.data.rightCols(9) - frames.data.middleCols(in_ground, 9)).cwiseAbs().maxCoeff(), 1e-14);
}

TEST(JointReactionSetup, ReserveOnTheJointCoordinateIsPartOfItsReaction) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Tests/Analyze", "jr-reserve");
  test::write_text(dir / "reserve.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
<OpenSimDocument Version="40000">
  <ForceSet name="reserves">
    <objects>
      <CoordinateActuator name="r1_z_reserve">
        <coordinate>r1_z</coordinate>
        <optimal_force>10</optimal_force>
      </CoordinateActuator>
    </objects>
  </ForceSet>
</OpenSimDocument>
)");
  // A constant 2.5 N m on the pin's coordinate, from a forces file.
  std::string forces = "forces\nversion=1\nnRows=2\nnColumns=2\ninDegrees=no\nendheader\ntime\tr1_z_reserve\n0\t2.5\n3\t2.5\n";
  test::write_text(dir / "forces.sto", forces);
  std::string setup = test::read_text(dir / "SinglePin_Setup_JointReaction.xml");
  setup = std::regex_replace(setup, std::regex("<force_set_files> </force_set_files>"),
                             "<force_set_files> reserve.xml </force_set_files>");
  setup = std::regex_replace(setup, std::regex("<forces_file>  </forces_file>"), "<forces_file> forces.sto </forces_file>");
  setup = std::regex_replace(setup, std::regex("<express_in_frame>[^<]*</express_in_frame>"),
                             "<express_in_frame> rod1 </express_in_frame>");
  setup = std::regex_replace(setup, std::regex("<joint_names>[^<]*</joint_names>"), "<joint_names> pin1 </joint_names>");
  setup = std::regex_replace(setup, std::regex("<apply_on_bodies>[^<]*</apply_on_bodies>"),
                             "<apply_on_bodies> child parent </apply_on_bodies>");
  setup = std::regex_replace(setup, std::regex("<apply_on_bodies> child parent </apply_on_bodies>"),
                             "<apply_on_bodies> child </apply_on_bodies>");
  test::write_text(dir / "reserve_setup.xml", setup);
  const io::Table t = io::read_sto(run(dir / "reserve_setup.xml").files_written.at(0));
  ASSERT_EQ(t.cols(), 9);
  // The pin's axis is z of rod1 (SinglePin.osim): the reaction moment about it is the reserve.
  for (int r = 0; r < t.rows(); ++r) EXPECT_NEAR(t.data(r, 5), 2.5, 1e-10);
}

TEST(JointReactionSetup, TutorialHipReactionMatchesOutputReference) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const std::string tutorial = "Tutorials/Estimating_Joint_Reaction_Loads";
  const fs::path dir = test::copy_opensim_folder(tutorial, "jr-tutorial");
  // As the README says: the setup's forces file is SO's output, and the model that reproduces
  // the outputs is the _StaticOp one under the name the setup expects.
  fs::create_directories(dir / "ResultsStaticOptimization");
  fs::copy_file(dir / "OutputReference/ResultsStaticOptimization/subject01_StaticOptimization_force.sto",
                dir / "ResultsStaticOptimization/subject01_StaticOptimization_force.sto");
  fs::copy_file(dir / "subject01_simbody_adjusted_StaticOp.osim", dir / "subject01_simbody_adjusted.osim");
  const io::Table reference =
      io::read_sto(dir / "OutputReference/ResultsStaticOptimization/subject01_JointReaction_ReactionLoads.sto");
  fs::remove_all(dir / "OutputReference");

  const tools::RunReport report = run(dir / "setup_JointReaction.xml");
  ASSERT_EQ(report.files_written.size(), 1u);
  EXPECT_EQ(report.files_written[0].filename(), "subject01_JointReaction_ReactionLoads.sto");
  const io::Table femur = io::read_sto(report.files_written[0]);
  ASSERT_EQ(femur.labels, reference.labels);
  ASSERT_EQ(femur.rows(), 151);  // every 10th row of 0.5..1.999 s, and the last
  double worst_hip = 0.0, worst_p = 0.0, worst_other = 0.0;
  for (int c = 0; c < reference.cols(); ++c) {
    const std::string& label = reference.labels[c];
    const double err = (femur.data.col(c) - reference.data.col(c)).cwiseAbs().maxCoeff();
    if (label.find("hip_r") != std::string::npos && label.find("_f") != std::string::npos) {
      // The brief asks for 2% of peak; measured 4.7e-6 of peak, asserted 4e-5.
      const double peak = std::max(group_scale(reference, c), 1.0);
      EXPECT_LT(err / peak, 4e-5) << label;
      worst_hip = std::max(worst_hip, err / peak);
    } else if (label.find("_p") != std::string::npos) {
      EXPECT_LT(err, 2e-11) << label;  // joint centres: kinematics only; measured 2.4e-12 m
      worst_p = std::max(worst_p, err);
    } else {
      // ground_pelvis (a free joint with no reserves on its coordinates) and the hip moments
      // (a ball joint): round-off zeros in both.
      EXPECT_LE(err, 1e-12) << label;  // measured 0
      worst_other = std::max(worst_other, err);
    }
  }
  std::printf("[ JR tutorial ] hip force %.2e of peak, joint centres %.2e m, others %.2e\n", worst_hip, worst_p,
              worst_other);
}

// A SinglePin setup with one element replaced, in a fresh folder.
fs::path bad_setup(const std::string& tag, const std::string& pattern, const std::string& replacement) {
  const fs::path dir = test::copy_opensim_folder("Tests/Analyze", tag);
  std::string setup = test::read_text(dir / "SinglePin_Setup_JointReaction.xml");
  setup = std::regex_replace(setup, std::regex(pattern), replacement);
  test::write_text(dir / "bad.xml", setup);
  return dir / "bad.xml";
}

void expect_failure_without_output(const fs::path& setup, const std::string& expected) {
  try {
    run(setup);
    ADD_FAILURE() << "no error for " << setup;
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(setup.parent_path() / "SinglePin_JointReaction_ReactionLoads.sto"));
}

TEST(JointReactionSetup, UnknownJointNamesTheSetupLineAndWritesNothing) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  // The JointReaction element is on line 35 of SinglePin_Setup_JointReaction.xml.
  expect_failure_without_output(
      bad_setup("jr-bad-joint", "<joint_names>[^<]*</joint_names>", "<joint_names> pin1 knee_r pin1 </joint_names>"),
      "bad.xml:35: JointReaction 'JointReaction': joint_names: 'knee_r' is not a joint of the model");
}

TEST(JointReactionSetup, UnknownFrameNamesTheSetupLineAndWritesNothing) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  expect_failure_without_output(
      bad_setup("jr-bad-frame", "<express_in_frame>[^<]*</express_in_frame>",
                "<express_in_frame> rod1 femur ground </express_in_frame>"),
      "bad.xml:35: JointReaction 'JointReaction': express_in_frame: 'femur' is neither a frame of the model "
      "nor the keyword 'child' or 'parent'");
}

TEST(JointReactionSetup, AppliedOnNeitherChildNorParentIsRejected) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  expect_failure_without_output(
      bad_setup("jr-bad-body", "<apply_on_bodies>[^<]*</apply_on_bodies>", "<apply_on_bodies> rod1 </apply_on_bodies>"),
      "apply_on_bodies: 'rod1' must be either 'child' or 'parent'");
}

TEST(JointReactionRequests, RepeatedJointNamesSearchOnFromThePreviousJoint) {
  // ArrayPtrs::getIndex(name, start): "pin2 pin1 pin2" finds 1, then 0 (wrapping), then 1.
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Tests/Analyze", "jr-req");
  std::string setup = test::read_text(dir / "DoublePendulum3D_Setup_JointReaction.xml");
  setup = std::regex_replace(setup, std::regex("<joint_names>[^<]*</joint_names>"),
                             "<joint_names> pin2 pin1 pin2 </joint_names>");
  setup = std::regex_replace(setup, std::regex("<express_in_frame>[^<]*</express_in_frame>"),
                             "<express_in_frame> PARENT </express_in_frame>");
  setup = std::regex_replace(setup, std::regex("<apply_on_bodies>[^<]*</apply_on_bodies>"),
                             "<apply_on_bodies> Parent </apply_on_bodies>");
  test::write_text(dir / "req.xml", setup);
  const io::Table t = io::read_sto(run(dir / "req.xml").files_written.at(0));
  ASSERT_EQ(t.cols(), 27);
  EXPECT_EQ(t.labels[0], "pin2_on_rod1_in_rod1_fx");
  EXPECT_EQ(t.labels[9], "pin1_on_ground_in_ground_fx");
  EXPECT_EQ(t.labels[18], "pin2_on_rod1_in_rod1_fx");
  // On the parent, the opposite of the child's force: compare with the standard (in rod2 for
  // pin2 there, so compare magnitudes).
  const io::Table reference = io::read_sto(dir / "std_DoublePendulum3D_JointReaction_ReactionLoads.sto");
  const int child = reference.column("pin2_on_rod2_in_rod2_fx");
  for (int r = 0; r < t.rows(); ++r) {
    const double on_parent = t.data.block<1, 3>(r, 0).norm();
    const double on_child = reference.data.block<1, 3>(r, child).norm();
    EXPECT_NEAR(on_parent, on_child, 1e-10);
  }
}

}  // namespace
}  // namespace femur
