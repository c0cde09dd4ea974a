#include "femur/kinematics/forward_kinematics.hpp"

#include "femur/kinematics/joint_model.hpp"

namespace femur {

[[gnu::flatten]] void forward_kinematics(const Model& model, Data& data, const Eigen::VectorXd& q) {
  for (size_t j = 0; j < model.joints.size(); ++j) {
    const Joint& joint = model.joints[j];
    const int i = joint.child_body;
    const Transform X_F_M = joint_transform_inline(model, joint, static_cast<int>(j), q, data);
    data.X_parent[i] = joint_placement(joint, X_F_M);
    data.X_ground[i] = data.X_ground[joint.parent_body] * data.X_parent[i];
  }
}

[[gnu::flatten]] void forward_kinematics(const Model& model, Data& data, const Eigen::VectorXd& q,
                        const Eigen::VectorXd& qdot) {
  forward_kinematics(model, data, q);
  data.v[0] = Motion::zero();
  for (size_t j = 0; j < model.joints.size(); ++j) {
    const Joint& joint = model.joints[j];
    const int i = joint.child_body;
    const Motion vJ = joint_velocity(joint, data.S, qdot);
    data.v[i] = data.X_parent[i].apply_inverse(data.v[joint.parent_body]) + vJ;
    data.c[i] = joint_bias_inline(joint, static_cast<int>(j), data, qdot) + cross(data.v[i], vJ);
  }
}

[[gnu::flatten]] void forward_kinematics(const Model& model, Data& data, const Eigen::VectorXd& q,
                        const Eigen::VectorXd& qdot, const Eigen::VectorXd& qddot) {
  forward_kinematics(model, data, q, qdot);
  data.a[0] = Motion::zero();
  for (const Joint& joint : model.joints) {
    const int i = joint.child_body;
    data.a[i] = data.X_parent[i].apply_inverse(data.a[joint.parent_body]) + data.c[i] +
                joint_velocity(joint, data.S, qddot);
  }
}

namespace {
// A body-fixed point in the body's M frame coordinates.
Vec3 point_in_M(const Model& model, int body, const Vec3& point_in_body) {
  return model.bodies[body].X_body_M.apply_inverse(point_in_body);
}
}  // namespace

Vec3 point_velocity(const Model& model, const Data& data, int body, const Vec3& point_in_body) {
  const Vec3 r = point_in_M(model, body, point_in_body);
  const Motion& v = data.v[body];
  return data.X_ground[body].R * (v.v + v.w.cross(r));
}

Vec3 point_acceleration(const Model& model, const Data& data, int body, const Vec3& point_in_body) {
  const Vec3 r = point_in_M(model, body, point_in_body);
  const Motion& v = data.v[body];
  const Motion& a = data.a[body];
  return data.X_ground[body].R * (a.v + a.w.cross(r) + v.w.cross(v.v + v.w.cross(r)));
}

Vec3 body_angular_velocity(const Data& data, int body) { return data.X_ground[body].R * data.v[body].w; }
Vec3 body_angular_acceleration(const Data& data, int body) { return data.X_ground[body].R * data.a[body].w; }

void marker_positions(const Model& model, const Data& data, Matrix3X& out) {
  out.resize(3, static_cast<Eigen::Index>(model.markers.size()));
  for (size_t k = 0; k < model.markers.size(); ++k) {
    const Marker& m = model.markers[k];
    out.col(static_cast<Eigen::Index>(k)) = point_in_ground(model, data, m.body, m.location_in_body);
  }
}

}  // namespace femur
