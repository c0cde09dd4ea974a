// The MuscleAnalysis entry point of the AnalyzeTool adapter (src/tools/analyze_setup.cpp):
// setup element -> options, the analysis over the rows AnalyzeTool hands it, and the files
// MuscleAnalysis::printResults writes: `<tool name>_<analysis name>_<storage name>.sto` for
// every storage (MomentArm_<q> and Moment_<q> when compute_moments, then the 18 quantities).
#include <stdexcept>

#include "femur/tools/muscle_analysis.hpp"

namespace femur::tools {

std::vector<AnalysisFile> run_muscle_analysis(const io::AnalyzeSetup& setup, const io::MuscleAnalysisSettings& settings,
                                              const Model& model, const AnalyzeStates& states,
                                              const std::vector<int>& rows, std::vector<std::string>& warnings,
                                              double& seconds, int& frames) {
  const std::string where = (settings.line > 0 ? setup.file.string() + ":" + std::to_string(settings.line) + ": "
                                               : setup.file.string() + ": ") +
                            "MuscleAnalysis '" + settings.name + "': ";
  // MuscleAnalysis::printResults: "Off- not printing." (record() does nothing either).
  if (!settings.on) return {};
  MuscleAnalysisOptions options;
  options.muscle_list = settings.muscle_list;
  options.moment_arm_coordinate_list = settings.moment_arm_coordinate_list;
  options.compute_moments = settings.compute_moments;
  options.solve_for_equilibrium = setup.solve_for_equilibrium_for_auxiliary_states;

  MuscleAnalysisResult r;
  try {
    r = muscle_analysis(model, states, rows, options);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(where + e.what());
  }
  for (const std::string& w : r.warnings) warnings.push_back("MuscleAnalysis '" + settings.name + "': " + w);
  seconds += r.seconds;
  frames = std::max(frames, static_cast<int>(rows.size()));

  const std::string prefix = setup.name + "_" + settings.name + "_";
  std::vector<AnalysisFile> files;
  files.reserve(r.tables.size());
  for (io::Table& t : r.tables) {
    std::string file = prefix + t.name + ".sto";
    files.push_back({std::move(file), std::move(t)});
  }
  return files;
}

}  // namespace femur::tools
