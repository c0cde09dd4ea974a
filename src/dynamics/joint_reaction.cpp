#include "femur/dynamics/joint_reaction.hpp"

#include <stdexcept>
#include <string>

#include "femur/dynamics/aba.hpp"
#include "femur/kinematics/forward_kinematics.hpp"

namespace femur {

namespace {

void check_size(const char* what, const Eigen::VectorXd& x, int n) {
  if (x.size() != n)
    throw std::invalid_argument(std::string("compute_mobilizer_reactions: ") + what + " has " +
                                std::to_string(x.size()) + " entries, the model has " +
                                std::to_string(n) + " coordinates");
}

// Simbody's free-body method (SimbodyMatterSubsystemRep::calcMobilizerReactionForces): each
// body's inertial force at its acceleration (gravity folded into the acceleration of ground,
// data.a_gf) less the applied body force, then, leaves first, every child's reaction moved
// onto its parent. Needs data.X_parent, data.X_ground, data.v and data.a_gf.
void body_reactions(const Model& model, Data& data) {
  for (const Joint& joint : model.joints) {
    const int i = joint.child_body;
    const SpatialInertia& I = model.bodies[i].inertia_in_M;
    data.f[i] = I * data.a_gf[i] + cross(data.v[i], I * data.v[i]) -
                data.X_ground[i].apply_inverse(data.f_ext[i]);
  }
  for (size_t j = model.joints.size(); j-- > 0;) {
    const Joint& joint = model.joints[j];
    if (joint.parent_body > 0)
      data.f[joint.parent_body] += data.X_parent[joint.child_body].apply(data.f[joint.child_body]);
  }
}

}  // namespace

void compute_mobilizer_reactions(const Model& model, Data& data, const Eigen::VectorXd& q,
                                 const Eigen::VectorXd& qdot, const Eigen::VectorXd& tau_applied) {
  check_size("q", q, model.nq);
  check_size("qdot", qdot, model.nv);
  check_size("tau_applied", tau_applied, model.nv);
  // aba runs the kinematics (poses, velocities, joint bias) and leaves the accelerations with
  // gravity folded in, in each body's M frame, in data.a_gf.
  aba(model, data, q, qdot, tau_applied);
  body_reactions(model, data);
}

void compute_mobilizer_reactions_at(const Model& model, Data& data, const Eigen::VectorXd& q,
                                    const Eigen::VectorXd& qdot, const Eigen::VectorXd& qddot) {
  check_size("q", q, model.nq);
  check_size("qdot", qdot, model.nv);
  check_size("qddot", qddot, model.nv);
  forward_kinematics(model, data, q, qdot);
  data.a_gf[0] = {Vec3::Zero(), -model.gravity};
  for (const Joint& joint : model.joints) {
    const int i = joint.child_body;
    Motion a = data.X_parent[i].apply_inverse(data.a_gf[joint.parent_body]) + data.c[i];
    for (int k = joint.q_start; k < joint.q_start + joint.nq; ++k) {
      a.w += data.S.col(k).head<3>() * qddot[k];
      a.v += data.S.col(k).tail<3>() * qddot[k];
    }
    data.a_gf[i] = a;
  }
  body_reactions(model, data);
}

Wrench reaction_on_child(const Model& model, const Data& data, int joint) {
  const int i = model.joints[joint].child_body;
  const Transform& X = data.X_ground[i];
  const Force& f = data.f[i];
  return {X.R * f.f, X.R * f.n, X.p};
}

Transform joint_parent_frame_in_ground(const Model& model, const Data& data, int joint) {
  const Joint& j = model.joints[joint];
  return data.X_ground[j.parent_body] * j.X_parentM_F;
}

Wrench reaction_on_parent(const Model& model, const Data& data, int joint) {
  // Newton's third law at the cut: -R acts on the parent at M's origin; about F's origin the
  // moment gains (p_M - p_F) x (-f).
  const Wrench child = reaction_on_child(model, data, joint);
  const Vec3 p_F = joint_parent_frame_in_ground(model, data, joint).p;
  return {-child.force, -child.moment - (child.point - p_F).cross(child.force), p_F};
}

}  // namespace femur
