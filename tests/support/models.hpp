// Models for tests: a hand-built leg-like tree that exercises every joint kind, and the
// shipped OpenSim models read in place.
#pragma once

#include <string>

#include "femur/model/model.hpp"

namespace femur::test {

// Pelvis on a free joint, a ball hip, a CustomJoint knee whose translations follow
// SimmSplines of the knee angle (as gait2392's), a pin ankle, a universal subtalar, a slider,
// a planar and a weld: every joint type the builder knows, with masses and offsets.
Model make_test_leg();

// An OpenSim model under the shared data folder, read with io::read_osim. Relative path,
// e.g. "Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim".
Model load_opensim_model(const std::string& relative);

// A reproducible state: q within each coordinate's range (or +-1), speeds and accelerations
// of moderate size.
struct State {
  Eigen::VectorXd q, qdot, qddot;
};
State random_state(const Model& model, unsigned seed);

}  // namespace femur::test
