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
