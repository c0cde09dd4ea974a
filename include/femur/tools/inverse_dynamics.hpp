// Inverse dynamics of a coordinate trajectory, as OpenSim's InverseDynamicsTool computes it
// (OpenSim/Tools/InverseDynamicsTool.cpp, OpenSim/Simulation/InverseDynamicsSolver.cpp):
// the coordinates are optionally low-pass filtered (pad + zero-phase Butterworth), converted to
// radians, fitted with quintic GCV splines, and at each output time q, q-dot, q-ddot from the
// splines give the generalized forces tau = M(q) q-ddot + C(q, q-dot) - gravity - applied
// (external loads), constraints ignored.
//
//   tools::InverseDynamicsResult r = tools::inverse_dynamics(model, ik_table, &grf, options);
//   io::write_sto("inverse_dynamics.sto", r.generalized_forces);
//
// `femur run Setup_InverseDynamics.xml` goes through run_inverse_dynamics_setup().
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "femur/dynamics/joint_reaction.hpp"
#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/model/model.hpp"
#include "femur/tools/external_loads.hpp"
#include "femur/tools/run_setup.hpp"

namespace femur::tools {

struct InverseDynamicsOptions {
  // lowpass_cutoff_frequency_for_coordinates: < 0 = no filtering (OpenSim's default -1).
  double lowpass_cutoff_hz = -1.0;
  // time_range: output rows are those of the (filtered) coordinate table from the last row at
  // or before max(first time, start_time) to the last row at or before min(last time, end_time)
  // (Storage::findIndex). With filtering, the padded rows count.
  double start_time = -std::numeric_limits<double>::infinity();
  double end_time = std::numeric_limits<double>::infinity();
  // forces_to_exclude: model force names, or the keywords ALL, ACTUATORS, MUSCLES (any case).
  // External loads are never excluded. Forces that stay are applied: CoordinateLimitForce,
  // PathSpring and SpringGeneralizedForce (muscle/passive_forces.hpp); actuators apply
  // nothing without a control. Any other force that stays (e.g. a muscle) is an error.
  std::vector<std::string> forces_to_exclude;
  // joints_to_report_body_forces: joint names, or the keyword ALL (any case) for every joint;
  // a name the model lacks is a warning (InverseDynamicsTool::getJointsByName).
  std::vector<std::string> joints_to_report_body_forces;
};

struct InverseDynamicsResult {
  // Columns `<coordinate>_moment` (rotational) or `<coordinate>_force` (translational and
  // coupled), in OpenSim's multibody-tree order; name "Inverse Dynamics Generalized Forces".
  io::Table generalized_forces;
  // Only when joints_to_report_body_forces names joints: per joint, the body force and moment
  // equivalent to the joint's generalized forces (equivalent_body_force_at_joint), columns
  // `<joint>_<child frame>_FX, FY, FZ, MX, MY, MZ`; name "Inverse Dynamics Body Forces at
  // Specified Joints" (InverseDynamicsTool.cpp).
  io::Table body_forces;
  std::vector<std::string> warnings;  // names not found to exclude, coordinates not in the table
  double seconds = 0.0;               // filtering, splines and the solve (no file I/O)
};

// Runs inverse dynamics over the rows of `coordinates` (labels = coordinate names, or OpenSim 4
// paths such as /jointset/hip_r/hip_flexion_r/value; rotational columns in degrees when the
// table says inDegrees). Coordinates absent from the table keep their default value with zero
// speed and acceleration. `loads` may be null. Throws std::invalid_argument for a table that
// cannot be splined (fewer than 6 rows, times not increasing) and std::runtime_error for a
// model force it cannot compute.
InverseDynamicsResult inverse_dynamics(const Model& model, const io::Table& coordinates,
                                       const ExternalLoadsData* loads,
                                       const InverseDynamicsOptions& options);

// The spatial force on a joint's child body at the origin of its joint frame M, in ground,
// equivalent to the generalized forces tau (one per coordinate, model order) on the joint's
// coordinates (OpenSim's Joint::calcEquivalentSpatialForce): with the joint's motion subspace
// H = [H_w; H_v] (angular and linear columns, here in ground), the minimum-norm least-squares
// force F_v of H_v^T F_v = tau_joint and moment F_w of H_w^T F_w = tau_joint; when both can
// act, the one that accounts for more generalized force per unit of its own norm is kept and
// the other solves for the remainder. Needs forward_kinematics at q in data. The force is
// `force`, the moment `moment`, the point M's origin.
Wrench equivalent_body_force_at_joint(const Model& model, const Data& data, int joint, const Eigen::VectorXd& tau);

// Coordinate indices in the order Simbody numbers the mobilities: joints level by level from
// ground (MultibodyGraphMaker grows the tree one level at a time), ties in model order.
std::vector<int> coordinates_in_multibody_tree_order(const Model& model);

// "hip_flexion_r_moment" / "pelvis_tx_force" (InverseDynamicsTool.cpp labels).
std::string generalized_force_label(const Coordinate& coordinate);

// The setup adapter: reads the model, coordinates and external loads the setup names, runs
// inverse_dynamics and writes output_gen_force_file into results_directory (or
// options.output_directory), atomically; nothing is written when anything fails. Throws
// io::ParseError / std::runtime_error naming the setup file and element on bad input.
// With joints_to_report_body_forces, output_body_forces_file is written beside it.
RunReport run_inverse_dynamics_setup(const io::InverseDynamicsSetup& setup, const RunOptions& options);

}  // namespace femur::tools
