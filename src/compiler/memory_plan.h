// Places buffers with known lifetimes (first and last step that touch them) in one arena, reusing
// space between buffers whose lifetimes do not overlap (greedy by size, as TFLite's planner does).
#pragma once
#include <cstddef>
#include <vector>

namespace webnn {

struct BufferLifetime {
  size_t bytes;
  size_t firstStep, lastStep;
};

// Returns each buffer's offset; *arenaBytes receives the arena size. Offsets are 64-byte aligned.
std::vector<size_t> planMemory(const std::vector<BufferLifetime>& buffers, size_t* arenaBytes);

}  // namespace webnn
