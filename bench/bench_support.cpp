// Support code linked into every benchmark program: the shared test fixtures and an
// allocation counter (global operator new replaced).
#include <atomic>
#include <cstdlib>
#include <new>

#include "alloc_counter.hpp"
#include "support/models.cpp"
#include "support/test_data.cpp"

namespace {
std::atomic<std::size_t> g_allocations{0};
}

namespace femur::bench {
std::size_t allocation_count() { return g_allocations.load(std::memory_order_relaxed); }
}  // namespace femur::bench

// glibc lets a program interpose malloc; Eigen's dynamic matrices and operator new both
// end here, so one counter sees every heap allocation.
extern "C" void* __libc_malloc(std::size_t size);
extern "C" void* malloc(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
