// libFuzzer target for the TRC reader: any text gives a MarkerTable or a ParseError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "femur/io/error.hpp"
#include "femur/io/table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const femur::io::MarkerTable t =
        femur::io::parse_trc(std::string(reinterpret_cast<const char*>(data), size), "fuzz.trc");
    volatile double sink = t.data.size() > 0 ? t.data(t.data.rows() - 1, t.data.cols() - 1) : 0.0;
    (void)sink;
  } catch (const femur::io::ParseError&) {
  }
  return 0;
}
