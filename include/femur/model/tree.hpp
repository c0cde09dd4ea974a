// The kinematic tree of a Model: bodies, joints, their coordinates and transform axes. Kept
// apart from model.hpp so that code which only walks the tree (the Simbody reference of the
// tests, compiled as C++17) need not see the typed forces.
#pragma once

#include <array>
#include <string>

#include "femur/math/function.hpp"
#include "femur/math/spatial.hpp"

namespace femur {

enum class MotionType { Rotational, Translational, Coupled };

// The joint type as written in the file; all are carried as six transform axes.
enum class JointType { Weld, Pin, Slider, Universal, Ball, Gimbal, Free, Planar, Custom };
const char* joint_type_name(JointType type);

struct Coordinate {
  std::string name;
  MotionType motion_type = MotionType::Rotational;
  double default_value = 0.0;
  double default_speed = 0.0;
  double range_min = -1e300, range_max = 1e300;
  bool clamped = false;
  bool locked = false;
  bool prescribed = false;
  int joint = -1;  // index into Model::joints
};

// One axis of a CustomJoint SpatialTransform (OpenSim TransformAxis): the spatial value
// s = function(q[coordinate]) rotates about (axes 0-2) or translates along (axes 3-5) `axis`.
struct TransformAxis {
  Vec3 axis = Vec3::UnitX();  // unit vector, in F (translations) or the current rotated frame
  int function = -1;          // index into Model::functions
  int coordinate = -1;        // model coordinate index, -1 for a constant axis
  // Derived by the builder for speed: the value of a constant axis, and whether the axis
  // is +-X, +-Y or +-Z (principal = 0, 1, 2; -1 otherwise) with its sign.
  double constant_value = 0.0;
  int principal = -1;
  double principal_sign = 1.0;
  bool linear = false;  // function is slope * q + intercept (evaluated inline)
  double slope = 0.0, intercept = 0.0;
};

struct Joint {
  std::string name;
  JointType type = JointType::Custom;
  int parent_body = 0;            // index into Model::bodies (0 = ground)
  int child_body = 0;
  Transform X_parent_F;           // F in the parent body frame
  Transform X_child_M;            // M in the child body frame
  // OpenSim's name of the child frame (Joint::getChildFrame().getName(): the body, or its
  // offset frame, e.g. femur_r_offset); InverseDynamicsTool's body-force labels use it.
  std::string child_frame;
  Transform X_parentM_F;          // F in the parent's joint frame M (derived)
  bool F_is_translation = false;  // X_parentM_F has no rotation (derived; skips a product)
  // The one axis that moves, when the joint is a single linear rotation with every other
  // axis constant zero (a pin about any axis; derived): its S is constant and c_J zero.
  int single_rotation_axis = -1;
  // Evaluation plan (derived by the builder), for the recursions' closed form
  // (principal_joint_motion_in_F in joint_model.hpp): set when every axis that moves or has a
  // non-zero constant value is exactly +-X, +-Y or +-Z and every such rotation is linear in
  // its coordinate (or constant). Only those axes are listed, in order; the others
  // (constant zero) are skipped.
  bool principal_plan = false;
  int n_plan_rotations = 0, n_plan_translations = 0;
  std::array<int, 3> plan_rotations{}, plan_translations{};  // indices into axes
  std::array<TransformAxis, 6> axes;  // rotation1..3, translation1..3
  int q_start = 0;                // first coordinate of this joint
  int nq = 0;                     // number of coordinates
};

struct Body {
  std::string name;
  double mass = 0.0;
  Vec3 com_in_body = Vec3::Zero();
  Mat3 inertia_about_com = Mat3::Zero();  // in the body frame
  int joint = -1;                          // joint that moves this body (-1 for ground)
  int parent = -1;                         // parent body index (-1 for ground)
  Transform X_body_M;                      // the joint frame M in the body frame (derived)
  SpatialInertia inertia_in_M;             // inertia about M's origin, in M (derived)
};

}  // namespace femur
