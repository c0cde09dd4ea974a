// The state vector of a musculoskeletal simulation, y = [q | u | z]: the coordinates, their
// speeds, and each muscle's auxiliary states in MuscleSet order (its activation unless it
// ignores activation dynamics; its fiber length, or DeGrooteFregly2016's normalized tendon
// force, unless its tendon is rigid). Thelen2003Muscle always has both (it ignores
// ignore_tendon_compliance, OPENSIM-NOTES.md B.0).
//
// Names are OpenSim 4's state variable paths (/jointset/hip_r/hip_flexion_r/value, .../speed,
// /forceset/glmax1_r/activation, .../fiber_length, .../normalized_tendon_force); states files
// written by OpenSim 3 (hip_flexion_r, hip_flexion_r_u, glmax1_r.activation) are read too.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/io/table.hpp"
#include "femur/model/model.hpp"
#include "femur/muscle/muscle_model.hpp"

namespace femur::sim {

enum class FiberState { none, fiber_length, normalized_tendon_force };

struct StateLayout {
  int nq = 0, nv = 0, nz = 0;
  // Per muscle (MuscleSet order): index into y of its activation and of its fiber state, -1
  // when the muscle has none.
  std::vector<int> activation, fiber;
  std::vector<FiberState> fiber_kind;
  // Per y entry: OpenSim 4's state variable name; and y indices in the order OpenSim lists its
  // state variables (each coordinate's value then speed, then each muscle's states).
  std::vector<std::string> names;
  std::vector<int> opensim_order;

  int size() const { return nq + nv + nz; }
};

StateLayout make_state_layout(const Model& model, const MuscleSet& muscles);

// Model defaults: coordinate default values and speeds, each muscle's default_activation,
// default_fiber_length or default_normalized_tendon_force.
Eigen::VectorXd default_state(const Model& model, const MuscleSet& muscles, const StateLayout& layout);

// Which table column (if any) holds each state: the OpenSim 4 name, else the OpenSim 3 name
// (coordinate, <coordinate>_u, <muscle>.activation, <muscle>.fiber_length). -1 when absent.
std::vector<int> state_columns(const Model& model, const MuscleSet& muscles, const StateLayout& layout,
                               const io::Table& table);

// The state in row `row` of a states table (Model::formStateStorage): columns found by
// state_columns, states without a column keep their value in `y` (the defaults). Throws
// std::invalid_argument for a table in degrees (OpenSim rejects them too).
void state_from_row(const std::vector<int>& columns, const io::Table& table, int row, Eigen::VectorXd& y);

// OpenSim 3 style name of a state (hip_flexion_r, hip_flexion_r_u, glmax1_r.activation).
std::string opensim3_state_name(const Model& model, const MuscleSet& muscles, const StateLayout& layout, int index);

}  // namespace femur::sim
