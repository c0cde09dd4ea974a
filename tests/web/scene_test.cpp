// The scene document the page draws: body poses equal forward kinematics, each drawn muscle
// path is as long as the path femur computes (the arcs drawn over wrap surfaces included, so
// the arcs go the way the wrap went), every shipped model and the hip model give a scene,
// and the arrays have the sizes the page expects.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "femur/hip/hip_model.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/model/model_builder.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/muscle_parameters.hpp"
#include "femur/web/scene.hpp"
#include "femur/web/view_data.hpp"
#include "support/test_data.hpp"

namespace {
namespace fs = std::filesystem;
using femur::Model;
using femur::web::ViewData;
using femur::web::ViewFiles;
using json = nlohmann::json;

std::vector<unsigned char> unbase64(const std::string& s) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
  };
  std::vector<unsigned char> out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : s) {
    const int v = value(c);
    if (v < 0) continue;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

template <class T>
std::vector<T> array_of(const json& a) {
  const std::vector<unsigned char> bytes = unbase64(a.at("data").get<std::string>());
  std::vector<T> out(a.at("length").get<std::size_t>());
  EXPECT_EQ(bytes.size(), out.size() * sizeof(T));
  std::memcpy(out.data(), bytes.data(), std::min(bytes.size(), out.size() * sizeof(T)));
  return out;
}

struct Loaded {
  Model model;
  ViewData view;
  json scene;
};

Loaded load(const std::string& model_rel, const std::string& motion_rel) {
  ViewFiles files;
  files.model = femur::test::opensim_file(model_rel);
  if (!motion_rel.empty()) files.motion = femur::test::opensim_file(motion_rel);
  Loaded l{femur::io::read_osim(files.model), {}, {}};
  l.view = femur::web::load_view(l.model, files);
  l.scene = json::parse(femur::web::scene_json(l.model, l.view));
  return l;
}

TEST(ViewScene, BodyPosesAreForwardKinematics) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Loaded l = load("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim",
                        "Pipelines/Gait2392_Simbody/subject01_walk1_ik.mot");
  const int frames = l.scene["frames"]["count"];
  ASSERT_EQ(frames, l.view.time.size());
  const int nb = static_cast<int>(l.model.bodies.size());
  ASSERT_EQ(static_cast<int>(l.scene["bodies"].size()), nb);
  const std::vector<float> pose = array_of<float>(l.scene["frames"]["body_pose"]);
  ASSERT_EQ(pose.size(), static_cast<std::size_t>(frames * nb * 7));
  femur::Data data(l.model);
  for (int i : {0, frames / 2, frames - 1}) {
    femur::forward_kinematics(l.model, data, l.view.q.row(i).transpose());
    for (int b = 0; b < nb; ++b) {
      const femur::Transform X = femur::body_pose(l.model, data, b);
      const float* p = &pose[static_cast<std::size_t>((i * nb + b) * 7)];
      EXPECT_NEAR((X.p - Eigen::Vector3d(p[0], p[1], p[2])).norm(), 0.0, 1e-6);
      const Eigen::Quaterniond q(p[6], p[3], p[4], p[5]);  // w, x, y, z
      EXPECT_NEAR((q.toRotationMatrix() - X.R).norm(), 0.0, 1e-6);
    }
  }
  EXPECT_EQ(l.scene["geometry"].size(), 19u);
  EXPECT_EQ(l.scene["paths"].size(), 92u);
  EXPECT_EQ(l.scene["warnings"].size(), 0u);
}

// Each path drawn (straight segments, and the arcs sampled at most every 10 degrees over the
// wrap surfaces) is as long as the path femur computes: within float precision for straight
// paths; within 0.5 % for wrapped ones (a 10-degree chord is 0.13 % shorter than its arc).
void expect_drawn_lengths_match(const Loaded& l, double wrapped_tolerance, int* wrapped_seen) {
  const femur::PathSet& paths = l.model.paths;
  femur::PathData pd(l.model, paths);
  femur::Data data(l.model);
  const int frames = l.scene["frames"]["count"];
  const int np = paths.size();
  const std::vector<std::uint16_t> counts = array_of<std::uint16_t>(l.scene["frames"]["path_counts"]);
  const std::vector<float> points = array_of<float>(l.scene["frames"]["path_points"]);
  ASSERT_EQ(counts.size(), static_cast<std::size_t>(frames * np));
  std::size_t at = 0;
  for (int i = 0; i < frames; ++i) {
    const Eigen::VectorXd q = l.view.q.row(i).transpose();
    femur::forward_kinematics(l.model, data, q);
    femur::compute_path_lengths(l.model, paths, data, q, pd);
    for (int p = 0; p < np; ++p) {
      const int n = counts[static_cast<std::size_t>(i * np + p)];
      double drawn = 0.0;
      for (int k = 0; k + 1 < n; ++k) {
        const float* a = &points[3 * (at + static_cast<std::size_t>(k))];
        drawn += std::sqrt((a[3] - a[0]) * (a[3] - a[0]) + (a[4] - a[1]) * (a[4] - a[1]) + (a[5] - a[2]) * (a[5] - a[2]));
      }
      at += static_cast<std::size_t>(n);
      bool wrapped = false;
      std::set<int> wraps;
      for (int k = 0; k < pd.count[static_cast<std::size_t>(p)]; ++k) {
        const int w = pd.current[static_cast<std::size_t>(p) * pd.stride + static_cast<std::size_t>(k)].wrap;
        wrapped |= w >= 0;
        if (w >= 0) wraps.insert(w);
      }
      // A path wrapping over two surfaces at once: its length is OpenSim's, taken from the
      // wrap points' ground positions cached before a later wrapping pass moved them
      // (docs/validation.md, paths with several wrap objects), so it is not the length of the
      // geometry drawn (up to ~2 cm apart on the gastrocnemii). Not compared here.
      if (wraps.size() > 1) continue;
      const double length = pd.length[p];
      if (wrapped) ++*wrapped_seen;
      EXPECT_NEAR(drawn, length, (wrapped ? wrapped_tolerance : 2e-6) * length)
          << paths.paths[static_cast<std::size_t>(p)].name << " frame " << i;
    }
  }
  EXPECT_EQ(at * 3, points.size());
}

TEST(ViewScene, DrawnPathsAreAsLongAsThePathsWithoutWraps) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Loaded l = load("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim",
                        "Pipelines/Gait2392_Simbody/subject01_walk1_ik.mot");
  int wrapped = 0;
  expect_drawn_lengths_match(l, 0.005, &wrapped);
}

TEST(ViewScene, DrawnArcsOverWrapSurfacesAreAsLongAsTheWrappedPaths) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  int wrapped = 0;
  // Cylinders (arm26's elbow), cylinders and ellipsoids of a Rajagopal-type walking model.
  expect_drawn_lengths_match(
      load("Models/Arm26/arm26.osim",
           "Tutorials/Computed_Muscle_Control/OutputReference/ForwardDynamics/PhysiologicalResults/arm26_states.sto"),
      0.005, &wrapped);
  const int arm = wrapped;
  expect_drawn_lengths_match(load("Moco/example3DWalking/subject_walk_scaled.osim", "Moco/example3DWalking/coordinates.sto"),
                             0.005, &wrapped);
  EXPECT_GT(arm, 100);
  EXPECT_GT(wrapped - arm, 1000);
}

// No shipped model wraps over a torus: a muscle from a point above a torus (around the
// ground z axis, centre circle 5 cm, tube 1 cm) to a point below it on an arm turning about
// that axis, so the path crosses the tube and wraps its inner side (about 70 degrees of
// arc), in a meridional plane at q = 0 and across it otherwise.
Model torus_model() {
  femur::ModelBuilder b;
  b.add_body(femur::BodySpec{"arm", 1.0, femur::Vec3(-0.05, 0, 0), femur::Mat3::Identity() * 0.01, ""});
  femur::JointSpec pin;
  pin.name = "pin";
  pin.type = femur::JointType::Pin;
  pin.parent_body = "ground";
  pin.child_body = "arm";
  femur::Coordinate q;
  q.name = "q";
  pin.coordinates = {q};
  b.add_joint(pin);
  femur::WrapObject torus;
  torus.kind = femur::WrapSurface::Kind::Torus;
  torus.name = "ring";
  torus.inner_radius = 0.01;
  torus.outer_radius = 0.05;
  b.add_wrap_object(torus, femur::NameRef{"ground"});
  femur::ForceSpec s;
  s.force.type = "Thelen2003Muscle";
  s.force.name = "m";
  femur::MuscleParameters p = femur::default_muscle_parameters(femur::MuscleKind::Thelen2003);
  p.name = "m";
  s.force.part = p;
  femur::GeometryPath path;
  path.points.resize(2);
  path.points[0].name = "m-P1";
  path.points[0].location = femur::Vec3(0.048, 0.0, 0.015);
  path.points[1].name = "m-P2";
  path.points[1].location = femur::Vec3(0.048, 0.0, -0.015);
  path.wraps.push_back(femur::PathWrap{});
  s.force.path = path;
  s.point_bodies = {{"ground"}, {"arm"}};
  s.point_coordinates = {{""}, {""}};
  s.wrap_objects = {{"ring"}};
  b.add_force(s);
  return std::move(b).build();
}

TEST(ViewScene, DrawnArcsOverATorusFollowTheWrappedPath) {
  Loaded l{torus_model(), {}, {}};
  const int frames = 17;
  Eigen::VectorXd time(frames);
  Eigen::MatrixXd q(frames, 1);
  for (int i = 0; i < frames; ++i) time[i] = i, q(i, 0) = -0.4 + 0.05 * i;
  l.view = femur::web::view_from_frames(l.model, time, q);
  l.scene = json::parse(femur::web::scene_json(l.model, l.view));
  int wrapped = 0;
  expect_drawn_lengths_match(l, 0.002, &wrapped);
  EXPECT_EQ(wrapped, frames);
  // The test can see a path drawn straight between the tangent points: that is more than
  // 1 % shorter than the wrapped path in every frame (10 times the tolerance).
  femur::Data data(l.model);
  femur::PathData pd(l.model, l.model.paths);
  for (int i = 0; i < frames; ++i) {
    femur::forward_kinematics(l.model, data, l.view.q.row(i).transpose());
    femur::compute_path_lengths(l.model, l.model.paths, data, l.view.q.row(i).transpose(), pd);
    ASSERT_EQ(pd.count[0], 4);
    double straight = 0.0;
    for (int k = 0; k + 1 < 4; ++k) straight += (pd.current[k + 1].in_ground - pd.current[k].in_ground).norm();
    EXPECT_GT((pd.length[0] - straight) / pd.length[0], 0.01) << "frame " << i;
  }
  for (std::uint16_t n : array_of<std::uint16_t>(l.scene["frames"]["path_counts"])) EXPECT_GT(n, 6);
  EXPECT_EQ(l.scene["wraps"][0]["kind"], "torus");
}

// 2D_gait's contact spheres (two per foot) and its floor, a ContactHalfSpace on ground turned
// by -90 degrees about z: the plane x = 0 of its frame is the floor y = 0 and the half space
// (x > 0 of the frame) lies below it.
TEST(ViewScene, ContactSpheresAndTheFloorAreInTheScene) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Loaded l = load("Moco/example2DWalking/2D_gait.osim", "");
  const json& contact = l.scene["contact"];
  ASSERT_EQ(contact.size(), 5u);
  int spheres = 0;
  for (const auto& c : contact) {
    if (c["kind"] == "sphere") {
      ++spheres;
      EXPECT_GT(c["radius"].get<double>(), 0.01);
      EXPECT_NE(c["body"].get<int>(), 0);
      continue;
    }
    ASSERT_EQ(c["kind"], "half_space");
    EXPECT_EQ(c["body"], 0);
    const std::vector<double> pose = c["pose"];
    const Eigen::Quaterniond r(pose[6], pose[3], pose[4], pose[5]);
    EXPECT_NEAR((r * Eigen::Vector3d(-1, 0, 0) - Eigen::Vector3d(0, 1, 0)).norm(), 0.0, 1e-9);  // outward normal up
  }
  EXPECT_EQ(spheres, 4);
  int muscles = 0;  // 2D_gait's muscles are in <components>, not the ForceSet
  for (const auto& p : l.scene["paths"]) muscles += p["muscle"].get<bool>();
  EXPECT_EQ(muscles, 18);
}

// Moco's example3DWalking keeps its contact spheres and floor beside the model
// (subject_walk_scaled_ContactGeometrySet.xml): found there, read into the model, each sphere
// in the body its file names, at its location.
TEST(ViewScene, ContactGeometryBesideTheModelIsInTheScene) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path model_file = femur::test::opensim_file("Moco/example3DWalking/subject_walk_scaled.osim");
  const std::vector<fs::path> beside = femur::web::contact_geometry_beside(model_file);
  ASSERT_EQ(beside.size(), 1u);
  EXPECT_EQ(beside[0].filename(), "subject_walk_scaled_ContactGeometrySet.xml");
  EXPECT_TRUE(femur::web::contact_geometry_beside(femur::test::opensim_file("Moco/example2DWalking/2D_gait.osim")).empty());
  femur::io::OsimReadOptions options;
  options.contact_geometry_files = beside;
  const Model model = femur::io::read_osim(model_file, nullptr, nullptr, options);
  ViewFiles files;
  files.model = model_file;
  const ViewData view = femur::web::load_view(model, files);
  const json scene = json::parse(femur::web::scene_json(model, view));
  const json& contact = scene["contact"];
  ASSERT_EQ(contact.size(), 13u);  // 6 spheres per foot and the floor
  int spheres = 0;
  for (const auto& c : contact) {
    if (c["kind"] != "sphere") {
      EXPECT_EQ(c["kind"], "half_space");
      EXPECT_EQ(c["body"], 0);
      continue;
    }
    ++spheres;
    EXPECT_EQ(c["mesh"], -1);
    const std::string body = scene["bodies"][c["body"].get<std::size_t>()]["name"];
    EXPECT_TRUE(body == "calcn_r" || body == "calcn_l" || body == "toes_r" || body == "toes_l") << body;
    if (c["name"] == "heel_r") {
      EXPECT_EQ(body, "calcn_r");
      EXPECT_NEAR(c["radius"].get<double>(), 0.035, 1e-12);
      const std::vector<double> pose = c["pose"];
      EXPECT_NEAR(pose[0], 0.0146421, 1e-7);  // <location>0.0146421 0.0 -0.0122799</location>
      EXPECT_NEAR(pose[2], -0.0122799, 1e-7);
    }
  }
  EXPECT_EQ(spheres, 12);
}

// A ContactMesh is drawn as its mesh, found like the display meshes; one not found is a
// placeholder and a warning naming it.
TEST(ViewScene, ContactMeshesAreDrawnAsTheirMeshes) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = femur::test::temp_dir("view-contact-mesh");
  femur::test::write_text(dir / "contact.xml", R"(<OpenSimDocument Version="40000"><ContactGeometrySet><objects>
<ContactMesh name="sole_r"><socket_frame>/bodyset/calcn_r</socket_frame><location>0 -0.01 0</location>
  <filename>foot.vtp</filename></ContactMesh>
<ContactMesh name="lost"><socket_frame>/bodyset/calcn_l</socket_frame><filename>no_such_sole.vtp</filename></ContactMesh>
</objects></ContactGeometrySet></OpenSimDocument>)");
  femur::io::OsimReadOptions options;
  options.contact_geometry_files = {dir / "contact.xml"};
  ViewFiles files;
  files.model = femur::test::opensim_file("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim");
  const Model model = femur::io::read_osim(files.model, nullptr, nullptr, options);
  const ViewData view = femur::web::load_view(model, files);
  ASSERT_EQ(view.contact_mesh.size(), 2u);
  ASSERT_GE(view.contact_mesh[0], 0);
  EXPECT_EQ(view.meshes[static_cast<std::size_t>(view.contact_mesh[0])].file, "foot.vtp");
  EXPECT_EQ(view.contact_mesh[1], -1);
  bool warned = false;
  for (const auto& w : view.warnings) warned |= w.rfind("mesh 'no_such_sole.vtp' (ContactMesh 'lost') not found", 0) == 0;
  EXPECT_TRUE(warned);
  const json scene = json::parse(femur::web::scene_json(model, view));
  ASSERT_EQ(scene["contact"].size(), 2u);
  EXPECT_EQ(scene["contact"][0]["kind"], "mesh");
  EXPECT_EQ(scene["contact"][0]["mesh"], view.contact_mesh[0]);
  EXPECT_EQ(scene["contact"][0]["file"], "foot.vtp");
  EXPECT_NEAR(scene["contact"][0]["pose"][1].get<double>(), -0.01, 1e-12);
  EXPECT_EQ(scene["contact"][1]["mesh"], -1);
}

// A unit cube with its 12 triangles wound outward (or all inward), and an open sheet.
femur::io::SurfaceMesh cube(bool inward) {
  femur::io::SurfaceMesh m;
  for (int i = 0; i < 8; ++i)
    for (int c = 0; c < 3; ++c) m.points.push_back(static_cast<float>((i >> c) & 1));
  // Faces as quads (outward, counter-clockwise seen from outside), split into two triangles.
  const int quads[6][4] = {{0, 2, 3, 1}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 6, 7, 3}, {0, 4, 6, 2}, {1, 3, 7, 5}};
  for (const auto& q : quads)
    for (const std::array<int, 3>& t : {std::array<int, 3>{q[0], q[1], q[2]}, std::array<int, 3>{q[0], q[2], q[3]}}) {
      m.triangles.push_back(static_cast<std::uint32_t>(t[0]));
      m.triangles.push_back(static_cast<std::uint32_t>(inward ? t[2] : t[1]));
      m.triangles.push_back(static_cast<std::uint32_t>(inward ? t[1] : t[2]));
    }
  return m;
}

double signed_volume(const std::vector<float>& p, const std::vector<std::uint16_t>& t) {
  double v = 0.0;
  for (std::size_t k = 0; k + 2 < t.size(); k += 3) {
    const Eigen::Vector3d a(p[3 * t[k]], p[3 * t[k] + 1], p[3 * t[k] + 2]);
    const Eigen::Vector3d b(p[3 * t[k + 1]], p[3 * t[k + 1] + 1], p[3 * t[k + 1] + 2]);
    const Eigen::Vector3d c(p[3 * t[k + 2]], p[3 * t[k + 2] + 1], p[3 * t[k + 2] + 2]);
    v += a.dot(b.cross(c)) / 6.0;
  }
  return v;
}

// Closed meshes wound one way are sent one-sided, wound outward (an inward cube is flipped);
// an open sheet, or a closed mesh with a face wound the other way, stays two-sided.
TEST(ViewScene, ClosedConsistentMeshesAreOneSidedAndFaceOutward) {
  const Model model = femur::hip::build_hip_model();
  ViewData v = femur::web::view_from_frames(model, Eigen::VectorXd::Zero(1), model.default_q().transpose());
  femur::io::SurfaceMesh sheet = cube(false);
  sheet.triangles.resize(12);  // two faces of the cube: open
  femur::io::SurfaceMesh mixed = cube(false);
  std::swap(mixed.triangles[1], mixed.triangles[2]);  // one triangle wound the other way
  for (const femur::io::SurfaceMesh& m : {cube(false), cube(true), sheet, mixed}) v.meshes.push_back({"m.vtp", "m.vtp", m});
  const json scene = json::parse(femur::web::scene_json(model, v));
  const json& meshes = scene["meshes"];
  ASSERT_EQ(meshes.size(), 4u);
  EXPECT_TRUE(meshes[0]["one_sided"].get<bool>());
  EXPECT_TRUE(meshes[1]["one_sided"].get<bool>());
  EXPECT_FALSE(meshes[2]["one_sided"].get<bool>());
  EXPECT_FALSE(meshes[3]["one_sided"].get<bool>());  // 1 of 12 triangles: 3 of 36 edges repeated
  for (int k : {0, 1})
    EXPECT_NEAR(signed_volume(array_of<float>(meshes[k]["positions"]), array_of<std::uint16_t>(meshes[k]["indices"])), 1.0,
                1e-12);
}

TEST(ViewScene, EveryShippedModelGivesAScene) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  int models = 0;
  for (const auto& e : fs::recursive_directory_iterator(femur::test::opensim_data())) {
    if (e.path().extension() != ".osim") continue;
    SCOPED_TRACE(e.path().string());
    const Model model = femur::io::read_osim(e.path());
    ViewFiles files;
    files.model = e.path();
    const ViewData v = femur::web::load_view(model, files);
    const json scene = json::parse(femur::web::scene_json(model, v));
    EXPECT_EQ(scene["bodies"].size(), model.bodies.size());
    // Every mesh a shipped model names is shipped in opensim/Geometry, except in OpenSim's
    // own test models (Tests/), some of which name meshes of other installations.
    if (e.path().string().find("/Tests/") == std::string::npos)
      for (const auto& w : v.warnings) ADD_FAILURE() << w;
    ++models;
  }
  EXPECT_GT(models, 40);
}

TEST(ViewScene, HipModelIsDrawnAsBonesBetweenItsJoints) {
  const Model model = femur::hip::build_hip_model();
  const ViewData v = femur::web::view_from_frames(model, Eigen::VectorXd::Zero(1), model.default_q().transpose());
  const json scene = json::parse(femur::web::scene_json(model, v));
  EXPECT_EQ(scene["geometry"].size(), 0u);
  EXPECT_GE(scene["bones"].size(), model.bodies.size() - 1);
  int muscles = 0;
  for (const auto& p : scene["paths"]) muscles += p["muscle"].get<bool>();
  EXPECT_EQ(muscles, 98);
  EXPECT_EQ(scene["paths"].size(), 100u);  // and the two sciatic nerves
}

TEST(ViewScene, WrongSizedFramesAreRefused) {
  const Model model = femur::hip::build_hip_model();
  ViewData v;
  v.time = Eigen::VectorXd::Zero(2);
  v.q = Eigen::MatrixXd::Zero(2, model.nq - 1);
  EXPECT_THROW(femur::web::scene_json(model, v), std::invalid_argument);
  EXPECT_THROW(femur::web::view_from_frames(model, v.time, v.q), std::invalid_argument);
}

TEST(ViewScene, TextIsEscapedSoItCannotCloseTheScriptBlock) {
  const Model model = femur::hip::build_hip_model();
  ViewData v = femur::web::view_from_frames(model, Eigen::VectorXd::Zero(1), model.default_q().transpose());
  v.title = "</script><script>alert(1)</script>";
  v.warnings.push_back("a \"quoted\" <b>warning</b>");
  const std::string s = femur::web::scene_json(model, v);
  EXPECT_EQ(s.find('<'), std::string::npos);
  const json scene = json::parse(s);
  EXPECT_EQ(scene["title"], v.title);
  EXPECT_EQ(scene["warnings"][0], v.warnings[0]);
}

}  // namespace
