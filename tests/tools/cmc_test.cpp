// CMC and RRA against OpenSim (OPENSIM-NOTES.md C.9, C.10; shared/opensim README, "Which
// reference to use"), each run as `femur run` runs the shipped setup, in a copy of its folder:
// - arm26 CMC (Tutorials/Computed_Muscle_Control) against its OutputReference;
// - Gait2354 CMC on the shipped RRA outputs against OpenSim 4.6 (Generated/ResultsCMC);
// - Gait2354 RRA on OutputReference's model and IK against OpenSim 4.6 (Generated/ResultsRRA),
//   with the adjusted model's torso centre of mass;
// - Gait10dof18musc RRA then CMC, chained as the pipeline does, against Generated/;
// - bad inputs, each with its message and nothing written.
// Targets (issue 15): tracked kinematics within 0.5 deg RMS of OpenSim's, activations within
// 0.05 RMS, residual forces and moments within 10% of OpenSim's peak.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <regex>
#include <sstream>

#include "femur/io/cmc_task_set.hpp"
#include "femur/io/control_set.hpp"
#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/tools/cmc.hpp"
#include "femur/tools/cmc_tool.hpp"
#include "femur/tools/run_setup.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

// OpenSim 4.6's CMC/RRA states files start with an empty storage ("UNKNOWN ... endheader",
// "time", "header") before their own labels, and end with two rows a rounding error apart:
// the rows after the empty storage, each time kept once.
io::Table read_states(const fs::path& path) {
  std::ifstream in(path);
  std::string line, text;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  size_t start = 0;
  if (!lines.empty() && lines[0] == "UNKNOWN") {
    for (size_t i = 1; i < lines.size(); ++i)
      if (lines[i].rfind("time\t", 0) == 0) {
        start = i;
        break;
      }
    text = "states\nversion=1\ninDegrees=no\nendheader\n";
  }
  for (size_t i = start; i < lines.size(); ++i) text += lines[i] + "\n";
  io::Table t = io::parse_sto(text, path.string());
  io::remove_repeated_times(t);
  return t;
}

// OpenSim 3 and 4 state names to one spelling: "<coordinate>", "<coordinate>_u",
// "<muscle>.activation", "<muscle>.fiber_length".
std::string plain(const std::string& label) {
  static const std::regex force(R"(/forceset/([^/]+)/(activation|fiber_length))");
  static const std::regex coord(R"(/jointset/[^/]+/([^/]+)/(value|speed))");
  std::smatch m;
  if (std::regex_match(label, m, force)) return m[1].str() + "." + m[2].str();
  if (std::regex_match(label, m, coord)) return m[1].str() + (m[2] == "value" ? "" : "_u");
  return label;
}

double interpolate(const io::Table& t, int col, double time) {
  const Eigen::Index n = t.rows();
  if (time <= t.time[0]) return t.data(0, col);
  if (time >= t.time[n - 1]) return t.data(n - 1, col);
  const auto it = std::upper_bound(t.time.data(), t.time.data() + n, time);
  const Eigen::Index i = it - t.time.data();
  const double t0 = t.time[i - 1], t1 = t.time[i];
  return t.data(i - 1, col) + (t.data(i, col) - t.data(i - 1, col)) * (time - t0) / (t1 - t0);
}

struct ColumnError {
  std::string label;
  double rms = 0.0, max = 0.0, peak = 0.0;
};

// Per reference column whose label matches `pattern`: RMS and max of femur - reference over the
// reference rows inside femur's time range (femur linearly interpolated).
std::vector<ColumnError> compare(const io::Table& ref, const io::Table& mine, const std::string& pattern) {
  const std::regex re(pattern);
  std::vector<ColumnError> out;
  std::vector<std::string> mine_labels;
  for (const std::string& l : mine.labels) mine_labels.push_back(plain(l));
  for (int c = 0; c < ref.cols(); ++c) {
    const std::string label = plain(ref.labels[static_cast<size_t>(c)]);
    if (!std::regex_search(label, re)) continue;
    const auto it = std::find(mine_labels.begin(), mine_labels.end(), label);
    if (it == mine_labels.end()) continue;
    const int k = static_cast<int>(it - mine_labels.begin());
    ColumnError e{label};
    int n = 0;
    for (int r = 0; r < ref.rows(); ++r) {
      const double t = ref.time[r];
      if (t < mine.time[0] - 1e-9 || t > mine.time[mine.rows() - 1] + 1e-9) continue;
      const double d = interpolate(mine, k, t) - ref.data(r, c);
      e.rms += d * d;
      e.max = std::max(e.max, std::abs(d));
      e.peak = std::max(e.peak, std::abs(ref.data(r, c)));
      ++n;
    }
    e.rms = n > 0 ? std::sqrt(e.rms / n) : 0.0;
    out.push_back(e);
  }
  return out;
}

double worst_rms(const std::vector<ColumnError>& errors, std::string* which = nullptr) {
  double w = 0.0;
  for (const ColumnError& e : errors)
    if (e.rms > w) {
      w = e.rms;
      if (which) *which = e.label;
    }
  return w;
}

void replace_in(const fs::path& file, const std::string& from, const std::string& to);

tools::RunReport run(const fs::path& setup) {
  tools::RunOptions options;
  options.quiet = true;
  return tools::run_setup(io::read_setup(setup), options);
}

// ---------------------------------------------------------------------------------------
// Bounds within 10x the measured worst (docs/validation.md); each test prints its numbers.
// arm26: fiber lengths 3.5e-4 m, pErr 1.6e-3 rad. Gait10dof18musc: RRA kinematics 5.1e-8 deg
// RMS, forces 1.7e-5 N; CMC kinematics 0.011 deg RMS.
constexpr double kArm26FiberLength = 3e-3, kArm26PErr = 0.005;
constexpr double kRraKinematics = 5e-7, kRraForce = 1.7e-4, kCmcKinematics = 0.1;

TEST(Cmc, Arm26TutorialMatchesOutputReference) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Tutorials/Computed_Muscle_Control/OutputReference/ComputedMuscleControl", "cmc-arm26");
  fs::copy_file(test::opensim_file("Tutorials/Computed_Muscle_Control/OutputReference/arm26.osim"), dir / "arm26.osim");
  fs::copy_file(test::opensim_file("Tutorials/Computed_Muscle_Control/OutputReference/InverseKinematics/arm26_InverseKinematics.mot"),
                dir / "arm26_InverseKinematics.mot");
  fs::remove_all(dir / "Results");
  const tools::RunReport report = run(dir / "arm26_Setup_ComputedMuscleControl.xml");
  EXPECT_EQ(report.files_written.size(), 10u);
  const fs::path ref = test::opensim_file("Tutorials/Computed_Muscle_Control/OutputReference/ComputedMuscleControl/Results");
  std::string which;
  // Tracked kinematics (degrees): 0.016 deg RMS measured.
  const double q = worst_rms(compare(io::read_sto(ref / "arm26_Kinematics_q.sto"),
                                     io::read_sto(dir / "Results/arm26_Kinematics_q.sto"), "."), &which);
  std::printf("arm26 CMC: kinematics %.3g deg RMS (%s)", q, which.c_str());
  EXPECT_LT(q, 0.1) << which;
  // Activations: <= 0.031 RMS measured (OpenSim itself varies by 0.064 between versions).
  const io::Table states = io::read_sto(dir / "Results/arm26_states.sto");
  const double a = worst_rms(compare(io::read_sto(ref / "arm26_states.sto"), states, "activation"), &which);
  std::printf(", activations %.3g RMS (%s)", a, which.c_str());
  EXPECT_LT(a, 0.05) << which;
  double fiber = 0.0;
  for (const ColumnError& e : compare(io::read_sto(ref / "arm26_states.sto"), states, "fiber_length"))
    if (e.max > fiber) fiber = e.max, which = e.label;
  std::printf(", fiber lengths %.3g m max (%s)", fiber, which.c_str());
  EXPECT_GT(fiber, 0.0);
  EXPECT_LT(fiber, kArm26FiberLength) << which;
  EXPECT_GT(a, 0.0);
  // The run starts 0.03 s in (CMC::computeInitialStates) and ends at tf - T.
  EXPECT_NEAR(states.time[0], 0.03, 1e-12);
  EXPECT_NEAR(states.time[states.rows() - 1], 0.99, 1e-9);
  const io::Table perr = io::read_sto(dir / "Results/arm26_pErr.sto");
  EXPECT_EQ(perr.labels, (std::vector<std::string>{"r_shoulder_elev", "r_elbow_flex"}));
  EXPECT_NEAR(perr.time[0], 0.0, 1e-12);
  EXPECT_NEAR(perr.time[1], 0.03, 1e-12);
  std::printf(", pErr %.3g rad\n", perr.data.cwiseAbs().maxCoeff());
  EXPECT_LT(perr.data.cwiseAbs().maxCoeff(), kArm26PErr);  // rad
  // The ControlSet reads back and drives every actuator.
  const io::ControlSet controls = io::read_control_set(dir / "Results/arm26_controls.xml");
  ASSERT_EQ(controls.controls.size(), 8u);
  EXPECT_EQ(controls.controls[0].name, "TRIlong.excitation");
  EXPECT_TRUE(controls.controls[0].use_steps);
  EXPECT_FALSE(controls.controls[7].use_steps);  // r_elbow_flex_reserve
  EXPECT_NEAR(controls.controls[0].x_nodes.front().t, 0.03, 1e-12);
}

// CMC point tasks (CMC_Point): no shipped setup has one, and OpenSim 4.6's CMCTool cannot run
// one (CMC_TaskSet::setFunctionsForVelocity looks every task's name up as a coordinate), so
// the check is the task's own purpose: on the arm26 tutorial, the hand tracked by a point task
// alone (X and Y in ground; the arm moves in that plane) follows its target, the hand's path
// under the tutorial's desired kinematics, and so the joints follow those kinematics.
TEST(CmcPointTask, Arm26HandTrackedByAPointTaskFollowsItsTarget) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Tutorials/Computed_Muscle_Control/OutputReference/ComputedMuscleControl", "cmc-point");
  fs::copy_file(test::opensim_file("Tutorials/Computed_Muscle_Control/OutputReference/arm26.osim"), dir / "arm26.osim");
  fs::copy_file(test::opensim_file("Tutorials/Computed_Muscle_Control/OutputReference/InverseKinematics/arm26_InverseKinematics.mot"),
                dir / "arm26_InverseKinematics.mot");
  const io::CmcSetup setup = std::get<io::CmcSetup>(io::read_setup(dir / "arm26_Setup_ComputedMuscleControl.xml"));
  std::vector<std::string> warnings;
  tools::CmcPrepared p = tools::prepare_cmc(setup, false, warnings);
  const Model& model = *p.model;
  const int hand = model.body_index("r_ulna_radius_hand");
  ASSERT_GT(hand, 0);
  const Vec3 wrist(0.0, -0.24, 0.0);

  // The target: the wrist point along the desired kinematics, at the IK file's times.
  const io::Table ik = io::read_sto(dir / "arm26_InverseKinematics.mot");
  io::Table points;
  points.labels = {"wrist", "wrist", "wrist"};
  points.time = ik.time;
  points.data.resize(ik.rows(), 3);
  Data data(model);
  Eigen::VectorXd q(model.nq);
  for (int i = 0; i < ik.rows(); ++i) {
    for (int k = 0; k < model.nq; ++k) q[k] = p.desired.q.derivative(k, 0, ik.time[i]);
    forward_kinematics(model, data, q);
    points.data.row(i) = point_in_ground(model, data, hand, wrist).transpose();
  }
  tools::CmcPoints target;
  tools::CmcPointTask task;
  task.name = "wrist";
  task.body = hand;
  task.point = wrist;
  task.active = {true, true, false};
  task.kp = {100.0, 100.0, 100.0};
  task.kv = {20.0, 20.0, 20.0};
  target.tasks = {task};
  // Unfiltered: the arm starts straight (elbow at -0.05 deg), where a filtered wrist path can
  // leave the arm's reach by a fraction of a millimetre and no acceleration follows it.
  tools::make_desired_points(points, -1.0, target);
  EXPECT_EQ(target.tasks[0].column, 0);

  const tools::CmcResult r =
      tools::run_cmc(*p.sm, p.desired, {}, p.controls, p.initial_time, p.final_time, p.initial_state, p.settings, target);
  EXPECT_EQ(r.position_errors.labels, (std::vector<std::string>{"wrist", "wrist"}));
  double worst_point = 0.0, worst_angle = 0.0, travel = 0.0;
  Vec3 first = Vec3::Zero();
  for (int i = 0; i < r.rows.rows(); ++i) {
    const double t = r.rows.time[static_cast<size_t>(i)];
    q = r.rows.states[static_cast<size_t>(i)].head(model.nq);
    forward_kinematics(model, data, q);
    const Vec3 at = point_in_ground(model, data, hand, wrist);
    if (i == 0) first = at;
    travel = std::max(travel, (at - first).norm());
    for (int c = 0; c < 2; ++c) worst_point = std::max(worst_point, std::abs(at[c] - target.desired.derivative(c, 0, t)));
    for (int k = 0; k < model.nq; ++k)
      worst_angle = std::max(worst_angle, std::abs(q[k] - p.desired.q.derivative(k, 0, t)));
  }
  std::printf("arm26 wrist point task: %d states, wrist within %.3g mm of its target (X, Y) over a %.0f mm path; "
              "joints within %.3g deg of the kinematics that made the target\n",
              r.rows.rows(), 1e3 * worst_point, 1e3 * travel, worst_angle * 180 / std::numbers::pi);
  EXPECT_GT(travel, 0.1);  // the hand moves: the test is not of a still point
  // Measured 0.82 mm and 0.68 deg (the joints are free along Z, which is not tracked).
  EXPECT_LT(worst_point, 2e-3);
  EXPECT_LT(worst_angle, 1.0 * std::numbers::pi / 180);
}

// The same task from files, as `femur run` reads a CMCTool setup: a CMC_Point in the task set
// file and the wrist's path as <desired_points_file> (three columns named as the task).
TEST(CmcPointTask, TheSetupReadsPointTasksAndTheirDesiredPoints) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Tutorials/Computed_Muscle_Control/OutputReference/ComputedMuscleControl", "cmc-point-setup");
  fs::copy_file(test::opensim_file("Tutorials/Computed_Muscle_Control/OutputReference/arm26.osim"), dir / "arm26.osim");
  fs::copy_file(test::opensim_file("Tutorials/Computed_Muscle_Control/OutputReference/InverseKinematics/arm26_InverseKinematics.mot"),
                dir / "arm26_InverseKinematics.mot");
  fs::remove_all(dir / "Results");
  const Model model = io::read_osim(dir / "arm26.osim");
  const int hand = model.body_index("r_ulna_radius_hand");
  // The wrist's path under the IK angles.
  const io::Table ik = io::read_sto(dir / "arm26_InverseKinematics.mot");
  io::Table points;
  points.name = "wrist";
  points.labels = {"wrist", "wrist", "wrist"};
  points.time = ik.time;
  points.data.resize(ik.rows(), 3);
  Data data(model);
  Eigen::VectorXd q = model.default_q();
  for (int i = 0; i < ik.rows(); ++i) {
    for (int k = 0; k < model.nq; ++k)
      q[k] = ik.data(i, ik.column(model.coordinates[static_cast<size_t>(k)].name)) * std::numbers::pi / 180;
    forward_kinematics(model, data, q);
    points.data.row(i) = point_in_ground(model, data, hand, Vec3(0.0, -0.24, 0.0)).transpose();
  }
  io::write_sto(dir / "wrist.sto", points);
  std::ofstream(dir / "point_tasks.xml")
      << "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<OpenSimDocument Version=\"40000\">\n"
         "<CMC_TaskSet name=\"points\"><objects>\n"
         "<CMC_Point name=\"wrist\">\n<on>true</on>\n<wrt_body>r_ulna_radius_hand</wrt_body>\n"
         "<express_body>ground</express_body>\n<active>true true false</active>\n<weight>1 1 1</weight>\n"
         "<kp>100 100 100</kp>\n<kv>20 20 20</kv>\n<point>0 -0.24 0</point>\n</CMC_Point>\n"
         "</objects></CMC_TaskSet>\n</OpenSimDocument>\n";
  std::stringstream text;
  text << std::ifstream(dir / "arm26_Setup_ComputedMuscleControl.xml").rdbuf();
  std::string xml = std::regex_replace(text.str(), std::regex("<desired_points_file>[^<]*</desired_points_file>"),
                                       "<desired_points_file>wrist.sto</desired_points_file>");
  xml = std::regex_replace(xml, std::regex("<task_set_file>[^<]*</task_set_file>"),
                           "<task_set_file>point_tasks.xml</task_set_file>");
  // No filter (see the test above: the straight arm at the start is out of a filtered path's reach).
  xml = std::regex_replace(xml, std::regex("<lowpass_cutoff_frequency>[^<]*</lowpass_cutoff_frequency>"),
                           "<lowpass_cutoff_frequency>-1</lowpass_cutoff_frequency>");
  std::ofstream(dir / "setup.xml") << xml;
  const tools::RunReport report = run(dir / "setup.xml");
  EXPECT_EQ(report.files_written.size(), 10u);
  const io::Table perr = io::read_sto(dir / "Results/arm26_pErr.sto");
  EXPECT_EQ(perr.labels, (std::vector<std::string>{"wrist", "wrist"}));
  // After the first windows the position errors are the tracking error of the wrist, in m.
  double worst = 0.0;
  for (int i = 0; i < perr.rows(); ++i)
    if (perr.time[i] > 0.1) worst = std::max({worst, std::abs(perr.data(i, 0)), std::abs(perr.data(i, 1))});
  std::printf("arm26 wrist point task from a setup: pErr within %.3g mm after 0.1 s\n", 1e3 * worst);
  EXPECT_LT(worst, 2e-3);

  // A point task needs the desired points.
  xml = std::regex_replace(xml, std::regex("<desired_points_file>[^<]*</desired_points_file>"),
                           "<desired_points_file></desired_points_file>");
  std::ofstream(dir / "no_points.xml") << xml;
  try {
    run(dir / "no_points.xml");
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("point_tasks.xml:4: point task 'wrist' needs <desired_points_file> in the setup"),
              std::string::npos)
        << e.what();
  }
}

TEST(CmcPointTask, PointTasksFemurCannotTrackAreRefusedWithTheirLine) {
  const fs::path dir = test::temp_dir("cmc-point-bad");
  auto message = [&](const std::string& body) {
    const fs::path file = dir / "tasks.xml";
    std::ofstream(file) << "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<OpenSimDocument Version=\"40000\">\n"
                           "<CMC_TaskSet name=\"t\"><objects>\n<CMC_Point name=\"toe\">\n" << body
                        << "</CMC_Point>\n</objects></CMC_TaskSet>\n</OpenSimDocument>\n";
    try {
      io::read_cmc_task_set(file);
    } catch (const io::ParseError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string f = (dir / "tasks.xml").string();
  EXPECT_EQ(message("<wrt_body>toes_r</wrt_body><express_body>pelvis</express_body>\n"),
            f + ":4: CMC_Point 'toe': express_body 'pelvis' is not supported by femur (only ground)");
  EXPECT_EQ(message("<wrt_body>toes_r</wrt_body>\n<r0>0 1 0</r0>\n"),
            f + ":6: CMC_Point 'toe': <r0> other than the ground axes is not supported by femur");
  EXPECT_EQ(message("<active>true false</active>\n"), f + ":4: CMC_Point 'toe' has no <wrt_body>");
  EXPECT_EQ(message("<wrt_body>toes_r</wrt_body><active>yes</active>\n"),
            f + ":5: <active> of task 'toe': expected true or false, got 'yes'");
}

TEST(CmcPointTask, DesiredPointsWithoutThreeColumnsOfTheTasksNameAreRefused) {
  io::Table points;
  points.labels = {"wrist", "wrist", "elbow"};
  points.time = Eigen::VectorXd::LinSpaced(8, 0.0, 0.7);
  points.data = Eigen::MatrixXd::Zero(8, 3);
  tools::CmcPoints target;
  target.tasks.push_back({});
  target.tasks[0].name = "wrist";
  try {
    tools::make_desired_points(points, -1.0, target);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "point task 'wrist' needs three consecutive columns named 'wrist' (X, Y, Z in ground) in the "
                           "desired points");
  }
}

TEST(Cmc, Gait2354OnShippedRraOutputsMatchesOpenSim46) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Pipelines/Gait2354_Simbody", "cmc-gait2354");
  fs::copy_file(dir / "OutputReference/subject01_simbody_adjusted.osim", dir / "subject01_simbody_adjusted.osim");
  fs::copy(dir / "OutputReference/ResultsRRA", dir / "ResultsRRA", fs::copy_options::recursive);
  run(dir / "subject01_Setup_CMC.xml");
  const fs::path ref = test::opensim_file("Generated/Gait2354_Simbody/ResultsCMC");
  std::string which;
  const double q = worst_rms(compare(io::read_sto(ref / "subject01_walk1_Kinematics_q.sto"),
                                     io::read_sto(dir / "ResultsCMC/subject01_walk1_Kinematics_q.sto"), "."), &which);
  std::printf("Gait2354 CMC: kinematics %.3g deg RMS (%s)", q, which.c_str());
  EXPECT_LT(q, 0.2) << which;  // 0.12 deg measured (mtp_angle_l)
  const double a = worst_rms(compare(read_states(ref / "subject01_walk1_states.sto"),
                                     read_states(dir / "ResultsCMC/subject01_walk1_states.sto"), "activation"), &which);
  std::printf(", activations %.3g RMS (%s)", a, which.c_str());
  EXPECT_LT(a, 0.05) << which;  // 0.029 measured (med_gas_r)
  // Residual forces within 10% of OpenSim's peak residual force, moments of its peak moment
  // (measured: forces <= 0.30 N RMS of a 9.0 N peak, moments <= 0.30 N m of 13.3 N m; per
  // component FZ, whose own peak is 1.7 N, differs by 18% of it).
  const auto residuals = compare(io::read_sto(ref / "subject01_walk1_Actuation_force.sto"),
                                 io::read_sto(dir / "ResultsCMC/subject01_walk1_Actuation_force.sto"),
                                 "^(FX|FY|FZ|MX|MY|MZ)$");
  ASSERT_EQ(residuals.size(), 6u);
  double peak_force = 0, peak_moment = 0;
  for (const ColumnError& e : residuals) (e.label[0] == 'F' ? peak_force : peak_moment) = std::max(e.label[0] == 'F' ? peak_force : peak_moment, e.peak);
  double worst_force = 0, worst_moment = 0;
  for (const ColumnError& e : residuals) (e.label[0] == 'F' ? worst_force : worst_moment) = std::max(e.label[0] == 'F' ? worst_force : worst_moment, e.rms);
  std::printf(", residual forces %.3g N RMS of a %.3g N peak, moments %.3g N m of %.3g N m\n", worst_force, peak_force,
              worst_moment, peak_moment);
  for (const ColumnError& e : residuals) EXPECT_LT(e.rms, 0.1 * (e.label[0] == 'F' ? peak_force : peak_moment)) << e.label;
}

// Beyond OpenSim: OpenSim 4.6 stops on the shipped Gait2354 Forward setup when it starts from its
// own CMC states (shared README). femur's Forward, from femur's CMC states and controls, follows
// femur's CMC run: the two integrate the same model under the same controls, CMC with its
// windows and Forward across them.
TEST(Cmc, Gait2354ResimulatedByTheForwardSetupFollowsTheCmcRun) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Pipelines/Gait2354_Simbody", "cmc-forward-gait2354");
  fs::copy_file(dir / "OutputReference/subject01_simbody_adjusted.osim", dir / "subject01_simbody_adjusted.osim");
  fs::copy(dir / "OutputReference/ResultsRRA", dir / "ResultsRRA", fs::copy_options::recursive);
  run(dir / "subject01_Setup_CMC.xml");
  // The shipped setup names its model ".osubject01_simbody_adjusted.osim" (a stray ".o").
  replace_in(dir / "subject01_Setup_Forward.xml", ".osubject01_simbody_adjusted.osim", "subject01_simbody_adjusted.osim");
  run(dir / "subject01_Setup_Forward.xml");
  const io::Table cmc = read_states(dir / "ResultsCMC/subject01_walk1_states.sto");
  const io::Table forward = read_states(dir / "ResultsForward/subject01_walk1_states.sto");
  EXPECT_NEAR(forward.time[0], cmc.time[0], 1e-12);  // both start at 0.83 s
  // Coordinates (the columns ending in /value): 2.9e-4 rad to 0.9 s, 9.2e-4 to 1.0 s, 2.5e-3
  // by 1.08 s (mtp_angle_l).
  io::Table until;
  until.labels = forward.labels;
  int rows = 0;
  while (rows < forward.rows() && forward.time[rows] <= 1.0) ++rows;
  until.time = forward.time.head(rows);
  until.data = forward.data.topRows(rows);
  // Worst coordinate difference up to t_max.
  auto worst_until = [&](double t_max, std::string& which) {
    io::Table until;
    until.labels = forward.labels;
    int rows = 0;
    while (rows < forward.rows() && forward.time[rows] <= t_max) ++rows;
    until.time = forward.time.head(rows);
    until.data = forward.data.topRows(rows);
    double worst = 0.0;
    for (const ColumnError& e : compare(until, cmc, "^[a-z_]+(_r|_l|_tilt|_list|_rotation|_tx|_ty|_tz|extension|bending)$"))
      if (e.max > worst) {
        worst = e.max;
        which = e.label;
      }
    return worst;
  };
  std::string which09, which10, which108;
  const double to_09 = worst_until(0.9, which09), to_10 = worst_until(1.0, which10),
               to_108 = worst_until(1.08, which108);
  std::printf("Gait2354 Forward from femur's CMC: coordinates %.3g rad to 0.9 s (%s), %.3g to 1.0 s (%s), %.3g to 1.08 s (%s)\n",
              to_09, which09.c_str(), to_10, which10.c_str(), to_108, which108.c_str());
  EXPECT_GT(to_10, 0.0);
  EXPECT_LT(to_09, 2.9e-3) << which09;
  EXPECT_LT(to_10, 9e-3) << which10;
  EXPECT_LT(to_108, 2.4e-2) << which108;
}

TEST(Rra, Gait2354MatchesOpenSim46WithTheTorsoAdjusted) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Pipelines/Gait2354_Simbody", "rra-gait2354");
  // Generated/README.md: the model and IK of OutputReference.
  fs::copy_file(dir / "OutputReference/subject01_simbody.osim", dir / "subject01_simbody.osim");
  fs::copy_file(dir / "OutputReference/subject01_walk1_ik.mot", dir / "subject01_walk1_ik.mot",
                fs::copy_options::overwrite_existing);
  run(dir / "subject01_Setup_RRA.xml");
  const fs::path ref = test::opensim_file("Generated/Gait2354_Simbody/ResultsRRA");
  std::string which;
  const double q = worst_rms(compare(io::read_sto(ref / "subject01_walk1_RRA_Kinematics_q.sto"),
                                     io::read_sto(dir / "ResultsRRA/subject01_walk1_RRA_Kinematics_q.sto"), "."), &which);
  std::printf("Gait2354 RRA: kinematics %.3g deg RMS (%s)", q, which.c_str());
  EXPECT_LT(q, 0.1) << which;  // 0.024 deg measured
  const auto forces = compare(io::read_sto(ref / "subject01_walk1_RRA_Actuation_force.sto"),
                              io::read_sto(dir / "ResultsRRA/subject01_walk1_RRA_Actuation_force.sto"), ".");
  ASSERT_EQ(forces.size(), 23u);  // FX..MZ and 17 reserves
  double residual_rms = 0, residual_max = 0, residual_peak = 0, reserve_rms = 0;
  for (const ColumnError& e : forces) {
    if (e.label.size() == 2) {
      residual_rms = std::max(residual_rms, e.rms);
      residual_max = std::max(residual_max, e.max / e.peak);
      residual_peak = std::max(residual_peak, e.peak);
    } else {
      reserve_rms = std::max(reserve_rms, e.rms);
    }
  }
  std::printf(", residuals %.3g RMS, max %.3g of peak (%.3g), reserves %.3g RMS", residual_rms, residual_max,
              residual_peak, reserve_rms);
  // Measured: residuals 0.27 N m RMS, 2.8% of peak at most; reserves 0.27 N m RMS.
  EXPECT_LT(residual_rms, 2.6);
  EXPECT_LT(reserve_rms, 2.6);
  for (const ColumnError& e : forces) {
    if (e.label.size() == 2) {
      EXPECT_LT(e.max, 0.1 * e.peak) << e.label;  // residuals: <= 2.8% of peak measured
    }
    EXPECT_LT(e.rms, 0.05 * std::max(e.peak, 1.0)) << e.label;
  }
  EXPECT_TRUE(fs::exists(dir / "ResultsRRA/subject01_walk1_RRA_avgResiduals.txt"));
  // The adjusted model: OpenSim 4.6 moved the torso's centre of mass to (0.015788, 0.34551,
  // 0.016668); femur's averages differ slightly (its ID pass evaluates the splines, OpenSim
  // its own storage rows).
  const Model adjusted = io::read_osim(dir / "subject01_simbody_adjusted.osim");
  const Model opensim = io::read_osim(ref / "subject01_simbody_adjusted.osim");
  const int torso = adjusted.body_index("torso");
  const Vec3 d = adjusted.bodies[static_cast<size_t>(torso)].com_in_body - opensim.bodies[static_cast<size_t>(torso)].com_in_body;
  std::printf(", torso centre of mass %.3g m from OpenSim's\n", d.norm());
  EXPECT_LT(d.norm(), 0.002) << d.transpose();
  // Every other body and the muscles are those of the model file.
  EXPECT_EQ(adjusted.forces.size(), opensim.forces.size());
  for (size_t b = 0; b < adjusted.bodies.size(); ++b)
    if (static_cast<int>(b) != torso) {
      EXPECT_EQ(adjusted.bodies[b].com_in_body, opensim.bodies[b].com_in_body) << adjusted.bodies[b].name;
    }
}

TEST(Rra, Gait10dof18muscThenCmcMatchOpenSim46) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::copy_opensim_folder("Pipelines/Gait10dof18musc", "rra-cmc-gait10dof");
  fs::copy_file(dir / "OutputReference/subject01.osim", dir / "subject01.osim");
  fs::create_directories(dir / "IK");
  fs::copy_file(test::opensim_file("Generated/Gait10dof18musc/IK/subject01_walk_IK.mot"), dir / "IK/subject01_walk_IK.mot");
  run(dir / "RRA/walk_Setup_RRA.xml");
  const fs::path ref = test::opensim_file("Generated/Gait10dof18musc");
  std::string which;
  const double rra_q = worst_rms(compare(io::read_sto(ref / "RRA/subject_adjusted_Kinematics_q.sto"),
                                         io::read_sto(dir / "RRA/Results/subject_adjusted_Kinematics_q.sto"), "."),
                                 &which);
  std::printf("Gait10dof18musc RRA: kinematics %.3g deg RMS (%s)", rra_q, which.c_str());
  EXPECT_LT(rra_q, kRraKinematics) << which;
  double rra_force = 0;
  for (const ColumnError& e : compare(io::read_sto(ref / "RRA/subject_adjusted_Actuation_force.sto"),
                                      io::read_sto(dir / "RRA/Results/subject_adjusted_Actuation_force.sto"), ".")) {
    rra_force = std::max(rra_force, e.max);
    EXPECT_LT(e.max, 1e-3 * e.peak) << e.label;
    EXPECT_LT(e.max, kRraForce) << e.label;
  }
  std::printf(", forces %.3g max", rra_force);
  // CMC on femur's RRA kinematics.
  run(dir / "CMC/walk_Setup_CMC.xml");
  const double cmc_q = worst_rms(compare(io::read_sto(ref / "CMC/walk_subject_Kinematics_q.sto"),
                                         io::read_sto(dir / "CMC/Results/walk_subject_Kinematics_q.sto"), "."),
                                 &which);
  std::printf("; CMC kinematics %.3g deg RMS (%s)", cmc_q, which.c_str());
  EXPECT_LT(cmc_q, kCmcKinematics) << which;
  const double cmc_a = worst_rms(compare(read_states(ref / "CMC/walk_subject_states.sto"),
                                         read_states(dir / "CMC/Results/walk_subject_states.sto"), "activation"),
                                 &which);
  std::printf(", activations %.3g RMS (%s)\n", cmc_a, which.c_str());
  EXPECT_LT(cmc_a, 0.05) << which;  // 0.021 measured (gastroc_l)
}

// ---------------------------------------------------------------------------------------
// Bad input: the exact message, a non-zero exit, nothing written.

struct BadCase {
  fs::path dir, setup;
};

BadCase arm26_case(const std::string& tag) {
  BadCase c;
  c.dir = test::copy_opensim_folder("Tutorials/Computed_Muscle_Control/OutputReference/ComputedMuscleControl", tag);
  fs::copy_file(test::opensim_file("Tutorials/Computed_Muscle_Control/OutputReference/arm26.osim"), c.dir / "arm26.osim");
  fs::copy_file(test::opensim_file("Tutorials/Computed_Muscle_Control/OutputReference/InverseKinematics/arm26_InverseKinematics.mot"),
                c.dir / "arm26_InverseKinematics.mot");
  fs::remove_all(c.dir / "Results");
  c.setup = c.dir / "arm26_Setup_ComputedMuscleControl.xml";
  return c;
}

void replace_in(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = test::read_text(file);
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  test::write_text(file, text);
}

// Runs the CLI; returns stderr after checking the exit code and that no Results folder appeared.
std::string refused(const BadCase& c) {
  const test::CliRun r = test::run_cli("run --quiet \"" + c.setup.string() + "\"");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(fs::exists(c.dir / "Results")) << "a refused run wrote its results folder";
  return r.err;
}

TEST(CmcBadInput, ConstraintNamingAnUnknownActuator) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const BadCase c = arm26_case("cmc-bad-constraint");
  fs::copy_file(test::source_dir() / "tests/data/bad/cmc_constraint_unknown_actuator.xml", c.dir / "constraints.xml");
  replace_in(c.setup, "<constraints_file> </constraints_file>", "<constraints_file>constraints.xml</constraints_file>");
  const std::string err = refused(c);
  EXPECT_NE(err.find((c.dir / "constraints.xml").string() + ":7: control 'DELT1.excitation' names no actuator of the model"),
            std::string::npos)
      << err;
}

TEST(CmcBadInput, TaskForACoordinateTheModelLacks) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const BadCase c = arm26_case("cmc-bad-task");
  fs::copy_file(test::source_dir() / "tests/data/bad/cmc_task_missing_coordinate.xml", c.dir / "tasks.xml");
  replace_in(c.setup, "arm26_ComputedMuscleControl_Tasks.xml", "tasks.xml");
  const std::string err = refused(c);
  EXPECT_NE(err.find((c.dir / "tasks.xml").string() +
                     ":12: task 'r_wrist_flex' tracks coordinate 'r_wrist_flex', which the model arm26.osim does not have"),
            std::string::npos)
      << err;
}

TEST(CmcBadInput, TimeRangeOutsideTheDesiredKinematics) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const BadCase c = arm26_case("cmc-bad-time");
  replace_in(c.setup, "<initial_time>       0.00000000 </initial_time>", "<initial_time>5</initial_time>");
  replace_in(c.setup, "<final_time>       1.00000000 </final_time>", "<final_time>6</final_time>");
  const std::string err = refused(c);
  EXPECT_NE(err.find(c.setup.string() + ": <initial_time> 5 to <final_time> 6 lies outside the desired kinematics (0 to 1 s in " +
                     (c.dir / "arm26_InverseKinematics.mot").string() + ")"),
            std::string::npos)
      << err;
}

TEST(CmcBadInput, InfeasibleWindowNamesTimeAndCoordinates) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const BadCase c = arm26_case("cmc-bad-infeasible");
  // Reserves bounded to +-0.001 N m and muscles capped at 2% excitation: the elbow cannot be
  // flexed as the motion asks.
  fs::copy_file(test::source_dir() / "tests/data/bad/cmc_constraints_too_tight.xml", c.dir / "constraints.xml");
  replace_in(c.setup, "<constraints_file> </constraints_file>", "<constraints_file>constraints.xml</constraints_file>");
  const std::string err = refused(c);
  // The coordinates named are those the closest forces miss (least squares over both: the
  // shoulder reserve gives up some shoulder acceleration to help the elbow).
  EXPECT_NE(err.find(c.setup.string() + ": CMC: at time 0 no actuator forces within their bounds achieve the desired "
                                        "accelerations of r_shoulder_elev (acceleration off by 1.581), r_elbow_flex "
                                        "(acceleration off by 0.7408); the model cannot generate the forces needed"),
            std::string::npos)
      << err;
}

TEST(CmcBadInput, DesiredKinematicsInDegreesUnderARadiansHeader) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const BadCase c = arm26_case("cmc-bad-degrees");
  replace_in(c.dir / "arm26_InverseKinematics.mot", "inDegrees=yes", "inDegrees=no");
  const std::string err = refused(c);
  EXPECT_NE(err.find(c.setup.string() + ":87: <desired_kinematics_file>: " + (c.dir / "arm26_InverseKinematics.mot").string() +
                     ": the header says inDegrees=no (radians) but coordinate r_elbow_flex reaches 90.1707, more than two "
                     "turns; the file holds degrees (set inDegrees=yes)"),
            std::string::npos)
      << err;
}

}  // namespace
}  // namespace femur
