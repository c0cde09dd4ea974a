// libFuzzer target for the C3D reader: any byte string must give a C3dFile or a ParseError,
// never a crash, an out-of-bounds read, or an allocation larger than the input justifies.
//
//   clang++-14 -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
//     -I/usr/include/eigen3 fuzz/c3d_fuzz.cpp src/io/c3d.cpp src/io/c3d_forceplate.cpp \
//     src/io/error.cpp -o c3d_fuzz
//   ./c3d_fuzz -max_len=200000 -rss_limit_mb=512 corpus/   # seed corpus: walking*.c3d
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <span>

#include "femur/io/c3d.hpp"
#include "femur/io/error.hpp"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

// Half of the mutations write a bad number into a valid file: a float NaN, Inf, -Inf,
// FLT_MAX or 1e30 (either byte order), or an int16 extreme, at an even offset; a block of
// the file copied over another (a repeated frame). The other half are libFuzzer's own.
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  std::mt19937 rng(seed);
  if (size >= 8 && rng() % 2 == 0) {
    const size_t at = (std::uniform_int_distribution<size_t>(0, size - 4)(rng)) & ~size_t{1};
    static const std::uint32_t kFloats[] = {0x7fc00000u, 0x7f800000u, 0xff800000u, 0x7f7fffffu, 0x7149f2cau};
    switch (rng() % 3) {
      case 0: {
        std::uint32_t bits = kFloats[rng() % std::size(kFloats)];
        if (rng() % 2) bits = __builtin_bswap32(bits);
        if (at + 4 <= size) std::memcpy(data + at, &bits, 4);
        break;
      }
      case 1: {
        const std::int16_t v = rng() % 2 ? 32767 : -32768;
        std::memcpy(data + at, &v, 2);
        break;
      }
      default: {
        const size_t len = std::min<size_t>(size / 4, 1 + rng() % 512);
        const size_t from = std::uniform_int_distribution<size_t>(0, size - len)(rng);
        const size_t to = std::uniform_int_distribution<size_t>(0, size - len)(rng);
        std::memmove(data + to, data + from, len);
      }
    }
    return size;
  }
  return LLVMFuzzerMutate(data, size, max_size);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const femur::io::C3dFile c3d = femur::io::parse_c3d(std::span<const std::uint8_t>(data, size), "fuzz.c3d");
    // Touch the results so that the sanitizers see every buffer.
    volatile double sink = 0;
    if (c3d.points.size() > 0) sink = sink + c3d.points(c3d.points.rows() - 1, c3d.points.cols() - 1);
    if (c3d.analogs.size() > 0) sink = sink + c3d.analogs(c3d.analogs.rows() - 1, c3d.analogs.cols() - 1);
    for (const auto& fp : c3d.force_plates)
      if (fp.cop.rows() > 0) sink = sink + fp.cop(fp.cop.rows() - 1, 0);
    // Issue 21: points are missing (NaN) or within 1e9; analog samples are finite.
    for (Eigen::Index i = 0; i < c3d.points.size(); ++i)
      if (!std::isnan(c3d.points.data()[i]) && !(std::abs(c3d.points.data()[i]) <= 1e9)) __builtin_trap();
    if (!c3d.analogs.allFinite()) __builtin_trap();
  } catch (const femur::io::ParseError&) {
  }
  return 0;
}
