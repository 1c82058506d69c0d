#include "compiler/constant_folding.h"

#include <algorithm>
#include <memory>

#include "compiler/constant_lifetime.h"
#include "ops/lowering.h"
#include "ops/op_registry.h"

namespace webnn {

Status foldConstants(Graph& g, const std::vector<bool>& keep, ThreadPool* pool, std::vector<std::string>* report) {
  const OpRegistry& registry = OpRegistry::instance();
  ConstantLifetimes lifetimes(g);  // a folded node's inputs are freed when nothing else reads them
  std::vector<void*> ptrs;
  for (size_t ni = 0; ni < g.nodes.size(); ++ni) {
    Node& node = g.nodes[ni];
    if (node.removed || node.inputs.empty()) continue;
    bool allConstant = true;
    for (auto& in : node.inputs) allConstant = allConstant && g.isConstant(in.second);
    for (int o : node.outputs) allConstant = allConstant && !(o < int(keep.size()) && keep[o]);
    if (!allConstant) continue;
    const OpDef* def = registry.find(node.op);
    if (!def) continue;  // reported by lowering

    WEBNN_RETURN_IF_ERROR(lifetimes.prepare(node));
    Lowering lowering(g, pool);
    WEBNN_RETURN_IF_ERROR(def->lower(node, lowering));
    // Pointers for what the steps read only (one table for the whole pass: filling one per
    // folded node over every operand made folding quadratic in the graph's size).
    ptrs.resize(std::max(ptrs.size(), size_t(lowering.idCount())), nullptr);
    auto bindConstant = [&](int id) {
      if (size_t(id) < g.operands.size() && g.operands[id].kind == OperandKind::Constant && g.operands[id].constant)
        ptrs[id] = g.operands[id].constant->data();
    };
    for (auto& in : node.inputs) bindConstant(in.second);
    for (const Step& step : lowering.steps())
      for (int id : step.reads) bindConstant(id);
    std::vector<std::shared_ptr<AlignedBuffer>> outputs;
    for (int o : node.outputs) {
      auto buffer = std::make_shared<AlignedBuffer>();
      if (!buffer->allocate(g.desc(o).byteLength(), true))
        return Status::error(ErrorKind::UnknownError, node.displayName() + ": out of memory folding a constant");
      ptrs[o] = buffer->data();
      outputs.push_back(buffer);
    }
    std::vector<AlignedBuffer> scratch(lowering.scratchBytes().size());
    for (size_t k = 0; k < scratch.size(); ++k) {
      if (!scratch[k].allocate(lowering.scratchBytes()[k]))
        return Status::error(ErrorKind::UnknownError, node.displayName() + ": out of memory folding a constant");
      ptrs[lowering.scratchBase() + k] = scratch[k].data();
    }
    StepContext ctx{ptrs.data(), pool};
    for (const Step& step : lowering.steps()) step.run(ctx);
    for (size_t k = 0; k < node.outputs.size(); ++k) {
      Operand& operand = g.operands[node.outputs[k]];
      operand.kind = OperandKind::Constant;
      operand.constant = outputs[k];
    }
    node.removed = true;
    lifetimes.finished(node, {}, 0);
    report->push_back("constant-folding: " + node.op + "#" + std::to_string(ni) + " computed at build");
  }
  return Status::ok();
}

}  // namespace webnn
