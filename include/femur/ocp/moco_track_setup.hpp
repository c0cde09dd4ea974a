// A Moco MocoTrack setup (.omoco, as MocoTrack::print writes it) run by `femur run`: property
// names as in OpenSim/Moco/MocoTrack.h and MocoTool.h, the model through a ModelProcessor
// (filepath + the operators `femur track` applies), the states reference through a
// TableProcessor (filepath + TabOpLowPassFilter). It solves the problem `femur track` solves
// with the same options (ocp/gait_collocation.hpp): state tracking, control effort, implicit
// multibody dynamics with smooth contact, trapezoidal collocation.
//
//   if (ocp::is_moco_track_setup(file)) {
//     const ocp::MocoTrackSetup s = ocp::read_moco_track_setup(file);
//     tools::RunReport r = ocp::run_moco_track_setup(s, options);  // writes NAME_solution.sto
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

// Solves it and writes NAME_solution.sto (Moco's trajectory layout) into
// options.output_directory or the setup's folder; nothing when the solver fails (the error
// names IPOPT's status and the most violated constraint).
tools::RunReport run_moco_track_setup(const MocoTrackSetup& setup, const tools::RunOptions& options);

}  // namespace femur::ocp
