// femur convert TRIAL.c3d [--out-dir DIR] [--rotate SPEC] [--force-threshold N] [--flip-forces]
// [--json]: a C3D trial as the two files OpenSim's tools read, TRIAL.trc (markers, in the
// file's units) and TRIAL_grf.mot (one force, point and torque per plate, sampled at the
// analog rate, in N, m and N m, columns named as OpenSim's example GRF files:
// ground_force_v{x,y,z}, ground_force_p{x,y,z}, then ground_torque_{x,y,z}; plate k > 1 has
// the prefix "k-1_", e.g. 1_ground_force_vx).
//
// The wrench is what OpenSim's C3DFileAdapter gives (through ezc3d): the force as the plate
// reports it, applied at the centre of pressure, with the free moment as torque. By default
// nothing is thresholded or sign-flipped, so the file matches OpenSim's own conversion
// (osimC3D.writeMOT, Bindings/Java/Matlab/Utilities/osimC3D.m) but for units (mm -> m done
// here too) and column names.
//
// --rotate turns the laboratory axes into OpenSim's (y up): either the name of the lab axis
// that points up (X, -X, Y, -Y, Z, -Z; e.g. Z is the rotation "x:-90", taking +z to +y and
// keeping x), or rotations about lab axes applied in order, "AXIS:DEGREES[;AXIS:DEGREES...]"
// (also "x,-90"). Positions, forces, points and torques are all rotated: v' = R v, as
// osimC3D.rotateData does.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <Eigen/Geometry>
#include <fmt/format.h>

#include "cmd_options.hpp"
#include "commands.hpp"
#include "femur/io/c3d.hpp"
#include "femur/io/c3d_convert.hpp"
#include "femur/io/output_files.hpp"
#include "femur/io/table.hpp"

namespace femur::cli {
namespace {

namespace fs = std::filesystem;

struct ConvertOptions {
  std::string file;
  std::string out_dir;
  std::string rotate;
  double force_threshold = 0.0;
  bool flip_forces = false;
  OutputFlags flags;
};

void run_convert(const ConvertOptions& o) {
  const fs::path input(o.file);
  const Eigen::Matrix3d R = io::parse_lab_rotation(o.rotate);
  io::C3dReadOptions read_options;
  read_options.cop_min_force = o.force_threshold;
  const fs::path dir = o.out_dir.empty() ? input.parent_path() : fs::path(o.out_dir);
  const std::string stem = input.stem().string();
  const fs::path trc_path = dir / (stem + ".trc");
  const fs::path mot_path = dir / (stem + "_grf.mot");
  io::OutputFiles outputs({input});
  outputs.claim(trc_path);

  const io::C3dFile c3d = io::read_c3d(input, read_options);
  std::vector<std::string> warnings;
  for (const auto& w : c3d.warnings) warnings.push_back(input.string() + ": " + w);

  io::C3dConversionOptions co;
  co.rotation = R;
  co.force_threshold = o.force_threshold;
  co.flip_forces = o.flip_forces;
  const io::C3dConversion converted = io::convert_c3d(c3d, co, trc_path.filename().string(), mot_path.filename().string());
  for (const auto& w : converted.warnings) warnings.push_back(input.string() + ": " + w);
  const io::MarkerTable& trc = converted.markers;
  const std::vector<int> markers = c3d.marker_indices();
  const int frames = c3d.frames();
  const auto& plates = c3d.force_plates;
  outputs.stage(trc_path, io::format_trc(trc));
  const bool wrote_mot = converted.grf.has_value();
  if (wrote_mot) {
    io::StoWriteOptions wo;
    wo.mot_header = false;
    outputs.stage_sto(mot_path, *converted.grf, wo);
  }
  const auto written = outputs.commit();  // the markers and the forces together, or neither

  print_warnings(warnings, o.flags);
  std::string text = fmt::format("{}: {} markers, {} frames at {:g} Hz ({})", input.string(), markers.size(), frames,
                                 c3d.point_rate, trc.units);
  text += wrote_mot ? fmt::format("\n{}: {} force plates, {} samples at {:g} Hz", input.string(), plates.size(),
                                  c3d.analog_samples(), c3d.analog_rate)
                    : fmt::format("\n{}: no force plates", input.string());
  print_summary(o.flags, "convert", written, frames, 0.0, warnings, text,
                fmt::format("\"file\": {}, \"markers\": {}, \"point_rate\": {}, \"units\": {}, \"force_plates\": {}, "
                            "\"analog_channels\": {}, \"analog_samples\": {}, \"analog_rate\": {}, \"trc\": {}, "
                            "\"grf\": {}",
                            json_string(input.string()), markers.size(), c3d.point_rate, json_string(trc.units),
                            plates.size(), c3d.analogs.cols(), c3d.analog_samples(), c3d.analog_rate,
                            json_string(trc_path.string()), wrote_mot ? json_string(mot_path.string()) : "null"));
}

}  // namespace

void register_convert_command(CLI::App& app) {
  auto o = std::make_shared<ConvertOptions>();
  auto* cmd = app.add_subcommand("convert", "Convert a C3D trial to OpenSim's TRC (markers) and GRF .mot files");
  cmd->footer(
      "Example:\n"
      "  femur convert walking2.c3d --out-dir results --rotate Z\n"
      "    writes results/walking2.trc and results/walking2_grf.mot, turning the lab's z-up\n"
      "    axes into OpenSim's y-up (the same as --rotate x:-90).\n"
      "Forces are written as the C3D file stores them (as OpenSim's C3DFileAdapter reads them);\n"
      "points in m and torques in N m; columns ground_force_v*, ground_force_p*, ground_torque_*\n"
      "with the prefix 1_, 2_... for the second, third... plate.");
  cmd->add_option("file", o->file, "C3D file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out-dir,--out", o->out_dir, "Output folder (default: the C3D file's folder; created)");
  cmd->add_option("--rotate", o->rotate,
                  "Lab axis pointing up (X, -X, Y, -Y, Z, -Z) or rotations AXIS:DEGREES[;AXIS:DEGREES] "
                  "applied in order, e.g. x:-90")
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            try {
              io::parse_lab_rotation(s);
              return {};
            } catch (const std::exception& e) {
              return e.what();
            }
          },
          "SPEC", "rotation"));
  cmd->add_option("--force-threshold", o->force_threshold,
                  "Plate-normal force (N) at or below which a plate counts as unloaded: zero force and "
                  "torque, point at the plate centre (default 0: no threshold, as OpenSim)")
      ->check(non_negative());
  cmd->add_flag("--flip-forces", o->flip_forces, "Negate forces and torques (files that store the force on the plate)");
  add_output_flags(*cmd, o->flags);
  cmd->callback([o] { run_convert(*o); });
}

}  // namespace femur::cli
