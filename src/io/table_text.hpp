// Private helpers of the STO/MOT and TRC readers and writers (src/io/sto.cpp, trc.cpp):
// whole-file reading, line iteration, number parsing with std::from_chars and number
// formatting with std::to_chars. Not part of the public API.
#pragma once

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace femur::io::detail {

// The whole file in one string (one allocation, one read). Throws ParseError on failure.
std::string read_text_file(const std::filesystem::path& path);

inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_blank(s.front()) || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// Walks a text buffer line by line; `line` excludes the '\n' and a trailing '\r'.
struct LineCursor {
  const char* pos;
  const char* end;
  int number = 0;  // 1-based number of the line last returned by next()

  LineCursor(const char* begin, const char* end_) : pos(begin), end(end_) {}
  explicit LineCursor(std::string_view text) : pos(text.data()), end(text.data() + text.size()) {}

  bool next(std::string_view& line) {
    if (pos >= end) return false;
    const char* nl = static_cast<const char*>(std::memchr(pos, '\n', static_cast<size_t>(end - pos)));
    const char* stop = nl ? nl : end;
    const char* last = stop;
    if (last > pos && last[-1] == '\r') --last;
    line = std::string_view(pos, static_cast<size_t>(last - pos));
    pos = nl ? nl + 1 : end;
    ++number;
    return true;
  }
  // Number of lines left (an upper bound on the data rows still to come).
  size_t lines_left() const {
    if (pos >= end) return 0;
    size_t n = 0;
    for (const char* p = pos; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))); ++p)
      ++n;
    return n + 1;
  }
};

// Parses a double at [first, last) as strtod would (leading '+', nan, inf, infinity,
// subnormal and out-of-range values included) but without locale or allocation.
// Returns the end of the number, or nullptr when no number starts at `first`.
inline const char* parse_double(const char* first, const char* last, double& value) {
  const char* p = first;
  // std::from_chars rejects a leading '+' that strtod accepts.
  if (p < last && *p == '+' && p + 1 < last && p[1] != '-' && p[1] != '+') ++p;
  auto [ptr, ec] = std::from_chars(p, last, value);
  if (ec == std::errc()) return ptr;
  if (ec == std::errc::result_out_of_range) {
    // from_chars leaves `value` untouched; strtod gives +-HUGE_VAL or the underflowed value.
    std::string copy(first, ptr);
    value = std::strtod(copy.c_str(), nullptr);
    return ptr;
  }
  return nullptr;
}

// Significant digits of a number as std::to_chars writes it ("-1.25e-07" -> 3).
inline int significant_digits(const char* first, const char* last) {
  int n = 0;
  bool leading = true;
  for (const char* p = first; p < last && *p != 'e'; ++p) {
    if (*p < '0' || *p > '9') continue;
    if (leading && *p == '0') continue;
    leading = false;
    ++n;
  }
  return n;
}

// Writes `value` with at most `precision` significant digits: the shortest text that reads
// back as exactly `value` when it has no more digits than that (always so at 17), else
// `value` rounded to `precision` digits in %g style. precision <= 0: always the shortest
// exact text. NaN and infinities are written as OpenSim writes and reads them ("NaN",
// "Inf"). `out` must have room for 32 + precision characters. Returns the end of the text.
inline char* format_double(char* out, double value, int precision) {
  if (std::isnan(value)) {
    std::memcpy(out, "NaN", 3);
    return out + 3;
  }
  if (std::isinf(value)) {
    if (value < 0) *out++ = '-';
    std::memcpy(out, "Inf", 3);
    return out + 3;
  }
  char* stop = out + 32 + (precision > 0 ? precision : 0);
  char* end = std::to_chars(out, stop, value).ptr;  // shortest round-trip form
  if (precision <= 0 || significant_digits(out, end) <= precision) return end;
  return std::to_chars(out, stop, value, std::chars_format::general, precision).ptr;
}

// The shortest text that reads back as `value` (for messages).
inline std::string format_number(double value) {
  char buf[64];
  return std::string(buf, format_double(buf, value, 0));
}

}  // namespace femur::io::detail
