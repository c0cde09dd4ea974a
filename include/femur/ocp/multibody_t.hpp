// Inverse dynamics and smooth foot-ground contact over a scalar type T (double or ceres::Jet),
// for implicit multibody dynamics in direct collocation: the residual
//
//   tau(q, u, udot) = M(q) udot + c(q, u) - g(q) - J_c(q)^T f_contact(q, u)
//
// is a constraint at every mesh node, with the accelerations udot variables of the problem
// (Moco's implicit multibody dynamics mode). A templated copy of the recursion, not the
// dynamics layer's optimized double RNEA, so that the double path keeps its speed: the
// recursion here is Newton-Euler with every body quantity in ground (Featherstone 2008,
// ch. 5; Craig's outward/inward iterations), which is short and reads the same over any T.
// It is checked against femur's rnea() to rounding in tests/ocp/multibody_t_test.cpp.
//
// Supported: every joint whose six transform axes are constant, linear or a smooth function
// (polynomial, SimmSpline, natural cubic spline, multiplier of one) of one coordinate (Pin,
// Slider, Planar, Universal, Gimbal, Free, Weld, CustomJoints such as Rajagopal's walker knee);
// CoordinateCouplerConstraints of one independent coordinate (the patellofemoral couplers);
// SmoothSphereHalfSpaceForce contact with the half space on ground.
//
// Coupled coordinates are not variables: the arrays hold the mb.nu independent coordinates
// (mb.independent: their model indices, in model order). A dependent coordinate follows its
// coupler, q_d = f(q_i), u_d = f'(q_i) u_i, udot_d = f''(q_i) u_i^2 + f'(q_i) udot_i, and the
// independent coordinate's generalized force takes J^T of the full one: tau_i += f'(q_i) tau_d
// (the reduced equations of motion of a holonomic constraint solved for the dependent
// coordinate; femur's forward dynamics does the same in double, dynamics/constraints).
// A nonlinear function s = f(q) of an axis or coupler is evaluated over T through its Taylor
// polynomial of degree 4 about q's value (exact value and derivatives up to second order of
// s, s' u and s'' u^2 + s' udot, which is what the Hessian needs).
//
//   MultibodyT mb = make_multibody_t(model);          // throws std::invalid_argument if not
//   inverse_dynamics_t(mb, q, u, udot, tau, contact);  // T* arrays of mb.nu; contact optional
#pragma once

#include <array>
#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include <Eigen/Core>
#include <Eigen/Geometry>

#include "femur/math/function.hpp"
#include "femur/model/model.hpp"

namespace femur::ocp {

// Taylor coefficients c[0..4] of f about x (f(x + d) = sum c_k d^k to fourth order): exact for
// the polynomial kinds and, within one knot interval, for the cubic splines. Throws
// std::invalid_argument for a kind it cannot expand (checked once in make_multibody_t).
void taylor4(const Function& f, double x, double* c);
bool taylor4_supported(const Function& f);

// The plain value of a scalar of any of the types the recursion runs over.
template <class T>
double scalar_value(const T& x) {
  if constexpr (std::is_arithmetic_v<T>)
    return static_cast<double>(x);
  else if constexpr (requires { x.value(); })
    return x.value();
  else
    return scalar_value(x.a);
}

struct MultibodyT {
  struct Axis {
    Vec3 axis = Vec3::UnitX();
    int coordinate = -1;  // model index; -1: constant
    double slope = 0.0, intercept = 0.0;  // s = slope q + intercept, or intercept if constant
    int function = -1;    // index into MultibodyT::functions when s = f(q) is nonlinear
  };
  // q_dependent = functions[function](q_independent) (model indices).
  struct CouplerT {
    int dependent = -1, independent = -1, function = -1;
  };
  struct JointT {
    int parent = 0, child = 0;
    Mat3 R_parent_F = Mat3::Identity();
    Vec3 p_parent_F = Vec3::Zero();
    Mat3 R_child_M = Mat3::Identity();
    Vec3 p_child_M = Vec3::Zero();
    std::array<Axis, 6> axes;
  };
  struct BodyT {
    double mass = 0.0;
    Vec3 com = Vec3::Zero();
    Mat3 inertia = Mat3::Zero();  // about the centre of mass, in the body frame
  };
  // SmoothSphereHalfSpaceForce between a sphere on `body` and a half space fixed to ground.
  struct ContactT {
    std::string name;
    int body = 0;
    Vec3 location = Vec3::Zero();  // sphere centre in the body frame
    double radius = 0.0;
    Vec3 normal = -Vec3::UnitY();  // half space's x axis in ground: points into the half space
    Vec3 plane_point = Vec3::Zero();
    double stiffness = 0, dissipation = 0, static_friction = 0, dynamic_friction = 0, viscous_friction = 0;
    double transition_velocity = 0.01, constant_contact_force = 1e-5, hertz_smoothing = 300, hunt_crossley_smoothing = 50;
  };
  int nq = 0;  // model coordinates
  int nu = 0;  // independent coordinates: the variables
  std::vector<int> independent;  // nu model indices
  std::vector<int> reduced;      // nq: index among the independent ones, -1 for a dependent one
  std::vector<CouplerT> couplers;
  std::vector<Function> functions;
  Vec3 gravity = Vec3::Zero();
  std::vector<BodyT> bodies;  // as Model::bodies (0 = ground)
  std::vector<JointT> joints;  // as Model::joints (parents first)
  std::vector<ContactT> contacts;
};

MultibodyT make_multibody_t(const Model& model);

template <class T>
using Vec3T = Eigen::Matrix<T, 3, 1>;
template <class T>
using Mat3T = Eigen::Matrix<T, 3, 3>;

// Contact output: the force each sphere receives (in ground) and its point of application.
template <class T>
struct ContactForceT {
  Vec3T<T> force, point;
};

namespace detail {
template <class T>
Vec3T<T> cross(const Vec3T<T>& a, const Vec3T<T>& b) {
  return Vec3T<T>(a.y() * b.z() - a.z() * b.y(), a.z() * b.x() - a.x() * b.z(), a.x() * b.y() - a.y() * b.x());
}
template <class T>
Vec3T<T> lift(const Vec3& v) {
  return Vec3T<T>(T(v.x()), T(v.y()), T(v.z()));
}
// Rodrigues: Rot(angle, axis) = c I + s [a] + (1 - c) a a^T.
template <class T>
Mat3T<T> rotation(const Vec3& a, const T& angle) {
  using std::cos;
  using std::sin;
  const T s = sin(angle), c = cos(angle), c1 = 1.0 - c;
  Mat3T<T> R;
  R(0, 0) = c + c1 * (a.x() * a.x());
  R(1, 1) = c + c1 * (a.y() * a.y());
  R(2, 2) = c + c1 * (a.z() * a.z());
  R(0, 1) = c1 * (a.x() * a.y()) - s * a.z();
  R(1, 0) = c1 * (a.x() * a.y()) + s * a.z();
  R(0, 2) = c1 * (a.x() * a.z()) + s * a.y();
  R(2, 0) = c1 * (a.x() * a.z()) - s * a.y();
  R(1, 2) = c1 * (a.y() * a.z()) - s * a.x();
  R(2, 1) = c1 * (a.y() * a.z()) + s * a.x();
  return R;
}
template <class T>
Mat3T<T> lift(const Mat3& m) {
  return m.template cast<T>();
}
// s, s' and s'' of a nonlinear function at q over T (Taylor polynomial about q's value).
template <class T>
void function_t(const Function& f, const T& q, T& s, T& ds, T& dds) {
  double c[5];
  const double x0 = scalar_value(q);
  taylor4(f, x0, c);
  const T d = q - x0;
  s = c[0] + d * (c[1] + d * (c[2] + d * (c[3] + d * c[4])));
  ds = c[1] + d * (2.0 * c[2] + d * (3.0 * c[3] + d * (4.0 * c[4])));
  dds = 2.0 * c[2] + d * (6.0 * c[3] + d * (12.0 * c[4]));
}
}  // namespace detail

// Contact force of one SmoothSphereHalfSpaceForce (Simbody/src/SmoothSphereHalfSpaceForce.cpp,
// SmoothSphereHalfSpaceForceImpl::calcForce; Serrancoli et al. 2019), given the sphere body's
// pose and velocity in ground. Returns the force on the sphere and the (adjusted) contact point.
template <class T>
ContactForceT<T> smooth_sphere_half_space_force(const MultibodyT::ContactT& c, const Mat3T<T>& R, const Vec3T<T>& o,
                                                const Vec3T<T>& w, const Vec3T<T>& v) {
  using std::pow;
  using std::sqrt;
  using std::tanh;
  const Vec3T<T> centre = o + R * detail::lift<T>(c.location);
  const Vec3T<T> normal = detail::lift<T>(c.normal);
  // indentation = -(d . (-n) - r), d from the half space's origin to the sphere's centre.
  const T indentation = (centre - detail::lift<T>(c.plane_point)).dot(normal) + c.radius;
  // Contact point: the sphere's surface point along the normal, moved back half the indentation.
  const Vec3T<T> point = centre + normal * (c.radius - 0.5 * indentation);
  const Vec3T<T> vel = v + detail::cross<T>(w, point - o);  // the half space (ground) is still
  const T vnormal = vel.dot(normal);
  const Vec3T<T> vtangent = vel - normal * vnormal;
  const double k = 0.5 * std::pow(c.stiffness, 2.0 / 3.0);
  const T fh_pos = (4.0 / 3.0) * k * std::sqrt(c.radius * k) *
                   pow(sqrt(indentation * indentation + c.constant_contact_force), 1.5);
  const T fh_smooth = fh_pos * (0.5 + 0.5 * tanh(c.hertz_smoothing * indentation));
  const T fhc_pos = fh_smooth * (1.0 + 1.5 * c.dissipation * vnormal);
  const T fhc_smooth = fhc_pos * (0.5 + 0.5 * tanh(c.hunt_crossley_smoothing * (vnormal + 2.0 / (3.0 * c.dissipation))));
  const T vslip = sqrt(vtangent.squaredNorm() + c.constant_contact_force);
  const T vrel = vslip / c.transition_velocity;
  const T capped = vrel < T(1.0) ? vrel : T(1.0);  // std::min(vrel, 1) as Simbody
  const T ff = fhc_smooth * (capped * (c.dynamic_friction + 2.0 * (c.static_friction - c.dynamic_friction) /
                                                             (1.0 + vrel * vrel)) +
                             c.viscous_friction * vslip);
  // Simbody's `force` acts on the half space; the sphere receives its negative.
  const Vec3T<T> on_half_space = normal * fhc_smooth + vtangent * (ff / vslip);
  return {-on_half_space, point};
}

// The generalized forces tau (nq) that give accelerations udot at (q, u) under gravity and the
// contact forces (written to `contact` when not null, mb.contacts.size() entries).
template <class T>
void inverse_dynamics_full_t(const MultibodyT& mb, const T* q, const T* u, const T* udot, T* tau,
                             ContactForceT<T>* contact);

// The generalized forces tau (mb.nu) that give accelerations udot at (q, u) (mb.nu
// independent coordinates each) under gravity and the contact forces (written to `contact` when
// not null, mb.contacts.size() entries).
template <class T>
void inverse_dynamics_t(const MultibodyT& mb, const T* q, const T* u, const T* udot, T* tau,
                        ContactForceT<T>* contact = nullptr) {
  constexpr int kMax = 48;
  if (mb.couplers.empty() && mb.nu == mb.nq) {
    inverse_dynamics_full_t<T>(mb, q, u, udot, tau, contact);
    return;
  }
  std::array<T, kMax> qf, uf, af, tf;
  for (int j = 0; j < mb.nu; ++j) {
    const int k = mb.independent[static_cast<size_t>(j)];
    qf[static_cast<size_t>(k)] = q[j];
    uf[static_cast<size_t>(k)] = u[j];
    af[static_cast<size_t>(k)] = udot[j];
  }
  std::array<T, 8> fprime;
  for (std::size_t c = 0; c < mb.couplers.size(); ++c) {
    const MultibodyT::CouplerT& C = mb.couplers[c];
    const size_t d = static_cast<size_t>(C.dependent), i = static_cast<size_t>(C.independent);
    T s, ds, dds;
    detail::function_t<T>(mb.functions[static_cast<size_t>(C.function)], qf[i], s, ds, dds);
    qf[d] = s;
    uf[d] = ds * uf[i];
    af[d] = dds * (uf[i] * uf[i]) + ds * af[i];
    fprime[c] = ds;
  }
  inverse_dynamics_full_t<T>(mb, qf.data(), uf.data(), af.data(), tf.data(), contact);
  for (std::size_t c = 0; c < mb.couplers.size(); ++c) {
    const MultibodyT::CouplerT& C = mb.couplers[c];
    tf[static_cast<size_t>(C.independent)] += fprime[c] * tf[static_cast<size_t>(C.dependent)];
  }
  for (int j = 0; j < mb.nu; ++j) tau[j] = tf[static_cast<size_t>(mb.independent[static_cast<size_t>(j)])];
}

// The recursion over all mb.nq model coordinates (dependent ones given).
template <class T>
void inverse_dynamics_full_t(const MultibodyT& mb, const T* q, const T* u, const T* udot, T* tau,
                             ContactForceT<T>* contact) {
  using detail::cross;
  const std::size_t nb = mb.bodies.size();
  // Per body, in ground: rotation, origin, angular velocity and acceleration, origin velocity
  // and acceleration; then the net force and moment about ground's origin the body needs.
  constexpr int kMaxBodies = 64;
  std::array<Mat3T<T>, kMaxBodies> R;
  std::array<Vec3T<T>, kMaxBodies> o, w, v, al, a, f, n;
  R[0].setIdentity();
  o[0].setZero();
  w[0].setZero();
  v[0].setZero();
  al[0].setZero();
  a[0].setZero();
  for (int k = 0; k < mb.nq; ++k) tau[k] = T(0.0);
  // Per joint, kept for the inward pass: joint axes in ground and M's origin.
  std::array<std::array<Vec3T<T>, 6>, kMaxBodies> axis_world;
  std::array<Vec3T<T>, kMaxBodies> oM;
  for (std::size_t j = 0; j < mb.joints.size(); ++j) {
    const MultibodyT::JointT& J = mb.joints[j];
    const int p = J.parent, i = J.child;
    // Frame F, fixed in the parent.
    const Mat3T<T> RF = R[p] * detail::lift<T>(J.R_parent_F);
    const Vec3T<T> r = R[p] * detail::lift<T>(J.p_parent_F);
    const Vec3T<T> oF = o[p] + r;
    const Vec3T<T> vF = v[p] + cross<T>(w[p], r);
    const Vec3T<T> aF = a[p] + cross<T>(al[p], r) + cross<T>(w[p], cross<T>(w[p], r));
    // Axis values and rates (OpenSim's TransformAxis: s = f(q), here linear).
    std::array<T, 6> s, sd, sdd;
    for (int k = 0; k < 6; ++k) {
      const MultibodyT::Axis& ax = J.axes[static_cast<size_t>(k)];
      if (ax.coordinate < 0) {
        s[k] = T(ax.intercept);
        sd[k] = T(0.0);
        sdd[k] = T(0.0);
      } else if (ax.function >= 0) {
        const T& qc = q[ax.coordinate];
        const T& uc = u[ax.coordinate];
        T ds, dds;
        detail::function_t<T>(mb.functions[static_cast<size_t>(ax.function)], qc, s[k], ds, dds);
        sd[k] = ds * uc;
        sdd[k] = dds * (uc * uc) + ds * udot[ax.coordinate];
      } else {
        s[k] = ax.slope * q[ax.coordinate] + ax.intercept;
        sd[k] = ax.slope * u[ax.coordinate];
        sdd[k] = ax.slope * udot[ax.coordinate];
      }
    }
    // Rotations about axes in the successively rotated frame: R_F_M = R1 R2 R3.
    const Mat3T<T> R1 = detail::rotation<T>(J.axes[0].axis, s[0]);
    const Mat3T<T> R12 = R1 * detail::rotation<T>(J.axes[1].axis, s[1]);
    const Mat3T<T> RFM = R12 * detail::rotation<T>(J.axes[2].axis, s[2]);
    const Vec3T<T> e1 = detail::lift<T>(J.axes[0].axis), e2 = R1 * detail::lift<T>(J.axes[1].axis),
                   e3 = R12 * detail::lift<T>(J.axes[2].axis);  // in F
    const Vec3T<T> w1 = e1 * sd[0], w2 = e2 * sd[1], w3 = e3 * sd[2];
    const Vec3T<T> w_rel = w1 + w2 + w3;
    const Vec3T<T> al_rel = e1 * sdd[0] + e2 * sdd[1] + e3 * sdd[2] + cross<T>(w1, w2) + cross<T>(Vec3T<T>(w1 + w2), w3);
    Vec3T<T> p_rel = Vec3T<T>::Zero(), pd_rel = Vec3T<T>::Zero(), pdd_rel = Vec3T<T>::Zero();
    for (int k = 3; k < 6; ++k) {
      const Vec3T<T> ek = detail::lift<T>(J.axes[static_cast<size_t>(k)].axis);
      p_rel += ek * s[k];
      pd_rel += ek * sd[k];
      pdd_rel += ek * sdd[k];
    }
    axis_world[j] = {RF * e1, RF * e2, RF * e3, RF * detail::lift<T>(J.axes[3].axis),
                     RF * detail::lift<T>(J.axes[4].axis), RF * detail::lift<T>(J.axes[5].axis)};
    // Frame M in ground.
    const Vec3T<T> P = RF * p_rel, Pd = RF * pd_rel, Pdd = RF * pdd_rel, W = RF * w_rel;
    const Mat3T<T> RM = RF * RFM;
    oM[j] = oF + P;
    const Vec3T<T> wM = w[p] + W;
    const Vec3T<T> vM = vF + cross<T>(w[p], P) + Pd;
    const Vec3T<T> alM = al[p] + RF * al_rel + cross<T>(w[p], W);
    const Vec3T<T> aM = aF + cross<T>(al[p], P) + cross<T>(w[p], cross<T>(w[p], P)) + 2.0 * cross<T>(w[p], Pd) + Pdd;
    // The child body's frame: M sits at p_child_M, rotated R_child_M, in the body.
    R[i] = RM * detail::lift<T>(Mat3(J.R_child_M.transpose()));
    const Vec3T<T> d = -(R[i] * detail::lift<T>(J.p_child_M));
    o[i] = oM[j] + d;
    w[i] = wM;
    v[i] = vM + cross<T>(wM, d);
    al[i] = alM;
    a[i] = aM + cross<T>(alM, d) + cross<T>(wM, cross<T>(wM, d));
  }
  // Newton-Euler per body: force m (a_c - g), moment about the centre of mass I al + w x I w.
  const Vec3T<T> g = detail::lift<T>(mb.gravity);
  f[0].setZero();
  n[0].setZero();
  for (std::size_t i = 1; i < nb; ++i) {
    const MultibodyT::BodyT& B = mb.bodies[i];
    const Vec3T<T> c = R[i] * detail::lift<T>(B.com);
    const Vec3T<T> ac = a[i] + cross<T>(al[i], c) + cross<T>(w[i], cross<T>(w[i], c));
    const Mat3T<T> Iw = R[i] * detail::lift<T>(B.inertia) * R[i].transpose();
    f[i] = B.mass * (ac - g);
    n[i] = Iw * al[i] + cross<T>(w[i], Vec3T<T>(Iw * w[i])) + cross<T>(Vec3T<T>(o[i] + c), f[i]);
  }
  for (std::size_t k = 0; k < mb.contacts.size(); ++k) {
    const MultibodyT::ContactT& c = mb.contacts[k];
    const ContactForceT<T> cf = smooth_sphere_half_space_force<T>(c, R[c.body], o[c.body], w[c.body], v[c.body]);
    f[c.body] -= cf.force;
    n[c.body] -= cross<T>(cf.point, cf.force);
    if (contact) contact[k] = cf;
  }
  // Inward pass: each joint carries its subtree's force; its coordinates take the power-
  // conjugate components (rotation axes against the moment about M's origin, translations
  // against the force).
  for (std::size_t j = mb.joints.size(); j-- > 0;) {
    const MultibodyT::JointT& J = mb.joints[j];
    const int p = J.parent, i = J.child;
    const Vec3T<T> nM = n[i] - cross<T>(oM[j], f[i]);
    for (int k = 0; k < 6; ++k) {
      const MultibodyT::Axis& ax = J.axes[static_cast<size_t>(k)];
      if (ax.coordinate < 0) continue;
      const T proj = k < 3 ? axis_world[j][static_cast<size_t>(k)].dot(nM) : axis_world[j][static_cast<size_t>(k)].dot(f[i]);
      if (ax.function >= 0) {
        // ds/dq once more (cheaper than keeping a T per axis for every joint).
        T s, ds, dds;
        detail::function_t<T>(mb.functions[static_cast<size_t>(ax.function)], q[ax.coordinate], s, ds, dds);
        tau[ax.coordinate] += ds * proj;
      } else
        tau[ax.coordinate] += ax.slope * proj;
    }
    f[p] += f[i];
    n[p] += n[i];
  }
}

}  // namespace femur::ocp
