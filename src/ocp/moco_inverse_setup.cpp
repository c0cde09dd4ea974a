// MocoInverse .omoco files (OpenSim/Moco/MocoInverse.h, MocoTool.h; ModelProcessor.h,
// ModelOperators.h, ModelOperatorsDGF.h; TableProcessor.h) read and run with
// ocp::solve_muscle_inverse.
#include "femur/ocp/moco_inverse_setup.hpp"

#include <cmath>
#include <string_view>
#include <tuple>

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "femur/io/external_loads.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/table.hpp"
#include "femur/io/xml_util.hpp"
#include "moco_setup_common.hpp"
#include "femur/ocp/moco_study.hpp"
#include "femur/ocp/muscle_inverse.hpp"
#include "femur/tools/external_loads.hpp"

namespace femur::ocp {

namespace fs = std::filesystem;

namespace {

using detail::relative_to;

// The ModelProcessor operators femur applies to a MocoInverse (ModelOperators.h,
// ModelOperatorsDGF.h).
void read_model_operator(const io::XmlDocument& doc, pugi::xml_node op, MocoInverseSetup& s) {
  const std::string_view o = op.name();
  if (o == "ModOpReplaceJointsWithWelds") {
    for (const std::string& j : doc.words(op.child("joint_paths"))) {
      const std::size_t slash = j.find_last_of('/');
      s.weld_joints.push_back(slash == std::string::npos ? j : j.substr(slash + 1));
    }
  } else if (o == "ModOpReplaceMusclesWithDeGrooteFregly2016") {
    s.degroote = true;
  } else if (o == "ModOpIgnorePassiveFiberForcesDGF") {
    s.ignore_passive_fiber_force = true;
  } else if (o == "ModOpTendonComplianceDynamicsModeDGF") {
    s.tendon_compliance_dynamics_mode = io::XmlDocument::text(op.child("mode"));
    if (s.tendon_compliance_dynamics_mode != "implicit" && s.tendon_compliance_dynamics_mode != "explicit")
      doc.fail(op, "<mode> must be implicit or explicit, got '" + s.tendon_compliance_dynamics_mode + "'");
  } else if (o == "ModOpIgnoreTendonCompliance") {
    s.ignore_tendon_compliance = true;
  } else if (o == "ModOpAddReserves") {
    s.reserves_optimal_force = op.child("optimal_force") ? doc.number(op.child("optimal_force")) : 1.0;
    if (op.child("bound")) s.reserves_bound = doc.number(op.child("bound"));
    if (op.child("skip_coordinates_with_actuators") && !doc.boolean(op.child("skip_coordinates_with_actuators")))
      doc.fail(op, "ModOpAddReserves: skip_coordinates_with_actuators false is not supported by femur yet");
  } else if (o == "ModOpAddExternalLoads") {
    s.external_loads_file = relative_to(s.file, io::XmlDocument::text(op.child("filepath")));
  } else {
    doc.fail(op, "model operator <" + std::string(o) + "> is not supported by femur yet");
  }
}

}  // namespace

bool is_moco_inverse_setup(const fs::path& file) { return moco_study(file) == MocoStudy::Inverse; }

MocoInverseSetup read_moco_inverse_setup(const fs::path& file) {
  const io::XmlDocument doc = io::XmlDocument::load_file(file);
  const pugi::xml_node root = detail::moco_study_element(doc, "MocoInverse");
  MocoInverseSetup s;
  s.file = file;
  s.name = detail::moco_study_name_of(root);
  for (pugi::xml_node c : root.children()) {
    if (c.type() != pugi::node_element) continue;
    if (detail::read_moco_tool_time(doc, c, s)) continue;
    const std::string_view n = c.name();
    const std::string text = io::XmlDocument::text(c);
    if (n == "ModelProcessor" || n == "model") {
      detail::read_model_processor(doc, detail::object_of(doc, c, "ModelProcessor"), s.file, s.model_file,
                                   [&](pugi::xml_node op) { read_model_operator(doc, op, s); });
    } else if (n == "TableProcessor" || n == "kinematics") {
      detail::read_table_processor(doc, detail::object_of(doc, c, "TableProcessor"), s.file, s.kinematics_file,
                                   s.lowpass_cutoff_hz);
    } else if (n == "convergence_tolerance") {
      s.convergence_tolerance = doc.number(c);
    } else if (n == "constraint_tolerance") {
      s.constraint_tolerance = doc.number(c);
    } else if (n == "max_iterations") {
      if (!text.empty()) s.max_iterations = doc.integer(c);
    } else if (n == "reserves_weight") {
      s.reserves_weight = doc.number(c);
    } else if (n == "minimize_sum_squared_activations") {
      s.minimize_sum_squared_activations = doc.boolean(c);
    } else if (n == "kinematics_allow_extra_columns" || n == "output_paths") {
      // Extra columns are always allowed; outputs (tendon forces ...) are not reported yet.
    } else {
      doc.fail(c, "MocoInverse property <" + std::string(n) + "> is not supported by femur yet");
    }
  }
  if (s.model_file.empty()) doc.fail(root, "MocoInverse: no model file (<model><ModelProcessor><filepath>)");
  if (s.kinematics_file.empty())
    doc.fail(root, "MocoInverse: no kinematics file (<kinematics><TableProcessor><filepath>)");
  if (!s.degroote)
    doc.fail(root,
             "MocoInverse: femur solves DeGrooteFregly2016 muscles; add <ModOpReplaceMusclesWithDeGrooteFregly2016/>");
  if (s.tendon_compliance_dynamics_mode == "explicit" && !s.ignore_tendon_compliance)
    doc.fail(root,
             "MocoInverse: explicit tendon compliance dynamics are not supported by femur yet; add "
             "<ModOpTendonComplianceDynamicsModeDGF><mode>implicit</mode> or <ModOpIgnoreTendonCompliance/>");
  return s;
}

tools::RunReport run_moco_inverse_setup(const MocoInverseSetup& s, const tools::RunOptions& options) {
  const fs::path folder = options.output_directory.empty() ? s.file.parent_path() : options.output_directory;
  const fs::path out = folder / (s.name + "_solution.sto");
  io::OutputFiles outputs({s.file, s.model_file, s.kinematics_file});
  if (!s.external_loads_file.empty()) outputs.add_input(s.external_loads_file);
  io::ExternalLoads xml;
  tools::RunReport report;
  if (!s.external_loads_file.empty()) {
    xml = io::read_external_loads(s.external_loads_file, &report.warnings);
    if (!xml.datafile.empty()) outputs.add_input(xml.datafile.path);
  }
  outputs.claim(out, s.file.string() + ": ");

  const Model model = io::read_osim(s.model_file, &report.warnings);
  io::Table coordinates = io::read_sto(s.kinematics_file);
  io::remove_repeated_times(coordinates);
  if (coordinates.rows() < 1) throw std::runtime_error(s.kinematics_file.string() + ": no rows");
  tools::ExternalLoadsData loads;
  if (!s.external_loads_file.empty())
    loads = tools::bind_external_loads(model, xml, xml.datafile.empty() ? io::Table{} : io::read_sto(xml.datafile.path),
                                       &report.warnings);

  MuscleInverseOptions o;
  std::tie(o.initial_time, o.final_time) = detail::moco_time_range(s, coordinates);
  o.mesh_interval = s.mesh_interval;
  o.transcription = Transcription::HermiteSimpson;  // MocoCasADiSolver's default
  o.lowpass_cutoff_hz = s.lowpass_cutoff_hz;
  o.weld_joints = s.weld_joints;
  o.ignore_passive_fiber_force = s.ignore_passive_fiber_force;
  o.ignore_tendon_compliance = s.ignore_tendon_compliance;
  o.reserves_weight = s.reserves_weight;
  o.minimize_sum_squared_activations = s.minimize_sum_squared_activations;
  o.reserves_optimal_force = s.reserves_optimal_force;
  o.reserves_bound = s.reserves_bound;
  o.solver.convergence_tolerance = s.convergence_tolerance;
  o.solver.constraint_tolerance = s.constraint_tolerance;
  if (s.max_iterations) o.solver.max_iterations = *s.max_iterations;
  MuscleInverseSolution solution;
  try {
    solution = solve_muscle_inverse(model, coordinates, s.external_loads_file.empty() ? nullptr : &loads, o);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(s.file.string() + ": " + e.what());
  }
  if (!solution.success) throw detail::moco_solve_failed(s.file, "MocoInverse", solution);
  outputs.stage_sto(out, solution.trajectory);
  report.files_written = outputs.commit();
  report.frames = solution.nodes;
  report.seconds = solution.seconds_setup + solution.nlp.seconds;
  return report;
}

}  // namespace femur::ocp
