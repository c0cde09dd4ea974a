// VTK PolyData reader: files written by VTK 9.1 itself in every data mode (tests/data/vtp,
// made by tests/data/vtp/make_vtp.py) decode to the same mesh as its ascii form; polygons and
// strips become the triangles VTK's own vtkTriangleFilter makes; every shipped OpenSim mesh
// reads; each malformed file gives its place and problem.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <set>

#include "femur/io/error.hpp"
#include "femur/io/vtp.hpp"
#include "support/test_data.hpp"

namespace {
namespace fs = std::filesystem;
using femur::io::read_vtp;
using femur::io::SurfaceMesh;

fs::path vtp_dir() { return femur::test::source_dir() / "tests" / "data" / "vtp"; }

TEST(Vtp, AsciiSphereHasVtksPointsNormalsAndTriangles) {
  const SurfaceMesh m = read_vtp(vtp_dir() / "sphere_ascii.vtp");
  // vtkSphereSource, theta 6, phi 4: two poles plus 6 x 2 rings; 6 + 6 + 12 triangles.
  ASSERT_EQ(m.vertex_count(), 14);
  EXPECT_EQ(m.triangle_count(), 24);
  ASSERT_EQ(m.normals.size(), m.points.size());
  EXPECT_FLOAT_EQ(m.points[2], 0.05f);   // north pole (0, 0, r)
  EXPECT_FLOAT_EQ(m.points[5], -0.05f);  // south pole
  EXPECT_FLOAT_EQ(m.points[6], 0.04330126941204071f);
  EXPECT_FLOAT_EQ(m.normals[6], 0.8660253882408142f);
  for (std::uint32_t i : m.triangles) EXPECT_LT(i, 14u);
}

TEST(Vtp, EveryDataModeVtkWritesDecodesToTheAsciiMesh) {
  const SurfaceMesh ascii = read_vtp(vtp_dir() / "sphere_ascii.vtp");
  for (const char* name : {"sphere_binary.vtp", "sphere_binary_zlib.vtp", "sphere_binary_zlib_uint64.vtp",
                           "sphere_appended_raw.vtp", "sphere_appended_base64_zlib.vtp",
                           "sphere_binary_float64.vtp"}) {
    SCOPED_TRACE(name);
    const SurfaceMesh m = read_vtp(vtp_dir() / name);
    EXPECT_EQ(m.points, ascii.points);  // ascii holds every float32 digit: bitwise equal
    EXPECT_EQ(m.normals, ascii.normals);
    EXPECT_EQ(m.triangles, ascii.triangles);
  }
}

std::set<std::array<std::uint32_t, 3>> oriented_triangles(const SurfaceMesh& m) {
  // Each triangle rotated so its smallest index comes first: same set = same faces, same winding.
  std::set<std::array<std::uint32_t, 3>> out;
  for (int t = 0; t < m.triangle_count(); ++t) {
    std::array<std::uint32_t, 3> v{m.triangles[3 * t], m.triangles[3 * t + 1], m.triangles[3 * t + 2]};
    std::rotate(v.begin(), std::min_element(v.begin(), v.end()), v.end());
    out.insert(v);
  }
  return out;
}

TEST(Vtp, TriangleStripsSplitAsVtkSplitsThem) {
  const SurfaceMesh strips = read_vtp(vtp_dir() / "sphere_strips_binary.vtp");
  const SurfaceMesh vtk = read_vtp(vtp_dir() / "sphere_strips_as_triangles_ascii.vtp");
  EXPECT_EQ(strips.points, vtk.points);
  EXPECT_EQ(strips.triangle_count(), 64);
  EXPECT_EQ(oriented_triangles(strips), oriented_triangles(vtk));
}

TEST(Vtp, QuadsAreFannedIntoTwoTrianglesEach) {
  const SurfaceMesh cube = read_vtp(vtp_dir() / "cube_quads_ascii.vtp");
  EXPECT_EQ(cube.vertex_count(), 24);
  EXPECT_EQ(cube.triangle_count(), 12);
}

TEST(Vtp, EveryShippedOpenSimMeshReads) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  int files = 0;
  long long triangles = 0;
  for (const auto& e : fs::directory_iterator(femur::test::opensim_file("Geometry"))) {
    if (e.path().extension() != ".vtp") continue;
    SCOPED_TRACE(e.path().string());
    const SurfaceMesh m = read_vtp(e.path());
    EXPECT_GT(m.vertex_count(), 0);
    triangles += m.triangle_count();
    ++files;
  }
  EXPECT_GE(files, 300);
  EXPECT_GT(triangles, 100000);
}

TEST(Vtp, OpenSimFemurMatchesItsPieceCounts) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  // Geometry/femur_r.vtp: NumberOfPoints="456" NumberOfPolys="908", every poly a triangle.
  const SurfaceMesh m = read_vtp(femur::test::opensim_file("Geometry/femur_r.vtp"));
  EXPECT_EQ(m.vertex_count(), 456);
  EXPECT_EQ(m.triangle_count(), 908);
}

struct BadCase {
  const char* file;
  const char* message;  // what() from the file name on
};

TEST(VtpBadInput, EachBadFileGivesItsPlaceAndProblem) {
  const BadCase cases[] = {
      {"vtp_cell_index_out_of_range.vtp",
       "vtp_cell_index_out_of_range.vtp:11: DataArray 'connectivity': cell 1 names point 5, but the piece has 3 points"},
      {"vtp_points_count.vtp", "vtp_points_count.vtp:6: DataArray 'Points' has 9 values, expected 12"},
      {"vtp_not_a_number.vtp", "vtp_not_a_number.vtp:6: DataArray 'Points': 'zero' is not a number"},
      {"vtp_not_polydata.vtp", "vtp_not_polydata.vtp:2: VTK file of type 'UnstructuredGrid', expected PolyData"},
      {"vtp_unknown_compressor.vtp",
       "vtp_unknown_compressor.vtp:2: compressor 'vtkLZ4DataCompressor' is not supported (femur reads "
       "vtkZLibDataCompressor)"},
      {"vtp_corrupt_zlib.vtp", "vtp_corrupt_zlib.vtp:21: DataArray 'Points': zlib block 1 is corrupt (data error)"},
      {"vtp_bad_base64.vtp", "vtp_bad_base64.vtp:21: DataArray 'Points': '!' is not a base64 character"},
      // Found by the fuzzer (fuzz/vtp_fuzz.cpp): a block size no zlib stream of that length
      // can hold (refused before it is allocated), and an offset beyond any file.
      {"vtp_zlib_block_too_large.vtp",
       "vtp_zlib_block_too_large.vtp:21: DataArray 'Points': compressed block 1 of 75 bytes cannot hold the "
       "4294967280 bytes its header says"},
      {"vtp_appended_offset_huge.vtp", "vtp_appended_offset_huge.vtp:5: DataArray 'Normals': offset '1e300' is not a byte offset"},
  };
  const fs::path dir = femur::test::source_dir() / "tests" / "data" / "bad";
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    ASSERT_TRUE(fs::exists(dir / c.file));
    try {
      read_vtp(dir / c.file);
      ADD_FAILURE() << "no error";
    } catch (const femur::io::ParseError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind((dir / c.file).string() + ":", 0), 0u) << what;
      EXPECT_NE(what.find(c.message), std::string::npos) << what;
    }
  }
}

TEST(VtpBadInput, MissingFileNamesThePath) {
  try {
    read_vtp("/nonexistent/bone.vtp");
    FAIL() << "no error";
  } catch (const femur::io::ParseError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/bone.vtp: cannot open file for reading");
  }
}

}  // namespace
