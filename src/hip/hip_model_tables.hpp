// Internal to the hip layer: the tables build_hip_model() is assembled from. Points and
// muscles are given once, for the right side, in the body frames of the gait2392 model
// (x anterior, y superior, z to the right); the left side is their mirror image z -> -z.
#pragma once

#include <string>
#include <vector>

#include "femur/model/model.hpp"

namespace femur::hip::detail {

// One point of a muscle path. `body` is "pelvis" or "torso", or a leg segment without its
// side ("femur", "tibia", "talus", "calcn", "toes"); `coordinate` is side-less too
// ("knee_angle", "hip_flexion").
struct PointDef {
  PathPoint::Kind kind = PathPoint::Kind::Fixed;
  std::string body;
  Vec3 location = Vec3::Zero();
  std::string coordinate;             // Conditional: switching coordinate; Moving: driver
  double range_min = 0, range_max = 0;  // Conditional, radians
  std::vector<double> x_of_knee, y_of_knee;  // Moving: SimmSpline values at kPatellarKnots
  double z = 0;                              // Moving: constant z
};

struct MuscleDef {
  std::string name;  // without the side suffix
  double max_isometric_force = 0;   // N
  double optimal_fiber_length = 0;  // m
  double tendon_slack_length = 0;   // m
  double pennation_angle_at_optimal = 0;  // rad
  std::vector<PointDef> points;
};

// Knee angles (rad) at which the patellar-tendon insertions of the quadriceps are tabulated.
const std::vector<double>& patellar_knots();

// Every muscle of one side, in the order they appear in the model.
const std::vector<MuscleDef>& muscle_table();

// How many of the leading entries of muscle_table() span the hip.
int hip_muscle_count();

}  // namespace femur::hip::detail
