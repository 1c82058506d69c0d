#include "compiler/lower_nodes.h"

#include <cstring>

#include "compiler/constant_lifetime.h"
#include "compiler/elementwise_fusion.h"
#include "ops/op_registry.h"

namespace webnn {

Status lowerNodes(Compilation& c) {
  Graph& g = c.graph;
  std::vector<int> order(g.nodes.size(), -1);
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!g.nodes[i].removed) order[g.nodes[i].lowerAt >= 0 ? g.nodes[i].lowerAt : i] = int(i);
  c.lowering = std::make_unique<Lowering>(g, c.pool);
  Lowering& lowering = *c.lowering;
  lowering.setDisabledPasses(c.options.disabledPasses);
  ConstantLifetimes constants(g);
  const OpRegistry& registry = OpRegistry::instance();
  for (int ni : order) {
    if (ni < 0) continue;
    const Node& n = g.nodes[ni];
    size_t firstStep = lowering.steps().size();
    WEBNN_RETURN_IF_ERROR(constants.prepare(n));
    if (!n.chainNodes.empty()) {
      WEBNN_RETURN_IF_ERROR(lowerElementwiseChain(n, lowering));
    } else {
      const OpDef* def = registry.find(n.op);
      if (!def) return Status::notSupported(n.displayName() + ": not implemented by this engine");
      WEBNN_RETURN_IF_ERROR(def->lower(n, lowering));
    }
    constants.finished(n, lowering.steps(), firstStep);
  }
  for (const std::string& line : lowering.reportLines()) c.report.push_back(line);
  for (auto copy : c.outputCopies) {
    int src = copy.first, dst = copy.second;
    size_t bytes = g.desc(src).byteLength();
    lowering.addStep("copy", {src}, {dst}, [=](const StepContext& s) { std::memcpy(s.ptrs[dst], s.ptrs[src], bytes); });
  }
  return Status::ok();
}

}  // namespace webnn
