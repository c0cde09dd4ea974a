// Writer of OpenSim model files in the 4.0 layout (document version 40000): whatever femur's
// Model holds (bodies, joints with their offset frames and coordinates, coupler constraints,
// markers, forces with their geometry paths, wrap objects) written so that io::read_osim
// gives back an equivalent model, and OpenSim 4.x can load the file.
//
//   femur::Model model = femur::io::read_osim("subject01.osim");
//   femur::io::write_osim(model, "subject01_copy.osim");
//
// Numbers are written in their shortest exact form (std::to_chars), so every double reads
// back bit for bit. What the Model does not hold is not written: display geometry, model
// credits, constraints other than CoordinateCouplerConstraint (named in an XML comment),
// a coordinate's prescribed_function, and controllers, probes and contact geometry.
#pragma once

#include <filesystem>
#include <string>

#include "femur/model/model.hpp"

namespace femur::io {

// The .osim text of `model` (UTF-8, tab-indented). Deterministic: the same model always
// gives the same text.
std::string format_osim(const Model& model);

// Writes format_osim(model) to `file` atomically (io/atomic_file.hpp): the file appears
// only complete. Throws std::runtime_error naming the file if it cannot be written, e.g.
// when its directory does not exist; then no file is left behind.
void write_osim(const Model& model, const std::filesystem::path& file);

}  // namespace femur::io
