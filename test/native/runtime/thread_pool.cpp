// The thread pool: every task runs exactly once per call, across many back-to-back jobs (workers
// spinning), jobs after idle gaps (workers asleep) and after the caller's pauses, uneven tasks, and
// pools created and destroyed; the thread count is clamped to kMaxThreads.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "core/thread_pool.h"
#include "harness.h"

using webnn::ThreadPool;

namespace {

// Runs `jobs` parallelize1d calls of `range` items (tile 1) and checks each item ran once per call.
void checkJobs(ThreadPool& pool, size_t jobs, size_t range, std::chrono::microseconds gapEvery = {}) {
  std::vector<std::atomic<int>> hits(range);
  for (size_t j = 0; j < jobs; ++j) {
    for (auto& h : hits) h.store(0);
    pool.parallelize1d(range, 1, [&](size_t start, size_t count) {
      for (size_t i = start; i < start + count; ++i) hits[i].fetch_add(1);
      if (start % 3 == 0) std::this_thread::sleep_for(std::chrono::microseconds(start % 7));  // uneven
    });
    for (size_t i = 0; i < range; ++i) REQUIRE(hits[i].load() == 1);
    if (gapEvery.count() && j % 10 == 9) std::this_thread::sleep_for(gapEvery);
  }
}

}  // namespace

TEST_CASE("thread pool runs every task once", "[threads][pool]") {
  for (size_t threads : {1, 2, 3, 4}) {
    INFO("threads " << threads);
    ThreadPool pool(threads);
    checkJobs(pool, 2000, 1 + threads);    // back to back: workers catch jobs while spinning
    checkJobs(pool, 200, 37);
    checkJobs(pool, 30, 8, std::chrono::milliseconds(4));  // idle gaps beyond the spin: workers sleep
  }
}

TEST_CASE("thread pool pauses: short and long gaps after pause(), every task still runs once, workers still help", "[threads][pool]") {
  for (size_t threads : {2, 3}) {
    INFO("threads " << threads);
    ThreadPool pool(threads);
    // A dispatch loop: jobs, pause(), then a gap — none, short (workers spin through), or long
    // (judged at the next job: workers then sleep at once during the next pause, and are woken).
    const std::chrono::microseconds gaps[] = {std::chrono::microseconds(0), std::chrono::microseconds(100),
                                              std::chrono::microseconds(3000)};
    for (int round = 0; round < 60; ++round) {
      checkJobs(pool, 3, 5 + round % 11);
      pool.pause();
      std::this_thread::sleep_for(gaps[(round / 3) % 3]);
    }
    // After long pauses the workers are asleep when a job comes: they still take their share of a
    // job whose tasks wait for them (each task blocks until another thread has started one).
    pool.pause();
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    std::atomic<size_t> started{0};
    std::vector<std::thread::id> ids(threads);
    pool.parallelize1d(threads, 1, [&](size_t t, size_t) {
      ids[t] = std::this_thread::get_id();
      started.fetch_add(1);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (started.load() < threads && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    });
    CHECK(started.load() == threads);
    for (size_t a = 0; a < threads; ++a)
      for (size_t b = a + 1; b < threads; ++b) CHECK(ids[a] != ids[b]);  // each task on its own thread
  }
}

TEST_CASE("thread pool 2-D tiles cover the range", "[threads][pool]") {
  ThreadPool pool(3);
  std::vector<std::atomic<int>> hits(13 * 7);
  pool.parallelize2d(13, 7, 4, 3, [&](size_t i, size_t j, size_t ci, size_t cj) {
    for (size_t a = i; a < i + ci; ++a)
      for (size_t b = j; b < j + cj; ++b) hits[a * 7 + b].fetch_add(1);
  });
  for (auto& h : hits) REQUIRE(h.load() == 1);
}

TEST_CASE("thread pools are created and destroyed cleanly", "[threads][pool]") {
  for (int round = 0; round < 50; ++round) {
    ThreadPool pool(2 + round % 3);
    std::atomic<size_t> sum{0};
    if (round % 2) pool.parallelize1d(64, 4, [&](size_t start, size_t count) { sum.fetch_add(start * 0 + count); });
    REQUIRE(sum.load() == (round % 2 ? 64u : 0u));
  }  // destroyed right after a job, or without ever having run one
}

TEST_CASE("the thread count is clamped to kMaxThreads", "[threads][limits]") {
  ThreadPool huge(size_t(1) << 31);
  CHECK(huge.numThreads() == (webnn::test::threadsAvailable() ? ThreadPool::kMaxThreads : 1));
  ThreadPool zero(0);
  CHECK(zero.numThreads() == 1);
  std::atomic<size_t> sum{0};
  huge.parallelize1d(1000, 7, [&](size_t, size_t count) { sum.fetch_add(count); });
  CHECK(sum.load() == 1000);
}
