// Every OpenSim tool setup file of the reference data, run through the `femur` binary as a user
// runs it: from a temporary copy of its data folder (plus the files that folder's earlier
// steps would have written, taken from OutputReference/ as /work/shared/opensim/README.md
// "Running a pipeline's setup files" says), with the process in another working directory.
// Supported tools must exit 0 and write their outputs; tools and analyses femur lacks must exit
// non-zero saying "not supported" and write nothing; setups whose inputs the data does not hold
// must fail naming the file and write nothing. Known limitations (a supported tool refused for
// a reason femur names) are checked as such refusals rather than skipped, so the test says when
// one is lifted.
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "femur/io/setup.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Each file of a folder tree with its size and modification time, to prove nothing was written.
std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> snapshot(const fs::path& dir) {
  std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = {e.file_size(), e.last_write_time()};
    else if (e.is_directory()) files[fs::relative(e.path(), dir).string() + "/"] = {0, {}};
  return files;
}

// The data set folder a setup belongs to: the first two components of its path
// (Pipelines/Gait2392_Simbody, Tests/Analyze, Generated/Gait10dof18musc, ...).
fs::path data_root(const fs::path& relative) {
  auto it = relative.begin();
  fs::path root = *it++;
  return root / *it;
}

// Files the earlier steps of a workflow would have written, and the renames the README names:
// {data-relative source, destination relative to the copied data root}. A destination ending
// in '/' receives the source under its own name; a source folder is copied whole.
struct Extra {
  std::string from, to;
};

const std::map<std::string, std::vector<Extra>>& extras() {
  static const std::map<std::string, std::vector<Extra>> kExtras = {
      {"Pipelines/Gait2392_Simbody",
       {{"Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim", "./"},         // Scale
        {"Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody_adjusted.osim", "./"},  // RRA
        {"Pipelines/Gait2392_Simbody/OutputReference/ResultsRRA", "ResultsRRA"},
        {"Pipelines/Gait2392_Simbody/OutputReference/ResultsCMC", "ResultsCMC"},
        // setup_JointReaction.xml reads the SO forces of setup_static_optimization.xml.
        {"Tutorials/Estimating_Joint_Reaction_Loads/OutputReference/ResultsStaticOptimization",
         "ResultsStaticOptimization"}}},
      {"Pipelines/Gait2354_Simbody",
       {{"Pipelines/Gait2354_Simbody/OutputReference/subject01_simbody.osim", "./"},
        {"Pipelines/Gait2354_Simbody/OutputReference/subject01_simbody_adjusted.osim", "./"},
        {"Pipelines/Gait2354_Simbody/OutputReference/ResultsRRA", "ResultsRRA"},
        {"Pipelines/Gait2354_Simbody/OutputReference/ResultsCMC", "ResultsCMC"}}},
      {"Pipelines/Gait10dof18musc",
       {{"Pipelines/Gait10dof18musc/OutputReference/subject01.osim", "./"},
        {"Pipelines/Gait10dof18musc/OutputReference/IK/subject01_walk_IK.mot", "IK/"},
        {"Pipelines/Gait10dof18musc/OutputReference/RRA/Results", "RRA/Results"}}},
      {"Tutorials/Estimating_Joint_Reaction_Loads",
       {{"Tutorials/Estimating_Joint_Reaction_Loads/subject01_simbody_adjusted_StaticOp.osim",
         "subject01_simbody_adjusted.osim"},
        {"Tutorials/Estimating_Joint_Reaction_Loads/OutputReference/ResultsStaticOptimization",
         "ResultsStaticOptimization"}}},
      // The tutorial's installer folder holds the model beside every setup; the IK result is
      // what the IK step writes.
      {"Tutorials/Computed_Muscle_Control",
       {{"Tutorials/Computed_Muscle_Control/InverseKinematics/arm26.osim", "OutputReference/InverseKinematics/"},
        {"Tutorials/Computed_Muscle_Control/OutputReference/arm26.osim", "OutputReference/InverseDynamics/"},
        {"Tutorials/Computed_Muscle_Control/OutputReference/InverseKinematics/arm26_InverseKinematics.mot",
         "OutputReference/InverseDynamics/"},
        {"Tutorials/Computed_Muscle_Control/OutputReference/arm26.osim", "OutputReference/StaticOptimization/"},
        {"Tutorials/Computed_Muscle_Control/OutputReference/InverseKinematics/arm26_InverseKinematics.mot",
         "OutputReference/StaticOptimization/"},
        {"Tutorials/Computed_Muscle_Control/OutputReference/arm26.osim", "OutputReference/ForwardDynamics/"},
        {"Tutorials/Computed_Muscle_Control/OutputReference/arm26.osim", "OutputReference/ComputedMuscleControl/"},
        {"Tutorials/Computed_Muscle_Control/OutputReference/InverseKinematics/arm26_InverseKinematics.mot",
         "OutputReference/ComputedMuscleControl/"}}},
      // Generated/README.md: "run it in a copy of Tutorials/Working_with_Static_Optimization".
      {"Generated/Gait10dof18musc",
       {{"Tutorials/Working_with_Static_Optimization", "StaticOptimization"}}},
  };
  return kExtras;
}

// Files of OutputReference whose header says inDegrees=no over columns in degrees (the README
// names the defect for Gait2392's ResultsForward; its ResultsRRA Kinematics_q.sto, which the
// CMC setup tracks, has it too): the copy gets the header the data need, as a user who reran
// RRA would have (femur refuses the file as shipped, naming the column).
const std::map<std::string, std::vector<std::string>>& header_fixes() {
  static const std::map<std::string, std::vector<std::string>> kFixes = {
      {"Pipelines/Gait2392_Simbody",
       {"ResultsRRA/subject01_walk1_RRA_Kinematics_q.sto", "subject01_walk1_RRA_Kinematics_q.sto"}},
  };
  return kFixes;
}

// Shipped setups whose inputs the data set does not hold (OpenSim fails on them too): the
// message femur must give instead.
const std::map<std::string, std::string>& broken_setups() {
  static const std::map<std::string, std::string> kBroken = {
      // Name a model and states file of the SD/FAST era that are not shipped.
      {"Pipelines/Gait2354_Simbody/subject01_Setup_AnalyzeTest.xml", "subject01_sdfast_adjusted.osim"},
      {"Pipelines/Gait2392_Simbody/subject01_Setup_AnalyzeTest.xml", "subject01_sdfast_adjusted.osim"},
      // <model_file> left empty (the GUI fills it from the loaded model).
      // An empty <model_file> (the GUI fills it from the loaded model), and inputs that neither
      // RRA's OutputReference nor any other folder holds.
      {"Pipelines/Gait2392_Simbody/subject01_Setup_JointReaction_from_RRA.xml",
       "<states_file>: file not found"},
      {"Pipelines/Gait2392_Simbody/subject01_Setup_JointReaction_from_SO.xml",
       "<forces_file>: file not found: C:/Users/matt"},

      // OpenSim 4.6 refuses this model too (README: minimum_activation 0.0 < 0.01).
      {"Tests/Analyze/arm26_Setup_StaticOptimization.xml", "minimum_activation must be at least 0.01"},
      // model_file ".osubject01_simbody_adjusted.osim" (a typo in the shipped file; with the name
      // corrected it runs: tests/tools/forward_test.cpp).
      {"Pipelines/Gait2354_Simbody/subject01_Setup_Forward.xml", ".osubject01_simbody_adjusted.osim"},
      // Read CMC's states (ResultsCMC/subject01_walk1_states.sto), which Gait2392's
      // OutputReference does not hold (the README: "large CMC/Forward state files ... are absent").
      {"Pipelines/Gait2392_Simbody/subject01_Setup_Forward.xml",
       "<states_file>: file not found"},
      {"Pipelines/Gait2392_Simbody/subject01_Setup_Analyze.xml",
       "<states_file>: file not found"},
  };
  return kBroken;
}

// Known limitations of femur: supported tools refused for a reason femur names.
const std::map<std::string, std::string>& known_limitations() {
  static const std::map<std::string, std::string> kKnown = {
      // JointReaction without a forces_file needs the muscle forces of the states.
      {"Pipelines/Gait2354_Simbody/subject01_Setup_Analyze_Reactions.xml", "muscle forces from the states"},
  };
  return kKnown;
}

enum class Expect { runs, not_supported, broken, known_limitation };

// What femur must do with a setup, from the setup itself: the tool, and for AnalyzeTool every
// analysis that is on.
Expect expectation(const std::string& relative, const io::SetupFile& setup, std::string& why) {
  if (broken_setups().count(relative)) {
    why = broken_setups().at(relative);
    return Expect::broken;
  }
  if (known_limitations().count(relative)) {
    why = known_limitations().at(relative);
    return Expect::known_limitation;
  }
  if (std::holds_alternative<io::ScaleSetup>(setup) || std::holds_alternative<io::InverseKinematicsSetup>(setup) ||
      std::holds_alternative<io::InverseDynamicsSetup>(setup) || std::holds_alternative<io::ForwardSetup>(setup) ||
      std::holds_alternative<io::CmcSetup>(setup) || std::holds_alternative<io::RraSetup>(setup))
    return Expect::runs;
  const auto* analyze = std::get_if<io::AnalyzeSetup>(&setup);
  if (!analyze) {
    why = io::tool_name(setup);
    return Expect::not_supported;
  }
  for (const io::AnalysisSettings& a : analyze->analyses) {
    const bool known = std::holds_alternative<io::StaticOptimizationSettings>(a) ||
                       std::holds_alternative<io::JointReactionSettings>(a) ||
                       std::holds_alternative<io::MuscleAnalysisSettings>(a) ||
                       std::holds_alternative<io::KinematicsSettings>(a) ||
                       std::holds_alternative<io::ActuationSettings>(a) ||
                       std::holds_alternative<io::BodyKinematicsSettings>(a) ||
                       std::holds_alternative<io::PointKinematicsSettings>(a);
    const bool on = std::visit([](const auto& s) { return s.on; }, a);
    if (on && !known) {
      why = std::visit(
          [](const auto& s) -> std::string {
            if constexpr (std::is_same_v<std::decay_t<decltype(s)>, io::UnknownAnalysis>) return s.type;
            else return s.name;
          },
          a);
      return Expect::not_supported;
    }
  }
  return Expect::runs;
}

struct Row {
  std::string setup, tool, result;
  long ms = 0;
};

TEST(ShippedSetups, EverySetupRunsFromAnyFolderOrIsRefusedWithoutWritingAnything) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path data = test::opensim_data();
  std::vector<fs::path> setups;
  for (const auto& e : fs::recursive_directory_iterator(data)) {
    if (!e.is_regular_file() || e.path().extension() != ".xml") continue;
    if (io::classify_opensim_xml(e.path()).kind == io::OpenSimXmlKind::tool_setup)
      setups.push_back(fs::relative(e.path(), data));
  }
  std::sort(setups.begin(), setups.end());
  ASSERT_GE(setups.size(), 40u) << "expected the ~43 setups of the reference data";

  std::vector<Row> rows;
  const fs::path logs = test::temp_dir("shipped-logs");
  int index = 0;
  for (const fs::path& relative : setups) {
    SCOPED_TRACE(relative.string());
    const fs::path root = data_root(relative);
    const fs::path work = test::temp_dir("shipped-" + std::to_string(index));
    const fs::path copy_root = work / root;
    fs::create_directories(copy_root);
    fs::copy(data / root, copy_root, fs::copy_options::recursive);
    if (auto it = extras().find(root.generic_string()); it != extras().end()) {
      for (const Extra& x : it->second) {
        const fs::path from = data / x.from;
        fs::path to = copy_root / x.to;
        if (x.to.back() == '/') to /= from.filename();
        fs::create_directories(to.parent_path());
        fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
      }
    }
    if (auto it = header_fixes().find(root.generic_string()); it != header_fixes().end()) {
      for (const std::string& f : it->second) {
        std::string text = slurp(copy_root / f);
        const size_t at = text.find("inDegrees=no");
        ASSERT_NE(at, std::string::npos) << f;
        text.replace(at, 12, "inDegrees=yes");
        fs::permissions(copy_root / f, fs::perms::owner_write, fs::perm_options::add);
        std::ofstream(copy_root / f) << text;
      }
    }
    const fs::path setup_file = work / relative;
    const io::SetupFile setup = io::read_setup(setup_file);
    std::string why;
    const Expect expect = expectation(relative.generic_string(), setup, why);

    const auto before = snapshot(work);
    const fs::path out = logs / (std::to_string(index) + ".out"), err = logs / (std::to_string(index) + ".err");
    // `cd /`: the setup's relative paths must be taken from its own folder, not the process's.
    const std::string cmd = "cd / && \"" + std::string(FEMUR_CLI) + "\" run --quiet \"" + setup_file.string() +
                            "\" >\"" + out.string() + "\" 2>\"" + err.string() + "\"";
    const auto t0 = std::chrono::steady_clock::now();
    const int status = std::system(cmd.c_str());
    const long ms = static_cast<long>(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    const std::string stderr_text = slurp(err);
    const auto after = snapshot(work);

    Row row{relative.generic_string(), io::tool_name(setup), "", ms};
    if (expect == Expect::runs) {
      EXPECT_EQ(code, 0) << stderr_text;
      std::vector<std::string> written;
      for (const auto& [name, stat] : after)
        if (name.back() != '/' && (!before.count(name) || before.at(name) != stat)) written.push_back(name);
      // FEMUR_KEEP_OUTPUTS=DIR keeps every output under DIR/<setup path>/, so that two builds'
      // outputs can be compared (scripts/compare-outputs.py) around a refactoring.
      if (const char* keep = std::getenv("FEMUR_KEEP_OUTPUTS"); keep && *keep) {
        const fs::path dest = fs::path(keep) / relative;
        for (const std::string& name : written) {
          fs::create_directories((dest / name).parent_path());
          fs::copy_file(work / name, dest / name, fs::copy_options::overwrite_existing);
        }
      }
      EXPECT_FALSE(written.empty()) << "no output file written";
      for (const std::string& name : written) EXPECT_GT(fs::file_size(work / name), 0u) << name;
      row.result = code == 0 ? fmt::format("ok, {} files", written.size())
                             : "FAILED: " + [&] {  // the message, without the temporary path
                                 const std::string line = stderr_text.substr(0, stderr_text.find('\n'));
                                 const size_t xml = line.find(".xml:");
                                 return xml == std::string::npos ? line : line.substr(line.find(' ', xml) + 1);
                               }();
    } else {
      EXPECT_NE(code, 0) << "expected a refusal";
      const std::string needle = expect == Expect::not_supported ? "not supported" : why;
      EXPECT_NE(stderr_text.find(needle), std::string::npos) << "expected '" << needle << "' in: " << stderr_text;
      EXPECT_EQ(before, after) << "a refused setup wrote files";
      row.result = (expect == Expect::not_supported     ? "not supported (" + why + ")"
                    : expect == Expect::known_limitation ? "KNOWN LIMITATION, refused (" + why + ")"
                                                         : "inputs not shipped (" + why + ")") +
                   (code != 0 && stderr_text.find(needle) != std::string::npos ? "" : " UNEXPECTED");
    }
    rows.push_back(row);
    ++index;
  }

  size_t w = 5;
  for (const Row& r : rows) w = std::max(w, r.setup.size());
  std::printf("\n%-*s  %-22s  %8s  %s\n", static_cast<int>(w), "setup", "tool", "wall ms", "result");
  for (const Row& r : rows)
    std::printf("%-*s  %-22s  %8ld  %s\n", static_cast<int>(w), r.setup.c_str(), r.tool.c_str(), r.ms, r.result.c_str());
}

}  // namespace
}  // namespace femur
