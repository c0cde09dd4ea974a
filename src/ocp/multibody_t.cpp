// The model's tree and contact, in the form the templated recursion reads (multibody_t.hpp).
#include "femur/ocp/multibody_t.hpp"

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

MultibodyT make_multibody_t(const Model& model) {
  MultibodyT mb;
  mb.nq = model.nq;
  mb.gravity = model.gravity;
  if (!model.couplers.empty())
    throw std::invalid_argument("optimal control with implicit dynamics: the model has coupler constraints (not supported)");
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
        throw std::invalid_argument(fmt::format(
            "optimal control with implicit dynamics: joint '{}' axis {} is a nonlinear function of '{}' (only "
            "constant or linear transform axes are supported)",
            j.name, k + 1, model.coordinates[static_cast<size_t>(a.coordinate)].name));
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
