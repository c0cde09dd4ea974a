// Pieces femur track and femur predict share (cmd_track.cpp).
#pragma once

#include <string>
#include <vector>

#include "femur/io/external_loads.hpp"
#include "femur/model/model.hpp"
#include "femur/ocp/contact_groups.hpp"
#include "femur/ocp/gait_collocation.hpp"

namespace femur::cli {

// One contact group per ExternalForce of --external-loads (femur/ocp/contact_groups.hpp).
using ocp::contact_groups_from_loads;
// "NAME=LO,HI" (degrees for rotational coordinates, metres for translational) into pb.
void apply_bound(const Model& model, const std::string& text, ocp::GaitProblem& pb);
// The report lines: status, iterations, time split, objective parts, worst constraint, and the
// comparison with the references when given.
std::string gait_report(const std::string& command, const ocp::GaitSolution& s, const ocp::GaitComparison* c,
                        const std::vector<ocp::ContactGroup>& groups);

}  // namespace femur::cli
