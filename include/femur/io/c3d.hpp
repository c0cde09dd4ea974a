// C3D motion-capture files (binary): 3D marker trajectories, analog channels and the force
// plates described by the FORCE_PLATFORM parameters, read as OpenSim's C3DFileAdapter
// (through ezc3d) reads them. The format follows Motion Lab Systems, "The C3D File Format:
// A Technical User Guide" (c3d.org); section names are cited beside the code that reads them.
//
//   femur::io::C3dFile c3d = femur::io::read_c3d("walking.c3d");
//   c3d.points.row(f).segment(3 * c3d.point_index("RASI"), 3);   // in c3d.point_units
//   c3d.force_plates[0].force.row(s);                             // N, lab frame, sample s
//
// A malformed file throws io::ParseError "file: byte N: what is wrong" (the byte offset of the
// record at fault, and the GROUP:NAME of the parameter when one is at fault). Every size read
// from the file is checked against the file's length before anything is allocated.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

namespace femur::io {

// One parameter of the parameter section (User Guide, "Parameter Format").
struct C3dParameter {
  std::string group, name, description;  // names upper-case as stored
  int type = 0;                          // -1 char, 1 byte, 2 int16, 4 float
  std::vector<int> dimensions;           // empty for a scalar; first dimension varies fastest
  bool locked = false;                   // negative name length in the file
  std::vector<double> values;            // numeric types, in stored order (byte: 0..255)
  std::vector<std::string> strings;      // char type: one string per column of dimensions[0]
                                         // characters, trailing blanks removed
  std::int64_t byte_offset = 0;          // where the record starts in the file

  int count() const;  // number of stored elements (product of the dimensions, 1 if scalar)
  // First value as a number; `fallback` when the parameter holds none.
  double number(double fallback = 0.0) const { return values.empty() ? fallback : values[0]; }
  // values[i] as an integer (toward zero, clamped to +-2^53, 0 for NaN); `fallback` when
  // absent. Safe on any value a corrupt file may hold.
  std::int64_t integer(std::size_t i = 0, std::int64_t fallback = 0) const;
  // First string; empty when none.
  std::string text() const { return strings.empty() ? std::string() : strings[0]; }
};

// A force plate with its signals turned into a wrench in the laboratory frame, one row per
// analog sample. Conventions (as ezc3d's ForcePlatforms module, which OpenSim 4 uses):
//  - `force` is the force the plate's channels give, turned into the lab frame, with no sign
//    change. Whether that is the action on the plate or the reaction on the subject depends
//    on the writer: Vicon Nexus (OpenSim's walking2/5.c3d) stores the reaction, vertical
//    component positive in stance.
//  - `cop` is the centre of pressure on the plate's working surface (lab frame, point units);
//    `free_moment` is the moment about the COP (only its plate-normal component is non-zero),
//    `moment_at_centre` the moment about the centre of the working surface (N x point units).
//  - When |Fz| in the plate frame is <= C3dReadOptions::cop_min_force (0 by default, so only an
//    exact zero), the COP is undefined: `cop` is then the centre of the working surface and
//    `free_moment` is zero (ezc3d would give inf/NaN there).
struct C3dForcePlate {
  int type = 0;                                // FORCE_PLATFORM:TYPE (1, 2, 3 or 4 supported)
  std::array<Eigen::Vector3d, 4> corners;      // FORCE_PLATFORM:CORNERS, lab frame
  Eigen::Vector3d origin = Eigen::Vector3d::Zero();  // FORCE_PLATFORM:ORIGIN as used (z <= 0)
  std::vector<int> channels;                   // 0-based analog channel of each plate signal
  Eigen::MatrixXd cal_matrix;                  // 6x6 for type 4, empty otherwise
  Eigen::Matrix3d R_lab_plate = Eigen::Matrix3d::Identity();  // plate axes in the lab frame
  Eigen::Vector3d centre = Eigen::Vector3d::Zero();           // mean of the corners (lab)
  Eigen::MatrixX3d force, cop, free_moment, moment_at_centre;  // samples x 3, lab frame
};

struct C3dReadOptions {
  bool force_plates = true;    // compute C3dFile::force_plates from the analog data
  double cop_min_force = 0.0;  // |Fz| (N) at or below which the COP is set to the plate centre
};

struct C3dFile {
  std::string name;              // file name used in messages
  int processor = 84;            // 84 Intel, 85 DEC (VAX), 86 SGI/MIPS (big-endian)
  bool float_storage = false;    // negative POINT:SCALE: data stored as 32-bit floats
  double point_scale = 1.0;      // |POINT:SCALE| applied to integer point data
  int first_frame = 1, last_frame = 0;  // header words 4-5 (extended by POINT:FRAMES)
  int max_interpolation_gap = 0;
  int data_start_block = 0;      // POINT:DATA_START (1-based 512-byte block)

  // 3D points: frames x (3 * labels), in `point_units`; NaN where the residual word is
  // negative (invalid point, User Guide "3D Point Residuals").
  double point_rate = 0.0;                  // POINT:RATE (Hz)
  std::string point_units;                  // POINT:UNITS, e.g. "mm"
  std::vector<std::string> point_labels;    // POINT:LABELS then LABELS2, LABELS3...
  Eigen::MatrixXd points;
  Eigen::MatrixXd residuals;                // frames x labels; -1 where invalid

  // Analog channels: (frames * analog_per_frame) x channels, scaled to physical units:
  // (raw - ANALOG:OFFSET) * ANALOG:SCALE * ANALOG:GEN_SCALE (User Guide, "ANALOG:SCALE").
  double analog_rate = 0.0;                 // ANALOG:RATE (Hz)
  int analog_per_frame = 0;                 // analog samples per 3D frame
  std::vector<std::string> analog_labels;   // ANALOG:LABELS then LABELS2...
  std::vector<std::string> analog_units;    // ANALOG:UNITS (may be shorter than labels)
  Eigen::MatrixXd analogs;

  std::vector<C3dForcePlate> force_plates;  // FORCE_PLATFORM:USED plates of supported types
  std::vector<std::string> warnings;        // what was read but ignored (e.g. unsupported plates)

  std::map<std::string, C3dParameter> parameters;  // keyed "GROUP:NAME"

  int frames() const { return static_cast<int>(points.rows()); }
  int point_count() const { return static_cast<int>(point_labels.size()); }
  int analog_samples() const { return static_cast<int>(analogs.rows()); }
  int point_index(std::string_view label) const;   // -1 if absent
  // Indices of the points that are markers: all but those named in POINT:ANGLES, FORCES,
  // MOMENTS, POWERS and SCALARS (modelled outputs), as OpenSim's C3DFileAdapter selects them.
  std::vector<int> marker_indices() const;
  int analog_index(std::string_view label) const;  // -1 if absent
  // Parameter "GROUP:NAME" (case-insensitive), or nullptr.
  const C3dParameter* parameter(std::string_view group_colon_name) const;
  // Factor turning `point_units` into metres (mm 0.001, cm 0.01, m 1); 1 when unknown.
  double metres_per_point_unit() const;
};

// Reads a C3D file. Throws ParseError on a malformed file, std::runtime_error if unreadable.
C3dFile read_c3d(const std::filesystem::path& path, const C3dReadOptions& options = {});
// Parses a C3D file already in memory; `name` is used in messages.
C3dFile parse_c3d(std::span<const std::uint8_t> bytes, const std::string& name,
                  const C3dReadOptions& options = {});

// Computes the force plates of `c3d` from its parameters and analog data (called by the
// readers when options.force_plates). Plates of unsupported types are skipped with a warning
// in c3d.warnings; inconsistent FORCE_PLATFORM parameters throw ParseError.
std::vector<C3dForcePlate> compute_force_plates(C3dFile& c3d, const C3dReadOptions& options = {});

}  // namespace femur::io
