// Which Moco study an .omoco file holds, and running it: `femur run` probes a setup once and
// hands it to the MocoInverse or MocoTrack reader and runner (ocp/moco_inverse_setup.hpp,
// ocp/moco_track_setup.hpp).
//
//   if (const ocp::MocoStudy kind = ocp::moco_study(file); kind != ocp::MocoStudy::None)
//     tools::RunReport r = ocp::run_moco_study(kind, file, options);  // NAME_solution.sto ...
#pragma once

#include <filesystem>
#include <string_view>

#include "femur/tools/run_setup.hpp"

namespace femur::ocp {

enum class MocoStudy { None, Inverse, Track };

// The study of the file's root object (inside <OpenSimDocument>): <MocoInverse>, <MocoTrack>,
// or None for anything else, including a file that is not readable XML (the setup reader that
// runs next reports it).
MocoStudy moco_study(const std::filesystem::path& file);

// "MocoInverse", "MocoTrack" (as the root element is named); "" for None.
std::string_view moco_study_name(MocoStudy study);

// Reads the setup of that kind and runs it (run_moco_inverse_setup, run_moco_track_setup).
// Throws std::invalid_argument for MocoStudy::None.
tools::RunReport run_moco_study(MocoStudy study, const std::filesystem::path& file, const tools::RunOptions& options);

}  // namespace femur::ocp
