#include "femur/model/model.hpp"

namespace femur {
namespace {
template <class T>
int find_by_name(const std::vector<T>& items, const std::string& name) {
  for (size_t i = 0; i < items.size(); ++i)
    if (items[i].name == name) return static_cast<int>(i);
  return -1;
}
}  // namespace

const char* joint_type_name(JointType type) {
  switch (type) {
    case JointType::Weld: return "WeldJoint";
    case JointType::Pin: return "PinJoint";
    case JointType::Slider: return "SliderJoint";
    case JointType::Universal: return "UniversalJoint";
    case JointType::Ball: return "BallJoint";
    case JointType::Gimbal: return "GimbalJoint";
    case JointType::Free: return "FreeJoint";
    case JointType::Planar: return "PlanarJoint";
    case JointType::Custom: return "CustomJoint";
  }
  return "Joint";
}

int Model::body_index(const std::string& n) const { return find_by_name(bodies, n); }
int Model::coordinate_index(const std::string& n) const { return find_by_name(coordinates, n); }
int Model::joint_index(const std::string& n) const { return find_by_name(joints, n); }
int Model::marker_index(const std::string& n) const { return find_by_name(markers, n); }
int Model::force_index(const std::string& n) const { return find_by_name(forces, n); }
int Model::wrap_object_index(const std::string& n) const { return find_by_name(wrap_objects, n); }
int Model::contact_geometry_index(const std::string& n) const { return find_by_name(contact_geometry, n); }

int PathSet::path_index(const std::string& name) const { return find_by_name(paths, name); }

Eigen::VectorXd Model::default_q() const {
  Eigen::VectorXd q(nq);
  for (int i = 0; i < nq; ++i) q[i] = coordinates[i].default_value;
  return q;
}

}  // namespace femur
