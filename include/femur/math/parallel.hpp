#pragma once
// femur::parallel_for(n, threads, body): body(i) for every i in [0, n) on up to `threads` threads
// (0: every core), one index per task, so that items of very different cost (batch trials,
// collocation nodes) balance. The first exception a body throws is rethrown to the caller after
// the loop stops taking new indices.
//
// TBB's work-stealing scheduler normally. Under ThreadSanitizer, a std::thread pool that takes
// indices from an atomic counter: Debian's libtbb is not built with TSan, so TSan cannot see the
// synchronisation inside it and reports TBB's own hand-off of a task between threads
// (blocked_range, affinity slots) as races, which would hide femur's. With the pool every report
// is about femur's code (`make test-tsan`); the work split is the same, one index at a time.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__SANITIZE_THREAD__)
#define FEMUR_PARALLEL_STD_THREADS 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FEMUR_PARALLEL_STD_THREADS 1
#endif
#endif
#ifndef FEMUR_PARALLEL_STD_THREADS
#define FEMUR_PARALLEL_STD_THREADS 0
#include <tbb/blocked_range.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#endif

namespace femur {

// The number of threads `threads = 0` means: TBB's default concurrency (respects the process's
// CPU affinity mask), or the hardware's under ThreadSanitizer.
inline int default_thread_count() {
#if FEMUR_PARALLEL_STD_THREADS
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
#else
  return tbb::info::default_concurrency();
#endif
}

template <class Body>
void parallel_for(std::size_t n, int threads, Body&& body) {
  if (n == 0) return;
  const int wanted = threads > 0 ? threads : default_thread_count();
#if FEMUR_PARALLEL_STD_THREADS
  const int count = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(wanted), n));
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < n;) {
      try {
        body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        next.store(n);  // take no new index
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < count; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
#else
  auto loop = [&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n, 1),
        [&](const tbb::blocked_range<std::size_t>& r) {
          for (std::size_t i = r.begin(); i < r.end(); ++i) body(i);
        },
        tbb::simple_partitioner());
  };
  if (threads <= 0) {
    loop();  // the default arena: no arena set up per call (collocation calls this per evaluation)
  } else {
    tbb::task_arena arena(wanted);
    arena.execute(loop);
  }
#endif
}

}  // namespace femur
