// The state vector: layout, names (OpenSim 4 state variable paths; Model::getStateVariableNames
// order), defaults, and reading a states file row (Model::formStateStorage).
#include "femur/simulate/state.hpp"

#include <stdexcept>

namespace femur::sim {

namespace {

bool has_activation_state(const MuscleParameters& p) {
  return p.kind == MuscleKind::Thelen2003 || !p.ignore_activation_dynamics;
}

FiberState fiber_state(const MuscleParameters& p) {
  if (p.kind == MuscleKind::Thelen2003) return FiberState::fiber_length;
  if (p.ignore_tendon_compliance) return FiberState::none;
  return p.kind == MuscleKind::DeGrooteFregly2016 ? FiberState::normalized_tendon_force : FiberState::fiber_length;
}

std::string coordinate_path(const Model& model, int k) {
  const Coordinate& c = model.coordinates[static_cast<size_t>(k)];
  return "/jointset/" + model.joints[static_cast<size_t>(c.joint)].name + "/" + c.name;
}

}  // namespace

StateLayout make_state_layout(const Model& model, const MuscleSet& muscles) {
  StateLayout L;
  L.nq = model.nq;
  L.nv = model.nv;
  const int nm = muscles.size();
  L.activation.assign(static_cast<size_t>(nm), -1);
  L.fiber.assign(static_cast<size_t>(nm), -1);
  L.fiber_kind.assign(static_cast<size_t>(nm), FiberState::none);
  int next = L.nq + L.nv;
  std::vector<std::string> muscle_names;
  for (int m = 0; m < nm; ++m) {
    const MuscleParameters& p = muscles.parameters(m);
    if (has_activation_state(p)) L.activation[static_cast<size_t>(m)] = next++;
    L.fiber_kind[static_cast<size_t>(m)] = fiber_state(p);
    if (L.fiber_kind[static_cast<size_t>(m)] != FiberState::none) L.fiber[static_cast<size_t>(m)] = next++;
  }
  L.nz = next - L.nq - L.nv;
  L.names.resize(static_cast<size_t>(next));
  for (int k = 0; k < model.nq; ++k) {
    L.names[static_cast<size_t>(k)] = coordinate_path(model, k) + "/value";
    L.names[static_cast<size_t>(L.nq + k)] = coordinate_path(model, k) + "/speed";
    L.opensim_order.push_back(k);
    L.opensim_order.push_back(L.nq + k);
  }
  for (int m = 0; m < nm; ++m) {
    const std::string base = "/forceset/" + muscles.parameters(m).name + "/";
    if (const int a = L.activation[static_cast<size_t>(m)]; a >= 0) {
      L.names[static_cast<size_t>(a)] = base + "activation";
      L.opensim_order.push_back(a);
    }
    if (const int f = L.fiber[static_cast<size_t>(m)]; f >= 0) {
      L.names[static_cast<size_t>(f)] =
          base + (L.fiber_kind[static_cast<size_t>(m)] == FiberState::fiber_length ? "fiber_length" : "normalized_tendon_force");
      L.opensim_order.push_back(f);
    }
  }
  return L;
}

Eigen::VectorXd default_state(const Model& model, const MuscleSet& muscles, const StateLayout& L) {
  Eigen::VectorXd y = Eigen::VectorXd::Zero(L.size());
  for (int k = 0; k < model.nq; ++k) {
    y[k] = model.coordinates[static_cast<size_t>(k)].default_value;
    y[L.nq + k] = model.coordinates[static_cast<size_t>(k)].default_speed;
  }
  for (int m = 0; m < muscles.size(); ++m) {
    const MuscleParameters& p = muscles.parameters(m);
    if (const int a = L.activation[static_cast<size_t>(m)]; a >= 0) y[a] = p.default_activation;
    if (const int f = L.fiber[static_cast<size_t>(m)]; f >= 0)
      y[f] = L.fiber_kind[static_cast<size_t>(m)] == FiberState::fiber_length ? p.default_fiber_length
                                                                             : p.default_normalized_tendon_force;
  }
  return y;
}

std::string opensim3_state_name(const Model& model, const MuscleSet& muscles, const StateLayout& L, int index) {
  if (index < L.nq) return model.coordinates[static_cast<size_t>(index)].name;
  if (index < L.nq + L.nv) return model.coordinates[static_cast<size_t>(index - L.nq)].name + "_u";
  for (int m = 0; m < muscles.size(); ++m) {
    const std::string& name = muscles.parameters(m).name;
    if (L.activation[static_cast<size_t>(m)] == index) return name + ".activation";
    if (L.fiber[static_cast<size_t>(m)] == index)
      return name + (L.fiber_kind[static_cast<size_t>(m)] == FiberState::fiber_length ? ".fiber_length"
                                                                                     : ".normalized_tendon_force");
  }
  return {};
}

std::vector<int> state_columns(const Model& model, const MuscleSet& muscles, const StateLayout& L,
                               const io::Table& table) {
  std::vector<int> columns(static_cast<size_t>(L.size()), -1);
  auto exact = [&](const std::string& label) {
    for (size_t i = 0; i < table.labels.size(); ++i)
      if (table.labels[i] == label) return static_cast<int>(i);
    return -1;
  };
  for (int i = 0; i < L.size(); ++i) {
    int c = exact(L.names[static_cast<size_t>(i)]);
    if (c < 0) c = exact(opensim3_state_name(model, muscles, L, i));
    columns[static_cast<size_t>(i)] = c;
  }
  return columns;
}

void state_from_row(const std::vector<int>& columns, const io::Table& table, int row, Eigen::VectorXd& y) {
  if (table.in_degrees)
    throw std::invalid_argument("the states are in degrees (inDegrees=yes); a states file must be in radians");
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] >= 0) y[static_cast<Eigen::Index>(i)] = table.data(row, columns[i]);
}

}  // namespace femur::sim
