// femur scale --model M.osim [--marker-set MS.xml] [--markers static.trc] [--mass KG]
// [--scale SEGMENT SX SY SZ]... [--time-range A B] [--place-markers] [--static-pose P.mot]
// -o OUT.osim: OpenSim's ScaleTool without a setup file. Builds the io::ScaleSetup a
// subject01_Setup_Scale.xml would hold (GenericModelMaker, ModelScaler with a ScaleSet of
// manual scales, MarkerPlacer) and runs it through tools::run_setup, the same path as
// `femur run`. Measurement-based scaling needs a MeasurementSet: use a setup file for that.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "analyze_command.hpp"
#include "commands.hpp"
#include "femur/io/setup.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/run_setup.hpp"
#include "femur/tools/scale.hpp"

namespace femur::cli {

namespace {

constexpr const char* kCommand = "femur scale";

double parse_factor(const std::string& text, const std::string& segment) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size() && v > 0.0 && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  throw CLI::ValidationError("--scale", "scale factor '" + text + "' of segment '" + segment +
                                            "' is not a finite number greater than 0");
}

}  // namespace

void register_scale_command(CLI::App& app) {
  struct Args {
    std::string model, marker_set, markers, out, static_pose, name;
    std::vector<std::string> scales;  // groups of 4: SEGMENT SX SY SZ
    std::vector<double> time_range;
    double mass = -1.0;
    bool place = false, preserve_mass = false;
    OutputFlags flags;
  };
  auto args = std::make_shared<Args>();
  auto* sc = app.add_subcommand("scale", "Scale a generic model (manual scale factors, mass) and place its markers");
  sc->footer(
      "Example:\n"
      "  femur scale --model gait2354_simbody.osim --marker-set gait2354_Scale_MarkerSet.xml \\\n"
      "              --markers subject01_static.trc --mass 72.6 --scale pelvis 1.1 1.1 1.1 \\\n"
      "              --place-markers --static-pose static_pose.mot -o subject01_simbody.osim\n"
      "--scale may be repeated (one body each). Without --place-markers the scaled model is\n"
      "written; with it, the model with its markers moved onto the static trial (every marker\n"
      "of the trial that the model has, weight 1), as OpenSim's MarkerPlacer does. Without\n"
      "--time-range the whole static trial is averaged.\n"
      "Scaling from marker distances needs a MeasurementSet: use `femur run Setup_Scale.xml`.");
  sc->add_option("--model", args->model, "Generic OpenSim model (.osim)")->required()->check(CLI::ExistingFile);
  sc->add_option("--marker-set", args->marker_set, "MarkerSet XML that replaces/extends the model's markers")
      ->check(CLI::ExistingFile);
  sc->add_option("--markers", args->markers, "Static trial marker trajectories (.trc), for --place-markers")
      ->check(CLI::ExistingFile);
  sc->add_option("--mass", args->mass, "Subject mass in kg (default: keep the model's)")->check(positive_number());
  sc->add_option("--scale", args->scales, "Manual scale of one body: SEGMENT SX SY SZ (repeatable)")
      ->type_size(4)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sc->add_flag("--preserve-mass-distribution", args->preserve_mass,
               "Keep every body's mass when scaling (only --mass rescales them)");
  add_time_range(*sc, args->time_range, "Time range of the static trial to average, in s (default: all of it)");
  sc->add_flag("--place-markers", args->place, "Run the marker placer on the static trial (needs --markers)");
  sc->add_option("--static-pose", args->static_pose, "Write the placer's static pose here (.mot; needs --place-markers)");
  sc->add_option("--name", args->name, "Name of the scaled model (default: the generic model's)");
  sc->add_option("-o,--out", args->out, "Output model (.osim; its folder is created)")->required();
  add_output_flags(*sc, args->flags);
  sc->callback([args] {
    if (args->place && args->markers.empty())
      throw CLI::ValidationError("--place-markers", "needs --markers STATIC.trc");
    if (!args->static_pose.empty() && !args->place)
      throw CLI::ValidationError("--static-pose", "needs --place-markers");

    io::ScaleSetup setup;
    setup.name = args->name;
    setup.file = kCommand;
    setup.mass = args->mass;
    setup.generic_model_maker.present = true;
    setup.generic_model_maker.model_file = command_line_file(args->model, "model_file", kCommand);
    if (!args->marker_set.empty())
      setup.generic_model_maker.marker_set_file = command_line_file(args->marker_set, "marker_set_file", kCommand);

    io::ModelScaler& ms = setup.model_scaler;
    ms.present = true;
    ms.apply = true;
    ms.preserve_mass_distribution = args->preserve_mass;
    for (std::size_t i = 0; i + 3 < args->scales.size(); i += 4) {
      io::ManualScale s;
      s.segment = args->scales[i];
      for (int k = 0; k < 3; ++k) s.scales[k] = parse_factor(args->scales[i + 1 + k], s.segment);
      ms.scale_set.push_back(s);
    }
    if (!ms.scale_set.empty()) ms.scaling_order.push_back("manualScale");
    // Without --time-range, the whole static trial (a setup's default, -1 -1, is one frame).
    ms.time_range = {-io::kInf, io::kInf};
    if (!args->markers.empty()) {
      ms.marker_file = command_line_file(args->markers, "marker_file", kCommand);
      const io::MarkerTable trial = io::read_trc(args->markers);
      if (trial.frames() > 0)
        check_time_range(args->time_range, trial.time[0], trial.time[trial.frames() - 1], args->markers);
    }
    if (args->time_range.size() == 2) ms.time_range = {args->time_range[0], args->time_range[1]};

    const io::FileRef out = command_line_file(args->out, "output_model_file", kCommand);
    if (args->place) {
      io::MarkerPlacer& mp = setup.marker_placer;
      mp.present = true;
      mp.apply = true;
      mp.marker_file = command_line_file(args->markers, "marker_file", kCommand);
      mp.time_range = ms.time_range;
      mp.output_model_file = out;
      if (!args->static_pose.empty())
        mp.output_motion_file = command_line_file(args->static_pose, "output_motion_file", kCommand);
      // Every marker of the trial that the (generic) model has, weight 1, as `femur ik` does
      // without a setup; the order is the model's.
      const Model model = tools::generic_model(setup);
      const io::MarkerTable trial = io::read_trc(args->markers);
      for (const Marker& m : model.markers) {
        if (trial.marker(m.name) < 0) continue;
        io::IkTask task;
        task.kind = io::IkTask::Kind::marker;
        task.name = m.name;
        task.weight = 1.0;
        mp.tasks.push_back(task);
      }
      if (mp.tasks.empty())
        throw std::runtime_error(args->markers + ": no marker of the trial is a marker of model " + args->model);
    } else {
      ms.output_model_file = out;
    }

    tools::RunOptions options;
    options.quiet = args->flags.quiet;
    options.verbose = args->flags.verbose;
    const tools::RunReport report = tools::run_setup(io::SetupFile(setup), options);
    print_warnings(report.warnings, args->flags);
    print_summary(args->flags, "scale", report.files_written, report.frames, report.seconds, report.warnings,
                  fmt::format("scale: {:.3f} s", report.seconds));
  });
}

}  // namespace femur::cli
