// Contact geometry and controllers of an .osim file (OpenSim/Simulation/Model/
// ContactGeometry.cpp, ContactSphere.cpp, ContactHalfSpace.cpp, ContactMesh.cpp;
// OpenSim/Simulation/Control/Controller.cpp, ControlSetController.cpp,
// PrescribedController.cpp), in their sets or in a <components> list.
#include <cmath>

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "osim_internal.hpp"

namespace femur::io::osim {

bool is_contact_geometry_element(std::string_view name) {
  return name == "ContactSphere" || name == "ContactHalfSpace" || name == "ContactMesh" ||
         name == "ContactCylinder" || name == "ContactEllipsoid" || name == "ContactBrick" ||
         name == "ContactTorus";
}

bool is_controller_element(std::string_view name) {
  return name.size() >= 10 && name.substr(name.size() - 10) == "Controller";
}

void read_contact_geometry(const Context& ctx, pugi::xml_node e, const std::string& owner_path,
                           const FrameResolver& frames, ModelBuilder& builder) {
  const auto& doc = ctx.doc;
  ContactGeometry g;
  read_identity(doc, e, g);
  const std::string what = fmt::format("{} '{}'", g.type, g.name);
  // 4.0 socket_frame; 3.x body_name (ContactGeometry.cpp). An offset frame is folded in.
  const char* tag = e.child("socket_frame") ? "socket_frame" : "body_name";
  const std::string ref = doc.child_text(e, tag);
  if (ref.empty()) doc.fail(e, fmt::format("{} has no <{}>", what, tag));
  const auto frame = frames.resolve(ctx, owner_path + g.name, ref);
  if (!frame) doc.fail(e.child(tag), fmt::format("{}: <{}> '{}' names no body or frame", what, tag, ref));
  const Vec3 location = doc.child_vec3(e, "location", Vec3::Zero());
  const Vec3 orientation = doc.child_vec3(e, "orientation", Vec3::Zero());
  g.location = frame->X_body_frame.apply(location);
  g.orientation = body_fixed_xyz_angles(frame->X_body_frame.R * body_fixed_xyz(orientation));
  for (const char* p : {"location", "orientation"})
    if (e.child(p)) g.given.push_back(p);
  if (g.type == "ContactSphere") {
    g.kind = ContactGeometry::Kind::Sphere;
    g.radius = doc.child_number(e, "radius", 0.0);
    if (!(g.radius > 0.0) || !std::isfinite(g.radius))
      doc.fail(e.child("radius") ? e.child("radius") : e,
               fmt::format("{}: <radius> must be positive, got {}", what, doc.child_text(e, "radius")));
  } else if (g.type == "ContactHalfSpace") {
    g.kind = ContactGeometry::Kind::HalfSpace;
  } else if (g.type == "ContactMesh") {
    g.kind = ContactGeometry::Kind::Mesh;
    g.mesh_file = doc.child_text(e, "filename");
    if (g.mesh_file.empty()) doc.fail(e, fmt::format("{} has no <filename>", what));
  } else {
    g.kind = ContactGeometry::Kind::Other;
    g.xml = element_xml(e);
    ctx.warn(e, fmt::format("{} is not supported, ignored (listed only)", what));
  }
  builder.add_contact_geometry(std::move(g), NameRef{frame->body, doc.line_of(e.child(tag))});
}

void read_controller(const Context& ctx, pugi::xml_node e, ModelBuilder& builder) {
  const auto& doc = ctx.doc;
  Controller c;
  read_identity(doc, e, c);
  const std::string what = fmt::format("{} '{}'", c.type, c.name);
  // 4.5 `enabled`; before, `isDisabled` (Controller.cpp updateFromXMLNode).
  c.enabled = e.child("enabled") ? doc.child_bool(e, "enabled", true) : !doc.child_bool(e, "isDisabled", false);
  // Actuators: 4.5 socket_actuators (paths), before actuator_list (names); "ALL" means every
  // actuator of the model (Controller::extendConnectToModel, 4.4 and before; the builder
  // resolves it).
  std::vector<NameRef> actuators;
  const char* list = e.child("socket_actuators") ? "socket_actuators" : "actuator_list";
  for (const std::string& w : doc.words(e.child(list))) actuators.push_back({path_leaf(w), doc.line_of(e.child(list))});
  static const std::set<std::string, std::less<>> kHandled = {"enabled", "isDisabled", "socket_actuators",
                                                              "actuator_list", "ControlFunctions", "FunctionSet",
                                                              "interpolation_method"};
  const PartReading r{ctx, e, c.type, c.name, "/controllerset/" + c.name};
  if (c.type == "ControlSetController") {
    ControlSetController part;
    read_properties(r, control_set_controller_properties(), part, c.given, kHandled);
    if (part.controls_file.empty()) doc.fail(e, fmt::format("{} has no <controls_file>", what));
    c.part = part;
  } else if (c.type == "PrescribedController") {
    PrescribedController part;
    read_properties(r, prescribed_controller_properties(), part, c.given, kHandled);
    pugi::xml_node set = e.child("ControlFunctions");
    if (!set)
      for (pugi::xml_node s : e.children("FunctionSet"))
        if (name_of(s) == "ControlFunctions") set = s;
    for (pugi::xml_node f : set_objects(set)) part.control_functions.push_back(builder.add_function(read_function(ctx, f)));
    if (const auto m = e.child("interpolation_method")) part.interpolation_method = doc.integer(m);
    if (!part.control_functions.empty() && part.control_functions.size() != actuators.size())
      doc.fail(set, fmt::format("{}: {} control functions for {} actuators", what, part.control_functions.size(),
                                actuators.size()));
    c.part = part;
  } else {
    c.xml = element_xml(e);
    ctx.warn(e, fmt::format("{} is not supported, ignored (listed only)", what));
  }
  if (!std::holds_alternative<std::monostate>(c.part))
    ctx.warn(e, fmt::format("{} is read and checked, but femur does not run controllers yet", what));
  builder.add_controller(std::move(c), std::move(actuators));
}

}  // namespace femur::io::osim
