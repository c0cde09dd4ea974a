// What the viewer shows, gathered and checked before anything is drawn: the model's display
// geometry with its meshes, the motion as coordinate values per frame, muscle colouring
// (activation or force), external forces, joint reactions and measured markers, all sampled
// at the view's frames. `load_view` reads them from the files `femur view` is given; a
// report builds a ViewData from its own postures (view_from_postures).
//
//   femur::Model model = femur::io::read_osim(files.model);
//   femur::web::ViewData view = femur::web::load_view(model, files);
//   std::string json = femur::web::scene_json(model, view);       // scene.hpp
#pragma once

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/io/osim_geometry.hpp"
#include "femur/io/table.hpp"
#include "femur/io/vtp.hpp"
#include "femur/model/model.hpp"

namespace femur::web {

// One mesh file, read once however many geometries use it.
struct ViewMesh {
  std::string file;             // as the model names it
  std::filesystem::path path;   // where it was found
  io::SurfaceMesh mesh;
};

// A geometry of the model with its mesh: `mesh` indexes ViewData::meshes, -1 when the file
// was not found or could not be read (drawn as a placeholder, with a warning).
struct ViewGeometry {
  io::DisplayGeometry geometry;
  int mesh = -1;
};

// An ExternalForce sampled at the view's frames, as its file gives it: force and point in the
// frames it names (bodies; 0 = ground); point NaN = the applied body's origin.
struct ViewExternalForce {
  std::string name;
  int applied_to_body = 0;
  int force_in_body = 0;
  int point_in_body = 0;
  Eigen::MatrixX3d force;  // frames x 3 (N), NaN outside the data's time range
  Eigen::MatrixX3d point;  // frames x 3 (m)
};

// A joint reaction force sampled at the view's frames: what the child body applies to the
// parent at the joint centre (for a hip: the femoral head pushing on the acetabulum),
// expressed in body `in_body` (0 = ground).
struct ViewJointReaction {
  int joint = -1;
  int in_body = 0;
  Eigen::MatrixX3d force;  // frames x 3 (N), NaN outside the data's time range
  std::string source;      // the columns it came from, for the page's legend
};

struct ViewData {
  std::string title;                 // page heading (the model's name by default)
  std::string subtitle;              // what was loaded

  std::vector<ViewGeometry> geometry;
  std::vector<ViewMesh> meshes;
  // One per Model::contact_geometry (or empty): for a ContactMesh the index of its mesh in
  // `meshes`, -1 when not found (a placeholder and a warning); -1 for the other kinds.
  std::vector<int> contact_mesh;

  // The frames shown: time (s) and coordinate values (rad, m), rows x model.nq. One row at the
  // default pose when there is no motion.
  Eigen::VectorXd time;
  Eigen::MatrixXd q;
  // Optional, one per frame: shown in the timeline instead of the time (e.g. "hip flexion 30
  // deg" for a sweep of postures).
  std::vector<std::string> frame_labels;

  // Muscle colouring, rows x number of geometry paths (PathSet order); empty for none. Values
  // in [0, 1]: activation, or force / max isometric force. NaN = no data for that path.
  Eigen::MatrixXf colour_value;
  std::string colour_label;          // e.g. "activation (so_activation.sto)"

  std::vector<ViewExternalForce> external_forces;
  std::vector<ViewJointReaction> joint_reactions;

  // Measured markers in ground (m), rows x 3 per marker; NaN where missing.
  std::vector<std::string> marker_names;
  Eigen::MatrixXd marker_positions;

  std::vector<std::string> warnings; // shown in the page (missing meshes, skipped columns, ...)
};

// Which rows of a motion become frames: those in [start, end] (s), at most max_rate_hz per
// second (a row is kept when it is at least 1/max_rate_hz after the last kept one).
struct FrameSelection {
  double max_rate_hz = 100.0;
  double start = -std::numeric_limits<double>::infinity();
  double end = std::numeric_limits<double>::infinity();
};

// The files `femur view` is given. Only the model is required.
struct ViewFiles {
  std::filesystem::path model;
  std::filesystem::path motion;          // .mot/.sto: coordinates (IK), states (forward, CMC, Moco)
  std::filesystem::path activations;     // .sto: one column per muscle (SO activation, CMC controls)
  std::filesystem::path forces;          // .sto: muscle forces (SO force), coloured as F / F_max
  std::filesystem::path external_loads;  // ExternalLoads .xml naming a GRF .mot
  std::filesystem::path joint_reaction;  // JointReaction ReactionLoads .sto
  std::filesystem::path markers;         // .trc
  std::vector<std::filesystem::path> geometry_dirs;  // searched first for meshes
  // Display geometry taken from this .osim instead of the model's own, matched by body name:
  // for a model built on another's body frames (femur's hip model has gait2392's, and no
  // meshes of its own). Meshes are looked for from this file's folder.
  std::filesystem::path geometry_model;
  FrameSelection frames;
};

// Reads and checks every file against the model. Throws io::ParseError naming the file for
// anything wrong: a motion column that is neither a coordinate nor a state, control or
// multiplier of the model (all such columns are named in one message), a muscle column that
// names no muscle, a joint-reaction file with no column of a model joint, an unreadable file.
// A mesh that cannot be found or read is not an error: it becomes a placeholder and a warning.
ViewData load_view(const Model& model, const ViewFiles& files);

// The model's display geometry and meshes (part of load_view, for callers that have their own
// frames). With `model`, also the meshes of its ContactMesh geometry (view.contact_mesh),
// looked for in the same folders.
void load_geometry(const std::filesystem::path& model_file, const std::vector<std::filesystem::path>& geometry_dirs,
                   ViewData& view, const Model* model = nullptr);

// Contact geometry kept beside a model as Moco's examples keep it: <model stem>_ContactGeometry
// Set.xml in the model's folder (example3DWalking's subject_walk_scaled_ContactGeometrySet.xml,
// which the example adds to the model). Empty when there is none. `femur view` reads it into
// the model (io::OsimReadOptions::contact_geometry_files) and says so.
std::vector<std::filesystem::path> contact_geometry_beside(const std::filesystem::path& model_file);

// Maps a motion table's columns to the model's coordinates (radians and metres; coordinates
// without a column keep their default value; couplers are applied) into view.time and view.q,
// at most max_rate_hz frames per second; activation states, if the table has them, become
// the muscle colouring. Throws io::ParseError (file = `name_for_errors`) naming every column
// that is neither a coordinate (name, or OpenSim 4 path .../value) nor a state, control or
// multiplier of the model, and for a selection that keeps no row.
void motion_frames(const Model& model, const io::Table& motion, const std::string& name_for_errors,
                   const FrameSelection& selection, ViewData& view);

// One frame per row of `q` (rows x model.nq, radians and metres) at `time`: a posture or a
// motion computed in memory (the report's scenarios). No geometry: bodies are drawn as bones
// between their joints.
ViewData view_from_frames(const Model& model, const Eigen::VectorXd& time, const Eigen::MatrixXd& q);

}  // namespace femur::web
