// ExternalLoads reader: the shipped ExternalForce files (2.x, 3.x and 4.x layouts), the 2.x
// PrescribedForce file with inline splines, datafile resolution and bad files.
#include "femur/io/external_loads.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "femur/io/error.hpp"
#include "support/test_data.hpp"

namespace femur::io {
namespace {
namespace fs = std::filesystem;

std::string error_of(const fs::path& p) {
  try {
    read_external_loads(p);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ExternalLoadsReader, ReadsTheGait2392GroundReactionSetup) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path file = test::opensim_file("Pipelines/Gait2392_Simbody/subject01_walk1_grf.xml");
  std::vector<std::string> warnings;
  const ExternalLoads l = read_external_loads(file, &warnings);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(l.name, "Ex2");
  EXPECT_EQ(l.document_version, 20302);
  EXPECT_EQ(l.datafile.path, file.parent_path() / "subject01_walk1_grf.mot");
  EXPECT_TRUE(fs::is_regular_file(l.datafile.path));
  EXPECT_TRUE(l.external_loads_model_kinematics_file.empty());
  EXPECT_DOUBLE_EQ(l.lowpass_cutoff_frequency_for_load_kinematics, -1.0);
  ASSERT_EQ(l.forces.size(), 2u);
  const ExternalForce& r = l.forces[0];
  EXPECT_EQ(r.name, "ExternalForce_1");
  EXPECT_TRUE(r.applies_force);  // isDisabled false
  EXPECT_EQ(r.applied_to_body, "calcn_r");
  EXPECT_EQ(r.force_expressed_in_body, "ground");
  EXPECT_EQ(r.point_expressed_in_body, "ground");
  EXPECT_EQ(r.force_identifier, "ground_force_v");
  EXPECT_EQ(r.point_identifier, "ground_force_p");
  EXPECT_EQ(r.torque_identifier, "ground_torque_");
  EXPECT_EQ(r.data_source_name, "");  // "Unassigned"
  EXPECT_EQ(l.forces[1].applied_to_body, "calcn_l");
  EXPECT_EQ(l.forces[1].force_identifier, "1_ground_force_v");
  EXPECT_EQ(l.forces[1].torque_identifier, "1_ground_torque_");
}

TEST(ExternalLoadsReader, ReadsTheOpenSim4TutorialFileAsShipped) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path file = test::opensim_file("Tutorials/Estimating_Joint_Reaction_Loads/foot_floor_loads.xml");
  const ExternalLoads l = read_external_loads(file);
  EXPECT_EQ(l.document_version, 40000);
  ASSERT_EQ(l.forces.size(), 2u);
  EXPECT_EQ(l.forces[0].name, "right_foot");
  EXPECT_TRUE(l.forces[0].applies_force);  // appliesForce true
  EXPECT_EQ(l.forces[0].force_identifier, "right_foot_force_v");
  // The shipped file names the left torque for the right foot; it is read as written.
  EXPECT_EQ(l.forces[0].torque_identifier, "left_foot_torque_");
  EXPECT_EQ(l.datafile.path, file.parent_path() / "subject01_walk1_grf.mot");
  EXPECT_TRUE(fs::is_regular_file(l.datafile.path));
}

TEST(ExternalLoadsReader, ReadsOpenSim2PrescribedForcesWithTheirSplines) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const ExternalLoads l = read_external_loads(test::opensim_file("Pipelines/Gait2392_Simbody/foot_floor_loads.xml"));
  EXPECT_TRUE(l.forces.empty());
  EXPECT_TRUE(l.datafile.empty());
  ASSERT_EQ(l.prescribed_forces.size(), 2u);
  const PrescribedForce& r = l.prescribed_forces[0];
  EXPECT_EQ(r.name, "ExternalForce_1");
  EXPECT_EQ(r.body, "calcn_r");
  EXPECT_TRUE(r.point_is_global);
  EXPECT_TRUE(r.force_is_global);
  ASSERT_EQ(r.force_functions.size(), 3u);
  ASSERT_EQ(r.point_functions.size(), 3u);
  ASSERT_EQ(r.torque_functions.size(), 3u);
  const PrescribedFunction& fx = r.force_functions[0];
  EXPECT_EQ(fx.type, "NaturalCubicSpline");
  EXPECT_EQ(fx.name, "#1");
  ASSERT_GE(fx.x.size(), 10u);
  EXPECT_EQ(fx.x.size(), fx.y.size());
  EXPECT_DOUBLE_EQ(fx.x[1], 0.0017);
  EXPECT_DOUBLE_EQ(fx.y[0], 101.51197668);
  EXPECT_DOUBLE_EQ(r.point_functions[1].y[0], -0.0075);
  EXPECT_DOUBLE_EQ(r.torque_functions[1].y[0], 13.53783445);
  EXPECT_EQ(l.prescribed_forces[1].body, "calcn_l");
}

TEST(ExternalLoadsReader, ReadsEveryShippedExternalLoadsFileWithItsDataFile) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(test::opensim_data())) {
    if (e.path().extension() != ".xml") continue;
    std::ifstream in(e.path());
    std::string head((std::istreambuf_iterator<char>(in)), {});
    if (head.find("<ExternalLoads") == std::string::npos) continue;
    ++files;
    std::vector<std::string> warnings;
    const ExternalLoads l = read_external_loads(e.path(), &warnings);
    EXPECT_TRUE(warnings.empty()) << e.path() << ": " << warnings.front();
    for (const ExternalForce& f : l.forces) {
      EXPECT_FALSE(f.applied_to_body.empty()) << e.path();
      EXPECT_FALSE(f.force_identifier.empty()) << e.path();
    }
    if (!l.datafile.empty()) {
      EXPECT_TRUE(fs::is_regular_file(l.datafile.path)) << l.datafile.path;
    }
  }
  EXPECT_EQ(files, 11);  // 8 of the OpenSim pipelines and tutorials, 3 of the Moco examples
}

TEST(ExternalLoadsReader, RefusesAForceWithNeitherForceNorTorqueIdentifier) {
  const fs::path f = test::source_dir() / "tests/data/bad/setup_external_force_no_identifier.xml";
  EXPECT_EQ(error_of(f), f.string() + ":5: <ExternalForce> 'right': no force or torque identified");
}

TEST(ExternalLoadsReader, AppliesExternalForceDefaultsAndWarnsAboutUnknownElements) {
  const fs::path dir = test::temp_dir("extloads");
  {
    std::ofstream out(dir / "loads.xml");
    out << "<ExternalLoads name=\"x\">\n"
           "  <objects>\n"
           "    <ExternalForce name=\"f\">\n"
           "      <applied_to_body>pelvis</applied_to_body>\n"
           "      <torque_identifier>t_</torque_identifier>\n"
           "      <colour>blue</colour>\n"
           "    </ExternalForce>\n"
           "  </objects>\n"
           "  <datafile>data\\grf.mot</datafile>\n"
           "  <lowpass_cutoff_frequency_for_load_kinematics>6</lowpass_cutoff_frequency_for_load_kinematics>\n"
           "</ExternalLoads>\n";
  }
  std::vector<std::string> warnings;
  const ExternalLoads l = read_external_loads(dir / "loads.xml", &warnings);
  ASSERT_EQ(l.forces.size(), 1u);
  EXPECT_EQ(l.forces[0].force_expressed_in_body, "ground");
  EXPECT_EQ(l.forces[0].point_expressed_in_body, "ground");
  EXPECT_TRUE(l.forces[0].force_identifier.empty());
  EXPECT_EQ(l.datafile.path, dir / "data" / "grf.mot");
  EXPECT_EQ(l.datafile.line, 9);
  EXPECT_DOUBLE_EQ(l.lowpass_cutoff_frequency_for_load_kinematics, 6.0);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], (dir / "loads.xml").string() + ":6: <colour> is not a known property of ExternalForce, ignored");
}

}  // namespace
}  // namespace femur::io
