// MuscleAnalysis through `femur run` on AnalyzeTool setups, against OpenSim 4.6's own
// MuscleAnalysis files (shared/opensim/Generated/*/MuscleAnalysis, made as Generated/README.md
// says: coordinates = the IK result, no filtering), whole tables compared; plus identities
// every frame must satisfy (force balance, moment = r F, power balance, length split) and the
// options' and inputs' edge cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "femur/io/osim_reader.hpp"
#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/muscle_analysis.hpp"
#include "femur/tools/run_setup.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;
using tools::MuscleAnalysisOptions;

// ---------------------------------------------------------------------------------------
// Fixtures: an AnalyzeTool setup written into a temporary folder, naming the shared model and
// coordinates in place, run by femur run.

struct AnalyzeCase {
  std::string tag, tool_name, model, coordinates;
  double initial_time, final_time;
  bool equilibrium;
  std::string coordinate_list;  // moment_arm_coordinate_list
  std::string muscle_list = "all";
  bool compute_moments = true;
};

struct AnalyzeRun {
  fs::path dir;
  tools::RunReport report;
  io::Table read(const std::string& tool, const std::string& storage) const {
    return io::read_sto(dir / (tool + "_MuscleAnalysis_" + storage + ".sto"));
  }
};

AnalyzeRun run_case(const AnalyzeCase& c) {
  AnalyzeRun run;
  run.dir = test::temp_dir(c.tag);
  const fs::path setup = run.dir / "setup_MuscleAnalysis.xml";
  std::ofstream(setup) << "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
                       << "<OpenSimDocument Version=\"40000\">\n<AnalyzeTool name=\"" << c.tool_name << "\">\n"
                       << "<model_file>" << test::opensim_file(c.model).string() << "</model_file>\n"
                       << "<results_directory>results</results_directory>\n"
                       << "<output_precision>16</output_precision>\n"
                       << "<initial_time>" << c.initial_time << "</initial_time>\n"
                       << "<final_time>" << c.final_time << "</final_time>\n"
                       << "<solve_for_equilibrium_for_auxiliary_states>" << (c.equilibrium ? "true" : "false")
                       << "</solve_for_equilibrium_for_auxiliary_states>\n"
                       << "<AnalysisSet name=\"Analyses\"><objects>\n<MuscleAnalysis name=\"MuscleAnalysis\">\n"
                       << "<on>true</on><step_interval>1</step_interval><in_degrees>true</in_degrees>\n"
                       << "<muscle_list>" << c.muscle_list << "</muscle_list>\n"
                       << "<moment_arm_coordinate_list>" << c.coordinate_list << "</moment_arm_coordinate_list>\n"
                       << "<compute_moments>" << (c.compute_moments ? "true" : "false") << "</compute_moments>\n"
                       << "</MuscleAnalysis>\n</objects><groups/></AnalysisSet>\n"
                       << "<coordinates_file>" << test::opensim_file(c.coordinates).string() << "</coordinates_file>\n"
                       << "<lowpass_cutoff_frequency_for_coordinates>-1</lowpass_cutoff_frequency_for_coordinates>\n"
                       << "</AnalyzeTool>\n</OpenSimDocument>\n";
  tools::RunOptions options;
  options.quiet = true;
  run.report = tools::run_setup(io::read_setup(setup), options);
  run.dir /= "results";
  return run;
}

const AnalyzeCase kGait2392{"ma-gait2392",
                            "gait2392_walk1",
                            "Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim",
                            "Generated/Gait2392_Simbody/subject01_walk1_ik.mot",
                            0.5,
                            2.5,
                            false,
                            "hip_flexion_r hip_adduction_r hip_rotation_r knee_angle_r ankle_angle_r lumbar_extension"};
const AnalyzeCase kGait10dof{"ma-gait10dof",
                             "gait10dof18musc_walk",
                             "Pipelines/Gait10dof18musc/OutputReference/subject01.osim",
                             "Generated/Gait10dof18musc/IK/subject01_walk_IK.mot",
                             0.5,
                             2.0,
                             true,
                             "hip_flexion_r knee_angle_r ankle_angle_r"};
const AnalyzeCase kArm26{"ma-arm26",
                         "arm26_elbow_flex",
                         "Tutorials/Computed_Muscle_Control/InverseKinematics/arm26.osim",
                         "Tutorials/Computed_Muscle_Control/OutputReference/InverseKinematics/arm26_InverseKinematics.mot",
                         0.0,
                         1.0,
                         false,
                         "r_shoulder_elev r_elbow_flex"};

// One run per case for the whole test program.
const AnalyzeRun& cached(const AnalyzeCase& c) {
  static std::map<std::string, AnalyzeRun> runs;
  auto it = runs.find(c.tag);
  if (it == runs.end()) it = runs.emplace(c.tag, run_case(c)).first;
  return it->second;
}

// Largest difference between two whole tables with the same times and columns (in any order);
// `scale(col, ref)` turns a difference into what is compared (absolute, relative...).
struct Difference {
  double worst = 0.0;
  std::string at;
};

template <class Scale>
Difference compare_tables(const io::Table& mine, const io::Table& ref, Scale scale) {
  EXPECT_EQ(mine.rows(), ref.rows()) << ref.name;
  EXPECT_EQ(mine.cols(), ref.cols()) << ref.name;
  Difference d;
  if (mine.rows() != ref.rows()) return {1e300, "row count"};
  for (int r = 0; r < ref.rows(); ++r)
    EXPECT_NEAR(mine.time[r], ref.time[r], 1e-9) << ref.name << " row " << r;
  for (int c = 0; c < ref.cols(); ++c) {
    const int mc = mine.column(ref.labels[static_cast<size_t>(c)]);
    EXPECT_EQ(mc, c) << ref.name << ": column " << ref.labels[static_cast<size_t>(c)] << " in OpenSim's order";
    if (mc < 0) return {1e300, "missing column " + ref.labels[static_cast<size_t>(c)]};
    for (int r = 0; r < ref.rows(); ++r) {
      const double e = scale(ref.labels[static_cast<size_t>(c)], mine.data(r, mc), ref.data(r, c));
      if (!(e <= d.worst)) {
        d.worst = std::isnan(e) ? 1e300 : e;
        d.at = ref.labels[static_cast<size_t>(c)] + " t=" + std::to_string(ref.time[r]);
      }
    }
  }
  return d;
}

double absolute(const std::string&, double a, double b) { return std::abs(a - b); }

fs::path reference_dir(const std::string& folder) { return test::opensim_file("Generated/" + folder + "/MuscleAnalysis"); }

// ---------------------------------------------------------------------------------------
// 1. Gait2392: 92 muscles, 121 frames; lengths and moment arms about six coordinates.
// The paths are OpenSim's closed-form geometry: the files' 10 decimals are the limit.

TEST(MuscleAnalysisGait2392, LengthAndMomentArmTablesMatchOpenSimForAllMusclesAndFrames) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const AnalyzeRun& run = cached(kGait2392);
  const fs::path ref = reference_dir("Gait2392_Simbody");
  int tables = 0;
  for (const auto& entry : fs::directory_iterator(ref)) {
    const std::string file = entry.path().filename().string();
    const std::string storage = file.substr(std::string("gait2392_walk1_MuscleAnalysis_").size(),
                                            file.size() - std::string("gait2392_walk1_MuscleAnalysis_").size() - 4);
    const io::Table expected = io::read_sto(entry.path());
    ASSERT_EQ(expected.rows(), 121);
    ASSERT_EQ(expected.cols(), 92);
    const Difference d = compare_tables(run.read("gait2392_walk1", storage), expected, absolute);
    std::printf("[ gait2392 ] %-28s worst |error| %.2e m (%s)\n", storage.c_str(), d.worst, d.at.c_str());
    EXPECT_LE(d.worst, 5e-10) << storage << " " << d.at;  // measured 5e-11 m (the files' 10 decimals)
    ++tables;
  }
  EXPECT_EQ(tables, 7);
  EXPECT_EQ(run.report.frames, 121);
}

TEST(MuscleAnalysisGait2392, WritesEveryStorageOfOpenSimUnderItsFileName) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const AnalyzeRun& run = cached(kGait2392);
  std::set<std::string> expected;
  for (const char* q : {"hip_flexion_r", "hip_adduction_r", "hip_rotation_r", "knee_angle_r", "ankle_angle_r",
                        "lumbar_extension"}) {
    expected.insert(std::string("gait2392_walk1_MuscleAnalysis_MomentArm_") + q + ".sto");
    expected.insert(std::string("gait2392_walk1_MuscleAnalysis_Moment_") + q + ".sto");
  }
  for (int q = 0; q < tools::kMuscleQuantityCount; ++q)
    expected.insert("gait2392_walk1_MuscleAnalysis_" +
                    std::string(tools::muscle_quantity_name(static_cast<tools::MuscleQuantity>(q))) + ".sto");
  std::set<std::string> written;
  for (const auto& entry : fs::directory_iterator(run.dir)) written.insert(entry.path().filename().string());
  EXPECT_EQ(written, expected);
  EXPECT_EQ(expected.size(), 30u);
  const io::Table length = run.read("gait2392_walk1", "Length");
  EXPECT_EQ(length.name, "Length");
  EXPECT_FALSE(length.in_degrees);  // MuscleAnalysis storages say inDegrees=no, angles in radians
}

// Identities of every elastic-tendon state (Thelen2003 at its default fiber length, as OpenSim
// reports without solve_for_equilibrium): fiber force along the tendon = tendon force (the
// state's fiber velocity comes from that balance), L = l cos(phi) + l_T, moment = r F_T, and the
// power entering the muscle-tendon unit = the fiber's active and passive power + the tendon's.
TEST(MuscleAnalysisGait2392, EveryFrameSatisfiesBalanceLengthMomentAndPowerIdentities) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const AnalyzeRun& run = cached(kGait2392);
  const auto t = [&](const char* s) { return run.read("gait2392_walk1", s); };
  const io::Table L = t("Length"), l = t("FiberLength"), lT = t("TendonLength"), phi = t("PennationAngle");
  const io::Table FT = t("TendonForce"), Fm = t("FiberForce"), r = t("MomentArm_knee_angle_r"), M = t("Moment_knee_angle_r");
  const io::Table Pa = t("FiberActivePower"), Pp = t("FiberPassivePower"), Pt = t("TendonPower"), Pm = t("MuscleActuatorPower");
  const io::Table v = t("FiberVelocity"), Fa = t("ActiveFiberForce"), Fp = t("PassiveFiberForce");
  int checked = 0, moving = 0;
  for (int i = 0; i < L.rows(); ++i)
    for (int j = 0; j < L.cols(); ++j) {
      const double c = std::cos(phi.data(i, j));
      EXPECT_NEAR(l.data(i, j) * c + lT.data(i, j), L.data(i, j), 1e-12) << L.labels[j];
      EXPECT_NEAR(M.data(i, j), r.data(i, j) * FT.data(i, j), 1e-9 * (1 + std::abs(M.data(i, j))));
      if (v.data(i, j) == 0.0) continue;  // fiber clamped at its minimum length: no balance
      // Round-off scales with the terms summed: active and passive fiber forces cancel when the
      // tendon is slack (fiber at the default 0.1 m of a short-fibred muscle).
      const double force_scale = 1.0 + std::abs(Fa.data(i, j)) + std::abs(Fp.data(i, j));
      const double power_scale = 1.0 + std::abs(Pa.data(i, j)) + std::abs(Pp.data(i, j)) + std::abs(Pt.data(i, j));
      EXPECT_NEAR(Fm.data(i, j) * c, FT.data(i, j), 1e-12 * force_scale) << L.labels[j] << " t=" << L.time[i];
      EXPECT_NEAR(Pa.data(i, j) + Pp.data(i, j) + Pt.data(i, j), Pm.data(i, j), 1e-9 * power_scale)
          << L.labels[j] << " t=" << L.time[i];
      ++checked;
      if (std::abs(Pm.data(i, j)) > 1e-3) ++moving;
    }
  EXPECT_GT(checked, 92 * 121 / 2);
  EXPECT_GT(moving, 92 * 121 / 3);  // the identities are tested away from rest (many tendons
                                    // are slack at the default fiber length)
}

// ---------------------------------------------------------------------------------------
// 2. Gait10dof18musc: Millard2012 muscles at fiber equilibrium (default activation), 91 frames.

TEST(MuscleAnalysisGait10dof, LengthsMomentArmsAndFiberStatesMatchOpenSimAtEquilibrium) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const AnalyzeRun& run = cached(kGait10dof);
  const Model model = io::read_osim(test::opensim_file(kGait10dof.model));
  const MuscleSet muscles(model);
  const fs::path ref = reference_dir("Gait10dof18musc");
  const std::string prefix = "gait10dof18musc_walk_MuscleAnalysis_";
  auto expected = [&](const std::string& s) { return io::read_sto(ref / (prefix + s + ".sto")); };
  auto mine = [&](const std::string& s) { return run.read("gait10dof18musc_walk", s); };
  EXPECT_EQ(run.report.frames, 91);

  // Lengths and moment arms, absolute (m).
  for (const char* s : {"Length", "FiberLength", "TendonLength", "MomentArm_hip_flexion_r", "MomentArm_knee_angle_r",
                        "MomentArm_ankle_angle_r"}) {
    const Difference d = compare_tables(mine(s), expected(s), absolute);
    std::printf("[ gait10dof ] %-24s worst |error| %.2e m (%s)\n", s, d.worst, d.at.c_str());
    EXPECT_LE(d.worst, 5e-10) << s << " " << d.at;  // measured 5e-11 m
  }
  // Fiber quantities, relative: to the value, or to the quantity's natural scale where the value
  // is near zero (F0 for forces, l0 for normalized length = 1, 1 rad for the angle).
  auto f0 = [&](const std::string& muscle) {
    return muscles.parameters(muscles.index(muscle)).max_isometric_force;
  };
  const std::pair<const char*, int> relative[] = {{"NormalizedFiberLength", 0}, {"PennationAngle", 0},
                                                  {"ActiveFiberForce", 1}, {"PassiveFiberForce", 1},
                                                  {"TendonForce", 1}};
  for (const auto& [s, is_force] : relative) {
    const bool force = is_force != 0;
    const Difference d = compare_tables(mine(s), expected(s), [&](const std::string& m, double a, double b) {
      const double floor = force ? 1e-3 * f0(m) : 1e-3;
      return std::abs(a - b) / std::max(std::abs(b), floor);
    });
    std::printf("[ gait10dof ] %-24s worst relative error %.2e (%s)\n", s, d.worst, d.at.c_str());
    EXPECT_LE(d.worst, 9e-9) << s << " " << d.at;  // measured 9.0e-10 (pennation) at most
  }
}

// The Millard fibers are in static equilibrium (OpenSim solves at zero path speed), so the state
// gives zero fiber velocity: force-velocity multiplier 1, no damping, no fiber power; the tendon
// takes the whole path speed.
TEST(MuscleAnalysisGait10dof, MillardEquilibriumAtZeroPathSpeedLeavesTheFiberAtRest) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const AnalyzeRun& run = cached(kGait10dof);
  const auto t = [&](const char* s) { return run.read("gait10dof18musc_walk", s); };
  const io::Table v = t("FiberVelocity"), Pa = t("FiberActivePower"), Pt = t("TendonPower"), Pm = t("MuscleActuatorPower");
  const io::Table FT = t("TendonForce"), Fa = t("ActiveFiberForceAlongTendon"), Fp = t("PassiveFiberForceAlongTendon");
  double worst_v = 0.0;
  for (int i = 0; i < v.rows(); ++i)
    for (int j = 0; j < v.cols(); ++j) {
      worst_v = std::max(worst_v, std::abs(v.data(i, j)));
      // The fiber is at rest up to the equilibrium tolerance (1e-8 F0 of force, through the
      // damping: |v| ~ 1e-7 m/s), so the tendon power is the muscle's power to |F_T| 1e-6 m/s.
      EXPECT_NEAR(Pt.data(i, j), Pm.data(i, j), 1e-6 * std::abs(FT.data(i, j)) + 1e-12);
      EXPECT_NEAR(Fa.data(i, j) + Fp.data(i, j), FT.data(i, j), 1e-6 * (1 + FT.data(i, j)));
    }
  EXPECT_LT(worst_v, 1e-6);
}

// ---------------------------------------------------------------------------------------
// 3. Arm26: paths over a WrapCylinder and WrapEllipsoid. The ellipsoid tangent points are
// iterated to OpenSim's tolerance, which bounds the agreement (geometry_path_test.cpp).

TEST(MuscleAnalysisArm26, WrappingLengthsAndMomentArmsMatchOpenSim) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const AnalyzeRun& run = cached(kArm26);
  const fs::path ref = reference_dir("Arm26");
  const std::pair<const char*, double> tables[] = {
      // Measured: 1.96e-8, 5e-11, 1.08e-6 m (TRIlong); asserted at 10x.
      {"Length", 2e-7}, {"MomentArm_r_shoulder_elev", 5e-10}, {"MomentArm_r_elbow_flex", 1e-5}};
  for (const auto& [s, tol] : tables) {
    const Difference d = compare_tables(run.read("arm26_elbow_flex", s),
                                        io::read_sto(ref / (std::string("arm26_elbow_flex_MuscleAnalysis_") + s + ".sto")),
                                        absolute);
    std::printf("[ arm26 ] %-26s worst |error| %.2e m (%s)\n", s, d.worst, d.at.c_str());
    EXPECT_LE(d.worst, tol) << s << " " << d.at;
  }
}

// ---------------------------------------------------------------------------------------
// Options and inputs.

struct Motion {
  Model model;
  tools::AnalyzeStates states;
  std::vector<int> rows;
};

// The first n frames of a case's IK motion, speeds by central differences.
Motion load_motion(const AnalyzeCase& c, int n) {
  Motion m;
  m.model = io::read_osim(test::opensim_file(c.model));
  const io::Table k = io::read_sto(test::opensim_file(c.coordinates));
  m.states.time = k.time.head(n);
  m.states.q = Eigen::MatrixXd::Zero(n, m.model.nq);
  m.states.u = Eigen::MatrixXd::Zero(n, m.model.nv);
  for (int i = 0; i < m.model.nq; ++i) {
    const Coordinate& coordinate = m.model.coordinates[static_cast<size_t>(i)];
    const int col = k.column(coordinate.name);
    if (col < 0) continue;
    const bool rotational = coordinate.motion_type == MotionType::Rotational;
    m.states.q.col(i) = k.data.col(col).head(n) * (rotational && k.in_degrees ? M_PI / 180.0 : 1.0);
  }
  for (int r = 1; r + 1 < n; ++r)
    m.states.u.row(r) = (m.states.q.row(r + 1) - m.states.q.row(r - 1)) / (k.time[r + 1] - k.time[r - 1]);
  for (int r = 0; r < n; ++r) m.rows.push_back(r);
  return m;
}

const Motion& gait10dof_motion() {
  static const Motion m = load_motion(kGait10dof, 20);
  return m;
}

TEST(MuscleAnalysisOptions, MuscleAndCoordinateListsSelectColumnsInTheGivenOrderAndWarnOnUnknownNames) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Motion& m = gait10dof_motion();
  const tools::MuscleAnalysisResult all = tools::muscle_analysis(m.model, m.states, m.rows, MuscleAnalysisOptions{});
  EXPECT_EQ(all.tables.size(), static_cast<size_t>(2 * m.model.nq + tools::kMuscleQuantityCount));
  EXPECT_TRUE(all.warnings.empty());

  MuscleAnalysisOptions o;
  o.muscle_list = {"soleus_l", "no_such_muscle", "hamstrings_r"};
  o.moment_arm_coordinate_list = {"knee_angle_l", "not_a_coordinate"};
  const tools::MuscleAnalysisResult some = tools::muscle_analysis(m.model, m.states, m.rows, o);
  ASSERT_EQ(some.tables.size(), static_cast<size_t>(2 + tools::kMuscleQuantityCount));
  EXPECT_EQ(some.tables[0].name, "MomentArm_knee_angle_l");
  EXPECT_EQ(some.tables[1].name, "Moment_knee_angle_l");
  const io::Table* length = some.find("Length");
  ASSERT_NE(length, nullptr);
  EXPECT_EQ(length->labels, (std::vector<std::string>{"soleus_l", "hamstrings_r"}));
  ASSERT_EQ(some.warnings.size(), 2u);
  EXPECT_NE(some.warnings[0].find("no_such_muscle"), std::string::npos);
  EXPECT_NE(some.warnings[1].find("not_a_coordinate"), std::string::npos);
  // Same numbers as the full run.
  const io::Table* full_length = all.find("Length");
  const io::Table* full_arm = all.find("MomentArm_knee_angle_l");
  ASSERT_NE(full_arm, nullptr);
  for (int i = 0; i < length->rows(); ++i)
    for (int j = 0; j < 2; ++j) {
      const int fc = full_length->column(length->labels[static_cast<size_t>(j)]);
      EXPECT_EQ(length->data(i, j), full_length->data(i, fc));
      EXPECT_EQ(some.tables[0].data(i, j), full_arm->data(i, fc));
    }
  // The "all" keyword of the muscle list is exact (MuscleAnalysis compares == "all"), that of
  // the coordinate list is not (IO::Lowercase).
  MuscleAnalysisOptions upper;
  upper.muscle_list = {"ALL"};
  upper.moment_arm_coordinate_list = {"All"};
  const tools::MuscleAnalysisResult u = tools::muscle_analysis(m.model, m.states, m.rows, upper);
  EXPECT_EQ(u.find("Length")->cols(), 0);
  EXPECT_NE(u.find("MomentArm_pelvis_tilt"), nullptr);
}

TEST(MuscleAnalysisOptions, WithoutComputeMomentsThereAreNoMomentArmTables) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Motion& m = gait10dof_motion();
  MuscleAnalysisOptions o;
  o.compute_moments = false;
  const tools::MuscleAnalysisResult r = tools::muscle_analysis(m.model, m.states, m.rows, o);
  EXPECT_EQ(r.tables.size(), static_cast<size_t>(tools::kMuscleQuantityCount));
  EXPECT_EQ(r.find("MomentArm_knee_angle_r"), nullptr);
  EXPECT_EQ(r.tables.front().name, "PennationAngle");
}

// Without solve_for_equilibrium the fiber state is the states' value: the muscle's default
// fiber length (formStateStorage fills states the coordinates do not give with defaults).
TEST(MuscleAnalysisOptions, WithoutEquilibriumTheFiberLengthIsTheDefaultFiberLength) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Motion& m = gait10dof_motion();
  const MuscleSet muscles(m.model);
  const tools::MuscleAnalysisResult r = tools::muscle_analysis(m.model, m.states, m.rows, MuscleAnalysisOptions{});
  const io::Table* l = r.find("FiberLength");
  for (int j = 0; j < l->cols(); ++j) {
    const MuscleParameters& p = muscles.parameters(muscles.index(l->labels[static_cast<size_t>(j)]));
    for (int i = 0; i < l->rows(); ++i) EXPECT_DOUBLE_EQ(l->data(i, j), std::max(p.default_fiber_length, minimum_fiber_length(muscles.model(muscles.index(p.name)))));
  }
}

TEST(MuscleAnalysisOptions, RowsSelectTheFramesAndTheirTimes) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Motion& m = gait10dof_motion();
  const std::vector<int> rows{2, 5, 11};
  const tools::MuscleAnalysisResult r = tools::muscle_analysis(m.model, m.states, rows, MuscleAnalysisOptions{});
  const tools::MuscleAnalysisResult all = tools::muscle_analysis(m.model, m.states, m.rows, MuscleAnalysisOptions{});
  const io::Table* t = r.find("TendonForce");
  ASSERT_EQ(t->rows(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(t->time[i], m.states.time[rows[static_cast<size_t>(i)]]);
    for (int j = 0; j < t->cols(); ++j) EXPECT_EQ(t->data(i, j), all.find("TendonForce")->data(rows[static_cast<size_t>(i)], j));
  }
}

TEST(MuscleAnalysisInputs, StatesOfTheWrongSizeOrRowsOutOfOrderAreRejected) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Motion& m = gait10dof_motion();
  tools::AnalyzeStates bad = m.states;
  bad.q.conservativeResize(Eigen::NoChange, m.model.nq - 1);
  EXPECT_THROW(tools::muscle_analysis(m.model, bad, m.rows, MuscleAnalysisOptions{}), std::invalid_argument);
  EXPECT_THROW(tools::muscle_analysis(m.model, m.states, {3, 2}, MuscleAnalysisOptions{}), std::invalid_argument);
  EXPECT_THROW(tools::muscle_analysis(m.model, m.states, {0, 99}, MuscleAnalysisOptions{}), std::invalid_argument);
}

// Thelen2003 at equilibrium (gait2392, default activation): OpenSim's own iteration (20
// Newton steps to 1e-8 F0 at the path speed) fails for some muscles at some frames; OpenSim then
// keeps the states' fiber length, which femur reports by default and names in a warning. The
// bracketed alternative gives a balanced fiber there. Every converged muscle is balanced.
TEST(MuscleAnalysisEquilibrium, ThelenFailuresKeepTheDefaultFiberLengthOrTakeTheBracketedSolution) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Motion m = load_motion(kGait2392, 30);
  const MuscleSet muscles(m.model);
  MuscleAnalysisOptions o;
  o.compute_moments = false;
  o.solve_for_equilibrium = true;
  const tools::MuscleAnalysisResult keep = tools::muscle_analysis(m.model, m.states, m.rows, o);
  o.on_equilibrium_failure = tools::EquilibriumFailure::bracketed_solution;
  const tools::MuscleAnalysisResult bracketed = tools::muscle_analysis(m.model, m.states, m.rows, o);
  const io::Table& l = *keep.find("FiberLength");
  const io::Table& lb = *bracketed.find("FiberLength");
  const io::Table& FT = *bracketed.find("TendonForce");
  const io::Table& Fm = *bracketed.find("FiberForce");
  const io::Table& phi = *bracketed.find("PennationAngle");
  int failed = 0, balanced = 0;
  std::set<std::string> failed_muscles;
  for (int j = 0; j < l.cols(); ++j) {
    const MuscleParameters& p = muscles.parameters(muscles.index(l.labels[static_cast<size_t>(j)]));
    for (int i = 0; i < l.rows(); ++i) {
      const double residual = std::abs(Fm.data(i, j) * std::cos(phi.data(i, j)) - FT.data(i, j));
      if (l.data(i, j) != lb.data(i, j)) {  // OpenSim's iteration failed here
        ++failed;
        failed_muscles.insert(p.name);
        EXPECT_EQ(l.data(i, j), p.default_fiber_length) << p.name;
        EXPECT_LE(residual, 1e-6 * p.max_isometric_force) << p.name << " t=" << l.time[i];
      } else if (residual <= 1e-8 * p.max_isometric_force) {
        ++balanced;
      }
    }
  }
  std::printf("[ gait2392 Thelen equilibrium ] %d of %d muscle-frames: OpenSim's iteration fails; %d balanced\n",
              failed, l.rows() * l.cols(), balanced);
  EXPECT_GT(balanced, l.rows() * l.cols() * 9 / 10);
  int warned = 0;
  for (const std::string& name : failed_muscles)
    for (const std::string& w : keep.warnings)
      if (w.find("'" + name + "'") != std::string::npos && w.find("fiber equilibrium fails") != std::string::npos) ++warned;
  EXPECT_EQ(warned, static_cast<int>(failed_muscles.size()));
}

// The AnalyzeTool entry point: files named `<tool>_<analysis>_<storage>.sto`, the analysis
// name as the setup gives it; an analysis that is off writes nothing (printResults: "Off- not
// printing").
TEST(MuscleAnalysisSetup, FileNamesCarryToolAndAnalysisNamesAndAnAnalysisThatIsOffWritesNothing) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Motion& m = gait10dof_motion();
  io::AnalyzeSetup setup;
  setup.name = "walk";
  setup.file = "setup.xml";
  io::MuscleAnalysisSettings settings;
  settings.name = "MA";
  settings.moment_arm_coordinate_list = {"knee_angle_r"};
  std::vector<std::string> warnings;
  double seconds = 0.0;
  int frames = 0;
  const std::vector<tools::AnalysisFile> files =
      tools::run_muscle_analysis(setup, settings, m.model, m.states, m.rows, warnings, seconds, frames);
  ASSERT_EQ(files.size(), static_cast<size_t>(2 + tools::kMuscleQuantityCount));
  EXPECT_EQ(files[0].file_name, "walk_MA_MomentArm_knee_angle_r.sto");
  EXPECT_EQ(files[1].file_name, "walk_MA_Moment_knee_angle_r.sto");
  EXPECT_EQ(files.back().file_name, "walk_MA_MuscleActuatorPower.sto");
  EXPECT_EQ(frames, static_cast<int>(m.rows.size()));
  EXPECT_TRUE(warnings.empty());

  settings.on = false;
  EXPECT_TRUE(tools::run_muscle_analysis(setup, settings, m.model, m.states, m.rows, warnings, seconds, frames).empty());
}

}  // namespace
}  // namespace femur
