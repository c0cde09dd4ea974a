// Simbody's dynamics on a femur model's tree, behind a plain interface: Simbody 3.7's headers
// do not compile as C++20, so simbody_reference.cpp is built as C++17 and only this header
// is seen by the benchmarks. Mobilizers by coordinate count: 6 free, 3 ball (quaternions,
// Simbody's default), 1 pin, 0 weld; F and M frames and mass properties as in the femur model.
#pragma once

#include <memory>

#include "femur/model/model.hpp"

namespace femur::bench {

class SimbodyReference {
 public:
  explicit SimbodyReference(const Model& model);
  ~SimbodyReference();

  int nu() const;
  // Sets a pose derived from q (nu entries; see the .cpp) and the speeds u (nu entries).
  void set_state(const double* q, const double* u);
  // Residual forces of Simbody's calcResidualForceIgnoringConstraints for the given udot,
  // after realizing Velocity. Writes nu entries.
  void inverse_dynamics(const double* udot, double* tau);
  // Mass matrix after realizing Position (nu x nu, column-major).
  void mass_matrix(double* M);
  // Accelerations from calcAccelerationIgnoringConstraints for the given mobility forces.
  void forward_dynamics(const double* tau, double* udot);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace femur::bench
