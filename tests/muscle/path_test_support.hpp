// Shared setup of the path tests: a motion file read as generalized coordinates, and the
// finite-difference moment arm along the coupler constraints.
#pragma once

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "femur/io/table.hpp"
#include "femur/kinematics/couplers.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/muscle/geometry_path.hpp"

namespace femur::test {

// q of row `row` of a coordinates file (rotational columns converted from degrees when the
// file says so); coordinates without a column keep their default value.
inline Eigen::VectorXd coordinates_of_row(const Model& model, const io::Table& motion, int row) {
  Eigen::VectorXd q = model.default_q();
  for (int k = 0; k < model.nq; ++k) {
    const int col = motion.column(model.coordinates[k].name);
    if (col < 0) continue;
    const bool rotational = model.coordinates[k].motion_type == MotionType::Rotational;
    q[k] = motion.data(row, col) * (motion.in_degrees && rotational ? M_PI / 180.0 : 1.0);
  }
  return q;
}

// Row of `motion` at time t (the analysis wrote one row per motion frame), -1 if none.
inline int row_at_time(const io::Table& motion, double t) {
  for (int r = 0; r < motion.rows(); ++r)
    if (std::abs(motion.time[r] - t) < 1e-6) return r;
  return -1;
}

// Lengths of every path at q (kinematics included).
inline Eigen::VectorXd path_lengths(const Model& model, const PathSet& paths, Data& data, PathData& pd,
                                    const Eigen::VectorXd& q) {
  forward_kinematics(model, data, q);
  compute_path_lengths(model, paths, data, q, pd);
  return pd.length;
}

// Identity of the current path of p (which points and wraps are in it), to tell when a
// finite difference straddles a conditional point switch or a wrap lift-off.
inline std::vector<int> path_signature(const PathData& pd, int p) {
  std::vector<int> s;
  for (int i = 0; i < pd.count[p]; ++i) {
    const CurrentPathPoint& c = pd.current[static_cast<size_t>(p) * pd.stride + i];
    s.push_back(c.point >= 0 ? c.point : -1000 - c.wrap);
  }
  return s;
}

}  // namespace femur::test
