// Pass "elementwise-chains": fuses chains of float32 element-wise ops (binary ops whose other
// operand is the same shape, a single value or a row broadcast along leading dims; unary
// activations) into one node that runs the whole chain per tile (kernels/elementwise/chain.h).
#pragma once
#include <string>
#include <vector>

#include "ops/lowering.h"
#include "graph/graph.h"

namespace webnn {

// Marks chains: the first node keeps its place, gets `chainNodes` and the last node's output; the
// others are removed. `keep` marks operands that must stay observable (graph outputs).
void fuseElementwiseChains(Graph& graph, const std::vector<bool>& keep, std::vector<std::string>* report);

// Emits the one step of a node carrying a chain.
Status lowerElementwiseChain(const Node& node, Lowering& lowering);

}  // namespace webnn
