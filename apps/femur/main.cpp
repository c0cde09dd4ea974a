// femur: the command-line front end. Each subcommand lives in cmd_<name>.cpp and registers
// itself here; its callback does the work. Exceptions become a message on stderr and exit
// code 1; usage errors (CLI11's, io::UsageError) exit with 2.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "femur/io/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"femur: musculoskeletal simulation for the hip, pelvis and low back"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "femur 0.1.0");
  femur::cli::register_model_command(app);
  femur::cli::register_convert_command(app);
  femur::cli::register_run_command(app);
  femur::cli::register_id_command(app);
  femur::cli::register_ik_command(app);
  femur::cli::register_scenario_command(app);
  femur::cli::register_demo_command(app);
  femur::cli::register_so_command(app);
  femur::cli::register_jr_command(app);
  femur::cli::register_scale_command(app);
  femur::cli::register_view_command(app);
  femur::cli::register_forward_command(app);
  femur::cli::register_inverse_command(app);
  femur::cli::register_track_command(app);
  femur::cli::register_predict_command(app);
  femur::cli::register_batch_command(app);
  // Usage errors in one form: "femur: error: ..." and where to look.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return std::string("femur: error: ") + e.what() + "\nRun with --help for more information.\n";
  });
  // An unknown subcommand is named (CLI11 says only "A subcommand is required").
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    std::string names;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      known = known || sub->get_name() == argv[1];
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      std::fprintf(stderr, "femur: error: unknown command '%s'; the commands are %s (femur --help)\n", argv[1],
                   names.c_str());
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const femur::io::UsageError& e) {
    std::fprintf(stderr, "femur: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "femur: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
