// libFuzzer target for the STO/MOT reader: any text gives a Table or a ParseError, and a
// Table holds only finite values with times that never decrease (issue 21). The custom
// mutator (bad_numbers_mutator.hpp) writes NaN, Inf, 1e308, repeated and reversed times
// into valid files.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#define FEMUR_FUZZ_TEXT_MUTATOR
#include "bad_numbers_mutator.hpp"
#include "femur/io/error.hpp"
#include "femur/io/table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const femur::io::Table t = femur::io::parse_sto(std::string(reinterpret_cast<const char*>(data), size), "fuzz.sto");
    if (!t.time.allFinite() || !t.data.allFinite()) __builtin_trap();
    for (Eigen::Index i = 1; i < t.time.size(); ++i)
      if (t.time[i] < t.time[i - 1]) __builtin_trap();
  } catch (const femur::io::ParseError&) {
  }
  return 0;
}
