#include "femur/muscle/passive_forces.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>
#include <optional>
#include <stdexcept>

#include "femur/muscle/geometry_path.hpp"

namespace femur {

namespace {

std::string where(const ForceElement& f) {
  std::string s = f.type + " '" + f.name + "'";
  if (!f.file.empty()) s = f.file + ":" + std::to_string(f.line) + ": " + s;
  return s;
}

[[noreturn]] void bad(const ForceElement& f, const std::string& message) {
  throw std::invalid_argument(where(f) + ": " + message);
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// A numeric property; `fallback` is OpenSim's constructProperty default (nullopt: OpenSim's
// default is NaN, so the property is required).
double number(const ForceElement& f, const std::string& key, std::optional<double> fallback) {
  const auto it = f.properties.find(key);
  if (it == f.properties.end() || trim(it->second).empty()) {
    if (fallback) return *fallback;
    bad(f, "property <" + key + "> is missing");
  }
  const std::string text = trim(it->second);
  double v = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v))
    bad(f, "property <" + key + "> is not a finite number: '" + text + "'");
  return v;
}

// The coordinate a force names: a plain name or a component path (last element).
int coordinate_of(const Model& model, const ForceElement& f) {
  const auto it = f.properties.find("coordinate");
  if (it == f.properties.end()) bad(f, "property <coordinate> is missing");
  std::string name = trim(it->second);
  if (const auto slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
  const int k = model.coordinate_index(name);
  if (k < 0) bad(f, "coordinate '" + name + "' is not in the model");
  return k;
}

// SimTK::Function::Step from 0 at x = 0 to 1 at x = 1 (Simbody SimTKcommon Scalar.h stepUp):
// S(x) = x^3 (10 - 15x + 6x^2), zero first and second derivatives at both ends.
double step_up(double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  return x * x * x * (10.0 + x * (-15.0 + 6.0 * x));
}

}  // namespace

bool is_passive_force(const ForceElement& force) {
  return force.type == "CoordinateLimitForce" || force.type == "PathSpring" ||
         force.type == "SpringGeneralizedForce";
}

PassiveForceSet build_passive_force_set(const Model& model, const PathSet* paths,
                                        const std::vector<char>& skip) {
  PassiveForceSet set;
  for (std::size_t i = 0; i < model.forces.size(); ++i) {
    const ForceElement& f = model.forces[i];
    if (!is_passive_force(f) || !f.applies_force) continue;
    if (i < skip.size() && skip[i]) continue;
    const int index = static_cast<int>(i);
    if (f.type == "CoordinateLimitForce") {
      // CoordinateLimitForce::constructProperties defaults; connectToModel unit scaling.
      CoordinateLimitSpec s;
      s.force = index;
      s.coordinate = coordinate_of(model, f);
      const bool rotational =
          model.coordinates[static_cast<std::size_t>(s.coordinate)].motion_type == MotionType::Rotational;
      const double w = rotational ? std::numbers::pi / 180.0 : 1.0;
      s.k_upper = number(f, "upper_stiffness", 1.0) / w;
      s.q_upper = number(f, "upper_limit", 0.0) * w;
      s.k_lower = number(f, "lower_stiffness", 1.0) / w;
      s.q_lower = number(f, "lower_limit", 0.0) * w;
      s.damping = number(f, "damping", 0.001) / w;
      s.transition = number(f, "transition", 0.1) * w;
      if (!(s.transition > 0.0)) bad(f, "<transition> must be positive");
      if (s.q_lower > s.q_upper) bad(f, "<lower_limit> is above <upper_limit>");
      set.coordinate_limits.push_back(s);
    } else if (f.type == "PathSpring") {
      PathSpringSpec s;
      s.force = index;
      s.resting_length = number(f, "resting_length", std::nullopt);
      s.stiffness = number(f, "stiffness", std::nullopt);
      s.dissipation = number(f, "dissipation", std::nullopt);
      // PathSpring::extendFinalizeFromProperties asserts resting_length > 0.
      if (!(s.resting_length > 0.0)) bad(f, "<resting_length> must be positive");
      if (!paths) bad(f, "a PathSpring needs the model's PathSet");
      for (int p = 0; p < paths->size(); ++p)
        if (paths->paths[static_cast<std::size_t>(p)].force == index) s.path = p;
      if (s.path < 0) bad(f, "has no GeometryPath");
      set.path_springs.push_back(s);
    } else {  // SpringGeneralizedForce
      GeneralizedSpringSpec s;
      s.force = index;
      s.coordinate = coordinate_of(model, f);
      s.stiffness = number(f, "stiffness", 0.0);
      s.rest_length = number(f, "rest_length", 0.0);
      s.viscosity = number(f, "viscosity", 0.0);
      set.generalized_springs.push_back(s);
    }
  }
  return set;
}

double coordinate_limit_force(const CoordinateLimitSpec& s, double q, double qdot) {
  // Step(0, K_up, q_up, q_up + dq) and Step(K_low, 0, q_low - dq, q_low) of connectToModel;
  // the damping uses K/K_const, i.e. the unit step itself.
  const double s_up = step_up((q - s.q_upper) / s.transition);
  const double s_low = step_up((s.q_lower - q) / s.transition);
  const double f_up = -s.k_upper * s_up * (q - s.q_upper);
  const double f_low = s.k_lower * s_low * (s.q_lower - q);
  const double f_damp = -s.damping * (s_up + s_low) * qdot;
  return f_up + f_low + f_damp;
}

double coordinate_limit_potential_energy(const CoordinateLimitSpec& s, double q) {
  double k = 0.0, delta = 0.0;
  if (q > s.q_upper) {
    k = s.k_upper;
    delta = q - s.q_upper;
  } else if (q < s.q_lower) {
    k = s.k_lower;
    delta = s.q_lower - q;
  } else {
    return 0.0;
  }
  const double dq = s.transition;
  if (delta >= dq) return k * (-2.0 / 14.0 * dq * dq + 0.5 * delta * delta);
  // Integral of k S(x/dq) x dx from 0 to delta.
  const double x = delta / dq;
  return k * x * x * x * (2.0 - 2.5 * x + (6.0 / 7.0) * x * x) * delta * delta;
}

double path_spring_tension(const PathSpringSpec& s, double length, double speed) {
  // PathSpring::getStretch / getTension.
  const double stretch = length > s.resting_length ? length - s.resting_length : 0.0;
  return s.stiffness * stretch * (1.0 + s.dissipation * speed);
}

void add_passive_generalized_forces(const Model& model, const PassiveForceSet& set,
                                    const Eigen::VectorXd& q, const Eigen::VectorXd& qdot,
                                    const PathData* paths, Eigen::VectorXd& tau_applied) {
  (void)model;
  for (const CoordinateLimitSpec& s : set.coordinate_limits)
    tau_applied[s.coordinate] += coordinate_limit_force(s, q[s.coordinate], qdot[s.coordinate]);
  for (const GeneralizedSpringSpec& s : set.generalized_springs)
    tau_applied[s.coordinate] +=
        -s.stiffness * (q[s.coordinate] - s.rest_length) - s.viscosity * qdot[s.coordinate];
  if (set.path_springs.empty() || !paths) return;
  for (const PathSpringSpec& s : set.path_springs) {
    const double tension = path_spring_tension(s, paths->length[s.path], paths->speed[s.path]);
    if (tension == 0.0) continue;
    tau_applied.noalias() += tension * paths->moment_arm.row(s.path).transpose();
  }
}

}  // namespace femur
