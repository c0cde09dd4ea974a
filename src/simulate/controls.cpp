// Controllers: ControlLinear evaluation (OpenSim/Simulation/Control/ControlLinear.cpp,
// getControlValue, searchBinary, extrapolateBefore/After, Interpolate), ControlSetController
// binding (ControlSetController.cpp) and CorrectionController (CorrectionController.cpp).
#include "femur/simulate/controls.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "femur/io/error.hpp"

namespace femur::sim {

namespace {

// ControlLinear::Interpolate: the line through (t1, v1), (t2, v2) at t (v1 when t1 == t2).
double interpolate(double t1, double v1, double t2, double v2, double t) {
  const double dt = t2 - t1;
  if (std::abs(dt) <= 0.0) return v1;
  return v1 + (v2 - v1) / dt * (t - t1);
}

}  // namespace

namespace {

// ControlLinear::searchBinary: the last node whose time is at or before t (-1 if none).
int node_at_or_before(const std::vector<io::ControlNode>& nodes, double t) {
  const auto after = std::upper_bound(nodes.begin(), nodes.end(), t,
                                      [](double tt, const io::ControlNode& n) { return tt < n.t; });
  return static_cast<int>(after - nodes.begin()) - 1;
}

// getControlValue with the node interval i already found.
double value_in_interval(const std::vector<io::ControlNode>& nodes, bool use_steps, bool extrapolate, double t, int i) {
  const int size = static_cast<int>(nodes.size());
  if (size == 0) return std::numeric_limits<double>::quiet_NaN();
  if (i < 0) {
    if (!use_steps && extrapolate && size > 1) return interpolate(nodes[0].t, nodes[0].value, nodes[1].t, nodes[1].value, t);
    return nodes[0].value;
  }
  if (i >= size - 1) {
    if (!use_steps && extrapolate && size > 1)
      return interpolate(nodes[size - 2].t, nodes[size - 2].value, nodes[size - 1].t, nodes[size - 1].value, t);
    return nodes[size - 1].value;
  }
  if (!use_steps) return interpolate(nodes[i].t, nodes[i].value, nodes[i + 1].t, nodes[i + 1].value, t);
  // x_{i+1} holds on (t_i, t_{i+1}]: at t_i itself the node's own value (OpenSim 4's choice, so
  // that a forward run sees what CMC saw at each window start).
  return t == nodes[i].t ? nodes[i].value : nodes[i + 1].value;
}

bool same_times(const std::vector<io::ControlNode>& a, const std::vector<io::ControlNode>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].t != b[i].t) return false;
  return true;
}

// Puts the last control of c into the group of the controls with its node times.
void add_to_group(PrescribedController& c) {
  const int k = static_cast<int>(c.controls.size()) - 1;
  const auto& nodes = c.controls.back().x_nodes;
  auto group = std::find_if(c.groups.begin(), c.groups.end(), [&](const std::vector<int>& g) {
    return same_times(c.controls[static_cast<size_t>(g.front())].x_nodes, nodes);
  });
  if (group == c.groups.end()) c.groups.push_back({k});
  else group->push_back(k);
}

}  // namespace

double control_value(const std::vector<io::ControlNode>& nodes, bool use_steps, bool extrapolate, double t) {
  return value_in_interval(nodes, use_steps, extrapolate, t, node_at_or_before(nodes, t));
}

double control_value(const io::ControlLinear& control, double t) {
  return control_value(control.x_nodes, control.use_steps, control.extrapolate, t);
}

PrescribedController make_prescribed_controller(const io::ControlSet& set,
                                                const std::vector<std::string>& actuator_names) {
  PrescribedController c;
  const std::string file = set.file.string();
  for (const io::ControlLinear& control : set.controls) {
    std::string name = control.name;
    constexpr std::string_view kSuffix = ".excitation";
    int found = -1;
    for (int pass = 0; pass < 2 && found < 0; ++pass) {
      for (size_t k = 0; k < actuator_names.size(); ++k)
        if (actuator_names[k] == name) found = static_cast<int>(k);
      if (found < 0 && name.size() > kSuffix.size() && name.ends_with(kSuffix))
        name = name.substr(0, name.size() - kSuffix.size());
      else
        break;
    }
    if (found < 0)
      throw io::ParseError(file, control.line, fmt::format("control '{}' names no actuator of the model", control.name));
    if (control.x_nodes.empty())
      throw io::ParseError(file, control.line, fmt::format("control '{}' has no <x_nodes>", control.name));
    for (size_t k = 0; k < c.actuator.size(); ++k)
      if (c.actuator[k] == found)
        throw io::ParseError(file, control.line,
                             fmt::format("control '{}' drives actuator '{}', which control '{}' already drives",
                                         control.name, actuator_names[static_cast<size_t>(found)],
                                         c.controls[k].name));
    c.controls.push_back(control);
    c.actuator.push_back(found);
    add_to_group(c);
  }
  return c;
}

PrescribedController make_prescribed_controller(const io::ControlSet& set, const std::vector<int>& actuator) {
  if (actuator.size() != set.controls.size())
    throw std::invalid_argument(fmt::format("make_prescribed_controller: {} controls but {} actuator indices",
                                            set.controls.size(), actuator.size()));
  PrescribedController c;
  for (size_t k = 0; k < actuator.size(); ++k) {
    if (set.controls[k].x_nodes.empty())
      throw io::ParseError(set.file.string(), set.controls[k].line,
                           fmt::format("control '{}' has no <x_nodes>", set.controls[k].name));
    c.controls.push_back(set.controls[k]);
    c.actuator.push_back(actuator[k]);
    add_to_group(c);
  }
  return c;
}

std::vector<double> control_step_times(const std::vector<Controller>& controllers, double t0, double t1) {
  std::vector<double> times;
  for (const Controller& controller : controllers) {
    const auto* p = std::get_if<PrescribedController>(&controller);
    if (!p) continue;
    for (const io::ControlLinear& c : p->controls) {
      if (!c.use_steps || c.x_nodes.size() < 2) continue;
      for (size_t i = 0; i + 1 < c.x_nodes.size(); ++i)
        if (c.x_nodes[i].t > t0 && c.x_nodes[i].t < t1 && c.x_nodes[i].value != c.x_nodes[i + 1].value)
          times.push_back(c.x_nodes[i].t);
    }
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  return times;
}

void Controllers::compute(double t, const Eigen::VectorXd& q, const Eigen::VectorXd& u,
                          Eigen::VectorXd& controls) const {
  controls.setZero();
  for (const Controller& controller : list_) {
    if (const auto* p = std::get_if<PrescribedController>(&controller)) {
      for (const std::vector<int>& group : p->groups) {
        const int i = node_at_or_before(p->controls[static_cast<size_t>(group.front())].x_nodes, t);
        for (int k : group) {
          const io::ControlLinear& c = p->controls[static_cast<size_t>(k)];
          controls[p->actuator[static_cast<size_t>(k)]] += value_in_interval(c.x_nodes, c.use_steps, c.extrapolate, t, i);
        }
      }
    } else if (const auto* cc = std::get_if<CorrectionController>(&controller)) {
      // Storage::getDataAtTime: linear interpolation between the rows around t (held at ends).
      const Eigen::Index rows = cc->time.size();
      if (rows == 0) continue;
      Eigen::Index r1 = std::upper_bound(cc->time.data(), cc->time.data() + rows, t) - cc->time.data();
      Eigen::Index r0 = r1 - 1;
      double w = 0.0;
      if (r0 < 0) r0 = r1 = 0;
      else if (r1 >= rows) r1 = r0 = rows - 1;
      else w = (t - cc->time[r0]) / (cc->time[r1] - cc->time[r0]);
      for (size_t k = 0; k < cc->actuator.size(); ++k) {
        const int j = cc->coordinate[k];
        const auto col = static_cast<Eigen::Index>(k);
        const double q_des = (1 - w) * cc->q_desired(r0, col) + w * cc->q_desired(r1, col);
        const double u_des = (1 - w) * cc->u_desired(r0, col) + w * cc->u_desired(r1, col);
        // optimal force 1 for the correctors CorrectionController creates.
        controls[cc->actuator[k]] += -cc->kv * (u[j] - u_des) - cc->kp * (q[j] - q_des);
      }
    }
  }
}

}  // namespace femur::sim
