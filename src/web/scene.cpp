// The viewer's scene (scene.hpp): kinematics and muscle paths per frame, written as JSON with
// base64 typed arrays. The layout is read by web/src/scene.js.
#include "femur/web/scene.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <unordered_map>

#include <Eigen/Geometry>
#include <fmt/format.h>

#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/model/data.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/muscle_parameters.hpp"
#include "json_writer.hpp"

namespace femur::web {
namespace {

using detail::append_json_string;
using detail::json_number;
using detail::json_string;
using detail::typed_array;

// Arrows are drawn this long for a force of one body weight (m).
constexpr double kArrowMetresPerBodyWeight = 0.15;

std::string vec3(const Vec3& v) {
  return fmt::format("[{},{},{}]", json_number(v.x()), json_number(v.y()), json_number(v.z()));
}

// Position then quaternion (x, y, z, w), as three.js takes them.
std::string pose7(const Transform& X) {
  const Eigen::Quaterniond q(X.R);
  return fmt::format("[{},{},{},{},{},{},{}]", json_number(X.p.x()), json_number(X.p.y()), json_number(X.p.z()),
                     json_number(q.x()), json_number(q.y()), json_number(q.z()), json_number(q.w()));
}

void push3(std::vector<float>& out, const Vec3& v) {
  out.push_back(static_cast<float>(v.x()));
  out.push_back(static_cast<float>(v.y()));
  out.push_back(static_cast<float>(v.z()));
}

// Rodrigues: u rotated by `angle` about the unit `axis`.
Vec3 rotate(const Vec3& u, const Vec3& axis, double angle) {
  return u * std::cos(angle) + axis.cross(u) * std::sin(angle) + axis * axis.dot(u) * (1.0 - std::cos(angle));
}

// Points strictly between the two tangent points a, b (wrap frame) of a wrapped segment, on
// the surface, for drawing: the great circle of a sphere, the helix of a cylinder, the
// great circle of the unit sphere mapped onto an ellipsoid. Of the two ways round, the one
// whose length is closest to the arc length the wrap computed. A torus wraps over a cylinder
// tangent to its centre circle (torus_arc_points).
void arc_points(const WrapSurface& s, const Vec3& a, const Vec3& b, double arc_length, std::vector<Vec3>& out);

// OpenSim wraps a segment over a torus on a cylinder of radius inner_radius whose axis is
// the tangent of the centre circle (radius outer_radius, in the wrap frame's xy plane) at
// the circle point nearest the segment (OpenSim/Simulation/Wrap/WrapTorus.cpp wrapLine;
// src/muscle/wrap_torus.cpp). The tangent points a, b lie on that cylinder, so the circle
// point is recovered from them: the angle phi at which both are inner_radius from the
// tangent line, found by golden-section search around the direction of their midpoint
// (a 1-D least-squares problem, smooth there). The arc is then the cylinder's helix.
void torus_arc_points(const WrapSurface& s, const Vec3& a, const Vec3& b, double arc_length, std::vector<Vec3>& out) {
  out.clear();
  const double R = s.outer_radius, r = s.inner_radius;
  auto line_distance = [R](const Vec3& p, double phi) {
    const Vec3 c(R * std::cos(phi), R * std::sin(phi), 0.0), t(-std::sin(phi), std::cos(phi), 0.0);
    const Vec3 d = p - c;
    return (d - d.dot(t) * t).norm();
  };
  auto misfit = [&](double phi) {
    const double da = line_distance(a, phi) - r, db = line_distance(b, phi) - r;
    return da * da + db * db;
  };
  const Vec3 mid = 0.5 * (a + b);
  const double phi0 = std::atan2(mid.y(), mid.x());
  constexpr double kGolden = 0.6180339887498949;
  double lo = phi0 - 0.5, hi = phi0 + 0.5;
  double x1 = hi - kGolden * (hi - lo), x2 = lo + kGolden * (hi - lo);
  double f1 = misfit(x1), f2 = misfit(x2);
  for (int it = 0; it < 80 && hi - lo > 1e-12; ++it) {
    if (f1 < f2) {
      hi = x2, x2 = x1, f2 = f1;
      x1 = hi - kGolden * (hi - lo), f1 = misfit(x1);
    } else {
      lo = x1, x1 = x2, f1 = f2;
      x2 = lo + kGolden * (hi - lo), f2 = misfit(x2);
    }
  }
  const double phi = 0.5 * (lo + hi);
  // The cylinder frame of wrap_torus: x towards the torus axis, y = -z, z = x cross y.
  const Vec3 on_circle(R * std::cos(phi), R * std::sin(phi), 0.0);
  Mat3 R_cyl_torus;
  R_cyl_torus.row(0) = -on_circle.normalized().transpose();
  R_cyl_torus.row(1) = Vec3(0.0, 0.0, -1.0).transpose();
  R_cyl_torus.row(2) = R_cyl_torus.row(0).cross(R_cyl_torus.row(1));
  WrapSurface cylinder;
  cylinder.kind = WrapSurface::Kind::Cylinder;
  cylinder.radius = r;
  arc_points(cylinder, R_cyl_torus * (a - on_circle), R_cyl_torus * (b - on_circle), arc_length, out);
  for (Vec3& p : out) p = R_cyl_torus.transpose() * p + on_circle;
}

void arc_points(const WrapSurface& s, const Vec3& a, const Vec3& b, double arc_length, std::vector<Vec3>& out) {
  out.clear();
  if (s.kind == WrapSurface::Kind::Torus) {
    torus_arc_points(s, a, b, arc_length, out);
    return;
  }
  auto steps_for = [](double angle) { return std::clamp(static_cast<int>(std::ceil(std::abs(angle) / (std::numbers::pi / 18))), 1, 36); };
  if (s.kind == WrapSurface::Kind::Cylinder) {
    const double phi1 = std::atan2(a.y(), a.x()), phi2 = std::atan2(b.y(), b.x());
    const double r1 = std::hypot(a.x(), a.y()), r2 = std::hypot(b.x(), b.y());
    double d = std::remainder(phi2 - phi1, 2.0 * std::numbers::pi);
    const double dz = b.z() - a.z();
    const double other = d - std::copysign(2.0 * std::numbers::pi, d);
    auto helix = [&](double dphi) { return std::hypot(0.5 * (r1 + r2) * dphi, dz); };
    if (std::abs(helix(other) - arc_length) < std::abs(helix(d) - arc_length)) d = other;
    const int n = steps_for(d);
    for (int k = 1; k < n; ++k) {
      const double t = static_cast<double>(k) / n;
      const double phi = phi1 + t * d, r = (1 - t) * r1 + t * r2;
      out.emplace_back(r * std::cos(phi), r * std::sin(phi), a.z() + t * dz);
    }
    return;
  }
  if (s.kind != WrapSurface::Kind::Sphere && s.kind != WrapSurface::Kind::Ellipsoid) return;
  const Vec3 dims = s.kind == WrapSurface::Kind::Sphere ? Vec3::Constant(s.radius) : s.dimensions;
  const Vec3 u = a.cwiseQuotient(dims).normalized(), v = b.cwiseQuotient(dims).normalized();
  Vec3 axis = u.cross(v);
  if (axis.norm() < 1e-9) return;
  axis.normalize();
  const double theta = std::acos(std::clamp(u.dot(v), -1.0, 1.0));
  auto polyline = [&](double total, std::vector<Vec3>* pts) {
    const int n = steps_for(total);
    double length = 0.0;
    Vec3 last = a;
    for (int k = 1; k <= n; ++k) {
      const Vec3 p = k == n ? b : Vec3(dims.cwiseProduct(rotate(u, axis, total * k / n)));
      length += (p - last).norm();
      last = p;
      if (pts && k < n) pts->push_back(p);
    }
    return length;
  };
  const double long_way = theta - 2.0 * std::numbers::pi;  // the other way round
  const double total = std::abs(polyline(long_way, nullptr) - arc_length) < std::abs(polyline(theta, nullptr) - arc_length)
                           ? long_way
                           : theta;
  polyline(total, &out);
}

// Whether a mesh can be drawn one-sided (back faces culled, about 7 ms less per frame for
// gait2392's bones in software WebGL): a closed surface whose triangles all wind the same
// way, outward or inward. Closed and consistent: at least 95 % of the directed edges (u, v)
// have their reverse (v, u) in the mesh (seams where vertices are duplicated leave some
// unpaired), and at most 2 % of them appear twice in the same direction (a neighbour wound
// the other way). `inward`: the signed volume (divergence theorem, sum of det(a, b, c) / 6)
// is negative, so the triangles must be flipped to face out. Open sheets, like a treadmill's
// plane, stay two-sided.
struct Winding {
  bool one_sided = false;
  bool inward = false;
};

Winding mesh_winding(const io::SurfaceMesh& mesh) {
  const std::size_t nt = mesh.triangles.size() / 3;
  if (nt < 4) return {};
  const auto nv = static_cast<std::uint64_t>(mesh.vertex_count());
  std::unordered_map<std::uint64_t, int> edges;
  edges.reserve(3 * nt);
  double volume = 0.0;
  auto point = [&](std::uint32_t i) {
    return Vec3(mesh.points[3 * i], mesh.points[3 * i + 1], mesh.points[3 * i + 2]);
  };
  for (std::size_t t = 0; t < nt; ++t) {
    const std::uint32_t* v = &mesh.triangles[3 * t];
    volume += point(v[0]).dot(point(v[1]).cross(point(v[2]))) / 6.0;
    for (int k = 0; k < 3; ++k) ++edges[v[k] * nv + v[(k + 1) % 3]];
  }
  std::size_t paired = 0, repeated = 0, total = 0;
  for (const auto& [key, n] : edges) {
    total += static_cast<std::size_t>(n);
    if (edges.count((key % nv) * nv + key / nv)) paired += static_cast<std::size_t>(n);
    if (n > 1) repeated += static_cast<std::size_t>(n);
  }
  Winding w;
  w.one_sided = paired >= 0.95 * static_cast<double>(total) && repeated <= 0.02 * static_cast<double>(total) && volume != 0.0;
  w.inward = w.one_sided && volume < 0.0;
  return w;
}

}  // namespace

std::string scene_json(const Model& model, const ViewData& view) {
  const Eigen::Index frames = view.q.rows();
  if (view.q.cols() != model.nq || view.time.size() != frames || frames == 0)
    throw std::invalid_argument(fmt::format("scene_json: q is {} x {} with {} times, expected frames x {}", view.q.rows(),
                                            view.q.cols(), view.time.size(), model.nq));
  const PathSet& paths = model.paths;
  PathData path_data(model, paths);
  Data data(model);
  const int nb = static_cast<int>(model.bodies.size());
  const int np = paths.size();
  // Each path's maximum isometric force (0: not a muscle femur models).
  std::vector<double> max_force(static_cast<std::size_t>(np), 0.0);
  for (int p = 0; p < np; ++p) {
    const ForceElement& f = model.forces[static_cast<std::size_t>(paths.paths[static_cast<std::size_t>(p)].force)];
    if (const auto* muscle = std::get_if<MuscleParameters>(&f.part))
      max_force[static_cast<std::size_t>(p)] = muscle->max_isometric_force;
  }

  double total_mass = 0.0;
  for (const Body& b : model.bodies) total_mass += b.mass;
  const double body_weight = total_mass * model.gravity.norm();
  const double newtons_per_metre = body_weight > 0.0 ? body_weight / kArrowMetresPerBodyWeight : 5000.0;

  // ---- Per frame.
  std::vector<float> time(static_cast<std::size_t>(frames));
  std::vector<float> pose_data;
  pose_data.reserve(static_cast<std::size_t>(frames * nb * 7));
  std::vector<std::uint16_t> path_counts;
  path_counts.reserve(static_cast<std::size_t>(frames * np));
  std::vector<float> path_points;
  std::vector<float> colour;
  if (view.colour_value.size() > 0) colour.reserve(static_cast<std::size_t>(frames * np));
  struct Arrow {
    std::string name, kind, label;
    int body = 0;           // the body it acts on
    int joint = -1;         // joint reactions: the joint
    bool tip_at_point = false;
    std::vector<float> force, point;
  };
  std::vector<Arrow> arrows;
  for (const auto& e : view.external_forces)
    arrows.push_back({e.name, "external", e.name, e.applied_to_body, -1, false, {}, {}});
  for (const auto& r : view.joint_reactions) {
    const Joint& j = model.joints[static_cast<std::size_t>(r.joint)];
    arrows.push_back({j.name, "joint_reaction",
                      fmt::format("{}: {} on {}", j.name, model.bodies[static_cast<std::size_t>(j.child_body)].name,
                                  model.bodies[static_cast<std::size_t>(j.parent_body)].name),
                      j.parent_body, r.joint, true, {}, {}});
  }
  std::vector<float> exp_markers;
  std::vector<Transform> poses(static_cast<std::size_t>(nb));
  std::vector<Vec3> arc;
  Eigen::VectorXd q(model.nq);
  for (Eigen::Index i = 0; i < frames; ++i) {
    time[static_cast<std::size_t>(i)] = static_cast<float>(view.time[i]);
    q = view.q.row(i).transpose();
    forward_kinematics(model, data, q);
    for (int b = 0; b < nb; ++b) {
      const Transform X = body_pose(model, data, b);
      poses[static_cast<std::size_t>(b)] = X;
      const Eigen::Quaterniond r(X.R);
      push3(pose_data, X.p);
      for (double c : {r.x(), r.y(), r.z(), r.w()}) pose_data.push_back(static_cast<float>(c));
    }
    compute_path_lengths(model, paths, data, q, path_data);
    for (int p = 0; p < np; ++p) {
      const CurrentPathPoint* cur = &path_data.current[static_cast<std::size_t>(p) * path_data.stride];
      const int n = path_data.count[static_cast<std::size_t>(p)];
      int emitted = 0;
      for (int k = 0; k < n; ++k) {
        push3(path_points, cur[k].in_ground);
        ++emitted;
        if (k + 1 < n && cur[k].wrap >= 0 && cur[k + 1].wrap >= 0 &&
            paths.wraps[static_cast<std::size_t>(cur[k].wrap)].surface == paths.wraps[static_cast<std::size_t>(cur[k + 1].wrap)].surface) {
          const int s = paths.wraps[static_cast<std::size_t>(cur[k].wrap)].surface;
          const WrapSurface& surface = paths.surfaces[static_cast<std::size_t>(s)];
          const Transform X_ground_wrap = data.X_ground[surface.body] * paths.X_M_wrap[static_cast<std::size_t>(s)];
          arc_points(surface, X_ground_wrap.apply_inverse(cur[k].in_ground), X_ground_wrap.apply_inverse(cur[k + 1].in_ground),
                     cur[k + 1].wrap_length, arc);
          for (const Vec3& a : arc) push3(path_points, X_ground_wrap.apply(a));
          emitted += static_cast<int>(arc.size());
        }
      }
      path_counts.push_back(static_cast<std::uint16_t>(std::min(emitted, 65535)));
      if (view.colour_value.size() > 0) {
        const float c = p < view.colour_value.cols() ? view.colour_value(i, p) : std::numeric_limits<float>::quiet_NaN();
        colour.push_back(c);
      }
    }
    std::size_t a = 0;
    for (const auto& e : view.external_forces) {
      Arrow& arrow = arrows[a++];
      const Vec3 f = poses[static_cast<std::size_t>(e.force_in_body)].R * Vec3(e.force.row(i).transpose());
      const Vec3 raw = e.point.row(i).transpose();
      const Vec3 point = raw.allFinite() ? poses[static_cast<std::size_t>(e.point_in_body)].apply(raw)
                                         : poses[static_cast<std::size_t>(e.applied_to_body)].p;
      push3(arrow.force, f);
      push3(arrow.point, point);
    }
    for (const auto& r : view.joint_reactions) {
      Arrow& arrow = arrows[a++];
      const Joint& j = model.joints[static_cast<std::size_t>(r.joint)];
      push3(arrow.force, poses[static_cast<std::size_t>(r.in_body)].R * Vec3(r.force.row(i).transpose()));
      push3(arrow.point, data.X_ground[j.child_body].p);  // the joint centre: origin of the child's M
    }
    for (std::size_t m = 0; m < view.marker_names.size(); ++m)
      for (int c = 0; c < 3; ++c)
        exp_markers.push_back(static_cast<float>(view.marker_positions(i, static_cast<Eigen::Index>(3 * m + c))));
  }

  // ---- Static description.
  std::string s;
  s.reserve(path_points.size() * 6 + pose_data.size() * 6 + 4096);
  s += "{\"format\":\"femur-view\",\"version\":1";
  s += ",\"title\":" + json_string(view.title) + ",\"subtitle\":" + json_string(view.subtitle);
  s += fmt::format(",\"model\":{{\"name\":{},\"mass\":{},\"gravity\":{},\"newtons_per_metre\":{}}}",
                   json_string(model.name), json_number(total_mass), vec3(model.gravity), json_number(newtons_per_metre));

  s += ",\"bodies\":[";
  for (int b = 0; b < nb; ++b) {
    const Body& body = model.bodies[static_cast<std::size_t>(b)];
    s += fmt::format("{}{{\"name\":{},\"parent\":{},\"joint_frame\":{}}}", b ? "," : "", json_string(body.name),
                     body.parent, pose7(body.X_body_M));
  }
  s += "]";

  // Bones: for each body, segments (body frame) from its joint centre to the joint centres of
  // its children, or towards its centre of mass past it for a body without children. Drawn
  // for bodies without geometry and as placeholders for missing meshes.
  s += ",\"bones\":[";
  bool first = true;
  for (int b = 1; b < nb; ++b) {
    const Body& body = model.bodies[static_cast<std::size_t>(b)];
    const Vec3 own = body.X_body_M.p;
    std::vector<Vec3> ends;
    for (const Joint& j : model.joints)
      if (j.parent_body == b) ends.push_back(j.X_parent_F.p);
    if (ends.empty() && (body.com_in_body - own).norm() > 0.01) ends.push_back(own + 2.0 * (body.com_in_body - own));
    for (const Vec3& e : ends) {
      if ((e - own).norm() < 1e-4) continue;
      s += fmt::format("{}{{\"body\":{},\"from\":{},\"to\":{}}}", first ? "" : ",", b, vec3(own), vec3(e));
      first = false;
    }
  }
  s += "]";

  s += ",\"meshes\":[";
  for (std::size_t m = 0; m < view.meshes.size(); ++m) {
    const io::SurfaceMesh& mesh = view.meshes[m].mesh;
    const Winding winding = mesh_winding(mesh);
    s += fmt::format("{}{{\"file\":{},\"one_sided\":{},\"positions\":{},\"indices\":", m ? "," : "",
                     json_string(view.meshes[m].file), winding.one_sided ? "true" : "false", typed_array(mesh.points));
    std::vector<std::uint32_t> triangles = mesh.triangles;
    if (winding.inward)
      for (std::size_t t = 0; t + 2 < triangles.size(); t += 3) std::swap(triangles[t + 1], triangles[t + 2]);
    if (mesh.vertex_count() <= 65535) {
      std::vector<std::uint16_t> small(triangles.begin(), triangles.end());
      s += typed_array(small);
    } else {
      s += typed_array(triangles);
    }
    s += "}";
  }
  s += "]";

  s += ",\"geometry\":[";
  first = true;
  for (const ViewGeometry& vg : view.geometry) {
    const io::DisplayGeometry& g = vg.geometry;
    const int body = g.body == model.bodies[0].name ? 0 : model.body_index(g.body);
    if (body < 0) continue;  // a body the model does not have (cannot happen for a model read from the same file)
    s += fmt::format("{}{{\"name\":{},\"body\":{},\"shape\":\"{}\",\"mesh\":{},\"file\":{},\"pose\":{},\"scale\":{},"
                     "\"dimensions\":{},\"color\":{},\"opacity\":{}}}",
                     first ? "" : ",", json_string(g.name), body, io::display_shape_name(g.shape), vg.mesh,
                     json_string(g.mesh_file), pose7(g.X_body_geometry), vec3(g.scale_factors), vec3(g.dimensions),
                     vec3(g.color), json_number(g.opacity));
    first = false;
  }
  s += "]";

  s += ",\"paths\":[";
  for (int p = 0; p < np; ++p) {
    const PathSpec& spec = paths.paths[static_cast<std::size_t>(p)];
    const ForceElement& f = model.forces[static_cast<std::size_t>(spec.force)];
    const double fmax = max_force[static_cast<std::size_t>(p)];
    s += fmt::format("{}{{\"name\":{},\"type\":{},\"muscle\":{},\"max_isometric_force\":{}}}", p ? "," : "",
                     json_string(spec.name), json_string(f.type), is_muscle(f) ? "true" : "false",
                     fmax != 0.0 ? json_number(fmax) : "null");
  }
  s += "]";

  s += ",\"markers\":[";
  for (std::size_t m = 0; m < model.markers.size(); ++m)
    s += fmt::format("{}{{\"name\":{},\"body\":{},\"location\":{}}}", m ? "," : "", json_string(model.markers[m].name),
                     model.markers[m].body, vec3(model.markers[m].location_in_body));
  s += "]";

  s += ",\"wraps\":[";
  for (std::size_t w = 0; w < paths.surfaces.size(); ++w) {
    const WrapSurface& ws = paths.surfaces[w];
    const char* kind = ws.kind == WrapSurface::Kind::Cylinder ? "cylinder"
                       : ws.kind == WrapSurface::Kind::Sphere ? "sphere"
                       : ws.kind == WrapSurface::Kind::Ellipsoid ? "ellipsoid"
                                                                 : "torus";
    s += fmt::format("{}{{\"name\":{},\"kind\":\"{}\",\"body\":{},\"pose\":{},\"radius\":{},\"length\":{},"
                     "\"dimensions\":{},\"inner_radius\":{},\"outer_radius\":{}}}",
                     w ? "," : "", json_string(ws.name), kind, ws.body, pose7(ws.X_body_wrap), json_number(ws.radius),
                     json_number(ws.length), vec3(ws.dimensions), json_number(ws.inner_radius),
                     json_number(ws.outer_radius));
  }
  s += "]";

  // Contact geometry (SmoothSphereHalfSpaceForce, HuntCrossleyForce): spheres in their body;
  // a half space is everything at x > 0 of its frame (OpenSim/Simulation/Model/
  // ContactHalfSpace.h), drawn as the plane x = 0 (a floor, for the usual orientation
  // 0 0 -pi/2 on ground); a ContactMesh as its mesh (`mesh` indexes "meshes", -1 when it was
  // not found: a placeholder).
  s += ",\"contact\":[";
  for (std::size_t c = 0; c < model.contact_geometry.size(); ++c) {
    const ContactGeometry& g = model.contact_geometry[c];
    const char* kind = g.kind == ContactGeometry::Kind::Sphere      ? "sphere"
                       : g.kind == ContactGeometry::Kind::HalfSpace ? "half_space"
                       : g.kind == ContactGeometry::Kind::Mesh      ? "mesh"
                                                                    : "other";
    const Transform X_body_geometry{body_fixed_xyz(g.orientation), g.location};
    const int mesh = c < view.contact_mesh.size() ? view.contact_mesh[c] : -1;
    s += fmt::format("{}{{\"name\":{},\"kind\":\"{}\",\"body\":{},\"pose\":{},\"radius\":{},\"mesh\":{},\"file\":{}}}",
                     c ? "," : "", json_string(g.name), kind, g.body, pose7(X_body_geometry), json_number(g.radius), mesh,
                     json_string(g.mesh_file));
  }
  s += "]";

  s += ",\"arrows\":[";
  for (std::size_t a = 0; a < arrows.size(); ++a) {
    const Arrow& arrow = arrows[a];
    s += fmt::format("{}{{\"name\":{},\"kind\":\"{}\",\"label\":{},\"body\":{},\"joint\":{},\"tip_at_point\":{},"
                     "\"force\":{},\"point\":{}}}",
                     a ? "," : "", json_string(arrow.name), arrow.kind, json_string(arrow.label), arrow.body,
                     arrow.joint, arrow.tip_at_point ? "true" : "false", typed_array(arrow.force),
                     typed_array(arrow.point));
  }
  s += "]";

  s += fmt::format(",\"frames\":{{\"count\":{},\"time\":{},\"body_pose\":{},\"path_counts\":{},\"path_points\":{}",
                   frames, typed_array(time), typed_array(pose_data), typed_array(path_counts),
                   typed_array(path_points));
  if (!colour.empty()) s += ",\"colour\":" + typed_array(colour) + ",\"colour_label\":" + json_string(view.colour_label);
  if (view.frame_labels.size() == static_cast<std::size_t>(frames)) {
    s += ",\"labels\":[";
    for (std::size_t i = 0; i < view.frame_labels.size(); ++i) s += (i ? "," : "") + json_string(view.frame_labels[i]);
    s += "]";
  }
  if (!view.marker_names.empty()) {
    s += ",\"experimental_markers\":{\"names\":[";
    for (std::size_t m = 0; m < view.marker_names.size(); ++m) s += (m ? "," : "") + json_string(view.marker_names[m]);
    s += "],\"positions\":" + typed_array(exp_markers) + "}";
  }
  s += "}";

  s += ",\"warnings\":[";
  for (std::size_t w = 0; w < view.warnings.size(); ++w) {
    if (w) s += ",";
    append_json_string(s, view.warnings[w]);
  }
  s += "]}";
  return s;
}

}  // namespace femur::web
