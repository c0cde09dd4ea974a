// What the .omoco readers (moco_inverse_setup.cpp, moco_track_setup.cpp) share: the study's
// root element and paths taken from the setup's folder, as OpenSim resolves them.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "femur/io/xml_util.hpp"

namespace femur::ocp::detail {

// The study element: the first element inside <OpenSimDocument>, or the document's root.
inline pugi::xml_node moco_root_object(const io::XmlDocument& doc) {
  pugi::xml_node root = doc.root();
  if (std::string_view(root.name()) == "OpenSimDocument") root = root.first_child();
  while (root && root.type() != pugi::node_element) root = root.next_sibling();
  return root;
}

// Whether `file` is XML whose study element is <tool> (false for anything unreadable: the
// setup reader reports it).
inline bool is_moco_study(const std::filesystem::path& file, std::string_view tool) {
  try {
    const io::XmlDocument doc = io::XmlDocument::load_file(file);
    return std::string_view(moco_root_object(doc).name()) == tool;
  } catch (const std::exception&) {
    return false;
  }
}

inline std::filesystem::path relative_to(const std::filesystem::path& setup, const std::string& path) {
  const std::filesystem::path p(path);
  return p.is_absolute() ? p : setup.parent_path() / p;
}

}  // namespace femur::ocp::detail
