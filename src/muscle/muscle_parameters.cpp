// Muscle parameters from the neutral ForceElement form, with OpenSim's defaults
// (OPENSIM-NOTES.md B.0-B.5; OpenSim/Simulation/Model/Muscle.cpp, OpenSim/Actuators/
// Thelen2003Muscle.cpp, Millard2012EquilibriumMuscle.cpp, DeGrooteFregly2016Muscle.cpp and
// the curve classes' constructProperties).
#include "femur/muscle/muscle_parameters.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "femur/model/model.hpp"

namespace femur {
namespace {

[[noreturn]] void fail(const std::string& muscle, const std::string& property, const std::string& what) {
  throw std::invalid_argument("muscle '" + muscle + "': " + property + " " + what);
}

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// Reads properties by name; remembers the muscle name for messages.
class Reader {
 public:
  explicit Reader(const ForceElement& e) : e_(e) {}

  const std::string* find(std::initializer_list<const char*> names) const {
    for (const char* n : names) {
      auto it = e_.properties.find(n);
      if (it != e_.properties.end()) return &it->second;
    }
    return nullptr;
  }

  // Number under the first of `names` present (later names are older spellings).
  void number(std::initializer_list<const char*> names, double& out) const {
    const std::string* text = find(names);
    if (!text) return;
    out = parse(*names.begin(), *text);
  }
  void optional_number(const char* name, std::optional<double>& out) const {
    if (const std::string* text = find({name})) {
      if (!trim(*text).empty()) out = parse(name, *text);
    }
  }
  void boolean(const char* name, bool& out) const {
    const std::string* text = find({name});
    if (!text) return;
    std::string t = trim(*text);
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t == "true" || t == "1") out = true;
    else if (t == "false" || t == "0") out = false;
    else fail(e_.name, name, "is '" + *text + "', expected true or false");
  }

 private:
  double parse(const char* name, const std::string& text) const {
    const std::string t = trim(text);
    double v = 0.0;
    const char* first = t.data();
    const char* last = t.data() + t.size();
    if (!t.empty() && *first == '+') ++first;
    auto [ptr, ec] = std::from_chars(first, last, v);
    if (t.empty() || ec != std::errc() || ptr != last || !std::isfinite(v))
      fail(e_.name, name, "is '" + text + "', not a number");
    return v;
  }
  const ForceElement& e_;
};

}  // namespace

std::string_view muscle_kind_name(MuscleKind kind) {
  switch (kind) {
    case MuscleKind::Thelen2003: return "Thelen2003Muscle";
    case MuscleKind::Millard2012: return "Millard2012EquilibriumMuscle";
    case MuscleKind::DeGrooteFregly2016: return "DeGrooteFregly2016Muscle";
  }
  return "";
}

std::optional<MuscleKind> muscle_kind_from_type(std::string_view type) {
  if (type == "Thelen2003Muscle") return MuscleKind::Thelen2003;
  if (type == "Millard2012EquilibriumMuscle") return MuscleKind::Millard2012;
  if (type == "DeGrooteFregly2016Muscle") return MuscleKind::DeGrooteFregly2016;
  return std::nullopt;
}

MuscleParameters default_muscle_parameters(MuscleKind kind) {
  MuscleParameters p;
  p.kind = kind;
  switch (kind) {
    case MuscleKind::Thelen2003:  // Thelen2003Muscle::constructProperties (setMinControl = a_min)
      p.activation_time_constant = 0.015;
      p.deactivation_time_constant = 0.050;
      p.minimum_activation = 0.01;
      p.min_control = 0.01;
      p.default_activation = 0.05;
      break;
    case MuscleKind::Millard2012:  // Millard2012EquilibriumMuscle::constructProperties
      p.activation_time_constant = 0.010;
      p.deactivation_time_constant = 0.040;
      p.minimum_activation = 0.01;
      p.fiber_damping = 0.1;
      p.default_activation = 0.05;
      break;
    case MuscleKind::DeGrooteFregly2016:  // DeGrooteFregly2016Muscle::constructProperties
      p.activation_time_constant = 0.015;
      p.deactivation_time_constant = 0.060;
      p.minimum_activation = 0.0;
      p.fiber_damping = 0.0;
      p.default_activation = 0.5;
      break;
  }
  return p;
}

void validate_muscle_parameters(const MuscleParameters& p) {
  const std::string& n = p.name;
  auto positive = [&](double v, const char* what) {
    if (!(v > 0.0) || !std::isfinite(v)) fail(n, what, "must be positive, got " + std::to_string(v));
  };
  auto non_negative = [&](double v, const char* what) {
    if (!(v >= 0.0) || !std::isfinite(v)) fail(n, what, "must not be negative, got " + std::to_string(v));
  };
  non_negative(p.max_isometric_force, "max_isometric_force");
  positive(p.optimal_fiber_length, "optimal_fiber_length");
  positive(p.tendon_slack_length, "tendon_slack_length");
  positive(p.max_contraction_velocity, "max_contraction_velocity");
  if (!(p.pennation_angle_at_optimal >= 0.0 && p.pennation_angle_at_optimal < std::numbers::pi / 2))
    fail(n, "pennation_angle_at_optimal", "must be in [0, pi/2), got " + std::to_string(p.pennation_angle_at_optimal));
  positive(p.activation_time_constant, "activation_time_constant");
  positive(p.deactivation_time_constant, "deactivation_time_constant");
  if (!(p.minimum_activation >= 0.0 && p.minimum_activation < 1.0))
    fail(n, "minimum_activation", "must be in [0, 1), got " + std::to_string(p.minimum_activation));
  if (!(p.min_control <= p.max_control))
    fail(n, "min_control", "must not exceed max_control");
  non_negative(p.fiber_damping, "fiber_damping");
  if (p.kind == MuscleKind::Thelen2003) {
    // Thelen2003Muscle::extendFinalizeFromProperties: minimum_activation >= 0.01.
    if (p.minimum_activation < 0.01)
      fail(n, "minimum_activation", "must be at least 0.01 for Thelen2003Muscle, got " +
                                        std::to_string(p.minimum_activation));
    positive(p.fmax_tendon_strain, "FmaxTendonStrain");
    positive(p.fmax_muscle_strain, "FmaxMuscleStrain");
    positive(p.kshape_active, "KshapeActive");
    positive(p.kshape_passive, "KshapePassive");
    positive(p.af, "Af");
    if (!(p.flen > 1.0)) fail(n, "Flen", "must exceed 1");
  }
  if (p.kind == MuscleKind::DeGrooteFregly2016) {
    positive(p.passive_fiber_strain_at_one_norm_force, "passive_fiber_strain_at_one_norm_force");
    positive(p.tendon_strain_at_one_norm_force, "tendon_strain_at_one_norm_force");
    if (!(p.active_force_width_scale >= 1.0)) fail(n, "active_force_width_scale", "must be at least 1");
  }
  if (p.kind == MuscleKind::Millard2012) {
    positive(p.tendon_force_length.strain_at_one_norm_force, "TendonForceLengthCurve/strain_at_one_norm_force");
    if (!(p.fiber_force_length.strain_at_one_norm_force > p.fiber_force_length.strain_at_zero_force))
      fail(n, "FiberForceLengthCurve/strain_at_one_norm_force", "must exceed strain_at_zero_force");
    const auto& f = p.fiber_force_length;
    const int given = f.stiffness_at_low_force.has_value() + f.stiffness_at_one_norm_force.has_value() +
                      f.curviness.has_value();
    if (given != 0 && given != 3)
      fail(n, "FiberForceLengthCurve", "optional stiffness_at_low_force, stiffness_at_one_norm_force and "
                                       "curviness must all be set or all be empty");
    const auto& t = p.tendon_force_length;
    const int tgiven = t.stiffness_at_one_norm_force.has_value() + t.norm_force_at_toe_end.has_value() +
                       t.curviness.has_value();
    if (tgiven != 0 && tgiven != 3)
      fail(n, "TendonForceLengthCurve", "optional stiffness_at_one_norm_force, norm_force_at_toe_end and "
                                        "curviness must all be set or all be empty");
  }
}

MuscleParameters make_muscle_parameters(const ForceElement& element) {
  const auto kind = muscle_kind_from_type(element.type);
  if (!kind)
    throw std::invalid_argument("force '" + element.name + "' is a " + element.type +
                                ", not a Thelen2003Muscle, Millard2012EquilibriumMuscle or DeGrooteFregly2016Muscle");
  MuscleParameters p = default_muscle_parameters(*kind);
  p.name = element.name;
  const Reader r(element);
  r.number({"max_isometric_force"}, p.max_isometric_force);
  r.number({"optimal_fiber_length"}, p.optimal_fiber_length);
  r.number({"tendon_slack_length"}, p.tendon_slack_length);
  r.number({"pennation_angle_at_optimal", "pennation_angle"}, p.pennation_angle_at_optimal);
  r.number({"max_contraction_velocity"}, p.max_contraction_velocity);
  r.boolean("ignore_tendon_compliance", p.ignore_tendon_compliance);
  r.boolean("ignore_activation_dynamics", p.ignore_activation_dynamics);
  r.number({"default_activation"}, p.default_activation);
  r.number({"default_fiber_length"}, p.default_fiber_length);
  r.number({"activation_time_constant"}, p.activation_time_constant);
  r.number({"deactivation_time_constant"}, p.deactivation_time_constant);
  r.number({"minimum_activation"}, p.minimum_activation);
  if (*kind == MuscleKind::Thelen2003) p.min_control = p.minimum_activation;
  r.number({"min_control"}, p.min_control);
  r.number({"max_control"}, p.max_control);
  r.number({"maximum_pennation_angle"}, p.maximum_pennation_angle);

  r.number({"FmaxTendonStrain"}, p.fmax_tendon_strain);
  r.number({"FmaxMuscleStrain"}, p.fmax_muscle_strain);
  r.number({"KshapeActive"}, p.kshape_active);
  r.number({"KshapePassive"}, p.kshape_passive);
  r.number({"Af"}, p.af);
  r.number({"Flen"}, p.flen);
  r.number({"fv_linear_extrap_threshold"}, p.fv_linear_extrap_threshold);

  r.number({"fiber_damping"}, p.fiber_damping);
  auto& afl = p.active_force_length;
  r.number({"ActiveForceLengthCurve/min_norm_active_fiber_length"}, afl.min_norm_active_fiber_length);
  r.number({"ActiveForceLengthCurve/transition_norm_fiber_length"}, afl.transition_norm_fiber_length);
  r.number({"ActiveForceLengthCurve/max_norm_active_fiber_length"}, afl.max_norm_active_fiber_length);
  r.number({"ActiveForceLengthCurve/shallow_ascending_slope"}, afl.shallow_ascending_slope);
  r.number({"ActiveForceLengthCurve/minimum_value"}, afl.minimum_value);
  auto& fv = p.force_velocity;
  r.number({"ForceVelocityCurve/concentric_slope_at_vmax"}, fv.concentric_slope_at_vmax);
  r.number({"ForceVelocityCurve/concentric_slope_near_vmax"}, fv.concentric_slope_near_vmax);
  r.number({"ForceVelocityCurve/isometric_slope"}, fv.isometric_slope);
  r.number({"ForceVelocityCurve/eccentric_slope_at_vmax"}, fv.eccentric_slope_at_vmax);
  r.number({"ForceVelocityCurve/eccentric_slope_near_vmax"}, fv.eccentric_slope_near_vmax);
  r.number({"ForceVelocityCurve/max_eccentric_velocity_force_multiplier"},
           fv.max_eccentric_velocity_force_multiplier);
  r.number({"ForceVelocityCurve/concentric_curviness"}, fv.concentric_curviness);
  r.number({"ForceVelocityCurve/eccentric_curviness"}, fv.eccentric_curviness);
  auto& fpe = p.fiber_force_length;
  r.number({"FiberForceLengthCurve/strain_at_zero_force"}, fpe.strain_at_zero_force);
  r.number({"FiberForceLengthCurve/strain_at_one_norm_force"}, fpe.strain_at_one_norm_force);
  r.optional_number("FiberForceLengthCurve/stiffness_at_low_force", fpe.stiffness_at_low_force);
  r.optional_number("FiberForceLengthCurve/stiffness_at_one_norm_force", fpe.stiffness_at_one_norm_force);
  r.optional_number("FiberForceLengthCurve/curviness", fpe.curviness);
  auto& tfl = p.tendon_force_length;
  r.number({"TendonForceLengthCurve/strain_at_one_norm_force"}, tfl.strain_at_one_norm_force);
  r.optional_number("TendonForceLengthCurve/stiffness_at_one_norm_force", tfl.stiffness_at_one_norm_force);
  r.optional_number("TendonForceLengthCurve/norm_force_at_toe_end", tfl.norm_force_at_toe_end);
  r.optional_number("TendonForceLengthCurve/curviness", tfl.curviness);

  r.number({"active_force_width_scale"}, p.active_force_width_scale);
  r.number({"passive_fiber_strain_at_one_norm_force"}, p.passive_fiber_strain_at_one_norm_force);
  r.number({"tendon_strain_at_one_norm_force"}, p.tendon_strain_at_one_norm_force);
  r.number({"default_normalized_tendon_force"}, p.default_normalized_tendon_force);
  r.boolean("ignore_passive_fiber_force", p.ignore_passive_fiber_force);

  validate_muscle_parameters(p);
  return p;
}

}  // namespace femur
