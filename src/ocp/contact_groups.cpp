// GRF tracking's contact groups from an ExternalLoads file (ocp/contact_groups.hpp).
#include "femur/ocp/contact_groups.hpp"

#include <stdexcept>
#include <variant>

#include <fmt/format.h>

namespace femur::ocp {

std::vector<ContactGroup> contact_groups_from_loads(const Model& model, const io::ExternalLoads& xml,
                                                    const std::string& file) {
  std::vector<ContactGroup> groups;
  for (const io::ExternalForce& ef : xml.forces) {
    if (!ef.applies_force) continue;
    if (ef.force_expressed_in_body != "ground")
      throw std::runtime_error(fmt::format("{}:{}: ExternalForce '{}': GRF tracking needs forces expressed in ground",
                                           file, ef.line, ef.name));
    ContactGroup g;
    g.reference_prefix = ef.force_identifier;
    for (const ForceElement& f : model.forces) {
      const auto* s = std::get_if<SmoothSphereHalfSpaceForce>(&f.part);
      if (!s || !f.applies_force) continue;
      // The sphere's body or its parent: the toes' spheres count with calcn_r (example3DWalking's
      // MocoContactTrackingGoalGroup names /bodyset/toes_r as its alternative frame).
      const int body = model.contact_geometry[static_cast<size_t>(s->sphere)].body;
      const int parent = model.bodies[static_cast<size_t>(body)].parent;
      if (model.bodies[static_cast<size_t>(body)].name == ef.applied_to_body ||
          (parent > 0 && model.bodies[static_cast<size_t>(parent)].name == ef.applied_to_body))
        g.forces.push_back(f.name);
    }
    if (g.forces.empty())
      throw std::runtime_error(fmt::format("{}:{}: ExternalForce '{}': no SmoothSphereHalfSpaceForce of the model has "
                                           "its sphere on body '{}'",
                                           file, ef.line, ef.name, ef.applied_to_body));
    groups.push_back(std::move(g));
  }
  return groups;
}

}  // namespace femur::ocp
