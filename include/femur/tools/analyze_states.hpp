// States as AnalyzeTool hands them to its analyses (JointReaction, MuscleAnalysis, Static
// Optimization): one row per time, q and u in radians. Built by tools/analyze_setup.cpp from
// a states or coordinates file; the analyses read the rows they are given.
#pragma once

#include <Eigen/Core>

#include "femur/io/table.hpp"
#include "femur/model/model.hpp"

namespace femur::tools {

struct AnalyzeStates {
  Eigen::VectorXd time;
  Eigen::MatrixXd q;  // rows x nq
  Eigen::MatrixXd u;  // rows x nv
  int rows() const { return static_cast<int>(time.size()); }
};

// AnalyzeTool's states_file: columns mapped to the model's states by name (OpenSim 4 paths or
// bare names, `<coord>_u` for speeds), a state without a column 0, degrees converted.
AnalyzeStates states_from_states_file(const Model& model, const io::Table& table);

// AnalyzeTool's coordinates_file: optional low-pass filter (cutoff_hz >= 0), degrees to
// radians, speeds from the first derivative of a quintic GCV spline (or from `speeds`, may be
// null). Throws std::invalid_argument for fewer than 6 rows or times that do not increase.
AnalyzeStates states_from_coordinates(const Model& model, const io::Table& table, double cutoff_hz,
                                      const io::Table* speeds);

}  // namespace femur::tools
