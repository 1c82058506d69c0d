// The activation a compiler pass folded into a node (None when there is none).
#pragma once
#include "graph/graph.h"
#include "ops/activation.h"

namespace webnn {

inline Activation fusedActivationOf(const Graph& g, const Node& node) {
  Activation act;
  if (node.fusedActivation >= 0) activationOf(g.nodes[node.fusedActivation], &act);
  return act;
}

}  // namespace webnn
