// The PathSet of a model: every GeometryPath compiled once (OpenSim/Simulation/Model/
// GeometryPath.cpp, PathPoint.cpp, ConditionalPathPoint.cpp, MovingPathPoint.cpp,
// PathWrap.cpp; OPENSIM-NOTES.md A.1, A.2, A.9).
#include "path_compiler.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <string>

#include "femur/model/model_builder.hpp"

namespace femur {
namespace {

std::string where(const ForceElement& f) {
  std::string s = f.type + " '" + f.name + "'";
  if (!f.file.empty()) s = f.file + ":" + std::to_string(f.line) + ": " + s;
  return s;
}

[[noreturn]] void fail(const ForceElement& f, const std::string& what) {
  throw ModelError(where(f) + ": " + what);
}

int depth_of(const Model& model, int body) {
  int d = 0;
  for (int b = body; b > 0; b = model.bodies[b].parent) ++d;
  return d;
}

int common_ancestor(const Model& model, int a, int b) {
  int da = depth_of(model, a), db = depth_of(model, b);
  while (da > db) { a = model.bodies[a].parent; --da; }
  while (db > da) { b = model.bodies[b].parent; --db; }
  while (a != b) { a = model.bodies[a].parent; b = model.bodies[b].parent; }
  return a;
}

}  // namespace

PathSet compile_path_set(const Model& model) {
  PathSet set;
  const int nbodies = static_cast<int>(model.bodies.size());
  std::vector<int> surface_of_object(model.wrap_objects.size(), -1);

  for (size_t fi = 0; fi < model.forces.size(); ++fi) {
    const ForceElement& f = model.forces[fi];
    const GeometryPath* gp = f.geometry_path();
    if (!gp) continue;
    const int np = static_cast<int>(gp->points.size());
    if (np < 2)
      fail(f, "GeometryPath has " + std::to_string(np) + " path point" + (np == 1 ? "" : "s") +
                  "; a path needs at least two");

    PathSpec path;
    path.name = f.name;
    path.force = static_cast<int>(fi);
    path.point_begin = static_cast<int>(set.points.size());
    path.point_count = np;
    path.wrap_begin = static_cast<int>(set.wraps.size());
    path.wrap_count = static_cast<int>(gp->wraps.size());
    std::vector<int> bodies;

    for (const PathPoint& pp : gp->points) {
      const std::string what = "path point '" + pp.name + "'";
      if (pp.body < 0 || pp.body >= nbodies) fail(f, what + " is on a body the model does not have");
      PathPointSpec s;
      s.kind = pp.kind;
      s.body = pp.body;
      s.coordinate = pp.coordinate;
      if (pp.coordinate >= model.nq) fail(f, what + " names a coordinate the model does not have");
      const Transform& X_body_M = model.bodies[pp.body].X_body_M;
      switch (pp.kind) {
        case PathPoint::Kind::Fixed:
          s.location_in_M = X_body_M.apply_inverse(pp.location);
          break;
        case PathPoint::Kind::Conditional:
          s.location_in_M = X_body_M.apply_inverse(pp.location);
          // ConditionalPathPoint::isActive: range in internal units, 1e-5 slack each side;
          // an unconnected coordinate makes the point never active.
          if (pp.coordinate < 0) {
            s.active_min = std::numeric_limits<double>::infinity();
            s.active_max = -std::numeric_limits<double>::infinity();
          } else {
            s.active_min = pp.range_min - 1e-5;
            s.active_max = pp.range_max + 1e-5;
          }
          break;
        case PathPoint::Kind::Moving:
          if (pp.coordinate < 0)
            fail(f, "MovingPathPoint '" + pp.name + "' names no coordinate for its x, y and z locations");
          for (int i = 0; i < 3; ++i) {
            if (pp.moving_functions[i] >= static_cast<int>(model.functions.size()))
              fail(f, "MovingPathPoint '" + pp.name + "' refers to a missing function");
            s.functions[i] = pp.moving_functions[i];
          }
          break;
      }
      set.points.push_back(s);
      bodies.push_back(pp.body);
    }

    for (const PathWrap& w : gp->wraps) {
      const int object = w.wrap_object;
      if (object < 0 || object >= static_cast<int>(model.wrap_objects.size()))
        fail(f, "a PathWrap names a wrap object the model does not have");
      const std::string& wrap_name = model.wrap_objects[object].name;
      if (surface_of_object[object] < 0) {
        const WrapSurface& surface = model.wrap_objects[object];
        if (surface.body < 0 || surface.body >= nbodies)
          fail(f, "wrap object '" + wrap_name + "' is on a body the model does not have");
        surface_of_object[object] = static_cast<int>(set.surfaces.size());
        set.X_M_wrap.push_back(model.bodies[surface.body].X_body_M.inverse() * surface.X_body_wrap);
        set.surfaces.push_back(surface);
      }
      PathWrapSpec spec;
      spec.surface = surface_of_object[object];
      spec.options.method = w.method;
      // WrapCylinder's tangency adjustment runs only when the path has more than one PathWrap
      // (OPENSIM-NOTES.md A.5 step 8; no visualizer here).
      spec.options.adjust_cylinder_tangency = gp->wraps.size() > 1;
      // PathWrap range: 1-based into the full PathPointSet; < 1 means first / last.
      spec.first_point = w.range_begin < 1 ? 0 : w.range_begin - 1;
      spec.last_point = w.range_end < 1 ? np - 1 : w.range_end - 1;
      if (spec.first_point >= np || spec.last_point >= np || spec.first_point > spec.last_point)
        fail(f, "PathWrap over '" + wrap_name + "' has range [" + std::to_string(w.range_begin) + ", " +
                    std::to_string(w.range_end) + "] outside the path's " + std::to_string(np) + " points");
      set.wraps.push_back(spec);
      bodies.push_back(set.surfaces[spec.surface].body);
    }

    // Bodies the path can span, up to their lowest common ancestor.
    int ancestor = bodies.front();
    for (int b : bodies) ancestor = common_ancestor(model, ancestor, b);
    std::vector<int> chain;
    for (int b : bodies)
      for (int c = b; c != ancestor; c = model.bodies[c].parent)
        if (std::find(chain.begin(), chain.end(), c) == chain.end()) chain.push_back(c);
    std::sort(chain.begin(), chain.end(), std::greater<int>());  // children after parents in Model
    path.ancestor = ancestor;
    path.chain_begin = static_cast<int>(set.chain.size());
    path.chain_count = static_cast<int>(chain.size());
    set.chain.insert(set.chain.end(), chain.begin(), chain.end());
    path.capacity = np + 2 * path.wrap_count;
    set.max_capacity = std::max(set.max_capacity, path.capacity);
    set.paths.push_back(std::move(path));
  }

  if (!model.couplers.empty()) {
    // Each coupler has one independent coordinate and couplers are stored so that an
    // independent coordinate is final before it is used (kinematics/couplers.cpp).
    set.coupling_root.resize(model.nq);
    for (int k = 0; k < model.nq; ++k) set.coupling_root[k] = k;
    for (const CouplerConstraint& c : model.couplers)
      set.coupling_root[c.dependent] = set.coupling_root[c.independent[0]];
  }
  return set;
}

}  // namespace femur
