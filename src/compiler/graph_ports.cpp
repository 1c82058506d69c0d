#include "compiler/graph_ports.h"

namespace webnn {

Status bindGraphPorts(Compilation& c) {
  Graph& g = c.graph;
  c.isOutput.assign(g.operands.size(), false);
  for (auto& [name, id] : c.requestedOutputs) {
    int operand = id;
    if (c.isOutput[id]) {
      g.operands.push_back(Operand{g.operands[id].desc, OperandKind::Intermediate, "", nullptr, -1});
      operand = int(g.operands.size()) - 1;
      c.outputCopies.push_back({id, operand});
      c.isOutput.push_back(true);
    }
    c.isOutput[operand] = true;
    c.outputs.push_back({name, operand, g.operands[operand].desc});
  }

  std::vector<bool> read(g.operands.size(), false);
  for (const Node& n : g.nodes)
    if (!n.removed)
      for (auto& in : n.inputs) read[in.second] = true;
  for (size_t id = 0; id < g.operands.size(); ++id)
    if ((read[id] || c.isOutput[id]) && g.operands[id].kind == OperandKind::Input)
      c.inputs.push_back({g.operands[id].name, int(id), g.operands[id].desc});
  return Status::ok();
}

}  // namespace webnn
