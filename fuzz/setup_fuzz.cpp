// libFuzzer target for the XML readers of what a tool run reads besides the model: tool setup
// files (IK, ID, Scale, Analyze, Forward, CMC, RRA), ExternalLoads, ControlSet and CMC task
// sets. Each reader takes a path, so every input is written to one scratch file first. Any
// text gives a result or a ParseError (never another exception type, a crash or a sanitizer
// report); a ControlSet keeps only finite node values. The custom mutator
// (bad_numbers_mutator.hpp) writes NaN, Inf and 1e308 into the numbers of valid files.
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#define FEMUR_FUZZ_TEXT_MUTATOR
#include "bad_numbers_mutator.hpp"
#include "femur/io/cmc_task_set.hpp"
#include "femur/io/control_set.hpp"
#include "femur/io/error.hpp"
#include "femur/io/external_loads.hpp"
#include "femur/io/setup.hpp"

namespace {

// One scratch file per process, in a folder of its own (a setup's relative paths and
// file="..." includes resolve there and find nothing).
struct Scratch {
  std::filesystem::path dir, file;
  Scratch() {
    // In memory (tmpfs) where there is one: rewriting a file on ext4 each run flushed it to
    // disk on truncation and took most of the time.
    const std::filesystem::path base = std::filesystem::is_directory("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                                                 : std::filesystem::temp_directory_path();
    dir = base / ("femur-setup-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    file = dir / "fuzz.xml";
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

const std::filesystem::path& scratch() {
  static const Scratch s;
  return s.file;
}

// The text from the first element inside <OpenSimDocument> (or the first element at all),
// comments and the XML declaration skipped.
std::string_view first_element(std::string_view text) {
  std::size_t at = 0;
  if (const std::size_t doc = text.find("<OpenSimDocument"); doc != std::string_view::npos) {
    at = text.find('>', doc);
    if (at == std::string_view::npos) return {};
  }
  for (;;) {
    at = text.find('<', at);
    if (at == std::string_view::npos) return {};
    const std::string_view rest = text.substr(at);
    if (rest.starts_with("<!--")) {
      at = text.find("-->", at);
      if (at == std::string_view::npos) return {};
    } else if (rest.starts_with("<?") || rest.starts_with("<!")) {
      ++at;
    } else {
      return rest.substr(0, 32);
    }
  }
}

template <class Read>
void expect_result_or_parse_error(Read read) {
  try {
    read();
  } catch (const femur::io::ParseError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path& file = scratch();
  if (std::FILE* f = std::fopen(file.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  } else {
    __builtin_trap();
  }
  // One reader per input, chosen by the first element inside <OpenSimDocument> as a user's
  // file would be (each reader parses the whole XML; calling all four made it 4x slower).
  const std::string_view head = first_element(std::string_view(reinterpret_cast<const char*>(data), size));
  std::vector<std::string> warnings;
  if (head.starts_with("<ExternalLoads")) {
    expect_result_or_parse_error([&] { (void)femur::io::read_external_loads(file, &warnings); });
  } else if (head.starts_with("<ControlSet")) {
    expect_result_or_parse_error([&] {
      const femur::io::ControlSet c = femur::io::read_control_set(file, &warnings);
      for (const femur::io::ControlLinear& control : c.controls)
        for (const auto* nodes : {&control.x_nodes, &control.min_nodes, &control.max_nodes})
          for (const femur::io::ControlNode& node : *nodes)
            if (!std::isfinite(node.t) || !std::isfinite(node.value)) __builtin_trap();
    });
  } else if (head.starts_with("<CMC_TaskSet") || head.starts_with("<rdCMC_TaskSet")) {
    expect_result_or_parse_error([&] { (void)femur::io::read_cmc_task_set(file, &warnings); });
  } else {
    expect_result_or_parse_error([&] { (void)femur::io::read_setup(file, &warnings); });
  }
  return 0;
}
