// Moco's example3DWalking model: the .osim with its set files, prepared for muscle-driven
// tracking (walk3d_model.hpp).
#include "femur/ocp/walk3d_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <variant>

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/xml_util.hpp"
#include "femur/math/multivariate_polynomial.hpp"
#include "femur/ocp/muscle_inverse.hpp"

namespace femur::ocp {

namespace fs = std::filesystem;

ModelSetFiles find_model_sets(const fs::path& model_file, const fs::path& dir) {
  const fs::path folder = dir.empty() ? model_file.parent_path() : dir;
  const std::string stem = model_file.stem().string();
  auto find = [&](const char* set) {
    const fs::path p = folder / (stem + "_" + set + ".xml");
    return fs::exists(p) ? p : fs::path();
  };
  ModelSetFiles s;
  s.contact_geometry = find("ContactGeometrySet");
  s.contact_forces = find("ContactForceSet");
  s.expression_forces = find("ExpressionBasedCoordinateForceSet");
  s.function_based_paths = find("FunctionBasedPathSet");
  if (s.empty())
    throw std::runtime_error(fmt::format("no set file {}_{{ContactGeometrySet,ContactForceSet,"
                                         "ExpressionBasedCoordinateForceSet,FunctionBasedPathSet}}.xml in '{}'",
                                         stem, folder.string()));
  return s;
}

std::vector<PathSurrogate> read_function_based_paths(const fs::path& file, const Model& model) {
  const io::XmlDocument doc = io::XmlDocument::load_file(file);
  pugi::xml_node set = doc.root();
  if (std::string_view(set.name()) == "OpenSimDocument") set = set.first_child();
  while (set && set.type() != pugi::node_element) set = set.next_sibling();
  if (!set || std::string_view(set.name()) != "Set_FunctionBasedPath_")
    doc.fail(doc.root(), "expected a <Set_FunctionBasedPath_> of FunctionBasedPath elements");
  std::vector<PathSurrogate> out;
  for (pugi::xml_node p : set.child("objects").children()) {
    if (p.type() != pugi::node_element) continue;
    if (std::string_view(p.name()) != "FunctionBasedPath")
      doc.fail(p, fmt::format("<{}> in a FunctionBasedPath set", p.name()));
    std::string name = p.attribute("name").value();
    const std::string prefix = "/forceset/";
    if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
    bool found = false;
    for (const ForceElement& f : model.forces)
      if (f.name == name && std::holds_alternative<MuscleParameters>(f.part)) found = true;
    if (!found) doc.fail(p, fmt::format("FunctionBasedPath '{}': the model has no muscle '{}'", p.attribute("name").value(), name));
    PathSurrogate s;
    s.name = name;
    const pugi::xml_node cp = p.child("coordinate_paths");
    if (!cp) doc.fail(p, fmt::format("FunctionBasedPath '{}' has no <coordinate_paths>", name));
    for (const std::string& path : doc.words(cp)) {
      const std::string coord = path.substr(path.find_last_of('/') + 1);
      const int k = model.coordinate_index(coord);
      if (k < 0) doc.fail(cp, fmt::format("FunctionBasedPath '{}': the model has no coordinate '{}'", name, path));
      s.coordinates.push_back(k);
    }
    if (s.coordinates.empty()) doc.fail(cp, fmt::format("FunctionBasedPath '{}' lists no coordinate", name));
    if (s.dimension() > PathSurrogate::kMaxDimension)
      doc.fail(cp, fmt::format("FunctionBasedPath '{}': {} coordinates, at most {}", name, s.dimension(),
                               PathSurrogate::kMaxDimension));
    const pugi::xml_node fn = p.child("length_function").child("MultivariatePolynomialFunction");
    if (!fn) doc.fail(p, fmt::format("FunctionBasedPath '{}': the length function must be a MultivariatePolynomialFunction", name));
    MultivariatePolynomial poly;
    try {
      poly = MultivariatePolynomial::make(doc.integer(fn.child("dimension")), doc.integer(fn.child("order")),
                                          doc.doubles(fn.child("coefficients")));
    } catch (const std::invalid_argument& e) {
      doc.fail(fn, fmt::format("FunctionBasedPath '{}': {}", name, e.what()));
    }
    if (poly.dimension != s.dimension())
      doc.fail(fn, fmt::format("FunctionBasedPath '{}': the polynomial has dimension {} but {} coordinates are listed",
                               name, poly.dimension, s.dimension()));
    s.order = poly.order;
    s.center.assign(static_cast<size_t>(s.dimension()), 0.0);
    for (const MultivariatePolynomial::Term& t : poly.terms) {
      std::array<std::uint8_t, PathSurrogate::kMaxDimension> e{};
      for (int j = 0; j < s.dimension(); ++j) e[static_cast<size_t>(j)] = t.exponents[static_cast<size_t>(j)];
      s.exponents.push_back(e);
      s.coefficients.push_back(t.coefficient);
    }
    out.push_back(std::move(s));
  }
  return out;
}

WalkingModel read_walking_model(const fs::path& model_file, const ModelSetFiles& sets, const WalkingModelOptions& options,
                                std::vector<std::string>* warnings) {
  io::OsimReadOptions ro;
  if (!sets.contact_geometry.empty()) ro.contact_geometry_files.push_back(sets.contact_geometry);
  // The contact forces and the passive torques are ForceSets added to the model's forces.
  if (!sets.contact_forces.empty()) ro.force_set_files.push_back(sets.contact_forces);
  if (!sets.expression_forces.empty()) ro.force_set_files.push_back(sets.expression_forces);
  WalkingModel w;
  w.model = io::read_osim(model_file, warnings, nullptr, ro);
  Model& m = w.model;
  // The example raises every sphere of the set (not the floor) along its frame's y axis.
  if (!sets.contact_geometry.empty()) {
    const std::string set_file = io::XmlDocument::load_file(sets.contact_geometry).file();
    for (ContactGeometry& g : m.contact_geometry)
      if (g.kind == ContactGeometry::Kind::Sphere && g.file == set_file) g.location.y() += options.contact_sphere_raise;
  }
  for (ForceElement& f : m.forces) {
    auto* p = std::get_if<MuscleParameters>(&f.part);
    if (!p) continue;
    *p = to_degroote(*p);
    p->ignore_tendon_compliance = true;
    p->ignore_passive_fiber_force = options.ignore_passive_fiber_force;
    p->active_force_width_scale = options.active_force_width_scale;
    p->min_control = options.min_control;
    p->minimum_activation = options.min_control;
  }
  if (!sets.function_based_paths.empty()) w.path_functions = read_function_based_paths(sets.function_based_paths, m);
  return w;
}

std::vector<EmgComparison> compare_with_emg(const io::Table& trajectory, const io::Table& emg, const std::string& side) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> map = {
      {"soleus", {"soleus"}},
      {"gastrocnemius", {"gasmed", "gaslat"}},
      {"tibialis_anterior", {"tibant"}},
      {"medial_hamstrings", {"semimem", "semiten"}},
      {"biceps_femoris", {"bflh"}},
      {"vastus_lateralis", {"vaslat"}},
      {"vastus_medius", {"vasmed"}},
      {"rectus_femoris", {"recfem"}},
      {"gluteus_maximus", {"glmax1", "glmax2", "glmax3"}},
      {"gluteus_medius", {"glmed1", "glmed2", "glmed3"}}};
  std::vector<EmgComparison> out;
  const int n = trajectory.rows();
  if (n < 3) return out;
  auto interpolate = [&](int c, double t) {
    const int rows = emg.rows();
    if (t <= emg.time[0]) return emg.data(0, c);
    if (t >= emg.time[rows - 1]) return emg.data(rows - 1, c);
    const int i1 = static_cast<int>(std::upper_bound(emg.time.data(), emg.time.data() + rows, t) - emg.time.data());
    const double s = (t - emg.time[i1 - 1]) / (emg.time[i1] - emg.time[i1 - 1]);
    return (1.0 - s) * emg.data(i1 - 1, c) + s * emg.data(i1, c);
  };
  for (const auto& [column, muscles] : map) {
    const int ce = emg.column(column);
    if (ce < 0) continue;
    std::vector<int> cols;
    std::string names;
    for (const std::string& m : muscles) {
      const int c = trajectory.column("/forceset/" + m + "_" + side + "/activation");
      if (c < 0) continue;
      cols.push_back(c);
      names += (names.empty() ? "" : ",") + m + "_" + side;
    }
    if (cols.empty()) continue;
    Eigen::VectorXd a(n), e(n);
    for (int i = 0; i < n; ++i) {
      double sum = 0.0;
      for (int c : cols) sum += trajectory.data(i, c);
      a[i] = sum / static_cast<double>(cols.size());
      e[i] = interpolate(ce, trajectory.time[i]);
    }
    EmgComparison r;
    r.emg = column;
    r.muscles = names;
    const Eigen::VectorXd da = a.array() - a.mean(), de = e.array() - e.mean();
    const double den = std::sqrt(da.squaredNorm() * de.squaredNorm());
    r.correlation = den > 0.0 ? da.dot(de) / den : 0.0;
    const double ta = a.minCoeff() + 0.25 * (a.maxCoeff() - a.minCoeff());
    const double te = e.minCoeff() + 0.25 * (e.maxCoeff() - e.minCoeff());
    int agree = 0;
    for (int i = 0; i < n; ++i) agree += (a[i] > ta) == (e[i] > te);
    r.on_off_agreement = static_cast<double>(agree) / n;
    out.push_back(r);
  }
  return out;
}

}  // namespace femur::ocp
