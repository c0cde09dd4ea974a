// ModelBuilder assembles a Model from named parts, in any order, and checks it whole in
// build(): unknown bodies or coordinates, cycles, bodies with two joints, collinear axes; it
// resolves the names forces, wrap objects, contact geometry and controllers refer to, and
// compiles the geometry paths (Model::paths). Readers (io/osim_reader) and authored models
// (hip/) both go through it.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "femur/model/model.hpp"

namespace femur {

// Thrown by ModelBuilder::build() for an inconsistent model. `where` names the element
// (and, when the reader knows it, "file:line") so the message can point at the source.
class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct AxisSpec {
  Vec3 axis = Vec3::UnitX();
  Function function = Function::constant(0.0);
  std::string coordinate;  // empty for a constant axis
};

struct JointSpec {
  std::string name;
  JointType type = JointType::Custom;
  std::string parent_body, child_body;
  Transform X_parent_F, X_child_M;
  std::string child_frame;              // OpenSim's child frame name (empty: the child body's)
  std::vector<Coordinate> coordinates;  // in the joint's order; Coordinate::joint is set by build
  std::array<AxisSpec, 6> axes;         // used for JointType::Custom only
  std::string where;                    // "file:line" for messages
};

struct BodySpec {
  std::string name;
  double mass = 0.0;
  Vec3 com_in_body = Vec3::Zero();
  Mat3 inertia_about_com = Mat3::Zero();
  std::string where;
};

struct CouplerSpec {
  std::string name;
  std::string dependent;
  std::vector<std::string> independent;
  Function function;
  std::string where;
};

struct MarkerSpec {
  std::string name, body;
  Vec3 location = Vec3::Zero();
  bool fixed = false;
  std::string where;
};

// A name the builder resolves, with the line of the file that wrote it (0: the line of the
// element it belongs to) so that an unknown name is reported where it is written.
struct NameRef {
  std::string name;
  int line = 0;
};

// A force element and the names its part and path refer to; build() turns them into the
// indices of ForceElement::part and ::path. Which names a part uses:
//   coordinate   CoordinateActuator, ActivationCoordinateActuator, CoordinateLimitForce,
//                SpringGeneralizedForce, ExpressionBasedCoordinateForce
//   body, body2  PointActuator (body), TorqueActuator (bodyA, bodyB), PointToPointSpring
//                (body1, body2), PrescribedForce (body)
//   sphere, half_space   SmoothSphereHalfSpaceForce
//   contact_geometry     HuntCrossleyForce, one list per contact parameter set
//   point_bodies, point_coordinates (empty name: none), wrap_objects   a GeometryPath
struct ForceSpec {
  ForceElement force;
  NameRef coordinate, body, body2, sphere, half_space;
  std::vector<std::vector<NameRef>> contact_geometry;
  std::vector<NameRef> point_bodies, point_coordinates, wrap_objects;
};

class ModelBuilder;
// The spec that adds `force` of `m` to another builder: the names of what its indices point
// at in `m`, and the functions it uses added to `into` (their indices rewritten).
ForceSpec force_spec(const Model& m, const ForceElement& force, ModelBuilder& into);

class ModelBuilder {
 public:
  ModelBuilder();  // ground body already present, named "ground"

  void set_name(std::string name) { model_.name = std::move(name); }
  void set_source_file(std::string file) { model_.source_file = std::move(file); }
  void set_gravity(const Vec3& g) { model_.gravity = g; }
  void set_credits(std::string credits) { model_.credits = std::move(credits); }
  void set_publications(std::string publications) { model_.publications = std::move(publications); }
  void set_ground_name(const std::string& name);

  void add_body(BodySpec body);
  void add_joint(JointSpec joint);
  void add_coupler(CouplerSpec coupler);
  void add_other_constraint(OtherConstraint constraint);
  void add_marker(MarkerSpec marker);
  // Forces, wrap objects, contact geometry and controllers refer to other parts by name;
  // build() resolves them. Function indices inside a part or path refer to functions added
  // with add_function().
  int add_function(Function f);
  void add_force(ForceSpec force);
  void add_wrap_object(WrapObject wrap, NameRef body);
  void add_contact_geometry(ContactGeometry geometry, NameRef body);
  // A controller's actuators by name; the one name "ALL" means every actuator (OpenSim 4.4).
  void add_controller(Controller controller, std::vector<NameRef> actuators);

  bool has_body(const std::string& name) const;

  // Orders bodies parents-first, numbers coordinates by joint, derives frames and inertias.
  // Throws ModelError naming the offending element.
  Model build() &&;

 private:
  Model model_;
  std::vector<std::string> ground_aliases_;
  std::vector<BodySpec> bodies_;
  std::vector<JointSpec> joints_;
  std::vector<CouplerSpec> couplers_;
  std::vector<MarkerSpec> markers_;
  std::vector<ForceSpec> forces_;
  std::vector<std::pair<WrapObject, NameRef>> wraps_;
  std::vector<std::pair<ContactGeometry, NameRef>> contact_;
  std::vector<std::pair<Controller, std::vector<NameRef>>> controllers_;
};

}  // namespace femur
