// A C3D trial turned into what OpenSim's tools read: a marker table (TRC) in the file's units
// and, when the file has force plates, a ground-reaction table (GRF .mot) with one force,
// point and torque per plate, in N, m and N m. The laboratory axes can be rotated into
// OpenSim's (y up). Every front end (the `femur convert` command, later Python) calls this one
// function; writing the files is the caller's.
//
//   const io::C3dFile c3d = io::read_c3d("walk.c3d");
//   io::C3dConversionOptions o;
//   o.rotation = io::parse_lab_rotation("Z");            // lab z up -> OpenSim y up
//   io::C3dConversion out = io::convert_c3d(c3d, o);     // out.markers, out.grf, out.warnings
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/io/c3d.hpp"
#include "femur/io/table.hpp"

namespace femur::io {

// A rotation of the laboratory axes: either the name of the lab axis that points up (X, -X, Y,
// -Y, Z, -Z; e.g. Z is the rotation "x:-90", taking +z to +y and keeping x), or rotations
// about lab axes applied in order, "AXIS:DEGREES[;AXIS:DEGREES...]" (also "x,-90"). An empty
// specification is the identity. Throws std::invalid_argument naming what is wrong.
Eigen::Matrix3d parse_lab_rotation(const std::string& spec);

struct C3dConversionOptions {
  // v' = R v for positions, forces, points and torques (osimC3D.rotateData does the same).
  Eigen::Matrix3d rotation = Eigen::Matrix3d::Identity();
  // Plate-normal force (N) at or below which a plate counts as unloaded: zero force and
  // torque, the point at the plate centre. 0 = no threshold (OpenSim's behaviour).
  double force_threshold = 0.0;
  bool flip_forces = false;  // negate forces and torques (files storing the force on the plate)
};

struct C3dConversion {
  MarkerTable markers;        // TRC: times from 0, frame numbers from 1, the file's units
  std::optional<Table> grf;   // GRF .mot, absent when the file has no force plates
  std::vector<std::string> warnings;
};

// Markers and force plates of `c3d` as OpenSim's C3DFileAdapter gives them (the force as the
// plate reports it, applied at the centre of pressure, the free moment as torque), with the
// GRF columns named as OpenSim's example files: ground_force_v{x,y,z}, ground_force_p{x,y,z},
// then ground_torque_{x,y,z}, with the prefix "k_" for plate k+1 > 1. Positions stay in the
// file's units in the TRC; GRF points and torques are converted to m and N m. `trc_name` and
// `grf_name` are the names written in the tables' headers. Marker names are made unique
// (blank -> M<n>, repeats get _2, _3).
C3dConversion convert_c3d(const C3dFile& c3d, const C3dConversionOptions& options,
                          const std::string& trc_name = "", const std::string& grf_name = "");

}  // namespace femur::io
