// The activation a compiler pass folded into a node (None when there is none).
#pragma once
#include "graph/graph.h"
#include "ops/activation.h"

namespace webnn {

// The activations folded into `node`, composed (the fusion pass folds a second activation only
// when composeClamps accepts it).
inline Activation fusedActivationOf(const Graph& g, const Node& node) {
  Activation act;
  for (size_t i = 0; i < node.fusedActivations.size(); ++i) {
    Activation next;
    activationOf(g.nodes[node.fusedActivations[i]], &next);
    if (i == 0) act = next;
    else composeClamps(act, next, &act);
  }
  return act;
}

}  // namespace webnn
