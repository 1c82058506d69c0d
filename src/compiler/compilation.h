// What the compiler's passes share while one graph is compiled (compiler.cpp runs them in order):
// the graph being rewritten, which operands are graph outputs, the steps once lowered, the memory
// plan once made, and the plan report each pass appends its lines to.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compiler/compiler.h"
#include "ops/lowering.h"
#include "compiler/memory_plan.h"
#include "core/status.h"
#include "graph/graph.h"
#include "runtime/compiled_graph.h"

namespace webnn {

class ThreadPool;

struct Compilation {
  Compilation(Graph g, ThreadPool* p, const CompileOptions& o) : graph(std::move(g)), pool(p), options(o) {}

  Graph graph;
  ThreadPool* pool;
  const CompileOptions& options;
  std::vector<std::pair<std::string, int>> requestedOutputs;  // as build() named them

  // Graph outputs by operand id (never folded, fused away or placed in the arena). Passes that add
  // operands keep it sized to the graph's operands.
  std::vector<bool> isOutput;
  std::vector<GraphPort> inputs, outputs;  // the ports, in the order dispatch() binds them
  // (source, duplicate): an operand named twice as an output is copied, so each output binds its own
  // tensor. The lowering pass emits the copies last.
  std::vector<std::pair<int, int>> outputCopies;

  std::unique_ptr<Lowering> lowering;  // the steps, made by the lowering pass
  MemoryPlan memory;                   // made by the memory planner
  std::vector<std::string> report;     // the plan report's "passes:" lines
};

// One pass of the compiler: its name (the one CompileOptions::disabledPasses uses when it can be
// switched off) and what it does to the compilation.
struct CompilerPass {
  const char* name;
  bool optional;  // may be disabled (an optimisation: results must not change without it)
  Status (*run)(Compilation& c);
};

}  // namespace webnn
