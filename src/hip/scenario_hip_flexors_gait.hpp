// Internal to the hip layer: the verdict of scenario `tight-hip-flexors-gait`
// (src/hip/scenario_hip_flexors_gait.cpp) as a pure function of the predicted gaits, so that a
// test can give it numbers that turn it each way without solving anything.
#pragma once

#include <string>
#include <vector>

#include "femur/report/document.hpp"

namespace femur::hip::detail {

// One predicted gait: the hip flexors' optimal fiber length shortened by `shortening_pct`.
struct FlexorGaitStep {
  double shortening_pct = 0.0;
  bool converged = false;       // IPOPT reached its tolerances
  bool walks = false;           // ocp::check_walking accepted the GRF
  std::string failure;          // why not, when !converged or !walks
  double stride_m = 0.0;        // twice the half cycle's pelvis travel
  double peak_hip_extension_deg = 0.0;  // -min(hip_flexion) over the full cycle (both legs' halves)
  double effort_per_m = 0.0;    // integral of sum |control|^3 dt over the half cycle / its distance
};

// One group of a gait study: mean and standard deviation of peak hip extension and stride at
// comfortable speed, and the group's size.
struct GroupGait {
  double extension_deg = 0.0, extension_sd_deg = 0.0;
  double stride_m = 0.0, stride_sd_m = 0.0;  // sd 0: not known (only the extension spread counts)
  int n = 0;
};

// Stride difference per degree of extension difference between two groups, in cm/deg, and the
// interval `z` standard errors either side of it: the delta method for a ratio of two
// independent differences of means, se(r)^2 = r^2 (var(dL)/dL^2 + var(dE)/dE^2), var of a
// difference = sd_a^2/n_a + sd_b^2/n_b (e.g. Casella & Berger 2002, Statistical Inference,
// sec. 5.5.4). NaN when the extension difference is zero or a group is empty.
struct SlopeInterval {
  double slope = 0.0, lo = 0.0, hi = 0.0;  // cm per degree
};
SlopeInterval group_slope_interval(const GroupGait& a, const GroupGait& b, double z);

// The rule's choices (the scenario's --set keys) and the literature's slope at its own spread.
struct FlexorGaitRule {
  double min_stride_change_m = 0.01;     // a shorter stride counts from this much (m)
  double min_extension_loss_deg = 0.5;   // the tightening must cost at least this much extension
  SlopeInterval reference;               // Kerrigan 2001: young vs healthy elderly
  double spread_z = 1.96;                // the interval's half width in standard errors (text only)
};

// The computed slope: least-squares slope of stride on peak hip extension over the steps, in cm
// of stride per degree of extension (positive: less extension, shorter stride). NaN with fewer
// than two steps or no spread in extension.
double stride_per_extension_cm_per_deg(const std::vector<FlexorGaitStep>& steps);

// Cannot answer: `missing` is not empty (the data was not found), fewer than two steps, or a
// step that did not converge or does not walk. Not supported: the tightest step lost less than
// min_extension_loss_deg of peak hip extension, or its stride is not at least
// min_stride_change_m shorter than the first step's. Supported: it is, and the slope lies within
// the reference interval [reference.lo, reference.hi]; partly: it is, outside that interval.
report::Verdict hip_flexors_gait_verdict(const std::vector<FlexorGaitStep>& steps, const FlexorGaitRule& rule,
                                         const std::string& missing);

}  // namespace femur::hip::detail
