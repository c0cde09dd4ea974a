// The InverseDynamicsTool setup adapter of `femur run`: files in, inverse_dynamics(), file out.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "femur/io/error.hpp"
#include "femur/io/external_loads.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/input_checks.hpp"
#include "femur/tools/inverse_dynamics.hpp"

namespace femur::tools {

namespace fs = std::filesystem;

namespace {

// Every input must be named and exist before anything is read (so nothing runs half-way).
void check_inputs(const io::InverseDynamicsSetup& setup) {
  if (setup.model_file.empty())
    throw std::runtime_error(setup.file.string() +
                             ": <model_file> is not set; InverseDynamicsTool needs a model");
  if (setup.coordinates_file.empty())
    throw std::runtime_error(setup.file.string() +
                             ": <coordinates_file> is not set; InverseDynamicsTool needs coordinates");
  io::require_inputs_exist(io::SetupFile(setup));
}

// Storage::printResult(store, name, dir, -1, ".sto"): the file name only (a folder in it is
// ignored with a warning), ".sto" added when it has no extension.
fs::path output_path(const io::InverseDynamicsSetup& setup, const io::FileRef& file, const char* fallback,
                     const RunOptions& options) {
  std::string written = file.written;
  std::replace(written.begin(), written.end(), '\\', '/');
  fs::path name = fs::path(written).filename();
  if (name.empty()) name = fallback;
  if (!name.has_extension()) name += ".sto";
  const fs::path dir = options.output_directory.empty() ? setup.results_directory.path
                                                        : options.output_directory;
  return dir / name;
}

}  // namespace

RunReport run_inverse_dynamics_setup(const io::InverseDynamicsSetup& setup, const RunOptions& options) {
  check_inputs(setup);
  io::OutputFiles outputs(io::input_files(io::SetupFile(setup)));
  const fs::path out = output_path(setup, setup.output_gen_force_file, "inverse_dynamics.sto", options);
  outputs.claim(out, setup.output_gen_force_file.place(setup.file) + "<output_gen_force_file> ");  // before any work
  // OpenSim writes the body forces only when a listed joint exists; a list is claimed here.
  const bool body_forces = !setup.joints_to_report_body_forces.empty();
  const fs::path body_out =
      output_path(setup, setup.output_body_forces_file, "body_forces_at_joints.sto", options);
  if (body_forces)
    outputs.claim(body_out, setup.output_body_forces_file.place(setup.file) + "<output_body_forces_file> ");
  std::vector<std::string> warnings;
  const Model model = io::read_osim(setup.model_file.path, &warnings);
  io::Table coordinates = io::read_sto(setup.coordinates_file.path);
  io::remove_repeated_times(coordinates);  // a repeated last time, as some shipped files have
  if (auto w = coordinates_in_degrees_warning(model, coordinates, setup.coordinates_file.path.string()); !w.empty())
    warnings.push_back(w);

  ExternalLoadsData loads;
  const bool have_loads = !setup.external_loads_file.empty();
  if (have_loads) {
    loads = read_setup_external_loads(model, setup.external_loads_file, setup.file, &warnings);
  }

  InverseDynamicsOptions id;
  id.lowpass_cutoff_hz = setup.lowpass_cutoff_frequency_for_coordinates;
  id.start_time = setup.time_range[0];
  id.end_time = setup.time_range[1];
  id.forces_to_exclude = setup.forces_to_exclude;
  id.joints_to_report_body_forces = setup.joints_to_report_body_forces;
  InverseDynamicsResult result;
  try {
    result = inverse_dynamics(model, coordinates, have_loads ? &loads : nullptr, id);
  } catch (const std::invalid_argument& e) {  // the coordinates cannot be used
    throw std::runtime_error(setup.coordinates_file.place(setup.file) + "<coordinates_file> " +
                             setup.coordinates_file.path.string() + ": " + e.what());
  } catch (const std::runtime_error& e) {  // the model has forces femur cannot include
    throw std::runtime_error(setup.model_file.place(setup.file) + "<model_file> " +
                             setup.model_file.path.string() + ": " + e.what());
  }

  // Written only now that everything succeeded, as a complete file renamed into place.
  outputs.stage_sto(out, result.generalized_forces);
  if (!result.body_forces.labels.empty()) outputs.stage_sto(body_out, result.body_forces);
  RunReport report;
  report.files_written = outputs.commit();
  report.warnings = std::move(warnings);
  report.warnings.insert(report.warnings.end(), result.warnings.begin(), result.warnings.end());
  report.frames = result.generalized_forces.rows();
  report.seconds = result.seconds;
  return report;
}

}  // namespace femur::tools
