// Shared pieces of the .osim reader (osim_reader.cpp, osim_functions.cpp, osim_forces.cpp):
// the reading context, OpenSim functions, and the resolution of frame paths to bodies.
// Private to src/io.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "femur/io/xml_util.hpp"
#include "osim_parts.hpp"
#include "femur/math/function.hpp"
#include "femur/model/model_builder.hpp"

namespace femur::io::osim {

// First document version with the 4.0 layout (JointSet, frames, sockets): OpenSim upgrades
// anything older (Joint.cpp updateFromXMLNode, versions < 30505; Model.cpp, < 30501).
inline constexpr int kFirstVersion4 = 30500;

struct Context {
  const XmlDocument& doc;
  int version = 0;
  std::vector<std::string>* warnings = nullptr;
  // Coordinate names of the model (name -> line), once the joints are read.
  const std::map<std::string, int>* coordinates = nullptr;

  bool is_v4() const { return version >= kFirstVersion4; }
  void warn(pugi::xml_node node, const std::string& message) const;
  // Fails at `node` unless `name` is a coordinate of the model.
  void require_coordinate(pugi::xml_node node, const std::string& name, const std::string& what) const;
};

// Name attribute of an element ("" when absent).
std::string name_of(pugi::xml_node element);
// Reads what every listed component (force, contact geometry, controller) carries: its class
// (the element's name), name, file and line. Fails at the element when it has no name.
template <class Component>
void read_identity(const XmlDocument& doc, pugi::xml_node element, Component& c) {
  c.type = element.name();
  c.name = name_of(element);
  c.file = doc.file();
  c.line = doc.line_of(element);
  if (c.name.empty()) doc.fail(element, "a <" + c.type + "> has no name");
}
// Element children of `set`'s <objects> (an OpenSim Set), or of `set` itself if it has none.
std::vector<pugi::xml_node> set_objects(pugi::xml_node set);
// Last component of an OpenSim component path: "/jointset/knee_r/knee_angle_r" -> "knee_angle_r".
std::string path_leaf(std::string_view path);

// ---- Functions (osim_functions.cpp)

// True if `element_name` is an OpenSim Function class femur reads.
bool is_function_element(std::string_view element_name);
// The function element stored in property `property` of `owner`: either
// <property><Kind .../></property> (all versions) or <Kind name="property"> (4.0 style).
// Returns a null node when the property is absent or empty.
pugi::xml_node find_function(const Context& ctx, pugi::xml_node owner, const char* property);
// Reads one function element (<SimmSpline>, <Constant>, ...); unknown kinds and bad data
// throw ParseError at the element.
Function read_function(const Context& ctx, pugi::xml_node function_element);

// ---- Frames

// A frame reduced to the body it is fixed to and its pose in that body.
struct BodyFrame {
  std::string body;        // body name (the ground's name for ground)
  Transform X_body_frame;  // the frame in the body frame
};

// All physical frames of a model by their component path: bodies, ground and
// PhysicalOffsetFrames (in joints, bodies, the model's components). Sockets name them by
// absolute path ("/bodyset/femur_r"), relative path ("pelvis_offset", "../femur_r") or,
// in early 4.0 files, by plain name; resolve() accepts all three.
class FrameResolver {
 public:
  void add_body(const std::string& path, const std::string& body_name);
  void add_offset_frame(const std::string& path, const std::string& parent_ref,
                        const Transform& X_parent_frame, pugi::xml_node element);

  // Resolves `ref` written in the component at `owner_path`. nullopt if it names nothing.
  // Throws ParseError for a chain of offset frames that loops.
  std::optional<BodyFrame> resolve(const Context& ctx, const std::string& owner_path,
                                   const std::string& ref) const;

 private:
  struct Offset {
    std::string parent_ref;
    Transform X_parent_frame;
    pugi::xml_node element;
  };
  std::optional<std::string> find_path(const std::string& owner_path, const std::string& ref) const;
  std::map<std::string, std::string> bodies_;  // path -> body name
  std::map<std::string, Offset> offsets_;      // path -> offset frame
};

// ---- Typed parts (osim_forces.cpp, osim_components.cpp)

// The element being read into a typed part, for messages: "Type 'name': <property> ...".
struct PartReading {
  const Context& ctx;
  pugi::xml_node element;
  std::string type, name;
  std::string owner_path;  // component path of the element, for relative socket paths
  const std::set<std::string, std::less<>>* ignored = nullptr;  // obsolete properties, skipped quietly

  std::string what() const;
  // The property element of `key` ("Object/leaf"), or a null node.
  pugi::xml_node node_of(const std::string& key) const;
  // Fails at the property's line (the element's when the property is absent).
  [[noreturn]] void fail_at(const std::string& key, const std::string& message) const;
};

// Reads the scalar properties of r.element into `part` by `table`: each parsed and checked
// at its line, its name added to `given`; `handled` names children read by hand (references,
// functions); an unknown property is a warning. Fails for a required property missing.
template <class P>
void read_properties(const PartReading& r, const std::vector<Property<P>>& table, P& part,
                     std::vector<std::string>& given, const std::set<std::string, std::less<>>& handled);

// The frame a path point or marker is fixed to: `socket_parent_frame` (4.0) or `body`
// (before), resolved from `owner_path`; `what` names the element in messages.
BodyFrame point_frame(const Context& ctx, const FrameResolver& frames, pugi::xml_node point,
                      const std::string& owner_path, const std::string& what);

// Whether an element of a <components> list is a force (one femur reads, or any OpenSim
// Force subclass by its name).
bool is_force_element(std::string_view element_name);

// Reads one force element (any class; one femur does not model is kept with its XML and a
// warning) into the builder. `owner_path` is the component path of its owner with a trailing
// '/' ("/forceset/", "/").
void read_force(const Context& ctx, pugi::xml_node force, const std::string& owner_path, const FrameResolver& frames,
                ModelBuilder& builder);

// Reads every force of a ForceSet into the builder (muscles with their paths, actuators, ...).
void read_force_set(const Context& ctx, pugi::xml_node force_set, const FrameResolver& frames, ModelBuilder& builder);

// Reads the WrapObjectSet of a body (or ground) `body_name`.
void read_wrap_objects(const Context& ctx, pugi::xml_node body_element, const std::string& body_name,
                       ModelBuilder& builder);

// Contact geometry (ContactSphere, ContactHalfSpace, ContactMesh, or any other kept as XML)
// and controllers (ControlSetController, PrescribedController, or any other kept as XML).
bool is_contact_geometry_element(std::string_view element_name);
bool is_controller_element(std::string_view element_name);
void read_contact_geometry(const Context& ctx, pugi::xml_node element, const std::string& owner_path,
                           const FrameResolver& frames, ModelBuilder& builder);
void read_controller(const Context& ctx, pugi::xml_node element, ModelBuilder& builder);

// The element's XML as written (for an element femur keeps without modelling it).
std::string element_xml(pugi::xml_node element);

}  // namespace femur::io::osim
