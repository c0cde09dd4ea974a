// Mobilizer reaction loads: the spatial force each joint transmits from its parent body to
// its child body, as Simbody reports it (SimbodyMatterSubsystem::calcMobilizerReactionForces,
// MobilizedBody::findMobilizerReactionOnBodyAtMInGround / ...OnParentAtFInGround) and
// OpenSim's JointReaction analysis uses it (Joint::calcReactionOnChildExpressedInGround).
//
// Simbody's definition (SimbodyMatterSubsystemRep.cpp, the "free body" method): with the
// true accelerations of the system, the reaction on body B is what B needs beyond the
// applied body forces, plus what B passes on to its children,
//   R_B = I_B A_B + v_B x* I_B v_B - F_applied,B + sum_children R_C,
// which is exactly the body force of the recursive Newton-Euler algorithm (Featherstone 2008,
// eq. 5.9-5.11) evaluated at the forward-dynamics accelerations. Applied mobility
// (generalized) forces are not subtracted: they are part of what the mobilizer transmits, so
// a reserve actuator on a joint's own coordinate shows up in that joint's reaction.
//
//   compute_mobilizer_reactions(model, data, q, qdot, tau_applied);   // data.f_ext set first
//   const Wrench on_femur = reaction_on_child(model, data, hip_joint);
#pragma once

#include <Eigen/Core>

#include "femur/model/data.hpp"
#include "femur/model/model.hpp"

namespace femur {

// A force and a moment about `point`, all three in ground coordinates.
struct Wrench {
  Vec3 force = Vec3::Zero();
  Vec3 moment = Vec3::Zero();
  Vec3 point = Vec3::Zero();
};

// Forward dynamics (aba) under gravity, the generalized forces tau_applied and the applied
// body forces data.f_ext, then the reaction of every joint: data.ddq holds the accelerations,
// data.f[body] the reaction on each body at its joint frame M (in M, about M's origin), and
// data.X_ground the poses. Couplers are not enforced (the model must have none). Allocates
// nothing; sizes are checked once (std::invalid_argument).
void compute_mobilizer_reactions(const Model& model, Data& data, const Eigen::VectorXd& q,
                                 const Eigen::VectorXd& qdot, const Eigen::VectorXd& tau_applied);

// The same for known accelerations qddot (no forward dynamics): the reactions that hold when
// the motion is qddot. With qddot from compute_mobilizer_reactions both agree.
void compute_mobilizer_reactions_at(const Model& model, Data& data, const Eigen::VectorXd& q,
                                    const Eigen::VectorXd& qdot, const Eigen::VectorXd& qddot);

// Reaction the joint applies to its child body, at the origin of the child frame M, in
// ground (Simbody findMobilizerReactionOnBodyAtMInGround). After compute_mobilizer_reactions.
Wrench reaction_on_child(const Model& model, const Data& data, int joint);

// Reaction on the parent body at the origin of the parent frame F, in ground: the opposite of
// the child's, moved from M to F (Simbody findMobilizerReactionOnParentAtFInGround).
Wrench reaction_on_parent(const Model& model, const Data& data, int joint);

// Ground pose of a joint's parent frame F (after any kinematics that set data.X_ground).
Transform joint_parent_frame_in_ground(const Model& model, const Data& data, int joint);

}  // namespace femur
