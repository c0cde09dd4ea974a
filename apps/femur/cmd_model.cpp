// femur model info FILE [--json]: what a model file contains.
#include <CLI/CLI.hpp>

#include "commands.hpp"

namespace femur::cli {

void register_model_command(CLI::App& app) {
  auto* model = app.add_subcommand("model", "Inspect a model file");
  model->require_subcommand(1);
}

}  // namespace femur::cli
