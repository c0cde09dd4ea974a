#include "femur/tools/external_loads.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "femur/io/table.hpp"
#include "femur/kinematics/forward_kinematics.hpp"

namespace femur::tools {

namespace {

// A frame named in an ExternalForce: a body name, or (OpenSim 4) its path /bodyset/NAME;
// ground under its own name or "/ground". -1 when the model has no such body.
int find_body(const Model& model, std::string name) {
  if (name == "ground" || name == "/ground" || name == model.bodies[0].name) return 0;
  for (const char* prefix : {"/bodyset/", "./bodyset/", "bodyset/"}) {
    const std::string p(prefix);
    if (name.compare(0, p.size(), p) == 0) {
      name = name.substr(p.size());
      break;
    }
  }
  return model.body_index(name);
}

// Storage::getColumnIndicesForIdentifier: every label that starts with the identifier, in
// the file's column order. ExternalForce then demands exactly three of them.
std::vector<int> columns_for_identifier(const io::Table& data, const std::string& identifier) {
  std::vector<int> found;
  for (int i = 0; i < data.cols(); ++i)
    if (data.labels[static_cast<std::size_t>(i)].compare(0, identifier.size(), identifier) == 0)
      found.push_back(i);
  return found;
}

// Linear interpolation/extrapolation through (x_k, y_k), OpenSim's PiecewiseLinearFunction
// (used by ExternalForce for 2 or 3 samples).
double piecewise_linear(const Eigen::VectorXd& x, const Eigen::Ref<const Eigen::VectorXd>& y, double t) {
  const Eigen::Index n = x.size();
  Eigen::Index k = 0;  // segment [x_k, x_k+1]
  while (k + 2 < n && t > x[k + 1]) ++k;
  const double slope = (y[k + 1] - y[k]) / (x[k + 1] - x[k]);
  return y[k] + slope * (t - x[k]);
}

// The OpenSim 2.x loads: PrescribedForce entries with their functions inline
// (PrescribedForce::computeForce: the force, and the torque, in ground when forceIsGlobal, else
// in the body; the point in ground when pointIsGlobal, else in the body, the body origin when
// no point functions are given). Each function is evaluated as the Function OpenSim reads it as
// (a NaturalCubicSpline is OpenSim's Forsythe-Malcolm-Moler cubic, extrapolated linearly).
Function prescribed_function(const std::string& file, const io::PrescribedForce& p, const io::PrescribedFunction& fn,
                             const char* what) {
  auto fail = [&](const std::string& why) {
    return io::ParseError(file, p.line, fmt::format("PrescribedForce '{}': {} function '{}' {}", p.name, what, fn.name, why));
  };
  if (fn.type == "Constant") return Function::constant(fn.value);
  const size_t need = fn.type == "PiecewiseLinearFunction" ? 2 : 3;
  if (fn.type != "NaturalCubicSpline" && fn.type != "SimmSpline" && fn.type != "PiecewiseLinearFunction")
    throw fail("is a " + fn.type + "; femur reads NaturalCubicSpline, SimmSpline, PiecewiseLinearFunction and Constant");
  if (fn.x.size() < need) throw fail(fmt::format("has {} samples; at least {} are needed", fn.x.size(), need));
  for (size_t i = 1; i < fn.x.size(); ++i)
    if (!(fn.x[i] > fn.x[i - 1])) throw fail(fmt::format("has times that do not increase (sample {})", i + 1));
  if (fn.type == "PiecewiseLinearFunction") return Function::piecewise_linear(fn.x, fn.y);
  if (fn.type == "SimmSpline") return Function::simm_spline(fn.x, fn.y);
  return Function::natural_cubic_spline(fn.x, fn.y);
}

ExternalLoadsData bind_prescribed_forces(const Model& model, const io::ExternalLoads& loads) {
  const std::string file = loads.file.string();
  ExternalLoadsData out;
  auto add_triple = [&](const io::PrescribedForce& p, const std::vector<io::PrescribedFunction>& set,
                        const char* what) -> int {
    if (set.empty()) return -1;
    if (set.size() != 3)
      throw io::ParseError(file, p.line,
                           fmt::format("PrescribedForce '{}': {} {} functions; x, y and z (3) are needed", p.name,
                                       set.size(), what));
    const int first = static_cast<int>(out.labels.size());
    const char* axes[3] = {"x", "y", "z"};
    for (int k = 0; k < 3; ++k) {
      out.functions.push_back(prescribed_function(file, p, set[static_cast<size_t>(k)], what));
      out.labels.push_back(p.name + "_" + what + "_" + axes[k]);
    }
    return first;
  };
  for (const io::PrescribedForce& p : loads.prescribed_forces) {
    if (!p.applies_force) continue;
    BoundExternalForce b;
    b.name = p.name;
    b.applied_to_body = find_body(model, p.body);
    if (b.applied_to_body < 0)
      throw io::ParseError(file, p.line,
                           "PrescribedForce '" + p.name + "': body '" + p.body + "' is not a body of model " + model.name);
    b.force_expressed_in_body = p.force_is_global ? 0 : b.applied_to_body;
    b.point_expressed_in_body = p.point_is_global ? 0 : b.applied_to_body;
    b.force_column = add_triple(p, p.force_functions, "force");
    b.point_column = b.force_column >= 0 ? add_triple(p, p.point_functions, "point") : -1;
    b.torque_column = add_triple(p, p.torque_functions, "torque");
    if (b.force_column < 0 && b.torque_column < 0) continue;  // nothing applied (PrescribedForce::computeForce)
    if (b.force_expressed_in_body != 0 || (b.force_column >= 0 && b.point_column < 0) ||
        (b.point_column >= 0 && b.point_expressed_in_body != 0))
      out.needs_body_poses = true;
    out.forces.push_back(std::move(b));
  }
  return out;
}

}  // namespace

ExternalLoadsData bind_external_loads(const Model& model, const io::ExternalLoads& loads,
                                      const io::Table& data, std::vector<std::string>* warnings) {
  const std::string file = loads.file.string();
  auto warn = [&](int line, const std::string& message) {
    if (warnings) warnings->push_back(file + ":" + std::to_string(line) + ": " + message);
  };
  const bool any_prescribed = std::any_of(loads.prescribed_forces.begin(), loads.prescribed_forces.end(),
                                          [](const io::PrescribedForce& p) { return p.applies_force; });
  if (any_prescribed) {
    for (const io::ExternalForce& f : loads.forces)
      if (f.applies_force)
        throw io::ParseError(file, f.line,
                             "ExternalForce '" + f.name +
                                 "' beside PrescribedForce entries: femur reads one kind of load per file");
    return bind_prescribed_forces(model, loads);
  }

  ExternalLoadsData out;
  std::vector<int> source_columns;
  // Three consecutive entries of out.labels for the three columns an identifier selects.
  auto bind_triple = [&](const io::ExternalForce& f, const std::string& identifier,
                         const char* what) -> int {
    const std::vector<int> cols = columns_for_identifier(data, identifier);
    if (cols.size() != 3)
      throw io::ParseError(
          file, f.line,
          "ExternalForce '" + f.name + "': " + std::to_string(cols.size()) + " columns of " +
              data.name + " start with the " + what + " identifier '" + identifier +
              "'; exactly 3 (x, y, z) are needed");
    // Each force gets its own contiguous triple (a column shared by two forces is fitted twice).
    const int first = static_cast<int>(out.labels.size());
    for (int c : cols) {
      out.labels.push_back(data.labels[static_cast<std::size_t>(c)]);
      source_columns.push_back(c);
    }
    return first;
  };

  for (const io::ExternalForce& f : loads.forces) {
    if (!f.applies_force) continue;
    BoundExternalForce b;
    b.name = f.name;
    b.applied_to_body = find_body(model, f.applied_to_body);
    if (b.applied_to_body < 0)
      throw io::ParseError(file, f.line,
                           "ExternalForce '" + f.name + "': applied_to_body '" + f.applied_to_body +
                               "' is not a body of model " + model.name);
    b.force_expressed_in_body = find_body(model, f.force_expressed_in_body);
    if (b.force_expressed_in_body < 0) {
      warn(f.line, "ExternalForce '" + f.name + "': force_expressed_in_body '" +
                       f.force_expressed_in_body + "' is not a body; ground is assumed");
      b.force_expressed_in_body = 0;
    }
    const bool applies_force = !f.force_identifier.empty();
    const bool specifies_point = !f.point_identifier.empty();
    const bool applies_torque = !f.torque_identifier.empty();
    if (!applies_force && !applies_torque)
      throw io::ParseError(file, f.line, "ExternalForce '" + f.name + "' applies neither a force nor a torque");
    if (!applies_force && specifies_point)
      throw io::ParseError(file, f.line,
                           "ExternalForce '" + f.name + "' names a point but no force to apply there");
    if (specifies_point) {
      b.point_expressed_in_body = find_body(model, f.point_expressed_in_body);
      if (b.point_expressed_in_body < 0) {
        warn(f.line, "ExternalForce '" + f.name + "': point_expressed_in_body '" +
                         f.point_expressed_in_body + "' is not a body; ground is assumed");
        b.point_expressed_in_body = 0;
      }
    }
    if (applies_force) b.force_column = bind_triple(f, f.force_identifier, "force");
    if (specifies_point) b.point_column = bind_triple(f, f.point_identifier, "point");
    if (applies_torque) b.torque_column = bind_triple(f, f.torque_identifier, "torque");
    if (b.force_expressed_in_body != 0 || (applies_force && !specifies_point) ||
        (specifies_point && b.point_expressed_in_body != 0))
      out.needs_body_poses = true;
    out.forces.push_back(std::move(b));
  }

  const Eigen::Index rows = data.time.size();
  if (!out.forces.empty() && rows < 1)
    throw io::ParseError(data.name, 0, "no rows of load data (ExternalForce needs at least one time)");
  out.time = data.time;
  out.samples.resize(rows, static_cast<Eigen::Index>(source_columns.size()));
  for (std::size_t j = 0; j < source_columns.size(); ++j)
    out.samples.col(static_cast<Eigen::Index>(j)) = data.data.col(source_columns[j]);
  if (rows >= 4 && out.samples.cols() > 0) {
    for (Eigen::Index i = 1; i < rows; ++i)
      if (!(out.time[i] > out.time[i - 1]))
        throw io::ParseError(data.name, 0,
                             "load data times must increase (row " + std::to_string(i + 1) + ")");
    // ExternalForce: new GCVSpline(3, n, time, values) with the default error variance 0,
    // which GCVSPL's search fits at (or within rounding of) its interpolation floor; fitting
    // at the floor directly gives the same spline to < 1e-12 N on the gait GRFs and takes
    // 0.6 ms instead of 150 ms for 18 columns x 1501 rows (see inverse_dynamics.cpp).
    out.splines = fit_gcv_spline_set(3, out.time, out.samples, GcvSmoothing::smoothing_parameter(0.0));
  }
  return out;
}

void ExternalLoadsData::evaluate(double t, Eigen::Ref<Eigen::VectorXd> values) const {
  if (!functions.empty()) {
    for (size_t j = 0; j < functions.size(); ++j) values[static_cast<Eigen::Index>(j)] = functions[j].value(t);
    return;
  }
  const Eigen::Index rows = time.size();
  for (Eigen::Index j = 0; j < samples.cols(); ++j) {
    if (rows >= 4) values[j] = splines.derivative(j, 0, t);
    else if (rows >= 2) values[j] = piecewise_linear(time, samples.col(j), t);
    else values[j] = samples(0, j);
  }
}

void apply_external_loads(const Model& model, Data& data, const ExternalLoadsData& loads, double t,
                          Eigen::VectorXd& values) {
  if (values.size() != loads.columns()) values.resize(loads.columns());
  loads.evaluate(t, values);
  apply_evaluated_external_loads(model, data, loads, values);
}

void apply_evaluated_external_loads(const Model& model, Data& data, const ExternalLoadsData& loads,
                                    const Eigen::VectorXd& values) {
  // ExternalForce::computeForce: force and torque re-expressed from their frame in ground;
  // the point re-expressed from its frame (Frame::findStationLocationInAnotherFrame), then
  // applyForceToPoint / applyTorque on the applied body.
  auto rotation_to_ground = [&](int body) -> Mat3 {
    return body == 0 ? Mat3::Identity() : body_pose(model, data, body).R;
  };
  for (const BoundExternalForce& f : loads.forces) {
    if (f.applied_to_body == 0) continue;
    Force& wrench = data.f_ext[static_cast<std::size_t>(f.applied_to_body)];
    if (f.force_column >= 0) {
      const Vec3 force = rotation_to_ground(f.force_expressed_in_body) *
                         values.segment<3>(f.force_column);
      Vec3 point_in_ground;
      if (f.point_column < 0) {
        point_in_ground = body_pose(model, data, f.applied_to_body).p;  // body origin
      } else {
        const Vec3 p = values.segment<3>(f.point_column);
        point_in_ground = f.point_expressed_in_body == 0
                              ? p
                              : body_pose(model, data, f.point_expressed_in_body).apply(p);
      }
      wrench += Force{point_in_ground.cross(force), force};
    }
    if (f.torque_column >= 0) {
      const Vec3 torque = rotation_to_ground(f.force_expressed_in_body) *
                          values.segment<3>(f.torque_column);
      wrench += Force{torque, Vec3::Zero()};
    }
  }
}

io::ExternalLoads read_external_loads_input(const std::filesystem::path& file, std::vector<std::string>* warnings,
                                            bool require_data) {
  io::ExternalLoads xml = io::read_external_loads(file, warnings);
  if (xml.datafile.empty() && (require_data || !xml.forces.empty()))
    throw std::runtime_error(file.string() + ": names no <datafile>" + (xml.forces.empty() ? "" : " for its forces"));
  return xml;
}

io::Table read_external_loads_data(const io::ExternalLoads& xml) {
  return xml.datafile.empty() ? io::Table{} : io::read_sto(xml.datafile.path);
}

ExternalLoadsData read_setup_external_loads(const Model& model, const io::FileRef& external_loads_file,
                                            const std::filesystem::path& setup_file,
                                            std::vector<std::string>* warnings, const io::Table* data) {
  const io::ExternalLoads xml = io::read_external_loads(external_loads_file.path, warnings);
  if (data) return bind_external_loads(model, xml, *data, warnings);
  if (xml.datafile.empty() && !xml.forces.empty())
    throw std::runtime_error(external_loads_file.place(setup_file) + "<external_loads_file>: " + xml.file.string() +
                             " names no <datafile> for its forces");
  io::Table table;
  if (!xml.datafile.empty()) table = io::read_sto(io::locate_datafile(xml, setup_file));
  return bind_external_loads(model, xml, table, warnings);
}

}  // namespace femur::tools
