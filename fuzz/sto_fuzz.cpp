// libFuzzer target for the STO/MOT reader: any text gives a Table or a ParseError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "femur/io/error.hpp"
#include "femur/io/table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const femur::io::Table t = femur::io::parse_sto(std::string(reinterpret_cast<const char*>(data), size), "fuzz.sto");
    volatile double sink = t.data.size() > 0 ? t.data(t.rows() - 1, t.cols() - 1) : 0.0;
    (void)sink;
  } catch (const femur::io::ParseError&) {
  }
  return 0;
}
