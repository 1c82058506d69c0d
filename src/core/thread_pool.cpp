#include "core/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace webnn {
namespace {

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
constexpr bool kThreadsAvailable = false;
#else
constexpr bool kThreadsAvailable = true;
#endif

using Clock = std::chrono::steady_clock;
// How long an idle worker polls for the next job before sleeping: long enough to bridge the gap
// between two operators, or between two dispatches of a loop that reads results back in between;
// short enough that an idle context gives its cores back quickly.
constexpr auto kWorkerSpin = std::chrono::milliseconds(2);
// A pause of the caller's (ThreadPool::pause) longer than this makes workers sleep at once in the
// next pause: spinning would save a wake-up (tens of µs) at the cost of the other threads' core.
constexpr auto kShortPause = std::chrono::microseconds(1000);
// How long the caller polls for the last tasks to finish before sleeping (tasks are running, so
// this is normally short; sleeping only guards against a worker descheduled by the OS).
constexpr auto kCallerSpin = std::chrono::milliseconds(5);

// Polls `done()` until it holds or `budget` has passed (the clock is read every 256 polls: in Wasm a
// clock read is a call out to JS). Returns done().
template <typename Done>
bool spinUntil(Done done, Clock::duration budget) {
  const auto deadline = Clock::now() + budget;
  for (unsigned i = 1;; ++i) {
    if (done()) return true;
    if ((i & 255) == 0 && Clock::now() >= deadline) return done();
  }
}

#if defined(__EMSCRIPTEN_PTHREADS__)
extern "C" int _emscripten_default_pthread_stack_size();
// Emscripten's pthread_create (3.1.6) mallocs the thread's control block, its TLS keys and its
// stack without checking the results: with the heap full it hands the new worker address 0 (a
// crash in the worker, then abort()). So a thread is created only when a block of its needs can
// be allocated now, with a margin for the small blocks and for the TLS the worker allocates when
// it starts (a heap filled between now and then is not covered: documented in reliability.md).
bool threadMemoryAvailable() {
  constexpr size_t kMargin = 256 * 1024;
  // volatile: a malloc/free pair whose result is unused may be elided, assumed to succeed.
  void* volatile probe = std::malloc(size_t(_emscripten_default_pthread_stack_size()) + kMargin);
  if (!probe) return false;
  std::free(probe);
  return true;
}
#else
bool threadMemoryAvailable() { return true; }
#endif

}  // namespace

size_t ThreadPool::defaultThreadCount() {
  if (!kThreadsAvailable) return 1;
  size_t hw = std::thread::hardware_concurrency();
  if (hw == 0) hw = 1;
  return std::min<size_t>(hw, 8);
}

ThreadPool::ThreadPool(size_t numThreads)
    : numThreads_(kThreadsAvailable ? std::min(std::max<size_t>(numThreads, 1), kMaxThreads) : 1),
      chunkNext_(new std::atomic<size_t>[numThreads_]) {
  for (size_t i = 0; i < numThreads_; ++i) chunkNext_[i].store(0);
  workers_.reserve(numThreads_ - 1);  // may throw, but before any thread exists
  workerStarts_.reserve(numThreads_ - 1);
  for (size_t i = 1; i < numThreads_; ++i) {
    if (!threadMemoryAvailable()) break;
    try {
      auto start = std::make_shared<std::atomic<int>>(kPending);
      workers_.emplace_back([this, i, start] {
        int expected = kPending;
        if (!start->compare_exchange_strong(expected, kRunning)) return;  // the pool is gone
        workerLoop(i);
      });
      workerStarts_.push_back(std::move(start));  // cannot reallocate (reserved)
    } catch (...) {  // std::system_error (no thread) or std::bad_alloc: run with the threads we have
      break;
    }
  }
  numThreads_ = workers_.size() + 1;
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
  }
  wake_.notify_all();
  // A worker whose Web Worker is loaded starts within microseconds: give pending ones a moment, so
  // they are joined (and their stacks freed now). One still loading the module (or waiting for the
  // main thread's event loop, which waits for us) is abandoned (detached) after the grace period.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(20);
  for (size_t i = 0; i < workers_.size(); ++i)
    while (workerStarts_[i]->load() == kPending && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
  for (size_t i = 0; i < workers_.size(); ++i) {
    int expected = kPending;
    if (workerStarts_[i]->compare_exchange_strong(expected, kAbandoned)) workers_[i].detach();
    else workers_[i].join();
  }
}

size_t ThreadPool::runningThreads() const {
  size_t running = 1;
  for (const auto& start : workerStarts_) running += start->load() == kRunning;
  return running;
}

void ThreadPool::drainTasks(size_t self, FunctionRef<void(size_t)>* job, size_t tasks) {
  const size_t chunks = numThreads_;
  size_t finished = 0;
  for (size_t k = 0; k < chunks; ++k) {
    const size_t c = (self + k) % chunks;
    const size_t end = tasks * (c + 1) / chunks;
    for (size_t t; (t = chunkNext_[c].fetch_add(1, std::memory_order_relaxed)) < end; ++finished) (*job)(t);
  }
  if (finished == 0) return;
  // The caller may be asleep only once every task has been taken; tell it when the last one ends.
  if (completedTasks_.fetch_add(finished) + finished == tasks &&
      callerSleeping_.load()) {
    std::lock_guard<std::mutex> lock(mutex_);
    done_.notify_one();
  }
}

void ThreadPool::workerLoop(size_t self) {
  uint64_t seen = 0;
  for (;;) {
    auto newJob = [&] { return generation_.load() != seen || stop_.load(); };
    // Spin until a job comes, for at most kWorkerSpin; in a pause judged long, not at all.
    auto jobOrLongPause = [&] {
      return newJob() || (paused_.load(std::memory_order_relaxed) && sleepWhenPaused_.load(std::memory_order_relaxed));
    };
    spinUntil(jobOrLongPause, kWorkerSpin);
    if (!newJob()) {
      std::unique_lock<std::mutex> lock(mutex_);
      sleepingWorkers_.fetch_add(1);
      wake_.wait(lock, newJob);
      sleepingWorkers_.fetch_sub(1);
    }
    if (stop_.load()) return;
    const uint64_t generation = generation_.load();
    if (generation & 1) continue;  // the caller is writing the next job
    workersInJob_.fetch_add(1);
    // Registered: from here the fields stay put until we leave, unless the caller had already
    // started replacing them (then the generation moved on: leave, take the new job next turn).
    if (generation_.load() == generation) drainTasks(self, job_, jobTasks_);
    workersInJob_.fetch_sub(1);
    seen = generation;
  }
}

void ThreadPool::pause() {
  if (workers_.empty()) return;
  pausedAt_ = Clock::now();
  paused_.store(true, std::memory_order_relaxed);
}

void ThreadPool::runTasks(size_t taskCount, FunctionRef<void(size_t)> task) {
  if (taskCount == 0) return;
  if (workers_.empty() || taskCount == 1) {
    for (size_t t = 0; t < taskCount; ++t) task(t);
    return;
  }
  if (paused_.load(std::memory_order_relaxed)) {
    sleepWhenPaused_.store(Clock::now() - pausedAt_ > kShortPause, std::memory_order_relaxed);
    paused_.store(false, std::memory_order_relaxed);
  }
  // An odd generation says "fields changing": workers arriving now stay out. One still registered
  // for the previous job (it found no task left) leaves before the fields change.
  generation_.fetch_add(1);
  while (workersInJob_.load() != 0) {
  }
  job_ = &task;
  jobTasks_ = taskCount;
  for (size_t c = 0; c < numThreads_; ++c) chunkNext_[c].store(taskCount * c / numThreads_);
  completedTasks_.store(0);
  generation_.fetch_add(1);
  if (sleepingWorkers_.load() != 0) {
    std::lock_guard<std::mutex> lock(mutex_);  // a worker between its check and its wait is woken too
    wake_.notify_all();
  }
  drainTasks(0, &task, taskCount);
  auto allDone = [&] { return completedTasks_.load() == taskCount; };
  if (!spinUntil(allDone, kCallerSpin)) {
    std::unique_lock<std::mutex> lock(mutex_);
    callerSleeping_.store(true);
    done_.wait(lock, allDone);
    callerSleeping_.store(false);
  }
  // A worker that registers from here on finds every chunk spent and never calls `task`.
}

void ThreadPool::parallelize1d(size_t range, size_t tile, FunctionRef<void(size_t, size_t)> fn) {
  tile = std::max<size_t>(tile, 1);
  size_t tiles = (range + tile - 1) / tile;
  auto task = [&](size_t t) {
    size_t start = t * tile;
    fn(start, std::min(tile, range - start));
  };
  runTasks(tiles, task);
}

void ThreadPool::parallelize2d(size_t rangeI, size_t rangeJ, size_t tileI, size_t tileJ,
                               FunctionRef<void(size_t, size_t, size_t, size_t)> fn) {
  tileI = std::max<size_t>(tileI, 1);
  tileJ = std::max<size_t>(tileJ, 1);
  size_t tilesI = (rangeI + tileI - 1) / tileI, tilesJ = (rangeJ + tileJ - 1) / tileJ;
  auto task = [&](size_t t) {
    size_t i = (t / tilesJ) * tileI, j = (t % tilesJ) * tileJ;
    fn(i, j, std::min(tileI, rangeI - i), std::min(tileJ, rangeJ - j));
  };
  runTasks(tilesI * tilesJ, task);
}

}  // namespace webnn
