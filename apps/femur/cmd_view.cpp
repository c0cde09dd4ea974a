// femur view MODEL [--motion F] [--activations F] [--forces F] [--external-loads X]
// [--joint-reaction F] [--markers T] [--geometry-dir D]... [--port N | --export OUT.html]:
// the model, its motion, muscles and forces in 3D in the browser. Serves one page on
// 127.0.0.1 until Ctrl-C, or writes it as one self-contained file.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "femur/io/atomic_file.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/web/page.hpp"
#include "femur/web/scene.hpp"
#include "femur/web/server.hpp"
#include "femur/web/view_data.hpp"

namespace femur::cli {

void register_view_command(CLI::App& app) {
  struct Args {
    std::string model, motion, activations, forces, external_loads, joint_reaction, markers, out, title, geometry_from;
    std::vector<std::string> geometry_dirs, contact_geometry;
    double max_rate = 100.0;
    double start = -std::numeric_limits<double>::infinity();
    double end = std::numeric_limits<double>::infinity();
    int port = 0;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  auto* view = app.add_subcommand("view", "Show a model, its motion, muscles and forces in 3D in the browser");
  view->footer(
      "Examples:\n"
      "  femur view gait2392_simbody.osim --motion subject01_walk1_ik.mot  # in Pipelines/Gait2392_Simbody\n"
      "  femur view subject01_simbody_adjusted_StaticOp.osim --motion subject01_walk1_Kinematics.sto \\\n"
      "             --activations OutputReference/ResultsStaticOptimization/subject01_StaticOptimization_activation.sto \\\n"
      "             --external-loads foot_floor_loads.xml \\\n"
      "             --joint-reaction OutputReference/ResultsStaticOptimization/subject01_JointReaction_ReactionLoads.sto \\\n"
      "             --export walk.html  # in Tutorials/Estimating_Joint_Reaction_Loads\n"
      "Without --export, serves the page on http://127.0.0.1:PORT/ (a free port unless --port)\n"
      "until Ctrl-C; with --export, writes one self-contained HTML file (data and script inline)\n"
      "that opens in any browser without femur. Meshes (.vtp) are looked for in --geometry-dir,\n"
      "beside the model, in the Geometry/ folder of the model's folder and the folders above it,\n"
      "then in ../shared/opensim/Geometry; a mesh not found is drawn as a placeholder, with a\n"
      "warning in the page. Contact geometry (spheres, meshes, half spaces) is drawn with the\n"
      "model's; Moco's MODEL_ContactGeometrySet.xml beside the model is added unless\n"
      "--contact-geometry names the files. femur's hip model (femur model export-hip) has\n"
      "gait2392's body frames and no meshes: --geometry-from gait2392_thelen2003muscle.osim draws\n"
      "gait2392's bones on it.");
  view->add_option("model", args->model, "OpenSim model (.osim)")->required()->check(CLI::ExistingFile);
  view->add_option("--motion", args->motion,
                   "Motion (.mot/.sto): coordinates (IK), or states (forward, CMC, Moco solution)")
      ->check(CLI::ExistingFile);
  view->add_option("--activations", args->activations, "Muscle activations (.sto), colours the muscles")
      ->check(CLI::ExistingFile);
  view->add_option("--forces", args->forces, "Muscle forces (.sto, e.g. Static Optimization's _force.sto): "
                                             "colours the muscles by force / max isometric force")
      ->check(CLI::ExistingFile);
  view->add_option("--external-loads", args->external_loads, "ExternalLoads (.xml) naming ground reaction forces")
      ->check(CLI::ExistingFile);
  view->add_option("--joint-reaction", args->joint_reaction,
                   "Joint Reaction loads (.sto): the hip force drawn on the acetabulum")
      ->check(CLI::ExistingFile);
  view->add_option("--markers", args->markers, "Measured markers (.trc)")->check(CLI::ExistingFile);
  view->add_option("--contact-geometry", args->contact_geometry,
                   "ContactGeometrySet (.xml) added to the model's contact geometry (repeatable; default: "
                   "MODEL-STEM_ContactGeometrySet.xml beside the model, as Moco's example3DWalking keeps it)")
      ->check(CLI::ExistingFile);
  view->add_option("--geometry-from", args->geometry_from,
                   "Draw the display geometry of this .osim instead, matched by body name (a model on the same "
                   "body frames: gait2392's meshes for femur's hip model)")
      ->check(CLI::ExistingFile);
  view->add_option("--geometry-dir", args->geometry_dirs, "Folder of .vtp meshes, searched first (repeatable)")
      ->check(CLI::ExistingDirectory);
  view->add_option("--max-rate", args->max_rate, "At most this many frames per second of motion (default 100)")
      ->check(CLI::PositiveNumber);
  view->add_option("--start", args->start, "First time of the motion shown (s)");
  view->add_option("--end", args->end, "Last time of the motion shown (s)");
  view->add_option("--title", args->title, "Page title (default: the model's name)");
  auto* port = view->add_option("--port", args->port, "Port on 127.0.0.1 (default: a free one)")
                   ->check(CLI::Range(1, 65535));
  view->add_option("--export", args->out, "Write the page to this .html file instead of serving it")->excludes(port);
  view->add_flag("-q,--quiet", args->quiet, "Print nothing but errors");
  view->callback([args] {
    const auto t0 = std::chrono::steady_clock::now();
    // Contact geometry kept beside the model (Moco's examples add it with
    // Model::addContactGeometry) is drawn with the model's own.
    io::OsimReadOptions read_options;
    for (const auto& f : args->contact_geometry) read_options.contact_geometry_files.emplace_back(f);
    const bool beside = args->contact_geometry.empty();
    if (beside) read_options.contact_geometry_files = web::contact_geometry_beside(args->model);
    const Model model = io::read_osim(args->model, nullptr, nullptr, read_options);
    web::ViewFiles files;
    files.model = args->model;
    files.motion = args->motion;
    files.activations = args->activations;
    files.forces = args->forces;
    files.external_loads = args->external_loads;
    files.joint_reaction = args->joint_reaction;
    files.markers = args->markers;
    for (const auto& d : args->geometry_dirs) files.geometry_dirs.emplace_back(d);
    files.geometry_model = args->geometry_from;
    files.frames = {args->max_rate, args->start, args->end};
    web::ViewData view = web::load_view(model, files);
    if (!args->title.empty()) view.title = args->title;
    for (const auto& f : read_options.contact_geometry_files) {
      view.subtitle += ", " + f.filename().string();
      if (beside && !args->quiet)
        std::printf("femur view: contact geometry from %s (beside the model)\n", f.string().c_str());
    }
    if (!args->quiet)
      for (const auto& w : view.warnings) std::fprintf(stderr, "femur: warning: %s\n", w.c_str());
    const std::string scene = web::scene_json(model, view);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    if (!args->out.empty()) {
      const std::string page = web::standalone_page(scene, view.title);
      const std::filesystem::path out(args->out);
      if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path());
      io::write_file_atomically(out, page);
      if (!args->quiet)
        std::printf("wrote %s (%.1f MB, %d frames, %zu meshes, %.2f s)\n", args->out.c_str(), page.size() / 1e6,
                    static_cast<int>(view.time.size()), view.meshes.size(), seconds);
      return;
    }
    web::serve_view(view.title, scene, {args->port}, [&](const std::string& url) {
      std::printf("femur view: %s (%d frames, %.1f MB of scene) - open it in a browser; Ctrl-C stops\n", url.c_str(),
                  static_cast<int>(view.time.size()), scene.size() / 1e6);
      std::fflush(stdout);
    });
    if (!args->quiet) std::printf("femur view: stopped\n");
  });
}

}  // namespace femur::cli
