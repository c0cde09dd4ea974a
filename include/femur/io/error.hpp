// The one exception type of the io layer: a bad input file, with the place and the cause,
// formatted "file:line: message" (line and column omitted when unknown). UsageError: a
// request refused before any work (exit code 2).
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

// A command asked for something it must not do, found before any work (an output file that
// is one of its inputs, an option out of range). The CLI exits with code 2 for it, as for
// other usage errors, and 1 for every other error.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace femur::io
