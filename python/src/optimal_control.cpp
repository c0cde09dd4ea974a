// The optimal-control front ends as direct functions (issue 19): femur.inverse (`femur inverse`,
// Moco's MocoInverse: ocp::solve_muscle_inverse), femur.track (`femur track`, MocoTrack) and
// femur.predict (`femur predict`, a gait problem file): ocp::solve_gait. Keyword arguments are
// the commands' flags; the problem is built as the command builds it and solved with the GIL
// released. A solve that does not converge raises RuntimeError naming IPOPT's status and the
// most violated constraint, unless return_failed=True (the commands' --write-failed).
#include <cmath>
#include <filesystem>
#include <numbers>
#include <optional>

#include <fmt/format.h>

#include "bindings.hpp"
#include "femur/io/external_loads.hpp"
#include "femur/io/table.hpp"
#include "femur/ocp/contact_groups.hpp"
#include "femur/ocp/gait_collocation.hpp"
#include "femur/ocp/gait_problem_file.hpp"
#include "femur/ocp/muscle_inverse.hpp"
#include "femur/tools/external_loads.hpp"

namespace femur::python {

namespace fs = std::filesystem;

namespace {

using TableOrPath = std::variant<io::Table, fs::path>;

io::Table table_of(const TableOrPath& t) {
  if (const auto* p = std::get_if<fs::path>(&t)) return io::read_sto(*p);
  return std::get<io::Table>(t);
}

// An ExternalLoads XML and its data file, read and checked as the commands' --external-loads
// (tools::read_external_loads_input); tracking needs the data (`require_data`).
struct Loads {
  io::ExternalLoads xml;
  io::Table table;
};
Loads read_loads(const fs::path& path, std::vector<std::string>& warnings, bool require_data = false) {
  Loads l;
  l.xml = tools::read_external_loads_input(path, &warnings, require_data);
  l.table = tools::read_external_loads_data(l.xml);
  return l;
}

ocp::NlpSolverOptions solver_options(double tolerance, double constraint_tolerance, int max_iterations,
                                const std::string& hessian, bool ipopt_output) {
  if (hessian != "exact" && hessian != "lbfgs")
    throw std::invalid_argument("hessian must be 'exact' or 'lbfgs', not '" + hessian + "'");
  if (!(tolerance > 0) || !(constraint_tolerance > 0))
    throw std::invalid_argument("tolerance and constraint_tolerance must be positive");
  if (max_iterations < 0) throw std::invalid_argument("max_iterations must be >= 0");
  ocp::NlpSolverOptions o;
  o.convergence_tolerance = tolerance;
  o.constraint_tolerance = constraint_tolerance;
  o.max_iterations = max_iterations;
  o.print_level = ipopt_output ? 5 : 0;
  o.exact_hessian = hessian == "exact";
  return o;
}

// What every optimal-control result holds (MuscleInverseSolution, GaitSolution): the solver's
// report, the worst constraint, the problem's size and set-up time.
template <class Solution>
void put_solution(py::dict& d, const Solution& s) {
  d["trajectory"] = s.trajectory;
  d["success"] = s.success;
  d["status"] = s.nlp.message;
  d["iterations"] = s.nlp.iterations;
  d["objective"] = s.nlp.objective;
  d["seconds_solve"] = s.nlp.seconds;
  d["seconds_functions"] = s.nlp.seconds_evaluation;
  d["worst_constraint"] = s.worst_constraint;
  d["worst_violation"] = s.worst_violation;
  d["nodes"] = s.nodes;
  d["variables"] = s.variables;
  d["constraints"] = s.constraints;
  d["seconds_setup"] = s.seconds_setup;
}

py::dict gait_result(const ocp::GaitSolution& s, const ocp::GaitComparison* c, const std::vector<std::string>& warnings) {
  py::dict d;
  put_solution(d, s);
  d["grf"] = s.grf;
  d["objective_states"] = s.objective_states;
  d["objective_grf"] = s.objective_grf;
  d["objective_effort"] = s.objective_effort;
  d["resimulation_angle_drift_deg"] = s.resimulation_angle_drift_deg;
  d["resimulation_time_to_5deg"] = s.resimulation_time_to_5deg;
  if (c) {
    d["joint_angle_rms_deg"] = c->joint_angle_rms_deg;
    d["grf_rms_x"] = c->grf_rms_x;
    d["grf_rms_y"] = c->grf_rms_y;
    d["grf_peak_y"] = c->grf_peak_y;
    d["grf_peak_y_reference"] = c->grf_peak_y_reference;
  }
  d["warnings"] = warnings;
  return d;
}

std::string failure(const std::string& command, const ocp::NlpResult& r, double violation, const std::string& where) {
  return fmt::format("{}: {} after {} iterations; largest constraint violation {:.3g}: {} (return_failed=True "
                     "returns the last iterate)",
                     command, r.message, r.iterations, violation, where);
}

}  // namespace

void bind_optimal_control(py::module_& m) {
  m.def(
      "inverse",
      [](const PyModel& model, const TableOrPath& coordinates, std::optional<fs::path> external_loads,
         std::optional<double> t0, std::optional<double> t1, double mesh_interval, double lowpass,
         std::vector<std::string> weld, const std::string& muscles, bool ignore_passive_fiber, const std::string& tendon,
         const std::string& transcription, double reserves, double reserves_weight, bool minimize_activations,
         double tolerance, double constraint_tolerance, int max_iterations, const std::string& hessian,
         std::optional<TableOrPath> guess, bool return_failed, bool ipopt_output) {
        if (muscles != "degroote") throw std::invalid_argument("muscles must be 'degroote', not '" + muscles + "'");
        if (tendon != "implicit" && tendon != "rigid")
          throw std::invalid_argument("tendon must be 'implicit' or 'rigid', not '" + tendon + "'");
        if (transcription != "hermite-simpson" && transcription != "trapezoidal")
          throw std::invalid_argument("transcription must be 'hermite-simpson' or 'trapezoidal', not '" + transcription + "'");
        if (!(mesh_interval > 0)) throw std::invalid_argument("mesh_interval must be positive");
        if (reserves < 0 || !std::isfinite(reserves)) throw std::invalid_argument("reserves must be a finite number >= 0");
        ocp::MuscleInverseOptions options;
        options.solver = solver_options(tolerance, constraint_tolerance, max_iterations, hessian, ipopt_output);
        std::vector<std::string> warnings;
        ocp::MuscleInverseSolution s;
        {
          py::gil_scoped_release release;
          io::Table q = table_of(coordinates);
          io::remove_repeated_times(q);
          if (q.rows() < 1) throw std::invalid_argument("coordinates: no rows");
          tools::ExternalLoadsData loads;
          if (external_loads) {
            const Loads l = read_loads(*external_loads, warnings);
            loads = tools::bind_external_loads(model.get(), l.xml, l.table, &warnings);
          }
          io::Table g;
          if (guess) {
            g = table_of(*guess);
            options.guess = &g;
          }
          options.initial_time = t0.value_or(q.time[0]);
          options.final_time = t1.value_or(q.time[q.rows() - 1]);
          options.mesh_interval = mesh_interval;
          options.lowpass_cutoff_hz = lowpass;
          options.weld_joints = std::move(weld);
          options.ignore_passive_fiber_force = ignore_passive_fiber;
          options.ignore_tendon_compliance = tendon == "rigid";
          options.transcription =
              transcription == "trapezoidal" ? ocp::Transcription::Trapezoidal : ocp::Transcription::HermiteSimpson;
          options.reserves_weight = reserves_weight;
          options.reserves_optimal_force = reserves;
          options.minimize_sum_squared_activations = minimize_activations;
          s = ocp::solve_muscle_inverse(model.get(), q, external_loads ? &loads : nullptr, options);
        }
        if (!s.success && !return_failed) throw std::runtime_error(failure("inverse", s.nlp, s.worst_violation, s.worst_constraint));
        py::dict d;
        put_solution(d, s);
        d["objective_excitation_effort"] = s.objective_excitation_effort;
        d["objective_auxiliary_derivatives"] = s.objective_auxiliary_derivatives;
        d["objective_activation_effort"] = s.objective_activation_effort;
        d["resimulation_activation_drift"] = s.resimulation_activation_drift;
        d["resimulation_tendon_force_drift"] = s.resimulation_tendon_force_drift;
        d["warnings"] = warnings;
        return d;
      },
      py::arg("model"), py::arg("coordinates"), py::kw_only(), py::arg("external_loads") = py::none(),
      py::arg("t0") = py::none(), py::arg("t1") = py::none(), py::arg("mesh_interval") = 0.025,
      py::arg("lowpass") = -1.0, py::arg("weld") = std::vector<std::string>{}, py::arg("muscles") = "degroote",
      py::arg("ignore_passive_fiber") = false, py::arg("tendon") = "implicit",
      py::arg("transcription") = "hermite-simpson", py::arg("reserves") = 0.0, py::arg("reserves_weight") = 1.0,
      py::arg("minimize_activations") = false, py::arg("tolerance") = 1e-4, py::arg("constraint_tolerance") = 1e-4,
      py::arg("max_iterations") = 3000, py::arg("hessian") = "exact", py::arg("guess") = py::none(),
      py::arg("return_failed") = false, py::arg("ipopt_output") = false,
      R"doc(Moco's MocoInverse by direct collocation, as `femur inverse` (same flags, docs/cli.md):
the coordinates (Table or .mot/.sto; `lowpass` Hz) are prescribed; activations, tendon forces,
excitations and the model's CoordinateActuator controls minimize the integral of the squared
controls. t0/t1 default to the coordinates' range; `weld` joints are held at 0; `tendon`
"implicit" (compliant as the model says) or "rigid"; `reserves` adds reserve actuators of that
optimal force; `guess` a trajectory (Table or .sto) to start from.

Returns {"trajectory": Table (Moco's layout), "success", "status", "iterations", "objective",
"objective_excitation_effort", "objective_auxiliary_derivatives", "objective_activation_effort",
"worst_constraint", "worst_violation", "resimulation_activation_drift",
"resimulation_tendon_force_drift", "nodes", "variables", "constraints", "seconds_solve",
"seconds_functions", "seconds_setup", "warnings"}. A solve that does not converge raises
RuntimeError unless return_failed=True.

Example:
    >>> m = femur.Model("subject_walk_armless_18musc.osim")
    >>> r = femur.inverse(m, "subject_walk_armless_coordinates.mot", lowpass=6,
    ...                   external_loads="subject_walk_armless_external_loads.xml", t0=0.45, t1=1.0,
    ...                   weld=["subtalar_r", "subtalar_l", "mtp_r", "mtp_l"], ignore_passive_fiber=True)
    >>> r["trajectory"]["/forceset/soleus_r/activation"].max())doc");

  m.def(
      "track",
      [](const PyModel& model, const TableOrPath& states_reference, std::optional<fs::path> external_loads,
         double lowpass, double states_weight, bool track_speeds, double grf_weight, bool grf_normalize,
         double effort_weight, bool symmetry, std::map<std::string, std::pair<double, double>> bounds,
         bool remove_muscles, double reserves, std::optional<double> t0, std::optional<double> t1, int mesh_intervals,
         std::optional<double> mesh_interval, std::optional<TableOrPath> guess, double tolerance,
         double constraint_tolerance, int max_iterations, const std::string& hessian, bool return_failed,
         bool ipopt_output) {
        const Model& mm = model.get();
        for (double w : {states_weight, grf_weight, effort_weight})
          if (!(w >= 0) || !std::isfinite(w)) throw std::invalid_argument("weights must be finite numbers >= 0");
        if (mesh_intervals < 2) throw std::invalid_argument("mesh_intervals must be at least 2");
        if (mesh_interval && !(*mesh_interval > 0)) throw std::invalid_argument("mesh_interval must be positive");
        ocp::GaitProblem pb;
        pb.solver = solver_options(tolerance, constraint_tolerance, max_iterations, hessian, ipopt_output);
        // NAME: (LO, HI) in degrees for rotational coordinates, metres for translational ones.
        for (const auto& [name, b] : bounds) {
          const int k = mm.coordinate_index(name);
          if (k < 0) throw std::invalid_argument("bounds: the model has no coordinate '" + name + "'");
          const double s = mm.coordinates[static_cast<size_t>(k)].motion_type == MotionType::Rotational
                               ? std::numbers::pi / 180.0
                               : 1.0;
          pb.coordinate_bounds[name] = {b.first * s, b.second * s};
        }
        std::vector<std::string> warnings;
        ocp::GaitSolution s;
        ocp::GaitComparison c;
        {
          py::gil_scoped_release release;
          const io::Table states = table_of(states_reference);
          if (states.rows() < 6) throw std::invalid_argument("states_reference: fewer than 6 rows");
          Loads loads;
          std::vector<ocp::ContactGroup> groups;
          if (external_loads) {
            loads = read_loads(*external_loads, warnings, /*require_data=*/true);
            groups = ocp::contact_groups_from_loads(mm, loads.xml, external_loads->string());
            pb.grf_reference = &loads.table;
            pb.grf_groups = groups;
            pb.grf_weight = grf_weight;
            pb.grf_normalize = grf_normalize;
          }
          io::Table g;
          if (guess) {
            g = table_of(*guess);
            pb.guess = &g;
          }
          pb.initial_time = t0.value_or(states.time[0]);
          pb.final_time = t1.value_or(states.time[states.rows() - 1]);
          pb.mesh_intervals =
              mesh_interval ? std::max(2, static_cast<int>(std::lround((pb.final_time - pb.initial_time) / *mesh_interval)))
                            : mesh_intervals;
          pb.states_reference = &states;
          pb.lowpass_hz = lowpass;
          pb.states_weight = states_weight;
          pb.track_speeds = track_speeds;
          pb.effort_weight = effort_weight;
          pb.remove_muscles = remove_muscles;
          pb.reserves_optimal_force = reserves;
          if (symmetry)
            for (const auto& p : ocp::gait_symmetry_pairs(mm))
              if (!(remove_muscles && p.first.find("/activation") != std::string::npos)) pb.periodic_pairs.push_back(p);
          s = ocp::solve_gait(mm, pb);
          c = ocp::compare_gait(mm, s, states, pb.grf_reference, groups);
        }
        if (!s.success && !return_failed) throw std::runtime_error(failure("track", s.nlp, s.worst_violation, s.worst_constraint));
        return gait_result(s, &c, warnings);
      },
      py::arg("model"), py::arg("states_reference"), py::kw_only(), py::arg("external_loads") = py::none(),
      py::arg("lowpass") = -1.0, py::arg("states_weight") = 1.0, py::arg("track_speeds") = false,
      py::arg("grf_weight") = 1.0, py::arg("grf_normalize") = false, py::arg("effort_weight") = 10.0,
      py::arg("symmetry") = false,
      py::arg("bounds") = std::map<std::string, std::pair<double, double>>{}, py::arg("remove_muscles") = false,
      py::arg("reserves") = 0.0, py::arg("t0") = py::none(), py::arg("t1") = py::none(),
      py::arg("mesh_intervals") = 50, py::arg("mesh_interval") = py::none(), py::arg("guess") = py::none(),
      py::arg("tolerance") = 1e-4, py::arg("constraint_tolerance") = 1e-4, py::arg("max_iterations") = 1000,
      py::arg("hessian") = "exact", py::arg("return_failed") = false, py::arg("ipopt_output") = false,
      R"doc(Moco's MocoTrack by direct collocation with implicit dynamics and smooth contact, as
`femur track` (same flags, docs/cli.md): track `states_reference` (Table or .sto; `lowpass` Hz,
`track_speeds`) and, with `external_loads`, each ExternalForce by the model's contact spheres on
its body; `effort_weight` on the squared controls; `symmetry` Moco's example2DWalking pairs;
`bounds` {coordinate: (lo, hi)} in degrees (metres for translations).

Returns {"trajectory": Table (Moco's layout), "grf": Table (contact forces per node), "success",
"status", "iterations", "objective", "objective_states", "objective_grf", "objective_effort",
"worst_constraint", "worst_violation", "joint_angle_rms_deg", "grf_rms_x", "grf_rms_y",
"grf_peak_y", "grf_peak_y_reference", "resimulation_angle_drift_deg", "nodes", "variables",
"constraints", "seconds_solve", "seconds_functions", "seconds_setup", "warnings"}. A solve that
does not converge raises RuntimeError unless return_failed=True. About 5 s CPU on
example2DWalking.

Example:
    >>> m = femur.Model("2D_gait.osim")
    >>> r = femur.track(m, "referenceCoordinates.sto", lowpass=6, track_speeds=True,
    ...                 external_loads="referenceGRF.xml", symmetry=True,
    ...                 bounds={"pelvis_tilt": (-20, -10), "pelvis_tx": (0, 1), "pelvis_ty": (0.75, 1.25)})
    >>> r["joint_angle_rms_deg"], r["trajectory"].write("track_solution.sto"))doc");

  m.def(
      "predict",
      [](const fs::path& problem, const PyModel& model, const TableOrPath& guess,
         std::optional<TableOrPath> states_reference, std::optional<fs::path> external_loads,
         std::optional<int> max_iterations, const std::string& hessian, bool return_failed, bool ipopt_output) {
        const Model& mm = model.get();
        if (hessian != "exact" && hessian != "lbfgs")
          throw std::invalid_argument("hessian must be 'exact' or 'lbfgs', not '" + hessian + "'");
        if (max_iterations && *max_iterations < 0) throw std::invalid_argument("max_iterations must be >= 0");
        std::vector<std::string> warnings;
        ocp::GaitSolution s;
        ocp::GaitComparison c;
        std::vector<ocp::ContactGroup> groups;
        {
          py::gil_scoped_release release;
          ocp::GaitProblem pb = ocp::read_gait_problem(problem, mm);
          const io::Table g = table_of(guess);
          pb.guess = &g;
          io::Table states;
          Loads loads;
          if (states_reference) states = table_of(*states_reference);
          if (external_loads) {
            loads = read_loads(*external_loads, warnings, /*require_data=*/true);
            groups = ocp::contact_groups_from_loads(mm, loads.xml, external_loads->string());
          }
          pb.grf_groups = groups;  // reported, not tracked (grf_weight 0)
          if (max_iterations) pb.solver.max_iterations = *max_iterations;
          pb.solver.print_level = ipopt_output ? 5 : 0;
          pb.solver.exact_hessian = hessian == "exact";
          s = ocp::solve_gait(mm, pb);
          if (states_reference) c = ocp::compare_gait(mm, s, states, external_loads ? &loads.table : nullptr, groups);
        }
        if (!s.success && !return_failed)
          throw std::runtime_error(failure("predict", s.nlp, s.worst_violation, s.worst_constraint));
        py::dict d = gait_result(s, states_reference ? &c : nullptr, warnings);
        // Stride: twice the half cycle's pelvis displacement (as `femur predict` reports it).
        if (s.trajectory.rows() > 1) {
          const int tx = s.trajectory.column("/jointset/groundPelvis/pelvis_tx/value");
          const double T = s.trajectory.time[s.trajectory.rows() - 1] - s.trajectory.time[0];
          if (tx >= 0) {
            const double dx = s.trajectory.data(s.trajectory.rows() - 1, tx) - s.trajectory.data(0, tx);
            d["half_cycle"] = T;
            d["stride_length"] = 2.0 * dx;
            d["cadence"] = 60.0 / T;
            d["speed"] = dx / T;
          }
        }
        // Does it walk? (both feet load and unload, two vertical GRF peaks per stance)
        if (groups.size() == 2 && s.grf.rows() > 1) {
          double mass = 0.0;
          for (const Body& b : mm.bodies) mass += b.mass;
          const ocp::WalkCheck w = ocp::check_walking(s.grf.data.col(1), s.grf.data.col(4), mass * mm.gravity.norm());
          d["walks"] = w.walks;
          d["walk_reason"] = w.reason;
          d["grf_peaks_body_weights"] = std::vector<double>{w.peak_first, w.peak_second};
        }
        return d;
      },
      py::arg("problem"), py::arg("model"), py::arg("guess"), py::kw_only(), py::arg("states_reference") = py::none(),
      py::arg("external_loads") = py::none(), py::arg("max_iterations") = py::none(), py::arg("hessian") = "exact",
      py::arg("return_failed") = false, py::arg("ipopt_output") = false,
      R"doc(Predictive simulation from a gait problem file (docs/cli.md), as `femur predict`: warm-started
from `guess` (Table or .sto, e.g. femur.track's trajectory); `states_reference` and
`external_loads` are compared with, not tracked.

Returns the keys of femur.track plus "half_cycle", "stride_length", "cadence", "speed" and, with
two contact groups, "walks", "walk_reason", "grf_peaks_body_weights" (ocp::check_walking). A
solve that does not converge raises RuntimeError unless return_failed=True. About 10 s CPU on
example2DWalking.

Example:
    >>> p = femur.predict("gait_prediction.problem", m, track["trajectory"],
    ...                   external_loads="referenceGRF.xml")
    >>> p["walks"], p["stride_length"])doc");
}

}  // namespace femur::python
