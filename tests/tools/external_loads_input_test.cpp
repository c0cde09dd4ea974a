// tools::read_external_loads_input / read_external_loads_data: an ExternalLoads file given on
// its own (a command's --external-loads, a Python argument), as femur id, inverse, track and
// predict and the Python functions read it.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "femur/tools/external_loads.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

fs::path walking(const std::string& f) { return test::opensim_file("Moco/example2DWalking/" + f); }

// referenceGRF.xml without its <datafile>.
fs::path loads_without_datafile() {
  std::ifstream in(walking("referenceGRF.xml"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string datafile = "<datafile>referenceGRF.sto</datafile>";
  const auto at = text.find(datafile);
  EXPECT_NE(at, std::string::npos);
  if (at != std::string::npos) text.erase(at, datafile.size());
  const fs::path file = test::temp_dir("loads-input-nodata") / "grf.xml";
  std::ofstream(file) << text;
  return file;
}

TEST(ExternalLoadsInput, ForcesWithoutADatafileAreAnErrorNamingTheFile) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path no_data = loads_without_datafile();
  for (bool require_data : {false, true}) {
    try {
      tools::read_external_loads_input(no_data, nullptr, require_data);
      FAIL() << "no error";
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), no_data.string() + ": names no <datafile> for its forces");
    }
  }
}

TEST(ExternalLoadsInput, ItsDataAreTheDatafileBesideIt) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const io::ExternalLoads xml = tools::read_external_loads_input(walking("referenceGRF.xml"), nullptr, true);
  ASSERT_EQ(xml.forces.size(), 2u);
  const io::Table data = tools::read_external_loads_data(xml);
  const io::Table direct = io::read_sto(walking("referenceGRF.sto"));
  EXPECT_EQ(data.labels, direct.labels);
  EXPECT_EQ(data.rows(), direct.rows());
  EXPECT_GE(data.column("ground_force_r_vx"), 0);
  EXPECT_EQ(tools::read_external_loads_data(io::ExternalLoads{}).rows(), 0);
}

}  // namespace
}  // namespace femur
