// Plausible models and a scenario rerun over them (population.hpp).
#include "femur/hip/population.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace femur::hip {
namespace {

// SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators",
// OOPSLA): a counter-based generator, so that model i's draws depend on (seed, i) alone and on
// no library's distribution code.
class Draws {
 public:
  Draws(std::uint64_t seed, int index) : state_(seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(index) + 1) {
    for (int i = 0; i < 4; ++i) next();
  }
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in (0, 1).
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
  // Standard normal (Box & Muller 1958), one of each pair.
  double normal() { return std::sqrt(-2.0 * std::log(uniform())) * std::cos(6.283185307179586 * uniform()); }

 private:
  std::uint64_t state_;
};

std::string format_number_pct(double cv) { return report::format_number(100.0 * cv, 1); }

double factor(Draws& d, double cv) { return std::clamp(1.0 + cv * d.normal(), 0.2, 3.0); }

bool starts_with(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }

bool moved_muscle(const std::string& name) {
  for (std::string_view p : {"glut_med", "glut_min", "iliacus", "psoas"})
    if (starts_with(name, p)) return true;
  return false;
}

// 5th, 50th and 95th percentiles (linear between order statistics, Hyndman & Fan 1996 type 7).
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return std::nan("");
  const double h = p * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// What one model gave.
struct Outcome {
  report::VerdictStatus status = report::VerdictStatus::NotSupported;
  std::map<std::string, double> numbers;  // label -> value, measured numbers only
};

Outcome outcome_of(const report::Section& r) {
  Outcome o;
  o.status = r.verdict.status;
  if (r.key_number.measured()) o.numbers[r.key_number.label] = r.key_number.value;
  for (const report::Number& n : r.numbers)
    if (n.measured()) o.numbers.emplace(n.label, n.value);
  return o;
}

}  // namespace

std::string describe_spread(const PopulationSpread& s) {
  return fmt::format(
      "max isometric force of every muscle x (1 + {}% z) (Stebbings et al. 2014, Muscle Nerve 49:879-886: "
      "between-subject CV of vastus lateralis PCSA 17.2% in 73 men); attachment points of the gluteus medius, minimus, "
      "iliacus and psoas moved by {} mm RMS on the pelvis and {} mm on the femur (J Biomech 31(1):77-80, 1998: "
      "attachments of 52 skeletons against the normative model); optimal fiber length x (1 + {}% z) and tendon slack "
      "length x (1 + {}% z){} (z standard normal, independent per muscle and point)",
      format_number_pct(s.strength_cv * s.scale), report::format_number(1000 * s.pelvis_attachment_rms * s.scale, 1),
      report::format_number(1000 * s.femur_attachment_rms * s.scale, 1), format_number_pct(s.fiber_cv * s.scale),
      format_number_pct(s.slack_cv * s.scale),
      s.fiber_cv == 0.0 && s.slack_cv == 0.0 ? ", no published between-subject spread confirmed for these two" : "");
}

Model plausible_model(const Model& model, const PopulationSpread& spread, std::uint64_t seed, int index) {
  Model out = model;
  if (index < 0 || spread.scale == 0.0) return out;
  Draws d(seed, index);
  const double k = spread.scale;
  for (ForceElement& f : out.forces) {
    auto* p = std::get_if<MuscleParameters>(&f.part);
    if (!p) continue;
    // Draw all three whatever the CVs, so that one CV set to 0 leaves the others' draws as they were.
    const double fs = factor(d, k * spread.strength_cv), fl = factor(d, k * spread.fiber_cv),
                 ts = factor(d, k * spread.slack_cv);
    p->max_isometric_force *= fs;
    p->optimal_fiber_length *= fl;
    p->tendon_slack_length *= ts;
  }
  for (const PathSpec& path : out.paths.paths) {
    if (!moved_muscle(path.name) || path.point_count < 2) continue;
    for (int end : {path.point_begin, path.point_begin + path.point_count - 1}) {
      PathPointSpec& pt = out.paths.points[static_cast<size_t>(end)];
      const std::string& body = out.bodies[static_cast<size_t>(pt.body)].name;
      const double rms = starts_with(body, "pelvis") ? spread.pelvis_attachment_rms
                         : starts_with(body, "femur") ? spread.femur_attachment_rms
                                                       : 0.0;
      const Vec3 z(d.normal(), d.normal(), d.normal());
      if (pt.kind != PathPoint::Kind::Fixed || rms == 0.0) continue;
      // Isotropic: the same in the body frame and in its joint frame M, where compiled points live.
      pt.location_in_M += (k * rms / std::sqrt(3.0)) * z;
    }
  }
  return out;
}

report::Population run_population(const ScenarioInfo& scenario, const Model& model, const ScenarioParameters& parameters,
                                  const report::Section& as_run, int samples, std::uint64_t seed,
                                  const PopulationSpread& spread, int threads) {
  if (!scenario.population)
    throw ScenarioError("scenario '" + scenario.name + "' is not a static one: it cannot be rerun over a population");
  report::Population pop;
  pop.samples = std::max(samples, 0);
  pop.seed = seed;
  pop.spread = spread.scale;
  pop.varied = describe_spread(spread);
  if (pop.samples == 0) return pop;
  std::vector<Outcome> outcomes(static_cast<size_t>(pop.samples));
  const int n_threads = std::clamp(threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency()), 1,
                                   pop.samples);
  std::atomic<int> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (int i = next++; i < pop.samples; i = next++) {
      try {
        const Model m = plausible_model(model, spread, seed, i);
        outcomes[static_cast<size_t>(i)] = outcome_of(scenario.run(m, parameters));
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        next = pop.samples;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < n_threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);

  for (const Outcome& o : outcomes) ++pop.verdicts[static_cast<size_t>(o.status)];
  auto spread_of_number = [&](const report::Number& n) {
    report::Spread s{n.label, n.unit, n.decimals, n.value, 0, 0, 0, 0};
    std::vector<double> v;
    for (const Outcome& o : outcomes)
      if (const auto it = o.numbers.find(n.label); it != o.numbers.end()) v.push_back(it->second);
    std::sort(v.begin(), v.end());
    s.models = static_cast<int>(v.size());
    s.median = percentile(v, 0.5);
    s.low = percentile(v, 0.05);
    s.high = percentile(v, 0.95);
    return s;
  };
  if (as_run.key_number.measured()) pop.numbers.push_back(spread_of_number(as_run.key_number));
  for (const report::Number& n : as_run.numbers)
    if (n.measured() && n.label != as_run.key_number.label) pop.numbers.push_back(spread_of_number(n));
  return pop;
}

std::vector<ParameterSpec> population_parameters(int default_samples) {
  return {
      {"samples", "plausible models to rerun the scenario on (0: none)", static_cast<double>(default_samples), 0.0,
       100000.0, "", true},
      {"seed", "seed of the population's draws", 1.0, 0.0, 1e9, "", true},
      {"spread", "scale of all the published spreads (0: every model is the given one)", 1.0, 0.0, 3.0, "", false},
      {"strength_cv", "max isometric force spread, SD / mean (Stebbings 2014: PCSA CV 17.2%)", 17.2, 0.0, 100.0, "%", false},
      {"fiber_cv", "optimal fiber length spread, SD / mean (no published value confirmed)", 0.0, 0.0, 100.0, "%", false},
      {"slack_cv", "tendon slack length spread, SD / mean (no published value confirmed)", 0.0, 0.0, 100.0, "%", false},
  };
}

PopulationSpread spread_of(const ScenarioParameters& p) {
  PopulationSpread s;
  s.scale = p.get("spread");
  s.strength_cv = p.get("strength_cv") / 100.0;
  s.fiber_cv = p.get("fiber_cv") / 100.0;
  s.slack_cv = p.get("slack_cv") / 100.0;
  return s;
}

}  // namespace femur::hip
