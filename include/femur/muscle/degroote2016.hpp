// DeGrooteFregly2016Muscle (De Groote, Kinney, Rao, Fregly 2016, Ann Biomed Eng 44:2922-2936)
// as OpenSim implements it (OpenSim/Actuators/DeGrooteFregly2016Muscle.h/.cpp; OPENSIM-NOTES.md
// B.5): smooth curves (Gaussian sums, exponentials, inverse sinh), normalized tendon force as
// the elastic-tendon state, smooth tanh activation dynamics. No allocation.
#pragma once

#include "femur/muscle/muscle_parameters.hpp"

namespace femur {

struct DeGrooteFregly2016 {
  MuscleParameters p;
  double fiber_width = 0;  // l0 sin(phi0)
  double kT = 0;           // ln((1 + c3)/c1) / (1 + eT - c2)
  // Passive curve constants, once per muscle: exp(kPE (0.2 - 1)/e0) and exp(kPE) minus it.
  double passive_offset = 0, passive_denominator = 1;
};

DeGrooteFregly2016 make_degroote2016(const MuscleParameters& p);

// Constants of the paper's supplementary material (as in the OpenSim header).
namespace degroote {
inline constexpr double b11 = 0.8150671134243542, b21 = 1.055033428970575, b31 = 0.162384573599574,
                        b41 = 0.063303448465465;
inline constexpr double b12 = 0.433004984392647, b22 = 0.716775413397760, b32 = -0.029947116970696,
                        b42 = 0.200356847296188;
inline constexpr double b13 = 0.1, b23 = 1.0, b33 = 0.353553390593274, b43 = 0.0;
inline constexpr double c1 = 0.2, c2 = 1.0, c3 = 0.2;
inline constexpr double d1 = -0.3211346127989808, d2 = -8.149, d3 = -0.374, d4 = 0.8825327733249912;
inline constexpr double kPE = 4.0;
inline constexpr double min_norm_fiber_length = 0.2, max_norm_fiber_length = 1.8;
inline constexpr double min_norm_tendon_force = 0.0, max_norm_tendon_force = 5.0;
}  // namespace degroote

double degroote_active_force_length(const DeGrooteFregly2016& m, double norm_fiber_length, double* derivative = nullptr);
double degroote_passive_force_length(const DeGrooteFregly2016& m, double norm_fiber_length, double* derivative = nullptr);
double degroote_tendon_force_length(const DeGrooteFregly2016& m, double norm_tendon_length, double* derivative = nullptr);
double degroote_tendon_force_length_inverse(const DeGrooteFregly2016& m, double norm_tendon_force);
double degroote_force_velocity(double norm_fiber_velocity, double* derivative = nullptr);
double degroote_force_velocity_inverse(double force_velocity_multiplier);

// da/dt = [(f + 1/2)/(tau_a (1/2 + 3a/2)) + (1/2 - f)(1/2 + 3a/2)/tau_d](u - a), f = tanh(b(u - a))/2,
// b = 0.1 (OpenSim's computeStateVariableDerivatives; De Groote et al. 2016 eq. S2-S3).
double degroote_activation_derivative(const DeGrooteFregly2016& m, double activation, double excitation);

// Rigid tendon: l from the path with the tendon at slack, f_V from the fiber speed.
void degroote_rigid_tendon_state(const DeGrooteFregly2016& m, double muscle_tendon_length,
                                 double muscle_tendon_speed, double activation, MuscleState& out);
// Active fiber force with a rigid tendon (calcInextensibleTendonActiveFiberForce): F0 a f_L f_V
// (OpenSim returns the active fiber force itself, not its component along the tendon).
double degroote_inextensible_tendon_active_fiber_force(const DeGrooteFregly2016& m, double fiber_length,
                                                       double fiber_velocity, double activation = 1.0);
// The state for a normalized tendon force (the model's elastic-tendon state variable), with the
// tendon speed from dF/dt = normalized_tendon_force_derivative (implicit form).
void degroote_elastic_state(const DeGrooteFregly2016& m, double muscle_tendon_length, double muscle_tendon_speed,
                            double activation, double norm_tendon_force, double norm_tendon_force_derivative,
                            MuscleState& out);
// The state for a normalized tendon force in OpenSim's explicit mode (tendon_compliance_dynamics_mode
// "explicit", the default; calcFiberVelocityInfoHelper): f_V from the force balance
// (F_T/cos(alpha) - f_PE) / (a f_L), the fiber velocity from the inverse force-velocity curve,
// then the tendon velocity V - v/cos(alpha). Returns d(normalized tendon force)/dt =
// (tendon velocity / tendon slack length) f_T'(l_T) (computeStateVariableDerivatives).
double degroote_explicit_state(const DeGrooteFregly2016& m, double muscle_tendon_length, double muscle_tendon_speed,
                               double activation, double norm_tendon_force, MuscleState& out);
// computeInitialFiberEquilibrium: the normalized tendon force in [0, 5] at which fiber and tendon
// forces balance with dF/dt = 0, by bracketed Newton (OpenSim: bisection to 1e-10).
EquilibriumResult degroote_fiber_equilibrium(const DeGrooteFregly2016& m, double muscle_tendon_length,
                                             double muscle_tendon_speed, double activation, MuscleState& out,
                                             double tolerance = -1.0);

}  // namespace femur
