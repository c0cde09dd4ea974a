// The scenarios' engine (src/hip/scenario_engine.hpp): every variant runs on every frame with
// its own muscles and the model's come back afterwards; a solved frame is the load sharing of
// that posture. And the load sharing is tools::StaticOptimizer: the same posture solved by a scenario
// (LoadSharing over the built-in hip model) and by the Static Optimization analysis of an
// AnalyzeTool setup (`femur run`, the path `femur so` builds its setup for, on the model written
// by `femur model export-hip`) gives the same muscle forces when the options match. The
// scenario balances every coordinate but the pelvis' (the ground holds the pelvis) with a
// 1 N m reserve on each; for the setup the exported model has its pelvis coordinates locked
// (not constraint rows), the reserves come from a ForceSet file, the ground reaction from an
// ExternalLoads file and the posture from a states file with zero speeds. OpenSim's SO does not
// count passive fiber forces, so the scenario side leaves them out here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>
#include <string>

#include <fmt/format.h>

#include "../../src/hip/scenario_postures.hpp"
#include "femur/hip/hip_model.hpp"
#include "femur/io/table.hpp"
#include "femur/muscle/muscle_parameters.hpp"
#include "support/test_data.hpp"

namespace femur::hip {
namespace {

const Model& hip_model() {
  static const Model m = build_hip_model();
  return m;
}

// The exported hip model with the pelvis coordinates locked.
void write_locked_model(const std::filesystem::path& file) {
  const test::CliRun r = test::run_cli("model export-hip \"" + file.string() + "\"");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string text = test::read_text(file);
  const std::regex pelvis("(<Coordinate name=\"pelvis_[a-z]+\">[^]*?<locked>)false(</locked>)");
  text = std::regex_replace(text, pelvis, "$1true$2");
  ASSERT_EQ(std::count(text.begin(), text.end(), '\n') > 100, true);
  test::write_text(file, text);
}

// A CoordinateActuator of optimal force 1 per coordinate, unbounded, named as the tool names its own.
void write_reserves(const std::filesystem::path& file, const std::vector<int>& coordinates) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<OpenSimDocument Version=\"40000\">\n<ForceSet name=\"reserves\">\n<objects>\n";
  for (int k : coordinates) {
    const std::string& c = hip_model().coordinates[static_cast<size_t>(k)].name;
    xml += fmt::format("<CoordinateActuator name=\"{}_reserve\"><coordinate>{}</coordinate><optimal_force>1</optimal_force>"
                       "<min_control>-Inf</min_control><max_control>Inf</max_control></CoordinateActuator>\n", c, c);
  }
  test::write_text(file, xml + "</objects>\n</ForceSet>\n</OpenSimDocument>\n");
}

// The still posture as a states file (OpenSim 4 state paths, radians, zero speeds) over 11 rows.
void write_states(const std::filesystem::path& file, const Eigen::VectorXd& q) {
  const Model& m = hip_model();
  std::string text = fmt::format("states\nversion=1\nnRows=11\nnColumns={}\ninDegrees=no\nendheader\ntime", 2 * m.nq + 1);
  for (const char* state : {"value", "speed"})
    for (const Coordinate& c : m.coordinates)
      text += "\t/jointset/" + m.joints[static_cast<size_t>(c.joint)].name + "/" + c.name + "/" + state;
  text += "\n";
  for (int r = 0; r <= 10; ++r) {
    text += fmt::format("{}", 0.1 * r);
    for (int k = 0; k < m.nq; ++k) text += fmt::format("\t{:.17g}", q[k]);
    for (int k = 0; k < m.nq; ++k) text += "\t0";
    text += "\n";
  }
  test::write_text(file, text);
}

// The AnalyzeTool setup `femur so` would build, with every digit written.
void write_setup(const std::filesystem::path& dir) {
  test::write_text(dir / "setup.xml",
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OpenSimDocument Version=\"40000\">\n"
                   "<AnalyzeTool name=\"stance\"><model_file>hip.osim</model_file>"
                   "<replace_force_set>false</replace_force_set><force_set_files>reserves.xml</force_set_files>"
                   "<results_directory>out</results_directory><output_precision>20</output_precision>"
                   "<initial_time>0</initial_time><final_time>1</final_time>"
                   "<AnalysisSet name=\"Analyses\"><objects><StaticOptimization name=\"StaticOptimization\">"
                   "<on>true</on><start_time>0</start_time><end_time>1</end_time>"
                   "<use_model_force_set>true</use_model_force_set><activation_exponent>2</activation_exponent>"
                   "<use_muscle_physiology>true</use_muscle_physiology></StaticOptimization></objects></AnalysisSet>"
                   "<external_loads_file>grf.xml</external_loads_file><states_file>states.sto</states_file>"
                   "</AnalyzeTool>\n</OpenSimDocument>\n");
}

// The ground reaction as an ExternalLoads file: force in ground, point in the foot.
void write_ground_reaction(const std::filesystem::path& dir, const detail::PointLoad& load) {
  const Model& m = hip_model();
  std::string mot = "grf.mot\nversion=1\nnRows=11\nnColumns=7\ninDegrees=no\nendheader\ntime\tgrf_vx\tgrf_vy\tgrf_vz\tgrf_px\tgrf_py\tgrf_pz\n";
  for (int r = 0; r <= 10; ++r)
    mot += fmt::format("{}\t{:.17g}\t{:.17g}\t{:.17g}\t{:.17g}\t{:.17g}\t{:.17g}\n", 0.1 * r, load.force_in_ground.x(),
                       load.force_in_ground.y(), load.force_in_ground.z(), load.point_in_body.x(),
                       load.point_in_body.y(), load.point_in_body.z());
  test::write_text(dir / "grf.mot", mot);
  test::write_text(dir / "grf.xml",
                   fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<OpenSimDocument Version=\"40000\">\n"
                               "<ExternalLoads name=\"stance\"><objects><ExternalForce name=\"grf\">"
                               "<applied_to_body>{0}</applied_to_body><force_expressed_in_body>ground</force_expressed_in_body>"
                               "<point_expressed_in_body>{0}</point_expressed_in_body><force_identifier>grf_v</force_identifier>"
                               "<point_identifier>grf_p</point_identifier></ExternalForce></objects>"
                               "<datafile>grf.mot</datafile></ExternalLoads>\n</OpenSimDocument>\n",
                               m.bodies[static_cast<size_t>(load.body)].name));
}

TEST(ScenarioStatics, TheScenariosLoadSharingGivesTheMuscleForcesOfTheStaticOptimizationAnalysis) {
  detail::Statics s(hip_model());
  detail::StanceBuilder stance(s);
  const Eigen::VectorXd q = stance.posture(4.0, 2.0);  // single-leg stance, pelvis dropped, trunk leaning
  const std::vector<detail::PointLoad> loads = stance.ground_reaction(q);
  ASSERT_EQ(loads.size(), 1u);
  detail::SharingOptions options;
  options.coordinates = detail::non_root_coordinates(hip_model());
  options.passive_fiber_force = false;
  detail::LoadSharing sharing(s, options);
  const detail::PostureState ps = detail::evaluate_posture(s, q, loads);
  const detail::Sharing sh = sharing.solve(ps);
  ASSERT_TRUE(sh.solved);

  const std::filesystem::path dir = test::temp_dir("so-vs-scenario");
  write_locked_model(dir / "hip.osim");
  write_reserves(dir / "reserves.xml", options.coordinates);
  write_states(dir / "states.sto", q);
  write_ground_reaction(dir, loads[0]);
  write_setup(dir);
  const test::CliRun r = test::run_cli("run --quiet \"" + (dir / "setup.xml").string() + "\"");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const io::Table forces = io::read_sto(dir / "out" / "stance_StaticOptimization_force.sto");
  ASSERT_EQ(forces.rows(), 11);

  const double largest = sh.force.cwiseAbs().maxCoeff();
  double worst = 0.0, worst_reserve = 0.0;
  for (int row = 0; row < forces.rows(); ++row) {
    for (int m = 0; m < s.muscles.size(); ++m) {
      const int c = forces.column(s.muscles.parameters(m).name);
      ASSERT_GE(c, 0) << s.muscles.parameters(m).name;
      worst = std::max(worst, std::abs(forces.data(row, c) - sh.force[m]));
    }
    for (size_t k = 0; k < options.coordinates.size(); ++k) {
      const int c = forces.column(hip_model().coordinates[static_cast<size_t>(options.coordinates[k])].name + "_reserve");
      ASSERT_GE(c, 0);
      worst_reserve = std::max(worst_reserve, std::abs(forces.data(row, c) - sh.reserve[static_cast<Eigen::Index>(k)]));
    }
  }
  std::printf("  setup vs scenario: muscle forces within %.2g N (largest %.0f N), reserves within %.2g N m\n", worst,
              largest, worst_reserve);
  EXPECT_GT(largest, 100.0);
  // The same QP from the same numbers (the states file holds every digit; zero speeds make the
  // target accelerations exactly zero): agreement to rounding.
  EXPECT_LT(worst, 1e-11 * largest);
  EXPECT_LT(worst_reserve, 1e-11 * largest);

  // The scenarios' own option, passive forces counted, is another problem: other forces.
  options.passive_fiber_force = true;
  detail::LoadSharing with_passive(s, options);
  EXPECT_GT((with_passive.solve(ps).force - sh.force).cwiseAbs().maxCoeff(), 1.0);
}

TEST(ScenarioEngine, RunsEveryVariantOnEveryFrameAndGivesTheModelsMusclesBack) {
  detail::Statics s(hip_model());
  detail::Engine engine(s);
  const int glut = s.muscle("glut_med1_r"), iliacus = s.muscle("iliacus_r"), psoas = s.muscle("psoas_r");
  const MuscleParameters &glut0 = s.muscles.model_parameters(glut), &iliacus0 = s.muscles.model_parameters(iliacus);
  const std::vector<detail::Variant> variants = {
      {"model", {}, {}},
      {"weak and tight", {detail::MuscleChange::strength({glut}, 0.5), detail::MuscleChange::shortening({iliacus}, 0.1)}, {}},
      {"inhibited", {detail::MuscleChange::activation({psoas}, 0.0, 0.3)}, {}}};
  detail::Task task;
  task.solve = false;
  for (double a : {0.0, 0.5}) {
    detail::Frame f;
    f.x = a;
    f.q = hip_model().default_q();
    f.q[s.coordinate("hip_flexion_r")] = a;
    task.frames.push_back(f);
  }
  struct Row {
    double F0, l_opt, cap, x, passive;
  };
  const detail::Results<Row> r = engine.run<Row>(variants, {task}, [&](const detail::Outcome& o) {
    return Row{o.s.muscles.parameters(glut).max_isometric_force, o.s.muscles.parameters(iliacus).optimal_fiber_length,
               o.s.muscles.parameters(psoas).max_control, o.frame.x, o.posture.passive[iliacus]};
  });
  ASSERT_EQ(r.rows.size(), 3u);
  for (size_t v = 0; v < 3; ++v) {
    ASSERT_EQ(r.frames(v).size(), 2u);
    for (size_t f = 0; f < 2; ++f) EXPECT_EQ(r.at(v, 0, f).x, task.frames[f].x);
  }
  EXPECT_EQ(r.at(0).F0, glut0.max_isometric_force);
  EXPECT_EQ(r.at(1).F0, 0.5 * glut0.max_isometric_force);
  EXPECT_EQ(r.at(2).F0, glut0.max_isometric_force);  // each variant from the model, not from the one before
  EXPECT_EQ(r.at(1).l_opt, 0.9 * iliacus0.optimal_fiber_length);
  EXPECT_EQ(r.at(2).l_opt, iliacus0.optimal_fiber_length);
  EXPECT_EQ(r.at(2).cap, 0.3);
  // The frame is evaluated with the variant's muscles: a shorter optimal fiber length, more passive force.
  EXPECT_GT(r.at(1, 0, 1).passive, r.at(0, 0, 1).passive);
  for (int m = 0; m < s.muscles.size(); ++m) {
    EXPECT_EQ(s.muscles.parameters(m).max_isometric_force, s.muscles.model_parameters(m).max_isometric_force);
    EXPECT_EQ(s.muscles.parameters(m).optimal_fiber_length, s.muscles.model_parameters(m).optimal_fiber_length);
    EXPECT_EQ(s.muscles.parameters(m).max_control, s.muscles.model_parameters(m).max_control);
  }
  EXPECT_THROW(detail::MuscleChange::shortening({iliacus}, -0.1), ScenarioError);
}

// A solved frame of a run is the load sharing of that posture, whatever ran before it.
TEST(ScenarioEngine, ASolvedFrameIsTheLoadSharingOfItsPosture) {
  detail::Statics s(hip_model());
  detail::StanceBuilder stance(s);
  detail::Task task;
  task.sharing.coordinates = detail::non_root_coordinates(hip_model());
  task.sharing.judged = detail::stance_judged(s);
  task.reactions = {s.joint_of("hip_flexion_r")};
  for (double drop : {0.0, 4.0}) {
    detail::Frame f;
    f.q = stance.posture(drop, 0.0);
    f.loads = stance.ground_reaction(f.q);
    task.frames.push_back(f);
  }
  const std::vector<int> weak = s.muscles_matching({"glut_med", "glut_min"}, "_r");
  const std::vector<detail::Variant> variants = {{"", {}, {}}, {"", {detail::MuscleChange::strength(weak, 0.4)}, {}}};
  detail::Engine engine(s);
  const detail::Results<detail::Sharing> r =
      engine.run<detail::Sharing>(variants, {task}, [](const detail::Outcome& o) { return o.sharing; });
  detail::apply_changes(s, variants[1].changes);
  detail::LoadSharing alone(s, task.sharing);
  const detail::Sharing sh = alone.solve(detail::evaluate_posture(s, task.frames[1].q, task.frames[1].loads), task.reactions);
  detail::apply_changes(s, {});
  EXPECT_EQ(r.at(1, 0, 1).force, sh.force);
  EXPECT_EQ(r.at(1, 0, 1).reserve, sh.reserve);
  EXPECT_EQ(r.at(1, 0, 1).reactions[0].magnitude, sh.reactions[0].magnitude);
  // Weaker abductors: more reserve or more of the others' force in the same posture.
  EXPECT_NE(r.at(0, 0, 1).force, r.at(1, 0, 1).force);
}

}  // namespace
}  // namespace femur::hip
