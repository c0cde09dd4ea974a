#include "femur/dynamics/rnea.hpp"

#include <stdexcept>
#include <string>

#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/kinematics/joint_model.hpp"

namespace femur {

namespace {
void check_size(const char* what, const Eigen::VectorXd& x, int n) {
  if (x.size() != n)
    throw std::invalid_argument(std::string("rnea: ") + what + " has " + std::to_string(x.size()) +
                                " entries, the model has " + std::to_string(n) + " coordinates");
}
}  // namespace

const Eigen::VectorXd& rnea(const Model& model, Data& data, const Eigen::VectorXd& q,
                            const Eigen::VectorXd& qdot, const Eigen::VectorXd& qddot) {
  check_size("q", q, model.nq);
  check_size("qdot", qdot, model.nv);
  check_size("qddot", qddot, model.nv);

  // Ground poses are needed only to bring applied forces into the body frames.
  bool applied = false;
  for (const Force& f : data.f_ext) applied = applied || !f.n.isZero(0.0) || !f.f.isZero(0.0);

  // Forward pass: velocities, accelerations (gravity as an upward acceleration of ground)
  // and the force each body needs.
  data.v[0] = Motion::zero();
  data.a_gf[0] = {Vec3::Zero(), -model.gravity};
  for (size_t j = 0; j < model.joints.size(); ++j) {
    const Joint& joint = model.joints[j];
    const int i = joint.child_body;
    const int p = joint.parent_body;
    const Transform X_F_M = joint_transform(model, joint, static_cast<int>(j), q, data);
    data.X_parent[i] = joint_placement(joint, X_F_M);
    if (applied) data.X_ground[i] = data.X_ground[p] * data.X_parent[i];
    const Motion vJ = joint_velocity(joint, data.S, qdot);
    data.v[i] = data.X_parent[i].apply_inverse(data.v[p]) + vJ;
    data.c[i] = joint_bias(joint, static_cast<int>(j), data, qdot) + cross(data.v[i], vJ);
    data.a_gf[i] = data.X_parent[i].apply_inverse(data.a_gf[p]) + data.c[i] + joint_velocity(joint, data.S, qddot);
    const SpatialInertia& I = model.bodies[i].inertia_in_M;
    data.f[i] = I * data.a_gf[i] + cross(data.v[i], I * data.v[i]);
    if (applied) data.f[i] -= data.X_ground[i].apply_inverse(data.f_ext[i]);
  }

  // Backward pass: project onto the joint axes and pass the rest to the parent.
  for (size_t j = model.joints.size(); j-- > 0;) {
    const Joint& joint = model.joints[j];
    const int i = joint.child_body;
    for (int k = 0; k < joint.nq; ++k) {
      const auto s = data.S.col(joint.q_start + k);
      data.tau[joint.q_start + k] = s.head<3>().dot(data.f[i].n) + s.tail<3>().dot(data.f[i].f);
    }
    if (joint.parent_body > 0) data.f[joint.parent_body] += data.X_parent[i].apply(data.f[i]);
  }
  return data.tau;
}

void clear_applied_forces(Data& data) {
  for (Force& f : data.f_ext) f = Force::zero();
}

void apply_point_force(const Model& model, Data& data, int body, const Vec3& point_in_body,
                       const Vec3& force_in_ground, const Vec3& moment_in_ground) {
  const Vec3 x = point_in_ground(model, data, body, point_in_body);
  data.f_ext[body] += Force{x.cross(force_in_ground) + moment_in_ground, force_in_ground};
}

}  // namespace femur
