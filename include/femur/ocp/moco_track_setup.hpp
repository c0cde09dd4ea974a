// A Moco MocoTrack setup (.omoco, as MocoTrack::print writes it) run by `femur run`: property
// names as in OpenSim/Moco/MocoTrack.h and MocoTool.h, the model through a ModelProcessor
// (filepath + the operators `femur track` applies), the states reference through a
// TableProcessor (filepath + TabOpLowPassFilter). It solves the problem `femur track` solves
// with the same options (ocp/gait_collocation.hpp): state tracking, control effort, implicit
// multibody dynamics with smooth contact, trapezoidal collocation.
//
//   if (ocp::is_moco_track_setup(file)) {
//     const ocp::MocoTrackSetup s = ocp::read_moco_track_setup(file);
//     tools::RunReport r = ocp::run_moco_track_setup(s, options);  // NAME_solution.sto, NAME_tracked_states.sto
//   }
//
// Read: states_reference, states_global_tracking_weight, track_reference_position_derivatives,
// minimize_control_effort, control_effort_weight, guess_file, initial_time, final_time,
// mesh_interval, clip_time_range; operators ModOpAddReserves and ModOpRemoveMuscles;
// TabOpLowPassFilter and TabOpUseAbsoluteStateNames. Empty markers_reference, states_weight_set
// and markers_weight_set, scale_state_weights_with_range false, and allow_unused_references,
// apply_tracked_states_to_guess (femur starts from the tracked states whenever no guess_file is
// given) are accepted. Any other operator, property or value is an error at its line.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "femur/ocp/gait_collocation.hpp"
#include "femur/tools/run_setup.hpp"

namespace femur::ocp {

struct MocoTrackSetup {
  std::filesystem::path file;  // the .omoco file; relative paths are taken from its folder
  std::string name;
  std::filesystem::path model_file, states_file, guess_file;
  bool remove_muscles = false;
  double reserves_optimal_force = 0.0;  // 0: no ModOpAddReserves
  double lowpass_cutoff_hz = -1.0;
  double states_weight = 1.0;             // MocoTrack's default
  bool track_speeds = false;              // track_reference_position_derivatives (default false)
  bool minimize_control_effort = true;    // MocoTrack's default
  double control_effort_weight = 0.001;   // MocoTrack's default
  std::optional<double> initial_time, final_time;
  double mesh_interval = 0.020;  // MocoTool's default
  bool clip_time_range = false;
};

// True when the file's root object (inside <OpenSimDocument>) is a <MocoTrack>.
bool is_moco_track_setup(const std::filesystem::path& file);

// Throws io::ParseError "file:line: what is wrong" for a property, operator or value femur does
// not apply.
MocoTrackSetup read_moco_track_setup(const std::filesystem::path& file);

// The problem `femur track` builds for the same options (MocoTrack's solver defaults: convergence
// and constraint tolerance 1e-2; femur's: exact Hessian, at most 1000 iterations). `states` (the
// reference) must outlive the problem.
GaitProblem moco_track_problem(const MocoTrackSetup& setup, const io::Table& states);

// The states reference as MocoTrack tracks it and writes it to NAME_tracked_states.sto
// (OpenSim/Moco/MocoTrack.cpp, configureStateTracking): every column of `reference`, low-passed
// when lowpass_hz > 0 as TabOpLowPassFilter does (TableUtilities::filterLowpass: padded by half
// its rows, which stay in the table; femur's filter_coordinates), rotational coordinates in
// radians (TableProcessor::processRadians); a column of a model coordinate labelled by its state
// path (.../value, as TabOpUseAbsoluteStateNames does); with track_speeds, for every tracked
// value without a speed column, ".../speed" appended in the model's coordinate order: the
// derivative of a quintic interpolating GCV spline of the filtered values at the table's times
// (GCVSplineSet(states), calcDerivative). Throws std::invalid_argument when no column is a
// coordinate of `model`.
io::Table moco_tracked_states(const Model& model, const io::Table& reference, double lowpass_hz, bool track_speeds);

// Solves it and writes NAME_solution.sto (Moco's trajectory layout) and NAME_tracked_states.sto
// (moco_tracked_states) into options.output_directory or the setup's folder (Moco writes the
// latter to its working folder); nothing when the solver fails (the error names IPOPT's status
// and the most violated constraint).
tools::RunReport run_moco_track_setup(const MocoTrackSetup& setup, const tools::RunOptions& options);

}  // namespace femur::ocp
