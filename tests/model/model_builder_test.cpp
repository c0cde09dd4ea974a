// ModelBuilder's resolution of the typed parts: names of coordinates, bodies, wrap objects,
// contact geometry and actuators become indices, the geometry paths are compiled once into
// Model::paths, and every unknown name or inconsistent path is a ModelError naming the file,
// the line and the element.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "femur/model/model_builder.hpp"

namespace femur {
namespace {

// Ground -> pelvis (pin about z, coordinate "hip") -> thigh (pin, coordinate "knee").
ModelBuilder two_links() {
  ModelBuilder b;
  b.add_body(BodySpec{"pelvis", 10.0, Vec3::Zero(), Mat3::Identity(), ""});
  b.add_body(BodySpec{"thigh", 5.0, Vec3(0, -0.2, 0), Mat3::Identity() * 0.1, ""});
  JointSpec hip;
  hip.name = "hip";
  hip.type = JointType::Pin;
  hip.parent_body = "ground";
  hip.child_body = "pelvis";
  Coordinate h;
  h.name = "hip";
  hip.coordinates = {h};
  b.add_joint(hip);
  JointSpec knee = hip;
  knee.name = "knee";
  knee.parent_body = "pelvis";
  knee.child_body = "thigh";
  knee.X_parent_F.p = Vec3(0, -0.4, 0);
  knee.coordinates[0].name = "knee";
  b.add_joint(knee);
  return b;
}

ForceSpec spec_of(const std::string& type, const std::string& name, ForcePart part) {
  ForceSpec s;
  s.force.type = type;
  s.force.name = name;
  s.force.file = "m.osim";
  s.force.line = 7;
  s.force.part = std::move(part);
  return s;
}

// A two-point muscle from pelvis to thigh.
ForceSpec muscle(const std::string& name) {
  ForceSpec s = spec_of("Thelen2003Muscle", name, default_muscle_parameters(MuscleKind::Thelen2003));
  std::get<MuscleParameters>(s.force.part).name = name;
  GeometryPath path;
  path.points.resize(2);
  path.points[0].name = name + "-P1";
  path.points[1].name = name + "-P2";
  path.points[1].location = Vec3(0.02, -0.1, 0);
  s.force.path = path;
  s.point_bodies = {{"pelvis"}, {"thigh"}};
  s.point_coordinates = {{""}, {""}};
  return s;
}

std::string error_of(ModelBuilder b) {
  try {
    std::move(b).build();
  } catch (const ModelError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ModelBuilderForces, ResolvesTheNamesEveryPartRefersTo) {
  ModelBuilder b = two_links();
  WrapObject cyl;
  cyl.kind = WrapSurface::Kind::Cylinder;
  cyl.name = "cyl";
  cyl.radius = 0.03;
  cyl.translation = Vec3(0.01, 0.02, 0.03);
  b.add_wrap_object(cyl, NameRef{"pelvis"});
  ContactGeometry sphere;
  sphere.kind = ContactGeometry::Kind::Sphere;
  sphere.type = "ContactSphere";
  sphere.name = "heel";
  sphere.radius = 0.02;
  b.add_contact_geometry(sphere, NameRef{"thigh"});
  ContactGeometry floor = sphere;
  floor.kind = ContactGeometry::Kind::HalfSpace;
  floor.type = "ContactHalfSpace";
  floor.name = "floor";
  b.add_contact_geometry(floor, NameRef{"ground"});

  ForceSpec m = muscle("vas");
  std::get<GeometryPath>(m.force.path).wraps.push_back(PathWrap{});
  m.wrap_objects = {{"cyl"}};
  b.add_force(m);
  ForceSpec act = spec_of("CoordinateActuator", "knee_act", CoordinateActuator{});
  act.coordinate = {"knee"};
  b.add_force(act);
  ForceSpec torque = spec_of("TorqueActuator", "t", TorqueActuator{});
  torque.body = {"thigh"};
  torque.body2 = {"pelvis"};
  b.add_force(torque);
  ForceSpec contact = spec_of("SmoothSphereHalfSpaceForce", "c", SmoothSphereHalfSpaceForce{});
  contact.sphere = {"heel"};
  contact.half_space = {"floor"};
  b.add_force(contact);
  Controller controller;
  controller.type = "ControlSetController";
  controller.name = "ctl";
  controller.part = ControlSetController{"controls.xml"};
  b.add_controller(controller, {{"knee_act"}, {"t"}});
  Controller all = controller;
  all.name = "all";
  b.add_controller(all, {{"ALL"}});

  const Model model = std::move(b).build();
  ASSERT_EQ(model.forces.size(), 4u);
  EXPECT_EQ(model.wrap_objects[0].body, model.body_index("pelvis"));
  EXPECT_TRUE(model.wrap_objects[0].X_body_wrap.p.isApprox(Vec3(0.01, 0.02, 0.03), 0.0));
  EXPECT_EQ(model.forces[0].geometry_path()->points[1].body, model.body_index("thigh"));
  EXPECT_EQ(model.forces[0].geometry_path()->wraps[0].wrap_object, 0);
  EXPECT_EQ(std::get<CoordinateActuator>(model.forces[1].part).coordinate, model.coordinate_index("knee"));
  EXPECT_EQ(std::get<TorqueActuator>(model.forces[2].part).body_a, model.body_index("thigh"));
  EXPECT_EQ(std::get<TorqueActuator>(model.forces[2].part).body_b, model.body_index("pelvis"));
  EXPECT_EQ(std::get<SmoothSphereHalfSpaceForce>(model.forces[3].part).sphere, 0);
  EXPECT_EQ(std::get<SmoothSphereHalfSpaceForce>(model.forces[3].part).half_space, 1);
  EXPECT_EQ(model.contact_geometry[1].body, 0);
  EXPECT_EQ(model.controllers[0].actuators, (std::vector<int>{1, 2}));
  EXPECT_EQ(model.controllers[1].actuators, (std::vector<int>{0, 1, 2}));  // every actuator
  // The path is compiled once, with the model.
  ASSERT_EQ(model.paths.size(), 1);
  EXPECT_EQ(model.paths.paths[0].force, 0);
  EXPECT_EQ(model.paths.paths[0].wrap_count, 1);
  EXPECT_EQ(model.paths.surfaces[0].radius, 0.03);
  EXPECT_EQ(model.paths.path_index("vas"), 0);
}

TEST(ModelBuilderForces, UnknownNamesAreErrorsAtTheirLine) {
  {
    ModelBuilder b = two_links();
    ForceSpec act = spec_of("CoordinateActuator", "a", CoordinateActuator{});
    act.coordinate = {"ankle", 12};
    b.add_force(act);
    EXPECT_EQ(error_of(std::move(b)), "m.osim:12: CoordinateActuator 'a': coordinate 'ankle' does not exist");
  }
  {
    ModelBuilder b = two_links();
    ForceSpec p = spec_of("PointActuator", "p", PointActuator{});
    p.body = {"foot"};  // no line of its own: the element's
    b.add_force(p);
    EXPECT_EQ(error_of(std::move(b)), "m.osim:7: PointActuator 'p': body 'foot' does not exist");
  }
  {
    ModelBuilder b = two_links();
    ForceSpec m = muscle("vas");
    std::get<GeometryPath>(m.force.path).wraps.push_back(PathWrap{});
    m.wrap_objects = {{"nowhere", 9}};
    b.add_force(m);
    EXPECT_EQ(error_of(std::move(b)), "m.osim:9: Thelen2003Muscle 'vas': wrap object 'nowhere' does not exist");
  }
  {
    ModelBuilder b = two_links();
    ForceSpec c = spec_of("SmoothSphereHalfSpaceForce", "c", SmoothSphereHalfSpaceForce{});
    c.sphere = {"heel", 3};
    c.half_space = {"floor", 4};
    b.add_force(c);
    EXPECT_EQ(error_of(std::move(b)),
              "m.osim:3: SmoothSphereHalfSpaceForce 'c': contact geometry 'heel' does not exist");
  }
  {
    ModelBuilder b = two_links();
    ContactGeometry floor;
    floor.kind = ContactGeometry::Kind::HalfSpace;
    floor.type = "ContactHalfSpace";
    floor.name = "floor";
    b.add_contact_geometry(floor, NameRef{"ground"});
    ForceSpec c = spec_of("SmoothSphereHalfSpaceForce", "c", SmoothSphereHalfSpaceForce{});
    c.sphere = {"floor", 3};
    c.half_space = {"floor", 4};
    b.add_force(c);
    EXPECT_EQ(error_of(std::move(b)),
              "m.osim:3: SmoothSphereHalfSpaceForce 'c': contact geometry 'floor' is a ContactHalfSpace, not a "
              "ContactSphere");
  }
  {
    ModelBuilder b = two_links();
    b.add_force(muscle("vas"));
    Controller c;
    c.type = "ControlSetController";
    c.name = "ctl";
    c.file = "m.osim";
    c.line = 20;
    b.add_controller(c, {{"vas"}, {"gone", 21}});
    EXPECT_EQ(error_of(std::move(b)), "m.osim:21: ControlSetController 'ctl': actuator 'gone' does not exist");
  }
}

TEST(ModelBuilderForces, PathsAreCheckedWhenCompiled) {
  {
    ModelBuilder b = two_links();
    ForceSpec m = muscle("vas");
    std::get<GeometryPath>(m.force.path).points.resize(1);
    m.point_bodies.resize(1);
    m.point_coordinates.resize(1);
    b.add_force(m);
    EXPECT_EQ(error_of(std::move(b)),
              "m.osim:7: Thelen2003Muscle 'vas': GeometryPath has 1 path point; a path needs at least two");
  }
  {
    ModelBuilder b = two_links();
    WrapObject cyl;
    cyl.kind = WrapSurface::Kind::Cylinder;
    cyl.name = "cyl";
    b.add_wrap_object(cyl, NameRef{"pelvis"});
    ForceSpec m = muscle("vas");
    std::get<GeometryPath>(m.force.path).wraps.push_back(PathWrap{-1, WrapMethod::Hybrid, 1, 5});
    m.wrap_objects = {{"cyl"}};
    b.add_force(m);
    EXPECT_EQ(error_of(std::move(b)),
              "m.osim:7: Thelen2003Muscle 'vas': PathWrap over 'cyl' has range [1, 5] outside the path's 2 points");
  }
  {
    ModelBuilder b = two_links();
    ForceSpec m = muscle("vas");
    auto& p = std::get<GeometryPath>(m.force.path).points[1];
    p.kind = PathPoint::Kind::Moving;
    b.add_force(m);
    EXPECT_EQ(error_of(std::move(b)),
              "m.osim:7: Thelen2003Muscle 'vas': MovingPathPoint 'vas-P2' names no coordinate for its x, y and z "
              "locations");
  }
  {
    ModelBuilder b = two_links();
    ForceSpec m = muscle("vas");
    std::get<MuscleParameters>(m.force.part).max_isometric_force = -1.0;
    b.add_force(m);
    EXPECT_EQ(error_of(std::move(b)),
              "m.osim:7: Thelen2003Muscle 'vas': <max_isometric_force> must not be negative, got -1.000000");
  }
  {
    ModelBuilder b = two_links();
    WrapObject torus;
    torus.kind = WrapSurface::Kind::Torus;
    torus.name = "tor";
    torus.inner_radius = 0.05;
    torus.outer_radius = 0.04;
    b.add_wrap_object(torus, NameRef{"thigh"});
    EXPECT_EQ(error_of(std::move(b)), "WrapTorus 'tor': outer_radius must be greater than inner_radius");
  }
}

TEST(ModelBuilderForces, ForceSpecRebuildsTheSameElement) {
  ModelBuilder b = two_links();
  ForceSpec m = muscle("vas");
  auto& p = std::get<GeometryPath>(m.force.path).points[1];
  p.kind = PathPoint::Kind::Moving;
  p.moving_functions = {b.add_function(Function::linear(0.1, 0.0)), -1, -1};
  m.point_coordinates[1] = {"knee"};
  b.add_force(m);
  ForceSpec act = spec_of("CoordinateActuator", "a", CoordinateActuator{});
  act.coordinate = {"hip"};
  b.add_force(act);
  const Model model = std::move(b).build();

  ModelBuilder again = two_links();
  for (const ForceElement& f : model.forces) again.add_force(force_spec(model, f, again));
  const Model copy = std::move(again).build();
  ASSERT_EQ(copy.forces.size(), 2u);
  EXPECT_EQ(copy.forces[0].part, model.forces[0].part);
  EXPECT_EQ(copy.forces[1].part, model.forces[1].part);
  const auto& q = copy.forces[0].geometry_path()->points[1];
  EXPECT_EQ(q.coordinate, copy.coordinate_index("knee"));
  ASSERT_GE(q.moving_functions[0], 0);
  EXPECT_EQ(copy.functions[q.moving_functions[0]].value(2.0), 0.2);
}

// The tree part of the builder: every error build() raises for bodies, joints, coordinates,
// couplers and markers, with its exact message (issue 22 item 5). Each case edits one spec of
// the two-link model above, whose specs carry "m.osim:LINE" as their place.
struct Specs {
  BodySpec pelvis{"pelvis", 10.0, Vec3::Zero(), Mat3::Identity(), "m.osim:3"};
  BodySpec thigh{"thigh", 5.0, Vec3(0, -0.2, 0), Mat3::Identity() * 0.1, "m.osim:4"};
  JointSpec hip, knee;
  Specs() {
    hip.name = "hip";
    hip.type = JointType::Pin;
    hip.parent_body = "ground";
    hip.child_body = "pelvis";
    hip.where = "m.osim:10";
    Coordinate h;
    h.name = "hip";
    h.range_min = -1.0;
    h.range_max = 1.0;
    hip.coordinates = {h};
    knee = hip;
    knee.name = "knee";
    knee.parent_body = "pelvis";
    knee.child_body = "thigh";
    knee.where = "m.osim:20";
    knee.coordinates[0].name = "knee";
  }
  ModelBuilder builder() const {
    ModelBuilder b;
    b.add_body(pelvis);
    b.add_body(thigh);
    b.add_joint(hip);
    b.add_joint(knee);
    return b;
  }
};

template <class Edit>
std::string error_after(Edit&& edit) {
  Specs s;
  edit(s);
  return error_of(s.builder());
}

TEST(ModelBuilderTree, TheUneditedSpecsBuild) {
  EXPECT_EQ(error_after([](Specs&) {}), "(no error)");
}

TEST(ModelBuilderTree, BodiesWithInvalidMassPropertiesAreErrors) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(error_after([](Specs& s) { s.thigh.mass = -2.0; }),
            "m.osim:4: body 'thigh' has invalid mass -2.000000");
  EXPECT_EQ(error_after([&](Specs& s) { s.thigh.mass = nan; }), "m.osim:4: body 'thigh' has invalid mass nan");
  EXPECT_EQ(error_after([&](Specs& s) { s.pelvis.mass = inf; }), "m.osim:3: body 'pelvis' has invalid mass inf");
  EXPECT_EQ(error_after([&](Specs& s) { s.thigh.com_in_body.y() = nan; }),
            "m.osim:4: body 'thigh': mass_center is not finite");
  EXPECT_EQ(error_after([&](Specs& s) { s.thigh.inertia_about_com(2, 2) = inf; }),
            "m.osim:4: body 'thigh': inertia is not finite");
  EXPECT_EQ(error_after([](Specs& s) { s.thigh.inertia_about_com(0, 1) = 0.01; }),
            "m.osim:4: body 'thigh': inertia is not symmetric");
  // Negative principal moment (diagonal), and positive diagonal with a negative eigenvalue
  // (products of inertia too large: eigenvalues 0.1 +- 0.2).
  EXPECT_EQ(error_after([](Specs& s) { s.thigh.inertia_about_com(1, 1) = -0.1; }),
            "m.osim:4: body 'thigh': inertia is not positive semi-definite");
  EXPECT_EQ(error_after([](Specs& s) {
              s.thigh.inertia_about_com(0, 1) = 0.2;
              s.thigh.inertia_about_com(1, 0) = 0.2;
            }),
            "m.osim:4: body 'thigh': inertia is not positive semi-definite");
  // Allowed: a massless body with zero inertia (OpenSim's default Body).
  EXPECT_EQ(error_after([](Specs& s) {
              s.thigh.mass = 0.0;
              s.thigh.inertia_about_com.setZero();
            }),
            "(no error)");
}

TEST(ModelBuilderTree, NamesMustBeUniqueAndResolve) {
  EXPECT_EQ(error_after([](Specs& s) { s.thigh.name = "pelvis"; }), "m.osim:4: body 'pelvis' is defined twice");
  EXPECT_EQ(error_after([](Specs& s) { s.knee.parent_body = "torso"; }),
            "m.osim:20: joint 'knee': parent body 'torso' does not exist");
  EXPECT_EQ(error_after([](Specs& s) { s.knee.child_body = "shank"; }),
            "m.osim:20: joint 'knee': child body 'shank' does not exist");
  EXPECT_EQ(error_after([](Specs& s) { s.knee.coordinates[0].name = "hip"; }),
            "m.osim:20: joint 'knee': coordinate 'hip' is defined twice");
  {
    Specs s;
    ModelBuilder b = s.builder();
    b.add_marker(MarkerSpec{"ASIS", "sacrum", Vec3::Zero(), false, "m.osim:30"});
    EXPECT_EQ(error_of(std::move(b)), "m.osim:30: marker 'ASIS': body 'sacrum' does not exist");
  }
}

TEST(ModelBuilderTree, JointsMustFormATreeHangingFromGround) {
  EXPECT_EQ(error_after([](Specs& s) {
              s.knee.parent_body = "thigh";
              s.knee.child_body = "ground";
            }),
            "m.osim:20: joint 'knee': ground cannot be the child of a joint");
  EXPECT_EQ(error_after([](Specs& s) { s.knee.child_body = "pelvis"; }),
            "m.osim:20: joint 'knee': body 'pelvis' already has joint 'hip' (closed loops are not supported)");
  {
    Specs s;  // a body without a joint
    ModelBuilder b = s.builder();
    b.add_body(BodySpec{"patella", 0.1, Vec3::Zero(), Mat3::Identity() * 1e-4, "m.osim:5"});
    EXPECT_EQ(error_of(std::move(b)), "m.osim:5: body 'patella' is not connected to ground by any joint");
  }
  // pelvis hangs from thigh and thigh from pelvis: each has a joint, neither reaches ground.
  EXPECT_EQ(error_after([](Specs& s) { s.hip.parent_body = "thigh"; }),
            "m.osim:10: joint 'hip' closes a cycle of bodies (pelvis <- thigh <- pelvis); every body must hang "
            "from ground through a tree of joints");
}

TEST(ModelBuilderTree, CoordinatesAndAxesMustBeConsistent) {
  EXPECT_EQ(error_after([](Specs& s) { s.knee.coordinates.push_back(s.knee.coordinates[0]); }),
            "m.osim:20: joint 'knee' (PinJoint) has 2 coordinates, expected 1");
  EXPECT_EQ(error_after([](Specs& s) {
              s.knee.coordinates[0].range_min = 1.0;
              s.knee.coordinates[0].range_max = 0.5;
            }),
            "m.osim:20: coordinate 'knee': range minimum exceeds maximum");
  EXPECT_EQ(error_after([](Specs& s) { s.knee.coordinates[0].range_max = std::numeric_limits<double>::quiet_NaN(); }),
            "m.osim:20: coordinate 'knee': range is NaN");
  // Infinite bounds are an unbounded range, not an error.
  EXPECT_EQ(error_after([](Specs& s) {
              s.knee.coordinates[0].range_min = -std::numeric_limits<double>::infinity();
              s.knee.coordinates[0].range_max = std::numeric_limits<double>::infinity();
            }),
            "(no error)");
  const auto custom = [](Specs& s) {
    s.knee.type = JointType::Custom;
    for (int a = 0; a < 6; ++a) {
      s.knee.axes[a].axis = Vec3::Unit(a % 3);
      s.knee.axes[a].function = Function::constant(0.0);
    }
    s.knee.axes[2].coordinate = "knee";
    s.knee.axes[2].function = Function::linear(1.0, 0.0);
  };
  EXPECT_EQ(error_after([&](Specs& s) { custom(s); }), "(no error)");
  EXPECT_EQ(error_after([&](Specs& s) {
              custom(s);
              s.knee.axes[2].coordinate = "hip";
            }),
            "m.osim:20: joint 'knee': transform axis names coordinate 'hip', which is not one of this joint's "
            "coordinates");
  EXPECT_EQ(error_after([&](Specs& s) {
              custom(s);
              s.knee.axes[4].axis = Vec3::Zero();
            }),
            "m.osim:20: joint 'knee': transform axis 5 has zero length");
}

// Three pin joints in a chain (hip, knee, ankle), for the couplers.
std::string coupler_error(const std::vector<CouplerSpec>& couplers) {
  Specs s;
  ModelBuilder b = s.builder();
  b.add_body(BodySpec{"foot", 1.0, Vec3::Zero(), Mat3::Identity() * 0.01, "m.osim:5"});
  JointSpec ankle = s.knee;
  ankle.name = "ankle";
  ankle.parent_body = "thigh";
  ankle.child_body = "foot";
  ankle.coordinates[0].name = "ankle";
  b.add_joint(ankle);
  for (const CouplerSpec& c : couplers) b.add_coupler(c);
  return error_of(std::move(b));
}

CouplerSpec coupler(const std::string& name, const std::string& dependent, std::vector<std::string> independent) {
  return CouplerSpec{name, dependent, std::move(independent), Function::linear(0.5, 0.0), "m.osim:40"};
}

TEST(ModelBuilderTree, CouplersMustBeWellFormedAndAcyclic) {
  EXPECT_EQ(coupler_error({coupler("c", "knee", {"hip"})}), "(no error)");
  EXPECT_EQ(coupler_error({coupler("c", "shin", {"hip"})}), "m.osim:40: constraint 'c': coordinate 'shin' does not exist");
  EXPECT_EQ(coupler_error({coupler("c", "knee", {"toe"})}), "m.osim:40: constraint 'c': coordinate 'toe' does not exist");
  EXPECT_EQ(coupler_error({coupler("c", "knee", {"hip", "ankle"})}),
            "m.osim:40: constraint 'c' has 2 independent coordinates; femur supports exactly one");
  EXPECT_EQ(coupler_error({coupler("c", "knee", {"knee"})}),
            "m.osim:40: constraint 'c': a coordinate cannot depend on itself");
  EXPECT_EQ(coupler_error({coupler("c1", "knee", {"hip"}), coupler("c2", "knee", {"ankle"})}),
            "constraint 'c2': coordinate 'knee' is already the dependent of another coupler");
  EXPECT_EQ(coupler_error({coupler("c1", "knee", {"ankle"}), coupler("c2", "ankle", {"knee"})}),
            "coupler constraints form a loop through coordinate 'knee'");
  EXPECT_EQ(coupler_error({coupler("c1", "knee", {"ankle"}), coupler("c2", "ankle", {"hip"}),
                           coupler("c3", "hip", {"knee"})}),
            "coupler constraints form a loop through coordinate 'hip'");
}

// Wrap objects, contact geometry and function references (the rest of build()'s checks).
std::string wrap_error(WrapObject w, bool twice = false) {
  ModelBuilder b = two_links();
  w.name = "w";
  w.file = "m.osim";
  w.line = 50;
  b.add_wrap_object(w, NameRef{"thigh"});
  if (twice) b.add_wrap_object(w, NameRef{"pelvis"});
  return error_of(std::move(b));
}

WrapObject wrap_of(WrapSurface::Kind kind) {
  WrapObject w;
  w.kind = kind;
  w.radius = 0.02;
  w.length = 0.1;
  w.dimensions = Vec3(0.03, 0.02, 0.01);
  w.inner_radius = 0.01;
  w.outer_radius = 0.05;
  return w;
}

TEST(ModelBuilderWraps, SizesOpenSimRefusesAreErrors) {
  using K = WrapSurface::Kind;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (K k : {K::Cylinder, K::Sphere, K::Ellipsoid, K::Torus}) EXPECT_EQ(wrap_error(wrap_of(k)), "(no error)");
  WrapObject w = wrap_of(K::Cylinder);
  w.radius = -0.01;
  EXPECT_EQ(wrap_error(w), "m.osim:50: WrapCylinder 'w': radius cannot be less than zero");
  w = wrap_of(K::Cylinder);
  w.length = nan;
  EXPECT_EQ(wrap_error(w), "m.osim:50: WrapCylinder 'w': length cannot be less than zero");
  w = wrap_of(K::Sphere);
  w.radius = nan;
  EXPECT_EQ(wrap_error(w), "m.osim:50: WrapSphere 'w': radius cannot be less than zero");
  for (int axis = 0; axis < 3; ++axis) {
    for (double bad : {0.0, -0.01, nan}) {
      w = wrap_of(K::Ellipsoid);
      w.dimensions[axis] = bad;
      EXPECT_EQ(wrap_error(w), "m.osim:50: WrapEllipsoid 'w': dimensions must be positive") << axis << " " << bad;
    }
  }
  w = wrap_of(K::Torus);
  w.inner_radius = 0.0;
  EXPECT_EQ(wrap_error(w), "m.osim:50: WrapTorus 'w': inner_radius must be greater than zero");
  w = wrap_of(K::Torus);
  w.outer_radius = -1.0;
  EXPECT_EQ(wrap_error(w), "m.osim:50: WrapTorus 'w': outer_radius must be greater than zero");
  EXPECT_EQ(wrap_error(wrap_of(K::Sphere), true), "m.osim:50: WrapSphere 'w' is defined twice");
  {
    ModelBuilder b = two_links();
    WrapObject lost = wrap_of(K::Sphere);
    lost.name = "w";
    lost.file = "m.osim";
    lost.line = 50;
    b.add_wrap_object(lost, NameRef{"shank", 51});
    EXPECT_EQ(error_of(std::move(b)), "m.osim:51: WrapSphere 'w': body 'shank' does not exist");
  }
}

TEST(ModelBuilderWraps, ContactGeometryAndFunctionReferencesAreChecked) {
  {
    ModelBuilder b = two_links();
    ContactGeometry g;
    g.kind = ContactGeometry::Kind::Sphere;
    g.type = "ContactSphere";
    g.name = "heel";
    g.file = "m.osim";
    g.line = 60;
    b.add_contact_geometry(g, NameRef{"thigh"});
    b.add_contact_geometry(g, NameRef{"pelvis"});
    EXPECT_EQ(error_of(std::move(b)), "m.osim:60: ContactSphere 'heel' is defined twice");
  }
  {
    ModelBuilder b = two_links();
    ForceSpec m = muscle("vas");
    auto& p = std::get<GeometryPath>(m.force.path).points[1];
    p.kind = PathPoint::Kind::Moving;
    p.moving_functions = {99, -1, -1};
    m.point_coordinates[1] = {"knee"};
    b.add_force(m);
    EXPECT_EQ(error_of(std::move(b)), "m.osim:7: Thelen2003Muscle 'vas': function index out of range");
  }
  {
    ModelBuilder b = two_links();
    ForceSpec m = muscle("vas");
    m.point_bodies.pop_back();
    b.add_force(m);
    EXPECT_EQ(error_of(std::move(b)), "m.osim:7: Thelen2003Muscle 'vas': the path's names do not match its points and wraps");
  }
  {
    ModelBuilder b = two_links();
    ForceSpec m = muscle("vas");
    m.point_bodies[1] = {"shank"};
    b.add_force(m);
    EXPECT_EQ(error_of(std::move(b)), "m.osim:7: Thelen2003Muscle 'vas' point 'vas-P2': body 'shank' does not exist");
  }
}

TEST(ModelBuilderWraps, EveryFunctionIndexAndContactListIsChecked) {
  {
    ModelBuilder b = two_links();
    PrescribedForce pf;
    pf.force_functions = {0, 1, 99};  // the joints own the first functions too
    ForceSpec f = spec_of("PrescribedForce", "push", pf);
    f.body = {"thigh"};
    b.add_function(Function::constant(1.0));
    b.add_function(Function::constant(2.0));
    b.add_force(f);
    EXPECT_EQ(error_of(std::move(b)), "m.osim:7: PrescribedForce 'push': function index out of range");
  }
  {
    ModelBuilder b = two_links();
    Schutte1993Muscle sm;
    sm.passive_force_length_curve = 99;
    b.add_force(spec_of("Schutte1993_Muscle_Deprecated", "s", sm));
    EXPECT_EQ(error_of(std::move(b)), "m.osim:7: Schutte1993_Muscle_Deprecated 's': function index out of range");
  }
  {
    ModelBuilder b = two_links();
    HuntCrossleyForce hc;
    hc.contact_parameters.resize(2);
    ForceSpec f = spec_of("HuntCrossleyForce", "hc", hc);
    f.contact_geometry = {{{"heel"}}};
    b.add_force(f);
    EXPECT_EQ(error_of(std::move(b)),
              "m.osim:7: HuntCrossleyForce 'hc': one list of contact geometry per contact parameter set is needed");
  }
  {
    ModelBuilder b = two_links();
    ForceSpec act = spec_of("CoordinateActuator", "a", CoordinateActuator{});
    act.coordinate = {"knee"};
    b.add_force(act);
    Controller c;
    c.type = "PrescribedController";
    c.name = "pc";
    c.file = "m.osim";
    c.line = 70;
    c.part = PrescribedController{{99}, "", -1};
    b.add_controller(c, {{"a"}});
    EXPECT_EQ(error_of(std::move(b)), "m.osim:70: PrescribedController 'pc': function index out of range");
  }
}

}  // namespace
}  // namespace femur
