// libFuzzer target for the VTK PolyData reader: any bytes give a mesh whose indices are all in
// range, or a ParseError.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "femur/io/error.hpp"
#include "femur/io/vtp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const femur::io::SurfaceMesh m =
        femur::io::parse_vtp(std::string(reinterpret_cast<const char*>(data), size), "fuzz.vtp");
    const auto n = static_cast<std::uint32_t>(m.vertex_count());
    for (std::uint32_t i : m.triangles)
      if (i >= n) std::abort();  // the reader promises indices within the points
    if (!m.normals.empty() && m.normals.size() != m.points.size()) std::abort();
  } catch (const femur::io::ParseError&) {
  }
  return 0;
}
