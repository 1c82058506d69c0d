// The memory plan (src/compiler/memory_plan.h): space is reused only between disjoint lifetimes, the
// plan places every buffer exactly where the original pairwise planner did (the arena stays as
// tight) in time linear in the buffer count, and sizes saturate instead of wrapping.
#include <algorithm>
#include <ctime>
#include <cstdint>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>

#include "compiler/memory_plan.h"
#include "engine_limits.h"
#include "harness.h"

using namespace webnn;
using namespace webnn::test;

namespace {

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

TEST_CASE("the memory plan reuses space only between disjoint lifetimes", "[compiler]") {
  std::vector<BufferLifetime> bufs = {{100, 0, 1}, {200, 1, 2}, {50, 2, 3}, {300, 3, 4}, {64, 0, 4}};
  size_t arena = 0;
  auto off = placeBuffers(bufs, &arena);
  for (size_t i = 0; i < bufs.size(); ++i) {
    CHECK(off[i] % 64 == 0);
    CHECK(off[i] + bufs[i].bytes <= arena);
    for (size_t j = i + 1; j < bufs.size(); ++j) {
      bool liveTogether = bufs[i].firstStep <= bufs[j].lastStep && bufs[j].firstStep <= bufs[i].lastStep;
      bool overlap = off[i] < off[j] + bufs[j].bytes && off[j] < off[i] + bufs[i].bytes;
      CHECK(!(liveTogether && overlap));
    }
  }
  CHECK(arena < 100 + 200 + 50 + 300 + 64 + 5 * 64);  // some reuse happened
}

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

TEST_CASE("sizes saturate instead of wrapping", "[compiler][fuzz]") {
  CHECK(satMul(SIZE_MAX / 2, 3) == SIZE_MAX);
  CHECK(satMul(size_t(1) << 10, size_t(1) << 10, 4) == size_t(4) << 20);  // fits in 32-bit Wasm too
  CHECK(satAdd(SIZE_MAX, 1) == SIZE_MAX);
  // Three live buffers of SIZE_MAX / 2: the arena cannot exist; it must not wrap to something small.
  size_t arena = 0;
  placeBuffers({{SIZE_MAX / 2, 0, 2}, {SIZE_MAX / 2, 1, 2}, {SIZE_MAX / 2, 2, 2}}, &arena);
  CHECK(arena == SIZE_MAX);
  AlignedBuffer buffer;
  CHECK_FALSE(buffer.allocate(SIZE_MAX));
  CHECK_FALSE(buffer.allocate(SIZE_MAX - 10));
  CHECK(buffer.data() == nullptr);
}
