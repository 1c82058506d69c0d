// The element-wise activations that can also be fused into a producer's output stage.
#pragma once
#include "graph/graph.h"
#include "kernels/activation.h"

namespace webnn {

// Fills `out` and returns true when `node` is an activation op (relu, clamp, sigmoid, ...): the
// activation its validate parsed (Node::params).
bool activationOf(const Node& node, Activation* out);

// Clamping to `first`'s range and then to `second`'s is clamping to their intersection: fills `out`
// with that clamp and returns true, or false when either is not a clamp or the ranges do not meet.
bool composeClamps(const Activation& first, const Activation& second, Activation* out);

}  // namespace webnn
