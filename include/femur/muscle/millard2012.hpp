// Millard2012EquilibriumMuscle (Millard, Uchida, Seth, Delp 2013, J Biomech Eng 135:021005) as
// OpenSim 4.x implements it (OpenSim/Actuators/Millard2012EquilibriumMuscle.cpp; OPENSIM-NOTES.md
// B.4): C2-continuous curves made of quintic Bezier "corners" (SmoothSegmentedFunctionFactory,
// SegmentedQuinticBezierToolkit), optional fiber damping, elastic or rigid tendon.
// Curves are built once per muscle (their tables shared between muscles with the same curve);
// evaluation allocates nothing.
#pragma once

#include <array>
#include <memory>

#include "femur/muscle/muscle_parameters.hpp"

namespace femur {

// y(x) made of up to 5 quintic Bezier segments, each given by 6 control points in x and y,
// linearly extrapolated outside [x0, x1] with the end slopes
// (OpenSim/Common/SmoothSegmentedFunction.cpp). Evaluating y at x needs the Bezier parameter u
// with x(u) = x. value() and derivative() start from a cubic Hermite interpolant of u(x) built
// once per segment (16 cells, uniform in u, so the cells crowd where x(u) is flat) and take
// Newton steps on x(u) (guess error <= ~1e-4, then ~1e-9, then the last step on the exact
// Bezier to rounding; sharper corners get one or two more steps);
// y is the exact Bezier y(u). The construction checks that path on every cell against the
// safeguarded Newton of value_reference(); a curve that fails the check (fast_inverse false)
// uses the safeguarded path everywhere.
struct SmoothSegmentedCurve {
  static constexpr int kCells = 16;
  struct Segment {
    std::array<double, 6> x{}, y{};
    std::array<double, kCells + 1> x_at{};  // x(u) at u = k/16: the cell bounds
    // Per cell k: {1/(x_at[k+1] - x_at[k]), c1, c2, c3}; with t = (x - x_at[k])/width the start
    // is u = (k + t (c1 + t (c2 + t c3)))/16, the Hermite cubic through the cell's ends with
    // slopes du/dx = 1/x'(u) there.
    std::array<std::array<double, 4>, kCells> start{};
    // The same polynomials prepared for the fast path: x(u) and x'(u) in powers of u (first
    // Newton step only), and the control points times the Bernstein binomials (5 for the
    // derivative: 5 C(4,k) (p[k+1] - p[k])).
    std::array<double, 6> power_x{};
    std::array<double, 5> power_dx{};
    std::array<double, 6> wx{}, wy{};
    std::array<double, 5> dwx{}, dwy{};
    // Newton steps on the power form before the final Bernstein step: 1 for the factories'
    // usual corners, more for sharp ones (the smallest number that passes the check).
    int power_steps = 1;
  };
  // The segments and their tables, immutable once built and shared by every curve with the
  // same control points (gait2392's 92 muscles use 5 distinct curves, so the tables of all of
  // them stay in the first-level cache).
  struct Table {
    std::array<Segment, 5> segments{};
    int count = 0;
    bool fast_inverse = false;
    // x where segment k + 1 starts (+infinity past the last): the segment of x is the number
    // of these it reaches.
    std::array<double, 4> segment_starts{};
  };
  std::shared_ptr<const Table> table = empty_table();
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0, dydx0 = 0, dydx1 = 0;

  bool fast_inverse() const { return table->fast_inverse; }
  static std::shared_ptr<const Table> empty_table();

  double value(double x) const;
  // order 1 or 2 (0 gives the value).
  double derivative(double x, int order = 1) const;
  // The general path: x(u) inverted by Newton kept inside a bracket, until |x(u) - x| <=
  // 1e-15 max(1, |x|) (what value() did before the Hermite start; kept for the tests).
  double value_reference(double x) const;
  double derivative_reference(double x, int order = 1) const;
};

// Three curves at three points in lockstep: the same numbers as a.value(xa), b.value(xb),
// c.value(xc), but the three Newton chains are interleaved so that the processor overlaps them
// (the muscle models evaluate f_PE, f_L and f_V together).
void smooth_segmented_values3(const SmoothSegmentedCurve& a, double xa, const SmoothSegmentedCurve& b, double xb,
                              const SmoothSegmentedCurve& c, double xc, double out[3]);

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
