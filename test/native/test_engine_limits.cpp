// Engine limits (issue #19): the thread count is clamped, a pool destroyed before its workers run
// does not wait for them, and the memory plan is linear in the buffer count while placing every
// buffer exactly where the original pairwise planner did (the arena stays as tight).
#include <algorithm>
#include <atomic>
#include <ctime>
#include <cstdint>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>

#include "compiler/memory_plan.h"
#include "harness.h"
#include "core/thread_pool.h"

using namespace webnn;
using webnn::test::GraphHarness;

namespace {

#if defined(__EMSCRIPTEN__)
// The Wasm Catch2 build (scripts/run-wasm-native-tests.sh) uses Emscripten's JS-based exceptions,
// which route calls through JS: its times say nothing about the engine (test/js/engine-limits.test.mjs
// times the real Wasm builds), so there the graphs are smaller and only the results are checked.
constexpr int kNodes = 20000;
constexpr double kCpuSecondsLimit = 1e9;
#else
constexpr int kNodes = 100000;
constexpr double kCpuSecondsLimit = 5.0;
#endif

// The planner before it was made linear: greedy by size, each buffer at the lowest gap among all
// placed buffers whose lifetimes overlap its own (found by comparing it with every placed buffer).
std::vector<size_t> pairwisePlan(const std::vector<BufferLifetime>& buffers, size_t* arenaBytes) {
  const uint64_t kAlign = 64;
  std::vector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return buffers[a].bytes > buffers[b].bytes; });
  std::vector<uint64_t> offsets(buffers.size(), 0);
  std::vector<size_t> placed;
  uint64_t total = 0;
  for (size_t i : order) {
    const BufferLifetime& b = buffers[i];
    uint64_t bytes = (b.bytes + kAlign - 1) / kAlign * kAlign;
    std::vector<size_t> conflicts;
    for (size_t j : placed)
      if (buffers[j].firstStep <= b.lastStep && b.firstStep <= buffers[j].lastStep) conflicts.push_back(j);
    std::sort(conflicts.begin(), conflicts.end(), [&](size_t x, size_t y) { return offsets[x] < offsets[y]; });
    uint64_t offset = 0;
    for (size_t j : conflicts) {
      if (offset + bytes <= offsets[j]) break;
      offset = std::max(offset, offsets[j] + (buffers[j].bytes + kAlign - 1) / kAlign * kAlign);
    }
    offsets[i] = offset;
    total = std::max(total, offset + bytes);
    placed.push_back(i);
  }
  *arenaBytes = size_t(total);
  return std::vector<size_t>(offsets.begin(), offsets.end());
}

}  // namespace

TEST_CASE("the memory plan places buffers exactly as the pairwise planner did", "[compiler][limits]") {
  webnn::test::Rng rng(19);
  for (int round = 0; round < 300; ++round) {
    const size_t n = 1 + rng.next() % 60, steps = 1 + rng.next() % 40;
    std::vector<BufferLifetime> buffers;
    for (size_t i = 0; i < n; ++i) {
      size_t first = rng.next() % steps, last = std::min(steps - 1, first + rng.next() % (round % 3 == 0 ? steps : 4));
      size_t bytes = round % 4 == 0 ? 64 * (1 + rng.next() % 4) : 1 + rng.next() % 5000;  // many equal sizes, or not
      buffers.push_back({bytes, first, last});
    }
    size_t arena = 0, reference = 0;
    std::vector<size_t> got = placeBuffers(buffers, &arena), want = pairwisePlan(buffers, &reference);
    INFO("round " << round);
    CHECK(got == want);
    CHECK(arena == reference);
  }
}

TEST_CASE("the memory plan of a long buffer chain (200k natively) takes linear time", "[compiler][limits]") {
  const size_t n = 2 * kNodes;
  std::vector<BufferLifetime> chain;
  for (size_t i = 0; i < n; ++i) chain.push_back({size_t(1000 + i % 7), i, i + 1});  // each read by the next step
  size_t arena = 0;
  std::clock_t t0 = std::clock();
  std::vector<size_t> offsets = placeBuffers(chain, &arena);
  double seconds = double(std::clock() - t0) / CLOCKS_PER_SEC;
  CHECK(seconds < kCpuSecondsLimit / 2);  // the pairwise planner: minutes
  CHECK(arena <= 3 * 1024);  // each buffer meets two others: at most three 1024-byte slots
  for (size_t i = 0; i + 1 < n; ++i) REQUIRE(offsets[i] != offsets[i + 1]);
}

TEST_CASE("the memory plan of many long lifetimes (branches into one concat) matches the pairwise plan", "[compiler][limits]") {
  // Every buffer alive until the last step: the step lists would hold buffers x steps entries;
  // buckets widen instead (at most ~4 entries per buffer) and the plan is unchanged.
  const size_t n = 3000;
  std::vector<BufferLifetime> branches;
  for (size_t i = 0; i < n; ++i) branches.push_back({size_t(64 + (i * 37) % 500), i, n});
  size_t arena = 0, reference = 0;
  CHECK(placeBuffers(branches, &arena) == pairwisePlan(branches, &reference));
  CHECK(arena == reference);
}

TEST_CASE("the thread count is clamped to kMaxThreads", "[threads][limits]") {
  ThreadPool huge(size_t(1) << 31);
  CHECK(huge.numThreads() == ThreadPool::kMaxThreads);
  ThreadPool zero(0);
  CHECK(zero.numThreads() == 1);
  std::atomic<size_t> sum{0};
  huge.parallelize1d(1000, 7, [&](size_t, size_t count) { sum.fetch_add(count); });
  CHECK(sum.load() == 1000);
}

namespace {

// CPU seconds (not wall time: CI machines are busy) spent in build() for the graph `make` adds to
// h, computing the outputs. The harness's context has one thread.
template <typename Make>
double buildSeconds(GraphHarness& h, Make make, std::vector<std::vector<float>>* results) {
  std::vector<int> outputs = make();
  std::clock_t t0 = std::clock();
  *results = h.run(outputs);  // build + one dispatch (microseconds here)
  return double(std::clock() - t0) / CLOCKS_PER_SEC;
}

}  // namespace

// Passes once quadratic in the node count: soleConsumer scanned every node per query (fusion,
// layout, element-wise chains), constant folding filled a pointer table over every operand per
// folded node (the memory plan: the 200k-buffer test above). 100k nodes took 30+ s; now well under
// a second each (the limit leaves room for sanitizers).
TEST_CASE("build is linear in the node count (100k-node graphs)", "[compiler][limits]") {
  const int n = kNodes;
  std::vector<std::vector<float>> out;
  SECTION("a transpose chain: 100k steps") {
    GraphHarness h;
    double s = buildSeconds(h, [&] {
      int x = h.input("x", {2, 3}, {1, 2, 3, 4, 5, 6});
      for (int i = 0; i < n; ++i) x = h.op("transpose", {{"input", x}});
      return std::vector<int>{x};
    }, &out);
    CHECK(s < kCpuSecondsLimit);
    CHECK(out[0] == std::vector<float>{1, 2, 3, 4, 5, 6});  // an even number of transposes
  }
  SECTION("a chain on constants only: 100k folded nodes") {
    GraphHarness h;
    double s = buildSeconds(h, [&] {
      int c = h.constant<float>({2}, {-1, 2});
      for (int i = 0; i < n; ++i) c = h.op("neg", {{"input", c}});
      return std::vector<int>{h.op("add", {{"a", h.input("x", {2}, {10, 20})}, {"b", c}})};
    }, &out);
    CHECK(s < kCpuSecondsLimit);
    CHECK(out[0] == std::vector<float>{9, 22});
  }
  SECTION("matmul + bias + relu, 100k times: fusion's sole-consumer queries") {
    GraphHarness h;
    double s = buildSeconds(h, [&] {
      int x = h.input("x", {1, 2}, {1, -2});
      int w = h.constant<float>({2, 2}, {1, 0, 0, 1});
      int bias = h.constant<float>({2}, {0.5f, 0.5f});
      for (int i = 0; i < n / 3; ++i) x = h.op("relu", {{"input", h.op("add", {{"a", h.op("matmul", {{"a", x}, {"b", w}})}, {"b", bias}})}});
      return std::vector<int>{x};
    }, &out);
    CHECK(s < kCpuSecondsLimit);
    CHECK(out[0][0] == 1 + 0.5f * (n / 3));
    CHECK(out[0][1] == 0.5f * (n / 3 - 1));
  }
}
