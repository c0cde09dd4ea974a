// Internal to the hip layer: the engine every scenario runs on. A scenario declares
//   - its variants: named model changes made to a copy of the model's muscles (weakness =
//     max isometric force scaled, tightness = optimal fiber length shortened, inhibition =
//     activation bounds) and the muscles a variant leaves out;
//   - its tasks: frames (a still posture, or a state of a prescribed motion, with the loads on
//     the bodies), what the muscles must balance there and which joint reactions to report;
//   - the metrics it reads from each frame: a Row of numbers measured from the Outcome;
// and the engine runs every variant on every frame: the variant's muscles, the frame
// evaluated and its load shared by tools::StaticOptimizer (passive fiber forces counted,
// reserve actuators of 1 N m on the balanced coordinates as OpenSim's SO examples use, each
// posture solved on its own), the metrics measured.
//
//   Engine engine(statics);
//   Results<Row> r = engine.run(variants, {task}, [](const Outcome& o) { return Row{...}; });
//   r.frames(variant, task)   // one Row per frame
//
// What the rows become in the report (numbers, figures, tables, verdict) is declared per
// scenario with the helpers of scenario_report.hpp.
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
#include "femur/report/document.hpp"
#include "femur/tools/static_optimization.hpp"

namespace femur::hip::detail {

// The report's types, by their short names inside the scenarios.
using report::Figure;
using report::format_number;
using report::LiteratureComparison;
using report::Number;
using report::Series;
using report::Table;
using report::Verdict;
using report::VerdictStatus;
using tools::PointLoad;

// ---- The model bound once.

// What the muscles must balance in a task's frames, and how a solve is judged.
struct SharingOptions {
  std::vector<int> coordinates;  // coordinates the muscles (and reserves) must balance
  std::vector<int> judged;       // subset whose reserve decides feasibility
  double reserve_optimal_force = 1.0;  // N m per unit reserve control
  double feasibility_tolerance = 1.0;  // N m: largest judged reserve still called feasible
  std::vector<int> excluded_muscles;   // removed from the model for this solve
  bool passive_fiber_force = true;     // count the muscles' passive forces (OpenSim's SO does not)
};

// The StaticOptimizer options of a load sharing: passive fiber forces as asked, a reserve of
// reserve_optimal_force on every balanced coordinate, postures solved independently.
tools::StaticOptimizationOptions sharing_options(const Model& model, const MuscleSet& muscles, const SharingOptions& o);

// One model bound for the scenarios: the muscles (the scenario's copy, which variants
// change), a kinematics workspace for the posture builders, and a StaticOptimizer over the
// muscles that evaluates frames (evaluate_posture).
class Statics {
 public:
  explicit Statics(const Model& model);
  Statics(const Statics&) = delete;
  Statics& operator=(const Statics&) = delete;

  const Model& model;
  MuscleSet muscles;     // change it through apply_changes only
  std::vector<int> changed;  // muscles apply_changes moved away from the model's parameters
  Data data;             // kinematics of the posture builders
  double mass = 0.0;     // total, kg
  double weight = 0.0;   // total mass x |g|, N
  std::unique_ptr<tools::StaticOptimizer> evaluator;  // every non-root coordinate balanced
  std::vector<int> muscle_path;  // per muscle: its index in evaluator->paths()

  // Index lookups that throw ScenarioError naming what the model lacks.
  int coordinate(std::string_view name) const;
  int body(std::string_view name) const;
  int muscle(std::string_view name) const;
  int path(std::string_view name) const;  // a path of evaluator->paths() (muscle or not)
  // Muscles whose names start with any of the prefixes (e.g. "glut_med" and side "_r").
  std::vector<int> muscles_matching(const std::vector<std::string>& prefixes, std::string_view side_suffix) const;
  // The same, throwing ScenarioError "model 'm' <what>" (e.g. "has no glut_max* muscles") when none matches.
  std::vector<int> require_muscles(const std::vector<std::string>& prefixes, std::string_view side_suffix,
                                   std::string_view what) const;
  // The joint moved by a coordinate.
  int joint_of(std::string_view coordinate_name) const;
  // -1 when the coordinate's range goes well below zero (gait2392's knee: flexion negative).
  double flexion_sign(int coordinate) const;

  // Forward kinematics at q; then body poses and the whole-body centre of mass (ground).
  void kinematics(const Eigen::VectorXd& q);
  Vec3 center_of_mass() const;
  Vec3 point_in_ground(int body, const Vec3& p) const;
  Vec3 ground_to_body(int body, const Vec3& p_ground) const;
  Vec3 body_axis_in_ground(int body, const Vec3& axis_in_body) const;
};

// Every coordinate but the root's (the pelvis free joint), i.e. what muscles can act on.
std::vector<int> non_root_coordinates(const Model& model);

// ---- One frame evaluated and shared.

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
                             const Eigen::VectorXd& qddot, const std::vector<PointLoad>& loads = {});

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
  // Whether the muscles, not the model's stand-ins, produced the frame: the largest share of
  // a judged joint's moment carried by its reserve actuators (|reserves| / |moment| over the
  // joint's judged coordinates; reserves within feasibility_tolerance do not count), and the
  // largest force of a muscle crossing a judged coordinate over its maximum isometric force as
  // the variant sets it (passive force included). See Adequacy.
  double reserve_share = 0.0;
  double force_ratio = 0.0;
  int over_force_muscle = -1;  // the muscle of force_ratio
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
  // Shares the demand of the posture (its q, u, qddot and loads) with the muscles as s.muscles
  // holds them now; with joints, also their reactions on their child bodies with the shared
  // forces applied; with `evaluated`, the posture as this solve evaluated it.
  Sharing solve(const PostureState& posture, const std::vector<int>& joints = {}, PostureState* evaluated = nullptr);

 private:
  void measure_adequacy(Sharing& out) const;

  Statics& s_;
  SharingOptions options_;
  tools::StaticOptimizer so_;
  Eigen::VectorXd x_, forces_;
  std::vector<Wrench> wrenches_;
};

// The rule every verdict applies first (issue 18): the model can answer only where reserves
// carry at most 10% of each judged joint moment and no muscle exceeds its maximum isometric
// force. Collects the worst case over the frames a verdict reads.
struct Adequacy {
  static constexpr double kMaxReserveShare = 0.10;
  double reserve_share = 0.0, force_ratio = 0.0;
  std::string over_force_muscle;  // the muscle of force_ratio
  void add(const Statics& s, const Sharing& sharing);
  void merge(const Adequacy& other);
  bool answerable() const { return reserve_share <= kMaxReserveShare && force_ratio <= 1.0; }
  // "reserve actuators carry 35% of a joint moment; rect_fem_r reaches 9.1 times its maximum
  // isometric force".
  std::string why_not() const;
};
// The verdict turned "model cannot answer" when `a` is not answerable, its text saying why.
void apply_adequacy(Verdict& v, const Adequacy& a);

// Sum of the forces, and mean and largest activation, of a muscle group.
double group_force(const Sharing& sharing, const std::vector<int>& group);
double mean_activation(const Sharing& sharing, const std::vector<int>& group);
double max_activation(const Sharing& sharing, const std::vector<int>& group);
// Net passive moment of the muscles (all of them, or the listed ones) about coordinate k at
// the posture: sum of passive force along the tendon x moment arm (N m, positive in the
// coordinate's positive direction), as the load sharing counts it.
double passive_moment(const PostureState& posture, int coordinate, const std::vector<int>& muscles = {});
// Fiber length / optimal fiber length of a muscle at the posture (rigid tendon, as the load sharing).
double normalized_fiber_length(const Statics& s, const PostureState& posture, int muscle);

// ---- Variants, tasks and the engine.

// A change of some muscles' parameters, made to the model's values.
struct MuscleChange {
  enum class Kind { Strength, Shortening, Activation };
  Kind kind = Kind::Strength;
  std::vector<int> muscles;
  double value = 1.0;  // Strength: max isometric force scale; Shortening: fraction of the
                       // optimal fiber length removed; Activation: lower bound
  double upper = 1.0;  // Activation: upper bound

  static MuscleChange strength(std::vector<int> muscles, double scale);
  // Adaptive shortening of "tight" muscles (e.g. hip flexors after long sitting): optimal
  // fiber length = the model's value x (1 - fraction), tendon slack length kept, so that the
  // fiber is longer relative to its optimum and passive force rises at shorter muscle-tendon
  // lengths (sarcomere loss with immobilisation in a shortened position: Williams & Goldspink
  // 1978, J Anat 127:459-468). Throws ScenarioError unless 0 <= fraction < 1.
  static MuscleChange shortening(std::vector<int> muscles, double fraction);
  static MuscleChange activation(std::vector<int> muscles, double lower, double upper);
};

// A named model: the changes it makes, and the muscles it leaves out of the load sharing.
struct Variant {
  std::string name;
  std::vector<MuscleChange> changes;
  std::vector<int> excluded;
};

// s.muscles = the model's muscles with the changes made in order (none: the model's own). Only
// the muscles changed before and now are touched.
void apply_changes(Statics& s, const std::vector<MuscleChange>& changes);

// One frame of a task: a posture or a state of a motion (u, qddot empty: still), its loads,
// and the value it is plotted against (a hip angle, a time).
struct Frame {
  double x = 0.0;
  Eigen::VectorXd q, u, qddot;
  std::vector<PointLoad> loads;
};

struct Task {
  std::string name;
  std::vector<Frame> frames;
  bool solve = true;              // false: evaluated only (geometry, demand, passive forces)
  SharingOptions sharing;         // what the muscles balance (when solved)
  std::vector<int> reactions;     // joints whose reactions each solve reports
};

// What a metric reads: the frame evaluated under the variant (for a task evaluated only, the
// evaluator still holds its paths) and, for a solved task, its load sharing.
struct Outcome {
  Statics& s;
  const Variant& variant;
  const Task& task;
  const Frame& frame;
  const PostureState& posture;
  const Sharing& sharing;  // empty when the task is not solved
  size_t task_index = 0, frame_index = 0;
};

// A Row of metrics per variant, task and frame.
template <class Row>
struct Results {
  std::vector<std::vector<std::vector<Row>>> rows;  // [variant][task][frame]
  // Per solved frame, whether the muscles produced it ([variant][task][frame]; empty for a
  // task evaluated only).
  std::vector<std::vector<std::vector<Adequacy>>> adequacy;
  // The worst over a task's frames (all tasks when task < 0) of one variant.
  Adequacy adequacy_of(size_t variant, int task = -1) const {
    Adequacy out;
    for (size_t t = 0; t < adequacy.at(variant).size(); ++t)
      if (task < 0 || t == static_cast<size_t>(task))
        for (const Adequacy& a : adequacy[variant][t]) out.merge(a);
    return out;
  }
  const std::vector<Row>& frames(size_t variant, size_t task = 0) const { return rows.at(variant).at(task); }
  const Row& at(size_t variant, size_t task = 0, size_t frame = 0) const { return frames(variant, task).at(frame); }
  std::vector<Row> variants(size_t task = 0, size_t frame = 0) const {
    std::vector<Row> out;
    for (const auto& v : rows) out.push_back(v.at(task).at(frame));
    return out;
  }
};

class Engine {
 public:
  explicit Engine(Statics& s) : s_(s) {}
  Statics& statics() { return s_; }

  // Every variant on every frame of every task (variants outermost); the model's muscles again
  // afterwards.
  template <class Row, class Measure>
  Results<Row> run(const std::vector<Variant>& variants, const std::vector<Task>& tasks, Measure&& measure) {
    Results<Row> out;
    for (const Variant& v : variants) {
      apply_changes(s_, v.changes);
      auto& per_task = out.rows.emplace_back();
      auto& adequacy = out.adequacy.emplace_back();
      for (size_t ti = 0; ti < tasks.size(); ++ti) {
        const Task& t = tasks[ti];
        auto& rows = per_task.emplace_back();
        auto& adequate = adequacy.emplace_back();
        for (size_t fi = 0; fi < t.frames.size(); ++fi) {
          PostureState ps;
          const Sharing sh = t.solve ? solve(t, t.frames[fi], v.excluded, &ps) : Sharing{};
          if (!t.solve) ps = evaluate(t.frames[fi]);
          if (t.solve) adequate.emplace_back().add(s_, sh);
          rows.push_back(measure(Outcome{s_, v, t, t.frames[fi], ps, sh, ti, fi}));
        }
      }
    }
    apply_changes(s_, {});
    return out;
  }

  // One frame of a task with the muscles as they are now: for searches (a bisection, a
  // least-effort choice) that decide the next frame from the last. With `evaluated`, the frame
  // as the solve evaluated it.
  Sharing solve(const Task& task, const Frame& frame, const std::vector<int>& excluded = {},
                PostureState* evaluated = nullptr);

 private:
  PostureState evaluate(const Frame& frame);
  LoadSharing& sharing(const SharingOptions& options, const std::vector<int>& excluded);

  Statics& s_;
  struct Cached {
    SharingOptions options;
    std::unique_ptr<LoadSharing> sharing;
  };
  std::vector<Cached> cache_;
};

// ---- The report's 3D views (ScenarioResult::postures).
using report::Posture;
// Appends a frame: q and its label; with a hip reaction (a Sharing's reaction of `hip_joint`,
// the pelvis's push on the femur), the hip contact force as the femur's push on the pelvis.
// The first frame with a force names the joint.
void add_posture_frame(Posture& posture, const Eigen::VectorXd& q, const std::string& label);
void add_posture_frame(Posture& posture, const Statics& s, const PostureState& ps, const JointLoad& hip, int hip_joint,
                       const std::string& label);
void add_posture_frame(Posture& posture, const Statics& s, const Eigen::VectorXd& q, const JointLoad& hip, int hip_joint,
                       const std::string& label);

// ---- Small helpers.
inline double deg(double rad) { return rad * 57.29577951308232; }
inline double rad(double deg) { return deg / 57.29577951308232; }
std::vector<double> linspace(double a, double b, int n);
// a, a + step, ... up to b (within 1e-9), as the scenarios' grids.
std::vector<double> steps(double a, double b, double step);
std::string base_muscle_name(const std::string& name);  // "glut_med2_r" -> "glut_med"
// Linear interpolation of y(x) on an increasing grid, clamped at the ends.
double interpolate_clamped(const std::vector<double>& x, const std::vector<double>& y, double v);

}  // namespace femur::hip::detail
