// Compiling the geometry paths of a model into its PathSet (private to the model layer;
// ModelBuilder::build() calls it once).
#pragma once

#include "femur/model/model.hpp"

namespace femur {

// Resolves every force's GeometryPath: points in their body's joint frame, wraps bound to
// their surfaces, the chain of bodies each path spans. Throws ModelError with the force's
// file:line for a path of fewer than two points, a wrap range outside the path, a moving
// point without a coordinate.
PathSet compile_path_set(const Model& model);

}  // namespace femur
