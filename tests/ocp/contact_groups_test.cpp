// GRF tracking's contact groups from an ExternalLoads file (ocp/contact_groups.hpp), on Moco's
// example2DWalking: each foot's two spheres against its force; what cannot be tracked is an
// error naming the file, line and force.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "femur/io/external_loads.hpp"
#include "femur/ocp/contact_groups.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

TEST(ContactGroups, EachExternalForceGetsTheSpheresOnItsBody) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::opensim_data() / "Moco/example2DWalking";
  const Model model = test::load_opensim_model("Moco/example2DWalking/2D_gait.osim");
  const io::ExternalLoads xml = io::read_external_loads(dir / "referenceGRF.xml");
  const auto groups = ocp::contact_groups_from_loads(model, xml, (dir / "referenceGRF.xml").string());
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].reference_prefix, "ground_force_r_v");
  EXPECT_EQ(groups[0].forces, (std::vector<std::string>{"contactHeel_r", "contactFront_r"}));
  EXPECT_EQ(groups[1].reference_prefix, "ground_force_l_v");
  EXPECT_EQ(groups[1].forces, (std::vector<std::string>{"contactHeel_l", "contactFront_l"}));
}

// referenceGRF.xml with one line replaced; the message names the copy, the ExternalForce's line
// and the force.
void expect_error(const std::string& from, const std::string& to, const std::string& message) {
  const fs::path dir = test::opensim_data() / "Moco/example2DWalking";
  std::string text = test::read_text(dir / "referenceGRF.xml");
  const std::size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  const fs::path file = test::temp_dir("contact_groups_bad") / "referenceGRF.xml";
  test::write_text(file, text);
  const Model model = test::load_opensim_model("Moco/example2DWalking/2D_gait.osim");
  try {
    ocp::contact_groups_from_loads(model, io::read_external_loads(file), file.string());
    ADD_FAILURE() << "no error for " << to;
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), file.string() + ":" + message);
  }
}

TEST(ContactGroups, ForceInABodyFrameOrOnABodyWithoutSpheresIsAnErrorAtItsLine) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  expect_error("<force_expressed_in_body>ground</force_expressed_in_body>",
               "<force_expressed_in_body>calcn_r</force_expressed_in_body>",
               "5: ExternalForce 'Right_GRF': GRF tracking needs forces expressed in ground");
  expect_error("<applied_to_body>calcn_l</applied_to_body>", "<applied_to_body>tibia_l</applied_to_body>",
               "19: ExternalForce 'Left_GRF': no SmoothSphereHalfSpaceForce of the model has its sphere on body "
               "'tibia_l'");
}

}  // namespace
}  // namespace femur
