// Internal to the hip layer: the quasi-static mechanics the scenarios share. A posture q with
// its external loads gives the generalized forces the muscles must supply, the muscles' moment
// arms, capacities and passive forces, one load sharing and the joint reactions with the shared
// forces applied (hip contact = hip joint reaction, L5/S1 = lumbar joint reaction). All of it
// is tools::StaticOptimizer (tools/static_optimization.hpp) over the scenario's MuscleSet, with
// the options the scenarios use: passive fiber forces counted, reserve actuators of 1 N m on
// the balanced coordinates (as OpenSim's SO examples use), each posture solved on its own.
#pragma once

#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "femur/dynamics/joint_reaction.hpp"
#include "femur/hip/scenario.hpp"
#include "femur/model/data.hpp"
#include "femur/model/model.hpp"
#include "femur/muscle/muscle_model.hpp"
#include "femur/tools/static_optimization.hpp"

namespace femur::hip::detail {

using tools::PointLoad;

struct SharingOptions {
  std::vector<int> coordinates;  // coordinates the muscles (and reserves) must balance
  std::vector<int> judged;       // subset whose reserve decides feasibility
  double reserve_optimal_force = 1.0;  // N m per unit reserve control
  double feasibility_tolerance = 1.0;  // N m: largest judged reserve still called feasible
  std::vector<int> excluded_muscles;   // removed from the model for this solve
  bool passive_fiber_force = true;     // count the muscles' passive forces (OpenSim's SO does not)
};

// The StaticOptimizer options of a load sharing: passive fiber forces counted, a reserve of
// reserve_optimal_force on every balanced coordinate, postures solved independently.
tools::StaticOptimizationOptions sharing_options(const Model& model, const MuscleSet& muscles, const SharingOptions& o);

// One model bound for statics: the muscles (the scenario's copy, which it changes for
// weakness, tightness and inhibition), a kinematics workspace, and a StaticOptimizer over the
// muscles that evaluates postures (evaluate_posture).
class Statics {
 public:
  explicit Statics(const Model& model);
  Statics(const Statics&) = delete;
  Statics& operator=(const Statics&) = delete;

  const Model& model;
  MuscleSet muscles;
  Data data;             // kinematics of the posture builders
  double mass = 0.0;     // total, kg
  double weight = 0.0;   // total mass x |g|, N
  std::unique_ptr<tools::StaticOptimizer> evaluator;  // every non-root coordinate balanced
  std::vector<int> muscle_path;  // per muscle: its index in evaluator->paths()

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

// A posture (or a state of a motion) as the StaticOptimizer evaluates it, with the muscles as
// s.muscles held them then.
struct PostureState {
  Eigen::VectorXd q, u, qddot;  // u, qddot zero for a still posture
  std::vector<PointLoad> loads;
  Eigen::VectorXd tau;          // generalized forces the actuators must supply (N m, N)
  Eigen::MatrixXd moment_arm;   // muscles x nq (m)
  Eigen::VectorXd path_length;  // per muscle (m)
  Eigen::VectorXd path_speed;   // per muscle (m/s, + lengthening)
  Eigen::VectorXd passive;      // passive fiber force along the tendon per muscle (N)
};

PostureState evaluate_posture(Statics& s, const Eigen::VectorXd& q, const std::vector<PointLoad>& loads);
// A state of a motion: tau is the inverse dynamics with speeds and accelerations; the passive
// forces include the fiber damping at the path speeds.
PostureState evaluate_motion(Statics& s, const Eigen::VectorXd& q, const Eigen::VectorXd& qdot,
                             const Eigen::VectorXd& qddot);

struct JointLoad {
  Vec3 force_in_ground = Vec3::Zero();
  Vec3 force_in_child = Vec3::Zero();  // in the child body frame
  double magnitude = 0.0;
};

struct Sharing {
  Eigen::VectorXd activation;  // per muscle
  Eigen::VectorXd force;       // tendon force per muscle (active + passive), N
  Eigen::VectorXd reserve;     // per entry of SharingOptions::coordinates, N m
  double effort = 0.0;         // sum of squared activations
  double max_judged_reserve = 0.0;
  bool feasible = false;
  bool solved = false;
  std::vector<JointLoad> reactions;  // per joint asked for, on its child body
};

// One load sharing (minimum sum of squared activations, Crowninshield & Brand 1981): a
// StaticOptimizer over s.muscles with sharing_options, solving one posture at a time.
class LoadSharing {
 public:
  LoadSharing(Statics& s, const SharingOptions& options);
  const SharingOptions& options() const { return options_; }
  // Shares the posture's demand with the muscles as s.muscles holds them now; with joints,
  // also their reactions on their child bodies with the shared forces applied.
  Sharing solve(const PostureState& posture, const std::vector<int>& joints = {});

 private:
  Statics& s_;
  SharingOptions options_;
  tools::StaticOptimizer so_;
  Eigen::VectorXd x_, forces_;
  std::vector<Wrench> wrenches_;
};

// Every coordinate but the root's (the pelvis free joint), i.e. what muscles can act on.
std::vector<int> non_root_coordinates(const Model& model);

// Adaptive shortening of "tight" muscles (e.g. hip flexors after long sitting): optimal fiber
// length = the model's value x (1 - fraction), tendon slack length kept, so that the fiber is
// longer relative to its optimum and passive force rises at shorter muscle-tendon lengths
// (sarcomere loss with immobilisation in a shortened position: Williams & Goldspink 1978,
// J Anat 127:459-468). fraction = 0 restores the model's value.
void shorten_optimal_fiber_length(Statics& s, const std::vector<int>& muscles, double fraction);

// Net passive moment of the muscles (all of them, or the listed ones) about coordinate k at
// the posture: sum of passive force along the tendon x moment arm (N m, positive in the
// coordinate's positive direction), as the load sharing counts it.
double passive_moment(const PostureState& posture, int coordinate, const std::vector<int>& muscles = {});

// Sum of the forces of a muscle group.
double group_force(const Sharing& sharing, const std::vector<int>& group);

// ---- The report's 3D views (ScenarioResult::postures).
// Appends a frame: q and its label; with a hip reaction (a Sharing's reaction of `hip_joint`,
// the pelvis's push on the femur), the hip contact force as the femur's push on the pelvis.
// The first frame with a force names the joint.
void add_posture_frame(Posture& posture, const Eigen::VectorXd& q, const std::string& label);
void add_posture_frame(Posture& posture, const Statics& s, const PostureState& ps, const JointLoad& hip, int hip_joint,
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
void choose_sagittal(StanceBuilder& b, LoadSharing& sharing);
// d'Alembert loads of a uniform vertical acceleration of the whole body by (body_weights - 1) g
// upward: -m_b a at each body's centre of mass. With a ground force of body_weights x body weight
// they keep the body in (dynamic) equilibrium, as if gravity were body_weights x g.
std::vector<PointLoad> vertical_deceleration_loads(Statics& s, double body_weights);

// ---- Tight hip flexors: the passive extension limit (sitting-hip-flexors, elderly-step-length).
// Fiber length / optimal fiber length of a muscle at the posture (rigid tendon, as the load sharing).
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
