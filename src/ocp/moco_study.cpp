// The .omoco probe and dispatch of `femur run` (ocp/moco_study.hpp).
#include "femur/ocp/moco_study.hpp"

#include <stdexcept>
#include <string_view>

#include "femur/io/xml_util.hpp"
#include "femur/ocp/moco_inverse_setup.hpp"
#include "femur/ocp/moco_track_setup.hpp"
#include "moco_setup_common.hpp"

namespace femur::ocp {

MocoStudy moco_study(const std::filesystem::path& file) {
  try {
    const io::XmlDocument doc = io::XmlDocument::load_file(file);
    const std::string_view root = detail::moco_root_object(doc).name();
    if (root == moco_study_name(MocoStudy::Inverse)) return MocoStudy::Inverse;
    if (root == moco_study_name(MocoStudy::Track)) return MocoStudy::Track;
  } catch (const std::exception&) {
  }
  return MocoStudy::None;
}

std::string_view moco_study_name(MocoStudy study) {
  switch (study) {
    case MocoStudy::Inverse: return "MocoInverse";
    case MocoStudy::Track: return "MocoTrack";
    case MocoStudy::None: break;
  }
  return "";
}

tools::RunReport run_moco_study(MocoStudy study, const std::filesystem::path& file, const tools::RunOptions& options) {
  switch (study) {
    case MocoStudy::Inverse: return run_moco_inverse_setup(read_moco_inverse_setup(file), options);
    case MocoStudy::Track: return run_moco_track_setup(read_moco_track_setup(file), options);
    case MocoStudy::None: break;
  }
  throw std::invalid_argument(file.string() + ": not a Moco MocoInverse or MocoTrack setup");
}

}  // namespace femur::ocp
