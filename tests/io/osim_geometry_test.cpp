// Display geometry of .osim files: the 4.x attached_geometry of every shipped model, the 3.x
// and 2.x VisibleObject layouts checked against the same model as OpenSim upgraded it, and
// the mesh search (model folder, Geometry/ folders up the tree).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>

#include "femur/io/osim_geometry.hpp"
#include "support/test_data.hpp"

namespace {
namespace fs = std::filesystem;
using femur::io::DisplayGeometry;
using femur::io::read_osim_geometry;

int count_matches(const fs::path& file, const std::string& pattern) {
  const std::string text = femur::test::read_text(file);
  const std::regex re(pattern);
  return static_cast<int>(std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

TEST(OsimGeometry, Gait2392HasEveryMeshOnItsBodyAndEachFileIsFound) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path model = femur::test::opensim_file("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim");
  std::vector<std::string> warnings;
  const auto shown = read_osim_geometry(model, &warnings);
  // Every <Mesh> but the ground's treadmill, which the file hides (<visible>false).
  EXPECT_EQ(count_matches(model, "<Mesh "), 20);
  EXPECT_EQ(shown.size(), 19u);
  EXPECT_TRUE(warnings.empty());
  std::map<std::string, int> per_body;
  for (const auto& g : shown) ++per_body[g.body];
  EXPECT_EQ(per_body["pelvis"], 3);  // sacrum, pelvis, l_pelvis
  EXPECT_EQ(per_body["femur_r"], 1);
  EXPECT_EQ(shown[0].mesh_file, "sacrum.vtp");
  EXPECT_TRUE(shown[0].X_body_geometry.p.isZero());
  const auto folders = femur::io::mesh_search_folders(model);
  for (const auto& g : shown) {
    SCOPED_TRACE(g.mesh_file);
    const auto file = femur::io::find_mesh_file(g.mesh_file, folders);
    ASSERT_TRUE(file.has_value());
    EXPECT_EQ(file->parent_path().filename(), "Geometry");
  }
}

TEST(OsimGeometry, ScaledModelKeepsItsScaleFactors) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto shown = read_osim_geometry(femur::test::opensim_file("Moco/example3DWalking/subject_walk_scaled.osim"));
  EXPECT_EQ(shown.size(), 81u);
  EXPECT_EQ(shown[0].body, "pelvis");
  EXPECT_EQ(shown[0].mesh_file, "r_pelvis.vtp");
  EXPECT_DOUBLE_EQ(shown[0].scale_factors.x(), 1.150324903);
  EXPECT_DOUBLE_EQ(shown[0].scale_factors.z(), 1.0815305726);
}

// Tests/Analyze/arm26.osim (version 30000, DisplayGeometry with transforms) and
// Models/Arm26/arm26.osim (the same model in the 4.0 layout OpenSim's upgrade writes) show
// the same meshes on the same bodies, at the same places (the 4.0 file carries the ground's
// meshes on a body 'base' welded to the ground).
TEST(OsimGeometry, Version3DisplayGeometryMatchesOpenSimsUpgrade) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto v3 = read_osim_geometry(femur::test::opensim_file("Tests/Analyze/arm26.osim"));
  const auto v4 = read_osim_geometry(femur::test::opensim_file("Models/Arm26/arm26.osim"));
  ASSERT_EQ(v3.size(), v4.size());
  for (std::size_t i = 0; i < v3.size(); ++i) {
    SCOPED_TRACE(v3[i].mesh_file);
    EXPECT_EQ(v3[i].mesh_file, v4[i].mesh_file);
    EXPECT_EQ(v3[i].body, v4[i].body == "base" ? "ground" : v4[i].body);
    EXPECT_LT((v3[i].scale_factors - v4[i].scale_factors).norm(), 1e-12);
    EXPECT_LT((v3[i].X_body_geometry.p - v4[i].X_body_geometry.p).norm(), 1e-9);
    EXPECT_LT((v3[i].X_body_geometry.R - v4[i].X_body_geometry.R).norm(), 1e-9);
  }
}

TEST(OsimGeometry, Version1GeometryFilesAreRead) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto shown = read_osim_geometry(femur::test::opensim_file("Tests/Analyze/SinglePin.osim"));
  ASSERT_EQ(shown.size(), 2u);
  EXPECT_EQ(shown[0].mesh_file, "cuboid.vtp");
  EXPECT_EQ(shown[1].mesh_file, "ConePendulum.vtp");
}

TEST(OsimGeometry, EveryShippedModelReads) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  int models = 0;
  for (const auto& e : fs::recursive_directory_iterator(femur::test::opensim_data())) {
    if (e.path().extension() != ".osim") continue;
    SCOPED_TRACE(e.path().string());
    std::vector<std::string> warnings;
    EXPECT_NO_THROW(read_osim_geometry(e.path(), &warnings));
    ++models;
  }
  EXPECT_GT(models, 40);
}

TEST(OsimGeometry, SearchFoldersStartWithTheGivenOnesAndHaveNoDuplicates) {
  const fs::path dir = femur::test::temp_dir("geometry-search");
  fs::create_directories(dir / "a" / "b" / "Geometry");
  fs::create_directories(dir / "Geometry");
  fs::create_directories(dir / "extra");
  femur::test::write_text(dir / "Geometry" / "bone.vtp", "x");
  femur::test::write_text(dir / "a" / "b" / "Geometry" / "bone.vtp", "y");
  const auto folders = femur::io::mesh_search_folders(dir / "a" / "b" / "m.osim", {dir / "extra", dir / "extra"});
  ASSERT_GE(folders.size(), 4u);
  EXPECT_EQ(folders[0], fs::weakly_canonical(dir / "extra"));
  EXPECT_EQ(folders[1], fs::weakly_canonical(dir / "a" / "b"));
  EXPECT_EQ(folders[2], fs::weakly_canonical(dir / "a" / "b" / "Geometry"));
  // The nearest Geometry/ wins.
  EXPECT_EQ(femur::io::find_mesh_file("bone.vtp", folders), fs::weakly_canonical(dir / "a" / "b" / "Geometry") / "bone.vtp");
  EXPECT_FALSE(femur::io::find_mesh_file("absent.vtp", folders).has_value());
}

}  // namespace
