// Millard2012EquilibriumMuscle (Millard, Uchida, Seth, Delp 2013, J Biomech Eng 135:021005) as
// OpenSim 4.x implements it (OpenSim/Actuators/Millard2012EquilibriumMuscle.cpp; OPENSIM-NOTES.md
// B.4): C2-continuous curves made of quintic Bezier "corners" (SmoothSegmentedFunctionFactory,
// SegmentedQuinticBezierToolkit), optional fiber damping, elastic or rigid tendon.
// Curves are built once per muscle (fixed-size storage); evaluation allocates nothing.
#pragma once

#include <array>

#include "femur/muscle/muscle_parameters.hpp"

namespace femur {

// y(x) made of up to 5 quintic Bezier segments, each given by 6 control points in x and y,
// linearly extrapolated outside [x0, x1] with the end slopes
// (OpenSim/Common/SmoothSegmentedFunction.cpp). x(u) is inverted by safeguarded Newton.
struct SmoothSegmentedCurve {
  struct Segment {
    std::array<double, 6> x{}, y{};
    std::array<double, 9> x_at{};  // x(u) at u = 0, 1/8, ..., 1: the start of the u(x) search
  };
  std::array<Segment, 5> segments{};
  int count = 0;
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0, dydx0 = 0, dydx1 = 0;

  double value(double x) const;
  // order 1 or 2 (0 gives the value).
  double derivative(double x, int order = 1) const;
};

// The control points of one corner between (x0, y0) with slope dydx0 and (x1, y1) with slope
// dydx1 (SegmentedQuinticBezierToolkit::calcQuinticBezierCornerControlPoints); `curviness` is
// already scaled (0.1 + 0.8 c).
SmoothSegmentedCurve::Segment bezier_corner(double x0, double y0, double dydx0, double x1, double y1,
                                            double dydx1, double curviness);

// The curve factories of SmoothSegmentedFunctionFactory.cpp (4.x forms).
SmoothSegmentedCurve make_millard_active_force_length_curve(const ActiveForceLengthCurveParameters& c);
SmoothSegmentedCurve make_millard_force_velocity_curve(const ForceVelocityCurveParameters& c);
// The inverse of the force-velocity curve (x and y exchanged); OpenSim uses slopes >= 0.1 at
// +-vmax for it so that it stays invertible.
SmoothSegmentedCurve make_millard_force_velocity_inverse_curve(const ForceVelocityCurveParameters& c);
SmoothSegmentedCurve make_millard_fiber_force_length_curve(const FiberForceLengthCurveParameters& c);
SmoothSegmentedCurve make_millard_tendon_force_length_curve(const TendonForceLengthCurveParameters& c);

struct Millard2012 {
  MuscleParameters p;         // as given
  FixedWidthPennation pennation;
  bool use_fiber_damping = true;  // fiber_damping >= 0.001
  double minimum_activation = 0.01;  // after the mode adjustment of buildMuscle
  double minimum_fiber_length = 0;   // max(min active length, pennation limit)
  double minimum_fiber_length_along_tendon = 0;
  SmoothSegmentedCurve active_force_length, force_velocity, force_velocity_inverse;
  SmoothSegmentedCurve fiber_force_length, tendon_force_length;
};

// Builds the curves with the adjustments of Millard2012EquilibriumMuscle::buildMuscle: an
// elastic tendon without damping needs f_L >= 0.1, f_V slopes 0.1 at +-vmax and a >= 0.01;
// otherwise f_L's minimum is 0 and the f_V end slopes are 0.
Millard2012 make_millard2012(const MuscleParameters& p);

double millard_clamp_activation(const Millard2012& m, double activation);
double millard_activation_derivative(const Millard2012& m, double activation, double excitation);

// Rigid tendon (ignore_tendon_compliance): fiber length from the path, clamped at the minimum;
// a buckling tendon (path shorter than lTs + fiber) has zero fiber velocity; the damping force
// is saturated so the fiber never pushes.
void millard_rigid_tendon_state(const Millard2012& m, double muscle_tendon_length,
                                double muscle_tendon_speed, double activation, MuscleState& out);

// calcActiveFiberForceAlongTendon: F0 a f_L f_V cos(phi) at a fiber length and velocity (0 at or
// below the minimum length). OpenSim evaluates the pennation angle there at the *normalized*
// fiber length; femur does the same so that Static Optimization matches (see the report).
double millard_inextensible_tendon_active_fiber_force(const Millard2012& m, double fiber_length,
                                                      double fiber_velocity, double activation = 1.0);

// The state OpenSim computes from a fiber-length state (elastic tendon): tendon force from the
// tendon curve, fiber velocity from the force balance (Newton with damping, the inverse
// force-velocity curve without).
void millard_elastic_state(const Millard2012& m, double muscle_tendon_length, double activation,
                           double fiber_length, MuscleState& out);

// Fiber length at force balance as Millard2012EquilibriumMuscle::estimateMuscleFiberState
// (computeInitialFiberEquilibrium: Newton from a tendon at 1.01 slack, path speed shared by
// stiffness, zero speed => static solution), continued to `tolerance` (N; default 1e-10 F0);
// bisection over [l_min, l(tendon slack)] if that fails.
EquilibriumResult millard_fiber_equilibrium(const Millard2012& m, double muscle_tendon_length,
                                            double muscle_tendon_speed, double activation,
                                            MuscleState& out, double tolerance = -1.0);

}  // namespace femur
