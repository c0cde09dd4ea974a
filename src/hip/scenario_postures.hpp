// Internal to the hip layer: posture builders and searches the scenarios share: single-leg
// stance (glute-med-weakness, runner-vs-cyclist), lying supine (straight-leg-raise,
// sciatic-stretch, the Thomas test), the d'Alembert loads of a landing, and the passive hip
// extension limit of tight hip flexors (sitting-hip-flexors, elderly-step-length).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "scenario_engine.hpp"

namespace femur::hip::detail {

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
// Sets b.trunk_flexion_deg to the least-effort lumbar flexion (-10..10 deg) of the level stance,
// shared as `task` shares its frames.
void choose_sagittal(StanceBuilder& b, Engine& engine, const Task& task);
// d'Alembert loads of a uniform vertical acceleration of the whole body by (body_weights - 1) g
// upward: -m_b a at each body's centre of mass. With a ground force of body_weights x body weight
// they keep the body in (dynamic) equilibrium, as if gravity were body_weights x g.
std::vector<PointLoad> vertical_deceleration_loads(Statics& s, double body_weights);

// Supine: pelvis_tilt set to the quarter turn that points the pelvis' anterior axis (x) up.
void turn_supine(Statics& s, Eigen::VectorXd& q);

// ---- Tight hip flexors: the passive extension limit.
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

// The limit's text: "> max" when not reached, "< min" when already reached at min_deg.
std::string limit_text(const ExtensionLimit& limit, double min_deg, double max_deg);

// The hip flexors that long sitting keeps short, right side: iliacus, psoas, rectus femoris,
// tensor fasciae latae and sartorius, with their names in words. Throws ScenarioError when the
// model lacks one.
struct TightFlexors {
  std::vector<int> muscles;
  std::vector<std::string> labels;
};
TightFlexors tight_flexors(const Statics& s);

// The least shortening in [0, max_shortening] whose limit limit_deg(shortening) is at or below
// `target` (deg), by bisection (a limit never grows with shortening); -1 when max_shortening
// does not get there.
double shortening_for(const std::function<double(double)>& limit_deg, double target, double max_shortening,
                      int iterations);

}  // namespace femur::hip::detail
