// The MuscleAnalysis analysis as OpenSim 4.6 computes it inside AnalyzeTool
// (OpenSim/Analyses/MuscleAnalysis.cpp, OPENSIM-NOTES.md C.5): at each state of a motion, per
// muscle, the path length, the fiber and tendon state and forces, velocities and powers, and,
// with compute_moments, the moment arm and moment (moment arm x tendon force) about each
// requested coordinate. One table per quantity, one column per muscle.
//
//   tools::MuscleAnalysisOptions o;                       // muscle_list, coordinates, ...
//   tools::MuscleAnalysisResult r = tools::muscle_analysis(model, states, rows, o);
//   for (const io::Table& t : r.tables) io::write_sto(dir / (prefix + t.name + ".sto"), t);
//
// Per frame (muscle_analysis_frame) the stages are: kinematics, path lengths, speeds and moment
// arms (muscle/geometry_path.hpp), then each muscle's state from its fiber-length (or
// tendon-force) state: the model's default state, or its fiber equilibrium when AnalyzeTool's
// solve_for_equilibrium_for_auxiliary_states is on. Nothing in the per-frame call allocates.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/model/data.hpp"
#include "femur/model/model.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/muscle_model.hpp"
#include "femur/tools/analysis_file.hpp"
#include "femur/tools/analyze_states.hpp"

namespace femur::tools {

// The per-muscle storages of MuscleAnalysis::allocateStorageObjects, in its order; the names
// are the file suffixes (`<tool>_<analysis>_<name>.sto`).
enum class MuscleQuantity : int {
  PennationAngle,
  Length,
  FiberLength,
  NormalizedFiberLength,
  TendonLength,
  FiberVelocity,
  NormFiberVelocity,
  PennationAngularVelocity,
  TendonForce,
  FiberForce,
  ActiveFiberForce,
  PassiveFiberForce,
  ActiveFiberForceAlongTendon,
  PassiveFiberForceAlongTendon,
  FiberActivePower,
  FiberPassivePower,
  TendonPower,
  MuscleActuatorPower,
};
inline constexpr int kMuscleQuantityCount = 18;
std::string_view muscle_quantity_name(MuscleQuantity q);

// What OpenSim does when a muscle's fiber equilibrium cannot be solved (its Newton iteration
// fails: Model::equilibrateMuscles throws MuscleCannotEquilibrate, AnalyzeTool warns and goes
// on): the muscle keeps the fiber length of the states, i.e. its default_fiber_length.
enum class EquilibriumFailure {
  keep_state,        // OpenSim's result (default)
  bracketed_solution // femur's bracketed solve of the same balance, where one exists
};

struct MuscleAnalysisOptions {
  // muscle_list: "all" (exactly, as OpenSim compares it) = every muscle in force-set order;
  // otherwise the named muscles in the given order (names that are not muscles are dropped
  // with a warning; OpenSim drops them silently).
  std::vector<std::string> muscle_list{"all"};
  // moment_arm_coordinate_list: "all" (any case) = every coordinate in model order; unknown
  // names are dropped with a warning (as OpenSim).
  std::vector<std::string> moment_arm_coordinate_list{"all"};
  bool compute_moments = true;
  // AnalyzeTool's solve_for_equilibrium_for_auxiliary_states: each frame, every muscle's fiber
  // state is set to equilibrium (Muscle::computeInitialFiberEquilibrium) at its default
  // activation. Millard2012 solves it at zero path speed (computeFiberEquilibrium(s, false));
  // Thelen2003 and DeGrooteFregly2016 at the state's path speed (Thelen2003Muscle::
  // initMuscleState reads getLengtheningSpeed). Off: the fiber state is the muscle's default
  // (default_fiber_length, default_normalized_tendon_force), as formStateStorage fills it.
  bool solve_for_equilibrium = false;
  EquilibriumFailure on_equilibrium_failure = EquilibriumFailure::keep_state;
};

// The analysis resolved against a model once: paths, muscle models, which muscles and which
// coordinates.
struct MuscleAnalysisPlan {
  PathSet paths;
  MuscleSet muscles;
  std::vector<int> muscle;        // analysed muscles, as indices into `muscles`, in column order
  std::vector<int> path;          // the path of each analysed muscle (index into paths)
  std::vector<int> coordinates;   // moment-arm coordinates (model indices), file order
  std::vector<std::string> names; // column labels
  bool has_mass = true;           // velocities and powers need a model with mass (else NaN)
  std::vector<std::string> warnings;
};

// Throws std::invalid_argument for a model whose paths cannot be built or whose muscle
// parameters are invalid.
MuscleAnalysisPlan plan_muscle_analysis(const Model& model, const MuscleAnalysisOptions& options);

// Every buffer one frame writes. One per thread; the path data keeps OpenSim's wrapping memory
// from frame to frame, so frames of one motion go through one MuscleAnalysisData in order.
struct MuscleAnalysisData {
  MuscleAnalysisData(const Model& model, const MuscleAnalysisPlan& plan);
  Data data;
  PathData path_data;
  // values(q, j): quantity q (MuscleQuantity) of analysed muscle j.
  Eigen::Matrix<double, kMuscleQuantityCount, Eigen::Dynamic> values;
  // moment_arm(k, j), moment(k, j): about plan.coordinates[k].
  Eigen::MatrixXd moment_arm, moment;
  // Per analysed muscle: the equilibrium was asked for and OpenSim's iteration would fail.
  std::vector<char> equilibrium_failed;
  std::vector<MuscleState> state;
};

// One frame at (q, u) (radians, model coordinate order). Allocates nothing.
void muscle_analysis_frame(const Model& model, const MuscleAnalysisPlan& plan,
                           const MuscleAnalysisOptions& options, const Eigen::VectorXd& q,
                           const Eigen::VectorXd& u, MuscleAnalysisData& out);

struct MuscleAnalysisResult {
  // OpenSim's storage order: MomentArm_<q> for each coordinate, Moment_<q> for each (when
  // compute_moments), then the 18 MuscleQuantity tables. table.name = storage name.
  std::vector<io::Table> tables;
  std::vector<std::string> warnings;  // dropped names, locked coordinates, failed equilibria
  double seconds = 0.0;               // computation only
  const io::Table* find(std::string_view name) const;  // nullptr if absent
};

// Runs the analysis on the states rows listed in `rows` (indices into states, increasing).
MuscleAnalysisResult muscle_analysis(const Model& model, const AnalyzeStates& states,
                                     const std::vector<int>& rows, const MuscleAnalysisOptions& options);

// ---------------------------------------------------------------------------------------
// The AnalyzeTool entry point (src/tools/muscle_analysis_setup.cpp): options from the setup's
// MuscleAnalysis element and the tool's solve_for_equilibrium_for_auxiliary_states; files
// named as MuscleAnalysis::printResults names them, `<tool name>_<analysis name>_<storage>.sto`.
std::vector<AnalysisFile> run_muscle_analysis(const io::AnalyzeSetup& setup,
                                              const io::MuscleAnalysisSettings& settings,
                                              const Model& model, const AnalyzeStates& states,
                                              const std::vector<int>& rows,
                                              std::vector<std::string>& warnings, double& seconds,
                                              int& frames);

}  // namespace femur::tools
