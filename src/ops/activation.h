// The element-wise activations that can also be fused into a producer's output stage.
#pragma once
#include "graph/graph.h"
#include "kernels/activation.h"

namespace webnn {

// Fills `out` and returns true when `node` is an activation op (relu, clamp, sigmoid, ...): the
// activation its validate parsed (Node::params).
bool activationOf(const Node& node, Activation* out);

}  // namespace webnn
