// Computed Muscle Control / RRA windows (see the header; OPENSIM-NOTES.md C.9, C.10).
#include "femur/tools/cmc.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include <Eigen/Cholesky>
#include <fmt/format.h>

#include "femur/dynamics/crba.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/kinematics/jacobian.hpp"
#include "femur/math/bounded_qp.hpp"
#include "femur/math/filter.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/simulate/integrator.hpp"
#include "femur/simulate/simulate.hpp"
#include "femur/tools/progress.hpp"

namespace femur::tools {

namespace {

// CMC.cpp: MAX_CONTROLS_FOR_RRA, MIN_CMC_CONTROL_VALUE, MAX_CMC_CONTROL_VALUE.
constexpr double kMaxControl = 10000.0;
constexpr double kMinMuscleControl = 0.02;
constexpr double kMaxMuscleControl = 1.0;
// CMCTool.cpp: the desired kinematics are padded by 60 rows; the FIR filter has order 50.
constexpr int kPadRows = 60;
constexpr int kFirOrder = 50;
// CMC.cpp computeInitialStates: 0.2 s settling runs and a 0.03 s first window.
constexpr double kSettleTime = 0.2;
constexpr double kStartWindow = 0.03;
constexpr double kSettleControl = 0.01;
// VectorFunctionForActuators.cpp: the predictor's integrator.
constexpr double kPredictorAccuracy = 5e-6;
constexpr double kPredictorMaxStep = 1e-3;
// Root solve of the excitations (OpenSim: 4e-3 on x; femur goes further, see the header).
constexpr double kRootTolerance = 1e-6;

double control_bound(const std::vector<io::ControlNode>& nodes, bool use_steps, bool extrapolate, double fallback,
                     double t) {
  return nodes.empty() ? fallback : sim::control_value(nodes, use_steps, extrapolate, t);
}

// Control::getControlValueMin / Max (ControlLinear.cpp), with OpenSim's quirk: the maximum is
// read from max_nodes only when min_nodes exist too (OPENSIM-NOTES.md C.8).
double control_min(const io::ControlLinear& c, double t) {
  return control_bound(c.min_nodes, c.use_steps, c.extrapolate, c.default_min, t);
}
double control_max(const io::ControlLinear& c, double t) {
  if (c.min_nodes.empty() || c.max_nodes.empty()) return c.default_max;
  return control_bound(c.max_nodes, c.use_steps, c.extrapolate, c.default_max, t);
}

// Sets (or overwrites, at an equal time) the node at t (ControlLinear::setControlValue).
void set_node(io::ControlLinear& c, double t, double x) {
  if (!c.x_nodes.empty() && c.x_nodes.back().t == t) c.x_nodes.back().value = x;
  else c.x_nodes.push_back({t, x});
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Desired kinematics

DesiredKinematics make_desired_kinematics(const Model& model, const io::Table& table, double cutoff_hz) {
  if (table.rows() < 6) throw std::invalid_argument(fmt::format("{} rows of desired kinematics; at least 6 are needed", table.rows()));
  DesiredKinematics d;
  d.first_time = table.time[0];
  d.last_time = table.time[table.rows() - 1];
  Samples s;
  s.time = table.time;
  s.data = Eigen::MatrixXd::Zero(table.rows(), model.nq);
  int found = 0;
  for (int k = 0; k < model.nq; ++k) {
    const Coordinate& c = model.coordinates[static_cast<size_t>(k)];
    const int col = table.column(c.name);
    if (col < 0) {
      d.missing.push_back(c.name);
      continue;
    }
    ++found;
    s.data.col(k) = table.data.col(col);
    if (table.in_degrees && c.motion_type == MotionType::Rotational) s.data.col(k) *= std::numbers::pi / 180.0;
  }
  if (found == 0) throw std::invalid_argument("the desired kinematics have no column for any coordinate of the model");
  // Storage::pad(60) (never more rows than the data hold), then Storage::lowpassFIR.
  s = pad(s, std::min(kPadRows, table.rows() - 1));
  if (cutoff_hz >= 0.0) s = lowpass_fir(s, kFirOrder, cutoff_hz);
  d.q = fit_gcv_spline_set(5, s.time, s.data, GcvSmoothing::interpolating());
  Eigen::MatrixXd du(s.data.rows(), s.data.cols());
  for (Eigen::Index r = 0; r < s.time.size(); ++r)
    for (Eigen::Index c = 0; c < s.data.cols(); ++c) du(r, c) = d.q.derivative(c, 1, s.time[r]);
  d.u = fit_gcv_spline_set(5, s.time, du, GcvSmoothing::interpolating());
  Eigen::MatrixXd ddu(s.data.rows(), s.data.cols());
  for (Eigen::Index r = 0; r < s.time.size(); ++r)
    for (Eigen::Index c = 0; c < s.data.cols(); ++c) ddu(r, c) = d.u.derivative(c, 1, s.time[r]);
  d.udot = fit_gcv_spline_set(5, s.time, ddu, GcvSmoothing::interpolating());
  return d;
}

void make_desired_points(const io::Table& table, double cutoff_hz, CmcPoints& points) {
  if (table.rows() < 6) throw std::invalid_argument(fmt::format("{} rows of desired points; at least 6 are needed", table.rows()));
  // CMCTool::run: desiredPointsStore->pad(60), lowpassFIR(50, cutoff), GCVSplineSet(5, store).
  Samples s;
  s.time = table.time;
  s.data = table.data;
  s = pad(s, std::min(kPadRows, table.rows() - 1));
  if (cutoff_hz >= 0.0) s = lowpass_fir(s, kFirOrder, cutoff_hz);
  points.desired = fit_gcv_spline_set(5, s.time, s.data, GcvSmoothing::interpolating());
  points.labels = table.labels;
  // CMC_TaskSet::setFunctions: the first function named as the task and the ones after it of
  // the same name, three for a point.
  for (CmcPointTask& task : points.tasks) {
    const auto it = std::find(table.labels.begin(), table.labels.end(), task.name);
    const int first = it == table.labels.end() ? -1 : static_cast<int>(it - table.labels.begin());
    if (first < 0 || first + 2 >= table.cols() || table.labels[static_cast<size_t>(first + 1)] != task.name ||
        table.labels[static_cast<size_t>(first + 2)] != task.name)
      throw std::invalid_argument("point task '" + task.name + "' needs three consecutive columns named '" + task.name +
                                  "' (X, Y, Z in ground) in the desired points");
    task.column = first;
  }
}

// ---------------------------------------------------------------------------------------
// Controls

std::vector<CmcControl> make_cmc_controls(const SimulationModel& sm, const io::ControlSet* constraints) {
  const Model& model = *sm.model;
  const sim::System& S = sm.system;
  std::vector<CmcControl> out;
  for (int k = 0; k < S.actuator_count(); ++k) {
    const sim::SimActuator& a = S.actuators[static_cast<size_t>(k)];
    CmcControl c;
    c.actuator = k;
    c.control.name = a.name + ".excitation";
    double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
    const ForceElement& f = model.forces[static_cast<size_t>(a.force)];
    std::visit(
        [&](const auto& p) {
          if constexpr (requires { p.min_control; }) {
            lo = p.min_control;
            hi = p.max_control;
          }
        },
        f.part);
    if (a.muscle >= 0) {
      lo = S.muscles.parameters(a.muscle).min_control;
      hi = S.muscles.parameters(a.muscle).max_control;
    }
    if (lo == -std::numeric_limits<double>::infinity()) lo = -kMaxControl;
    if (hi == std::numeric_limits<double>::infinity()) hi = kMaxControl;
    if (a.muscle >= 0) {
      c.control.use_steps = true;
      lo = std::max(lo, kMinMuscleControl);
      hi = std::max(hi, kMaxMuscleControl);
    } else {
      c.control.use_steps = false;
    }
    c.control.default_min = lo;
    c.control.default_max = hi;
    out.push_back(std::move(c));
  }
  if (constraints) {
    for (const io::ControlLinear& k : constraints->controls) {
      bool matched = false;
      for (CmcControl& c : out) {
        if (k.name == c.control.name || k.name + ".excitation" == c.control.name) {
          c.control = k;
          c.control.name = sm.system.actuators[static_cast<size_t>(c.actuator)].name + ".excitation";
          c.control.x_nodes.clear();
          matched = true;
        }
      }
      if (!matched)
        throw std::invalid_argument(fmt::format("{}:{}: control '{}' names no actuator of the model",
                                                constraints->file.string(), k.line, k.name));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The CMC loop

namespace {

// One muscle's predictor: its activation and fiber states integrated over a window with the
// path length prescribed (VectorFunctionForActuators::evaluate with one muscle; the muscles do
// not interact there). Runge-Kutta-Merson with the integrator's error norm for auxiliary states.
class MusclePredictor {
 public:
  // Path length and speed on a uniform grid over [t0, t0 + T] (held: constant).
  struct Grid {
    double t0 = 0.0, h = 1.0;
    int n = 0;                           // intervals
    bool held = false;
    std::vector<double> L, V;            // (n + 1) per muscle, muscle-major
  };

  MusclePredictor(const sim::System& S, int muscle) : S_(S), m_(muscle) {
    const auto mi = static_cast<size_t>(m_);
    ia_ = S.layout.activation[mi];
    if_ = S.layout.fiber[mi];
    kind_ = S.layout.fiber_kind[mi];
  }

  // Integrates from the states in y over [t, t + T] with excitation x on (t, t + T] and
  // x_at_start at t itself (the previous step control). Returns the tendon force at t + T and
  // leaves the end states in a_end, f_end.
  double run(const Grid& g, int slot, double t, double T, double x_at_start, double x, double a0, double f0,
             double& a_end, double& f_end) {
    double z[2] = {a0, f0};
    const int nz = 2;
    double tau = t;
    const double t_end = t + T;
    double h = std::min(kPredictorMaxStep, T);
    double k1[2], k2[2], k3[2], k4[2], k5[2], y[2], e[2];
    eval(g, slot, tau, tau == t ? x_at_start : x, z, k1);
    int guard = 0;
    while (tau < t_end) {
      if (++guard > 1000000)
        throw std::runtime_error(fmt::format("CMC predictor: the states of muscle '{}' could not be integrated over {} to {} s "
                                             "(a million steps)",
                                             S_.muscles.parameters(m_).name, t, t_end));
      bool last = false;
      double hh = h;
      if (tau + hh >= t_end - 1e-14 * std::max(1.0, std::abs(t_end))) {
        hh = t_end - tau;
        last = true;
      }
      for (int i = 0; i < nz; ++i) y[i] = z[i] + hh / 3 * k1[i];
      eval(g, slot, tau + hh / 3, x, y, k2);
      for (int i = 0; i < nz; ++i) y[i] = z[i] + hh / 6 * (k1[i] + k2[i]);
      eval(g, slot, tau + hh / 3, x, y, k3);
      for (int i = 0; i < nz; ++i) y[i] = z[i] + hh / 8 * (k1[i] + 3 * k3[i]);
      eval(g, slot, tau + hh / 2, x, y, k4);
      for (int i = 0; i < nz; ++i) y[i] = z[i] + hh / 2 * (k1[i] - 3 * k3[i] + 4 * k4[i]);
      eval(g, slot, tau + hh, x, y, k5);
      double err = 0.0;
      int count = 0;
      for (int i = 0; i < nz; ++i) {
        if (!has(i)) continue;
        y[i] = z[i] + hh / 6 * (k1[i] + 4 * k4[i] + k5[i]);
        e[i] = hh / 30 * (2 * k1[i] - 9 * k3[i] + 8 * k4[i] - k5[i]);
        const double w = e[i] / std::max(std::abs(z[i]), 1.0);
        err += w * w;
        ++count;
      }
      err = count ? std::sqrt(err / count) : 0.0;
      if (!std::isfinite(err)) err = 1e30;
      if (err <= kPredictorAccuracy || hh <= 1e-10) {
        tau = last ? t_end : tau + hh;
        for (int i = 0; i < nz; ++i)
          if (has(i)) z[i] = y[i];
        eval(g, slot, tau, x, z, k1);
        const double grow = err > 0 ? 0.9 * std::pow(kPredictorAccuracy / err, 0.25) : 5.0;
        if (!last) h = std::min(kPredictorMaxStep, hh * std::clamp(grow, 1.0, 5.0));
      } else {
        const double shrink = 0.9 * std::pow(kPredictorAccuracy / err, 0.25);
        h = hh * std::clamp(shrink, 0.1, 0.9);
      }
    }
    a_end = z[0];
    f_end = z[1];
    return state_.tendon_force;
  }

  // Force at full excitation-free evaluation (no states): the tendon force at (L, V) for x.
  int activation_index() const { return ia_; }
  int fiber_index() const { return if_; }

 private:
  bool has(int i) const { return i == 0 ? ia_ >= 0 : if_ >= 0; }

  void eval(const Grid& g, int slot, double tau, double x, const double* z, double* dz) {
    double L, V;
    if (g.held || g.n == 0) {
      L = g.L[static_cast<size_t>(slot * (g.n + 1))];
      V = g.V[static_cast<size_t>(slot * (g.n + 1))];
    } else {
      double s = (tau - g.t0) / g.h;
      int i = static_cast<int>(std::floor(s));
      i = std::clamp(i, 0, g.n - 1);
      s -= i;
      const size_t base = static_cast<size_t>(slot * (g.n + 1) + i);
      const double L0 = g.L[base], L1 = g.L[base + 1], V0 = g.V[base] * g.h, V1 = g.V[base + 1] * g.h;
      // Cubic Hermite on [t_i, t_i+1].
      const double s2 = s * s, s3 = s2 * s;
      L = (2 * s3 - 3 * s2 + 1) * L0 + (s3 - 2 * s2 + s) * V0 + (-2 * s3 + 3 * s2) * L1 + (s3 - s2) * V1;
      V = ((6 * s2 - 6 * s) * L0 + (3 * s2 - 4 * s + 1) * V0 + (-6 * s2 + 6 * s) * L1 + (3 * s2 - 2 * s) * V1) / g.h;
    }
    double adot = 0.0, fdot = 0.0;
    sim::muscle_state_derivatives(S_.muscles.model(m_), kind_, L, V, x, z[0], z[1], state_, adot, fdot);
    dz[0] = ia_ >= 0 ? adot : 0.0;
    dz[1] = if_ >= 0 ? fdot : 0.0;
  }

  const sim::System& S_;
  int m_;
  int ia_ = -1, if_ = -1;
  sim::FiberState kind_ = sim::FiberState::none;
  MuscleState state_;
};

class CmcEngine {
 public:
  CmcEngine(const SimulationModel& sm, const DesiredKinematics& d, const std::vector<CmcTask>& tasks,
            std::vector<CmcControl> controls, const CmcSettings& settings, const CmcPoints& points)
      : sm_(sm), S_(sm.system), model_(*sm.model), d_(d), tasks_(tasks), points_(points),
        controls_(std::move(controls)), settings_(settings), ws_(S_), pdata_(*sm.model) {
    ws_.applier = sm.applier.get();
    n_ = static_cast<int>(controls_.size());
    nq_ = model_.nq;
    for (int m = 0; m < S_.muscles.size(); ++m) predictors_.emplace_back(S_, m);
    muscle_of_control_.assign(static_cast<size_t>(n_), -1);
    for (int j = 0; j < n_; ++j)
      muscle_of_control_[static_cast<size_t>(j)] = S_.actuators[static_cast<size_t>(controls_[static_cast<size_t>(j)].actuator)].muscle;
    xmin_.resize(n_); xmax_.resize(n_); fmin_.resize(n_); fmax_.resize(n_); f_.setZero(n_); x_.resize(n_);
    xprev_.resize(n_); lo_.resize(n_); hi_.resize(n_);
    dq_.resize(nq_); du_.resize(nq_); qd_.resize(nq_); desired_q_.resize(nq_); desired_u_.resize(nq_);
    actuation_ = Eigen::VectorXd::Zero(S_.actuator_count());
    // Rows: the joint tasks, then each active component of each point task.
    for (const CmcTask& t : tasks_) {
      row_name_.push_back(t.name);
      row_weight_.push_back(t.weight);
    }
    for (size_t p = 0; p < points_.tasks.size(); ++p)
      for (int c = 0; c < 3; ++c)
        if (points_.tasks[p].active[static_cast<size_t>(c)]) {
          point_rows_.push_back({static_cast<int>(p), c});
          row_name_.push_back(points_.tasks[p].name);
          row_weight_.push_back(points_.tasks[p].weight[static_cast<size_t>(c)]);
        }
    const int m = static_cast<int>(row_name_.size());
    A_.resize(m, n_);
    b_.resize(m);
    a_des_.resize(m);
    const int nv = fast() ? n_ : n_ + m;
    qp_.resize(nv, m);
    y_mult_ = Eigen::VectorXd::Zero(m);
    p_err_labels_ = row_name_;
    if (!point_rows_.empty()) {
      Gp_.resize(static_cast<Eigen::Index>(point_rows_.size()), model_.nv);
      hp_.resize(static_cast<Eigen::Index>(point_rows_.size()));
    }
  }

  // A point task's position and velocity in ground at (q, u) (CMC_Point::updateWorkVariables),
  // from pdata_ after forward_kinematics with speeds.
  void point_state(const CmcPointTask& task, Vec3& p, Vec3& v) const {
    if (task.body >= 0) {
      p = point_in_ground(model_, pdata_, task.body, task.point);
      v = point_velocity(model_, pdata_, task.body, task.point);
      return;
    }
    double mass = 0.0;
    p.setZero();
    v.setZero();
    for (size_t b = 1; b < model_.bodies.size(); ++b) {
      const Body& body = model_.bodies[b];
      p += body.mass * point_in_ground(model_, pdata_, static_cast<int>(b), body.com_in_body);
      v += body.mass * point_velocity(model_, pdata_, static_cast<int>(b), body.com_in_body);
      mass += body.mass;
    }
    p /= mass;
    v /= mass;
  }

  // Rows of the point components at (q, u): acceleration = Gp_ u' + hp_ (the Jacobian rows and
  // the acceleration at u' = 0).
  void point_rows_at(const Eigen::VectorXd& q, const Eigen::VectorXd& u) {
    zero_udot_.setZero(model_.nv);
    forward_kinematics(model_, pdata_, q, u, zero_udot_);
    std::vector<Vec3> bias(points_.tasks.size(), Vec3::Zero());
    for (size_t p = 0; p < points_.tasks.size(); ++p) {
      const CmcPointTask& task = points_.tasks[p];
      if (task.body >= 0) {
        bias[p] = point_acceleration(model_, pdata_, task.body, task.point);
        continue;
      }
      double mass = 0.0;
      for (size_t b = 1; b < model_.bodies.size(); ++b) {
        const Body& body = model_.bodies[b];
        bias[p] += body.mass * point_acceleration(model_, pdata_, static_cast<int>(b), body.com_in_body);
        mass += body.mass;
      }
      bias[p] /= mass;
    }
    compute_joint_jacobians(model_, pdata_, q);
    std::vector<Matrix3X> J(points_.tasks.size());
    for (size_t p = 0; p < points_.tasks.size(); ++p) {
      const CmcPointTask& task = points_.tasks[p];
      if (task.body >= 0) {
        point_jacobian(model_, pdata_, task.body, task.point, J[p]);
        continue;
      }
      J[p] = Matrix3X::Zero(3, model_.nv);
      double mass = 0.0;
      for (size_t b = 1; b < model_.bodies.size(); ++b) {
        const Body& body = model_.bodies[b];
        point_jacobian(model_, pdata_, static_cast<int>(b), body.com_in_body, jp_);
        J[p] += body.mass * jp_;
        mass += body.mass;
      }
      J[p] /= mass;
    }
    for (size_t r = 0; r < point_rows_.size(); ++r) {
      const auto [p, c] = point_rows_[r];
      Gp_.row(static_cast<Eigen::Index>(r)) = J[static_cast<size_t>(p)].row(c);
      hp_[static_cast<Eigen::Index>(r)] = bias[static_cast<size_t>(p)][c];
    }
  }

  bool fast() const { return settings_.fast_target; }
  bool has_muscle_states() const { return S_.layout.nz > 0; }

  // The desired coordinates and their rates at tau, kept for the last tau asked (a window's
  // end is the next window's start, and its predictor grid starts there too).
  void desired_at(double tau) {
    if (tau == desired_t_) return;
    for (int k = 0; k < nq_; ++k) {
      desired_q_[k] = d_.q.derivative(k, 0, tau);
      desired_u_[k] = d_.q.derivative(k, 1, tau);
    }
    desired_t_ = tau;
  }

  // Pose at tau with the window's offsets.
  void pose(double tau, Eigen::VectorXd& q, Eigen::VectorXd& u) {
    desired_at(tau);
    for (int k = 0; k < nq_; ++k) {
      q[k] = desired_q_[k] + dq_[k];
      u[k] = desired_u_[k] + du_[k];
    }
  }

  // Path lengths and speeds of every muscle on the predictor grid over [t, t+T]; `held`: all at
  // t (CMCActuatorSubsystem::holdCoordinatesConstant).
  void build_grid(double t, double T, bool held) {
    const int nm = S_.muscles.size();
    grid_.t0 = t;
    grid_.held = held;
    grid_.n = held ? 0 : std::max(1, static_cast<int>(std::ceil(T / kPredictorMaxStep - 1e-9)));
    grid_.h = held ? T : T / grid_.n;
    grid_.L.assign(static_cast<size_t>(nm * (grid_.n + 1)), 0.0);
    grid_.V.assign(static_cast<size_t>(nm * (grid_.n + 1)), 0.0);
    if (nm == 0) return;
    for (int i = 0; i <= grid_.n; ++i) {
      pose(t + i * grid_.h, ws_.q, ws_.u);
      forward_kinematics(model_, ws_.data, ws_.q, ws_.u);
      compute_path_lengths(model_, S_.paths, ws_.data, ws_.q, ws_.path_data);
      compute_path_speeds(model_, S_.paths, ws_.data, ws_.q, ws_.u, ws_.path_data);
      for (int m = 0; m < nm; ++m) {
        const int p = S_.muscle_path[static_cast<size_t>(m)];
        grid_.L[static_cast<size_t>(m * (grid_.n + 1) + i)] = ws_.path_data.length[p];
        grid_.V[static_cast<size_t>(m * (grid_.n + 1) + i)] = ws_.path_data.speed[p];
      }
    }
  }

  // The predictor for every control: force at t + T for controls x (x_at_start at t). Muscle
  // states start from y and end in y_end (when given).
  double predict(int j, double t, double T, double x_at_start, double x, const Eigen::VectorXd& y,
                 Eigen::VectorXd* y_end) {
    ++predictor_runs_;
    const int m = muscle_of_control_[static_cast<size_t>(j)];
    const sim::SimActuator& a = S_.actuators[static_cast<size_t>(controls_[static_cast<size_t>(j)].actuator)];
    if (m < 0) return a.applies_force ? x * a.optimal_force : 0.0;
    MusclePredictor& P = predictors_[static_cast<size_t>(m)];
    const int ia = P.activation_index(), ifb = P.fiber_index();
    double a_end = 0, f_end = 0;
    const double F = P.run(grid_, m, t, T, x_at_start, x, ia >= 0 ? y[ia] : 0.0, ifb >= 0 ? y[ifb] : 0.0, a_end, f_end);
    if (y_end) {
      if (ia >= 0) (*y_end)[ia] = a_end;
      if (ifb >= 0) (*y_end)[ifb] = f_end;
    }
    return a.applies_force ? F : 0.0;
  }

  // Runs every muscle's predictor with the controls x (x at the window start: xs), writing the
  // end states into y.
  void predict_all(double t, double T, const Eigen::VectorXd& xs, const Eigen::VectorXd& x, Eigen::VectorXd& y) {
    const Eigen::VectorXd y0 = y;
    for (int j = 0; j < n_; ++j)
      if (muscle_of_control_[static_cast<size_t>(j)] >= 0) predict(j, t, T, xs[j], x[j], y0, &y);
  }

  // CMC::computeControls at time t for the window [t, t+T]; y is the model state at t. Writes
  // the nodes at t + T and returns nothing; throws on an infeasible window.
  void solve_window(double t, double T, const Eigen::VectorXd& y) {
    const sim::StateLayout& L = S_.layout;
    // 1. Offsets.
    desired_at(t);
    for (int k = 0; k < nq_; ++k) {
      qd_[k] = desired_q_[k];
      dq_[k] = y[k] - qd_[k];
      du_[k] = y[L.nq + k] - desired_u_[k];
    }
    // 2. Errors and desired accelerations (CMC_Joint::computeErrors, computeDesiredAccelerations).
    Eigen::VectorXd perr(static_cast<Eigen::Index>(row_name_.size()));
    for (size_t i = 0; i < tasks_.size(); ++i) {
      const CmcTask& task = tasks_[i];
      const int k = task.coordinate;
      const double qd = qd_[k];
      const double ud = d_.u.derivative(k, 0, t);
      const double udd = d_.udot.derivative(k, 0, t + T);
      const double pe = qd - y[k], ve = ud - y[L.nq + k];
      perr[static_cast<Eigen::Index>(i)] = pe;
      a_des_[static_cast<Eigen::Index>(i)] = task.ka * udd + task.kv * ve + task.kp * pe;
    }
    if (!point_rows_.empty()) {
      // CMC_Point::computeErrors at t (state y), the feedforward acceleration at t + T.
      pq_ = y.head(nq_);
      pu_ = y.segment(L.nq, model_.nv);
      forward_kinematics(model_, pdata_, pq_, pu_);
      const Eigen::Index m0 = static_cast<Eigen::Index>(tasks_.size());
      for (size_t r = 0; r < point_rows_.size(); ++r) {
        const auto [p, c] = point_rows_[r];
        const CmcPointTask& task = points_.tasks[static_cast<size_t>(p)];
        Vec3 pos, vel;
        point_state(task, pos, vel);
        const int col = task.column + c;
        const double pe = points_.desired.derivative(col, 0, t) - pos[c];
        const double ve = points_.desired.derivative(col, 1, t) - vel[c];
        const double add = points_.desired.derivative(col, 2, t + T);
        const size_t k = static_cast<size_t>(c);
        perr[m0 + static_cast<Eigen::Index>(r)] = pe;
        a_des_[m0 + static_cast<Eigen::Index>(r)] = task.ka[k] * add + task.kv[k] * ve + task.kp[k] * pe;
      }
    }
    record_error(t, perr);

    // 3. Bounds on the controls at t, and on the forces at t + T.
    for (int j = 0; j < n_; ++j) {
      const io::ControlLinear& c = controls_[static_cast<size_t>(j)].control;
      xmin_[j] = control_min(c, t);
      xmax_[j] = control_max(c, t);
      // The step control in force at t itself: the last node's (none yet: the trial value).
      xprev_[j] = c.x_nodes.empty() ? std::numeric_limits<double>::quiet_NaN() : sim::control_value(c, t);
    }
    build_grid(t, T, false);
    for (int j = 0; j < n_; ++j) {
      const double s0 = std::isnan(xprev_[j]) ? xmin_[j] : xprev_[j];
      const double s1 = std::isnan(xprev_[j]) ? xmax_[j] : xprev_[j];
      fmin_[j] = predict(j, t, T, s0, xmin_[j], y, nullptr);
      fmax_[j] = predict(j, t, T, s1, xmax_[j], y, nullptr);
      if (fmax_[j] - fmin_[j] < 1.0) xmax_[j] = xmin_[j];
      lo_[j] = std::min(fmin_[j], fmax_[j]);
      hi_[j] = std::max(fmin_[j], fmax_[j]);
    }

    // 4. The optimization state at t + T and the linear map from forces to accelerations.
    const double tf = t + T;
    pose(tf, ws_.q, ws_.u);
    sim::kinematics_stage(S_, ws_);
    if (!S_.needs_path_speeds && S_.paths.size() > 0)
      compute_path_speeds(model_, S_.paths, ws_.data, ws_.q, ws_.u, ws_.path_data);
    actuation_.setZero();
    // Non-CMC actuators would keep their own forces here; every actuator is a CMC actuator.
    sim::accelerations_stage(S_, ws_, tf, actuation_);
    const Eigen::VectorXd udot0 = ws_.udot;
    for (size_t i = 0; i < tasks_.size(); ++i) b_[static_cast<Eigen::Index>(i)] = udot0[tasks_[i].coordinate];
    const Eigen::Index m0 = static_cast<Eigen::Index>(tasks_.size()), mp = static_cast<Eigen::Index>(point_rows_.size());
    if (mp > 0) dudot_.resize(model_.nv, n_);
    // Columns of actuators whose generalized force is known without the path geometry
    // (coordinate, point and torque actuators: tau = unit, J_p^T d, J_w^T a) are M^-1 tau; the
    // others (muscles, path actuators) come from one articulated-body pass each. The Jacobians
    // re-pose the model without speeds, so they come after every articulated-body pass.
    auto direct = [&](int k) {
      const BoundActuator& b = sm_.actuators.actuators[static_cast<size_t>(k)];
      return !S_.constrained && S_.actuators[static_cast<size_t>(k)].applies_force &&
             (b.kind == BoundActuator::Kind::coordinate || b.kind == BoundActuator::Kind::point ||
              b.kind == BoundActuator::Kind::torque);
    };
    bool any_direct = false;
    for (int j = 0; j < n_; ++j) {
      const int k = controls_[static_cast<size_t>(j)].actuator;
      if (direct(k)) {
        any_direct = true;
        continue;
      }
      actuation_[k] = 1.0;
      sim::accelerations_stage(S_, ws_, tf, actuation_);
      actuation_[k] = 0.0;
      for (size_t i = 0; i < tasks_.size(); ++i)
        A_(static_cast<Eigen::Index>(i), j) = ws_.udot[tasks_[i].coordinate] - udot0[tasks_[i].coordinate];
      if (mp > 0) dudot_.col(j) = ws_.udot - udot0;
    }
    if (mp > 0) {
      // The point rows need the Jacobians at the window's end; they re-pose their own Data.
      point_rows_at(ws_.q, ws_.u);
      b_.segment(m0, mp) = Gp_ * udot0 + hp_;
      for (int j = 0; j < n_; ++j)
        if (!direct(controls_[static_cast<size_t>(j)].actuator)) A_.block(m0, j, mp, 1) = Gp_ * dudot_.col(j);
    }
    if (any_direct) {
      const Eigen::MatrixXd& M = crba(model_, ws_.data, ws_.q);
      mass_llt_.compute(M);
      minv_ = mass_llt_.solve(Eigen::MatrixXd::Identity(model_.nv, model_.nv));
      bool have_jacobians = false;
      for (int j = 0; j < n_; ++j) {
        const int k = controls_[static_cast<size_t>(j)].actuator;
        if (!direct(k)) continue;
        const BoundActuator& b = sm_.actuators.actuators[static_cast<size_t>(k)];
        if (b.kind == BoundActuator::Kind::coordinate) {
          for (size_t i = 0; i < tasks_.size(); ++i)
            A_(static_cast<Eigen::Index>(i), j) = minv_(tasks_[i].coordinate, b.coordinate);
          if (mp > 0) A_.block(m0, j, mp, 1) = Gp_ * minv_.col(b.coordinate);
          continue;
        }
        if (!have_jacobians) {
          compute_joint_jacobians(model_, ws_.data, ws_.q);
          have_jacobians = true;
        }
        unit_tau_.setZero(model_.nv);
        if (b.kind == BoundActuator::Kind::point) {
          // PointActuator (actuator_set.cpp): unit force along its direction at its point.
          if (b.body > 0) {
            const Transform X = body_pose(model_, ws_.data, b.body);
            const Vec3 dir = b.force_is_global ? Vec3(b.direction.normalized()) : Vec3(X.R * b.direction.normalized());
            const Vec3 at = b.point_is_global ? Vec3(X.R.transpose() * (b.point - X.p)) : b.point;
            point_jacobian(model_, ws_.data, b.body, at, jp_);
            unit_tau_ = jp_.transpose() * dir;
          }
        } else {
          // TorqueActuator: unit torque on body_a about its axis, the opposite on body_b.
          const Vec3 axis = b.torque_is_global ? Vec3(b.axis.normalized())
                                               : Vec3(body_pose(model_, ws_.data, b.body_a).R * b.axis.normalized());
          if (b.body_a > 0) {
            frame_jacobian(model_, ws_.data, b.body_a, Vec3::Zero(), jf_);
            unit_tau_ += jf_.topRows<3>().transpose() * axis;
          }
          if (b.body_b > 0) {
            frame_jacobian(model_, ws_.data, b.body_b, Vec3::Zero(), jf_);
            unit_tau_ -= jf_.topRows<3>().transpose() * axis;
          }
        }
        for (size_t i = 0; i < tasks_.size(); ++i)
          A_(static_cast<Eigen::Index>(i), j) = minv_.row(tasks_[i].coordinate).dot(unit_tau_);
        if (mp > 0) A_.block(m0, j, mp, 1) = Gp_ * (minv_ * unit_tau_);
      }
    }

    // 5. The target: weights 1 / capacity^2 (ActuatorForceTargetFast::prepareToOptimize: the
    // muscle's active fiber force at full activation; other actuators their optimal force).
    const int m = static_cast<int>(row_name_.size());
    const int nv = fast() ? n_ : n_ + m;
    Eigen::VectorXd w(nv), c = Eigen::VectorXd::Zero(nv), lo(nv), hi(nv), f(nv);
    for (int j = 0; j < n_; ++j) {
      const int mi = muscle_of_control_[static_cast<size_t>(j)];
      const sim::SimActuator& a = S_.actuators[static_cast<size_t>(controls_[static_cast<size_t>(j)].actuator)];
      double cap = a.optimal_force;
      if (mi >= 0 && !fast()) {
        // ActuatorForceTarget (slow): a muscle's stress is f / max_isometric_force.
        cap = S_.muscles.parameters(mi).max_isometric_force;
      } else if (mi >= 0) {
        const int p = S_.muscle_path[static_cast<size_t>(mi)];
        const MuscleModel& mm = S_.muscles.model(mi);
        rigid_tendon_state(mm, ws_.path_data.length[p], ws_.path_data.speed[p], 1.0, muscle_state_);
        cap = calc_inextensible_tendon_active_fiber_force(mm, muscle_state_.fiber_length, muscle_state_.fiber_velocity, 1.0);
        cap = std::max(cap, 1e-6 * mm.parameters().max_isometric_force);
      }
      w[j] = 1.0 / (cap * cap);
      lo[j] = lo_[j];
      hi[j] = hi_[j];
      f[j] = std::clamp(f_[j], lo_[j], hi_[j]);
    }
    Eigen::MatrixXd A;
    const Eigen::VectorXd rhs = a_des_ - b_;
    if (fast()) {
      A = A_;
    } else {
      // Slow target (ActuatorForceTarget): sum_i w_i (qdd_i - a_des_i)^2 + sum_j (f_j/cap_j)^2,
      // the acceleration errors r = A f + b - a_des as free variables.
      A.resize(m, nv);
      A.leftCols(n_) = A_;
      A.rightCols(m) = -Eigen::MatrixXd::Identity(m, m);
      for (int i = 0; i < m; ++i) {
        w[n_ + i] = row_weight_[static_cast<size_t>(i)];
        lo[n_ + i] = -std::numeric_limits<double>::infinity();
        hi[n_ + i] = std::numeric_limits<double>::infinity();
        f[n_ + i] = 0.0;
      }
    }
    if (!fast()) {
      // ActuatorForceTarget::prepareToOptimize: the unconstrained least-squares solution first
      // (LAPACK dgelss in OpenSim), kept when every force is within its bounds:
      // (diag(w_f) + A^T diag(w_t) A) f = A^T diag(w_t) (a_des - b).
      H_.noalias() = A_.transpose() * w.tail(m).asDiagonal() * A_;
      H_.diagonal() += w.head(n_);
      g_.noalias() = A_.transpose() * (w.tail(m).asDiagonal() * rhs);
      llt_.compute(H_);
      const Eigen::VectorXd fd = llt_.solve(g_);
      bool inside = llt_.info() == Eigen::Success && fd.allFinite();
      for (int j = 0; inside && j < n_; ++j) inside = fd[j] >= lo[j] && fd[j] <= hi[j];
      if (inside) {
        f_ = fd;
        return finish_window(t, T, y);
      }
    }
    // Solved in scaled variables x = f sqrt(w) (unit weights: the weights span twelve orders of
    // magnitude between weak muscles and residuals, which the dual Newton method dislikes).
    const Eigen::VectorXd scale = w.cwiseSqrt().cwiseInverse();
    const Eigen::MatrixXd As = A * scale.asDiagonal();
    const Eigen::VectorXd ones = Eigen::VectorXd::Ones(nv);
    Eigen::VectorXd los = lo.cwiseQuotient(scale), his = hi.cwiseQuotient(scale), x = f.cwiseQuotient(scale);
    BoundedQpOptions qo;
    qo.tolerance = 1e-10;
    qo.max_iterations = 500;
    BoundedQpSummary sum = qp_.solve(As, rhs, ones, c, los, his, x, y_mult_, qo);
    if (!sum.solved() && sum.status != BoundedQpStatus::Infeasible) {
      y_mult_.setZero();  // a cold start
      x = f.cwiseQuotient(scale);
      sum = qp_.solve(As, rhs, ones, c, los, his, x, y_mult_, qo);
    }
    f = x.cwiseProduct(scale);
    if (!sum.solved()) {
      // Which accelerations are missed, and by how much: the closest the bounded forces come,
      // with the acceleration errors as heavily weighted free variables (a feasible problem).
      Eigen::VectorXd miss(m);
      {
        BoundedQp relaxed(n_ + m, m);
        Eigen::MatrixXd Ar(m, n_ + m);
        Ar.leftCols(n_) = As.leftCols(n_);
        Ar.rightCols(m) = -Eigen::MatrixXd::Identity(m, m);
        Eigen::VectorXd wr(n_ + m), cr = Eigen::VectorXd::Zero(n_ + m), lr(n_ + m), hr(n_ + m), xr(n_ + m);
        Eigen::VectorXd yr = Eigen::VectorXd::Zero(m);
        wr.head(n_).setOnes();
        wr.tail(m).setConstant(1e6);
        lr.head(n_) = los.head(n_);
        hr.head(n_) = his.head(n_);
        lr.tail(m).setConstant(-std::numeric_limits<double>::infinity());
        hr.tail(m).setConstant(std::numeric_limits<double>::infinity());
        xr.head(n_) = x.head(n_);
        xr.tail(m).setZero();
        relaxed.solve(Ar, rhs, wr, cr, lr, hr, xr, yr, qo);
        miss = xr.tail(m);  // achieved minus desired
      }
      std::string coords;
      for (int i = 0; i < m; ++i)
        if (std::abs(miss[i]) > 1e-3 * (1.0 + std::abs(rhs[i])))
          coords += (coords.empty() ? "" : ", ") + row_name_[static_cast<size_t>(i)] +
                    fmt::format(" (acceleration off by {:.4g})", miss[i]);
      if (coords.empty()) coords = "(the optimizer did not converge)";
      throw std::runtime_error(fmt::format(
          "CMC: at time {} no actuator forces within their bounds achieve the desired accelerations of {}; "
          "the model cannot generate the forces needed (unactuated coordinates, tasks for locked coordinates, or "
          "control constraints too tight on the reserve/residual actuators)",
          t, coords));
    }
    f_ = f.head(n_);
    finish_window(t, T, y);
  }

  void finish_window(double t, double T, const Eigen::VectorXd& y) {
    const double tf = t + T;
    // 6. Root-solve each control so that the predictor gives the force.
    for (int j = 0; j < n_; ++j) {
      const int mi = muscle_of_control_[static_cast<size_t>(j)];
      const sim::SimActuator& a = S_.actuators[static_cast<size_t>(controls_[static_cast<size_t>(j)].actuator)];
      if (mi < 0) {
        x_[j] = a.optimal_force != 0.0 && a.applies_force ? f_[j] / a.optimal_force : xmin_[j];
        continue;
      }
      x_[j] = root_solve(j, t, T, y);
    }
    // 7. Nodes at t + T.
    for (int j = 0; j < n_; ++j) set_node(controls_[static_cast<size_t>(j)].control, tf, x_[j]);
  }

  // Excitation in [xmin, xmax] whose predicted force at t+T is f_j: Brent's method (Brent 1973,
  // "Algorithms for Minimization without Derivatives", ch. 4: inverse quadratic interpolation and
  // secant steps, bisection as the safeguard) on the monotone force-excitation curve, started
  // from the excitation in force now (controls change little between windows). Stops at a force
  // within 1e-4 of the target (relative) or an excitation bracket below kRootTolerance.
  double root_solve(int j, double t, double T, const Eigen::VectorXd& y) {
    double a = xmin_[j], b = xmax_[j];
    if (b <= a) return a;
    const double target = f_[j];
    const double ftol = 1e-4 * (1.0 + std::abs(target));
    auto g = [&](double x) {
      const double s = std::isnan(xprev_[j]) ? x : xprev_[j];
      return predict(j, t, T, s, x, y, nullptr) - target;
    };
    double fa = fmin_[j] - target, fb = fmax_[j] - target;
    if (fa >= 0) return a;
    if (fb <= 0) return b;
    // Narrow the bracket with the current excitation first.
    const double guess = xprev_[j];
    if (guess > a && guess < b) {
      const double fg = g(guess);
      if (std::abs(fg) < ftol) return guess;
      if (fg < 0) {
        a = guess;
        fa = fg;
      } else {
        b = guess;
        fb = fg;
      }
    }
    // Brent's zero finder on [a, b] with f(a) < 0 < f(b); b is the best estimate.
    double c = a, fc = fa, d = b - a, e = d;
    for (int it = 0; it < 100; ++it) {
      if ((fb > 0) == (fc > 0)) {
        c = a;
        fc = fa;
        d = e = b - a;
      }
      if (std::abs(fc) < std::abs(fb)) {
        a = b; b = c; c = a;
        fa = fb; fb = fc; fc = fa;
      }
      const double tol = 0.5 * kRootTolerance;
      const double m = 0.5 * (c - b);
      if (std::abs(m) <= tol || std::abs(fb) < ftol) return b;
      if (std::abs(e) >= tol && std::abs(fa) > std::abs(fb)) {
        double p, q;
        const double s = fb / fa;
        if (a == c) {  // secant
          p = 2 * m * s;
          q = 1 - s;
        } else {       // inverse quadratic interpolation
          const double qa = fa / fc, r = fb / fc;
          p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
          q = (qa - 1) * (r - 1) * (s - 1);
        }
        if (p > 0) q = -q;
        else p = -p;
        if (2 * p < std::min(3 * m * q - std::abs(tol * q), std::abs(e * q))) {
          e = d;
          d = p / q;
        } else {
          d = m;
          e = m;
        }
      } else {
        d = m;
        e = m;
      }
      a = b;
      fa = fb;
      b += std::abs(d) > tol ? d : (m > 0 ? tol : -tol);
      fb = g(b);
    }
    return b;
  }

  void record_error(double t, const Eigen::VectorXd& e) {
    if (!err_time_.empty() && err_time_.back() == t) err_rows_.back() = e;
    else {
      err_time_.push_back(t);
      err_rows_.push_back(e);
    }
  }

  // Muscle states relaxed with the coordinates held at t (CMC::obtainActuatorEquilibrium: a
  // 0.2 s integration with constant excitations). The activation is integrated (it does not
  // depend on the fiber); the fiber, whose path length is constant, ends at its static
  // equilibrium, which femur solves for directly: at low activation the fiber dynamics of
  // Thelen2003Muscle are so stiff (eigenvalues near -1e6 /s) that an explicit integrator
  // creeps through the 0.2 s in microsecond steps.
  void settle(double t, const Eigen::VectorXd& x, Eigen::VectorXd& y) {
    build_grid(t, kSettleTime, true);
    const sim::StateLayout& L = S_.layout;
    for (int j = 0; j < n_; ++j) {
      const int m = muscle_of_control_[static_cast<size_t>(j)];
      if (m < 0) continue;
      const auto mi = static_cast<size_t>(m);
      const MuscleModel& mm = S_.muscles.model(m);
      const int ia = L.activation[mi], ifb = L.fiber[mi];
      double a = ia >= 0 ? y[ia] : x[j];
      if (ia >= 0) {
        const int steps = static_cast<int>(std::ceil(kSettleTime / 1e-3));
        const double h = kSettleTime / steps;
        for (int k = 0; k < steps; ++k) {  // classical Runge-Kutta
          const double k1 = activation_derivative(mm, a, x[j]);
          const double k2 = activation_derivative(mm, a + 0.5 * h * k1, x[j]);
          const double k3 = activation_derivative(mm, a + 0.5 * h * k2, x[j]);
          const double k4 = activation_derivative(mm, a + h * k3, x[j]);
          a += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }
        y[ia] = a;
      }
      if (ifb >= 0) {
        const double length = grid_.L[static_cast<size_t>(m * (grid_.n + 1))];
        MuscleState out;
        fiber_equilibrium(mm, length, 0.0, a, out);
        y[ifb] = L.fiber_kind[mi] == sim::FiberState::fiber_length ? out.fiber_length
                                                                    : out.tendon_force / mm.parameters().max_isometric_force;
      }
    }
  }

  // CMC::computeInitialStates. Returns the time tracking starts at and sets y there.
  double initial_states(double ti, Eigen::VectorXd& y) {
    const Eigen::VectorXd settle_x = Eigen::VectorXd::Constant(n_, kSettleControl);
    dq_.setZero();
    du_.setZero();
    settle(ti, settle_x, y);
    settle(ti, settle_x, y);
    Eigen::VectorXd xi(n_);
    for (int pass = 0; pass < 2; ++pass) {
      for (CmcControl& c : controls_) c.control.x_nodes.clear();
      solve_window(ti, kStartWindow, y);
      for (int j = 0; j < n_; ++j) xi[j] = controls_[static_cast<size_t>(j)].control.x_nodes.back().value;
      if (pass == 0) settle(ti, xi, y);
    }
    // The muscle states at ti + 0.03 with those controls and the coordinates moving.
    build_grid(ti, kStartWindow, false);
    dq_.setZero();
    du_.setZero();
    predict_all(ti, kStartWindow, xi, xi, y);
    const double t = ti + kStartWindow;
    Eigen::VectorXd q(nq_), u(nq_);
    pose(t, q, u);
    y.head(nq_) = q;
    y.segment(S_.layout.nq, nq_) = u;
    return t;
  }

  CmcResult run(double ti, double tf, Eigen::VectorXd y) {
    const auto t_start = std::chrono::steady_clock::now();
    const sim::StateLayout& L = S_.layout;
    CmcResult r;
    // q, u from the desired kinematics at ti (q from qSet, u from uSet).
    for (int k = 0; k < nq_; ++k) {
      y[k] = d_.q.derivative(k, 0, ti);
      y[L.nq + k] = d_.u.derivative(k, 0, ti);
    }
    sim::project_constraints(S_, y);
    const double T = settings_.window;
    double t = ti;
    if (has_muscle_states()) {
      t = initial_states(ti, y);
    } else {
      // Without auxiliary states: one solve at ti over 1e-8 s (CMC.cpp computeInitialStates is
      // skipped; CMCTool solves the first controls so).
      solve_window(ti, 1e-8, y);
    }
    r.start_time = t;
    const double t_stop = tf - T;
    if (!(t_stop > t))
      throw std::runtime_error(fmt::format("CMC: the final time {} leaves no window after the start at {} (window {} s)",
                                           tf, t, T));

    std::vector<std::string> names;
    for (const CmcControl& c : controls_) names.push_back(c.control.name);
    const std::vector<std::string> actuator_names = sm_.actuator_names();

    // One Runge-Kutta-Merson integration across the windows (as OpenSim's Manager runs through
    // its control events): the controls at each window start are those of the node there in
    // both the old window's controller and the new one, so the derivative carried over is exact.
    sim::IntegratorSettings is;
    is.accuracy = settings_.accuracy;
    is.minimum_step = settings_.minimum_step;
    is.maximum_step = settings_.maximum_step;
    is.nq = L.nq;
    is.nu = L.nv;
    sim::RungeKuttaMerson rk(
        [&](double tt, const Eigen::VectorXd& yy, Eigen::VectorXd& dy) { sim::state_derivative(S_, ws_, tt, yy, dy); },
        is, L.size(),
        S_.constrained ? sim::RungeKuttaMerson::Projection([&](Eigen::VectorXd& yy) { sim::project_constraints(S_, yy); })
                       : sim::RungeKuttaMerson::Projection());
    auto record = [&] {
      r.rows.time.push_back(rk.time());
      r.rows.states.push_back(rk.state());
      r.control_rows.push_back(ws_.controls);  // left by the derivative at this state
    };
    Progress progress("cmc (ms simulated)", static_cast<long>(1000 * (t_stop - t) + 0.5), settings_.show_progress);
    const double t_track = t;
    bool started = false;
    sim::Controllers controllers;
    std::vector<int> window_actuators;  // bound by name in the first window
    // Windows at t_k = t_k-1 + T (accumulated as OpenSim does), solved while t_k < tf - T.
    // (A last window shorter than a millionth of T, left by the accumulated rounding of t, is
    // not run: OpenSim runs it and writes two rows a rounding error apart.)
    while (t < t_stop - 1e-6 * T) {
      solve_window(t, T, y);
      ++r.windows;
      const double t_next = t + T > t_stop - 1e-6 * T ? t_stop : t + T;
      // The window's controls: the last three nodes of each (enough to evaluate on [t, t+T]).
      io::ControlSet window;
      for (const CmcControl& c : controls_) {
        io::ControlLinear w;
        w.name = c.control.name;
        w.use_steps = c.control.use_steps;
        w.extrapolate = c.control.extrapolate;
        const size_t n = c.control.x_nodes.size();
        w.x_nodes.assign(c.control.x_nodes.begin() + static_cast<std::ptrdiff_t>(n > 3 ? n - 3 : 0), c.control.x_nodes.end());
        window.controls.push_back(std::move(w));
      }
      controllers = sim::Controllers(S_.actuator_count());
      if (window_actuators.empty()) {
        sim::PrescribedController first = sim::make_prescribed_controller(window, actuator_names);
        window_actuators = first.actuator;
        controllers.add(std::move(first));
      } else {
        controllers.add(sim::make_prescribed_controller(window, window_actuators));
      }
      ws_.controllers = &controllers;
      try {
        if (!started) {
          rk.initialize(t, y);
          record();
          started = true;
        }
        while (rk.time() < t_next) {
          rk.step(t_next);
          record();
        }
      } catch (const std::runtime_error& e) {
        ws_.controllers = nullptr;
        throw std::runtime_error(fmt::format("CMC: window at t = {}: {}", t, e.what()));
      }
      y = rk.state();
      t = t + T;
      progress.update(static_cast<long>(1000 * (std::min(t, t_stop) - t_track)));
    }
    ws_.controllers = nullptr;
    progress.finish();

    r.controls.name = model_.name;
    for (const CmcControl& c : controls_) r.controls.controls.push_back(c.control);
    r.position_errors.name = "PositionErrors";
    r.position_errors.labels = p_err_labels_;
    r.position_errors.time = Eigen::Map<const Eigen::VectorXd>(err_time_.data(), static_cast<Eigen::Index>(err_time_.size()));
    r.position_errors.data.resize(static_cast<Eigen::Index>(err_time_.size()), static_cast<Eigen::Index>(row_name_.size()));
    for (size_t i = 0; i < err_rows_.size(); ++i) r.position_errors.data.row(static_cast<Eigen::Index>(i)) = err_rows_[i].transpose();
    r.predictor_runs = predictor_runs_;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    return r;
  }

 private:
  const SimulationModel& sm_;
  const sim::System& S_;
  const Model& model_;
  const DesiredKinematics& d_;
  std::vector<CmcTask> tasks_;
  const CmcPoints& points_;
  std::vector<CmcControl> controls_;
  CmcSettings settings_;
  sim::Workspace ws_;
  // Point tasks: (task, component) per row after the joint tasks, their own kinematics Data,
  // and the rows' Jacobian and bias at the window's end.
  Data pdata_;
  std::vector<std::pair<int, int>> point_rows_;
  std::vector<std::string> row_name_;
  std::vector<double> row_weight_;
  Eigen::MatrixXd Gp_, dudot_;
  Eigen::VectorXd hp_, pq_, pu_, zero_udot_;
  int n_ = 0, nq_ = 0;
  std::vector<MusclePredictor> predictors_;
  std::vector<int> muscle_of_control_;
  MusclePredictor::Grid grid_;
  Eigen::VectorXd xmin_, xmax_, fmin_, fmax_, f_, x_, xprev_, lo_, hi_, dq_, du_, qd_, actuation_;
  Eigen::VectorXd desired_q_, desired_u_;
  double desired_t_ = std::numeric_limits<double>::quiet_NaN();
  Eigen::MatrixXd A_;
  Eigen::VectorXd b_, a_des_, y_mult_;
  BoundedQp qp_;
  Eigen::MatrixXd H_, minv_;
  Eigen::VectorXd unit_tau_;
  Matrix3X jp_;
  Matrix6X jf_;
  Eigen::LLT<Eigen::MatrixXd> mass_llt_;
  Eigen::VectorXd g_;
  Eigen::LLT<Eigen::MatrixXd> llt_;
  MuscleState muscle_state_;
  std::vector<std::string> p_err_labels_;
  std::vector<double> err_time_;
  std::vector<Eigen::VectorXd> err_rows_;
  long predictor_runs_ = 0;
};

}  // namespace

Eigen::MatrixXd least_squares_actuator_forces(const SimulationModel& sm, const DesiredKinematics& d,
                                              const std::vector<CmcControl>& controls, const std::vector<double>& times) {
  const sim::System& S = sm.system;
  const Model& model = *sm.model;
  sim::Workspace ws(S);
  ws.applier = sm.applier.get();
  const int n = static_cast<int>(controls.size());
  const std::vector<int>& free = S.free_coordinates;
  const int m = static_cast<int>(free.size());
  Eigen::MatrixXd out(static_cast<Eigen::Index>(times.size()), n);
  Eigen::VectorXd actuation = Eigen::VectorXd::Zero(S.actuator_count());
  Eigen::MatrixXd A(m, n);
  Eigen::VectorXd rhs(m), D(n);
  for (int j = 0; j < n; ++j) {
    const double F = S.actuators[static_cast<size_t>(controls[static_cast<size_t>(j)].actuator)].optimal_force;
    D[j] = F * F;
  }
  for (size_t r = 0; r < times.size(); ++r) {
    const double t = times[r];
    for (int k = 0; k < model.nq; ++k) {
      ws.q[k] = d.q.derivative(k, 0, t);
      ws.u[k] = d.u.derivative(k, 0, t);
    }
    sim::kinematics_stage(S, ws);
    actuation.setZero();
    sim::accelerations_stage(S, ws, t, actuation);
    const Eigen::VectorXd udot0 = ws.udot;
    for (int i = 0; i < m; ++i) rhs[i] = d.udot.derivative(free[static_cast<size_t>(i)], 0, t) - udot0[free[static_cast<size_t>(i)]];
    for (int j = 0; j < n; ++j) {
      const int k = controls[static_cast<size_t>(j)].actuator;
      actuation[k] = 1.0;
      sim::accelerations_stage(S, ws, t, actuation);
      actuation[k] = 0.0;
      for (int i = 0; i < m; ++i) A(i, j) = ws.udot[free[static_cast<size_t>(i)]] - udot0[free[static_cast<size_t>(i)]];
    }
    // min f^T D^-1 f subject to A f = rhs: f = D A^T (A D A^T)^-1 rhs (LAPACK dgglse in OpenSim).
    const Eigen::MatrixXd ADA = A * D.asDiagonal() * A.transpose();
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(ADA);
    const Eigen::VectorXd y = ldlt.solve(rhs);
    const Eigen::VectorXd f = D.asDiagonal() * (A.transpose() * y);
    if (ldlt.info() != Eigen::Success || !f.allFinite() || (A * f - rhs).norm() > 1e-6 * (1.0 + rhs.norm()))
      throw std::runtime_error(fmt::format("at time {} the actuators cannot produce the desired accelerations of every "
                                           "coordinate (a coordinate without an actuator?)",
                                           t));
    out.row(static_cast<Eigen::Index>(r)) = f.transpose();
  }
  return out;
}

CmcResult run_cmc(const SimulationModel& sm, const DesiredKinematics& desired, const std::vector<CmcTask>& tasks,
                  std::vector<CmcControl> controls, double initial_time, double final_time, const Eigen::VectorXd& y0,
                  const CmcSettings& settings, const CmcPoints& points) {
  CmcEngine engine(sm, desired, tasks, std::move(controls), settings, points);
  return engine.run(initial_time, final_time, y0);
}

}  // namespace femur::tools
