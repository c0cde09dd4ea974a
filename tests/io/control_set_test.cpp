// ControlSet files: the controls CMC and Static Optimization write (ControlLinear nodes, step
// or linear), a controls table turned into linear controls, and bad files with their exact
// messages.
#include <gtest/gtest.h>

#include "femur/io/control_set.hpp"
#include "femur/io/error.hpp"
#include "support/test_data.hpp"

namespace femur::io {
namespace {

std::string message_of(const std::filesystem::path& file) {
  try {
    read_control_set(file);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ControlSetReader, ReadsCmcStepAndLinearControls) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto file = test::opensim_file("Pipelines/Gait2354_Simbody/OutputReference/ResultsCMC/subject01_walk1_controls.xml");
  const ControlSet set = read_control_set(file);
  ASSERT_EQ(set.controls.size(), 77u);  // 54 muscles, 6 residuals, 17 reserves
  const ControlLinear& glut = set.controls[static_cast<size_t>(set.index("glut_med1_r.excitation"))];
  EXPECT_TRUE(glut.use_steps);
  EXPECT_TRUE(glut.extrapolate);
  EXPECT_DOUBLE_EQ(glut.default_min, 0.02);
  EXPECT_DOUBLE_EQ(glut.default_max, 1.0);
  ASSERT_GE(glut.x_nodes.size(), 3u);
  EXPECT_DOUBLE_EQ(glut.x_nodes[0].t, 0.83);
  EXPECT_DOUBLE_EQ(glut.x_nodes[0].value, 0.215421415882573);
  EXPECT_DOUBLE_EQ(glut.x_nodes[1].value, 0.291153589207073);
  const ControlLinear& reserve = set.controls[static_cast<size_t>(set.index("mtp_angle_r_reserve.excitation"))];
  EXPECT_FALSE(reserve.use_steps);
  EXPECT_DOUBLE_EQ(reserve.default_min, -10000);
  EXPECT_DOUBLE_EQ(reserve.x_nodes[0].value, 0.0388242563130916);
}

TEST(ControlSetReader, SkipsTheDefaultsOfOldFiles) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  // arm26_Modified_controls.xml (OpenSim 2.3) carries a <defaults> block with a whole muscle.
  const ControlSet set = read_control_set(
      test::opensim_file("Tutorials/Computed_Muscle_Control/OutputReference/ForwardDynamics/arm26_Modified_controls.xml"));
  ASSERT_EQ(set.controls.size(), 6u);
  EXPECT_EQ(set.controls[0].name, "TRIlong");
  EXPECT_FALSE(set.controls[0].use_steps);
  EXPECT_EQ(set.controls[0].x_nodes.size(), 121u);
}

TEST(ControlSetReader, TableColumnsBecomeLinearControls) {
  Table t;
  t.labels = {"a", "b"};
  t.time = Eigen::Vector3d(0.0, 0.5, 1.0);
  t.data.resize(3, 2);
  t.data << 0, 1, 0.5, 2, 1, 3;
  const ControlSet set = control_set_from_table(t, "controls.sto");
  ASSERT_EQ(set.controls.size(), 2u);
  EXPECT_EQ(set.controls[1].name, "b");
  EXPECT_FALSE(set.controls[1].use_steps);
  ASSERT_EQ(set.controls[1].x_nodes.size(), 3u);
  EXPECT_DOUBLE_EQ(set.controls[1].x_nodes[2].t, 1.0);
  EXPECT_DOUBLE_EQ(set.controls[1].x_nodes[2].value, 3.0);
}

TEST(ControlSetReader, BadFilesNameTheLineAndTheControl) {
  const auto bad = test::source_dir() / "tests/data/bad";
  EXPECT_EQ(message_of(bad / "controls_time_decreasing.xml"),
            (bad / "controls_time_decreasing.xml").string() +
                ":8: ControlLinear 'BIClong': <x_nodes> node at t = 0.2 comes after one at t = 0.5; node times must "
                "not decrease");
  EXPECT_EQ(message_of(bad / "controls_not_a_number.xml"),
            (bad / "controls_not_a_number.xml").string() + ":8: <value>: expected a number, got 'high'");
  // Not finite (setup_fuzz): a node's value, then its time.
  EXPECT_EQ(message_of(bad / "controls_value_infinite.xml"),
            (bad / "controls_value_infinite.xml").string() +
                ":8: ControlLinear 'BIClong': <x_nodes> node has value inf that is not finite");
  EXPECT_EQ(message_of(bad / "controls_time_nan.xml"),
            (bad / "controls_time_nan.xml").string() +
                ":8: ControlLinear 'BIClong': <x_nodes> node has time nan that is not finite");
  EXPECT_EQ(message_of(bad / "controls_unknown_type.xml"),
            (bad / "controls_unknown_type.xml").string() +
                ":5: <ControlSpline> is not a control femur reads (ControlLinear, ControlConstant)");
}

}  // namespace
}  // namespace femur::io
