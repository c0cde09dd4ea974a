#include "femur/dynamics/constrained_dynamics.hpp"

#include <Eigen/Cholesky>

#include "femur/dynamics/crba.hpp"
#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/couplers.hpp"

namespace femur {

Eigen::VectorXd coupled_forward_dynamics(const Model& model, Data& data, const Eigen::VectorXd& q,
                                         const Eigen::VectorXd& qdot, const Eigen::VectorXd& tau) {
  Eigen::MatrixXd G;
  Eigen::VectorXd gamma;
  coupler_basis(model, q, qdot, G, gamma);
  // RNEA at qddot = gamma gives C - gravity - applied + M gamma in one pass.
  const Eigen::VectorXd bias = rnea(model, data, q, qdot, gamma);
  const Eigen::MatrixXd M = crba(model, data, q);
  const Eigen::MatrixXd Mr = G.transpose() * M * G;
  const Eigen::VectorXd qddot_free = Mr.ldlt().solve(G.transpose() * (tau - bias));
  return G * qddot_free + gamma;
}

}  // namespace femur
