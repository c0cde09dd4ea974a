// Pieces femur track and femur predict share (cmd_track.cpp).
#pragma once

#include <string>
#include <vector>

#include "femur/io/external_loads.hpp"
#include "femur/model/model.hpp"
#include "femur/ocp/gait_collocation.hpp"

namespace femur::cli {

// One contact group per ExternalForce: the model's SmoothSphereHalfSpaceForces whose sphere is on
// its applied_to_body, tracked against its force_identifier columns.
std::vector<ocp::ContactGroup> contact_groups_from_loads(const Model& model, const io::ExternalLoads& xml,
                                                         const std::string& file);
// "NAME=LO,HI" (degrees for rotational coordinates, metres for translational) into pb.
void apply_bound(const Model& model, const std::string& text, ocp::GaitProblem& pb);
// The report lines: status, iterations, time split, objective parts, worst constraint, and the
// comparison with the references when given.
std::string gait_report(const std::string& command, const ocp::GaitSolution& s, const ocp::GaitComparison* c,
                        const std::vector<ocp::ContactGroup>& groups);

}  // namespace femur::cli
