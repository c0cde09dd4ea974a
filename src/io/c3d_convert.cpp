// C3D -> TRC + GRF tables (io/c3d_convert.hpp). The wrapped quantities are what OpenSim's
// C3DFileAdapter gives through ezc3d; the column layout is OpenSim's example GRF files'
// (osimC3D.writeMOT, Bindings/Java/Matlab/Utilities/osimC3D.m), units converted to m.
#include "femur/io/c3d_convert.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include <Eigen/Geometry>
#include <fmt/format.h>

namespace femur::io {
namespace {

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

}  // namespace

Eigen::Matrix3d parse_lab_rotation(const std::string& spec) {
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

C3dConversion convert_c3d(const C3dFile& c3d, const C3dConversionOptions& o, const std::string& trc_name,
                          const std::string& grf_name) {
  C3dConversion out;
  const Eigen::Matrix3d& R = o.rotation;
  // Markers.--------------------------------------------------------------------
  const std::vector<int> markers = c3d.marker_indices();
  MarkerTable& trc = out.markers;
  trc.name = trc_name;
  std::vector<std::string> names;
  for (int m : markers) names.push_back(c3d.point_labels[size_t(m)]);
  trc.markers = unique_names(names);
  trc.units = c3d.point_units.empty() ? "m" : c3d.point_units;
  if (c3d.point_units.empty()) out.warnings.push_back("POINT:UNITS missing; markers written as metres");
  trc.data_rate = c3d.point_rate;
  const C3dParameter* camera = c3d.parameter("TRIAL:CAMERA_RATE");
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

  // Force plates.---------------------------------------------------------------
  const auto& plates = c3d.force_plates;
  if (!plates.empty()) {
    const double m_per_unit = c3d.metres_per_point_unit();
    Table mot;
    mot.name = grf_name;
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
      const C3dForcePlate& fp = plates[p];
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
        out.warnings.push_back(fmt::format(
            "force plate {} pushes down at its peak ({:.0f} N): the file stores the force on the plate; use "
            "--flip-forces for the ground reaction",
            p + 1, peak_up));
    }
    // Which lab direction is up: against the plates' z axis (C3D plate z points down).
    const Eigen::Vector3d up = -(R * plates[0].R_lab_plate.col(2));
    if (up.y() < 0.9)
      out.warnings.push_back(fmt::format(
          "the floor's upward normal is ({:.2f}, {:.2f}, {:.2f}) after rotation; OpenSim expects +y up (see "
          "--rotate)",
          up.x(), up.y(), up.z()));
    out.grf = std::move(mot);
  }

  return out;
}

}  // namespace femur::io
