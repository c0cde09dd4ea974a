// Geometry paths against OpenSim 4.6's MuscleAnalysis (Generated/*/MuscleAnalysis: path
// lengths and moment arms of every muscle at every frame of a motion), plus the identities
// a path must satisfy whatever the model: speed = dL/dt, length continuous except where a
// conditional point switches, and clear errors for malformed paths.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>

#include "femur/io/table.hpp"
#include "femur/kinematics/jacobian.hpp"
#include "muscle/path_test_support.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

struct ReferenceCase {
  std::string name;
  std::string model, motion, folder, prefix;
  // Tolerances (absolute, m), at most 10x the worst measured (docs/validation.md): the files
  // carry 10 decimals; lengths and moment arms are the same closed-form geometry as
  // OpenSim's, so only the files' rounding (5e-11) remains for point paths.
  double length_tol, moment_arm_tol;
  // Paths with two or more PathWraps: their cylinders slide the tangent points until the
  // straight parts meet the helix within 0.1 degree (WrapCylinder::_adjust_tangent_point),
  // and the ellipsoid's tangent points are solved to a residual of 1e-4 in normalized units;
  // femur runs the same iterations and lands within the bounds below of OpenSim's points.
  double multi_wrap_length_tol = 0.0, multi_wrap_moment_arm_tol = 0.0;
};

std::ostream& operator<<(std::ostream& os, const ReferenceCase& c) { return os << c.name; }

const ReferenceCase kReferenceCases[] = {
    {"Gait2392", "Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim",
     "Generated/Gait2392_Simbody/subject01_walk1_ik.mot", "Generated/Gait2392_Simbody/MuscleAnalysis",
     "gait2392_walk1", 5e-10, 5e-10},  // measured 5e-11 m, both (the files' 10 decimals)
    {"Gait10dof18musc", "Pipelines/Gait10dof18musc/OutputReference/subject01.osim",
     "Generated/Gait10dof18musc/IK/subject01_walk_IK.mot", "Generated/Gait10dof18musc/MuscleAnalysis",
     "gait10dof18musc_walk", 5e-10, 5e-10},  // measured 5e-11 m, both
    {"Arm26", "Tutorials/Computed_Muscle_Control/InverseKinematics/arm26.osim",
     "Tutorials/Computed_Muscle_Control/OutputReference/InverseKinematics/arm26_InverseKinematics.mot",
     "Generated/Arm26/MuscleAnalysis", "arm26_elbow_flex", 5e-10, 5e-10, 2e-7, 1e-5},
    // measured 5e-11 m; TRIlong (cylinder + ellipsoid) 1.96e-8 m length, 1.08e-6 m moment arm
    // Rajagopal-family model: med_gas wraps over two cylinders in turn (GasMed_at_shank on the
    // tibia, then Gastroc_at_condyles on the femur). The other 16 paths agree to 3.5e-7 m
    // (length) and 8e-8 m (moment arm): every path crossing the knee is 3.0-3.5e-7 m shorter
    // than OpenSim's whether it wraps or not (hip and ankle 2e-8 m), a difference in the
    // joints, not in the paths.
    {"MocoInverse", "Moco/MocoInverse/subject_walk_armless_18musc.osim",
     "Moco/MocoInverse/subject_walk_armless_coordinates.mot", "Generated/MocoInverse/MuscleAnalysis",
     "walk_armless", 3e-6, 6e-7, 8e-5, 1.2e-4},
    // measured 3.47e-7 and 7.24e-8 m; med_gas 8.85e-6 and 1.35e-5 m
};

// Whether coordinate k can move path p (test::coordinates_moving_path).
bool moves(const Model& model, const PathSet& paths, int p, int k) {
  return test::coordinates_moving_path(model, paths, p)[k];
}

class PathsVsMuscleAnalysis : public ::testing::TestWithParam<ReferenceCase> {};

TEST_P(PathsVsMuscleAnalysis, LengthsAndMomentArmsOfEveryMuscleMatchAtEveryFrame) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const ReferenceCase& c = GetParam();
  const Model model = test::load_opensim_model(c.model);
  const PathSet& paths = model.paths;
  Data data(model);
  PathData pd(model, paths);
  const io::Table motion = io::read_sto(test::opensim_file(c.motion));
  const std::filesystem::path folder = test::opensim_file(c.folder);

  // The Length table and one MomentArm table per coordinate.
  std::map<std::string, io::Table> moment_arms;  // by coordinate name
  const std::string ma_prefix = c.prefix + "_MuscleAnalysis_MomentArm_";
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind(ma_prefix, 0) == 0)
      moment_arms.emplace(file.substr(ma_prefix.size(), file.size() - ma_prefix.size() - 4), io::read_sto(entry.path()));
  }
  const io::Table lengths = io::read_sto(folder / (c.prefix + "_MuscleAnalysis_Length.sto"));
  ASSERT_FALSE(moment_arms.empty());
  ASSERT_EQ(lengths.cols(), paths.size()) << "one Length column per path";

  // [0]: paths with at most one PathWrap, [1]: with several.
  double worst_length[2] = {0.0, 0.0}, worst_arm[2] = {0.0, 0.0};
  std::string worst_length_at[2], worst_arm_at[2];
  // About a coordinate that does not move the path, femur's moment arm is exactly zero;
  // OpenSim's is not always (its unit tension is not balanced when a later wrapping pass
  // moved a tangent point, see CurrentPathPoint::in_ground). The largest it reports:
  double opensim_off_chain = 0.0;
  std::string opensim_off_chain_at;
  std::map<std::string, std::pair<double, double>> per_muscle;  // worst length, moment arm error
  int compared_lengths = 0, compared_arms = 0;
  for (int row = 0; row < lengths.rows(); ++row) {
    const int mrow = test::row_at_time(motion, lengths.time[row]);
    ASSERT_GE(mrow, 0) << "no motion frame at t = " << lengths.time[row];
    const Eigen::VectorXd q = test::coordinates_of_row(model, motion, mrow);
    compute_paths(model, paths, data, q, pd);
    for (int col = 0; col < lengths.cols(); ++col) {
      const int p = paths.path_index(lengths.labels[col]);
      ASSERT_GE(p, 0) << "no path named " << lengths.labels[col];
      const double e = std::abs(pd.length[p] - lengths.data(row, col));
      const int m = paths.paths[p].wrap_count > 1;
      ++compared_lengths;
      per_muscle[lengths.labels[col]].first = std::max(per_muscle[lengths.labels[col]].first, e);
      if (e > worst_length[m]) {
        worst_length[m] = e;
        worst_length_at[m] = lengths.labels[col] + " t=" + std::to_string(lengths.time[row]);
      }
    }
    for (const auto& [coordinate, table] : moment_arms) {
      const int k = model.coordinate_index(coordinate);
      ASSERT_GE(k, 0) << coordinate;
      ASSERT_EQ(table.rows(), lengths.rows());
      for (int col = 0; col < table.cols(); ++col) {
        const int p = paths.path_index(table.labels[col]);
        ASSERT_GE(p, 0) << table.labels[col];
        const std::string at = table.labels[col] + " about " + coordinate + " t=" + std::to_string(lengths.time[row]);
        if (!moves(model, paths, p, k)) {
          ASSERT_EQ(pd.moment_arm(p, k), 0.0) << at;
          if (std::abs(table.data(row, col)) > opensim_off_chain) {
            opensim_off_chain = std::abs(table.data(row, col));
            opensim_off_chain_at = at;
          }
          continue;
        }
        const double e = std::abs(pd.moment_arm(p, k) - table.data(row, col));
        const int m = paths.paths[p].wrap_count > 1;
        ++compared_arms;
        per_muscle[table.labels[col]].second = std::max(per_muscle[table.labels[col]].second, e);
        if (e > worst_arm[m]) {
          worst_arm[m] = e;
          worst_arm_at[m] = at;
        }
      }
    }
  }
  for (const auto& [muscle, e] : per_muscle)
    if (std::max(e.first, e.second) > 1e-8)
      std::printf("[ %s ] %-14s worst |error| length %.3g m, moment arm %.3g m\n", c.name.c_str(), muscle.c_str(),
                  e.first, e.second);
  std::printf("[ %s ] %d lengths: worst |error| %.3g m (%s); %d moment arms: worst %.3g m (%s)\n", c.name.c_str(),
              compared_lengths, worst_length[0], worst_length_at[0].c_str(), compared_arms, worst_arm[0],
              worst_arm_at[0].c_str());
  if (!worst_length_at[1].empty())
    std::printf("[ %s ] paths with several PathWraps: worst length %.3g m (%s), moment arm %.3g m (%s)\n",
                c.name.c_str(), worst_length[1], worst_length_at[1].c_str(), worst_arm[1], worst_arm_at[1].c_str());
  if (opensim_off_chain > 0.0)
    std::printf("[ %s ] femur 0 where OpenSim reports up to %.3g m (%s)\n", c.name.c_str(), opensim_off_chain,
                opensim_off_chain_at.c_str());
  EXPECT_LE(worst_length[0], c.length_tol) << worst_length_at[0];
  EXPECT_LE(worst_arm[0], c.moment_arm_tol) << worst_arm_at[0];
  EXPECT_LE(worst_length[1], c.multi_wrap_length_tol) << worst_length_at[1];
  EXPECT_LE(worst_arm[1], c.multi_wrap_moment_arm_tol) << worst_arm_at[1];
}

INSTANTIATE_TEST_SUITE_P(OpenSim, PathsVsMuscleAnalysis, ::testing::ValuesIn(kReferenceCases),
                         [](const auto& info) { return info.param.name; });

// ---- Properties.

const char* const kGait2392 = "Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim";
const char* const kArm26 = "Tutorials/Computed_Muscle_Control/InverseKinematics/arm26.osim";

// Lengthening speed is the time derivative of the length along a trajectory q(t) = q0 + t v
// (central differences), for every path whose current path does not change over the step.
// Wrapping paths use OpenSim's chord convention between the two tangent points, which is
// not dL/dt; they are checked against Σ r_k v_k only where the wrap is a fixed-surface arc.
void check_speed_is_length_rate(const Model& model, unsigned seed, double rel_tol) {
  const PathSet& paths = model.paths;
  Data data(model);
  PathData pd(model, paths), lo(model, paths), hi(model, paths);
  const test::State s = test::random_state(model, seed);
  Eigen::VectorXd q = s.q, v = s.qdot;
  apply_couplers(model, q, v);
  compute_paths(model, paths, data, q, v, pd);
  const double h = 1e-6;
  Eigen::VectorXd qm = q - h * v, qp = q + h * v;
  const Eigen::VectorXd Lm = test::path_lengths(model, paths, data, lo, qm);
  const Eigen::VectorXd Lp = test::path_lengths(model, paths, data, hi, qp);
  int checked = 0;
  for (int p = 0; p < paths.size(); ++p) {
    if (test::path_signature(lo, p) != test::path_signature(hi, p)) continue;
    if (paths.paths[p].wrap_count > 0) continue;
    const double fd = (Lp[p] - Lm[p]) / (2 * h);
    EXPECT_NEAR(pd.speed[p], fd, 1e-7 + rel_tol * std::abs(fd)) << paths.paths[p].name;
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(GeometryPathSpeed, IsTheTimeDerivativeOfLengthOnGait2392) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = test::load_opensim_model(kGait2392);
  for (unsigned seed = 1; seed <= 5; ++seed) check_speed_is_length_rate(model, seed, 1e-6);
}

// dL/dt = Σ_k (∂L/∂q_k) qdot_k = -Σ_k r_k qdot_k when every moving point sits between
// points on other bodies (the unit-tension moment arm then is exactly -∂L/∂q). For wrapping
// paths OpenSim's speed (tangent points fixed on the wrap body, chord between them) and its
// moment arm (unit tension with the same tangent points) are built from the same segments,
// so the identity holds exactly there too, though neither is exactly dL/dt.
void check_speed_is_moment_arms_times_speeds(const char* model_file) {
  const Model model = test::load_opensim_model(model_file);
  const PathSet& paths = model.paths;
  Data data(model);
  PathData pd(model, paths);
  for (unsigned seed = 11; seed <= 15; ++seed) {
    const test::State s = test::random_state(model, seed);
    compute_paths(model, paths, data, s.q, s.qdot, pd);
    for (int p = 0; p < paths.size(); ++p) {
      const double rate = -pd.moment_arm.row(p).dot(s.qdot);
      EXPECT_NEAR(pd.speed[p], rate, 1e-10 + 1e-9 * std::abs(rate)) << paths.paths[p].name;
    }
  }
}

TEST(GeometryPathSpeed, EqualsMinusMomentArmsTimesSpeedsOnGait2392) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  check_speed_is_moment_arms_times_speeds(kGait2392);
}

TEST(GeometryPathSpeed, EqualsMinusMomentArmsTimesSpeedsOnArm26WrappingPaths) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  check_speed_is_moment_arms_times_speeds(kArm26);
}

// Sweeps one coordinate in small steps and returns the largest length jump between steps
// whose current path is unchanged (must be ~ moment arm x step) and, separately, across a
// change of the current path.
struct Sweep {
  double worst_smooth_residual = 0.0;  // |ΔL - mean moment arm ... |: jump beyond first order
  double worst_switch_jump = 0.0;
  int switches = 0;
};

Sweep sweep_coordinate(const Model& model, const PathSet& paths, int p, int k, double lo, double hi, int steps) {
  Data data(model);
  PathData a(model, paths), b(model, paths);
  Sweep out;
  Eigen::VectorXd q = model.default_q();
  q[k] = lo;
  compute_paths(model, paths, data, q, a);
  for (int i = 1; i <= steps; ++i) {
    Eigen::VectorXd q2 = q;
    q2[k] = lo + (hi - lo) * i / steps;
    compute_paths(model, paths, data, q2, b);
    const double dq = q2[k] - q[k];
    // Trapezoid rule: L(q2) - L(q) = -∫ r dq up to O(dq^3 L''').
    const double predicted = -0.5 * (a.moment_arm(p, k) + b.moment_arm(p, k)) * dq;
    const double residual = std::abs(b.length[p] - a.length[p] - predicted);
    if (test::path_signature(a, p) != test::path_signature(b, p)) {
      ++out.switches;
      out.worst_switch_jump = std::max(out.worst_switch_jump, residual);
    } else {
      out.worst_smooth_residual = std::max(out.worst_smooth_residual, residual);
    }
    std::swap(a, b);
    q = q2;
  }
  return out;
}

TEST(GeometryPathContinuity, LengthJumpsOnlyWhereAConditionalPointSwitches) {
  // gait2392 semimem_r-P2 is a ConditionalPathPoint on knee_angle_r, active in
  // [-0.5585, 0.1745] rad (+-1e-5): the path, and OpenSim's length with it, jumps there.
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = test::load_opensim_model(kGait2392);
  const PathSet& paths = model.paths;
  const int p = paths.path_index("semimem_r");
  const int k = model.coordinate_index("knee_angle_r");
  ASSERT_GE(p, 0);
  ASSERT_GE(k, 0);
  const Sweep s = sweep_coordinate(model, paths, p, k, -2.0, 0.17, 20000);
  std::printf("semimem_r over knee_angle_r: %d switch(es), jump %.3g m; smooth residual %.3g m\n", s.switches,
              s.worst_switch_jump, s.worst_smooth_residual);
  EXPECT_EQ(s.switches, 1);
  EXPECT_GT(s.worst_switch_jump, 1e-6) << "the conditional point changes the path";
  EXPECT_LT(s.worst_smooth_residual, 1e-9);
}

TEST(GeometryPathContinuity, WrappingLengthIsContinuousThroughLiftOff) {
  // arm26 TRIlat and TRImed wrap over the cylinder TRI only while their straight path
  // crosses it (unconstrained quadrant: the wrap is mandatory or absent), so the arc shrinks
  // to zero at lift-off and the length does not jump.
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = test::load_opensim_model(kArm26);
  const PathSet& paths = model.paths;
  const int k = model.coordinate_index("r_elbow_flex");
  ASSERT_GE(k, 0);
  int switches = 0;
  for (const char* name : {"TRIlat", "TRImed", "BRA", "BICshort"}) {
    const int p = paths.path_index(name);
    ASSERT_GE(p, 0) << name;
    const Coordinate& c = model.coordinates[k];
    const Sweep s = sweep_coordinate(model, paths, p, k, c.range_min, c.range_max, 4000);
    std::printf("%s over r_elbow_flex: %d wrap change(s), jump %.3g m; smooth residual %.3g m\n", name, s.switches,
                s.worst_switch_jump, s.worst_smooth_residual);
    switches += s.switches;
    EXPECT_LT(s.worst_switch_jump, 1e-6) << name;
    EXPECT_LT(s.worst_smooth_residual, 1e-6) << name;
  }
  EXPECT_GT(switches, 0) << "some path must lift off the cylinder in the elbow's range";
}

// ---- The compiled PathSet (its checks: tests/model/model_builder_test.cpp).

TEST(GeometryPathBuild, FindsPathsByMuscleName) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = test::load_opensim_model(kGait2392);
  const PathSet& paths = model.paths;
  EXPECT_EQ(paths.size(), 92);
  EXPECT_EQ(paths.paths[paths.path_index("soleus_r")].name, "soleus_r");
  EXPECT_EQ(paths.path_index("no_such_muscle"), -1);
}

}  // namespace
}  // namespace femur
