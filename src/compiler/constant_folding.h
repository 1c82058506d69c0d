// Pass "constant-folding": a live node whose inputs are all constants is computed once at build —
// its own lowered steps run on build-time buffers — and its outputs become constants.
#pragma once
#include <string>
#include <vector>

#include "core/status.h"
#include "graph/graph.h"

namespace webnn {

class ThreadPool;

// `keep` marks graph outputs (never folded: a dispatch must write them). Folded nodes are marked
// removed. Appends one report line per folded node.
Status foldConstants(Graph& graph, const std::vector<bool>& keep, ThreadPool* pool, std::vector<std::string>* report);

}  // namespace webnn
