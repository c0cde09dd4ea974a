#include "femur/kinematics/jacobian.hpp"

#include "femur/kinematics/forward_kinematics.hpp"

namespace femur {

[[gnu::flatten]] void compute_joint_jacobians(const Model& model, Data& data, const Eigen::VectorXd& q) {
  forward_kinematics(model, data, q);
  for (int k = 0; k < model.nv; ++k) {
    const Motion s{data.S.col(k).head<3>(), data.S.col(k).tail<3>()};
    const Motion g = data.X_ground[data.body_of_coordinate[k]].apply(s);
    data.J.col(k) << g.w, g.v;
  }
}

namespace {
// Calls visit(k) for every coordinate on the path from `body` to ground.
template <class Visit>
void for_each_supporting_coordinate(const Model& model, int body, Visit&& visit) {
  for (int b = body; b > 0; b = model.bodies[b].parent) {
    const Joint& joint = model.joints[model.bodies[b].joint];
    for (int k = 0; k < joint.nq; ++k) visit(joint.q_start + k);
  }
}
}  // namespace

void point_jacobian(const Model& model, const Data& data, int body, const Vec3& point_in_body, Matrix3X& J) {
  J.setZero(3, model.nv);
  const Vec3 x = point_in_ground(model, data, body, point_in_body);
  for_each_supporting_coordinate(model, body, [&](int k) {
    const Vec3 w = data.J.col(k).head<3>();
    J.col(k) = data.J.col(k).tail<3>() + w.cross(x);
  });
}

void frame_jacobian(const Model& model, const Data& data, int body, const Vec3& point_in_body, Matrix6X& J) {
  J.setZero(6, model.nv);
  const Vec3 x = point_in_ground(model, data, body, point_in_body);
  for_each_supporting_coordinate(model, body, [&](int k) {
    const Vec3 w = data.J.col(k).head<3>();
    J.col(k).head<3>() = w;
    J.col(k).tail<3>() = data.J.col(k).tail<3>() + w.cross(x);
  });
}

}  // namespace femur
