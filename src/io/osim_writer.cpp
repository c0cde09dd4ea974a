// .osim writer, OpenSim 4.0 layout (OPENSIM-NOTES.md 1.2), mirroring what OpenSim 4 itself
// writes (e.g. Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim):
//   <OpenSimDocument Version="40000"><Model name=...>
//     <Ground> (with the ground's WrapObjectSet), <gravity>, <BodySet>, <JointSet>,
//     <ControllerSet>, <ConstraintSet>, <ForceSet>, <MarkerSet>, <ContactGeometrySet>,
//     <ProbeSet>, <ComponentSet>
// Every set is <XSet name="xset"><objects>...</objects><groups/></XSet> (OpenSim/Common/Set.h).
// Each joint owns two PhysicalOffsetFrames in <frames>, "<parent body>_offset" and
// "<child body>_offset", and names them in socket_parent_frame / socket_child_frame
// (Joint.cpp); their `orientation` is the body-fixed X-Y-Z angles of the rotation.
// Coordinates sit inside their joint (<coordinates>), a CustomJoint's axes in its
// <SpatialTransform> (SpatialTransform.cpp, TransformAxis.cpp). Markers, path points and
// wrap objects are written in their body's own frame: the reader has already folded any
// offset frame they hung from into their location.
//
// Dropped on purpose (the Model does not hold them): display geometry (attached_geometry,
// FrameGeometry, Appearance), a coordinate's prescribed_function,
// constraints other than CoordinateCouplerConstraint (listed in an XML comment), the names
// of PathWraps (rewritten "<force>-wrap<k>"), offset frames that no joint uses, and probes
// (written as an empty set).
// Typed forces, contact geometry and controllers are written from their parts under their
// OpenSim 4 class and property names (osim_parts.cpp): every property the file gave, and any
// other whose value is not OpenSim's default (as OpenSim writes a property that is not at its
// default); forces found in a <components> list go to the ForceSet. An element femur does not
// model is written back as it was read.
#include "femur/io/osim_writer.hpp"
#include "femur/model/overload.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include <pugixml.hpp>

#include "femur/io/atomic_file.hpp"
#include "osim_parts.hpp"

namespace femur::io {
namespace {

// Numbers: osim::number_text (osim_parts.hpp), the shortest text that reads back as exactly
// the double.
std::string number(double v) { return osim::number_text(v); }

std::string numbers(const std::vector<double>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += ' ';
    s += number(v[i]);
  }
  return s;
}

std::string vec3(const Vec3& v) { return number(v.x()) + " " + number(v.y()) + " " + number(v.z()); }

const char* boolean(bool b) { return b ? "true" : "false"; }

pugi::xml_node element(pugi::xml_node parent, const char* name, const std::string& text = {}) {
  pugi::xml_node n = parent.append_child(name);
  if (!text.empty()) n.text().set(text.c_str());
  return n;
}

pugi::xml_node named(pugi::xml_node parent, const char* type, const std::string& name) {
  pugi::xml_node n = parent.append_child(type);
  n.append_attribute("name").set_value(name.c_str());
  return n;
}

// <XSet name="xset"><objects/><groups/></XSet>; returns <objects>. OpenSim 4 writes a
// JointSet without <groups> (as in every shipped 4.0 file).
pugi::xml_node add_set(pugi::xml_node parent, const char* type, const char* name, bool groups = true) {
  pugi::xml_node set = parent.append_child(type);
  if (name) set.append_attribute("name").set_value(name);
  pugi::xml_node objects = set.append_child("objects");
  if (groups) set.append_child("groups");
  return objects;
}

// XML comments may not contain "--" nor end with "-".
std::string comment_safe(std::string s) {
  for (std::size_t i = 0; (i = s.find("--", i)) != std::string::npos;) s.replace(i, 2, "- ");
  return s;
}

// One OpenSim Function element of `f`'s kind (OpenSim/Common/Constant.h, LinearFunction.h,
// PiecewiseLinearFunction.h, PiecewiseConstantFunction.h, SimmSpline.h, GCVSpline.h,
// PolynomialFunction.h, MultiplierFunction.h, Sine.h, StepFunction.h); the property names
// are the ones osim_functions.cpp reads. `name` is the 4.0 property-name attribute
// (e.g. "function" in a TransformAxis), or null inside a <property> wrapper.
void write_function(pugi::xml_node parent, const Function& f, const char* name) {
  pugi::xml_node e = parent.append_child(f.kind_name());
  if (name) e.append_attribute("name").set_value(name);
  const auto& p = f.parameters();
  switch (f.kind()) {
    case FunctionKind::Constant: element(e, "value", number(p[0])); break;
    case FunctionKind::Linear: element(e, "coefficients", numbers(p)); break;  // slope intercept
    case FunctionKind::PiecewiseLinear:
    case FunctionKind::PiecewiseConstant:
    case FunctionKind::SimmSpline:
    case FunctionKind::NaturalCubicSpline:
      element(e, "x", numbers(f.x()));
      element(e, "y", numbers(f.y()));
      break;
    case FunctionKind::GCVSpline:
      // GCVSpline.cpp: half_order m = (degree + 1) / 2, knots x, coefficients.
      element(e, "half_order", std::to_string((f.degree() + 1) / 2));
      element(e, "x", numbers(f.x()));
      element(e, "coefficients", numbers(p));
      break;
    case FunctionKind::Polynomial: element(e, "coefficients", numbers(p)); break;  // highest power first
    case FunctionKind::Multiplier:
      write_function(element(e, "function"), *f.inner(), nullptr);
      element(e, "scale", number(p[0]));
      break;
    case FunctionKind::Sine:
      element(e, "amplitude", number(p[0]));
      element(e, "omega", number(p[1]));
      element(e, "phase", number(p[2]));
      element(e, "offset", number(p[3]));
      break;
    case FunctionKind::Step:
      element(e, "transition_start_time", number(p[0]));
      element(e, "transition_end_time", number(p[1]));
      element(e, "start_value", number(p[2]));
      element(e, "end_value", number(p[3]));
      break;
  }
}

// Properties kept as "name" or "Object/name" (osim_forces.cpp collect_properties) back into
// elements: each '/' opens a nested element, shared by the keys with the same prefix. The
// reader keeps no attributes; a nested object named after its class (a Millard muscle's
// <ActiveForceLengthCurve>, an unnamed property in OpenSim) gets the name OpenSim gives it,
// "<owner>_<Class>" (as in the shipped gait2392 Millard models).
void write_properties(pugi::xml_node parent, const std::map<std::string, std::string>& properties,
                      const std::string& owner) {
  for (const auto& [key, value] : properties) {
    pugi::xml_node node = parent;
    std::size_t start = 0;
    for (;;) {
      const std::size_t slash = key.find('/', start);
      const std::string part = key.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      if (part.empty())
        throw std::invalid_argument("cannot write property '" + key + "' of '" + owner + "': empty element name");
      if (slash == std::string::npos) {
        pugi::xml_node leaf = element(node, part.c_str(), value);
        // An empty object (<FiberForceLengthCurve/>: all defaults); "Af", "Flen" ... of
        // Thelen2003Muscle are capitalized numbers, not objects.
        if (value.empty() && std::isupper(static_cast<unsigned char>(part[0])))
          leaf.append_attribute("name").set_value((owner + "_" + part).c_str());
        break;
      }
      pugi::xml_node child = node.last_child();  // keys are sorted: a shared prefix is the last child
      if (!child || part != child.name() || child.first_child().type() == pugi::node_pcdata) {
        child = node.append_child(part.c_str());
        if (std::isupper(static_cast<unsigned char>(part[0])))
          child.append_attribute("name").set_value((owner + "_" + part).c_str());
      }
      node = child;
      start = slash + 1;
    }
  }
}

class Writer {
 public:
  explicit Writer(const Model& m) : m_(m) {}

  std::string write() {
    pugi::xml_document doc;
    pugi::xml_node decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version").set_value("1.0");
    decl.append_attribute("encoding").set_value("UTF-8");
    pugi::xml_node root = doc.append_child("OpenSimDocument");
    root.append_attribute("Version").set_value("40000");
    pugi::xml_node model = named(root, "Model", m_.name);
    model.append_child(pugi::node_comment)
        .set_value(" Written by femur (OpenSim 4.0 layout). Display geometry is not written. ");
    if (!m_.credits.empty()) element(model, "credits", m_.credits);
    if (!m_.publications.empty()) element(model, "publications", m_.publications);
    write_ground(model);
    element(model, "gravity", vec3(m_.gravity));
    element(model, "length_units", "meters");
    element(model, "force_units", "N");
    write_bodies(model);
    write_joints(model);
    write_controllers(model);
    write_constraints(model);
    write_forces(model);
    write_markers(model);
    write_contact_geometry(model);
    add_set(model, "ProbeSet", "probeset");
    add_set(model, "ComponentSet", "componentset");
    std::ostringstream out;
    doc.save(out, "\t", pugi::format_default, pugi::encoding_utf8);
    return out.str();
  }

 private:
  const std::string& ground() const { return m_.bodies[0].name; }
  // Component path of a body's frame: "/ground" or "/bodyset/<name>".
  std::string body_path(int body) const {
    return body == 0 ? "/" + ground() : "/bodyset/" + m_.bodies[body].name;
  }
  std::string coordinate_path(int q) const {
    const Coordinate& c = m_.coordinates[q];
    return "/jointset/" + m_.joints[c.joint].name + "/" + c.name;
  }

  void write_wrap_objects(pugi::xml_node owner, int body) const {
    pugi::xml_node objects = add_set(owner, "WrapObjectSet", "wrapobjectset");
    // WrapObject.cpp properties (OPENSIM-NOTES.md A.4), then the shape's own sizes.
    for (const WrapObject& w : m_.wrap_objects) {
      if (w.body != body) continue;
      pugi::xml_node e = named(objects, wrap_kind_name(w.kind), w.name);
      element(e, "active", boolean(w.active));
      element(e, "xyz_body_rotation", vec3(w.xyz_body_rotation));
      element(e, "translation", vec3(w.translation));
      element(e, "quadrant", wrap_quadrant_name(w.quadrant));
      switch (w.kind) {
        case WrapSurface::Kind::Cylinder:
          element(e, "length", number(w.length));
          element(e, "radius", number(w.radius));
          break;
        case WrapSurface::Kind::Sphere: element(e, "radius", number(w.radius)); break;
        case WrapSurface::Kind::Ellipsoid: element(e, "dimensions", vec3(w.dimensions)); break;
        case WrapSurface::Kind::Torus:
          element(e, "inner_radius", number(w.inner_radius));
          element(e, "outer_radius", number(w.outer_radius));
          break;
      }
    }
  }

  void write_ground(pugi::xml_node model) const {
    pugi::xml_node g = named(model, "Ground", ground());
    write_wrap_objects(g, 0);
  }

  void write_bodies(pugi::xml_node model) const {
    pugi::xml_node objects = add_set(model, "BodySet", "bodyset");
    for (std::size_t b = 1; b < m_.bodies.size(); ++b) {
      const Body& body = m_.bodies[b];
      pugi::xml_node e = named(objects, "Body", body.name);
      write_wrap_objects(e, static_cast<int>(b));
      element(e, "mass", number(body.mass));
      element(e, "mass_center", vec3(body.com_in_body));
      // Ixx Iyy Izz Ixy Ixz Iyz about the centre of mass, in the body frame (Body.cpp).
      const Mat3& I = body.inertia_about_com;
      element(e, "inertia", numbers({I(0, 0), I(1, 1), I(2, 2), I(0, 1), I(0, 2), I(1, 2)}));
    }
  }

  void write_coordinate(pugi::xml_node coordinates, const Coordinate& c) const {
    // Coordinate.cpp; motion_type is derived by OpenSim 4 (and by femur's builder), so it is
    // not written, as in OpenSim's own 4.0 files.
    pugi::xml_node e = named(coordinates, "Coordinate", c.name);
    element(e, "default_value", number(c.default_value));
    element(e, "default_speed_value", number(c.default_speed));
    element(e, "range", number(c.range_min) + " " + number(c.range_max));
    element(e, "clamped", boolean(c.clamped));
    element(e, "locked", boolean(c.locked));
    element(e, "prescribed", boolean(c.prescribed));
  }

  static void write_offset_frame(pugi::xml_node frames, const std::string& name, const std::string& parent,
                                 const Transform& X) {
    pugi::xml_node f = named(frames, "PhysicalOffsetFrame", name);
    element(f, "socket_parent", parent);
    element(f, "translation", vec3(X.p));
    element(f, "orientation", vec3(body_fixed_xyz_angles(X.R)));  // OPENSIM-NOTES 1.2
  }

  void write_joints(pugi::xml_node model) const {
    static const char* kAxisNames[6] = {"rotation1", "rotation2", "rotation3",
                                        "translation1", "translation2", "translation3"};
    pugi::xml_node objects = add_set(model, "JointSet", "jointset", false);
    for (const Joint& j : m_.joints) {
      pugi::xml_node e = named(objects, joint_type_name(j.type), j.name);
      const std::string parent_frame = m_.bodies[j.parent_body].name + "_offset";
      const std::string child_frame = m_.bodies[j.child_body].name + "_offset";
      element(e, "socket_parent_frame", parent_frame);
      element(e, "socket_child_frame", child_frame);
      if (j.nq > 0) {  // a WeldJoint has no <coordinates> (as OpenSim writes it)
        pugi::xml_node coordinates = element(e, "coordinates");
        for (int k = 0; k < j.nq; ++k) write_coordinate(coordinates, m_.coordinates[j.q_start + k]);
      }
      pugi::xml_node frames = element(e, "frames");
      write_offset_frame(frames, parent_frame, body_path(j.parent_body), j.X_parent_F);
      write_offset_frame(frames, child_frame, body_path(j.child_body), j.X_child_M);
      if (j.type != JointType::Custom) continue;  // standard joints: axes follow from the type
      pugi::xml_node st = element(e, "SpatialTransform");
      for (int a = 0; a < 6; ++a) {
        const TransformAxis& axis = j.axes[a];
        pugi::xml_node t = named(st, "TransformAxis", kAxisNames[a]);
        element(t, "coordinates", axis.coordinate >= 0 ? m_.coordinates[axis.coordinate].name : std::string());
        element(t, "axis", vec3(axis.axis));
        write_function(t, m_.functions[axis.function], "function");
      }
    }
  }

  void write_constraints(pugi::xml_node model) const {
    pugi::xml_node objects = add_set(model, "ConstraintSet", "constraintset");
    // CoordinateCouplerConstraint.cpp: q_dep = scale_factor * f(q_indep); a scale other than 1
    // is already a MultiplierFunction in the Model (osim_reader.cpp), so scale_factor is 1.
    for (const CouplerConstraint& c : m_.couplers) {
      pugi::xml_node e = named(objects, "CoordinateCouplerConstraint", c.name);
      element(e, "isEnforced", "true");
      write_function(element(e, "coupled_coordinates_function"), m_.functions[c.function], nullptr);
      std::string independent;
      for (int q : c.independent) independent += (independent.empty() ? "" : " ") + m_.coordinates[q].name;
      element(e, "independent_coordinate_names", independent);
      element(e, "dependent_coordinate_name", m_.coordinates[c.dependent].name);
      element(e, "scale_factor", "1");
    }
    for (const OtherConstraint& c : m_.other_constraints)
      objects.append_child(pugi::node_comment)
          .set_value(comment_safe(" " + c.type + " '" + c.name +
                                  "' not written: femur's Model does not hold its data ").c_str());
  }

  void write_path_point(pugi::xml_node objects, const PathPoint& p) const {
    // PathPoint.cpp, ConditionalPathPoint.cpp, MovingPathPoint.cpp (OPENSIM-NOTES.md A.1).
    static const char* kType[3] = {"PathPoint", "ConditionalPathPoint", "MovingPathPoint"};
    pugi::xml_node e = named(objects, kType[static_cast<int>(p.kind)], p.name);
    element(e, "socket_parent_frame", body_path(p.body));
    switch (p.kind) {
      case PathPoint::Kind::Fixed: element(e, "location", vec3(p.location)); break;
      case PathPoint::Kind::Conditional:
        element(e, "location", vec3(p.location));
        if (p.coordinate >= 0) element(e, "socket_coordinate", coordinate_path(p.coordinate));
        element(e, "range", number(p.range_min) + " " + number(p.range_max));
        break;
      case PathPoint::Kind::Moving: {
        static const char* kSocket[3] = {"socket_x_coordinate", "socket_y_coordinate", "socket_z_coordinate"};
        static const char* kFunction[3] = {"x_location", "y_location", "z_location"};
        // One coordinate drives all three (MovingPathPoint::extendConnectToModel).
        if (p.coordinate >= 0)
          for (const char* s : kSocket) element(e, s, coordinate_path(p.coordinate));
        for (int i = 0; i < 3; ++i)
          if (p.moving_functions[i] >= 0)
            write_function(element(e, kFunction[i]), m_.functions[p.moving_functions[i]], nullptr);
        break;
      }
    }
  }

  // An element femur keeps as read (ForceElement::xml and the like) appended to `objects`.
  static void write_xml(pugi::xml_node objects, const std::string& xml, const std::string& name) {
    pugi::xml_document fragment;
    if (!fragment.load_buffer(xml.data(), xml.size()) || !fragment.document_element())
      throw std::invalid_argument("cannot write '" + name + "': its stored XML does not parse");
    objects.append_copy(fragment.document_element());
  }

  template <class P>
  static void texts(const std::vector<osim::Property<P>>& table, const P& part, const P& defaults,
                    const std::vector<std::string>& given, std::map<std::string, std::string>& out) {
    std::vector<std::pair<std::string, std::string>> list;
    osim::property_texts(table, part, defaults, given, list);
    for (auto& [k, v] : list) out[k] = std::move(v);
  }

  void write_geometry_path(pugi::xml_node e, const ForceElement& f, const GeometryPath& gp) const {
    pugi::xml_node path = named(e, "GeometryPath", "geometrypath");
    pugi::xml_node points = add_set(path, "PathPointSet", nullptr);
    for (const PathPoint& p : gp.points) write_path_point(points, p);
    pugi::xml_node wraps = add_set(path, "PathWrapSet", nullptr);
    int k = 0;
    for (const PathWrap& w : gp.wraps) {
      // PathWrap.cpp: wrap_object, method, range (1-based, -1 = whole path).
      pugi::xml_node pw = named(wraps, "PathWrap", f.name + "-wrap" + std::to_string(++k));
      element(pw, "wrap_object", m_.wrap_objects[w.wrap_object].name);
      element(pw, "method", wrap_method_name(w.method));
      element(pw, "range", std::to_string(w.range_begin) + " " + std::to_string(w.range_end));
    }
  }

  void write_function_set(pugi::xml_node e, const char* name, const std::vector<int>& functions) const {
    pugi::xml_node set = named(e, "FunctionSet", name);
    pugi::xml_node objects = set.append_child("objects");
    for (int fi : functions) write_function(objects, m_.functions[fi], nullptr);
    set.append_child("groups");
  }

  void write_forces(pugi::xml_node model) const {
    pugi::xml_node objects = add_set(model, "ForceSet", "forceset");
    for (const ForceElement& f : m_.forces) {
      if (std::holds_alternative<std::monostate>(f.part)) {
        write_xml(objects, f.xml, f.name);
        continue;
      }
      pugi::xml_node e = named(objects, force_class_name(f).c_str(), f.name);
      // Force.cpp: 4.0 `appliesForce` (before, `isDisabled` with the opposite meaning).
      element(e, "appliesForce", boolean(f.applies_force));
      if (const GeometryPath* gp = f.geometry_path()) write_geometry_path(e, f, *gp);
      std::map<std::string, std::string> props;
      const auto coordinate = [&](int k) { props["coordinate"] = m_.coordinates[k].name; };
      const auto& g = f.given;
      std::visit(
          Overload{
              [&](const std::monostate&) {},
              [&](const MuscleParameters& p) {
                texts(osim::muscle_properties(), p, default_muscle_parameters(p.kind), g, props);
              },
              [&](const Schutte1993Muscle& p) { texts(osim::schutte_properties(), p, {}, g, props); },
              [&](const CoordinateActuator& p) {
                texts(osim::coordinate_actuator_properties(), p, {}, g, props);
                coordinate(p.coordinate);
              },
              [&](const ActivationCoordinateActuator& p) {
                texts(osim::activation_coordinate_actuator_properties(), p, {}, g, props);
                coordinate(p.coordinate);
              },
              [&](const PointActuator& p) {
                texts(osim::point_actuator_properties(), p, {}, g, props);
                props["body"] = m_.bodies[p.body].name;
              },
              [&](const TorqueActuator& p) {
                texts(osim::torque_actuator_properties(), p, {}, g, props);
                props["bodyA"] = m_.bodies[p.body_a].name;
                props["bodyB"] = m_.bodies[p.body_b].name;
              },
              [&](const PathActuator& p) { texts(osim::path_actuator_properties(), p, {}, g, props); },
              [&](const CoordinateLimitForce& p) {
                texts(osim::coordinate_limit_properties(), p, {}, g, props);
                coordinate(p.coordinate);
              },
              [&](const PathSpring& p) { texts(osim::path_spring_properties(), p, {}, g, props); },
              [&](const SpringGeneralizedForce& p) {
                texts(osim::spring_generalized_properties(), p, {}, g, props);
                coordinate(p.coordinate);
              },
              [&](const PointToPointSpring& p) {
                texts(osim::point_to_point_spring_properties(), p, {}, g, props);
                props["socket_body1"] = body_path(p.body1);
                props["socket_body2"] = body_path(p.body2);
              },
              [&](const ExpressionBasedCoordinateForce& p) {
                texts(osim::expression_force_properties(), p, {}, g, props);
                coordinate(p.coordinate);
              },
              [&](const PrescribedForce& p) {
                texts(osim::prescribed_force_properties(), p, {}, g, props);
                props["socket_frame"] = body_path(p.body);
              },
              [&](const SmoothSphereHalfSpaceForce& p) {
                texts(osim::smooth_sphere_properties(), p, {}, g, props);
                props["socket_sphere"] = "/contactgeometryset/" + m_.contact_geometry[p.sphere].name;
                props["socket_half_space"] = "/contactgeometryset/" + m_.contact_geometry[p.half_space].name;
              },
              [&](const HuntCrossleyForce& p) { texts(osim::hunt_crossley_properties(), p, {}, g, props); }},
          f.part);
      write_properties(e, props, f.name);
      // Objects and functions after the scalar properties.
      if (const auto* p = std::get_if<PrescribedForce>(&f.part)) {
        const auto triple = [&](const char* name, const std::array<int, 3>& fs) {
          if (fs[0] >= 0) write_function_set(e, name, {fs[0], fs[1], fs[2]});
        };
        triple("forceFunctions", p->force_functions);
        triple("pointFunctions", p->point_functions);
        triple("torqueFunctions", p->torque_functions);
      } else if (const auto* s = std::get_if<Schutte1993Muscle>(&f.part)) {
        const auto curve = [&](const char* name, int fi) {
          if (fi >= 0) write_function(element(e, name), m_.functions[fi], nullptr);
        };
        curve("tendon_force_length_curve", s->tendon_force_length_curve);
        curve("active_force_length_curve", s->active_force_length_curve);
        curve("passive_force_length_curve", s->passive_force_length_curve);
      } else if (const auto* h = std::get_if<HuntCrossleyForce>(&f.part)) {
        pugi::xml_node set = named(element(e, "contact_parameters"), "HuntCrossleyForce::ContactParametersSet", "");
        pugi::xml_node list = set.append_child("objects");
        for (const auto& cp : h->contact_parameters) {
          pugi::xml_node c = list.append_child("HuntCrossleyForce::ContactParameters");
          std::string names;
          for (int k : cp.geometry) names += (names.empty() ? "" : " ") + m_.contact_geometry[k].name;
          element(c, "geometry", names);
          std::vector<std::pair<std::string, std::string>> cps;
          osim::property_texts(osim::contact_parameters_properties(), cp, HuntCrossleyForce::ContactParameters{},
                               {"stiffness", "dissipation", "static_friction", "dynamic_friction", "viscous_friction"},
                               cps);
          for (const auto& [k, v] : cps) element(c, k.c_str(), v);
        }
        set.append_child("groups");
      }
    }
  }

  void write_contact_geometry(pugi::xml_node model) const {
    pugi::xml_node objects = add_set(model, "ContactGeometrySet", "contactgeometryset");
    for (const ContactGeometry& g : m_.contact_geometry) {
      if (g.kind == ContactGeometry::Kind::Other) {
        write_xml(objects, g.xml, g.name);
        continue;
      }
      // ContactGeometry.cpp: socket_frame, location, orientation; then the shape's own. A
      // location or orientation at its default (zero) is written only when the file gave it,
      // as OpenSim does.
      pugi::xml_node e = named(objects, g.type.c_str(), g.name);
      element(e, "socket_frame", body_path(g.body));
      const auto given = [&](const char* name) { return std::find(g.given.begin(), g.given.end(), name) != g.given.end(); };
      if (!g.location.isZero() || given("location")) element(e, "location", vec3(g.location));
      if (!g.orientation.isZero() || given("orientation")) element(e, "orientation", vec3(g.orientation));
      if (g.kind == ContactGeometry::Kind::Sphere) element(e, "radius", number(g.radius));
      if (g.kind == ContactGeometry::Kind::Mesh) element(e, "filename", g.mesh_file);
    }
  }

  void write_controllers(pugi::xml_node model) const {
    pugi::xml_node objects = add_set(model, "ControllerSet", "controllerset");
    for (const Controller& c : m_.controllers) {
      if (std::holds_alternative<std::monostate>(c.part)) {
        write_xml(objects, c.xml, c.name);
        continue;
      }
      // Controller.cpp as OpenSim 4.0 writes it: isDisabled, actuator_list.
      pugi::xml_node e = named(objects, c.type.c_str(), c.name);
      element(e, "isDisabled", boolean(!c.enabled));
      std::string names;
      for (int k : c.actuators) names += (names.empty() ? "" : " ") + m_.forces[k].name;
      element(e, "actuator_list", names);
      if (const auto* p = std::get_if<ControlSetController>(&c.part)) {
        element(e, "controls_file", p->controls_file);
      } else if (const auto* p = std::get_if<PrescribedController>(&c.part)) {
        if (!p->controls_file.empty()) element(e, "controls_file", p->controls_file);
        if (p->interpolation_method >= 0) element(e, "interpolation_method", std::to_string(p->interpolation_method));
        if (!p->control_functions.empty()) write_function_set(e, "ControlFunctions", p->control_functions);
      }
    }
  }

  void write_markers(pugi::xml_node model) const {
    pugi::xml_node objects = add_set(model, "MarkerSet", "markerset");
    for (const Marker& mk : m_.markers) {
      pugi::xml_node e = named(objects, "Marker", mk.name);
      element(e, "socket_parent_frame", body_path(mk.body));
      element(e, "location", vec3(mk.location_in_body));
      element(e, "fixed", boolean(mk.fixed));
    }
  }

  const Model& m_;
};

}  // namespace

std::string format_osim(const Model& model) { return Writer(model).write(); }

void write_osim(const Model& model, const std::filesystem::path& file) {
  const std::string text = format_osim(model);
  const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw std::runtime_error(file.string() + ": cannot write the model: directory '" + dir.string() +
                             "' does not exist");
  write_file_atomically(file, text);
}

}  // namespace femur::io
