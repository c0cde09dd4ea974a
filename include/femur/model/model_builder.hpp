// ModelBuilder assembles a Model from named parts, in any order, and checks it whole in
// build(): unknown bodies or coordinates, cycles, bodies with two joints, collinear axes.
// Readers (io/osim_reader) and authored models (hip/) both go through it.
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
  // Forces and wrap objects refer to bodies and coordinates by name; build() resolves them.
  // Function indices inside `path` refer to functions added with add_function().
  int add_function(Function f);
  void add_force(ForceElement force, std::vector<std::string> body_names_of_points,
                 std::vector<std::string> coordinate_names_of_points);
  void add_wrap_object(WrapObject wrap, std::string body_name);

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
  struct PendingForce {
    ForceElement force;
    std::vector<std::string> point_bodies, point_coordinates;
  };
  std::vector<PendingForce> forces_;
  std::vector<std::pair<WrapObject, std::string>> wraps_;
};

}  // namespace femur
