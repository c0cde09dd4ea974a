#include "setup_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "femur/io/error.hpp"

namespace femur::io::detail {
namespace fs = std::filesystem;

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// OpenSim writes numbers with printf and reads them with strtod-like parsers (SimTK::Xml
// getValueAs), so "Inf", "-Inf", "inf", "infinity" and "NaN" are all numbers.
bool parse_double(const std::string& token, double& out) {
  if (token.empty()) return false;
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(token.c_str(), &end);
  if (end == token.c_str() || *end != '\0') return false;
  out = v;
  return true;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

fs::path resolve_path(const fs::path& dir, std::string text) {
  text = trim(text);
  if (text.empty() || text == "Unassigned") return {};
  // Setups are shared between Windows and Unix (setup_JointReaction.xml names
  // "ResultsStaticOptimization\subject01_StaticOptimization_force.sto").
  std::replace(text.begin(), text.end(), '\\', '/');
  const fs::path p(text);
  if (p.is_absolute()) return p.lexically_normal();
  // A Windows drive path ("C:/Users/...", subject01_Setup_JointReaction_from_SO.xml) is
  // absolute too; joining it to `dir` would only make a misleading name.
  if (text.size() >= 3 && std::isalpha(static_cast<unsigned char>(text[0])) && text[1] == ':' && text[2] == '/')
    return p;
  fs::path out = (dir / p).lexically_normal();
  // "./" names the folder itself: drop the trailing separator lexically_normal leaves.
  if (out.filename().empty() && out.has_relative_path()) out = out.parent_path();
  return out;
}

OsimXmlReader::OsimXmlReader(fs::path base_dir, std::vector<std::string>* warnings)
    : base_dir_(std::move(base_dir)), warnings_(warnings) {}

Node OsimXmlReader::open(const fs::path& file, int* version) {
  docs_.push_back(XmlDocument::load_file(file));
  const XmlDocument& doc = docs_.back();
  Node root{doc.root(), &doc};
  int v = 0;
  if (root.name() == "OpenSimDocument") {
    const std::string vs = root.attribute("Version");
    if (const auto d = document_version(vs)) v = *d;
    pugi::xml_node data = root.el.first_child();
    while (data && data.type() != pugi::node_element) data = data.next_sibling();
    if (!data) fail(root, "<OpenSimDocument> holds no object");
    root.el = data;
  }
  if (version) *version = v;
  return root;
}

Node OsimXmlReader::object(Node n) {
  const std::string file = trim(n.attribute("file"));
  if (file.empty()) return n;
  // Object::readObjectFromXMLNodeOrFile: the included file is opened relative to the current
  // directory, which the tools set to the setup's folder.
  const fs::path path = resolve_path(base_dir_, file);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    fail(n, fmt::format("<{}>: included file not found: {}", n.name(), path.string()));
  Node root = open(path, nullptr);
  if (root.name() != n.name())
    fail(n, fmt::format("<{}>: included file {} holds a <{}>, expected <{}>", n.name(),
                        path.string(), root.name(), n.name()));
  return root;
}

std::vector<Node> OsimXmlReader::children(Node n) const {
  std::vector<Node> out;
  for (pugi::xml_node c = n.el.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element) out.push_back({c, n.doc});
  return out;
}

int OsimXmlReader::line(Node n) const { return n.doc ? n.doc->line_of(n.el) : 0; }

void OsimXmlReader::fail(Node n, const std::string& message) const {
  throw ParseError(n.doc ? n.doc->file() : std::string(), line(n), message);
}

void OsimXmlReader::warn(Node n, const std::string& message) const {
  if (!warnings_) return;
  warnings_->push_back(fmt::format("{}:{}: {}", n.doc ? n.doc->file() : std::string(), line(n), message));
}

void OsimXmlReader::unknown(Node n, std::string_view owner) const {
  warn(n, fmt::format("<{}> is not a known property of {}, ignored", n.name(), owner));
}

std::string OsimXmlReader::text(Node n) const { return trim(n.el.child_value()); }

void OsimXmlReader::read(Node n, double& out) const {
  const std::string t = text(n);
  if (t.empty()) return;
  double v = 0;
  if (!parse_double(t, v)) fail(n, fmt::format("<{}>: expected a number, got '{}'", n.name(), t));
  out = v;
}

void OsimXmlReader::read(Node n, int& out) const {
  const std::string t = text(n);
  if (t.empty()) return;
  double v = 0;
  // The range (which NaN fails) before the cast: casting NaN or Inf is undefined behaviour.
  if (!parse_double(t, v) || !(v >= -2147483648.0 && v <= 2147483647.0) || v != std::trunc(v))
    fail(n, fmt::format("<{}>: expected an integer, got '{}'", n.name(), t));
  out = static_cast<int>(v);
}

void OsimXmlReader::read(Node n, bool& out) const {
  const std::string t = text(n);
  if (t.empty()) return;
  const std::string l = lower(t);
  if (l == "true" || l == "1") {
    out = true;
  } else if (l == "false" || l == "0") {
    out = false;
  } else {
    fail(n, fmt::format("<{}>: expected true or false, got '{}'", n.name(), t));
  }
}

void OsimXmlReader::read(Node n, std::string& out) const {
  const std::string t = text(n);
  out = t == "Unassigned" ? std::string() : t;
}

void OsimXmlReader::read(Node n, std::vector<std::string>& out) const { out = split_words(n.el.child_value()); }

void OsimXmlReader::read(Node n, std::vector<double>& out) const {
  out.clear();
  for (const std::string& w : split_words(n.el.child_value())) {
    double v = 0;
    if (!parse_double(w, v)) fail(n, fmt::format("<{}>: expected a number, got '{}'", n.name(), w));
    out.push_back(v);
  }
}

void OsimXmlReader::fail_count(Node n, std::size_t expected, std::size_t got) const {
  fail(n, fmt::format("<{}>: expected {} numbers, got {} ('{}')", n.name(), expected, got, text(n)));
}

FileRef OsimXmlReader::file_ref(Node n, const std::string& written) const {
  FileRef f;
  f.written = trim(written);
  f.path = resolve_path(base_dir_, f.written);
  f.element = std::string(n.name());
  f.source = n.doc ? n.doc->file() : std::string();
  f.line = line(n);
  return f;
}

void OsimXmlReader::read(Node n, FileRef& out) const { out = file_ref(n, text(n)); }

void OsimXmlReader::read(Node n, std::vector<FileRef>& out) const {
  out.clear();
  for (const std::string& w : split_words(n.el.child_value())) {
    FileRef f = file_ref(n, w);
    if (!f.empty()) out.push_back(std::move(f));
  }
}

}  // namespace femur::io::detail
