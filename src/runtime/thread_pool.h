// The context's persistent worker pool. Parallelism lives only at the operator layer: an operator
// describes a range and a tile, and one parallelize call runs it; kernels never see threads.
// A pool of one thread runs everything inline on the calling thread and creates no threads (the
// single-thread Wasm build has no pthreads, where creating a std::thread aborts).
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace webnn {

// A non-owning, non-allocating reference to a callable (cheaper than std::function on hot paths).
template <typename Sig>
class FunctionRef;
template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F>
  FunctionRef(F&& f) : obj_(const_cast<void*>(static_cast<const void*>(&f))),
                       call_([](void* o, Args... a) -> R { return (*static_cast<std::remove_reference_t<F>*>(o))(a...); }) {}
  R operator()(Args... a) const { return call_(obj_, a...); }

 private:
  void* obj_;
  R (*call_)(void*, Args...);
};

class ThreadPool {
 public:
  // numThreads counts the calling thread: 1 means no workers at all.
  explicit ThreadPool(size_t numThreads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  size_t numThreads() const { return numThreads_; }

  // Calls fn(start, count) over [0, range) in tiles of `tile` (the last may be shorter).
  void parallelize1d(size_t range, size_t tile, FunctionRef<void(size_t, size_t)> fn);
  // Calls fn(i, j, countI, countJ) over a 2-D range tiled by (tileI, tileJ).
  void parallelize2d(size_t rangeI, size_t rangeJ, size_t tileI, size_t tileJ,
                     FunctionRef<void(size_t, size_t, size_t, size_t)> fn);

  // The hardware's concurrency, capped sensibly (the default for a context).
  static size_t defaultThreadCount();

 private:
  void runTasks(size_t taskCount, FunctionRef<void(size_t)> task);
  void workerLoop(size_t index);

  size_t numThreads_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  // The current job, published under mutex_ with a new generation number.
  // Workers that have not started yet (Wasm workers start asynchronously) simply miss a job: the
  // caller waits for the tasks to be done, never for every worker to check in.
  FunctionRef<void(size_t)>* job_ = nullptr;
  size_t jobTasks_ = 0;
  std::atomic<size_t> nextTask_{0};
  std::atomic<size_t> completedTasks_{0};
  size_t workersInJob_ = 0;
  uint64_t generation_ = 0;
  // generation_ mirrored for lock-free polling: workers spin on it briefly before sleeping, so a
  // job that follows shortly after the previous one (the next layer) starts without a futex wake.
  std::atomic<uint64_t> publishedGeneration_{0};
  bool stop_ = false;
};

}  // namespace webnn
