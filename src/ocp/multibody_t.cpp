// The model's tree and contact, in the form the templated recursion reads (multibody_t.hpp).
#include "femur/ocp/multibody_t.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <variant>

#include <fmt/format.h>

namespace femur::ocp {

namespace {
// Body-fixed X-Y-Z rotation of OpenSim's orientation properties.
Mat3 body_fixed_xyz(const Vec3& angles) {
  return (Eigen::AngleAxisd(angles.x(), Vec3::UnitX()) * Eigen::AngleAxisd(angles.y(), Vec3::UnitY()) *
          Eigen::AngleAxisd(angles.z(), Vec3::UnitZ()))
      .toRotationMatrix();
}
}  // namespace

bool taylor4_supported(const Function& f) {
  switch (f.kind()) {
    case FunctionKind::Constant:
    case FunctionKind::Linear:
    case FunctionKind::Polynomial:
    case FunctionKind::SimmSpline:
    case FunctionKind::NaturalCubicSpline: return true;
    case FunctionKind::Multiplier: return f.inner() && taylor4_supported(*f.inner());
    default: return false;
  }
}

void taylor4(const Function& f, double x, double* c) {
  for (int k = 0; k < 5; ++k) c[k] = 0.0;
  switch (f.kind()) {
    case FunctionKind::Constant: c[0] = f.value(x); return;
    case FunctionKind::Linear:
      c[0] = f.value(x);
      c[1] = f.parameters()[0];
      return;
    case FunctionKind::Polynomial: {
      // Repeated synthetic division by (t - x): the k-th remainder is the k-th Taylor
      // coefficient (coefficients highest power first, as OpenSim's PolynomialFunction).
      const std::vector<double>& p = f.parameters();
      std::array<double, 32> a{};
      int m = static_cast<int>(std::min<std::size_t>(p.size(), a.size()));
      for (int i = 0; i < m; ++i) a[static_cast<size_t>(i)] = p[p.size() - static_cast<size_t>(m) + static_cast<size_t>(i)];
      for (int k = 0; k < 5 && m > 0; ++k) {
        for (int i = 1; i < m; ++i) a[static_cast<size_t>(i)] += x * a[static_cast<size_t>(i - 1)];
        c[k] = a[static_cast<size_t>(m - 1)];
        --m;
      }
      return;
    }
    case FunctionKind::SimmSpline:
    case FunctionKind::NaturalCubicSpline: {
      const FunctionValue v = f.evaluate(x);
      c[0] = v.f;
      c[1] = v.df;
      c[2] = 0.5 * v.ddf;
      // The third derivative is constant on the knot interval holding x (the second derivative
      // is linear there): from two points inside it. Outside the knots the end cubic continues.
      const std::vector<double>& k = f.x();
      if (k.size() >= 2) {
        std::size_t i = static_cast<std::size_t>(std::upper_bound(k.begin(), k.end(), x) - k.begin());
        i = std::clamp<std::size_t>(i, 1, k.size() - 1);
        const double a = k[i - 1], b = k[i];
        const double xa = a + 0.25 * (b - a), xb = a + 0.75 * (b - a);
        c[3] = (f.evaluate(xb).ddf - f.evaluate(xa).ddf) / (xb - xa) / 6.0;
      }
      return;
    }
    case FunctionKind::Multiplier: {
      taylor4(*f.inner(), x, c);
      const double s = f.parameters()[0];
      for (int k = 0; k < 5; ++k) c[k] *= s;
      return;
    }
    default: throw std::invalid_argument(std::string("no Taylor expansion for a ") + f.kind_name());
  }
}

MultibodyT make_multibody_t(const Model& model) {
  MultibodyT mb;
  mb.nq = model.nq;
  mb.gravity = model.gravity;
  if (model.nq > 48) throw std::invalid_argument("optimal control with implicit dynamics: more than 48 coordinates");
  mb.reduced.assign(static_cast<size_t>(model.nq), 0);
  for (const CouplerConstraint& c : model.couplers) {
    if (c.independent.size() != 1 || c.function < 0)
      throw std::invalid_argument("optimal control with implicit dynamics: coupler '" + c.name +
                                  "' must have one independent coordinate and a function");
    const Function& f = model.functions[static_cast<size_t>(c.function)];
    if (!taylor4_supported(f))
      throw std::invalid_argument("optimal control with implicit dynamics: coupler '" + c.name + "' uses a " +
                                  f.kind_name() + " (not supported)");
    mb.reduced[static_cast<size_t>(c.dependent)] = -1;
    mb.functions.push_back(f);
    mb.couplers.push_back({c.dependent, c.independent[0], static_cast<int>(mb.functions.size()) - 1});
  }
  for (const MultibodyT::CouplerT& c : mb.couplers)
    if (mb.reduced[static_cast<size_t>(c.independent)] < 0)
      throw std::invalid_argument("optimal control with implicit dynamics: a coupler's independent coordinate '" +
                                  model.coordinates[static_cast<size_t>(c.independent)].name + "' is itself coupled");
  for (int k = 0; k < model.nq; ++k)
    if (mb.reduced[static_cast<size_t>(k)] >= 0) {
      mb.reduced[static_cast<size_t>(k)] = static_cast<int>(mb.independent.size());
      mb.independent.push_back(k);
    }
  mb.nu = static_cast<int>(mb.independent.size());
  if (model.bodies.size() > 64) throw std::invalid_argument("optimal control with implicit dynamics: more than 64 bodies");
  for (const Body& b : model.bodies) mb.bodies.push_back({b.mass, b.com_in_body, b.inertia_about_com});
  for (const Joint& j : model.joints) {
    MultibodyT::JointT J;
    J.parent = j.parent_body;
    J.child = j.child_body;
    J.R_parent_F = j.X_parent_F.R;
    J.p_parent_F = j.X_parent_F.p;
    J.R_child_M = j.X_child_M.R;
    J.p_child_M = j.X_child_M.p;
    for (int k = 0; k < 6; ++k) {
      const TransformAxis& a = j.axes[static_cast<size_t>(k)];
      MultibodyT::Axis& out = J.axes[static_cast<size_t>(k)];
      out.axis = a.axis;
      if (a.coordinate < 0) {
        out.intercept = a.constant_value;
      } else if (a.linear) {
        out.coordinate = a.coordinate;
        out.slope = a.slope;
        out.intercept = a.intercept;
      } else {
        const Function& f = model.functions[static_cast<size_t>(a.function)];
        if (!taylor4_supported(f))
          throw std::invalid_argument(fmt::format(
              "optimal control with implicit dynamics: joint '{}' axis {} is a {} of '{}' (supported: linear, "
              "polynomial, spline and multiplier functions)",
              j.name, k + 1, f.kind_name(), model.coordinates[static_cast<size_t>(a.coordinate)].name));
        out.coordinate = a.coordinate;
        mb.functions.push_back(f);
        out.function = static_cast<int>(mb.functions.size()) - 1;
      }
    }
    mb.joints.push_back(J);
  }
  for (const ForceElement& f : model.forces) {
    const auto* s = std::get_if<SmoothSphereHalfSpaceForce>(&f.part);
    if (!s || !f.applies_force) continue;
    const ContactGeometry& sphere = model.contact_geometry.at(static_cast<size_t>(s->sphere));
    const ContactGeometry& half = model.contact_geometry.at(static_cast<size_t>(s->half_space));
    if (sphere.kind != ContactGeometry::Kind::Sphere || half.kind != ContactGeometry::Kind::HalfSpace)
      throw std::invalid_argument("SmoothSphereHalfSpaceForce '" + f.name + "' does not join a sphere and a half space");
    if (half.body != 0)
      throw std::invalid_argument("SmoothSphereHalfSpaceForce '" + f.name + "': the half space is not on ground");
    if (!(s->dissipation > 0.0))
      throw std::invalid_argument("SmoothSphereHalfSpaceForce '" + f.name + "': dissipation must be positive");
    MultibodyT::ContactT c;
    c.name = f.name;
    c.body = sphere.body;
    c.location = sphere.location;
    c.radius = sphere.radius;
    // Simbody: the contact normal is the half space frame's x axis (pointing into it).
    c.normal = body_fixed_xyz(half.orientation) * Vec3::UnitX();
    c.plane_point = half.location;
    c.stiffness = s->stiffness;
    c.dissipation = s->dissipation;
    c.static_friction = s->static_friction;
    c.dynamic_friction = s->dynamic_friction;
    c.viscous_friction = s->viscous_friction;
    c.transition_velocity = s->transition_velocity;
    c.constant_contact_force = s->constant_contact_force;
    c.hertz_smoothing = s->hertz_smoothing;
    c.hunt_crossley_smoothing = s->hunt_crossley_smoothing;
    mb.contacts.push_back(c);
  }
  return mb;
}

}  // namespace femur::ocp
