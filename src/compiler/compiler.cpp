#include "compiler/compiler.h"

#include "compiler/batchnorm_folding.h"
#include "compiler/broadcast_folding.h"
#include "compiler/compilation.h"
#include "compiler/constant_folding.h"
#include "compiler/dead_nodes.h"
#include "compiler/elementwise_fusion.h"
#include "compiler/float16.h"
#include "compiler/gelu_recognition.h"
#include "compiler/fusion.h"
#include "compiler/graph_ports.h"
#include "compiler/layernorm_recognition.h"
#include "compiler/layout.h"
#include "compiler/lower_nodes.h"
#include "compiler/pad_folding.h"
#include "compiler/memory_plan.h"
#include "compiler/nan_pool_fusion.h"
#include "compiler/plan_verifier.h"
#include "compiler/residual_fusion.h"
#include "compiler/shape_sinking.h"
#include "core/heap_usage.h"

namespace webnn {
namespace {

// The compiler, pass by pass: each line names the pass, whether it is optional, and what runs it;
// the comment gives its report prefix (the lines it adds under "passes:" in MLGraph.debugPlan()).
// Each pass's header says what it does. Optional passes are optimisations that
// CompileOptions::disabledPasses switches off by name without changing any result, beyond the
// rounding differences docs/numerics.md states (batchnorm-folding, gelu-recognition,
// layernorm-recognition, winograd).
const CompilerPass kPipeline[] = {
    {"dead-nodes", false, removeDeadNodes},    // dead_nodes.h, "dead-nodes:"
    {"graph-ports", false, bindGraphPorts},    // graph_ports.h, none
    {"float16", false,                         // float16.h, none (its casts show as steps)
     [](Compilation& c) { return convertFloat16ToFloat32(c.graph, &c.isOutput); }},
    {"gelu-recognition", true,                 // gelu_recognition.h, "gelu-recognition:"
     [](Compilation& c) { return recognizeGelu(c.graph, c.isOutput, &c.report); }},
    {"shape-sinking", true,                    // shape_sinking.h, "shape-sinking:"
     [](Compilation& c) { return sinkShapeOps(c.graph, c.isOutput, &c.report); }},
    {"broadcast-folding", true,                // broadcast_folding.h, "broadcast-folding:"
     [](Compilation& c) {
       foldBroadcastsIntoBinaryOps(c.graph, c.isOutput, &c.report);
       return Status::ok();
     }},
    {"constant-folding", true,                 // constant_folding.h, "constant-folding:"
     [](Compilation& c) { return foldConstants(c.graph, c.isOutput, c.pool, &c.report); }},
    {"layernorm-recognition", true,            // layernorm_recognition.h, "layernorm-recognition:"
     [](Compilation& c) { return recognizeLayerNorms(c.graph, c.isOutput, &c.report); }},
    {"pad-folding", true,                      // pad_folding.h, "pad-folding:"
     [](Compilation& c) { return foldPadsIntoConvs(c.graph, c.isOutput, &c.report); }},
    {"batchnorm-folding", true,                // batchnorm_folding.h, "batchnorm-folding:"
     [](Compilation& c) {
       foldBatchNormsIntoConvs(c.graph, c.isOutput, &c.report);
       return Status::ok();
     }},
    {"maxpool-skip-nan", true,                 // nan_pool_fusion.h, "maxpool-skip-nan:"
     [](Compilation& c) {
       fuseNaNSkippingMaxPools(c.graph, c.isOutput, &c.report);
       return Status::ok();
     }},
    {"fusion", true,                           // fusion.h, "fused "
     [](Compilation& c) {
       fuseBiasAndActivation(c.graph, c.isOutput, &c.report);
       return Status::ok();
     }},
    {"residual-add", true,                     // residual_fusion.h, "residual-add:"
     [](Compilation& c) {
       fuseResidualAdds(c.graph, c.isOutput, &c.report);
       return Status::ok();
     }},
    {"nchw-layout", true,                      // layout.h, "nchw-layout:"
     [](Compilation& c) {
       cancelLayoutConversions(c.graph, c.isOutput, &c.report);
       return Status::ok();
     }},
    {"elementwise-chains", true,               // elementwise_fusion.h, "elementwise-chains:"
     [](Compilation& c) {
       fuseElementwiseChains(c.graph, c.isOutput, &c.report);
       return Status::ok();
     }},
    {"lowering", false, lowerNodes},           // lower_nodes.h, what lowerings report ("winograd:")
    {"memory-plan", false, planMemory},        // memory_plan.h, "memory-aliasing:"
    {"verify-plan", false,                     // plan_verifier.h, none
     [](Compilation& c) { return c.options.verifyPlan ? verifyCompiledPlan(c) : Status::ok(); }},
};

// Optional passes that act inside another pass: the memory planner's aliasing (memory_aliasing.h)
// and conv2d's choice of Winograd F(4x4, 3x3) in its lowering (Lowering::passEnabled).
const char* const kPassesInsideOthers[] = {"memory-aliasing", "winograd"};

#ifdef NDEBUG
bool verifyByDefault = false;
#else
bool verifyByDefault = true;
#endif

}  // namespace

const std::vector<std::string>& compilerPassNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const CompilerPass& p : kPipeline)
      if (p.optional) v.push_back(p.name);
    for (const char* name : kPassesInsideOthers) v.push_back(name);
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
  // Memory during build (the report's "memory:" line): the engine's buffers are counted by
  // AlignedBuffer; `g` owns the constants, so what they weigh is freed as they are packed.
  AlignedBuffer::resetPeak();
  const size_t heapAtStart = heapBytesInUse(), heldAtStart = AlignedBuffer::bytesHeld();
  size_t constantBytesAtStart = 0;
  for (const Operand& o : g.operands)
    if (o.constant && o.constant.use_count() == 1) constantBytesAtStart += AlignedBuffer::roundedSize(o.constant->size());

  auto c = std::make_unique<Compilation>(std::move(g), pool, options);
  c->requestedOutputs = outputs;
  for (const CompilerPass& pass : kPipeline)
    if (!pass.optional || options.passEnabled(pass.name)) WEBNN_RETURN_IF_ERROR(pass.run(*c));

  auto compiled = std::make_unique<CompiledGraph>();
  compiled->pool_ = pool;
  compiled->inputs_ = std::move(c->inputs);
  compiled->outputs_ = std::move(c->outputs);
  compiled->steps_ = std::move(c->lowering->steps());
  compiled->fusions_ = std::move(c->report);
  compiled->arena_ = std::move(c->memory.arena);
  compiled->pointers_ = std::move(c->memory.pointers);
  compiled->constants_ = std::move(c->memory.constants);
  compiled->dispatchAliases_ = std::move(c->memory.dispatchAliases);
  c.reset();  // frees the constants no step reads
  const size_t heldByOthers = heldAtStart - constantBytesAtStart;  // other graphs' and tensors' buffers
  compiled->memory_.weightBytes =
      AlignedBuffer::bytesHeld() - AlignedBuffer::roundedSize(compiled->arena_.size()) - heldByOthers;
  compiled->memory_.buildPeakBytes = heapAtStart + (AlignedBuffer::peakBytesHeld() - heldAtStart);
  *result = std::move(compiled);
  return Status::ok();
}

}  // namespace webnn
