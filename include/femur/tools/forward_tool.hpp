// ForwardTool (OpenSim/Tools/ForwardTool.cpp; OPENSIM-NOTES.md C.8): a model driven by its
// controllers (ControlSetController controls files, CorrectionController) from an initial
// state (a row of states_file, or the model's defaults), optionally with its muscles
// equilibrated, integrated by Runge-Kutta-Merson over [initial_time, final_time]; every step
// recorded. Outputs as OpenSim writes them: <name>_states.sto (radians),
// <name>_states_degrees.mot, <name>_controls.sto, and the files of the AnalysisSet
// (Kinematics, Actuation, BodyKinematics, PointKinematics).
//
//   tools::ForwardRun run = tools::prepare_forward(setup, warnings);   // reads every input
//   sim::Trajectory traj = tools::integrate_forward(run);              // the simulation only
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/io/setup.hpp"
#include "femur/model/model.hpp"
#include "femur/simulate/simulate.hpp"
#include "femur/tools/given_inputs.hpp"
#include "femur/tools/run_setup.hpp"
#include "femur/tools/simulation_model.hpp"

namespace femur::tools {

// Everything a Forward run needs, read and checked, before any integration.
struct ForwardRun {
  std::unique_ptr<Model> model;            // the model with its force sets and correctors
  std::unique_ptr<SimulationModel> sm;
  sim::Controllers controllers;
  Eigen::VectorXd initial_state;           // y at settings.initial_time
  sim::SimulationSettings settings;
  std::unique_ptr<sim::Workspace> workspace;
  std::vector<std::string> equilibrium_failures;
};

// Reads the model (model_file + force_set_files), the external loads, the controls files, the
// states file, and sets the initial state as ForwardTool::run does: the last states row at or
// before initial_time (the first row if initial_time precedes it), initial_time moved to that
// row's time; muscles equilibrated when solve_for_equilibrium_for_auxiliary_states. Throws
// std::runtime_error / io::ParseError naming the setup file, the element or the input file.
// Inputs in `given` replace the files of their elements (tools/given_inputs.hpp).
ForwardRun prepare_forward(const io::ForwardSetup& setup, std::vector<std::string>& warnings,
                           const GivenInputs& given = {});

// Integrates a prepared run. Throws std::runtime_error on an integrator failure.
sim::Trajectory integrate_forward(ForwardRun& run);

// `femur run` on a ForwardTool setup: prepare, integrate, run the analyses, then write every
// output (only when all succeeded).
RunReport run_forward_setup(const io::ForwardSetup& setup, const RunOptions& options);

}  // namespace femur::tools
