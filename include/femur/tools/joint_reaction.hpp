// The JointReaction analysis as OpenSim computes it (OpenSim/Analyses/JointReaction.cpp,
// OPENSIM-NOTES.md C.4): at each state of a motion, the model's forces are applied (gravity,
// external loads, and the actuators, either from a forces file such as Static Optimization's
// _force.sto or from the states), the accelerations follow by forward dynamics, and each
// requested joint's mobilizer reaction is reported on its child or parent body, expressed in
// a chosen frame: columns `<joint>_on_<body>_in_<frame>_fx fy fz mx my mz px py pz` (N, N m,
// m), the moment taken about the point p (the joint frame origin M or F).
//
//   tools::AnalyzeStates states = ...;             // q, u per row (AnalyzeTool)
//   auto requests = tools::resolve_reaction_requests(model, {"hip_r"}, {"child"}, {"femur_r"});
//   tools::JointReactionResult r = tools::joint_reaction(model, states, rows, requests, in);
//
// The actuators OpenSim treats as reserves and residuals (CoordinateActuator, PointActuator,
// TorqueActuator) and muscles (a tension along their geometry path) are applied through
// tools/actuator_set.hpp.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/model/data.hpp"
#include "femur/model/model.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/tools/actuator_set.hpp"
#include "femur/tools/analyze_states.hpp"
#include "femur/tools/external_loads.hpp"
#include "femur/tools/run_setup.hpp"

namespace femur::tools {

// ---------------------------------------------------------------------------------------
// What to report.

// A frame to express results in: fixed in `body` (0 = ground) with pose X_body_frame.
struct ReactionFrame {
  std::string name;  // as it appears in column labels
  int body = 0;
  Transform X_body_frame;
};

struct ReactionRequest {
  int joint = -1;
  bool on_child = true;
  ReactionFrame frame;
  std::string label() const;  // "<joint>_on_<body>_in_<frame>"
  std::string joint_name, body_name;
};

// A frame known by name beyond ground and the bodies, such as a joint's offset frame
// ("pin1/rod1_offset"); the setup adapter collects them from the model file.
struct NamedFrame {
  std::vector<std::string> paths;  // names that select it, e.g. "pin1/rod1_offset"
  ReactionFrame frame;
};

// JointReaction::setupReactionList: joint_names ("ALL", any case, as the first entry means
// every joint, in model order), apply_on_bodies and express_in_frame with one entry for all
// joints or one per joint. A joint name is looked up from just after the previously found
// joint, wrapping around (ArrayPtrs::getIndex with a start index), so "pin1 pin1" reports pin1
// twice. Frames: "ground", a body name (or /bodyset/<body>), one of `frames`, else the
// keywords child / parent (any case) = the base body of the joint's child / parent frame.
// Throws std::invalid_argument with the offending name (femur rejects an unknown joint,
// where OpenSim warns and skips it).
std::vector<ReactionRequest> resolve_reaction_requests(const Model& model,
                                                       const std::vector<std::string>& joint_names,
                                                       const std::vector<std::string>& apply_on_bodies,
                                                       const std::vector<std::string>& express_in_frame,
                                                       const std::vector<NamedFrame>& frames = {});

// ---------------------------------------------------------------------------------------
// The analysis.

struct JointReactionInputs {
  const ExternalLoadsData* loads = nullptr;  // external loads, or none
  // forces_file: used only when it has a column for every model actuator (then each actuator's
  // actuation is the column linearly interpolated at the row's time, Storage::getDataAtTime);
  // otherwise actuations come from the states: zero controls for CoordinateActuator,
  // PointActuator and TorqueActuator (no controller), and muscles are not supported yet.
  const io::Table* forces = nullptr;
};

struct JointReactionResult {
  io::Table loads;                    // "Joint Reaction Loads", 9 columns per request
  bool used_forces_file = false;
  std::vector<std::string> warnings;  // e.g. actuators missing from the forces file
  double seconds = 0.0;               // computation only
};

// Runs the analysis on states.rows listed in `rows` (indices into states). Throws
// std::invalid_argument / std::runtime_error for what it cannot compute (muscle forces from
// states, non-actuator forces femur does not model, coupler constraints).
JointReactionResult joint_reaction(const Model& model, const AnalyzeStates& states,
                                   const std::vector<int>& rows,
                                   const std::vector<ReactionRequest>& requests,
                                   const JointReactionInputs& inputs);

// ---------------------------------------------------------------------------------------
// The AnalyzeTool setup adapter (src/tools/analyze_setup.cpp): reads the model (plus
// force_set_files), the states or coordinates, external loads, runs each analysis of the
// AnalysisSet (JointReaction for now) over the rows between initial_time and final_time, and
// writes `<tool name>_<analysis name>_ReactionLoads.sto` into results_directory (or
// options.output_directory), atomically; nothing is written when anything fails.
RunReport run_analyze_setup(const io::AnalyzeSetup& setup, const RunOptions& options);

}  // namespace femur::tools
