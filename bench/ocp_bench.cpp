// Optimal control (issue 16): OpenSim Moco's MocoInverse problem on 18 muscles
// (../shared/opensim/Moco/MocoInverse: 0.45-1.0 s, mesh interval 0.025 s, Hermite-Simpson, 45
// nodes, 3195 variables, 2555 constraints, tolerances 1e-4). Moco's own solve of it took
// 13.2 s (solver_duration in the standard's header); issue 16's goal is 2 s on 2 cores.
// Not part of `make bench` (it runs whole solves): `make bench-ocp`.
//
//   BM_MocoInverse18_Solve        setup (filter, splines, paths, inverse dynamics at every node)
//                                 and the IPOPT solve with the exact Hessian; counters: IPOPT
//                                 iterations, the share of the solve spent in femur's functions
//                                 and derivatives, and the RMS against Moco's standard
//   BM_MocoInverse18_SolveLbfgs   the same with IPOPT's L-BFGS Hessian
//   BM_MocoInverse18_Derivatives  one evaluation of objective, gradient, constraints and sparse
//                                 Jacobian (dual numbers), and one of the exact Hessian
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "femur/io/external_loads.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/table.hpp"
#include "femur/ocp/gait_collocation.hpp"
#include "femur/ocp/gait_problem_file.hpp"
#include "femur/ocp/muscle_inverse.hpp"
#include "femur/ocp/walk3d_model.hpp"
#include "femur/tools/external_loads.hpp"
#include "support/test_data.hpp"

namespace {

struct Inputs {
  femur::Model model;
  femur::io::Table coordinates, standard;
  femur::tools::ExternalLoadsData loads;
  femur::ocp::MuscleInverseOptions options;
  std::vector<std::string> states, controls;
};

const Inputs* inputs() {
  static std::unique_ptr<Inputs> in;
  if (in) return in.get();
  if (femur::test::opensim_data().empty()) return nullptr;
  in = std::make_unique<Inputs>();
  const auto file = [](const char* name) { return femur::test::opensim_file(std::string("Moco/MocoInverse/") + name); };
  in->model = femur::io::read_osim(file("subject_walk_armless_18musc.osim"));
  in->coordinates = femur::io::read_sto(file("subject_walk_armless_coordinates.mot"));
  const femur::io::ExternalLoads xml = femur::io::read_external_loads(file("subject_walk_armless_external_loads.xml"));
  in->loads = femur::tools::bind_external_loads(in->model, xml, femur::io::read_sto(xml.datafile.path));
  in->standard = femur::io::read_sto(file("std_testMocoInverse_subject_18musc_solution.sto"));
  const int ns = std::stoi(in->standard.metadata.at("num_states"));
  const int nc = std::stoi(in->standard.metadata.at("num_controls"));
  in->states.assign(in->standard.labels.begin(), in->standard.labels.begin() + ns);
  in->controls.assign(in->standard.labels.begin() + ns, in->standard.labels.begin() + ns + nc);
  femur::ocp::MuscleInverseOptions& o = in->options;
  o.initial_time = 0.45;
  o.final_time = 1.0;
  o.mesh_interval = 0.025;
  o.transcription = femur::ocp::Transcription::HermiteSimpson;
  o.lowpass_cutoff_hz = 6.0;
  o.weld_joints = {"subtalar_r", "subtalar_l", "mtp_r", "mtp_l"};
  o.ignore_passive_fiber_force = true;
  return in.get();
}

void solve(benchmark::State& state, bool exact) {
  const Inputs* in = inputs();
  if (!in) return state.SkipWithError("OpenSim data not found (FEMUR_OPENSIM_DATA)");
  femur::ocp::MuscleInverseOptions o = in->options;
  o.solver.exact_hessian = exact;
  femur::ocp::MuscleInverseSolution s;
  for (auto _ : state) {
    s = femur::ocp::solve_muscle_inverse(in->model, in->coordinates, &in->loads, o);
    benchmark::DoNotOptimize(s.nlp.objective);
  }
  if (!s.success) return state.SkipWithError(("solver failed: " + s.nlp.message).c_str());
  state.counters["iterations"] = s.nlp.iterations;
  state.counters["setup_ms"] = 1e3 * s.seconds_setup;
  state.counters["solve_ms"] = 1e3 * s.nlp.seconds;
  state.counters["femur_pct"] = 100.0 * s.nlp.seconds_evaluation / s.nlp.seconds;
  state.counters["ipopt_pct"] = 100.0 * (s.nlp.seconds - s.nlp.seconds_evaluation) / s.nlp.seconds;
  state.counters["rms_states"] = femur::ocp::trajectory_rms(s.trajectory, in->standard, in->states);
  state.counters["rms_controls"] = femur::ocp::trajectory_rms(s.trajectory, in->standard, in->controls);
}

void BM_MocoInverse18_Solve(benchmark::State& state) { solve(state, true); }
void BM_MocoInverse18_SolveLbfgs(benchmark::State& state) { solve(state, false); }

void BM_MocoInverse18_Derivatives(benchmark::State& state) {
  const Inputs* in = inputs();
  if (!in) return state.SkipWithError("OpenSim data not found (FEMUR_OPENSIM_DATA)");
  femur::ocp::MuscleInverseProblem problem(in->model, in->coordinates, &in->loads, in->options);
  femur::ocp::SparseNlp& nlp = problem.nlp();
  std::vector<int> jr, jc, hr, hc;
  nlp.jacobian_structure(jr, jc);
  nlp.hessian_structure(hr, hc);
  Eigen::VectorXd x(nlp.num_variables()), grad(nlp.num_variables()), g(nlp.num_constraints()),
      jac(static_cast<Eigen::Index>(jr.size())), lambda = Eigen::VectorXd::Ones(nlp.num_constraints()),
      hess(static_cast<Eigen::Index>(hr.size()));
  nlp.initial_guess(x.data());
  double f = 0.0;
  for (auto _ : state) {
    nlp.evaluate(x.data(), f, grad.data(), g.data(), jac.data());
    nlp.hessian(x.data(), 1.0, lambda.data(), hess.data());
    benchmark::DoNotOptimize(hess.data());
  }
  state.counters["jacobian_nnz"] = static_cast<double>(jr.size());
  state.counters["hessian_nnz"] = static_cast<double>(hr.size());
}

}  // namespace

BENCHMARK(BM_MocoInverse18_Solve)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_MocoInverse18_SolveLbfgs)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_MocoInverse18_Derivatives)->Unit(benchmark::kMicrosecond);

// Moco's example2DWalking (issue 16 goals: tracking 10 s, prediction from its guess 60 s):
// tracking of the reference coordinates and GRF (50 intervals, the example's goals), then the
// gaitPrediction problem of tests/data/ocp/gait_prediction.problem from that solution. One
// repetition each (minutes on 2 shared cores); counters as the MocoInverse solves.
namespace gait2d {
struct Gait {
  femur::Model model;
  femur::io::Table coords, grf, tracked;
  std::vector<femur::ocp::ContactGroup> groups{{{"contactHeel_r", "contactFront_r"}, "ground_force_r_v"},
                                               {{"contactHeel_l", "contactFront_l"}, "ground_force_l_v"}};
};
Gait* gait() {
  static std::unique_ptr<Gait> g;
  if (g) return g.get();
  if (femur::test::opensim_data().empty()) return nullptr;
  g = std::make_unique<Gait>();
  const auto file = [](const char* n) { return femur::test::opensim_file(std::string("Moco/example2DWalking/") + n); };
  g->model = femur::io::read_osim(file("2D_gait.osim"));
  g->coords = femur::io::read_sto(file("referenceCoordinates.sto"));
  g->grf = femur::io::read_sto(file("referenceGRF.sto"));
  return g.get();
}
// CPU seconds of the whole process (every thread): on the shared machine the wall time
// measures the load as much as the solve.
double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
void counters(benchmark::State& state, const femur::ocp::GaitSolution& s, const femur::ocp::GaitComparison& c,
              double cpu_s) {
  state.counters["iterations"] = s.nlp.iterations;
  state.counters["solve_s"] = s.nlp.seconds;
  state.counters["cpu_s"] = cpu_s;
  state.counters["femur_pct"] = 100.0 * s.nlp.seconds_evaluation / s.nlp.seconds;
  // Per iteration (wall): femur's functions and derivatives, and IPOPT's own time.
  const double it = std::max(1, s.nlp.iterations);
  state.counters["femur_ms_per_it"] = 1e3 * s.nlp.seconds_evaluation / it;
  state.counters["ipopt_ms_per_it"] = 1e3 * (s.nlp.seconds - s.nlp.seconds_evaluation) / it;
  state.counters["joint_rms_deg"] = c.joint_angle_rms_deg;
  state.counters["grf_rms_y_r"] = c.grf_rms_y.empty() ? 0.0 : c.grf_rms_y[0];
  state.counters["solved"] = s.success ? 1 : 0;
}
}  // namespace gait2d

namespace gait2d {
// The tracking problem of `femur track ... --grf-normalize --symmetry` with the example's bounds.
femur::ocp::GaitProblem tracking_problem(const Gait& g) {
  femur::ocp::GaitProblem pb;
  pb.final_time = g.coords.time[g.coords.rows() - 1];
  pb.states_reference = &g.coords;
  pb.lowpass_hz = 6.0;
  pb.states_weight = 1.0;
  pb.track_speeds = true;
  pb.grf_reference = &g.grf;
  pb.grf_groups = g.groups;
  pb.grf_weight = 1.0;
  pb.grf_normalize = true;
  pb.effort_weight = 10.0;
  pb.periodic_pairs = femur::ocp::gait_symmetry_pairs(g.model);
  const femur::ocp::GaitProblem file =
      femur::ocp::read_gait_problem(femur::test::source_dir() / "tests/data/ocp/gait_prediction.problem", g.model);
  pb.coordinate_bounds = file.coordinate_bounds;
  pb.solver.exact_hessian = true;  // femur track's default
  return pb;
}
femur::ocp::GaitProblem prediction_problem(const Gait& g) {
  femur::ocp::GaitProblem pb =
      femur::ocp::read_gait_problem(femur::test::source_dir() / "tests/data/ocp/gait_prediction.problem", g.model);
  pb.grf_groups = g.groups;
  pb.solver.exact_hessian = true;  // femur predict's default
  return pb;
}
}  // namespace gait2d

// One NLP evaluation of each kind at the problem's initial guess (51 nodes, TBB), CPU time of
// all threads (the machine is shared): values only, values with gradient and Jacobian, the exact
// Hessian of the Lagrangian.
static void BM_Gait2D_Evaluations(benchmark::State& state) {
  gait2d::Gait* g = gait2d::gait();
  if (!g) return state.SkipWithError("OpenSim data not found");
  const bool predict = state.range(0) == 1;
  const femur::ocp::GaitProblem pb = predict ? gait2d::prediction_problem(*g) : gait2d::tracking_problem(*g);
  femur::ocp::GaitEvaluationTimes t;
  for (auto _ : state) t = femur::ocp::time_gait_evaluations(g->model, pb, 5);
  state.SetLabel(predict ? "prediction" : "tracking");
  state.counters["values_cpu_ms"] = 1e3 * t.values;
  state.counters["derivatives_cpu_ms"] = 1e3 * t.derivatives;
  state.counters["hessian_cpu_ms"] = 1e3 * t.hessian;
}
BENCHMARK(BM_Gait2D_Evaluations)->Arg(0)->Arg(1)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

static void BM_Gait2D_Track(benchmark::State& state) {
  gait2d::Gait* g = gait2d::gait();
  if (!g) return state.SkipWithError("OpenSim data not found");
  femur::ocp::GaitProblem pb = gait2d::tracking_problem(*g);
  pb.solver.max_iterations = 1000;
  femur::ocp::GaitSolution s;
  const double cpu0 = gait2d::process_cpu_seconds();
  for (auto _ : state) s = femur::ocp::solve_gait(g->model, pb);
  const double cpu = gait2d::process_cpu_seconds() - cpu0;
  g->tracked = s.trajectory;
  gait2d::counters(state, s, femur::ocp::compare_gait(g->model, s, g->coords, &g->grf, g->groups), cpu);
}

static void BM_Gait2D_PredictFromTracking(benchmark::State& state) {
  gait2d::Gait* g = gait2d::gait();
  if (!g || g->tracked.rows() == 0) return state.SkipWithError("needs BM_Gait2D_Track first");
  femur::ocp::GaitProblem pb = gait2d::prediction_problem(*g);
  pb.guess = &g->tracked;
  femur::ocp::GaitSolution s;
  const double cpu0 = gait2d::process_cpu_seconds();
  for (auto _ : state) s = femur::ocp::solve_gait(g->model, pb);
  const double cpu = gait2d::process_cpu_seconds() - cpu0;
  gait2d::counters(state, s, femur::ocp::compare_gait(g->model, s, g->coords, &g->grf, g->groups), cpu);
  const int tx = s.trajectory.column("/jointset/groundPelvis/pelvis_tx/value");
  const double T = s.trajectory.time[s.trajectory.rows() - 1] - s.trajectory.time[0];
  state.counters["stride_m"] = 2.0 * (s.trajectory.data(s.trajectory.rows() - 1, tx) - s.trajectory.data(0, tx));
  state.counters["cadence"] = 60.0 / T;
  const int ry = s.grf.column("ground_force_r_vy"), ly = s.grf.column("ground_force_l_vy");
  double mass = 0.0;
  for (const femur::Body& b : g->model.bodies) mass += b.mass;
  state.counters["walks"] =
      femur::ocp::check_walking(s.grf.data.col(ry), s.grf.data.col(ly), mass * g->model.gravity.norm()).walks ? 1 : 0;
}

BENCHMARK(BM_Gait2D_Track)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1)->Repetitions(1);
BENCHMARK(BM_Gait2D_PredictFromTracking)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1)->Repetitions(1);

// Moco's example3DWalking, muscle-driven tracking (issue 17: half gait cycle <= 5 min on 2
// cores; Moco ~35 min on 12 cores for its full cycle): the model with its set files as the
// example builds it (ocp/walk3d_model.hpp), 80 DeGrooteFregly2016 muscles on the
// FunctionBasedPaths, 31 independent coordinates, 12 contact spheres; MocoTrack's per-state
// weights (pelvis_ty value 0, its speed 0.1, mtp 0), effort 0.1, coordinates and speeds tracked
// with weight 10 and the x y z GRF normalized by their peaks with weight 10 (Moco's own 0.05 and
// 5e-3 on GRF in newtons let the GRF dominate: 12 deg RMS; docs/validation.md), mesh interval
// 0.02 s, tolerances 1e-2 / 1e-4. Arg 0: half gait cycle from 0.48 s (0.565 s, 28 intervals);
// Arg 1: Moco's full cycle 0.48-1.61 s with its periodicity (57 intervals).
namespace walk3d {
struct Walk {
  femur::ocp::WalkingModel w;
  femur::io::Table coords, grf;
  std::vector<femur::ocp::ContactGroup> groups;
};
Walk* walk() {
  static std::unique_ptr<Walk> g;
  if (g) return g.get();
  if (femur::test::opensim_data().empty()) return nullptr;
  g = std::make_unique<Walk>();
  const auto model = femur::test::opensim_file("Moco/example3DWalking/subject_walk_scaled.osim");
  g->w = femur::ocp::read_walking_model(model, femur::ocp::find_model_sets(model));
  g->coords = femur::io::read_sto(femur::test::opensim_file("Moco/example3DWalking/coordinates.sto"));
  g->grf = femur::io::read_sto(femur::test::opensim_file("Moco/example3DWalking/grf_walk.mot"));
  for (const char* side : {"r", "l"}) {
    femur::ocp::ContactGroup grp;
    for (const char* c : {"Heel", "LateralRearfoot", "LateralMidfoot", "MedialMidfoot", "LateralToe", "MedialToe"})
      grp.forces.push_back(std::string("contact") + c + "_" + side);
    grp.reference_prefix = std::string("ground_force_") + side + "_v";
    g->groups.push_back(grp);
  }
  return g.get();
}
femur::ocp::GaitProblem tracking_problem(const Walk& g, bool full_cycle) {
  femur::ocp::GaitProblem pb;
  pb.initial_time = 0.48;
  pb.final_time = full_cycle ? 1.61 : 0.48 + 0.5 * (1.61 - 0.48);
  pb.mesh_intervals = static_cast<int>(std::lround((pb.final_time - pb.initial_time) / 0.02));
  pb.states_reference = &g.coords;
  pb.states_weight = 10.0;
  pb.track_speeds = true;
  pb.state_weights = {{"/jointset/ground_pelvis/pelvis_ty/value", 0.0}, {"/jointset/ground_pelvis/pelvis_ty/speed", 0.1},
                      {"/jointset/mtp_r/mtp_angle_r/value", 0.0},      {"/jointset/mtp_r/mtp_angle_r/speed", 0.0},
                      {"/jointset/mtp_l/mtp_angle_l/value", 0.0},      {"/jointset/mtp_l/mtp_angle_l/speed", 0.0}};
  pb.grf_reference = &g.grf;
  pb.grf_groups = g.groups;
  pb.grf_weight = 10.0;
  pb.grf_normalize = true;
  pb.grf_dimensions = 3;
  pb.effort_weight = 0.1;
  pb.path_functions = g.w.path_functions;
  if (full_cycle) pb.periodic_pairs = femur::ocp::gait_periodicity_pairs(g.w.model);
  pb.solver.exact_hessian = true;
  pb.solver.convergence_tolerance = 1e-2;
  pb.solver.constraint_tolerance = 1e-4;
  pb.solver.max_iterations = 3000;
  return pb;
}
}  // namespace walk3d

// One evaluation of each kind at the initial guess of the half-cycle problem (CPU, all threads).
static void BM_Walk3D_Evaluations(benchmark::State& state) {
  walk3d::Walk* g = walk3d::walk();
  if (!g) return state.SkipWithError("OpenSim data not found");
  const femur::ocp::GaitProblem pb = walk3d::tracking_problem(*g, false);
  femur::ocp::GaitEvaluationTimes t;
  for (auto _ : state) t = femur::ocp::time_gait_evaluations(g->w.model, pb, 3);
  state.counters["values_cpu_ms"] = 1e3 * t.values;
  state.counters["derivatives_cpu_ms"] = 1e3 * t.derivatives;
  state.counters["hessian_cpu_ms"] = 1e3 * t.hessian;
}
BENCHMARK(BM_Walk3D_Evaluations)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

static void BM_Walk3D_Track(benchmark::State& state) {
  walk3d::Walk* g = walk3d::walk();
  if (!g) return state.SkipWithError("OpenSim data not found");
  const femur::ocp::GaitProblem pb = walk3d::tracking_problem(*g, state.range(0) == 1);
  femur::ocp::GaitSolution s;
  const double cpu0 = gait2d::process_cpu_seconds();
  for (auto _ : state) s = femur::ocp::solve_gait(g->w.model, pb);
  const double cpu = gait2d::process_cpu_seconds() - cpu0;
  const femur::ocp::GaitComparison c = femur::ocp::compare_gait(g->w.model, s, g->coords, &g->grf, g->groups);
  gait2d::counters(state, s, c, cpu);
  double mass = 0.0;
  for (const femur::Body& b : g->w.model.bodies) mass += b.mass;
  const double bw = mass * g->w.model.gravity.norm();
  state.counters["grf_rms_y_r_pct_bw"] = 100.0 * c.grf_rms_y[0] / bw;
  state.counters["grf_rms_y_l_pct_bw"] = 100.0 * c.grf_rms_y[1] / bw;
  double worst = 0.0;
  for (std::size_t g2 = 0; g2 < c.grf_rms_x.size(); ++g2)
    worst = std::max({worst, c.grf_rms_x[g2], c.grf_rms_y[g2], c.grf_rms_z[g2]});
  state.counters["grf_rms_worst_pct_bw"] = 100.0 * worst / bw;
  state.SetLabel(state.range(0) == 1 ? "full cycle, periodic" : "half cycle");
  // Activations against the right leg's EMG (shape and timing; printed, one line per muscle).
  const femur::io::Table emg = femur::io::read_sto(femur::test::opensim_file("Moco/example3DWalking/electromyography.sto"));
  double mean_r = 0.0;
  const auto cmp = femur::ocp::compare_with_emg(s.trajectory, emg, "r");
  for (const femur::ocp::EmgComparison& e : cmp) {
    std::fprintf(stderr, "EMG %-18s %-24s r = %+.2f, on/off agreement %.0f%%\n", e.emg.c_str(), e.muscles.c_str(),
                 e.correlation, 100.0 * e.on_off_agreement);
    mean_r += e.correlation / static_cast<double>(cmp.size());
  }
  state.counters["emg_mean_r"] = mean_r;
}
BENCHMARK(BM_Walk3D_Track)->Arg(0)->Arg(1)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1)->Repetitions(1);

BENCHMARK_MAIN();
