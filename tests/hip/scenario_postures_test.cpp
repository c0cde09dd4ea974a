// Every scenario gives its postures for the report's 3D view, in the model's coordinates; where
// it gives the hip contact force, the force is the femoral head's push into the acetabulum:
// it points from the hip centre towards the pelvis (within 90 degrees of the vector from the
// hip centre to the pelvis origin, which lies medial and above it in femur's hip model).
#include <gtest/gtest.h>

#include <cmath>

#include "femur/hip/hip_model.hpp"
#include "femur/hip/scenario.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/model/data.hpp"

namespace femur::hip {
namespace {

TEST(ScenarioPostures, EveryScenarioShowsItsPostureAndTheHipForcePointsIntoTheAcetabulum) {
  const Model model = build_hip_model();
  Data data(model);
  double mass = 0.0;
  for (const Body& b : model.bodies) mass += b.mass;
  const double weight = mass * model.gravity.norm();
  int forces = 0;
  for (const ScenarioInfo& info : scenario_registry()) {
    if (info.long_running) continue;  // minutes of optimal control: its own test
    SCOPED_TRACE(info.name);
    const ScenarioResult r = run_scenario(info, model, resolve_parameters(info, info.population ? std::vector<std::string>{"samples=0"} : std::vector<std::string>{}));
    ASSERT_FALSE(r.postures.empty());
    for (const Posture& p : r.postures) {
      ASSERT_FALSE(p.q.empty());
      EXPECT_EQ(p.labels.size(), p.q.size());
      for (const auto& q : p.q) ASSERT_EQ(static_cast<int>(q.size()), model.nq);
      if (p.hip_joint.empty()) continue;
      ASSERT_EQ(p.hip_force_in_ground.size(), p.q.size());
      const int j = model.joint_index(p.hip_joint);
      ASSERT_GE(j, 0);
      const int pelvis = model.joints[static_cast<size_t>(j)].parent_body;
      const int femur = model.joints[static_cast<size_t>(j)].child_body;
      for (size_t i = 0; i < p.q.size(); ++i) {
        const Vec3 f(p.hip_force_in_ground[i][0], p.hip_force_in_ground[i][1], p.hip_force_in_ground[i][2]);
        if (!f.allFinite() || f.norm() < 0.5 * weight) continue;
        forward_kinematics(model, data, Eigen::Map<const Eigen::VectorXd>(p.q[i].data(), model.nq));
        const Vec3 centre = data.X_ground[femur].p;  // the hip joint centre
        const Vec3 to_pelvis = body_pose(model, data, pelvis).p - centre;
        EXPECT_GT(f.dot(to_pelvis), 0.0) << p.labels[i] << ": " << f.transpose();
        ++forces;
      }
    }
  }
  EXPECT_GT(forces, 20);
}

}  // namespace
}  // namespace femur::hip
