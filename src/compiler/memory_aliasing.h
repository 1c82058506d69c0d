// Pass "memory-aliasing" (report prefix `memory-aliasing:`), run by the memory planner between
// lifetimes and placement: a step's output may share its input's buffer (Step::aliasIn/aliasOut).
// Views (reshape) alias whenever kinds allow — arena buffers are merged, a constant is pointed at,
// a tensor bound at dispatch is aliased at dispatch — and the view's step is removed. In-place
// steps (element-wise chains) alias only when they are the input's last reader and read it through
// no other operand. Graph outputs never alias.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "ops/lowering.h"
#include "graph/graph.h"

namespace webnn {

// The buffers of a step list by id (operands, then scratch ids), as the memory planner tracks them.
struct PlannedBuffers {
  explicit PlannedBuffers(int ids) : first(ids, SIZE_MAX), last(ids, 0), root(ids) {
    for (int id = 0; id < ids; ++id) root[id] = id;
  }
  // First and last step touching each buffer; first == SIZE_MAX: no arena bytes of its own.
  std::vector<size_t> first, last;
  // Union-find over ids: a buffer merged into another uses the bytes of its root.
  std::vector<int> root;
  int find(int id) {
    while (root[id] != id) id = root[id] = root[root[id]];
    return id;
  }
  std::vector<bool> elidedSteps;  // by step: a view the alias made a no-op
  std::vector<std::pair<int, int>> constantViews;    // (constant, view of it)
  std::vector<std::pair<int, int>> dispatchAliases;  // (operand bound at dispatch, view of it)
  std::vector<std::pair<int, int>> arenaViews;       // (source, view) merged in the arena
};

// Applies the steps' alias hints to `buffers` (lifetimes already filled in). `inArena(id)`: the
// buffer would get arena bytes (not a constant, not bound at dispatch). Appends a report line per alias.
void aliasBuffers(const Graph& graph, const std::vector<Step>& steps, const std::function<bool(int)>& inArena,
                  PlannedBuffers* buffers, std::vector<std::string>* report);

}  // namespace webnn
