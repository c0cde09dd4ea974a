// Dispatch over the three muscle models and the run-time editable MuscleSet.
#include "femur/muscle/muscle_model.hpp"
#include "femur/model/overload.hpp"

#include <stdexcept>

#include "femur/model/model.hpp"

namespace femur {
namespace {
std::variant<Thelen2003, Millard2012, DeGrooteFregly2016> build(const MuscleParameters& p) {
  validate_muscle_parameters(p);
  switch (p.kind) {
    case MuscleKind::Thelen2003: return make_thelen2003(p);
    case MuscleKind::Millard2012: return make_millard2012(p);
    case MuscleKind::DeGrooteFregly2016: return make_degroote2016(p);
  }
  throw std::invalid_argument("unknown muscle kind");
}
}  // namespace

MuscleModel::MuscleModel(const MuscleParameters& p) : model_(build(p)) {}

const MuscleParameters& MuscleModel::parameters() const {
  return std::visit([](const auto& m) -> const MuscleParameters& { return m.p; }, model_);
}

void rigid_tendon_state(const MuscleModel& m, double L, double V, double a, MuscleState& out) {
  std::visit(Overload{[&](const Thelen2003& t) { thelen_rigid_tendon_state(t, L, V, a, out); },
                      [&](const Millard2012& t) { millard_rigid_tendon_state(t, L, V, a, out); },
                      [&](const DeGrooteFregly2016& t) { degroote_rigid_tendon_state(t, L, V, a, out); }},
             m.variant());
}

double calc_inextensible_tendon_active_fiber_force(const MuscleModel& m, double l, double v, double a) {
  return std::visit(
      Overload{[&](const Thelen2003& t) { return thelen_inextensible_tendon_active_fiber_force(t, l, v, a); },
               [&](const Millard2012& t) { return millard_inextensible_tendon_active_fiber_force(t, l, v, a); },
               [&](const DeGrooteFregly2016& t) {
                 return degroote_inextensible_tendon_active_fiber_force(t, l, v, a);
               }},
      m.variant());
}

EquilibriumResult fiber_equilibrium(const MuscleModel& m, double L, double V, double a, MuscleState& out,
                                    double tolerance) {
  const MuscleParameters& p = m.parameters();
  if (p.ignore_tendon_compliance && p.kind != MuscleKind::Thelen2003) {  // Thelen ignores the flag
    rigid_tendon_state(m, L, V, a, out);
    EquilibriumResult r;
    r.status = EquilibriumStatus::Converged;
    return r;
  }
  return std::visit(
      Overload{[&](const Thelen2003& t) { return thelen_fiber_equilibrium(t, L, V, a, out, tolerance); },
               [&](const Millard2012& t) { return millard_fiber_equilibrium(t, L, V, a, out, tolerance); },
               [&](const DeGrooteFregly2016& t) { return degroote_fiber_equilibrium(t, L, V, a, out, tolerance); }},
      m.variant());
}

double activation_derivative(const MuscleModel& m, double a, double u) {
  return std::visit(Overload{[&](const Thelen2003& t) { return thelen_activation_derivative(t, a, u); },
                             [&](const Millard2012& t) { return millard_activation_derivative(t, a, u); },
                             [&](const DeGrooteFregly2016& t) { return degroote_activation_derivative(t, a, u); }},
                    m.variant());
}

double minimum_fiber_length(const MuscleModel& m) {
  return std::visit(
      Overload{[](const Thelen2003& t) { return t.pennation.minimum_fiber_length; },
               [](const Millard2012& t) { return t.minimum_fiber_length; },
               [](const DeGrooteFregly2016& t) {
                 return std::max(degroote::min_norm_fiber_length * t.p.optimal_fiber_length, t.fiber_width);
               }},
      m.variant());
}

MuscleSet::MuscleSet(const Model& model) {
  for (int i = 0; i < static_cast<int>(model.forces.size()); ++i) {
    const auto* p = std::get_if<MuscleParameters>(&model.forces[i].part);
    if (!p) continue;
    models_.emplace_back(*p);
    read_.push_back(models_.back().parameters());
    force_index_.push_back(i);
  }
}

int MuscleSet::index(std::string_view name) const {
  for (int i = 0; i < size(); ++i)
    if (models_[i].parameters().name == name) return i;
  return -1;
}

int MuscleSet::require(std::string_view name) const {
  const int i = index(name);
  if (i < 0) throw std::invalid_argument("no muscle named '" + std::string(name) + "'");
  return i;
}

void MuscleSet::set_parameters(int i, const MuscleParameters& p) { models_.at(i) = MuscleModel(p); }

void MuscleSet::set_max_isometric_force_scale(int i, double scale) {
  if (!(scale >= 0.0))
    throw std::invalid_argument("muscle '" + parameters(i).name + "': max_isometric_force scale must not be negative");
  MuscleParameters p = parameters(i);
  p.max_isometric_force = scale * read_.at(i).max_isometric_force;
  set_parameters(i, p);
}
void MuscleSet::set_optimal_fiber_length(int i, double length) {
  MuscleParameters p = parameters(i);
  p.optimal_fiber_length = length;
  set_parameters(i, p);
}
void MuscleSet::set_tendon_slack_length(int i, double length) {
  MuscleParameters p = parameters(i);
  p.tendon_slack_length = length;
  set_parameters(i, p);
}
void MuscleSet::set_activation_bounds(int i, double lo, double hi) {
  MuscleParameters p = parameters(i);
  p.min_control = lo;
  p.max_control = hi;
  set_parameters(i, p);
}
void MuscleSet::set_minimum_activation(int i, double a) {
  MuscleParameters p = parameters(i);
  p.minimum_activation = a;
  set_parameters(i, p);
}
void MuscleSet::set_max_isometric_force_scale(std::string_view n, double s) { set_max_isometric_force_scale(require(n), s); }
void MuscleSet::set_optimal_fiber_length(std::string_view n, double l) { set_optimal_fiber_length(require(n), l); }
void MuscleSet::set_tendon_slack_length(std::string_view n, double l) { set_tendon_slack_length(require(n), l); }
void MuscleSet::set_activation_bounds(std::string_view n, double lo, double hi) { set_activation_bounds(require(n), lo, hi); }

}  // namespace femur
