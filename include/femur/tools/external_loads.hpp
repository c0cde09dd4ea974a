// External loads applied to a model: the ExternalForce entries of an ExternalLoads file bound
// to the model's bodies and to columns of its data table (ground reaction forces), turned into
// body forces at any time. This is what OpenSim's ExternalLoads/ExternalForce components do
// inside the tools (OpenSim/Simulation/Model/ExternalLoads.cpp, ExternalForce.cpp).
//
//   tools::ExternalLoadsData grf = tools::bind_external_loads(model, loads_xml, grf_table);
//   clear_applied_forces(data);
//   tools::apply_external_loads(model, data, grf, t, workspace);   // adds to data.f_ext
//
// ExternalLoads' lowpass_cutoff_frequency_for_load_kinematics and
// external_loads_model_kinematics_file are not used here: in OpenSim 4.x they only fed
// ExternalLoads::transformPointsExpressedInGroundToAppliedBodies, which the
// InverseDynamicsTool never calls (and 4.2 dropped the kinematics file), so ID applies each
// point in the frame the file names, at the model's current pose.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/io/external_loads.hpp"
#include "femur/io/table.hpp"
#include "femur/math/function.hpp"
#include "femur/math/gcv_spline.hpp"
#include "femur/model/data.hpp"
#include "femur/model/model.hpp"

namespace femur::tools {

// One ExternalForce bound to model bodies (indices into Model::bodies, 0 = ground) and to
// columns of ExternalLoadsData::labels (the x, y, z columns are three consecutive entries).
struct BoundExternalForce {
  std::string name;
  int applied_to_body = 0;
  int force_expressed_in_body = 0;
  int point_expressed_in_body = 0;
  int force_column = -1;   // -1: no force (torque only)
  int point_column = -1;   // -1: the force acts at the origin of applied_to_body
  int torque_column = -1;  // -1: no torque
};

// The loads of one ExternalLoads file with their data, ready to evaluate at any time.
// Each data column used becomes a function of time as ExternalForce::extendConnectToModel
// builds it: 1 row -> Constant, 2 or 3 rows -> PiecewiseLinearFunction, otherwise a cubic
// GCVSpline with OpenSim's default error variance 0 (an interpolating natural cubic spline,
// GCVSPL mode 3; outside the data it continues linearly, as Woltring's SPLDER does).
struct ExternalLoadsData {
  std::vector<BoundExternalForce> forces;
  std::vector<std::string> labels;  // data columns used, three per identifier, in force order
  Eigen::VectorXd time;             // the data table's times
  Eigen::MatrixXd samples;          // time.size() x labels.size()
  GcvSplineSet splines;             // degree 3, one column per label (when >= 4 rows)
  // OpenSim 2.x PrescribedForce loads: one function of time per label instead of the table.
  std::vector<Function> functions;
  // True when some load needs body poses (a force or point expressed in a body, or a force
  // without a point, which acts at the body origin): run forward_kinematics(q) first.
  bool needs_body_poses = false;

  int columns() const { return static_cast<int>(labels.size()); }
  // Values of every column at time t into `values` (size columns()). Allocates nothing.
  void evaluate(double t, Eigen::Ref<Eigen::VectorXd> values) const;
};

// A tool's <external_loads_file>: the ExternalLoads XML and its datafile (found as OpenSim
// finds it, io::locate_datafile) read and bound to the model. Errors name the setup element.
// `data`, when given, replaces the datafile (a table the caller holds in memory).
ExternalLoadsData read_setup_external_loads(const Model& model, const io::FileRef& external_loads_file,
                                            const std::filesystem::path& setup_file,
                                            std::vector<std::string>* warnings, const io::Table* data = nullptr);

// An ExternalLoads file given on its own rather than by a setup (a command's --external-loads,
// a Python argument): read, and forces without a <datafile> are an error naming `file`; with
// `require_data` (tracking the ground reactions), a file without a datafile at all is one too.
io::ExternalLoads read_external_loads_input(const std::filesystem::path& file, std::vector<std::string>* warnings,
                                            bool require_data = false);
// The data of loads read so: their datafile (beside the loads file); empty when they name none.
io::Table read_external_loads_data(const io::ExternalLoads& xml);

// Binds the forces of `loads` to `model` and to the columns of `data` (its datafile, read by
// the caller). Identifiers are column-label prefixes, as Storage::getColumnIndicesForIdentifier
// matches them: `ground_force_v` selects ground_force_vx, _vy, _vz, and exactly three columns
// must match. Throws io::ParseError "loads.xml:LINE: ..." for an unknown applied_to_body, an
// identifier that does not select three columns, a point without a force, or a missing
// datafile; a force_/point_expressed_in_body that is not a body falls back to ground with a
// warning (as OpenSim). Disabled forces are skipped. The OpenSim 2.x PrescribedForce form is
// not supported (throws).
ExternalLoadsData bind_external_loads(const Model& model, const io::ExternalLoads& loads,
                                      const io::Table& data,
                                      std::vector<std::string>* warnings = nullptr);

// Adds the body force of every load at time t to data.f_ext (ground coordinates, about the
// ground origin), as ExternalForce::computeForce: the force and torque are re-expressed from
// force_expressed_in_body to ground; the point from point_expressed_in_body; the force acts at
// that point of applied_to_body and the torque is a free moment. When loads.needs_body_poses,
// data must hold forward_kinematics for the current q. `values` is a workspace of any size
// (resized once). Loads on ground are ignored (they move nothing).
void apply_external_loads(const Model& model, Data& data, const ExternalLoadsData& loads, double t,
                          Eigen::VectorXd& values);
// The same with `values` already holding loads.evaluate(t) (a caller that meets the same t
// again, as an integrator's stages do, evaluates the splines once).
void apply_evaluated_external_loads(const Model& model, Data& data, const ExternalLoadsData& loads,
                                    const Eigen::VectorXd& values);

}  // namespace femur::tools
