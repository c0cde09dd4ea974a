// The OpenSim analyses that record a model's state and its dynamics along a motion, shared by
// the Forward tool (rows of the simulation) and the Analyze tool (rows of a states file):
//   Kinematics      (OpenSim/Analyses/Kinematics.cpp)      _q, _u, _dudt
//   Actuation       (OpenSim/Analyses/Actuation.cpp)       _force, _speed, _power
//   BodyKinematics  (OpenSim/Analyses/BodyKinematics.cpp)  _pos_global, _vel_global, _acc_global
//   PointKinematics (OpenSim/Analyses/PointKinematics.cpp) _<point>_pos, _vel, _acc
//   ForceReporter   (OpenSim/Analyses/ForceReporter.cpp)   _forces
// Accelerations and actuator forces come from the full state derivative at each row (muscle
// states, controls, external loads), as OpenSim realizes each recorded state to Acceleration.
// Column names, units and headers follow the files OpenSim writes.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/io/setup.hpp"
#include "femur/simulate/system.hpp"
#include "femur/tools/analysis_file.hpp"
#include "femur/tools/simulation_model.hpp"

namespace femur::tools {

// Rows of states: time and the full state vector y (sim::StateLayout) per row.
struct StateRows {
  std::vector<double> time;
  std::vector<Eigen::VectorXd> states;
  int rows() const { return static_cast<int>(time.size()); }
};

// Which rows an analysis records (Analysis::proceed): the first, the last and every row whose
// index is a multiple of step_interval, within [first, last]; none when the analysis is off.
std::vector<int> recorded_rows(int first, int last, const io::AnalysisCommon& settings);

// Each function evaluates the state derivative at the rows it records (ws must have the
// system's applier and controllers set) and returns the analysis's files, named
// "<prefix>_<analysis name>_<suffix>.sto". Throws std::invalid_argument naming a coordinate or
// body the settings list that the model lacks.
std::vector<AnalysisFile> kinematics_analysis(const std::string& prefix, const io::KinematicsSettings& settings,
                                              const SimulationModel& sm, sim::Workspace& ws, const StateRows& rows,
                                              const std::vector<int>& record);
std::vector<AnalysisFile> actuation_analysis(const std::string& prefix, const io::ActuationSettings& settings,
                                             const SimulationModel& sm, sim::Workspace& ws, const StateRows& rows,
                                             const std::vector<int>& record);
// Kinematics and Actuation over the same rows with one evaluation per row (the same files as
// the two functions above).
struct KinematicsAndActuationFiles {
  std::vector<AnalysisFile> kinematics, actuation;
};
KinematicsAndActuationFiles kinematics_and_actuation_analyses(const std::string& prefix,
                                                              const io::KinematicsSettings& kinematics,
                                                              const io::ActuationSettings& actuation,
                                                              const SimulationModel& sm, sim::Workspace& ws,
                                                              const StateRows& rows, const std::vector<int>& record);
std::vector<AnalysisFile> body_kinematics_analysis(const std::string& prefix,
                                                   const io::BodyKinematicsSettings& settings,
                                                   const SimulationModel& sm, sim::Workspace& ws,
                                                   const StateRows& rows, const std::vector<int>& record);
std::vector<AnalysisFile> point_kinematics_analysis(const std::string& prefix,
                                                    const io::PointKinematicsSettings& settings,
                                                    const SimulationModel& sm, sim::Workspace& ws,
                                                    const StateRows& rows, const std::vector<int>& record);

// ForceReporter: one column group per force that applies force, in ForceSet order, each as
// its OpenSim class records itself (Force::getRecordLabels/getRecordValues): actuators and
// muscles their name and force (tendon force; control x optimal force), CoordinateLimitForce
// its name and "PotentialEnergy", SpringGeneralizedForce "<name>_Force", PathSpring its name
// and tension; then each external load (ExternalForce: "<body>_<name>_Fx".. force, point in
// the body, torque). Throws std::invalid_argument for a force femur does not record and for
// include_constraint_forces on a model with constraints.
std::vector<AnalysisFile> force_reporter_analysis(const std::string& prefix, const io::ForceReporterSettings& settings,
                                                  const SimulationModel& sm, sim::Workspace& ws, const StateRows& rows,
                                                  const std::vector<int>& record);

}  // namespace femur::tools
