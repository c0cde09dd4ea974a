// Counts heap allocations of the whole benchmark process (global operator new is replaced in
// bench_support.cpp), so a benchmark can report allocations per call and prove zero.
#pragma once

#include <cstddef>

namespace femur::bench {

std::size_t allocation_count();

}  // namespace femur::bench
