// Geometry paths: current paths and lengths, lengthening speeds and moment arms
// (OpenSim/Simulation/Model/GeometryPath.cpp, PathPoint.cpp, ConditionalPathPoint.cpp,
// MovingPathPoint.cpp, MomentArmSolver.cpp; OPENSIM-NOTES.md A.1, A.9). The paths are
// compiled with the Model (src/model/path_compiler.cpp); the wrapping driver is in
// path_wrapping.cpp.
#include "femur/muscle/geometry_path.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/kinematics/jacobian.hpp"

namespace femur {
namespace {

// SimTK::SignificantReal (Eps^(7/8)): below it GeometryPath::addInEquivalentForces gives
// the segment a NaN direction.
const double kSignificantReal = std::pow(std::numeric_limits<double>::epsilon(), 0.875);

// Location of a moving point in its body frame: each component is its function of the
// coordinate clamped to the coordinate's range (MovingPathPoint::getLocation).
Vec3 moving_location(const Model& model, const PathPointSpec& s, const Eigen::VectorXd& q) {
  const Coordinate& c = model.coordinates[s.coordinate];
  const double x = std::clamp(q[s.coordinate], c.range_min, c.range_max);
  Vec3 p;
  for (int i = 0; i < 3; ++i) p[i] = s.functions[i] < 0 ? 0.0 : model.functions[s.functions[i]].value(x);
  return p;
}

// d(location)/dq of a moving point in its body frame, at the *unclamped* coordinate
// (MovingPathPoint::getdPointdQ and getVelocity).
Vec3 moving_slope(const Model& model, const PathPointSpec& s, const Eigen::VectorXd& q) {
  Vec3 d;
  for (int i = 0; i < 3; ++i)
    d[i] = s.functions[i] < 0 ? 0.0 : model.functions[s.functions[i]].evaluate(q[s.coordinate]).df;
  return d;
}

}  // namespace

PathData::PathData(const Model& model, const PathSet& paths) {
  const int n = paths.size();
  length = Eigen::VectorXd::Zero(n);
  speed = Eigen::VectorXd::Zero(n);
  moment_arm.setZero(n, model.nv);
  stride = paths.max_capacity;
  current.assign(static_cast<size_t>(n) * stride, CurrentPathPoint{});
  count.assign(n, 0);
  wrap_status.assign(paths.wraps.size(), WrapStatus::NoWrap);
  wrap_hint.assign(paths.wraps.size(), WrapHint{});
  wrap_order.assign(paths.wraps.size(), 0);
  wrap_point_in_ground.assign(2 * paths.wraps.size(), Vec3::Zero());
  wrap_point_placed.assign(2 * paths.wraps.size(), 0);
  body_wrench.assign(model.bodies.size(), Force::zero());
  coupling_slope = Eigen::VectorXd::Ones(model.nq);
  coupling_sum = Eigen::VectorXd::Zero(model.nq);
}

double current_path_length(const PathSet& paths, const PathData& out, int p) {
  const CurrentPathPoint* cur = &out.current[static_cast<size_t>(p) * out.stride];
  double length = 0.0;
  for (int i = 0; i + 1 < out.count[p]; ++i) {
    // Two consecutive wrap points on one wrap object: the length over the surface stored in
    // the second (GeometryPath::calcLengthAfterPathComputation).
    if (cur[i].wrap >= 0 && cur[i + 1].wrap >= 0 &&
        paths.wraps[cur[i].wrap].surface == paths.wraps[cur[i + 1].wrap].surface) {
      length += cur[i + 1].wrap_length;
    } else {
      length += (cur[i + 1].in_ground - cur[i].in_ground).norm();
    }
  }
  return length;
}

void compute_path_lengths(const Model& model, const PathSet& paths, const Data& data, const Eigen::VectorXd& q,
                          PathData& out) {
  for (int p = 0; p < paths.size(); ++p) {
    const PathSpec& ps = paths.paths[p];
    CurrentPathPoint* cur = &out.current[static_cast<size_t>(p) * out.stride];
    int n = 0;
    for (int i = ps.point_begin; i < ps.point_begin + ps.point_count; ++i) {
      const PathPointSpec& s = paths.points[i];
      CurrentPathPoint& c = cur[n];
      switch (s.kind) {
        case PathPoint::Kind::Fixed:
          c.in_M = s.location_in_M;
          break;
        case PathPoint::Kind::Conditional: {
          const double x = s.coordinate < 0 ? 0.0 : q[s.coordinate];
          if (!(x >= s.active_min && x <= s.active_max)) continue;
          c.in_M = s.location_in_M;
          break;
        }
        case PathPoint::Kind::Moving:
          c.in_M = model.bodies[s.body].X_body_M.apply_inverse(moving_location(model, s, q));
          break;
      }
      c.point = i;
      c.wrap = -1;
      c.body = s.body;
      c.wrap_length = 0.0;
      c.in_ground = data.X_ground[s.body].apply(c.in_M);
      ++n;
    }
    out.count[p] = n;
    out.length[p] = ps.wrap_count > 0 ? apply_wrap_objects(model, paths, data, p, out) : current_path_length(paths, out, p);
  }
}

namespace {

// Ground velocity of a current-path point (Point::getVelocityInGround): fixed in its body,
// plus the relative velocity of a moving point (MovingPathPoint::calcVelocityInGround).
Vec3 current_point_velocity(const Model& model, const PathSet& paths, const Data& data,
                            const Eigen::VectorXd& q, const Eigen::VectorXd& qdot, const CurrentPathPoint& c) {
  const Motion& v = data.v[c.body];
  Vec3 in_M_rate = v.v + v.w.cross(c.in_M);
  if (c.point >= 0) {
    const PathPointSpec& s = paths.points[c.point];
    if (s.kind == PathPoint::Kind::Moving)
      in_M_rate += model.bodies[s.body].X_body_M.R.transpose() * (moving_slope(model, s, q) * qdot[s.coordinate]);
  }
  return data.X_ground[c.body].R * in_M_rate;
}

// The tension's direction comes from the cached ground locations, its points of application
// from the latest ones (addInEquivalentForces: getLocationInGround vs getLocation(s)); they
// differ only for wrap points a later wrapping pass moved (CurrentPathPoint::in_ground), so
// only paths with several PathWraps need this. Moves those forces to where the points are now.
// Kept out of line: the common loop in compute_moment_arms stays as it was.
[[gnu::noinline]] void move_tension_to_latest_wrap_points(const Data& data, const CurrentPathPoint* cur, int n,
                                                          std::vector<Force>& body_wrench) {
  for (int i = 0; i + 1 < n; ++i) {
    const CurrentPathPoint& a = cur[i];
    const CurrentPathPoint& b = cur[i + 1];
    if (a.body == b.body || (a.wrap < 0 && b.wrap < 0)) continue;
    const Vec3 dir = (b.in_ground - a.in_ground).normalized();
    if (a.wrap >= 0) body_wrench[a.body].n += (latest_in_ground(data, a) - a.in_ground).cross(dir);
    if (b.wrap >= 0) body_wrench[b.body].n -= (latest_in_ground(data, b) - b.in_ground).cross(dir);
  }
}

}  // namespace

void compute_path_speeds(const Model& model, const PathSet& paths, const Data& data, const Eigen::VectorXd& q,
                         const Eigen::VectorXd& qdot, PathData& out) {
  constexpr double kEps = std::numeric_limits<double>::epsilon();
  for (int p = 0; p < paths.size(); ++p) {
    const CurrentPathPoint* cur = &out.current[static_cast<size_t>(p) * out.stride];
    double speed = 0.0;
    if (out.count[p] > 0) {
      Vec3 v_prev = current_point_velocity(model, paths, data, q, qdot, cur[0]);
      for (int i = 0; i + 1 < out.count[p]; ++i) {
        const Vec3 v_next = current_point_velocity(model, paths, data, q, qdot, cur[i + 1]);
        // Point::calcSpeedBetween: relative velocity along the unit vector between them.
        const Vec3 r = cur[i + 1].in_ground - cur[i].in_ground;
        const Vec3 v = v_next - v_prev;
        const double d = r.norm();
        speed += d < kEps ? v.norm() : v.dot(r) / d;
        v_prev = v_next;
      }
    }
    out.speed[p] = speed;
  }
}

void compute_moment_arms(const Model& model, const PathSet& paths, const Data& data, const Eigen::VectorXd& q,
                         PathData& out) {
  const bool coupled = !paths.coupling_root.empty();
  if (coupled) {
    // Slope of each coordinate along the constraint manifold, per unit of its root's speed.
    out.coupling_slope.setOnes();
    for (const CouplerConstraint& c : model.couplers) {
      const int k = c.independent[0];
      out.coupling_slope[c.dependent] = model.functions[c.function].evaluate(q[k]).df * out.coupling_slope[k];
    }
  }
  for (int p = 0; p < paths.size(); ++p) {
    const PathSpec& ps = paths.paths[p];
    const CurrentPathPoint* cur = &out.current[static_cast<size_t>(p) * out.stride];
    auto f = out.moment_arm.row(p);
    f.setZero();

    // Unit tension along the path (GeometryPath::addInEquivalentForces): at each segment whose
    // ends are on different bodies, a unit force at the start towards the end and its
    // opposite at the end; a moving point there also pushes its coordinate with dp/dq . F.
    for (int i = 0; i + 1 < out.count[p]; ++i) {
      const CurrentPathPoint& a = cur[i];
      const CurrentPathPoint& b = cur[i + 1];
      if (a.body == b.body) continue;
      Vec3 dir = b.in_ground - a.in_ground;
      const double d = dir.norm();
      dir = d < kSignificantReal ? Vec3::Constant(std::numeric_limits<double>::quiet_NaN()) : Vec3(dir / d);
      out.body_wrench[a.body] += Force{a.in_ground.cross(dir), dir};
      out.body_wrench[b.body] -= Force{b.in_ground.cross(dir), dir};
      for (int end = 0; end < 2; ++end) {
        const CurrentPathPoint& c = end == 0 ? a : b;
        if (c.point < 0 || paths.points[c.point].kind != PathPoint::Kind::Moving) continue;
        const PathPointSpec& s = paths.points[c.point];
        const Vec3 slope_in_ground =
            data.X_ground[s.body].R * (model.bodies[s.body].X_body_M.R.transpose() * moving_slope(model, s, q));
        f[s.coordinate] += (end == 0 ? 1.0 : -1.0) * slope_in_ground.dot(dir);
      }
    }

    if (ps.wrap_count > 1) move_tension_to_latest_wrap_points(data, cur, out.count[p], out.body_wrench);

    // f = J^T F: sweep the spanned bodies children first, passing each body's accumulated
    // wrench to its parent; the wrench reaching the common ancestor is zero (each segment's
    // pair of forces is balanced), so coordinates above it get none.
    for (int ci = ps.chain_begin; ci < ps.chain_begin + ps.chain_count; ++ci) {
      const int body = paths.chain[ci];
      Force& w = out.body_wrench[body];
      const Joint& joint = model.joints[model.bodies[body].joint];
      for (int k = joint.q_start; k < joint.q_start + joint.nq; ++k)
        f[k] += data.J.col(k).head<3>().dot(w.n) + data.J.col(k).tail<3>().dot(w.f);
      out.body_wrench[model.bodies[body].parent] += w;
      w = Force::zero();
    }
    out.body_wrench[ps.ancestor] = Force::zero();

    if (coupled) {
      // MomentArmSolver: r_j = C_j^T f with C_j the speeds that satisfy the couplers when
      // q_j moves at unit speed. With one independent coordinate per coupler the coupled
      // set of q_j is one-dimensional: C_j = slope / slope_j over the coordinates sharing
      // q_j's root.
      out.coupling_sum.setZero();
      for (int k = 0; k < model.nq; ++k) out.coupling_sum[paths.coupling_root[k]] += out.coupling_slope[k] * f[k];
      // A group the path does not pull on has zero moment arm, also about a coordinate that
      // stands still on its coupler there (slope 0, where C_j itself is undefined).
      for (int k = 0; k < model.nq; ++k) {
        const double sum = out.coupling_sum[paths.coupling_root[k]];
        f[k] = sum == 0.0 ? 0.0 : sum / out.coupling_slope[k];
      }
    }
  }
}

void compute_paths(const Model& model, const PathSet& paths, Data& data, const Eigen::VectorXd& q, PathData& out) {
  compute_joint_jacobians(model, data, q);
  compute_path_lengths(model, paths, data, q, out);
  compute_moment_arms(model, paths, data, q, out);
}

void compute_paths(const Model& model, const PathSet& paths, Data& data, const Eigen::VectorXd& q,
                   const Eigen::VectorXd& qdot, PathData& out) {
  compute_joint_jacobians(model, data, q);
  forward_kinematics(model, data, q, qdot);
  compute_path_lengths(model, paths, data, q, out);
  compute_path_speeds(model, paths, data, q, qdot, out);
  compute_moment_arms(model, paths, data, q, out);
}

}  // namespace femur
