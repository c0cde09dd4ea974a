// What femur view reads: motions of every kind (IK coordinates in degrees, OpenSim 3 and 4
// states, Moco solutions) mapped to the model's coordinates, frames selected, muscle colours,
// joint reactions and external loads bound to the model, missing meshes turned into warnings,
// and each bad input named with its file.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numbers>

#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/table.hpp"
#include "femur/web/view_data.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace {
namespace fs = std::filesystem;
using femur::Model;
using femur::web::load_view;
using femur::web::ViewData;
using femur::web::ViewFiles;

fs::path bad(const char* name) { return femur::test::source_dir() / "tests" / "data" / "bad" / name; }
fs::path hip_model_file() { return femur::test::source_dir() / "models" / "femur_hip.osim"; }

// The shipped hip model, read once, and view inputs naming it.
const Model& hip_model() {
  static const Model m = femur::io::read_osim(hip_model_file());
  return m;
}
ViewFiles files_for(const fs::path& model_file) {
  ViewFiles files;
  files.model = model_file;
  return files;
}
ViewFiles hip_files() { return files_for(hip_model_file()); }

// A model of ../shared/opensim, read, and view inputs naming it.
struct ModelAndFiles {
  Model model;
  ViewFiles files;
};
ModelAndFiles opensim_view(const std::string& model_path) {
  const fs::path model_file = femur::test::opensim_file(model_path);
  return {femur::io::read_osim(model_file), files_for(model_file)};
}

std::string error_of(const Model& model, const ViewFiles& files) {
  try {
    load_view(model, files);
  } catch (const femur::io::ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

bool any_warning_contains(const ViewData& v, const std::string& text) {
  for (const auto& w : v.warnings)
    if (w.find(text) != std::string::npos) return true;
  return false;
}

// ---- Bad input: each file names what is wrong.

TEST(ViewBadInput, MotionWithUnknownColumnsNamesThem) {
  const Model& model = hip_model();
  ViewFiles files = hip_files();
  files.motion = bad("view_motion_unknown_columns.mot");
  EXPECT_EQ(error_of(model, files),
            files.motion.string() +
                ": 2 column(s) name nothing in model 'femur_hip': knee_angel_r, hip_flex (expected coordinate names, "
                "or OpenSim state, control or multiplier names)");
}

TEST(ViewBadInput, ActivationsThatNameNoMuscle) {
  const Model& model = hip_model();
  ViewFiles files = hip_files();
  files.activations = bad("view_activations_no_muscle.sto");
  EXPECT_EQ(error_of(model, files),
            files.activations.string() + ": no column names a muscle of model 'femur_hip' (columns: FX, FY)");
}

TEST(ViewBadInput, JointReactionOfNoModelJoint) {
  const Model& model = hip_model();
  ViewFiles files = hip_files();
  files.joint_reaction = bad("view_joint_reaction_no_joint.sto");
  EXPECT_EQ(error_of(model, files),
            files.joint_reaction.string() +
                ": no column gives the reaction of a joint of model 'femur_hip' (expected "
                "<joint>_on_<body>_in_<frame>_fx, fy, fz as OpenSim's JointReaction writes)");
}

TEST(ViewBadInput, TimeRangeWithoutRows) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  auto [model, files] = opensim_view("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim");
  files.motion = femur::test::opensim_file("Pipelines/Gait2392_Simbody/subject01_walk1_ik.mot");
  files.frames.start = 7.0;
  EXPECT_EQ(error_of(model, files), files.motion.string() + ": no row between 7 and inf s (the motion spans 0.5 to 4 s)");
}

TEST(ViewBadInput, MissingMeshIsAPlaceholderAndAWarning) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = femur::test::temp_dir("view-missing-mesh");
  std::string text = femur::test::read_text(femur::test::opensim_file("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim"));
  const auto at = text.find("<mesh_file>femur_r.vtp</mesh_file>");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 34, "<mesh_file>no_such_femur.vtp</mesh_file>");
  femur::test::write_text(dir / "gait2392.osim", text);
  const Model model = femur::io::read_osim(dir / "gait2392.osim");
  ViewFiles files = files_for(dir / "gait2392.osim");
  files.geometry_dirs = {femur::test::opensim_file("Geometry")};
  const ViewData v = load_view(model, files);
  ASSERT_EQ(v.geometry.size(), 19u);
  int missing = 0;
  for (const auto& g : v.geometry) missing += g.mesh < 0;
  EXPECT_EQ(missing, 1);
  EXPECT_TRUE(any_warning_contains(v, "mesh 'no_such_femur.vtp' (body 'femur_r') not found; looked in: "));
}

// Geometry borrowed from a model none of whose bodies this model has: an error naming it.
TEST(ViewBadInput, GeometryFromAModelWithOtherBodies) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  ViewFiles files = hip_files();
  files.geometry_model = femur::test::opensim_file("Models/Arm26/arm26.osim");
  EXPECT_EQ(error_of(hip_model(), files),
            files.geometry_model.string() + ": no display geometry on a body of model 'femur_hip'");
}

// femur's hip model has gait2392's body frames and no meshes: gait2392's meshes, matched by
// body name, are drawn on it, each on the body of the same name; the legs' bones would not
// fit if a mesh landed on another body.
TEST(ViewGeometry, HipModelWithGait2392Meshes) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  ViewFiles files = hip_files();
  files.geometry_model = femur::test::opensim_file("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim");
  const ViewData v = load_view(hip_model(), files);
  ASSERT_EQ(v.geometry.size(), 19u);  // gait2392's visible meshes, on its 12 bodies and none on ground
  for (const auto& g : v.geometry) {
    EXPECT_GE(g.mesh, 0) << g.geometry.mesh_file;
    EXPECT_GE(hip_model().body_index(g.geometry.body), 0) << g.geometry.body;
  }
  const auto on = [&](const std::string& file) {
    for (const auto& g : v.geometry)
      if (g.geometry.mesh_file == file) return g.geometry.body;
    return std::string("(none)");
  };
  EXPECT_EQ(on("femur_r.vtp"), "femur_r");
  EXPECT_EQ(on("femur_l.vtp"), "femur_l");
  EXPECT_EQ(on("hat_skull.vtp"), "torso");
  EXPECT_TRUE(v.warnings.empty()) << v.warnings[0];
  EXPECT_NE(v.subtitle.find("geometry of gait2392_thelen2003muscle.osim"), std::string::npos) << v.subtitle;
}

// ---- Motions of every kind.

TEST(ViewMotion, IkCoordinatesInDegreesBecomeRadians) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  auto [model, files] = opensim_view("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim");
  files.motion = femur::test::opensim_file("Pipelines/Gait2392_Simbody/subject01_walk1_ik.mot");
  const ViewData v = load_view(model, files);
  const femur::io::Table t = femur::io::read_sto(files.motion);
  ASSERT_EQ(v.time.size(), t.rows());  // 60 Hz: every row kept
  const int hip = model.coordinate_index("hip_flexion_r"), tx = model.coordinate_index("pelvis_tx");
  EXPECT_DOUBLE_EQ(v.q(10, hip), t.data(10, t.column("hip_flexion_r")) * std::numbers::pi / 180.0);
  EXPECT_DOUBLE_EQ(v.q(10, tx), t.data(10, t.column("pelvis_tx")));  // metres stay metres
  EXPECT_EQ(v.colour_value.size(), 0);
}

TEST(ViewMotion, FramesAreThinnedToTheMaximumRateWithinTheTimeRange) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const std::string dir = "Tutorials/Estimating_Joint_Reaction_Loads/";
  auto [model, files] = opensim_view(dir + "subject01_simbody_adjusted_StaticOp.osim");
  files.motion = femur::test::opensim_file(dir + "subject01_walk1_Kinematics.sto");  // 1 kHz, 0.5 to 1.999 s
  ViewData v = load_view(model, files);
  ASSERT_EQ(v.time.size(), 150);
  for (int i = 1; i < v.time.size(); ++i) EXPECT_NEAR(v.time[i] - v.time[i - 1], 0.01, 1e-9);
  files.frames = {50.0, 1.0, 1.5};
  v = load_view(model, files);
  EXPECT_EQ(v.time.size(), 26);
  EXPECT_DOUBLE_EQ(v.time[0], 1.0);
  EXPECT_NEAR(v.time[25], 1.5, 1e-9);
}

TEST(ViewMotion, OpenSim3StatesGiveCoordinatesAndActivations) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  // CMC states of gait2354 (bare coordinate names, <coordinate>_u, <muscle>.activation).
  auto [model, files] = opensim_view("Pipelines/Gait2354_Simbody/OutputReference/subject01_simbody_adjusted.osim");
  files.motion = femur::test::opensim_file("Pipelines/Gait2354_Simbody/OutputReference/ResultsCMC/subject01_walk1_states.sto");
  const ViewData v = load_view(model, files);
  const femur::io::Table t = femur::io::read_sto(files.motion);
  ASSERT_GT(v.time.size(), 10);
  ASSERT_EQ(v.colour_value.cols(), 54);
  const int c = t.column("glut_med1_r.activation");
  ASSERT_GE(c, 0);
  EXPECT_FLOAT_EQ(v.colour_value(0, 0), static_cast<float>(t.data(0, c)));  // glut_med1_r is the first path
  EXPECT_NE(v.colour_label.find("activation"), std::string::npos);
}

TEST(ViewMotion, MocoSolutionGivesCoordinatesAndActivations) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  auto [model, files] = opensim_view("Moco/MocoInverse/subject_walk_armless_18musc.osim");
  files.motion = femur::test::opensim_file("Moco/MocoInverse/std_testMocoInverse_subject_18musc_solution.sto");
  const ViewData v = load_view(model, files);
  const femur::io::Table t = femur::io::read_sto(files.motion);
  const int knee = model.coordinate_index("knee_angle_r");
  const int col = t.column("/jointset/walker_knee_r/knee_angle_r/value");
  ASSERT_GE(col, 0);
  EXPECT_DOUBLE_EQ(v.q(3, knee), t.data(3, col));  // radians (inDegrees=no)
  ASSERT_GT(v.colour_value.size(), 0);
}

// A solution with implicit multibody dynamics (Moco's and femur track's) also has each
// coordinate's acceleration, /jointset/<joint>/<coordinate>/accel: a known column, not a pose;
// and Moco's parameters, its last num_parameters columns.
TEST(ViewMotion, ImplicitDynamicsSolutionWithAccelerations) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  auto [model, files] = opensim_view("Moco/example2DWalking/2D_gait.osim");
  femur::io::Table t;
  t.labels = {"/jointset/hip_r/hip_flexion_r/value", "/jointset/hip_r/hip_flexion_r/speed",
              "/jointset/hip_r/hip_flexion_r/accel", "/forceset/soleus_r/activation"};
  t.time = Eigen::Vector2d(0.0, 0.1);
  t.data.resize(2, 4);
  t.data << 0.1, 1.0, 50.0, 0.2, 0.3, 2.0, -40.0, 0.4;
  ViewData v;
  femur::web::motion_frames(model, t, "track_solution.sto", {}, v);
  const int hip = model.coordinate_index("hip_flexion_r");
  ASSERT_EQ(v.q.rows(), 2);
  EXPECT_DOUBLE_EQ(v.q(0, hip), 0.1);
  EXPECT_DOUBLE_EQ(v.q(1, hip), 0.3);
  // Moco writes its parameters last (num_parameters in the header), named as the problem
  // names them: they are not an error.
  femur::io::Table with_parameter = t;
  with_parameter.labels.push_back("foot_stiffness");
  with_parameter.data.conservativeResize(2, 5);
  with_parameter.data.col(4) << 1e6, std::nan("");
  with_parameter.metadata = {{"num_states", "3"}, {"num_parameters", "1"}};
  ViewData vp;
  femur::web::motion_frames(model, with_parameter, "predict_solution.sto", {}, vp);
  EXPECT_DOUBLE_EQ(vp.q(1, hip), 0.3);
  with_parameter.metadata.erase("num_parameters");
  EXPECT_THROW(femur::web::motion_frames(model, with_parameter, "predict_solution.sto", {}, vp), femur::io::ParseError);
  t.labels[2] = "/jointset/hip_r/hip_flexion_r/jerk";
  try {
    femur::web::motion_frames(model, t, "track_solution.sto", {}, v);
    ADD_FAILURE() << "a /jerk column was accepted";
  } catch (const femur::io::ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("1 column(s) name nothing in model '2D_gait': /jointset/hip_r/hip_flexion_r/jerk"),
              std::string::npos)
        << e.what();
  }
}

TEST(ViewMotion, ForwardStatesOfArm26) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  auto [model, files] = opensim_view("Models/Arm26/arm26.osim");
  files.motion = femur::test::opensim_file(
      "Tutorials/Computed_Muscle_Control/OutputReference/ForwardDynamics/PhysiologicalResults/arm26_states.sto");
  const ViewData v = load_view(model, files);
  EXPECT_GT(v.time.size(), 10);
  EXPECT_EQ(v.colour_value.cols(), 6);
  EXPECT_TRUE(v.warnings.empty()) << v.warnings[0];
}

// ---- Forces and markers.

TEST(ViewForces, HipReactionIsTheFemursPushOnThePelvisWithTheFilesMagnitude) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const std::string dir = "Tutorials/Estimating_Joint_Reaction_Loads/";
  auto [model, files] = opensim_view(dir + "subject01_simbody_adjusted_StaticOp.osim");
  files.motion = femur::test::opensim_file(dir + "subject01_walk1_Kinematics.sto");
  files.joint_reaction = femur::test::opensim_file(dir + "OutputReference/ResultsStaticOptimization/subject01_JointReaction_ReactionLoads.sto");
  files.external_loads = femur::test::opensim_file(dir + "foot_floor_loads.xml");
  const ViewData v = load_view(model, files);
  ASSERT_EQ(v.joint_reactions.size(), 1u);  // hip_r; ground_pelvis acts on the ground
  const auto& r = v.joint_reactions[0];
  EXPECT_EQ(model.joints[r.joint].name, "hip_r");
  EXPECT_EQ(r.source, "hip_r_on_pelvis_in_femur_r");  // the file's force on the parent is used
  EXPECT_EQ(model.bodies[r.in_body].name, "femur_r");
  EXPECT_TRUE(any_warning_contains(v, "'ground_pelvis' acts on the ground"));
  // The file's force on the femur has the same magnitude (action and reaction at the joint).
  const femur::io::Table t = femur::io::read_sto(files.joint_reaction);
  for (int row : {10, 50, 100}) {
    const double time = t.time[row];
    int frame = 0;
    while (frame + 1 < v.time.size() && v.time[frame] < time - 1e-9) ++frame;
    ASSERT_NEAR(v.time[frame], time, 1e-9);
    const Eigen::Vector3d on_femur(t.data(row, t.column("hip_r_on_femur_r_in_femur_r_fx")),
                                   t.data(row, t.column("hip_r_on_femur_r_in_femur_r_fy")),
                                   t.data(row, t.column("hip_r_on_femur_r_in_femur_r_fz")));
    EXPECT_NEAR(r.force.row(frame).norm(), on_femur.norm(), 1e-6 * on_femur.norm());
  }
  ASSERT_EQ(v.external_forces.size(), 2u);
  EXPECT_EQ(model.bodies[v.external_forces[0].applied_to_body].name, "calcn_r");
  EXPECT_EQ(v.external_forces[0].force_in_body, 0);
}

TEST(ViewForces, ActivationColumnsThatAreNotMusclesAreListed) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const std::string dir = "Tutorials/Estimating_Joint_Reaction_Loads/";
  auto [model, files] = opensim_view(dir + "subject01_simbody_adjusted_StaticOp.osim");
  files.motion = femur::test::opensim_file(dir + "subject01_walk1_Kinematics.sto");
  files.forces = femur::test::opensim_file(dir + "OutputReference/ResultsStaticOptimization/subject01_StaticOptimization_force.sto");
  const ViewData v = load_view(model, files);
  // The reserves and the applied loads SO reports beside the muscles.
  EXPECT_TRUE(any_warning_contains(v, "24 column(s) are not muscles of the model, not shown: FX, FY, FZ, MX, MY, MZ, "
                                      "calcn_r_right_foot_Fx,"));
  ASSERT_EQ(v.colour_value.cols(), 92);
  EXPECT_NE(v.colour_label.find("force / max isometric force"), std::string::npos);
  // Force / F_max of glut_med1_r at the first frame, from the file and the model.
  const femur::io::Table t = femur::io::read_sto(files.forces);
  const double f = t.data(0, t.column("glut_med1_r"));
  EXPECT_NEAR(v.colour_value(0, 0), f / 819.0, 1e-6);  // max_isometric_force 819 N in this model
}

TEST(ViewMarkers, TrcIsReadInMetresAtTheFrames) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  auto [model, files] = opensim_view("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim");
  files.motion = femur::test::opensim_file("Pipelines/Gait2392_Simbody/subject01_walk1_ik.mot");
  files.markers = femur::test::opensim_file("Pipelines/Gait2392_Simbody/subject01_walk1.trc");
  const ViewData v = load_view(model, files);
  femur::io::MarkerTable m = femur::io::read_trc(files.markers);
  m.convert_to_metres();
  ASSERT_EQ(v.marker_names, m.markers);
  // The motion starts at 0.5 s; the TRC has a row there.
  int row = 0;
  while (m.time[row] < v.time[0] - 1e-9) ++row;
  ASSERT_NEAR(m.time[row], v.time[0], 1e-9);
  EXPECT_NEAR(v.marker_positions(0, 1), m.data(row, 1), 1e-12);
  EXPECT_LT(std::abs(v.marker_positions(0, 1)), 3.0);  // metres, not millimetres
}

}  // namespace
