// Display geometry of an .osim file (see osim_geometry.hpp). Frames are resolved with the
// .osim reader's FrameResolver, registered the way the reader registers them.
#include "femur/io/osim_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <system_error>

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "femur/io/xml_util.hpp"
#include "osim_internal.hpp"

namespace femur::io {
namespace {

using namespace osim;
namespace fs = std::filesystem;

// OpenSim 4 upgrades VisibleObject to attached_geometry below this version (PhysicalFrame.cpp).
constexpr int kFirstAttachedGeometry = 30502;
// Before this version a VisibleObject lists geometry_files instead of a GeometrySet.
constexpr int kFirstGeometrySet = 20101;

Transform pose(const XmlDocument& doc, pugi::xml_node el, const char* location, const char* orientation) {
  return Transform{body_fixed_xyz(doc.child_vec3(el, orientation, Vec3::Zero())),
                   doc.child_vec3(el, location, Vec3::Zero())};
}

// "rX rY rZ tx ty tz" (OpenSim 3.x transform property), body-fixed XYZ rotations.
Transform six_transform(const XmlDocument& doc, pugi::xml_node el) {
  if (!el) return Transform{};
  const std::vector<double> v = doc.doubles(el);
  if (v.size() != 6)
    doc.fail(el, fmt::format("<transform> has {} numbers, expected 6 (rX rY rZ tx ty tz)", v.size()));
  return Transform{body_fixed_xyz(Vec3(v[0], v[1], v[2])), Vec3(v[3], v[4], v[5])};
}

class GeometryReader {
 public:
  GeometryReader(const XmlDocument& doc, std::vector<std::string>* warnings) : ctx_{doc, 0, warnings} {}

  std::vector<DisplayGeometry> read() {
    const pugi::xml_node root = doc().root();
    if (std::string_view(root.name()) == "OpenSimDocument") {
      const auto v = document_version(root.attribute("Version").value());
      if (!v) doc().fail(root, "<OpenSimDocument> has no numeric Version attribute");
      ctx_.version = *v;
      model_ = root.child("Model");
    } else if (std::string_view(root.name()) == "Model") {
      ctx_.version = 10500;
      model_ = root;
    } else {
      doc().fail(root, fmt::format("not an OpenSim model: the root element is <{}>", root.name()));
    }
    if (!model_) doc().fail(root, "<OpenSimDocument> has no <Model>");
    if (ctx_.version >= kFirstAttachedGeometry) read_v4();
    else read_v3();
    return std::move(out_);
  }

 private:
  const XmlDocument& doc() const { return ctx_.doc; }

  pugi::xml_node find(const char* name) const {
    if (auto n = model_.child(name)) return n;
    return model_.child("DynamicsEngine").child("SimbodyEngine").child(name);
  }

  // ---- 4.x

  struct Holder {
    pugi::xml_node element;
    std::string path;
  };

  void register_offsets(pugi::xml_node container, const std::string& owner_path) {
    for (pugi::xml_node f : container.children()) {
      if (f.type() != pugi::node_element || std::string_view(f.name()) != "PhysicalOffsetFrame") continue;
      const std::string name = name_of(f);
      const std::string path = owner_path + "/" + name;
      frames_.add_offset_frame(path, doc().child_text(f, "socket_parent"), pose(doc(), f, "translation", "orientation"),
                               f);
      holders_.push_back({f, path});
      register_offsets(f.child("components"), path);
    }
  }

  void read_v4() {
    std::string ground = "ground";
    if (const auto g = model_.child("Ground")) {
      if (!name_of(g).empty()) ground = name_of(g);
      holders_.push_back({g, "/" + ground});
      register_offsets(g.child("components"), "/" + ground);
    }
    frames_.add_body("/" + ground, ground);
    frames_.add_body("/ground", ground);
    for (pugi::xml_node b : set_objects(model_.child("BodySet"))) {
      const std::string path = "/bodyset/" + name_of(b);
      frames_.add_body(path, name_of(b));
      holders_.push_back({b, path});
      register_offsets(b.child("components"), path);
    }
    for (pugi::xml_node j : set_objects(model_.child("JointSet")))
      register_offsets(j.child("frames"), "/jointset/" + name_of(j));
    register_offsets(model_.child("components"), "");
    register_offsets(model_.child("ComponentSet").child("objects"), "/componentset");

    for (const Holder& h : holders_)
      for (pugi::xml_node g : h.element.child("attached_geometry").children()) {
        if (g.type() != pugi::node_element) continue;
        read_v4_geometry(g, h.path + "/" + name_of(g));
      }
  }

  void read_v4_geometry(pugi::xml_node g, const std::string& path) {
    const std::string_view kind = g.name();
    DisplayGeometry d;
    if (kind == "Mesh") {
      d.shape = DisplayGeometry::Shape::Mesh;
      d.mesh_file = doc().child_text(g, "mesh_file");
      if (d.mesh_file.empty()) {
        ctx_.warn(g, fmt::format("Mesh '{}' has no <mesh_file>, not drawn", name_of(g)));
        return;
      }
    } else if (kind == "Sphere") {
      d.shape = DisplayGeometry::Shape::Sphere;
      d.dimensions = Vec3(doc().child_number(g, "radius", 1.0), 0.0, 0.0);
    } else if (kind == "Cylinder") {
      d.shape = DisplayGeometry::Shape::Cylinder;
      d.dimensions = Vec3(doc().child_number(g, "radius", 1.0), doc().child_number(g, "half_height", 1.0), 0.0);
    } else if (kind == "Brick") {
      d.shape = DisplayGeometry::Shape::Brick;
      d.dimensions = doc().child_vec3(g, "half_lengths", Vec3(0.1, 0.1, 0.1));
    } else if (kind == "Ellipsoid") {
      d.shape = DisplayGeometry::Shape::Ellipsoid;
      d.dimensions = doc().child_vec3(g, "radii", Vec3(0.5, 1.0, 2.0));
    } else if (kind == "Torus") {
      d.shape = DisplayGeometry::Shape::Torus;
      d.dimensions =
          Vec3(doc().child_number(g, "ring_radius", 1.0), doc().child_number(g, "cross_section_radius", 0.1), 0.0);
    } else if (kind == "FrameGeometry") {
      return;  // the frame's axes; the viewer draws joint frames on demand
    } else {
      ctx_.warn(g, fmt::format("{} '{}' is not drawn by femur's viewer", kind, name_of(g)));
      return;
    }
    const pugi::xml_node appearance = g.child("Appearance");
    if (!doc().child_bool(appearance, "visible", true)) return;
    if (const auto r = appearance.child("representation"); r && doc().integer(r) == 0) return;
    d.color = doc().child_vec3(appearance, "color", Vec3::Ones());
    d.opacity = doc().child_number(appearance, "opacity", 1.0);
    d.name = name_of(g);
    d.scale_factors = doc().child_vec3(g, "scale_factors", Vec3::Ones());
    d.line = doc().line_of(g);
    std::string socket = doc().child_text(g, "socket_frame");
    if (socket.empty()) socket = "..";  // OpenSim 4.0 files written before sockets had names
    const auto frame = frames_.resolve(ctx_, path, socket);
    if (!frame)
      doc().fail(g.child("socket_frame") ? g.child("socket_frame") : g,
                 fmt::format("{} '{}': socket_frame '{}' names no body or frame", kind, d.name, socket));
    d.body = frame->body;
    d.X_body_geometry = frame->X_body_frame;
    out_.push_back(std::move(d));
  }

  // ---- 3.x and older

  void read_v3() {
    for (pugi::xml_node b : set_objects(find("BodySet"))) {
      const pugi::xml_node vo = b.child("VisibleObject");
      if (!vo) continue;
      const Vec3 outer_scale = doc().child_vec3(vo, "scale_factors", Vec3::Ones());
      if (ctx_.version < kFirstGeometrySet) {
        int k = 0;
        for (const std::string& file : doc().words(vo.child("geometry_files"))) {
          DisplayGeometry d;
          d.name = fmt::format("{}_geom_{}", name_of(b), k++);
          d.body = name_of(b);
          d.mesh_file = file;
          d.scale_factors = outer_scale;
          d.line = doc().line_of(vo.child("geometry_files"));
          out_.push_back(std::move(d));
        }
        continue;
      }
      const Transform outer = six_transform(doc(), vo.child("transform"));
      int counter = 1;
      for (pugi::xml_node dg : set_objects(vo.child("GeometrySet"))) {
        if (std::string_view(dg.name()) != "DisplayGeometry") continue;
        const int k = counter++;
        const std::string file = doc().child_text(dg, "geometry_file");
        if (file.empty()) continue;
        if (const auto p = dg.child("display_preference"); p && doc().integer(p) == 0) continue;
        DisplayGeometry d;
        d.name = fmt::format("{}_geom_{}", name_of(b), k);
        d.body = name_of(b);
        d.mesh_file = file;
        d.X_body_geometry = outer * six_transform(doc(), dg.child("transform"));
        d.scale_factors = doc().child_vec3(dg, "scale_factors", Vec3::Ones()).cwiseProduct(outer_scale);
        d.color = doc().child_vec3(dg, "color", Vec3::Ones());
        d.opacity = doc().child_number(dg, "opacity", 1.0);
        d.line = doc().line_of(dg);
        out_.push_back(std::move(d));
      }
    }
  }

  Context ctx_;
  pugi::xml_node model_;
  FrameResolver frames_;
  std::vector<Holder> holders_;
  std::vector<DisplayGeometry> out_;
};

}  // namespace

const char* display_shape_name(DisplayGeometry::Shape shape) {
  switch (shape) {
    case DisplayGeometry::Shape::Mesh: return "mesh";
    case DisplayGeometry::Shape::Sphere: return "sphere";
    case DisplayGeometry::Shape::Cylinder: return "cylinder";
    case DisplayGeometry::Shape::Brick: return "brick";
    case DisplayGeometry::Shape::Ellipsoid: return "ellipsoid";
    case DisplayGeometry::Shape::Torus: return "torus";
  }
  return "?";
}

std::vector<DisplayGeometry> read_osim_geometry(const fs::path& model_file, std::vector<std::string>* warnings) {
  const XmlDocument doc = XmlDocument::load_file(model_file);
  return GeometryReader(doc, warnings).read();
}

std::vector<DisplayGeometry> read_osim_geometry_string(const std::string& text, const std::string& file_label,
                                                       std::vector<std::string>* warnings) {
  const XmlDocument doc = XmlDocument::load_string(text, file_label);
  return GeometryReader(doc, warnings).read();
}

std::vector<fs::path> mesh_search_folders(const fs::path& model_file, const std::vector<fs::path>& extra) {
  std::vector<fs::path> out;
  auto add = [&out](const fs::path& p) {
    std::error_code ec;
    if (p.empty() || !fs::is_directory(p, ec)) return;
    const fs::path canonical = fs::weakly_canonical(p, ec);
    const fs::path key = ec ? p : canonical;
    if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(key);
  };
  for (const auto& e : extra) add(e);
  std::error_code ec;
  fs::path folder = fs::absolute(model_file, ec).parent_path();
  add(folder);
  for (;;) {
    add(folder / "Geometry");
    if (!folder.has_relative_path()) break;  // reached the root
    const fs::path parent = folder.parent_path();
    if (parent == folder) break;
    folder = parent;
  }
  return out;
}

std::optional<fs::path> find_mesh_file(const std::string& mesh_file, const std::vector<fs::path>& folders) {
  std::error_code ec;
  const fs::path name(mesh_file);
  if (name.is_absolute()) {
    if (fs::is_regular_file(name, ec)) return name;
    return std::nullopt;
  }
  for (const auto& f : folders)
    if (fs::is_regular_file(f / name, ec)) return f / name;
  return std::nullopt;
}

}  // namespace femur::io
