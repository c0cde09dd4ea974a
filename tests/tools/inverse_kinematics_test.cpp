// Inverse kinematics: the shipped OpenSim IK setups run by `femur run` against OpenSim's own
// outputs (coordinates and marker errors), femur's optimum against OpenSim's on OpenSim's
// own objective, exact recovery of poses from synthetic markers (with missing markers,
// couplers, clamped and locked coordinates), threads, and bad setups through the library and
// the CLI (message with file and line, exit code, no output file).
#include "femur/tools/inverse_kinematics.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/setup.hpp"
#include "femur/kinematics/couplers.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/model/data.hpp"
#include "femur/tools/run_setup.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur::tools {
namespace {

using femur::test::CliRun;
using femur::test::run_cli;

namespace fs = std::filesystem;
constexpr double kRadToDeg = 180.0 / std::numbers::pi;

// ---------------------------------------------------------------------------------------
// Fixtures: stage a setup with its model and markers in a temporary folder and run it.

struct IkCase {
  std::string tag;
  std::vector<std::pair<std::string, std::string>> files;  // (shared-data file, staged name)
  std::string setup;                                       // staged setup name
  std::string motion;                                      // staged output motion name
  std::string errors;                                      // staged marker-errors name
};

// The Gait2354 and Gait2392 pipelines stage the same files under the same names.
IkCase subject01_pipeline(const std::string& tag, const std::string& folder) {
  const std::string p = "Pipelines/" + folder + "/";
  return {tag,
          {{p + "subject01_Setup_IK.xml", "subject01_Setup_IK.xml"},
           {p + "subject01_walk1.trc", "subject01_walk1.trc"},
           {p + "OutputReference/subject01_simbody.osim", "subject01_simbody.osim"}},
          "subject01_Setup_IK.xml",
          "subject01_walk1_ik.mot",
          "subject01_ik_marker_errors.sto"};
}

IkCase gait2354() { return subject01_pipeline("ik-2354", "Gait2354_Simbody"); }
IkCase gait2392() { return subject01_pipeline("ik-2392", "Gait2392_Simbody"); }

IkCase gait10dof() {
  const std::string p = "Pipelines/Gait10dof18musc/";
  return {"ik-10dof",
          {{p + "IK/walk_Setup_IK.xml", "IK/walk_Setup_IK.xml"},
           {p + "ExperimentalData/subject01_walk.trc", "ExperimentalData/subject01_walk.trc"},
           {p + "OutputReference/subject01.osim", "subject01.osim"}},
          "IK/walk_Setup_IK.xml",
          "IK/subject01_walk_IK.mot",
          "IK/_ik_marker_errors.sto"};  // the setup's tool has no name
}

IkCase arm26() {
  // README "Which reference to use": reproduced with InverseKinematics/arm26.osim.
  const std::string p = "Tutorials/Computed_Muscle_Control/";
  return {"ik-arm26",
          {{p + "OutputReference/InverseKinematics/arm26_Setup_InverseKinematics.xml",
            "arm26_Setup_InverseKinematics.xml"},
           {p + "InverseKinematics/arm26_elbow_flex.trc", "arm26_elbow_flex.trc"},
           {p + "InverseKinematics/arm26.osim", "arm26.osim"}},
          "arm26_Setup_InverseKinematics.xml",
          "arm26_InverseKinematics.mot",
          "arm26_ik_marker_errors.sto"};
}

fs::path stage(const IkCase& c) {
  const fs::path dir = test::temp_dir(c.tag);
  for (const auto& [from, to] : c.files) {
    fs::create_directories((dir / to).parent_path());
    fs::copy_file(test::opensim_file(from), dir / to);
  }
  return dir;
}

struct IkRun {
  fs::path dir;
  RunReport report;
  io::Table motion, errors;
  Model model;
};

IkRun run_case(const IkCase& c, int threads = 1) {
  IkRun run;
  run.dir = stage(c);
  RunOptions options;
  options.quiet = true;
  options.threads = threads;
  run.report = run_setup(io::read_setup(run.dir / c.setup), options);
  run.motion = io::read_sto(run.dir / c.motion);
  run.errors = io::read_sto(run.dir / c.errors);
  run.model = io::read_osim(run.dir / c.files[2].second);
  return run;
}

// Every coordinate column of the reference (degrees or metres) against femur's: rotational
// RMS and max in degrees, translations max in metres. Prints the table.
// Times agree to the references' 8 decimals, except that older OpenSim versions wrote the
// nominal 1/60 s sample times (0.41666667) where the TRC says 0.417: time_tol covers that.
void expect_motion_matches(const Model& model, const io::Table& result, const io::Table& reference,
                           double rms_deg, double max_deg, double max_m, const std::string& what,
                           double time_tol = 6e-9) {
  ASSERT_EQ(result.rows(), reference.rows()) << what;
  for (int i = 0; i < result.rows(); ++i) ASSERT_NEAR(result.time[i], reference.time[i], time_tol) << what;
  ASSERT_TRUE(result.in_degrees);
  double worst_rms = 0.0, worst_max = 0.0, worst_m = 0.0;
  for (const Coordinate& c : model.coordinates) {
    const int a = result.column(c.name), b = reference.column(c.name);
    ASSERT_GE(a, 0) << what << ": femur wrote no column " << c.name;
    ASSERT_GE(b, 0) << what << ": reference has no column " << c.name;
    const Eigen::VectorXd d = result.data.col(a) - reference.data.col(b);
    const double rms = std::sqrt(d.squaredNorm() / static_cast<double>(d.size()));
    const double max = d.lpNorm<Eigen::Infinity>();
    if (c.motion_type != MotionType::Rotational) {  // written in metres (Coupled: as is)
      EXPECT_LE(max, max_m) << what << ": " << c.name;
      worst_m = std::max(worst_m, max);
    } else {
      EXPECT_LE(rms, rms_deg) << what << ": " << c.name;
      EXPECT_LE(max, max_deg) << what << ": " << c.name;
      worst_rms = std::max(worst_rms, rms);
      worst_max = std::max(worst_max, max);
    }
  }
  std::printf("%s: worst rotational RMS %.4f deg, max %.4f deg; translations max %.2e m\n", what.c_str(), worst_rms,
              worst_max, worst_m);
}

// femur's marker errors "no worse" than OpenSim's: same frames, per-frame RMS within 0.1 mm
// (the solutions differ by hundredths of a degree) and a mean RMS at most 1 um above
// OpenSim's. Not strictly below: IK minimizes the *weighted* errors (ReachesALowerObjective...
// checks that one strictly); the unweighted RMS may move either way by fractions of a um.
void expect_marker_errors_no_worse(const io::Table& result, const io::Table& reference, const std::string& what) {
  ASSERT_EQ(result.labels, reference.labels) << what;
  ASSERT_EQ(result.rows(), reference.rows()) << what;
  const int rms = result.column("marker_error_RMS");
  ASSERT_GE(rms, 0);
  const Eigen::VectorXd d = result.data.col(rms) - reference.data.col(rms);
  EXPECT_LE(d.maxCoeff(), 1e-4) << what;
  EXPECT_LE(result.data.col(rms).mean(), reference.data.col(rms).mean() + 1e-6) << what;
  std::printf("%s: marker RMS femur %.6f m, OpenSim %.6f m (mean over frames); largest per-frame excess %.2e m\n",
              what.c_str(), result.data.col(rms).mean(), reference.data.col(rms).mean(), d.maxCoeff());
}

// ---------------------------------------------------------------------------------------
// 1. The shipped setups against OpenSim. Asserted within 10x the measured worst
//    (docs/validation.md): rotations 0.036 deg RMS and 0.14 deg max (asserted 0.1 and 0.5),
//    translations 4.9e-5 m (asserted 4e-4); arm26 0.0012 and 0.0045 deg (asserted 0.01 and
//    0.02). OpenSim 4.6 reproduces the older references to about 0.05 deg RMS.

TEST(InverseKinematics, Gait2354WalkMatchesOpenSim) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const IkRun run = run_case(gait2354());
  EXPECT_EQ(run.report.frames, 73);  // time_range 0.4-1.6 s at 60 Hz
  EXPECT_EQ(run.report.files_written.size(), 2u);
  expect_motion_matches(run.model, run.motion,
                        io::read_sto(test::opensim_file("Generated/Gait2354_Simbody/subject01_walk1_ik.mot")), 0.1,
                        0.5, 4e-4, "gait2354 vs OpenSim 4.6");
  expect_motion_matches(run.model, run.motion,
                        io::read_sto(test::opensim_file("Pipelines/Gait2354_Simbody/OutputReference/subject01_walk1_ik.mot")),
                        0.1, 0.5, 4e-4, "gait2354 vs OutputReference", 5e-4);
  expect_marker_errors_no_worse(
      run.errors, io::read_sto(test::opensim_file("Generated/Gait2354_Simbody/subject01_ik_marker_errors.sto")),
      "gait2354 marker errors");
}

TEST(InverseKinematics, Gait2392WalkMatchesOpenSim46) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const IkRun run = run_case(gait2392());
  EXPECT_EQ(run.report.frames, 121);
  expect_motion_matches(run.model, run.motion,
                        io::read_sto(test::opensim_file("Generated/Gait2392_Simbody/subject01_walk1_ik.mot")), 0.1,
                        0.5, 4e-4, "gait2392 vs OpenSim 4.6");
  expect_marker_errors_no_worse(
      run.errors, io::read_sto(test::opensim_file("Generated/Gait2392_Simbody/subject01_ik_marker_errors.sto")),
      "gait2392 marker errors");
}

TEST(InverseKinematics, Gait10dofWalkMatchesOpenSim) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const IkRun run = run_case(gait10dof());
  EXPECT_EQ(run.report.frames, 151);
  expect_motion_matches(run.model, run.motion,
                        io::read_sto(test::opensim_file("Pipelines/Gait10dof18musc/OutputReference/IK/subject01_walk_IK.mot")),
                        0.1, 0.5, 4e-4, "gait10dof vs OutputReference", 5e-4);
  expect_motion_matches(run.model, run.motion,
                        io::read_sto(test::opensim_file("Generated/Gait10dof18musc/IK/subject01_walk_IK.mot")), 0.1, 0.5,
                        4e-4, "gait10dof vs OpenSim 4.6");
  expect_marker_errors_no_worse(run.errors,
                                io::read_sto(test::opensim_file("Generated/Gait10dof18musc/IK/_ik_marker_errors.sto")),
                                "gait10dof marker errors");
}

TEST(InverseKinematics, Arm26ElbowFlexionMatchesTheTutorial) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const IkRun run = run_case(arm26());
  EXPECT_EQ(run.report.frames, 121);
  expect_motion_matches(
      run.model, run.motion,
      io::read_sto(test::opensim_file(
          "Tutorials/Computed_Muscle_Control/OutputReference/InverseKinematics/arm26_InverseKinematics.mot")),
      0.01, 0.02, 1e-3, "arm26 vs OutputReference");
}

TEST(InverseKinematics, WritesOpenSimsHeadersAndColumns) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const IkRun run = run_case(gait2354());
  EXPECT_EQ(run.motion.name, "Coordinates");
  EXPECT_TRUE(run.motion.in_degrees);
  std::vector<std::string> names;
  for (const Coordinate& c : run.model.coordinates) names.push_back(c.name);
  EXPECT_EQ(run.motion.labels, names);
  EXPECT_EQ(run.errors.name, "Model Marker Errors from IK");
  EXPECT_EQ(run.errors.labels,
            (std::vector<std::string>{"total_squared_error", "marker_error_RMS", "marker_error_max"}));
  // RMS over the markers in use: sqrt(total / 31) here (31 marker tasks, all in the file).
  for (int i = 0; i < run.errors.rows(); ++i)
    EXPECT_NEAR(run.errors.data(i, 1), std::sqrt(run.errors.data(i, 0) / 31.0), 1e-12);
}

// ---------------------------------------------------------------------------------------
// 2. femur's optimum is at least as good as OpenSim's on OpenSim's own objective
//    G(q) = sum w_i |x_i - m_i|^2 / (2 sum w_i) + sum w_j (q_j - ref_j)^2 / 2, evaluated here
//    independently of the solver.

double ik_objective(const Model& model, Data& data, const io::MarkerTable& markers, int row, const IkOptions& options,
                    const Eigen::VectorXd& q) {
  forward_kinematics(model, data, q);
  double sum = 0.0, weights = 0.0;
  for (const IkMarkerWeight& w : options.marker_weights) {
    const int c = markers.marker(w.name);
    if (c < 0 || w.weight <= 0.0) continue;
    const Eigen::Vector3d m = markers.position(row, c);
    if (!m.allFinite()) continue;
    const Marker& marker = model.markers[model.marker_index(w.name)];
    sum += w.weight * (point_in_ground(model, data, marker.body, marker.location_in_body) - m).squaredNorm();
    weights += w.weight;
  }
  double g = sum / (2.0 * weights);
  for (const IkCoordinateTask& t : options.coordinate_tasks) {
    const double e = q[model.coordinate_index(t.name)] - t.value;
    g += t.weight * e * e / 2.0;
  }
  return g;
}

Eigen::VectorXd q_from_motion(const Model& model, const io::Table& motion, int row) {
  Eigen::VectorXd q(model.nq);
  for (int k = 0; k < model.nq; ++k) {
    q[k] = motion.data(row, motion.column(model.coordinates[k].name));
    if (model.coordinates[k].motion_type == MotionType::Rotational) q[k] /= kRadToDeg;
  }
  return q;
}

TEST(InverseKinematics, ReachesALowerObjectiveThanOpenSimOnEveryFrame) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const IkRun run = run_case(gait2392());
  const io::SetupFile setup = io::read_setup(run.dir / gait2392().setup);
  const IkOptions options = ik_options_from_setup(std::get<io::InverseKinematicsSetup>(setup), run.model);
  io::MarkerTable markers = io::read_trc(run.dir / "subject01_walk1.trc");
  markers.convert_to_metres();
  const io::Table opensim = io::read_sto(test::opensim_file("Generated/Gait2392_Simbody/subject01_walk1_ik.mot"));
  Data data(run.model);
  double sum_femur = 0.0, sum_opensim = 0.0;
  for (int i = 0; i < run.motion.rows(); ++i) {
    int row = 0;
    while (std::abs(markers.time[row] - run.motion.time[i]) > 1e-9) ++row;
    // The .mot files round to 8 decimals (1e-8 deg): compare up to that rounding.
    const double g_femur = ik_objective(run.model, data, markers, row, options, q_from_motion(run.model, run.motion, i));
    const double g_opensim = ik_objective(run.model, data, markers, row, options, q_from_motion(run.model, opensim, i));
    EXPECT_LE(g_femur, g_opensim * (1.0 + 1e-9)) << "frame " << i;
    sum_femur += g_femur;
    sum_opensim += g_opensim;
  }
  std::printf("gait2392 objective summed over frames: femur %.10g, OpenSim 4.6 %.10g\n", sum_femur, sum_opensim);
}

// ---------------------------------------------------------------------------------------
// 3. Exact recovery: markers placed on the model at known poses are matched with zero error.

// Model markers in ground along q(t) = q0 + t (q1 - q0), t in [0, 1], couplers applied.
io::MarkerTable synthetic_markers(const Model& model, const Eigen::VectorXd& q0, const Eigen::VectorXd& q1,
                                  int frames, Eigen::MatrixXd& poses) {
  io::MarkerTable t;
  for (const Marker& m : model.markers) t.markers.push_back(m.name);
  t.time.resize(frames);
  t.data.resize(frames, 3 * static_cast<Eigen::Index>(model.markers.size()));
  poses.resize(frames, model.nq);
  Data data(model);
  Matrix3X x;
  for (int f = 0; f < frames; ++f) {
    const double s = frames > 1 ? static_cast<double>(f) / (frames - 1) : 0.0;
    Eigen::VectorXd q = q0 + s * (q1 - q0);
    apply_couplers(model, q);
    poses.row(f) = q.transpose();
    t.time[f] = 0.01 * f;
    forward_kinematics(model, data, q);
    marker_positions(model, data, x);
    for (Eigen::Index m = 0; m < x.cols(); ++m) t.data.block<1, 3>(f, 3 * m) = x.col(m).transpose();
  }
  return t;
}

// Whether a coordinate moves any marker (e.g. mtp_angle does not when the toes carry none).
bool moves_a_marker(const Model& model, int k) {
  for (const Marker& m : model.markers)
    for (int b = m.body; b > 0; b = model.bodies[b].parent) {
      const Joint& j = model.joints[model.bodies[b].joint];
      if (k >= j.q_start && k < j.q_start + j.nq) return true;
    }
  return false;
}

// A pose near the default (IK starts its first frame there) and one farther away; the
// coordinates no marker sees stay at their default (IK has no reason to move them).
std::pair<Eigen::VectorXd, Eigen::VectorXd> two_poses(const Model& model, unsigned seed, double spread) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> sym(-1.0, 1.0);
  Eigen::VectorXd q0 = model.default_q(), q1 = model.default_q();
  for (int k = 0; k < model.nq; ++k) {
    const Coordinate& c = model.coordinates[k];
    if (c.locked || !moves_a_marker(model, k)) continue;
    const double scale = c.motion_type == MotionType::Translational ? 0.05 : 0.15;
    q0[k] += scale * 0.2 * sym(rng);
    q1[k] += scale * spread * sym(rng);
    if (c.range_min < c.range_max) {
      q0[k] = std::clamp(q0[k], c.range_min, c.range_max);
      q1[k] = std::clamp(q1[k], c.range_min, c.range_max);
    }
  }
  return {q0, q1};
}

TEST(InverseKinematics, RecoversPosesFromExactMarkersOnGait2392) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  Model model = test::load_opensim_model("Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim");
  for (Coordinate& c : model.coordinates) c.clamped = false;
  auto [q0, q1] = two_poses(model, 7, 3.0);
  Eigen::MatrixXd poses;
  const io::MarkerTable markers = synthetic_markers(model, q0, q1, 30, poses);
  const IkResult r = inverse_kinematics(model, markers, IkOptions{});
  ASSERT_EQ(r.frames(), 30);
  EXPECT_LT((r.q - poses).lpNorm<Eigen::Infinity>(), 1e-7);
  EXPECT_LT(r.marker_error_max.maxCoeff(), 1e-8);
  for (int f = 0; f < r.frames(); ++f) EXPECT_TRUE(r.converged[f]) << "frame " << f;
}

TEST(InverseKinematics, RecoversPosesWhenSomeMarkersAreMissing) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  Model model = test::load_opensim_model("Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim");
  auto [q0, q1] = two_poses(model, 11, 2.0);
  Eigen::MatrixXd poses;
  io::MarkerTable markers = synthetic_markers(model, q0, q1, 20, poses);
  // Pelvis and thigh markers each lose one frame in three (one marker at a time); the errors
  // file counts them as 0 and RMS still divides by every marker in use.
  const int sacral = markers.marker("V.Sacral"), thigh = markers.marker("R.Thigh.Upper");
  ASSERT_GE(sacral, 0);
  ASSERT_GE(thigh, 0);
  for (int f = 0; f < markers.frames(); f += 3) markers.data.block<1, 3>(f, 3 * sacral).setConstant(NAN);
  for (int f = 1; f < markers.frames(); f += 3) markers.data.block<1, 3>(f, 3 * thigh).setConstant(NAN);
  const IkResult r = inverse_kinematics(model, markers, IkOptions{});
  EXPECT_LT((r.q - poses).lpNorm<Eigen::Infinity>(), 1e-7);
  EXPECT_EQ(r.marker_squared_error(0, std::find(r.marker_names.begin(), r.marker_names.end(), "V.Sacral") -
                                          r.marker_names.begin()),
            0.0);
}

TEST(InverseKinematics, KeepsCoupledCoordinatesOnTheirCouplers) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  // Patella coordinates follow the knee angle through CoordinateCouplerConstraints.
  Model model = test::load_opensim_model("Tests/MomentArms/testMomentArmsConstraintA.osim");
  ASSERT_FALSE(model.couplers.empty());
  for (Coordinate& c : model.coordinates) c.clamped = false;
  auto [q0, q1] = two_poses(model, 5, 2.0);
  Eigen::MatrixXd poses;
  const io::MarkerTable markers = synthetic_markers(model, q0, q1, 15, poses);
  const IkResult r = inverse_kinematics(model, markers, IkOptions{});
  EXPECT_LT((r.q - poses).lpNorm<Eigen::Infinity>(), 1e-7);
  for (int f = 0; f < r.frames(); ++f) {
    Eigen::VectorXd q = r.q.row(f).transpose(), coupled = q;
    apply_couplers(model, coupled);
    EXPECT_LT((q - coupled).lpNorm<Eigen::Infinity>(), 1e-14);
  }
}

TEST(InverseKinematics, HoldsClampedCoordinatesInRangeAndLockedOnesAtTheirDefault) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  Model model = test::load_opensim_model("Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim");
  for (Coordinate& c : model.coordinates) c.clamped = false;
  auto [q0, q1] = two_poses(model, 3, 2.0);
  Eigen::MatrixXd poses;
  const io::MarkerTable markers = synthetic_markers(model, q0, q1, 10, poses);
  const int knee = model.coordinate_index("knee_angle_r"), hip = model.coordinate_index("hip_rotation_l");
  // The knee may not reach the poses' angles: its range stops 0.1 rad short of the smallest.
  Coordinate& k = model.coordinates[knee];
  k.clamped = true;
  k.range_max = poses.col(knee).minCoeff() - 0.1;
  k.range_min = k.range_max - 1.0;
  model.coordinates[hip].locked = true;
  model.coordinates[hip].default_value = 0.05;
  const IkResult r = inverse_kinematics(model, markers, IkOptions{});
  for (int f = 0; f < r.frames(); ++f) {
    EXPECT_LE(r.q(f, knee), k.range_max) << f;
    EXPECT_GE(r.q(f, knee), k.range_min) << f;
    EXPECT_EQ(r.q(f, hip), 0.05) << f;
    EXPECT_TRUE(r.converged[f]) << f;
  }
  // Nothing pulls the knee back inside: it rests on its upper bound.
  EXPECT_NEAR(r.q(0, knee), k.range_max, 1e-12);
}

TEST(InverseKinematics, CoordinateTasksPullTowardTheirValues) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  Model model = test::load_opensim_model("Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim");
  auto [q0, q1] = two_poses(model, 13, 1.0);
  Eigen::MatrixXd poses;
  const io::MarkerTable markers = synthetic_markers(model, q0, q1, 3, poses);
  IkOptions options;
  const int knee = model.coordinate_index("knee_angle_l");
  const double target = poses(0, knee) + 0.2;
  IkCoordinateTask task;
  task.name = "knee_angle_l";
  task.weight = 1e-6;  // markers carry sum w |e|^2 / (2 sum w): ~1e-4 for 0.2 rad of knee
  task.value = target;
  options.coordinate_tasks.push_back(task);
  const IkResult light = inverse_kinematics(model, markers, options);
  options.coordinate_tasks[0].weight = 1e4;
  const IkResult heavy = inverse_kinematics(model, markers, options);
  // Light: the markers win; heavy: the task wins; both between the pose and the target.
  EXPECT_GT(light.q(0, knee), poses(0, knee));
  EXPECT_LT(light.q(0, knee) - poses(0, knee), 0.02);
  EXPECT_NEAR(heavy.q(0, knee), target, 1e-3);
}

// ---------------------------------------------------------------------------------------
// 4. Threads, time range, marker selection.

TEST(InverseKinematics, GivesTheSameMotionOnSeveralThreads) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const IkRun one = run_case(gait2392(), 1);
  const IkRun three = run_case(gait2392(), 3);
  ASSERT_EQ(one.motion.data.rows(), three.motion.data.rows());
  // Chunks start from the default pose, not the previous frame: the same optimum to well
  // below the output's 1e-8 degrees... up to the solver's step tolerance (1e-8 rad).
  EXPECT_LT((one.motion.data - three.motion.data).lpNorm<Eigen::Infinity>(), 1e-5);
}

TEST(InverseKinematics, SolvesTheRowsNearestTheTimeRange) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = test::load_opensim_model("Tutorials/Computed_Muscle_Control/InverseKinematics/arm26.osim");
  io::MarkerTable markers = io::read_trc(test::opensim_file("Tutorials/Computed_Muscle_Control/InverseKinematics/arm26_elbow_flex.trc"));
  markers.convert_to_metres();
  IkOptions options;
  options.start_time = markers.time[10] + 0.3 * (markers.time[11] - markers.time[10]);  // nearer row 10
  options.end_time = markers.time[20] + 0.7 * (markers.time[21] - markers.time[20]);    // nearer row 21
  const IkResult r = inverse_kinematics(model, markers, options);
  ASSERT_EQ(r.frames(), 12);
  EXPECT_EQ(r.time[0], markers.time[10]);
  EXPECT_EQ(r.time[11], markers.time[21]);
  options.start_time = options.end_time + 1.0;
  EXPECT_THROW(inverse_kinematics(model, markers, options), std::invalid_argument);
}

TEST(InverseKinematics, TracksOnlyTheMarkersOfTheTaskSet) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = test::load_opensim_model("Tutorials/Computed_Muscle_Control/InverseKinematics/arm26.osim");
  io::MarkerTable markers = io::read_trc(test::opensim_file("Tutorials/Computed_Muscle_Control/InverseKinematics/arm26_elbow_flex.trc"));
  markers.convert_to_metres();
  IkOptions options;
  options.end_time = markers.time[5];
  const IkResult all = inverse_kinematics(model, markers, options);
  EXPECT_EQ(all.marker_names, (std::vector<std::string>{"r_acromion", "r_humerus_epicondyle", "r_radius_styloid"}));
  options.marker_weights = {{"r_radius_styloid", 1.0}, {"r_humerus_epicondyle", 0.0}};
  const IkResult some = inverse_kinematics(model, markers, options);
  // File order; a weight-0 marker stays in the error report but does not pull.
  EXPECT_EQ(some.marker_names, (std::vector<std::string>{"r_humerus_epicondyle", "r_radius_styloid"}));
  EXPECT_GT(some.marker_squared_error.col(0).maxCoeff(), 0.0);
}

// ---------------------------------------------------------------------------------------
// 5. Bad setups: the message names the setup file and the task's line; the CLI exits 1
//    and writes nothing.

// The gait2354 setup with one task renamed; returns the staged folder and the task's line.
std::pair<fs::path, int> stage_with_renamed_task(const std::string& from, const std::string& to) {
  const fs::path dir = stage(gait2354());
  const fs::path setup = dir / "subject01_Setup_IK.xml";
  std::ifstream in(setup);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  const std::string needle = "name=\"" + from + "\"";
  const size_t at = s.find(needle);
  EXPECT_NE(at, std::string::npos);
  s.replace(at, needle.size(), "name=\"" + to + "\"");
  const int line = 1 + static_cast<int>(std::count(s.begin(), s.begin() + static_cast<long>(at), '\n'));
  std::ofstream(setup) << s;
  return {dir, line};
}

TEST(InverseKinematicsSetup, UnknownCoordinateTaskNamesTheSetupFileAndLine) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto [dir, line] = stage_with_renamed_task("mtp_angle_l", "mtp_angle_x");
  const fs::path setup = dir / "subject01_Setup_IK.xml";
  try {
    run_setup(io::read_setup(setup), RunOptions{});
    FAIL() << "expected a ParseError";
  } catch (const io::ParseError& e) {
    EXPECT_EQ(e.line(), line);
    EXPECT_EQ(std::string(e.what()), setup.string() + ":" + std::to_string(line) +
                                         ": IKCoordinateTask 'mtp_angle_x': model subject01 has no coordinate "
                                         "'mtp_angle_x'");
  }
  EXPECT_FALSE(fs::exists(dir / "subject01_walk1_ik.mot"));
}

TEST(InverseKinematicsSetup, UnknownMarkerTaskNamesTheSetupFileAndLine) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto [dir, line] = stage_with_renamed_task("R.Heel", "R.Heal");
  const fs::path setup = dir / "subject01_Setup_IK.xml";
  try {
    run_setup(io::read_setup(setup), RunOptions{});
    FAIL() << "expected a ParseError";
  } catch (const io::ParseError& e) {
    EXPECT_EQ(std::string(e.what()), setup.string() + ":" + std::to_string(line) +
                                         ": IKMarkerTask 'R.Heal': model subject01 has no marker 'R.Heal'");
  }
}

TEST(InverseKinematicsCli, UnknownCoordinateFailsWithoutWritingAnything) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto [dir, line] = stage_with_renamed_task("subtalar_angle_r", "subtalar_r");
  const CliRun r = run_cli("run \"" + (dir / "subject01_Setup_IK.xml").string() + "\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("subject01_Setup_IK.xml:" + std::to_string(line) +
                       ": IKCoordinateTask 'subtalar_r': model subject01 has no coordinate 'subtalar_r'"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "subject01_walk1_ik.mot"));
  EXPECT_FALSE(fs::exists(dir / "subject01_ik_marker_errors.sto"));
}

TEST(InverseKinematicsCli, RunsTheShippedSetupAndReportsFrames) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = stage(gait2354());
  const CliRun r = run_cli("run \"" + (dir / "subject01_Setup_IK.xml").string() + "\"");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("InverseKinematicsTool: 73 frames"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(dir / "subject01_walk1_ik.mot"));
}

TEST(InverseKinematicsCli, IkCommandWithTheSetupGivesWhatFemurRunGives) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = stage(gait2354());
  const CliRun run = run_cli("run \"" + (dir / "subject01_Setup_IK.xml").string() + "\"");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path out = dir / "cli_ik.mot";
  const CliRun ik = run_cli("ik --model \"" + (dir / "subject01_simbody.osim").string() + "\" --markers \"" +
                            (dir / "subject01_walk1.trc").string() + "\" --setup \"" +
                            (dir / "subject01_Setup_IK.xml").string() + "\" -o \"" + out.string() + "\" --json");
  ASSERT_EQ(ik.exit_code, 0) << ik.err;
  EXPECT_NE(ik.out.find("\"frames\": 73"), std::string::npos) << ik.out;
  const io::Table a = io::read_sto(dir / "subject01_walk1_ik.mot"), b = io::read_sto(out);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.data, b.data);
}

TEST(InverseKinematicsCli, IkCommandRejectsAnUnknownCoordinateTask) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto [dir, line] = stage_with_renamed_task("mtp_angle_r", "mtp_r");
  const fs::path out = dir / "cli_ik.mot";
  const CliRun r = run_cli("ik --model \"" + (dir / "subject01_simbody.osim").string() + "\" --markers \"" +
                           (dir / "subject01_walk1.trc").string() + "\" --setup \"" +
                           (dir / "subject01_Setup_IK.xml").string() + "\" -o \"" + out.string() + "\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("subject01_Setup_IK.xml:" + std::to_string(line) + ": IKCoordinateTask 'mtp_r'"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace femur::tools
