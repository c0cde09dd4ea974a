// Verdicts with their uncertainty (issue 18 item 7): a static scenario rerun over a population of
// plausible models, each the given model with its muscle parameters and the abductor and
// iliopsoas attachment points drawn from published spreads. The report then gives the share of
// models behind each verdict and the 90% interval of each number.
//
//   const femur::hip::ScenarioInfo& s = femur::hip::require_scenario("glute-med-weakness");
//   femur::hip::ScenarioParameters p = femur::hip::resolve_parameters(s, {"samples=200"});
//   femur::hip::ScenarioResult r = femur::hip::run_scenario(s, model, p);   // r.population filled
//
// The draws of model i depend only on (seed, i): the same seed gives the same population on any
// number of threads.
#pragma once

#include <cstdint>
#include <string>

#include "femur/hip/scenario.hpp"
#include "femur/model/model.hpp"
#include "femur/report/document.hpp"

namespace femur::hip {

// The spreads the population is drawn from: normal, independent per muscle and per point, each
// times `scale` (0: every model is the given one).
//  - max isometric force, SD / mean: 17.2%, the between-subject coefficient of variation of
//    vastus lateralis physiological cross-sectional area in 73 healthy untrained men (Stebbings
//    GK, Morse CI, Williams AG, Day SH (2014) Variability and distribution of muscle strength and
//    its determinants in humans, Muscle Nerve 49:879-886, abstract; their MVC torque varied by
//    18.9%). The one muscle's spread stands for every muscle's. (Barker et al. 2014, Clin Anat
//    27:234-240, give a gluteus maximus PCSA range of 16-36 cm^2 around 26 cm^2 in 11 embalmed
//    limbs, about 24% if read as 3.17 SD: the same order.)
//  - attachment points of the gluteus medius, gluteus minimus, iliacus and psoas (the first and
//    last fixed point of each path, on the pelvis or a femur): RMS distance 8.6 mm on the pelvis
//    and 6.5 mm on the femur between 52 dried skeletons' digitized muscle attachments and the
//    scaled normative model ("A three-dimensional musculoskeletal database for the lower
//    extremities", J Biomech 31(1):77-80, 1998, abstract; pure.psu.edu), drawn isotropic with
//    SD = RMS / sqrt(3) per axis.
//  - optimal fiber length and tendon slack length: no between-subject spread could be confirmed
//    with the search tool (Ward et al. 2009, Clin Orthop Relat Res 467:1074-1082, measured fiber
//    lengths in 21 limbs; their SDs were not readable), so their CV is 0 unless set.
struct PopulationSpread {
  double strength_cv = 0.172;
  double fiber_cv = 0.0;
  double slack_cv = 0.0;
  double pelvis_attachment_rms = 0.0086, femur_attachment_rms = 0.0065;  // m
  double scale = 1.0;
};

// The sources above, in one sentence for the report.
std::string describe_spread(const PopulationSpread& spread);

// Model `index` of the population around `model`: max isometric force, optimal fiber length and
// tendon slack length of every muscle scaled by 1 + cv z (z standard normal, the factor kept
// within [0.2, 3]); the attachment points moved in the compiled paths (model.paths, what the
// tools evaluate; the paths as written are kept). index < 0: the model unchanged.
Model plausible_model(const Model& model, const PopulationSpread& spread, std::uint64_t seed, int index);

// The scenario rerun on `samples` plausible models on all cores (`threads` <= 0: the hardware's
// count), with the parameters as given: the verdict share, and the median and 90% interval
// (5th-95th percentile) of the key number and of every number `as_run` measured. Throws
// ScenarioError if the scenario is not a static one (ScenarioInfo::population).
report::Population run_population(const ScenarioInfo& scenario, const Model& model,
                                  const ScenarioParameters& parameters, const report::Section& as_run, int samples,
                                  std::uint64_t seed, const PopulationSpread& spread, int threads = 0);

// The population keys every static scenario accepts (appended to its parameters by the
// registry): samples (default `default_samples`, what `femur demo` runs: chosen per scenario
// by its cost so that the demo stays under 2 s), seed, spread, strength_cv, fiber_cv, slack_cv.
std::vector<ParameterSpec> population_parameters(int default_samples);
// The spread the parameters ask for.
PopulationSpread spread_of(const ScenarioParameters& parameters);

}  // namespace femur::hip
