// States as AnalyzeTool hands them to its analyses (JointReaction, MuscleAnalysis, Static
// Optimization): one row per time, q and u in radians. Built by tools/analyze_setup.cpp from
// a states or coordinates file; the analyses read the rows they are given.
#pragma once

#include <Eigen/Core>

namespace femur::tools {

struct AnalyzeStates {
  Eigen::VectorXd time;
  Eigen::MatrixXd q;  // rows x nq
  Eigen::MatrixXd u;  // rows x nv
  int rows() const { return static_cast<int>(time.size()); }
};

}  // namespace femur::tools
