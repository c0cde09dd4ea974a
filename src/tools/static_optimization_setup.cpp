// The StaticOptimization analysis of an AnalyzeTool setup (OpenSim/Analyses/StaticOptimization.cpp
// printResults): settings into options, the analysis over the rows AnalyzeTool hands it, and
// the files `<tool>_<analysis>_activation.sto` and `<tool>_<analysis>_force.sto`. (OpenSim
// also writes `_controls.xml`, a ControlSet of the activations for forward simulation; femur
// does not yet.)
#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "femur/tools/static_optimization.hpp"

namespace femur::tools {

namespace {
// The analysis's own messages start with "StaticOptimization: "; here the place says it.
std::string without_prefix(const std::string& message) {
  const std::string prefix = "StaticOptimization: ";
  return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
}
}  // namespace

std::vector<AnalysisFile> run_static_optimization(const io::AnalyzeSetup& setup,
                                                  const io::StaticOptimizationSettings& settings,
                                                  const Model& model, const AnalyzeStates& states,
                                                  const std::vector<int>& rows, const ExternalLoadsData* loads,
                                                  std::vector<std::string>& warnings, double& seconds, int& frames,
                                                  bool show_progress, bool verbose) {
  if (!settings.on || rows.empty()) return {};
  const std::string where = setup.file.string() + (settings.line > 0 ? ":" + std::to_string(settings.line) : "") +
                            ": StaticOptimization '" + settings.name + "': ";
  StaticOptimizationOptions options;
  options.activation_exponent = settings.activation_exponent;
  options.use_muscle_physiology = settings.use_muscle_physiology;
  options.volume_weighted = settings.volume_weighted;
  options.use_model_force_set = settings.use_model_force_set;
  options.convergence_criterion = settings.optimizer_convergence_criterion;
  options.max_iterations = settings.optimizer_max_iterations;
  options.show_progress = show_progress;
  StaticOptimizationResult r;
  try {
    r = static_optimization(model, states, rows, loads, options);
  } catch (const std::exception& e) {
    throw std::runtime_error(where + without_prefix(e.what()));
  }
  // A frame whose inputs are not finite has no solution: the run fails, naming the time.
  for (size_t i = 0; i < r.frames.size(); ++i)
    if (r.frames[i].status == BoundedQpStatus::InvalidInput) {
      const io::FileRef& states = setup.states_file.empty() ? setup.coordinates_file : setup.states_file;
      throw std::runtime_error(where + "the states at time " + std::to_string(r.activations.time[Eigen::Index(i)]) +
                               " s (from " + states.path.string() +
                               ") give non-finite accelerations or loads; a value of the file is out of range "
                               "near that time");
    }
  // One warning for all the frames without a solution within the bounds (the analysis
  // gives one per frame: 1,500 lines for a model without reserves).
  int weak = 0;
  double first = 0.0, last = 0.0, worst = 0.0, worst_time = 0.0;
  for (size_t i = 0; i < r.frames.size(); ++i) {
    if (r.frames[i].status == BoundedQpStatus::Solved) continue;
    const double t = r.activations.time[Eigen::Index(i)];
    if (weak++ == 0) first = t;
    last = t;
    if (r.frames[i].constraint_violation >= worst) worst = r.frames[i].constraint_violation, worst_time = t;
  }
  if (weak > 0) {
    char text[512];
    std::snprintf(text, sizeof text,
                  "StaticOptimization '%s': no solution within the actuators' bounds at %d of %zu frames "
                  "(%g to %g s; largest generalized force violation %g at %g s): the model appears too weak "
                  "(add reserve actuators); the last iterate is kept",
                  settings.name.c_str(), weak, r.frames.size(), first, last, worst, worst_time);
    warnings.push_back(text);
  }
  for (const std::string& w : r.warnings)
    if (verbose || w.find("no solution within the actuators' bounds") == std::string::npos)
      warnings.push_back("StaticOptimization '" + settings.name + "': " + without_prefix(w));
  seconds += r.seconds;
  frames = std::max(frames, r.activations.rows());
  const std::string base = setup.name + "_" + settings.name;
  std::vector<AnalysisFile> out;
  out.push_back({base + "_activation.sto", std::move(r.activations)});
  out.push_back({base + "_force.sto", std::move(r.forces)});
  return out;
}

}  // namespace femur::tools
