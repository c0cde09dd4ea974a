#include "femur/kinematics/couplers.hpp"

#include <algorithm>

namespace femur {

void apply_couplers(const Model& model, Eigen::VectorXd& q) {
  for (const CouplerConstraint& c : model.couplers)
    q[c.dependent] = model.functions[c.function].value(q[c.independent[0]]);
}

void apply_couplers(const Model& model, Eigen::VectorXd& q, Eigen::VectorXd& qdot) {
  for (const CouplerConstraint& c : model.couplers) {
    const FunctionValue f = model.functions[c.function].evaluate(q[c.independent[0]]);
    q[c.dependent] = f.f;
    qdot[c.dependent] = f.df * qdot[c.independent[0]];
  }
}

void apply_couplers(const Model& model, Eigen::VectorXd& q, Eigen::VectorXd& qdot, Eigen::VectorXd& qddot) {
  for (const CouplerConstraint& c : model.couplers) {
    const int k = c.independent[0];
    const FunctionValue f = model.functions[c.function].evaluate(q[k]);
    q[c.dependent] = f.f;
    qdot[c.dependent] = f.df * qdot[k];
    qddot[c.dependent] = f.ddf * qdot[k] * qdot[k] + f.df * qddot[k];
  }
}

std::vector<int> free_coordinates(const Model& model) {
  std::vector<char> dependent(model.nq, 0);
  for (const CouplerConstraint& c : model.couplers) dependent[c.dependent] = 1;
  std::vector<int> free;
  for (int k = 0; k < model.nq; ++k)
    if (!dependent[k]) free.push_back(k);
  return free;
}

void coupler_basis(const Model& model, const Eigen::VectorXd& q, const Eigen::VectorXd& qdot, Eigen::MatrixXd& G,
                   Eigen::VectorXd& gamma) {
  const std::vector<int> free = free_coordinates(model);
  G.setZero(model.nv, static_cast<Eigen::Index>(free.size()));
  gamma.setZero(model.nv);
  for (size_t j = 0; j < free.size(); ++j) G(free[j], static_cast<Eigen::Index>(j)) = 1.0;
  // Couplers are stored so that an independent coordinate is final before it is used,
  // so chains (a dependent driving another coupler) propagate in one pass.
  for (const CouplerConstraint& c : model.couplers) {
    const int k = c.independent[0];
    const FunctionValue f = model.functions[c.function].evaluate(q[k]);
    G.row(c.dependent) = f.df * G.row(k);
    gamma[c.dependent] = f.ddf * qdot[k] * qdot[k] + f.df * gamma[k];
  }
}

}  // namespace femur
