// Muscle parameters: OpenSim's defaults per kind, messages for bad values, and MuscleSet's
// run-time changes (reading them from .osim files: tests/io/osim_forces_test.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "femur/io/osim_reader.hpp"
#include "femur/model/model.hpp"
#include "femur/muscle/muscle_model.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

MuscleParameters with(MuscleKind kind, void (*change)(MuscleParameters&)) {
  MuscleParameters p = default_muscle_parameters(kind);
  p.name = "vasti_r";
  change(p);
  return p;
}

std::string message_of(const MuscleParameters& p) {
  try {
    validate_muscle_parameters(p);
  } catch (const std::invalid_argument& x) {
    return x.what();
  }
  return "";
}

TEST(MuscleParameters, DefaultsAreOpenSimsPerKind) {
  const MuscleParameters t = default_muscle_parameters(MuscleKind::Thelen2003);
  EXPECT_EQ(t.max_isometric_force, 1000.0);
  EXPECT_EQ(t.optimal_fiber_length, 0.1);
  EXPECT_EQ(t.tendon_slack_length, 0.2);
  EXPECT_EQ(t.default_fiber_length, 0.1);
  EXPECT_EQ(t.activation_time_constant, 0.015);
  EXPECT_EQ(t.deactivation_time_constant, 0.050);
  EXPECT_EQ(t.fmax_tendon_strain, 0.04);
  EXPECT_EQ(t.flen, 1.4);
  EXPECT_EQ(t.min_control, 0.01);  // Thelen2003Muscle: setMinControl(minimum_activation)
  EXPECT_DOUBLE_EQ(t.maximum_pennation_angle, std::acos(0.1));
  const MuscleParameters m = default_muscle_parameters(MuscleKind::Millard2012);
  EXPECT_EQ(m.activation_time_constant, 0.010);
  EXPECT_EQ(m.deactivation_time_constant, 0.040);
  EXPECT_EQ(m.fiber_damping, 0.1);
  EXPECT_EQ(m.active_force_length.transition_norm_fiber_length, 0.73);
  EXPECT_EQ(m.tendon_force_length.strain_at_one_norm_force, 0.049);
  const MuscleParameters d = default_muscle_parameters(MuscleKind::DeGrooteFregly2016);
  EXPECT_EQ(d.default_activation, 0.5);
  EXPECT_EQ(d.deactivation_time_constant, 0.060);
  EXPECT_EQ(d.fiber_damping, 0.0);
  EXPECT_EQ(muscle_kind_from_type("Millard2012EquilibriumMuscle"), MuscleKind::Millard2012);
  EXPECT_FALSE(muscle_kind_from_type("CoordinateActuator").has_value());
}

TEST(MuscleParameters, BadValuesNameTheMuscleAndTheProperty) {
  EXPECT_EQ(message_of(with(MuscleKind::Thelen2003, [](MuscleParameters& p) { p.optimal_fiber_length = 0; })),
            "muscle 'vasti_r': optimal_fiber_length must be positive, got 0.000000");
  EXPECT_EQ(message_of(with(MuscleKind::Thelen2003, [](MuscleParameters& p) { p.max_isometric_force = -5; })),
            "muscle 'vasti_r': max_isometric_force must not be negative, got -5.000000");
  EXPECT_EQ(message_of(with(MuscleKind::Thelen2003, [](MuscleParameters& p) { p.pennation_angle_at_optimal = 1.6; })),
            "muscle 'vasti_r': pennation_angle_at_optimal must be in [0, pi/2), got 1.600000");
  EXPECT_EQ(message_of(with(MuscleKind::Thelen2003, [](MuscleParameters& p) { p.minimum_activation = 0; })),
            "muscle 'vasti_r': minimum_activation must be at least 0.01 for Thelen2003Muscle, got 0.000000");
  EXPECT_EQ(message_of(with(MuscleKind::Millard2012,
                            [](MuscleParameters& p) { p.fiber_force_length.curviness = 0.5; })),
            "muscle 'vasti_r': FiberForceLengthCurve optional stiffness_at_low_force, stiffness_at_one_norm_force "
            "and curviness must all be set or all be empty");
  EXPECT_EQ(message_of(with(MuscleKind::DeGrooteFregly2016, [](MuscleParameters&) {})), "");
  // Only the Thelen minimum-activation rule waits for the muscle model (OpenSim refuses it
  // when it builds the system); every other problem is refused when the model is loaded.
  const auto problems =
      check_muscle_parameters(with(MuscleKind::Thelen2003, [](MuscleParameters& p) { p.minimum_activation = 0; }));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_FALSE(problems[0].at_load);
  EXPECT_TRUE(check_muscle_parameters(with(MuscleKind::Thelen2003, [](MuscleParameters& p) { p.af = 0; }))[0].at_load);
}

TEST(MuscleSet, HoldsEveryMuscleInForceSetOrder) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = io::read_osim(test::opensim_file("Models/Gait2392_Simbody/gait2392_millard2012muscle.osim"));
  const MuscleSet set(model);
  ASSERT_EQ(set.size(), 92);
  int previous = -1;
  for (int i = 0; i < set.size(); ++i) {
    EXPECT_GT(set.force_index(i), previous);
    previous = set.force_index(i);
    EXPECT_EQ(model.forces[set.force_index(i)].name, set.parameters(i).name);
    EXPECT_EQ(set.parameters(i).kind, MuscleKind::Millard2012);
  }
  EXPECT_EQ(set.parameters(0).name, "glut_med1_r");
}

TEST(MuscleSet, RunTimeChangesRebuildTheMuscleAndAreChecked) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = io::read_osim(test::opensim_file("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim"));
  MuscleSet set(model);
  const int i = set.index("glut_med1_r");
  ASSERT_GE(i, 0);
  const auto p0 = set.parameters(i);
  const double L = p0.tendon_slack_length + p0.optimal_fiber_length;
  MuscleState s0, s1;
  rigid_tendon_state(set.model(i), L, 0.0, 1.0, s0);
  set.set_max_isometric_force_scale("glut_med1_r", 0.5);
  set.set_max_isometric_force_scale("glut_med1_r", 0.5);  // relative to the model's value
  EXPECT_DOUBLE_EQ(set.parameters(i).max_isometric_force, 0.5 * p0.max_isometric_force);
  rigid_tendon_state(set.model(i), L, 0.0, 1.0, s1);
  EXPECT_NEAR(s1.tendon_force, 0.5 * s0.tendon_force, 1e-9 * s0.tendon_force);
  // A tighter (shorter) tendon stretches the fiber: more passive force.
  set.set_tendon_slack_length(i, 0.9 * p0.tendon_slack_length);
  rigid_tendon_state(set.model(i), L, 0.0, 0.01, s1);
  EXPECT_GT(s1.passive_fiber_force, s0.passive_fiber_force);
  set.set_optimal_fiber_length(i, 0.8 * p0.optimal_fiber_length);
  EXPECT_DOUBLE_EQ(set.parameters(i).optimal_fiber_length, 0.8 * p0.optimal_fiber_length);
  // The model's values stay readable after the changes.
  EXPECT_EQ(set.model_parameters(i).optimal_fiber_length, p0.optimal_fiber_length);
  EXPECT_EQ(set.model_parameters(i).tendon_slack_length, p0.tendon_slack_length);
  EXPECT_EQ(set.model_parameters(i).max_isometric_force, p0.max_isometric_force);
  set.set_activation_bounds("glut_med1_r", 0.02, 0.6);
  EXPECT_EQ(set.parameters(i).min_control, 0.02);
  EXPECT_EQ(set.parameters(i).max_control, 0.6);
  EXPECT_THROW(set.set_optimal_fiber_length(i, 0.0), std::invalid_argument);
  EXPECT_THROW(set.set_max_isometric_force_scale(i, -1.0), std::invalid_argument);
  EXPECT_THROW(set.set_activation_bounds(i, 0.7, 0.6), std::invalid_argument);
  EXPECT_THROW(set.set_tendon_slack_length("no_such_muscle", 0.1), std::invalid_argument);
  // A rejected change leaves the muscle as it was.
  EXPECT_DOUBLE_EQ(set.parameters(i).optimal_fiber_length, 0.8 * p0.optimal_fiber_length);
}

}  // namespace
}  // namespace femur
