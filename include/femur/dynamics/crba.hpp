// Joint-space mass matrix by the composite-rigid-body algorithm (Featherstone 2008, ch. 6).
#pragma once

#include <Eigen/Core>

#include "femur/model/data.hpp"
#include "femur/model/model.hpp"

namespace femur {

// Computes the full symmetric mass matrix M(q) into data.M and returns it. Allocates nothing.
const Eigen::MatrixXd& crba(const Model& model, Data& data, const Eigen::VectorXd& q);

}  // namespace femur
