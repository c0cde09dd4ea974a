// A path's length depends only on the coordinates of the joints between the bodies its points
// and wrap surfaces are fixed to, and on the coordinates that switch its conditional points or
// move its moving points (with couplers, on every coordinate tied to those). Checked on every
// model under the shared OpenSim data, at the default pose and at random poses: the moment arm
// about any other coordinate is exactly zero, and moving such a coordinate leaves the length
// unchanged up to the round-off of working in ground (1e-12 m).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "femur/io/osim_reader.hpp"
#include "femur/kinematics/couplers.hpp"
#include "femur/kinematics/jacobian.hpp"
#include "muscle/path_test_support.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

std::vector<std::filesystem::path> shipped_models() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(test::opensim_data()))
    if (entry.is_regular_file() && entry.path().extension() == ".osim") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// A value of coordinate k other than q_k, inside its range (or within +-1 when unbounded).
double other_value(const Coordinate& c, double q) {
  const double lo = std::max(c.range_min, -1.0), hi = std::min(c.range_max, 1.0);
  const double a = lo + 0.31 * (hi - lo), b = lo + 0.77 * (hi - lo);
  return std::abs(a - q) > std::abs(b - q) ? a : b;
}

struct Tally {
  int models = 0, paths = 0, zero_arms = 0, invariant_lengths = 0, failures = 0;
  double worst_length_change = 0.0;
  std::string worst_at;
};

void check_pose(const Model& model, const PathSet& paths, Eigen::VectorXd q, const std::string& where, Tally& t) {
  apply_couplers(model, q);
  Data data(model);
  PathData pd(model, paths), moved(model, paths);
  compute_paths(model, paths, data, q, pd);
  std::vector<std::vector<bool>> moves(paths.size());
  for (int p = 0; p < paths.size(); ++p) moves[p] = test::coordinates_moving_path(model, paths, p);

  for (int p = 0; p < paths.size(); ++p)
    for (int k = 0; k < model.nq; ++k) {
      if (moves[p][k]) continue;
      ++t.zero_arms;
      if (pd.moment_arm(p, k) != 0.0 && ++t.failures <= 20)
        ADD_FAILURE() << where << ": " << paths.paths[p].name << " has moment arm " << pd.moment_arm(p, k)
                      << " about " << model.coordinates[k].name << ", which does not move it";
    }

  // Move each independent coordinate (its dependents follow through the couplers).
  for (int r = 0; r < model.nq; ++r) {
    if (!paths.coupling_root.empty() && paths.coupling_root[r] != r) continue;
    Eigen::VectorXd q2 = q;
    q2[r] = other_value(model.coordinates[r], q[r]);
    apply_couplers(model, q2);
    const Eigen::VectorXd L2 = test::path_lengths(model, paths, data, moved, q2);
    for (int p = 0; p < paths.size(); ++p) {
      if (moves[p][r]) continue;
      ++t.invariant_lengths;
      const double change = std::abs(L2[p] - pd.length[p]);
      if (!(change <= t.worst_length_change)) {
        t.worst_length_change = std::isnan(change) ? 1e300 : change;
        t.worst_at = where + ": " + paths.paths[p].name + " when " + model.coordinates[r].name + " moves";
      }
    }
  }
}

TEST(PathInvariance, CoordinatesThatDoNotMoveAPathHaveZeroMomentArmAndLeaveItsLengthOnEveryShippedModel) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  Tally t;
  for (const std::filesystem::path& file : shipped_models()) {
    const std::string name = std::filesystem::relative(file, test::opensim_data()).string();
    Model model;
    PathSet paths;
    try {
      model = io::read_osim(file);
      paths = model.paths;
    } catch (const std::exception& e) {
      std::printf("[ skip ] %s: %s\n", name.c_str(), e.what());
      continue;
    }
    if (paths.size() == 0) continue;
    ++t.models;
    t.paths += paths.size();
    check_pose(model, paths, model.default_q(), name + " (default pose)", t);
    for (unsigned seed = 1; seed <= 3; ++seed)
      check_pose(model, paths, test::random_state(model, seed).q, name + " (pose " + std::to_string(seed) + ")", t);
  }
  std::printf("[ invariance ] %d models, %d paths: %d moment arms exactly zero checked, %d lengths; worst length "
              "change %.3g m (%s)\n",
              t.models, t.paths, t.zero_arms, t.invariant_lengths, t.worst_length_change, t.worst_at.c_str());
  EXPECT_GT(t.models, 20);
  EXPECT_EQ(t.failures, 0);
  // Measured 2.6e-15 m (round-off of a moved body's transforms), asserted at 10x.
  EXPECT_LE(t.worst_length_change, 2e-14) << t.worst_at;
}

}  // namespace
}  // namespace femur
