#include "support/simbody_reference.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <Simbody.h>

namespace femur::test {

struct SimbodyReference::Impl {
  SimbodyTree tree = SimbodyTree::ByCoordinateCount;
  SimTK::MultibodySystem system;
  SimTK::SimbodyMatterSubsystem matter{system};
  std::unique_ptr<SimTK::GeneralForceSubsystem> forces;  // SameKinematics: gravity
  SimTK::State state;
  SimTK::Vector_<SimTK::SpatialVec> body_forces;  // applied: zero, or gravity (SameKinematics)
  SimTK::Vector applied, udot, residual;
  SimTK::Vector_<SimTK::SpatialVec> A_GB;
  SimTK::Matrix M;
  SimTK::Vector default_q;
  std::vector<int> q_index, u_index;  // SameKinematics: Simbody's q and u of femur coordinate k
  int nv = 0;
};

namespace {

SimTK::Transform to_simtk(const Transform& X) {
  SimTK::Mat33 R;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) R(r, c) = X.R(r, c);
  return SimTK::Transform(SimTK::Rotation(R, true), SimTK::Vec3(X.p.x(), X.p.y(), X.p.z()));
}

SimTK::Vec3 to_simtk(const Vec3& v) { return SimTK::Vec3(v.x(), v.y(), v.z()); }

// A femur axis function of one coordinate as a Simbody Function, with its first and second
// derivatives (what the FunctionBased mobilizer asks for).
class AxisFunction : public SimTK::Function {
 public:
  explicit AxisFunction(const femur::Function& f) : f_(f) {}
  using SimTK::Function::calcDerivative;
  SimTK::Real calcValue(const SimTK::Vector& x) const override { return f_.value(x[0]); }
  SimTK::Real calcDerivative(const SimTK::Array_<int>& components, const SimTK::Vector& x) const override {
    const FunctionValue v = f_.evaluate(x[0]);
    if (components.size() == 1) return v.df;
    if (components.size() == 2) return v.ddf;
    throw std::runtime_error("AxisFunction: no derivative of order " + std::to_string(components.size()));
  }
  int getArgumentSize() const override { return 1; }
  int getMaxDerivativeOrder() const override { return 2; }
  AxisFunction* clone() const override { return new AxisFunction(*this); }

 private:
  femur::Function f_;
};

SimTK::Body::Rigid rigid_body(const Body& b) {
  const SimTK::Vec3 com = to_simtk(b.com_in_body);
  const Mat3& I = b.inertia_about_com;
  const SimTK::Inertia Ic(SimTK::Vec3(I(0, 0), I(1, 1), I(2, 2)), SimTK::Vec3(I(0, 1), I(0, 2), I(1, 2)));
  return SimTK::Body::Rigid(SimTK::MassProperties(b.mass, com, Ic.shiftFromMassCenter(com, b.mass)));
}

// Mobilized body of joint j with the same motion and coordinates as femur's; records which
// Simbody q (= u) index carries each femur coordinate of the joint, relative to the first q of
// the returned body or of the translation body before it (Free).
struct Mobilizer {
  SimTK::MobilizedBodyIndex index;
  // (mobilized body, its q offset) of each coordinate of the joint, in femur's order.
  std::vector<std::pair<SimTK::MobilizedBodyIndex, int>> coordinates;
};

Mobilizer same_kinematics(const SimbodyTreeInput& model, const Joint& joint, SimTK::MobilizedBody& parent) {
  const SimTK::Body::Rigid body = rigid_body(model.bodies[joint.child_body]);
  const SimTK::Transform X_PF = to_simtk(joint.X_parent_F), X_BM = to_simtk(joint.X_child_M);
  Mobilizer m;
  auto own = [&m](int n) {
    for (int k = 0; k < n; ++k) m.coordinates.push_back({m.index, k});
  };
  switch (joint.type) {
    case JointType::Weld:
      m.index = SimTK::MobilizedBody::Weld(parent, X_PF, body, X_BM).getMobilizedBodyIndex();
      break;
    case JointType::Pin:
      m.index = SimTK::MobilizedBody::Pin(parent, X_PF, body, X_BM).getMobilizedBodyIndex();
      own(1);
      break;
    case JointType::Slider:
      m.index = SimTK::MobilizedBody::Slider(parent, X_PF, body, X_BM).getMobilizedBodyIndex();
      own(1);
      break;
    case JointType::Universal:
      m.index = SimTK::MobilizedBody::Universal(parent, X_PF, body, X_BM).getMobilizedBodyIndex();
      own(2);
      break;
    case JointType::Planar:  // q = (rotation about z, x, y), as femur's PlanarJoint
      m.index = SimTK::MobilizedBody::Planar(parent, X_PF, body, X_BM).getMobilizedBodyIndex();
      own(3);
      break;
    case JointType::Ball:
    case JointType::Gimbal:
      m.index = SimTK::MobilizedBody::Gimbal(parent, X_PF, body, X_BM).getMobilizedBodyIndex();
      own(3);
      break;
    case JointType::Free: {
      // X_F_M = (R(rx, ry, rz), p in F): translate in F, then turn about the moved origin.
      SimTK::MobilizedBody::Translation translation(parent, X_PF, SimTK::Body::Massless(), SimTK::Transform());
      m.index = SimTK::MobilizedBody::Gimbal(translation, SimTK::Transform(), body, X_BM).getMobilizedBodyIndex();
      const SimTK::MobilizedBodyIndex t = translation.getMobilizedBodyIndex();
      m.coordinates = {{m.index, 0}, {m.index, 1}, {m.index, 2}, {t, 0}, {t, 1}, {t, 2}};
      break;
    }
    case JointType::Custom: {
      // OpenSim's CustomJoint: FunctionBased with the six axes (rotations body-fixed in order,
      // translations in F) and each axis function of its one coordinate.
      std::vector<const SimTK::Function*> functions;
      std::vector<std::vector<int>> arguments;
      std::vector<SimTK::Vec3> axes;
      for (const TransformAxis& axis : joint.axes) {
        axes.push_back(to_simtk(axis.axis));
        if (axis.coordinate < 0) {
          functions.push_back(new SimTK::Function::Constant(axis.constant_value, 0));
          arguments.push_back({});
        } else {
          if (axis.coordinate < joint.q_start || axis.coordinate >= joint.q_start + joint.nq)
            throw std::runtime_error("SimbodyReference: joint " + joint.name + " has an axis driven by another joint's coordinate");
          functions.push_back(new AxisFunction(model.functions[axis.function]));
          arguments.push_back({axis.coordinate - joint.q_start});
        }
      }
      m.index = SimTK::MobilizedBody::FunctionBased(parent, X_PF, body, X_BM, joint.nq, functions, arguments, axes)
                    .getMobilizedBodyIndex();
      own(joint.nq);
      break;
    }
  }
  return m;
}

}  // namespace

SimbodyReference::SimbodyReference(const SimbodyTreeInput& model, SimbodyTree tree) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.tree = tree;
  // Mobilized bodies by index: the matter subsystem owns them, handles are looked up.
  std::vector<SimTK::MobilizedBodyIndex> mobod(model.bodies.size());
  mobod[0] = SimTK::GroundIndex;
  std::vector<std::pair<SimTK::MobilizedBodyIndex, int>> coordinate_q(model.nq);
  for (const Joint& joint : model.joints) {
    SimTK::MobilizedBody& parent = s.matter.updMobilizedBody(mobod[joint.parent_body]);
    if (tree == SimbodyTree::SameKinematics) {
      const Mobilizer m = same_kinematics(model, joint, parent);
      mobod[joint.child_body] = m.index;
      for (int k = 0; k < joint.nq; ++k) coordinate_q[joint.q_start + k] = m.coordinates[k];
      continue;
    }
    const SimTK::Body::Rigid body = rigid_body(model.bodies[joint.child_body]);
    const SimTK::Transform X_PF = to_simtk(joint.X_parent_F), X_BM = to_simtk(joint.X_child_M);
    switch (joint.nq) {
      case 6: mobod[joint.child_body] = SimTK::MobilizedBody::Free(parent, X_PF, body, X_BM).getMobilizedBodyIndex(); break;
      case 3: mobod[joint.child_body] = SimTK::MobilizedBody::Ball(parent, X_PF, body, X_BM).getMobilizedBodyIndex(); break;
      case 1: mobod[joint.child_body] = SimTK::MobilizedBody::Pin(parent, X_PF, body, X_BM).getMobilizedBodyIndex(); break;
      case 0: mobod[joint.child_body] = SimTK::MobilizedBody::Weld(parent, X_PF, body, X_BM).getMobilizedBodyIndex(); break;
      default: throw std::runtime_error("SimbodyReference: joint with an unsupported coordinate count");
    }
  }
  if (tree == SimbodyTree::SameKinematics) {
    s.forces = std::make_unique<SimTK::GeneralForceSubsystem>(s.system);
    SimTK::Force::UniformGravity(*s.forces, s.matter, to_simtk(model.gravity));
  }
  s.system.realizeTopology();
  s.state = s.system.getDefaultState();
  s.system.realize(s.state, SimTK::Stage::Time);
  const int nu = s.state.getNU();
  if (nu != model.nv)
    throw std::runtime_error("SimbodyReference: Simbody tree has " + std::to_string(nu) + " u, the model " +
                             std::to_string(model.nv));
  if (tree == SimbodyTree::SameKinematics) {
    if (s.state.getNQ() != model.nq) throw std::runtime_error("SimbodyReference: q and u counts differ");
    for (int k = 0; k < model.nq; ++k) {
      const SimTK::MobilizedBody& b = s.matter.getMobilizedBody(coordinate_q[k].first);
      s.q_index.push_back(int(b.getFirstQIndex(s.state)) + coordinate_q[k].second);
      s.u_index.push_back(int(b.getFirstUIndex(s.state)) + coordinate_q[k].second);
    }
  }
  s.default_q = s.state.getQ();
  s.nv = nu;
  s.body_forces.resize(s.matter.getNumBodies());
  s.body_forces = SimTK::SpatialVec(SimTK::Vec3(0), SimTK::Vec3(0));
  s.applied.resize(nu);
  s.udot.resize(nu);
  s.residual.resize(nu);
}

SimbodyReference::~SimbodyReference() = default;

int SimbodyReference::nu() const { return impl_->state.getNU(); }

void SimbodyReference::set_state(const double* q, const double* u) {
  Impl& s = *impl_;
  if (s.tree == SimbodyTree::SameKinematics) {
    for (int k = 0; k < s.nv; ++k) {
      s.state.updQ()[s.q_index[k]] = q[k];
      s.state.updU()[s.u_index[k]] = u[k];
    }
    s.system.realize(s.state, SimTK::Stage::Dynamics);
    s.body_forces = s.system.getRigidBodyForces(s.state, SimTK::Stage::Dynamics);
    return;
  }
  // Ball and free mobilizers keep Simbody's quaternions (4 q, 3 u), so q cannot be copied
  // one to one: each q entry is nudged by the given value and the state re-normalized,
  // which costs Simbody what a new pose costs without changing the work per call.
  for (int k = 0; k < s.state.getNQ(); ++k) s.state.updQ()[k] = s.default_q[k] + 0.1 * q[k % s.nv];
  s.matter.normalizeQuaternions(s.state);
  for (int k = 0; k < s.state.getNU(); ++k) s.state.updU()[k] = u[k];
}

void SimbodyReference::inverse_dynamics(const double* udot, double* tau) {
  Impl& s = *impl_;
  const bool mapped = s.tree == SimbodyTree::SameKinematics;
  s.system.realize(s.state, SimTK::Stage::Velocity);
  s.applied = 0;
  for (int k = 0; k < s.nv; ++k) s.udot[mapped ? s.u_index[k] : k] = udot[k];
  s.matter.calcResidualForceIgnoringConstraints(s.state, s.applied, s.body_forces, s.udot, s.residual);
  for (int k = 0; k < s.nv; ++k) tau[k] = s.residual[mapped ? s.u_index[k] : k];
}

void SimbodyReference::mass_matrix(double* M) {
  Impl& s = *impl_;
  const bool mapped = s.tree == SimbodyTree::SameKinematics;
  s.system.realize(s.state, SimTK::Stage::Position);
  s.matter.calcM(s.state, s.M);
  const int n = s.M.nrow();
  for (int c = 0; c < n; ++c)
    for (int r = 0; r < n; ++r) M[c * n + r] = mapped ? s.M(s.u_index[r], s.u_index[c]) : s.M(r, c);
}

void SimbodyReference::forward_dynamics(const double* tau, double* udot) {
  Impl& s = *impl_;
  const bool mapped = s.tree == SimbodyTree::SameKinematics;
  s.system.realize(s.state, SimTK::Stage::Dynamics);
  for (int k = 0; k < s.nv; ++k) s.applied[mapped ? s.u_index[k] : k] = tau[k];
  s.matter.calcAccelerationIgnoringConstraints(s.state, s.applied, s.body_forces, s.udot, s.A_GB);
  for (int k = 0; k < s.nv; ++k) udot[k] = s.udot[mapped ? s.u_index[k] : k];
}

double SimbodyReference::kinetic_energy() {
  Impl& s = *impl_;
  s.system.realize(s.state, SimTK::Stage::Velocity);
  return s.matter.calcKineticEnergy(s.state);
}

double SimbodyReference::potential_energy() {
  Impl& s = *impl_;
  if (s.tree != SimbodyTree::SameKinematics) return 0.0;
  s.system.realize(s.state, SimTK::Stage::Dynamics);
  return s.system.calcPotentialEnergy(s.state);
}

}  // namespace femur::test
