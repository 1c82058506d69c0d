// The context's persistent worker pool. Parallelism lives only at the operator layer: an operator
// describes a range and a tile, and one parallelize call runs it; kernels never see threads.
// A pool of one thread runs everything inline on the calling thread and creates no threads (the
// single-thread Wasm build has no pthreads, where creating a std::thread aborts).
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
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

// Kernels split work into tasks of at least this many FLOPs (~5-12 µs of SIMD work): a task
// handed to a spinning worker costs well under a microsecond, but smaller tasks gain nothing.
constexpr double kMinFlopsPerTask = 0.25e6;

class ThreadPool {
 public:
  // numThreads counts the calling thread: 1 means no workers at all. It is clamped to
  // [1, kMaxThreads]; a worker thread that cannot be created (no memory for its stack, no Worker)
  // leaves the pool smaller instead of failing, so numThreads() is what the pool really has.
  explicit ThreadPool(size_t numThreads);
  // A hint larger than any machine we run on gains nothing: each thread is a Web Worker with its
  // own stack and instance (tens of MB), and tasks are split per thread.
  static constexpr size_t kMaxThreads = 16;
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  size_t numThreads() const { return numThreads_; }
  // (testing) Split every job into as many tasks as the kernel allows, however little work it has:
  // tests and the differential fuzzer then run the threaded paths (task edges, threads writing
  // next to each other) on small shapes. Off by default; a context's option (splitAllWork).
  void setSplitAllWork(bool on) { splitAllWork_ = on; }
  // The least work a kernel gives one task, in FLOPs: kMinFlopsPerTask, or 1 when splitting all work.
  double minTaskFlops() const { return splitAllWork_ ? 1.0 : kMinFlopsPerTask; }
  // An element-count threshold of a kernel: `normal`, or 1 when splitting all work.
  size_t minTaskElements(size_t normal) const { return splitAllWork_ ? 1 : normal; }

  // The threads that have started so far (the caller counts): a Wasm worker starts asynchronously,
  // and until it has, the threads that have do its share. For diagnostics (MLGraph.debugProfile).
  size_t runningThreads() const;

  // The caller's work has paused (a graph's dispatch returned): idle workers go to sleep at once
  // instead of spinning, unless the previous pause was short (a loop that dispatches back to back).
  // A worker spinning through the caller's pause takes the core that the runtime's own threads
  // (the JS engine's garbage collector and compiler) would use: a TF.js predict's JS between two
  // dispatches ran 20-30% slower with the second core spinning (bench/README.md).
  void pause();

  // Calls fn(start, count) over [0, range) in tiles of `tile` (the last may be shorter).
  void parallelize1d(size_t range, size_t tile, FunctionRef<void(size_t, size_t)> fn);
  // Calls fn(i, j, countI, countJ) over a 2-D range tiled by (tileI, tileJ).
  void parallelize2d(size_t rangeI, size_t rangeJ, size_t tileI, size_t tileJ,
                     FunctionRef<void(size_t, size_t, size_t, size_t)> fn);

  // The hardware's concurrency, capped sensibly (the default for a context).
  static size_t defaultThreadCount();

 private:
  void runTasks(size_t taskCount, FunctionRef<void(size_t)> task);
  void workerLoop(size_t self);
  // Runs tasks of the current job until none is left: first those of its own chunk, then any.
  void drainTasks(size_t self, FunctionRef<void(size_t)>* job, size_t tasks);

  size_t numThreads_;
  bool splitAllWork_ = false;
  std::vector<std::thread> workers_;
  // Per worker: whether it has started. A Wasm worker starts only once its Web Worker has loaded
  // the module (tens of milliseconds; with Emscripten's own start, only after the main thread
  // returns to its event loop), so the destructor does not join one that has not started: it marks
  // it abandoned and detaches it; the worker, when it starts, sees that and exits without touching
  // the pool. Shared with the worker, which may outlive the pool.
  enum WorkerStart : int { kPending, kRunning, kAbandoned };
  std::vector<std::shared_ptr<std::atomic<int>>> workerStarts_;

  // The hot path is lock-free, like a seqlock. The caller makes `generation_` odd, waits until no
  // worker is registered in `workersInJob_`, writes the job fields and makes the generation even.
  // A worker that sees a new even generation registers, then re-checks the generation before
  // reading the fields: so a registered worker always reads one consistent job, and one that
  // arrives after the job is done finds no task left and never calls it. Workers that start late
  // (Wasm workers start asynchronously) simply miss jobs: the caller waits for tasks, not workers.
  //
  // Tasks are dealt in contiguous chunks, one per thread (the caller is thread 0): a thread runs its
  // own chunk first and then helps with the others. Kernels number tasks along the data (rows of
  // pixels), so a thread keeps working on the same part of the activations from one operator to the
  // next and reads what it wrote itself, from its own cache: moving data between cores is slow.
  FunctionRef<void(size_t)>* job_ = nullptr;
  size_t jobTasks_ = 0;
  std::unique_ptr<std::atomic<size_t>[]> chunkNext_;  // the next task of each chunk
  std::atomic<size_t> completedTasks_{0};
  std::atomic<size_t> workersInJob_{0};
  std::atomic<uint64_t> generation_{0};

  // Sleeping. Waking a sleeping Wasm worker (Atomics.wait/notify) takes tens to hundreds of
  // microseconds, more than many operators take, so workers spin for a while after each job and
  // the caller spins while its tasks finish; only a pool idle for longer goes to sleep.
  std::mutex mutex_;
  std::condition_variable wake_;  // workers: a new generation (or stop)
  std::condition_variable done_;  // the caller: all tasks completed
  std::atomic<size_t> sleepingWorkers_{0};
  // pause(): set by the caller, cleared by its next job, which also judges the pause: longer than a
  // worker would spin through usefully, and workers sleep at once during the next pause.
  std::atomic<bool> paused_{false};
  std::atomic<bool> sleepWhenPaused_{false};
  std::chrono::steady_clock::time_point pausedAt_;  // the caller's only
  std::atomic<bool> callerSleeping_{false};
  std::atomic<bool> stop_{false};
};

}  // namespace webnn
