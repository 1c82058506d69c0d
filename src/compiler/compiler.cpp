#include "compiler/compiler.h"

#include <algorithm>
#include <cstring>

#include "compiler/constant_folding.h"
#include "compiler/constant_lifetime.h"
#include "compiler/elementwise_fusion.h"
#include "compiler/float16.h"
#include "compiler/fusion.h"
#include "compiler/layout.h"
#include "compiler/memory_plan.h"
#include "compiler/plan_verifier.h"
#include "compiler/residual_fusion.h"
#include "core/heap_usage.h"
#include "ops/op_registry.h"

namespace webnn {
namespace {

// The optimising passes, in order. Graph passes rewrite the graph and append what they did to the
// plan report; memory-aliasing (run = null) is part of the memory plan below.
struct CompilerPass {
  const char* name;
  Status (*run)(Graph& g, const std::vector<bool>& keep, ThreadPool* pool, std::vector<std::string>* report);
};
const CompilerPass kPasses[] = {
    {"constant-folding", [](Graph& g, const std::vector<bool>& keep, ThreadPool* pool, std::vector<std::string>* r) {
       return foldConstants(g, keep, pool, r);
     }},
    {"fusion", [](Graph& g, const std::vector<bool>& keep, ThreadPool*, std::vector<std::string>* r) {
       fuseBiasAndActivation(g, keep, r);
       return Status::ok();
     }},
    {"residual-add", [](Graph& g, const std::vector<bool>& keep, ThreadPool*, std::vector<std::string>* r) {
       fuseResidualAdds(g, keep, r);
       return Status::ok();
     }},
    {"nchw-layout", [](Graph& g, const std::vector<bool>& keep, ThreadPool*, std::vector<std::string>* r) {
       cancelLayoutConversions(g, keep, r);
       return Status::ok();
     }},
    {"elementwise-chains", [](Graph& g, const std::vector<bool>& keep, ThreadPool*, std::vector<std::string>* r) {
       fuseElementwiseChains(g, keep, r);
       return Status::ok();
     }},
    {"memory-aliasing", nullptr},
    // Chosen inside conv2d's lowering (Lowering::passEnabled): Winograd F(4x4, 3x3) for 3x3 stride-1
    // convs where it pays; off, they run im2col.
    {"winograd", nullptr},
};

#ifdef NDEBUG
bool verifyByDefault = false;
#else
bool verifyByDefault = true;
#endif

}  // namespace

const std::vector<std::string>& compilerPassNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const CompilerPass& p : kPasses) v.push_back(p.name);
    return v;
  }();
  return names;
}

bool CompileOptions::passEnabled(const std::string& pass) const {
  for (const std::string& d : disabledPasses)
    if (d == pass) return false;
  return true;
}
bool CompileOptions::verifyPlansByDefault() { return verifyByDefault; }
void CompileOptions::setVerifyPlansByDefault(bool on) { verifyByDefault = on; }

Status GraphCompiler::compile(Graph g, const std::vector<std::pair<std::string, int>>& outputs, ThreadPool* pool,
                              std::unique_ptr<CompiledGraph>* result, const CompileOptions& options) {
  auto compiled = std::make_unique<CompiledGraph>();
  compiled->pool_ = pool;
  // Memory during build (the report's "memory:" line): the engine's buffers are counted by
  // AlignedBuffer; `g` owns the constants, so what they weigh is freed as they are packed.
  AlignedBuffer::resetPeak();
  const size_t heapAtStart = heapBytesInUse(), heldAtStart = AlignedBuffer::bytesHeld();
  size_t constantBytesAtStart = 0;
  for (const Operand& o : g.operands)
    if (o.constant && o.constant.use_count() == 1) constantBytesAtStart += AlignedBuffer::roundedSize(o.constant->size());

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

  for (const CompilerPass& pass : kPasses)
    if (pass.run && options.passEnabled(pass.name))
      WEBNN_RETURN_IF_ERROR(pass.run(g, isOutput, pool, &compiled->fusions_));

  // Lowering, in topological order; a fused node at its lowerAt position. Each constant is freed
  // once its last reader has packed it.
  std::vector<int> order(g.nodes.size(), -1);
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!g.nodes[i].removed) order[g.nodes[i].lowerAt >= 0 ? g.nodes[i].lowerAt : i] = int(i);
  Lowering lowering(g, pool);
  lowering.setDisabledPasses(options.disabledPasses);
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
  for (const std::string& line : lowering.reportLines()) compiled->fusions_.push_back(line);
  for (auto copy : copies) {
    int src = copy.first, dst = copy.second;
    size_t bytes = g.desc(src).byteLength();
    lowering.addStep("copy", {src}, {dst}, [=](const StepContext& c) { std::memcpy(c.ptrs[dst], c.ptrs[src], bytes); });
  }

  // Memory plan: intermediates that are not outputs, and scratch buffers, share one arena.
  int ids = lowering.idCount();
  std::vector<size_t> first(ids, SIZE_MAX), last(ids, 0);
  auto& steps = lowering.steps();
  std::vector<std::pair<int, int>> constantViews;
  for (size_t s = 0; s < steps.size(); ++s) {
    for (const auto* list : {&steps[s].reads, &steps[s].writes})
      for (int id : *list) {
        first[id] = std::min(first[id], s);
        last[id] = std::max(last[id], s);
      }
  }
  // Pass "memory-aliasing": a step's hinted output shares its input's buffer (union-find over
  // ids). Views alias whenever kinds allow; in-place outputs only when the step is the input's last
  // reader. An input/output bound at dispatch can back a view through a dispatch-time alias.
  auto arenaEligible = [&](int id) {
    return id >= lowering.scratchBase() ||
           (g.operands[id].kind == OperandKind::Intermediate && !(size_t(id) < isOutput.size() && isOutput[id]));
  };
  std::vector<int> root(ids);
  for (int id = 0; id < ids; ++id) root[id] = id;
  auto find = [&](int id) {
    while (root[id] != id) id = root[id] = root[root[id]];
    return id;
  };
  std::vector<size_t> rootLast(last);
  std::vector<bool> elidedStep(steps.size(), false);
  std::vector<int> external(ids, 0);  // 1: views a constant, 2: views a tensor bound at dispatch
  std::vector<std::pair<int, int>> views;  // (source, view), for the plan verifier
  for (size_t s = 0; s < steps.size() && options.passEnabled("memory-aliasing"); ++s) {
    const Step& st = steps[s];
    int in = st.aliasIn, out = st.aliasOut;
    if (in < 0 || out < 0 || !arenaEligible(out) || find(out) != out) continue;
    if (g.desc(in).byteLength() != g.desc(out).byteLength()) continue;
    std::string what = st.view ? "view" : "in place";
    if (st.view && external[in]) {  // a view of a view of a constant / bound tensor
      (external[in] == 1 ? constantViews : compiled->dispatchAliases_).push_back({in, out});
      external[out] = external[in];
      first[out] = SIZE_MAX;
    } else if (arenaEligible(in) && !external[in]) {
      int r = find(in);
      if (!st.view && rootLast[r] != s) continue;  // the input is read later: no overwriting
      // nor read again by this step: as another operand (e.g. a chain's side) that is it or a view of it
      if (!st.view && std::count_if(st.reads.begin(), st.reads.end(), [&](int id) { return find(id) == r; }) > 1) continue;
      root[out] = r;
      first[r] = std::min(first[r], first[out]);
      rootLast[r] = std::max(rootLast[r], last[out]);
      last[r] = rootLast[r];
    } else if (st.view && g.operands[in].kind == OperandKind::Constant) {
      constantViews.push_back({in, out});
      external[out] = 1;
      first[out] = SIZE_MAX;  // not in the arena
    } else if (st.view) {  // a graph input or output: aliased at dispatch
      compiled->dispatchAliases_.push_back({in, out});
      external[out] = 2;
      first[out] = SIZE_MAX;
    } else {
      continue;
    }
    if (st.view) {
      elidedStep[s] = true;
      views.push_back({in, out});
    }
    compiled->fusions_.push_back("memory-aliasing: step " + std::to_string(s) + " (" + st.name + ") " + what +
                                 (st.view ? ", step removed" : ""));
  }

  std::vector<int> arenaIds;
  std::vector<BufferLifetime> lifetimes;
  for (int id = 0; id < ids; ++id) {
    if (!arenaEligible(id) || first[id] == SIZE_MAX || find(id) != id) continue;
    bool scratch = id >= lowering.scratchBase();
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
  for (int id = 0; id < ids; ++id)
    if (find(id) != id) compiled->pointers_[id] = compiled->pointers_[find(id)];
  // Constants some step reads as is (Step::reads; constants consumed packed or folded were freed
  // above), including operands created by passes (fused biases, folded results).
  std::vector<bool> read(ids, false);
  for (const Step& st : steps)
    for (int id : st.reads) read[id] = true;
  for (auto [in, out] : constantViews) read[in] = true;
  for (size_t id = 0; id < g.operands.size(); ++id)
    if (g.operands[id].kind == OperandKind::Constant && read[id] && g.operands[id].constant) {
      compiled->pointers_[id] = g.operands[id].constant->data();
      compiled->constants_.push_back(g.operands[id].constant);
    }
  for (auto [in, out] : constantViews) compiled->pointers_[out] = compiled->pointers_[in];
  // Steps made no-ops by an alias are dropped.
  std::vector<Step> kept;
  for (size_t s = 0; s < steps.size(); ++s)
    if (!elidedStep[s]) kept.push_back(std::move(steps[s]));
  steps = std::move(kept);
  compiled->steps_ = std::move(steps);
  if (options.verifyPlan) {
    PlanLayout layout;
    layout.arena = compiled->arena_.data();
    layout.arenaBytes = compiled->arena_.size();
    layout.pointers.assign(compiled->pointers_.begin(), compiled->pointers_.end());
    layout.bytes.resize(ids);
    for (int id = 0; id < ids; ++id)
      layout.bytes[id] = id >= lowering.scratchBase() ? lowering.scratchBytes()[id - lowering.scratchBase()]
                                                      : size_t(g.desc(id).byteLength());
    for (const GraphPort& in : compiled->inputs_) layout.inputs.push_back(in.operand);
    for (const GraphPort& out : compiled->outputs_) layout.outputs.push_back(out.operand);
    layout.views = views;
    for (auto view : compiled->dispatchAliases_) layout.views.push_back(view);
    for (auto view : constantViews) layout.views.push_back(view);
    WEBNN_RETURN_IF_ERROR(verifyPlan(compiled->steps_, layout));
  }
  g = Graph();  // frees the constants no step reads
  const size_t heldByOthers = heldAtStart - constantBytesAtStart;  // other graphs' and tensors' buffers
  compiled->memory_.weightBytes =
      AlignedBuffer::bytesHeld() - AlignedBuffer::roundedSize(compiled->arena_.size()) - heldByOthers;
  compiled->memory_.buildPeakBytes = heapAtStart + (AlignedBuffer::peakBytesHeld() - heldAtStart);
  *result = std::move(compiled);
  return Status::ok();
}

}  // namespace webnn
