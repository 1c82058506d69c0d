#include "compiler/memory_plan.h"

#include <algorithm>
#include <numeric>

namespace webnn {

std::vector<size_t> planMemory(const std::vector<BufferLifetime>& buffers, size_t* arenaBytes) {
  constexpr size_t kAlign = 64;
  std::vector<size_t> order(buffers.size()), offsets(buffers.size(), 0);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return buffers[a].bytes > buffers[b].bytes; });
  std::vector<size_t> placed;
  size_t total = 0;
  for (size_t i : order) {
    const BufferLifetime& b = buffers[i];
    size_t bytes = (b.bytes + kAlign - 1) / kAlign * kAlign;
    // Buffers already placed that are alive at the same time, by offset.
    std::vector<size_t> conflicts;
    for (size_t j : placed)
      if (buffers[j].firstStep <= b.lastStep && b.firstStep <= buffers[j].lastStep) conflicts.push_back(j);
    std::sort(conflicts.begin(), conflicts.end(), [&](size_t x, size_t y) { return offsets[x] < offsets[y]; });
    // The lowest gap that fits.
    size_t offset = 0;
    for (size_t j : conflicts) {
      size_t jBytes = (buffers[j].bytes + kAlign - 1) / kAlign * kAlign;
      if (offset + bytes <= offsets[j]) break;
      offset = std::max(offset, offsets[j] + jBytes);
    }
    offsets[i] = offset;
    total = std::max(total, offset + bytes);
    placed.push_back(i);
  }
  *arenaBytes = total;
  return offsets;
}

}  // namespace webnn
