// --external-loads shared by femur id and femur inverse (loads_input.hpp).
#include "loads_input.hpp"

namespace femur::cli {

io::ExternalLoads read_loads_input(const std::string& file, io::OutputFiles& outputs,
                                   std::vector<std::string>& warnings) {
  if (file.empty()) return {};
  io::ExternalLoads xml = tools::read_external_loads_input(file, &warnings);
  outputs.add_input(xml.datafile.path);
  return xml;
}

tools::ExternalLoadsData bind_loads_input(const Model& model, const std::string& file, const io::ExternalLoads& xml,
                                          std::vector<std::string>& warnings) {
  if (file.empty()) return {};
  return tools::bind_external_loads(model, xml, tools::read_external_loads_data(xml), &warnings);
}

}  // namespace femur::cli
