#include "compiler/memory_plan.h"

#include <algorithm>
#include <cstdint>
#include <numeric>

namespace webnn {

// uint64 sums saturate: on 64-bit hosts size_t buffers can already be near 2^64.
static uint64_t add64(uint64_t a, uint64_t b) {
  uint64_t r;
  return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

std::vector<size_t> planMemory(const std::vector<BufferLifetime>& buffers, size_t* arenaBytes) {
  constexpr size_t kAlign = 64;
  std::vector<size_t> order(buffers.size()), offsets(buffers.size(), 0);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return buffers[a].bytes > buffers[b].bytes; });
  std::vector<size_t> placed;
  // Offsets are planned in 64 bits: in Wasm, size_t is 32 and a big graph's arena could wrap.
  std::vector<uint64_t> offsets64(buffers.size(), 0);
  uint64_t total = 0;
  for (size_t i : order) {
    const BufferLifetime& b = buffers[i];
    uint64_t bytes = add64(b.bytes, kAlign - 1) / kAlign * kAlign;
    // Buffers already placed that are alive at the same time, by offset.
    std::vector<size_t> conflicts;
    for (size_t j : placed)
      if (buffers[j].firstStep <= b.lastStep && b.firstStep <= buffers[j].lastStep) conflicts.push_back(j);
    std::sort(conflicts.begin(), conflicts.end(), [&](size_t x, size_t y) { return offsets64[x] < offsets64[y]; });
    // The lowest gap that fits.
    uint64_t offset = 0;
    for (size_t j : conflicts) {
      uint64_t jBytes = add64(buffers[j].bytes, kAlign - 1) / kAlign * kAlign;
      if (add64(offset, bytes) <= offsets64[j]) break;
      offset = std::max(offset, add64(offsets64[j], jBytes));
    }
    offsets64[i] = offset;
    offsets[i] = size_t(offset);
    total = std::max(total, add64(offset, bytes));
    placed.push_back(i);
  }
  // SIZE_MAX: more than the address space holds (the caller's allocation then fails cleanly).
  *arenaBytes = total >= uint64_t(SIZE_MAX) ? SIZE_MAX : size_t(total);
  return offsets;
}

}  // namespace webnn
