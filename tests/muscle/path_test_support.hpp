// Shared setup of the path tests: a motion file read as generalized coordinates, and the
// finite-difference moment arm along the coupler constraints.
#pragma once

#include <cmath>
#include <algorithm>
#include <string>
#include <vector>

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

// Whether a later wrapping pass moved one of p's wrap points after it was first placed, so
// that its cached ground location (CurrentPathPoint::in_ground, what OpenSim measures lengths
// and directions with) is not where the point now is. Then OpenSim's length is not the
// integral of its moment arm.
inline bool wrap_points_left_behind(const Data& data, const PathData& pd, int p) {
  for (int i = 0; i < pd.count[p]; ++i) {
    const CurrentPathPoint& c = pd.current[static_cast<size_t>(p) * pd.stride + i];
    if (c.wrap >= 0 && latest_in_ground(data, c) != c.in_ground) return true;
  }
  return false;
}

// The coordinates path p may depend on, worked out from the model alone (not from the
// PathSet's own chain): those of the joints between the bodies its points and wrap surfaces
// are fixed to (every body from each of them up to their lowest common ancestor), those that
// switch its conditional points or move its moving points, and with couplers every
// coordinate tied to one of these through the same independent coordinate.
inline std::vector<bool> coordinates_moving_path(const Model& model, const PathSet& paths, int p) {
  const PathSpec& ps = paths.paths[p];
  std::vector<int> bodies;
  std::vector<bool> moves(model.nq, false);
  for (int i = ps.point_begin; i < ps.point_begin + ps.point_count; ++i) {
    bodies.push_back(paths.points[i].body);
    if (paths.points[i].kind != PathPoint::Kind::Fixed && paths.points[i].coordinate >= 0)
      moves[paths.points[i].coordinate] = true;
  }
  for (int w = ps.wrap_begin; w < ps.wrap_begin + ps.wrap_count; ++w)
    bodies.push_back(paths.surfaces[paths.wraps[w].surface].body);
  auto ancestors = [&](int b) {
    std::vector<int> up;
    for (; b >= 0; b = b == 0 ? -1 : model.bodies[b].parent) up.push_back(b);
    return up;  // b, its parent, ..., ground
  };
  std::vector<int> common = ancestors(bodies.front());
  for (int b : bodies) {
    const std::vector<int> up = ancestors(b);
    std::vector<int> kept;
    for (int a : common)
      if (std::find(up.begin(), up.end(), a) != up.end()) kept.push_back(a);
    common = kept;
  }
  const int lca = common.front();
  for (int b : bodies)
    for (int c = b; c != lca; c = model.bodies[c].parent) {
      const Joint& j = model.joints[model.bodies[c].joint];
      for (int k = j.q_start; k < j.q_start + j.nq; ++k) moves[k] = true;
    }
  if (!paths.coupling_root.empty()) {
    std::vector<bool> root_moves(model.nq, false);
    for (int k = 0; k < model.nq; ++k)
      if (moves[k]) root_moves[paths.coupling_root[k]] = true;
    for (int k = 0; k < model.nq; ++k) moves[k] = root_moves[paths.coupling_root[k]];
  }
  return moves;
}

}  // namespace femur::test
