// A Moco MocoInverse setup (.omoco, as MocoInverse::print writes it) run by `femur run`:
// property names as in OpenSim/Moco/MocoInverse.h and MocoTool.h, the model through a
// ModelProcessor (filepath + operators of OpenSim/Actuators/ModelOperators.h and
// ModelOperatorsDGF.h), the kinematics through a TableProcessor (filepath + TabOpLowPassFilter).
//
//   if (ocp::is_moco_inverse_setup(file)) {
//     const ocp::MocoInverseSetup s = ocp::read_moco_inverse_setup(file);
//     tools::RunReport r = ocp::run_moco_inverse_setup(s, options);  // writes NAME_solution.sto
//   }
//
// Operators femur applies: ModOpReplaceJointsWithWelds, ModOpReplaceMusclesWithDeGrooteFregly2016,
// ModOpIgnorePassiveFiberForcesDGF, ModOpTendonComplianceDynamicsModeDGF (implicit),
// ModOpIgnoreTendonCompliance, ModOpAddReserves, ModOpAddExternalLoads; TabOpLowPassFilter and
// TabOpUseAbsoluteStateNames. Any other operator or property is an error at its line.
#pragma once

#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "femur/tools/run_setup.hpp"

namespace femur::ocp {

struct MocoInverseSetup {
  std::filesystem::path file;  // the .omoco file; relative paths are taken from its folder
  std::string name;
  std::filesystem::path model_file, external_loads_file, kinematics_file;
  std::vector<std::string> weld_joints;
  bool degroote = false, ignore_passive_fiber_force = false, ignore_tendon_compliance = false;
  std::string tendon_compliance_dynamics_mode = "explicit";  // DeGrooteFregly2016Muscle's default
  double reserves_optimal_force = 0.0;                        // 0: no ModOpAddReserves
  double reserves_bound = std::numeric_limits<double>::infinity();
  double lowpass_cutoff_hz = -1.0;
  std::optional<double> initial_time, final_time;
  double mesh_interval = 0.020;  // MocoTool's default
  bool clip_time_range = false;
  double convergence_tolerance = 1e-3, constraint_tolerance = 1e-3;  // MocoInverse's defaults
  std::optional<int> max_iterations;
  double reserves_weight = 1.0;
  bool minimize_sum_squared_activations = false;
};

// True when the file's root object (inside <OpenSimDocument>) is a <MocoInverse>.
bool is_moco_inverse_setup(const std::filesystem::path& file);

// Throws io::ParseError "file:line: what is wrong" for a property or operator femur does not
// apply, or a value it cannot read.
MocoInverseSetup read_moco_inverse_setup(const std::filesystem::path& file);

// Solves it and writes NAME_solution.sto (Moco's trajectory layout) into
// options.output_directory or the setup's folder; nothing when the solver fails (the error
// names IPOPT's status and the most violated constraint).
tools::RunReport run_moco_inverse_setup(const MocoInverseSetup& setup, const tools::RunOptions& options);

}  // namespace femur::ocp
