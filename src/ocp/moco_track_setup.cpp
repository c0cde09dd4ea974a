// MocoTrack .omoco files (OpenSim/Moco/MocoTrack.h, MocoTool.h; ModelProcessor.h,
// ModelOperators.h; TableProcessor.h) read and run with ocp::solve_gait, the engine of
// `femur track`.
#include "femur/ocp/moco_track_setup.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string_view>
#include <tuple>

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/table.hpp"
#include "femur/io/xml_util.hpp"
#include "femur/math/filter.hpp"
#include "femur/math/gcv_spline.hpp"
#include "femur/ocp/moco_study.hpp"
#include "moco_setup_common.hpp"

namespace femur::ocp {

namespace fs = std::filesystem;

namespace {

using detail::relative_to;

bool has_elements(pugi::xml_node node) {
  for (pugi::xml_node c : node.children())
    if (c.type() == pugi::node_element) return true;
  return false;
}

// The ModelProcessor operators `femur track` applies (ModelOperators.h).
void read_model_operator(const io::XmlDocument& doc, pugi::xml_node op, MocoTrackSetup& s) {
  const std::string_view o = op.name();
  if (o == "ModOpAddReserves") {
    s.reserves_optimal_force = op.child("optimal_force") ? doc.number(op.child("optimal_force")) : 1.0;
    if (!(s.reserves_optimal_force > 0.0)) doc.fail(op, "ModOpAddReserves: <optimal_force> must be positive");
    // ModOpAddReserves leaves the controls unbounded unless <bound> is set; femur track's
    // reserves are unbounded.
    if (op.child("bound") && std::isfinite(doc.number(op.child("bound"))))
      doc.fail(op.child("bound"), "ModOpAddReserves: a <bound> on the reserves is not supported by femur track yet");
    if (op.child("skip_coordinates_with_actuators") && !doc.boolean(op.child("skip_coordinates_with_actuators")))
      doc.fail(op, "ModOpAddReserves: skip_coordinates_with_actuators false is not supported by femur yet");
  } else if (o == "ModOpRemoveMuscles") {
    s.remove_muscles = true;
  } else {
    doc.fail(op, "model operator <" + std::string(o) + "> is not supported by femur's MocoTrack yet");
  }
}

}  // namespace

bool is_moco_track_setup(const fs::path& file) { return moco_study(file) == MocoStudy::Track; }

MocoTrackSetup read_moco_track_setup(const fs::path& file) {
  const io::XmlDocument doc = io::XmlDocument::load_file(file);
  const pugi::xml_node root = detail::moco_study_element(doc, "MocoTrack");
  MocoTrackSetup s;
  s.file = file;
  s.name = detail::moco_study_name_of(root);
  bool apply_tracked_states = false;
  pugi::xml_node apply_node;
  for (pugi::xml_node c : root.children()) {
    if (c.type() != pugi::node_element) continue;
    if (detail::read_moco_tool_time(doc, c, s)) continue;
    const std::string_view n = c.name();
    const std::string text = io::XmlDocument::text(c);
    const std::string_view object_name = c.attribute("name").as_string();
    if (n == "ModelProcessor" || n == "model") {
      detail::read_model_processor(doc, detail::object_of(doc, c, "ModelProcessor"), s.file, s.model_file,
                                   [&](pugi::xml_node op) { read_model_operator(doc, op, s); });
    } else if ((n == "TableProcessor" && object_name == "states_reference") || n == "states_reference") {
      detail::read_table_processor(doc, detail::object_of(doc, c, "TableProcessor"), s.file, s.states_file,
                                   s.lowpass_cutoff_hz);
    } else if ((n == "TableProcessor" && object_name == "markers_reference") || n == "markers_reference") {
      fs::path markers;
      double cutoff = -1.0;
      detail::read_table_processor(doc, detail::object_of(doc, c, "TableProcessor"), s.file, markers, cutoff);
      if (!markers.empty()) doc.fail(c, "MocoTrack: marker tracking (markers_reference) is not supported by femur yet");
    } else if (n == "TableProcessor") {
      doc.fail(c, "<TableProcessor name=\"" + std::string(object_name) + "\"> is not a MocoTrack property");
    } else if (n == "states_global_tracking_weight") {
      s.states_weight = doc.number(c);
      if (!(s.states_weight >= 0.0)) doc.fail(c, "<states_global_tracking_weight> must not be negative");
    } else if (n == "track_reference_position_derivatives") {
      s.track_speeds = doc.boolean(c);
    } else if (n == "minimize_control_effort") {
      s.minimize_control_effort = doc.boolean(c);
    } else if (n == "control_effort_weight") {
      s.control_effort_weight = doc.number(c);
      if (!(s.control_effort_weight >= 0.0)) doc.fail(c, "<control_effort_weight> must not be negative");
    } else if (n == "guess_file") {
      if (!text.empty()) s.guess_file = relative_to(s.file, text);
    } else if (n == "apply_tracked_states_to_guess") {
      apply_tracked_states = doc.boolean(c);
      apply_node = c;
    } else if (n == "states_weight_set" || n == "markers_weight_set") {
      const pugi::xml_node objects = c.child("MocoWeightSet").child("objects");
      if (has_elements(objects) || (c.child("objects") && has_elements(c.child("objects"))))
        doc.fail(c, "MocoTrack: per-variable weights (<" + std::string(n) + ">) are not supported by femur yet");
    } else if (n == "MocoWeightSet") {
      if (has_elements(c.child("objects")))
        doc.fail(c, "MocoTrack: per-variable weights (<" + std::string(object_name) + ">) are not supported by femur yet");
    } else if (n == "scale_state_weights_with_range") {
      if (doc.boolean(c)) doc.fail(c, "MocoTrack: scale_state_weights_with_range true is not supported by femur yet");
    } else if (n == "markers_global_tracking_weight" || n == "allow_unused_references" || n == "output_paths") {
      // No markers are tracked (an empty markers_reference); references may always hold extra
      // columns; outputs are not reported yet.
    } else {
      doc.fail(c, "MocoTrack property <" + std::string(n) + "> is not supported by femur yet");
    }
  }
  if (s.model_file.empty()) doc.fail(root, "MocoTrack: no model file (<ModelProcessor name=\"model\"><filepath>)");
  if (s.states_file.empty())
    doc.fail(root, "MocoTrack: no states reference (<TableProcessor name=\"states_reference\"><filepath>)");
  if (apply_tracked_states && !s.guess_file.empty())
    doc.fail(apply_node, "MocoTrack: apply_tracked_states_to_guess with a guess_file is not supported by femur yet");
  return s;
}

GaitProblem moco_track_problem(const MocoTrackSetup& s, const io::Table& states) {
  if (states.rows() < 6) throw std::runtime_error(s.states_file.string() + ": fewer than 6 rows");
  GaitProblem pb;
  std::tie(pb.initial_time, pb.final_time) = detail::moco_time_range(s, states);
  // As `femur track --mesh-interval`: the nearest whole number of intervals, at least 2.
  pb.mesh_intervals =
      std::max(2, static_cast<int>(std::lround((pb.final_time - pb.initial_time) / s.mesh_interval)));
  pb.states_reference = &states;
  pb.lowpass_hz = s.lowpass_cutoff_hz;
  pb.states_weight = s.states_weight;
  pb.track_speeds = s.track_speeds;
  pb.effort_weight = s.minimize_control_effort ? s.control_effort_weight : 0.0;
  pb.remove_muscles = s.remove_muscles;
  pb.reserves_optimal_force = s.reserves_optimal_force;
  // MocoTrack's solver defaults (MocoTrack.h): tolerances 1e-2. femur track's: exact Hessian.
  pb.solver.convergence_tolerance = 1e-2;
  pb.solver.constraint_tolerance = 1e-2;
  pb.solver.max_iterations = 1000;
  pb.solver.exact_hessian = true;
  return pb;
}

io::Table moco_tracked_states(const Model& model, const io::Table& reference, double lowpass_hz, bool track_speeds) {
  const int nc = reference.cols();
  std::vector<std::string> labels = reference.labels;
  Samples s{reference.time, reference.data};
  // Per model coordinate: its value and speed columns in the reference (-1: none).
  const int n = static_cast<int>(model.coordinates.size());
  std::vector<int> value_col(static_cast<size_t>(n), -1), speed_col(static_cast<size_t>(n), -1);
  std::vector<std::string> path(static_cast<size_t>(n));
  for (int k = 0; k < n; ++k) {
    const auto K = static_cast<size_t>(k);
    const Coordinate& c = model.coordinates[K];
    path[K] = "/jointset/" + model.joints[static_cast<size_t>(c.joint)].name + "/" + c.name;
    for (int j = 0; j < nc; ++j) {
      const std::string& l = reference.labels[static_cast<size_t>(j)];
      if (l == path[K] + "/value" || l == c.name) value_col[K] = j;
      if (l == path[K] + "/speed" || l == c.name + "_u") speed_col[K] = j;
    }
    for (const char* state : {"/value", "/speed"}) {
      const int j = state[1] == 'v' ? value_col[K] : speed_col[K];
      if (j < 0) continue;
      if (reference.in_degrees && c.motion_type == MotionType::Rotational) s.data.col(j) *= std::numbers::pi / 180.0;
      labels[static_cast<size_t>(j)] = path[K] + state;
    }
  }
  if (std::all_of(value_col.begin(), value_col.end(), [](int j) { return j < 0; }))
    throw std::invalid_argument("the states reference has no column of a model coordinate");
  if (lowpass_hz > 0.0) s = filter_coordinates(s, lowpass_hz);
  io::Table out;
  out.name = reference.name;
  out.labels = std::move(labels);
  out.time = s.time;
  out.data = s.data;
  if (track_speeds) {
    std::vector<int> missing;
    for (int k = 0; k < n; ++k)
      if (value_col[static_cast<size_t>(k)] >= 0 && speed_col[static_cast<size_t>(k)] < 0) missing.push_back(k);
    if (!missing.empty()) {
      Eigen::MatrixXd values(s.time.size(), static_cast<Eigen::Index>(missing.size()));
      for (std::size_t m = 0; m < missing.size(); ++m)
        values.col(static_cast<Eigen::Index>(m)) = s.data.col(value_col[static_cast<size_t>(missing[m])]);
      const GcvSplineSet sp = fit_gcv_spline_set(5, s.time, values, GcvSmoothing::interpolating());
      out.data.conservativeResize(Eigen::NoChange, out.data.cols() + static_cast<Eigen::Index>(missing.size()));
      for (std::size_t m = 0; m < missing.size(); ++m) {
        const Eigen::Index col = nc + static_cast<Eigen::Index>(m);
        for (Eigen::Index i = 0; i < s.time.size(); ++i)
          out.data(i, col) = sp.derivative(static_cast<Eigen::Index>(m), 1, s.time[i]);
        out.labels.push_back(path[static_cast<size_t>(missing[m])] + "/speed");
      }
    }
  }
  return out;
}

tools::RunReport run_moco_track_setup(const MocoTrackSetup& s, const tools::RunOptions& options) {
  const fs::path folder = options.output_directory.empty() ? s.file.parent_path() : options.output_directory;
  const fs::path out = folder / (s.name + "_solution.sto");
  const fs::path tracked_out = folder / (s.name + "_tracked_states.sto");
  io::OutputFiles outputs({s.file, s.model_file, s.states_file});
  if (!s.guess_file.empty()) outputs.add_input(s.guess_file);
  tools::RunReport report;
  outputs.claim(out, s.file.string() + ": ");
  outputs.claim(tracked_out, s.file.string() + ": ");
  const Model model = io::read_osim(s.model_file, &report.warnings);
  const io::Table states = io::read_sto(s.states_file);
  io::Table guess;
  GaitProblem pb = moco_track_problem(s, states);
  if (!s.guess_file.empty()) {
    guess = io::read_sto(s.guess_file);
    pb.guess = &guess;
  }
  GaitSolution solution;
  try {
    solution = solve_gait(model, pb);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(s.file.string() + ": " + e.what());
  }
  if (!solution.success) throw detail::moco_solve_failed(s.file, "MocoTrack", solution);
  outputs.stage_sto(out, solution.trajectory);
  outputs.stage_sto(tracked_out, moco_tracked_states(model, states, s.lowpass_cutoff_hz, s.track_speeds));
  report.files_written = outputs.commit();
  report.frames = solution.nodes;
  report.seconds = solution.seconds_setup + solution.nlp.seconds;
  return report;
}

}  // namespace femur::ocp
