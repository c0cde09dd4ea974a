// Static Optimization on states that are not finite (issue 21, defect 1): the frame says
// InvalidInput and its controls are NaN, never the uninitialised values the output held
// before (6.9e-310, differing from run to run).
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "femur/io/osim_reader.hpp"
#include "femur/tools/static_optimization.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

TEST(StaticOptimizationBadInput, NonFiniteStatesGiveInvalidInputFramesWithNaNControls) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = io::read_osim(test::opensim_file("Tests/Analyze/arm26_bounds.osim"));
  // A still arm (zero speeds, so zero target accelerations), one speed NaN at row 10.
  const int rows = 20;
  tools::AnalyzeStates states;
  states.time = Eigen::VectorXd::LinSpaced(rows, 0.0, 0.19);
  states.q = Eigen::MatrixXd::Constant(rows, model.nq, 0.5);
  states.u = Eigen::MatrixXd::Zero(rows, model.nv);
  std::vector<int> all(rows);
  for (int i = 0; i < rows; ++i) all[static_cast<size_t>(i)] = i;

  const tools::StaticOptimizationResult clean = tools::static_optimization(model, states, all, nullptr, {});
  for (const tools::StaticOptimizationFrame& f : clean.frames) EXPECT_EQ(f.status, BoundedQpStatus::Solved);
  EXPECT_TRUE(clean.activations.data.allFinite());

  states.u(10, 0) = std::numeric_limits<double>::quiet_NaN();
  const tools::StaticOptimizationResult r = tools::static_optimization(model, states, all, nullptr, {});
  ASSERT_EQ(r.frames.size(), static_cast<size_t>(rows));
  int invalid = 0;
  for (int i = 0; i < rows; ++i) {
    const auto& f = r.frames[static_cast<size_t>(i)];
    const Eigen::VectorXd a = r.activations.data.row(i).transpose();
    if (f.status == BoundedQpStatus::InvalidInput) {
      ++invalid;
      EXPECT_TRUE(a.array().isNaN().all()) << "row " << i;
      EXPECT_TRUE(r.forces.data.row(i).head(a.size()).array().isNaN().all()) << "row " << i;
    } else {
      EXPECT_TRUE(a.allFinite()) << "row " << i;
    }
  }
  EXPECT_GE(invalid, 1);  // at least the NaN row's own frame
  EXPECT_EQ(r.frames[10].status, BoundedQpStatus::InvalidInput);
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings.front().find("are not finite; no solution"), std::string::npos) << r.warnings.front();
}

}  // namespace
}  // namespace femur
