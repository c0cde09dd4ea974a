// Simbody's dynamics on a femur model's tree, behind a plain interface, for the benchmarks
// (time) and the dynamics tests (values). Simbody 3.7's headers do not compile as C++20, so
// simbody_reference.cpp is built as C++17 and only this header is seen by the callers. That TU
// sees the tree (model/tree.hpp) through SimbodyTreeInput, never the Model with its typed
// forces; the constructor from a Model lives in simbody_reference_model.cpp (C++20).
//
// Two ways to build the Simbody tree (F and M frames and mass properties as in the femur model):
// - ByCoordinateCount (the benchmarks): mobilizers by coordinate count, 6 free, 3 ball
//   (quaternions, Simbody's defaults), 1 pin, 0 weld: the cheapest Simbody tree of the same
//   shape; its poses are not femur's.
// - SameKinematics (the tests): the same joint motion and coordinates as femur, u = q-dot for
//   every joint, so M, inverse and forward dynamics compare entry by entry. Pin, Slider,
//   Universal, Planar and Weld are Simbody's mobilizers of those names; Ball and Gimbal are
//   Simbody's Gimbal (body-fixed X-Y-Z Euler angles with their rates as speeds, where Simbody's
//   Ball would use quaternions and angular velocity); Free is a Translation (in F) followed by
//   a Gimbal through a massless body; CustomJoint is Simbody's FunctionBased mobilizer (what
//   OpenSim builds for it) with femur's axes and axis functions. Gravity is Simbody's
//   Force::UniformGravity with the model's gravity vector.
#pragma once

#include <memory>
#include <vector>

#include "femur/model/tree.hpp"

namespace femur {
struct Model;
}

namespace femur::test {

// The parts of a Model the Simbody tree is built from.
struct SimbodyTreeInput {
  const std::vector<Body>& bodies;
  const std::vector<Joint>& joints;
  const std::vector<Function>& functions;
  Vec3 gravity;
  int nq = 0, nv = 0;
};

enum class SimbodyTree { ByCoordinateCount, SameKinematics };

class SimbodyReference {
 public:
  explicit SimbodyReference(const Model& model, SimbodyTree tree = SimbodyTree::ByCoordinateCount);
  explicit SimbodyReference(const SimbodyTreeInput& model, SimbodyTree tree = SimbodyTree::ByCoordinateCount);
  ~SimbodyReference();

  int nu() const;
  // ByCoordinateCount: sets a pose derived from q (see the .cpp) and the speeds u (nu entries).
  // SameKinematics: q and u are femur's coordinates and speeds (model.nq entries each).
  void set_state(const double* q, const double* u);
  // Residual forces of Simbody's calcResidualForceIgnoringConstraints for the given udot,
  // after realizing Velocity (SameKinematics: with gravity, as femur's rnea). nu entries.
  void inverse_dynamics(const double* udot, double* tau);
  // Mass matrix after realizing Position (nu x nu, column-major).
  void mass_matrix(double* M);
  // Accelerations from calcAccelerationIgnoringConstraints for the given mobility forces
  // (SameKinematics: with gravity, as femur's aba).
  void forward_dynamics(const double* tau, double* udot);
  // Kinetic energy (calcKineticEnergy) and the gravity potential energy of the state, the
  // latter as Force::UniformGravity defines it (SameKinematics only; 0 otherwise).
  double kinetic_energy();
  double potential_energy();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace femur::test
