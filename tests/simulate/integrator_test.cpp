// Runge-Kutta-Merson with Simbody's error control: a passive double pendulum conserves its
// energy to the integrator's tolerance, the global error falls in proportion to the
// tolerance, the error norm weights speeds and auxiliary states as Simbody does, the
// step limit stops a run with a message, and a step change of a control costs no rejected
// step when the run lands on it.
#include <gtest/gtest.h>

#include <cmath>

#include "femur/dynamics/crba.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/model/model_builder.hpp"
#include "femur/simulate/integrator.hpp"
#include "femur/simulate/simulate.hpp"

namespace femur {
namespace {

// Two links of 1 kg and 1 m swinging about z under gravity, released from rest at 90 and 0
// degrees: chaotic enough that a poor integrator shows.
Model double_pendulum() {
  ModelBuilder b;
  b.set_name("double_pendulum");
  for (const char* name : {"upper", "lower"}) {
    BodySpec body;
    body.name = name;
    body.mass = 1.0;
    body.com_in_body = Vec3(0, -0.5, 0);
    body.inertia_about_com = Vec3(1.0 / 12, 1e-3, 1.0 / 12).asDiagonal();
    b.add_body(body);
  }
  for (int i = 0; i < 2; ++i) {
    JointSpec j;
    j.name = i == 0 ? "shoulder" : "elbow";
    j.type = JointType::Pin;
    j.parent_body = i == 0 ? "ground" : "upper";
    j.child_body = i == 0 ? "upper" : "lower";
    if (i == 1) j.X_parent_F.p = Vec3(0, -1, 0);
    Coordinate c;
    c.name = i == 0 ? "q1" : "q2";
    c.default_value = i == 0 ? M_PI / 2 : 0.0;
    j.coordinates.push_back(c);
    b.add_joint(j);
  }
  return std::move(b).build();
}

double energy(const Model& model, const Eigen::VectorXd& y) {
  Data data(model);
  const Eigen::VectorXd q = y.head(model.nq), u = y.segment(model.nq, model.nv);
  const Eigen::MatrixXd M = crba(model, data, q);
  forward_kinematics(model, data, q);
  double potential = 0.0;
  for (size_t b = 1; b < model.bodies.size(); ++b)
    potential -= model.bodies[b].mass * model.gravity.dot(point_in_ground(model, data, static_cast<int>(b),
                                                                          model.bodies[b].com_in_body));
  return 0.5 * u.dot(M * u) + potential;
}

sim::Trajectory run(const Model& model, double accuracy, double t1 = 2.0) {
  const sim::System system = sim::make_system(model, {});
  sim::Workspace ws(system);
  sim::SimulationSettings s;
  s.initial_time = 0.0;
  s.final_time = t1;
  s.accuracy = accuracy;
  s.minimum_step = 0.0;
  s.maximum_steps = 1000000;
  return sim::simulate(system, ws, sim::default_state(model, system.muscles, system.layout), s);
}

TEST(RungeKuttaMerson, PassivePendulumConservesEnergyToTheTolerance) {
  const Model model = double_pendulum();
  for (double accuracy : {1e-5, 1e-7}) {
    const sim::Trajectory traj = run(model, accuracy);
    // Released from rest with both centres of mass at the pivot's height, E = 0; the kinetic
    // energy it trades with gravity (peak ~20 J) sets the scale.
    const double e0 = energy(model, traj.states.front());
    double drift = 0.0, scale = 0.0;
    for (const Eigen::VectorXd& y : traj.states) {
      const double e = energy(model, y);
      drift = std::max(drift, std::abs(e - e0));
      Eigen::VectorXd at_rest = y;
      at_rest.segment(model.nq, model.nv).setZero();
      scale = std::max(scale, e - energy(model, at_rest));
    }
    std::printf("accuracy %.0e: %ld steps, energy drift %.2e J, peak kinetic energy %.2f J\n", accuracy,
                traj.statistics.steps, drift, scale);
    EXPECT_GT(scale, 5.0);
    // Measured 8.3e-5 J at 1e-5 and 7.5e-7 J at 1e-7 of a 19.6 J peak: 0.42 and 0.38 x
    // accuracy x peak.
    EXPECT_LT(drift, accuracy * scale) << accuracy;
    EXPECT_GT(traj.statistics.steps, 10);
  }
}

TEST(RungeKuttaMerson, GlobalErrorFallsWithTheTolerance) {
  const Model model = double_pendulum();
  const Eigen::VectorXd exact = run(model, 1e-12, 1.0).states.back();
  double previous = 1.0;
  std::vector<double> errors;
  for (double accuracy : {1e-4, 1e-5, 1e-6, 1e-7, 1e-8}) {
    const sim::Trajectory traj = run(model, accuracy, 1.0);
    const double e = (traj.states.back() - exact).cwiseAbs().maxCoeff();
    std::printf("accuracy %.0e: %4ld steps, %3ld rejected, final error %.2e (%.2f x accuracy)\n", accuracy,
                traj.statistics.steps, traj.statistics.attempts - traj.statistics.steps, e, e / accuracy);
    EXPECT_LT(e, previous) << accuracy;
    // The local error per step is held at the tolerance, so the global error over a second
    // stays within a small multiple of it: 1.5-3.9 x measured.
    EXPECT_LT(e, 10 * accuracy) << accuracy;
    previous = e;
    errors.push_back(e);
  }
  // Over four decades of tolerance the error falls by at least three.
  EXPECT_LT(errors.back() / errors.front(), 1e-3);
}

TEST(RungeKuttaMerson, ErrorNormWeighsSpeedsAndAuxiliaryStatesRelativeAboveOne) {
  sim::IntegratorSettings s;
  s.nq = 1;
  s.nu = 2;
  sim::RungeKuttaMerson rk([](double, const Eigen::VectorXd&, Eigen::VectorXd& ydot) { ydot.setZero(); }, s, 5);
  Eigen::VectorXd y(5), e(5);
  y << 10, 0.5, 4, 0.2, 8;  // q | u u | z z
  e << 1e-3, 2e-3, 4e-3, 3e-3, 8e-3;
  // q: unit weight; u: 2e-3 (|u| <= 1) and 4e-3 / 4; z: 3e-3 and 8e-3 / 8. Largest RMS: u.
  const double q = 1e-3, u = std::sqrt((4e-6 + 1e-6) / 2), z = std::sqrt((9e-6 + 1e-6) / 2);
  EXPECT_NEAR(rk.error_norm(e, y), std::max({q, u, z}), 1e-15);
}

TEST(RungeKuttaMerson, StepLimitStopsTheRunNamingTheTimeReached) {
  const Model model = double_pendulum();
  const sim::System system = sim::make_system(model, {});
  sim::Workspace ws(system);
  sim::SimulationSettings s;
  s.final_time = 2.0;
  s.accuracy = 1e-9;
  s.maximum_steps = 50;
  try {
    sim::simulate(system, ws, sim::default_state(model, system.muscles, system.layout), s);
    FAIL() << "expected the step limit";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("maximum_number_of_integrator_steps (50) reached at t = "), std::string::npos)
        << e.what();
  }
}

// y' = u(t) with u a step from 0 to 1 at t = 0.5: stepping across the jump forces rejections
// down to the minimum step (where Simbody accepts whatever the error); landing on it does not.
TEST(RungeKuttaMerson, LandingOnAControlJumpAvoidsRejections) {
  auto f = [](double t, const Eigen::VectorXd&, Eigen::VectorXd& ydot) { ydot[0] = t > 0.5 ? 1.0 : 0.0; };
  sim::IntegratorSettings s;
  s.accuracy = 1e-8;
  s.minimum_step = 1e-6;
  auto integrate = [&](bool land) {
    sim::RungeKuttaMerson rk(f, s, 1);
    rk.initialize(0.0, Eigen::VectorXd::Zero(1));
    while (rk.time() < 1.0) {
      const double target = land && rk.time() < 0.5 ? 0.5 : 1.0;
      rk.step(target);
      if (land && rk.time() == 0.5) rk.restart_after_discontinuity();
    }
    return std::make_pair(rk.statistics(), rk.state()[0]);
  };
  const auto [across, y_across] = integrate(false);
  const auto [landed, y_landed] = integrate(true);
  EXPECT_GT(across.attempts - across.steps, 3);
  EXPECT_EQ(landed.attempts - landed.steps, 0);
  EXPECT_NEAR(y_landed, 0.5, 1e-12);
  EXPECT_NEAR(y_across, 0.5, 1e-4);
}

}  // namespace
}  // namespace femur
