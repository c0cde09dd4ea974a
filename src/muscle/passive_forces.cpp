#include "femur/muscle/passive_forces.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "femur/muscle/geometry_path.hpp"

namespace femur {

namespace {

// SimTK::Function::Step from 0 at x = 0 to 1 at x = 1 (Simbody SimTKcommon Scalar.h stepUp):
// S(x) = x^3 (10 - 15x + 6x^2), zero first and second derivatives at both ends.
double step_up(double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  return x * x * x * (10.0 + x * (-15.0 + 6.0 * x));
}

}  // namespace

bool is_passive_force(const ForceElement& force) {
  return std::holds_alternative<CoordinateLimitForce>(force.part) || std::holds_alternative<PathSpring>(force.part) ||
         std::holds_alternative<SpringGeneralizedForce>(force.part);
}

PassiveForceSet build_passive_force_set(const Model& model, const std::vector<char>& skip) {
  PassiveForceSet set;
  for (std::size_t i = 0; i < model.forces.size(); ++i) {
    const ForceElement& f = model.forces[i];
    if (!is_passive_force(f) || !f.applies_force) continue;
    if (i < skip.size() && skip[i]) continue;
    const int index = static_cast<int>(i);
    if (const auto* c = std::get_if<CoordinateLimitForce>(&f.part)) {
      // CoordinateLimitForce::connectToModel unit scaling (the reader checked the values).
      CoordinateLimitSpec s;
      s.force = index;
      s.coordinate = c->coordinate;
      const bool rotational =
          model.coordinates[static_cast<std::size_t>(s.coordinate)].motion_type == MotionType::Rotational;
      const double w = rotational ? std::numbers::pi / 180.0 : 1.0;
      s.k_upper = c->upper_stiffness / w;
      s.q_upper = c->upper_limit * w;
      s.k_lower = c->lower_stiffness / w;
      s.q_lower = c->lower_limit * w;
      s.damping = c->damping / w;
      s.transition = c->transition * w;
      set.coordinate_limits.push_back(s);
    } else if (const auto* p = std::get_if<PathSpring>(&f.part)) {
      PathSpringSpec s;
      s.force = index;
      s.resting_length = p->resting_length;
      s.stiffness = p->stiffness;
      s.dissipation = p->dissipation;
      for (int k = 0; k < model.paths.size(); ++k)
        if (model.paths.paths[static_cast<std::size_t>(k)].force == index) s.path = k;
      if (s.path < 0) throw std::invalid_argument("PathSpring '" + f.name + "' has no geometry path");
      set.path_springs.push_back(s);
    } else if (const auto* g = std::get_if<SpringGeneralizedForce>(&f.part)) {
      GeneralizedSpringSpec s;
      s.force = index;
      s.coordinate = g->coordinate;
      s.stiffness = g->stiffness;
      s.rest_length = g->rest_length;
      s.viscosity = g->viscosity;
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
