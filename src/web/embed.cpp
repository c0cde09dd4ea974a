// Frames computed in memory as an embedded view (embed.hpp).
#include "femur/web/embed.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "femur/web/page.hpp"
#include "femur/web/scene.hpp"
#include "femur/web/view_data.hpp"

namespace femur::web {

std::string embedded_frames_view(const Model& model, const FramesView& frames, const std::string& id,
                                 const std::string& height_css) {
  const Eigen::Index n = frames.q.rows();
  if (!frames.labels.empty() && static_cast<Eigen::Index>(frames.labels.size()) != n)
    throw std::invalid_argument(fmt::format("embedded_frames_view: {} labels for {} frames", frames.labels.size(), n));
  // One second per frame: played at 1x, a sweep of postures shows one posture a second.
  ViewData view = view_from_frames(model, Eigen::VectorXd::LinSpaced(n, 0.0, static_cast<double>(n - 1)), frames.q);
  view.title = frames.title;
  view.frame_labels = frames.labels;
  if (frames.reaction_joint >= 0) {
    if (frames.reaction_joint >= static_cast<int>(model.joints.size()) || frames.reaction_force_in_ground.rows() != n)
      throw std::invalid_argument(fmt::format("embedded_frames_view: joint {} with {} forces for {} frames",
                                              frames.reaction_joint, frames.reaction_force_in_ground.rows(), n));
    view.joint_reactions.push_back({frames.reaction_joint, 0, frames.reaction_force_in_ground, "the scenario"});
  }
  return embedded_view(scene_json(model, view), id, height_css);
}

}  // namespace femur::web
