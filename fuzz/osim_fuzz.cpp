// libFuzzer target for the .osim readers (the model, and its display geometry for the
// viewer): any text gives a result or a ParseError (never another exception type, a crash or
// a sanitizer report). The custom mutator (bad_numbers_mutator.hpp) writes NaN, Inf and 1e308
// into the numbers of valid models.
#include <cstddef>
#include <cstdint>
#include <string>

#define FEMUR_FUZZ_TEXT_MUTATOR
#include "bad_numbers_mutator.hpp"
#include "femur/io/error.hpp"
#include "femur/io/osim_geometry.hpp"
#include "femur/io/osim_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto shown =
        femur::io::read_osim_geometry_string(std::string(reinterpret_cast<const char*>(data), size), "fuzz.osim");
    volatile std::size_t n = shown.size();
    (void)n;
  } catch (const femur::io::ParseError&) {
  }
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
