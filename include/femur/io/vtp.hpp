// VTK PolyData XML files (.vtp): the bone surface meshes OpenSim models name in their
// <Mesh><mesh_file> (4.x) or <geometry_file>/<geometry_files> (3.x and older). The viewer
// (web/) draws them; nothing else in femur needs them.
//
//   femur::io::SurfaceMesh femur_bone = femur::io::read_vtp("Geometry/femur.vtp");
//
// Read as VTK's XML format defines it (https://docs.vtk.org/en/latest/vtk_file_formats/
// vtkxml_file_format.html): every DataArray format (ascii; binary = base64 inline; appended,
// raw or base64), UInt32 or UInt64 block headers, zlib compression (vtkZLibDataCompressor),
// little- or big-endian, any numeric type. Polygons are fanned into triangles and triangle
// strips split, so the result is a plain indexed triangle list. OpenSim's shipped meshes are
// all ascii; VTK and ParaView write binary, compressed or appended files by default.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace femur::io {

struct SurfaceMesh {
  std::vector<float> points;              // x y z per vertex, in the file's units (OpenSim: m)
  std::vector<float> normals;             // x y z per vertex if the file has point normals, else empty
  std::vector<std::uint32_t> triangles;   // three vertex indices per triangle

  int vertex_count() const { return static_cast<int>(points.size() / 3); }
  int triangle_count() const { return static_cast<int>(triangles.size() / 3); }
};

// Reads a .vtp file. Throws ParseError "file:line: what is wrong": not a PolyData file, a
// DataArray whose size disagrees with NumberOfPoints, a cell index out of range, bad base64,
// a corrupt zlib block, an unsupported compressor (only zlib is), ...
SurfaceMesh read_vtp(const std::filesystem::path& file);

// Same, from the file's bytes; `name_for_errors` names them in messages.
SurfaceMesh parse_vtp(std::string bytes, const std::string& name_for_errors);

}  // namespace femur::io
