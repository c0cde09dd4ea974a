// OpenSim-free references for wrapping paths (issue 22 item 6): the shared data has no
// WrapSphere or WrapTorus output, so whole paths over them are checked against geodesics
// known in closed form.
//
// - A sphere: the shortest path from P1 to P2 over a sphere of radius R centred at O is the
//   two tangent segments plus the great-circle arc between the tangent points, all in the
//   plane through O, P1 and P2:
//     L = sqrt(d1^2 - R^2) + sqrt(d2^2 - R^2) + R (phi - acos(R/d1) - acos(R/d2)),
//   with d_i = |P_i - O| and phi the angle P1 O P2. Only phi moves with a pin joint, so the
//   moment arm -dL/dq = -R dphi/dq is known exactly too.
// - A torus: a meridian of a surface of revolution is a geodesic, so a path lying in a
//   meridional plane that wraps the tube is the same tangent-arc-tangent length round the
//   tube's circle (radius = inner_radius, centre at outer_radius from the axis).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/model/data.hpp"
#include "femur/model/model_builder.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/wrap_geometry.hpp"

namespace femur {
namespace {

constexpr double kPi = std::numbers::pi;

double planar_wrap_length(double R, double d1, double d2, double phi) {
  return std::sqrt(d1 * d1 - R * R) + std::sqrt(d2 * d2 - R * R) + R * (phi - std::acos(R / d1) - std::acos(R / d2));
}

// Ground carries a sphere of radius R at the origin and the origin point P1; an "arm" on a
// pin joint about the ground z axis (through the sphere's centre) carries the insertion P2
// (given in the arm frame). A two-point Thelen muscle from P1 to P2 wraps the sphere.
Model sphere_model(double R, const Vec3& p1_in_ground, const Vec3& p2_in_arm) {
  ModelBuilder b;
  b.add_body(BodySpec{"arm", 1.0, Vec3(-0.05, 0, 0), Mat3::Identity() * 0.01, ""});
  JointSpec pin;
  pin.name = "pin";
  pin.type = JointType::Pin;
  pin.parent_body = "ground";
  pin.child_body = "arm";
  Coordinate q;
  q.name = "q";
  pin.coordinates = {q};
  b.add_joint(pin);
  WrapObject sphere;
  sphere.kind = WrapSurface::Kind::Sphere;
  sphere.name = "ball";
  sphere.radius = R;
  b.add_wrap_object(sphere, NameRef{"ground"});

  ForceSpec s;
  s.force.type = "Thelen2003Muscle";
  s.force.name = "m";
  MuscleParameters p = default_muscle_parameters(MuscleKind::Thelen2003);
  p.name = "m";
  s.force.part = p;
  GeometryPath path;
  path.points.resize(2);
  path.points[0].name = "m-P1";
  path.points[0].location = p1_in_ground;
  path.points[1].name = "m-P2";
  path.points[1].location = p2_in_arm;
  path.wraps.push_back(PathWrap{});
  s.force.path = path;
  s.point_bodies = {{"ground"}, {"arm"}};
  s.point_coordinates = {{""}, {""}};
  s.wrap_objects = {{"ball"}};
  b.add_force(s);
  return std::move(b).build();
}

// The closed-form length and moment arm about the pin (z through O) for P2(q) = Rz(q) p2.
struct Geodesic {
  double length, moment_arm;
  bool wraps;  // the chord P1 P2 cuts the sphere: phi > acos(R/d1) + acos(R/d2)
};
Geodesic sphere_geodesic(double R, const Vec3& p1, const Vec3& p2_in_arm, double q) {
  const Vec3 p2 = Eigen::AngleAxisd(q, Vec3::UnitZ()) * p2_in_arm;
  const double d1 = p1.norm(), d2 = p2.norm();
  const double c = p1.dot(p2) / (d1 * d2);
  const double phi = std::acos(c);
  // dphi/dq = -(dc/dq) / sin(phi), dc/dq = p1 . (z x p2) / (d1 d2).
  const double dc = p1.dot(Vec3::UnitZ().cross(p2)) / (d1 * d2);
  const double dphi = -dc / std::sin(phi);
  return {planar_wrap_length(R, d1, d2, phi), -R * dphi, phi > std::acos(R / d1) + std::acos(R / d2)};
}

TEST(WrapSpherePath, LengthAndMomentArmAreTheGreatCircleGeodesics) {
  const double R = 0.03;
  // In the plane of the pin (phi = pi - |q|, moment arm = R sign(q)) and out of it (the
  // great circle is then tilted; phi and its rate from the vectors).
  const Vec3 p1(0.1, 0.0, 0.0);
  for (const Vec3& p2 : {Vec3(-0.08, 0.0, 0.0), Vec3(-0.07, 0.01, 0.025)}) {
    const Model model = sphere_model(R, p1, p2);
    ASSERT_EQ(model.paths.size(), 1);
    Data data(model);
    PathData pd(model, model.paths);
    int wrapped = 0;
    double worst_length = 0.0, worst_arm = 0.0;
    for (double q = -0.65; q <= 0.651; q += 0.05) {
      if (std::abs(q) < 1e-9) continue;  // P1, O, P2 collinear: either side is a geodesic
      Eigen::VectorXd qv(1);
      qv[0] = q;
      compute_paths(model, model.paths, data, qv, pd);
      const Geodesic g = sphere_geodesic(R, p1, p2, q);
      if (!g.wraps) {  // the chord clears the sphere: a straight path
        EXPECT_NE(pd.wrap_status[0], WrapStatus::Wrapped) << q;
        continue;
      }
      ASSERT_EQ(pd.wrap_status[0], WrapStatus::Wrapped) << q;
      ++wrapped;
      worst_length = std::max(worst_length, std::abs(pd.length[0] - g.length));
      worst_arm = std::max(worst_arm, std::abs(pd.moment_arm(0, 0) - g.moment_arm));
      if (p2.z() == 0.0) {
        EXPECT_NEAR(g.moment_arm, R * (q > 0 ? 1 : -1), 1e-15);
      }
    }
    EXPECT_GE(wrapped, p2.z() == 0.0 ? 26 : 10);
    // Measured: lengths 5.6e-17 / 1.7e-16 m, moment arms 5.9e-16 / 1.7e-17 m (round-off).
    EXPECT_LT(worst_length, 1e-15) << p2.transpose();
    EXPECT_LT(worst_arm, 5e-15) << p2.transpose();
    std::printf("sphere path, P2 = (%g, %g, %g): %d wrapped, |dL| %.2g m, |dr| %.2g m\n", p2.x(), p2.y(),
                p2.z(), wrapped, worst_length, worst_arm);
  }
}

TEST(WrapSpherePath, AStraightPathWhenTheSegmentMissesTheSphere) {
  const double R = 0.03;
  const Vec3 p1(0.1, 0.0, 0.0), p2(-0.08, 0.0, 0.0);
  const Model model = sphere_model(R, p1, p2);
  Data data(model);
  PathData pd(model, model.paths);
  // phi = pi - |q| below acos(R/d1) + acos(R/d2): the chord clears the sphere.
  for (double q : {1.0, 1.5, -2.0}) {
    Eigen::VectorXd qv(1);
    qv[0] = q;
    compute_paths(model, model.paths, data, qv, pd);
    const Vec3 p2g = Eigen::AngleAxisd(q, Vec3::UnitZ()) * p2;
    EXPECT_NE(pd.wrap_status[0], WrapStatus::Wrapped) << q;
    EXPECT_NEAR(pd.length[0], (p2g - p1).norm(), 1e-15) << q;
  }
}

// Tangent-arc-tangent round the tube's circle in the meridional plane y = 0.
TEST(WrapTorusMeridian, PathInAMeridionalPlaneIsTheTubeCircleGeodesic) {
  WrapSurface torus;
  torus.kind = WrapSurface::Kind::Torus;
  torus.inner_radius = 0.01;  // tube
  torus.outer_radius = 0.05;  // centre circle
  const Vec3 centre(0.05, 0.0, 0.0);  // the tube's circle in the plane y = 0
  double worst = 0.0;
  int wrapped = 0;
  for (const auto& [p1, p2] : {std::pair{Vec3(0.045, 0, 0.08), Vec3(0.045, 0, -0.08)},
                              std::pair{Vec3(0.042, 0, 0.06), Vec3(0.047, 0, -0.09)},
                              std::pair{Vec3(0.04, 0, 0.05), Vec3(0.046, 0, -0.07)}}) {
    const WrapPoints w = wrap_segment(torus, WrapOptions{}, p1, p2);
    ASSERT_EQ(w.status, WrapStatus::Wrapped) << p1.transpose();
    ++wrapped;
    const Vec3 a = p1 - centre, b = p2 - centre;
    const double phi = std::acos(a.dot(b) / (a.norm() * b.norm()));
    const double exact = planar_wrap_length(0.01, a.norm(), b.norm(), phi);
    const double length = (w.r1 - p1).norm() + w.arc_length + (p2 - w.r2).norm();
    worst = std::max(worst, std::abs(length - exact));
    EXPECT_NEAR(w.r1.y(), 0.0, 1e-15);
    EXPECT_NEAR(w.r2.y(), 0.0, 1e-15);
  }
  EXPECT_EQ(wrapped, 3);
  std::printf("torus meridian: |dL| %.2g m\n", worst);
  EXPECT_LT(worst, 1e-15);  // measured 0 (the tube's circle is the cylinder OpenSim's torus wraps)
}

}  // namespace
}  // namespace femur
