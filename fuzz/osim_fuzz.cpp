// libFuzzer target for the .osim reader: any text gives a Model or a ParseError (never
// another exception type, a crash or a sanitizer report). The custom mutator
// (bad_numbers_mutator.hpp) writes NaN, Inf and 1e308 into the numbers of valid models.
#include <cstddef>
#include <cstdint>
#include <string>

#define FEMUR_FUZZ_TEXT_MUTATOR
#include "bad_numbers_mutator.hpp"
#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    std::vector<std::string> warnings;
    const femur::Model m =
        femur::io::read_osim_string(std::string(reinterpret_cast<const char*>(data), size), "fuzz.osim", &warnings);
    volatile int sink = m.nq;
    (void)sink;
  } catch (const femur::io::ParseError&) {
  }
  return 0;
}
