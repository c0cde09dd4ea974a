// femur's gait problem file (docs/cli.md): a predictive (or tracking) problem for
// ocp::solve_gait as plain text, one setting per line, '#' starts a comment.
//
//   time 0 0.4 0.6               initial time, final time lower and upper bound (equal: fixed)
//   mesh_intervals 50
//   bound pelvis_tilt -20 -10    coordinate bounds (deg for rotational, m for translational)
//   symmetry gait                Moco's example2DWalking symmetry pairs
//   periodic A B                 one pair: A's initial value equals B's final value
//   average_speed 1.2 pelvis_tx
//   effort 10 3 divide_by_displacement
//   tolerance 1e-4 / constraint_tolerance 1e-4 / max_iterations 1000
//
// Parse errors name the file and line: "p.txt:4: bound: 'LO' is not a number".
#pragma once

#include <filesystem>
#include <string>

#include "femur/model/model.hpp"
#include "femur/ocp/gait_collocation.hpp"

namespace femur::ocp {

// Reads the file into a GaitProblem for `model` (names checked against it). Throws
// io::ParseError-style std::runtime_error "file:line: message".
GaitProblem read_gait_problem(const std::filesystem::path& path, const Model& model);
GaitProblem parse_gait_problem(const std::string& text, const std::string& name_for_errors, const Model& model);

}  // namespace femur::ocp
