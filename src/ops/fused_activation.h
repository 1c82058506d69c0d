// The activation a compiler pass folded into a node (None when there is none).
#pragma once
#include <algorithm>

#include "graph/graph.h"
#include "ops/activation.h"

namespace webnn {

// The activations folded into `node`, composed: two clamps make one over the intersection of their
// ranges (the fusion pass folds a second activation only when both are clamps that intersect).
inline Activation fusedActivationOf(const Graph& g, const Node& node) {
  Activation act;
  for (size_t i = 0; i < node.fusedActivations.size(); ++i) {
    Activation next;
    activationOf(g.nodes[node.fusedActivations[i]], &next);
    if (i == 0) {
      act = next;
    } else {
      act.minValue = std::max(act.minValue, next.minValue);
      act.maxValue = std::min(act.maxValue, next.maxValue);
    }
  }
  return act;
}

}  // namespace webnn
