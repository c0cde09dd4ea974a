// CMCTool and RRATool (OpenSim/Tools/CMCTool.cpp, RRATool.cpp; OPENSIM-NOTES.md C.9, C.10):
// `femur run` on their setups. The tracking itself is tools/cmc.hpp; this reads a setup's
// inputs, runs it and writes OpenSim's outputs: <name>_states.sto, _controls.sto,
// _controls.xml, _pErr.sto, _Kinematics_q/u/dudt.sto (degrees), _Actuation_force/speed/
// power.sto; RRA adds _avgResiduals.txt and, with adjust_com_to_reduce_residuals, the
// adjusted model (output_model_file).
//
//   tools::CmcPrepared p = tools::prepare_cmc(setup, /*rra=*/false, warnings);  // reads all
//   tools::CmcResult r = tools::run_cmc(*p.sm, p.desired, p.tasks, p.controls, ...);
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/model/model.hpp"
#include "femur/tools/cmc.hpp"
#include "femur/tools/external_loads.hpp"
#include "femur/tools/given_inputs.hpp"
#include "femur/tools/run_setup.hpp"
#include "femur/tools/simulation_model.hpp"

namespace femur::tools {

// Everything a CMC or RRA run needs, read and checked before any work.
struct CmcPrepared {
  std::unique_ptr<Model> model;      // model_file + force_set_files
  ExternalLoadsData loads;
  bool has_loads = false;
  std::unique_ptr<SimulationModel> sm;
  std::vector<CmcTask> tasks;        // the active joint tasks
  CmcPoints points;                  // the active point tasks and desired_points_file
  std::vector<CmcControl> controls;  // one per CMC actuator, constraints applied
  DesiredKinematics desired;
  double initial_time = 0.0, final_time = 0.0;  // clamped to the desired kinematics
  Eigen::VectorXd initial_state;     // muscle states (equilibrated when asked)
  CmcSettings settings;
};

// Reads the model and every input of the setup. Throws std::runtime_error / io::ParseError
// naming the setup file and element, or the input file and line: a missing input, a task for
// a coordinate the model lacks, a constraint naming no actuator, a time range outside the
// desired kinematics, an analysis or controller femur does not run here.
// Inputs in `given` replace the files of their elements (tools/given_inputs.hpp).
CmcPrepared prepare_cmc(const io::CmcSetup& setup, bool rra, std::vector<std::string>& warnings,
                        const GivenInputs& given = {});

// One output: a table (.sto) or a text (`text` non-empty).
struct CmcOutput {
  std::string file_name;
  io::Table table;
  std::string text;
  std::filesystem::path path;        // where it goes when not in the results directory
};

// The files OpenSim's CMCTool writes, from a run.
std::vector<CmcOutput> cmc_outputs(const io::CmcSetup& setup, const CmcPrepared& p, const CmcResult& r);
// Writes them all into the results directory together (nothing on failure).
RunReport write_cmc_outputs(const io::CmcSetup& setup, const RunOptions& options, std::vector<CmcOutput> outputs);

RunReport run_cmc_setup(const io::CmcSetup& setup, const RunOptions& options);
// With a given model, the adjusted model is that model (with whatever forces it holds) with
// the centre of mass moved.
RunReport run_rra_setup(const io::RraSetup& setup, const RunOptions& options, const GivenInputs& given = {});

}  // namespace femur::tools
