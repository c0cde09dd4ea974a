// Private to the setup and ExternalLoads readers: walking OpenSim "Object" XML (properties as
// child elements, Sets as <objects>/<groups>, file="..." includes) with file:line messages.
#pragma once

#include <array>
#include <deque>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "femur/io/setup.hpp"
#include "femur/io/xml_util.hpp"

namespace femur::io::detail {

// An element and the document it came from (the setup, or a file it includes).
struct Node {
  pugi::xml_node el;
  const XmlDocument* doc = nullptr;

  std::string_view name() const { return el.name(); }
  std::string attribute(const char* key) const { return el.attribute(key).value(); }
  explicit operator bool() const { return static_cast<bool>(el); }
};

class OsimXmlReader {
 public:
  // Relative paths (and included files) are resolved against `base_dir`.
  OsimXmlReader(std::filesystem::path base_dir, std::vector<std::string>* warnings);

  // Loads `file` and returns its data root: the element inside <OpenSimDocument>, or the root
  // itself. `version` gets the OpenSimDocument Version (0 when absent).
  Node open(const std::filesystem::path& file, int* version);

  // An object-valued element: if it has file="x.xml", the root object of that file instead.
  Node object(Node n);

  std::vector<Node> children(Node n) const;
  int line(Node n) const;
  [[noreturn]] void fail(Node n, const std::string& message) const;
  void warn(Node n, const std::string& message) const;
  // "file:LINE: <element> is not a known property of Owner, ignored"
  void unknown(Node n, std::string_view owner) const;

  // Calls f(child) for each object of a Set (children of <objects>); <groups> is skipped and
  // any other child is reported as unknown for `set_type`.
  template <class F>
  void for_each_object(Node set, std::string_view set_type, F&& f) {
    for (Node c : children(object(set))) {
      if (c.name() == "objects") {
        for (Node o : children(c)) f(object(o));
      } else if (c.name() != "groups") {
        unknown(c, set_type);
      }
    }
  }
  // The same for a Set of one object type: any other object is warned about and skipped.
  template <class F>
  void for_each_object(Node set, std::string_view set_type, std::string_view object_type, F&& f) {
    for_each_object(set, set_type, [&](Node o) {
      if (o.name() == object_type) f(o);
      else warn(o, fmt::format("<{}> is not a {}, ignored", o.name(), object_type));
    });
  }

  // ---- Property values. An element with empty text keeps the value passed in (OpenSim keeps
  // the default for an empty numeric property), except lists, which become empty.
  std::string text(Node n) const;  // trimmed
  void read(Node n, double& out) const;
  void read(Node n, int& out) const;
  void read(Node n, bool& out) const;
  void read(Node n, std::string& out) const;
  void read(Node n, std::vector<std::string>& out) const;
  void read(Node n, std::vector<double>& out) const;
  template <std::size_t N>
  void read(Node n, std::array<double, N>& out) const {
    std::vector<double> v;
    read(n, v);
    if (v.empty()) return;
    if (v.size() != N) fail_count(n, N, v.size());
    for (std::size_t i = 0; i < N; ++i) out[i] = v[i];
  }
  void read(Node n, FileRef& out) const;
  void read(Node n, std::vector<FileRef>& out) const;  // whitespace-separated file names

  // A FileRef for `text` as named by element `n` (resolved against base_dir).
  FileRef file_ref(Node n, const std::string& text) const;
  const std::filesystem::path& base_dir() const { return base_dir_; }

 private:
  [[noreturn]] void fail_count(Node n, std::size_t expected, std::size_t got) const;

  std::filesystem::path base_dir_;
  std::vector<std::string>* warnings_;
  std::deque<XmlDocument> docs_;  // deque: nodes of earlier documents stay valid
};

// Resolves a path written in an OpenSim file: trimmed, `\` read as `/`, relative paths
// joined to `dir`. "" and "Unassigned" give an empty path.
std::filesystem::path resolve_path(const std::filesystem::path& dir, std::string text);

// ---- One reader per tool (setup_*.cpp); `root` is the tool element.
InverseKinematicsSetup read_inverse_kinematics(OsimXmlReader& r, Node root);
InverseDynamicsSetup read_inverse_dynamics(OsimXmlReader& r, Node root);
ScaleSetup read_scale(OsimXmlReader& r, Node root);
AnalyzeSetup read_analyze(OsimXmlReader& r, Node root);
ForwardSetup read_forward(OsimXmlReader& r, Node root);
CmcSetup read_cmc(OsimXmlReader& r, Node root);
RraSetup read_rra(OsimXmlReader& r, Node root);

std::vector<IkTask> read_ik_task_set(OsimXmlReader& r, Node set);

// Sets an unset results_directory to "./" (Tool/AbstractTool default): the setup folder.
void default_results_directory(OsimXmlReader& r, Node root, FileRef& dir);
// Re-resolves an output file name inside `dir` (Storage::printResult(store, name, dir, ...)).
void in_results_directory(const FileRef& dir, FileRef& f);

// ExternalLoads body, shared with check_inputs_exist (which resolves the datafile itself).
ExternalLoads read_external_loads_root(OsimXmlReader& r, Node root);

}  // namespace femur::io::detail
