// Moco's example3DWalking in femur's collocation (ocp/walk3d_model.hpp, gait_collocation.hpp):
// the model with its four set files, the FunctionBasedPaths against femur's own geometry paths,
// the exact derivatives of the 3D tracking problem (couplers, nonlinear knee axes, passive
// torques, 80 muscles, 12 contact spheres) against central differences, a short solve, and the
// bad set files.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/table.hpp"
#include "femur/model/data.hpp"
#include "femur/kinematics/couplers.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/ocp/gait_collocation.hpp"
#include "femur/ocp/walk3d_model.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

fs::path model_file() { return test::opensim_file("Moco/example3DWalking/subject_walk_scaled.osim"); }

struct Walk {
  ocp::WalkingModel w;
  io::Table coords, grf;
};

const Walk& walk() {
  static const Walk in = [] {
    Walk w;
    w.w = ocp::read_walking_model(model_file(), ocp::find_model_sets(model_file()));
    w.coords = io::read_sto(test::opensim_file("Moco/example3DWalking/coordinates.sto"));
    w.grf = io::read_sto(test::opensim_file("Moco/example3DWalking/grf_walk.mot"));
    return w;
  }();
  return in;
}

// MocoTrack's muscle-driven problem of the example (weights, x y z GRF of six spheres per foot).
ocp::GaitProblem tracking(const Walk& in, double t0, double t1, int intervals) {
  ocp::GaitProblem pb;
  pb.initial_time = t0;
  pb.final_time = t1;
  pb.mesh_intervals = intervals;
  pb.states_reference = &in.coords;
  pb.states_weight = 0.05;
  pb.track_speeds = true;
  pb.state_weights = {{"/jointset/ground_pelvis/pelvis_ty/value", 0.0}, {"/jointset/ground_pelvis/pelvis_ty/speed", 0.1},
                      {"/jointset/mtp_r/mtp_angle_r/value", 0.0},      {"/jointset/mtp_r/mtp_angle_r/speed", 0.0},
                      {"/jointset/mtp_l/mtp_angle_l/value", 0.0},      {"/jointset/mtp_l/mtp_angle_l/speed", 0.0}};
  pb.grf_reference = &in.grf;
  for (const char* side : {"r", "l"}) {
    ocp::ContactGroup g;
    for (const char* c : {"Heel", "LateralRearfoot", "LateralMidfoot", "MedialMidfoot", "LateralToe", "MedialToe"})
      g.forces.push_back(std::string("contact") + c + "_" + side);
    g.reference_prefix = std::string("ground_force_") + side + "_v";
    pb.grf_groups.push_back(g);
  }
  pb.grf_weight = 5e-3;
  pb.grf_dimensions = 3;
  pb.effort_weight = 0.1;
  pb.path_functions = in.w.path_functions;
  pb.solver.exact_hessian = true;
  pb.solver.convergence_tolerance = 1e-2;
  pb.solver.constraint_tolerance = 1e-4;
  return pb;
}

TEST(Walk3dModel, SetsAreAppliedAsMocosExampleDoes) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model& m = walk().w.model;
  int spheres = 0, contacts = 0, expressions = 0, muscles = 0;
  for (const ForceElement& f : m.forces) {
    if (std::holds_alternative<SmoothSphereHalfSpaceForce>(f.part)) ++contacts;
    if (std::holds_alternative<ExpressionBasedCoordinateForce>(f.part)) ++expressions;
    if (const auto* p = std::get_if<MuscleParameters>(&f.part)) {
      ++muscles;
      EXPECT_EQ(p->kind, MuscleKind::DeGrooteFregly2016) << f.name;
      EXPECT_TRUE(p->ignore_tendon_compliance && p->ignore_passive_fiber_force) << f.name;
      EXPECT_EQ(p->min_control, 0.0);
      EXPECT_EQ(p->active_force_width_scale, 1.5);
    }
  }
  for (const ContactGeometry& g : m.contact_geometry) spheres += g.kind == ContactGeometry::Kind::Sphere;
  EXPECT_EQ(spheres, 12);
  EXPECT_EQ(contacts, 12);
  EXPECT_EQ(expressions, 20);
  EXPECT_EQ(muscles, 80);
  EXPECT_EQ(walk().w.path_functions.size(), 80u);
  // The heel sphere: the set's location (calcn_r frame) raised 2 cm.
  const Model plain = io::read_osim(model_file(), nullptr, nullptr, [] {
    io::OsimReadOptions o;
    o.contact_geometry_files = {test::opensim_file("Moco/example3DWalking/subject_walk_scaled_ContactGeometrySet.xml")};
    return o;
  }());
  for (std::size_t i = 0; i < m.contact_geometry.size(); ++i) {
    if (m.contact_geometry[i].name == "heel_r") {
      EXPECT_NEAR(m.contact_geometry[i].location.y() - plain.contact_geometry[i].location.y(), 0.02, 1e-12);
    }
  }
}

// The example's polynomial paths were fitted (Moco's PolynomialPathFitter) to the same model's
// geometry paths; femur's exact paths must agree within the fit error Moco accepts (a few mm)
// over poses around walking.
TEST(Walk3dModel, FunctionBasedPathsAgreeWithFemursGeometryPaths) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model& m = walk().w.model;
  Data data(m);
  PathData paths(m, m.paths);
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> U(-1.0, 1.0);
  double worst_rms = 0.0;
  std::string worst;
  std::vector<double> sum(m.forces.size(), 0.0);
  const int poses = 40;
  for (int trial = 0; trial < poses; ++trial) {
    Eigen::VectorXd q = Eigen::VectorXd::Zero(m.nq);
    // A walking-like box: hips -20..40 deg flexion, knees 0..70, ankles -20..20, others +-10.
    for (int k = 0; k < m.nq; ++k) {
      const std::string& n = m.coordinates[static_cast<size_t>(k)].name;
      const double deg = M_PI / 180.0;
      if (n.rfind("hip_flexion", 0) == 0) q[k] = (10 + 30 * U(rng)) * deg;
      else if (n.rfind("knee_angle", 0) == 0 && n.find("beta") == std::string::npos) q[k] = (35 + 35 * U(rng)) * deg;
      else if (n.rfind("ankle_angle", 0) == 0) q[k] = 20 * U(rng) * deg;
      else if (n.rfind("mtp_angle", 0) == 0) q[k] = 0.0;  // the paths were fitted with the toes welded
      else if (m.coordinates[static_cast<size_t>(k)].motion_type == MotionType::Rotational) q[k] = 10 * U(rng) * deg;
    }
    apply_couplers(m, q);
    compute_paths(m, m.paths, data, q, paths);
    for (const ocp::PathSurrogate& s : walk().w.path_functions) {
      const int path = m.paths.path_index(s.name);
      ASSERT_GE(path, 0) << s.name;
      const double exact = paths.length[path];
      const double poly = s.evaluate(q.data(), nullptr, nullptr);
      const std::size_t slot = static_cast<std::size_t>(&s - walk().w.path_functions.data());
      sum[slot] += (exact - poly) * (exact - poly);
    }
  }
  // The long toe extensors and flexors (edl, ehl, fhl) are 12-23 mm longer or shorter in the
  // set than along this model's geometry: the set was fitted on the example's toes-aligned
  // variant of the model (Rajagopal2015_..._toesAligned.osim in opensim-core), whose toe
  // geometry differs. They are reported, not held to the bound.
  int toe_muscles = 0;
  for (std::size_t j = 0; j < walk().w.path_functions.size(); ++j) {
    const double rms = std::sqrt(sum[j] / poses);
    const std::string& name = walk().w.path_functions[j].name;
    if (name.rfind("edl_", 0) == 0 || name.rfind("ehl_", 0) == 0 || name.rfind("fhl_", 0) == 0) {
      std::printf("  toe muscle %s: %.2f mm\n", name.c_str(), 1e3 * rms);
      ++toe_muscles;
      continue;
    }
    if (rms > worst_rms) worst_rms = rms, worst = name;
  }
  EXPECT_EQ(toe_muscles, 6);
  std::printf("FunctionBasedPath vs femur's geometry path, 74 muscles: worst RMS %.2f mm (%s)\n", 1e3 * worst_rms,
              worst.c_str());
  EXPECT_LT(worst_rms, 0.003);  // Moco's and PredSim's accepted fit error
}

// The three tests below take 6-10 s CPU each in Release and ten times that under the
// sanitizers: left out of those builds (the multibody_t coupler tests check the new dynamics
// there).
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
TEST(Walk3dModel, TrackingDerivativesMatchCentralDifferences) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  ocp::GaitProblem pb = tracking(walk(), 0.48, 0.52, 2);
  pb.periodic_pairs = {{"/jointset/walker_knee_r/knee_angle_r/value", "/jointset/walker_knee_r/knee_angle_r/value"},
                       {"/forceset/glmed1_r/activation", "/forceset/glmed1_r/activation"}};
  const ocp::DerivativeCheck c = ocp::check_gait_derivatives(walk().w.model, pb);
  std::printf("3D tracking: Jacobian error %.2e (row %d, column %d: %g vs %g), gradient error %.2e\n",
              c.max_jacobian_error, c.worst_row, c.worst_column, c.analytic, c.numeric, c.max_gradient_error);
  EXPECT_FALSE(c.outside_structure);
  EXPECT_LT(c.max_jacobian_error, 1e-4);
  EXPECT_LT(c.max_gradient_error, 1e-4);
}

// Central differences of the gradient over ~400 variables.
TEST(Walk3dModel, TrackingHessianMatchesCentralDifferences) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  // Muscles left out (their Hessian blocks are the 2D problem's code, checked there) and
  // reserves on every coordinate: the dynamics with couplers, nonlinear knee axes, contact and
  // passive torques are what is new here; half the variables, half the time.
  ocp::GaitProblem pb = tracking(walk(), 0.48, 0.52, 2);
  pb.remove_muscles = true;
  pb.reserves_optimal_force = 100.0;
  const double e = ocp::check_gait_hessian(walk().w.model, pb);
  std::printf("3D tracking: Hessian error %.2e\n", e);
  EXPECT_LT(e, 1e-4);
}

// A short coarse muscle-driven track (0.48-0.56 s, 4 intervals: right stance) with the
// states weighted 10 and the GRF normalized by its peaks (the example's own weights let the GRF
// dominate: docs/validation.md): 68 IPOPT iterations, ~6 s CPU in Release (2026-12-07: joint
// angles 0.70 deg RMS, vertical GRF 61 N RMS). Left out of the sanitizer builds (~10x).
TEST(Walk3dModel, CoarseTrackConvergesAndTracks) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  ocp::GaitProblem pb = tracking(walk(), 0.48, 0.56, 4);
  pb.states_weight = 10.0;
  pb.grf_weight = 1.0;
  pb.grf_normalize = true;
  pb.solver.max_iterations = 400;
  const ocp::GaitSolution s = ocp::solve_gait(walk().w.model, pb);
  ASSERT_TRUE(s.success) << s.nlp.message;
  double mass = 0.0;
  for (const Body& b : walk().w.model.bodies) mass += b.mass;
  const double bw = mass * walk().w.model.gravity.norm();
  const ocp::GaitComparison c = ocp::compare_gait(walk().w.model, s, walk().coords, &walk().grf, pb.grf_groups);
  std::printf("coarse 3D track: %d iterations, joint angles %.2f deg RMS, right GRF RMS %.1f / %.1f / %.1f N (BW %.0f N)\n",
              s.nlp.iterations, c.joint_angle_rms_deg, c.grf_rms_x[0], c.grf_rms_y[0], c.grf_rms_z[0], bw);
  EXPECT_LT(c.joint_angle_rms_deg, 2.0);           // issue 17's goal
  EXPECT_LT(c.grf_rms_y[0], 0.15 * bw);            // coarse mesh: 15% BW (the goal, 5%, is for 0.02 s or finer)
  EXPECT_LT(std::max(c.grf_rms_x[0], c.grf_rms_z[0]), 0.05 * bw);
  EXPECT_LT(s.resimulation_angle_drift_deg, 5.0);
}
#endif

TEST(Walk3dModel, BadFunctionBasedPathSetsNameFileAndLine) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model& m = walk().w.model;
  const fs::path bad = test::source_dir() / "tests/data/bad";
  auto message = [&](const char* file) {
    try {
      ocp::read_function_based_paths(bad / file, m);
    } catch (const io::ParseError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("function_based_path_unknown_coordinate.xml"),
            (bad / "function_based_path_unknown_coordinate.xml").string() +
                ":6: FunctionBasedPath 'soleus_r': the model has no coordinate '/jointset/ankle_r/ankle_angel_r'");
  EXPECT_EQ(message("function_based_path_unknown_muscle.xml"),
            (bad / "function_based_path_unknown_muscle.xml").string() +
                ":15: FunctionBasedPath '/forceset/solues_r': the model has no muscle 'solues_r'");
  // A set's passive torque on an unknown coordinate: the osim reader names the set file.
  ocp::ModelSetFiles sets;
  sets.expression_forces = bad / "expression_force_set_unknown_coordinate.xml";
  try {
    ocp::read_walking_model(model_file(), sets);
    ADD_FAILURE() << "no error";
  } catch (const io::ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("expression_force_set_unknown_coordinate.xml:6:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("knee_angel_r"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace femur
