// Property tests of the mobilizer reactions (dynamics/joint_reaction.hpp) on random states of
// a tree with every joint type and of gait2392: the reaction's projection on a joint's motion
// axes is the applied generalized force, the reactions agree with RNEA's body forces at the
// same accelerations, and the reaction at the root balances the momentum rate of the tree.
#include <gtest/gtest.h>

#include <random>

#include "femur/dynamics/joint_reaction.hpp"
#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "support/model_param_test.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

constexpr const char* kGait2392 = "Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim";

class MobilizerReaction : public test::ModelParamTest {
 protected:
  // Random generalized forces and body forces (points on each body) at state s.
  void random_loads(unsigned seed, const test::State& s, Data& data, Eigen::VectorXd& tau) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    tau.resize(model_.nv);
    for (int k = 0; k < model_.nv; ++k) tau[k] = 20.0 * u(rng);
    forward_kinematics(model_, data, s.q);
    clear_applied_forces(data);
    for (int b = 1; b < static_cast<int>(model_.bodies.size()); ++b)
      apply_point_force(model_, data, b, Vec3(u(rng), u(rng), u(rng)) * 0.1,
                        Vec3(u(rng), u(rng), u(rng)) * 50.0, Vec3(u(rng), u(rng), u(rng)) * 5.0);
  }

};

TEST_P(MobilizerReaction, ProjectedOnTheJointAxesIsTheAppliedGeneralizedForce) {
  // Simbody includes applied mobility forces in the reaction (SimbodyMatterSubsystem.h,
  // calcMobilizerReactionForces): S^T R = tau_applied at the forward-dynamics accelerations.
  Data data(model_);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const test::State s = test::random_state(model_, seed);
    Eigen::VectorXd tau;
    random_loads(seed, s, data, tau);
    compute_mobilizer_reactions(model_, data, s.q, s.qdot, tau);
    for (const Joint& joint : model_.joints)
      for (int k = joint.q_start; k < joint.q_start + joint.nq; ++k) {
        const Force& f = data.f[joint.child_body];
        const double projected = data.S.col(k).head<3>().dot(f.n) + data.S.col(k).tail<3>().dot(f.f);
        EXPECT_NEAR(projected, tau[k], 1e-9 * (1.0 + std::abs(tau[k])))
            << joint.name << " coordinate " << model_.coordinates[k].name << " seed " << seed;
      }
  }
}

TEST_P(MobilizerReaction, EqualsRneaBodyForcesAtTheForwardDynamicsAccelerations) {
  Data data(model_), other(model_);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const test::State s = test::random_state(model_, seed);
    Eigen::VectorXd tau;
    random_loads(seed, s, data, tau);
    other.f_ext = data.f_ext;
    compute_mobilizer_reactions(model_, data, s.q, s.qdot, tau);
    const Eigen::VectorXd ddq = data.ddq;
    rnea(model_, other, s.q, s.qdot, ddq);  // rnea's data.f: the same force, another code path
    EXPECT_LT((other.tau - tau).norm(), 1e-8 * (1.0 + tau.norm())) << "seed " << seed;
    for (const Joint& joint : model_.joints) {
      const int i = joint.child_body;
      EXPECT_LT((data.f[i].vector() - other.f[i].vector()).norm(), 1e-8 * (1.0 + other.f[i].vector().norm()))
          << joint.name << " seed " << seed;
    }
    // compute_mobilizer_reactions_at with the same accelerations gives the same reactions.
    Data at(model_);
    at.f_ext = data.f_ext;
    compute_mobilizer_reactions_at(model_, at, s.q, s.qdot, ddq);
    for (const Joint& joint : model_.joints) {
      const int i = joint.child_body;
      EXPECT_LT((data.f[i].vector() - at.f[i].vector()).norm(), 1e-9 * (1.0 + at.f[i].vector().norm()));
    }
  }
}

TEST_P(MobilizerReaction, AtTheRootBalancesTheMomentumRateOfTheWholeTree) {
  // Newton for the whole system: sum m a_com = sum m g + sum F_applied + R_root (the force the
  // root joints pass in from ground), a_com from the kinematics, not from the recursion.
  Data data(model_);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const test::State s = test::random_state(model_, seed);
    Eigen::VectorXd tau;
    random_loads(seed, s, data, tau);
    compute_mobilizer_reactions(model_, data, s.q, s.qdot, tau);
    Data kin(model_);
    forward_kinematics(model_, kin, s.q, s.qdot, data.ddq);
    Vec3 lhs = Vec3::Zero(), rhs = Vec3::Zero();
    for (int b = 1; b < static_cast<int>(model_.bodies.size()); ++b) {
      const Body& body = model_.bodies[b];
      lhs += body.mass * point_acceleration(model_, kin, b, body.com_in_body);
      rhs += body.mass * model_.gravity + data.f_ext[b].f;
    }
    for (int j = 0; j < static_cast<int>(model_.joints.size()); ++j)
      if (model_.joints[j].parent_body == 0) rhs += reaction_on_child(model_, data, j).force;
    EXPECT_LT((lhs - rhs).norm(), 1e-8 * (1.0 + lhs.norm())) << "seed " << seed;
  }
}

TEST_P(MobilizerReaction, OnTheParentIsTheOppositeWrenchMovedToF) {
  // The two sides of the cut, compared as wrenches about the ground origin: they cancel.
  Data data(model_);
  const test::State s = test::random_state(model_, 7);
  Eigen::VectorXd tau;
  random_loads(7, s, data, tau);
  compute_mobilizer_reactions(model_, data, s.q, s.qdot, tau);
  for (int j = 0; j < static_cast<int>(model_.joints.size()); ++j) {
    const Wrench c = reaction_on_child(model_, data, j);
    const Wrench p = reaction_on_parent(model_, data, j);
    EXPECT_LT((p.point - joint_parent_frame_in_ground(model_, data, j).p).norm(), 1e-15);
    EXPECT_LT((c.force + p.force).norm(), 1e-12 * (1.0 + c.force.norm()));
    const Vec3 about_origin = c.moment + c.point.cross(c.force) + p.moment + p.point.cross(p.force);
    EXPECT_LT(about_origin.norm(), 1e-10 * (1.0 + c.force.norm() + c.moment.norm()))
        << model_.joints[j].name;
  }
}

TEST(MobilizerReaction, RejectsVectorsOfTheWrongSize) {
  const Model model = test::make_test_leg();
  Data data(model);
  const Eigen::VectorXd q = model.default_q(), short_v = Eigen::VectorXd::Zero(model.nv - 1);
  EXPECT_THROW(compute_mobilizer_reactions(model, data, q, short_v, Eigen::VectorXd::Zero(model.nv)),
               std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Models, MobilizerReaction, ::testing::Values("test_leg", kGait2392),
                         [](const auto& info) { return info.index == 0 ? std::string("test_leg") : std::string("gait2392"); });

}  // namespace
}  // namespace femur
