// ControlSet files. Properties and defaults: OpenSim/Simulation/Control/Control.cpp
// (is_model_control, extrapolate, default_min 0.02, default_max 1.0, filter_on),
// ControlLinear.cpp (use_steps, x_nodes, min_nodes, max_nodes, kp, kv), ControlConstant.cpp
// (value), ControlLinearNode.cpp (t, value).
#include "femur/io/control_set.hpp"

#include <cmath>
#include <iterator>
#include <limits>
#include <string_view>

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "setup_reader.hpp"

namespace femur::io {
namespace detail {
namespace {

std::vector<ControlNode> read_nodes(OsimXmlReader& r, Node list, const std::string& control) {
  std::vector<ControlNode> nodes;
  for (Node n : r.children(list)) {
    if (n.name() != "ControlLinearNode") {
      r.unknown(n, fmt::format("<{}> of ControlLinear '{}'", list.name(), control));
      continue;
    }
    ControlNode node;
    bool has_t = false;
    for (Node c : r.children(n)) {
      if (c.name() == "t") {
        r.read(c, node.t);
        has_t = true;
      } else if (c.name() == "value") {
        r.read(c, node.value);
      } else {
        r.unknown(c, "ControlLinearNode");
      }
    }
    if (!has_t) r.fail(n, fmt::format("<ControlLinearNode> of ControlLinear '{}' has no <t>", control));
    // A node at a time or with a value that is not finite has no meaning (setup_fuzz found
    // <t>NaN</t> and <value>Inf</value> accepted; the controls then fed NaN into the muscles).
    if (!std::isfinite(node.t) || !std::isfinite(node.value))
      r.fail(n, fmt::format("ControlLinear '{}': <{}> node has {} {} that is not finite", control, list.name(),
                            std::isfinite(node.t) ? "value" : "time",
                            std::isfinite(node.t) ? node.value : node.t));
    // ControlLinear::searchBinary assumes nodes in time order.
    if (!nodes.empty() && node.t < nodes.back().t)
      r.fail(n, fmt::format("ControlLinear '{}': <{}> node at t = {} comes after one at t = {}; node times must "
                            "not decrease",
                            control, list.name(), node.t, nodes.back().t));
    nodes.push_back(node);
  }
  return nodes;
}

bool read_control_common(OsimXmlReader& r, Node c, ControlLinear& out) {
  const auto k = c.name();
  if (k == "is_model_control") r.read(c, out.is_model_control);
  else if (k == "extrapolate") r.read(c, out.extrapolate);
  else if (k == "default_min") r.read(c, out.default_min);
  else if (k == "default_max") r.read(c, out.default_max);
  else if (k == "filter_on") r.read(c, out.filter_on);
  else return false;
  return true;
}

ControlLinear read_control_linear(OsimXmlReader& r, Node o) {
  ControlLinear out;
  out.name = o.attribute("name");
  out.line = r.line(o);
  if (out.name.empty()) r.fail(o, "<ControlLinear> has no name (it must name an actuator)");
  for (Node c : r.children(o)) {
    const auto k = c.name();
    if (read_control_common(r, c, out)) continue;
    if (k == "use_steps") r.read(c, out.use_steps);
    else if (k == "x_nodes") out.x_nodes = read_nodes(r, c, out.name);
    else if (k == "min_nodes") out.min_nodes = read_nodes(r, c, out.name);
    else if (k == "max_nodes") out.max_nodes = read_nodes(r, c, out.name);
    else if (k == "kp" || k == "kv") continue;  // the curvature filter's gains; inert in OpenSim 4
    else r.unknown(c, "ControlLinear");
  }
  return out;
}

// ControlConstant::getControlValue returns its value at every time: one node.
ControlLinear read_control_constant(OsimXmlReader& r, Node o) {
  ControlLinear out;
  out.name = o.attribute("name");
  out.line = r.line(o);
  if (out.name.empty()) r.fail(o, "<ControlConstant> has no name (it must name an actuator)");
  double value = 0.0;
  for (Node c : r.children(o)) {
    if (read_control_common(r, c, out)) continue;
    if (c.name() == "value") r.read(c, value);
    else r.unknown(c, "ControlConstant");
  }
  out.x_nodes = {{0.0, value}};
  return out;
}

}  // namespace
}  // namespace detail

int ControlSet::index(const std::string& name) const {
  for (size_t i = 0; i < controls.size(); ++i)
    if (controls[i].name == name) return static_cast<int>(i);
  return -1;
}

ControlSet read_control_set(const std::filesystem::path& file, std::vector<std::string>* warnings) {
  detail::OsimXmlReader r(file.parent_path(), warnings);
  ControlSet set;
  set.file = file;
  const detail::Node root = r.open(file, &set.document_version);
  if (root.name() != "ControlSet") r.fail(root, fmt::format("<{}> is not a ControlSet", root.name()));
  set.name = root.attribute("name");
  for (detail::Node c : r.children(root)) {
    const auto k = c.name();
    if (k == "defaults" || k == "groups") continue;  // per-type defaults; groups name members only
    if (k != "objects") {
      r.unknown(c, "ControlSet");
      continue;
    }
    for (detail::Node o0 : r.children(c)) {
      const detail::Node o = r.object(o0);
      ControlLinear control;
      if (o.name() == "ControlLinear") control = detail::read_control_linear(r, o);
      else if (o.name() == "ControlConstant") control = detail::read_control_constant(r, o);
      else r.fail(o, fmt::format("<{}> is not a control femur reads (ControlLinear, ControlConstant)", o.name()));
      if (const int previous = set.index(control.name); previous >= 0)
        r.fail(o, fmt::format("control '{}' is defined twice (first at line {})", control.name,
                              set.controls[static_cast<size_t>(previous)].line));
      set.controls.push_back(std::move(control));
    }
  }
  return set;
}

ControlSet control_set_from_table(const Table& table, const std::filesystem::path& file) {
  ControlSet set;
  set.name = table.name;
  set.file = file;
  for (int c = 0; c < table.cols(); ++c) {
    ControlLinear control;
    control.name = table.labels[static_cast<size_t>(c)];
    control.use_steps = false;
    control.x_nodes.reserve(static_cast<size_t>(table.rows()));
    for (int i = 0; i < table.rows(); ++i) {
      if (!control.x_nodes.empty() && table.time[i] < control.x_nodes.back().t)
        throw ParseError(file.string(), 0,
                         fmt::format("row {}: time {} comes before the row above it ({}); controls must be in time "
                                     "order",
                                     i + 1, table.time[i], control.x_nodes.back().t));
      control.x_nodes.push_back({table.time[i], table.data(i, c)});
    }
    set.controls.push_back(std::move(control));
  }
  return set;
}

namespace {
std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}
// Shortest text that reads back to the same double (fmt's default), Inf as OpenSim writes it.
void number(fmt::memory_buffer& out, double v) {
  if (v == std::numeric_limits<double>::infinity()) fmt::format_to(std::back_inserter(out), "Inf");
  else if (v == -std::numeric_limits<double>::infinity()) fmt::format_to(std::back_inserter(out), "-Inf");
  else fmt::format_to(std::back_inserter(out), "{}", v);
}
void text(fmt::memory_buffer& out, std::string_view s) { out.append(s.data(), s.data() + s.size()); }
void nodes(fmt::memory_buffer& out, const char* tag, const std::vector<ControlNode>& list) {
  if (list.empty()) {
    fmt::format_to(std::back_inserter(out), "\t\t\t\t<{}/>\n", tag);
    return;
  }
  fmt::format_to(std::back_inserter(out), "\t\t\t\t<{}>\n", tag);
  for (const ControlNode& n : list) {
    text(out, "\t\t\t\t\t<ControlLinearNode>\n\t\t\t\t\t\t<t>");
    number(out, n.t);
    text(out, "</t>\n\t\t\t\t\t\t<value>");
    number(out, n.value);
    text(out, "</value>\n\t\t\t\t\t</ControlLinearNode>\n");
  }
  fmt::format_to(std::back_inserter(out), "\t\t\t\t</{}>\n", tag);
}
const char* flag(bool b) { return b ? "true" : "false"; }
}  // namespace

std::string format_control_set(const ControlSet& set) {
  fmt::memory_buffer out;
  text(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<OpenSimDocument Version=\"40000\">\n");
  fmt::format_to(std::back_inserter(out), "\t<ControlSet name=\"{}\">\n\t\t<objects>\n", xml_escape(set.name));
  for (const ControlLinear& c : set.controls) {
    fmt::format_to(std::back_inserter(out), "\t\t\t<ControlLinear name=\"{}\">\n", xml_escape(c.name));
    fmt::format_to(std::back_inserter(out), "\t\t\t\t<is_model_control>{}</is_model_control>\n", flag(c.is_model_control));
    fmt::format_to(std::back_inserter(out), "\t\t\t\t<extrapolate>{}</extrapolate>\n", flag(c.extrapolate));
    text(out, "\t\t\t\t<default_min>");
    number(out, c.default_min);
    text(out, "</default_min>\n\t\t\t\t<default_max>");
    number(out, c.default_max);
    text(out, "</default_max>\n");
    fmt::format_to(std::back_inserter(out), "\t\t\t\t<filter_on>{}</filter_on>\n", flag(c.filter_on));
    fmt::format_to(std::back_inserter(out), "\t\t\t\t<use_steps>{}</use_steps>\n", flag(c.use_steps));
    nodes(out, "x_nodes", c.x_nodes);
    nodes(out, "min_nodes", c.min_nodes);
    nodes(out, "max_nodes", c.max_nodes);
    text(out, "\t\t\t</ControlLinear>\n");
  }
  text(out, "\t\t</objects>\n\t\t<groups />\n\t</ControlSet>\n</OpenSimDocument>\n");
  return fmt::to_string(out);
}

}  // namespace femur::io
