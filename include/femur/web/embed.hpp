// Frames computed in memory (a posture, a sweep of postures, a motion) as a 3D view another
// page embeds: the same page code as `femur view`, the scene inline. femur demo's report
// shows each scenario's posture with it.
//
//   femur::web::FramesView v{"Single-leg stance", {"upright"}, q_row, hip_joint, force_row};
//   html += femur::web::embedded_frames_view(model, v, "posture-1");
//   ... once, after the views: "<script>" + femur::web::viewer_script() + "</script>"
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "femur/model/model.hpp"

namespace femur::web {

struct FramesView {
  std::string title;
  std::vector<std::string> labels;  // one per frame, shown in the timeline (may be empty)
  Eigen::MatrixXd q;                // frames x model.nq (rad, m)
  int reaction_joint = -1;          // joint whose reaction is drawn (-1: none)
  // frames x 3 (N, ground): what the joint's child applies to its parent (for a hip: the
  // femoral head on the acetabulum); NaN rows draw no arrow.
  Eigen::MatrixX3d reaction_force_in_ground;
};

// The <div> and its inline scene. Throws std::invalid_argument for sizes that disagree.
std::string embedded_frames_view(const Model& model, const FramesView& view, const std::string& id,
                                 const std::string& height_css = "440px");

}  // namespace femur::web
