// Turns a validated graph and its named outputs into a CompiledGraph: dead-node elimination,
// fusion, lowering to steps, and the memory plan.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "graph/graph.h"
#include "runtime/compiled_graph.h"

namespace webnn {

class ThreadPool;

class GraphCompiler {
 public:
  static Status compile(Graph graph, const std::vector<std::pair<std::string, int>>& outputs, ThreadPool* pool,
                        std::unique_ptr<CompiledGraph>* result);
};

}  // namespace webnn
