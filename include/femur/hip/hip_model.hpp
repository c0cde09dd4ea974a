// femur's built-in hip, pelvis and low-back model: pelvis (6 DoF to ground), torso on a
// 3-DoF lumbar joint at L5/S1, and two legs (3-DoF hip, knee with the tibiofemoral
// translations of Yamaguchi & Zajac 1989, ankle, subtalar, mtp), driven by 98
// DeGrooteFregly2016 muscles, 49 per side: 43 spanning hip, knee and ankle, and the trunk
// (erector spinae, multifidus, rectus abdominis, internal and external obliques, quadratus
// lumborum), and the sciatic nerve of each side as a path that applies no force. Every
// number cites its source in src/hip/hip_model*.cpp; models/README.md lists the sources and
// the licence (CC BY 3.0 credit for the gait2392 numbers).
//
//   femur::Model model = femur::hip::build_hip_model();
//   femur::io::write_osim(model, "femur_hip.osim");   // the shipped models/femur_hip.osim
#pragma once

#include <string>
#include <vector>

#include "femur/model/model.hpp"

namespace femur::hip {

// The model's name (Model::name) and the mass of the subject it represents (kg): the
// segment masses of gait2392 (Delp et al. 1990; Anderson & Pandy 1999), a 75 kg adult.
inline constexpr const char* kHipModelName = "femur_hip";
inline constexpr double kHipModelMass = 75.1646;

// The sciatic nerve of each side, a PathSpring that applies no force (appliesForce false,
// stiffness 0): a geometric path from the L4/L5 foramen through the greater sciatic notch,
// behind the hip and knee, behind the medial malleolus into the sole, whose length is the
// nerve bed's. resting_length is its length in the default (anatomical neutral) posture, so
// (L - resting_length) / resting_length is the nerve's mean strain from neutral.
inline constexpr const char* kSciaticNerveRight = "sciatic_nerve_r";
inline constexpr const char* kSciaticNerveLeft = "sciatic_nerve_l";

// Builds the model through ModelBuilder. Deterministic: every call gives the same Model.
Model build_hip_model();

// The muscle names of one side ('r' or 'l') whose paths span the hip (the pelvis-to-femur
// or pelvis-to-tibia muscles of the table), in table order. For tests and scenarios.
std::vector<std::string> hip_muscle_names(char side);

}  // namespace femur::hip
