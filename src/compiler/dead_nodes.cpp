#include "compiler/dead_nodes.h"

namespace webnn {

Status removeDeadNodes(Compilation& c) {
  Graph& g = c.graph;
  // Nodes are stored in topological order: one walk from the end finds every node an output needs.
  std::vector<bool> needed(g.operands.size(), false);
  for (auto& out : c.requestedOutputs) needed[out.second] = true;
  for (size_t i = g.nodes.size(); i-- > 0;) {
    Node& n = g.nodes[i];
    bool live = false;
    for (int o : n.outputs) live = live || needed[o];
    if (!live) {
      if (!n.removed) c.report.push_back("dead-nodes: " + n.op + "#" + std::to_string(i) + " removed (no output needs it)");
      n.removed = true;
      continue;
    }
    for (auto& in : n.inputs) needed[in.second] = true;
  }
  return Status::ok();
}

}  // namespace webnn
