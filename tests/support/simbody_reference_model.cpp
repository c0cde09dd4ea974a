// SimbodyReference from a whole Model, compiled as C++20 with the rest of the tests (the
// Simbody TU sees only the tree; simbody_reference.hpp).
#include "femur/model/model.hpp"
#include "support/simbody_reference.hpp"

namespace femur::test {

SimbodyReference::SimbodyReference(const Model& model, SimbodyTree tree)
    : SimbodyReference(SimbodyTreeInput{model.bodies, model.joints, model.functions, model.gravity, model.nq, model.nv},
                       tree) {}

}  // namespace femur::test
