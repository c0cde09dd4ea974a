#include "femur/tools/run_setup.hpp"

#include "femur/tools/cmc_tool.hpp"
#include "femur/tools/forward_tool.hpp"
#include "femur/tools/inverse_dynamics.hpp"
#include "femur/tools/joint_reaction.hpp"
#include "femur/tools/inverse_kinematics.hpp"
#include "femur/tools/scale.hpp"

#include <stdexcept>
#include <type_traits>

namespace femur::tools {

namespace {
[[noreturn]] void not_supported(const io::SetupFile& setup) {
  throw std::runtime_error(io::tool_name(setup) + " setups are not supported by femur run yet");
}
}  // namespace

RunReport run_setup(const io::SetupFile& setup, const RunOptions& options) {
  // One branch per tool; each calls its adapter (src/tools/<tool>_setup.cpp) once written.
  return std::visit(
      [&](const auto& s) -> RunReport {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, io::InverseKinematicsSetup>) {
          return run_inverse_kinematics_setup(s, options);
        } else if constexpr (std::is_same_v<T, io::InverseDynamicsSetup>) {
          return run_inverse_dynamics_setup(s, options);
        } else if constexpr (std::is_same_v<T, io::AnalyzeSetup>) {
          return run_analyze_setup(s, options);
        } else if constexpr (std::is_same_v<T, io::ScaleSetup>) {
          return run_scale_setup(s, options);
        } else if constexpr (std::is_same_v<T, io::ForwardSetup>) {
          return run_forward_setup(s, options);
        } else if constexpr (std::is_same_v<T, io::RraSetup>) {
          return run_rra_setup(s, options);
        } else if constexpr (std::is_same_v<T, io::CmcSetup>) {
          return run_cmc_setup(s, options);
        } else {
          not_supported(setup);
        }
        (void)s;
        (void)options;
      },
      setup);
}

}  // namespace femur::tools
