// Scenario `hip-flexor-injury`: how far and how fast the rectus femoris and the iliopsoas
// (iliacus, psoas) are stretched, and how much eccentric work they do, in the swing of a kick
// or of a sprint, and what a tight (shortened optimal fiber length) or weak (lower max
// isometric force) hip flexor changes.
//
// Motion: prescribed, analytic. The right hip's flexion and knee angle follow knots joined by
// quintic smoothsteps (zero speed and acceleration at each knot, continuous acceleration), so
// speeds and accelerations are exact. The pelvis stands upright and still; the left leg is not
// moved. Kick (instep kick, the phases of Brophy et al. 2007 and Kellis & Katis 2007:
// backswing from toe-off to the largest hip extension, leg cocking to the largest knee
// flexion, acceleration to ball contact): the hip extends to peak_hip_extension (29 degrees on
// average, backswing about 160 ms: Andersen 2014) while the knee flexes to peak_knee_flexion,
// then the hip flexes to 30 degrees, the thigh almost still at ball contact, while the knee
// extends fast. Sprint (swing phase, toe-off to foot strike): the hip starts at its largest
// extension at toe-off and flexes to 70 degrees at 75% of swing, then retracts to 50 degrees;
// the knee flexes to peak_knee_flexion at 40% and extends to 12 degrees before foot strike.
//
// Per time sample: path lengths and lengthening speeds (compute_path_speeds), the fiber length
// of a rigid tendon (as Static Optimization with use_muscle_physiology), the generalized
// forces of the motion by RNEA (q, qdot, qddot, gravity), shared among the muscles by one
// Static Optimization frame over the swing leg's coordinates with force-length-velocity
// capacities and passive forces. Eccentric work = integral of tendon force x MTU lengthening
// speed over the samples where the MTU lengthens (trapezoid rule).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "scenario_statics.hpp"

namespace femur::hip::detail {
namespace {

// One knot of a joint-angle track: time as a fraction of the motion, angle in degrees.
struct Knot {
  double t = 0, value = 0;
};

// Angle, speed and acceleration (rad, rad/s, rad/s^2) at time t (s) of a track whose knots are
// at fractions of duration T, joined by quintic smoothsteps p(s) = 10s^3 - 15s^4 + 6s^5.
// Before the first knot and after the last the angle is held.
void evaluate_track(const std::vector<Knot>& knots, double T, double t, double& x, double& v, double& a) {
  v = a = 0.0;
  if (t <= knots.front().t * T) {
    x = rad(knots.front().value);
    return;
  }
  for (size_t i = 1; i < knots.size(); ++i) {
    const double t0 = knots[i - 1].t * T, t1 = knots[i].t * T;
    if (t > t1) continue;
    const double h = t1 - t0, s = (t - t0) / h, d = rad(knots[i].value - knots[i - 1].value);
    const double s2 = s * s, s3 = s2 * s;
    x = rad(knots[i - 1].value) + d * (10 * s3 - 15 * s3 * s + 6 * s3 * s2);
    v = d * (30 * s2 - 60 * s3 + 30 * s2 * s2) / h;
    a = d * (60 * s - 180 * s2 + 120 * s3) / (h * h);
    return;
  }
  x = rad(knots.back().value);
}

struct Motion {
  std::string name;
  std::vector<Knot> hip;   // hip flexion (deg, + flexion)
  std::vector<Knot> knee;  // knee flexion (deg, + flexion; the model's knee_angle is its negative)
};

Motion make_motion(int kind, double hip_extension, double knee_flexion) {
  Motion m;
  if (kind == 0) {
    m.name = "kick";
    // Knots before 0 and after 1 put the motion in progress at toe-off and at ball contact.
    m.hip = {{-0.3, 5.0}, {0.36, -hip_extension}, {1.0, 30.0}};
    m.knee = {{-0.3, 10.0}, {0.55, knee_flexion}, {1.2, 0.0}};
  } else {
    m.name = "sprint";
    m.hip = {{0.0, -hip_extension}, {0.72, 55.0}, {1.15, 35.0}};
    m.knee = {{-0.3, 5.0}, {0.40, knee_flexion}, {0.92, 30.0}, {1.1, 35.0}};
  }
  return m;
}

// The muscles followed, with their display names.
struct Followed {
  std::string label;
  int index = -1;
};

struct Variant {
  std::string name;
  // Per followed muscle, per sample.
  std::vector<std::vector<double>> norm_length, norm_length_elastic, fiber_speed_norm, force, activation;
  std::vector<double> peak_norm_length, peak_norm_length_elastic, peak_fiber_speed_norm, eccentric_work, work_per_capacity, mean_activation,
      peak_force;
  double max_reserve = 0.0;
  int equilibrium_failures = 0;
};

ScenarioResult run(const Model& model, const ScenarioParameters& P) {
  Statics s(model);
  const int hip = s.coordinate("hip_flexion_r"), knee = s.coordinate("knee_angle_r");
  const double knee_sign = model.coordinates[static_cast<size_t>(knee)].range_min < -0.5 ? -1.0 : 1.0;
  const int kind = P.get_int("motion");
  const double T = P.get("duration");
  const double hip_ext = P.get("peak_hip_extension"), knee_flex = P.get("peak_knee_flexion");
  const double tight = P.get("tight") / 100.0, weakness = P.get("weakness") / 100.0;
  const double stretch_margin = P.get("stretch_margin") / 100.0, work_margin = P.get("work_margin") / 100.0;
  const int n = std::max(5, P.get_int("samples"));
  const Motion motion = make_motion(kind, hip_ext, knee_flex);

  std::vector<Followed> followed = {{"rectus femoris", s.muscle("rect_fem_r")},
                                    {"iliacus", s.muscle("iliacus_r")},
                                    {"psoas", s.muscle("psoas_r")}};
  const int nf = static_cast<int>(followed.size());
  std::vector<int> flexors;
  for (const Followed& f : followed) flexors.push_back(f.index);

  // The swing leg's coordinates (right side, the pelvis and trunk held): what the muscles and
  // reserves must supply. Psoas also crosses the lumbar joint, whose moment is not shared here.
  SharingOptions so;
  for (int k : non_root_coordinates(model)) {
    const std::string& name = model.coordinates[static_cast<size_t>(k)].name;
    if (name.size() > 2 && name.compare(name.size() - 2, 2, "_r") == 0) so.coordinates.push_back(k);
  }
  so.judged = {hip, knee};

  // Kinematics once: everything that does not depend on the muscles' parameters.
  const std::vector<double> time = linspace(0.0, T, n);
  std::vector<PostureState> postures;
  std::vector<Eigen::VectorXd> speeds;
  std::vector<double> hip_deg, knee_deg, hip_moment;
  Eigen::VectorXd q0 = model.default_q();
  for (double t : time) {
    Eigen::VectorXd q = q0, qd = Eigen::VectorXd::Zero(model.nv), qdd = Eigen::VectorXd::Zero(model.nv);
    double x, v, a;
    evaluate_track(motion.hip, T, t, x, v, a);
    q[hip] = x, qd[hip] = v, qdd[hip] = a;
    hip_deg.push_back(deg(x));
    evaluate_track(motion.knee, T, t, x, v, a);
    q[knee] = knee_sign * x, qd[knee] = knee_sign * v, qdd[knee] = knee_sign * a;
    knee_deg.push_back(deg(x));
    PostureState ps = evaluate_motion(s, q, qd, qdd);
    speeds.push_back(ps.path_speed);
    hip_moment.push_back(ps.tau[hip]);
    postures.push_back(std::move(ps));
  }

  LoadSharing sharing(s, so);
  auto run_variant = [&](const std::string& name) {
    Variant V;
    V.name = name;
    V.norm_length.assign(nf, {});
    V.norm_length_elastic.assign(nf, {});
    V.fiber_speed_norm.assign(nf, {});
    V.force.assign(nf, {});
    V.activation.assign(nf, {});
    MuscleState st, st_elastic;
    // The same muscles with an elastic tendon (the model's tendon strain curve), for the fiber
    // length the rigid-tendon assumption overstates.
    std::vector<MuscleModel> compliant;
    for (const Followed& f : followed) {
      MuscleParameters p = s.muscles.parameters(f.index);
      p.ignore_tendon_compliance = false;
      compliant.emplace_back(p);
    }
    for (int i = 0; i < n; ++i) {
      const PostureState& ps = postures[static_cast<size_t>(i)];
      const Eigen::VectorXd& speed = speeds[static_cast<size_t>(i)];
      const Sharing sh = sharing.solve(ps);
      V.max_reserve = std::max(V.max_reserve, sh.max_judged_reserve);
      for (int f = 0; f < nf; ++f) {
        const int m = followed[static_cast<size_t>(f)].index;
        rigid_tendon_state(s.muscles.model(m), ps.path_length[m], speed[m], sh.activation[m], st);
        V.norm_length[f].push_back(st.normalized_fiber_length);
        const EquilibriumResult eq = fiber_equilibrium(compliant[static_cast<size_t>(f)], ps.path_length[m], speed[m],
                                                       sh.activation[m], st_elastic);
        if (eq.status == EquilibriumStatus::Failed) ++V.equilibrium_failures;
        V.norm_length_elastic[f].push_back(st_elastic.normalized_fiber_length);
        V.fiber_speed_norm[f].push_back(st.fiber_velocity / s.muscles.parameters(m).optimal_fiber_length);
        V.force[f].push_back(sh.force[m]);
        V.activation[f].push_back(sh.activation[m]);
      }
    }
    for (int f = 0; f < nf; ++f) {
      const int m = followed[static_cast<size_t>(f)].index;
      const MuscleParameters& p = s.muscles.parameters(m);
      double work = 0.0, act_sum = 0.0, act_time = 0.0;
      for (int i = 1; i < n; ++i) {
        // Power absorbed = force x MTU lengthening speed while the MTU lengthens (trapezoid).
        auto absorbed = [&](int k) {
          return std::max(0.0, speeds[static_cast<size_t>(k)][m]) * std::max(0.0, V.force[f][static_cast<size_t>(k)]);
        };
        work += 0.5 * (absorbed(i - 1) + absorbed(i)) * (time[static_cast<size_t>(i)] - time[static_cast<size_t>(i - 1)]);
      }
      // Mean activation over the samples where the muscle-tendon unit lengthens.
      for (int i = 0; i < n; ++i)
        if (speeds[static_cast<size_t>(i)][m] > 0) act_sum += V.activation[f][static_cast<size_t>(i)], act_time += 1.0;
      V.peak_norm_length.push_back(*std::max_element(V.norm_length[f].begin(), V.norm_length[f].end()));
      V.peak_norm_length_elastic.push_back(
          *std::max_element(V.norm_length_elastic[f].begin(), V.norm_length_elastic[f].end()));
      V.peak_fiber_speed_norm.push_back(*std::max_element(V.fiber_speed_norm[f].begin(), V.fiber_speed_norm[f].end()));
      V.peak_force.push_back(*std::max_element(V.force[f].begin(), V.force[f].end()));
      V.eccentric_work.push_back(work);
      // Work relative to the muscle's own isometric work capacity F0 x l_opt (as it is in this
      // variant): how close to its capacity the muscle absorbs the swing.
      V.work_per_capacity.push_back(work / (p.max_isometric_force * p.optimal_fiber_length));
      V.mean_activation.push_back(act_time > 0 ? act_sum / act_time : 0.0);
    }
    return V;
  };

  std::vector<Variant> variants;
  variants.push_back(run_variant("normal"));
  shorten_optimal_fiber_length(s, flexors, tight);
  variants.push_back(run_variant(fmt::format("tight ({}% shorter l_opt)", format_number(100 * tight, 0))));
  shorten_optimal_fiber_length(s, flexors, 0.0);
  for (int m : flexors) s.muscles.set_max_isometric_force_scale(m, std::max(1.0 - weakness, 1e-6));
  variants.push_back(run_variant(fmt::format("weak ({}% less F0)", format_number(100 * weakness, 0))));
  for (int m : flexors) s.muscles.set_max_isometric_force_scale(m, 1.0);
  const Variant& normal = variants[0];

  // Flags: a variant whose peak normalized fiber length or eccentric work (absolute, or per
  // unit of the muscle's capacity) exceeds the normal case's by more than the margins.
  struct Flag {
    bool stretch = false, work = false, work_capacity = false;
    bool any() const { return stretch || work || work_capacity; }
  };
  std::vector<std::vector<Flag>> flags(variants.size(), std::vector<Flag>(static_cast<size_t>(nf)));
  auto rel = [](double x, double ref) { return ref > 1e-12 ? x / ref - 1.0 : (x > 1e-12 ? 1e9 : 0.0); };
  for (size_t v = 1; v < variants.size(); ++v)
    for (int f = 0; f < nf; ++f) {
      Flag& fl = flags[v][static_cast<size_t>(f)];
      fl.stretch = rel(variants[v].peak_norm_length[f], normal.peak_norm_length[f]) > stretch_margin;
      fl.work = rel(variants[v].eccentric_work[f], normal.eccentric_work[f]) > work_margin;
      fl.work_capacity = rel(variants[v].work_per_capacity[f], normal.work_per_capacity[f]) > work_margin;
    }
  auto variant_flagged = [&](size_t v) {
    for (const Flag& f : flags[v])
      if (f.any()) return true;
    return false;
  };

  // Whole-motion numbers.
  const double peak_flexion_moment = *std::max_element(hip_moment.begin(), hip_moment.end());
  const double peak_extension_moment = -*std::min_element(hip_moment.begin(), hip_moment.end());
  s.kinematics(q0);
  const double hip_height = s.point_in_ground(s.body("femur_r"), Vec3::Zero()).y() -
                            s.point_in_ground(s.body("calcn_r"), Vec3::Zero()).y();
  // Stature from the hip-joint height: greater-trochanter height = 0.530 x stature (Winter DA
  // 2009, Biomechanics and Motor Control of Human Movement, 4th ed., Fig. 4.1), the calcaneus
  // origin taken at floor level.
  const double stature = hip_height / 0.530;
  const double moment_normalized = peak_flexion_moment / (s.mass * stature);
  // Hamstring (biceps femoris long head) stretch relative to upright: the sprint's check.
  const int bf = s.muscle("bifemlh_r");
  const Eigen::VectorXd upright = evaluate_posture(s, q0, {}).path_length;
  double bf_peak = 0.0;
  for (const PostureState& ps : postures) bf_peak = std::max(bf_peak, ps.path_length[bf] / upright[bf] - 1.0);
  double rf_mtu_peak = 0.0;
  const int rf = followed[0].index;
  for (const PostureState& ps : postures) rf_mtu_peak = std::max(rf_mtu_peak, ps.path_length[rf] / upright[rf] - 1.0);
  size_t rf_peak_sample = 0;
  for (size_t i = 0; i < normal.norm_length[0].size(); ++i)
    if (normal.norm_length[0][i] > normal.norm_length[0][rf_peak_sample]) rf_peak_sample = i;

  ScenarioResult out;
  out.title = "Hip flexor strain: rectus femoris and iliopsoas stretch in a kick or sprint swing";
  out.question =
      "In the back-swing of a kick (or the swing of a sprint), how far and how fast are the rectus femoris and the "
      "iliopsoas stretched, how much eccentric work do they absorb, and does a tight or a weak hip flexor get "
      "stretched further or work harder than a normal one?";
  out.method = fmt::format(
      "Model '{}', pelvis upright and still, the right leg moved through a prescribed {} of {} s: hip flexion and knee "
      "angle follow knots joined by quintic smoothsteps (continuous acceleration). {} Peak hip extension {} deg, peak "
      "knee flexion {} deg. At each of {} samples: path lengths and lengthening speeds, rigid-tendon fiber length "
      "(l/l_opt) and fiber speed; the generalized forces of the motion by inverse dynamics (RNEA with the motion's "
      "speeds and accelerations and gravity) shared by one static-optimization frame (least sum of squared "
      "activations, force-length-velocity capacities, passive forces) over the right leg's coordinates, reserves of "
      "1 N m judged at hip flexion and knee. Eccentric work = integral of tendon force x muscle-tendon lengthening "
      "speed over the samples where the muscle-tendon unit lengthens. Variants: normal; tight = optimal fiber length "
      "of rectus femoris, iliacus and psoas x (1 - {}), tendon slack length kept; weak = their max isometric force "
      "x (1 - {}). A variant is flagged when a muscle's peak l/l_opt exceeds normal by more than {}% or its eccentric "
      "work (in J, or per unit of its own capacity F0 x l_opt) by more than {}%.",
      model.name, motion.name, format_number(T, 2),
      kind == 0 ? "Kick: backswing from toe-off to the largest hip extension at 36% of the motion (about 160 ms at "
                  "0.45 s), largest knee flexion at 55%, ball contact at the end with the thigh nearly still."
                : "Sprint swing: the hip at its largest extension at toe-off flexes to 70 deg at 75% of swing and "
                  "retracts to 50 deg; the knee flexes to its peak at 40% and extends to 12 deg at 88%.",
      format_number(hip_ext, 0), format_number(knee_flex, 0), n, format_number(tight, 2), format_number(weakness, 2),
      format_number(100 * stretch_margin, 0), format_number(100 * work_margin, 0));

  // ---- Figures.
  Figure kin;
  kin.title = "Prescribed motion";
  kin.x_label = "time (s)";
  kin.y_label = "angle (deg)";
  kin.series = {{"hip flexion", time, hip_deg, false}, {"knee flexion", time, knee_deg, true}};
  kin.caption = "Negative hip flexion is extension: the back-swing.";
  out.figures.push_back(kin);

  // A variant with the normal lengths (weakness does not move the path) is drawn once.
  std::vector<bool> as_normal(variants.size(), false);
  for (size_t v = 1; v < variants.size(); ++v) as_normal[v] = variants[v].norm_length == variants[0].norm_length;
  const bool any_as_normal = std::find(as_normal.begin(), as_normal.end(), true) != as_normal.end();
  auto stretch_figure = [&](const std::string& title, const std::vector<int>& which) {
    Figure fg;
    fg.title = title;
    fg.x_label = "time (s)";
    fg.y_label = "fiber length / optimal fiber length";
    for (size_t v = 0; v < variants.size(); ++v) {
      if (as_normal[v]) continue;
      const Variant& V = variants[v];
      for (int f : which)
        fg.series.push_back({which.size() > 1 ? followed[static_cast<size_t>(f)].label + ", " + V.name : V.name, time,
                             V.norm_length[static_cast<size_t>(f)], f == 2});
    }
    return fg;
  };
  const std::string same_as_normal =
      any_as_normal ? " Variants whose lengths equal the normal ones (weakness does not move the path) are not drawn." : "";
  Figure rf_fig = stretch_figure("Rectus femoris normalized fiber length", {0});
  rf_fig.caption = fmt::format("Longest at t = {} s (hip {} deg, knee flexion {} deg).{}",
                               format_number(time[rf_peak_sample], 3), format_number(hip_deg[rf_peak_sample], 0),
                               format_number(knee_deg[rf_peak_sample], 0), same_as_normal);
  out.figures.push_back(rf_fig);
  Figure ip_fig = stretch_figure("Iliopsoas normalized fiber length", {1, 2});
  ip_fig.caption = "Iliacus solid, psoas dashed." + same_as_normal;
  out.figures.push_back(ip_fig);

  Figure vel;
  vel.title = "Fiber lengthening velocity (normal)";
  vel.x_label = "time (s)";
  vel.y_label = "fiber velocity (optimal fiber lengths / s, + lengthening)";
  for (int f = 0; f < nf; ++f)
    vel.series.push_back({followed[static_cast<size_t>(f)].label, time, normal.fiber_speed_norm[static_cast<size_t>(f)], false});
  out.figures.push_back(vel);

  auto bar = [&](const std::string& title, const std::string& y, auto field) {
    Figure fg;
    fg.kind = Figure::Kind::Bar;
    fg.title = title;
    fg.y_label = y;
    for (const Variant& V : variants) fg.categories.push_back(V.name);
    for (int f = 0; f < nf; ++f) {
      Series se;
      se.name = followed[static_cast<size_t>(f)].label;
      for (const Variant& V : variants) se.y.push_back(field(V, f));
      fg.series.push_back(se);
    }
    return fg;
  };
  out.figures.push_back(bar("Peak stretch per variant", "peak l / l_opt",
                            [](const Variant& V, int f) { return V.peak_norm_length[static_cast<size_t>(f)]; }));
  out.figures.push_back(bar("Eccentric work per variant", "eccentric work (J)",
                            [](const Variant& V, int f) { return V.eccentric_work[static_cast<size_t>(f)]; }));

  // ---- Table with flags.
  Table t;
  t.title = "Per variant and muscle";
  t.header = {"variant", "muscle", "peak l/l_opt", "vs normal (%)", "peak l/l_opt, elastic tendon", "peak fiber lengthening (l_opt/s)",
              "peak force (N)", "eccentric work (J)", "vs normal (%)", "work / (F0 l_opt) (%)", "vs normal (%)",
              "mean activation while lengthening", "flag"};
  for (size_t v = 0; v < variants.size(); ++v)
    for (int f = 0; f < nf; ++f) {
      const Variant& V = variants[v];
      const size_t fi = static_cast<size_t>(f);
      std::string flag = "-";
      if (v > 0) {
        std::vector<std::string> why;
        if (flags[v][fi].stretch) why.push_back("stretch");
        if (flags[v][fi].work) why.push_back("work");
        if (flags[v][fi].work_capacity) why.push_back("work/capacity");
        flag = why.empty() ? "no" : fmt::format("{}", fmt::join(why, ", "));
      }
      auto change = [&](double x, double ref) { return v == 0 ? std::string("-") : format_number(100 * rel(x, ref), 1); };
      t.rows.push_back({V.name, followed[fi].label, format_number(V.peak_norm_length[fi], 3),
                        change(V.peak_norm_length[fi], normal.peak_norm_length[fi]),
                        format_number(V.peak_norm_length_elastic[fi], 3),
                        format_number(V.peak_fiber_speed_norm[fi], 2), format_number(V.peak_force[fi], 0),
                        format_number(V.eccentric_work[fi], 2), change(V.eccentric_work[fi], normal.eccentric_work[fi]),
                        format_number(100 * V.work_per_capacity[fi], 2),
                        change(V.work_per_capacity[fi], normal.work_per_capacity[fi]),
                        format_number(V.mean_activation[fi], 2), flag});
    }
  out.tables.push_back(t);

  // ---- Numbers (labels are stable: the tests read them).
  out.key_number = {"peak rectus femoris l/l_opt (normal)", normal.peak_norm_length[0], "", 3};
  for (const Variant& V : variants) {
    const std::string tag = V.name.substr(0, V.name.find(' '));
    for (int f = 0; f < nf; ++f) {
      const size_t fi = static_cast<size_t>(f);
      const std::string& m = followed[fi].label;
      out.numbers.push_back({"peak " + m + " l/l_opt, " + tag, V.peak_norm_length[fi], "", 3});
      out.numbers.push_back({"peak " + m + " l/l_opt with elastic tendon, " + tag, V.peak_norm_length_elastic[fi], "", 3});
      out.numbers.push_back({"peak " + m + " fiber lengthening velocity, " + tag, V.peak_fiber_speed_norm[fi], "l_opt/s", 2});
      out.numbers.push_back({m + " eccentric work, " + tag, V.eccentric_work[fi], "J", 2});
      out.numbers.push_back({m + " eccentric work per capacity, " + tag, 100 * V.work_per_capacity[fi], "%", 2});
      out.numbers.push_back({"mean " + m + " activation while lengthening, " + tag, V.mean_activation[fi], "", 2});
    }
    out.numbers.push_back({"largest hip/knee reserve, " + tag, V.max_reserve, "N m", 2});
    out.numbers.push_back({"elastic-tendon equilibria not found, " + tag, static_cast<double>(V.equilibrium_failures), "", 0});
  }
  out.numbers.push_back({"peak hip flexion moment", peak_flexion_moment, "N m", 1});
  out.numbers.push_back({"peak hip extension moment", peak_extension_moment, "N m", 1});
  out.numbers.push_back({"peak hip flexion moment / (mass x stature)", moment_normalized, "N m/(kg m)", 2});
  out.numbers.push_back({"peak rectus femoris MTU stretch vs upright", 100 * rf_mtu_peak, "%", 1});
  out.numbers.push_back({"peak biceps femoris long head MTU stretch vs upright", 100 * bf_peak, "%", 1});
  out.numbers.push_back({"time of peak rectus femoris stretch", time[rf_peak_sample], "s", 3});

  // ---- Verdict.
  const bool tight_flagged = variant_flagged(1), weak_flagged = variant_flagged(2);
  const size_t iv = 1, wv = 2;
  auto pct = [&](size_t v, int f, auto field) {
    return format_number(100 * rel(field(variants[v], f), field(normal, f)), 1);
  };
  auto peak_len = [](const Variant& V, int f) { return V.peak_norm_length[static_cast<size_t>(f)]; };
  auto work = [](const Variant& V, int f) { return V.eccentric_work[static_cast<size_t>(f)]; };
  auto wpc = [](const Variant& V, int f) { return V.work_per_capacity[static_cast<size_t>(f)]; };
  out.verdict.claim =
      "Tight or weak hip flexors are more exposed to strain injury in the swing: the tight rectus femoris and iliopsoas "
      "are stretched further than normal ones, and the weak ones absorb more eccentric work relative to their capacity "
      "(strain injuries occur when a muscle is stretched while it develops tension).";
  out.verdict.status = tight_flagged && weak_flagged ? VerdictStatus::Supported
                       : tight_flagged || weak_flagged ? VerdictStatus::Partly
                                                       : VerdictStatus::NotSupported;
  out.verdict.text = fmt::format(
      "In the {} the rectus femoris reaches l/l_opt = {} (normal) at t = {} s, iliacus {}, psoas {}; it lengthens at up "
      "to {} l_opt/s and absorbs {} J (iliacus {} J, psoas {} J). Tight ({}% shorter l_opt): peak l/l_opt {} / {} / {} "
      "({}% / {}% / {}% vs normal), eccentric work {}% / {}% / {}%: {}. Weak ({}% less F0): eccentric work {}% / {}% / {}% "
      "in J but {}% / {}% / {}% per unit capacity, mean activation while lengthening {} vs {} (rectus femoris): {}. "
      "Margins {}% (stretch) and {}% (work).{}",
      motion.name, format_number(normal.peak_norm_length[0], 3), format_number(time[rf_peak_sample], 3),
      format_number(normal.peak_norm_length[1], 3), format_number(normal.peak_norm_length[2], 3),
      format_number(normal.peak_fiber_speed_norm[0], 2), format_number(normal.eccentric_work[0], 2),
      format_number(normal.eccentric_work[1], 2), format_number(normal.eccentric_work[2], 2), format_number(100 * tight, 0),
      format_number(variants[iv].peak_norm_length[0], 3), format_number(variants[iv].peak_norm_length[1], 3),
      format_number(variants[iv].peak_norm_length[2], 3), pct(iv, 0, peak_len), pct(iv, 1, peak_len),
      pct(iv, 2, peak_len), pct(iv, 0, work), pct(iv, 1, work), pct(iv, 2, work),
      tight_flagged ? "flagged" : "not flagged", format_number(100 * weakness, 0), pct(wv, 0, work), pct(wv, 1, work),
      pct(wv, 2, work), pct(wv, 0, wpc), pct(wv, 1, wpc), pct(wv, 2, wpc),
      format_number(variants[wv].mean_activation[0], 2), format_number(normal.mean_activation[0], 2),
      weak_flagged ? "flagged" : "not flagged", format_number(100 * stretch_margin, 0),
      format_number(100 * work_margin, 0),
      fmt::format(" The tight rectus femoris' force peaks at {} N ({} x its max isometric force, mostly passive) against {} N "
                  "normal. Largest hip/knee reserve: normal {}, tight {}, weak {} N m{}.",
                  format_number(variants[iv].peak_force[0], 0),
                  format_number(variants[iv].peak_force[0] / s.muscles.parameters(followed[0].index).max_isometric_force, 1),
                  format_number(normal.peak_force[0], 0), format_number(variants[0].max_reserve, 1),
                  format_number(variants[1].max_reserve, 1), format_number(variants[2].max_reserve, 1),
                  std::max({variants[0].max_reserve, variants[1].max_reserve, variants[2].max_reserve}) > so.feasibility_tolerance
                      ? " (above 1 N m the muscles could not produce the motion alone)"
                      : ""));

  // ---- Literature.
  if (kind == 0) {
    LiteratureComparison lc;
    lc.quantity = "peak swing-limb hip flexor moment in an instep kick";
    lc.model_value = moment_normalized;
    lc.low = 1.07;
    lc.high = 1.22;
    lc.unit = "N m/(kg m)";
    lc.published = "1.07 (prepubertal) and 1.22 (postpubertal) N m/kg/m, female players";
    lc.source = "Lyle MA, Sigward SM, Tsai LC, Pollard CD, Powers CM (2011) Influence of maturation on instep kick "
                "biomechanics in female soccer athletes. Med Sci Sports Exerc 43(10), doi:10.1249/MSS.0b013e31821a4594";
    out.literature.push_back(lc);
  } else {
    LiteratureComparison lc;
    lc.quantity = "peak biceps femoris long head MTU length vs upright, sprint swing (checks the prescribed sprint)";
    lc.model_value = 100 * bf_peak;
    lc.low = 7.4;
    lc.high = 9.5;
    lc.unit = "%";
    lc.published = "late swing: semimembranosus 7.4%, semitendinosus 8.1%, biceps femoris 9.5%";
    lc.source = "Thelen DG, Chumanov ES, Hoerth DM, Best TM, Swanson SC, Li L, Young M, Heiderscheit BC (2005) Hamstring "
                "muscle kinematics during treadmill sprinting. Med Sci Sports Exerc 37(1):108-114";
    out.literature.push_back(lc);
  }
  out.limits = {
      "Kinematics are smooth analytic curves, not measured data: the backswing timing (about 160 ms) and the average "
      "largest hip extension of 29 degrees are from Andersen LL (2014) Risk factors for groin injury during football "
      "kicking: a biomechanical perspective, Aspetar Sports Medicine Journal 3 (Targeted topic: groin pain); the kick's "
      "phases from Brophy RH et al. (2007) Lower extremity muscle activation and alignment during the soccer instep and side-foot kicks, J Orthop Sports Phys Ther 37(5) and Kellis E, Katis A (2007) J "
      "Sports Sci Med 6:154-165; the peak knee flexion, the end angles and the sprint's knots are assumed and not "
      "checked against a source.",
      "Sagittal only, pelvis and trunk held still: the pelvis rotation and tilt of a real kick, which stretch the psoas "
      "further, are not modelled, and the psoas' moment at the lumbar joint is not balanced.",
      "Rigid tendons: the whole muscle-tendon stretch goes to the fibers, which overstates fiber stretch and speed for "
      "muscles with long compliant tendons (rectus femoris tendon slack length 0.31 m vs 0.114 m fibers).",
      "One static-optimization frame per sample (least squared activations, no activation dynamics): co-contraction "
      "and the short bursts of muscle activity seen in kicking EMG are not reproduced; forces during the fast "
      "stretch may be underestimated.",
      "Injury criteria are relative (a variant against the normal case); the literature supports that strain injuries "
      "happen during eccentric contraction, stretch with tension (Garrett WE (1996) Muscle strain injuries. Am J Sports "
      "Med 24(6)), and that the rectus femoris is the quadriceps muscle most often injured, in kicking and "
      "sprinting (Mendiguchia J, Alentorn-Geli E, Idoate F, Myer GD (2013) Rectus femoris muscle injuries in football: "
      "a clinically relevant review. Br J Sports Med 47(6):359-366). No absolute threshold of fiber strain for injury "
      "in humans was confirmed; Lieber & Friden (1993, J Appl Physiol 74:520-526; damage scales with strain, not "
      "force) could not be confirmed with the search tool and is not used for numbers.",
      fmt::format("The motion is prescribed, the same for every variant: a tight rectus femoris (optimal fiber length "
                  "shortened, tendon slack kept, the definition sitting-hip-flexors shares) is driven through the normal "
                  "back-swing and its passive force rises to {} x its max isometric force, more than a muscle sustains. "
                  "A person with tight flexors would shorten the back-swing instead; the tight variant is an upper bound "
                  "on the stretch, not a prediction of the kick.",
                  format_number(variants[iv].peak_force[0] / s.muscles.parameters(followed[0].index).max_isometric_force, 1)),
      "Stature for the moment normalization is estimated from the model's hip height (0.530 x stature, Winter's "
      "anthropometric proportions, Fig. 4.1 of his textbook; the figure was located with the search tool but the "
      "0.530 itself was not confirmed there); the kicking-moment comparison is with young female players, whose kicks are "
      "slower than an adult male's.",
  };
  Posture shown{"The swing of the right leg, frame by frame (play it at 0.1x for the real speed ratio)", {}, {}, "", {}};
  for (size_t i = 0; i < postures.size(); ++i)
    add_posture_frame(shown, postures[i].q, fmt::format("t = {} s", format_number(time[i], 3)));
  out.postures.push_back(std::move(shown));
  return out;
}

}  // namespace

ScenarioInfo hip_flexor_injury_scenario() {
  ScenarioInfo info;
  info.name = "hip-flexor-injury";
  info.title = "Hip flexor strain in a kick or sprint";
  info.summary = "rectus femoris and iliopsoas stretch, lengthening speed and eccentric work in a kick back-swing or "
                 "sprint swing; tight and weak variants flagged";
  info.parameters = {
      {"motion", "0 = instep kick, 1 = sprint swing", 0.0, 0.0, 1.0, "", true},
      {"duration", "duration of the prescribed motion", 0.45, 0.15, 1.0, "s", false},
      {"peak_hip_extension", "largest hip extension (back-swing; toe-off in the sprint)", 29.0, 0.0, 45.0, "deg", false},
      {"peak_knee_flexion", "largest knee flexion", 100.0, 40.0, 120.0, "deg", false},
      {"tight", "tight variant: optimal fiber length of rectus femoris, iliacus, psoas shortened by", 10.0, 0.0, 50.0, "%", false},
      {"weakness", "weak variant: their max isometric force reduced by", 30.0, 0.0, 90.0, "%", false},
      {"stretch_margin", "flag when peak l/l_opt exceeds normal by more than", 5.0, 0.0, 100.0, "%", false},
      {"work_margin", "flag when eccentric work (J or per capacity) exceeds normal by more than", 10.0, 0.0, 500.0, "%", false},
      {"samples", "time samples over the motion", 41.0, 5.0, 401.0, "", true},
  };
  info.run = &run;
  return info;
}

}  // namespace femur::hip::detail
