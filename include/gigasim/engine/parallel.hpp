#pragma once
// Runs independent simulations on several threads. Each task writes only its own result slot,
// so results -- and everything printed from them -- are identical whatever the thread count.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace gigasim {

/// Calls task(i) for every i in [0, n) using up to `threads` threads (0 = all hardware threads).
/// The first exception thrown by a task is rethrown after all threads have stopped. `done`, if
/// set, is called after each task with (tasks finished, n), one call at a time.
template <typename Task>
void parallel_for(std::size_t n, unsigned threads, Task&& task,
                  const std::function<void(std::size_t, std::size_t)>& done = {}) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(n, 1)));
  std::atomic<std::size_t> next{0};
  std::size_t finished = 0;
  std::mutex done_mutex;
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < n;) {
      try {
        task(i);
        if (done) {
          std::lock_guard lock(done_mutex);
          done(++finished, n);
        }
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next = n;  // stop handing out work
      }
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    // Threads the system refuses (a process limit) are done without: results do not depend on
    // the number of threads, and with none at all the work runs here.
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      try {
        pool.emplace_back(worker);
      } catch (const std::system_error&) {
        break;
      }
    }
    if (pool.empty()) worker();
    for (auto& th : pool) th.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace gigasim
