#include "support/models.hpp"

#include <algorithm>
#include <random>

#include "femur/io/osim_reader.hpp"
#include "femur/model/model_builder.hpp"
#include "support/test_data.hpp"

namespace femur::test {
namespace {

BodySpec body(const std::string& name, double mass, const Vec3& com, const Vec3& moments) {
  BodySpec b;
  b.name = name;
  b.mass = mass;
  b.com_in_body = com;
  b.inertia_about_com = moments.asDiagonal();
  b.inertia_about_com(0, 1) = b.inertia_about_com(1, 0) = 0.1 * moments.minCoeff();
  return b;
}

Coordinate coordinate(const std::string& name, double lo, double hi, MotionType type = MotionType::Rotational) {
  Coordinate c;
  c.name = name;
  c.range_min = lo;
  c.range_max = hi;
  c.motion_type = type;
  return c;
}

Transform frame(const Vec3& p, const Vec3& xyz) { return {body_fixed_xyz(xyz), p}; }

JointSpec joint(const std::string& name, JointType type, const std::string& parent, const std::string& child,
                const Transform& X_parent_F, const Transform& X_child_M, std::vector<Coordinate> coords) {
  JointSpec j;
  j.name = name;
  j.type = type;
  j.parent_body = parent;
  j.child_body = child;
  j.X_parent_F = X_parent_F;
  j.X_child_M = X_child_M;
  j.coordinates = std::move(coords);
  return j;
}

}  // namespace

Model make_test_leg() {
  ModelBuilder b;
  b.set_name("test_leg");
  b.add_body(body("pelvis", 11.0, {-0.07, 0.0, 0.0}, {0.10, 0.09, 0.05}));
  b.add_body(body("femur", 8.8, {0.0, -0.17, 0.0}, {0.13, 0.03, 0.14}));
  b.add_body(body("tibia", 3.5, {0.0, -0.18, 0.0}, {0.05, 0.005, 0.05}));
  b.add_body(body("talus", 0.1, {0.0, 0.0, 0.0}, {0.001, 0.001, 0.001}));
  b.add_body(body("calcn", 1.25, {0.1, 0.03, 0.0}, {0.0014, 0.004, 0.004}));
  b.add_body(body("toes", 0.2, {0.03, 0.006, -0.01}, {0.0001, 0.0002, 0.0001}));
  b.add_body(body("slider", 0.5, {0.01, 0.02, 0.0}, {0.001, 0.002, 0.003}));
  b.add_body(body("plate", 0.7, {0.0, 0.01, 0.02}, {0.002, 0.001, 0.003}));
  b.add_body(body("weld", 0.3, {0.02, 0.0, 0.01}, {0.001, 0.001, 0.001}));

  b.add_joint(joint("ground_pelvis", JointType::Free, "ground", "pelvis", frame({0, 0.9, 0}, {0, 0, 0}),
                    frame({0, 0, 0}, {0, 0, 0}),
                    {coordinate("pelvis_rx", -1, 1), coordinate("pelvis_ry", -1, 1), coordinate("pelvis_rz", -1, 1),
                     coordinate("pelvis_tx", -1, 1, MotionType::Translational),
                     coordinate("pelvis_ty", -1, 1, MotionType::Translational),
                     coordinate("pelvis_tz", -1, 1, MotionType::Translational)}));
  b.add_joint(joint("hip", JointType::Ball, "pelvis", "femur", frame({-0.07, -0.066, 0.083}, {0.1, 0, 0}),
                    frame({0.01, 0.02, 0}, {0, 0.2, 0}),
                    {coordinate("hip_x", -1, 1), coordinate("hip_y", -1, 1), coordinate("hip_z", -1, 1)}));

  // Knee: rotation about z by the knee angle, translations along x and y as splines of it.
  JointSpec knee = joint("knee", JointType::Custom, "femur", "tibia", frame({0, -0.4, 0}, {0, 0, 0}),
                         frame({0, 0, 0}, {0, 0, 0}), {coordinate("knee_angle", -2.09, 0.17)});
  const std::vector<double> kx{-2.0944, -1.7453, -1.3963, -1.0472, -0.6981, -0.3491, -0.1745, 0.0, 0.1745};
  knee.axes[0] = {Vec3::UnitZ(), Function::linear(1.0, 0.0), "knee_angle"};
  knee.axes[1] = {Vec3::UnitX(), Function::constant(0.0), ""};
  knee.axes[2] = {Vec3::UnitY(), Function::constant(0.0), ""};
  knee.axes[3] = {Vec3::UnitX(),
                  Function::simm_spline(kx, {-0.0032, 0.00179, 0.00411, 0.0041, 0.00212, -0.001, -0.0031, -0.00525, -0.0075}),
                  "knee_angle"};
  knee.axes[4] = {Vec3::UnitY(),
                  Function::simm_spline(kx, {-0.4226, -0.4082, -0.399, -0.3976, -0.4004, -0.4039, -0.4074, -0.4104, -0.4118}),
                  "knee_angle"};
  knee.axes[5] = {Vec3::UnitZ(), Function::constant(0.0), ""};
  b.add_joint(knee);

  b.add_joint(joint("ankle", JointType::Pin, "tibia", "talus", frame({0, -0.43, 0}, {0.175, -0.105, 0.0}),
                    frame({0, 0, 0}, {0.175, -0.105, 0.0}), {coordinate("ankle_angle", -0.7, 0.5)}));
  b.add_joint(joint("subtalar", JointType::Universal, "talus", "calcn", frame({-0.049, -0.042, 0.008}, {-1.77, 0.9, 1.79}),
                    frame({0, 0, 0}, {-1.77, 0.9, 1.79}), {coordinate("sub_a", -0.3, 0.3), coordinate("sub_b", -0.3, 0.3)}));
  b.add_joint(joint("mtp", JointType::Pin, "calcn", "toes", frame({0.179, -0.002, 0.001}, {-3.14, 0.62, 0}),
                    frame({0, 0, 0}, {-3.14, 0.62, 0}), {coordinate("mtp_angle", -0.5, 0.5)}));
  b.add_joint(joint("slide", JointType::Slider, "pelvis", "slider", frame({0.1, 0.1, 0.0}, {0.3, 0.2, 0.1}),
                    frame({0.01, 0, 0}, {0, 0, 0}), {coordinate("slide_x", -0.2, 0.2, MotionType::Translational)}));
  b.add_joint(joint("planar", JointType::Planar, "slider", "plate", frame({0, 0.05, 0}, {0, 0.4, 0}),
                    frame({0, 0, 0.02}, {0, 0, 0.3}),
                    {coordinate("plane_rz", -1, 1), coordinate("plane_tx", -0.1, 0.1, MotionType::Translational),
                     coordinate("plane_ty", -0.1, 0.1, MotionType::Translational)}));
  b.add_joint(joint("weld", JointType::Weld, "tibia", "weld", frame({0.03, -0.1, 0.0}, {0.2, 0.1, 0.0}),
                    frame({0, 0, 0}, {0, 0, 0}), {}));
  MarkerSpec m;
  m.name = "toe_tip";
  m.body = "toes";
  m.location = {0.05, 0.0, 0.01};
  b.add_marker(m);
  return std::move(b).build();
}

Model load_opensim_model(const std::string& relative) {
  return io::read_osim(opensim_file(relative));
}

State random_state(const Model& model, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0), sym(-1.0, 1.0);
  State s;
  s.q.resize(model.nq);
  s.qdot.resize(model.nv);
  s.qddot.resize(model.nv);
  for (int k = 0; k < model.nq; ++k) {
    const Coordinate& c = model.coordinates[k];
    const double lo = std::max(c.range_min, -1.0), hi = std::min(c.range_max, 1.0);
    s.q[k] = lo + (hi - lo) * unit(rng);
    s.qdot[k] = 2.0 * sym(rng);
    s.qddot[k] = 5.0 * sym(rng);
  }
  return s;
}

}  // namespace femur::test
