// Data: every buffer one evaluation of a Model writes, sized once from the Model and reused
// for every frame (no allocation in the algorithms). One Data per thread; the Model is shared.
// Body quantities are indexed like Model::bodies and carried in each body's joint frame M.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "femur/math/spatial.hpp"
#include "femur/model/model.hpp"

namespace femur {

struct Data {
  explicit Data(const Model& model);

  // Joint values of the six transform axes: value, first and second derivative with
  // respect to the axis coordinate (zero derivatives for constant axes).
  std::vector<std::array<FunctionValue, 6>> axis_values;  // per joint
  // Per joint: the rotation axes in F after the preceding rotations (e1 = a1, e2 = R1 a2,
  // e3 = R1 R2 a3) and R_F_M; kept for the velocity terms.
  std::vector<std::array<Vec3, 3>> rotation_axes_in_F;
  std::vector<Mat3> R_F_M;

  // Kinematics (forward_kinematics): poses, velocities and accelerations of each body's
  // M frame. X_parent[i] is M_i in the parent's M frame; X_ground[i] is M_i in ground.
  std::vector<Transform> X_parent;
  std::vector<Transform> X_ground;
  std::vector<Motion> v;        // spatial velocity, in M_i
  std::vector<Motion> a;        // spatial acceleration, in M_i (without gravity)
  std::vector<Motion> c;        // velocity-product acceleration of the joint, S-dot q-dot, in M_i
  Matrix6X S;                   // 6 x nv: motion subspace column of each coordinate, in its M frame

  // Dynamics.
  std::vector<Motion> a_gf;     // acceleration with gravity folded in (RNEA, ABA)
  std::vector<Force> f;         // body forces (RNEA), in M_i
  std::vector<Force> f_ext;     // applied forces on each body, in ground about the ground origin
  Eigen::VectorXd tau;          // generalized forces (RNEA)
  Eigen::MatrixXd M;            // mass matrix (CRBA), nv x nv
  std::vector<SpatialInertia> Ic;  // composite inertias (CRBA)
  Eigen::VectorXd ddq;          // accelerations (ABA)
  Matrix6X J;                   // 6 x nv: coordinate axes in ground (compute_joint_jacobians)

  // Articulated-body buffers (ABA).
  std::vector<Mat6> IA;         // articulated inertia, in M_i
  std::vector<Force> pA;        // bias force
  Matrix6X U;                   // IA * S per coordinate
  std::vector<Eigen::Matrix<double, 6, 6>> Dinv;  // per joint, top-left nq x nq used
  Eigen::VectorXd u;            // tau - S^T pA per coordinate

  // Chain bookkeeping: coordinate k's joint and the body it moves.
  std::vector<int> body_of_coordinate;
};

}  // namespace femur
