// Fusion passes over the graph IR, run at build before lowering.
#pragma once
#include <string>
#include <vector>

#include "graph/graph.h"

namespace webnn {

// Folds `add(constant bias)` and then an activation (or clamps that compose into one, e.g. relu
// then clamp) that follow conv2d / matmul / gemm into that node (its bias input and output stage).
// `keep` marks operands that must stay observable (graph outputs). Appends a line per fusion to `report`, e.g. "conv2d#3 + add#4 + relu#5".
void fuseBiasAndActivation(Graph& graph, const std::vector<bool>& keep, std::vector<std::string>* report);

}  // namespace webnn
