// The .osim reader against the shipped OpenSim models (every file loads; counts and values
// read back equal the numbers written in the files), small hand-written models for the
// frame and function rules, and the broken files of tests/data/bad with their exact messages.
#include "femur/io/osim_reader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <set>

#include <gtest/gtest.h>

#include "femur/io/error.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

std::string error_of(const fs::path& file) {
  try {
    io::read_osim(file);
  } catch (const io::ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string error_of_text(const std::string& text) {
  try {
    io::read_osim_string(text, "model.osim");
  } catch (const io::ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

fs::path bad_file(const std::string& name) { return test::source_dir() / "tests" / "data" / "bad" / name; }

const Coordinate& coordinate(const Model& m, const std::string& name) {
  const int i = m.coordinate_index(name);
  if (i < 0) throw std::runtime_error("no coordinate " + name);
  return m.coordinates[i];
}
const Joint& joint(const Model& m, const std::string& name) {
  const int i = m.joint_index(name);
  if (i < 0) throw std::runtime_error("no joint " + name);
  return m.joints[i];
}
const Body& body(const Model& m, const std::string& name) {
  const int i = m.body_index(name);
  if (i < 0) throw std::runtime_error("no body " + name);
  return m.bodies[i];
}
const ForceElement& force(const Model& m, const std::string& name) {
  for (const auto& f : m.forces)
    if (f.name == name) return f;
  throw std::runtime_error("no force " + name);
}
const std::vector<PathPoint>& points(const ForceElement& f) {
  if (!f.geometry_path()) throw std::runtime_error("no geometry path in " + f.name);
  return f.geometry_path()->points;
}
int count_forces(const Model& m, const std::string& type) {
  int n = 0;
  for (const auto& f : m.forces) n += f.type == type;
  return n;
}

// A 4.0 model with two bodies (pelvis on ground by a FreeJoint-like CustomJoint is not
// needed: a WeldJoint keeps it short) where `joint_set_extra`, `constraints`, `forces` and
// `markers` are spliced in.
std::string model_v4(const std::string& joints, const std::string& constraints = "",
                     const std::string& forces = "", const std::string& markers = "") {
  return R"(<?xml version="1.0" encoding="UTF-8" ?>
<OpenSimDocument Version="40000">
  <Model name="small">
    <Ground name="ground" />
    <gravity>0 -9.81 0</gravity>
    <BodySet name="bodyset"><objects>
      <Body name="pelvis"><mass>10</mass><mass_center>0 0 0</mass_center><inertia>1 1 1 0 0 0</inertia></Body>
      <Body name="thigh"><mass>8</mass><mass_center>0 -0.2 0</mass_center><inertia>0.1 0.02 0.1 0.001 0.002 0.003</inertia></Body>
    </objects></BodySet>
    <JointSet name="jointset"><objects>
      <WeldJoint name="ground_pelvis">
        <socket_parent_frame>/ground</socket_parent_frame>
        <socket_child_frame>/bodyset/pelvis</socket_child_frame>
      </WeldJoint>
)" + joints + R"(
    </objects></JointSet>
    <ConstraintSet name="constraintset"><objects>)" +
         constraints + R"(</objects></ConstraintSet>
    <ForceSet name="forceset"><objects>)" +
         forces + R"(</objects></ForceSet>
    <MarkerSet name="markerset"><objects>)" +
         markers + R"(</objects></MarkerSet>
  </Model>
</OpenSimDocument>
)";
}

// A CustomJoint hip with one coordinate driving rotation1 about Z.
const std::string kHip = R"(
      <CustomJoint name="hip">
        <socket_parent_frame>/bodyset/pelvis</socket_parent_frame>
        <socket_child_frame>/bodyset/thigh</socket_child_frame>
        <coordinates>
          <Coordinate name="hip_flexion"><default_value>0.1</default_value><range>-1 2</range></Coordinate>
          <Coordinate name="hip_tx"><range>-0.1 0.1</range></Coordinate>
        </coordinates>
        <SpatialTransform>
          <TransformAxis name="rotation1"><coordinates>hip_flexion</coordinates><axis>0 0 1</axis>
            <LinearFunction name="function"><coefficients>1 0</coefficients></LinearFunction></TransformAxis>
          <TransformAxis name="translation1"><coordinates>hip_tx</coordinates><axis>1 0 0</axis>
            <LinearFunction name="function"><coefficients>1 0</coefficients></LinearFunction></TransformAxis>
        </SpatialTransform>
      </CustomJoint>)";

// ---------------------------------------------------------------------------------------
// Shipped models

TEST(OsimReader, LoadsEveryShippedOpenSimModel) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  int files = 0;
  std::set<int> versions;
  for (const auto& entry : fs::recursive_directory_iterator(test::opensim_data())) {
    if (entry.path().extension() != ".osim") continue;
    ++files;
    SCOPED_TRACE(entry.path().string());
    io::OsimInfo info;
    Model m;
    ASSERT_NO_THROW(m = io::read_osim(entry.path(), nullptr, &info));
    versions.insert(info.version);
    EXPECT_GE(m.bodies.size(), 2u);
    EXPECT_EQ(m.joints.size(), m.bodies.size() - 1);  // a tree: one joint per body
    EXPECT_EQ(m.nq, static_cast<int>(m.coordinates.size()));
  }
  EXPECT_GE(files, 49);
  // Every document version the shared data holds (OPENSIM-NOTES.md 1.1, plus 40600).
  for (int v : {10902, 20001, 20200, 20300, 30000, 40000}) EXPECT_TRUE(versions.count(v)) << v;
}

TEST(OsimReader, Gait2392HasTheCountsAndValuesWrittenInTheFile) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  std::vector<std::string> warnings;
  io::OsimInfo info;
  const Model m = io::read_osim(test::opensim_file("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim"),
                                &warnings, &info);
  EXPECT_EQ(info.version, 40000);
  EXPECT_EQ(m.name, "3DGaitModel2392");
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  // Credits and publications as written (trimmed): the CC BY licence travels with the model.
  EXPECT_EQ(m.credits.rfind("Delp S.L., Loan J.P., Hoy M.G.", 0), 0u) << m.credits;
  EXPECT_NE(m.credits.find("License: Creative Commons (CCBY 3.0)"), std::string::npos);
  EXPECT_EQ(m.publications.rfind("Delp, S.L., Loan, J.P.", 0), 0u) << m.publications;
  EXPECT_EQ(m.bodies.size(), 13u);  // ground + pelvis, torso, 2 x (femur, tibia, talus, calcn, toes)
  EXPECT_EQ(m.joints.size(), 12u);
  for (const auto& j : m.joints) EXPECT_EQ(j.type, JointType::Custom) << j.name;
  EXPECT_EQ(m.coordinates.size(), 23u);
  EXPECT_EQ(m.forces.size(), 92u);
  EXPECT_EQ(count_forces(m, "Thelen2003Muscle"), 92);
  EXPECT_TRUE(m.couplers.empty());
  EXPECT_NEAR(m.gravity.y(), -9.80665, 1e-12);

  // <range>-2.0943950999999998 0.17453293</range>, <default_value>0</default_value>
  const Coordinate& knee = coordinate(m, "knee_angle_r");
  EXPECT_DOUBLE_EQ(knee.range_min, -2.0943950999999998);
  EXPECT_DOUBLE_EQ(knee.range_max, 0.17453293);
  EXPECT_EQ(knee.default_value, 0.0);
  EXPECT_EQ(knee.motion_type, MotionType::Rotational);
  const Coordinate& ty = coordinate(m, "pelvis_ty");
  EXPECT_DOUBLE_EQ(ty.default_value, 0.94999999999999996);
  EXPECT_DOUBLE_EQ(ty.range_min, -1.0);
  EXPECT_DOUBLE_EQ(ty.range_max, 2.0);
  EXPECT_EQ(ty.motion_type, MotionType::Translational);

  const Body& femur = body(m, "femur_r");
  EXPECT_DOUBLE_EQ(femur.mass, 9.3013999999999992);
  EXPECT_DOUBLE_EQ(femur.com_in_body.y(), -0.17000000000000001);
  EXPECT_DOUBLE_EQ(femur.inertia_about_com(0, 0), 0.13389999999999999);
  EXPECT_DOUBLE_EQ(femur.inertia_about_com(1, 1), 0.035099999999999999);
  EXPECT_DOUBLE_EQ(femur.inertia_about_com(2, 2), 0.14119999999999999);

  // Two joints own a frame named talus_r_offset with different translations: each joint
  // must use its own (ankle_r: child frame at the talus origin; subtalar_r: parent frame
  // at -0.04877 -0.04195 0.00792).
  const Joint& ankle = joint(m, "ankle_r");
  EXPECT_TRUE(ankle.X_child_M.p.isZero(0.0));
  EXPECT_DOUBLE_EQ(ankle.X_parent_F.p.y(), -0.42999999999999999);
  const Joint& subtalar = joint(m, "subtalar_r");
  EXPECT_EQ(m.bodies[subtalar.parent_body].name, "talus_r");
  EXPECT_EQ(m.bodies[subtalar.child_body].name, "calcn_r");
  EXPECT_DOUBLE_EQ(subtalar.X_parent_F.p.x(), -0.048770000000000001);
  EXPECT_DOUBLE_EQ(subtalar.X_parent_F.p.y(), -0.041950000000000001);
  EXPECT_DOUBLE_EQ(subtalar.X_parent_F.p.z(), 0.00792);

  // rect_fem_r: P2 is conditional on knee_angle_r, P3 moves with it (SimmSpline through the
  // file's knots: at x = 0 the x location is 0.0617576).
  const ForceElement& rf = force(m, "rect_fem_r");
  EXPECT_TRUE(rf.applies_force);
  EXPECT_EQ(std::get<MuscleParameters>(rf.part).max_isometric_force, 1169.0);
  ASSERT_GE(points(rf).size(), 3u);
  const PathPoint& p2 = points(rf)[1];
  EXPECT_EQ(p2.name, "rect_fem_r-P2");
  EXPECT_EQ(p2.kind, PathPoint::Kind::Conditional);
  EXPECT_EQ(m.bodies[p2.body].name, "femur_r");
  EXPECT_EQ(p2.coordinate, m.coordinate_index("knee_angle_r"));
  EXPECT_DOUBLE_EQ(p2.range_min, -2.6179899999999998);
  EXPECT_DOUBLE_EQ(p2.range_max, -1.45997);
  EXPECT_DOUBLE_EQ(p2.location.x(), 0.033399999999999999);
  const PathPoint& p3 = points(rf)[2];
  EXPECT_EQ(p3.kind, PathPoint::Kind::Moving);
  EXPECT_EQ(m.bodies[p3.body].name, "tibia_r");
  EXPECT_EQ(p3.coordinate, m.coordinate_index("knee_angle_r"));
  ASSERT_GE(p3.moving_functions[0], 0);
  const Function& fx = m.functions[p3.moving_functions[0]];
  EXPECT_EQ(fx.kind(), FunctionKind::SimmSpline);
  EXPECT_NEAR(fx.value(0.0), 0.0617576, 1e-12);
  EXPECT_NEAR(fx.value(-1.0472), 0.0365695, 1e-12);
}

TEST(OsimReader, Gait2354Has54Muscles) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model m = io::read_osim(test::opensim_file("Models/Gait2354_Simbody/gait2354_simbody.osim"));
  EXPECT_EQ(count_forces(m, "Thelen2003Muscle"), 54);
  EXPECT_EQ(m.coordinates.size(), 23u);
}

TEST(OsimReader, Arm26WrapObjectsAreTheSameIn3xAnd4xFiles) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model m4 = io::read_osim(test::opensim_file("Models/Arm26/arm26.osim"));
  const Model m3 = io::read_osim(test::opensim_file("Tests/Analyze/arm26.osim"));
  for (const Model* m : {&m4, &m3}) {
    std::map<std::string, int> by_type;
    for (const auto& w : m->wrap_objects) ++by_type[wrap_kind_name(w.kind)];
    EXPECT_EQ(by_type["WrapCylinder"], 2);
    EXPECT_EQ(by_type["WrapEllipsoid"], 2);
    EXPECT_EQ(by_type.size(), 2u);
    EXPECT_EQ(count_forces(*m, "Thelen2003Muscle"), 6);
  }
  // <WrapEllipsoid name="TRIlonghh"> xyz_body_rotation 3.00162 -0.853466 2.57419,
  // translation -0.0078 -0.0041 -0.0014, quadrant z, dimensions 0.035 0.02 0.02.
  for (const Model* m : {&m4, &m3}) {
    const WrapObject* w = nullptr;
    for (const auto& x : m->wrap_objects)
      if (x.name == "TRIlonghh") w = &x;
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->kind, WrapSurface::Kind::Ellipsoid);
    EXPECT_EQ(m->bodies[w->body].name, "r_humerus");
    EXPECT_NEAR(w->xyz_body_rotation.x(), 3.00162, 1e-12);
    EXPECT_NEAR(w->translation.x(), -0.0078, 1e-12);
    EXPECT_EQ(w->quadrant.axis, 2);
    EXPECT_EQ(w->quadrant.sign, 1);
    EXPECT_TRUE(w->active);
    EXPECT_TRUE(w->dimensions.isApprox(Vec3(0.035, 0.02, 0.02), 1e-15));
    EXPECT_TRUE(w->X_body_wrap.p.isApprox(w->translation, 0.0));
  }
  // TRIlong wraps over the TRI cylinder, the TRIlonghh ellipsoid and the TRIlongglen
  // cylinder (hybrid, whole path).
  const GeometryPath& tri = *force(m4, "TRIlong").geometry_path();
  ASSERT_EQ(tri.wraps.size(), 3u);
  EXPECT_EQ(m4.wrap_objects[tri.wraps[0].wrap_object].name, "TRI");
  EXPECT_EQ(tri.wraps[0].method, WrapMethod::Hybrid);
  EXPECT_EQ(tri.wraps[0].range_begin, -1);
  EXPECT_EQ(m4.wrap_objects[tri.wraps[1].wrap_object].name, "TRIlonghh");
  EXPECT_EQ(m4.wrap_objects[tri.wraps[2].wrap_object].name, "TRIlongglen");
}

TEST(OsimReader, Arm26JointsAndPathsAgreeBetween3xAnd4xFiles) {
  // The same arm written by OpenSim 3 (nested joints, <body>) and 4 (frames, sockets): the
  // 3.x transforms must come out as the 4.0 upgrade writes them.
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model m4 = io::read_osim(test::opensim_file("Models/Arm26/arm26.osim"));
  const Model m3 = io::read_osim(test::opensim_file("Tests/Analyze/arm26.osim"));
  const Joint& e4 = joint(m4, "r_elbow");
  const Joint& e3 = joint(m3, "r_elbow");
  EXPECT_TRUE(e3.X_parent_F.p.isApprox(e4.X_parent_F.p, 1e-12));
  EXPECT_TRUE(e3.X_parent_F.p.isApprox(Vec3(0.0061, -0.2904, -0.0123), 1e-12));
  EXPECT_TRUE(e3.X_child_M.p.isZero(0.0));
  for (int a = 0; a < 3; ++a) EXPECT_TRUE(e3.axes[a].axis.isApprox(e4.axes[a].axis, 1e-12)) << a;
  // The 4.0 file adds a body `base`, welded 0.8 m above ground, where the 3.x file puts
  // the same points and joint on ground itself.
  const Joint& base = m4.joints[body(m4, "base").joint];
  ASSERT_EQ(base.type, JointType::Weld);
  EXPECT_TRUE(base.X_parent_F.p.isApprox(Vec3(0, 0.8, 0), 1e-15));
  EXPECT_TRUE(joint(m3, "r_shoulder").X_parent_F.p.isApprox(joint(m4, "r_shoulder").X_parent_F.p, 1e-12));
  auto body_name = [](const Model& m, int b) { return m.bodies[b].name == "base" ? "ground" : m.bodies[b].name; };
  for (const ForceElement& f4 : m4.forces) {
    SCOPED_TRACE(f4.name);
    const ForceElement& f3 = force(m3, f4.name);
    ASSERT_EQ(points(f3).size(), points(f4).size());
    for (std::size_t k = 0; k < points(f4).size(); ++k) {
      EXPECT_EQ(body_name(m3, points(f3)[k].body), body_name(m4, points(f4)[k].body));
      EXPECT_TRUE(points(f3)[k].location.isApprox(points(f4)[k].location, 1e-12));
    }
    EXPECT_EQ(f3.geometry_path()->wraps.size(), f4.geometry_path()->wraps.size());
    EXPECT_DOUBLE_EQ(std::get<MuscleParameters>(f3.part).max_isometric_force,
                     std::get<MuscleParameters>(f4.part).max_isometric_force);
  }
}

TEST(OsimReader, ScaledModelsKeepMultiplierFunctionsOnJointTranslations) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model m = io::read_osim(test::opensim_file("Models/Gait2392_Simbody/subject01_simbody_adjusted.osim"));
  const Joint& knee = joint(m, "knee_r");
  const Function& tx = m.functions[knee.axes[3].function];
  ASSERT_EQ(tx.kind(), FunctionKind::Multiplier);
  ASSERT_NE(tx.inner(), nullptr);
  EXPECT_EQ(tx.inner()->kind(), FunctionKind::SimmSpline);
  EXPECT_EQ(m.coordinates[knee.axes[3].coordinate].name, "knee_angle_r");
  EXPECT_EQ(m.markers.size(), 39u);
}

TEST(OsimReader, ReadsCoordinateCouplersOfTheMomentArmModels) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model b = io::read_osim(test::opensim_file("Tests/MomentArms/testMomentArmsConstraintB.osim"));
  ASSERT_EQ(b.couplers.size(), 1u);
  const CouplerConstraint& c = b.couplers[0];
  EXPECT_EQ(b.coordinates[c.dependent].name, "patella_r_constrained_knee_angle");
  ASSERT_EQ(c.independent.size(), 1u);
  EXPECT_EQ(b.coordinates[c.independent[0]].name, "knee_angle_r");
  // The SimmSpline passes through its knots (x = y here).
  EXPECT_NEAR(b.functions[c.function].value(-0.526391), -0.526391, 1e-12);

  std::vector<std::string> warnings;
  const Model cc =
      io::read_osim(test::opensim_file("Tests/MomentArms/CoupledCoordinatesMPPsMomentArmTest.osim"), &warnings);
  ASSERT_EQ(cc.couplers.size(), 2u);
  for (const auto& k : cc.couplers) {
    EXPECT_EQ(cc.coordinates[k.independent[0]].name, "foot_angle");
    EXPECT_NEAR(cc.functions[k.function].value(0.4), 0.2, 1e-15);  // LinearFunction 0.5 0
  }
  ASSERT_EQ(cc.other_constraints.size(), 1u);
  EXPECT_EQ(cc.other_constraints[0].type, "WeldConstraint");
  EXPECT_EQ(cc.other_constraints[0].line, 408);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("CoupledCoordinatesMPPsMomentArmTest.osim:408: WeldConstraint"), std::string::npos)
      << warnings[0];
  EXPECT_EQ(joint(cc, "footToGround").type, JointType::Planar);

  const Model a = io::read_osim(test::opensim_file("Tests/MomentArms/testMomentArmsConstraintA.osim"));
  EXPECT_EQ(a.couplers.size(), 8u);
  EXPECT_EQ(count_forces(a, "Thelen2003Muscle"), 54);
}

TEST(OsimReader, ReadsVersion10902NestedJoints) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  io::OsimInfo info;
  const Model m = io::read_osim(test::opensim_file("Tests/Analyze/SinglePin.osim"), nullptr, &info);
  EXPECT_EQ(info.version, 10902);
  EXPECT_EQ(info.ground_name, "ground");
  ASSERT_EQ(m.bodies.size(), 2u);
  EXPECT_DOUBLE_EQ(body(m, "rod1").mass, 0.75);
  EXPECT_DOUBLE_EQ(body(m, "rod1").inertia_about_com(0, 0), 0.025);
  const Joint& pin = joint(m, "pin1");
  EXPECT_EQ(pin.type, JointType::Custom);
  EXPECT_EQ(pin.parent_body, 0);
  EXPECT_TRUE(pin.X_child_M.p.isApprox(Vec3(0, 0.5, 0)));  // <location> 0 0.5 0
  const Coordinate& q = coordinate(m, "r1_z");
  EXPECT_EQ(q.range_min, -9.0);
  EXPECT_EQ(q.range_max, 9.0);
  EXPECT_TRUE(q.clamped);
}

TEST(OsimReader, ReadsVersion20001BallJointWithOrientationInParent) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  io::OsimInfo info;
  const Model m =
      io::read_osim(test::opensim_file("Tests/MomentArms/P2PBallJointMomentArmTest.osim"), nullptr, &info);
  EXPECT_EQ(info.version, 20001);
  // The WeldJoint of `thigh` has no name in the file.
  EXPECT_GE(m.joint_index("thigh_joint"), 0);
  const Joint& ball = m.joints[m.bodies[m.body_index("shank")].joint];
  EXPECT_EQ(ball.type, JointType::Ball);
  EXPECT_EQ(ball.nq, 3);
  EXPECT_TRUE(ball.X_parent_F.p.isApprox(Vec3(0.0033, -0.4009, 0)));
  // orientation_in_parent 0 -pi/2 0, body-fixed XYZ: a rotation of -90 deg about Y.
  const Mat3 R_expected = Eigen::AngleAxisd(-std::numbers::pi / 2, Vec3::UnitY()).toRotationMatrix();
  EXPECT_TRUE(ball.X_parent_F.R.isApprox(R_expected, 1e-12));
  EXPECT_TRUE(ball.X_child_M.R.isApprox(R_expected, 1e-12));
  // 3.x PathPoint <body> names the frame.
  const ForceElement& muscle = force(m, "muscle1");
  ASSERT_EQ(points(muscle).size(), 2u);
  EXPECT_EQ(m.bodies[points(muscle)[0].body].name, "thigh");
  EXPECT_EQ(m.bodies[points(muscle)[1].body].name, "shank");
  EXPECT_TRUE(muscle.applies_force);  // <isDisabled> false
}

TEST(OsimReader, ReadsVersion20200And20300Files) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  io::OsimInfo info;
  const Model dp = io::read_osim(test::opensim_file("Tests/Analyze/DoublePendulum3D.osim"), nullptr, &info);
  EXPECT_EQ(info.version, 20200);
  EXPECT_EQ(dp.joints.size(), 2u);
  const Model arm = io::read_osim(test::opensim_file("Tests/Analyze/arm26_bounds.osim"), nullptr, &info);
  EXPECT_EQ(info.version, 20300);
  EXPECT_EQ(arm.coordinates.size(), 2u);
  EXPECT_EQ(arm.markers.size(), 3u);
}

// ---------------------------------------------------------------------------------------
// Hand-written models: frames, functions, constraints, forces

TEST(OsimReader, ComposesChainedOffsetFrames) {
  // F2 sits on F1, which sits on the pelvis: X_pelvis_F2 = X_pelvis_F1 * X_F1_F2.
  const std::string joints = R"(
      <PinJoint name="hip">
        <socket_parent_frame>f2</socket_parent_frame>
        <socket_child_frame>thigh_offset</socket_child_frame>
        <frames>
          <PhysicalOffsetFrame name="f1"><socket_parent>/bodyset/pelvis</socket_parent>
            <translation>0.1 0.2 0.3</translation><orientation>0.3 -0.2 0.5</orientation></PhysicalOffsetFrame>
          <PhysicalOffsetFrame name="f2"><socket_parent>f1</socket_parent>
            <translation>-0.05 0 0.07</translation><orientation>0 0.4 0</orientation></PhysicalOffsetFrame>
          <PhysicalOffsetFrame name="thigh_offset"><socket_parent>../thigh</socket_parent>
            <translation>0 0.25 0</translation><orientation>0 0 0</orientation></PhysicalOffsetFrame>
        </frames>
      </PinJoint>)";
  const std::string markers = R"(
      <Marker name="m1"><socket_parent_frame>/jointset/hip/f1</socket_parent_frame><location>1 0 0</location></Marker>)";
  const Model m = io::read_osim_string(model_v4(joints, "", "", markers), "model.osim");
  const Transform X1{body_fixed_xyz(Vec3(0.3, -0.2, 0.5)), Vec3(0.1, 0.2, 0.3)};
  const Transform X2{body_fixed_xyz(Vec3(0, 0.4, 0)), Vec3(-0.05, 0, 0.07)};
  const Transform X = X1 * X2;
  const Joint& hip = joint(m, "hip");
  EXPECT_EQ(m.bodies[hip.parent_body].name, "pelvis");
  EXPECT_TRUE(hip.X_parent_F.R.isApprox(X.R, 1e-14));
  EXPECT_TRUE(hip.X_parent_F.p.isApprox(X.p, 1e-14));
  EXPECT_TRUE(hip.X_child_M.p.isApprox(Vec3(0, 0.25, 0)));
  // A marker on an offset frame is moved into its body's frame.
  ASSERT_EQ(m.markers.size(), 1u);
  EXPECT_EQ(m.bodies[m.markers[0].body].name, "pelvis");
  EXPECT_TRUE(m.markers[0].location_in_body.isApprox(X1.apply(Vec3(1, 0, 0)), 1e-14));
  // The inertia's products go off the diagonal: Ixy Ixz Iyz = 0.001 0.002 0.003.
  const Mat3& I = body(m, "thigh").inertia_about_com;
  EXPECT_EQ(I(0, 1), 0.001);
  EXPECT_EQ(I(1, 0), 0.001);
  EXPECT_EQ(I(0, 2), 0.002);
  EXPECT_EQ(I(1, 2), 0.003);
  EXPECT_EQ(I(2, 1), 0.003);
}

TEST(OsimReader, ReadsEveryFunctionKindThroughCouplers) {
  // Each coupler makes hip_tx = f(hip_flexion); the builder keeps the functions for checking.
  auto coupler = [](const std::string& name, const std::string& function, const std::string& scale = "1") {
    return "<CoordinateCouplerConstraint name=\"" + name + "\"><coupled_coordinates_function>" + function +
           "</coupled_coordinates_function><independent_coordinate_names>hip_flexion</independent_coordinate_names>"
           "<dependent_coordinate_name>hip_tx</dependent_coordinate_name><scale_factor>" + scale +
           "</scale_factor></CoordinateCouplerConstraint>";
  };
  struct Case {
    std::string xml;
    FunctionKind kind;
    double x, expected;
  };
  const std::vector<Case> cases = {
      {"<Constant><value>0.25</value></Constant>", FunctionKind::Constant, 3.0, 0.25},
      {"<LinearFunction><coefficients>2 1</coefficients></LinearFunction>", FunctionKind::Linear, 0.5, 2.0},
      {"<PiecewiseLinearFunction><x>0 1 2</x><y>0 2 0</y></PiecewiseLinearFunction>", FunctionKind::PiecewiseLinear,
       1.5, 1.0},
      {"<PiecewiseConstantFunction><x>0 1 2</x><y>5 6 7</y></PiecewiseConstantFunction>",
       FunctionKind::PiecewiseConstant, 1.0, 6.0},
      {"<SimmSpline><x>0 1 2 3</x><y>0 1 4 9</y></SimmSpline>", FunctionKind::SimmSpline, 2.0, 4.0},
      {"<NaturalCubicSpline><x>0 1 2 3</x><y>0 1 4 9</y></NaturalCubicSpline>", FunctionKind::NaturalCubicSpline, 1.0,
       1.0},
      {"<PolynomialFunction><coefficients>1 0 -2</coefficients></PolynomialFunction>", FunctionKind::Polynomial, 3.0,
       7.0},
      {"<MultiplierFunction><function><LinearFunction><coefficients>1 0</coefficients></LinearFunction></function>"
       "<scale>3</scale></MultiplierFunction>",
       FunctionKind::Multiplier, 2.0, 6.0},
      {"<Sine><amplitude>2</amplitude><omega>1</omega><phase>0</phase><offset>1</offset></Sine>", FunctionKind::Sine,
       std::numbers::pi / 2, 3.0},
      {"<StepFunction><transition_start_time>0</transition_start_time><transition_end_time>1</transition_end_time>"
       "<start_value>0</start_value><end_value>4</end_value></StepFunction>",
       FunctionKind::Step, 2.0, 4.0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.xml);
    const Model m = io::read_osim_string(model_v4(kHip, coupler("c", c.xml)), "model.osim");
    ASSERT_EQ(m.couplers.size(), 1u);
    const Function& f = m.functions[m.couplers[0].function];
    EXPECT_EQ(f.kind(), c.kind);
    EXPECT_NEAR(f.value(c.x), c.expected, 1e-12);
  }
  // scale_factor multiplies the function (CoordinateCouplerConstraint.cpp CompoundFunction).
  const Model m = io::read_osim_string(
      model_v4(kHip, coupler("c", "<LinearFunction><coefficients>2 1</coefficients></LinearFunction>", "0.5")),
      "model.osim");
  EXPECT_NEAR(m.functions[m.couplers[0].function].value(0.5), 1.0, 1e-15);
}

// Found by osim_fuzz: a NaN scale_factor escaped as std::invalid_argument from the function
// factory, outside the ParseError every reader error is.
TEST(OsimReader, ANonFiniteCouplerScaleFactorIsAnErrorAtItsLine) {
  for (const std::string v : {"NaN", "Inf", "-inf"}) {
    SCOPED_TRACE(v);
    const std::string c = "<CoordinateCouplerConstraint name=\"c\"><coupled_coordinates_function>"
                          "<Constant><value>0</value></Constant></coupled_coordinates_function>"
                          "<independent_coordinate_names>hip_flexion</independent_coordinate_names>"
                          "<dependent_coordinate_name>hip_tx</dependent_coordinate_name>\n<scale_factor>" +
                          v + "</scale_factor></CoordinateCouplerConstraint>";
    const std::string text = model_v4(kHip, c);
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + text.find("<scale_factor>"), '\n'));
    try {
      io::read_osim_string(text, "model.osim");
      ADD_FAILURE() << "no error";
    } catch (const io::ParseError& e) {
      EXPECT_EQ(std::string(e.what()), "model.osim:" + std::to_string(line) +
                                           ": CoordinateCouplerConstraint 'c': scale_factor is not a finite number");
    }
  }
}

TEST(OsimReader, SkipsDisabledConstraintsWithAWarning) {
  const std::string c = R"(<CoordinateCouplerConstraint name="off"><isEnforced>false</isEnforced>
      <coupled_coordinates_function><Constant><value>0</value></Constant></coupled_coordinates_function>
      <independent_coordinate_names>hip_flexion</independent_coordinate_names>
      <dependent_coordinate_name>hip_tx</dependent_coordinate_name></CoordinateCouplerConstraint>)";
  std::vector<std::string> warnings;
  const Model m = io::read_osim_string(model_v4(kHip, c), "model.osim", &warnings);
  EXPECT_TRUE(m.couplers.empty());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "model.osim:31: CoordinateCouplerConstraint 'off' is disabled, skipped");
}

TEST(OsimReader, KeepsUnknownForcesAsElementsWithAWarning) {
  const std::string f = R"(<BushingForce name="bush"><appliesForce>false</appliesForce><stiffness>10</stiffness></BushingForce>)";
  std::vector<std::string> warnings;
  const Model m = io::read_osim_string(model_v4(kHip, "", f), "model.osim", &warnings);
  ASSERT_EQ(m.forces.size(), 1u);
  EXPECT_EQ(m.forces[0].type, "BushingForce");
  EXPECT_FALSE(m.forces[0].applies_force);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(m.forces[0].part));
  EXPECT_NE(m.forces[0].xml.find("<stiffness>10</stiffness>"), std::string::npos) << m.forces[0].xml;
  EXPECT_EQ(m.forces[0].line, 32);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "model.osim:32: BushingForce 'bush' is not supported, ignored (listed only)");
}

TEST(OsimReader, ReadsCustomJointAxesAndCoordinates) {
  const Model m = io::read_osim_string(model_v4(kHip), "model.osim");
  const Joint& hip = joint(m, "hip");
  EXPECT_EQ(hip.type, JointType::Custom);
  EXPECT_EQ(hip.nq, 2);
  EXPECT_TRUE(hip.axes[0].axis.isApprox(Vec3::UnitZ()));
  EXPECT_EQ(m.coordinates[hip.axes[0].coordinate].name, "hip_flexion");
  EXPECT_EQ(m.coordinates[hip.axes[3].coordinate].name, "hip_tx");
  EXPECT_EQ(coordinate(m, "hip_flexion").default_value, 0.1);
  EXPECT_EQ(coordinate(m, "hip_tx").motion_type, MotionType::Translational);
  EXPECT_NEAR(m.gravity.y(), -9.81, 0.0);
}

// ---------------------------------------------------------------------------------------
// Broken input: each gives the place and the cause.

TEST(OsimReaderErrors, TruncatedFileNamesTheLineWhereParsingStopped) {
  const auto f = bad_file("osim_truncated.osim");
  EXPECT_EQ(error_of(f), f.string() + ":24: malformed XML: Start-end tags mismatch");
}

TEST(OsimReaderErrors, OffsetFrameOnAMissingBody) {
  const auto f = bad_file("osim_missing_parent_body.osim");
  EXPECT_EQ(error_of(f),
            f.string() + ":23: PhysicalOffsetFrame 'pelvis_offset': socket_parent '/bodyset/pelvis' names no body or frame");
}

TEST(OsimReaderErrors, JointWithMissingParentBodyIn3xLayout) {
  const auto f = bad_file("osim_missing_parent_body_v3.osim");
  EXPECT_EQ(error_of(f), f.string() + ":18: joint 'hip': parent_body 'pelvis' is not a body of the model");
}

TEST(OsimReaderErrors, NonNumericMass) {
  const auto f = bad_file("osim_mass_not_a_number.osim");
  EXPECT_EQ(error_of(f), f.string() + ":8: <mass> of 'thigh': expected a number, found '8 kg'");
}

TEST(OsimReaderErrors, UnknownJointType) {
  const auto f = bad_file("osim_unknown_joint_type.osim");
  EXPECT_EQ(error_of(f), f.string() + ":16: unknown joint type 'HingeJoint' (joint 'hip')");
}

TEST(OsimReaderErrors, EllipsoidJointIsNotSupported) {
  const auto f = bad_file("osim_ellipsoid_joint.osim");
  EXPECT_EQ(error_of(f), f.string() + ":16: EllipsoidJoint 'hip' is not supported by femur");
}

TEST(OsimReaderErrors, CyclicJoints) {
  const auto f = bad_file("osim_cyclic_joints.osim");
  EXPECT_EQ(error_of(f),
            f.string() + ":19: joint 'a_joint': bodies form a loop (A -> B -> A) that never reaches the ground");
}

TEST(OsimReaderErrors, Vec3WithTwoNumbers) {
  const auto f = bad_file("osim_vec3_two_numbers.osim");
  EXPECT_EQ(error_of(f), f.string() + ":9: <mass_center> of 'thigh': expected 3 numbers, found 2 ('0 -0.2')");
}

TEST(OsimReaderErrors, MissingFile) {
  const auto f = bad_file("no_such_model.osim");
  EXPECT_EQ(error_of(f), f.string() + ": cannot open file");
}

TEST(OsimReaderErrors, TransformAxisWithTwoCoordinates) {
  std::string hip = kHip;
  hip.replace(hip.find("<coordinates>hip_flexion</coordinates>"), 38, "<coordinates>hip_flexion hip_tx</coordinates>");
  EXPECT_EQ(error_of_text(model_v4(hip)),
            "model.osim:24: CustomJoint 'hip': rotation1 depends on 2 coordinates; femur supports one per axis "
            "(not supported)");
}

TEST(OsimReaderErrors, UnknownFunctionKind) {
  std::string hip = kHip;
  const std::string linear = "<LinearFunction name=\"function\"><coefficients>1 0</coefficients></LinearFunction>";
  hip.replace(hip.find(linear), linear.size(), "<MagicFunction name=\"function\"/>");
  EXPECT_EQ(error_of_text(model_v4(hip)), "model.osim:25: unknown function type 'MagicFunction'");
}

TEST(OsimReaderErrors, CoordinateDefinedTwice) {
  std::string hip = kHip;
  hip.replace(hip.find("<Coordinate name=\"hip_tx\">"), 26, "<Coordinate name=\"hip_flexion\">");
  EXPECT_EQ(error_of_text(model_v4(hip)),
            "model.osim:21: coordinate 'hip_flexion' is defined twice (first at line 20)");
}

TEST(OsimReaderErrors, ReverseJointIsRejected) {
  std::string text = R"(<?xml version="1.0"?>
<OpenSimDocument Version="30000"><Model name="r"><BodySet><objects>
<Body name="ground"><Joint/></Body>
<Body name="b"><mass>1</mass><Joint><PinJoint name="j"><parent_body>ground</parent_body>
<reverse>true</reverse></PinJoint></Joint></Body>
</objects></BodySet></Model></OpenSimDocument>
)";
  EXPECT_EQ(error_of_text(text), "model.osim:5: joint 'j': reverse=true is not supported");
}

TEST(OsimReaderErrors, PathWrapOnAnUnknownWrapObject) {
  const std::string f = R"(<Thelen2003Muscle name="mus"><GeometryPath><PathPointSet><objects>
      <PathPoint name="a"><socket_parent_frame>/bodyset/pelvis</socket_parent_frame><location>0 0 0</location></PathPoint>
      <PathPoint name="b"><socket_parent_frame>/bodyset/thigh</socket_parent_frame><location>0 0 0</location></PathPoint>
      </objects></PathPointSet><PathWrapSet><objects><PathWrap><wrap_object>nowhere</wrap_object></PathWrap></objects>
      </PathWrapSet></GeometryPath></Thelen2003Muscle>)";
  EXPECT_EQ(error_of_text(model_v4(kHip, "", f)),
            "model.osim:35: Thelen2003Muscle 'mus': wrap object 'nowhere' does not exist");
}

TEST(OsimReaderErrors, ConditionalPathPointOnAnUnknownCoordinate) {
  const std::string f = R"(<Thelen2003Muscle name="mus"><GeometryPath><PathPointSet><objects>
      <PathPoint name="a"><socket_parent_frame>/bodyset/pelvis</socket_parent_frame></PathPoint>
      <ConditionalPathPoint name="b"><socket_parent_frame>/bodyset/thigh</socket_parent_frame>
        <socket_coordinate>/jointset/hip/knee_angle</socket_coordinate><range>-1 1</range></ConditionalPathPoint>
      </objects></PathPointSet></GeometryPath></Thelen2003Muscle>)";
  EXPECT_EQ(error_of_text(model_v4(kHip, "", f)),
            "model.osim:35: ConditionalPathPoint 'b' of 'mus': 'knee_angle' is not a coordinate of the model");
}

TEST(OsimReaderErrors, CouplerOnAnUnknownCoordinate) {
  const std::string c = R"(<CoordinateCouplerConstraint name="cc">
      <coupled_coordinates_function><Constant><value>0</value></Constant></coupled_coordinates_function>
      <independent_coordinate_names>hip_flexion</independent_coordinate_names>
      <dependent_coordinate_name>knee_angle</dependent_coordinate_name></CoordinateCouplerConstraint>)";
  EXPECT_EQ(error_of_text(model_v4(kHip, c)),
            "model.osim:34: CoordinateCouplerConstraint 'cc': 'knee_angle' is not a coordinate of the model");
}

}  // namespace
}  // namespace femur
