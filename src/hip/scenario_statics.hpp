// Internal to the hip layer: the quasi-static mechanics the scenarios share. A posture q with
// its external loads gives the generalized forces the muscles must supply (RNEA with gravity
// and the loads, zero speeds and accelerations), the muscles' moment arms and capacities
// (rigid tendon, as Static Optimization with use_muscle_physiology), one load sharing
// (minimum sum of squared activations, Crowninshield & Brand 1981, with reserve actuators of
// 1 N m optimal force as OpenSim's SO examples use), and the joint reactions with those
// muscle forces applied (hip contact = hip joint reaction, L5/S1 = lumbar joint reaction).
//
// The load sharing is one frame of Static Optimization solved with math/bounded_qp; when
// tools/static_optimization.hpp offers a per-frame call it should replace share_loads.
#pragma once

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "femur/dynamics/joint_reaction.hpp"
#include "femur/hip/scenario.hpp"
#include "femur/math/bounded_qp.hpp"
#include "femur/model/data.hpp"
#include "femur/model/model.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/muscle_model.hpp"
#include "femur/tools/actuator_set.hpp"
#include "femur/tools/joint_reaction.hpp"

namespace femur::hip::detail {

// A force (ground coordinates) at a point fixed in a body.
struct PointLoad {
  int body = 0;
  Vec3 point_in_body = Vec3::Zero();
  Vec3 force_in_ground = Vec3::Zero();
};

// One model bound for statics: paths, actuators, muscles and the per-evaluation buffers.
// The MuscleSet is this object's own copy: scenarios change it (weakness, inhibition).
class Statics {
 public:
  explicit Statics(const Model& model);

  const Model& model;
  PathSet paths;
  tools::ActuatorSet actuators;
  MuscleSet muscles;
  std::vector<int> muscle_path;      // per muscle: its PathSet index
  std::vector<int> muscle_actuator;  // per muscle: its ActuatorSet index
  Data data;
  PathData path_data;
  BoundedQp qp;
  double mass = 0.0;     // total, kg
  double weight = 0.0;   // total mass x |g|, N

  // Index lookups that throw ScenarioError naming what the model lacks.
  int coordinate(std::string_view name) const;
  int body(std::string_view name) const;
  int muscle(std::string_view name) const;
  // Muscles whose names start with any of the prefixes (e.g. "glut_med" and side "_r").
  std::vector<int> muscles_matching(const std::vector<std::string>& prefixes, std::string_view side_suffix) const;
  // The joint moved by a coordinate.
  int joint_of(std::string_view coordinate_name) const;

  // Forward kinematics at q; then body poses and the whole-body centre of mass (ground).
  void kinematics(const Eigen::VectorXd& q);
  Vec3 center_of_mass() const;
  Vec3 point_in_ground(int body, const Vec3& p) const;
  Vec3 ground_to_body(int body, const Vec3& p_ground) const;
  Vec3 body_axis_in_ground(int body, const Vec3& axis_in_body) const;
};

// Everything about a posture that does not depend on muscle strength.
struct PostureState {
  Eigen::VectorXd q;
  std::vector<PointLoad> loads;
  Eigen::VectorXd tau;  // generalized forces the actuators must supply (N m, N)
  Eigen::MatrixXd moment_arm;  // muscles x nq (m)
  Eigen::VectorXd path_length; // per muscle (m)
};

PostureState evaluate_posture(Statics& s, const Eigen::VectorXd& q, const std::vector<PointLoad>& loads);

struct Capacity {
  Eigen::VectorXd active;   // F0 fL cos(phi) at full activation, along the tendon (N)
  Eigen::VectorXd passive;  // passive fiber force along the tendon (N)
};
// Capacities with the muscles as s.muscles holds them now (after any weakness).
Capacity muscle_capacity(const Statics& s, const PostureState& posture);

struct SharingOptions {
  std::vector<int> coordinates;  // coordinates the muscles (and reserves) must balance
  std::vector<int> judged;       // subset whose reserve decides feasibility
  double reserve_optimal_force = 1.0;  // N m per unit reserve control
  double feasibility_tolerance = 1.0;  // N m: largest judged reserve still called feasible
  std::vector<int> excluded_muscles;   // removed from the model for this solve
};

struct Sharing {
  Eigen::VectorXd activation;  // per muscle
  Eigen::VectorXd force;       // tendon force per muscle (active + passive), N
  Eigen::VectorXd reserve;     // per entry of SharingOptions::coordinates, N m
  double effort = 0.0;         // sum of squared activations
  double max_judged_reserve = 0.0;
  bool feasible = false;
  bool solved = false;
};

Sharing share_loads(Statics& s, const PostureState& posture, const Capacity& capacity, const SharingOptions& options);

// Every coordinate but the root's (the pelvis free joint), i.e. what muscles can act on.
std::vector<int> non_root_coordinates(const Model& model);

struct JointLoad {
  Vec3 force_in_ground = Vec3::Zero();
  Vec3 force_in_child = Vec3::Zero();  // in the child body frame
  double magnitude = 0.0;
};
// Reactions of the listed joints on their child bodies, with the loads and muscle forces of
// the sharing applied and zero accelerations.
std::vector<JointLoad> joint_loads(Statics& s, const PostureState& posture, const Sharing& sharing,
                                   const std::vector<int>& joints);

// Adaptive shortening of "tight" muscles (e.g. hip flexors after long sitting): optimal fiber
// length = the model's value x (1 - fraction), tendon slack length kept, so that the fiber is
// longer relative to its optimum and passive force rises at shorter muscle-tendon lengths
// (sarcomere loss with immobilisation in a shortened position: Williams & Goldspink 1978,
// J Anat 127:459-468). fraction = 0 restores the model's value.
void shorten_optimal_fiber_length(Statics& s, const std::vector<int>& muscles, double fraction);

// Net passive moment of the muscles (all of them, or the listed ones) about coordinate k at
// the posture: sum of passive force along the tendon x moment arm (N m, positive in the
// coordinate's positive direction), as share_loads counts it.
double passive_moment(const PostureState& posture, const Capacity& capacity, int coordinate,
                      const std::vector<int>& muscles = {});

// Sum of the forces of a muscle group.
double group_force(const Sharing& sharing, const std::vector<int>& group);

// ---- The report's 3D views (ScenarioResult::postures).
// Appends a frame: q and its label; with a sharing, the hip contact force of `hip_joint` with
// the sharing's muscle forces (joint_loads), as the femur's push on the pelvis. The first
// frame with a force names the joint.
void add_posture_frame(Posture& posture, const Eigen::VectorXd& q, const std::string& label);
void add_posture_frame(Posture& posture, Statics& s, const PostureState& ps, const Sharing& sharing, int hip_joint,
                       const std::string& label);

// ---- Small helpers for the results.
inline double deg(double rad) { return rad * 57.29577951308232; }
inline double rad(double deg) { return deg / 57.29577951308232; }
std::vector<double> linspace(double a, double b, int n);
std::string base_muscle_name(const std::string& name);  // "glut_med2_r" -> "glut_med"
// Linear interpolation of y(x) on an increasing grid, clamped at the ends.
double interpolate_clamped(const std::vector<double>& x, const std::vector<double>& y, double v);
// The largest field(row) over the rows (a sweep's frames).
template <class Row, class Field>
double max_over(const std::vector<Row>& rows, Field field) {
  double m = std::numeric_limits<double>::lowest();
  for (const Row& r : rows) m = std::max(m, field(r));
  return m;
}
// A line of field(row) against row.angle_deg (a sweep over a joint angle, in degrees).
template <class Row, class Field>
Series angle_series(const std::string& name, const std::vector<Row>& rows, Field field, bool dashed = false) {
  Series se;
  se.name = name;
  se.dashed = dashed;
  for (const Row& r : rows) se.x.push_back(r.angle_deg), se.y.push_back(field(r));
  return se;
}

// ---- The scenarios (one src/hip/scenario_<name>.cpp each).
ScenarioInfo muscle_roles_scenario();
ScenarioInfo glute_med_weakness_scenario();
ScenarioInfo glute_inhibition_scenario();
ScenarioInfo straight_leg_raise_scenario();
ScenarioInfo resisted_hip_flexion_scenario();
ScenarioInfo sitting_hip_flexors_scenario();
ScenarioInfo elderly_step_length_scenario();
ScenarioInfo runner_vs_cyclist_scenario();
ScenarioInfo sciatic_stretch_scenario();
ScenarioInfo hip_flexor_injury_scenario();

// ---- Moving postures (hip-flexor-injury; any scenario with a prescribed motion).
// Lengthening speed (m/s, + lengthening) of every muscle's path at (q, qdot), MuscleSet order
// (compute_path_speeds, OpenSim GeometryPath::getLengtheningSpeed).
Eigen::VectorXd muscle_path_speeds(Statics& s, const Eigen::VectorXd& q, const Eigen::VectorXd& qdot);
// muscle_capacity for muscles whose paths lengthen at path_speed: rigid tendon, so the fiber
// velocity follows from the path speed; the active capacity includes the force-velocity
// multiplier (Static Optimization's use_muscle_physiology does the same, with the speeds of
// the motion) and the passive force the fiber damping of the model.
Capacity muscle_capacity(const Statics& s, const PostureState& posture, const Eigen::VectorXd& path_speed);

// ---- Single-leg stance on the right leg (glute-med-weakness, runner-vs-cyclist).
// Builds the posture: swing (left) leg lifted, pelvis dropped on the swing side, trunk leaning
// over the stance leg, the stance hip adducted so that the ankle sits under the whole-body
// centre of mass (or `medial` metres medial of it). With stance_hip/knee_flexion_deg set and
// balance_sagittal on, the stance leg is flexed (a step-up or a landing) and pelvis_tilt is
// solved so that the centre of mass is com_ahead metres in front of the stance ankle.
struct StanceBuilder {
  Statics& s;
  int pelvis_list, lumbar_bending, hip_add_r, hip_flex_l, knee_l, pelvis_tilt, lumbar_extension, hip_flex_r, knee_r;
  double trunk_flexion_deg = 0.0;  // sagittal trunk inclination (lumbar flexion), see choose_sagittal
  double swing_hip_flexion_deg = 30.0, swing_knee_flexion_deg = 60.0;
  double stance_hip_flexion_deg = 0.0, stance_knee_flexion_deg = 0.0;
  bool balance_sagittal = false;
  double com_ahead = 0.0;  // m, centre of mass in front of the stance ankle when balance_sagittal
  int pelvis, torso, femur_r, femur_l, calcn_r, talus_r;
  double drop_sign = 1.0, lean_sign = 1.0;

  explicit StanceBuilder(Statics& st);
  double trunk_lean_deg() const;  // torso long axis toward +z (right, stance side), in ground
  Vec3 ankle() const;
  Eigen::VectorXd posture(double drop_deg, double lean_deg, double medial = 0.0);
  // Ground reaction on the right foot: vertical component = body_weights x body weight, line of
  // action from the foot's centre of pressure through the centre of mass.
  std::vector<PointLoad> ground_reaction(const Eigen::VectorXd& q, double medial = 0.0, double body_weights = 1.0);
};
// The coordinates whose reserves decide whether a stance is held: stance hip and lumbar joint.
std::vector<int> stance_judged(Statics& s);
// Sets b.trunk_flexion_deg to the least-effort lumbar flexion (-10..10 deg) of the level stance.
void choose_sagittal(StanceBuilder& b, const SharingOptions& so);
// d'Alembert loads of a uniform vertical acceleration of the whole body by (body_weights - 1) g
// upward: -m_b a at each body's centre of mass. With a ground force of body_weights x body weight
// they keep the body in (dynamic) equilibrium, as if gravity were body_weights x g.
std::vector<PointLoad> vertical_deceleration_loads(Statics& s, double body_weights);

// ---- Tight hip flexors: the passive extension limit (sitting-hip-flexors, elderly-step-length).
// Fiber length / optimal fiber length of a muscle at the posture (rigid tendon, as muscle_capacity).
double normalized_fiber_length(const Statics& s, const PostureState& posture, int muscle);
// The hip extension (deg; hip_flexion = -angle) at which the passive moment of `muscles` (all
// muscles if empty) about coordinate `hip` first reaches the demand: `threshold` N m, plus, when
// with_gravity, the flexion moment the posture itself needs there (PostureState::tau: a hanging
// leg's weight, as in the Thomas test). q gives every other coordinate. The first crossing is
// bracketed on a 1 deg grid from min_deg to max_deg and refined by bisection, so a pointwise
// larger passive moment (tighter muscles) never gives a larger angle. Not reached: angle = max_deg.
struct ExtensionLimit {
  double angle_deg = 0.0;
  bool reached = false;
};
ExtensionLimit passive_extension_limit(Statics& s, const Eigen::VectorXd& q, int hip, const std::vector<int>& muscles,
                                       double threshold, bool with_gravity = false, double min_deg = -30.0,
                                       double max_deg = 45.0);

}  // namespace femur::hip::detail
