#include "compiler/compiler.h"

#include <cstring>

#include "compiler/float16.h"
#include "compiler/fusion.h"
#include "compiler/memory_plan.h"
#include "ops/op_registry.h"

namespace webnn {

Status GraphCompiler::compile(Graph g, const std::vector<std::pair<std::string, int>>& outputs, ThreadPool* pool,
                              std::unique_ptr<CompiledGraph>* result) {
  auto compiled = std::make_unique<CompiledGraph>();
  compiled->pool_ = pool;

  // The same operand named twice as an output gets a copy, so each output binds its own tensor.
  std::vector<std::pair<int, int>> copies;  // (source operand, duplicate operand)
  std::vector<bool> isOutput(g.operands.size(), false);
  for (auto& [name, id] : outputs) {
    int operand = id;
    if (isOutput[id]) {
      g.operands.push_back(Operand{g.operands[id].desc, OperandKind::Intermediate, "", nullptr, -1});
      operand = int(g.operands.size()) - 1;
      copies.push_back({id, operand});
      isOutput.push_back(true);
    }
    isOutput[operand] = true;
    compiled->outputs_.push_back({name, operand, g.operands[operand].desc});
  }

  // Live nodes: those an output depends on (nodes are stored in topological order).
  std::vector<bool> needed(g.operands.size(), false);
  for (auto& out : outputs) needed[out.second] = true;
  for (size_t i = g.nodes.size(); i-- > 0;) {
    Node& n = g.nodes[i];
    bool live = false;
    for (int o : n.outputs) live = live || needed[o];
    if (!live) {
      n.removed = true;
      continue;
    }
    for (auto& in : n.inputs) needed[in.second] = true;
  }
  for (size_t id = 0; id < g.operands.size(); ++id)
    if (needed[id] && g.operands[id].kind == OperandKind::Input)
      compiled->inputs_.push_back({g.operands[id].name, int(id), g.operands[id].desc});

  // float16 nodes whose lowering computes in float32 get conversion steps (adds operands and nodes).
  WEBNN_RETURN_IF_ERROR(convertFloat16ToFloat32(g, &isOutput));

  fuseBiasAndActivation(g, isOutput, &compiled->fusions_);

  // Lowering, in topological order.
  Lowering lowering(g, pool);
  const OpRegistry& registry = OpRegistry::instance();
  for (const Node& n : g.nodes) {
    if (n.removed) continue;
    const OpDef* def = registry.find(n.op);
    if (!def) return Status::notSupported(n.displayName() + ": not implemented by this engine");
    WEBNN_RETURN_IF_ERROR(def->lower(n, lowering));
  }
  for (auto copy : copies) {
    int src = copy.first, dst = copy.second;
    size_t bytes = g.desc(src).byteLength();
    lowering.addStep("copy", {src}, {dst}, [=](const StepContext& c) { std::memcpy(c.ptrs[dst], c.ptrs[src], bytes); });
  }

  // Memory plan: intermediates that are not outputs, and scratch buffers, share one arena.
  int ids = lowering.idCount();
  std::vector<size_t> first(ids, SIZE_MAX), last(ids, 0);
  auto& steps = lowering.steps();
  for (size_t s = 0; s < steps.size(); ++s) {
    for (const auto* list : {&steps[s].reads, &steps[s].writes})
      for (int id : *list) {
        first[id] = std::min(first[id], s);
        last[id] = std::max(last[id], s);
      }
  }
  std::vector<int> arenaIds;
  std::vector<BufferLifetime> lifetimes;
  for (int id = 0; id < ids; ++id) {
    bool scratch = id >= lowering.scratchBase();
    bool intermediate = !scratch && g.operands[id].kind == OperandKind::Intermediate && !isOutput[id];
    if ((!scratch && !intermediate) || first[id] == SIZE_MAX) continue;
    size_t bytes = scratch ? lowering.scratchBytes()[id - lowering.scratchBase()] : g.desc(id).byteLength();
    arenaIds.push_back(id);
    lifetimes.push_back({bytes, first[id], last[id]});
  }
  size_t arenaBytes = 0;
  std::vector<size_t> offsets = planMemory(lifetimes, &arenaBytes);
  if (!compiled->arena_.allocate(arenaBytes))
    return Status::error(ErrorKind::UnknownError,
                         "build: out of memory allocating the graph's arena (" + std::to_string(arenaBytes) + " bytes)");

  compiled->pointers_.assign(ids, nullptr);
  for (size_t i = 0; i < arenaIds.size(); ++i) compiled->pointers_[arenaIds[i]] = compiled->arena_.data() + offsets[i];
  for (size_t id = 0; id < g.operands.size(); ++id)
    if (g.operands[id].kind == OperandKind::Constant && needed.size() > id && needed[id]) {
      compiled->pointers_[id] = g.operands[id].constant->data();
      compiled->constants_.push_back(g.operands[id].constant);
    }
  // Operands created by passes (fused biases) view constants too.
  for (size_t id = needed.size(); id < g.operands.size(); ++id)
    if (g.operands[id].kind == OperandKind::Constant) {
      compiled->pointers_[id] = g.operands[id].constant->data();
      compiled->constants_.push_back(g.operands[id].constant);
    }
  compiled->steps_ = std::move(steps);
  *result = std::move(compiled);
  return Status::ok();
}

}  // namespace webnn
