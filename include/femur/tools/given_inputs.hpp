// Inputs a caller already holds in memory, given to a tool instead of the files its setup
// names: the Python functions femur.forward, femur.cmc and femur.rra pass a Model (a scaled or
// edited one that has no file), Tables and ControlSets this way. Each input given replaces
// the setup element that would name its file; the rest of the setup is read as usual.
//
//   tools::GivenInputs given;
//   given.model = &scaled_model;  given.model_label = "femur.cmc(model=Model 'subject01')";
//   tools::CmcPrepared p = tools::prepare_cmc(setup, /*rra=*/false, warnings, given);
#pragma once

#include <string>

#include "femur/io/control_set.hpp"
#include "femur/io/table.hpp"
#include "femur/model/model.hpp"

namespace femur::tools {

struct GivenInputs {
  // Replaces <model_file>; it must already hold its reserve actuators (<force_set_files> must
  // be empty: a built Model takes no more force sets).
  const Model* model = nullptr;
  std::string model_label;       // how messages name the model, e.g. "Model 'arm26'"
  // Replaces <desired_kinematics_file> (CMC, RRA) or <states_file> (Forward).
  const io::Table* kinematics = nullptr;
  std::string kinematics_label;  // how messages name the table
  // Forward: the controls of one more ControlSetController (after those of the setup).
  const io::ControlSet* controls = nullptr;
  // Replaces the <datafile> the ExternalLoads of <external_loads_file> names.
  const io::Table* external_loads_data = nullptr;
};

}  // namespace femur::tools
