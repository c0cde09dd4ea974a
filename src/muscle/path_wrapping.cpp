// The wrapping driver of a geometry path (OpenSim GeometryPath::applyWrapObjects and
// calcPathLengthChange, WrapObject::wrapPathSegment; OPENSIM-NOTES.md A.3): which segment of
// the current path wraps over each PathWrap's surface, in how many passes, and where the two
// tangent points go. The surface geometry itself is wrap_geometry.hpp.
#include <cmath>
#include <limits>

#include "femur/muscle/geometry_path.hpp"

namespace femur {
namespace {

// Removes the two wrap points of PathWrap w from the current path, if present.
void remove_wrap_points(CurrentPathPoint* cur, int& n, int w) {
  for (int j = 0; j < n; ++j) {
    if (cur[j].wrap != w) continue;
    for (int k = j; k + 2 < n; ++k) cur[k] = cur[k + 2];
    n -= 2;
    return;
  }
}

}  // namespace

double apply_wrap_objects(const Model& model, const PathSet& paths, const Data& data, int p, PathData& out) {
  (void)model;
  const PathSpec& ps = paths.paths[p];
  CurrentPathPoint* cur = &out.current[static_cast<size_t>(p) * out.stride];
  int& n = out.count[p];
  const int nw = ps.wrap_count;
  if (nw < 1) return current_path_length(paths, out, p);
  int* order = &out.wrap_order[ps.wrap_begin];
  for (int i = 0; i < nw; ++i) order[i] = i;
  // A new evaluation: no wrap point has a ground location yet (OpenSim's Stage::Position
  // cache is invalid after q changes).
  for (int k = 2 * ps.wrap_begin; k < 2 * (ps.wrap_begin + nw); ++k) out.wrap_point_placed[k] = 0;

  // One pass for one PathWrap; up to 8 with more, each using the previous pass's wrap points,
  // until the length changes by less than 0.5 mm.
  const int max_passes = nw < 2 ? 1 : 8;
  double last_length = std::numeric_limits<double>::infinity();
  double length = 0.0;
  for (int pass = 0; pass < max_passes; ++pass) {
    for (int i = 0; i < nw; ++i) {
      const int w = ps.wrap_begin + order[i];
      const PathWrapSpec& spec = paths.wraps[w];
      out.wrap_status[w] = WrapStatus::NoWrap;
      remove_wrap_points(cur, n, w);
      const WrapSurface& surface = paths.surfaces[spec.surface];
      if (!surface.active) continue;

      // The range's first and last *active* points, found in the current path (which may hold
      // other objects' wrap points); no active point in the range ends all wrapping.
      const int first = ps.point_begin + spec.first_point, last = ps.point_begin + spec.last_point;
      int start = -1, end = -1;
      for (int j = 0; j < n; ++j) {
        if (cur[j].point < first || cur[j].point > last) continue;
        if (start < 0) start = j;
        end = j;
      }
      if (start < 0) return current_path_length(paths, out, p);

      const Transform X_ground_wrap = data.X_ground[surface.body] * paths.X_M_wrap[spec.surface];
      WrapPoints best;
      int best_end = -1;
      double min_change = std::numeric_limits<double>::infinity();
      for (int a = start; a < end; ++a) {
        const int b = a + 1;
        // Not between the two wrap points of one object.
        if (cur[a].wrap >= 0 && cur[b].wrap >= 0 &&
            paths.wraps[cur[a].wrap].surface == paths.wraps[cur[b].wrap].surface)
          continue;
        // WrapObject::wrapPathSegment takes the points' latest locations (getLocation(s))
        // into the wrap frame.
        const Vec3 p1 = X_ground_wrap.apply_inverse(latest_in_ground(data, cur[a]));
        const Vec3 p2 = X_ground_wrap.apply_inverse(latest_in_ground(data, cur[b]));
        const WrapPoints r = wrap_segment(surface, spec.options, p1, p2, &out.wrap_hint[w]);
        out.wrap_status[w] = r.status;
        if (r.status == WrapStatus::Mandatory) {
          // The segment crosses the object: it must wrap; the first such segment wins.
          best = r;
          best_end = b;
          out.wrap_hint[w].remember(r);  // PathWrap::setPreviousWrap
          break;
        }
        if (r.status == WrapStatus::Wrapped) {
          // Otherwise the wrap that lengthens the path least (calcPathLengthChange, which
          // measures from the ends' cached ground locations, Point::calcDistanceBetween).
          const double straight = (cur[b].in_ground - cur[a].in_ground).norm();
          const double wrapped = (cur[a].in_ground - X_ground_wrap.apply(r.r1)).norm() + r.arc_length +
                                 (cur[b].in_ground - X_ground_wrap.apply(r.r2)).norm();
          if (wrapped - straight < min_change) {
            best = r;
            best_end = b;
            min_change = wrapped - straight;
            out.wrap_hint[w].remember(r);
          }
        }
      }

      // (No wrap: OpenSim's resetPreviousWrap keeps what WrapHint holds; see wrap_geometry.hpp.)
      if (best_end < 0) continue;
      // Insert the two wrap points, fixed on the wrap object's body, before the segment's end.
      for (int k = n - 1; k >= best_end; --k) cur[k + 2] = cur[k];
      n += 2;
      for (int t = 0; t < 2; ++t) {
        CurrentPathPoint& c = cur[best_end + t];
        c.point = -1;
        c.wrap = w;
        c.body = surface.body;
        c.in_M = paths.X_M_wrap[spec.surface].apply(t == 0 ? best.r1 : best.r2);
        c.wrap_length = t == 0 ? 0.0 : best.arc_length;
        // OpenSim caches a point's ground location on its first read in a state
        // (OpenSim/Simulation/Model/Point.cpp, getLocationInGround) and
        // PathWrapPoint::setLocation does not clear that cache. Every pass ends by reading
        // the whole path (calcPathLength), and a PathWrap moves its points again only in a
        // later pass, so the cached value is where the points were first placed.
        const int slot = 2 * w + t;
        if (!out.wrap_point_placed[slot]) {
          out.wrap_point_in_ground[slot] = data.X_ground[surface.body].apply(c.in_M);
          out.wrap_point_placed[slot] = 1;
        }
        c.in_ground = out.wrap_point_in_ground[slot];
      }
    }

    length = current_path_length(paths, out, p);
    if (std::abs(length - last_length) < 0.0005) break;
    last_length = length;

    // First pass with two or more wraps: if the first object did not wrap and the second
    // had a point inside it, try them the other way round.
    if (pass == 0 && nw > 1 && out.wrap_status[ps.wrap_begin + order[0]] == WrapStatus::NoWrap &&
        out.wrap_status[ps.wrap_begin + order[1]] == WrapStatus::InsideRadius) {
      order[0] = 1;
      order[1] = 0;
      remove_wrap_points(cur, n, ps.wrap_begin);
    }
  }
  return length;
}

}  // namespace femur
