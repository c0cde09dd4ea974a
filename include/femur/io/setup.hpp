// Typed readers for OpenSim tool setup files (the XML that `opensim-cmd run-tool` takes):
// one plain option struct per tool, with OpenSim's own defaults, filled by read_setup().
// `femur run Setup.xml` reads the file here and hands the struct to the tool's function.
// Property names and defaults follow opensim-core (OpenSim/Tools/*Tool.cpp, AbstractTool.cpp,
// OpenSim/Analyses/*.cpp); each struct names the file it mirrors.
#pragma once

#include <array>
#include <filesystem>
#include <limits>
#include <string>
#include <variant>
#include <vector>

#include "femur/io/external_loads.hpp"

namespace femur::io {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// ---------------------------------------------------------------------------------------
// Inverse kinematics tasks (IKTask.cpp, IKMarkerTask.cpp, IKCoordinateTask.cpp)

struct IkTask {
  enum class Kind { marker, coordinate };
  // IKCoordinateTask value_type: default_value (the coordinate's default), manual_value
  // (`value`), from_file (the coordinate_file column).
  enum class ValueType { default_value, manual_value, from_file };

  Kind kind = Kind::marker;
  std::string name;        // marker or coordinate name
  int line = 0;
  bool apply = true;
  double weight = 0.0;     // IKTask default
  ValueType value_type = ValueType::default_value;  // coordinate tasks only
  double value = 0.0;                               // coordinate tasks only (radians or m)
};

// InverseKinematicsTool.cpp (+ Tool: results_directory, input_directory).
struct InverseKinematicsSetup {
  std::string name;
  std::filesystem::path file;        // the setup file read
  int document_version = 0;
  FileRef model_file;
  FileRef marker_file;               // .trc
  FileRef coordinate_file;           // for from_file coordinate tasks
  double constraint_weight = kInf;   // infinity: constraints enforced exactly
  double accuracy = 1e-5;
  std::array<double, 2> time_range{-kInf, kInf};
  std::vector<IkTask> tasks;
  bool report_errors = true;
  bool report_marker_locations = false;
  FileRef output_motion_file;        // resolved against the setup folder (OpenSim's cwd)
  FileRef results_directory;         // default "./" = the setup folder
  FileRef input_directory;           // read but unused by OpenSim's IK
};

// InverseDynamicsTool.cpp + DynamicsTool.cpp.
struct InverseDynamicsSetup {
  std::string name;
  std::filesystem::path file;
  int document_version = 0;
  FileRef model_file;
  std::array<double, 2> time_range{-kInf, kInf};
  std::vector<std::string> forces_to_exclude;  // names, groups, or ALL/ACTUATORS/MUSCLES
  FileRef external_loads_file;
  FileRef coordinates_file;
  double lowpass_cutoff_frequency_for_coordinates = -1.0;  // negative: no filtering
  FileRef output_gen_force_file;     // written inside results_directory
  std::vector<std::string> joints_to_report_body_forces;
  FileRef output_body_forces_file;   // written inside results_directory
  FileRef results_directory;
  FileRef input_directory;
  bool coordinates_in_degrees = true;  // only in files converted from OpenSim 2.2; unused
};

// ---------------------------------------------------------------------------------------
// Scale (ScaleTool.cpp, GenericModelMaker.cpp, ModelScaler.cpp, MarkerPlacer.cpp,
// Measurement.cpp, MarkerPair.cpp, BodyScale.cpp, Scale.cpp)

struct MarkerPair {
  std::string marker1, marker2;
  int line = 0;
};

struct BodyScale {
  std::string body;                  // the BodyScale's name
  std::vector<std::string> axes;     // subset of X Y Z
  int line = 0;
};

struct Measurement {
  std::string name;
  int line = 0;
  bool apply = true;
  std::vector<MarkerPair> marker_pairs;
  std::vector<BodyScale> body_scales;
};

struct ManualScale {                 // <Scale> in a ScaleSet
  std::string segment;
  std::array<double, 3> scales{1.0, 1.0, 1.0};
  bool apply = true;
  int line = 0;
};

struct GenericModelMaker {
  bool present = false;              // OpenSim skips a section that is absent
  FileRef model_file;
  FileRef marker_set_file;           // replaces the model's markers
};

struct ModelScaler {
  bool present = false;
  bool apply = true;
  std::vector<std::string> scaling_order;   // "measurements" and/or "manualScale"
  std::vector<Measurement> measurements;    // MeasurementSet
  std::vector<ManualScale> scale_set;       // ScaleSet
  FileRef marker_file;
  std::array<double, 2> time_range{-1.0, -1.0};
  bool preserve_mass_distribution = false;
  FileRef output_model_file;
  FileRef output_scale_file;
};

struct MarkerPlacer {
  bool present = false;
  bool apply = true;
  std::vector<IkTask> tasks;                // IKTaskSet
  FileRef marker_file;
  FileRef coordinate_file;
  std::array<double, 2> time_range{-1.0, -1.0};
  FileRef output_motion_file;
  FileRef output_model_file;
  FileRef output_marker_file;
  double max_marker_movement = -1.0;        // negative: no limit
};

struct ScaleSetup {
  std::string name;
  std::filesystem::path file;
  int document_version = 0;
  double mass = -1.0;                       // kg; negative: keep the model's mass
  double height = -1.0;                     // informational
  double age = -1.0;                        // informational
  std::string notes;
  GenericModelMaker generic_model_maker;
  ModelScaler model_scaler;
  MarkerPlacer marker_placer;
};

// ---------------------------------------------------------------------------------------
// Analyses of an AnalysisSet (OpenSim/Analyses/*.cpp; Analysis.cpp for the common part)

struct AnalysisCommon {
  std::string name;
  int line = 0;
  bool on = true;
  double start_time = -kInf;
  double end_time = kInf;
  int step_interval = 1;
  bool in_degrees = true;
};

struct StaticOptimizationSettings : AnalysisCommon {
  bool use_model_force_set = true;
  double activation_exponent = 2.0;
  bool use_muscle_physiology = true;
  double optimizer_convergence_criterion = 1e-4;
  int optimizer_max_iterations = 100;
  // femur only, never read from a setup file (`femur so --weighting volume`): each muscle's
  // term of the cost weighted by its volume (tools::StaticOptimizationOptions::volume_weighted).
  bool volume_weighted = false;
};

struct JointReactionSettings : AnalysisCommon {
  FileRef forces_file;                                   // usually SO's _force.sto
  std::vector<std::string> joint_names{"ALL"};
  std::vector<std::string> apply_on_bodies{"child"};    // one entry, or one per joint
  std::vector<std::string> express_in_frame{"ground"};  // frame name, or child/parent
};

struct MuscleAnalysisSettings : AnalysisCommon {
  std::vector<std::string> muscle_list{"all"};
  std::vector<std::string> moment_arm_coordinate_list{"all"};
  bool compute_moments = true;
};

struct BodyKinematicsSettings : AnalysisCommon {
  std::vector<std::string> bodies{"all"};               // may include "center_of_mass"
  bool express_results_in_body_local_frame = false;
};

struct PointKinematicsSettings : AnalysisCommon {
  std::string body_name = "ground";
  std::string relative_to_body_name = "none";
  std::string point_name = "NONAME";
  std::array<double, 3> point{0.0, 0.0, 0.0};
};

struct KinematicsSettings : AnalysisCommon {
  std::vector<std::string> coordinates{"all"};
};

// Actuation (OpenSim/Analyses/Actuation.cpp): force, speed and power of every actuator; no
// properties of its own.
struct ActuationSettings : AnalysisCommon {};

// ForceReporter (OpenSim/Analyses/ForceReporter.cpp): every force's force output.
struct ForceReporterSettings : AnalysisCommon {
  bool include_constraint_forces = false;
};

// An analysis femur does not know (InverseDynamics, ProbeReporter...): kept so the caller can
// say which one is skipped.
struct UnknownAnalysis : AnalysisCommon {
  std::string type;
};

using AnalysisSettings =
    std::variant<StaticOptimizationSettings, JointReactionSettings, MuscleAnalysisSettings,
                 BodyKinematicsSettings, PointKinematicsSettings, KinematicsSettings,
                 ActuationSettings, ForceReporterSettings, UnknownAnalysis>;

// A controller of a ControllerSet: ControlSetController (its controls file) or
// CorrectionController (its gains).
struct ControllerSettings {
  std::string type;                  // ControlSetController, CorrectionController, ...
  std::string name;
  int line = 0;
  bool enabled = true;               // enable_controller, or !isDisabled
  FileRef controls_file;             // ControlSetController
  std::vector<std::string> actuator_list;
  double kp = 100.0, kv = 20.0;      // CorrectionController (CorrectionController.cpp defaults)
};

// ---------------------------------------------------------------------------------------
// Tools derived from AbstractTool (AbstractTool.cpp): Analyze, Forward, CMC, RRA.

struct AbstractToolSetup {
  std::string name;
  std::filesystem::path file;
  int document_version = 0;
  FileRef model_file;
  bool replace_force_set = true;     // each tool below sets its own default
  std::vector<FileRef> force_set_files;
  FileRef results_directory;         // default "./"
  int output_precision = 8;
  double initial_time = 0.0;
  double final_time = 1.0;
  bool solve_for_equilibrium_for_auxiliary_states = false;
  int maximum_number_of_integrator_steps = 20000;
  double maximum_integrator_step_size = 1.0;
  double minimum_integrator_step_size = 1e-8;
  double integrator_error_tolerance = 1e-5;
  std::vector<AnalysisSettings> analyses;
  std::vector<ControllerSettings> controllers;
  FileRef external_loads_file;
};

// AnalyzeTool.cpp
struct AnalyzeSetup : AbstractToolSetup {
  AnalyzeSetup() { replace_force_set = false; }
  FileRef states_file;
  FileRef coordinates_file;
  FileRef speeds_file;
  double lowpass_cutoff_frequency_for_coordinates = -1.0;
  FileRef controls_file;             // before OpenSim 1.9 (now a ControlSetController)
};

// ForwardTool.cpp
struct ForwardSetup : AbstractToolSetup {
  ForwardSetup() { replace_force_set = false; }
  FileRef states_file;               // initial states (also read from initial_states_file)
  bool use_specified_dt = false;
  FileRef controls_file;             // before OpenSim 1.9
};

// CMCTool.cpp
struct CmcSetup : AbstractToolSetup {
  CmcSetup() {
    replace_force_set = false;
    solve_for_equilibrium_for_auxiliary_states = true;
  }
  std::vector<std::string> actuators_to_exclude;
  FileRef desired_points_file;
  FileRef desired_kinematics_file;
  FileRef task_set_file;
  FileRef constraints_file;
  FileRef rra_controls_file;
  double lowpass_cutoff_frequency = -1.0;
  double cmc_time_window = 0.010;
  bool use_curvature_filter = false;       // no longer read by OpenSim 4
  bool use_fast_optimization_target = true;
  std::string optimizer_algorithm = "ipopt";
  double numerical_derivative_step_size = 1e-4;   // was optimizer_derivative_dx
  double optimization_convergence_tolerance = 1e-4;  // was optimizer_convergence_criterion
  int optimizer_max_iterations = 1000;
  int optimizer_print_level = 0;
  bool use_verbose_printing = false;
};

// RRATool.cpp. Setup files written when RRA ran through CMCTool carry CMC's properties too;
// they are read into the CmcSetup part.
struct RraSetup : CmcSetup {
  RraSetup() {
    cmc_time_window = 0.001;
    optimization_convergence_tolerance = 1e-5;
  }
  bool adjust_com_to_reduce_residuals = false;
  double initial_time_for_com_adjustment = -1.0;
  double final_time_for_com_adjustment = -1.0;
  std::string adjusted_com_body;
  FileRef output_model_file;
};

using SetupFile = std::variant<ScaleSetup, InverseKinematicsSetup, InverseDynamicsSetup,
                               AnalyzeSetup, ForwardSetup, CmcSetup, RraSetup>;

// The tool type a setup holds ("InverseKinematicsTool", ...).
std::string tool_name(const SetupFile& setup);

// Reads a tool setup file. The tool is chosen by the root element (inside <OpenSimDocument>
// or bare). Relative paths are resolved against the setup's folder (OpenSim changes into it,
// IO::CwdChanger::changeToParentOf; IK and ID open model_file just before doing so, i.e.
// from the process's folder, which only differs when run from elsewhere; femur uses the
// setup's folder for every file), with `\` accepted as a separator; an element with a
// file="other.xml" attribute is read from that file. Unknown elements are reported in
// `warnings` (may be null) as "file:LINE: <element> is not a known property of Tool, ignored".
// Throws ParseError "file:LINE: <element>: expected a number, got 'abc'" and the like.
SetupFile read_setup(const std::filesystem::path& file, std::vector<std::string>* warnings = nullptr);

// Lists the input files the setup names that do not exist (outputs are not checked), as
// "setup.xml:LINE: <element>: file not found: PATH". An ExternalLoads file that exists is
// opened and its datafile checked too (OpenSim looks beside the setup, then beside the loads
// file). Analyses that are off and Scale steps that are not applied are not checked.
std::vector<std::string> check_inputs_exist(const SetupFile& setup);

// Throws std::runtime_error "missing input files:" followed by check_inputs_exist's lines,
// one per line, when any is missing.
void require_inputs_exist(const SetupFile& setup);

// "setup.xml:LINE: " (or "setup.xml: " for line 0): the start of a message about a setup.
std::string setup_place(const std::filesystem::path& file, int line);

// Every input file the setup reads that exists (the same files check_inputs_exist checks,
// the ExternalLoads datafile included) and the setup file itself: what its outputs must not
// overwrite (io::OutputFiles).
std::vector<std::filesystem::path> input_files(const SetupFile& setup);

// What an OpenSim XML file holds, by its root element, for tools that scan folders.
enum class OpenSimXmlKind {
  tool_setup,       // one of the SetupFile tools
  external_loads,   // ExternalLoads
  force_set,        // ForceSet (reserve/residual actuators)
  cmc_task_set,     // CMC_TaskSet / rdCMC_TaskSet
  control_set,      // ControlSet (controls, control constraints)
  marker_set,       // MarkerSet
  scale_set,        // ScaleSet (Scale's output)
  model,            // Model (.osim)
  other,
};

struct OpenSimXmlRoot {
  OpenSimXmlKind kind = OpenSimXmlKind::other;
  std::string type;         // element name of the object, e.g. "CMCTool", "ForceSet"
  int document_version = 0; // 0 when there is no OpenSimDocument wrapper
};

// Reads only enough of the file to name its root object. Throws ParseError on malformed XML.
OpenSimXmlRoot classify_opensim_xml(const std::filesystem::path& file);

}  // namespace femur::io
