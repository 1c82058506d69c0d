// matmul(a, b) with broadcast batch dims, and gemm(a, b, {c, alpha, beta, aTranspose, bTranspose}).
// Constant B matrices are packed once at build; a constant row-vector c (or a bias folded in by the
// compiler) becomes the microkernel's bias, and a folded activation its output stage.
#include <memory>

#include "kernels/elementwise/binary.h"
#include "kernels/gemm/gemm.h"
#include "kernels/layout/transpose.h"
#include "ops/fused_activation.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {


Status outOfMemory(const Node& node) {
  return Status::error(ErrorKind::UnknownError, node.displayName() + ": out of memory packing weights");
}

// ---- matmul ----

Status validateMatmul(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& a = g.desc(node.input("a"));
  const OperandDesc& b = g.desc(node.input("b"));
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "b", b, "a", a));
  uint32_t M = a.shape[a.rank() - 2], K = a.shape[a.rank() - 1], Kb = b.shape[b.rank() - 2], N = b.shape[b.rank() - 1];
  if (K != Kb)
    return opError(node, "the columns of a " + shapeToString(a.shape) + " (" + std::to_string(K) +
                             ") must equal the rows of b " + shapeToString(b.shape) + " (" + std::to_string(Kb) + ")");
  Shape aBatch(a.shape.begin(), a.shape.end() - 2), bBatch(b.shape.begin(), b.shape.end() - 2), batch;
  if (!broadcastShapes(aBatch, bBatch, &batch))
    return opError(node, "the batch dimensions of a " + shapeToString(a.shape) + " and b " + shapeToString(b.shape) +
                             " are not broadcastable");
  batch.push_back(M);
  batch.push_back(N);
  outputs->push_back({a.dataType, batch});
  return Status::ok();
}

Status lowerMatmul(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int a = node.input("a"), b = node.input("b"), bias = node.input("bias"), out = node.outputs[0];
  const Shape& as = g.desc(a).shape;
  const Shape& bs = g.desc(b).shape;
  const Shape& os = g.desc(out).shape;
  size_t M = as[as.size() - 2], K = as.back(), N = bs.back();
  size_t batches = product(os, 0, os.size() - 2);
  size_t bBatches = product(bs, 0, bs.size() - 2);
  size_t aBatches = product(as, 0, as.size() - 2);
  Activation act = fusedActivationOf(g, node);
  std::string name = "matmul" + node.fusedName;
  // bias (only ever a constant folded in by the compiler) is a row of N.
  std::shared_ptr<AlignedBuffer> biasRow;
  if (bias >= 0) {
    biasRow = std::make_shared<AlignedBuffer>();
    if (!biasRow->allocate(N * sizeof(float))) return outOfMemory(node);
    std::copy(g.constantData<float>(bias), g.constantData<float>(bias) + N, biasRow->as<float>());
  }
  if (g.isConstant(b) && bBatches == 1) {
    // One packed B for every batch: fold a's batches into M (the output has exactly a's batches).
    auto packed = std::make_shared<PackedGemmB>();
    if (!packGemmB(g.constantData<float>(b), K, N, N, false, packed.get())) return outOfMemory(node);
    size_t rows = batches * M;
    (void)aBatches;
    name += std::string(" (") + gemmKernelName(rows) + ")";  // debugPlan shows the kernel chosen by M
    // b is read packed, never as is: the compiler frees it (compiler/constant_lifetime.h).
    // A residual add folded in by the compiler (compiler/residual_fusion.h) is read as is.
    const int residual = node.input("residual");
    std::vector<int> reads{a};
    if (residual >= 0) reads.push_back(residual);
    l.addStep(name, reads, {out}, [=](const StepContext& c) {
      gemmF32(c.pool, rows, c.get<float>(a), K, *packed, biasRow ? biasRow->as<float>() : nullptr, c.get<float>(out), N, act,
              residual >= 0 ? c.get<float>(residual) : nullptr);
    });
    return Status::ok();
  }
  // General case: per batch, B packed on the fly. Batch offsets are resolved once here.
  Shape outBatch(os.begin(), os.end() - 2), aBatch(as.begin(), as.end() - 2), bBatch(bs.begin(), bs.end() - 2);
  BroadcastPlan plan = makeBroadcastPlan(aBatch, bBatch, outBatch);
  std::vector<std::pair<size_t, size_t>> offsets;  // (a batch index, b batch index) per output batch
  forEachBroadcastRow(nullptr, plan, 0, [&](size_t ao, size_t bo, size_t, size_t n) {
    for (size_t i = 0; i < n; ++i) offsets.push_back({ao + i * plan.aInnerStride, bo + i * plan.bInnerStride});
  });
  // The products run batched (src/kernels/gemm/gemm_batched.cpp): shared among the threads when
  // each is too small to split, and for M <= 4 reading B in place.
  const size_t threads = l.pool() ? l.pool()->numThreads() : 1;
  const size_t scratchBytes = gemmBatchedScratchBytes(threads, offsets.size(), M, N, K);
  const int scratch = scratchBytes ? l.addScratch(scratchBytes) : -1;  // none when B is read in place
  name += std::string(" (") + gemmKernelName(M) + (M <= kGemmSmallMMaxRows ? ", B in place" : "") +
          (gemmBatchedSplitsBatches(threads, offsets.size(), M, N, K) ? ", batches across threads" : "") + ")";
  l.addStep(name, {a, b}, {out}, [=](const StepContext& c) {
    gemmF32Batched(c.pool, offsets.size(), offsets.data(), M, N, K, c.get<float>(a), c.get<float>(b),
                   biasRow ? biasRow->as<float>() : nullptr, c.get<float>(out), act,
                   scratch >= 0 ? c.ptrs[scratch] : nullptr);
  });
  return Status::ok();
}

// ---- gemm ----

// gemm's Params. beta is not among them: it is read at lowering because the fusion pass sets it to
// 1 when it folds a bias into c (the schema's epilogue bias scale).
struct GemmParams : OpParams {
  bool aTranspose = false, bTranspose = false;
  float alpha = 1.f;
};

Status validateGemm(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& a = g.desc(node.input("a"));
  const OperandDesc& b = g.desc(node.input("b"));
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "b", b, "a", a));
  bool at = node.attrs.getBool("aTranspose", false), bt = node.attrs.getBool("bTranspose", false);
  uint32_t M = at ? a.shape[1] : a.shape[0], K = at ? a.shape[0] : a.shape[1];
  uint32_t Kb = bt ? b.shape[1] : b.shape[0], N = bt ? b.shape[0] : b.shape[1];
  if (K != Kb)
    return opError(node, "the inner dimensions of a " + shapeToString(a.shape) + " and b " + shapeToString(b.shape) +
                             " (after aTranspose/bTranspose) differ: " + std::to_string(K) + " vs " + std::to_string(Kb));
  int c = node.input("c");
  if (c >= 0) {
    const OperandDesc& cd = g.desc(c);
    WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "c", cd, "a", a));
    if (cd.rank() > 2 || !broadcastsTo(cd.shape, {M, N}))
      return opError(node, "c " + shapeToString(cd.shape) + " is not broadcastable to the output shape " +
                               shapeToString({M, N}));
  }
  GemmParams p;
  p.aTranspose = at;
  p.bTranspose = bt;
  p.alpha = node.attrs.getFloat("alpha", 1.f);
  storeParams(params, p);
  outputs->push_back({a.dataType, {M, N}});
  return Status::ok();
}

Status lowerGemm(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int a = node.input("a"), b = node.input("b"), c = node.input("c"), out = node.outputs[0];
  const GemmParams& p = node.paramsAs<GemmParams>();
  bool aT = p.aTranspose, bT = p.bTranspose;
  float alpha = p.alpha, beta = node.attrs.getFloat("beta", 1.f);
  const Shape& as = g.desc(a).shape;
  const Shape& bs = g.desc(b).shape;
  size_t M = aT ? as[1] : as[0], K = aT ? as[0] : as[1], N = bT ? bs[0] : bs[1];
  Activation act = fusedActivationOf(g, node);
  std::string name = "gemm" + node.fusedName + " (" + gemmKernelName(M) + ")";

  // beta * c as a bias row when c is a constant that varies along N only.
  std::shared_ptr<AlignedBuffer> biasRow;
  bool cAsBias = c >= 0 && g.isConstant(c) && g.desc(c).elementCount() == N && (g.desc(c).rank() == 1 || g.desc(c).shape[0] == 1);
  if (c >= 0 && g.isConstant(c) && g.desc(c).elementCount() == 1 && N == 1) cAsBias = true;
  if (cAsBias) {
    biasRow = std::make_shared<AlignedBuffer>();
    if (!biasRow->allocate(N * sizeof(float))) return outOfMemory(node);
    const float* cd = g.constantData<float>(c);
    for (size_t j = 0; j < N; ++j) biasRow->as<float>()[j] = beta * cd[g.desc(c).elementCount() == 1 ? 0 : j];
  }
  bool packOnce = g.isConstant(b);
  // With a packed B, alpha is folded into it; otherwise alpha scales the product afterwards.
  std::shared_ptr<PackedGemmB> packed;
  if (packOnce) {
    packed = std::make_shared<PackedGemmB>();
    if (!packGemmB(g.constantData<float>(b), K, N, bT ? K : N, bT, packed.get())) return outOfMemory(node);
    // Packing only moves (and zero-pads) B's values, so alpha scales the packed copy in place.
    if (alpha != 1.f) {
      float* d = packed->data.as<float>();
      for (size_t i = 0, n = packed->data.size() / sizeof(float); i < n; ++i) d[i] *= alpha;
    }
  }
  bool epilogueInKernel = (packOnce || alpha == 1.f) && (c < 0 || cAsBias);
  int aScratch = aT ? l.addScratch(M * K * sizeof(float)) : -1;
  Shape aShape{uint32_t(K), uint32_t(M)};  // a as given, when aTranspose
  int bScratch = packOnce ? -1 : l.addScratch(gemmUnpackedScratchBytes(K, N));
  BroadcastPlan cPlan;
  if (!epilogueInKernel && c >= 0) cPlan = makeBroadcastPlan({uint32_t(M), uint32_t(N)}, g.desc(c).shape, {uint32_t(M), uint32_t(N)});
  // Only what the step reads as is: a packed b and a c taken as the bias row are not.
  std::vector<int> reads{a};
  if (!packOnce) reads.push_back(b);
  if (c >= 0 && !epilogueInKernel) reads.push_back(c);
  l.addStep(name, reads, {out}, [=](const StepContext& ctx) {
    const float* A = ctx.get<float>(a);
    if (aT) {
      static constexpr size_t kSwap[2] = {1, 0};
      transposeKernel(ctx.pool, sizeof(float), aShape, kSwap, A, ctx.ptrs[aScratch]);
      A = ctx.get<float>(aScratch);
    }
    float* O = ctx.get<float>(out);
    const float* bias = biasRow ? biasRow->as<float>() : nullptr;
    Activation kernelAct = epilogueInKernel ? act : Activation{};
    if (packOnce)
      gemmF32(ctx.pool, M, A, K, *packed, epilogueInKernel ? bias : nullptr, O, N, kernelAct);
    else
      gemmF32Unpacked(ctx.pool, M, N, K, A, K, ctx.get<float>(b), bT ? K : N, bT, epilogueInKernel ? bias : nullptr, O, N,
                      kernelAct, ctx.ptrs[bScratch]);
    if (epilogueInKernel) return;
    // alpha * AB + beta * c, then the activation.
    if (!packOnce && alpha != 1.f)
      for (size_t i = 0; i < M * N; ++i) O[i] *= alpha;
    if (c >= 0) {
      const float* C = ctx.get<float>(c);
      forEachBroadcastRow(nullptr, cPlan, 0, [&](size_t oo, size_t co, size_t, size_t n) {
        for (size_t i = 0; i < n; ++i) O[oo + i] += beta * C[co + i * cPlan.bInnerStride];
      });
    }
    applyActivation(act, O, M * N);
  });
  return Status::ok();
}

}  // namespace

void registerGemmOps(OpRegistry& r) {
  r.add(OpType::Matmul, validateMatmul, lowerMatmul);
  r.add(OpType::Gemm, validateGemm, lowerGemm);
}

}  // namespace webnn
