#include "femur/io/xml_util.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "femur/io/error.hpp"

namespace femur::io {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string quoted_name(pugi::xml_node element) {
  std::string s = fmt::format("<{}>", element.name());
  const char* owner_name = element.attribute("name").value();
  if (*owner_name == '\0') owner_name = element.parent().attribute("name").value();
  if (*owner_name != '\0') s += fmt::format(" of '{}'", owner_name);
  return s;
}

}  // namespace

std::optional<double> parse_number(std::string_view token) {
  token = trim(token);
  if (token.empty()) return std::nullopt;
  const std::string s(token);
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0') return std::nullopt;
  return v;  // out-of-range values come back as +-HUGE_VAL, like OpenSim's own reader
}

std::optional<int> document_version(std::string_view text) {
  const auto v = parse_number(text);
  if (!v || !(*v >= 0.0 && *v <= 1e9)) return std::nullopt;
  return static_cast<int>(*v);
}

XmlDocument XmlDocument::load_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) throw ParseError(file.string(), 0, "is a directory, not a file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ParseError(file.string(), 0, "cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return load_string(ss.str(), file.string());
}

XmlDocument XmlDocument::load_string(std::string text, std::string file_label) {
  XmlDocument d;
  d.file_ = std::move(file_label);
  d.text_ = std::move(text);
  d.index_lines();
  d.doc_ = std::make_unique<pugi::xml_document>();
  // Comments, processing instructions and whitespace-only text are dropped: the readers only
  // look at elements and their trimmed text.
  const pugi::xml_parse_result result =
      d.doc_->load_buffer(d.text_.data(), d.text_.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!result) {
    throw ParseError(d.file_, d.line_of_offset(result.offset),
                     fmt::format("malformed XML: {}", result.description()));
  }
  if (!d.doc_->document_element()) throw ParseError(d.file_, 1, "malformed XML: no root element");
  return d;
}

void XmlDocument::index_lines() {
  line_starts_.clear();
  line_starts_.push_back(0);
  // memchr, not a byte loop: this runs over every document read (a 2 MB model in ~0.2 ms), and
  // under the fuzzers' coverage instrumentation the byte loop was 15% of osim_fuzz's time.
  const char* const begin = text_.data();
  const char* const end = begin + text_.size();
  for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr;)
    line_starts_.push_back(static_cast<std::size_t>(++p - begin));
}

int XmlDocument::line_of_offset(std::ptrdiff_t offset) const {
  if (offset < 0) return 0;
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(),
                                   static_cast<std::size_t>(offset));
  return static_cast<int>(it - line_starts_.begin());
}

int XmlDocument::line_of(pugi::xml_node node) const {
  // pugixml keeps element names inside the (copied, same-layout) buffer, so the debug offset
  // is the byte offset in the original text. Text nodes report their parent element.
  while (node && node.type() != pugi::node_element) node = node.parent();
  if (!node) return 0;
  return line_of_offset(node.offset_debug());
}

std::string XmlDocument::where(pugi::xml_node node) const {
  return fmt::format("{}:{}", file_, line_of(node));
}

void XmlDocument::fail(pugi::xml_node node, const std::string& message) const {
  throw ParseError(file_, line_of(node), message);
}

std::string XmlDocument::text(pugi::xml_node element) {
  return std::string(trim(element.child_value()));
}

std::vector<std::string> XmlDocument::words(pugi::xml_node element) const {
  std::vector<std::string> out;
  for (auto w : split_words(element.child_value())) out.emplace_back(w);
  return out;
}

std::vector<double> XmlDocument::doubles(pugi::xml_node element) const {
  std::vector<double> out;
  for (auto w : split_words(element.child_value())) {
    const auto v = parse_number(w);
    if (!v) fail(element, fmt::format("{}: '{}' is not a number", quoted_name(element), w));
    out.push_back(*v);
  }
  return out;
}

double XmlDocument::number(pugi::xml_node element) const {
  const auto w = split_words(element.child_value());
  const auto v = w.size() == 1 ? parse_number(w[0]) : std::nullopt;
  if (!v)
    fail(element, fmt::format("{}: expected a number, found '{}'", quoted_name(element), text(element)));
  return *v;
}

int XmlDocument::integer(pugi::xml_node element) const {
  const double v = number(element);
  // Range and NaN are checked before any cast: converting NaN, an infinity or a value outside
  // int's range is undefined behaviour (osim_fuzz found <display_preference> NaN).
  if (!(v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max()) || v != std::trunc(v))
    fail(element, fmt::format("{}: expected an integer, found '{}'", quoted_name(element), text(element)));
  return static_cast<int>(v);
}

Vec3 XmlDocument::vec3(pugi::xml_node element) const {
  const auto v = doubles(element);
  if (v.size() != 3)
    fail(element, fmt::format("{}: expected 3 numbers, found {} ('{}')", quoted_name(element),
                              v.size(), text(element)));
  return {v[0], v[1], v[2]};
}

bool XmlDocument::boolean(pugi::xml_node element) const {
  std::string t = text(element);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "true" || t == "1") return true;
  if (t == "false" || t == "0") return false;
  fail(element, fmt::format("{}: expected true or false, found '{}'", quoted_name(element), text(element)));
}

double XmlDocument::child_number(pugi::xml_node parent, const char* name, double fallback) const {
  const auto c = parent.child(name);
  if (!c || text(c).empty()) return fallback;
  return number(c);
}

Vec3 XmlDocument::child_vec3(pugi::xml_node parent, const char* name, const Vec3& fallback) const {
  const auto c = parent.child(name);
  if (!c) return fallback;
  return vec3(c);
}

bool XmlDocument::child_bool(pugi::xml_node parent, const char* name, bool fallback) const {
  const auto c = parent.child(name);
  if (!c || text(c).empty()) return fallback;
  return boolean(c);
}

std::string XmlDocument::child_text(pugi::xml_node parent, const char* name) const {
  return text(parent.child(name));
}

std::optional<std::vector<double>> XmlDocument::child_doubles(pugi::xml_node parent,
                                                              const char* name, int count) const {
  const auto c = parent.child(name);
  if (!c) return std::nullopt;
  auto v = doubles(c);
  if (count >= 0 && static_cast<int>(v.size()) != count)
    fail(c, fmt::format("{}: expected {} numbers, found {} ('{}')", quoted_name(c), count, v.size(),
                        text(c)));
  return v;
}

}  // namespace femur::io
