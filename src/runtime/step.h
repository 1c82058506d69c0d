// What the runtime executes: a step is a closure over operand ids; at dispatch it receives a table
// of pointers (constants, bound tensors, arena slots), so running a compiled graph allocates nothing
// and copies nothing. Steps are made by ops' lowerings (ops/lowering.h) and planned by the compiler.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace webnn {

class ThreadPool;

struct StepContext {
  void* const* ptrs;  // indexed by operand id (and scratch ids past the graph's operands)
  ThreadPool* pool;
  template <typename T>
  T* get(int id) const { return static_cast<T*>(ptrs[id]); }
};

using StepFn = std::function<void(const StepContext&)>;

struct Step {
  std::string name;         // e.g. "conv2d#3+add#4+relu#5" (for the plan report)
  std::vector<int> reads;   // operand ids read (for the memory plan)
  std::vector<int> writes;  // operand ids written
  StepFn run;
  // Memory-plan hint: `aliasOut` may share `aliasIn`'s buffer. A view (reshape: same bytes, nothing
  // written) may alias whenever the buffers' kinds allow it; otherwise (in place) only when this
  // step is the last reader of aliasIn. The step must be correct with or without the alias.
  int aliasIn = -1, aliasOut = -1;
  bool view = false;
};

}  // namespace webnn
