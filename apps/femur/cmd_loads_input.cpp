// --external-loads shared by femur id and femur inverse (loads_input.hpp).
#include "loads_input.hpp"

#include <stdexcept>

#include "femur/io/table.hpp"

namespace femur::cli {

io::ExternalLoads read_loads_input(const std::string& file, io::OutputFiles& outputs,
                                   std::vector<std::string>& warnings) {
  io::ExternalLoads xml;
  if (file.empty()) return xml;
  xml = io::read_external_loads(file, &warnings);
  if (xml.datafile.empty() && !xml.forces.empty())
    throw std::runtime_error(file + ": names no <datafile> for its forces");
  outputs.add_input(xml.datafile.path);
  return xml;
}

tools::ExternalLoadsData bind_loads_input(const Model& model, const std::string& file, const io::ExternalLoads& xml,
                                          std::vector<std::string>& warnings) {
  if (file.empty()) return {};
  io::Table table;
  if (!xml.datafile.empty()) table = io::read_sto(xml.datafile.path);  // beside the loads file
  return tools::bind_external_loads(model, xml, table, &warnings);
}

}  // namespace femur::cli
