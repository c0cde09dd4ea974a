// .osim reader: the model, its bodies, joints, coordinates, constraints and markers.
// Forces and wrap objects are in osim_forces.cpp, functions and frame paths in
// osim_functions.cpp. Layouts (OPENSIM-NOTES.md 1.2):
//  - 4.0 (document version >= 30500): Ground, BodySet, JointSet whose joints name their
//    parent and child frames through sockets, usually PhysicalOffsetFrames in <frames>.
//  - before (10902..30000): each joint nested in its child body, with parent_body,
//    location_in_parent, orientation_in_parent, location, orientation (Joint.cpp
//    updateFromXMLNode turns these into offset frames; we compute the same transforms).
//  - 10600 wrapped BodySet and ConstraintSet in DynamicsEngine/SimbodyEngine (Model.cpp).
// Everything is read and checked first; the ModelBuilder only sees a consistent file.
#include "femur/io/osim_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "femur/model/model_builder.hpp"
#include "osim_internal.hpp"

namespace femur::io {
namespace {

using namespace osim;

struct JointKind {
  std::string_view element;
  JointType type;
  int dofs;  // -1: as many as the file lists (CustomJoint)
};

// Coordinate counts from the header comment of each joint (OpenSim/Simulation/SimbodyEngine/).
constexpr JointKind kJointKinds[] = {
    {"WeldJoint", JointType::Weld, 0},       {"PinJoint", JointType::Pin, 1},
    {"SliderJoint", JointType::Slider, 1},   {"UniversalJoint", JointType::Universal, 2},
    {"BallJoint", JointType::Ball, 3},       {"GimbalJoint", JointType::Gimbal, 3},
    {"FreeJoint", JointType::Free, 6},       {"PlanarJoint", JointType::Planar, 3},
    {"CustomJoint", JointType::Custom, -1},
};

// OpenSim joints femur knows of but cannot represent with six transform axes.
constexpr std::string_view kUnsupportedJoints[] = {"EllipsoidJoint", "ScapulothoracicJoint",
                                                   "ConstantCurvatureJoint", "CantileverFreeBeamJoint"};

struct JointDraft {
  JointSpec spec;
  pugi::xml_node element;
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

Transform pose(const XmlDocument& doc, pugi::xml_node el, const char* location, const char* orientation) {
  // Orientation: body-fixed X-Y-Z angles in radians (Joint.cpp, PhysicalOffsetFrame).
  return Transform{body_fixed_xyz(doc.child_vec3(el, orientation, Vec3::Zero())),
                   doc.child_vec3(el, location, Vec3::Zero())};
}

class Reader {
 public:
  Reader(const XmlDocument& doc, std::vector<std::string>* warnings, const OsimReadOptions& options = {})
      : ctx_{doc, 0, warnings}, options_(options) {}

  Model read(OsimInfo* info);

 private:
  const XmlDocument& doc() const { return ctx_.doc; }
  pugi::xml_node find(const char* name) const {
    if (auto n = model_.child(name)) return n;
    return engine_.child(name);
  }

  void read_bodies_v4();
  void read_joints_v4();
  void read_bodies_v3();
  void read_joint_v3(pugi::xml_node joint, const std::string& child_body);
  BodySpec read_body(pugi::xml_node body) const;
  void read_joint_common(pugi::xml_node el, JointDraft& draft, const std::string& owner_path);
  Coordinate read_coordinate(pugi::xml_node el) const;
  void read_spatial_transform(pugi::xml_node el, JointDraft& draft) const;
  void register_offset_frames(pugi::xml_node holder, const std::string& owner_path);
  void check_tree() const;
  void read_constraints();
  void read_markers();
  void read_wraps_and_forces();
  std::vector<std::pair<std::vector<pugi::xml_node>, std::string>> component_lists() const;
  void note_ignored_sets() const;

  Context ctx_;
  OsimReadOptions options_;
  pugi::xml_node model_, engine_;
  std::string ground_name_ = "ground";
  FrameResolver frames_;
  std::vector<std::pair<BodySpec, pugi::xml_node>> bodies_;
  std::vector<JointDraft> joints_;
  std::map<std::string, int> coordinate_lines_;  // coordinate name -> line of its element
  std::vector<std::unique_ptr<XmlDocument>> set_docs_;  // force-set and contact-geometry files, kept for messages
  ModelBuilder builder_;
};

Model Reader::read(OsimInfo* info) {
  const pugi::xml_node root = doc().root();
  if (std::string_view(root.name()) == "OpenSimDocument") {
    const auto v = root.attribute("Version");
    if (!v) doc().fail(root, "<OpenSimDocument> has no Version attribute");
    const auto number = document_version(v.value());
    if (!number) doc().fail(root, fmt::format("<OpenSimDocument> Version '{}' is not a number", v.value()));
    ctx_.version = *number;
    model_ = root.child("Model");
  } else if (std::string_view(root.name()) == "Model") {
    ctx_.version = 10500;  // a bare <Model>, as written before OpenSimDocument existed
    model_ = root;
  } else {
    doc().fail(root, fmt::format("not an OpenSim model: the root element is <{}>", root.name()));
  }
  if (!model_) doc().fail(root, "<OpenSimDocument> has no <Model>");
  if (ctx_.version < 10500)
    doc().fail(root, fmt::format("OpenSim document version {} is older than femur reads (10500)", ctx_.version));
  engine_ = model_.child("DynamicsEngine").child("SimbodyEngine");

  builder_.set_name(name_of(model_));
  builder_.set_source_file(doc().file());
  if (const auto g = find("gravity")) builder_.set_gravity(doc().vec3(g));
  builder_.set_credits(XmlDocument::text(model_.child("credits")));
  builder_.set_publications(XmlDocument::text(model_.child("publications")));

  if (ctx_.is_v4()) {
    read_bodies_v4();
    read_joints_v4();
  } else {
    read_bodies_v3();
  }
  builder_.set_ground_name(ground_name_);
  for (auto& [spec, el] : bodies_) builder_.add_body(spec);
  check_tree();
  ctx_.coordinates = &coordinate_lines_;
  for (auto& d : joints_) builder_.add_joint(d.spec);
  read_constraints();
  read_markers();
  read_wraps_and_forces();
  note_ignored_sets();

  if (info) {
    info->version = ctx_.version;
    info->ground_name = ground_name_;
  }
  try {
    return std::move(builder_).build();
  } catch (const ModelError& e) {
    // The builder names elements by the "file:line" we gave it (the model's file or a force
    // set file); keep that place.
    const std::string msg = e.what();
    std::vector<std::string> files{doc().file()};
    for (const auto& d : set_docs_) files.push_back(d->file());
    for (const std::string& file : files) {
      const std::string prefix = file + ":";
      if (msg.rfind(prefix, 0) != 0) continue;
      std::size_t i = prefix.size(), j = i;
      while (j < msg.size() && std::isdigit(static_cast<unsigned char>(msg[j]))) ++j;
      if (j > i) {
        std::string rest = msg.substr(j);
        while (!rest.empty() && (rest.front() == ':' || rest.front() == ' ')) rest.erase(0, 1);
        throw ParseError(file, std::stoi(msg.substr(i, j - i)), rest);
      }
    }
    throw ParseError(doc().file(), 0, msg);
  }
}

BodySpec Reader::read_body(pugi::xml_node el) const {
  BodySpec b;
  b.name = name_of(el);
  b.where = doc().where(el);
  if (b.name.empty()) doc().fail(el, "a <Body> has no name");
  b.mass = doc().child_number(el, "mass", 0.0);
  if (!(b.mass >= 0.0)) doc().fail(el.child("mass"), fmt::format("body '{}': mass {} is negative", b.name, b.mass));
  b.com_in_body = doc().child_vec3(el, "mass_center", Vec3::Zero());
  // Ixx Iyy Izz Ixy Ixz Iyz about the centre of mass, in the body frame (Body.cpp); before
  // 30500 as six elements inertia_xx ... inertia_yz.
  std::array<double, 6> I{0, 0, 0, 0, 0, 0};
  if (const auto in = el.child("inertia")) {
    const auto v = doc().doubles(in);
    if (v.size() != 6)
      doc().fail(in, fmt::format("<inertia> of '{}': expected 6 numbers (Ixx Iyy Izz Ixy Ixz Iyz), found {}",
                                 b.name, v.size()));
    std::copy(v.begin(), v.end(), I.begin());
  } else {
    const char* names[6] = {"inertia_xx", "inertia_yy", "inertia_zz", "inertia_xy", "inertia_xz", "inertia_yz"};
    for (int i = 0; i < 6; ++i) I[i] = doc().child_number(el, names[i], 0.0);
  }
  b.inertia_about_com << I[0], I[3], I[4], I[3], I[1], I[5], I[4], I[5], I[2];
  return b;
}

void Reader::register_offset_frames(pugi::xml_node holder, const std::string& owner_path) {
  for (pugi::xml_node f : holder.children()) {
    if (f.type() != pugi::node_element) continue;
    if (std::string_view(f.name()) != "PhysicalOffsetFrame") continue;
    const std::string name = name_of(f);
    if (name.empty()) doc().fail(f, "a <PhysicalOffsetFrame> has no name");
    const std::string parent = doc().child_text(f, "socket_parent");
    if (parent.empty()) doc().fail(f, fmt::format("PhysicalOffsetFrame '{}' has no <socket_parent>", name));
    const std::string path = owner_path + "/" + name;
    frames_.add_offset_frame(path, parent, pose(doc(), f, "translation", "orientation"), f);
    // An offset frame may own further frames (4.0 allows nesting in <components>).
    register_offset_frames(f.child("components"), path);
  }
}

void Reader::read_bodies_v4() {
  if (const auto g = model_.child("Ground")) {
    if (!name_of(g).empty()) ground_name_ = name_of(g);
    register_offset_frames(g.child("components"), "/" + ground_name_);
  }
  frames_.add_body("/" + ground_name_, ground_name_);
  frames_.add_body("/ground", ground_name_);
  std::map<std::string, int> lines;
  for (pugi::xml_node b : set_objects(model_.child("BodySet"))) {
    if (std::string_view(b.name()) != "Body")
      doc().fail(b, fmt::format("unknown body type '{}' in <BodySet>", b.name()));
    BodySpec spec = read_body(b);
    if (spec.name == ground_name_) doc().fail(b, fmt::format("body '{}' has the name of the ground", spec.name));
    if (auto [it, fresh] = lines.emplace(spec.name, doc().line_of(b)); !fresh)
      doc().fail(b, fmt::format("body '{}' is defined twice (first at line {})", spec.name, it->second));
    frames_.add_body("/bodyset/" + spec.name, spec.name);
    register_offset_frames(b.child("components"), "/bodyset/" + spec.name);
    bodies_.emplace_back(std::move(spec), b);
  }
  // Frames owned by the model itself (<components>, <ComponentSet>).
  register_offset_frames(model_.child("components"), "");
  register_offset_frames(model_.child("ComponentSet").child("objects"), "/componentset");
}

void Reader::read_joints_v4() {
  const auto joint_elements = set_objects(model_.child("JointSet"));
  // Frames first: a joint's socket may name a frame another joint owns.
  for (pugi::xml_node j : joint_elements)
    register_offset_frames(j.child("frames"), "/jointset/" + name_of(j));
  for (pugi::xml_node j : joint_elements) {
    JointDraft d;
    d.element = j;
    d.spec.name = name_of(j);
    if (d.spec.name.empty()) doc().fail(j, fmt::format("a <{}> has no name", j.name()));
    const std::string owner = "/jointset/" + d.spec.name;
    const std::string parent_ref = doc().child_text(j, "socket_parent_frame");
    const std::string child_ref = doc().child_text(j, "socket_child_frame");
    // Type first, so an unsupported joint is reported as such.
    read_joint_common(j, d, owner);
    if (parent_ref.empty()) doc().fail(j, fmt::format("joint '{}' has no <socket_parent_frame>", d.spec.name));
    if (child_ref.empty()) doc().fail(j, fmt::format("joint '{}' has no <socket_child_frame>", d.spec.name));
    const auto parent = frames_.resolve(ctx_, owner, parent_ref);
    if (!parent)
      doc().fail(j.child("socket_parent_frame"),
                 fmt::format("joint '{}': socket_parent_frame '{}' names no body or frame", d.spec.name, parent_ref));
    const auto child = frames_.resolve(ctx_, owner, child_ref);
    if (!child)
      doc().fail(j.child("socket_child_frame"),
                 fmt::format("joint '{}': socket_child_frame '{}' names no body or frame", d.spec.name, child_ref));
    d.spec.parent_body = parent->body;
    d.spec.X_parent_F = parent->X_body_frame;
    d.spec.child_body = child->body;
    d.spec.X_child_M = child->X_body_frame;
    d.spec.child_frame = child_ref.substr(child_ref.find_last_of('/') + 1);  // a path's last name
    joints_.push_back(std::move(d));
  }
}

void Reader::read_bodies_v3() {
  const auto body_elements = set_objects(find("BodySet"));
  // The ground is the body named "ground" (the 4.0 upgrade, Model.cpp, turns it into
  // <Ground>); failing that, the one body without a joint.
  pugi::xml_node ground;
  for (pugi::xml_node b : body_elements)
    if (name_of(b) == "ground") ground = b;
  if (!ground) {
    for (pugi::xml_node b : body_elements) {
      bool has_joint = false;
      for (pugi::xml_node c : b.child("Joint").children()) has_joint |= c.type() == pugi::node_element;
      if (!has_joint) {
        ground = b;
        break;
      }
    }
  }
  if (!ground) doc().fail(find("BodySet") ? find("BodySet") : model_, "no ground body (a body named 'ground')");
  ground_name_ = name_of(ground);
  frames_.add_body("/" + ground_name_, ground_name_);
  frames_.add_body("/bodyset/" + ground_name_, ground_name_);
  std::map<std::string, int> lines;
  for (pugi::xml_node b : body_elements) {
    if (std::string_view(b.name()) != "Body")
      doc().fail(b, fmt::format("unknown body type '{}' in <BodySet>", b.name()));
    if (auto [it, fresh] = lines.emplace(name_of(b), doc().line_of(b)); !fresh)
      doc().fail(b, fmt::format("body '{}' is defined twice (first at line {})", name_of(b), it->second));
    if (b == ground) continue;
    BodySpec spec = read_body(b);
    frames_.add_body("/bodyset/" + spec.name, spec.name);
    bodies_.emplace_back(std::move(spec), b);
  }
  for (auto& [spec, b] : bodies_) {
    pugi::xml_node joint;
    for (pugi::xml_node c : b.child("Joint").children()) {
      if (c.type() != pugi::node_element) continue;
      if (joint) doc().fail(c, fmt::format("body '{}' has more than one joint", spec.name));
      joint = c;
    }
    if (joint) read_joint_v3(joint, spec.name);
  }
}

void Reader::read_joint_v3(pugi::xml_node j, const std::string& child_body) {
  JointDraft d;
  d.element = j;
  d.spec.name = name_of(j).empty() ? child_body + "_joint" : name_of(j);
  read_joint_common(j, d, "/jointset/" + d.spec.name);
  // Version 30514 removed `reverse` by swapping the frames; no shipped model sets it.
  if (doc().child_bool(j, "reverse", false))
    doc().fail(j.child("reverse"), fmt::format("joint '{}': reverse=true is not supported", d.spec.name));
  const std::string parent = doc().child_text(j, "parent_body");
  if (parent.empty()) doc().fail(j, fmt::format("joint '{}' has no <parent_body>", d.spec.name));
  const auto pf = frames_.resolve(ctx_, "", parent);
  if (!pf)
    doc().fail(j.child("parent_body"),
               fmt::format("joint '{}': parent_body '{}' is not a body of the model", d.spec.name, parent));
  d.spec.parent_body = pf->body;
  d.spec.child_body = child_body;
  d.spec.X_parent_F = pose(doc(), j, "location_in_parent", "orientation_in_parent");
  d.spec.X_child_M = pose(doc(), j, "location", "orientation");
  // The 4.0 upgrade (Joint::updateFromXMLNode, version 30505) puts the child side in a frame
  // "<body>_offset" when location or orientation in the child is not zero.
  const bool offset = d.spec.X_child_M.p != Vec3::Zero() || d.spec.X_child_M.R != Mat3::Identity();
  d.spec.child_frame = offset ? child_body + "_offset" : child_body;
  joints_.push_back(std::move(d));
}

// Type, coordinates and (CustomJoint) spatial transform, common to both layouts.
void Reader::read_joint_common(pugi::xml_node j, JointDraft& d, const std::string& owner_path) {
  const std::string_view element = j.name();
  for (auto u : kUnsupportedJoints)
    if (element == u) doc().fail(j, fmt::format("{} '{}' is not supported by femur", element, d.spec.name));
  const JointKind* kind = nullptr;
  for (const auto& k : kJointKinds)
    if (k.element == element) kind = &k;
  if (!kind) doc().fail(j, fmt::format("unknown joint type '{}' (joint '{}')", element, d.spec.name));
  d.spec.type = kind->type;
  d.spec.where = doc().where(j);

  const pugi::xml_node holder = ctx_.is_v4() ? j.child("coordinates") : j.child("CoordinateSet");
  for (pugi::xml_node c : ctx_.is_v4() ? std::vector<pugi::xml_node>(holder.children().begin(), holder.children().end())
                                       : set_objects(holder)) {
    if (c.type() != pugi::node_element) continue;
    if (std::string_view(c.name()) != "Coordinate")
      doc().fail(c, fmt::format("joint '{}': unexpected <{}> among its coordinates", d.spec.name, c.name()));
    d.spec.coordinates.push_back(read_coordinate(c));
    if (d.spec.coordinates.back().name.empty())
      d.spec.coordinates.back().name = fmt::format("{}_coord_{}", d.spec.name, d.spec.coordinates.size() - 1);
    const std::string& name = d.spec.coordinates.back().name;
    if (auto [it, fresh] = coordinate_lines_.emplace(name, doc().line_of(c)); !fresh)
      doc().fail(c, fmt::format("coordinate '{}' is defined twice (first at line {})", name, it->second));
  }
  const int n = static_cast<int>(d.spec.coordinates.size());
  if (kind->dofs >= 0) {
    if (n > kind->dofs)
      doc().fail(j, fmt::format("{} '{}' has {} coordinates; it takes {}", element, d.spec.name, n, kind->dofs));
    // Joint::constructCoordinates: missing coordinates get default ones named <joint>_coord_<i>.
    for (int i = n; i < kind->dofs; ++i) {
      Coordinate c;
      c.name = fmt::format("{}_coord_{}", d.spec.name, i);
      if (auto [it, fresh] = coordinate_lines_.emplace(c.name, doc().line_of(j)); !fresh)
        doc().fail(j, fmt::format("coordinate '{}' is defined twice (first at line {})", c.name, it->second));
      d.spec.coordinates.push_back(c);
    }
  }
  if (kind->type == JointType::Custom) read_spatial_transform(j, d);
}

Coordinate Reader::read_coordinate(pugi::xml_node el) const {
  Coordinate c;
  c.name = name_of(el);
  if (const auto m = el.child("motion_type"); m && !XmlDocument::text(m).empty()) {
    const std::string t = lower(XmlDocument::text(m));
    if (t == "rotational") c.motion_type = MotionType::Rotational;
    else if (t == "translational") c.motion_type = MotionType::Translational;
    else if (t == "coupled") c.motion_type = MotionType::Coupled;
    else doc().fail(m, fmt::format("coordinate '{}': unknown motion_type '{}'", c.name, XmlDocument::text(m)));
  }
  c.default_value = doc().child_number(el, "default_value", 0.0);
  c.default_speed = doc().child_number(el, "default_speed_value", 0.0);
  if (const auto r = doc().child_doubles(el, "range", 2)) {
    c.range_min = (*r)[0];
    c.range_max = (*r)[1];
    if (c.range_min > c.range_max)
      doc().fail(el.child("range"), fmt::format("coordinate '{}': range minimum {} exceeds maximum {}", c.name,
                                                c.range_min, c.range_max));
  }
  c.clamped = doc().child_bool(el, "clamped", false);
  c.locked = doc().child_bool(el, "locked", false);
  c.prescribed = doc().child_bool(el, "prescribed", false);
  if (c.prescribed)
    ctx_.warn(el, fmt::format("coordinate '{}' is prescribed; femur does not read prescribed_function, "
                              "the coordinate is treated as free", c.name));
  return c;
}

void Reader::read_spatial_transform(pugi::xml_node j, JointDraft& d) const {
  // SpatialTransform.cpp: rotation1..3 then translation1..3; each TransformAxis has `axis`,
  // `coordinates` and `function`.
  const pugi::xml_node st = j.child("SpatialTransform");
  if (!st) doc().fail(j, fmt::format("CustomJoint '{}' has no <SpatialTransform>", d.spec.name));
  static const char* kAxisNames[6] = {"rotation1", "rotation2", "rotation3",
                                      "translation1", "translation2", "translation3"};
  std::set<std::string> joint_coordinates;
  for (const auto& c : d.spec.coordinates) joint_coordinates.insert(c.name);
  std::vector<pugi::xml_node> axes;
  for (pugi::xml_node a : st.children("TransformAxis")) axes.push_back(a);
  if (axes.size() > 6) doc().fail(st, fmt::format("CustomJoint '{}': more than six TransformAxis", d.spec.name));
  for (std::size_t k = 0; k < axes.size(); ++k) {
    const pugi::xml_node a = axes[k];
    int slot = static_cast<int>(k);
    if (!name_of(a).empty()) {
      slot = -1;
      for (int i = 0; i < 6; ++i)
        if (name_of(a) == kAxisNames[i]) slot = i;
      if (slot < 0) doc().fail(a, fmt::format("CustomJoint '{}': unknown TransformAxis '{}'", d.spec.name, name_of(a)));
    }
    AxisSpec& spec = d.spec.axes[slot];
    spec.axis = doc().child_vec3(a, "axis", spec.axis);
    if (spec.axis.norm() == 0.0) doc().fail(a.child("axis"), fmt::format("CustomJoint '{}': {} has a zero axis", d.spec.name, kAxisNames[slot]));
    const auto names = doc().words(a.child("coordinates"));
    if (names.size() > 1)
      doc().fail(a.child("coordinates"),
                 fmt::format("CustomJoint '{}': {} depends on {} coordinates; femur supports one per axis "
                             "(not supported)", d.spec.name, kAxisNames[slot], names.size()));
    spec.coordinate = names.empty() ? std::string() : names[0];
    if (!spec.coordinate.empty() && !joint_coordinates.count(spec.coordinate))
      doc().fail(a.child("coordinates"), fmt::format("CustomJoint '{}': {} names coordinate '{}', which is not "
                                                     "one of the joint's", d.spec.name, kAxisNames[slot], spec.coordinate));
    if (const auto f = find_function(ctx_, a, "function"))
      spec.function = read_function(ctx_, f);
    else
      spec.function = spec.coordinate.empty() ? Function::constant(0.0) : Function::linear(1.0, 0.0);
  }
}

// Each body one joint, every chain of parents ending at ground: checked here so a broken
// tree is reported at the joint's line.
void Reader::check_tree() const {
  std::map<std::string, const JointDraft*> joint_of;  // child body -> joint
  std::map<std::string, int> joint_lines;
  for (const auto& d : joints_) {
    if (auto [it, fresh] = joint_lines.emplace(d.spec.name, doc().line_of(d.element)); !fresh)
      doc().fail(d.element, fmt::format("joint '{}' is defined twice (first at line {})", d.spec.name, it->second));
    if (d.spec.child_body == ground_name_)
      doc().fail(d.element, fmt::format("joint '{}': the ground cannot be a joint's child", d.spec.name));
    if (d.spec.child_body == d.spec.parent_body)
      doc().fail(d.element, fmt::format("joint '{}' connects body '{}' to itself", d.spec.name, d.spec.child_body));
    if (auto [it, fresh] = joint_of.emplace(d.spec.child_body, &d); !fresh)
      doc().fail(d.element, fmt::format("body '{}' is the child of two joints, '{}' and '{}'", d.spec.child_body,
                                        it->second->spec.name, d.spec.name));
  }
  for (const auto& [spec, el] : bodies_)
    if (!joint_of.count(spec.name))
      doc().fail(el, fmt::format("body '{}' has no joint connecting it to the model", spec.name));
  for (const auto& d : joints_) {
    std::vector<std::string> chain{d.spec.child_body};
    std::string body = d.spec.parent_body;
    while (body != ground_name_) {
      chain.push_back(body);
      if (std::find(chain.begin(), chain.end() - 1, body) != chain.end() - 1) {
        std::string loop;
        for (const auto& b : chain) loop += (loop.empty() ? "" : " -> ") + b;
        doc().fail(d.element, fmt::format("joint '{}': bodies form a loop ({}) that never reaches the ground",
                                          d.spec.name, loop));
      }
      const auto it = joint_of.find(body);
      if (it == joint_of.end()) break;  // reported above as a body without joint
      body = it->second->spec.parent_body;
    }
  }
}

void Reader::read_constraints() {
  int k = 0;
  for (pugi::xml_node c : set_objects(find("ConstraintSet"))) {
    ++k;
    const std::string type = c.name();
    const std::string name = name_of(c).empty() ? fmt::format("{}_{}", type, k) : name_of(c);
    // 4.0 `isEnforced`; before, `isDisabled` (Constraint.cpp).
    const bool enforced = c.child("isEnforced") ? doc().child_bool(c, "isEnforced", true)
                                                : !doc().child_bool(c, "isDisabled", false);
    if (!enforced) {
      ctx_.warn(c, fmt::format("{} '{}' is disabled, skipped", type, name));
      continue;
    }
    if (type != "CoordinateCouplerConstraint") {
      builder_.add_other_constraint(OtherConstraint{type, name, doc().line_of(c)});
      ctx_.warn(c, fmt::format("{} '{}' is not enforced by femur yet", type, name));
      continue;
    }
    CouplerSpec s;
    s.name = name;
    s.where = doc().where(c);
    s.independent = doc().words(c.child("independent_coordinate_names"));
    for (auto& n : s.independent) n = path_leaf(n);
    s.dependent = path_leaf(doc().child_text(c, "dependent_coordinate_name"));
    if (s.independent.empty())
      doc().fail(c, fmt::format("CoordinateCouplerConstraint '{}' has no independent_coordinate_names", name));
    if (s.independent.size() > 1)
      doc().fail(c.child("independent_coordinate_names"),
                 fmt::format("CoordinateCouplerConstraint '{}': {} independent coordinates are not supported "
                             "(femur supports one)", name, s.independent.size()));
    if (s.dependent.empty())
      doc().fail(c, fmt::format("CoordinateCouplerConstraint '{}' has no dependent_coordinate_name", name));
    const std::string what = fmt::format("CoordinateCouplerConstraint '{}'", name);
    ctx_.require_coordinate(c.child("independent_coordinate_names"), s.independent[0], what);
    ctx_.require_coordinate(c.child("dependent_coordinate_name"), s.dependent, what);
    const auto f = find_function(ctx_, c, "coupled_coordinates_function");
    if (!f) doc().fail(c, fmt::format("CoordinateCouplerConstraint '{}' has no coupled_coordinates_function", name));
    s.function = read_function(ctx_, f);
    // CoordinateCouplerConstraint.cpp: q_dep = scale_factor * f(q_indep).
    const double scale = doc().child_number(c, "scale_factor", 1.0);
    // A NaN or infinite factor was an uncaught std::invalid_argument from Function::multiplier
    // (found by osim_fuzz): an error at its line instead.
    if (!std::isfinite(scale))
      doc().fail(c.child("scale_factor"),
                 fmt::format("CoordinateCouplerConstraint '{}': scale_factor is not a finite number", name));
    if (scale != 1.0) s.function = Function::multiplier(s.function, scale);
    builder_.add_coupler(std::move(s));
  }
}

void Reader::read_markers() {
  std::map<std::string, int> lines;
  for (pugi::xml_node m : set_objects(find("MarkerSet"))) {
    if (std::string_view(m.name()) != "Marker") {
      ctx_.warn(m, fmt::format("{} '{}' is not supported, ignored", m.name(), name_of(m)));
      continue;
    }
    MarkerSpec s;
    s.name = name_of(m);
    s.where = doc().where(m);
    if (auto [it, fresh] = lines.emplace(s.name, doc().line_of(m)); !fresh)
      doc().fail(m, fmt::format("marker '{}' is defined twice (first at line {})", s.name, it->second));
    const BodyFrame frame = point_frame(ctx_, frames_, m, "/markerset/" + s.name, fmt::format("marker '{}'", s.name));
    s.body = frame.body;
    s.location = frame.X_body_frame.apply(doc().child_vec3(m, "location", Vec3::Zero()));
    s.fixed = doc().child_bool(m, "fixed", false);
    builder_.add_marker(std::move(s));
  }
}

void Reader::read_wraps_and_forces() {
  if (ctx_.is_v4()) {
    if (const auto g = model_.child("Ground")) read_wrap_objects(ctx_, g, ground_name_, builder_);
  } else {
    for (pugi::xml_node b : set_objects(find("BodySet")))
      if (name_of(b) == ground_name_) read_wrap_objects(ctx_, b, ground_name_, builder_);
  }
  for (auto& [spec, el] : bodies_) read_wrap_objects(ctx_, el, spec.name, builder_);
  // Contact geometry first: forces name it.
  for (pugi::xml_node g : set_objects(find("ContactGeometrySet")))
    read_contact_geometry(ctx_, g, "/contactgeometryset/", frames_, builder_);
  for (const auto& [holder, owner] : component_lists())
    for (pugi::xml_node c : holder)
      if (is_contact_geometry_element(c.name())) read_contact_geometry(ctx_, c, owner, frames_, builder_);
  // A set file named by the caller (a tool's force_set_files, Moco's set files beside a
  // model): its <SetName> (bare or in an <OpenSimDocument>) and a context reading it with
  // its own version and file name.
  auto open_set_file = [&](const std::filesystem::path& file, const char* set_name, const std::string& expected) {
    set_docs_.push_back(std::make_unique<XmlDocument>(XmlDocument::load_file(file)));
    const XmlDocument& set_doc = *set_docs_.back();
    pugi::xml_node set = set_doc.root();
    int version = ctx_.version;
    if (std::string_view(set.name()) == "OpenSimDocument") {
      if (const auto v = document_version(set.attribute("Version").value())) version = *v;
      set = set.child(set_name);
    }
    if (!set || std::string_view(set.name()) != set_name) set_doc.fail(set_doc.root(), expected);
    Context set_ctx{set_doc, version, ctx_.warnings};
    set_ctx.coordinates = ctx_.coordinates;
    return std::pair{set, set_ctx};
  };
  for (const auto& file : options_.contact_geometry_files) {
    const auto [set, set_ctx] = open_set_file(file, "ContactGeometrySet", "expected a <ContactGeometrySet>");
    for (pugi::xml_node g : set_objects(set)) {
      if (!is_contact_geometry_element(g.name()))
        set_ctx.doc.fail(g, fmt::format("<{}> is not contact geometry", g.name()));
      read_contact_geometry(set_ctx, g, "/contactgeometryset/", frames_, builder_);
    }
  }
  if (!(options_.replace_force_set && !options_.force_set_files.empty()))
    read_force_set(ctx_, find("ForceSet"), frames_, builder_);
  for (const auto& file : options_.force_set_files) {
    const auto [set, set_ctx] = open_set_file(file, "ForceSet", "expected a <ForceSet> (a tool's force_set_files entry)");
    read_force_set(set_ctx, set, frames_, builder_);
  }
  // Forces, controllers and other components the model keeps in its <components> list or
  // its ComponentSet (models made by scripts and by Moco do).
  for (const auto& [holder, owner] : component_lists()) {
    for (pugi::xml_node c : holder) {
      const std::string_view type = c.name();
      if (type == "PhysicalOffsetFrame" || is_contact_geometry_element(type)) continue;
      if (is_controller_element(type)) {
        read_controller(ctx_, c, builder_);
      } else if (is_force_element(type)) {
        read_force(ctx_, c, owner, frames_, builder_);
      } else {
        ctx_.warn(c, fmt::format("{} '{}' is not supported, ignored", type, name_of(c)));
      }
    }
  }
  for (pugi::xml_node c : set_objects(find("ControllerSet"))) read_controller(ctx_, c, builder_);
}

// The model's own component lists: <components> (OpenSim 4) and <ComponentSet>, each with the
// component path of its owner.
std::vector<std::pair<std::vector<pugi::xml_node>, std::string>> Reader::component_lists() const {
  std::vector<std::pair<std::vector<pugi::xml_node>, std::string>> lists;
  std::vector<pugi::xml_node> components;
  for (pugi::xml_node c : model_.child("components").children())
    if (c.type() == pugi::node_element) components.push_back(c);
  lists.emplace_back(std::move(components), "/");
  lists.emplace_back(set_objects(model_.child("ComponentSet")), "/componentset/");
  return lists;
}

void Reader::note_ignored_sets() const {
  for (const char* set : {"ProbeSet"}) {
    const auto objects = set_objects(model_.child(set));
    if (!objects.empty())
      ctx_.warn(model_.child(set), fmt::format("{} with {} element(s) is not supported, ignored", set, objects.size()));
  }
}

}  // namespace

Model read_osim(const std::filesystem::path& file, std::vector<std::string>* warnings, OsimInfo* info,
                const OsimReadOptions& options) {
  const XmlDocument doc = XmlDocument::load_file(file);
  return Reader(doc, warnings, options).read(info);
}

Model read_osim_string(const std::string& text, const std::string& file_label,
                       std::vector<std::string>* warnings, OsimInfo* info) {
  const XmlDocument doc = XmlDocument::load_string(text, file_label);
  return Reader(doc, warnings).read(info);
}

}  // namespace femur::io
