// Thelen2003Muscle (Thelen 2003, J Biomech Eng 125:70-77) as OpenSim 4.x implements it
// (OpenSim/Actuators/Thelen2003Muscle.cpp; OPENSIM-NOTES.md B.3): Gaussian active force-length,
// exponential passive force-length, exponential-then-linear tendon, force-velocity used in its
// inverse form (fiber velocity from force), fixed-width pennation, first-order activation.
// Free functions over a Thelen2003 (parameters plus derived constants); none allocates.
#pragma once

#include "femur/muscle/muscle_parameters.hpp"

namespace femur {

struct Thelen2003 {
  MuscleParameters p;
  FixedWidthPennation pennation;
  double e_toe = 0;  // tendon strain where the toe region ends: 99 e0 e^3 / (166 e^3 - 67)
  double k_lin = 0;  // slope of the linear region: 0.67 / (e0 - e_toe)
  double passive_denominator = 0;  // exp(kPE) - 1 of the passive curve (eq. 3), once per muscle
};

Thelen2003 make_thelen2003(const MuscleParameters& p);

// Curves of normalized length; `derivative` (if given) receives d/dx.
// f_L = exp(-(l - 1)^2 / gamma) (Thelen 2003 eq. 2).
double thelen_active_force_length(const Thelen2003& m, double norm_fiber_length, double* derivative = nullptr);
// f_PE = (exp(kPE (l - 1)/e0M) - 1) / (exp(kPE) - 1) for l > 1, else 0 (eq. 3).
double thelen_passive_force_length(const Thelen2003& m, double norm_fiber_length, double* derivative = nullptr);
// f_T: 0 for strain <= 0, Ftoe/(e^3 - 1)(exp(3 e/e_toe) - 1) in the toe, linear beyond (eq. 4).
double thelen_tendon_force_length(const Thelen2003& m, double norm_tendon_length, double* derivative = nullptr);

// Normalized fiber velocity from a f_L f_V (Thelen 2003 eqs. 6-7, linearly extrapolated
// outside (0, fv_linear_extrap_threshold Flen a f_L)): OpenSim's calcdlceN. `d_dforce` gets
// d(v)/d(a f_L f_V).
double thelen_normalized_fiber_velocity(const Thelen2003& m, double activation, double fal,
                                        double a_fal_fv, double* d_dforce = nullptr);
// f_V for a normalized fiber velocity, by OpenSim's Newton inversion (calcfvInv). Returns NaN
// if it does not converge.
double thelen_force_velocity_multiplier(const Thelen2003& m, double activation, double fal,
                                        double norm_fiber_velocity, double tolerance = 1e-6,
                                        int max_iterations = 100);

// Activation clamped to [minimum_activation, 1].
double thelen_clamp_activation(const Thelen2003& m, double activation);
// da/dt, MuscleFirstOrderActivationDynamicModel::calcDerivative (B.2).
double thelen_activation_derivative(const Thelen2003& m, double activation, double excitation);

// Rigid tendon (tendon at slack length): fiber length from the path, f_V from the fiber speed.
void thelen_rigid_tendon_state(const Thelen2003& m, double muscle_tendon_length,
                               double muscle_tendon_speed, double activation, MuscleState& out);

// F0 a f_L f_V cos(phi) at a given fiber length and velocity, as
// Thelen2003Muscle::calcActiveFiberForceAlongTendon (0 at or below the minimum fiber length;
// f_V by calcfvInv with tolerance 1e-6). Static Optimization's muscle capacity with a = 1.
double thelen_inextensible_tendon_active_fiber_force(const Thelen2003& m, double fiber_length,
                                                     double fiber_velocity, double activation = 1.0);

// The state OpenSim computes when the fiber length is a state variable (calcMuscleLengthInfo,
// calcFiberVelocityInfo, calcMuscleDynamicsInfo): f_V from the force balance, fiber velocity from
// the inverse force-velocity relation. The muscle-tendon speed only enters the tendon speed.
void thelen_elastic_state(const Thelen2003& m, double muscle_tendon_length, double activation,
                          double fiber_length, MuscleState& out);

// Fiber length at which fiber and tendon forces balance, as Thelen2003Muscle::initMuscleState
// (Newton from a tendon at 1.01 slack, step halving, the path speed shared between fiber and
// tendon by stiffness), continued to `tolerance` (N; default 1e-10 F0). If that iteration fails
// a bracketed bisection over [l_min, l(tendon slack)] solves the same balance.
EquilibriumResult thelen_fiber_equilibrium(const Thelen2003& m, double muscle_tendon_length,
                                           double muscle_tendon_speed, double activation,
                                           MuscleState& out, double tolerance = -1.0);

}  // namespace femur
