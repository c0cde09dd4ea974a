// Geometry paths: the line of action of a muscle (or any path actuator) through fixed,
// conditional and moving path points, wrapped over cylinders, spheres, ellipsoids and tori,
// with its length, lengthening speed and moment arms, as OpenSim computes them
// (OpenSim/Simulation/Model/GeometryPath.cpp, MomentArmSolver.cpp; OPENSIM-NOTES.md A.1-A.3,
// A.9).
//
// Use: the Model holds its paths compiled once (Model::paths, model/paths.hpp: every point,
// wrap and coordinate resolved and checked when the model was built); make one PathData per
// thread, then per frame run the stages in order (or compute_paths, which runs the
// kinematics too):
//   compute_path_lengths  -> the current path of every muscle and its length
//   compute_path_speeds   -> lengthening speeds (OpenSim's convention, see below)
//   compute_moment_arms   -> r = -dL/dq of every path about every coordinate
// None of the per-frame functions allocate or throw.
#pragma once

#include <array>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/model/data.hpp"
#include "femur/model/model.hpp"
#include "femur/muscle/wrap_geometry.hpp"

namespace femur {

// One point of a current path (A.1 "current path": active points plus wrap points).
struct CurrentPathPoint {
  int point = -1;  // index into PathSet::points, -1 for a wrap point
  int wrap = -1;   // index into PathSet::wraps for a wrap point, else -1
  int body = 0;
  Vec3 in_M = Vec3::Zero();       // location in the body's joint frame M
  // Location in ground as OpenSim reads it for lengths, length changes, force directions and
  // speeds (Point::getLocationInGround, cached once per state). For path points it is
  // X_ground * in_M. A wrap point keeps the ground location of the first place its PathWrap
  // put it during this evaluation: OpenSim's cache is not cleared when a later pass of the
  // wrapping driver moves the point (PathWrapPoint::setLocation), so with two or more
  // PathWraps the straight parts next to a re-wrapped surface end where that surface's first
  // pass put its tangent points. in_M is always the latest location (what wrapping and
  // force application points use).
  Vec3 in_ground = Vec3::Zero();
  double wrap_length = 0.0;       // second wrap point: length over the surface from the first
};

// Latest ground location of a current-path point: for a wrap point, where its PathWrap put
// it last (what OpenSim's WrapObject::wrapPathSegment reads and where
// GeometryPath::addInEquivalentForces applies the tension), which may differ from in_ground.
inline Vec3 latest_in_ground(const Data& data, const CurrentPathPoint& c) {
  if (c.wrap < 0) return c.in_ground;
  // Written out rather than Transform::apply: another caller of apply's Eigen kernel in
  // geometry_path.cpp makes GCC stop inlining it in the length loop (+0.6 us on gait2392).
  Vec3 x = data.X_ground[c.body].R * c.in_M;
  x += data.X_ground[c.body].p;
  return x;
}

// Every per-frame buffer of the paths of one PathSet. One per thread.
struct PathData {
  PathData(const Model& model, const PathSet& paths);

  Eigen::VectorXd length;  // per path (m)
  Eigen::VectorXd speed;   // per path (m/s), compute_path_speeds
  // moment_arm(p, k): moment arm of path p about coordinate k (m or dimensionless for
  // translational coordinates), compute_moment_arms. Row-major: one path's row is contiguous.
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> moment_arm;

  // Current path of path p: current[p * stride ... + count[p]).
  std::vector<CurrentPathPoint> current;
  std::vector<int> count;
  int stride = 0;
  // Per PathWrap: what the last pass did (WrapStatus) and the memory OpenSim keeps between
  // evaluations (PathWrap previousWrap). The memory persists across frames as in OpenSim.
  std::vector<WrapStatus> wrap_status;
  std::vector<WrapHint> wrap_hint;
  std::vector<int> wrap_order;      // per path, the order the driver visits its PathWraps
  // Per PathWrap, its two wrap points' ground locations as first placed in this evaluation
  // (see CurrentPathPoint::in_ground) and whether they have been placed yet.
  std::vector<Vec3> wrap_point_in_ground;
  std::vector<unsigned char> wrap_point_placed;

  // Workspace.
  std::vector<Force> body_wrench;   // per body, about the ground origin in ground
  Eigen::VectorXd coupling_slope;   // dq_k / dq_root(k)
  Eigen::VectorXd coupling_sum;     // per root coordinate
};

// Current paths and lengths at q. Needs forward_kinematics(model, data, q) for this q.
void compute_path_lengths(const Model& model, const PathSet& paths, const Data& data,
                          const Eigen::VectorXd& q, PathData& out);

// Lengthening speeds (OpenSim GeometryPath::computeLengtheningSpeed): the sum over the
// current path of the rate of each straight distance between consecutive points; wrap points
// move as points fixed on the wrap body, and the two tangent points of one wrap contribute
// the rate of their chord, not of the arc. Needs compute_path_lengths at this q and
// forward_kinematics(model, data, q, qdot).
void compute_path_speeds(const Model& model, const PathSet& paths, const Data& data,
                         const Eigen::VectorXd& q, const Eigen::VectorXd& qdot, PathData& out);

// Moment arms about every coordinate (OpenSim MomentArmSolver): the generalized force of a
// unit tension along the current path, projected through the coupler constraints. Needs
// compute_path_lengths at this q and compute_joint_jacobians(model, data, q).
void compute_moment_arms(const Model& model, const PathSet& paths, const Data& data,
                         const Eigen::VectorXd& q, PathData& out);

// Kinematics (joint Jacobians), lengths and moment arms at q.
void compute_paths(const Model& model, const PathSet& paths, Data& data, const Eigen::VectorXd& q,
                   PathData& out);
// The same plus speeds at (q, qdot).
void compute_paths(const Model& model, const PathSet& paths, Data& data, const Eigen::VectorXd& q,
                   const Eigen::VectorXd& qdot, PathData& out);

// The wrapping driver (OpenSim GeometryPath::applyWrapObjects, A.3) for path p: inserts the
// wrap points into out.current and returns the path length. Called by compute_path_lengths
// after the active points are in place; exposed for tests.
double apply_wrap_objects(const Model& model, const PathSet& paths, const Data& data, int p,
                          PathData& out);

// Length of the current path of p as it stands (A.1: straight segments plus stored arcs).
double current_path_length(const PathSet& paths, const PathData& out, int p);

}  // namespace femur
