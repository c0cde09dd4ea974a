// Force plates of a C3D file: FORCE_PLATFORM parameters and analog channels turned into
// force, centre of pressure and free moment in the laboratory frame, as ezc3d's
// ForcePlatforms module computes them (pyomeca/ezc3d src/modules/ForcePlatforms.cpp), which
// is what OpenSim's C3DFileAdapter reports (opensim-core OpenSim/Common/C3DFileAdapter.cpp).
// Parameter meanings: Motion Lab Systems, "The C3D File Format: A Technical User Guide",
// sections "The FORCE_PLATFORM group", "TYPE-2", "TYPE-3", "FORCE_PLATFORM:CORNERS",
// "FORCE_PLATFORM:ORIGIN".
#include <algorithm>
#include <cmath>
#include <string>

#include <Eigen/Geometry>

#include "femur/io/c3d.hpp"
#include "femur/io/error.hpp"

namespace femur::io {
namespace {

using Eigen::Vector3d;

int channels_of_type(int type) { return type == 3 ? 8 : 6; }

}  // namespace

std::vector<C3dForcePlate> compute_force_plates(C3dFile& c3d, const C3dReadOptions& options) {
  std::vector<C3dForcePlate> plates;
  const C3dParameter* used_p = c3d.parameter("FORCE_PLATFORM:USED");
  if (!used_p || used_p->integer() <= 0) return plates;
  const std::int64_t used64 = used_p->integer();
  // Each plate needs its own 6 or 8 channels; more plates than channels is a broken or
  // marker-only file. Skipping them also bounds the memory taken (plates x samples).
  if (used64 > c3d.analogs.cols() || c3d.analogs.rows() == 0) {
    c3d.warnings.push_back("FORCE_PLATFORM:USED is " + std::to_string(used64) + " but the file has " +
                           std::to_string(c3d.analogs.cols()) + " analog channels and " +
                           std::to_string(c3d.analogs.rows()) + " samples; force plates skipped");
    return plates;
  }
  const int used = static_cast<int>(used64);
  auto fail = [&](const C3dParameter* p, const std::string& message) -> void {
    throw ParseError(c3d.name, 0, "byte " + std::to_string(p ? p->byte_offset : 0) + ": " + message);
  };
  auto require = [&](const char* key, std::size_t count) -> const C3dParameter& {
    const C3dParameter* p = c3d.parameter(key);
    if (!p) fail(used_p, std::string("FORCE_PLATFORM:USED is ") + std::to_string(used) + " but " + key + " is missing");
    if (p->values.size() < count)
      fail(p, std::string(key) + " has " + std::to_string(p->values.size()) + " values, " + std::to_string(count) +
                  " needed for " + std::to_string(used) + " plates");
    return *p;
  };
  const C3dParameter& type_p = require("FORCE_PLATFORM:TYPE", static_cast<std::size_t>(used));
  const C3dParameter& corners_p = require("FORCE_PLATFORM:CORNERS", 12 * static_cast<std::size_t>(used));
  const C3dParameter& origin_p = require("FORCE_PLATFORM:ORIGIN", 3 * static_cast<std::size_t>(used));
  const C3dParameter& channel_p = require("FORCE_PLATFORM:CHANNEL", static_cast<std::size_t>(used));
  // CHANNEL is (channels per plate, USED): the first dimension is the stride between plates.
  const int stride = channel_p.dimensions.empty() ? 1 : channel_p.dimensions[0];
  const C3dParameter* cal_p = c3d.parameter("FORCE_PLATFORM:CAL_MATRIX");
  const C3dParameter* poly_p = c3d.parameter("FORCE_PLATFORM:FPCOPPOLY");
  const int n_channels = static_cast<int>(c3d.analogs.cols());
  const Eigen::Index samples = c3d.analogs.rows();

  for (int i = 0; i < used; ++i) {
    const std::string which = "force plate " + std::to_string(i + 1);
    C3dForcePlate plate;
    const std::int64_t type = type_p.integer(size_t(i));
    plate.type = static_cast<int>(std::clamp<std::int64_t>(type, -1000000, 1000000));
    if (type < 1 || type > 4) {
      c3d.warnings.push_back(which + " has FORCE_PLATFORM:TYPE " + std::to_string(type) +
                             " (only types 1 to 4 are supported); skipped");
      continue;
    }
    const int nch = channels_of_type(plate.type);
    if (stride < nch || static_cast<std::size_t>(stride) * used > channel_p.values.size())
      fail(&channel_p, "FORCE_PLATFORM:CHANNEL has " + std::to_string(stride) + " channels per plate, " + which +
                           " (type " + std::to_string(plate.type) + ") needs " + std::to_string(nch));
    for (int k = 0; k < nch; ++k) {
      const std::int64_t ch = channel_p.integer(size_t(i) * size_t(stride) + size_t(k));
      if (ch < 1 || ch > n_channels)
        fail(&channel_p, "FORCE_PLATFORM:CHANNEL of " + which + " names analog channel " + std::to_string(ch) +
                             " but the file has " + std::to_string(n_channels));
      plate.channels.push_back(static_cast<int>(ch) - 1);  // 1-based in the file
    }
    for (int c = 0; c < 4; ++c)
      for (int k = 0; k < 3; ++k) plate.corners[size_t(c)](k) = corners_p.values[size_t(12 * i + 3 * c + k)];
    plate.centre = (plate.corners[0] + plate.corners[1] + plate.corners[2] + plate.corners[3]) / 4.0;

    // Plate axes from the corners: corner 1 lies in the plate's +x+y quadrant, 2 in -x+y,
    // 3 in -x-y, 4 in +x-y ("Specifying Force Platform Parameters"), so x runs from corner 2
    // to 1 and y from corner 4 to 1; z = x cross y (pointing into the floor when the corners
    // are listed clockwise seen from above, as for AMTI plates).
    Vector3d x = plate.corners[0] - plate.corners[1];
    Vector3d y = plate.corners[0] - plate.corners[3];
    Vector3d z = x.cross(y);
    y = z.cross(x);
    if (x.norm() <= 0 || z.norm() <= 0 || !x.allFinite() || !z.allFinite()) {
      c3d.warnings.push_back(which + ": FORCE_PLATFORM:CORNERS do not span a plane; skipped");
      continue;
    }
    plate.R_lab_plate.col(0) = x.normalized();
    plate.R_lab_plate.col(1) = y.normalized();
    plate.R_lab_plate.col(2) = z.normalized();

    // ORIGIN: from the plate's measurement origin to the centre of its working surface, in
    // plate axes; z is negative since the origin lies below the surface and z points down.
    // Older AMTI calibrations give it with the opposite sign ("TYPE-2"), so a positive z is
    // read as the reversed vector, as ezc3d and Visual3D do. For TYPE-3 (Kistler) x and y are
    // the sensor offsets a and b, which keep their sign; only z is made negative.
    for (int k = 0; k < 3; ++k) plate.origin(k) = origin_p.values[size_t(3 * i + k)];
    if (plate.type == 1) plate.origin.head<2>().setZero();
    if (plate.origin.z() > 0) {
      if (plate.type == 3)
        plate.origin.z() = -plate.origin.z();
      else
        plate.origin = -plate.origin;
    }

    if (plate.type == 4) {
      // CAL_MATRIX is (6, 6, USED) with the first dimension the row: signals = CAL * raw.
      if (!cal_p || cal_p->values.size() < 36 * static_cast<std::size_t>(i + 1))
        fail(cal_p ? cal_p : used_p, which + " is TYPE-4 but FORCE_PLATFORM:CAL_MATRIX does not hold its 6x6 matrix");
      plate.cal_matrix.resize(6, 6);
      for (int r = 0; r < 6; ++r)
        for (int c = 0; c < 6; ++c) plate.cal_matrix(r, c) = cal_p->values[size_t(36 * i + 6 * c + r)];
    }
    // Kistler COP correction polynomial (12 coefficients per plate), applied as ezc3d does.
    double poly[12] = {0};
    if (plate.type == 3 && poly_p && poly_p->values.size() >= 12 * static_cast<std::size_t>(i + 1))
      for (int k = 0; k < 12; ++k) poly[k] = poly_p->values[size_t(12 * i + k)];

    plate.force.resize(samples, 3);
    plate.cop.resize(samples, 3);
    plate.free_moment.resize(samples, 3);
    plate.moment_at_centre.resize(samples, 3);
    const Eigen::Matrix3d& R = plate.R_lab_plate;
    const Vector3d& o = plate.origin;
    double ch[8];
    for (Eigen::Index s = 0; s < samples; ++s) {
      for (int k = 0; k < nch; ++k) ch[k] = c3d.analogs(s, plate.channels[size_t(k)]);
      Vector3d f, m, cop(0, 0, 0), tz(0, 0, 0);  // plate frame; m about the surface centre
      bool cop_defined = true;
      switch (plate.type) {
        case 1: {
          // TYPE-1: Fx Fy Fz, COP x y (from the surface centre) and free moment Tz.
          f << ch[0], ch[1], ch[2];
          cop << ch[3], ch[4], 0.0;
          tz << 0.0, 0.0, ch[5];
          m = cop.cross(f) + tz;
          break;
        }
        case 3: {
          // TYPE-3 (Kistler, 8 channels fx12 fx34 fy14 fy23 fz1..fz4) with sensor offsets
          // a = ORIGIN x, b = ORIGIN y, az0 = ORIGIN z (Kistler "Force plate formulae";
          // C3D User Guide "TYPE-3"):
          //   F = (fx12 + fx34, fy14 + fy23, fz1 + fz2 + fz3 + fz4)
          //   Mx = b (fz1 + fz2 - fz3 - fz4),  My = a (-fz1 + fz2 + fz3 - fz4),
          //   Mz = b (-fx12 + fx34) + a (fy14 - fy23),
          // then moved to the surface: Mx' = Mx + Fy az0, My' = My - Fx az0.
          const double a = o.x(), b = o.y(), az0 = o.z();
          f << ch[0] + ch[1], ch[2] + ch[3], ch[4] + ch[5] + ch[6] + ch[7];
          m << b * (ch[4] + ch[5] - ch[6] - ch[7]), a * (ch[5] + ch[6] - ch[4] - ch[7]),
              b * (ch[1] - ch[0]) + a * (ch[2] - ch[3]);
          m += f.cross(Vector3d(0, 0, az0));
          break;
        }
        default: {
          // TYPE-2: Fx Fy Fz Mx My Mz about the plate origin; TYPE-4: the same after the
          // calibration matrix. Moved to the surface centre: M_c = M_o + F x ORIGIN.
          Eigen::Matrix<double, 6, 1> raw;
          for (int k = 0; k < 6; ++k) raw(k) = ch[k];
          if (plate.type == 4) raw = plate.cal_matrix * raw;
          f = raw.head<3>();
          m = raw.tail<3>() + f.cross(o);
          break;
        }
      }
      if (plate.type != 1) {
        // COP on the surface (z = 0 in surface coordinates): the moment about the COP has no
        // x, y component, so COPx = -My / Fz, COPy = Mx / Fz; free moment Tz = M_c + F x COP.
        if (std::abs(f.z()) <= options.cop_min_force || f.z() == 0.0) {
          cop_defined = false;
        } else {
          cop << -m.y() / f.z(), m.x() / f.z(), 0.0;
          if (plate.type == 3) {
            const double cx = cop.x(), cy = cop.y();
            const double cx2 = cx * cx, cy2 = cy * cy;
            cop.x() -= (poly[0] * cy2 * cy2 + poly[1] * cy2 + poly[2]) * cx2 * cx +
                       (poly[3] * cy2 * cy2 + poly[4] * cy2 + poly[5]) * cx;
            cop.y() -= (poly[6] * cx2 * cx2 + poly[7] * cx2 + poly[8]) * cy2 * cy +
                       (poly[9] * cx2 * cx2 + poly[10] * cx2 + poly[11]) * cy;
          }
          tz = m + f.cross(cop);
        }
      } else if (std::abs(f.z()) <= options.cop_min_force) {
        cop_defined = false;
      }
      if (!cop_defined) {
        cop.setZero();
        tz.setZero();
      }
      plate.force.row(s) = (R * f).transpose();
      plate.moment_at_centre.row(s) = (R * m).transpose();
      plate.cop.row(s) = (R * cop + plate.centre).transpose();
      plate.free_moment.row(s) = (R * tz).transpose();
    }
    plates.push_back(std::move(plate));
  }
  return plates;
}

}  // namespace femur::io
