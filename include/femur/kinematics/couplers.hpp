// CoordinateCouplerConstraint in kinematics and dynamics: q_dep = f(q_indep) (OpenSim
// CoordinateCouplerConstraint.cpp). The dependent coordinates stay in q; these functions
// make q, qdot and qddot satisfy the couplers and give the basis G with qdot = G qdot_free,
// which reduces dynamics to the free coordinates.
#pragma once

#include <Eigen/Core>

#include "femur/model/model.hpp"

namespace femur {

// Overwrites each dependent coordinate with f(q_indep) (couplers in dependency order).
void apply_couplers(const Model& model, Eigen::VectorXd& q);
// Also speeds: qdot_dep = f'(q) qdot_indep.
void apply_couplers(const Model& model, Eigen::VectorXd& q, Eigen::VectorXd& qdot);
// Also accelerations: qddot_dep = f''(q) qdot_indep^2 + f'(q) qddot_indep.
void apply_couplers(const Model& model, Eigen::VectorXd& q, Eigen::VectorXd& qdot, Eigen::VectorXd& qddot);

// Indices of the coordinates that are not dependent in any coupler, in model order.
std::vector<int> free_coordinates(const Model& model);

// G (nv x free) with qdot = G * qdot_free, and gamma (nv) with qddot = G qddot_free + gamma,
// at q and qdot that satisfy the couplers.
void coupler_basis(const Model& model, const Eigen::VectorXd& q, const Eigen::VectorXd& qdot, Eigen::MatrixXd& G,
                   Eigen::VectorXd& gamma);

}  // namespace femur
