// The scene the viewer draws, as one JSON document: the model's bodies, geometry and meshes,
// and for every frame the pose of each body, the current path of each muscle (wrap points
// and the arcs over the wrap surfaces included), muscle colours and force arrows, all in
// ground. Kinematics are done here (forward kinematics, geometry paths), so the page only
// places what it is given. Binary arrays are little-endian float32 / uint16 / uint32,
// base64-encoded; web/src/scene.js documents and decodes the layout.
//
//   std::string json = femur::web::scene_json(model, femur::web::load_view(model, files));
#pragma once

#include <string>

#include "femur/model/model.hpp"
#include "femur/web/view_data.hpp"

namespace femur::web {

// Throws std::invalid_argument if view.q does not have model.nq columns.
std::string scene_json(const Model& model, const ViewData& view);

}  // namespace femur::web
