// XmlDocument: a pugixml document that keeps its source text, so every element can be
// turned into "file:line" and every number read from it is checked, with errors that name
// the file, the line and the element (the habit of mujoco: src/xml/xml_util.cc).
// Used by the .osim reader and the setup-file readers.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "femur/math/spatial.hpp"

namespace femur::io {

class XmlDocument {
 public:
  // Reads and parses a file; malformed XML throws ParseError at the line pugixml stopped.
  static XmlDocument load_file(const std::filesystem::path& file);
  // Parses text; `file_label` is the name used in messages.
  static XmlDocument load_string(std::string text, std::string file_label);

  XmlDocument(XmlDocument&&) noexcept = default;
  XmlDocument& operator=(XmlDocument&&) noexcept = default;

  const std::string& file() const { return file_; }
  pugi::xml_node root() const { return doc_->document_element(); }

  // 1-based line of an element (0 if unknown).
  int line_of(pugi::xml_node node) const;
  int line_of_offset(std::ptrdiff_t offset) const;
  // "file:line" of an element, for the `where` fields of the model builder.
  std::string where(pugi::xml_node node) const;

  // Throws ParseError(file, line of `node`, message).
  [[noreturn]] void fail(pugi::xml_node node, const std::string& message) const;

  // ---- Reading an element's own text. Errors name the element.
  static std::string text(pugi::xml_node element);  // trimmed
  std::vector<double> doubles(pugi::xml_node element) const;
  std::vector<std::string> words(pugi::xml_node element) const;
  double number(pugi::xml_node element) const;  // exactly one number
  int integer(pugi::xml_node element) const;
  Vec3 vec3(pugi::xml_node element) const;      // exactly three numbers
  bool boolean(pugi::xml_node element) const;   // true/false (any case) or 1/0

  // ---- Reading an optional child element `name` of `parent`, with a default when absent.
  double child_number(pugi::xml_node parent, const char* name, double fallback) const;
  Vec3 child_vec3(pugi::xml_node parent, const char* name, const Vec3& fallback) const;
  bool child_bool(pugi::xml_node parent, const char* name, bool fallback) const;
  std::string child_text(pugi::xml_node parent, const char* name) const;
  // The child's numbers, checked to have `count` entries when the child exists.
  std::optional<std::vector<double>> child_doubles(pugi::xml_node parent, const char* name,
                                                   int count = -1) const;

 private:
  XmlDocument() = default;
  void index_lines();

  std::string file_;
  std::string text_;
  std::vector<std::size_t> line_starts_;
  std::unique_ptr<pugi::xml_document> doc_;
};

// Parses one number as OpenSim writes them ("1.5", "-Inf", "NaN"); nullopt if not a number.
std::optional<double> parse_number(std::string_view token);

// An <OpenSimDocument> Version attribute ("40000", "30000.0") as an int; nullopt when it is not
// a number from 0 to 1e9. NaN and out-of-range values are refused before any cast (casting
// them is undefined behaviour; osim_fuzz found Version="NaN").
std::optional<int> document_version(std::string_view text);

}  // namespace femur::io
