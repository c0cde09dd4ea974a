#include "femur/model/model_builder.hpp"
#include "femur/model/overload.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "path_compiler.hpp"

namespace femur {
namespace {

std::string at(const std::string& where) { return where.empty() ? "" : where + ": "; }

// WrapObject.cpp and each shape's extendFinalizeFromProperties: sizes OpenSim accepts. A zero
// ellipsoid semi-axis (OpenSim's default -1 means "not specified") would divide by zero in
// the algorithm, so it is refused too.
void check_wrap_object(const WrapObject& w, const std::string& what) {
  const auto fail = [&](const std::string& m) { throw ModelError(what + ": " + m); };
  switch (w.kind) {
    case WrapSurface::Kind::Cylinder:
      if (!(w.radius >= 0.0)) fail("radius cannot be less than zero");
      if (!(w.length >= 0.0)) fail("length cannot be less than zero");
      break;
    case WrapSurface::Kind::Sphere:
      if (!(w.radius >= 0.0)) fail("radius cannot be less than zero");
      break;
    case WrapSurface::Kind::Ellipsoid:
      // Each semi-axis on its own: minCoeff() may skip a NaN, so a NaN axis would pass.
      if (!(w.dimensions.array() > 0.0).all()) fail("dimensions must be positive");
      break;
    case WrapSurface::Kind::Torus:
      if (!(w.inner_radius > 0.0)) fail("inner_radius must be greater than zero");
      if (!(w.outer_radius > 0.0)) fail("outer_radius must be greater than zero");
      if (!(w.outer_radius > w.inner_radius)) fail("outer_radius must be greater than inner_radius");
      break;
  }
}

// The six transform axes of each standard joint, as OpenSim/Simbody define its mobilities
// (OPENSIM-NOTES.md 1.3; the header comments of OpenSim/Simulation/SimbodyEngine/*Joint.h).
// Each entry: axis direction and the index of the joint coordinate driving it (-1: none).
struct StandardAxis {
  Vec3 axis;
  int coordinate;
};
std::array<StandardAxis, 6> standard_axes(JointType type) {
  const Vec3 X = Vec3::UnitX(), Y = Vec3::UnitY(), Z = Vec3::UnitZ();
  switch (type) {
    case JointType::Weld: return {{{X, -1}, {Y, -1}, {Z, -1}, {X, -1}, {Y, -1}, {Z, -1}}};
    case JointType::Pin: return {{{Z, 0}, {X, -1}, {Y, -1}, {X, -1}, {Y, -1}, {Z, -1}}};
    case JointType::Slider: return {{{X, -1}, {Y, -1}, {Z, -1}, {X, 0}, {Y, -1}, {Z, -1}}};
    case JointType::Universal: return {{{X, 0}, {Y, 1}, {Z, -1}, {X, -1}, {Y, -1}, {Z, -1}}};
    case JointType::Ball:
    case JointType::Gimbal: return {{{X, 0}, {Y, 1}, {Z, 2}, {X, -1}, {Y, -1}, {Z, -1}}};
    case JointType::Free: return {{{X, 0}, {Y, 1}, {Z, 2}, {X, 3}, {Y, 4}, {Z, 5}}};
    case JointType::Planar: return {{{Z, 0}, {X, -1}, {Y, -1}, {X, 1}, {Y, 2}, {Z, -1}}};
    case JointType::Custom: break;
  }
  return {};
}

int standard_coordinate_count(JointType type) {
  switch (type) {
    case JointType::Weld: return 0;
    case JointType::Pin:
    case JointType::Slider: return 1;
    case JointType::Universal: return 2;
    case JointType::Ball:
    case JointType::Gimbal:
    case JointType::Planar: return 3;
    case JointType::Free: return 6;
    case JointType::Custom: return -1;
  }
  return -1;
}

// A CustomJoint's coordinates in the order they first appear in its SpatialTransform
// (rotation1 .. translation3); OpenSim reorders them so (CustomJoint.cpp, issue #3191).
// Coordinates no axis uses keep their place after those.
std::vector<Coordinate> ordered_coordinates(const JointSpec& js) {
  if (js.type != JointType::Custom) return js.coordinates;
  std::vector<Coordinate> ordered;
  std::vector<char> taken(js.coordinates.size(), 0);
  for (const AxisSpec& axis : js.axes) {
    for (size_t k = 0; k < js.coordinates.size(); ++k) {
      if (!taken[k] && !axis.coordinate.empty() && js.coordinates[k].name == axis.coordinate) {
        ordered.push_back(js.coordinates[k]);
        taken[k] = 1;
      }
    }
  }
  for (size_t k = 0; k < js.coordinates.size(); ++k)
    if (!taken[k]) ordered.push_back(js.coordinates[k]);
  return ordered;
}

// Motion types as OpenSim 4 derives them (CustomJoint.cpp constructCoordinates): an axis
// driven through a LinearFunction of slope +-1 makes its coordinate rotational (axes 1-3)
// or translational (axes 4-6), the last such axis winning; any other function makes it
// coupled unless a pure axis already typed it. Standard joints type theirs by axis kind.
// The joint's evaluation plan (Joint::principal_plan): the axes that can be non-zero, when
// all of them are exactly principal and the rotations are linear or constant; a pin keeps
// its own branch. Exactness matters: the closed form takes R a as a signed column of R.
void set_evaluation_plan(Joint& joint) {
  joint.principal_plan = false;
  joint.n_plan_rotations = joint.n_plan_translations = 0;
  if (joint.single_rotation_axis >= 0) return;
  for (int a = 0; a < 6; ++a) {
    const TransformAxis& axis = joint.axes[a];
    if (axis.coordinate < 0 && axis.constant_value == 0.0) continue;
    if (axis.principal < 0) return;
    const int k = axis.principal;
    if (axis.axis[(k + 1) % 3] != 0.0 || axis.axis[(k + 2) % 3] != 0.0 || std::abs(axis.axis[k]) != 1.0) return;
    if (a < 3) {
      if (axis.coordinate >= 0 && !axis.linear) return;
      joint.plan_rotations[joint.n_plan_rotations++] = a;
    } else {
      joint.plan_translations[joint.n_plan_translations++] = a;
    }
  }
  joint.principal_plan = true;
}

void set_motion_types(Model& m, const Joint& joint) {
  for (int k = 0; k < joint.nq; ++k) {
    const int q = joint.q_start + k;
    bool typed = false;
    MotionType type = MotionType::Coupled;
    for (int a = 0; a < 6; ++a) {
      const TransformAxis& axis = joint.axes[a];
      if (axis.coordinate != q) continue;
      const Function& f = m.functions[axis.function];
      const bool pure = f.kind() == FunctionKind::Linear && std::abs(std::abs(f.parameters()[0]) - 1.0) == 0.0;
      if (pure) {
        type = a < 3 ? MotionType::Rotational : MotionType::Translational;
        typed = true;
      } else if (!typed) {
        type = MotionType::Coupled;
      }
    }
    m.coordinates[q].motion_type = type;
  }
}

}  // namespace

ModelBuilder::ModelBuilder() {
  Body ground;
  ground.name = "ground";
  model_.bodies.push_back(ground);
  ground_aliases_ = {"ground"};
}

void ModelBuilder::set_ground_name(const std::string& name) {
  model_.bodies[0].name = name;
  if (std::find(ground_aliases_.begin(), ground_aliases_.end(), name) == ground_aliases_.end())
    ground_aliases_.push_back(name);
}

void ModelBuilder::add_body(BodySpec body) { bodies_.push_back(std::move(body)); }
void ModelBuilder::add_joint(JointSpec joint) { joints_.push_back(std::move(joint)); }
void ModelBuilder::add_coupler(CouplerSpec coupler) { couplers_.push_back(std::move(coupler)); }
void ModelBuilder::add_other_constraint(OtherConstraint c) { model_.other_constraints.push_back(std::move(c)); }
void ModelBuilder::add_marker(MarkerSpec marker) { markers_.push_back(std::move(marker)); }

int ModelBuilder::add_function(Function f) {
  model_.functions.push_back(std::move(f));
  return static_cast<int>(model_.functions.size()) - 1;
}

void ModelBuilder::add_force(ForceSpec force) { forces_.push_back(std::move(force)); }

void ModelBuilder::add_wrap_object(WrapObject wrap, NameRef body) {
  wraps_.emplace_back(std::move(wrap), std::move(body));
}

void ModelBuilder::add_contact_geometry(ContactGeometry geometry, NameRef body) {
  contact_.emplace_back(std::move(geometry), std::move(body));
}

void ModelBuilder::add_controller(Controller controller, std::vector<NameRef> actuators) {
  controllers_.emplace_back(std::move(controller), std::move(actuators));
}

bool ModelBuilder::has_body(const std::string& name) const {
  if (std::find(ground_aliases_.begin(), ground_aliases_.end(), name) != ground_aliases_.end()) return true;
  return std::any_of(bodies_.begin(), bodies_.end(), [&](const BodySpec& b) { return b.name == name; });
}

Model ModelBuilder::build() && {
  Model& m = model_;

  // ---- Bodies: names must be unique; index them by name (ground = 0 under all aliases).
  std::map<std::string, int> spec_index;  // body name -> index into bodies_ (+1), 0 = ground
  for (const auto& alias : ground_aliases_) spec_index[alias] = 0;
  for (size_t i = 0; i < bodies_.size(); ++i) {
    const BodySpec& b = bodies_[i];
    if (!spec_index.emplace(b.name, static_cast<int>(i) + 1).second)
      throw ModelError(at(b.where) + "body '" + b.name + "' is defined twice");
    if (!(b.mass >= 0.0) || !std::isfinite(b.mass))
      throw ModelError(at(b.where) + "body '" + b.name + "' has invalid mass " + std::to_string(b.mass));
    if (!b.com_in_body.allFinite())
      throw ModelError(at(b.where) + "body '" + b.name + "': mass_center is not finite");
    // Simbody's Inertia (SimTK/Inertia.h, isValidInertiaMatrix): finite, symmetric, and
    // positive semi-definite (a zero inertia is allowed, as for OpenSim's massless bodies).
    const Mat3& I = b.inertia_about_com;
    if (!I.allFinite()) throw ModelError(at(b.where) + "body '" + b.name + "': inertia is not finite");
    const double scale = I.cwiseAbs().maxCoeff();
    if ((I - I.transpose()).cwiseAbs().maxCoeff() > 1e-12 * scale)
      throw ModelError(at(b.where) + "body '" + b.name + "': inertia is not symmetric");
    if (Eigen::SelfAdjointEigenSolver<Mat3>(I, Eigen::EigenvaluesOnly).eigenvalues().minCoeff() < -1e-12 * scale)
      throw ModelError(at(b.where) + "body '" + b.name + "': inertia is not positive semi-definite");
  }

  // ---- Joints: each body has at most one joint moving it; parents must exist.
  std::vector<int> joint_of_body(bodies_.size() + 1, -1);
  for (size_t j = 0; j < joints_.size(); ++j) {
    const JointSpec& js = joints_[j];
    auto parent = spec_index.find(js.parent_body);
    if (parent == spec_index.end())
      throw ModelError(at(js.where) + "joint '" + js.name + "': parent body '" + js.parent_body + "' does not exist");
    auto child = spec_index.find(js.child_body);
    if (child == spec_index.end())
      throw ModelError(at(js.where) + "joint '" + js.name + "': child body '" + js.child_body + "' does not exist");
    if (child->second == 0)
      throw ModelError(at(js.where) + "joint '" + js.name + "': ground cannot be the child of a joint");
    if (joint_of_body[child->second] >= 0)
      throw ModelError(at(js.where) + "joint '" + js.name + "': body '" + js.child_body +
                       "' already has joint '" + joints_[joint_of_body[child->second]].name +
                       "' (closed loops are not supported)");
    joint_of_body[child->second] = static_cast<int>(j);
    const int expected = standard_coordinate_count(js.type);
    if (expected >= 0 && static_cast<int>(js.coordinates.size()) != expected)
      throw ModelError(at(js.where) + "joint '" + js.name + "' (" + joint_type_name(js.type) + ") has " +
                       std::to_string(js.coordinates.size()) + " coordinates, expected " +
                       std::to_string(expected));
  }

  // ---- Order bodies parents-first (depth-first from ground), detecting cycles and orphans.
  std::vector<std::vector<int>> children(bodies_.size() + 1);
  for (size_t j = 0; j < joints_.size(); ++j)
    children[spec_index.at(joints_[j].parent_body)].push_back(spec_index.at(joints_[j].child_body));
  std::vector<int> order;  // spec indices (+1) in tree order, ground first
  std::vector<int> stack{0};
  std::vector<char> seen(bodies_.size() + 1, 0);
  while (!stack.empty()) {
    const int b = stack.back();
    stack.pop_back();
    seen[b] = 1;
    order.push_back(b);
    for (auto it = children[b].rbegin(); it != children[b].rend(); ++it) stack.push_back(*it);
  }
  for (size_t i = 1; i < seen.size(); ++i) {
    if (seen[i]) continue;
    const BodySpec& b = bodies_[i - 1];
    if (joint_of_body[i] < 0)
      throw ModelError(at(b.where) + "body '" + b.name + "' is not connected to ground by any joint");
    // Connected to a parent but not reachable from ground: the joints form a cycle.
    std::string cycle = b.name;
    int cur = static_cast<int>(i);
    for (size_t guard = 0; guard <= bodies_.size(); ++guard) {
      const int p = spec_index.at(joints_[joint_of_body[cur]].parent_body);
      cycle += " <- " + (p == 0 ? ground_aliases_.front() : bodies_[p - 1].name);
      if (p == static_cast<int>(i) || p == 0) break;
      cur = p;
    }
    const JointSpec& js = joints_[joint_of_body[i]];
    throw ModelError(at(js.where) + "joint '" + js.name + "' closes a cycle of bodies (" + cycle +
                     "); every body must hang from ground through a tree of joints");
  }

  // ---- Create bodies in tree order.
  std::vector<int> model_index_of_spec(bodies_.size() + 1, 0);
  for (int spec : order) {
    if (spec == 0) continue;
    const BodySpec& bs = bodies_[spec - 1];
    Body body;
    body.name = bs.name;
    body.mass = bs.mass;
    body.com_in_body = bs.com_in_body;
    body.inertia_about_com = bs.inertia_about_com;
    model_index_of_spec[spec] = static_cast<int>(m.bodies.size());
    m.bodies.push_back(std::move(body));
  }

  // ---- Joints in tree order; coordinates grouped by joint.
  std::map<std::string, int> coordinate_index;
  for (int spec : order) {
    if (spec == 0) continue;
    const JointSpec& js = joints_[joint_of_body[spec]];
    Joint joint;
    joint.name = js.name;
    joint.type = js.type;
    joint.parent_body = model_index_of_spec[spec_index.at(js.parent_body)];
    joint.child_body = model_index_of_spec[spec];
    joint.X_parent_F = js.X_parent_F;
    joint.X_child_M = js.X_child_M;
    joint.child_frame = js.child_frame.empty() ? js.child_body : js.child_frame;
    joint.q_start = static_cast<int>(m.coordinates.size());
    joint.nq = static_cast<int>(js.coordinates.size());
    const int joint_index = static_cast<int>(m.joints.size());
    for (const Coordinate& c : ordered_coordinates(js)) {
      if (!coordinate_index.emplace(c.name, static_cast<int>(m.coordinates.size())).second)
        throw ModelError(at(js.where) + "joint '" + js.name + "': coordinate '" + c.name + "' is defined twice");
      if (std::isnan(c.range_min) || std::isnan(c.range_max))  // +-Inf is an unbounded range
        throw ModelError(at(js.where) + "coordinate '" + c.name + "': range is NaN");
      if (c.range_min > c.range_max)
        throw ModelError(at(js.where) + "coordinate '" + c.name + "': range minimum exceeds maximum");
      Coordinate coord = c;
      coord.joint = joint_index;
      m.coordinates.push_back(std::move(coord));
    }
    auto local_coordinate = [&](const std::string& name) {
      for (int k = 0; k < joint.nq; ++k)
        if (m.coordinates[joint.q_start + k].name == name) return joint.q_start + k;
      throw ModelError(at(js.where) + "joint '" + js.name + "': transform axis names coordinate '" + name +
                       "', which is not one of this joint's coordinates");
    };
    if (js.type == JointType::Custom) {
      for (int a = 0; a < 6; ++a) {
        const AxisSpec& as = js.axes[a];
        const double norm = as.axis.norm();
        if (!(norm > 1e-12))
          throw ModelError(at(js.where) + "joint '" + js.name + "': transform axis " + std::to_string(a + 1) +
                           " has zero length");
        joint.axes[a].axis = as.axis / norm;
        joint.axes[a].coordinate = as.coordinate.empty() ? -1 : local_coordinate(as.coordinate);
        joint.axes[a].function = add_function(as.function);
      }
    } else {
      const auto axes = standard_axes(js.type);
      for (int a = 0; a < 6; ++a) {
        joint.axes[a].axis = axes[a].axis;
        if (axes[a].coordinate >= 0) {
          joint.axes[a].coordinate = joint.q_start + axes[a].coordinate;
          joint.axes[a].function = add_function(Function::linear(1.0, 0.0));
        } else {
          joint.axes[a].function = add_function(Function::constant(0.0));
        }
      }
    }
    int moving = 0, zero = 0, last_moving = -1;
    for (TransformAxis& axis : joint.axes) {
      const Function& f = m.functions[axis.function];
      if (axis.coordinate < 0) axis.constant_value = f.value(0.0);
      if (axis.coordinate >= 0 && f.kind() == FunctionKind::Linear) {
        axis.linear = true;
        axis.slope = f.parameters()[0];
        axis.intercept = f.parameters()[1];
      }
      if (axis.coordinate >= 0) {
        ++moving;
        last_moving = static_cast<int>(&axis - joint.axes.data());
      } else if (axis.constant_value == 0.0) {
        ++zero;
      }
      for (int d = 0; d < 3; ++d)
        if (std::abs(std::abs(axis.axis[d]) - 1.0) < 1e-15) {
          axis.principal = d;
          axis.principal_sign = axis.axis[d] > 0 ? 1.0 : -1.0;
        }
    }
    if (moving == 1 && zero == 5 && last_moving < 3 && joint.axes[last_moving].linear)
      joint.single_rotation_axis = last_moving;
    set_evaluation_plan(joint);
    set_motion_types(m, joint);
    m.joints.push_back(std::move(joint));
  }
  m.nq = m.nv = static_cast<int>(m.coordinates.size());

  // ---- Derived frames: M in the child body, F in the parent's M frame, inertia in M.
  for (Joint& joint : m.joints) {
    Body& child = m.bodies[joint.child_body];
    child.joint = static_cast<int>(&joint - m.joints.data());
    child.parent = joint.parent_body;
    child.X_body_M = joint.X_child_M;
    child.inertia_in_M = SpatialInertia::from_com(child.mass, child.com_in_body, child.inertia_about_com)
                             .transformed(joint.X_child_M.inverse());
  }
  for (Joint& joint : m.joints) {
    const Body& parent = m.bodies[joint.parent_body];
    joint.X_parentM_F = parent.X_body_M.inverse() * joint.X_parent_F;
    joint.F_is_translation = (joint.X_parentM_F.R - Mat3::Identity()).cwiseAbs().maxCoeff() == 0.0;
  }

  // ---- Couplers.
  auto coordinate = [&](const std::string& name, const std::string& where, const std::string& what) {
    auto it = coordinate_index.find(name);
    if (it == coordinate_index.end())
      throw ModelError(at(where) + what + ": coordinate '" + name + "' does not exist");
    return it->second;
  };
  for (CouplerSpec& cs : couplers_) {
    CouplerConstraint c;
    c.name = cs.name;
    const std::string what = "constraint '" + cs.name + "'";
    c.dependent = coordinate(cs.dependent, cs.where, what);
    if (cs.independent.size() != 1)
      throw ModelError(at(cs.where) + what + " has " + std::to_string(cs.independent.size()) +
                       " independent coordinates; femur supports exactly one");
    for (const auto& n : cs.independent) c.independent.push_back(coordinate(n, cs.where, what));
    if (c.independent[0] == c.dependent)
      throw ModelError(at(cs.where) + what + ": a coordinate cannot depend on itself");
    c.function = add_function(std::move(cs.function));
    m.couplers.push_back(std::move(c));
  }
  // A coordinate may be dependent in one coupler only; the couplers must not form a loop.
  {
    std::map<int, int> dependent_of;
    for (const auto& c : m.couplers) {
      if (!dependent_of.emplace(c.dependent, c.independent[0]).second)
        throw ModelError("constraint '" + c.name + "': coordinate '" + m.coordinates[c.dependent].name +
                         "' is already the dependent of another coupler");
    }
    for (const auto& [dep, ind] : dependent_of) {
      int cur = ind;
      for (size_t guard = 0; guard <= dependent_of.size(); ++guard) {
        auto it = dependent_of.find(cur);
        if (it == dependent_of.end()) break;
        if (it->second == dep)
          throw ModelError("coupler constraints form a loop through coordinate '" + m.coordinates[dep].name + "'");
        cur = it->second;
      }
    }
    // Order couplers so that a dependent is computed before it is used as an independent.
    std::vector<CouplerConstraint> ordered;
    std::set<int> done;
    while (ordered.size() < m.couplers.size()) {
      for (const auto& c : m.couplers) {
        if (done.count(c.dependent)) continue;
        if (dependent_of.count(c.independent[0]) && !done.count(c.independent[0])) continue;
        ordered.push_back(c);
        done.insert(c.dependent);
      }
    }
    m.couplers = std::move(ordered);
  }

  // ---- Markers.
  for (const MarkerSpec& ms : markers_) {
    auto it = spec_index.find(ms.body);
    if (it == spec_index.end())
      throw ModelError(at(ms.where) + "marker '" + ms.name + "': body '" + ms.body + "' does not exist");
    m.markers.push_back({ms.name, model_index_of_spec[it->second], ms.location, ms.fixed});
  }

  // ---- Wrap objects, contact geometry, forces, controllers: names resolved to indices.
  const auto place = [](const std::string& file, int line, int element_line) {
    const int l = line > 0 ? line : element_line;
    if (file.empty()) return std::string();
    return l > 0 ? file + ":" + std::to_string(l) + ": " : file + ": ";
  };
  const auto body_index = [&](const NameRef& ref, const std::string& file, int line, const std::string& what) {
    auto it = spec_index.find(ref.name);
    if (it == spec_index.end())
      throw ModelError(place(file, ref.line, line) + what + ": body '" + ref.name + "' does not exist");
    return model_index_of_spec[it->second];
  };
  const auto coordinate_index_of = [&](const NameRef& ref, const std::string& file, int line,
                                       const std::string& what) {
    auto it = coordinate_index.find(ref.name);
    if (it == coordinate_index.end())
      throw ModelError(place(file, ref.line, line) + what + ": coordinate '" + ref.name + "' does not exist");
    return it->second;
  };
  for (auto& [wrap, body] : wraps_) {
    const std::string what = std::string(wrap_kind_name(wrap.kind)) + " '" + wrap.name + "'";
    wrap.body = body_index(body, wrap.file, body.line, what);
    check_wrap_object(wrap, place(wrap.file, 0, wrap.line) + what);
    wrap.X_body_wrap = Transform{body_fixed_xyz(wrap.xyz_body_rotation), wrap.translation};
    if (m.wrap_object_index(wrap.name) >= 0)
      throw ModelError(place(wrap.file, 0, wrap.line) + what + " is defined twice");
    m.wrap_objects.push_back(std::move(wrap));
  }
  for (auto& [geometry, body] : contact_) {
    const std::string what = geometry.type + " '" + geometry.name + "'";
    geometry.body = body_index(body, geometry.file, geometry.line, what);
    if (m.contact_geometry_index(geometry.name) >= 0)
      throw ModelError(place(geometry.file, 0, geometry.line) + what + " is defined twice");
    m.contact_geometry.push_back(std::move(geometry));
  }
  const int nfunctions = static_cast<int>(m.functions.size());
  for (ForceSpec& spec : forces_) {
    ForceElement& f = spec.force;
    const std::string what = f.type + " '" + f.name + "'";
    const auto body_of = [&](const NameRef& ref) { return body_index(ref, f.file, f.line, what); };
    const auto coordinate_of = [&](const NameRef& ref) { return coordinate_index_of(ref, f.file, f.line, what); };
    const auto geometry = [&](const NameRef& ref, ContactGeometry::Kind kind, const char* kind_name) {
      const int g = m.contact_geometry_index(ref.name);
      if (g < 0)
        throw ModelError(place(f.file, ref.line, f.line) + what + ": contact geometry '" + ref.name +
                         "' does not exist");
      if (kind != ContactGeometry::Kind::Other && m.contact_geometry[g].kind != kind)
        throw ModelError(place(f.file, ref.line, f.line) + what + ": contact geometry '" + ref.name + "' is a " +
                         m.contact_geometry[g].type + ", not a " + kind_name);
      return g;
    };
    const auto function = [&](int index) {
      if (index >= nfunctions) throw ModelError(place(f.file, 0, f.line) + what + ": function index out of range");
    };
    std::visit(Overload{[&](CoordinateActuator& a) { a.coordinate = coordinate_of(spec.coordinate); },
                        [&](ActivationCoordinateActuator& a) { a.coordinate = coordinate_of(spec.coordinate); },
                        [&](CoordinateLimitForce& a) { a.coordinate = coordinate_of(spec.coordinate); },
                        [&](SpringGeneralizedForce& a) { a.coordinate = coordinate_of(spec.coordinate); },
                        [&](ExpressionBasedCoordinateForce& a) { a.coordinate = coordinate_of(spec.coordinate); },
                        [&](PointActuator& a) { a.body = body_of(spec.body); },
                        [&](TorqueActuator& a) {
                          a.body_a = body_of(spec.body);
                          a.body_b = body_of(spec.body2);
                        },
                        [&](PointToPointSpring& a) {
                          a.body1 = body_of(spec.body);
                          a.body2 = body_of(spec.body2);
                        },
                        [&](PrescribedForce& a) {
                          a.body = body_of(spec.body);
                          for (const auto* fs : {&a.force_functions, &a.point_functions, &a.torque_functions})
                            for (int fi : *fs) function(fi);
                        },
                        [&](SmoothSphereHalfSpaceForce& a) {
                          a.sphere = geometry(spec.sphere, ContactGeometry::Kind::Sphere, "ContactSphere");
                          a.half_space = geometry(spec.half_space, ContactGeometry::Kind::HalfSpace, "ContactHalfSpace");
                        },
                        [&](HuntCrossleyForce& a) {
                          if (spec.contact_geometry.size() != a.contact_parameters.size())
                            throw ModelError(place(f.file, 0, f.line) + what +
                                             ": one list of contact geometry per contact parameter set is needed");
                          for (size_t k = 0; k < a.contact_parameters.size(); ++k) {
                            a.contact_parameters[k].geometry.clear();
                            for (const NameRef& ref : spec.contact_geometry[k])
                              a.contact_parameters[k].geometry.push_back(
                                  geometry(ref, ContactGeometry::Kind::Other, ""));
                          }
                        },
                        [&](MuscleParameters& a) {
                          for (const ParameterProblem& problem : check_muscle_parameters(a))
                            if (problem.at_load)
                              throw ModelError(place(f.file, 0, f.line) + what + ": <" + problem.property + "> " +
                                               problem.message);
                        },
                        [&](Schutte1993Muscle& a) {
                          for (int fi : {a.tendon_force_length_curve, a.active_force_length_curve,
                                         a.passive_force_length_curve})
                            function(fi);
                        },
                        [](auto&) {}},
               f.part);
    if (GeometryPath* path = f.geometry_path()) {
      if (spec.point_bodies.size() != path->points.size() || spec.point_coordinates.size() > path->points.size() ||
          spec.wrap_objects.size() != path->wraps.size())
        throw ModelError(place(f.file, 0, f.line) + what + ": the path's names do not match its points and wraps");
      for (size_t k = 0; k < path->points.size(); ++k) {
        PathPoint& p = path->points[k];
        const std::string point = what + " point '" + p.name + "'";
        p.body = body_index(spec.point_bodies[k], f.file, f.line, point);
        p.coordinate = k < spec.point_coordinates.size() && !spec.point_coordinates[k].name.empty()
                           ? coordinate_index_of(spec.point_coordinates[k], f.file, f.line, point)
                           : -1;
        for (int fi : p.moving_functions) function(fi);
      }
      for (size_t k = 0; k < path->wraps.size(); ++k) {
        const NameRef& ref = spec.wrap_objects[k];
        path->wraps[k].wrap_object = m.wrap_object_index(ref.name);
        if (path->wraps[k].wrap_object < 0)
          throw ModelError(place(f.file, ref.line, f.line) + what + ": wrap object '" + ref.name + "' does not exist");
      }
    }
    m.forces.push_back(std::move(f));
  }
  for (auto& [controller, actuators] : controllers_) {
    const std::string what = controller.type + " '" + controller.name + "'";
    controller.actuators.clear();
    if (actuators.size() == 1 && actuators[0].name == "ALL") {
      for (size_t k = 0; k < m.forces.size(); ++k)
        if (is_actuator(m.forces[k])) controller.actuators.push_back(static_cast<int>(k));
      actuators.clear();
    }
    for (const NameRef& ref : actuators) {
      const int k = m.force_index(ref.name);
      if (k < 0 || !is_actuator(m.forces[k]))
        throw ModelError(place(controller.file, ref.line, controller.line) + what + ": actuator '" + ref.name +
                         "' does not exist");
      controller.actuators.push_back(k);
    }
    if (const auto* p = std::get_if<PrescribedController>(&controller.part))
      for (int fi : p->control_functions)
        if (fi >= nfunctions)
          throw ModelError(place(controller.file, 0, controller.line) + what + ": function index out of range");
    m.controllers.push_back(std::move(controller));
  }

  // ---- Geometry paths, compiled once (Model::paths).
  m.paths = compile_path_set(m);

  return std::move(m);
}

ForceSpec force_spec(const Model& m, const ForceElement& force, ModelBuilder& into) {
  ForceSpec spec;
  spec.force = force;
  const auto copy_function = [&](int& fi) {
    if (fi >= 0) fi = into.add_function(m.functions[fi]);
  };
  std::visit(Overload{[&](PrescribedForce& a) {
                        for (auto* fs : {&a.force_functions, &a.point_functions, &a.torque_functions})
                          for (int& fi : *fs) copy_function(fi);
                      },
                      [&](Schutte1993Muscle& a) {
                        copy_function(a.tendon_force_length_curve);
                        copy_function(a.active_force_length_curve);
                        copy_function(a.passive_force_length_curve);
                      },
                      [](auto&) {}},
             spec.force.part);
  if (GeometryPath* path = spec.force.geometry_path())
    for (PathPoint& p : path->points)
      for (int& fi : p.moving_functions) copy_function(fi);
  const auto body = [&](int b) { return NameRef{b >= 0 ? m.bodies[b].name : std::string()}; };
  const auto coordinate = [&](int k) { return NameRef{k >= 0 ? m.coordinates[k].name : std::string()}; };
  const auto geometry = [&](int g) { return NameRef{g >= 0 ? m.contact_geometry[g].name : std::string()}; };
  std::visit(Overload{[&](const CoordinateActuator& a) { spec.coordinate = coordinate(a.coordinate); },
                      [&](const ActivationCoordinateActuator& a) { spec.coordinate = coordinate(a.coordinate); },
                      [&](const CoordinateLimitForce& a) { spec.coordinate = coordinate(a.coordinate); },
                      [&](const SpringGeneralizedForce& a) { spec.coordinate = coordinate(a.coordinate); },
                      [&](const ExpressionBasedCoordinateForce& a) { spec.coordinate = coordinate(a.coordinate); },
                      [&](const PointActuator& a) { spec.body = body(a.body); },
                      [&](const TorqueActuator& a) {
                        spec.body = body(a.body_a);
                        spec.body2 = body(a.body_b);
                      },
                      [&](const PointToPointSpring& a) {
                        spec.body = body(a.body1);
                        spec.body2 = body(a.body2);
                      },
                      [&](const PrescribedForce& a) { spec.body = body(a.body); },
                      [&](const SmoothSphereHalfSpaceForce& a) {
                        spec.sphere = geometry(a.sphere);
                        spec.half_space = geometry(a.half_space);
                      },
                      [&](const HuntCrossleyForce& a) {
                        for (const auto& p : a.contact_parameters) {
                          spec.contact_geometry.emplace_back();
                          for (int g : p.geometry) spec.contact_geometry.back().push_back(geometry(g));
                        }
                      },
                      [](const auto&) {}},
             force.part);
  if (const GeometryPath* path = force.geometry_path()) {
    for (const PathPoint& p : path->points) {
      spec.point_bodies.push_back(body(p.body));
      spec.point_coordinates.push_back(coordinate(p.coordinate));
    }
    for (const PathWrap& w : path->wraps)
      spec.wrap_objects.push_back(NameRef{w.wrap_object >= 0 ? m.wrap_objects[w.wrap_object].name : std::string()});
  }
  return spec;
}

}  // namespace femur
