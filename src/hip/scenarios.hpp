// Internal to the hip layer: the scenarios, one src/hip/scenario_<name>.cpp each, in the order
// `femur demo` runs them (the registry, src/hip/scenario.cpp).
#pragma once

#include "femur/hip/scenario.hpp"

namespace femur::hip::detail {

ScenarioInfo muscle_roles_scenario();
ScenarioInfo glute_med_weakness_scenario();
ScenarioInfo glute_inhibition_scenario();
ScenarioInfo straight_leg_raise_scenario();
ScenarioInfo resisted_hip_flexion_scenario();
ScenarioInfo sitting_hip_flexors_scenario();
ScenarioInfo elderly_step_length_scenario();
ScenarioInfo runner_vs_cyclist_scenario();
ScenarioInfo sciatic_stretch_scenario();
ScenarioInfo hip_flexor_injury_scenario();
ScenarioInfo hip_contact_gait_scenario();
ScenarioInfo hip_flexors_gait_scenario();  // long_running: not in femur demo

}  // namespace femur::hip::detail
