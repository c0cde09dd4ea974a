// MuscleAnalysis (OpenSim/Analyses/MuscleAnalysis.cpp, record()): per frame, in the order
// OpenSim's record() evaluates them,
//   muscle_analysis_frame
//     compute_paths            kinematics, path lengths, lengthening speeds, moment arms
//     muscle_state             fiber state: default, or equilibrium (AnalyzeTool), or rigid
//     velocities_and_powers    pennation angular velocity, tendon velocity, the four powers
//     moments                  moment arm x tendon force per requested coordinate
// and muscle_analysis runs it over the rows AnalyzeTool hands the analysis.
#include "femur/tools/muscle_analysis.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "femur/io/error.hpp"

namespace femur::tools {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kSignificantReal = 2.0097183471152322e-14;  // SimTK::SignificantReal = Eps^(7/8)

constexpr std::array<std::string_view, kMuscleQuantityCount> kQuantityNames = {
    "PennationAngle",       "Length",           "FiberLength",
    "NormalizedFiberLength", "TendonLength",    "FiberVelocity",
    "NormFiberVelocity",    "PennationAngularVelocity", "TendonForce",
    "FiberForce",           "ActiveFiberForce", "PassiveFiberForce",
    "ActiveFiberForceAlongTendon", "PassiveFiberForceAlongTendon", "FiberActivePower",
    "FiberPassivePower",    "TendonPower",      "MuscleActuatorPower"};

// MuscleAnalysis::constructDescription, as the header lines of every file.
const std::vector<std::string> kDescription = {
    "",
    "This analysis gathers basic information about muscles during a simulation (e.g., forces, tendon "
    "lengths, moment arms, etc).",
    "Units are S.I. units (second, meters, Newtons, ...)",
    "If the header above contains a line with 'inDegrees', this indicates whether rotational values "
    "are in degrees (yes) or radians (no).",
    ""};

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Muscle tolerance of the equilibrium solves, in N: max(1e-8 F0, 10 SignificantReal)
// (Thelen2003Muscle::computeInitialFiberEquilibrium, Millard2012EquilibriumMuscle::
// computeFiberEquilibrium). Solving to OpenSim's tolerance, with OpenSim's iteration, stops at
// the iterate OpenSim stops at.
double opensim_equilibrium_tolerance(const MuscleParameters& p) {
  return std::max(1e-8 * p.max_isometric_force, 10.0 * kSignificantReal);
}

// The state a muscle's fiber-length (or normalized tendon force) state variable gives, as each
// model's calcMuscleLengthInfo / calcFiberVelocityInfo / calcMuscleDynamicsInfo computes it.
void state_from_fiber_state(const MuscleModel& m, double L, double V, double a, double fiber_state,
                            MuscleState& s) {
  switch (m.kind()) {
    case MuscleKind::Thelen2003:
      thelen_elastic_state(std::get<Thelen2003>(m.variant()), L, a, fiber_state, s);
      return;
    case MuscleKind::Millard2012:
      millard_elastic_state(std::get<Millard2012>(m.variant()), L, a, fiber_state, s);
      return;
    case MuscleKind::DeGrooteFregly2016:
      degroote_elastic_state(std::get<DeGrooteFregly2016>(m.variant()), L, V, a, fiber_state, 0.0, s);
      return;
  }
}

double default_fiber_state(const MuscleParameters& p) {
  return p.kind == MuscleKind::DeGrooteFregly2016 ? p.default_normalized_tendon_force : p.default_fiber_length;
}

// The fiber state AnalyzeTool leaves in the State before record(): the states row (the muscle's
// default state, filled by Model::formStateStorage), replaced by the equilibrium when asked.
// Returns true when OpenSim's equilibrium iteration would have failed.
bool muscle_state(const MuscleModel& m, double L, double V, const MuscleAnalysisOptions& options,
                  MuscleState& s) {
  const MuscleParameters& p = m.parameters();
  const double a = p.default_activation;
  // A rigid tendon has no fiber state (Thelen2003Muscle ignores the flag).
  if (p.ignore_tendon_compliance && p.kind != MuscleKind::Thelen2003) {
    rigid_tendon_state(m, L, V, a, s);
    return false;
  }
  if (!options.solve_for_equilibrium) {
    state_from_fiber_state(m, L, V, a, default_fiber_state(p), s);
    return false;
  }
  // Model::equilibrateMuscles -> Muscle::computeInitialFiberEquilibrium.
  EquilibriumResult r;
  switch (p.kind) {
    case MuscleKind::Millard2012:  // computeFiberEquilibrium(s, solveForVelocity = false)
      r = fiber_equilibrium(m, L, 0.0, a, s, opensim_equilibrium_tolerance(p));
      break;
    case MuscleKind::Thelen2003:   // initMuscleState shares getLengtheningSpeed(s)
      r = fiber_equilibrium(m, L, V, a, s, opensim_equilibrium_tolerance(p));
      break;
    case MuscleKind::DeGrooteFregly2016:  // bisection of the residual at the path speed
      r = fiber_equilibrium(m, L, V, a, s);
      break;
  }
  const bool failed = r.used_fallback || r.status == EquilibriumStatus::Failed;
  if (failed && (options.on_equilibrium_failure == EquilibriumFailure::keep_state ||
                 r.status == EquilibriumStatus::Failed))
    state_from_fiber_state(m, L, V, a, default_fiber_state(p), s);
  return failed;
}

}  // namespace

std::string_view muscle_quantity_name(MuscleQuantity q) { return kQuantityNames[static_cast<size_t>(q)]; }

const io::Table* MuscleAnalysisResult::find(std::string_view name) const {
  for (const io::Table& t : tables)
    if (t.name == name) return &t;
  return nullptr;
}

// ---------------------------------------------------------------------------------------
// Plan: MuscleAnalysis::allocateStorageObjects.

MuscleAnalysisPlan plan_muscle_analysis(const Model& model, const MuscleAnalysisOptions& options) {
  MuscleAnalysisPlan plan;
  plan.paths = model.paths;
  plan.muscles = MuscleSet(model);

  auto add_muscle = [&](int i) {
    const std::string& name = plan.muscles.parameters(i).name;
    const int p = plan.paths.path_index(name);
    if (p < 0) throw std::invalid_argument("muscle '" + name + "' has no geometry path");
    plan.muscle.push_back(i);
    plan.path.push_back(p);
    plan.names.push_back(name);
  };
  // Muscles of a kind femur does not model are reported, not analysed.
  for (const ForceElement& f : model.forces)
    if (is_muscle(f) && !std::holds_alternative<MuscleParameters>(f.part) && plan.paths.path_index(f.name) >= 0)
      plan.warnings.push_back("muscle '" + f.name + "' (" + f.type +
                              ") is not analysed: femur does not model this muscle type");

  const std::vector<std::string>& list = options.muscle_list;
  if (list.size() == 1 && list[0] == "all") {
    for (int i = 0; i < plan.muscles.size(); ++i) add_muscle(i);
  } else {
    for (const std::string& name : list) {
      const int i = plan.muscles.index(name);
      if (i < 0) {
        plan.warnings.push_back("muscle_list: '" + name + "' is not a muscle of the model; skipped");
        continue;
      }
      add_muscle(i);
    }
  }

  if (options.compute_moments) {
    const std::vector<std::string>& coords = options.moment_arm_coordinate_list;
    if (!coords.empty() && lowercase(coords[0]) == "all") {
      for (int k = 0; k < model.nq; ++k) plan.coordinates.push_back(k);
    } else {
      for (const std::string& name : coords) {
        const int k = model.coordinate_index(name);
        if (k < 0) {
          plan.warnings.push_back("MuscleAnalysis: coordinate " + name + " is not part of the model.");
          continue;
        }
        plan.coordinates.push_back(k);
      }
    }
    for (int k : plan.coordinates)
      if (model.coordinates[static_cast<size_t>(k)].locked)
        plan.warnings.push_back("MuscleAnalysis: coordinate " + model.coordinates[static_cast<size_t>(k)].name +
                                " is locked and can't be varied.");
  }

  // MuscleAnalysis::record: velocities and powers need Stage::Dynamics, which it skips for a
  // massless model (calcSystemMass <= Eps).
  double mass = 0.0;
  for (const Body& b : model.bodies) mass += b.mass;
  plan.has_mass = mass > std::numeric_limits<double>::epsilon();
  if (!plan.has_mass)
    plan.warnings.push_back("the model has no mass: fiber velocities and powers are not computed (NaN)");
  return plan;
}

MuscleAnalysisData::MuscleAnalysisData(const Model& model, const MuscleAnalysisPlan& plan)
    : data(model), path_data(model, plan.paths) {
  const Eigen::Index n = static_cast<Eigen::Index>(plan.muscle.size());
  const Eigen::Index nc = static_cast<Eigen::Index>(plan.coordinates.size());
  values = Eigen::Matrix<double, kMuscleQuantityCount, Eigen::Dynamic>::Constant(kMuscleQuantityCount, n, kNaN);
  moment_arm = Eigen::MatrixXd::Zero(nc, n);
  moment = Eigen::MatrixXd::Zero(nc, n);
  equilibrium_failed.assign(static_cast<size_t>(n), 0);
  state.resize(static_cast<size_t>(n));
}

// ---------------------------------------------------------------------------------------
// One frame: MuscleAnalysis::record.

void muscle_analysis_frame(const Model& model, const MuscleAnalysisPlan& plan, const MuscleAnalysisOptions& options,
                           const Eigen::VectorXd& q, const Eigen::VectorXd& u, MuscleAnalysisData& out) {
  compute_paths(model, plan.paths, out.data, q, u, out.path_data);
  const PathData& pd = out.path_data;
  using Q = MuscleQuantity;
  auto at = [&](Q quantity, Eigen::Index j) -> double& { return out.values(static_cast<int>(quantity), j); };

  for (size_t jj = 0; jj < plan.muscle.size(); ++jj) {
    const Eigen::Index j = static_cast<Eigen::Index>(jj);
    const MuscleModel& m = plan.muscles.model(plan.muscle[jj]);
    const MuscleParameters& p = m.parameters();
    const int path = plan.path[jj];
    const double L = pd.length[path], V = pd.speed[path];
    MuscleState& s = out.state[jj];
    out.equilibrium_failed[jj] = muscle_state(m, L, V, options, s) ? 1 : 0;

    // Lengths (getLength, getTendonLength, getFiberLength, getNormalizedFiberLength,
    // getPennationAngle) and forces (computeActuation, then the MuscleDynamicsInfo entries).
    const double cos_phi = std::cos(s.pennation_angle);
    at(Q::PennationAngle, j) = s.pennation_angle;
    at(Q::Length, j) = L;
    at(Q::FiberLength, j) = s.fiber_length;
    at(Q::NormalizedFiberLength, j) = s.normalized_fiber_length;
    at(Q::TendonLength, j) = s.tendon_length;
    at(Q::TendonForce, j) = s.tendon_force;
    at(Q::FiberForce, j) = s.fiber_force;
    at(Q::ActiveFiberForce, j) = s.active_fiber_force;
    at(Q::PassiveFiberForce, j) = s.passive_fiber_force;
    at(Q::ActiveFiberForceAlongTendon, j) = s.active_fiber_force * cos_phi;
    at(Q::PassiveFiberForceAlongTendon, j) = s.passive_fiber_force * cos_phi;

    // Velocities (FiberVelocityInfo) and powers (MuscleDynamicsInfo), Stage::Dynamics.
    if (plan.has_mass) {
      const double l = s.fiber_length, v = s.fiber_velocity;
      // MuscleFixedWidthPennationModel: dphi/dt = -(v / l) tan(phi); the fiber's speed along the
      // tendon v cos(phi) - l sin(phi) dphi/dt; the tendon takes the rest of the path speed
      // (calcTendonVelocity); a rigid tendon does not stretch.
      const double dphi = l > 0.0 ? -(v / l) * std::tan(s.pennation_angle) : 0.0;
      const double v_along = v * cos_phi - l * std::sin(s.pennation_angle) * dphi;
      const bool rigid = p.ignore_tendon_compliance && p.kind != MuscleKind::Thelen2003;
      const double tendon_velocity = rigid ? 0.0 : V - v_along;
      // Powers (Thelen2003Muscle, Millard2012EquilibriumMuscle, DeGrooteFregly2016Muscle
      // calcMuscleDynamicsInfo): the fiber's damping force is counted with its active power,
      // the elastic passive force alone makes the passive power.
      const double elastic_passive = p.max_isometric_force * s.passive_force_multiplier;
      const double damping = s.passive_fiber_force - elastic_passive;
      at(Q::FiberVelocity, j) = v;
      at(Q::NormFiberVelocity, j) = s.normalized_fiber_velocity;
      at(Q::PennationAngularVelocity, j) = dphi;
      at(Q::FiberActivePower, j) = -(s.active_fiber_force + damping) * v;
      at(Q::FiberPassivePower, j) = -elastic_passive * v;
      at(Q::TendonPower, j) = -s.tendon_force * tendon_velocity;
      at(Q::MuscleActuatorPower, j) = -s.tendon_force * V;
    }

    // Moment arms (Muscle::computeMomentArm, MomentArmSolver) and moments r F_T.
    for (size_t k = 0; k < plan.coordinates.size(); ++k) {
      const double r = pd.moment_arm(path, plan.coordinates[k]);
      out.moment_arm(static_cast<Eigen::Index>(k), j) = r;
      out.moment(static_cast<Eigen::Index>(k), j) = r * s.tendon_force;
    }
  }
}

// ---------------------------------------------------------------------------------------
// The analysis over a motion.

MuscleAnalysisResult muscle_analysis(const Model& model, const AnalyzeStates& states, const std::vector<int>& rows,
                                     const MuscleAnalysisOptions& options) {
  if (states.q.cols() != model.nq || states.u.cols() != model.nv || states.q.rows() != states.rows() ||
      states.u.rows() != states.rows())
    throw std::invalid_argument("MuscleAnalysis: the states have " + std::to_string(states.q.cols()) +
                                " coordinates and " + std::to_string(states.u.cols()) + " speeds; the model " +
                                std::to_string(model.nq) + " and " + std::to_string(model.nv));
  for (size_t i = 0; i < rows.size(); ++i)
    if (rows[i] < 0 || rows[i] >= states.rows() || (i > 0 && rows[i] <= rows[i - 1]))
      throw std::invalid_argument("MuscleAnalysis: row " + std::to_string(rows[i]) +
                                  " is outside the states or out of order");

  MuscleAnalysisResult result;
  const MuscleAnalysisPlan plan = plan_muscle_analysis(model, options);
  result.warnings = plan.warnings;
  MuscleAnalysisData work(model, plan);

  const Eigen::Index n = static_cast<Eigen::Index>(rows.size());
  const Eigen::Index nm = static_cast<Eigen::Index>(plan.muscle.size());
  const Eigen::Index nc = static_cast<Eigen::Index>(plan.coordinates.size());
  auto make_table = [&](std::string name) {
    io::Table t;
    t.name = std::move(name);
    t.labels = plan.names;
    t.time.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) t.time[i] = states.time[rows[static_cast<size_t>(i)]];
    t.data.resize(n, nm);
    t.comments = kDescription;
    return t;
  };
  // OpenSim's storage order: MomentArm_*, Moment_*, then the quantities.
  for (Eigen::Index k = 0; k < nc; ++k)
    result.tables.push_back(make_table("MomentArm_" + model.coordinates[static_cast<size_t>(plan.coordinates[k])].name));
  for (Eigen::Index k = 0; k < nc; ++k)
    result.tables.push_back(make_table("Moment_" + model.coordinates[static_cast<size_t>(plan.coordinates[k])].name));
  for (int qi = 0; qi < kMuscleQuantityCount; ++qi)
    result.tables.push_back(make_table(std::string(muscle_quantity_name(static_cast<MuscleQuantity>(qi)))));

  // Failed equilibria: OpenSim warns once per frame; femur gathers them per muscle.
  std::vector<int> failures(static_cast<size_t>(nm), 0);
  std::vector<double> first_failure(static_cast<size_t>(nm), 0.0);

  Eigen::VectorXd q(model.nq), u(model.nv);
  const auto start = std::chrono::steady_clock::now();
  for (Eigen::Index i = 0; i < n; ++i) {
    const int row = rows[static_cast<size_t>(i)];
    q = states.q.row(row).transpose();
    u = states.u.row(row).transpose();
    muscle_analysis_frame(model, plan, options, q, u, work);
    for (Eigen::Index k = 0; k < nc; ++k) {
      result.tables[static_cast<size_t>(k)].data.row(i) = work.moment_arm.row(k);
      result.tables[static_cast<size_t>(nc + k)].data.row(i) = work.moment.row(k);
    }
    for (int qi = 0; qi < kMuscleQuantityCount; ++qi)
      result.tables[static_cast<size_t>(2 * nc + qi)].data.row(i) = work.values.row(qi);
    for (Eigen::Index j = 0; j < nm; ++j)
      if (work.equilibrium_failed[static_cast<size_t>(j)] && failures[static_cast<size_t>(j)]++ == 0)
        first_failure[static_cast<size_t>(j)] = states.time[row];
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  for (Eigen::Index j = 0; j < nm; ++j) {
    if (!failures[static_cast<size_t>(j)]) continue;
    const std::string what = options.on_equilibrium_failure == EquilibriumFailure::keep_state
                                 ? "its default fiber state is reported there, as OpenSim does"
                                 : "femur's bracketed solution is reported there where one exists";
    result.warnings.push_back("muscle '" + plan.names[static_cast<size_t>(j)] + "': OpenSim's fiber equilibrium fails at " +
                              std::to_string(failures[static_cast<size_t>(j)]) + " of " + std::to_string(n) +
                              " frames (first at t = " + std::to_string(first_failure[static_cast<size_t>(j)]) + "); " +
                              what);
  }
  return result;
}

}  // namespace femur::tools
