// The StaticOptimizer's options beyond OpenSim's analysis (tools/static_optimization.hpp), on
// gait2392 (92 Thelen2003 muscles) held still in a posture: point loads enter the demand as
// body forces, the listed coordinates are balanced by the muscles' active and passive forces
// and the added reserves, a caller's MuscleSet weakens and caps muscles, an excluded actuator
// is as if removed from the model, cold starts make postures independent, and the joint
// reactions with the solved forces balance every force on the bodies beyond the joint.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/muscle/muscle_model.hpp"
#include "femur/tools/static_optimization.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

const Model& gait2392() {
  static const Model m = test::load_opensim_model("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim");
  return m;
}

// Right hip flexed with the knee straight (hamstrings stretched: passive force), left knee bent.
Eigen::VectorXd posture(const Model& m) {
  Eigen::VectorXd q = m.default_q();
  q[m.coordinate_index("hip_flexion_r")] = 0.8;
  q[m.coordinate_index("knee_angle_l")] = -0.9;
  q[m.coordinate_index("lumbar_extension")] = -0.2;
  return q;
}

std::vector<std::string> non_root(const Model& m) {
  std::vector<std::string> out;
  for (const Coordinate& c : m.coordinates)
    if (m.joints[static_cast<size_t>(c.joint)].parent_body != 0) out.push_back(c.name);
  return out;
}

// The options of a still posture held by its muscles: non-root coordinates balanced, a 1 N m
// reserve on each, passive fiber forces counted.
tools::StaticOptimizationOptions posture_options(const Model& m) {
  tools::StaticOptimizationOptions o;
  o.coordinates = non_root(m);
  o.reserve_coordinates = o.coordinates;
  o.include_passive_fiber_force = true;
  o.warm_start = false;
  return o;
}

TEST(StaticOptimizerOptions, PointLoadsEnterTheDemandAsBodyForces) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model& m = gait2392();
  tools::StaticOptimizer so(m, nullptr, posture_options(m));
  const Eigen::VectorXd q = posture(m), zero = Eigen::VectorXd::Zero(m.nv);
  so.evaluate_frame(0.0, q, zero, zero, {});
  double weight = 0.0;
  for (const Body& b : m.bodies) weight += b.mass * m.gravity.norm();
  EXPECT_GT(so.generalized_forces().lpNorm<Eigen::Infinity>(), 10.0);  // gravity needs holding
  // Every body's weight lifted at its centre of mass: nothing left for any coordinate.
  std::vector<tools::PointLoad> lift;
  for (int b = 1; b < static_cast<int>(m.bodies.size()); ++b)
    lift.push_back({b, m.bodies[static_cast<size_t>(b)].com_in_body, -m.bodies[static_cast<size_t>(b)].mass * m.gravity});
  so.evaluate_frame(0.0, q, zero, zero, lift);
  EXPECT_LT(so.generalized_forces().lpNorm<Eigen::Infinity>(), 1e-12 * weight);
}

// sum_j r_jk (x_j F_j + P_j) + reserve_k = tau_k on every listed coordinate, and only there.
TEST(StaticOptimizerOptions, ListedCoordinatesAreBalancedByActiveAndPassiveForcesAndReserves) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model& m = gait2392();
  const tools::StaticOptimizationOptions o = posture_options(m);
  tools::StaticOptimizer so(m, nullptr, o);
  ASSERT_EQ(so.free_coordinates().size(), o.coordinates.size());
  ASSERT_EQ(so.first_reserve(), 92);
  ASSERT_EQ(so.num_actuators(), 92 + static_cast<int>(o.coordinates.size()));
  EXPECT_EQ(so.actuator_names()[92], o.coordinates.front() + "_reserve");
  const Eigen::VectorXd q = posture(m), zero = Eigen::VectorXd::Zero(m.nv);
  Eigen::VectorXd x, forces;
  ASSERT_EQ(so.solve_frame(0.0, q, zero, zero, {}, x, forces).status, BoundedQpStatus::Solved);
  const Eigen::VectorXd& P = so.passive_forces();
  EXPECT_GE(P.minCoeff(), 0.0);
  EXPECT_GT(P[so.actuator_of_muscle(so.muscles().index("bifemlh_r"))], 1.0);  // stretched hamstring
  for (int j = 0; j < so.first_reserve(); ++j) EXPECT_DOUBLE_EQ(forces[j], x[j] * so.optimal_forces()[j] + P[j]);
  const PathData& pd = so.path_data();
  for (size_t r = 0; r < so.free_coordinates().size(); ++r) {
    const int k = so.free_coordinates()[r];
    double produced = forces[so.first_reserve() + static_cast<int>(r)];  // reserve r sits on row r
    for (int j = 0; j < so.first_reserve(); ++j)
      produced += pd.moment_arm(so.paths().path_index(so.actuator_names()[j]), k) * forces[j];
    const double tau = so.generalized_forces()[k];
    EXPECT_NEAR(produced, tau, 1e-9 * (1.0 + std::abs(tau))) << m.coordinates[static_cast<size_t>(k)].name;
  }
  // Without the passive forces the muscles must do more: the balance differs.
  tools::StaticOptimizationOptions active_only = o;
  active_only.include_passive_fiber_force = false;
  tools::StaticOptimizer so2(m, nullptr, active_only);
  Eigen::VectorXd x2, forces2;
  so2.solve_frame(0.0, q, zero, zero, {}, x2, forces2);
  EXPECT_EQ(so2.passive_forces().lpNorm<Eigen::Infinity>(), 0.0);
  EXPECT_GT((x2 - x).lpNorm<Eigen::Infinity>(), 1e-3);
}

TEST(StaticOptimizerOptions, TheCallersMuscleSetWeakensAndCapsMusclesAtTheNextFrame) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model& m = gait2392();
  MuscleSet muscles(m);
  tools::StaticOptimizer so(m, muscles, nullptr, posture_options(m));
  EXPECT_EQ(&so.muscles(), &muscles);
  const Eigen::VectorXd q = posture(m), zero = Eigen::VectorXd::Zero(m.nv);
  Eigen::VectorXd x, forces;
  so.solve_frame(0.0, q, zero, zero, {}, x, forces);
  const Eigen::VectorXd x_first = x, capacity = so.optimal_forces(), passive = so.passive_forces();
  int busiest = 0;
  x.head(so.first_reserve()).maxCoeff(&busiest);
  const int mi = so.muscle_of_actuator(busiest);
  ASSERT_GE(mi, 0);
  EXPECT_GT(x[busiest], 0.05);
  // Half the strength: half the capacity and half the passive force (both scale with F0).
  muscles.set_max_isometric_force_scale(mi, 0.5);
  so.solve_frame(0.0, q, zero, zero, {}, x, forces);
  EXPECT_DOUBLE_EQ(so.optimal_forces()[busiest], 0.5 * capacity[busiest]);
  EXPECT_DOUBLE_EQ(so.passive_forces()[busiest], 0.5 * passive[busiest]);
  // Capped: the activation stays at or under the cap; restored: the first answer again.
  const double a = x[busiest];
  muscles.set_activation_bounds(mi, 0.0, 0.5 * a);
  so.solve_frame(0.0, q, zero, zero, {}, x, forces);
  EXPECT_LE(x[busiest], 0.5 * a);
  EXPECT_EQ(so.upper_bounds()[busiest], 0.5 * a);
  muscles.set_activation_bounds(mi, muscles.model_parameters(mi).min_control, muscles.model_parameters(mi).max_control);
  muscles.set_max_isometric_force_scale(mi, 1.0);
  Eigen::VectorXd x_again, forces_again;
  so.solve_frame(0.0, q, zero, zero, {}, x_again, forces_again);
  EXPECT_EQ(so.optimal_forces()[busiest], capacity[busiest]);
  EXPECT_EQ(x_again, x_first);
}

TEST(StaticOptimizerOptions, AnExcludedActuatorIsAsIfRemovedFromTheModel) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model& m = gait2392();
  tools::StaticOptimizationOptions o = posture_options(m);
  o.excluded_actuators = {"rect_fem_r", "psoas_r"};
  tools::StaticOptimizer excluded(m, nullptr, o);
  Model without = m;
  for (ForceElement& f : without.forces)
    if (f.name == "rect_fem_r" || f.name == "psoas_r") f.applies_force = false;
  tools::StaticOptimizer removed(without, nullptr, posture_options(without));
  ASSERT_EQ(removed.num_actuators(), excluded.num_actuators() - 2);
  const Eigen::VectorXd q = posture(m), zero = Eigen::VectorXd::Zero(m.nv);
  Eigen::VectorXd x, forces, xr, forces_r;
  ASSERT_EQ(excluded.solve_frame(0.0, q, zero, zero, {}, x, forces).status, BoundedQpStatus::Solved);
  ASSERT_EQ(removed.solve_frame(0.0, q, zero, zero, {}, xr, forces_r).status, BoundedQpStatus::Solved);
  for (const char* name : {"rect_fem_r", "psoas_r"}) {
    const int j = excluded.actuator_of_muscle(excluded.muscles().index(name));
    EXPECT_EQ(x[j], 0.0);
    EXPECT_EQ(forces[j], 0.0);
    EXPECT_EQ(excluded.lower_bounds()[j], 0.0);
    EXPECT_EQ(excluded.upper_bounds()[j], 0.0);
  }
  for (int j = 0; j < removed.num_actuators(); ++j) {
    const std::string& name = removed.actuator_names()[static_cast<size_t>(j)];
    const int e = static_cast<int>(std::find(excluded.actuator_names().begin(), excluded.actuator_names().end(), name) -
                                   excluded.actuator_names().begin());
    EXPECT_NEAR(forces[e], forces_r[j], 1e-9 * (1.0 + std::abs(forces_r[j]))) << name;
  }
  o.excluded_actuators = {"no_such_muscle"};
  EXPECT_THROW(tools::StaticOptimizer(m, nullptr, o), std::invalid_argument);
}

TEST(StaticOptimizerOptions, ColdStartsMakeAPosturesResultIndependentOfTheFramesBefore) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model& m = gait2392();
  tools::StaticOptimizer first(m, nullptr, posture_options(m)), fresh(m, nullptr, posture_options(m));
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(m.nv);
  Eigen::VectorXd q = posture(m), x, forces, x2, forces2;
  first.solve_frame(0.0, m.default_q(), zero, zero, {}, x, forces);
  first.solve_frame(0.0, q, zero, zero, {}, x, forces);
  fresh.solve_frame(0.0, q, zero, zero, {}, x2, forces2);
  EXPECT_EQ(x, x2);
  EXPECT_EQ(forces, forces2);
}

// Static equilibrium of the bodies beyond a joint: its reaction on the child plus every
// applied force on them (gravity, the point loads, the muscles' tension along their paths) is
// zero, force and moment (about the child frame's origin).
TEST(StaticOptimizerOptions, JointReactionsBalanceEveryForceOnTheBodiesBeyondTheJoint) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model& m = gait2392();
  tools::StaticOptimizer so(m, nullptr, posture_options(m));
  const Eigen::VectorXd q = posture(m), zero = Eigen::VectorXd::Zero(m.nv);
  Data data(m);
  forward_kinematics(m, data, q);
  const int calcn_r = m.body_index("calcn_r");
  const std::vector<tools::PointLoad> loads{{calcn_r, Vec3(0.1, 0.0, 0.0), Vec3(20.0, 300.0, -15.0)}};
  Eigen::VectorXd x, forces;
  ASSERT_EQ(so.solve_frame(0.0, q, zero, zero, loads, x, forces).status, BoundedQpStatus::Solved);
  std::vector<int> joints;
  for (const char* name : {"hip_r", "knee_r", "back"}) joints.push_back(m.joint_index(name));
  std::vector<Wrench> reactions;
  so.joint_reactions(joints, forces, reactions);
  ASSERT_EQ(reactions.size(), joints.size());

  // The applied forces body by body, about the ground origin: muscles (through the actuator
  // set, as the tool applies them), the point load, gravity.
  const PathSet& paths = m.paths;
  PathData pd(m, paths);
  compute_paths(m, paths, data, q, pd);
  const tools::ActuatorSet set = tools::bind_actuators(m, paths);
  Eigen::VectorXd actuation = Eigen::VectorXd::Zero(set.size()), tau = Eigen::VectorXd::Zero(m.nv);
  for (int j = 0; j < so.first_reserve(); ++j) actuation[set.index(so.actuator_names()[static_cast<size_t>(j)])] = forces[j];
  clear_applied_forces(data);
  tools::apply_actuator_forces(m, paths, pd, set, q, actuation, data, tau);
  std::vector<Vec3> f_body(m.bodies.size(), Vec3::Zero()), n_body(m.bodies.size(), Vec3::Zero());
  for (size_t b = 1; b < m.bodies.size(); ++b) {
    const Vec3 com = body_pose(m, data, static_cast<int>(b)).apply(m.bodies[b].com_in_body);
    const Vec3 weight = m.bodies[b].mass * m.gravity;
    f_body[b] = data.f_ext[b].f + weight;
    n_body[b] = data.f_ext[b].n + com.cross(weight);
  }
  const Vec3 p_load = body_pose(m, data, calcn_r).apply(loads[0].point_in_body);
  f_body[static_cast<size_t>(calcn_r)] += loads[0].force_in_ground;
  n_body[static_cast<size_t>(calcn_r)] += p_load.cross(loads[0].force_in_ground);
  for (size_t i = 0; i < joints.size(); ++i) {
    const int child = m.joints[static_cast<size_t>(joints[i])].child_body;
    Vec3 F = Vec3::Zero(), N = Vec3::Zero();
    for (int b = 1; b < static_cast<int>(m.bodies.size()); ++b)
      for (int a = b; a > 0; a = m.bodies[static_cast<size_t>(a)].parent)
        if (a == child) {
          F += f_body[static_cast<size_t>(b)];
          N += n_body[static_cast<size_t>(b)];
          break;
        }
    const Wrench& R = reactions[i];
    const Vec3 moment_about_origin = R.moment + R.point.cross(R.force);
    EXPECT_LT((R.force + F).norm(), 1e-9 * F.norm()) << m.joints[static_cast<size_t>(joints[i])].name;
    EXPECT_LT((moment_about_origin + N).norm(), 1e-9 * (1.0 + N.norm())) << m.joints[static_cast<size_t>(joints[i])].name;
    EXPECT_GT(R.force.norm(), 100.0);
  }
}

}  // namespace
}  // namespace femur
