#include "femur/model/data.hpp"

namespace femur {

Data::Data(const Model& model) {
  const size_t nb = model.bodies.size();
  const int nv = model.nv;
  axis_values.assign(model.joints.size(), {});
  rotation_axes_in_F.assign(model.joints.size(), {Vec3::Zero(), Vec3::Zero(), Vec3::Zero()});
  R_F_M.assign(model.joints.size(), Mat3::Identity());
  X_parent.assign(nb, Transform::identity());
  X_ground.assign(nb, Transform::identity());
  v.assign(nb, Motion::zero());
  a.assign(nb, Motion::zero());
  c.assign(nb, Motion::zero());
  S = Matrix6X::Zero(6, nv);
  a_gf.assign(nb, Motion::zero());
  f.assign(nb, Force::zero());
  f_ext.assign(nb, Force::zero());
  tau = Eigen::VectorXd::Zero(nv);
  M = Eigen::MatrixXd::Zero(nv, nv);
  Ic.assign(nb, SpatialInertia{});
  ddq = Eigen::VectorXd::Zero(nv);
  J = Matrix6X::Zero(6, nv);
  IA.assign(nb, Mat6::Zero());
  pA.assign(nb, Force::zero());
  U = Matrix6X::Zero(6, nv);
  Dinv.assign(model.joints.size(), Mat6::Zero());
  u = Eigen::VectorXd::Zero(nv);
  body_of_coordinate.assign(nv, 0);
  for (const Joint& j : model.joints)
    for (int k = 0; k < j.nq; ++k) body_of_coordinate[j.q_start + k] = j.child_body;
}

}  // namespace femur
