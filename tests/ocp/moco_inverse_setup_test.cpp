// `femur run` on a Moco MocoInverse .omoco file (ocp/moco_inverse_setup.hpp): testMocoInverse's
// problem written as MocoInverse::print would, solved and compared with Moco's standard; an
// operator femur does not apply is an error at its line.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "femur/io/table.hpp"
#include "femur/ocp/moco_inverse_setup.hpp"
#include "femur/ocp/muscle_inverse.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

std::string omoco(const std::string& extra_operator) {
  const fs::path d = test::opensim_file("Moco/MocoInverse");
  return R"(<?xml version="1.0" encoding="UTF-8" ?>
<OpenSimDocument Version="40500">
	<MocoInverse name="inverse18">
		<initial_time>0.45</initial_time>
		<final_time>1</final_time>
		<mesh_interval>0.025</mesh_interval>
		<clip_time_range>false</clip_time_range>
		<ModelProcessor name="model">
			<filepath>)" + (d / "subject_walk_armless_18musc.osim").string() + R"(</filepath>
			<operators>
				<ModOpReplaceJointsWithWelds>
					<joint_paths>subtalar_r subtalar_l mtp_r mtp_l</joint_paths>
				</ModOpReplaceJointsWithWelds>
				<ModOpReplaceMusclesWithDeGrooteFregly2016 />
				<ModOpIgnorePassiveFiberForcesDGF />
				<ModOpTendonComplianceDynamicsModeDGF>
					<mode>implicit</mode>
				</ModOpTendonComplianceDynamicsModeDGF>
				<ModOpAddExternalLoads>
					<filepath>)" + (d / "subject_walk_armless_external_loads.xml").string() + R"(</filepath>
				</ModOpAddExternalLoads>)" + extra_operator + R"(
			</operators>
		</ModelProcessor>
		<TableProcessor name="kinematics">
			<filepath>)" + (d / "subject_walk_armless_coordinates.mot").string() + R"(</filepath>
			<operators>
				<TabOpLowPassFilter>
					<cutoff_frequency>6</cutoff_frequency>
				</TabOpLowPassFilter>
			</operators>
		</TableProcessor>
		<kinematics_allow_extra_columns>true</kinematics_allow_extra_columns>
		<minimize_sum_squared_activations>false</minimize_sum_squared_activations>
		<max_iterations />
		<convergence_tolerance>0.0001</convergence_tolerance>
		<constraint_tolerance>0.0001</constraint_tolerance>
		<output_paths />
		<reserves_weight>1</reserves_weight>
	</MocoInverse>
</OpenSimDocument>
)";
}

TEST(MocoInverseSetup, RunsAndMatchesMocosStandard) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::temp_dir("omoco");
  test::write_text(dir / "inverse18.omoco", omoco(""));
  const test::CliRun r = test::run_cli("run \"" + (dir / "inverse18.omoco").string() + "\"");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("MocoInverse: 45 nodes"), std::string::npos) << r.out;
  const io::Table solution = io::read_sto(dir / "inverse18_solution.sto");
  const io::Table standard =
      io::read_sto(test::opensim_file("Moco/MocoInverse/std_testMocoInverse_subject_18musc_solution.sto"));
  const int ns = std::stoi(standard.metadata.at("num_states")), nc = std::stoi(standard.metadata.at("num_controls"));
  const std::vector<std::string> states(standard.labels.begin(), standard.labels.begin() + ns);
  const std::vector<std::string> controls(standard.labels.begin() + ns, standard.labels.begin() + ns + nc);
  EXPECT_LT(ocp::trajectory_rms(solution, standard, states), 1e-2);
  EXPECT_LT(ocp::trajectory_rms(solution, standard, controls), 1e-2);
}

TEST(MocoInverseSetup, AddsReserves) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::temp_dir("omoco_reserves");
  test::write_text(dir / "inverse18.omoco",
                   omoco("\n\t\t\t\t<ModOpAddReserves><optimal_force>2</optimal_force><bound>50</bound></ModOpAddReserves>"));
  const ocp::MocoInverseSetup s = ocp::read_moco_inverse_setup(dir / "inverse18.omoco");
  EXPECT_EQ(s.reserves_optimal_force, 2.0);
  EXPECT_EQ(s.reserves_bound, 50.0);
  EXPECT_EQ(s.weld_joints, (std::vector<std::string>{"subtalar_r", "subtalar_l", "mtp_r", "mtp_l"}));
  EXPECT_EQ(s.lowpass_cutoff_hz, 6.0);
  EXPECT_EQ(s.tendon_compliance_dynamics_mode, "implicit");
}

TEST(MocoInverseSetup, UnsupportedOperatorIsAnErrorAtItsLine) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::temp_dir("omoco_bad");
  test::write_text(dir / "bad.omoco", omoco("\n\t\t\t\t<ModOpScaleMaxIsometricForce><scale_factor>2</scale_factor></ModOpScaleMaxIsometricForce>"));
  const test::CliRun r = test::run_cli("run \"" + (dir / "bad.omoco").string() + "\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.omoco:22: model operator <ModOpScaleMaxIsometricForce> is not supported by femur yet"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "bad_solution.sto"));
}

}  // namespace
}  // namespace femur
