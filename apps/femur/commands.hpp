// Registration of the femur subcommands; one cmd_<name>.cpp per subcommand.
#pragma once

namespace CLI {
class App;
}

namespace femur::cli {

void register_model_command(CLI::App& app);  // femur model info
void register_convert_command(CLI::App& app);  // femur convert
void register_run_command(CLI::App& app);      // femur run
void register_id_command(CLI::App& app);       // femur id
void register_ik_command(CLI::App& app);       // femur ik
void register_scenario_command(CLI::App& app);  // femur scenario
void register_demo_command(CLI::App& app);      // femur demo
void register_so_command(CLI::App& app);        // femur so
void register_jr_command(CLI::App& app);        // femur jr
void register_scale_command(CLI::App& app);     // femur scale
void register_view_command(CLI::App& app);      // femur view
void register_forward_command(CLI::App& app);   // femur forward
void register_inverse_command(CLI::App& app);   // femur inverse
void register_track_command(CLI::App& app);     // femur track
void register_predict_command(CLI::App& app);   // femur predict
void register_batch_command(CLI::App& app);     // femur batch

}  // namespace femur::cli
