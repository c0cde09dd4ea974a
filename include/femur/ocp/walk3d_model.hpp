// The full-body walking model of Moco's example3DWalking as the example builds it
// (opensim-core OpenSim/Examples/Moco/example3DWalking/example3DWalking.cpp, main and
// trackWalking): the .osim plus the set files beside it —
//   <stem>_ContactGeometrySet.xml                 contact spheres (raised 2 cm) and the floor
//   <stem>_ContactForceSet.xml                    SmoothSphereHalfSpaceForces between them
//   <stem>_ExpressionBasedCoordinateForceSet.xml  passive joint torques (and toe damping)
//   <stem>_FunctionBasedPathSet.xml               polynomial muscle paths (FunctionBasedPath)
// — then the ModelProcessor of its muscle-driven tracking: minimum control 0, muscles as
// DeGrooteFregly2016 with rigid tendons, no passive fiber force, active force-length curve
// 1.5 times as wide. The FunctionBasedPaths become the collocation's path functions
// (GaitProblem::path_functions); the muscles keep their geometry paths for everything else.
//
//   ocp::WalkingModel w = ocp::read_walking_model("subject_walk_scaled.osim",
//                                                 ocp::find_model_sets("subject_walk_scaled.osim"));
//   problem.path_functions = w.path_functions;   solve_gait(w.model, problem);
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "femur/io/table.hpp"
#include "femur/model/model.hpp"
#include "femur/ocp/path_surrogate.hpp"

namespace femur::ocp {

struct ModelSetFiles {
  std::filesystem::path contact_geometry, contact_forces, expression_forces, function_based_paths;  // empty: none
  bool empty() const {
    return contact_geometry.empty() && contact_forces.empty() && expression_forces.empty() && function_based_paths.empty();
  }
};

// The set files of `model_file` named <stem>_<Set>.xml in `dir` (the model's folder when
// empty); those absent stay empty. Throws std::runtime_error when there is none.
ModelSetFiles find_model_sets(const std::filesystem::path& model_file, const std::filesystem::path& dir = {});

// A <Set_FunctionBasedPath_> file: per FunctionBasedPath (named by its muscle's path,
// "/forceset/<muscle>") the length as a MultivariatePolynomialFunction of the listed
// coordinates, as a PathSurrogate named after the muscle (model coordinate indices, centre 0).
// Throws io::ParseError "file:line: what is wrong" for an unknown muscle or coordinate, a length
// function that is not a MultivariatePolynomialFunction, a malformed polynomial or more than
// PathSurrogate::kMaxDimension coordinates.
std::vector<PathSurrogate> read_function_based_paths(const std::filesystem::path& file, const Model& model);

struct WalkingModelOptions {
  double contact_sphere_raise = 0.02;  // m, along each set sphere's frame y (the example's 2 cm)
  double min_control = 0.0;            // muscles' minimum excitation and activation
  double active_force_width_scale = 1.5;
  bool ignore_passive_fiber_force = true;
};

struct WalkingModel {
  Model model;
  std::vector<PathSurrogate> path_functions;
};

// Reads the model with the sets applied and prepares it as the example does. Errors in a set
// file name that file and line (io::ParseError).
WalkingModel read_walking_model(const std::filesystem::path& model_file, const ModelSetFiles& sets,
                                const WalkingModelOptions& options = {}, std::vector<std::string>* warnings = nullptr);

// Optimal activations against processed EMG (electromyography.sto: each column normalized to a
// peak of 1, so shape and timing are compared, not magnitude). Per EMG column, the mean
// activation of its muscles (e.g. gluteus_medius: glmed1-3) at the solution's nodes against the
// EMG interpolated there: Pearson correlation, and on/off agreement — the fraction of nodes
// where both are "on" or both "off", on meaning above 25% of the signal's own range over the
// window (min + 0.25 (max - min)).
struct EmgComparison {
  std::string emg, muscles;  // EMG column; muscles averaged (comma-separated)
  double correlation = 0.0, on_off_agreement = 0.0;
};
// The example's EMG columns and the model's muscles on one side ("r" or "l"): soleus,
// gastrocnemius (gasmed, gaslat), tibialis_anterior, medial_hamstrings (semimem, semiten),
// biceps_femoris (bflh), vastus_lateralis, vastus_medius, rectus_femoris, gluteus_maximus
// (glmax1-3), gluteus_medius (glmed1-3).
std::vector<EmgComparison> compare_with_emg(const io::Table& trajectory, const io::Table& emg, const std::string& side);

}  // namespace femur::ocp
