// Scenario `sciatic-stretch`: how far does a straight-leg raise (SLR) stretch the sciatic
// nerve, and is that stretch, in the hip angles where the clinical test is positive, of the
// size that matters to a nerve? Supine, the right leg raised from the table (hip flexion 0
// to max_hip) in four ways: (a) knee straight, (b) knee bent, (c) knee straight with the ankle
// dorsiflexed (Bragard's sensitising manoeuvre), (d) knee straight with the lumbar spine
// flexed (as in the slump test; the neck and the dura are not modelled).
//
// The nerve is the built-in model's sciatic_nerve_r (hip_model.hpp): a path from the L4/L5
// foramen to the sole that applies no force, with its length in the anatomical neutral pose
// as resting_length. Its length L at each posture is the nerve bed's length; the nerve's mean
// strain from neutral is (L - L_rest) / L_rest x 100 %. Lengths depend on the joint angles
// only, so the supine pose sets the scene and gravity plays no part.
#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "femur/hip/hip_model.hpp"
#include "scenario_postures.hpp"
#include "scenario_report.hpp"
#include "scenarios.hpp"

namespace femur::hip::detail {
namespace {

// The hip flexion range in which an SLR that reproduces radiating pain below the knee is
// called positive (Pesonen J, Shacklock M, Rantanen P, et al. (2021) Extending the straight
// leg raise test for improved clinical evaluation of sciatica: reliability of hip internal
// rotation or ankle dorsiflexion. BMC Musculoskelet Disord, doi:10.1186/s12891-021-04159-y:
// "between 30 and 70 degrees of hip flexion").
constexpr double kBandLow = 30.0, kBandHigh = 70.0;

// Nerve blood flow and elongation. 8% elongation of the rat sciatic nerve halved its blood
// flow, 15% cut it by about 80% (Clark WL, Trumble TE, Swiontkowski MF, Tencer AF (1992) Nerve
// tension and blood flow in a rat model of immediate and delayed repairs. J Hand Surg Am
// 17:677-687); stretching the rabbit sciatic nerve by
// more than 15.7% on average arrested its blood flow (Ogata K et al. (1986) Blood flow of
// peripheral nerve: effects of dissection, stretching and compression. J Hand Surg Br
// 11:10-14).
constexpr double kFlowHalved = 8.0, kFlowArrest = 15.7;

// SLR in ten fresh cadavers: strain 2-4% in the L4, L5 and S1 spinal nerves, 0.5-5 mm of
// motion (Straight leg raising. Anatomical effects on the spinal nerve root without and with
// fusion. Spine 1993;18(8):992-999).
constexpr double kRootStrainLow = 2.0, kRootStrainHigh = 4.0;

struct Condition {
  std::string name;
  double knee_flexion_deg = 0, dorsiflexion_deg = 0, lumbar_flexion_deg = 0;
  bool dashed = false;
  std::vector<double> length, strain;  // per hip angle: m, %
};

// The first angle at which y reaches `level` (linear between samples), or NaN.
double first_reaching(const std::vector<double>& x, const std::vector<double>& y, double level) {
  for (size_t i = 0; i < y.size(); ++i)
    if (y[i] >= level) {
      if (i == 0) return x[0];
      return x[i - 1] + (level - y[i - 1]) / (y[i] - y[i - 1]) * (x[i] - x[i - 1]);
    }
  return std::nan("");
}

// ---- The declaration: the conditions' hip sweeps, evaluated only; the metric is the nerve's length.

// Supine (as straight-leg-raise); hip flexion swept over `angles` with the condition's knee,
// ankle and lumbar angles. gait2392 conventions, checked on the model: knee flexion is the
// negative knee angle when the range goes well below zero; dorsiflexion is the positive ankle
// angle; lumbar flexion the negative lumbar_extension.
Task sweep(Statics& s, const Condition& c, const std::vector<double>& angles) {
  const int hip = s.coordinate("hip_flexion_r"), knee = s.coordinate("knee_angle_r");
  Eigen::VectorXd q = s.model.default_q();
  turn_supine(s, q);
  q[s.coordinate("pelvis_ty")] = 0.15;
  q[knee] = s.flexion_sign(knee) * rad(c.knee_flexion_deg);
  q[s.coordinate("ankle_angle_r")] = rad(c.dorsiflexion_deg);
  q[s.coordinate("lumbar_extension")] = -rad(c.lumbar_flexion_deg);
  Task t;
  t.name = c.name;
  t.solve = false;
  for (double a : angles) {
    q[hip] = rad(a);
    t.frames.push_back(Frame{a, q, {}, {}, {}});
  }
  return t;
}

// ---- What the strains say.

struct Findings {
  std::vector<double> angles;
  std::vector<Condition> conditions;  // straight, bent, dorsiflexed, lumbar flexed
  double rest = 0, max_hip = 0;
  std::string hip_wrap = "a wrap surface";
  // Directions over the whole sweep.
  double bent_excess = -1e300, dorsi_gain_min = 1e300, lumbar_gain_min = 1e300, min_step = 1e300;
  // At the band's ends and beyond.
  double s0 = 0, s30 = 0, s70 = 0, s_max = 0, elong70_mm = 0, rate_mm_per_deg = 0, bent70 = 0, dorsi70 = 0, lumbar70 = 0;
  double reach_half_flow = 0, reach_half_flow_df = 0, bent_slack_to = 0;
  bool directions() const { return bent_excess <= 1e-9 && dorsi_gain_min > 0.0 && min_step > 0.0; }
  bool few_percent() const { return s70 >= 1.0 && s70 < kFlowHalved; }
};

void summarize(Findings& f) {
  const Condition &straight = f.conditions[0], &bent = f.conditions[1], &dorsi = f.conditions[2], &lumbar_c = f.conditions[3];
  for (size_t i = 0; i < f.angles.size(); ++i) {
    f.bent_excess = std::max(f.bent_excess, bent.strain[i] - straight.strain[i]);
    f.dorsi_gain_min = std::min(f.dorsi_gain_min, dorsi.strain[i] - straight.strain[i]);
    f.lumbar_gain_min = std::min(f.lumbar_gain_min, lumbar_c.strain[i] - straight.strain[i]);
    if (i > 0) f.min_step = std::min(f.min_step, straight.strain[i] - straight.strain[i - 1]);
  }
  auto strain = [&](const Condition& c, double a) { return interpolate_clamped(f.angles, c.strain, a); };
  const double band_top = std::min(kBandHigh, f.max_hip);
  f.s30 = strain(straight, kBandLow);
  f.s70 = strain(straight, band_top);
  f.s_max = straight.strain.back();
  f.s0 = straight.strain.front();
  const double length70 = interpolate_clamped(f.angles, straight.length, band_top);
  f.elong70_mm = 1000.0 * (length70 - f.rest);
  f.rate_mm_per_deg = 1000.0 * (length70 - interpolate_clamped(f.angles, straight.length, kBandLow)) / (band_top - kBandLow);
  f.bent70 = strain(bent, band_top);
  f.dorsi70 = strain(dorsi, band_top);
  f.lumbar70 = strain(lumbar_c, band_top);
  f.reach_half_flow = first_reaching(f.angles, straight.strain, kFlowHalved);
  f.reach_half_flow_df = first_reaching(f.angles, dorsi.strain, kFlowHalved);
  f.bent_slack_to = first_reaching(f.angles, bent.strain, 0.0);
}

// ---- The report.

std::vector<Figure> figures(const Findings& f) {
  Figure strain = report::line_figure(
      "Sciatic nerve strain vs hip flexion (straight-leg raise)", "hip flexion (deg)", "nerve strain from neutral (%)", {},
      "Mean strain of the L4/L5-to-sole tract. A bent knee slackens the nerve (negative strain until the hip takes up the "
      "slack); dorsiflexion and lumbar flexion pre-tension it.");
  Figure elongation = report::line_figure("Sciatic nerve bed elongation vs hip flexion", "hip flexion (deg)",
                                          "elongation from neutral (mm)", {});
  for (const Condition& c : f.conditions) {
    std::vector<double> mm;
    for (double L : c.length) mm.push_back(1000.0 * (L - f.rest));
    strain.series.push_back({c.name, f.angles, c.strain, c.dashed});
    elongation.series.push_back({c.name, f.angles, mm, c.dashed});
  }
  report::with_x_band(strain, kBandLow, kBandHigh, "SLR positive (30-70 deg)");
  report::with_band(strain, kFlowHalved, kFlowArrest, "8%: nerve blood flow halved (rat) ... 15.7%: arrested (rabbit)");
  report::with_x_band(elongation, kBandLow, kBandHigh, "SLR positive");
  return {strain, elongation};
}

Table angle_table(const Findings& f) {
  const Condition &straight = f.conditions[0];
  auto strain = [&](const Condition& c, double a) { return format_number(interpolate_clamped(f.angles, c.strain, a), 2); };
  Table t;
  t.title = "Per hip angle";
  t.header = {"hip flexion (deg)", "length, knee straight (mm)", "strain (a) (%)", "strain (b) (%)", "strain (c) (%)",
              "strain (d) (%)"};
  for (double a = 0.0; a <= f.max_hip + 1e-9; a += 10.0)
    t.rows.push_back({format_number(a, 0), format_number(1000.0 * interpolate_clamped(f.angles, straight.length, a), 1),
                      strain(straight, a), strain(f.conditions[1], a), strain(f.conditions[2], a), strain(f.conditions[3], a)});
  return t;
}

std::vector<Number> numbers(const Findings& f) {
  std::vector<Number> out = {
      {"nerve length, neutral pose", 1000.0 * f.rest, "mm", 1},
      {"strain at 0 deg, knee straight", f.s0, "%", 2},
      {"strain at 30 deg, knee straight", f.s30, "%", 2},
      {"strain at 70 deg, knee straight", f.s70, "%", 2},
      {fmt::format("strain at {} deg, knee straight", format_number(f.max_hip, 0)), f.s_max, "%", 2},
      {"elongation at 70 deg, knee straight", f.elong70_mm, "mm", 1},
      {"elongation per degree of hip flexion, 30-70 deg", f.rate_mm_per_deg, "mm/deg", 2},
      {"strain at 70 deg, knee bent", f.bent70, "%", 2},
      {"strain at 70 deg, with dorsiflexion", f.dorsi70, "%", 2},
      {"strain added by dorsiflexion at 70 deg", f.dorsi70 - f.s70, "%", 2},
      {"strain at 70 deg, with lumbar flexion", f.lumbar70, "%", 2},
      {"strain added by lumbar flexion at 70 deg", f.lumbar70 - f.s70, "%", 2},
      {"largest (bent - straight) strain over the sweep", f.bent_excess, "%", 2},
  };
  if (std::isfinite(f.reach_half_flow)) out.push_back({"hip flexion where the strain reaches 8%", f.reach_half_flow, "deg", 0});
  if (std::isfinite(f.reach_half_flow_df))
    out.push_back({"hip flexion where the strain reaches 8%, with dorsiflexion", f.reach_half_flow_df, "deg", 0});
  if (std::isfinite(f.bent_slack_to))
    out.push_back({"hip flexion where the bent-knee nerve is back at its neutral length", f.bent_slack_to, "deg", 0});
  return out;
}

// Supported when the directions hold (knee bent never more, dorsiflexion adds, the strain rises
// with hip flexion) and the strain at 70 degrees is a few percent (1-8%); partly when one does.
Verdict verdict(const Findings& f, const ScenarioParameters& P) {
  const bool few_percent = f.few_percent();
  Verdict v;
  v.claim = "In the 30-70 degrees of hip flexion where the straight-leg raise is clinically positive the sciatic nerve is "
            "stretched by a few percent: below the 8% that halves a healthy nerve's blood flow, so a healthy nerve "
            "tolerates it, while a root already compressed or inflamed may not; bending the knee takes the stretch off, "
            "dorsiflexion adds to it.";
  v.status = report::status_of(int(f.directions()) + int(few_percent), 2);
  v.text = fmt::format(
      "With the knee straight the nerve bed lengthens by {} mm by 70 degrees ({} mm per degree between 30 and 70): "
      "strain {}% at 30 degrees and {}% at 70 degrees, {}% at {} degrees. {} Ankle dorsiflexion of {} degrees adds {} "
      "points at 70 degrees ({}%), lumbar flexion of {} degrees adds {} points; bending the knee {} degrees lowers "
      "the strain at every hip angle (at 70 degrees {}%){}. {}",
      format_number(f.elong70_mm, 0), format_number(f.rate_mm_per_deg, 2), format_number(f.s30, 1),
      format_number(f.s70, 1), format_number(f.s_max, 1), format_number(f.max_hip, 0),
      std::isfinite(f.reach_half_flow)
          ? fmt::format("The 8% at which nerve blood flow halves in the rat is reached at {} degrees.",
                        format_number(f.reach_half_flow, 0))
          : fmt::format("The strain stays below the 8% at which nerve blood flow halves in the rat over the whole "
                        "sweep, and below the 15.7% that arrests it in the rabbit."),
      format_number(P.get("dorsiflexion"), 0), format_number(f.dorsi70 - f.s70, 1), format_number(f.dorsi70, 1),
      format_number(P.get("lumbar_flexion"), 0), format_number(f.lumbar70 - f.s70, 1),
      format_number(P.get("knee_bent"), 0), format_number(f.bent70, 1),
      std::isfinite(f.bent_slack_to)
          ? fmt::format(", and the nerve is back at its neutral length only at {} degrees", format_number(f.bent_slack_to, 0))
          : std::string(", and the nerve stays shorter than in neutral over the whole sweep"),
      few_percent ? "A strain of this size does not stop blood flow in a healthy nerve; what it does to a root already "
                    "compressed by a disc or inflamed is the clinical reasoning of the test and is not computed here."
      : f.s70 >= kFlowHalved ? "A strain this large would impair blood flow even in a healthy nerve."
                             : "The strain is too small to matter even to an irritated root.");
  return v;
}

std::vector<LiteratureComparison> literature(const Findings& f) {
  return {{"nerve strain at the end of an SLR (model: 70 deg, whole-tract mean)", f.s70, kRootStrainLow, kRootStrainHigh,
           "%",
           "Straight leg raising. Anatomical effects on the spinal nerve root without and with fusion. Spine "
           "1993;18(8):992-999",
           "2-4% in the L4, L5, S1 spinal nerves (10 fresh cadavers)"},
          {"strain in the SLR-positive band (70 deg) vs the elongation that halves nerve blood flow", f.s70, 0.0,
           kFlowHalved, "%",
           "Clark WL, Trumble TE, Swiontkowski MF, Tencer AF (1992) Nerve tension and blood flow in a rat model of "
           "immediate and delayed repairs. J Hand Surg Am 17:677-687",
           "below 8% (8% elongation: blood flow -50%; 15%: -80%; rat sciatic nerve)"},
          {fmt::format("strain at {} deg with dorsiflexion vs the stretch that arrests nerve blood flow",
                       format_number(f.max_hip, 0)),
           f.conditions[2].strain.back(), 0.0, kFlowArrest, "%",
           "Ogata K et al. (1986) Blood flow of peripheral nerve: effects of dissection, stretching and compression. J "
           "Hand Surg Br 11:10-14",
           "below 15.7% (average stretch that arrested blood flow, rabbit sciatic nerve)"}};
}

std::vector<std::string> limits(const Findings& f) {
  return {
      "One line from the L4/L5 foramen to the sole stands for root, lumbosacral trunk, sciatic, tibial and medial "
      "plantar nerves: the strain is the mean of the whole tract if it were tethered at both ends. Real nerves slide "
      "(excursion) and strain most near the joint that moves (Coppieters et al. 2006, J Orthop Res 24:1883-1889), "
      "so local strain at the hip can exceed this mean and strain at the root can be below it.",
      fmt::format("The whole-tract mean at 70 degrees ({}%) is above the 2-4% measured in the L4-S1 roots of cadavers "
                  "(Spine 1993;18:992-999): the roots are tethered in their foramina and move little until the hip is "
                  "flexed beyond about 60 degrees (Gilbert KK et al. 2007, Lumbosacral nerve root displacement and "
                  "strain: part 1, Spine, doi:10.1097/BRS.0b013e318067dd55), so the model's single line spreads over "
                  "the roots a strain they partly escape.",
                  format_number(f.s70, 1)),
      "Strain is measured from the anatomical neutral pose; the nerve's own slack or pre-tension there (nerves are "
      "under slight tension in vivo) is not known to the model, so the values are bed elongations, not tissue "
      "strains at which fibres load.",
      "The pelvis does not rotate with the raised leg: x is hip flexion, not leg elevation. In a real SLR the pelvis "
      "tilts backwards and the lumbar spine flexes as the leg rises, so hip flexion is less than the leg angle the "
      "clinician reads.",
      "The knee part of the path is two via points, not a wrap over the condyles: the slack with a bent knee is "
      "probably somewhat larger than real. The dura, the spinal cord and neck flexion (slump test) are not modelled; "
      "(d) flexes only the lumbar joint (L5/S1, the model's one lumbar joint).",
      "The thresholds of nerve blood flow (8%, 15.7%) were measured on healthy rat and rabbit nerves. The strain that "
      "irritates a compressed or inflamed human root is not established in the sources confirmed for this scenario; "
      "Lundborg & Rydevik 1973 (J Bone Joint Surg Br 55:390-401) is often cited for ~8% but its numbers were not "
      "confirmed here.",
      "The hip cylinder radius (4 cm) and the path points are femur's estimates placed on the anatomy (hip_model.cpp), "
      "not measured on one subject; the length gain per degree of hip flexion is about the cylinder radius.",
  };
}

ScenarioResult present(const Model& model, const ScenarioParameters& P, const Findings& f) {
  return draw({
      .method = fmt::format(
          "Model '{}', the right sciatic nerve as the model's path '{}' (L4/L5 foramen, sacral ala and plexus, greater "
          "sciatic foramen, round {} behind the hip centre, posterior thigh, popliteal fossa, behind the medial "
          "malleolus, sole). Supine; hip flexion swept from 0 to {} degrees in {} steps with the knee straight (a), "
          "bent {} degrees (b), straight with {} degrees of ankle dorsiflexion (c), and straight with {} degrees of lumbar "
          "flexion (d). Strain = (L - L0) / L0 x 100% with L0 = {} m, the path length with every joint at 0 (the "
          "anatomical neutral pose): the mean strain of the whole tract if it were fixed at both ends.",
          model.name, kSciaticNerveRight, f.hip_wrap, format_number(f.max_hip, 0), f.angles.size(),
          format_number(P.get("knee_bent"), 0), format_number(P.get("dorsiflexion"), 0),
          format_number(P.get("lumbar_flexion"), 0), format_number(f.rest, 3)),
      .key_number = {"sciatic nerve strain at 70 deg straight-leg raise", f.s70, "%", 1},
      .numbers = numbers(f),
      .figures = figures(f),
      .tables = {angle_table(f)},
      .verdict = verdict(f, P),
      .literature = literature(f),
      .limits = limits(f),
  });
}

ScenarioResult run(const Model& model, const ScenarioParameters& P) {
  Statics s(model);
  Engine engine(s);
  const int nerve = s.evaluator->paths().path_index(kSciaticNerveRight);
  if (nerve < 0)
    throw ScenarioError("model '" + model.name + "' has no path '" + kSciaticNerveRight +
                        "' (femur's built-in model has one: a PathSpring from L4/L5 to the sole)");
  Findings f;
  // The cylinder that holds the nerve behind the hip, as the model has it (for the method).
  for (const WrapObject& w : model.wrap_objects)
    if (w.name == "sciatic_hip_r" && w.kind == WrapSurface::Kind::Cylinder)
      f.hip_wrap = "a " + format_number(100.0 * w.radius, 1) + " cm cylinder";
  f.max_hip = P.get("max_hip");
  f.angles = linspace(0.0, f.max_hip, P.get_int("points"));
  f.conditions = {
      {"(a) knee straight", 0, 0, 0, false, {}, {}},
      {fmt::format("(b) knee bent {} deg", format_number(P.get("knee_bent"), 0)), P.get("knee_bent"), 0, 0, false, {}, {}},
      {fmt::format("(c) knee straight + dorsiflexion {} deg", format_number(P.get("dorsiflexion"), 0)), 0,
       P.get("dorsiflexion"), 0, false, {}, {}},
      {fmt::format("(d) knee straight + lumbar flexion {} deg", format_number(P.get("lumbar_flexion"), 0)), 0, 0,
       P.get("lumbar_flexion"), true, {}, {}},
  };
  // Strain reference: the nerve's length in the anatomical neutral pose (every joint at 0),
  // which the built-in model also stores as the PathSpring's resting_length; then the sweeps.
  Task neutral;
  neutral.solve = false;
  neutral.frames = {Frame{0.0, model.default_q(), {}, {}, {}}};
  std::vector<Task> tasks = {neutral};
  for (const Condition& c : f.conditions) tasks.push_back(sweep(s, c, f.angles));
  const Results<double> r =
      engine.run<double>({Variant{}}, tasks, [&](const Outcome& o) { return o.s.evaluator->path_data().length[nerve]; });
  f.rest = r.at(0, 0);
  for (size_t c = 0; c < f.conditions.size(); ++c)
    for (double L : r.frames(0, c + 1)) {
      f.conditions[c].length.push_back(L);
      f.conditions[c].strain.push_back(100.0 * (L - f.rest) / f.rest);
    }
  summarize(f);
  ScenarioResult out = present(model, P, f);
  Posture shown{"The straight-leg raise, knee straight (the first condition); the sciatic nerve is the yellow path",
                {}, {}, "", {}};
  for (const Frame& fr : tasks[1].frames)
    add_posture_frame(shown, fr.q, fmt::format("hip flexion {} deg", format_number(fr.x, 0)));
  out.postures.push_back(std::move(shown));
  return out;
}

}  // namespace

ScenarioInfo sciatic_stretch_scenario() {
  ScenarioInfo info;
  info.name = "sciatic-stretch";
  info.title = "Sciatic nerve stretch in the straight-leg raise";
  info.summary = "supine SLR 0-90 deg: sciatic nerve elongation and strain, knee straight or bent, with dorsiflexion or "
                 "lumbar flexion, against the 30-70 deg positive band and nerve blood-flow thresholds";
  info.heading = "Sciatic nerve stretch in the straight-leg raise";
  info.question =
      "Lying on the back, the straight leg is raised: how much does that stretch the sciatic nerve, from its L4/L5 "
      "root to the sole, in the 30-70 degrees of hip flexion where a straight-leg-raise test for sciatica is called "
      "positive? Does bending the knee take the stretch off and does pulling the foot up (dorsiflexion) add to it, and "
      "is the stretch of the size that impairs a nerve's blood supply?";
  info.parameters = {
      {"knee_bent", "knee flexion of the bent-knee raise (b)", 60.0, 10.0, 110.0, "deg", false},
      {"dorsiflexion", "ankle dorsiflexion added in (c)", 15.0, 1.0, 30.0, "deg", false},
      {"lumbar_flexion", "lumbar flexion added in (d)", 20.0, 1.0, 45.0, "deg", false},
      {"max_hip", "largest hip flexion of the sweep", 90.0, 70.0, 110.0, "deg", false},
      {"points", "hip angles from 0 to max_hip", 91.0, 5.0, 221.0, "", true},
  };
  info.run = &run;
  return info;
}

}  // namespace femur::hip::detail
