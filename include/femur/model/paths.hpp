// Paths of a model's forces, in two forms:
//  - as written: a GeometryPath (points and PathWraps, OpenSim/Simulation/Model/
//    GeometryPath.cpp, PathPoint.cpp, ConditionalPathPoint.cpp, MovingPathPoint.cpp,
//    OpenSim/Simulation/Wrap/PathWrap.cpp; OPENSIM-NOTES.md A.1, A.2), kept per force
//    element (ForceElement::path) so that scaling and the writer see what the file said;
//  - compiled: Model::paths, a flat PathSet built once by ModelBuilder::build() from every
//    GeometryPath (points in their body's joint frame, wraps bound to their surfaces, the
//    chain of joints each path spans). The per-frame buffers and algorithms are in
//    muscle/geometry_path.hpp.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "femur/math/spatial.hpp"
#include "femur/model/wrap_object.hpp"

namespace femur {

// ---- As written

struct PathPoint {
  enum class Kind { Fixed, Conditional, Moving };
  std::string name;
  Kind kind = Kind::Fixed;
  int body = 0;                  // index into Model::bodies
  Vec3 location = Vec3::Zero();  // in the body frame (Fixed, Conditional)
  int coordinate = -1;           // Conditional: the switching coordinate; Moving: the driver
  double range_min = 0.0, range_max = 0.0;  // Conditional, internal units
  std::array<int, 3> moving_functions{-1, -1, -1};  // Moving: x, y, z (Model::functions; -1 = 0)
  friend bool operator==(const PathPoint&, const PathPoint&) = default;
};

struct PathWrap {
  int wrap_object = -1;  // index into Model::wrap_objects
  WrapMethod method = WrapMethod::Hybrid;
  int range_begin = -1, range_end = -1;  // 1-based into the path points, -1 = whole path
  friend bool operator==(const PathWrap&, const PathWrap&) = default;
};

struct GeometryPath {
  std::vector<PathPoint> points;
  std::vector<PathWrap> wraps;
  friend bool operator==(const GeometryPath&, const GeometryPath&) = default;
};

// ---- Compiled (Model::paths)

// One point of a path's PathPointSet, resolved.
struct PathPointSpec {
  PathPoint::Kind kind = PathPoint::Kind::Fixed;
  int body = 0;
  Vec3 location_in_M = Vec3::Zero();  // Fixed, Conditional: location in the body's joint frame M
  int coordinate = -1;                // Conditional: switching coordinate (-1: never active);
                                      // Moving: driving coordinate
  double active_min = 0.0, active_max = 0.0;   // Conditional: range widened by 1e-5 (A.1)
  std::array<int, 3> functions{-1, -1, -1};   // Moving: x, y, z functions (-1 = constant 0)
};

// One PathWrap, resolved: the surface and the 0-based span of PathPointSet indices it may
// wrap (A.2 `range`).
struct PathWrapSpec {
  int surface = -1;  // index into PathSet::surfaces
  WrapOptions options;
  int first_point = 0, last_point = 0;  // within the path's own points
};

// One geometry path (one ForceElement with a GeometryPath).
struct PathSpec {
  std::string name;  // the force's name (OpenSim's muscle name)
  int force = -1;    // index into Model::forces
  int point_begin = 0, point_count = 0;  // into PathSet::points
  int wrap_begin = 0, wrap_count = 0;    // into PathSet::wraps
  // Bodies whose joints the path can span: every body between a body carrying a point or a
  // wrap surface and their lowest common ancestor (excluded), children before parents.
  // Coordinates of other joints have zero moment arm.
  int chain_begin = 0, chain_count = 0;  // into PathSet::chain
  int ancestor = 0;                      // the lowest common ancestor body
  int capacity = 0;                      // most points the current path can hold
};

struct PathSet {
  std::vector<PathSpec> paths;
  std::vector<PathPointSpec> points;
  std::vector<PathWrapSpec> wraps;
  std::vector<WrapSurface> surfaces;  // the wrap objects the paths use
  std::vector<Transform> X_M_wrap;    // each surface's frame in its body's joint frame M
  std::vector<int> chain;
  // Coupler constraints (A.9): coordinate k moves with its free root coordinate root[k];
  // empty when the model has no couplers.
  std::vector<int> coupling_root;
  int max_capacity = 0;

  int path_index(const std::string& name) const;  // -1 if absent
  int size() const { return static_cast<int>(paths.size()); }
};

}  // namespace femur
