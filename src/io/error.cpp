#include "femur/io/error.hpp"

namespace femur::io {
namespace {
std::string place(const std::string& file, int line, int column) {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line);
  if (line > 0 && column > 0) s += ":" + std::to_string(column);
  return s;
}
}  // namespace

ParseError::ParseError(std::string file, int line, const std::string& message, int column)
    : std::runtime_error(place(file, line, column) + ": " + message),
      file_(std::move(file)),
      line_(line),
      column_(column),
      message_(message) {}

}  // namespace femur::io
