#include "compiler/residual_fusion.h"

namespace webnn {

void fuseResidualAdds(Graph& g, const std::vector<bool>& keep, std::vector<std::string>* report) {
  const Readers readers(g);
  for (size_t ni = 0; ni < g.nodes.size(); ++ni) {
    Node& node = g.nodes[ni];
    if (node.removed || node.type != OpType::Matmul || !node.fusedActivations.empty() || node.input("residual") >= 0) continue;
    const int b = node.input("b"), out = node.outputs[0];
    // The linear-layer form, whose lowering runs one GEMM over a constant B.
    if (!g.isConstant(b) || g.desc(b).rank() != 2 || g.desc(out).dataType != DataType::Float32 || keep[out]) continue;
    const int ai = soleConsumer(readers, out, /*sameNodeTwice=*/false);
    if (ai < 0 || g.nodes[ai].type != OpType::Add) continue;
    Node& add = g.nodes[ai];
    const int other = add.input("a") == out ? add.input("b") : add.input("a");
    const OperandDesc& od = g.desc(other);
    if (other == out || g.isConstant(other) || od.dataType != DataType::Float32 || od.shape != g.desc(out).shape ||
        g.desc(add.outputs[0]).shape != g.desc(out).shape)
      continue;
    node.inputs.push_back({"residual", other});
    node.outputs[0] = add.outputs[0];
    node.lowerAt = int(ai);  // r's producer may come after the matmul, but comes before the add
    add.removed = true;
    node.fusedName += "+add(residual)";
    report->push_back("residual-add: matmul#" + std::to_string(ni) + " + add#" + std::to_string(ai));
  }
}

}  // namespace webnn
