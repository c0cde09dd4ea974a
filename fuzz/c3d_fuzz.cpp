// libFuzzer target for the C3D reader: any byte string must give a C3dFile or a ParseError,
// never a crash, an out-of-bounds read, or an allocation larger than the input justifies.
//
//   clang++-14 -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
//     -I/usr/include/eigen3 fuzz/c3d_fuzz.cpp src/io/c3d.cpp src/io/c3d_forceplate.cpp \
//     src/io/error.cpp -o c3d_fuzz
//   ./c3d_fuzz -max_len=200000 -rss_limit_mb=512 corpus/   # seed corpus: walking*.c3d
#include <cstddef>
#include <cstdint>
#include <span>

#include "femur/io/c3d.hpp"
#include "femur/io/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const femur::io::C3dFile c3d = femur::io::parse_c3d(std::span<const std::uint8_t>(data, size), "fuzz.c3d");
    // Touch the results so that the sanitizers see every buffer.
    volatile double sink = 0;
    if (c3d.points.size() > 0) sink = sink + c3d.points(c3d.points.rows() - 1, c3d.points.cols() - 1);
    if (c3d.analogs.size() > 0) sink = sink + c3d.analogs(c3d.analogs.rows() - 1, c3d.analogs.cols() - 1);
    for (const auto& fp : c3d.force_plates)
      if (fp.cop.rows() > 0) sink = sink + fp.cop(fp.cop.rows() - 1, 0);
  } catch (const femur::io::ParseError&) {
  }
  return 0;
}
