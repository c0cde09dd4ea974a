// --external-loads as femur id and femur inverse take it (cmd_loads_input.cpp): the
// ExternalLoads file read before any work, then bound to the model with its data file.
#pragma once

#include <string>
#include <vector>

#include "femur/io/external_loads.hpp"
#include "femur/io/output_files.hpp"
#include "femur/model/model.hpp"
#include "femur/tools/external_loads.hpp"

namespace femur::cli {

// Reads the ExternalLoads `file` (none when empty) and makes its data file an input of
// `outputs`, so that no output is written over it. Forces without a <datafile> are an error
// naming `file`.
io::ExternalLoads read_loads_input(const std::string& file, io::OutputFiles& outputs,
                                   std::vector<std::string>& warnings);

// The loads of `file` (as read_loads_input gave them) bound to `model`, their data file read
// (a path beside the loads file). Empty `file`: no loads.
tools::ExternalLoadsData bind_loads_input(const Model& model, const std::string& file, const io::ExternalLoads& xml,
                                          std::vector<std::string>& warnings);

}  // namespace femur::cli
