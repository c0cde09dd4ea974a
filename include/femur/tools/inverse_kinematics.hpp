// Inverse kinematics as OpenSim's InverseKinematicsTool computes it: per frame, the
// coordinates that minimize the weighted squared distances between model markers and
// measured markers plus weighted coordinate tasks (OPENSIM-NOTES.md C.1):
//
//   G(q) = sum_i w_i |x_i(q) - m_i|^2 / (2 sum_i w_i)  +  sum_j w_j (q_j - q_j,ref(t))^2 / 2
//
// (Simbody Assembler.cpp Markers::calcGoal; AssemblyCondition_QValue.h QValue::calcGoal),
// markers missing in a frame left out of both sums, locked coordinates fixed at their
// default, clamped ones kept inside their range, couplers enforced exactly. Solved by a
// bounded damped Gauss-Newton (math/least_squares.hpp) on analytic marker Jacobians, warm
// started from the previous frame, to a much tighter tolerance than `accuracy` so that the
// answer is the optimum OpenSim's optimizer approaches.
//
//   io::MarkerTable markers = io::read_trc("walk.trc");
//   markers.convert_to_metres();
//   tools::IkOptions options;  // every marker of the file with weight 1
//   tools::IkResult ik = tools::inverse_kinematics(model, markers, options);
#pragma once

#include <limits>
#include <filesystem>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/io/table.hpp"
#include "femur/io/setup.hpp"
#include "femur/model/model.hpp"
#include "femur/tools/run_setup.hpp"

namespace femur::tools {

// IKMarkerTask: a marker of the model tracked with a weight.
struct IkMarkerWeight {
  std::string name;
  double weight = 1.0;
};

// IKCoordinateTask: a coordinate held near a reference value with a weight. The reference
// is `value` (radians or metres), or, when `reference` is set, reference(t) sampled at each
// frame's time (OpenSim fits a GCVSpline of degree 5 to the coordinate file).
struct IkCoordinateTask {
  std::string name;
  double weight = 0.0;
  double value = 0.0;
  bool from_reference = false;
  Eigen::VectorXd reference_time, reference_value;  // used when from_reference (spline-fitted)
};

struct IkOptions {
  // Markers tracked: those named here that the model and the marker file both have
  // (MarkersReference.cpp keeps only the markers of the task set). Empty: every marker of
  // the file that the model has, weight 1 (MarkersReference's default_weight).
  std::vector<IkMarkerWeight> marker_weights;
  std::vector<IkCoordinateTask> coordinate_tasks;
  double accuracy = 1e-5;         // OpenSim's `accuracy`; sets the stopping tolerances below
  double start_time = -std::numeric_limits<double>::infinity();
  double end_time = std::numeric_limits<double>::infinity();
  bool report_marker_locations = false;
  int threads = 1;                // frames split in contiguous chunks, one per thread
  int max_iterations = 200;       // per frame (the first frame of a chunk gets 5x)
  // Stop when a Gauss-Newton step moves no coordinate by more than step_tolerance (rad or
  // m). Zero: accuracy * 1e-2, well below what OpenSim's own convergence test resolves.
  double step_tolerance = 0.0;
  // Gauss-Newton plus a secant estimate of the marker residuals' curvature, carried from
  // frame to frame (LeastSquaresOptions::secant_hessian): fewer iterations, same optimum.
  bool secant_hessian = true;
  bool show_progress = false;     // frames done and time left on stderr (a terminal only)
};

struct IkResult {
  std::vector<std::string> coordinate_names;  // model order
  Eigen::VectorXd time;                       // frames
  Eigen::MatrixXd q;                          // frames x nq, radians and metres
  // Markers in use (file and model and task set), in the order of the marker file.
  std::vector<std::string> marker_names;
  Eigen::MatrixXd marker_squared_error;       // frames x markers (0 where missing)
  Eigen::MatrixXd marker_locations;           // frames x 3*markers (if asked), ground, m
  // Per frame, as InverseKinematicsTool reports them: sum of squared errors of the markers
  // present, sqrt(total / markers in use) and the largest error (m).
  Eigen::VectorXd total_squared_error, marker_error_rms, marker_error_max;
  std::vector<int> iterations;                // solver iterations per frame
  std::vector<char> converged;                // 0 where the solver stopped without converging
  int frames() const { return static_cast<int>(time.size()); }
};

// Solves every frame of `markers` (positions in metres) within [start_time, end_time]:
// from the row nearest max(first time, start_time) to the row nearest min(last time,
// end_time) (InverseKinematicsTool.cpp, DataTable::getNearestRowIndexForTime).
// Throws std::invalid_argument when a task names a coordinate the model lacks, no marker is
// tracked, or the marker table is not in metres.
IkResult inverse_kinematics(const Model& model, const io::MarkerTable& markers, const IkOptions& options);

// The output tables OpenSim writes: the motion (coordinates, rotational ones in degrees,
// header inDegrees=yes, labels = coordinate names; Kinematics analysis), the marker
// errors (`<name>_ik_marker_errors.sto`) and the model marker locations (_tx _ty _tz).
io::Table ik_motion_table(const Model& model, const IkResult& result);
io::Table ik_marker_errors_table(const IkResult& result);
io::Table ik_marker_locations_table(const IkResult& result);

// ---- Setup-file adapter (inverse_kinematics_setup.cpp) ----

// The tasks, time range and accuracy of an InverseKinematicsTool setup as IkOptions for
// `model`. An applied task naming a coordinate or marker the model lacks throws
// io::ParseError "setup.xml:LINE: IKCoordinateTask 'x': model M has no coordinate 'x'"
// (OpenSim ignores unknown markers silently; femur says so). A from_file task reads the
// setup's coordinate_file (degrees converted when the file says inDegrees=yes).
IkOptions ik_options_from_setup(const io::InverseKinematicsSetup& setup, const Model& model);

// The markers of a TRC file in metres, ready for inverse_kinematics: read_trc, then
// convert_to_metres (unknown units are a ParseError at the Units line). Units that cannot be
// right (tools/input_checks.hpp) add a warning to `warnings` (may be null).
io::MarkerTable read_markers_in_metres(const std::filesystem::path& trc, std::vector<std::string>* warnings = nullptr);

// inverse_kinematics() on markers read from `marker_file`: a marker table that cannot be
// used (no frames, no marker both in the model and tracked) is a std::runtime_error naming
// the file.
IkResult inverse_kinematics_of_file(const Model& model, const io::MarkerTable& markers, const IkOptions& options,
                                    const std::filesystem::path& marker_file);

// `femur run` on an InverseKinematicsTool setup: reads the model and the TRC, solves, and
// writes output_motion_file and, as asked, <name>_ik_marker_errors.sto and
// <name>_ik_model_marker_locations.sto in results_directory (or options.output_directory).
RunReport run_inverse_kinematics_setup(const io::InverseKinematicsSetup& setup, const RunOptions& options);

}  // namespace femur::tools
