// Model::scale as OpenSim 4 runs it (OpenSim/Simulation/Model/Model.cpp `scale`), in its
// order: (1) the default configuration and every geometry path's length there (preScale);
// (2) each component scales itself with the factors of the body it is fixed to (scale);
// (3) masses and inertias (Body::scaleInertialProperties), then the subject mass;
// (4) muscles rescale their fiber and tendon lengths by the path length ratio (postScale).
// The result is rebuilt through ModelBuilder, so every derived field is recomputed the way
// the reader's model got it.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "femur/kinematics/couplers.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/model/data.hpp"
#include "femur/model/model_builder.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/muscle_parameters.hpp"
#include "femur/muscle/wrap_geometry.hpp"
#include "femur/tools/scale.hpp"

namespace femur::tools {

namespace {

// SimTK::isNumericallyEqual with the default tolerance SignificantReal = eps^(7/8)
// (SimTKcommon Scalar.h, NTraits<double>::getSignificant).
bool numerically_equal(double a, double b) {
  const double tol = std::pow(std::numeric_limits<double>::epsilon(), 7.0 / 8.0);
  const double scale = std::max({std::abs(a), std::abs(b), 1.0});
  return std::abs(a - b) <= scale * tol;
}

// Body::scaleInertialProperties(scaleFactors, scaleMass) (OpenSim/Simulation/SimbodyEngine/
// Body.cpp): equal factors scale the inertia by s^2 (and by the mass factor); unequal ones
// treat the body as a cylinder about its smallest principal moment, whose radius and length
// are rescaled; products are scaled by the two factors of their axes.
void scale_inertial_properties(Body& body, const Vec3& s, bool scale_mass) {
  const double unscaled_mass = body.mass;
  const double mass_factor = std::abs(s[0] * s[1] * s[2]);
  if (scale_mass) body.mass *= mass_factor;
  Mat3 I = body.inertia_about_com;
  if (body.mass <= std::numeric_limits<double>::epsilon()) {
    I.setZero();
  } else if (numerically_equal(s[0], s[1]) && numerically_equal(s[1], s[2])) {
    if (scale_mass) I *= mass_factor;
    I *= s[0] * s[0];
  } else {
    int axis = 2;  // the smallest diagonal term is the cylinder's axis
    if (I(0, 0) <= I(1, 1)) axis = I(0, 0) <= I(2, 2) ? 0 : 2;
    else axis = I(1, 1) <= I(2, 2) ? 1 : 2;
    // I_axis = m r^2 / 2; I_other = m l^2 / 12 + m r^2 / 4 (about the centre of mass).
    double term = 2.0 * I(axis, axis) / unscaled_mass;
    const double radius = term < 0.0 ? 0.0 : std::sqrt(term);
    const int other = axis == 0 ? 1 : 0;
    term = 12.0 * (I(other, other) - 0.25 * unscaled_mass * radius * radius) / unscaled_mass;
    double length = term < 0.0 ? 0.0 : std::sqrt(term);
    length *= s[axis];
    const int a1 = axis == 0 ? 1 : 0, a2 = axis == 2 ? 1 : 2;
    const double r2 = radius * s[a1] * radius * s[a2];
    const double m = body.mass;
    for (int d = 0; d < 3; ++d) I(d, d) = d == axis ? 0.5 * m * r2 : m * (length * length / 12.0 + 0.25 * r2);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c)
        if (r != c) I(r, c) *= s[r] * s[c] * (scale_mass ? mass_factor : 1.0);
  }
  body.inertia_about_com = I;
}

// MultiplierFunction(f, factor), or f's own multiplier updated when f already is one
// (SpatialTransform::scale, MovingPathPoint::extendScale).
Function multiplied(const Function& f, double factor) {
  if (f.kind() == FunctionKind::Multiplier) return Function::multiplier(*f.inner(), f.parameters()[0] * factor);
  return Function::multiplier(f, factor);
}

// Wrap-object sizes (WrapCylinder/WrapEllipsoid/WrapSphere/WrapTorus extendScale): the
// object's own axes in the body frame, scaled element-wise, give its scale per axis.
void scale_wrap_object(WrapObject& w, const Vec3& s) {
  const Mat3 R = body_fixed_xyz(w.xyz_body_rotation);
  const Vec3 axis_scale(R.col(0).cwiseProduct(s).norm(), R.col(1).cwiseProduct(s).norm(),
                        R.col(2).cwiseProduct(s).norm());
  w.translation = w.translation.cwiseProduct(s);
  switch (w.kind) {
    case WrapSurface::Kind::Cylinder:
      w.radius *= 0.5 * (axis_scale[0] + axis_scale[1]);
      w.length *= axis_scale[2];
      break;
    case WrapSurface::Kind::Sphere: w.radius *= s.sum() / 3.0; break;
    case WrapSurface::Kind::Ellipsoid: w.dimensions = w.dimensions.cwiseProduct(axis_scale); break;
    case WrapSurface::Kind::Torus: {
      const double xy = 0.5 * (axis_scale[0] + axis_scale[1]);
      w.inner_radius *= xy;
      w.outer_radius *= xy;
      break;
    }
  }
}

// Default configuration (Model::applyDefaultConfiguration: default values, then assembled,
// which for femur's models means the couplers applied).
Eigen::VectorXd default_pose(const Model& model) {
  Eigen::VectorXd q = model.default_q();
  apply_couplers(model, q);
  return q;
}

// Length of every geometry path at the default pose, -1 for forces without a path.
std::vector<double> default_path_lengths(const Model& model) {
  std::vector<double> lengths(model.forces.size(), -1.0);
  const PathSet& paths = model.paths;
  if (paths.size() == 0) return lengths;
  Data data(model);
  PathData out(model, paths);
  const Eigen::VectorXd q = default_pose(model);
  forward_kinematics(model, data, q);
  compute_path_lengths(model, paths, data, q, out);
  for (int p = 0; p < paths.size(); ++p) lengths[paths.paths[p].force] = out.length[p];
  return lengths;
}

// ActivationFiberLengthMuscle::extendPostScale (also Millard2012EquilibriumMuscle and
// DeGrooteFregly2016Muscle, and Schutte1993Muscle_Deprecated): l0 and lTs times
// L_after / L_before; PathSpring: resting_length likewise. An element femur does not model
// keeps its properties as read.
void post_scale(ForceElement& force, double ratio) {
  if (auto* m = std::get_if<MuscleParameters>(&force.part)) {
    m->optimal_fiber_length *= ratio;
    m->tendon_slack_length *= ratio;
  } else if (auto* s = std::get_if<Schutte1993Muscle>(&force.part)) {
    s->optimal_fiber_length *= ratio;
    s->tendon_slack_length *= ratio;
  } else if (auto* p = std::get_if<PathSpring>(&force.part)) {
    p->resting_length *= ratio;
  }
}

}  // namespace

Model rebuild_model(const Model& m) {
  ModelBuilder b;
  b.set_name(m.name);
  b.set_source_file(m.source_file);
  b.set_gravity(m.gravity);
  b.set_ground_name(m.bodies[0].name);
  const auto body_name = [&](int body) { return m.bodies[body].name; };
  for (size_t i = 1; i < m.bodies.size(); ++i) {
    const Body& body = m.bodies[i];
    b.add_body({body.name, body.mass, body.com_in_body, body.inertia_about_com, ""});
  }
  for (const Joint& joint : m.joints) {
    JointSpec js;
    js.name = joint.name;
    js.type = joint.type;
    js.parent_body = body_name(joint.parent_body);
    js.child_body = body_name(joint.child_body);
    js.X_parent_F = joint.X_parent_F;
    js.X_child_M = joint.X_child_M;
    for (int k = 0; k < joint.nq; ++k) js.coordinates.push_back(m.coordinates[joint.q_start + k]);
    if (joint.type == JointType::Custom)
      for (int a = 0; a < 6; ++a) {
        const TransformAxis& axis = joint.axes[a];
        js.axes[a].axis = axis.axis;
        js.axes[a].function = m.functions[axis.function];
        js.axes[a].coordinate = axis.coordinate >= 0 ? m.coordinates[axis.coordinate].name : "";
      }
    b.add_joint(std::move(js));
  }
  for (const CouplerConstraint& c : m.couplers) {
    CouplerSpec cs;
    cs.name = c.name;
    cs.dependent = m.coordinates[c.dependent].name;
    for (int k : c.independent) cs.independent.push_back(m.coordinates[k].name);
    cs.function = m.functions[c.function];
    b.add_coupler(std::move(cs));
  }
  for (const OtherConstraint& c : m.other_constraints) b.add_other_constraint(c);
  for (const Marker& marker : m.markers) b.add_marker({marker.name, body_name(marker.body), marker.location_in_body, marker.fixed, ""});
  for (const WrapObject& w : m.wrap_objects) b.add_wrap_object(w, NameRef{body_name(w.body)});
  for (const ContactGeometry& g : m.contact_geometry) b.add_contact_geometry(g, NameRef{body_name(g.body)});
  for (const ForceElement& f : m.forces) b.add_force(force_spec(m, f, b));
  for (const Controller& c : m.controllers) {
    Controller copy = c;
    std::vector<NameRef> actuators;
    for (int k : c.actuators) actuators.push_back(NameRef{m.forces[k].name});
    if (auto* p = std::get_if<PrescribedController>(&copy.part))
      for (int& fi : p->control_functions) fi = b.add_function(m.functions[fi]);
    b.add_controller(std::move(copy), std::move(actuators));
  }
  return std::move(b).build();
}

ScaledModel scale_model(const Model& model, const std::vector<Vec3>& factors, const ModelScaleOptions& options) {
  if (factors.size() != model.bodies.size())
    throw std::invalid_argument(fmt::format("scale_model: {} scale factors for {} bodies (ground included)",
                                            factors.size(), model.bodies.size()));
  for (size_t b = 0; b < factors.size(); ++b)
    if (!factors[b].allFinite())
      throw std::invalid_argument("scale_model: scale factors of body '" + model.bodies[b].name + "' are not finite");

  // (1) preScale: path lengths at the default configuration.
  const std::vector<double> before = default_path_lengths(model);

  // (2) scale: every body-fixed length by its body's factors.
  Model m = model;
  for (size_t b = 1; b < m.bodies.size(); ++b) m.bodies[b].com_in_body = m.bodies[b].com_in_body.cwiseProduct(factors[b]);
  for (Joint& joint : m.joints) {
    // PhysicalOffsetFrame::extendScale: the offset frame's translation by its body's factors.
    const Vec3& sp = factors[joint.parent_body];
    joint.X_parent_F.p = joint.X_parent_F.p.cwiseProduct(sp);
    joint.X_child_M.p = joint.X_child_M.p.cwiseProduct(factors[joint.child_body]);
    if (joint.type != JointType::Custom) continue;
    // CustomJoint::extendScale -> SpatialTransform::scale with the parent body's factors:
    // translation axes only, a LinearFunction(1, 0) (a translational degree of freedom) left
    // alone, the factor |axis| . s (SpatialTransform.cpp, issue #3991).
    for (int a = 3; a < 6; ++a) {
      TransformAxis& axis = joint.axes[a];
      const Function& f = m.functions[axis.function];
      if (f.kind() == FunctionKind::Linear && f.parameters()[0] == 1.0 && f.parameters()[1] == 0.0) continue;
      m.functions[axis.function] = multiplied(f, axis.axis.cwiseAbs().dot(sp));
    }
  }
  for (Marker& marker : m.markers) marker.location_in_body = marker.location_in_body.cwiseProduct(factors[marker.body]);
  for (ForceElement& force : m.forces) {
    GeometryPath* path = force.geometry_path();
    if (!path) continue;
    for (PathPoint& p : path->points) {
      const Vec3& s = factors[p.body];
      if (p.kind != PathPoint::Kind::Moving) {
        p.location = p.location.cwiseProduct(s);
        continue;
      }
      // MovingPathPoint::scale: each coordinate-driven function times its axis factor.
      for (int d = 0; d < 3; ++d)
        if (p.moving_functions[d] >= 0 && p.coordinate >= 0)
          m.functions[p.moving_functions[d]] = multiplied(m.functions[p.moving_functions[d]], s[d]);
    }
  }
  for (WrapObject& w : m.wrap_objects) scale_wrap_object(w, factors[w.body]);

  // (3) Inertial properties, then the subject's mass (Model::scale, Body::scaleMass).
  for (size_t b = 1; b < m.bodies.size(); ++b)
    scale_inertial_properties(m.bodies[b], factors[b], !options.preserve_mass_distribution);
  if (options.subject_mass > 0.0) {
    double total = 0.0;
    for (size_t b = 1; b < m.bodies.size(); ++b) total += m.bodies[b].mass;
    if (total > 0.0) {
      const double k = options.subject_mass / total;
      for (size_t b = 1; b < m.bodies.size(); ++b) {
        m.bodies[b].mass *= k;
        m.bodies[b].inertia_about_com *= k;
      }
    }
  }

  ScaledModel out;
  out.model = rebuild_model(m);

  // (4) postScale: lengths in the scaled model at the same default configuration.
  const std::vector<double> after = default_path_lengths(out.model);
  for (size_t f = 0; f < out.model.forces.size(); ++f) {
    if (before[f] < 0.0) continue;
    out.paths.push_back({out.model.forces[f].name, before[f], after[f]});
    if (before[f] > 0.0) post_scale(out.model.forces[f], after[f] / before[f]);
  }
  return out;
}

}  // namespace femur::tools
