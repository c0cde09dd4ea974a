// libFuzzer target for the TRC reader: any text gives a MarkerTable or a ParseError, and a
// MarkerTable has strictly increasing finite times and markers that are either present
// (three values within 1e9) or missing (three NaN) (issue 21). The custom mutator
// (bad_numbers_mutator.hpp) writes NaN, Inf, 1e308, repeated and reversed times into valid
// files.
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
    const femur::io::MarkerTable t =
        femur::io::parse_trc(std::string(reinterpret_cast<const char*>(data), size), "fuzz.trc");
    if (!t.time.allFinite()) __builtin_trap();
    for (Eigen::Index i = 1; i < t.time.size(); ++i)
      if (!(t.time[i] > t.time[i - 1])) __builtin_trap();
    for (Eigen::Index f = 0; f < t.data.rows(); ++f)
      for (Eigen::Index m = 0; m + 2 < t.data.cols(); m += 3) {
        const int nans = std::isnan(t.data(f, m)) + std::isnan(t.data(f, m + 1)) + std::isnan(t.data(f, m + 2));
        if (nans != 0 && nans != 3) __builtin_trap();
        for (int k = 0; k < 3 && nans == 0; ++k)
          if (!(std::abs(t.data(f, m + k)) <= 1e9)) __builtin_trap();
      }
  } catch (const femur::io::ParseError&) {
  }
  return 0;
}
