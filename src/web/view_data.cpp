// Reading what `femur view` shows (view_data.hpp): every file is checked against the model
// and sampled at the view's frames before the scene is built.
#include "femur/web/view_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <numbers>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "femur/io/external_loads.hpp"
#include "femur/kinematics/couplers.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/muscle_parameters.hpp"

namespace femur::web {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string joined(const std::vector<std::string>& names, std::size_t at_most = 12) {
  std::string s;
  for (std::size_t i = 0; i < names.size() && i < at_most; ++i) s += (i ? ", " : "") + names[i];
  if (names.size() > at_most) s += fmt::format(", ... ({} in all)", names.size());
  return s;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Linear interpolation of `src` (rows x c, at increasing times t_src) at the times t_dst;
// NaN outside [t_src front, back] (beyond a millisecond's slack); a single row is constant.
Eigen::MatrixXd sample(const Eigen::VectorXd& t_src, const Eigen::MatrixXd& src, const Eigen::VectorXd& t_dst) {
  Eigen::MatrixXd out = Eigen::MatrixXd::Constant(t_dst.size(), src.cols(), kNaN);
  const Eigen::Index n = t_src.size();
  if (n == 0) return out;
  for (Eigen::Index i = 0; i < t_dst.size(); ++i) {
    const double t = t_dst[i];
    if (n == 1) {
      out.row(i) = src.row(0);
      continue;
    }
    if (t < t_src[0] - 1e-3 || t > t_src[n - 1] + 1e-3) continue;
    const auto it = std::upper_bound(t_src.data(), t_src.data() + n, t);
    Eigen::Index k = std::clamp<Eigen::Index>(it - t_src.data(), 1, n - 1);
    const double t0 = t_src[k - 1], t1 = t_src[k];
    const double w = t1 > t0 ? std::clamp((t - t0) / (t1 - t0), 0.0, 1.0) : 0.0;
    out.row(i) = (1.0 - w) * src.row(k - 1) + w * src.row(k);
  }
  return out;
}

// Times of a table must increase once repeated rows are merged (remove_repeated_times).
void check_times(const io::Table& t, const std::string& file) {
  for (int i = 1; i < t.rows(); ++i)
    if (!(t.time[i] > t.time[i - 1]))
      throw io::ParseError(file, 0, fmt::format("time goes back at row {} ({} after {})", i + 1, t.time[i], t.time[i - 1]));
}

std::set<std::string> force_names(const Model& model) {
  std::set<std::string> out;
  for (const auto& f : model.forces) out.insert(f.name);
  return out;
}

// What a column of a motion or states file is, by OpenSim's names: the coordinate it gives a
// value of, or -1 with `known` true for the other states, controls and multipliers of the
// model (speeds, muscle states, actuator controls, Moco's Lagrange multipliers and slacks).
struct ColumnMeaning {
  int coordinate = -1;
  bool known = false;
  bool added_actuator = false;  // /forceset/<name> of an actuator the tool added (Moco's reserves)
  std::string activation_of;    // a muscle activation state: the force's name
};

ColumnMeaning classify(const Model& model, const std::set<std::string>& forces, const std::string& label) {
  ColumnMeaning m;
  if (const int k = model.coordinate_index(label); k >= 0) {
    m.coordinate = k;
    m.known = true;
    return m;
  }
  // OpenSim 4 paths: /jointset/<joint>/<coordinate>/value, /speed or /accel; /forceset/<force>[/state].
  if (starts_with(label, "/")) {
    std::vector<std::string> parts;
    std::size_t i = 1;
    while (i <= label.size()) {
      const std::size_t j = std::min(label.find('/', i), label.size());
      parts.push_back(label.substr(i, j - i));
      i = j + 1;
    }
    if (parts.size() >= 2) {
      const std::string& last = parts.back();
      const std::string& owner = parts[parts.size() - 2];
      // .../accel: the derivative Moco (and femur track/predict) write for implicit multibody
      // dynamics (MocoTrajectory's derivatives, num_derivatives in the header).
      if (model.coordinate_index(owner) >= 0 && (last == "value" || last == "speed" || last == "accel")) {
        if (last == "value") m.coordinate = model.coordinate_index(owner);
        m.known = true;
        return m;
      }
      if (parts[0] == "forceset" && forces.count(parts[1])) {
        m.known = true;
        if (parts.size() == 3 && parts[2] == "activation") m.activation_of = parts[1];
        return m;
      }
    }
    // A state or control of a force the model lacks: an actuator the tool added (MocoInverse
    // adds reserves); shown as a warning, not an error.
    if (parts.size() >= 2 && parts[0] == "forceset") {
      m.known = true;
      m.added_actuator = true;
    }
    return m;
  }
  // OpenSim 3 states: <coordinate>_u, <force>.<state>; a controls file: <force>.
  if (ends_with(label, "_u") && model.coordinate_index(label.substr(0, label.size() - 2)) >= 0) {
    m.known = true;
    return m;
  }
  if (const auto dot = label.rfind('.'); dot != std::string::npos && forces.count(label.substr(0, dot))) {
    m.known = true;
    if (label.substr(dot + 1) == "activation") m.activation_of = label.substr(0, dot);
    return m;
  }
  if (forces.count(label)) {
    m.known = true;
    return m;
  }
  // Moco solutions: Lagrange multipliers and slack variables of kinematic constraints.
  if (starts_with(label, "lambda_") || starts_with(label, "gamma_")) m.known = true;
  return m;
}

// Per path (PathSet order) the column of `table` that names its muscle, -1 if none.
std::vector<int> path_columns(const Model& model, const io::Table& table, std::vector<std::string>& unmatched) {
  const PathSet& paths = model.paths;
  std::vector<int> out(static_cast<std::size_t>(paths.size()), -1);
  std::set<int> used;
  for (int p = 0; p < paths.size(); ++p) {
    const std::string& name = paths.paths[static_cast<std::size_t>(p)].name;
    int c = -1;
    for (int k = 0; k < table.cols() && c < 0; ++k) {
      const std::string& l = table.labels[static_cast<std::size_t>(k)];
      if (l == name || l == "/forceset/" + name || l == name + ".activation" || l == "/forceset/" + name + "/activation")
        c = k;
    }
    out[static_cast<std::size_t>(p)] = c;
    if (c >= 0) used.insert(c);
  }
  for (int k = 0; k < table.cols(); ++k)
    if (!used.count(k)) unmatched.push_back(table.labels[static_cast<std::size_t>(k)]);
  return out;
}

int frame_body(const Model& model, const std::string& name) {
  if (name.empty() || name == "ground" || name == model.bodies[0].name) return 0;
  return model.body_index(name);
}

void load_colouring(const Model& model, const fs::path& file, bool forces, ViewData& view) {
  io::Table t = io::read_sto(file);
  io::remove_repeated_times(t);
  check_times(t, file.string());
  std::vector<std::string> unmatched;
  const std::vector<int> columns = path_columns(model, t, unmatched);
  int matched = 0;
  for (int c : columns) matched += c >= 0;
  if (matched == 0)
    throw io::ParseError(file.string(), 0,
                         fmt::format("no column names a muscle of model '{}' (columns: {})", model.name, joined(t.labels)));
  if (!unmatched.empty())
    view.warnings.push_back(fmt::format("{}: {} column(s) are not muscles of the model, not shown: {}", file.filename().string(),
                                        unmatched.size(), joined(unmatched)));
  const PathSet& paths = model.paths;
  const Eigen::MatrixXd values = sample(t.time, t.data, view.time);
  view.colour_value = Eigen::MatrixXf::Constant(view.time.size(), static_cast<Eigen::Index>(columns.size()),
                                                std::numeric_limits<float>::quiet_NaN());
  for (std::size_t p = 0; p < columns.size(); ++p) {
    if (columns[p] < 0) continue;
    double scale = 1.0;
    if (forces) {
      // A path actuator or spring has no maximum isometric force: not coloured.
      const ForceElement& f = model.forces[static_cast<std::size_t>(paths.paths[p].force)];
      const auto* muscle = std::get_if<MuscleParameters>(&f.part);
      if (!muscle) continue;
      scale = 1.0 / muscle->max_isometric_force;
    }
    view.colour_value.col(static_cast<Eigen::Index>(p)) = (values.col(columns[p]) * scale).cast<float>();
  }
  view.colour_label = fmt::format("{} ({})", forces ? "force / max isometric force" : "activation",
                                  file.filename().string());
}

void load_external_loads(const Model& model, const fs::path& file, ViewData& view) {
  std::vector<std::string> warnings;
  const io::ExternalLoads loads = io::read_external_loads(file, &warnings);
  for (auto& w : warnings) view.warnings.push_back(w);
  if (loads.datafile.empty())
    throw io::ParseError(file.string(), 0, "names no <datafile> of ground reaction forces");
  const fs::path data_file = io::locate_datafile(loads, file);
  io::Table t = io::read_sto(data_file);
  io::remove_repeated_times(t);
  check_times(t, data_file.string());
  auto columns3 = [&](const io::ExternalForce& f, const std::string& id, const char* what) {
    std::array<int, 3> c{-1, -1, -1};
    if (id.empty()) return c;
    for (int k = 0; k < 3; ++k) {
      c[static_cast<std::size_t>(k)] = t.column(id + "xyz"[k]);
      if (c[static_cast<std::size_t>(k)] < 0)
        throw io::ParseError(file.string(), f.line,
                             fmt::format("ExternalForce '{}': {} column '{}' is not in {}", f.name, what,
                                         id + "xyz"[k], data_file.string()));
    }
    return c;
  };
  auto body = [&](const io::ExternalForce& f, const std::string& name, const char* what) {
    const int b = frame_body(model, name);
    if (b < 0)
      throw io::ParseError(file.string(), f.line,
                           fmt::format("ExternalForce '{}': {} '{}' is not a body of model '{}'", f.name, what, name,
                                       model.name));
    return b;
  };
  for (const io::ExternalForce& f : loads.forces) {
    if (!f.applies_force || f.force_identifier.empty()) continue;
    ViewExternalForce e;
    e.name = f.name;
    e.applied_to_body = body(f, f.applied_to_body, "applied_to_body");
    e.force_in_body = body(f, f.force_expressed_in_body, "force_expressed_in_body");
    e.point_in_body = body(f, f.point_expressed_in_body, "point_expressed_in_body");
    const auto fc = columns3(f, f.force_identifier, "force");
    const auto pc = columns3(f, f.point_identifier, "point");
    Eigen::MatrixXd cols(t.rows(), 6);
    for (int k = 0; k < 3; ++k) {
      cols.col(k) = t.data.col(fc[static_cast<std::size_t>(k)]);
      cols.col(3 + k) = pc[0] >= 0 ? Eigen::VectorXd(t.data.col(pc[static_cast<std::size_t>(k)]))
                                   : Eigen::VectorXd::Constant(t.rows(), kNaN);
    }
    const Eigen::MatrixXd s = sample(t.time, cols, view.time);
    e.force = s.leftCols(3);
    e.point = s.rightCols(3);
    view.external_forces.push_back(std::move(e));
  }
  if (!loads.prescribed_forces.empty())
    view.warnings.push_back(fmt::format("{}: {} PrescribedForce(s) (OpenSim 2.x loads) are not drawn", file.filename().string(),
                                        loads.prescribed_forces.size()));
}

// JointReaction columns: <joint>_on_<body>_in_<frame>_<fx|fy|fz|mx|...|px|py|pz>
// (OpenSim/Analyses/JointReaction.cpp), body and frame as body names or "ground".
void load_joint_reaction(const Model& model, const fs::path& file, ViewData& view) {
  io::Table t = io::read_sto(file);
  io::remove_repeated_times(t);
  check_times(t, file.string());
  struct Found {
    int fx = -1;
    bool on_parent = false;
    int in_body = 0;
    std::string prefix;
  };
  std::map<int, Found> best;  // joint -> columns
  for (int c = 0; c < t.cols(); ++c) {
    const std::string& label = t.labels[static_cast<std::size_t>(c)];
    if (!ends_with(label, "_fx")) continue;
    const std::string prefix = label.substr(0, label.size() - 3);
    for (std::size_t j = 0; j < model.joints.size(); ++j) {
      const Joint& joint = model.joints[j];
      if (!starts_with(prefix, joint.name + "_on_")) continue;
      const std::string rest = prefix.substr(joint.name.size() + 4);  // <body>_in_<frame>
      for (int side = 0; side < 2; ++side) {
        const int b = side == 0 ? joint.parent_body : joint.child_body;
        const std::string& bname = model.bodies[static_cast<std::size_t>(b)].name;
        if (!starts_with(rest, bname + "_in_")) continue;
        const int in_body = frame_body(model, rest.substr(bname.size() + 4));
        if (in_body < 0) continue;
        Found f{c, side == 0, in_body, prefix};
        auto it = best.find(static_cast<int>(j));
        if (it == best.end() || (!it->second.on_parent && f.on_parent)) best[static_cast<int>(j)] = f;
      }
    }
  }
  if (best.empty())
    throw io::ParseError(file.string(), 0,
                         fmt::format("no column gives the reaction of a joint of model '{}' (expected "
                                     "<joint>_on_<body>_in_<frame>_fx, fy, fz as OpenSim's JointReaction writes)",
                                     model.name));
  for (const auto& [j, f] : best) {
    const Joint& joint = model.joints[static_cast<std::size_t>(j)];
    if (joint.parent_body == 0) {
      view.warnings.push_back(fmt::format("{}: the reaction of '{}' acts on the ground, not drawn", file.filename().string(), joint.name));
      continue;
    }
    const int fy = t.column(f.prefix + "_fy"), fz = t.column(f.prefix + "_fz");
    if (fy < 0 || fz < 0) throw io::ParseError(file.string(), 0, fmt::format("column '{}_fx' without _fy and _fz", f.prefix));
    Eigen::MatrixXd cols(t.rows(), 3);
    cols << t.data.col(f.fx), t.data.col(fy), t.data.col(fz);
    // What the child applies to the parent: the file's force, or minus the force on the child
    // (equal and opposite at the same point).
    if (!f.on_parent) cols = -cols;
    ViewJointReaction r;
    r.joint = j;
    r.in_body = f.in_body;
    r.force = sample(t.time, cols, view.time);
    r.source = f.on_parent ? f.prefix : "minus " + f.prefix;
    view.joint_reactions.push_back(std::move(r));
  }
}

void load_markers(const fs::path& file, ViewData& view) {
  io::MarkerTable m = io::read_trc(file);
  try {
    m.convert_to_metres();
  } catch (const std::invalid_argument& e) {
    throw io::ParseError(file.string(), 3, e.what());
  }
  view.marker_names = m.markers;
  view.marker_positions = sample(m.time, m.data, view.time);
}

}  // namespace

namespace {

// Finds and reads each mesh file once, in the folders OpenSim looks in (io::mesh_search_folders)
// and last ../shared/opensim/Geometry (from the current folder), for models kept elsewhere that
// name OpenSim's standard bones. A file not found or unreadable is -1 and one warning.
class MeshFinder {
 public:
  MeshFinder(const fs::path& model_file, const std::vector<fs::path>& geometry_dirs, ViewData& view)
      : folders_(io::mesh_search_folders(model_file, geometry_dirs)), view_(view) {
    std::error_code ec;
    const fs::path shared = fs::weakly_canonical(fs::path("..") / "shared" / "opensim" / "Geometry", ec);
    if (!ec && fs::is_directory(shared, ec) && std::find(folders_.begin(), folders_.end(), shared) == folders_.end())
      folders_.push_back(shared);
  }

  // Index into view.meshes of `file`; `owner` names what uses it in the warning ("body 'femur_r'").
  int find(const std::string& file, const std::string& owner) {
    if (const auto it = by_file_.find(file); it != by_file_.end()) return it->second;
    int index = -1;
    const auto path = io::find_mesh_file(file, folders_);
    if (!path) {
      std::vector<std::string> names;
      for (const auto& f : folders_) names.push_back(f.string());
      view_.warnings.push_back(fmt::format("mesh '{}' ({}) not found; looked in: {}", file, owner,
                                           names.empty() ? std::string("(no folder)") : joined(names, 8)));
    } else if (path->extension() != ".vtp") {
      view_.warnings.push_back(
          fmt::format("mesh '{}' ({}) is not a .vtp file; femur's viewer reads .vtp meshes", file, owner));
    } else {
      try {
        view_.meshes.push_back(ViewMesh{file, *path, io::read_vtp(*path)});
        index = static_cast<int>(view_.meshes.size()) - 1;
      } catch (const io::ParseError& e) {
        view_.warnings.push_back(fmt::format("mesh '{}' ({}) unreadable: {}", file, owner, e.what()));
      }
    }
    by_file_.emplace(file, index);
    return index;
  }

 private:
  std::vector<fs::path> folders_;
  ViewData& view_;
  std::map<std::string, int> by_file_;  // mesh file -> index into view.meshes, -1 if unusable
};

}  // namespace

void load_geometry(const fs::path& model_file, const std::vector<fs::path>& geometry_dirs, ViewData& view,
                   const Model* model) {
  std::vector<std::string> warnings;
  const std::vector<io::DisplayGeometry> shown = io::read_osim_geometry(model_file, &warnings);
  for (auto& w : warnings) view.warnings.push_back(std::move(w));
  MeshFinder meshes(model_file, geometry_dirs, view);
  for (const io::DisplayGeometry& g : shown) {
    ViewGeometry vg{g, -1};
    if (g.shape == io::DisplayGeometry::Shape::Mesh) vg.mesh = meshes.find(g.mesh_file, fmt::format("body '{}'", g.body));
    view.geometry.push_back(std::move(vg));
  }
  if (!model) return;
  view.contact_mesh.assign(model->contact_geometry.size(), -1);
  for (std::size_t c = 0; c < model->contact_geometry.size(); ++c) {
    const ContactGeometry& g = model->contact_geometry[c];
    if (g.kind == ContactGeometry::Kind::Mesh)
      view.contact_mesh[c] = meshes.find(g.mesh_file, fmt::format("ContactMesh '{}'", g.name));
  }
}

std::vector<fs::path> contact_geometry_beside(const fs::path& model_file) {
  const fs::path beside = model_file.parent_path() / (model_file.stem().string() + "_ContactGeometrySet.xml");
  std::error_code ec;
  if (fs::is_regular_file(beside, ec)) return {beside};
  return {};
}

void motion_frames(const Model& model, const io::Table& motion, const std::string& name_for_errors,
                   const FrameSelection& selection, ViewData& view) {
  io::Table t = motion;
  io::remove_repeated_times(t);
  check_times(t, name_for_errors);
  if (t.rows() == 0) throw io::ParseError(name_for_errors, 0, "the motion has no rows");
  const std::set<std::string> forces = force_names(model);
  std::vector<std::string> unknown, added;
  std::vector<int> coordinate_of(static_cast<std::size_t>(t.cols()), -1);
  std::map<std::string, int> activation_columns;
  std::vector<char> given(static_cast<std::size_t>(model.nq), 0);
  // A Moco trajectory ends with its parameters (MocoTrajectory::convertToTable: states,
  // controls, multipliers, derivatives, slacks, then num_parameters columns named as the
  // problem names them, a value in the first row): not a pose, whatever their names.
  int first_parameter = t.cols();
  if (const auto n = t.metadata.find("num_parameters"); n != t.metadata.end() && t.metadata.count("num_states")) {
    const int parameters = std::atoi(n->second.c_str());
    if (parameters > 0 && parameters <= t.cols()) first_parameter = t.cols() - parameters;
  }
  for (int c = 0; c < t.cols(); ++c) {
    const std::string& label = t.labels[static_cast<std::size_t>(c)];
    if (c >= first_parameter) continue;
    const ColumnMeaning m = classify(model, forces, label);
    if (!m.known) unknown.push_back(label);
    if (m.added_actuator) added.push_back(label);
    coordinate_of[static_cast<std::size_t>(c)] = m.coordinate;
    if (m.coordinate >= 0) given[static_cast<std::size_t>(m.coordinate)] = 1;
    if (!m.activation_of.empty()) activation_columns[m.activation_of] = c;
  }
  if (!unknown.empty())
    throw io::ParseError(name_for_errors, 0,
                         fmt::format("{} column(s) name nothing in model '{}': {} (expected coordinate names, or "
                                     "OpenSim state, control or multiplier names)",
                                     unknown.size(), model.name, joined(unknown, 20)));
  if (!added.empty())
    view.warnings.push_back(fmt::format("{}: {} column(s) of forces the model does not have (actuators the tool "
                                        "added), not shown: {}",
                                        fs::path(name_for_errors).filename().string(), added.size(), joined(added)));
  if (std::find(given.begin(), given.end(), 1) == given.end())
    throw io::ParseError(name_for_errors, 0, fmt::format("no column gives a coordinate of model '{}'", model.name));
  std::vector<std::string> missing;
  for (int k = 0; k < model.nq; ++k)
    if (!given[static_cast<std::size_t>(k)] && !model.coordinates[static_cast<std::size_t>(k)].locked)
      missing.push_back(model.coordinates[static_cast<std::size_t>(k)].name);
  if (!missing.empty())
    view.warnings.push_back(fmt::format("{}: {} coordinate(s) not in the motion, held at their default: {}",
                                        fs::path(name_for_errors).filename().string(), missing.size(), joined(missing)));

  // Frames kept: the first in [start, end], then each at least 1/max_rate after the last kept.
  std::vector<int> rows;
  const double step = selection.max_rate_hz > 0.0 ? 1.0 / selection.max_rate_hz : 0.0;
  for (int r = 0; r < t.rows(); ++r) {
    if (t.time[r] < selection.start - 1e-9 || t.time[r] > selection.end + 1e-9) continue;
    if (rows.empty() || t.time[r] >= t.time[rows.back()] + step - 1e-9) rows.push_back(r);
  }
  if (rows.empty())
    throw io::ParseError(name_for_errors, 0,
                         fmt::format("no row between {} and {} s (the motion spans {} to {} s)", selection.start,
                                     selection.end, t.time[0], t.time[t.rows() - 1]));
  const Eigen::VectorXd defaults = model.default_q();
  view.time.resize(static_cast<Eigen::Index>(rows.size()));
  view.q.resize(static_cast<Eigen::Index>(rows.size()), model.nq);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Eigen::VectorXd q = defaults;
    for (int c = 0; c < t.cols(); ++c) {
      const int k = coordinate_of[static_cast<std::size_t>(c)];
      if (k < 0) continue;
      const bool degrees = t.in_degrees && model.coordinates[static_cast<std::size_t>(k)].motion_type == MotionType::Rotational;
      q[k] = t.data(rows[i], c) * (degrees ? std::numbers::pi / 180.0 : 1.0);
    }
    apply_couplers(model, q);
    view.time[static_cast<Eigen::Index>(i)] = t.time[rows[i]];
    view.q.row(static_cast<Eigen::Index>(i)) = q.transpose();
  }
  if (!activation_columns.empty()) {
    const PathSet& paths = model.paths;
    view.colour_value = Eigen::MatrixXf::Constant(view.time.size(), paths.size(), std::numeric_limits<float>::quiet_NaN());
    for (int p = 0; p < paths.size(); ++p) {
      const auto it = activation_columns.find(paths.paths[static_cast<std::size_t>(p)].name);
      if (it == activation_columns.end()) continue;
      for (std::size_t i = 0; i < rows.size(); ++i)
        view.colour_value(static_cast<Eigen::Index>(i), p) = static_cast<float>(t.data(rows[i], it->second));
    }
    view.colour_label = fmt::format("activation ({})", fs::path(name_for_errors).filename().string());
  }
}

ViewData view_from_frames(const Model& model, const Eigen::VectorXd& time, const Eigen::MatrixXd& q) {
  if (q.cols() != model.nq || q.rows() != time.size() || q.rows() == 0)
    throw std::invalid_argument(fmt::format("view_from_frames: q is {} x {}, expected {} x {} (frames x coordinates)",
                                            q.rows(), q.cols(), time.size(), model.nq));
  ViewData view;
  view.title = model.name;
  view.time = time;
  view.q = q;
  return view;
}

ViewData load_view(const Model& model, const ViewFiles& files) {
  ViewData view;
  view.title = model.name.empty() ? files.model.stem().string() : model.name;
  std::vector<std::string> loaded{files.model.filename().string()};
  if (files.geometry_model.empty()) {
    load_geometry(files.model, files.geometry_dirs, view, &model);
  } else {
    // Another model's geometry: only that of bodies this model has (by name), the rest named.
    load_geometry(files.geometry_model, files.geometry_dirs, view, &model);
    std::vector<std::string> dropped;
    std::erase_if(view.geometry, [&](const ViewGeometry& g) {
      const bool known = g.geometry.body == model.bodies[0].name || model.body_index(g.geometry.body) >= 0;
      if (!known) dropped.push_back(g.geometry.body);
      return !known;
    });
    if (view.geometry.empty())
      throw io::ParseError(files.geometry_model.string(), 0,
                           fmt::format("no display geometry on a body of model '{}'", model.name));
    if (!dropped.empty()) {
      std::sort(dropped.begin(), dropped.end());
      dropped.erase(std::unique(dropped.begin(), dropped.end()), dropped.end());
      view.warnings.push_back(fmt::format("{}: geometry of {} bod(ies) model '{}' does not have, not shown: {}",
                                          files.geometry_model.filename().string(), dropped.size(), model.name,
                                          joined(dropped)));
    }
    loaded.push_back("geometry of " + files.geometry_model.filename().string());
  }
  if (!files.motion.empty()) {
    motion_frames(model, io::read_sto(files.motion), files.motion.string(), files.frames, view);
    loaded.push_back(files.motion.filename().string());
  } else {
    view.time = Eigen::VectorXd::Zero(1);
    view.q = model.default_q().transpose();
  }
  if (!files.activations.empty()) {
    load_colouring(model, files.activations, false, view);
    loaded.push_back(files.activations.filename().string());
  }
  if (!files.forces.empty()) {
    if (!files.activations.empty())
      view.warnings.push_back("both --activations and --forces given: muscles are coloured by force");
    load_colouring(model, files.forces, true, view);
    loaded.push_back(files.forces.filename().string());
  }
  if (!files.external_loads.empty()) {
    load_external_loads(model, files.external_loads, view);
    loaded.push_back(files.external_loads.filename().string());
  }
  if (!files.joint_reaction.empty()) {
    load_joint_reaction(model, files.joint_reaction, view);
    loaded.push_back(files.joint_reaction.filename().string());
  }
  if (!files.markers.empty()) {
    load_markers(files.markers, view);
    loaded.push_back(files.markers.filename().string());
  }
  view.subtitle = joined(loaded, 10);
  return view;
}

}  // namespace femur::web
