// Tool setup readers: every shared setup parses, values of the shipped setups match the files,
// OpenSim's defaults apply when a property is absent, paths resolve like OpenSim's, and bad
// setups give exact file:line messages.
#include "femur/io/setup.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>

#include <gtest/gtest.h>

#include "femur/io/error.hpp"
#include "support/test_data.hpp"

namespace femur::io {
namespace {
namespace fs = std::filesystem;

fs::path bad_file(const std::string& name) { return test::source_dir() / "tests" / "data" / "bad" / name; }

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

std::string parse_error_of(const fs::path& p) {
  try {
    read_setup(p);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "no error";
}

template <class T>
T read_as(const fs::path& p, std::vector<std::string>* warnings = nullptr) {
  SetupFile s = read_setup(p, warnings);
  EXPECT_TRUE(std::holds_alternative<T>(s)) << p << " holds a " << tool_name(s);
  return std::get<T>(std::move(s));
}

const IkTask* find_task(const std::vector<IkTask>& tasks, const std::string& name) {
  auto it = std::find_if(tasks.begin(), tasks.end(), [&](const IkTask& t) { return t.name == name; });
  return it == tasks.end() ? nullptr : &*it;
}

// ---------------------------------------------------------------------------------------
// Every XML file of the shared data

TEST(SetupReader, ParsesEverySharedToolSetupAndClassifiesTheOtherXmlFiles) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  std::map<std::string, int> by_type;
  int setups = 0, loads = 0, others = 0;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(test::opensim_data()))
    if (e.is_regular_file() && e.path().extension() == ".xml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    const std::string rel = fs::relative(f, test::opensim_data()).string();
    const OpenSimXmlRoot root = classify_opensim_xml(f);
    ++by_type[root.type];
    std::vector<std::string> warnings;
    if (root.kind == OpenSimXmlKind::tool_setup) {
      SetupFile s;
      ASSERT_NO_THROW(s = read_setup(f, &warnings)) << rel;
      EXPECT_EQ(tool_name(s), root.type) << rel;
      ++setups;
      std::cout << "[setup  ] " << root.type << "  " << rel << "\n";
    } else if (root.kind == OpenSimXmlKind::external_loads) {
      ExternalLoads l;
      ASSERT_NO_THROW(l = read_external_loads(f, &warnings)) << rel;
      EXPECT_GT(l.forces.size() + l.prescribed_forces.size(), 0u) << rel;
      ++loads;
      std::cout << "[loads  ] " << l.forces.size() << " ExternalForce, " << l.prescribed_forces.size()
                << " PrescribedForce  " << rel << "\n";
    } else {
      // Not a setup: force sets, CMC task sets, controls and control constraints, marker and
      // scale sets. read_setup must refuse them with the root named.
      ++others;
      std::cout << "[skipped] " << root.type << "  " << rel << "\n";
      try {
        read_setup(f);
        ADD_FAILURE() << rel << " was read as a setup";
      } catch (const ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("<" + root.type + "> is not a tool setup"), std::string::npos)
            << e.what();
      }
    }
    // The shipped setups only name properties OpenSim knows; the only warnings are analyses
    // femur does not run (Actuation, the 2.x InverseDynamics analysis).
    for (const std::string& w : warnings) {
      std::cout << "    warning: " << w << "\n";
      EXPECT_NE(w.find("is not supported by femur"), std::string::npos) << w;
    }
  }
  // Counts of the shared data (opensim-models 20a888b9 + opensim-core 0435b081, the Moco
  // examples' inputs and OpenSim 4.6's RRA/CMC outputs in Generated/).
  EXPECT_EQ(setups, 44);
  EXPECT_EQ(loads, 11);
  EXPECT_EQ(others, 49);
  EXPECT_EQ(by_type["AnalyzeTool"], 20);
  EXPECT_EQ(by_type["CMCTool"], 5);
  EXPECT_EQ(by_type["RRATool"], 4);
  EXPECT_EQ(by_type["ForwardTool"], 3);
  EXPECT_EQ(by_type["InverseDynamicsTool"], 5);
  EXPECT_EQ(by_type["InverseKinematicsTool"], 5);
  EXPECT_EQ(by_type["ScaleTool"], 2);
  EXPECT_EQ(by_type["ForceSet"], 14);
  EXPECT_EQ(by_type["ControlSet"], 20);
  EXPECT_EQ(by_type["CMC_TaskSet"] + by_type["rdCMC_TaskSet"], 8);
}

// ---------------------------------------------------------------------------------------
// Values of shipped setups

TEST(SetupReader, ReadsTheGait2392InverseDynamicsSetup) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path file = test::opensim_file("Pipelines/Gait2392_Simbody/subject01_Setup_InverseDynamics.xml");
  const fs::path dir = file.parent_path();
  const auto s = read_as<InverseDynamicsSetup>(file);
  EXPECT_EQ(s.name, "subject01_walk1");
  EXPECT_EQ(s.document_version, 20302);
  EXPECT_DOUBLE_EQ(s.time_range[0], 0.4);
  EXPECT_DOUBLE_EQ(s.time_range[1], 1.6);
  EXPECT_DOUBLE_EQ(s.lowpass_cutoff_frequency_for_coordinates, 6.0);
  EXPECT_EQ(s.forces_to_exclude, std::vector<std::string>{"muscles"});
  EXPECT_EQ(s.model_file.path, dir / "subject01_simbody.osim");
  EXPECT_EQ(s.model_file.line, 9);
  EXPECT_EQ(s.coordinates_file.path, dir / "subject01_walk1_ik.mot");
  EXPECT_TRUE(fs::exists(s.coordinates_file.path));
  EXPECT_EQ(s.external_loads_file.path, dir / "subject01_walk1_grf.xml");
  EXPECT_TRUE(fs::exists(s.external_loads_file.path));
  EXPECT_EQ(s.results_directory.path, dir / "ResultsInverseDynamics");
  // Written inside results_directory, as Storage::printResult does.
  EXPECT_EQ(s.output_gen_force_file.path, dir / "ResultsInverseDynamics" / "InverseDynamicsOutput.sto");
  EXPECT_TRUE(s.input_directory.empty());
  EXPECT_TRUE(s.joints_to_report_body_forces.empty());
  EXPECT_EQ(s.output_body_forces_file.path, dir / "ResultsInverseDynamics" / "body_forces_at_joints.sto");
  // Only the model (an output of Scale) is missing from the pipeline folder.
  const auto missing = check_inputs_exist(s);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0], file.string() + ":9: <model_file>: file not found: " + (dir / "subject01_simbody.osim").string());
}

TEST(SetupReader, ReadsTheGait2392InverseKinematicsTaskWeights) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path file = test::opensim_file("Pipelines/Gait2392_Simbody/subject01_Setup_IK.xml");
  const auto s = read_as<InverseKinematicsSetup>(file);
  EXPECT_EQ(s.name, "subject01");
  EXPECT_DOUBLE_EQ(s.constraint_weight, 20.0);
  EXPECT_DOUBLE_EQ(s.accuracy, 1e-5);  // written "1e-005"
  EXPECT_DOUBLE_EQ(s.time_range[0], 0.5);
  EXPECT_DOUBLE_EQ(s.time_range[1], 2.5);
  EXPECT_TRUE(s.report_errors);
  EXPECT_FALSE(s.report_marker_locations);  // absent: default false
  EXPECT_EQ(s.marker_file.path, file.parent_path() / "subject01_walk1.trc");
  EXPECT_TRUE(fs::exists(s.marker_file.path));
  EXPECT_TRUE(s.coordinate_file.empty());
  EXPECT_EQ(s.output_motion_file.path, file.parent_path() / "subject01_walk1_ik.mot");
  ASSERT_EQ(s.tasks.size(), 35u);
  const auto markers = std::count_if(s.tasks.begin(), s.tasks.end(),
                                     [](const IkTask& t) { return t.kind == IkTask::Kind::marker; });
  EXPECT_EQ(markers, 31);
  struct Expect { const char* name; double weight; };
  for (const Expect& e : {Expect{"Sternum", 1.0}, Expect{"R.Acromium", 0.5}, Expect{"Top.Head", 0.1},
                          Expect{"R.ASIS", 10.0}, Expect{"V.Sacral", 10.0}, Expect{"subtalar_angle_r", 1000.0}}) {
    const IkTask* t = find_task(s.tasks, e.name);
    ASSERT_NE(t, nullptr) << e.name;
    EXPECT_DOUBLE_EQ(t->weight, e.weight) << e.name;
    EXPECT_TRUE(t->apply) << e.name;
  }
  const IkTask* mtp = find_task(s.tasks, "mtp_angle_l");
  ASSERT_NE(mtp, nullptr);
  EXPECT_EQ(mtp->kind, IkTask::Kind::coordinate);
  EXPECT_EQ(mtp->value_type, IkTask::ValueType::default_value);
}

TEST(SetupReader, ReadsTheGait2392ScaleSetupMeasurementsManualScalesAndMarkerPlacer) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path file = test::opensim_file("Pipelines/Gait2392_Simbody/subject01_Setup_Scale.xml");
  const fs::path dir = file.parent_path();
  const auto s = read_as<ScaleSetup>(file);
  EXPECT_DOUBLE_EQ(s.mass, 72.6);
  EXPECT_DOUBLE_EQ(s.height, 1803.4);
  EXPECT_DOUBLE_EQ(s.age, 99.0);
  EXPECT_EQ(s.notes, "This is an example setup file for scale.exe.");

  ASSERT_TRUE(s.generic_model_maker.present);
  EXPECT_EQ(s.generic_model_maker.model_file.path, dir / "gait2392_simbody.osim");
  EXPECT_EQ(s.generic_model_maker.marker_set_file.path, dir / "gait2392_Scale_MarkerSet.xml");

  const ModelScaler& m = s.model_scaler;
  ASSERT_TRUE(m.present);
  EXPECT_TRUE(m.apply);
  EXPECT_EQ(m.scaling_order, (std::vector<std::string>{"measurements", "manualScale"}));
  ASSERT_EQ(m.measurements.size(), 5u);
  std::vector<std::string> names;
  for (const Measurement& x : m.measurements) names.push_back(x.name);
  EXPECT_EQ(names, (std::vector<std::string>{"torso", "pelvis", "thigh", "shank", "foot"}));
  const Measurement& thigh = m.measurements[2];
  ASSERT_EQ(thigh.marker_pairs.size(), 2u);
  EXPECT_EQ(thigh.marker_pairs[0].marker1, "R.ASIS");
  EXPECT_EQ(thigh.marker_pairs[0].marker2, "R.Knee.Lat");
  EXPECT_EQ(thigh.marker_pairs[1].marker1, "L.ASIS");
  EXPECT_EQ(thigh.marker_pairs[1].marker2, "L.Knee.Lat");
  ASSERT_EQ(thigh.body_scales.size(), 4u);
  EXPECT_EQ(thigh.body_scales[0].body, "femur_r");
  EXPECT_EQ(thigh.body_scales[3].body, "patella_l");
  EXPECT_EQ(thigh.body_scales[0].axes, (std::vector<std::string>{"X", "Y", "Z"}));
  EXPECT_EQ(m.measurements[0].marker_pairs[0].marker1, "V.Sacral");
  EXPECT_EQ(m.measurements[0].marker_pairs[0].marker2, "Top.Head");

  ASSERT_EQ(m.scale_set.size(), 4u);
  EXPECT_EQ(m.scale_set[0].segment, "femur_r");
  EXPECT_DOUBLE_EQ(m.scale_set[0].scales[1], 1.14724);
  EXPECT_EQ(m.scale_set[3].segment, "tibia_l");
  EXPECT_DOUBLE_EQ(m.scale_set[3].scales[2], 0.988523);
  EXPECT_EQ(m.marker_file.path, dir / "subject01_static.trc");
  EXPECT_DOUBLE_EQ(m.time_range[0], 1.0);
  EXPECT_DOUBLE_EQ(m.time_range[1], 2.0);
  EXPECT_TRUE(m.preserve_mass_distribution);
  EXPECT_EQ(m.output_model_file.path, dir / "subject01_scaledOnly.osim");
  EXPECT_EQ(m.output_scale_file.path, dir / "subject01_scaleSet_applied.xml");

  const MarkerPlacer& p = s.marker_placer;
  ASSERT_TRUE(p.present);
  EXPECT_TRUE(p.apply);
  EXPECT_EQ(p.tasks.size(), 44u);  // 39 markers + 5 coordinates
  const IkTask* knee = find_task(p.tasks, "L.Knee.Lat");
  ASSERT_NE(knee, nullptr);
  EXPECT_DOUBLE_EQ(knee->weight, 1000.0);
  const IkTask* lumbar = find_task(p.tasks, "lumbar_extension");
  ASSERT_NE(lumbar, nullptr);
  EXPECT_EQ(lumbar->value_type, IkTask::ValueType::manual_value);
  EXPECT_DOUBLE_EQ(lumbar->value, 0.0);
  EXPECT_TRUE(p.coordinate_file.empty());
  EXPECT_TRUE(p.output_marker_file.empty());  // "Unassigned"
  EXPECT_DOUBLE_EQ(p.max_marker_movement, -1.0);
  EXPECT_EQ(p.output_motion_file.path, dir / "subject01_static_output.mot");
  EXPECT_EQ(p.output_model_file.path, dir / "subject01_simbody.osim");
  // All inputs of the Scale step ship with the pipeline.
  EXPECT_TRUE(check_inputs_exist(s).empty());
}

TEST(SetupReader, ReadsTheJointReactionTutorialWithItsWindowsPath) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path tutorial = test::opensim_file("Tutorials/Estimating_Joint_Reaction_Loads");
  // Run it where the forces file exists, as the tutorial does after its SO step.
  const fs::path dir = test::temp_dir("setup-jr");
  fs::copy_file(tutorial / "setup_JointReaction.xml", dir / "setup_JointReaction.xml");
  fs::copy_file(tutorial / "foot_floor_loads.xml", dir / "foot_floor_loads.xml");
  fs::copy_file(tutorial / "subject01_walk1_grf.mot", dir / "subject01_walk1_grf.mot");
  fs::copy_file(tutorial / "subject01_walk1_Kinematics.sto", dir / "subject01_walk1_Kinematics.sto");
  fs::copy_file(tutorial / "gait2392_SO_weak_Residual_Actuators.xml", dir / "gait2392_SO_weak_Residual_Actuators.xml");
  fs::copy_file(tutorial / "subject01_simbody_adjusted_StaticOp.osim", dir / "subject01_simbody_adjusted.osim");
  fs::create_directory(dir / "ResultsStaticOptimization");
  fs::copy_file(tutorial / "OutputReference/ResultsStaticOptimization/subject01_StaticOptimization_force.sto",
                dir / "ResultsStaticOptimization/subject01_StaticOptimization_force.sto");

  const fs::path file = dir / "setup_JointReaction.xml";
  const auto s = read_as<AnalyzeSetup>(file);
  EXPECT_EQ(s.name, "subject01");
  EXPECT_EQ(s.document_version, 40000);
  EXPECT_FALSE(s.replace_force_set);
  ASSERT_EQ(s.force_set_files.size(), 1u);
  EXPECT_EQ(s.force_set_files[0].path, dir / "gait2392_SO_weak_Residual_Actuators.xml");
  EXPECT_EQ(s.results_directory.path, dir / "ResultsStaticOptimization");
  EXPECT_EQ(s.output_precision, 20);
  EXPECT_DOUBLE_EQ(s.initial_time, 0.5);
  EXPECT_DOUBLE_EQ(s.final_time, 1.999);
  EXPECT_DOUBLE_EQ(s.lowpass_cutoff_frequency_for_coordinates, -1.0);
  EXPECT_TRUE(s.states_file.empty());
  EXPECT_EQ(s.coordinates_file.path, dir / "subject01_walk1_Kinematics.sto");
  EXPECT_EQ(s.external_loads_file.path, dir / "foot_floor_loads.xml");
  ASSERT_EQ(s.analyses.size(), 1u);
  const auto* jr = std::get_if<JointReactionSettings>(&s.analyses[0]);
  ASSERT_NE(jr, nullptr);
  EXPECT_TRUE(jr->on);
  EXPECT_DOUBLE_EQ(jr->start_time, 0.5);
  EXPECT_EQ(jr->step_interval, 10);
  EXPECT_EQ(jr->joint_names, (std::vector<std::string>{"ground_pelvis", "hip_r", "hip_r"}));
  EXPECT_EQ(jr->apply_on_bodies, (std::vector<std::string>{"child", "child", "parent"}));
  EXPECT_EQ(jr->express_in_frame, (std::vector<std::string>{"ground", "child", "child"}));
  EXPECT_EQ(jr->forces_file.written, "ResultsStaticOptimization\\subject01_StaticOptimization_force.sto");
  EXPECT_EQ(jr->forces_file.path, dir / "ResultsStaticOptimization" / "subject01_StaticOptimization_force.sto");
  EXPECT_TRUE(fs::is_regular_file(jr->forces_file.path));
  const auto missing = check_inputs_exist(s);
  EXPECT_TRUE(missing.empty()) << missing.front();
}

TEST(SetupReader, ReadsStaticOptimizationAndMuscleAnalysisSettings) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto so = read_as<AnalyzeSetup>(
      test::opensim_file("Tutorials/Estimating_Joint_Reaction_Loads/setup_static_optimization.xml"));
  ASSERT_FALSE(so.analyses.empty());
  const auto* a = std::get_if<StaticOptimizationSettings>(&so.analyses[0]);
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->use_model_force_set);
  EXPECT_DOUBLE_EQ(a->activation_exponent, 2.0);
  EXPECT_TRUE(a->use_muscle_physiology);

  // The Gait2392 Analyze setup holds Kinematics, Actuation, BodyKinematics and MuscleAnalysis,
  // in that order.
  std::vector<std::string> warnings;
  const fs::path file = test::opensim_file("Pipelines/Gait2392_Simbody/subject01_Setup_Analyze.xml");
  const auto s = read_as<AnalyzeSetup>(file, &warnings);
  ASSERT_EQ(s.analyses.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<KinematicsSettings>(s.analyses[0]));
  const auto* u = std::get_if<ActuationSettings>(&s.analyses[1]);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->name, "Actuation");
  EXPECT_EQ(u->step_interval, 10);
  EXPECT_EQ(u->line, 54);
  EXPECT_TRUE(std::holds_alternative<BodyKinematicsSettings>(s.analyses[2]));
  const auto* m = std::get_if<MuscleAnalysisSettings>(&s.analyses[3]);
  ASSERT_NE(m, nullptr);
  EXPECT_FALSE(m->muscle_list.empty());
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST(SetupReader, ReadsCmcAndRraSetupsWithOldAndNewOptimizerPropertyNames) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto cmc = read_as<CmcSetup>(test::opensim_file("Pipelines/Gait2392_Simbody/subject01_Setup_CMC.xml"));
  EXPECT_FALSE(cmc.task_set_file.empty());
  EXPECT_TRUE(fs::exists(cmc.task_set_file.path)) << cmc.task_set_file.path;
  EXPECT_TRUE(fs::exists(cmc.constraints_file.path)) << cmc.constraints_file.path;
  EXPECT_GT(cmc.cmc_time_window, 0.0);
  const auto rra = read_as<RraSetup>(test::opensim_file("Pipelines/Gait2392_Simbody/subject01_Setup_RRA.xml"));
  EXPECT_TRUE(rra.adjust_com_to_reduce_residuals);
  EXPECT_EQ(rra.adjusted_com_body, "torso");
  EXPECT_FALSE(rra.output_model_file.empty());
  const auto fwd = read_as<ForwardSetup>(test::opensim_file("Pipelines/Gait2392_Simbody/subject01_Setup_Forward.xml"));
  EXPECT_FALSE(fwd.states_file.empty());
}

// ---------------------------------------------------------------------------------------
// Defaults, numbers, includes, paths (hand-written setups)

TEST(SetupReader, AppliesOpenSimDefaultsWhenPropertiesAreAbsent) {
  const fs::path dir = test::temp_dir("setup-defaults");
  write(dir / "ik.xml", "<InverseKinematicsTool name=\"bare\"/>\n");
  const auto ik = read_as<InverseKinematicsSetup>(dir / "ik.xml");
  EXPECT_EQ(ik.name, "bare");
  EXPECT_EQ(ik.document_version, 0);
  EXPECT_DOUBLE_EQ(ik.accuracy, 1e-5);
  EXPECT_EQ(ik.constraint_weight, kInf);
  EXPECT_EQ(ik.time_range[0], -kInf);
  EXPECT_EQ(ik.time_range[1], kInf);
  EXPECT_TRUE(ik.report_errors);
  EXPECT_FALSE(ik.report_marker_locations);
  EXPECT_TRUE(ik.model_file.empty());
  EXPECT_EQ(ik.results_directory.path, dir);

  write(dir / "id.xml", "<OpenSimDocument Version=\"40000\"><InverseDynamicsTool/></OpenSimDocument>");
  const auto id = read_as<InverseDynamicsSetup>(dir / "id.xml");
  EXPECT_DOUBLE_EQ(id.lowpass_cutoff_frequency_for_coordinates, -1.0);
  EXPECT_EQ(id.output_gen_force_file.path, dir / "inverse_dynamics.sto");

  write(dir / "an.xml",
        "<AnalyzeTool><AnalysisSet><objects><JointReaction/><MuscleAnalysis/><PointKinematics/>"
        "</objects></AnalysisSet></AnalyzeTool>");
  const auto an = read_as<AnalyzeSetup>(dir / "an.xml");
  EXPECT_FALSE(an.replace_force_set);  // AnalyzeTool::setNull overrides AbstractTool's true
  EXPECT_DOUBLE_EQ(an.initial_time, 0.0);
  EXPECT_DOUBLE_EQ(an.final_time, 1.0);
  ASSERT_EQ(an.analyses.size(), 3u);
  const auto& jr = std::get<JointReactionSettings>(an.analyses[0]);
  EXPECT_EQ(jr.joint_names, std::vector<std::string>{"ALL"});
  EXPECT_EQ(jr.apply_on_bodies, std::vector<std::string>{"child"});
  EXPECT_EQ(jr.express_in_frame, std::vector<std::string>{"ground"});
  EXPECT_EQ(jr.start_time, -kInf);
  EXPECT_TRUE(jr.in_degrees);
  const auto& ma = std::get<MuscleAnalysisSettings>(an.analyses[1]);
  EXPECT_TRUE(ma.compute_moments);
  EXPECT_EQ(ma.moment_arm_coordinate_list, std::vector<std::string>{"all"});
  const auto& pk = std::get<PointKinematicsSettings>(an.analyses[2]);
  EXPECT_EQ(pk.body_name, "ground");
  EXPECT_EQ(pk.point_name, "NONAME");

  write(dir / "cmc.xml", "<CMCTool/>");
  const auto cmc = read_as<CmcSetup>(dir / "cmc.xml");
  EXPECT_TRUE(cmc.solve_for_equilibrium_for_auxiliary_states);
  EXPECT_DOUBLE_EQ(cmc.cmc_time_window, 0.01);
  EXPECT_EQ(cmc.optimizer_algorithm, "ipopt");
}

TEST(SetupReader, ReadsInfinityInEveryOpenSimSpelling) {
  const fs::path dir = test::temp_dir("setup-inf");
  write(dir / "ik.xml",
        "<InverseKinematicsTool><constraint_weight>inf</constraint_weight>"
        "<time_range>-Inf Infinity</time_range><accuracy> 1e-3 </accuracy></InverseKinematicsTool>");
  const auto ik = read_as<InverseKinematicsSetup>(dir / "ik.xml");
  EXPECT_EQ(ik.constraint_weight, kInf);
  EXPECT_EQ(ik.time_range[0], -kInf);
  EXPECT_EQ(ik.time_range[1], kInf);
  EXPECT_DOUBLE_EQ(ik.accuracy, 1e-3);
}

TEST(SetupReader, ReadsAnIkTaskSetIncludedFromAnotherFile) {
  const fs::path dir = test::temp_dir("setup-include");
  fs::create_directory(dir / "sub");
  write(dir / "setup.xml",
        "<OpenSimDocument Version=\"40000\">\n"
        "  <InverseKinematicsTool name=\"inc\">\n"
        "    <model_file>sub\\model.osim</model_file>\n"
        "    <IKTaskSet file=\"tasks.xml\"/>\n"
        "  </InverseKinematicsTool>\n"
        "</OpenSimDocument>\n");
  write(dir / "tasks.xml",
        "<OpenSimDocument Version=\"40000\">\n"
        "  <IKTaskSet name=\"from_file\">\n"
        "    <objects>\n"
        "      <IKMarkerTask name=\"RASI\"><apply>true</apply><weight>10</weight></IKMarkerTask>\n"
        "      <IKCoordinateTask name=\"knee_angle_r\"><weight>2</weight>"
        "<value_type>manual_value</value_type><value>0.25</value></IKCoordinateTask>\n"
        "    </objects>\n"
        "  </IKTaskSet>\n"
        "</OpenSimDocument>\n");
  const auto s = read_as<InverseKinematicsSetup>(dir / "setup.xml");
  EXPECT_EQ(s.model_file.path, dir / "sub" / "model.osim");  // `\` read as a separator
  ASSERT_EQ(s.tasks.size(), 2u);
  EXPECT_EQ(s.tasks[0].name, "RASI");
  EXPECT_DOUBLE_EQ(s.tasks[0].weight, 10.0);
  EXPECT_EQ(s.tasks[0].line, 4);
  EXPECT_EQ(s.tasks[1].kind, IkTask::Kind::coordinate);
  EXPECT_EQ(s.tasks[1].value_type, IkTask::ValueType::manual_value);
  EXPECT_DOUBLE_EQ(s.tasks[1].value, 0.25);

  // An error inside the included file names that file and its line.
  write(dir / "tasks.xml",
        "<IKTaskSet>\n  <objects>\n    <IKMarkerTask name=\"RASI\">\n      <weight>ten</weight>\n"
        "    </IKMarkerTask>\n  </objects>\n</IKTaskSet>\n");
  EXPECT_EQ(parse_error_of(dir / "setup.xml"), (dir / "tasks.xml").string() + ":4: <weight>: expected a number, got 'ten'");
}

// ---------------------------------------------------------------------------------------
// Bad setups (tests/data/bad/setup_*.xml)

TEST(SetupReader, ReportsTruncatedXmlWithItsLine) {
  const fs::path f = bad_file("setup_truncated.xml");
  // The document ends on line 6 with <InverseKinematicsTool> and <OpenSimDocument> open.
  EXPECT_EQ(parse_error_of(f), f.string() + ":6: malformed XML: Start-end tags mismatch");
}

TEST(SetupReader, ReportsANonNumericAccuracyWithElementAndLine) {
  const fs::path f = bad_file("setup_accuracy_not_a_number.xml");
  EXPECT_EQ(parse_error_of(f), f.string() + ":7: <accuracy>: expected a number, got 'abc'");
}

TEST(SetupReader, ReportsATimeRangeWithThreeNumbers) {
  const fs::path f = bad_file("setup_time_range_three_numbers.xml");
  EXPECT_EQ(parse_error_of(f), f.string() + ":4: <time_range>: expected 2 numbers, got 3 ('0.5 1.0 1.5')");
}

TEST(SetupReader, ReportsABooleanThatIsNeitherTrueNorFalse) {
  const fs::path f = bad_file("setup_bad_bool.xml");
  EXPECT_EQ(parse_error_of(f), f.string() + ":8: <on>: expected true or false, got 'yes'");
}

// NaN is a number to OpenSim's parser but not an integer; it was cast before the range check
// (undefined behaviour).
TEST(SetupReader, ReportsAnIntegerThatIsNaN) {
  const fs::path f = bad_file("setup_integer_nan.xml");
  EXPECT_EQ(parse_error_of(f), f.string() + ":8: <step_interval>: expected an integer, got 'NaN'");
}

TEST(SetupReader, RefusesAFileThatIsNotAToolSetup) {
  const fs::path f = bad_file("setup_not_a_tool.xml");
  EXPECT_EQ(parse_error_of(f), f.string() +
                                   ":3: <ForceSet> is not a tool setup (expected ScaleTool, InverseKinematicsTool, "
                                   "InverseDynamicsTool, AnalyzeTool, ForwardTool, CMCTool or RRATool)");
}

TEST(SetupReader, ReportsAMissingIncludedFile) {
  const fs::path f = bad_file("setup_include_missing.xml");
  EXPECT_EQ(parse_error_of(f), f.string() + ":5: <IKTaskSet>: included file not found: " +
                                   (f.parent_path() / "no_such_tasks.xml").string());
}

TEST(SetupReader, WarnsAboutUnknownElementsWithTheirLine) {
  const fs::path f = bad_file("setup_unknown_element.xml");
  std::vector<std::string> warnings;
  const auto s = read_as<InverseKinematicsSetup>(f, &warnings);
  EXPECT_DOUBLE_EQ(s.accuracy, 1e-5);  // <acuracy> did not change it
  ASSERT_EQ(s.tasks.size(), 1u);
  EXPECT_DOUBLE_EQ(s.tasks[0].weight, 10.0);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0], f.string() + ":6: <acuracy> is not a known property of InverseKinematicsTool, ignored");
  EXPECT_EQ(warnings[1], f.string() + ":12: <colour> is not a known property of IKMarkerTask, ignored");
}

TEST(SetupReader, WarnsAboutObjectsOfTheWrongTypeInAScaleSetAndSkipsThem) {
  const fs::path dir = test::temp_dir("setup-wrong-object");
  write(dir / "scale.xml",
        "<ScaleTool name=\"s\">\n"
        "<ModelScaler>\n"
        "<MeasurementSet><objects>\n"
        "<Measurement name=\"pelvis\">\n"
        "<MarkerPairSet><objects>\n"
        "<MarkerPair><markers>R.ASIS L.ASIS</markers></MarkerPair>\n"
        "<Marker name=\"stray\"/>\n"
        "</objects></MarkerPairSet>\n"
        "<BodyScaleSet><objects>\n"
        "<BodyScale name=\"pelvis\"><axes>X Y Z</axes></BodyScale>\n"
        "<Scale name=\"stray\"/>\n"
        "</objects></BodyScaleSet>\n"
        "</Measurement>\n"
        "<BodyScale name=\"stray\"/>\n"
        "</objects></MeasurementSet>\n"
        "<ScaleSet><objects>\n"
        "<Scale><scales>1 1 1</scales><segment>torso</segment></Scale>\n"
        "<Measurement name=\"stray\"/>\n"
        "</objects></ScaleSet>\n"
        "</ModelScaler>\n"
        "</ScaleTool>\n");
  std::vector<std::string> warnings;
  const auto s = read_as<ScaleSetup>(dir / "scale.xml", &warnings);
  ASSERT_EQ(s.model_scaler.measurements.size(), 1u);
  EXPECT_EQ(s.model_scaler.measurements[0].marker_pairs.size(), 1u);
  EXPECT_EQ(s.model_scaler.measurements[0].body_scales.size(), 1u);
  EXPECT_EQ(s.model_scaler.scale_set.size(), 1u);
  const std::string f = (dir / "scale.xml").string();
  EXPECT_EQ(warnings, (std::vector<std::string>{f + ":7: <Marker> is not a MarkerPair, ignored",
                                                f + ":11: <Scale> is not a BodyScale, ignored",
                                                f + ":14: <BodyScale> is not a Measurement, ignored",
                                                f + ":18: <Measurement> is not a Scale, ignored"}));
}

TEST(SetupReader, ListsMissingInputFilesButNotOutputs) {
  const fs::path f = bad_file("setup_missing_model.xml");
  const auto s = read_as<InverseDynamicsSetup>(f);
  EXPECT_TRUE(s.external_loads_file.empty());  // "Unassigned"
  EXPECT_EQ(s.output_gen_force_file.path, f.parent_path() / "Results" / "id.sto");
  const auto missing = check_inputs_exist(s);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0], f.string() + ":5: <model_file>: file not found: " +
                            (f.parent_path() / "no_such_model.osim").string());
}

}  // namespace
}  // namespace femur::io
