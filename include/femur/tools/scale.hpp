// Scaling a generic model to a subject and placing its markers, as OpenSim's ScaleTool does
// (OpenSim/Tools/ScaleTool.cpp, ModelScaler.cpp, MarkerPlacer.cpp; OPENSIM-NOTES.md C.6):
//
//   1. compute_scale_factors: per-body X/Y/Z factors from marker-pair measurements (static
//      trial distance averaged over a time range / model distance in the default pose) and
//      manual scales, applied in `scaling_order`;
//   2. scale_model: OpenSim's Model::scale at the default configuration (frames, joint
//      translation functions, markers, path points, wrap objects, mass and inertia, subject
//      mass, then muscle fiber/tendon lengths times the path length ratio);
//   3. place_markers: one IK frame on the averaged static trial, then every non-fixed
//      marker moved onto its measured position.
//
//   tools::ScaleFactors f = tools::compute_scale_factors(generic, &static_trial, factor_options);
//   tools::ScaledModel scaled = tools::scale_model(generic, f.body, {.preserve_mass_distribution = true,
//                                                                    .subject_mass = 72.6});
//   tools::MarkerPlacement placed = tools::place_markers(scaled.model, static_trial, placer_options);
#pragma once

#include <array>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/model/model.hpp"
#include "femur/tools/inverse_kinematics.hpp"
#include "femur/tools/run_setup.hpp"

namespace femur::tools {

// ---- Model::scale (scale_model.cpp) ------------------------------------------------------

struct ModelScaleOptions {
  // true: masses keep their values (OpenSim preserve_mass_distribution); false: each body's
  // mass is multiplied by |sx sy sz|. Inertias are rescaled in both cases (Body.cpp).
  bool preserve_mass_distribution = false;
  // > 0: every mass and inertia is then multiplied by subject_mass / total mass.
  double subject_mass = -1.0;
};

// A geometry path's length at the default pose before and after scaling (postScale ratio).
struct PathLengthChange {
  std::string force;
  double length_before = 0.0;
  double length_after = 0.0;
};

struct ScaledModel {
  Model model;
  std::vector<PathLengthChange> paths;  // every force with a geometry path, in force order
};

// OpenSim Model::scale(state, scaleSet, preserveMassDist, finalMass) with one X/Y/Z factor
// per model body (`body_factors[b]` for Model::bodies[b]; ground's entry is not used).
// Lengths fixed in a body are multiplied element-wise by its factors: centre of mass, joint
// frames (the parent frame F by the parent's factors, M by the child's), markers, path points,
// wrap-object translations; CustomJoint translation functions are wrapped in a
// MultiplierFunction of factor |axis| . (parent factors) unless LinearFunction(1, 0); moving
// path point functions likewise per axis; wrap dimensions per WrapCylinder/Sphere/Ellipsoid/
// Torus extendScale. Muscles' optimal_fiber_length and tendon_slack_length (ligaments' and
// path springs' resting_length) are multiplied by L_after / L_before, both path lengths at
// the default pose. Derived fields are recomputed by rebuilding through ModelBuilder.
// Throws std::invalid_argument for a factor vector of the wrong size or a non-finite factor.
ScaledModel scale_model(const Model& model, const std::vector<Vec3>& body_factors,
                        const ModelScaleOptions& options = {});

// The same model passed through ModelBuilder again: same bodies, joints, markers and forces,
// every derived field recomputed. scale_model builds its result this way.
Model rebuild_model(const Model& model);

// ---- ModelScaler (scale.cpp) -------------------------------------------------------------

struct ScaleMeasurement {
  std::string name;
  std::vector<std::array<std::string, 2>> marker_pairs;
  struct BodyAxes {
    std::string body;
    std::array<bool, 3> axes{false, false, false};  // X, Y, Z
  };
  std::vector<BodyAxes> bodies;
};

struct ManualBodyScale {
  std::string body;
  Vec3 factors = Vec3::Ones();
};

enum class ScalingStep { measurements, manual_scale };

struct ScaleFactorOptions {
  std::vector<ScalingStep> order;            // applied in this order; a later step overwrites
  std::vector<ScaleMeasurement> measurements;
  std::vector<ManualBodyScale> manual_scales;
  // Frames averaged: MarkerData::findFrameRange, from the last frame at or before
  // start_time to the first frame at or after end_time (both included).
  double start_time = -1.0, end_time = -1.0;
};

struct MeasurementResult {
  std::string name;
  double factor = std::numeric_limits<double>::quiet_NaN();  // NaN: not used (a marker missing)
  std::vector<double> model_distance;         // per marker pair, m, default pose
  std::vector<double> experimental_distance;  // per marker pair, m, averaged over the frames
};

struct ScaleFactors {
  std::vector<Vec3> body;                     // per model body, ground = (1, 1, 1)
  std::vector<MeasurementResult> measurements;
};

// ModelScaler::processModel's scale set. Measurement factor = mean over its marker pairs of
// experimental / model distance (computeMeasurementScaleFactor); it is written to the listed
// axes of the listed bodies. `markers` (metres) is needed only when `order` has measurements.
// A measurement with a marker missing in some averaged frame gets factor NaN and is skipped,
// as OpenSim does. Unknown bodies or markers throw std::invalid_argument.
ScaleFactors compute_scale_factors(const Model& model, const io::MarkerTable* markers,
                                   const ScaleFactorOptions& options);

// ---- MarkerPlacer (scale.cpp) -----------------------------------------------------------

struct MarkerPlacerOptions {
  IkOptions ik;                  // task weights and coordinate tasks; its times are not used
  double start_time = -1.0, end_time = -1.0;
  double max_marker_movement = -1.0;  // metres; > 0: warn about markers that move more
  bool move_model_markers = true;
  // When set (nq values), the static pose is taken as given instead of solved by IK: the
  // markers are placed at this pose (ik stays empty).
  std::optional<Eigen::VectorXd> pose;
};

struct MarkerPlacement {
  Model model;                   // markers absent from the trial removed, non-fixed ones moved
  double time = 0.0;             // time of the static pose (start of the range)
  Eigen::VectorXd q;             // the static pose
  IkResult ik;                   // the one IK frame (marker errors before moving markers)
                                 // (empty when options.pose was given)
  std::vector<std::string> moved;     // markers moved, model order
  std::vector<std::string> warnings;  // markers not moved (no data), markers that moved too much
};

// MarkerPlacer::processModel: the static trial (metres) averaged over the clamped time range
// (TimeSeriesTable::averageRow: every row inside, a marker missing in one row is missing) is
// solved by one IK frame from the default pose; the markers are moved onto the per-marker
// average of MarkerData::averageFrames (frames as compute_scale_factors, missing frames
// skipped). Model markers absent from the trial are deleted (Model::deleteUnusedMarkers).
MarkerPlacement place_markers(const Model& model, const io::MarkerTable& static_trial,
                              const MarkerPlacerOptions& options);

// The "static pose" states file MarkerPlacer writes (StatesReporter; inDegrees=no): time,
// then value and speed of every coordinate (/jointset/<joint>/<coordinate>/value, /speed),
// then activation and fiber_length of each Thelen2003Muscle at their defaults.
io::Table static_pose_table(const Model& model, const MarkerPlacement& placement);

// The applied ScaleSet as OpenSim prints it (ground and every body, in model order).
std::string format_scale_set(const Model& model, const std::vector<Vec3>& body_factors);

// ---- Setup-file adapter (scale_setup.cpp) -------------------------------------------------

// GenericModelMaker::processModel plus ScaleTool::createModel: the setup's model_file, its
// markers updated from marker_set_file (a marker of the same name replaced, new ones
// appended; Model::updateMarkerSet), renamed after the ScaleTool. Throws io::ParseError.
Model generic_model(const io::ScaleSetup& setup);

// The setup's ModelScaler (scaling_order, MeasurementSet, ScaleSet, time_range) as the options
// of compute_scale_factors. Each name is checked against the model, and the measurements'
// markers against `markers` (the scaler's trial, when measurements are used): an unknown one
// throws io::ParseError "setup:LINE: Measurement '...': ..." (OpenSim warns and skips the
// measurement instead); a BodyScale naming a body the model lacks is a warning, as OpenSim.
ScaleFactorOptions scale_factor_options(const io::ScaleSetup& setup, const Model& model,
                                        const io::MarkerTable* markers, std::vector<std::string>* warnings);

// `femur run` on a ScaleTool setup: GenericModelMaker (model, marker set), ModelScaler
// (output_model_file, output_scale_file) and MarkerPlacer (output_model_file,
// output_motion_file, output_marker_file), each step only when present and applied.
// The whole setup is checked against the model and marker files first: an unknown body or
// marker throws io::ParseError "setup.xml:LINE: ..." and nothing is written.
RunReport run_scale_setup(const io::ScaleSetup& setup, const RunOptions& options);

}  // namespace femur::tools
