// Private helpers of the web layer: a small JSON writer (strings escaped, non-finite numbers
// as null) and base64 of binary arrays, which the scene uses for every per-frame array.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace femur::web::detail {

inline void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '<': out += "\\u003c"; break;  // never "</script>" inside an inline JSON block
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out.push_back(ch);
    }
  }
  out.push_back('"');
}

inline std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

inline std::string json_number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; }

inline std::string base64(const void* data, std::size_t bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* p = static_cast<const unsigned char*>(data);
  std::string out;
  out.reserve((bytes + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes; i += 3) {
    const std::uint32_t v = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8) | p[i + 2];
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  if (i < bytes) {
    const std::uint32_t v = (std::uint32_t{p[i]} << 16) | (i + 1 < bytes ? std::uint32_t{p[i + 1]} << 8 : 0u);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < bytes ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// A typed array as {"type": "f32", "length": n, "data": "<base64>"} (little-endian, as x86
// and the browser's typed arrays are).
template <class T>
std::string typed_array(const std::vector<T>& v) {
  static_assert(std::is_arithmetic_v<T>);
  const char* type = std::is_same_v<T, float>           ? "f32"
                     : std::is_same_v<T, std::uint16_t> ? "u16"
                     : std::is_same_v<T, std::uint32_t> ? "u32"
                                                        : nullptr;
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, std::uint16_t> || std::is_same_v<T, std::uint32_t>);
  return fmt::format("{{\"type\":\"{}\",\"length\":{},\"data\":\"{}\"}}", type, v.size(),
                     base64(v.data(), v.size() * sizeof(T)));
}

}  // namespace femur::web::detail
