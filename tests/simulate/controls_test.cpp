// Controls: ControlLinear's step and linear rules (OpenSim 4's getControlValue), binding a
// ControlSet to actuators by name, the grouped evaluation, CorrectionController, and the times
// where step controls jump.
#include <gtest/gtest.h>

#include <cmath>

#include "femur/io/error.hpp"
#include "femur/simulate/controls.hpp"

namespace femur::sim {
namespace {

io::ControlLinear make(std::string name, bool steps, std::vector<io::ControlNode> nodes, bool extrapolate = true) {
  io::ControlLinear c;
  c.name = std::move(name);
  c.use_steps = steps;
  c.extrapolate = extrapolate;
  c.x_nodes = std::move(nodes);
  return c;
}

TEST(ControlValue, StepsHoldTheNextNodeOnEachIntervalOpenOnTheLeft) {
  const auto c = make("a", true, {{0.83, 1.0}, {0.84, 2.0}, {0.85, 3.0}});
  EXPECT_EQ(control_value(c, 0.80), 1.0);          // before the first node: its value
  EXPECT_EQ(control_value(c, 0.83), 1.0);          // at a node: the node's own value
  EXPECT_EQ(control_value(c, std::nextafter(0.83, 1.0)), 2.0);  // just after: the next node's
  EXPECT_EQ(control_value(c, 0.8399), 2.0);
  EXPECT_EQ(control_value(c, 0.84), 2.0);
  EXPECT_EQ(control_value(c, 0.845), 3.0);
  EXPECT_EQ(control_value(c, 0.90), 3.0);          // after the last node: held, never extrapolated
}

TEST(ControlValue, LinearControlsInterpolateAndExtrapolateFromTheEndNodes) {
  const auto c = make("a", false, {{0.0, 1.0}, {1.0, 3.0}, {2.0, 2.0}});
  EXPECT_DOUBLE_EQ(control_value(c, 0.25), 1.5);
  EXPECT_DOUBLE_EQ(control_value(c, 1.5), 2.5);
  EXPECT_DOUBLE_EQ(control_value(c, -1.0), -1.0);  // extrapolated from the first two nodes
  EXPECT_DOUBLE_EQ(control_value(c, 3.0), 1.0);    // from the last two
  const auto held = make("b", false, {{0.0, 1.0}, {1.0, 3.0}}, false);
  EXPECT_DOUBLE_EQ(control_value(held, -1.0), 1.0);
  EXPECT_DOUBLE_EQ(control_value(held, 2.0), 3.0);
  EXPECT_DOUBLE_EQ(control_value(make("c", false, {{0.5, 7.0}}), 3.0), 7.0);  // one node: constant
  EXPECT_TRUE(std::isnan(control_value(make("d", false, {}), 0.0)));
}

TEST(PrescribedController, BindsByNameWithOrWithoutExcitationAndSumsControllers) {
  io::ControlSet set;
  set.file = "controls.xml";
  set.controls = {make("soleus.excitation", true, {{0, 0.1}, {1, 0.2}}), make("reserve", false, {{0, 1.0}, {1, 3.0}})};
  const std::vector<std::string> names = {"reserve", "soleus", "other"};
  Controllers controllers(3);
  controllers.add(make_prescribed_controller(set, names));
  controllers.add(make_prescribed_controller(set, names));  // a second controller adds in
  Eigen::VectorXd q = Eigen::VectorXd::Zero(1), u = q, controls(3);
  controllers.compute(0.5, q, u, controls);
  EXPECT_DOUBLE_EQ(controls[0], 4.0);
  EXPECT_DOUBLE_EQ(controls[1], 0.4);
  EXPECT_DOUBLE_EQ(controls[2], 0.0);
}

TEST(PrescribedController, GroupedEvaluationEqualsEachControlAlone) {
  io::ControlSet set;
  std::vector<std::string> names;
  for (int k = 0; k < 6; ++k) {
    std::vector<io::ControlNode> nodes;
    for (int i = 0; i < 20; ++i) nodes.push_back({0.01 * i + (k == 5 ? 0.003 : 0.0), std::sin(k + 0.3 * i)});
    set.controls.push_back(make("c" + std::to_string(k), k % 2 == 0, nodes));
    names.push_back("c" + std::to_string(k));
  }
  const PrescribedController p = make_prescribed_controller(set, names);
  EXPECT_EQ(p.groups.size(), 2u);  // the five with shared times, and the shifted one
  Controllers controllers(6);
  controllers.add(p);
  Eigen::VectorXd q(1), controls(6);
  for (double t = -0.05; t < 0.25; t += 0.0037) {
    controllers.compute(t, q, q, controls);
    for (int k = 0; k < 6; ++k) EXPECT_EQ(controls[k], control_value(set.controls[static_cast<size_t>(k)], t)) << t;
  }
}

TEST(PrescribedController, AControlNamingNoActuatorIsAnErrorWithItsLine) {
  io::ControlSet set;
  set.file = "arm26_controls.xml";
  auto c = make("biceps_femoris.excitation", true, {{0, 0.1}});
  c.line = 12;
  set.controls = {c};
  try {
    make_prescribed_controller(set, {"BIClong"});
    FAIL();
  } catch (const io::ParseError& e) {
    EXPECT_STREQ(e.what(), "arm26_controls.xml:12: control 'biceps_femoris.excitation' names no actuator of the model");
  }
}

TEST(CorrectionController, PushesTowardsTheDesiredStates) {
  CorrectionController cc;
  cc.kp = 16;
  cc.kv = 8;
  cc.actuator = {1};
  cc.coordinate = {0};
  cc.time = Eigen::Vector2d(0.0, 1.0);
  cc.q_desired = Eigen::Vector2d(0.0, 1.0);
  cc.u_desired = Eigen::Vector2d(1.0, 1.0);
  Controllers controllers(2);
  controllers.add(cc);
  Eigen::VectorXd q(1), u(1), controls(2);
  q << 0.2;
  u << 0.5;
  controllers.compute(0.5, q, u, controls);  // q_des 0.5, u_des 1
  EXPECT_DOUBLE_EQ(controls[1], -8 * (0.5 - 1.0) - 16 * (0.2 - 0.5));
  EXPECT_DOUBLE_EQ(controls[0], 0.0);
}

TEST(ControlStepTimes, AreTheNodeTimesWhereStepControlsChange) {
  std::vector<Controller> list;
  PrescribedController p;
  p.controls = {make("a", true, {{0.1, 1}, {0.2, 2}, {0.3, 2}, {0.4, 3}}), make("b", false, {{0.15, 1}, {0.25, 2}}),
                make("c", true, {{0.2, 1}, {0.5, 2}})};
  list.push_back(p);
  // a changes after 0.1 and 0.3 (not after 0.2: equal values); c after 0.2; linear b never.
  EXPECT_EQ(control_step_times(list, 0.0, 1.0), (std::vector<double>{0.1, 0.2, 0.3}));
  EXPECT_EQ(control_step_times(list, 0.1, 0.3), (std::vector<double>{0.2}));
}

}  // namespace
}  // namespace femur::sim
