#include "simbody_reference.hpp"

#include <stdexcept>
#include <vector>

#include <Simbody.h>

namespace femur::bench {

struct SimbodyReference::Impl {
  SimTK::MultibodySystem system;
  SimTK::SimbodyMatterSubsystem matter{system};
  SimTK::State state;
  SimTK::Vector_<SimTK::SpatialVec> body_forces;
  SimTK::Vector applied, udot, residual;
  SimTK::Vector_<SimTK::SpatialVec> A_GB;
  SimTK::Matrix M;
  SimTK::Vector default_q;
  int nv = 0;
};

namespace {
SimTK::Transform to_simtk(const Transform& X) {
  SimTK::Mat33 R;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) R(r, c) = X.R(r, c);
  return SimTK::Transform(SimTK::Rotation(R, true), SimTK::Vec3(X.p.x(), X.p.y(), X.p.z()));
}
}  // namespace

SimbodyReference::SimbodyReference(const Model& model) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  // Mobilized bodies by index: the matter subsystem owns them, handles are looked up.
  std::vector<SimTK::MobilizedBodyIndex> mobod(model.bodies.size());
  mobod[0] = SimTK::GroundIndex;
  for (const Joint& joint : model.joints) {
    const Body& b = model.bodies[joint.child_body];
    const SimTK::Vec3 com(b.com_in_body.x(), b.com_in_body.y(), b.com_in_body.z());
    const Mat3& I = b.inertia_about_com;
    const SimTK::Inertia Ic(SimTK::Vec3(I(0, 0), I(1, 1), I(2, 2)), SimTK::Vec3(I(0, 1), I(0, 2), I(1, 2)));
    SimTK::Body::Rigid body(SimTK::MassProperties(b.mass, com, Ic.shiftFromMassCenter(com, b.mass)));
    SimTK::MobilizedBody& parent = s.matter.updMobilizedBody(mobod[joint.parent_body]);
    const SimTK::Transform X_PF = to_simtk(joint.X_parent_F), X_BM = to_simtk(joint.X_child_M);
    switch (joint.nq) {
      case 6: mobod[joint.child_body] = SimTK::MobilizedBody::Free(parent, X_PF, body, X_BM).getMobilizedBodyIndex(); break;
      case 3: mobod[joint.child_body] = SimTK::MobilizedBody::Ball(parent, X_PF, body, X_BM).getMobilizedBodyIndex(); break;
      case 1: mobod[joint.child_body] = SimTK::MobilizedBody::Pin(parent, X_PF, body, X_BM).getMobilizedBodyIndex(); break;
      case 0: mobod[joint.child_body] = SimTK::MobilizedBody::Weld(parent, X_PF, body, X_BM).getMobilizedBodyIndex(); break;
      default: throw std::runtime_error("SimbodyReference: joint with an unsupported coordinate count");
    }
  }
  s.system.realizeTopology();
  s.state = s.system.getDefaultState();
  s.system.realize(s.state, SimTK::Stage::Time);
  const int nu = s.state.getNU();
  if (nu != model.nv)
    throw std::runtime_error("SimbodyReference: Simbody tree has " + std::to_string(nu) + " u, the model " +
                             std::to_string(model.nv));
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
  // Ball and free mobilizers keep Simbody's quaternions (4 q, 3 u), so q cannot be copied
  // one to one: each q entry is nudged by the given value and the state re-normalized,
  // which costs Simbody what a new pose costs without changing the work per call.
  Impl& s = *impl_;
  for (int k = 0; k < s.state.getNQ(); ++k) s.state.updQ()[k] = s.default_q[k] + 0.1 * q[k % s.nv];
  s.matter.normalizeQuaternions(s.state);
  for (int k = 0; k < s.state.getNU(); ++k) s.state.updU()[k] = u[k];
}

void SimbodyReference::inverse_dynamics(const double* udot, double* tau) {
  Impl& s = *impl_;
  s.system.realize(s.state, SimTK::Stage::Velocity);
  s.applied = 0;
  for (int k = 0; k < s.udot.size(); ++k) s.udot[k] = udot[k];
  s.matter.calcResidualForceIgnoringConstraints(s.state, s.applied, s.body_forces, s.udot, s.residual);
  for (int k = 0; k < s.residual.size(); ++k) tau[k] = s.residual[k];
}

void SimbodyReference::mass_matrix(double* M) {
  Impl& s = *impl_;
  s.system.realize(s.state, SimTK::Stage::Position);
  s.matter.calcM(s.state, s.M);
  const int n = s.M.nrow();
  for (int c = 0; c < n; ++c)
    for (int r = 0; r < n; ++r) M[c * n + r] = s.M(r, c);
}

void SimbodyReference::forward_dynamics(const double* tau, double* udot) {
  Impl& s = *impl_;
  s.system.realize(s.state, SimTK::Stage::Dynamics);
  for (int k = 0; k < s.applied.size(); ++k) s.applied[k] = tau[k];
  s.matter.calcAccelerationIgnoringConstraints(s.state, s.applied, s.body_forces, s.udot, s.A_GB);
  for (int k = 0; k < s.udot.size(); ++k) udot[k] = s.udot[k];
}

}  // namespace femur::bench
