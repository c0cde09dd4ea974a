// The RRATool setup adapter (OpenSim/Tools/RRATool.cpp run, adjustCOMToReduceResiduals,
// computeAverageResiduals, writeAdjustedModel; OPENSIM-NOTES.md C.10): CMC's machinery with the
// residual and reserve actuators of the setup's force set, a 1 ms window and the slow target;
// before tracking, the centre of mass of `adjusted_com_body` moved to cancel the average
// residual moments, and the mass change that would cancel the average vertical residual
// recommended. Outputs: CMC's files, <name>_avgResiduals.txt, and the adjusted model.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "femur/io/osim_reader.hpp"
#include "femur/io/osim_writer.hpp"
#include "femur/io/output_files.hpp"
#include "femur/tools/cmc_tool.hpp"

namespace femur::tools {

namespace fs = std::filesystem;

namespace {

constexpr const char* kResiduals[6] = {"FX", "FY", "FZ", "MX", "MY", "MZ"};

std::string place(const io::RraSetup& setup) { return io::setup_place(setup.file, 0); }

// Time average of each column: trapezoidal integral over the rows / their time span
// (Storage::computeAverage).
Eigen::VectorXd time_average(const Eigen::VectorXd& time, const Eigen::MatrixXd& data) {
  const Eigen::Index n = time.size();
  if (n == 1) return data.row(0).transpose();
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(data.cols());
  for (Eigen::Index i = 1; i < n; ++i) sum += 0.5 * (time[i] - time[i - 1]) * (data.row(i) + data.row(i - 1)).transpose();
  const double span = time[n - 1] - time[0];
  return span > 0 ? Eigen::VectorXd(sum / span) : Eigen::VectorXd(data.row(0).transpose());
}

// Moves a body's centre of mass in its frame and updates the derived inertia.
void move_mass_center(Model& model, int body, const Vec3& com) {
  Body& b = model.bodies[static_cast<size_t>(body)];
  b.com_in_body = com;
  const Joint& joint = model.joints[static_cast<size_t>(b.joint)];
  b.inertia_in_M = SpatialInertia::from_com(b.mass, b.com_in_body, b.inertia_about_com).transformed(joint.X_child_M.inverse());
}

}  // namespace

RunReport run_rra_setup(const io::RraSetup& setup, const RunOptions& options, const GivenInputs& given) {
  std::vector<std::string> warnings;
  std::vector<std::string> notes;
  CmcPrepared p = prepare_cmc(setup, true, warnings, given);
  p.settings.show_progress = !options.quiet;

  // Residual columns among the CMC controls.
  int residual[6];
  for (int i = 0; i < 6; ++i) {
    residual[i] = -1;
    for (size_t j = 0; j < p.controls.size(); ++j)
      if (p.controls[j].control.name == std::string(kResiduals[i]) + ".excitation") residual[i] = static_cast<int>(j);
  }

  std::string adjusted_model_text;
  fs::path adjusted_model_path;
  if (setup.adjust_com_to_reduce_residuals) {
    const int body = p.model->body_index(setup.adjusted_com_body);
    if (body <= 0)
      throw std::runtime_error(place(setup) + "<adjusted_com_body>: '" + setup.adjusted_com_body +
                               "' is not a body of the model");
    for (int i = 0; i < 6; ++i)
      if (residual[i] < 0)
        throw std::runtime_error(place(setup) + "<adjust_com_to_reduce_residuals>: the actuators have no residual '" +
                                 kResiduals[i] + "' (FX, FY, FZ, MX, MY, MZ are averaged)");
    // The window: the requested times, else the run's; each end at the last data row at or
    // before it.
    double t0 = p.initial_time, t1 = p.final_time;
    if (setup.initial_time_for_com_adjustment != -1.0 || setup.final_time_for_com_adjustment != -1.0) {
      t0 = setup.initial_time_for_com_adjustment;
      t1 = setup.final_time_for_com_adjustment;
    }
    std::vector<double> times;
    for (double x : p.desired.q.x)
      if (x >= t0 - 1e-12 && x <= t1 + 1e-12) times.push_back(x);
    if (times.size() < 2)
      throw std::runtime_error(place(setup) + fmt::format("the centre-of-mass adjustment window {} to {} s holds fewer "
                                                          "than two rows of the desired kinematics",
                                                          t0, t1));
    Eigen::MatrixXd forces;
    try {
      forces = least_squares_actuator_forces(*p.sm, p.desired, p.controls, times);
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(place(setup) + "RRA centre-of-mass adjustment: " + e.what());
    }
    Eigen::MatrixXd res(static_cast<Eigen::Index>(times.size()), 6);
    for (int i = 0; i < 6; ++i) res.col(i) = forces.col(residual[i]);
    const Eigen::VectorXd avg =
        time_average(Eigen::Map<const Eigen::VectorXd>(times.data(), static_cast<Eigen::Index>(times.size())), res);
    const double gy = p.model->gravity.y();
    const Body& b = p.model->bodies[static_cast<size_t>(body)];
    const double W = std::abs(gy) * b.mass;
    const double dx = std::clamp(avg[5] / W, -0.1, 0.1);   // MZ
    const double dz = std::clamp(-avg[3] / W, -0.1, 0.1);  // -MX
    Vec3 com = b.com_in_body;
    com.x() -= dx;
    com.z() -= dz;
    notes.push_back(fmt::format("RRA: average residuals before adjustment FX {:.6g} FY {:.6g} FZ {:.6g} MX {:.6g} "
                                "MY {:.6g} MZ {:.6g}",
                                avg[0], avg[1], avg[2], avg[3], avg[4], avg[5]));
    notes.push_back(fmt::format("RRA: {} centre of mass moved from ({:.6g}, {:.6g}, {:.6g}) to ({:.6g}, {:.6g}, {:.6g})",
                                setup.adjusted_com_body, b.com_in_body.x(), b.com_in_body.y(), b.com_in_body.z(),
                                com.x(), com.y(), com.z()));
    // Recommended mass change (RRATool::adjustCOMToReduceResiduals): dm = FY / g_y, spread over
    // the bodies in proportion to their masses; logged, never applied.
    const double dm = avg[1] / gy;
    double total = 0.0;
    for (const Body& x : p.model->bodies) total += x.mass;
    std::string per_body;
    for (size_t i = 1; i < p.model->bodies.size(); ++i) {
      const Body& x = p.model->bodies[i];
      if (x.mass <= 0) continue;
      per_body += fmt::format("\n  {}: {:.6g} kg -> {:.6g} kg", x.name, x.mass, x.mass + dm * x.mass / total);
    }
    notes.push_back(fmt::format("RRA: recommended total mass change {:.6g} kg (total {:.6g} kg -> {:.6g} kg):{}", dm,
                                total, total + dm, per_body));

    move_mass_center(*p.model, body, com);
    p.sm = make_simulation_model(*p.model, p.has_loads ? &p.loads : nullptr);

    // The adjusted model (RRATool::writeAdjustedModel): the model file with its own force set,
    // the new centre of mass, no RRA actuators, external loads or CMC controller.
    Model original = given.model ? *given.model : io::read_osim(setup.model_file.path, nullptr);
    const int ob = original.body_index(setup.adjusted_com_body);
    move_mass_center(original, ob, com);
    adjusted_model_text = io::format_osim(original);
    adjusted_model_path = !setup.output_model_file.empty() ? setup.output_model_file.path
                                                            : setup.file.parent_path() / "adjusted_model.osim";
  }

  CmcResult r;
  try {
    r = run_cmc(*p.sm, p.desired, p.tasks, p.controls, p.initial_time, p.final_time, p.initial_state, p.settings,
                p.points);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(place(setup) + e.what());
  }
  std::vector<CmcOutput> outputs = cmc_outputs(setup, p, r);

  // <name>_avgResiduals.txt: the averages of the residual actuators' forces over the run.
  for (const CmcOutput& o : outputs) {
    if (o.file_name != setup.name + "_Actuation_force.sto") continue;
    std::string text = "Average Residuals:\n\n";
    std::vector<int> cols;
    for (const char* name : kResiduals) cols.push_back(o.table.column(name));
    Eigen::MatrixXd data(o.table.rows(), 6);
    for (int i = 0; i < 6; ++i) data.col(i) = cols[static_cast<size_t>(i)] >= 0 ? Eigen::VectorXd(o.table.data.col(cols[static_cast<size_t>(i)])) : Eigen::VectorXd::Zero(o.table.rows());
    const Eigen::VectorXd avg = time_average(o.table.time, data);
    for (int i = 0; i < 6; ++i)
      if (cols[static_cast<size_t>(i)] >= 0) text += fmt::format("{} average = {:g}\n", kResiduals[i], avg[i]);
    outputs.push_back({setup.name + "_avgResiduals.txt", {}, text, {}});
    break;
  }

  if (!adjusted_model_text.empty())
    outputs.push_back({adjusted_model_path.filename().string(), {}, adjusted_model_text, adjusted_model_path});
  RunReport report = write_cmc_outputs(setup, options, std::move(outputs));
  if (!options.quiet) {
    for (const std::string& w : warnings) std::fprintf(stderr, "femur: warning: %s\n", w.c_str());
    for (const std::string& n : notes) std::fprintf(stderr, "femur: %s\n", n.c_str());
    std::fprintf(stderr, "femur: rra: %.4g s tracked (%ld windows, %d steps) in %.3f s\n",
                 p.final_time - p.settings.window - r.start_time, r.windows, r.rows.rows(), r.seconds);
  }
  report.frames = r.rows.rows();
  report.seconds = r.seconds;
  report.warnings = warnings;
  return report;
}

}  // namespace femur::tools
