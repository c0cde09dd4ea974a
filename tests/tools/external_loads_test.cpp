// OpenSim 2.x external loads (PrescribedForce with inline functions, as the Gait2392 pipeline's
// foot_floor_loads.xml) against the same loads written as 4.x ExternalForce columns, the path the
// inverse dynamics tests check against OpenSim.
#include "femur/tools/external_loads.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/tools/run_setup.hpp"
#include "support/test_data.hpp"

namespace femur::tools {
namespace {

// Loads that are straight lines in time: a cubic spline of any end conditions through samples
// of a line is that line, inside the samples and, extrapolated linearly, outside them (OpenSim's
// NaturalCubicSpline, femur's GCV spline of the ExternalForce columns), so both files describe
// the same loads at every time.
double line(int column, double t) { return 0.1 * (column + 1) * (column % 2 ? -1.0 : 1.0) + (column - 4.0) * t; }

struct Pair {
  io::ExternalLoads prescribed, external;
  io::Table data;
};

Pair make_pair_of_loads() {
  Pair p;
  const int rows = 21;
  p.data.name = "loads.mot";
  p.data.time.resize(rows);
  const std::vector<std::string> names = {"r_f", "r_p", "r_t", "l_f", "l_p", "l_t"};
  for (const std::string& n : names)
    for (const char* axis : {"x", "y", "z"}) p.data.labels.push_back(n + axis);
  p.data.data.resize(rows, static_cast<Eigen::Index>(p.data.labels.size()));
  for (int i = 0; i < rows; ++i) {
    p.data.time[i] = 0.01 * i;
    for (Eigen::Index c = 0; c < p.data.data.cols(); ++c) p.data.data(i, c) = line(static_cast<int>(c), p.data.time[i]);
  }
  std::vector<double> x(p.data.time.data(), p.data.time.data() + rows);
  auto functions = [&](int first) {
    std::vector<io::PrescribedFunction> set;
    for (int k = 0; k < 3; ++k) {
      io::PrescribedFunction fn;
      fn.type = "NaturalCubicSpline";
      fn.name = "#" + std::to_string(first + k);
      fn.x = x;
      for (double t : x) fn.y.push_back(line(first + k, t));
      set.push_back(fn);
    }
    return set;
  };
  // Right foot: force and torque in the body, point in ground. Left foot: force in ground,
  // point in the body.
  io::PrescribedForce right;
  right.name = "right";
  right.line = 5;
  right.body = "calcn_r";
  right.force_is_global = false;
  right.point_is_global = true;
  right.force_functions = functions(0);
  right.point_functions = functions(3);
  right.torque_functions = functions(6);
  io::PrescribedForce left = right;
  left.name = "left";
  left.body = "calcn_l";
  left.force_is_global = true;
  left.point_is_global = false;
  left.force_functions = functions(9);
  left.point_functions = functions(12);
  left.torque_functions = functions(15);
  p.prescribed.file = "foot_floor_loads.xml";
  p.prescribed.prescribed_forces = {right, left};

  io::ExternalForce r;
  r.name = "right";
  r.applied_to_body = "calcn_r";
  r.force_expressed_in_body = "calcn_r";
  r.point_expressed_in_body = "ground";
  r.force_identifier = "r_f";
  r.point_identifier = "r_p";
  r.torque_identifier = "r_t";
  io::ExternalForce l = r;
  l.name = "left";
  l.applied_to_body = "calcn_l";
  l.force_expressed_in_body = "ground";
  l.point_expressed_in_body = "calcn_l";
  l.force_identifier = "l_f";
  l.point_identifier = "l_p";
  l.torque_identifier = "l_t";
  p.external.file = "loads.xml";
  p.external.forces = {r, l};
  return p;
}

TEST(PrescribedForce, AppliesTheSameBodyForcesAsTheEquivalentExternalForces) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model =
      io::read_osim(test::opensim_file("Pipelines/Gait2354_Simbody/OutputReference/subject01_simbody.osim"));
  const Pair p = make_pair_of_loads();
  const ExternalLoadsData a = bind_external_loads(model, p.prescribed, io::Table{});
  const ExternalLoadsData b = bind_external_loads(model, p.external, p.data);
  ASSERT_EQ(a.forces.size(), 2u);
  EXPECT_TRUE(a.needs_body_poses);
  Data da(model), db(model);
  Eigen::VectorXd q = Eigen::VectorXd::Zero(model.nq);
  for (int k = 0; k < model.nq; ++k) q[k] = 0.1 + 0.05 * k;  // a pose where every body is turned
  forward_kinematics(model, da, q);
  forward_kinematics(model, db, q);
  Eigen::VectorXd va, vb;
  // Inside the samples, at a sample, and past the last sample (linear extrapolation).
  for (double t : {0.0, 0.037, 0.1, 0.2, 0.31}) {
    SCOPED_TRACE(t);
    for (auto& f : da.f_ext) f = Force::zero();
    for (auto& f : db.f_ext) f = Force::zero();
    apply_external_loads(model, da, a, t, va);
    apply_external_loads(model, db, b, t, vb);
    double largest = 0.0;
    for (size_t i = 0; i < da.f_ext.size(); ++i) {
      largest = std::max(largest, db.f_ext[i].vector().cwiseAbs().maxCoeff());
      // Both sides reproduce a line to rounding (the GCV spline's solve, ~1e-12).
      EXPECT_LT((da.f_ext[i].vector() - db.f_ext[i].vector()).cwiseAbs().maxCoeff(), 1e-9) << "body " << i;
    }
    EXPECT_GT(largest, 0.1);  // the loads are there
  }
}

TEST(PrescribedForce, FunctionsAreOpenSimsSplinesNotTheExternalForceSmoothing) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model =
      io::read_osim(test::opensim_file("Pipelines/Gait2354_Simbody/OutputReference/subject01_simbody.osim"));
  Pair p = make_pair_of_loads();
  // A curved function: OpenSim's NaturalCubicSpline (Forsythe-Malcolm-Moler ends) passes through
  // its samples and continues along its end slope outside them.
  io::PrescribedFunction& fy = p.prescribed.prescribed_forces[1].force_functions[1];
  for (size_t i = 0; i < fy.x.size(); ++i) fy.y[i] = 700.0 * std::sin(20.0 * fy.x[i]);
  const ExternalLoadsData a = bind_external_loads(model, p.prescribed, io::Table{});
  Eigen::VectorXd v(a.columns());
  const Function spline = Function::natural_cubic_spline(fy.x, fy.y);
  for (size_t i = 0; i < fy.x.size(); ++i) {
    a.evaluate(fy.x[i], v);
    EXPECT_NEAR(v[10], fy.y[i], 1e-9);  // the left force's y
  }
  const FunctionValue end = spline.evaluate(fy.x.back());
  a.evaluate(fy.x.back() + 0.5, v);
  EXPECT_NEAR(v[10], end.f + 0.5 * end.df, 1e-9);
}

TEST(PrescribedForceBadInput, UnknownBodyAndUnsupportedFunctionNameTheForce) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model =
      io::read_osim(test::opensim_file("Pipelines/Gait2354_Simbody/OutputReference/subject01_simbody.osim"));
  Pair p = make_pair_of_loads();
  p.prescribed.prescribed_forces[0].body = "heel";
  try {
    bind_external_loads(model, p.prescribed, io::Table{});
    FAIL();
  } catch (const io::ParseError& e) {
    EXPECT_EQ(std::string(e.what()),
              "foot_floor_loads.xml:5: PrescribedForce 'right': body 'heel' is not a body of model subject01");
  }
  p = make_pair_of_loads();
  p.prescribed.prescribed_forces[0].point_functions[2].type = "GCVSpline";
  try {
    bind_external_loads(model, p.prescribed, io::Table{});
    FAIL();
  } catch (const io::ParseError& e) {
    EXPECT_EQ(std::string(e.what()),
              "foot_floor_loads.xml:5: PrescribedForce 'right': point function '#5' is a GCVSpline; femur reads "
              "NaturalCubicSpline, SimmSpline, PiecewiseLinearFunction and Constant");
  }
  p = make_pair_of_loads();
  p.prescribed.prescribed_forces[0].torque_functions.pop_back();
  try {
    bind_external_loads(model, p.prescribed, io::Table{});
    FAIL();
  } catch (const io::ParseError& e) {
    EXPECT_EQ(std::string(e.what()),
              "foot_floor_loads.xml:5: PrescribedForce 'right': 2 torque functions; x, y and z (3) are needed");
  }
}

// The Gait2392 pipeline's own Static Optimization and Joint Reaction setups read their loads
// from foot_floor_loads.xml (PrescribedForce). Its functions hold only the first 10 samples of
// the ground reactions (0 to 0.015 s: OpenSim 2.x's PrescribedForce::setForceFunctionNames kept
// at most 10 points), so over the setups' 0.5-2 s the loads are OpenSim's linear extrapolation,
// not the measured ones; there is no OpenSim output for them. What is checked: both setups run
// in one folder (JR reads SO's forces) with finite results; the loads themselves are checked
// against ExternalForce columns above.
TEST(PrescribedForce, Gait2392PipelineStaticOptimizationThenJointReactionRun) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  namespace fs = std::filesystem;
  const fs::path dir = test::copy_opensim_folder("Pipelines/Gait2392_Simbody", "prescribed-force-pipeline");
  fs::copy_file(dir / "OutputReference/subject01_simbody_adjusted.osim", dir / "subject01_simbody_adjusted.osim");
  // The shipped coordinates say inDegrees=no over degrees (as the README says of ResultsRRA).
  const fs::path q = dir / "subject01_walk1_RRA_Kinematics_q.sto";
  std::string text((std::istreambuf_iterator<char>(std::ifstream(q).rdbuf())), std::istreambuf_iterator<char>());
  text.replace(text.find("inDegrees=no"), 12, "inDegrees=yes");
  fs::permissions(q, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(q) << text;
  RunOptions options;
  options.quiet = true;
  run_setup(io::read_setup(dir / "setup_static_optimization.xml"), options);
  const io::Table forces = io::read_sto(dir / "ResultsStaticOptimization/subject01_StaticOptimization_force.sto");
  EXPECT_EQ(forces.rows(), 151);
  EXPECT_TRUE(forces.data.allFinite());
  run_setup(io::read_setup(dir / "setup_JointReaction.xml"), options);
  const io::Table jr = io::read_sto(dir / "ResultsStaticOptimization/subject01_JointReaction_ReactionLoads.sto");
  EXPECT_EQ(jr.rows(), 151);
  EXPECT_TRUE(jr.data.allFinite());
}

}  // namespace
}  // namespace femur::tools
