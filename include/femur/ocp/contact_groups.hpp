// The contact groups of GRF tracking (Moco's MocoContactTrackingGoalGroup) from an ExternalLoads
// file, as `femur track --external-loads` builds them: one group per ExternalForce that applies a
// force, holding the model's SmoothSphereHalfSpaceForces whose sphere sits on that force's body
// or on a child of it (example3DWalking's toe spheres with calcn_r, as the example's
// alternative frame /bodyset/toes_r), tracked against the reference columns of its
// force_identifier.
//
//   const io::ExternalLoads xml = io::read_external_loads(file);
//   pb.grf_groups = ocp::contact_groups_from_loads(model, xml, file.string());
#pragma once

#include <string>
#include <vector>

#include "femur/io/external_loads.hpp"
#include "femur/model/model.hpp"
#include "femur/ocp/gait_collocation.hpp"

namespace femur::ocp {

// Throws std::runtime_error "FILE:LINE: ExternalForce 'NAME': ..." for a force not expressed in
// ground (GRF tracking compares ground-frame forces) or whose body carries no contact sphere.
std::vector<ContactGroup> contact_groups_from_loads(const Model& model, const io::ExternalLoads& xml,
                                                    const std::string& file);

}  // namespace femur::ocp
