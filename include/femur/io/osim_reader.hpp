// Reader of OpenSim model files (.osim), formats 1.9 to 4.x (document versions 10902 to
// 40600): bodies, joints and their coordinates, constraints, markers, forces (with their
// geometry paths) and wrap objects, passed to ModelBuilder. The whole file is checked
// before anything is built; a bad file throws io::ParseError "file:line: what is wrong".
//
//   std::vector<std::string> warnings;
//   femur::Model model = femur::io::read_osim("gait2392_simbody.osim", &warnings);
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "femur/model/model.hpp"

namespace femur::io {

// What the reader learned about the file itself, beyond the model.
struct OsimInfo {
  int version = 0;        // OpenSimDocument Version attribute, e.g. 30000 or 40000
  std::string ground_name;
};

// Forces a tool adds to the model it reads (AbstractTool::updateModelForces): each file is a
// <ForceSet> (reserve and residual actuators, ...) whose forces are appended to the model's,
// or replace them when replace_force_set is true. Their bodies, coordinates and frames are
// resolved against the model, and errors name the force-set file and line.
// Contact geometry kept beside a model (Moco's example3DWalking adds its
// subject_walk_scaled_ContactGeometrySet.xml with Model::addContactGeometry): each file is a
// <ContactGeometrySet> whose spheres, half spaces and meshes join the model's, read before the
// force-set files so their contact forces can name them (/contactgeometryset/<name>).
struct OsimReadOptions {
  std::vector<std::filesystem::path> force_set_files;
  bool replace_force_set = false;
  std::vector<std::filesystem::path> contact_geometry_files;
};

// Reads an .osim file. Warnings ("file:line: ... ignored") go to `warnings` if given.
Model read_osim(const std::filesystem::path& file, std::vector<std::string>* warnings = nullptr,
                OsimInfo* info = nullptr, const OsimReadOptions& options = {});

// Same, from text; `file_label` names the text in messages.
Model read_osim_string(const std::string& text, const std::string& file_label,
                       std::vector<std::string>* warnings = nullptr, OsimInfo* info = nullptr);

}  // namespace femur::io
