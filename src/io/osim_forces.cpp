// Forces and wrap objects of an .osim file, in femur's neutral form (ForceElement,
// PathPoint, PathWrap, WrapObject). Path points follow OpenSim/Simulation/Model/
// PathPoint.cpp, ConditionalPathPoint.cpp and MovingPathPoint.cpp (4.0 sockets or the 3.x
// `body`/`coordinate` properties); PathWrap follows OpenSim/Simulation/Wrap/PathWrap.cpp and
// the wrap objects OpenSim/Simulation/Wrap/WrapObject.cpp (OPENSIM-NOTES.md A.1, A.2, A.4).
#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "osim_internal.hpp"

namespace femur::io::osim {
namespace {

// Force classes the muscle and dynamics layers are meant to evaluate. Anything else is kept
// as a ForceElement (so `model info` can list it) with a warning.
const std::set<std::string, std::less<>> kKnownForces = {
    "Thelen2003Muscle",     "Millard2012EquilibriumMuscle", "DeGrooteFregly2016Muscle",
    "RigidTendonMuscle",    "CoordinateActuator",           "PointActuator",
    "TorqueActuator",       "PathActuator",                 "PathSpring",
    "CoordinateLimitForce", "SpringGeneralizedForce",       "ActivationCoordinateActuator"};

// Children that describe display or are read separately; never copied into properties.
const std::set<std::string, std::less<>> kSkippedChildren = {
    "GeometryPath", "VisibleObject", "Appearance", "attached_geometry", "FrameGeometry",
    "geometry",     "display_preference", "color", "components"};

// Copies the scalar properties of `element` into `out`: leaf children by name, leaves of
// nested objects (e.g. a Millard muscle's ActiveForceLengthCurve) as "Object/leaf".
void collect_properties(pugi::xml_node element, const std::string& prefix,
                        std::map<std::string, std::string>& out) {
  for (pugi::xml_node c : element.children()) {
    if (c.type() != pugi::node_element || kSkippedChildren.count(c.name())) continue;
    bool has_element_child = false;
    for (pugi::xml_node g : c.children())
      if (g.type() == pugi::node_element) has_element_child = true;
    if (has_element_child)
      collect_properties(c, prefix + c.name() + "/", out);
    else
      out[prefix + c.name()] = XmlDocument::text(c);
  }
}

}  // namespace

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

std::string coordinate_ref(const Context& ctx, pugi::xml_node point, const char* socket,
                           const char* old_name) {
  std::string ref = ctx.doc.child_text(point, socket);
  if (ref.empty()) ref = ctx.doc.child_text(point, old_name);
  return path_leaf(ref);
}

struct ReadPath {
  std::vector<PathPoint> points;
  std::vector<std::string> bodies, coordinates;
  std::vector<PathWrap> wraps;
};

ReadPath read_geometry_path(const Context& ctx, pugi::xml_node path_el, const std::string& force_name,
                            const std::string& force_path, const FrameResolver& frames,
                            const std::vector<std::string>& wrap_names, ModelBuilder& builder) {
  const auto& doc = ctx.doc;
  ReadPath out;
  int k = 0;
  for (pugi::xml_node p : set_objects(path_el.child("PathPointSet"))) {
    ++k;
    const std::string_view kind = p.name();
    PathPoint point;
    point.name = name_of(p).empty() ? fmt::format("{}-P{}", force_name, k) : name_of(p);
    const std::string what = fmt::format("{} '{}' of '{}'", kind, point.name, force_name);
    std::string coordinate, body;
    if (kind == "PathPoint" || kind == "ConditionalPathPoint" || kind == "MovingPathPoint") {
      const BodyFrame frame = point_frame(ctx, frames, p, force_path + "/path/" + point.name, what);
      body = frame.body;
      point.location = frame.X_body_frame.apply(doc.child_vec3(p, "location", Vec3::Zero()));
      if (kind == "ConditionalPathPoint") {
        point.kind = PathPoint::Kind::Conditional;
        coordinate = coordinate_ref(ctx, p, "socket_coordinate", "coordinate");
        const auto r = doc.child_doubles(p, "range", 2).value_or(std::vector<double>{0.0, 0.0});
        point.range_min = r[0];
        point.range_max = r[1];
        // OpenSim: an unconnected ConditionalPathPoint is never active (ConditionalPathPoint.cpp).
        if (coordinate.empty())
          ctx.warn(p, fmt::format("{} names no coordinate: it is never active", what));
      } else if (kind == "MovingPathPoint") {
        point.kind = PathPoint::Kind::Moving;
        if (!frame.X_body_frame.R.isIdentity(0.0) || !frame.X_body_frame.p.isZero(0.0))
          doc.fail(p, fmt::format("{}: a moving point on an offset frame is not supported", what));
        const char* fn[3] = {"x_location", "y_location", "z_location"};
        const char* socket[3] = {"socket_x_coordinate", "socket_y_coordinate", "socket_z_coordinate"};
        const char* old[3] = {"x_coordinate", "y_coordinate", "z_coordinate"};
        for (int i = 0; i < 3; ++i) {
          const std::string c = coordinate_ref(ctx, p, socket[i], old[i]);
          // MovingPathPoint::extendConnectToModel requires one coordinate for all three.
          if (!c.empty() && !coordinate.empty() && c != coordinate)
            doc.fail(p, fmt::format("{}: x, y and z locations depend on different coordinates ('{}', '{}')",
                                    what, coordinate, c));
          if (!c.empty()) coordinate = c;
          if (const auto f = find_function(ctx, p, fn[i]))
            point.moving_functions[i] = builder.add_function(read_function(ctx, f));
        }
        point.location = Vec3::Zero();
      }
    } else {
      doc.fail(p, fmt::format("unknown path point type '{}' in '{}'", kind, force_name));
    }
    if (!coordinate.empty()) ctx.require_coordinate(p, coordinate, what);
    out.points.push_back(std::move(point));
    out.bodies.push_back(body);
    out.coordinates.push_back(coordinate);
  }
  for (pugi::xml_node w : set_objects(path_el.child("PathWrapSet"))) {
    if (std::string_view(w.name()) != "PathWrap")
      doc.fail(w, fmt::format("unknown path wrap type '{}' in '{}'", w.name(), force_name));
    PathWrap wrap;
    wrap.wrap_object = doc.child_text(w, "wrap_object");
    if (std::find(wrap_names.begin(), wrap_names.end(), wrap.wrap_object) == wrap_names.end())
      doc.fail(w, fmt::format("PathWrap of '{}': wrap object '{}' is not in any body's WrapObjectSet",
                              force_name, wrap.wrap_object));
    // PathWrap.cpp: hybrid, midpoint or axial in any case; "Unassigned" means hybrid.
    std::string method = doc.child_text(w, "method");
    std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
    if (method.empty() || method == "unassigned") method = "hybrid";
    if (method != "hybrid" && method != "midpoint" && method != "axial")
      doc.fail(w.child("method"), fmt::format("PathWrap of '{}': unknown method '{}'", force_name,
                                              doc.child_text(w, "method")));
    wrap.method = method;
    if (const auto r = doc.child_doubles(w, "range", 2)) {
      wrap.range_begin = static_cast<int>((*r)[0]);
      wrap.range_end = static_cast<int>((*r)[1]);
    }
    out.wraps.push_back(std::move(wrap));
  }
  return out;
}

}  // namespace

void read_force_set(const Context& ctx, pugi::xml_node force_set, const FrameResolver& frames,
                    const std::vector<std::string>& wrap_object_names, ModelBuilder& builder) {
  const auto& doc = ctx.doc;
  for (pugi::xml_node f : set_objects(force_set)) {
    ForceElement force;
    force.type = f.name();
    force.name = name_of(f);
    force.file = doc.file();
    force.line = doc.line_of(f);
    // 4.0 `appliesForce`; before, `isDisabled` with the opposite meaning (Force.cpp).
    force.applies_force = f.child("appliesForce") ? doc.child_bool(f, "appliesForce", true)
                                                  : !doc.child_bool(f, "isDisabled", false);
    collect_properties(f, "", force.properties);
    force.properties.erase("appliesForce");
    force.properties.erase("isDisabled");
    ReadPath path;
    if (const auto gp = f.child("GeometryPath"))
      path = read_geometry_path(ctx, gp, force.name, "/forceset/" + force.name, frames,
                                wrap_object_names, builder);
    force.path = std::move(path.points);
    force.wraps = std::move(path.wraps);
    if (!kKnownForces.count(force.type))
      ctx.warn(f, fmt::format("{} '{}' is not supported, ignored (listed only)", force.type, force.name));
    builder.add_force(std::move(force), std::move(path.bodies), std::move(path.coordinates));
  }
}

void read_wrap_objects(const Context& ctx, pugi::xml_node body_element, const std::string& body_name,
                       ModelBuilder& builder, std::vector<std::string>& names) {
  const auto& doc = ctx.doc;
  static const std::set<std::string, std::less<>> kKinds = {"WrapCylinder", "WrapSphere",
                                                            "WrapEllipsoid", "WrapTorus"};
  static const std::set<std::string, std::less<>> kCommon = {"translation", "xyz_body_rotation",
                                                             "quadrant", "active"};
  for (pugi::xml_node w : set_objects(body_element.child("WrapObjectSet"))) {
    if (!kKinds.count(w.name())) {
      ctx.warn(w, fmt::format("{} '{}' is not supported, ignored", w.name(), name_of(w)));
      continue;
    }
    WrapObject wrap;
    wrap.type = w.name();
    wrap.name = name_of(w);
    wrap.line = doc.line_of(w);
    wrap.translation = doc.child_vec3(w, "translation", Vec3::Zero());
    wrap.xyz_body_rotation = doc.child_vec3(w, "xyz_body_rotation", Vec3::Zero());
    wrap.active = doc.child_bool(w, "active", true);
    // WrapObject.cpp: x/+x/X/+X, -x/-X, likewise y and z; all/ALL/All; "Unassigned" -> all.
    std::string q = doc.child_text(w, "quadrant");
    if (q.empty() || q == "Unassigned" || q == "all" || q == "ALL" || q == "All") q = "all";
    if (q.size() == 1 || (q.size() == 2 && q[0] == '+')) q = std::string(1, static_cast<char>(std::tolower(q.back())));
    if (q.size() == 2 && q[0] == '-') q = std::string("-") + static_cast<char>(std::tolower(q[1]));
    static const std::set<std::string, std::less<>> kQuadrants = {"all", "x", "y", "z", "-x", "-y", "-z"};
    if (!kQuadrants.count(q))
      doc.fail(w.child("quadrant"), fmt::format("{} '{}': unknown quadrant '{}'", wrap.type, wrap.name,
                                                doc.child_text(w, "quadrant")));
    wrap.quadrant = q;
    std::map<std::string, std::string> props;
    collect_properties(w, "", props);
    for (auto& [k, v] : props)
      if (!kCommon.count(k) && k.find('/') == std::string::npos && k != "transform" &&
          k != "geometry_files" && k != "show_axes" && k != "scale_factors")
        wrap.properties[k] = v;
    // The shape's sizes must be numbers; the muscle layer reads them from `properties`.
    for (const char* key : {"radius", "length", "dimensions", "inner_radius", "outer_radius"})
      if (w.child(key)) (void)doc.doubles(w.child(key));
    names.push_back(wrap.name);
    builder.add_wrap_object(std::move(wrap), body_name);
  }
}

}  // namespace femur::io::osim
