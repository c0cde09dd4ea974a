// What an .osim file shows: the geometry it attaches to its bodies and frames for display
// (bone meshes, and the analytic shapes of OpenSim 4: spheres, cylinders, bricks,
// ellipsoids, tori). The Model leaves display out (it holds what algorithms need); the
// viewer (web/) reads this beside it.
//
//   std::vector<femur::io::DisplayGeometry> shown = femur::io::read_osim_geometry("gait2392.osim");
//   auto file = femur::io::find_mesh_file(shown[0].mesh_file, mesh_search_folders("gait2392.osim"));
//
// Layouts (as OpenSim's own upgrade reads them, OpenSim/Simulation/Model/PhysicalFrame.cpp
// updateFromXMLNode and convertDisplayGeometryToGeometryXML):
//  - 4.x (document version >= 30502): <attached_geometry> of Ground, each Body and each
//    PhysicalOffsetFrame; a geometry's <socket_frame> (".." = its owner) names the frame.
//  - 2.1 to 3.x: a body's <VisibleObject><GeometrySet> of <DisplayGeometry> (geometry_file,
//    transform = 3 body-fixed XYZ rotations then a translation, scale_factors, color,
//    opacity, display_preference 0 = hidden), composed with the VisibleObject's own
//    transform and scale_factors.
//  - before 2.1 (< 20101): <VisibleObject><geometry_files>, scaled by its scale_factors
//    (OpenSim ignores the VisibleObject transform there, and so do we).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "femur/math/spatial.hpp"

namespace femur::io {

struct DisplayGeometry {
  enum class Shape { Mesh, Sphere, Cylinder, Brick, Ellipsoid, Torus };
  Shape shape = Shape::Mesh;
  std::string name;
  std::string body;                   // the body it is fixed to (the ground's name for ground)
  Transform X_body_geometry;          // the geometry frame in the body frame
  Vec3 scale_factors = Vec3::Ones();  // applied in the geometry frame
  std::string mesh_file;              // Mesh: the file name as written
  // Sphere: radius in x; Cylinder: radius, half height (along y, OpenSim's axis); Brick: half
  // lengths; Ellipsoid: radii; Torus: ring radius, cross-section radius.
  Vec3 dimensions = Vec3::Zero();
  Vec3 color = Vec3::Ones();          // red, green, blue in [0, 1]
  double opacity = 1.0;
  int line = 0;                       // where the element is in the file
};

const char* display_shape_name(DisplayGeometry::Shape shape);

// Every visible geometry of the model file, in file order. Hidden ones (Appearance visible
// false or representation 0; display_preference 0 before 4.0) and frame axes
// (FrameGeometry) are left out; geometry kinds femur does not draw (Cone, Arrow,
// LineGeometry) are left out with a warning. Throws ParseError for malformed XML, a socket
// that names no frame, or a bad number.
std::vector<DisplayGeometry> read_osim_geometry(const std::filesystem::path& model_file,
                                                std::vector<std::string>* warnings = nullptr);
// Same, from text; `file_label` names the text in messages.
std::vector<DisplayGeometry> read_osim_geometry_string(const std::string& text, const std::string& file_label,
                                                       std::vector<std::string>* warnings = nullptr);

// Where OpenSim looks for a mesh (OpenSim/Simulation/ModelVisualizer.cpp findGeometryFile):
// the model's folder and its Geometry/ subfolder, then the installation's Geometry folder.
// femur has no installation folder; it tries `extra` (e.g. --geometry-dir) first, then the
// model's folder, then the Geometry/ folder of the model's folder and of each folder above
// it (so Models/Gait2392_Simbody/x.osim finds the shared opensim/Geometry), without
// duplicates.
std::vector<std::filesystem::path> mesh_search_folders(const std::filesystem::path& model_file,
                                                       const std::vector<std::filesystem::path>& extra = {});

// The first folder holding `mesh_file` (an absolute name is taken as it is); nullopt if
// none does.
std::optional<std::filesystem::path> find_mesh_file(const std::string& mesh_file,
                                                    const std::vector<std::filesystem::path>& folders);

}  // namespace femur::io
