// femur convert TRIAL.c3d [--out DIR] [--rotate SPEC] [--force-threshold N] [--flip-forces]
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

#include "commands.hpp"
#include "femur/io/c3d.hpp"
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
  bool json = false;
};

Eigen::Matrix3d axis_rotation(char axis, double degrees) {
  const double a = degrees * std::numbers::pi / 180.0;
  const Eigen::Vector3d u = axis == 'x' ? Eigen::Vector3d::UnitX() : axis == 'y' ? Eigen::Vector3d::UnitY() : Eigen::Vector3d::UnitZ();
  Eigen::Matrix3d R = Eigen::AngleAxisd(a, u).toRotationMatrix();
  // Multiples of 90 degrees give exact 0 and +-1 (cos(pi/2) is 6e-17 otherwise).
  for (int i = 0; i < 9; ++i) {
    double& v = R.data()[i];
    if (std::abs(v) < 1e-15) v = 0.0;
    if (std::abs(std::abs(v) - 1.0) < 1e-15) v = v > 0 ? 1.0 : -1.0;
  }
  return R;
}

// Parses a --rotate specification (see the file comment). Throws std::invalid_argument.
Eigen::Matrix3d parse_rotation(const std::string& spec) {
  std::vector<std::string> tokens;
  std::string cur;
  for (char c : spec) {
    if (c == ',' || c == ':' || c == ';' || c == ' ') {
      if (!cur.empty()) tokens.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) tokens.push_back(cur);
  if (tokens.empty()) return Eigen::Matrix3d::Identity();
  auto axis_of = [&](const std::string& t, bool allow_sign) -> std::pair<char, int> {
    int sign = 1;
    std::string s = t;
    if (allow_sign && (s[0] == '-' || s[0] == '+')) {
      sign = s[0] == '-' ? -1 : 1;
      s = s.substr(1);
    }
    if (s.size() != 1) return {0, 0};
    const char a = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    if (a != 'x' && a != 'y' && a != 'z') return {0, 0};
    return {a, sign};
  };
  if (tokens.size() == 1) {
    // The lab axis that points up, turned to +y.
    auto [a, sign] = axis_of(tokens[0], true);
    if (!a) throw std::invalid_argument("'" + spec + "' is not an axis (X, -X, Y, -Y, Z, -Z) or AXIS:DEGREES");
    if (a == 'x') return axis_rotation('z', sign * 90.0);
    if (a == 'y') return sign > 0 ? Eigen::Matrix3d::Identity() : axis_rotation('x', 180.0);
    return axis_rotation('x', -sign * 90.0);
  }
  if (tokens.size() % 2 != 0)
    throw std::invalid_argument("'" + spec + "' must be AXIS:DEGREES pairs, e.g. x:-90 or x:-90;y:90");
  Eigen::Matrix3d R = Eigen::Matrix3d::Identity();
  for (size_t i = 0; i < tokens.size(); i += 2) {
    auto [a, sign] = axis_of(tokens[i], false);
    if (!a) throw std::invalid_argument("'" + tokens[i] + "' in '" + spec + "' is not an axis x, y or z");
    size_t used = 0;
    double deg = 0;
    try {
      deg = std::stod(tokens[i + 1], &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != tokens[i + 1].size() || !std::isfinite(deg))
      throw std::invalid_argument("'" + tokens[i + 1] + "' in '" + spec + "' is not an angle in degrees");
    R = axis_rotation(a, deg) * R;  // applied in the order given
  }
  return R;
}

// Marker names for the TRC: blank names become M<n>, repeated names get a _2, _3 suffix.
std::vector<std::string> unique_names(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (size_t i = 0; i < names.size(); ++i) {
    std::string n = names[i];
    for (char& c : n)
      if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    if (n.find_first_not_of(' ') == std::string::npos) n = "M" + std::to_string(i + 1);
    std::string candidate = n;
    for (int k = 2; std::find(out.begin(), out.end(), candidate) != out.end(); ++k) candidate = n + "_" + std::to_string(k);
    out.push_back(candidate);
  }
  return out;
}

void run_convert(const ConvertOptions& o) {
  const fs::path input(o.file);
  const Eigen::Matrix3d R = parse_rotation(o.rotate);
  io::C3dReadOptions read_options;
  read_options.cop_min_force = o.force_threshold;
  const io::C3dFile c3d = io::read_c3d(input, read_options);
  for (const auto& w : c3d.warnings) std::fprintf(stderr, "femur: warning: %s: %s\n", input.string().c_str(), w.c_str());

  const fs::path dir = o.out_dir.empty() ? input.parent_path() : fs::path(o.out_dir);
  if (!dir.empty()) fs::create_directories(dir);
  const std::string stem = input.stem().string();
  const fs::path trc_path = dir / (stem + ".trc");
  const fs::path mot_path = dir / (stem + "_grf.mot");

  // --- Markers -----------------------------------------------------------------------
  const std::vector<int> markers = c3d.marker_indices();
  io::MarkerTable trc;
  trc.name = trc_path.filename().string();
  std::vector<std::string> names;
  for (int m : markers) names.push_back(c3d.point_labels[size_t(m)]);
  trc.markers = unique_names(names);
  trc.units = c3d.point_units.empty() ? "m" : c3d.point_units;
  if (c3d.point_units.empty())
    std::fprintf(stderr, "femur: warning: %s: POINT:UNITS missing; markers written as metres\n", input.string().c_str());
  trc.data_rate = c3d.point_rate;
  const io::C3dParameter* camera = c3d.parameter("TRIAL:CAMERA_RATE");
  trc.camera_rate = camera && camera->number() > 0 ? camera->number() : c3d.point_rate;
  trc.orig_data_rate = c3d.point_rate;
  trc.orig_data_start_frame = c3d.first_frame;
  trc.orig_num_frames = c3d.frames();
  const int frames = c3d.frames();
  // Times from 0 and frame numbers from 1, as OpenSim's C3DFileAdapter + TRCFileAdapter
  // write them, so markers and forces share the same clock.
  trc.time.resize(frames);
  trc.frame_numbers.resize(size_t(frames));
  trc.data.resize(frames, 3 * Eigen::Index(markers.size()));
  for (int f = 0; f < frames; ++f) {
    trc.time[f] = c3d.point_rate > 0 ? f / c3d.point_rate : double(f);
    trc.frame_numbers[size_t(f)] = f + 1;
    for (size_t k = 0; k < markers.size(); ++k) {
      const Eigen::Vector3d p = c3d.points.block<1, 3>(f, 3 * markers[k]).transpose();
      trc.data.block<1, 3>(f, 3 * Eigen::Index(k)) = (R * p).transpose();
    }
  }
  io::write_trc(trc_path, trc);

  // --- Force plates ------------------------------------------------------------------
  bool wrote_mot = false;
  const auto& plates = c3d.force_plates;
  if (!plates.empty()) {
    const double m_per_unit = c3d.metres_per_point_unit();
    io::Table mot;
    mot.name = mot_path.filename().string();
    const auto prefix = [](size_t p) { return p == 0 ? std::string() : std::to_string(p) + "_"; };
    for (size_t p = 0; p < plates.size(); ++p)
      for (const char* what : {"ground_force_v", "ground_force_p"})
        for (const char* axis : {"x", "y", "z"}) mot.labels.push_back(prefix(p) + what + axis);
    for (size_t p = 0; p < plates.size(); ++p)
      for (const char* axis : {"x", "y", "z"}) mot.labels.push_back(prefix(p) + "ground_torque_" + axis);
    const Eigen::Index samples = c3d.analog_samples();
    mot.time.resize(samples);
    mot.data.resize(samples, Eigen::Index(mot.labels.size()));
    const double sign = o.flip_forces ? -1.0 : 1.0;
    const Eigen::Index torque_col0 = 6 * Eigen::Index(plates.size());
    for (Eigen::Index s = 0; s < samples; ++s) mot.time[s] = c3d.analog_rate > 0 ? s / c3d.analog_rate : double(s);
    for (size_t p = 0; p < plates.size(); ++p) {
      const io::C3dForcePlate& fp = plates[p];
      const Eigen::Vector3d normal = fp.R_lab_plate.col(2);  // plate z, into the floor
      double peak = 0, peak_up = 0;
      for (Eigen::Index s = 0; s < samples; ++s) {
        Eigen::Vector3d F = fp.force.row(s).transpose();
        Eigen::Vector3d P = fp.cop.row(s).transpose();
        Eigen::Vector3d T = fp.free_moment.row(s).transpose();
        const double normal_force = F.dot(normal);
        if (std::abs(normal_force) > peak) peak = std::abs(normal_force), peak_up = -normal_force * sign;
        if (o.force_threshold > 0 && std::abs(normal_force) <= o.force_threshold) {
          // Below the threshold the plate is taken as unloaded: no force, no torque, the
          // point at the plate centre (the reader already put the COP there).
          F.setZero();
          T.setZero();
        }
        const Eigen::Index c = 6 * Eigen::Index(p);
        mot.data.block<1, 3>(s, c) = (sign * (R * F)).transpose();
        mot.data.block<1, 3>(s, c + 3) = (m_per_unit * (R * P)).transpose();
        mot.data.block<1, 3>(s, torque_col0 + 3 * Eigen::Index(p)) = (sign * m_per_unit * (R * T)).transpose();
      }
      if (peak_up < 0)
        std::fprintf(stderr,
                     "femur: warning: %s: force plate %zu pushes down at its peak (%.0f N): the file stores the "
                     "force on the plate; use --flip-forces for the ground reaction\n",
                     input.string().c_str(), p + 1, peak_up);
    }
    // Which lab direction is up: against the plates' z axis (C3D plate z points down).
    const Eigen::Vector3d up = -(R * plates[0].R_lab_plate.col(2));
    if (up.y() < 0.9)
      std::fprintf(stderr,
                   "femur: warning: %s: the floor's upward normal is (%.2f, %.2f, %.2f) after rotation; OpenSim "
                   "expects +y up (see --rotate)\n",
                   input.string().c_str(), up.x(), up.y(), up.z());
    io::StoWriteOptions wo;
    wo.mot_header = false;
    io::write_sto(mot_path, mot, wo);
    wrote_mot = true;
  }

  if (o.json) {
    std::printf(
        "{\"file\": \"%s\", \"markers\": %zu, \"frames\": %d, \"point_rate\": %g, \"units\": \"%s\", "
        "\"force_plates\": %zu, \"analog_channels\": %d, \"analog_samples\": %d, \"analog_rate\": %g, "
        "\"trc\": \"%s\", \"grf\": %s}\n",
        input.string().c_str(), markers.size(), frames, c3d.point_rate, trc.units.c_str(), plates.size(),
        static_cast<int>(c3d.analogs.cols()), c3d.analog_samples(), c3d.analog_rate, trc_path.string().c_str(),
        wrote_mot ? fmt::format("\"{}\"", mot_path.string()).c_str() : "null");
  } else {
    std::printf("%s: %zu markers, %d frames at %g Hz (%s) -> %s\n", input.string().c_str(), markers.size(), frames,
                c3d.point_rate, trc.units.c_str(), trc_path.string().c_str());
    if (wrote_mot)
      std::printf("%s: %zu force plates, %d samples at %g Hz -> %s\n", input.string().c_str(), plates.size(),
                  c3d.analog_samples(), c3d.analog_rate, mot_path.string().c_str());
    else
      std::printf("%s: no force plates\n", input.string().c_str());
  }
}

}  // namespace

void register_convert_command(CLI::App& app) {
  auto o = std::make_shared<ConvertOptions>();
  auto* cmd = app.add_subcommand("convert", "Convert a C3D trial to OpenSim's TRC (markers) and GRF .mot files");
  cmd->footer(
      "Example:\n"
      "  femur convert walking2.c3d --out results --rotate Z\n"
      "    writes results/walking2.trc and results/walking2_grf.mot, turning the lab's z-up\n"
      "    axes into OpenSim's y-up (the same as --rotate x:-90).\n"
      "Forces are written as the C3D file stores them (as OpenSim's C3DFileAdapter reads them);\n"
      "points in m and torques in N m; columns ground_force_v*, ground_force_p*, ground_torque_*\n"
      "with the prefix 1_, 2_... for the second, third... plate.");
  cmd->add_option("file", o->file, "C3D file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", o->out_dir, "Output directory (default: the C3D file's directory)");
  cmd->add_option("--rotate", o->rotate,
                  "Lab axis pointing up (X, -X, Y, -Y, Z, -Z) or rotations AXIS:DEGREES[;AXIS:DEGREES] "
                  "applied in order, e.g. x:-90")
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            try {
              parse_rotation(s);
              return {};
            } catch (const std::exception& e) {
              return e.what();
            }
          },
          "SPEC", "rotation"));
  cmd->add_option("--force-threshold", o->force_threshold,
                  "Plate-normal force (N) at or below which a plate counts as unloaded: zero force and "
                  "torque, point at the plate centre (default 0: no threshold, as OpenSim)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--flip-forces", o->flip_forces, "Negate forces and torques (files that store the force on the plate)");
  cmd->add_flag("--json", o->json, "Print the summary as JSON");
  cmd->callback([o] { run_convert(*o); });
}

}  // namespace femur::cli
