// Forces and wrap objects of an .osim file, read into femur's typed parts (model/forces.hpp):
// every property parsed and checked here, with the line of its element; the names a part
// refers to (coordinates, bodies, contact geometry, wrap objects) go to the ModelBuilder,
// which resolves them. Path points follow OpenSim/Simulation/Model/PathPoint.cpp,
// ConditionalPathPoint.cpp and MovingPathPoint.cpp (4.0 sockets or the 3.x `body`/
// `coordinate` properties); PathWrap follows OpenSim/Simulation/Wrap/PathWrap.cpp and the wrap
// objects OpenSim/Simulation/Wrap/WrapObject.cpp (OPENSIM-NOTES.md A.1, A.2, A.4). Property
// names and defaults: osim_parts.cpp.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "osim_internal.hpp"
#include "osim_parts.hpp"

namespace femur::io::osim {

// ---------------------------------------------------------------------------------------
// Properties by table

namespace {

// Children that describe display or are read by hand; never properties.
const std::set<std::string, std::less<>> kNotProperties = {
    "VisibleObject", "Appearance", "attached_geometry", "FrameGeometry", "geometry", "display_preference",
    "color", "components", "appliesForce", "isDisabled", "GeometryPath", "force_visualization_radius",
    "force_visualization_scale_factor", "show_axes", "scale_factors", "transform", "geometry_files"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool has_element_child(pugi::xml_node node) {
  for (pugi::xml_node g : node.children())
    if (g.type() == pugi::node_element) return true;
  return false;
}

}  // namespace

std::string PartReading::what() const { return fmt::format("{} '{}'", type, name); }

pugi::xml_node PartReading::node_of(const std::string& key) const {
  pugi::xml_node node = element;
  std::size_t start = 0;
  while (node) {
    const std::size_t slash = key.find('/', start);
    node = node.child(key.substr(start, slash == std::string::npos ? std::string::npos : slash - start).c_str());
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return node;
}

[[noreturn]] void PartReading::fail_at(const std::string& key, const std::string& message) const {
  const pugi::xml_node node = node_of(key);
  ctx.doc.fail(node ? node : element, fmt::format("{}: {}", what(), message));
}

template <class P>
void read_properties(const PartReading& r, const std::vector<Property<P>>& table, P& part,
                     std::vector<std::string>& given, const std::set<std::string, std::less<>>& handled,
                     pugi::xml_node element, const std::string& prefix) {
  const auto& doc = r.ctx.doc;
  for (pugi::xml_node c : element.children()) {
    if (c.type() != pugi::node_element) continue;
    const std::string name = c.name();
    if (prefix.empty() && (handled.count(name) || kNotProperties.count(name))) continue;
    if (!prefix.empty() && kNotProperties.count(name)) continue;
    const std::string key = prefix + name;
    const Property<P>* prop = nullptr;
    bool is_object = false;
    for (const Property<P>& p : table) {
      if (p.applies && !p.applies(part)) continue;
      if (key == p.name || (p.old_name && key == p.old_name)) prop = &p;
      if (std::string_view(p.name).starts_with(key + "/")) is_object = true;
    }
    if (has_element_child(c) || (!prop && is_object)) {
      if (is_object) {
        read_properties(r, table, part, given, handled, c, key + "/");
        continue;
      }
      r.ctx.warn(c, fmt::format("{}: <{}> is not a property femur reads for {}, ignored", r.what(), key, r.type));
      continue;
    }
    if (!prop) {
      if (!r.ignored || !r.ignored->count(key))
        r.ctx.warn(c, fmt::format("{}: <{}> is not a property femur reads for {}, ignored", r.what(), key, r.type));
      continue;
    }
    const std::string text = XmlDocument::text(c);
    const auto bad = [&](const std::string& message) {
      doc.fail(c, fmt::format("{}: <{}> {}", r.what(), prop->name, message));
    };
    const auto number = [&](const std::string& t) {
      const auto v = parse_number(t);
      if (t.find_first_of(" \t\r\n") != std::string::npos || !v || std::isnan(*v))
        bad(fmt::format("is '{}', not a number", t));
      switch (prop->check) {
        case Check::Any: break;
        case Check::NonNegative:
          if (!(*v >= 0.0) || !std::isfinite(*v)) bad(fmt::format("must not be negative, got {}", t));
          break;
        case Check::Positive:
          if (!(*v > 0.0) || !std::isfinite(*v)) bad(fmt::format("must be positive, got {}", t));
          break;
      }
      return *v;
    };
    if (prop->number) {
      if (text.empty()) continue;  // an empty element leaves OpenSim's default
      prop->number(part) = number(text);
    } else if (prop->optional) {
      prop->optional(part) = text.empty() ? std::nullopt : std::optional<double>(number(text));
    } else if (prop->boolean) {
      if (text.empty()) continue;
      const std::string t = lower(text);
      if (t == "true" || t == "1") prop->boolean(part) = true;
      else if (t == "false" || t == "0") prop->boolean(part) = false;
      else bad(fmt::format("is '{}', expected true or false", text));
    } else if (prop->vec3) {
      std::istringstream in(text);
      std::vector<double> v;
      for (std::string w; in >> w;) {
        const auto x = parse_number(w);
        if (!x || std::isnan(*x)) bad(fmt::format("is '{}', not three numbers", text));
        v.push_back(*x);
      }
      if (v.size() != 3) bad(fmt::format("is '{}', not three numbers", text));
      prop->vec3(part) = Vec3(v[0], v[1], v[2]);
    } else if (prop->text) {
      prop->text(part) = text;
    }
    if (std::find(given.begin(), given.end(), prop->name) == given.end()) given.push_back(prop->name);
  }
  if (!prefix.empty()) return;
  for (const Property<P>& p : table)
    if (p.required && (!p.applies || p.applies(part)) && std::find(given.begin(), given.end(), p.name) == given.end())
      doc.fail(element, fmt::format("{}: <{}> is missing (OpenSim has no default for it)", r.what(), p.name));
}

template <class P>
void read_properties(const PartReading& r, const std::vector<Property<P>>& table, P& part,
                     std::vector<std::string>& given, const std::set<std::string, std::less<>>& handled) {
  read_properties(r, table, part, given, handled, r.element, "");
}

// The explicit instantiations the controller and contact readers use.
template void read_properties(const PartReading&, const std::vector<Property<ControlSetController>>&,
                              ControlSetController&, std::vector<std::string>&,
                              const std::set<std::string, std::less<>>&);
template void read_properties(const PartReading&, const std::vector<Property<PrescribedController>>&,
                              PrescribedController&, std::vector<std::string>&,
                              const std::set<std::string, std::less<>>&);

// ---------------------------------------------------------------------------------------
// References

BodyFrame point_frame(const Context& ctx, const FrameResolver& frames, pugi::xml_node point,
                      const std::string& owner_path, const std::string& what) {
  const bool v4 = static_cast<bool>(point.child("socket_parent_frame"));
  const char* tag = v4 ? "socket_parent_frame" : "body";
  const std::string ref = ctx.doc.child_text(point, tag);
  if (ref.empty()) ctx.doc.fail(point, fmt::format("{} has no <{}>", what, tag));
  const auto frame = frames.resolve(ctx, owner_path, ref);
  if (!frame) ctx.doc.fail(point, fmt::format("{}: <{}> '{}' names no body or frame", what, tag, ref));
  return *frame;
}

namespace {

// A coordinate named by property `tag` (a name or a component path).
NameRef coordinate_ref(const PartReading& r, const char* tag) {
  const pugi::xml_node c = r.element.child(tag);
  const std::string name = path_leaf(XmlDocument::text(c));
  if (name.empty()) r.ctx.doc.fail(c ? c : r.element, fmt::format("{}: <{}> is missing", r.what(), tag));
  return {name, r.ctx.doc.line_of(c)};
}

// A body named by the first of `tags` present (3.x/4.x property or 4.x socket path). Offset
// frames are accepted only when they do not move the point (identity transform).
NameRef body_ref(const PartReading& r, const FrameResolver& frames, std::initializer_list<const char*> tags) {
  for (const char* tag : tags) {
    const pugi::xml_node c = r.element.child(tag);
    const std::string ref = XmlDocument::text(c);
    if (ref.empty()) continue;
    const auto frame = frames.resolve(r.ctx, r.owner_path, ref);
    if (!frame) r.ctx.doc.fail(c, fmt::format("{}: <{}> '{}' names no body of the model", r.what(), tag, ref));
    if (!frame->X_body_frame.R.isIdentity(0.0) || !frame->X_body_frame.p.isZero(0.0))
      r.ctx.doc.fail(c, fmt::format("{}: <{}> '{}' is an offset frame; femur reads a body here", r.what(), tag, ref));
    return {frame->body, r.ctx.doc.line_of(c)};
  }
  r.ctx.doc.fail(r.element, fmt::format("{}: <{}> is missing", r.what(), *tags.begin()));
}

// Contact geometry named by a socket path (or a plain name).
NameRef geometry_ref(const PartReading& r, const char* tag) {
  const pugi::xml_node c = r.element.child(tag);
  const std::string name = path_leaf(XmlDocument::text(c));
  if (name.empty()) r.ctx.doc.fail(c ? c : r.element, fmt::format("{}: <{}> is missing", r.what(), tag));
  return {name, r.ctx.doc.line_of(c)};
}

// min_control <= max_control (Actuator.cpp).
template <class P>
void check_controls(const PartReading& r, const P& a) {
  if (!(a.min_control <= a.max_control) || a.min_control == std::numeric_limits<double>::infinity() ||
      a.max_control == -std::numeric_limits<double>::infinity())
    r.fail_at("min_control", fmt::format("<min_control> {} and <max_control> {} leave no admissible control",
                                         number_text(a.min_control), number_text(a.max_control)));
}

// ---------------------------------------------------------------------------------------
// One reader per OpenSim class

struct ForceReading {
  const PartReading& r;
  const FrameResolver& frames;
  ModelBuilder& builder;
  ForceSpec& spec;
};

const std::set<std::string, std::less<>> kNone;

void read_muscle(const ForceReading& f) {
  const PartReading& r = f.r;
  MuscleParameters p = default_muscle_parameters(*muscle_kind_from_type(r.type));
  p.name = r.name;
  // Thelen2003Muscle of 3.x files: Vmax, Vmax0 and damping belong to the deprecated model
  // (Thelen2003Muscle_Deprecated); OpenSim 4 ignores them, and so does femur.
  static const std::set<std::string, std::less<>> kLegacy = {"Vmax", "Vmax0", "damping"};
  PartReading thelen = r;
  if (p.kind == MuscleKind::Thelen2003) thelen.ignored = &kLegacy;
  read_properties(thelen, muscle_properties(), p, f.spec.force.given, kNone);
  const bool min_control_given =
      std::find(f.spec.force.given.begin(), f.spec.force.given.end(), "min_control") != f.spec.force.given.end();
  // Thelen2003Muscle::constructProperties: setMinControl(minimum_activation).
  if (p.kind == MuscleKind::Thelen2003 && !min_control_given) p.min_control = p.minimum_activation;
  for (const ParameterProblem& problem : check_muscle_parameters(p)) {
    if (problem.at_load) r.fail_at(problem.property, fmt::format("<{}> {}", problem.property, problem.message));
    const pugi::xml_node node = r.node_of(problem.property);
    r.ctx.warn(node ? node : r.element,
               fmt::format("{}: <{}> {}; OpenSim refuses this muscle, and so do femur's tools", r.what(),
                           problem.property, problem.message));
  }
  f.spec.force.part = std::move(p);
}

void read_schutte(const ForceReading& f) {
  const PartReading& r = f.r;
  Schutte1993Muscle m;
  static const std::set<std::string, std::less<>> kCurves = {
      "tendon_force_length_curve", "active_force_length_curve", "passive_force_length_curve"};
  read_properties(r, schutte_properties(), m, f.spec.force.given, kCurves);
  const auto curve = [&](const char* name, int& index) {
    if (const auto fn = find_function(r.ctx, r.element, name)) {
      index = f.builder.add_function(read_function(r.ctx, fn));
      f.spec.force.given.push_back(name);
    }
  };
  curve("tendon_force_length_curve", m.tendon_force_length_curve);
  curve("active_force_length_curve", m.active_force_length_curve);
  curve("passive_force_length_curve", m.passive_force_length_curve);
  check_controls(r, m);
  f.spec.force.part = m;
}

const std::set<std::string, std::less<>> kCoordinate = {"coordinate"};

void read_coordinate_actuator(const ForceReading& f) {
  CoordinateActuator a;
  read_properties(f.r, coordinate_actuator_properties(), a, f.spec.force.given, kCoordinate);
  check_controls(f.r, a);
  f.spec.coordinate = coordinate_ref(f.r, "coordinate");
  f.spec.force.part = a;
}

void read_activation_coordinate_actuator(const ForceReading& f) {
  ActivationCoordinateActuator a;
  read_properties(f.r, activation_coordinate_actuator_properties(), a, f.spec.force.given, kCoordinate);
  check_controls(f.r, a);
  f.spec.coordinate = coordinate_ref(f.r, "coordinate");
  f.spec.force.part = a;
}

void read_point_actuator(const ForceReading& f) {
  PointActuator a;
  read_properties(f.r, point_actuator_properties(), a, f.spec.force.given, {"body", "socket_body"});
  check_controls(f.r, a);
  if (a.direction.norm() == 0.0) f.r.fail_at("direction", "<direction> must not be zero");
  f.spec.body = body_ref(f.r, f.frames, {"body", "socket_body"});
  f.spec.force.part = a;
}

void read_torque_actuator(const ForceReading& f) {
  TorqueActuator a;
  read_properties(f.r, torque_actuator_properties(), a, f.spec.force.given,
                  {"bodyA", "bodyB", "socket_bodyA", "socket_bodyB"});
  check_controls(f.r, a);
  if (a.axis.norm() == 0.0) f.r.fail_at("axis", "<axis> must not be zero");
  f.spec.body = body_ref(f.r, f.frames, {"bodyA", "socket_bodyA"});
  f.spec.body2 = body_ref(f.r, f.frames, {"bodyB", "socket_bodyB"});
  f.spec.force.part = a;
}

void read_path_actuator(const ForceReading& f) {
  PathActuator a;
  read_properties(f.r, path_actuator_properties(), a, f.spec.force.given, kNone);
  check_controls(f.r, a);
  f.spec.force.part = a;
}

void read_coordinate_limit(const ForceReading& f) {
  CoordinateLimitForce c;
  read_properties(f.r, coordinate_limit_properties(), c, f.spec.force.given, kCoordinate);
  if (c.lower_limit > c.upper_limit)
    f.r.fail_at("lower_limit", fmt::format("<lower_limit> {} is above <upper_limit> {}", number_text(c.lower_limit),
                                           number_text(c.upper_limit)));
  f.spec.coordinate = coordinate_ref(f.r, "coordinate");
  f.spec.force.part = c;
}

void read_path_spring(const ForceReading& f) {
  PathSpring s;
  read_properties(f.r, path_spring_properties(), s, f.spec.force.given, kNone);
  if (!f.r.element.child("GeometryPath"))
    f.r.ctx.doc.fail(f.r.element, fmt::format("{}: has no <GeometryPath>", f.r.what()));
  f.spec.force.part = s;
}

void read_spring_generalized(const ForceReading& f) {
  SpringGeneralizedForce s;
  read_properties(f.r, spring_generalized_properties(), s, f.spec.force.given, kCoordinate);
  f.spec.coordinate = coordinate_ref(f.r, "coordinate");
  f.spec.force.part = s;
}

void read_point_to_point_spring(const ForceReading& f) {
  PointToPointSpring s;
  read_properties(f.r, point_to_point_spring_properties(), s, f.spec.force.given,
                  {"body1", "body2", "socket_body1", "socket_body2"});
  f.spec.body = body_ref(f.r, f.frames, {"socket_body1", "body1"});
  f.spec.body2 = body_ref(f.r, f.frames, {"socket_body2", "body2"});
  f.spec.force.part = s;
}

void read_expression_force(const ForceReading& f) {
  ExpressionBasedCoordinateForce e;
  read_properties(f.r, expression_force_properties(), e, f.spec.force.given, kCoordinate);
  // ExpressionBasedCoordinateForce::setExpression removes every whitespace character.
  e.expression.erase(std::remove_if(e.expression.begin(), e.expression.end(),
                                    [](unsigned char c) { return std::isspace(c); }),
                     e.expression.end());
  if (e.expression.empty()) f.r.fail_at("expression", "<expression> is empty");
  f.spec.coordinate = coordinate_ref(f.r, "coordinate");
  f.spec.force.part = e;
}

// A FunctionSet property of PrescribedForce: <name><objects>f f f</objects></name>, or the
// 4.0 form <FunctionSet name="name"><objects>...</objects></FunctionSet>. All three
// components or none (PrescribedForce::extendFinalizeFromProperties).
void read_function_triple(const ForceReading& f, const char* name, std::array<int, 3>& out) {
  pugi::xml_node set = f.r.element.child(name);
  if (!set)
    for (pugi::xml_node c : f.r.element.children("FunctionSet"))
      if (name_of(c) == name) set = c;
  if (!set) return;
  const auto functions = set_objects(set);
  if (functions.empty()) return;
  if (functions.size() != 3)
    f.r.ctx.doc.fail(set, fmt::format("{}: <{}> has {} functions; OpenSim needs all three components or none",
                                      f.r.what(), name, functions.size()));
  for (int i = 0; i < 3; ++i) out[i] = f.builder.add_function(read_function(f.r.ctx, functions[i]));
  f.spec.force.given.push_back(name);
}

void read_prescribed_force(const ForceReading& f) {
  PrescribedForce p;
  static const std::set<std::string, std::less<>> kHandled = {"body", "socket_frame", "forceFunctions",
                                                              "pointFunctions", "torqueFunctions", "FunctionSet"};
  read_properties(f.r, prescribed_force_properties(), p, f.spec.force.given, kHandled);
  read_function_triple(f, "forceFunctions", p.force_functions);
  read_function_triple(f, "pointFunctions", p.point_functions);
  read_function_triple(f, "torqueFunctions", p.torque_functions);
  f.spec.body = body_ref(f.r, f.frames, {"socket_frame", "body"});
  f.spec.force.part = p;
}

void read_smooth_sphere(const ForceReading& f) {
  SmoothSphereHalfSpaceForce s;
  read_properties(f.r, smooth_sphere_properties(), s, f.spec.force.given, {"socket_sphere", "socket_half_space"});
  f.spec.sphere = geometry_ref(f.r, "socket_sphere");
  f.spec.half_space = geometry_ref(f.r, "socket_half_space");
  f.spec.force.part = s;
}

void read_hunt_crossley(const ForceReading& f) {
  HuntCrossleyForce h;
  read_properties(f.r, hunt_crossley_properties(), h, f.spec.force.given, {"contact_parameters"});
  // <contact_parameters><HuntCrossleyForce::ContactParametersSet><objects>
  //   <HuntCrossleyForce::ContactParameters><geometry>a b</geometry><stiffness>...
  const pugi::xml_node holder = f.r.element.child("contact_parameters");
  pugi::xml_node set = holder.first_child();
  while (set && set.type() != pugi::node_element) set = set.next_sibling();
  for (pugi::xml_node c : set_objects(set)) {
    PartReading r = f.r;
    r.element = c;
    HuntCrossleyForce::ContactParameters p;
    std::vector<std::string> given;
    read_properties(r, contact_parameters_properties(), p, given, {"geometry"});
    std::vector<NameRef> geometry;
    for (const std::string& g : f.r.ctx.doc.words(c.child("geometry")))
      geometry.push_back({path_leaf(g), f.r.ctx.doc.line_of(c.child("geometry"))});
    if (geometry.empty()) f.r.ctx.doc.fail(c, fmt::format("{}: contact parameters name no <geometry>", f.r.what()));
    h.contact_parameters.push_back(p);
    f.spec.contact_geometry.push_back(std::move(geometry));
  }
  f.spec.force.given.push_back("contact_parameters");
  f.spec.force.part = h;
}

using ReadForce = void (*)(const ForceReading&);

// Element names femur reads, with OpenSim 4's renames of 3.x classes
// (OpenSim/Actuators/RegisterTypes_osimActuators.cpp: GeneralizedForce, Force, Torque,
// Schutte1993Muscle).
const std::map<std::string, ReadForce, std::less<>>& force_readers() {
  static const std::map<std::string, ReadForce, std::less<>> readers = {
      {"Thelen2003Muscle", read_muscle},
      {"Millard2012EquilibriumMuscle", read_muscle},
      {"DeGrooteFregly2016Muscle", read_muscle},
      {"Schutte1993Muscle", read_schutte},
      {"Schutte1993Muscle_Deprecated", read_schutte},
      {"CoordinateActuator", read_coordinate_actuator},
      {"GeneralizedForce", read_coordinate_actuator},
      {"ActivationCoordinateActuator", read_activation_coordinate_actuator},
      {"PointActuator", read_point_actuator},
      {"Force", read_point_actuator},
      {"TorqueActuator", read_torque_actuator},
      {"Torque", read_torque_actuator},
      {"PathActuator", read_path_actuator},
      {"CoordinateLimitForce", read_coordinate_limit},
      {"PathSpring", read_path_spring},
      {"SpringGeneralizedForce", read_spring_generalized},
      {"PointToPointSpring", read_point_to_point_spring},
      {"ExpressionBasedCoordinateForce", read_expression_force},
      {"PrescribedForce", read_prescribed_force},
      {"SmoothSphereHalfSpaceForce", read_smooth_sphere},
      {"HuntCrossleyForce", read_hunt_crossley},
  };
  return readers;
}

// ---------------------------------------------------------------------------------------
// Geometry paths

std::string coordinate_name(const Context& ctx, pugi::xml_node point, const char* socket, const char* old_name) {
  std::string ref = ctx.doc.child_text(point, socket);
  if (ref.empty()) ref = ctx.doc.child_text(point, old_name);
  return path_leaf(ref);
}

void read_geometry_path(const Context& ctx, pugi::xml_node path_el, const std::string& force_name,
                        const std::string& force_path, const FrameResolver& frames, ModelBuilder& builder,
                        ForceSpec& spec) {
  const auto& doc = ctx.doc;
  GeometryPath out;
  int k = 0;
  for (pugi::xml_node p : set_objects(path_el.child("PathPointSet"))) {
    ++k;
    const std::string_view kind = p.name();
    PathPoint point;
    point.name = name_of(p).empty() ? fmt::format("{}-P{}", force_name, k) : name_of(p);
    const std::string what = fmt::format("{} '{}' of '{}'", kind, point.name, force_name);
    std::string coordinate;
    pugi::xml_node coordinate_node;
    if (kind != "PathPoint" && kind != "ConditionalPathPoint" && kind != "MovingPathPoint")
      doc.fail(p, fmt::format("unknown path point type '{}' in '{}'", kind, force_name));
    const BodyFrame frame = point_frame(ctx, frames, p, force_path + "/path/" + point.name, what);
    point.location = frame.X_body_frame.apply(doc.child_vec3(p, "location", Vec3::Zero()));
    if (kind == "ConditionalPathPoint") {
      point.kind = PathPoint::Kind::Conditional;
      coordinate = coordinate_name(ctx, p, "socket_coordinate", "coordinate");
      coordinate_node = p.child("socket_coordinate") ? p.child("socket_coordinate") : p.child("coordinate");
      const auto r = doc.child_doubles(p, "range", 2).value_or(std::vector<double>{0.0, 0.0});
      point.range_min = r[0];
      point.range_max = r[1];
      // OpenSim: an unconnected ConditionalPathPoint is never active (ConditionalPathPoint.cpp).
      if (coordinate.empty()) ctx.warn(p, fmt::format("{} names no coordinate: it is never active", what));
    } else if (kind == "MovingPathPoint") {
      point.kind = PathPoint::Kind::Moving;
      if (!frame.X_body_frame.R.isIdentity(0.0) || !frame.X_body_frame.p.isZero(0.0))
        doc.fail(p, fmt::format("{}: a moving point on an offset frame is not supported", what));
      const char* fn[3] = {"x_location", "y_location", "z_location"};
      const char* socket[3] = {"socket_x_coordinate", "socket_y_coordinate", "socket_z_coordinate"};
      const char* old[3] = {"x_coordinate", "y_coordinate", "z_coordinate"};
      for (int i = 0; i < 3; ++i) {
        const std::string c = coordinate_name(ctx, p, socket[i], old[i]);
        // MovingPathPoint::extendConnectToModel requires one coordinate for all three.
        if (!c.empty() && !coordinate.empty() && c != coordinate)
          doc.fail(p, fmt::format("{}: x, y and z locations depend on different coordinates ('{}', '{}')", what,
                                  coordinate, c));
        if (!c.empty()) {
          coordinate = c;
          coordinate_node = p.child(socket[i]) ? p.child(socket[i]) : p.child(old[i]);
        }
        if (const auto f = find_function(ctx, p, fn[i])) point.moving_functions[i] = builder.add_function(read_function(ctx, f));
      }
      point.location = Vec3::Zero();
      if (coordinate.empty())
        doc.fail(p, fmt::format("{} names no coordinate for its x, y and z locations", what));
    }
    if (!coordinate.empty()) ctx.require_coordinate(coordinate_node ? coordinate_node : p, coordinate, what);
    out.points.push_back(std::move(point));
    spec.point_bodies.push_back({frame.body, doc.line_of(p)});
    spec.point_coordinates.push_back({coordinate, doc.line_of(coordinate_node ? coordinate_node : p)});
  }
  for (pugi::xml_node w : set_objects(path_el.child("PathWrapSet"))) {
    if (std::string_view(w.name()) != "PathWrap")
      doc.fail(w, fmt::format("unknown path wrap type '{}' in '{}'", w.name(), force_name));
    PathWrap wrap;
    const std::string object = doc.child_text(w, "wrap_object");
    if (object.empty()) doc.fail(w, fmt::format("PathWrap of '{}' names no <wrap_object>", force_name));
    // PathWrap.cpp: hybrid, midpoint or axial (any case); "Unassigned" or nothing: hybrid.
    const std::string method = lower(doc.child_text(w, "method"));
    if (method.empty() || method == "unassigned" || method == "hybrid") wrap.method = WrapMethod::Hybrid;
    else if (method == "midpoint") wrap.method = WrapMethod::Midpoint;
    else if (method == "axial") wrap.method = WrapMethod::Axial;
    else doc.fail(w.child("method"), fmt::format("PathWrap of '{}': unknown method '{}' (expected hybrid, midpoint or "
                                                 "axial)", force_name, doc.child_text(w, "method")));
    if (const auto r = doc.child_doubles(w, "range", 2)) {
      // Path point indices (PathWrap.h: an int pair, -1 for "all"). The range check comes
      // before the cast: casting Inf or NaN to int is undefined behaviour (osim_fuzz).
      for (const double v : *r)
        if (!(v >= -1.0 && v <= 1e6) || v != std::trunc(v))
          doc.fail(w.child("range"), fmt::format("PathWrap of '{}': <range> must be two whole numbers from -1 "
                                                 "(all points), got '{}'",
                                                 force_name, doc.child_text(w, "range")));
      wrap.range_begin = static_cast<int>((*r)[0]);
      wrap.range_end = static_cast<int>((*r)[1]);
    }
    out.wraps.push_back(wrap);
    spec.wrap_objects.push_back({object, doc.line_of(w.child("wrap_object"))});
  }
  spec.force.path = std::move(out);
}

}  // namespace

std::string element_xml(pugi::xml_node element) {
  std::ostringstream out;
  element.print(out, "\t", pugi::format_default | pugi::format_no_declaration);
  return out.str();
}

bool is_force_element(std::string_view name) {
  if (force_readers().count(name)) return true;
  // OpenSim's Force subclasses end in one of these (BushingForce, Blankevoort1991Ligament,
  // McKibbenActuator, RigidTendonMuscle, Delp1990Muscle_Deprecated, ClutchedPathSpring, ...).
  for (std::string_view suffix : {"Muscle", "Actuator", "Force", "Spring", "Ligament", "_Deprecated"})
    if (name.ends_with(suffix)) return true;
  return false;
}

void read_force(const Context& ctx, pugi::xml_node f, const std::string& owner_path, const FrameResolver& frames,
                ModelBuilder& builder) {
  const auto& doc = ctx.doc;
  ForceSpec spec;
  ForceElement& force = spec.force;
  read_identity(doc, f, force);
  // 4.0 `appliesForce`; before, `isDisabled` with the opposite meaning (Force.cpp).
  force.applies_force = f.child("appliesForce") ? doc.child_bool(f, "appliesForce", true)
                                                : !doc.child_bool(f, "isDisabled", false);
  const std::string path = owner_path + force.name;
  const PartReading r{ctx, f, force.type, force.name, path};
  if (const auto gp = f.child("GeometryPath")) read_geometry_path(ctx, gp, force.name, path, frames, builder, spec);
  const auto& readers = force_readers();
  if (const auto it = readers.find(force.type); it != readers.end()) {
    it->second(ForceReading{r, frames, builder, spec});
    if (std::holds_alternative<SmoothSphereHalfSpaceForce>(force.part))
      ctx.warn(f, fmt::format("{} '{}' is read and checked; femur track and predict compute its force, forward "
                              "simulation and the analysis tools leave it out",
                              force.type, force.name));
    else if (!is_simulated(force))
      ctx.warn(f, fmt::format("{} '{}' is read and checked, but femur does not compute its force yet", force.type,
                              force.name));
  } else {
    force.xml = element_xml(f);
    ctx.warn(f, fmt::format("{} '{}' is not supported, ignored (listed only)", force.type, force.name));
  }
  if (is_muscle(force) && !force.geometry_path())
    doc.fail(f, fmt::format("{}: a muscle needs a <GeometryPath>", r.what()));
  builder.add_force(std::move(spec));
}

void read_force_set(const Context& ctx, pugi::xml_node force_set, const FrameResolver& frames, ModelBuilder& builder) {
  for (pugi::xml_node f : set_objects(force_set)) read_force(ctx, f, "/forceset/", frames, builder);
}

void read_wrap_objects(const Context& ctx, pugi::xml_node body_element, const std::string& body_name,
                       ModelBuilder& builder) {
  const auto& doc = ctx.doc;
  static const std::map<std::string, WrapSurface::Kind, std::less<>> kKinds = {
      {"WrapCylinder", WrapSurface::Kind::Cylinder},
      {"WrapSphere", WrapSurface::Kind::Sphere},
      {"WrapEllipsoid", WrapSurface::Kind::Ellipsoid},
      {"WrapTorus", WrapSurface::Kind::Torus}};
  for (pugi::xml_node w : set_objects(body_element.child("WrapObjectSet"))) {
    const auto kind = kKinds.find(w.name());
    if (kind == kKinds.end()) {
      ctx.warn(w, fmt::format("{} '{}' is not supported, ignored", w.name(), name_of(w)));
      continue;
    }
    WrapObject wrap;
    wrap.kind = kind->second;
    wrap.name = name_of(w);
    wrap.file = doc.file();
    wrap.line = doc.line_of(w);
    const std::string what = fmt::format("{} '{}'", w.name(), wrap.name);
    wrap.translation = doc.child_vec3(w, "translation", Vec3::Zero());
    wrap.xyz_body_rotation = doc.child_vec3(w, "xyz_body_rotation", Vec3::Zero());
    wrap.active = doc.child_bool(w, "active", true);
    // WrapObject.cpp: x/+x/X/+X, -x/-X, likewise y and z; all/ALL/All; "Unassigned" (or
    // nothing) -> all.
    const std::string q = doc.child_text(w, "quadrant");
    static const std::map<std::string, WrapQuadrant, std::less<>> kQuadrants = {
        {"x", {0, 1}},  {"+x", {0, 1}},  {"X", {0, 1}},  {"+X", {0, 1}},  {"-x", {0, -1}}, {"-X", {0, -1}},
        {"y", {1, 1}},  {"+y", {1, 1}},  {"Y", {1, 1}},  {"+Y", {1, 1}},  {"-y", {1, -1}}, {"-Y", {1, -1}},
        {"z", {2, 1}},  {"+z", {2, 1}},  {"Z", {2, 1}},  {"+Z", {2, 1}},  {"-z", {2, -1}}, {"-Z", {2, -1}},
        {"all", {}},    {"ALL", {}},     {"All", {}},    {"Unassigned", {}}, {"", {}}};
    const auto quadrant = kQuadrants.find(q);
    if (quadrant == kQuadrants.end())
      doc.fail(w.child("quadrant"), fmt::format("{}: unknown quadrant '{}' (expected all, x, +x, -x, y, +y, -y, z, "
                                                "+z or -z)", what, q));
    wrap.quadrant = quadrant->second;
    // Sizes: OpenSim's defaults (WrapCylinder, WrapSphere radius 1 and length 1; WrapTorus
    // inner 0.01 and outer 0.05), checked as each shape's extendFinalizeFromProperties does.
    const auto size = [&](const char* key, double fallback, bool positive) {
      const auto c = w.child(key);
      if (!c || XmlDocument::text(c).empty()) return fallback;
      const auto v = parse_number(XmlDocument::text(c));
      if (!v || !std::isfinite(*v) || XmlDocument::text(c).find(' ') != std::string::npos)
        doc.fail(c, fmt::format("{}: <{}> is '{}', not a number", what, key, XmlDocument::text(c)));
      if (positive ? !(*v > 0.0) : !(*v >= 0.0))
        doc.fail(c, fmt::format("{}: <{}> {}, got {}", what, key,
                                positive ? "must be greater than zero" : "cannot be less than zero",
                                XmlDocument::text(c)));
      return *v;
    };
    switch (wrap.kind) {
      case WrapSurface::Kind::Cylinder:
        wrap.radius = size("radius", 1.0, false);
        wrap.length = size("length", 1.0, false);
        break;
      case WrapSurface::Kind::Sphere:
        wrap.radius = size("radius", 1.0, false);
        break;
      case WrapSurface::Kind::Ellipsoid: {
        // OpenSim's default is (-1, -1, -1), refused as "not specified".
        const auto c = w.child("dimensions");
        if (!c) doc.fail(w, fmt::format("{}: <dimensions> were not specified", what));
        const auto d = doc.child_doubles(w, "dimensions", 3);
        wrap.dimensions = Vec3((*d)[0], (*d)[1], (*d)[2]);
        if (!(wrap.dimensions.minCoeff() > 0.0)) doc.fail(c, fmt::format("{}: <dimensions> must be positive", what));
        break;
      }
      case WrapSurface::Kind::Torus:
        wrap.inner_radius = size("inner_radius", 0.01, true);
        wrap.outer_radius = size("outer_radius", 0.05, true);
        if (!(wrap.outer_radius > wrap.inner_radius))
          doc.fail(w, fmt::format("{}: <outer_radius> must be greater than <inner_radius>", what));
        break;
    }
    builder.add_wrap_object(std::move(wrap), NameRef{body_name, doc.line_of(w)});
  }
}

}  // namespace femur::io::osim
