// The memory planner (XNNPACK's memory-planner.c is the model): from the finished step list it
// works out each buffer's lifetime (the first and last step touching it), which buffers share bytes
// (pass "memory-aliasing", memory_aliasing.h), where each buffer the arena holds is placed (greedy
// by size, as TFLite's planner does), and the pointer table dispatch() runs the steps on.
#pragma once
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "core/aligned_buffer.h"
#include "core/status.h"

namespace webnn {

struct Compilation;

struct BufferLifetime {
  size_t bytes;
  size_t firstStep, lastStep;
};

// Places buffers with known lifetimes in one arena, reusing space between buffers whose lifetimes do
// not overlap. Returns each buffer's offset (64-byte aligned); *arenaBytes receives the arena size.
std::vector<size_t> placeBuffers(const std::vector<BufferLifetime>& buffers, size_t* arenaBytes);

// Where every operand and scratch buffer of a compiled graph lives at dispatch.
struct MemoryPlan {
  AlignedBuffer arena;  // intermediates that are not outputs, and scratch buffers
  std::vector<void*> pointers;  // by id (operands, then scratch ids); null: bound at dispatch
  std::vector<size_t> bytes;    // by id: the buffer's size
  std::vector<std::shared_ptr<AlignedBuffer>> constants;  // the constants some step reads as is
  std::vector<std::pair<int, int>> dispatchAliases;  // (bound operand, view of it): pointer copied at dispatch
  std::vector<std::pair<int, int>> views;  // every (source, view) pair sharing bytes, for the plan verifier
};

// The memory planner's pass ("memory-plan", its report lines are memory-aliasing's): plans
// c.lowering's steps into c.memory and drops the steps aliasing made no-ops. An arena that cannot
// be allocated is an UnknownError.
Status planMemory(Compilation& c);

}  // namespace webnn
