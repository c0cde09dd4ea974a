// One const Model, several threads (docs/architecture.md: a Model is immutable once built and
// shared; everything an evaluation writes lives in the caller's Data, PathData and MuscleSet).
// Each thread builds its own MuscleSet from the shared model, computes every path (lengths,
// speeds, moment arms, wrap memory included) and every muscle's fiber equilibrium at the same
// states, and must get bit for bit what one thread alone gets. Run under ThreadSanitizer by
// `make test-tsan`, where any write to shared state is a reported race; in the other builds the
// bitwise comparison still catches a thread reading another's scratch.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/muscle_model.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

constexpr int kStates = 24;
constexpr int kThreads = 4;

// Path lengths, speeds and moment arms, then each muscle's tendon force at equilibrium for an
// activation that varies with the state, all in one vector.
std::vector<double> evaluate(const Model& m, const std::vector<test::State>& states) {
  const MuscleSet muscles(m);  // built by this thread over the shared model
  Data d(m);
  PathData pd(m, m.paths);
  MuscleState st;
  std::vector<double> out;
  for (int k = 0; k < kStates; ++k) {
    const test::State& s = states[k];
    compute_paths(m, m.paths, d, s.q, s.qdot, pd);
    for (Eigen::Index i = 0; i < pd.length.size(); ++i) out.push_back(pd.length[i]);
    for (Eigen::Index i = 0; i < pd.speed.size(); ++i) out.push_back(pd.speed[i]);
    for (Eigen::Index i = 0; i < pd.moment_arm.size(); ++i) out.push_back(pd.moment_arm.data()[i]);
    for (int i = 0; i < muscles.size(); ++i) {
      const int path = m.paths.path_index(muscles.parameters(i).name);
      if (path < 0) continue;
      fiber_equilibrium(muscles.model(i), pd.length[path], pd.speed[path], 0.05 + 0.9 * k / kStates, st);
      out.push_back(st.tendon_force);
    }
  }
  return out;
}

void expect_threads_agree(const char* file, unsigned seed) {
  const Model m = test::load_opensim_model(file);
  std::vector<test::State> states;
  for (unsigned k = 0; k < kStates; ++k) states.push_back(test::random_state(m, seed + k));
  const std::vector<double> alone = evaluate(m, states);
  ASSERT_FALSE(alone.empty()) << file;
  std::vector<std::vector<double>> each(kThreads);
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t) pool.emplace_back([&, t] { each[t] = evaluate(m, states); });
  for (std::thread& t : pool) t.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(each[t].size(), alone.size()) << file << ", thread " << t;
    int differing = 0;
    for (std::size_t i = 0; i < alone.size(); ++i)
      if (!(each[t][i] == alone[i] || (std::isnan(each[t][i]) && std::isnan(alone[i])))) ++differing;
    EXPECT_EQ(differing, 0) << file << ", thread " << t << " of " << alone.size() << " values";
  }
}

TEST(SharedModelThreads, Gait2392PathsAndMusclesAreTheSameOnEveryThread) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  expect_threads_agree("Models/Gait2392_Simbody/gait2392_millard2012muscle.osim", 11);
}

// Wrapping paths (cylinders, ellipsoids) keep wrap memory between calls: in PathData, per thread.
TEST(SharedModelThreads, Arm26WrappingPathsAreTheSameOnEveryThread) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  expect_threads_agree("Tutorials/Computed_Muscle_Control/InverseKinematics/arm26.osim", 500);
}

}  // namespace
}  // namespace femur
