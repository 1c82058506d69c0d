#include "runtime/thread_pool.h"

#include <algorithm>

namespace webnn {

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
constexpr bool kThreadsAvailable = false;
#else
constexpr bool kThreadsAvailable = true;
#endif

// Polls (~tens of microseconds) before blocking: much shorter than a typical operator, so an idle pool
// gives its cores back quickly, but long enough to cover the gap between consecutive parallel calls.
constexpr int kSpinIterations = 20000;

size_t ThreadPool::defaultThreadCount() {
  if (!kThreadsAvailable) return 1;
  size_t hw = std::thread::hardware_concurrency();
  if (hw == 0) hw = 1;
  return std::min<size_t>(hw, 8);
}

ThreadPool::ThreadPool(size_t numThreads) : numThreads_(kThreadsAvailable ? std::max<size_t>(numThreads, 1) : 1) {
  for (size_t i = 1; i < numThreads_; ++i) workers_.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::workerLoop(size_t) {
  uint64_t seen = 0;
  for (;;) {
    FunctionRef<void(size_t)>* job;
    size_t tasks;
    for (int i = 0; i < kSpinIterations && publishedGeneration_.load(std::memory_order_acquire) == seen; ++i) {
    }
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      if (!job_) continue;  // that job is already finished
      job = job_;
      tasks = jobTasks_;
      ++workersInJob_;
    }
    for (size_t t; (t = nextTask_.fetch_add(1)) < tasks;) {
      (*job)(t);
      completedTasks_.fetch_add(1);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --workersInJob_;
    }
    done_.notify_one();
  }
}

void ThreadPool::runTasks(size_t taskCount, FunctionRef<void(size_t)> task) {
  if (taskCount == 0) return;
  if (workers_.empty() || taskCount == 1) {
    for (size_t t = 0; t < taskCount; ++t) task(t);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &task;
    jobTasks_ = taskCount;
    nextTask_.store(0);
    completedTasks_.store(0);
    ++generation_;
    publishedGeneration_.store(generation_, std::memory_order_release);
  }
  wake_.notify_all();
  for (size_t t; (t = nextTask_.fetch_add(1)) < taskCount;) {
    task(t);
    completedTasks_.fetch_add(1);
  }
  // The caller never waits for workers to check in (one not yet started just misses the job), only
  // for tasks already taken to finish: spin a little on that first, then sleep.
  for (int i = 0; i < kSpinIterations && completedTasks_.load(std::memory_order_acquire) != taskCount; ++i) {
  }
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return completedTasks_.load() == taskCount && workersInJob_ == 0; });
  job_ = nullptr;
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
