// Scenario `tight-hip-flexors-gait`: do tight hip flexors shorten the stride? Not on still
// postures (elderly-step-length answers it with a passive-moment cap and a fixed step
// geometry) but on predicted walking: the motion comes out of the muscles (issue 16, "Must
// hold").
//
// The model and problem are Moco's example2DWalking (../shared/opensim/Moco/example2DWalking,
// found through FEMUR_OPENSIM_DATA; OpenSim/Examples/Moco/example2DWalking/example2DWalking.cpp):
// 2D_gait.osim, 18 DeGrooteFregly2016 muscles with rigid tendons, smooth sphere contact. As the
// example does, the reference coordinates and GRF are tracked first (`femur track`'s problem),
// then half a symmetric gait cycle at 1.2 m/s is predicted minimising the cubed excitations per
// metre (`femur predict` with tests/data/ocp/gait_prediction.problem, written out below). The
// prediction is repeated with the hip flexors (iliopsoas and rectus femoris, both legs: the
// half-cycle symmetry pairs the legs) shortened step by step, each warm-started from the
// previous solution.
//
// Tightness is modelled as a shorter optimal fiber length, tendon slack length unchanged, not as
// a stiffer passive curve: an adaptively shortened muscle has lost sarcomeres in series
// (Gajdosik 2001, Clin Biomech 16:87-101, on muscle length adaptation), so at a given hip angle
// its fibers sit further out on the same passive force-length curve, passive tension starts at a
// smaller hip extension, and the active force-length curve shifts with it. A stiffer curve
// (DeGrooteFregly2016's passive_fiber_strain_at_one_norm_force) would raise the slope but not
// move where tension starts, which is what a clinician's Thomas test measures.
#include "scenario_hip_flexors_gait.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <mutex>
#include <numbers>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "femur/io/external_loads.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/table.hpp"
#include "femur/ocp/contact_groups.hpp"
#include "femur/ocp/gait_collocation.hpp"
#include "femur/ocp/gait_problem_file.hpp"
#include "scenario_report.hpp"
#include "scenarios.hpp"

namespace femur::hip::detail {

double stride_per_extension_cm_per_deg(const std::vector<FlexorGaitStep>& steps) {
  if (steps.size() < 2) return std::nan("");
  double mx = 0, my = 0;
  for (const FlexorGaitStep& s : steps) mx += s.peak_hip_extension_deg, my += 100.0 * s.stride_m;
  mx /= static_cast<double>(steps.size());
  my /= static_cast<double>(steps.size());
  double sxx = 0, sxy = 0;
  for (const FlexorGaitStep& s : steps) {
    sxx += (s.peak_hip_extension_deg - mx) * (s.peak_hip_extension_deg - mx);
    sxy += (s.peak_hip_extension_deg - mx) * (100.0 * s.stride_m - my);
  }
  return sxx > 1e-12 ? sxy / sxx : std::nan("");
}

SlopeInterval group_slope_interval(const GroupGait& a, const GroupGait& b, double z) {
  const double nan = std::nan("");
  const double dE = a.extension_deg - b.extension_deg, dL = 100.0 * (a.stride_m - b.stride_m);
  if (a.n < 1 || b.n < 1 || dE == 0.0) return {nan, nan, nan};
  const double var_dE = a.extension_sd_deg * a.extension_sd_deg / a.n + b.extension_sd_deg * b.extension_sd_deg / b.n;
  const double var_dL = 1e4 * (a.stride_sd_m * a.stride_sd_m / a.n + b.stride_sd_m * b.stride_sd_m / b.n);
  const double r = dL / dE;
  // With no stride difference the relative form is undefined: se(r) = sqrt(var_dL) / |dE|.
  const double se = dL != 0.0 ? std::abs(r) * std::sqrt(var_dL / (dL * dL) + var_dE / (dE * dE))
                              : std::sqrt(var_dL) / std::abs(dE);
  return {r, r - z * se, r + z * se};
}

report::Verdict hip_flexors_gait_verdict(const std::vector<FlexorGaitStep>& steps, const FlexorGaitRule& rule,
                                         const std::string& missing) {
  using report::format_number;
  const SlopeInterval& ref = rule.reference;
  report::Verdict v;
  v.claim = fmt::format(
      "Tighter hip flexors make the predicted gait lose peak hip extension and shorten its stride, by as much per "
      "degree of lost extension as young and elderly adults differ (Kerrigan 2001: {} cm per degree, {}-{} at {} "
      "standard errors of the paper's group means).",
      format_number(ref.slope, 2), format_number(ref.lo, 2), format_number(ref.hi, 2), format_number(rule.spread_z, 2));
  v.status = report::VerdictStatus::CannotAnswer;
  if (!missing.empty()) {
    v.text = "The walking model and its reference data were not found (" + missing +
             "): set FEMUR_OPENSIM_DATA to OpenSim's shared data folder (see ../shared/opensim/README.md).";
    return v;
  }
  if (steps.size() < 2) {
    v.text = "Fewer than two predicted gaits: nothing to compare.";
    return v;
  }
  for (const FlexorGaitStep& s : steps)
    if (!s.converged || !s.walks) {
      v.text = fmt::format("The prediction with the flexors {}% shorter {}: the model cannot answer.",
                           format_number(s.shortening_pct, 0),
                           !s.converged ? "did not converge (" + s.failure + ")" : "does not walk (" + s.failure + ")");
      return v;
    }
  const FlexorGaitStep &a = steps.front(), &b = steps.back();
  const double lost = a.peak_hip_extension_deg - b.peak_hip_extension_deg;
  const double shorter_cm = 100.0 * (a.stride_m - b.stride_m);
  const double slope = stride_per_extension_cm_per_deg(steps);
  const double lo = ref.lo, hi = ref.hi;
  const bool loses = lost >= rule.min_extension_loss_deg;
  const bool shortens = shorter_cm >= 100.0 * rule.min_stride_change_m;
  const bool in_band = std::isfinite(slope) && slope >= lo && slope <= hi;
  if (!loses || !shortens)
    v.status = report::VerdictStatus::NotSupported;
  else
    v.status = in_band ? report::VerdictStatus::Supported : report::VerdictStatus::Partly;
  v.text = fmt::format(
      "From {}% to {}% shorter flexors the predicted peak hip extension goes from {} to {} deg ({} deg {}) and the "
      "stride from {} to {} m ({} cm {}) at the same 1.2 m/s. ",
      format_number(a.shortening_pct, 0), format_number(b.shortening_pct, 0),
      format_number(a.peak_hip_extension_deg, 1), format_number(b.peak_hip_extension_deg, 1),
      format_number(std::abs(lost), 1), lost >= 0 ? "lost" : "gained", format_number(a.stride_m, 3),
      format_number(b.stride_m, 3), format_number(std::abs(shorter_cm), 1), shorter_cm >= 0 ? "shorter" : "longer");
  if (!loses)
    v.text += fmt::format("Less than {} deg of extension was lost, so the tightening did not act through the hip "
                          "extension the claim is about: not supported.",
                          format_number(rule.min_extension_loss_deg, 1));
  else if (!shortens)
    v.text += fmt::format("The stride did not shorten by at least {} cm: not supported.",
                          format_number(100.0 * rule.min_stride_change_m, 1));
  else
    v.text += fmt::format("Over the steps the stride changes by {} cm per degree of peak extension, {} the spread of "
                          "Kerrigan's {} ({}-{} cm per degree).",
                          format_number(slope, 2), in_band ? "within" : "outside",
                          format_number(ref.slope, 2), format_number(lo, 2), format_number(hi, 2));
  // How far the deciding numbers sit from their thresholds: within a factor 2 the verdict turns
  // with the threshold (a --set key) or with another local optimum of the same problem.
  const auto near = [](double value, double threshold) {
    return threshold > 0.0 && value > 0.5 * threshold && value < 2.0 * threshold;
  };
  if (near(lost, rule.min_extension_loss_deg) || near(shorter_cm, 100.0 * rule.min_stride_change_m))
    v.text += fmt::format(" Fragile: {} deg lost against min_extension_loss {} deg, {} cm shorter against "
                          "min_stride_change {} cm; within a factor 2 of a threshold the verdict turns with that "
                          "--set key.",
                          format_number(lost, 2), format_number(rule.min_extension_loss_deg, 1),
                          format_number(shorter_cm, 2), format_number(100.0 * rule.min_stride_change_m, 1));
  v.text += fmt::format(" It would be not supported if the tightest step lost less than {} deg of peak extension or "
                        "its stride were not at least {} cm shorter than with normal flexors; partly if the slope fell "
                        "outside {}-{} cm per degree.",
                        format_number(rule.min_extension_loss_deg, 1), format_number(100.0 * rule.min_stride_change_m, 1),
                        format_number(lo, 2), format_number(hi, 2));
  return v;
}

namespace {

namespace fs = std::filesystem;

constexpr const char* kFolder = "Moco/example2DWalking";
constexpr const char* kModelFile = "2D_gait.osim";
constexpr const char* kCoordinatesFile = "referenceCoordinates.sto";
constexpr const char* kLoadsFile = "referenceGRF.xml";
// The hip flexors of 2D_gait.osim (both legs).
const std::vector<std::string> kFlexors = {"iliopsoas_r", "iliopsoas_l", "rect_fem_r", "rect_fem_l"};

// Moco's gaitPrediction (example2DWalking.cpp), as tests/data/ocp/gait_prediction.problem
// writes it (docs/cli.md); the iteration limit raised from Moco's 1000 because one prediction
// from the tracking solution needed more (docs/validation.md).
constexpr const char* kPredictionProblem =
    "time 0 0.4 0.6\n"
    "mesh_intervals 50\n"
    "symmetry gait\n"
    "average_speed 1.2 pelvis_tx\n"
    "effort 10 3 divide_by_displacement\n"
    "bound pelvis_tilt -20 -10\n"
    "bound pelvis_tx 0 1\n"
    "bound pelvis_ty 0.75 1.25\n"
    "bound hip_flexion_l -10 60\n"
    "bound hip_flexion_r -10 60\n"
    "bound knee_angle_l -50 0\n"
    "bound knee_angle_r -50 0\n"
    "bound ankle_angle_l -15 25\n"
    "bound ankle_angle_r -15 25\n"
    "bound lumbar 0 20\n"
    "tolerance 1e-4\n"
    "constraint_tolerance 1e-4\n"
    "max_iterations 3000\n";

// Kerrigan DC, Lee LW, Collins JJ, Riley PO, Lipsitz LA (2001) Reduced hip extension during
// walking: healthy elderly and fallers versus young adults. Arch Phys Med Rehabil 82:26-30,
// abstract (Participants; Results): 30 healthy young adults, 23 healthy elderly (nonfallers), 16
// elderly fallers; peak hip extension at comfortable speed, mean +- SD, 20.4 +- 4.0 deg young,
// 14.3 +- 4.4 deg elderly nonfallers, 11.1 +- 4.8 deg fallers. Checked 2026-12-07 against the
// abstract (ISI record, Arch Phys Med Rehabil 82(1):26-30). The groups' stride lengths and their
// spread (young_stride, elderly_stride, *_stride_sd) are not in the abstract and the paper's
// tables were not found with the search tool: the stride defaults are unverified (recalled, not
// read) and the stride SDs default to 0, so the reference interval counts only the verified
// extension spread (docs/validation.md).
constexpr double kYoungExtension = 20.4, kYoungExtensionSd = 4.0;
constexpr double kElderlyExtension = 14.3, kElderlyExtensionSd = 4.4;
constexpr int kYoungN = 30, kElderlyN = 23;
constexpr const char* kKerrigan2001 =
    "Kerrigan DC, Lee LW, Collins JJ, Riley PO, Lipsitz LA (2001) Reduced hip extension during walking: healthy "
    "elderly and fallers versus young adults. Arch Phys Med Rehabil 82:26-30";

fs::path opensim_data() {
  if (const char* env = std::getenv("FEMUR_OPENSIM_DATA"); env && *env) return fs::path(env);
  return fs::path("..") / "shared" / "opensim";
}

// One predicted gait, with what the report shows of it.
struct Prediction {
  FlexorGaitStep step;
  double half_cycle = 0, cadence = 0, objective = 0, seconds = 0;
  int iterations = 0;
  double peak_grf_bw = 0;
  double tilt_min_deg = 0, tilt_max_deg = 0;  // pelvis_tilt over the half cycle (negative: anterior)
  std::vector<double> cycle_pct, hip_deg;  // right hip flexion over the full cycle
  std::vector<std::vector<double>> q;       // 2D_gait's coordinates per node (first half cycle)
};

struct Findings {
  std::string missing;
  std::vector<std::string> coordinates;  // 2D_gait's coordinate names
  int track_iterations = 0;
  double track_seconds = 0, track_angle_rms = 0;
  bool track_converged = false;
  std::string track_failure;
  std::vector<Prediction> steps;
  double seconds = 0;
};

// Moco's example2DWalking tracking problem as `femur track` solves it with its defaults
// (docs/cli.md; tests/ocp/track_cli_test.cpp gives the same command).
ocp::GaitProblem tracking_problem(const Model& model, const io::Table& coordinates, const io::Table& grf,
                                  const std::vector<ocp::ContactGroup>& groups) {
  ocp::GaitProblem pb = ocp::parse_gait_problem(kPredictionProblem, "tight-hip-flexors-gait", model);
  pb.free_final_time = false;
  pb.initial_time = coordinates.time[0];
  pb.final_time = coordinates.time[coordinates.rows() - 1];
  pb.average_speed = std::nan("");
  pb.effort_exponent = 2.0;
  pb.effort_weight = 10.0;
  pb.effort_divide_by_displacement = false;
  pb.states_reference = &coordinates;
  pb.lowpass_hz = 6.0;
  pb.states_weight = 1.0;
  pb.track_speeds = true;
  pb.grf_reference = &grf;
  pb.grf_groups = groups;
  pb.grf_weight = 1.0;
  pb.grf_normalize = true;
  pb.solver.max_iterations = 1000;
  pb.solver.exact_hessian = true;  // femur track's default
  return pb;
}

std::string failure_of(const ocp::GaitSolution& s) {
  return fmt::format("{} after {} iterations; largest constraint violation {:.3g}: {}", s.nlp.message,
                     s.nlp.iterations, s.worst_violation, s.worst_constraint);
}

Prediction describe(const Model& model, const ocp::GaitSolution& s, double shortening, double body_weight,
                    double effort_weight) {
  Prediction p;
  p.step.shortening_pct = shortening;
  p.step.converged = s.success;
  p.iterations = s.nlp.iterations;
  p.seconds = s.seconds_setup + s.nlp.seconds;
  p.objective = s.nlp.objective;
  if (!s.success) p.step.failure = failure_of(s);
  const io::Table& t = s.trajectory;
  const int tx = t.column("/jointset/groundPelvis/pelvis_tx/value");
  const int hr = t.column("/jointset/hip_r/hip_flexion_r/value");
  const int hl = t.column("/jointset/hip_l/hip_flexion_l/value");
  if (t.rows() < 2 || tx < 0 || hr < 0 || hl < 0) {
    p.step.converged = false;
    p.step.failure = "the solution has no pelvis_tx or hip_flexion columns";
    return p;
  }
  const int last = t.rows() - 1;
  p.half_cycle = t.time[last] - t.time[0];
  const double d = t.data(last, tx) - t.data(0, tx);
  p.step.stride_m = 2.0 * d;
  p.cadence = 60.0 / p.half_cycle;
  p.step.effort_per_m = s.objective_effort / effort_weight;
  const double deg = 180.0 / std::numbers::pi;
  double min_hip = std::numeric_limits<double>::infinity();
  // The full cycle of the right hip: its half, then the left hip's (the symmetry).
  for (int half = 0; half < 2; ++half)
    for (int i = 0; i <= last; ++i) {
      if (half == 1 && i == 0) continue;  // the same instant as the first half's last node
      const double h = t.data(i, half == 0 ? hr : hl);
      min_hip = std::min(min_hip, h);
      p.cycle_pct.push_back(100.0 * (half * p.half_cycle + t.time[i] - t.time[0]) / (2.0 * p.half_cycle));
      p.hip_deg.push_back(h * deg);
    }
  p.step.peak_hip_extension_deg = -min_hip * deg;
  if (const int pt = t.column("/jointset/groundPelvis/pelvis_tilt/value"); pt >= 0) {
    p.tilt_min_deg = t.data.col(pt).minCoeff() * deg;
    p.tilt_max_deg = t.data.col(pt).maxCoeff() * deg;
  }
  std::vector<int> qcol;  // each coordinate's value column
  for (const Coordinate& c : model.coordinates) {
    int col = -1;
    const std::string tail = "/" + c.name + "/value";
    for (int j = 0; j < static_cast<int>(t.labels.size()); ++j)
      if (t.labels[static_cast<size_t>(j)].size() >= tail.size() &&
          t.labels[static_cast<size_t>(j)].compare(t.labels[static_cast<size_t>(j)].size() - tail.size(), tail.size(), tail) == 0)
        col = j;
    qcol.push_back(col);
  }
  for (int i = 0; i <= last; ++i) {
    std::vector<double> q(qcol.size(), 0.0);
    for (size_t k = 0; k < qcol.size(); ++k)
      if (qcol[k] >= 0) q[k] = t.data(i, qcol[k]);
    p.q.push_back(std::move(q));
  }
  if (s.grf.rows() > 1 && s.grf.cols() >= 6) {
    const ocp::WalkCheck w = ocp::check_walking(s.grf.data.col(1), s.grf.data.col(4), body_weight);
    p.step.walks = w.walks;
    p.peak_grf_bw = std::max(w.peak_first, w.peak_second);
    if (!w.walks) p.step.failure = w.reason;
  } else {
    p.step.failure = "no ground reaction in the solution";
  }
  return p;
}

// Track, then predict at each shortening warm-started from the previous solution.
void solve_steps(const ScenarioParameters& P, Findings& f) {
  const auto start = std::chrono::steady_clock::now();
  const fs::path dir = opensim_data() / kFolder;
  for (const char* name : {kModelFile, kCoordinatesFile, kLoadsFile})
    if (!fs::is_regular_file(dir / name)) {
      f.missing = (dir / name).string();
      return;
    }
  const Model base = io::read_osim(dir / kModelFile);
  for (const Coordinate& c : base.coordinates) f.coordinates.push_back(c.name);
  const io::ExternalLoads xml = io::read_external_loads(dir / kLoadsFile);
  const io::Table coordinates = io::read_sto(dir / kCoordinatesFile);
  const io::Table grf = io::read_sto(xml.datafile.path);
  const std::vector<ocp::ContactGroup> groups = ocp::contact_groups_from_loads(base, xml, (dir / kLoadsFile).string());
  double mass = 0.0;
  for (const Body& b : base.bodies) mass += b.mass;
  const double body_weight = mass * base.gravity.norm();

  const ocp::GaitSolution track = ocp::solve_gait(base, tracking_problem(base, coordinates, grf, groups));
  f.track_iterations = track.nlp.iterations;
  f.track_seconds = track.seconds_setup + track.nlp.seconds;
  f.track_converged = track.success;
  if (!track.success) {
    f.track_failure = failure_of(track);
    f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return;
  }
  f.track_angle_rms = ocp::compare_gait(base, track, coordinates, nullptr, {}).joint_angle_rms_deg;

  io::Table guess = track.trajectory;
  const int steps = P.get_int("steps");
  const double max_short = P.get("max_shortening");
  for (int k = 0; k < steps; ++k) {
    const double shortening = steps > 1 ? max_short * k / (steps - 1) : 0.0;
    Model model = base;
    for (ForceElement& e : model.forces)
      if (auto* m = std::get_if<MuscleParameters>(&e.part))
        if (std::find(kFlexors.begin(), kFlexors.end(), e.name) != kFlexors.end())
          m->optimal_fiber_length *= 1.0 - shortening / 100.0;
    ocp::GaitProblem pb = ocp::parse_gait_problem(kPredictionProblem, "tight-hip-flexors-gait", model);
    // Moco's lower bound on pelvis_tilt (-20 deg: the most anterior tilt allowed) unless widened.
    pb.coordinate_bounds["pelvis_tilt"].first = P.get("pelvis_tilt_min") * std::numbers::pi / 180.0;
    pb.guess = &guess;
    pb.grf_groups = groups;  // reported, not tracked
    ocp::GaitSolution s;
    try {
      s = ocp::solve_gait(model, pb);
    } catch (const std::invalid_argument& e) {  // e.g. a guess outside the bounds
      Prediction p;
      p.step.shortening_pct = shortening;
      p.step.failure = e.what();
      f.steps.push_back(std::move(p));
      break;
    }
    f.steps.push_back(describe(model, s, shortening, body_weight, pb.effort_weight));
    if (!f.steps.back().step.converged || !f.steps.back().step.walks) break;  // the verdict cannot use the rest
    guess = s.trajectory;
  }
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The solves for the last data folder and model keys, so that run_scenario's reruns over the
// verdict's choices do not solve again (minutes).
Findings findings(const ScenarioParameters& P) {
  static std::mutex mutex;
  static std::vector<double> last_key;
  static std::string last_data;
  static Findings last;
  std::vector<double> key = {P.get("steps"), P.get("max_shortening"), P.get("pelvis_tilt_min")};
  const std::string data = fs::absolute(opensim_data()).string();
  std::lock_guard<std::mutex> lock(mutex);
  if (key != last_key || data != last_data) {
    Findings f;
    solve_steps(P, f);
    last = std::move(f);
    last_key = std::move(key);
    last_data = data;
  }
  return last;
}

FlexorGaitRule rule_of(const ScenarioParameters& P) {
  FlexorGaitRule r;
  r.min_stride_change_m = P.get("min_stride_change") / 100.0;
  r.min_extension_loss_deg = P.get("min_extension_loss");
  r.spread_z = P.get("spread_z");
  const GroupGait young{kYoungExtension, kYoungExtensionSd, P.get("young_stride"), P.get("young_stride_sd"), kYoungN};
  const GroupGait elderly{kElderlyExtension, kElderlyExtensionSd, P.get("elderly_stride"), P.get("elderly_stride_sd"),
                          kElderlyN};
  r.reference = group_slope_interval(young, elderly, r.spread_z);
  return r;
}

std::vector<FlexorGaitStep> steps_of(const Findings& f) {
  std::vector<FlexorGaitStep> out;
  for (const Prediction& p : f.steps) out.push_back(p.step);
  return out;
}

ScenarioResult present(const ScenarioParameters& P, const Findings& f) {
  ReportParts parts;
  const FlexorGaitRule rule = rule_of(P);
  const std::vector<FlexorGaitStep> steps = steps_of(f);
  parts.verdict = hip_flexors_gait_verdict(steps, rule, f.missing);
  if (f.missing.empty() && !f.track_converged) {
    parts.verdict.status = report::VerdictStatus::CannotAnswer;
    parts.verdict.text = "Tracking the reference gait, the first guess, did not converge (" + f.track_failure +
                         "): the model cannot answer.";
  }
  const double slope = stride_per_extension_cm_per_deg(steps);
  int at_bound = 0;
  for (const Prediction& p : f.steps) at_bound += p.tilt_min_deg <= P.get("pelvis_tilt_min") + 0.05;
  if (at_bound > 0)
    parts.verdict.text += fmt::format(
        " In {} of the {} predictions the pelvis sits at its anterior-tilt bound ({} deg, Moco's problem): the bound, "
        "not only the muscles, shapes the hip angle at push-off, and the verdict depends on it. Rerun with --set "
        "pelvis_tilt_min=-30 to free the pelvis (measured once: the stride then keeps its length and the verdict is not "
        "supported; docs/validation.md).",
        at_bound, f.steps.size(), format_number(P.get("pelvis_tilt_min"), 0));
  parts.method = fmt::format(
      "Moco's example2DWalking ({}/{}: 2D_gait.osim, 18 DeGrooteFregly2016 muscles, rigid tendons, smooth sphere "
      "contact). First its reference coordinates and GRF are tracked as `femur track` does ({} iterations, {} s, joint "
      "angles {} deg RMS from the reference); then half a symmetric gait cycle at 1.2 m/s is predicted minimising the "
      "cubed excitations per metre (Moco's gaitPrediction, `femur predict` with tests/data/ocp/gait_prediction.problem), "
      "with the optimal fiber length of {} shortened by 0 to {}% in {} steps (tendon slack unchanged), each warm-started "
      "from the previous solution. Stride = twice the half cycle's pelvis travel; peak hip extension = the largest "
      "-hip_flexion of the full cycle (the right hip's half, then the left's); effort = integral of the summed cubed "
      "controls (18 excitations and the lumbar actuator's) over the half cycle per metre travelled. Whole run {} s on this machine (minutes: not part of `femur "
      "demo`).",
      kFolder, kModelFile, f.track_iterations, format_number(f.track_seconds, 1), format_number(f.track_angle_rms, 2),
      join_names(kFlexors), format_number(P.get("max_shortening"), 0), P.get_int("steps"),
      format_number(f.seconds, 0));
  if (!f.steps.empty())
    parts.key_number = {"stride change per degree of lost hip extension", slope, "cm/deg", 2};
  else
    parts.key_number = {"stride change per degree of lost hip extension", std::nan(""), "cm/deg", 2, "not computed"};
  for (const Prediction& p : f.steps) {
    const std::string tag = fmt::format("flexors {}% shorter", format_number(p.step.shortening_pct, 0));
    parts.numbers.push_back({"stride, " + tag, p.step.stride_m, "m", 3});
    parts.numbers.push_back({"peak hip extension, " + tag, p.step.peak_hip_extension_deg, "deg", 1});
    parts.numbers.push_back({"effort per metre, " + tag, p.step.effort_per_m, "", 3});
  }
  if (!f.steps.empty()) parts.numbers.push_back({"stride per degree of peak extension (fit over the steps)", slope, "cm/deg", 2});
  parts.numbers.push_back({"Kerrigan 2001: stride difference per degree of extension", rule.reference.slope, "cm/deg", 2});
  parts.numbers.push_back({"Kerrigan 2001: lower end of its interval", rule.reference.lo, "cm/deg", 2});
  parts.numbers.push_back({"Kerrigan 2001: upper end of its interval", rule.reference.hi, "cm/deg", 2});
  parts.numbers.push_back({"time of the whole run", f.seconds, "s", 0});
  if (!f.steps.empty()) {
    Table t;
    t.title = "Predicted gaits";
    t.header = {"flexors shorter (%)", "converged", "walks", "stride (m)", "half cycle (s)", "cadence (steps/min)",
                "peak hip extension (deg)", fmt::format("pelvis tilt (deg; {} to -10 allowed)", format_number(P.get("pelvis_tilt_min"), 0)), "effort per metre",
                "peak vertical GRF (BW)", "iterations", "time (s)"};
    for (const Prediction& p : f.steps)
      t.rows.push_back({format_number(p.step.shortening_pct, 0), p.step.converged ? "yes" : "no",
                        p.step.walks ? "yes" : "no (" + p.step.failure + ")", format_number(p.step.stride_m, 3),
                        format_number(p.half_cycle, 3), format_number(p.cadence, 1),
                        format_number(p.step.peak_hip_extension_deg, 1),
                        format_number(p.tilt_min_deg, 1) + " to " + format_number(p.tilt_max_deg, 1),
                        format_number(p.step.effort_per_m, 3),
                        format_number(p.peak_grf_bw, 2), fmt::format("{}", p.iterations), format_number(p.seconds, 0)});
    parts.tables.push_back(std::move(t));
    Series stride{"stride (m)", {}, {}, false}, ext{"peak hip extension (deg)", {}, {}, false};
    for (const Prediction& p : f.steps) {
      stride.x.push_back(p.step.shortening_pct);
      stride.y.push_back(p.step.stride_m);
      ext.x.push_back(p.step.shortening_pct);
      ext.y.push_back(p.step.peak_hip_extension_deg);
    }
    parts.figures.push_back(report::line_figure("Stride length as the hip flexors shorten",
                                                "hip flexors' optimal fiber length shortened (%)", "stride (m)",
                                                {stride}, "Predicted at 1.2 m/s (Moco's average-speed constraint)."));
    Figure fe = report::line_figure("Peak hip extension as the hip flexors shorten",
                                    "hip flexors' optimal fiber length shortened (%)", "peak hip extension (deg)", {ext},
                                    "The largest hip extension of the predicted cycle. The band: healthy elderly adults "
                                    "(Kerrigan 2001, 14.3 +- 4.4 deg).");
    report::with_band(fe, 14.3 - 4.4, 14.3 + 4.4, "healthy elderly (Kerrigan 2001)");
    parts.figures.push_back(std::move(fe));
    std::vector<Series> hips;
    for (const Prediction& p : f.steps)
      hips.push_back({fmt::format("{}% shorter", format_number(p.step.shortening_pct, 0)), p.cycle_pct, p.hip_deg,
                      p.step.shortening_pct > 0});
    parts.figures.push_back(report::line_figure(
        "Right hip flexion through the predicted cycle", "gait cycle (%)", "hip flexion (deg; negative: extension)",
        hips, "The right hip's half cycle followed by the left hip's (the prediction is a symmetric half cycle)."));
  }
  if (!f.steps.empty()) {
    const Prediction& first = f.steps.front();
    parts.literature.push_back({"peak hip extension, normal flexors (model, relative to its pelvis)",
                                first.step.peak_hip_extension_deg, kYoungExtension - 4.0, kYoungExtension + 4.0, "deg",
                                kKerrigan2001, "20.4 +- 4.0 deg (young adults)"});
    if (std::isfinite(slope))
      parts.literature.push_back(
          {"stride change per degree of peak hip extension", slope, rule.reference.lo, rule.reference.hi, "cm/deg",
           kKerrigan2001,
           fmt::format("({} - {} m, unverified) / (20.4 - 14.3 deg) = {} cm/deg; {}-{} at {} standard errors (n = 30, "
                       "23; extension SD 4.0, 4.4 deg; stride SD {}, {} m)",
                       format_number(P.get("young_stride"), 2), format_number(P.get("elderly_stride"), 2),
                       format_number(rule.reference.slope, 2), format_number(rule.reference.lo, 2),
                       format_number(rule.reference.hi, 2), format_number(rule.spread_z, 2),
                       format_number(P.get("young_stride_sd"), 2), format_number(P.get("elderly_stride_sd"), 2))});
  }
  parts.limits = {
      "2D_gait is a planar model (Moco's example): no pelvic rotation or obliquity, a lumped iliopsoas and one "
      "rectus femoris per leg, no hip capsule or ligaments. Its hip angle is measured from its own pelvis, whose "
      "neutral differs from the marker-based pelvis of Kerrigan's laboratory: compare changes, not absolute angles.",
      "The prediction holds speed at 1.2 m/s (Moco's problem); Kerrigan's elderly also walked slower, so part of their "
      "shorter stride is speed. The predicted stride can shorten only through a faster cadence.",
      "Unverified: Kerrigan's stride lengths (young_stride 1.43 m, elderly_stride 1.31 m by default) are not in the "
      "paper's abstract and its tables were not found; the defaults are recalled, not read, and must be checked against "
      "the paper before the slope comparison is cited. Their spread is unknown too (young_stride_sd, elderly_stride_sd "
      "default 0): the interval counts only the abstract's extension spread, so it is narrower than the paper's.",
      "Moco's bounds are kept (hip flexion -10 to 60 deg, pelvis tilt -20 to -10 deg): if a step's peak extension sits at "
      "10 deg or its pelvis tilt at a bound, the bound, not the muscles, set it (the table shows the tilt's range; "
      "Kerrigan 2001 found more anterior pelvic tilt in the elderly, which a tilt held at a bound cannot show).",
      "The optimum is local: each step is warm-started from the previous one, and another start may find another gait.",
  };
  return draw(std::move(parts));
}

ScenarioResult run(const Model& model, const ScenarioParameters& P) {
  const Findings f = findings(P);
  ScenarioResult out = present(P, f);
  // The normal-flexor gait, shown on the scenario's model by coordinate name.
  Posture shown{"The predicted half gait cycle with normal hip flexors (2D_gait's coordinates on this model)", {}, {},
                "", {}};
  if (!f.steps.empty())
    for (size_t i = 0; i < f.steps.front().q.size(); ++i) {
      std::vector<double> q(static_cast<size_t>(model.nq), 0.0);
      const Eigen::VectorXd q0 = model.default_q();
      for (int k = 0; k < model.nq; ++k) q[static_cast<size_t>(k)] = q0[k];
      for (size_t c = 0; c < f.coordinates.size(); ++c)
        if (const int k = model.coordinate_index(f.coordinates[c]); k >= 0) q[static_cast<size_t>(k)] = f.steps.front().q[i][c];
      shown.labels.push_back(fmt::format("node {}", i));
      shown.q.push_back(std::move(q));
    }
  if (shown.q.empty()) {
    const Eigen::VectorXd q0 = model.default_q();
    shown.labels.push_back("standing (no prediction)");
    shown.q.emplace_back(q0.data(), q0.data() + q0.size());
  }
  out.postures.push_back(std::move(shown));
  return out;
}

}  // namespace

ScenarioInfo hip_flexors_gait_scenario() {
  ScenarioInfo info;
  info.name = "tight-hip-flexors-gait";
  info.title = "Tight hip flexors in predicted walking";
  info.summary = "predicted gait (Moco's 2D walker) with the hip flexors shortened 0-20%: stride, peak hip extension, "
                 "effort vs Kerrigan 2001 (minutes: 70 s CPU, 91 s wall measured on a loaded machine; not in femur demo)";
  info.heading = "Tight hip flexors: does the predicted stride shorten?";
  info.question =
      "When the hip flexors are tight, and the walking motion itself comes out of the muscles, does the stride shorten "
      "as the hip loses extension, and by as much per degree as young and elderly adults differ?";
  info.parameters = {
      {"max_shortening", "the tightest step: iliopsoas and rectus femoris optimal fiber length shortened by", 20.0, 5.0,
       40.0, "%", false},
      {"steps", "predictions from 0 to max_shortening (equal steps)", 5.0, 2.0, 9.0, "", true},
      {"min_stride_change", "the stride counts as shorter from this much", 1.0, 0.1, 10.0, "cm", false},
      {"min_extension_loss", "the tightening must cost at least this much peak hip extension", 0.5, 0.0, 10.0, "deg",
       false},
      {"spread_z", "the model's stride per degree must lie within this many standard errors of Kerrigan's", 1.96, 0.5,
       5.0, "", false},
      {"young_stride", "young adults' stride at comfortable speed (Kerrigan 2001; unverified default)", 1.43, 0.5, 2.5,
       "m", false},
      {"elderly_stride", "healthy elderly adults' stride at comfortable speed (Kerrigan 2001; unverified default)", 1.31,
       0.5, 2.5, "m", false},
      {"young_stride_sd", "SD of the young adults' stride (Kerrigan 2001; not found: 0 counts only the extension spread)",
       0.0, 0.0, 0.5, "m", false},
      {"elderly_stride_sd", "SD of the elderly adults' stride (Kerrigan 2001; not found: 0 counts only the extension "
       "spread)", 0.0, 0.0, 0.5, "m", false},
      {"pelvis_tilt_min", "the predictions' lower bound on pelvis_tilt (Moco's: -20; negative = anterior)", -20.0, -40.0,
       -10.0, "deg", false},
  };
  info.verdict_choices = {{"spread_z", {1.0, 3.0}}, {"min_stride_change", {0.5, 2.0}}, {"min_extension_loss", {0.25, 1.0}}};
  info.long_running = true;
  info.run = &run;
  return info;
}

}  // namespace femur::hip::detail
