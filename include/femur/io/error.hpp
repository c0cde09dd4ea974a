// The one exception type of the io layer: a bad input file, with the place and the cause,
// formatted "file:line: message" (line and column omitted when unknown).
#pragma once

#include <stdexcept>
#include <string>

namespace femur::io {

class ParseError : public std::runtime_error {
 public:
  ParseError(std::string file, int line, const std::string& message, int column = 0);

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  // The cause alone, without the place.
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  int line_ = 0;
  int column_ = 0;
  std::string message_;
};

}  // namespace femur::io
