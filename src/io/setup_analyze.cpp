// Setups of the AbstractTool family (OpenSim/Simulation/Model/AbstractTool.cpp): AnalyzeTool,
// ForwardTool, CMCTool, RRATool, with their AnalysisSet (OpenSim/Analyses: Analysis.cpp,
// StaticOptimization.cpp, JointReaction.cpp, MuscleAnalysis.cpp, BodyKinematics.cpp,
// PointKinematics.cpp, Kinematics.cpp) and ControllerSet.
#include <fmt/format.h>

#include "femur/io/setup.hpp"
#include "setup_reader.hpp"

namespace femur::io::detail {
namespace {

// Analysis.cpp properties shared by every analysis.
bool read_analysis_common(OsimXmlReader& r, Node c, AnalysisCommon& a) {
  const auto k = c.name();
  if (k == "on") r.read(c, a.on);
  else if (k == "start_time") r.read(c, a.start_time);
  else if (k == "end_time") r.read(c, a.end_time);
  else if (k == "step_interval") {
    r.read(c, a.step_interval);
    if (a.step_interval < 1) a.step_interval = 1;  // Analysis::setStepInterval
  } else if (k == "in_degrees") r.read(c, a.in_degrees);
  else return false;
  return true;
}

template <class T, class F>
T read_analysis(OsimXmlReader& r, Node o, F&& property) {
  T a;
  a.name = o.attribute("name");
  a.line = r.line(o);
  for (Node c : r.children(o)) {
    if (read_analysis_common(r, c, a)) continue;
    if (!property(c, a)) r.unknown(c, o.name());
  }
  return a;
}

AnalysisSettings read_one_analysis(OsimXmlReader& r, Node o) {
  const auto type = o.name();
  if (type == "StaticOptimization") {
    return read_analysis<StaticOptimizationSettings>(r, o, [&](Node c, StaticOptimizationSettings& a) {
      const auto k = c.name();
      // use_model_actuator_set: the name before OpenSim 1.9.
      if (k == "use_model_force_set" || k == "use_model_actuator_set") r.read(c, a.use_model_force_set);
      else if (k == "activation_exponent") r.read(c, a.activation_exponent);
      else if (k == "use_muscle_physiology") r.read(c, a.use_muscle_physiology);
      else if (k == "optimizer_convergence_criterion") r.read(c, a.optimizer_convergence_criterion);
      else if (k == "optimizer_max_iterations") r.read(c, a.optimizer_max_iterations);
      else return false;
      return true;
    });
  }
  if (type == "JointReaction") {
    auto a = read_analysis<JointReactionSettings>(r, o, [&](Node c, JointReactionSettings& a) {
      const auto k = c.name();
      if (k == "forces_file") r.read(c, a.forces_file);
      else if (k == "joint_names") r.read(c, a.joint_names);
      else if (k == "apply_on_bodies") r.read(c, a.apply_on_bodies);
      else if (k == "express_in_frame") r.read(c, a.express_in_frame);
      else return false;
      return true;
    });
    // JointReaction::setupReactionList: an empty list means the default.
    if (a.joint_names.empty()) a.joint_names = {"ALL"};
    if (a.apply_on_bodies.empty()) a.apply_on_bodies = {"child"};
    if (a.express_in_frame.empty()) a.express_in_frame = {"ground"};
    return a;
  }
  if (type == "MuscleAnalysis") {
    return read_analysis<MuscleAnalysisSettings>(r, o, [&](Node c, MuscleAnalysisSettings& a) {
      const auto k = c.name();
      if (k == "muscle_list") r.read(c, a.muscle_list);
      else if (k == "moment_arm_coordinate_list") r.read(c, a.moment_arm_coordinate_list);
      else if (k == "compute_moments") r.read(c, a.compute_moments);
      else return false;
      return true;
    });
  }
  if (type == "BodyKinematics") {
    return read_analysis<BodyKinematicsSettings>(r, o, [&](Node c, BodyKinematicsSettings& a) {
      const auto k = c.name();
      if (k == "bodies") r.read(c, a.bodies);
      else if (k == "express_results_in_body_local_frame") r.read(c, a.express_results_in_body_local_frame);
      else return false;
      return true;
    });
  }
  if (type == "PointKinematics") {
    return read_analysis<PointKinematicsSettings>(r, o, [&](Node c, PointKinematicsSettings& a) {
      const auto k = c.name();
      if (k == "body_name") r.read(c, a.body_name);
      else if (k == "relative_to_body_name") r.read(c, a.relative_to_body_name);
      else if (k == "point_name") r.read(c, a.point_name);
      else if (k == "point") r.read(c, a.point);
      else return false;
      return true;
    });
  }
  if (type == "Kinematics") {
    return read_analysis<KinematicsSettings>(r, o, [&](Node c, KinematicsSettings& a) {
      if (c.name() != "coordinates") return false;
      r.read(c, a.coordinates);
      return true;
    });
  }
  if (type == "Actuation") {
    return read_analysis<ActuationSettings>(r, o, [](Node, ActuationSettings&) { return false; });
  }
  if (type == "ForceReporter") {
    return read_analysis<ForceReporterSettings>(r, o, [&](Node c, ForceReporterSettings& a) {
      if (c.name() != "include_constraint_forces") return false;
      r.read(c, a.include_constraint_forces);
      return true;
    });
  }
  // Kept by type and name; its own properties are not read.
  UnknownAnalysis a;
  a.type = std::string(type);
  a.name = o.attribute("name");
  a.line = r.line(o);
  for (Node c : r.children(o)) read_analysis_common(r, c, a);
  r.warn(o, fmt::format("analysis <{}> '{}' is not supported by femur, ignored", type, a.name));
  return a;
}

std::vector<ControllerSettings> read_controller_set(OsimXmlReader& r, Node set) {
  std::vector<ControllerSettings> out;
  r.for_each_object(set, "ControllerSet", [&](Node o) {
    ControllerSettings k;
    k.type = std::string(o.name());
    k.name = o.attribute("name");
    k.line = r.line(o);
    for (Node c : r.children(o)) {
      const auto n = c.name();
      if (n == "enable_controller" || n == "enabled") {
        r.read(c, k.enabled);
      } else if (n == "isDisabled") {
        bool disabled = !k.enabled;
        r.read(c, disabled);
        k.enabled = !disabled;
      } else if (n == "actuator_list") {
        r.read(c, k.actuator_list);
      } else if (n == "controls_file" && k.type == "ControlSetController") {
        r.read(c, k.controls_file);
      } else if (n == "kp" && k.type == "CorrectionController") {
        r.read(c, k.kp);
      } else if (n == "kv" && k.type == "CorrectionController") {
        r.read(c, k.kv);
      }
      // Other controller properties are not used by femur.
    }
    out.push_back(std::move(k));
  });
  return out;
}

// AbstractTool.cpp properties; returns false when `c` is not one of them.
bool read_abstract_tool(OsimXmlReader& r, Node c, AbstractToolSetup& s) {
  const auto k = c.name();
  if (k == "model_file") r.read(c, s.model_file);
  // replace_actuator_set / actuator_set_files: names before OpenSim 1.9
  // (AbstractTool::updateFromXMLNode renames them).
  else if (k == "replace_force_set" || k == "replace_actuator_set") r.read(c, s.replace_force_set);
  else if (k == "force_set_files" || k == "actuator_set_files") r.read(c, s.force_set_files);
  else if (k == "results_directory") r.read(c, s.results_directory);
  else if (k == "output_precision") r.read(c, s.output_precision);
  else if (k == "initial_time") r.read(c, s.initial_time);
  else if (k == "final_time") r.read(c, s.final_time);
  else if (k == "solve_for_equilibrium_for_auxiliary_states")
    r.read(c, s.solve_for_equilibrium_for_auxiliary_states);
  else if (k == "maximum_number_of_integrator_steps") r.read(c, s.maximum_number_of_integrator_steps);
  else if (k == "maximum_integrator_step_size") r.read(c, s.maximum_integrator_step_size);
  else if (k == "minimum_integrator_step_size") r.read(c, s.minimum_integrator_step_size);
  else if (k == "integrator_error_tolerance") r.read(c, s.integrator_error_tolerance);
  else if (k == "AnalysisSet") {
    s.analyses.clear();
    r.for_each_object(c, "AnalysisSet", [&](Node o) { s.analyses.push_back(read_one_analysis(r, o)); });
  } else if (k == "ControllerSet") s.controllers = read_controller_set(r, c);
  else if (k == "external_loads_file") r.read(c, s.external_loads_file);
  else if (k == "defaults") return true;  // OpenSim's per-type default objects
  else return false;
  return true;
}

// CMCTool.cpp properties (also found in RRA setups written by the CMC-based RRA).
bool read_cmc_property(OsimXmlReader& r, Node c, CmcSetup& s) {
  const auto k = c.name();
  if (k == "actuators_to_exclude") r.read(c, s.actuators_to_exclude);
  else if (k == "desired_points_file") r.read(c, s.desired_points_file);
  else if (k == "desired_kinematics_file") r.read(c, s.desired_kinematics_file);
  else if (k == "task_set_file") r.read(c, s.task_set_file);
  else if (k == "constraints_file") r.read(c, s.constraints_file);
  else if (k == "rra_controls_file") r.read(c, s.rra_controls_file);
  else if (k == "lowpass_cutoff_frequency") r.read(c, s.lowpass_cutoff_frequency);
  else if (k == "cmc_time_window") r.read(c, s.cmc_time_window);
  else if (k == "use_curvature_filter") r.read(c, s.use_curvature_filter);
  else if (k == "use_fast_optimization_target") r.read(c, s.use_fast_optimization_target);
  else if (k == "optimizer_algorithm") r.read(c, s.optimizer_algorithm);
  // Older names of the two optimizer settings (CMCTool.cpp before OpenSim 3.0).
  else if (k == "numerical_derivative_step_size" || k == "optimizer_derivative_dx")
    r.read(c, s.numerical_derivative_step_size);
  else if (k == "optimization_convergence_tolerance" || k == "optimizer_convergence_criterion")
    r.read(c, s.optimization_convergence_tolerance);
  else if (k == "optimizer_max_iterations") r.read(c, s.optimizer_max_iterations);
  else if (k == "optimizer_print_level") r.read(c, s.optimizer_print_level);
  else if (k == "use_verbose_printing") r.read(c, s.use_verbose_printing);
  else return false;
  return true;
}

template <class T>
void start(OsimXmlReader& r, Node root, T& s) {
  s.name = root.attribute("name");
}

template <class T>
void finish(OsimXmlReader& r, Node root, T& s) {
  default_results_directory(r, root, s.results_directory);
}

}  // namespace

AnalyzeSetup read_analyze(OsimXmlReader& r, Node root) {
  AnalyzeSetup s;
  start(r, root, s);
  for (Node c : r.children(root)) {
    const auto k = c.name();
    if (read_abstract_tool(r, c, s)) continue;
    if (k == "states_file") r.read(c, s.states_file);
    else if (k == "coordinates_file") r.read(c, s.coordinates_file);
    else if (k == "speeds_file") r.read(c, s.speeds_file);
    else if (k == "lowpass_cutoff_frequency_for_coordinates") r.read(c, s.lowpass_cutoff_frequency_for_coordinates);
    else if (k == "controls_file") r.read(c, s.controls_file);
    else r.unknown(c, "AnalyzeTool");
  }
  finish(r, root, s);
  return s;
}

ForwardSetup read_forward(OsimXmlReader& r, Node root) {
  ForwardSetup s;
  start(r, root, s);
  for (Node c : r.children(root)) {
    const auto k = c.name();
    if (read_abstract_tool(r, c, s)) continue;
    // initial_states_file: the name before OpenSim 2.0.
    if (k == "states_file" || k == "initial_states_file") r.read(c, s.states_file);
    else if (k == "use_specified_dt") r.read(c, s.use_specified_dt);
    else if (k == "controls_file") r.read(c, s.controls_file);
    else r.unknown(c, "ForwardTool");
  }
  finish(r, root, s);
  return s;
}

CmcSetup read_cmc(OsimXmlReader& r, Node root) {
  CmcSetup s;
  start(r, root, s);
  for (Node c : r.children(root)) {
    if (read_abstract_tool(r, c, s) || read_cmc_property(r, c, s)) continue;
    r.unknown(c, "CMCTool");
  }
  finish(r, root, s);
  return s;
}

RraSetup read_rra(OsimXmlReader& r, Node root) {
  RraSetup s;
  start(r, root, s);
  for (Node c : r.children(root)) {
    const auto k = c.name();
    if (read_abstract_tool(r, c, s) || read_cmc_property(r, c, s)) continue;
    if (k == "adjust_com_to_reduce_residuals") r.read(c, s.adjust_com_to_reduce_residuals);
    else if (k == "initial_time_for_com_adjustment") r.read(c, s.initial_time_for_com_adjustment);
    else if (k == "final_time_for_com_adjustment") r.read(c, s.final_time_for_com_adjustment);
    else if (k == "adjusted_com_body") r.read(c, s.adjusted_com_body);
    else if (k == "output_model_file") r.read(c, s.output_model_file);
    else r.unknown(c, "RRATool");
  }
  finish(r, root, s);
  return s;
}

}  // namespace femur::io::detail
