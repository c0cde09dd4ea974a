// io/c3d_convert: the lab-axis rotations and the C3D -> TRC + GRF conversion as a library call
// (the CLI's end-to-end files are checked in c3d_test.cpp against OpenSim's own conversion).
#include "femur/io/c3d_convert.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include <Eigen/LU>
#include <gtest/gtest.h>

#include "support/test_data.hpp"

namespace femur::io {
namespace {

TEST(LabRotation, NamedUpAxisTurnsItToPlusY) {
  for (const char* up : {"X", "-X", "Y", "-Y", "Z", "-Z", "z", "-z"}) {
    SCOPED_TRACE(up);
    const Eigen::Matrix3d R = parse_lab_rotation(up);
    EXPECT_NEAR((R.transpose() * R - Eigen::Matrix3d::Identity()).norm(), 0.0, 1e-15);
    EXPECT_DOUBLE_EQ(R.determinant(), 1.0);
    Eigen::Vector3d axis = Eigen::Vector3d::Zero();
    const std::string s = up;
    const int i = std::tolower(s.back()) - 'x';
    axis[i] = s[0] == '-' ? -1.0 : 1.0;
    EXPECT_EQ(R * axis, Eigen::Vector3d::UnitY());  // exact: multiples of 90 degrees
  }
}

TEST(LabRotation, AxisDegreePairsApplyInOrder) {
  EXPECT_EQ(parse_lab_rotation("Z"), parse_lab_rotation("x:-90"));
  EXPECT_EQ(parse_lab_rotation("x,-90"), parse_lab_rotation("x:-90"));
  EXPECT_EQ(parse_lab_rotation(""), Eigen::Matrix3d::Identity());
  // x:-90 then y:90 = R_y(90) R_x(-90): +z -> +y (first) -> +y (y axis kept).
  const Eigen::Matrix3d R = parse_lab_rotation("x:-90;y:90");
  EXPECT_EQ(R * Eigen::Vector3d::UnitZ(), Eigen::Vector3d::UnitY());
  EXPECT_EQ(R * Eigen::Vector3d::UnitX(), -Eigen::Vector3d::UnitZ());
}

TEST(LabRotation, BadSpecificationsNameWhatIsWrong) {
  auto message = [](const std::string& spec) {
    try {
      parse_lab_rotation(spec);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("W"), "'W' is not an axis (X, -X, Y, -Y, Z, -Z) or AXIS:DEGREES");
  EXPECT_EQ(message("x:-90;y"), "'x:-90;y' must be AXIS:DEGREES pairs, e.g. x:-90 or x:-90;y:90");
  EXPECT_EQ(message("w:90"), "'w' in 'w:90' is not an axis x, y or z");
  EXPECT_EQ(message("x:ninety"), "'ninety' in 'x:ninety' is not an angle in degrees");
  EXPECT_EQ(message("x:inf"), "'inf' in 'x:inf' is not an angle in degrees");
}

TEST(ConvertC3d, RotatesMarkersAndPlatesAndConvertsPlateUnitsToMetres) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const C3dFile c3d = read_c3d(test::opensim_file("c3d/walking2.c3d"));
  C3dConversionOptions o;
  o.rotation = parse_lab_rotation("Z");
  const C3dConversion out = convert_c3d(c3d, o, "walking2.trc", "walking2_grf.mot");
  EXPECT_TRUE(out.warnings.empty());
  EXPECT_EQ(out.markers.name, "walking2.trc");
  EXPECT_EQ(out.markers.frames(), c3d.frames());
  EXPECT_EQ(out.markers.units, c3d.point_units);
  const int m = c3d.point_index("RTH1"), k = out.markers.marker("RTH1");
  for (int f : {210, 1000}) {
    const Eigen::Vector3d raw = c3d.points.block<1, 3>(f, 3 * m).transpose();
    EXPECT_EQ(out.markers.position(f, k), o.rotation * raw);
  }
  ASSERT_TRUE(out.grf.has_value());
  EXPECT_EQ(out.grf->name, "walking2_grf.mot");
  EXPECT_EQ(out.grf->labels.size(), 9 * c3d.force_plates.size());
  // Points in m: the raw centre of pressure is in the file's point units (mm).
  const double m_per_unit = c3d.metres_per_point_unit();
  const int s = 5548;
  const Eigen::Vector3d cop = c3d.force_plates[0].cop.row(s).transpose();
  const Eigen::Vector3d p = out.grf->data.block<1, 3>(s, out.grf->column("ground_force_px")).transpose();
  EXPECT_NEAR((p - m_per_unit * (o.rotation * cop)).norm(), 0.0, 1e-15);

  // Flipping negates forces and torques, not points.
  o.flip_forces = true;
  const C3dConversion flipped = convert_c3d(c3d, o);
  const int vy = out.grf->column("ground_force_vy"), py = out.grf->column("ground_force_py");
  EXPECT_EQ(flipped.grf->data(s, vy), -out.grf->data(s, vy));
  EXPECT_EQ(flipped.grf->data(s, py), out.grf->data(s, py));
}

TEST(ConvertC3d, WarnsWhenTheFloorIsNotUpAfterRotation) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const C3dFile c3d = read_c3d(test::opensim_file("c3d/walking2.c3d"));
  const C3dConversion out = convert_c3d(c3d, C3dConversionOptions{});  // lab z up left as is
  ASSERT_EQ(out.warnings.size(), 1u);
  EXPECT_NE(out.warnings[0].find("OpenSim expects +y up"), std::string::npos) << out.warnings[0];
}

}  // namespace
}  // namespace femur::io
