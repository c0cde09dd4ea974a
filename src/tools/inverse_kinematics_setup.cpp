// InverseKinematicsTool setup -> inverse_kinematics(): the tasks as OpenSim's
// InverseKinematicsTool::populateReferences turns them into references, the files it reads
// and the files it writes (OpenSim/Tools/InverseKinematicsTool.cpp).
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <stdexcept>

#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/input_checks.hpp"
#include "femur/tools/inverse_kinematics.hpp"

namespace femur::tools {

namespace fs = std::filesystem;

namespace {

std::string setup_label(const io::InverseKinematicsSetup& setup) { return setup.file.string(); }

std::string model_label(const Model& model) {
  return model.name.empty() ? fs::path(model.source_file).filename().string() : model.name;
}

}  // namespace

IkOptions ik_options_from_setup(const io::InverseKinematicsSetup& setup, const Model& model) {
  IkOptions options;
  options.accuracy = setup.accuracy;
  options.start_time = setup.time_range[0];
  options.end_time = setup.time_range[1];
  options.report_marker_locations = setup.report_marker_locations;

  const io::Table* coordinate_table = nullptr;
  io::Table coordinates;
  for (const io::IkTask& task : setup.tasks) {
    if (!task.apply) continue;  // populateReferences skips tasks that are not applied
    if (task.kind == io::IkTask::Kind::marker) {
      if (model.marker_index(task.name) < 0)
        throw io::ParseError(setup_label(setup), task.line,
                             "IKMarkerTask '" + task.name + "': model " + model_label(model) + " has no marker '" +
                                 task.name + "'");
      options.marker_weights.push_back({task.name, task.weight});
      continue;
    }
    const int k = model.coordinate_index(task.name);
    if (k < 0)
      throw io::ParseError(setup_label(setup), task.line,
                           "IKCoordinateTask '" + task.name + "': model " + model_label(model) +
                               " has no coordinate '" + task.name + "'");
    IkCoordinateTask t;
    t.name = task.name;
    t.weight = task.weight;
    switch (task.value_type) {
      case io::IkTask::ValueType::default_value:
        t.value = model.coordinates[k].default_value;
        break;
      case io::IkTask::ValueType::manual_value:
        t.value = task.value;  // internal units, as Constant(getValue()) takes it
        break;
      case io::IkTask::ValueType::from_file: {
        if (setup.coordinate_file.empty())
          throw io::ParseError(setup_label(setup), task.line,
                               "IKCoordinateTask '" + task.name +
                                   "': value_type from_file but the setup names no coordinate_file");
        if (!coordinate_table) {
          coordinates = io::read_sto(setup.coordinate_file.path);
          coordinate_table = &coordinates;
        }
        const int column = coordinates.column(task.name);
        if (column < 0)
          throw io::ParseError(setup_label(setup), task.line,
                               "IKCoordinateTask '" + task.name + "': no column '" + task.name + "' in " +
                                   setup.coordinate_file.path.string());
        t.from_reference = true;
        t.reference_time = coordinates.time;
        t.reference_value = coordinates.data.col(column);
        if (coordinates.in_degrees && model.coordinates[k].motion_type == MotionType::Rotational)
          t.reference_value *= std::numbers::pi / 180.0;
        break;
      }
    }
    options.coordinate_tasks.push_back(std::move(t));
  }
  return options;
}

io::MarkerTable read_markers_in_metres(const fs::path& trc, std::vector<std::string>* warnings) {
  io::MarkerTable markers = io::read_trc(trc);
  if (std::string w = marker_units_warning(markers, trc.string()); !w.empty() && warnings) warnings->push_back(w);
  try {
    markers.convert_to_metres();  // MarkersReference converts to the model's units (m)
  } catch (const std::invalid_argument& e) {
    throw io::ParseError(trc.string(), 3, e.what());
  }
  return markers;
}

IkResult inverse_kinematics_of_file(const Model& model, const io::MarkerTable& markers, const IkOptions& options,
                                    const fs::path& marker_file) {
  try {
    return inverse_kinematics(model, markers, options);
  } catch (const std::invalid_argument& e) {
    std::string message = e.what();
    if (message.find("marker table") == std::string::npos && message.find("marker file") == std::string::npos) throw;
    if (message.rfind("inverse_kinematics: ", 0) == 0) message.erase(0, 20);
    throw std::runtime_error(marker_file.string() + ": " + message);
  }
}

RunReport run_inverse_kinematics_setup(const io::InverseKinematicsSetup& setup, const RunOptions& run) {
  if (setup.model_file.empty())
    throw io::ParseError(setup_label(setup), 0, "InverseKinematicsTool: no <model_file> given");
  if (setup.marker_file.empty())
    throw io::ParseError(setup_label(setup), 0, "InverseKinematicsTool: no <marker_file> given");

  // Where the outputs go: the motion where output_motion_file says (relative to the setup's
  // folder), the reports in results_directory; --out puts all of them in one folder. Each is
  // claimed now, before any work, so that none overwrites an input.
  io::OutputFiles outputs(io::input_files(io::SetupFile(setup)));
  auto target = [&](const fs::path& path) {
    return run.output_directory.empty() ? path : run.output_directory / path.filename();
  };
  const fs::path results_dir = setup.results_directory.empty() ? setup.file.parent_path() : setup.results_directory.path;
  const fs::path motion_out = setup.output_motion_file.empty() ? fs::path() : target(setup.output_motion_file.path);
  const fs::path errors_out = target(results_dir / (setup.name + "_ik_marker_errors.sto"));
  const fs::path locations_out = target(results_dir / (setup.name + "_ik_model_marker_locations.sto"));
  if (!motion_out.empty())
    outputs.claim(motion_out, setup.output_motion_file.place(setup.file) + "<output_motion_file> ");
  if (setup.report_errors) outputs.claim(errors_out);
  if (setup.report_marker_locations) outputs.claim(locations_out);

  const Model model = io::read_osim(setup.model_file.path);
  std::vector<std::string> warnings;
  const io::MarkerTable markers = read_markers_in_metres(setup.marker_file.path, &warnings);
  IkOptions options = ik_options_from_setup(setup, model);
  options.threads = run.threads;
  options.show_progress = !run.quiet;

  const auto start = std::chrono::steady_clock::now();
  const IkResult result = inverse_kinematics_of_file(model, markers, options, setup.marker_file.path);
  RunReport report;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.frames = result.frames();

  // Every file staged, then all renamed into place together: a failure leaves none of them.
  if (!motion_out.empty()) outputs.stage_sto(motion_out, ik_motion_table(model, result));
  if (setup.report_errors) outputs.stage_sto(errors_out, ik_marker_errors_table(result));
  if (setup.report_marker_locations) outputs.stage_sto(locations_out, ik_marker_locations_table(result));
  report.files_written = outputs.commit();
  report.warnings = std::move(warnings);
  return report;
}

}  // namespace femur::tools
