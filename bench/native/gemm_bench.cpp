// Kernel micro-benchmark: GFLOP/s of the GEMM microkernel on in-cache data (the ceiling), of gemmF32 on
// typical shapes, and conv2d timings, with 1 and 2 threads. Native or Wasm (run the em++ build with node).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

#include "kernels/conv/conv2d.h"
#include "kernels/gemm/gemm.h"
#include "kernels/gemm/gemm_microkernels.h"
#include "kernels/normalization/normalization.h"
#include "kernels/pool/pool2d.h"
#include "kernels/reduce/reduce.h"
#include "kernels/softmax/softmax.h"
#include "core/thread_pool.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

using namespace webnn;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// Best time of several runs (after a warm-up), stopping after ~minSeconds.
double bestSeconds(const std::function<void()>& fn, double minSeconds = 0.4) {
  fn();
  double best = 1e30, start = now();
  int runs = 0;
  while (runs < 3 || (now() - start < minSeconds && runs < 200)) {
    double t0 = now();
    fn();
    best = std::min(best, now() - t0);
    ++runs;
  }
  return best;
}

std::vector<float> filled(size_t n) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = float((i * 7919) % 1000) / 1000.f - 0.5f;
  return v;
}

void benchMicrokernel() {
  const size_t kc = 256;
  std::vector<float> a = filled(2 * kc), w = filled(kc * 16), bias = filled(16), c(2 * 16);
  GemmMicrokernelFn uk = bestGemmMicrokernel();
  const int calls = 20000;
  double t = bestSeconds([&] {
    for (int i = 0; i < calls; ++i) uk(2, 16, kc, a.data(), kc, w.data(), i == 0 ? bias.data() : nullptr, c.data(), 16,
                                       -1e30f, 1e30f);
  });
  std::printf("microkernel %s 2x16 kc=%zu in-cache: %.1f GFLOP/s\n",
#ifdef __wasm_simd128__
              "f32_gemm_minmax_2x16__wasmsimd",
#else
              "f32_gemm_minmax_2x16__scalar",
#endif
              kc, 2.0 * 2 * 16 * kc * calls / t * 1e-9);
}

void benchGemm(ThreadPool* pool, size_t M, size_t K, size_t N) {
  std::vector<float> a = filled(M * K), b = filled(K * N), bias = filled(N), c(M * N);
  PackedGemmB packed;
  packGemmB(b.data(), K, N, N, false, &packed);
  Activation none;
  double t = bestSeconds([&] { gemmF32(pool, M, a.data(), K, packed, bias.data(), c.data(), N, none); });
  std::printf("gemmF32 [%zux%zu]x[%zux%zu] threads=%zu (%s): %.3f ms, %.1f GFLOP/s, B read at %.1f GB/s\n", M, K, K, N,
              pool->numThreads(), gemmKernelName(M), t * 1e3, 2.0 * M * N * K / t * 1e-9, 4.0 * K * N / t * 1e-9);
}

// A transformer layer's six weight products at M rows, run back to back as one timed run: 28 MB of
// weights, more than fits a core's share of L3, so B streams from memory as in a whole inference.
void benchTransformerLayer(ThreadPool* pool, size_t M) {
  const size_t shapes[6][2] = {{768, 768}, {768, 768}, {768, 768}, {768, 768}, {768, 3072}, {3072, 768}};
  std::vector<PackedGemmB> packed(6);
  std::vector<float> a = filled(M * 3072), c(M * 3072), bias = filled(3072);
  double flops = 0;
  for (size_t i = 0; i < 6; ++i) {
    std::vector<float> b = filled(shapes[i][0] * shapes[i][1]);
    packGemmB(b.data(), shapes[i][0], shapes[i][1], shapes[i][1], false, &packed[i]);
    flops += 2.0 * M * shapes[i][0] * shapes[i][1];
  }
  Activation none;
  double t = bestSeconds([&] {
    for (size_t i = 0; i < 6; ++i) gemmF32(pool, M, a.data(), shapes[i][0], packed[i], bias.data(), c.data(), shapes[i][1], none);
  });
  std::printf("6 BERT-base weight products at M=%zu threads=%zu (%s): %.3f ms, %.1f GFLOP/s, 28.3 MB of B at %.1f GB/s\n", M,
              pool->numThreads(), gemmKernelName(M), t * 1e3, flops / t * 1e-9, 28.3e6 / t * 1e-9);
}

void benchConv(ThreadPool* pool, const char* name, Conv2dParams p, bool relu) {
  const size_t icg = p.inputChannels / p.groups;
  std::vector<float> in = filled(p.batch * p.inputHeight * p.inputWidth * p.inputChannels);
  std::vector<float> filter = filled(p.outputChannels * p.kernelHeight * p.kernelWidth * icg);
  std::vector<float> bias = filled(p.outputChannels);
  std::vector<float> out(p.batch * p.outputHeight * p.outputWidth * p.outputChannels);
  PackedConv2dWeights w;
  packConv2dWeights(p, filter.data(), bias.data(), &w);
  std::vector<float> scratch(conv2dScratchBytes(p) / sizeof(float) + 1);
  Activation act;
  if (relu) {
    act.kind = ActivationKind::Clamp;
    act.minValue = 0.f;
  }
  double t = bestSeconds([&] { conv2dF32(pool, p, in.data(), w, out.data(), act, scratch.data()); });
  const double flops = 2.0 * p.batch * p.outputHeight * p.outputWidth * p.outputChannels * p.kernelHeight *
                       p.kernelWidth * icg;
  std::printf("conv2d %s threads=%zu: %.3f ms, %.1f GFLOP/s\n", name, pool->numThreads(), t * 1e3, flops / t * 1e-9);
}

// The cost of one parallelize1d call whose tasks do almost nothing: the pool's own overhead.
void benchPoolOverhead(ThreadPool* pool) {
  volatile float sink = 0;
  const int calls = 2000;
  double t = bestSeconds([&] {
    for (int i = 0; i < calls; ++i)
      pool->parallelize1d(2 * pool->numThreads(), 1, [&](size_t start, size_t) { sink = sink + float(start); });
  });
  std::printf("pool: parallelize1d of %zu tiny tasks threads=%zu: %.2f us per call\n", 2 * pool->numThreads(),
              pool->numThreads(), t / calls * 1e6);
}

void benchPool(ThreadPool* pool, const char* name, PoolKind kind, const Pool2dParams& p) {
  std::vector<float> in = filled(p.batch * p.inputHeight * p.inputWidth * p.channels);
  std::vector<float> out(p.batch * p.outputHeight * p.outputWidth * p.channels);
  double t = bestSeconds([&] { pool2dF32(pool, kind, p, in.data(), out.data()); });
  std::printf("pool2d %s threads=%zu: %.3f ms\n", name, pool->numThreads(), t * 1e3);
}

Pool2dParams poolParams(size_t H, size_t W, size_t C, size_t window, size_t stride, size_t pad) {
  Pool2dParams p;
  p.channels = C;
  p.inputHeight = H;
  p.inputWidth = W;
  p.windowHeight = p.windowWidth = window;
  p.strideHeight = p.strideWidth = stride;
  p.padTop = p.padLeft = pad;
  p.outputHeight = (H + 2 * pad - window) / stride + 1;
  p.outputWidth = (W + 2 * pad - window) / stride + 1;
  return p;
}

void benchSoftmax(ThreadPool* pool, size_t outer, size_t axis, size_t inner) {
  std::vector<float> in = filled(outer * axis * inner), out(in.size());
  double t = bestSeconds([&] { softmaxF32(pool, in.data(), out.data(), outer, axis, inner); });
  std::printf("softmax [%zu,%zu,%zu] axis 1 threads=%zu: %.3f ms\n", outer, axis, inner, pool->numThreads(), t * 1e3);
}

void benchReduce(ThreadPool* pool, const char* name, ReduceOp op, const Shape& shape, std::vector<bool> reduced) {
  ReducePlan plan = makeReducePlan(shape, reduced);
  std::vector<float> in = filled(plan.inCount), out(plan.outCount);
  std::vector<double> scratch(reduceScratchBytes(plan) / sizeof(double) + 1);
  double t = bestSeconds([&] { reduceKernel(pool, op, DataType::Float32, plan, in.data(), out.data(), scratch.data()); });
  std::printf("reduce %s threads=%zu: %.3f ms\n", name, pool->numThreads(), t * 1e3);
}

// layerNormalization over the last axis of [groups, members] with scale and bias.
void benchLayerNorm(ThreadPool* pool, size_t groups, size_t members) {
  NormGroups n;
  for (size_t g = 0; g < groups; ++g) n.groupOffsets.push_back(g * members);
  for (size_t m = 0; m < members; ++m) n.memberOffsets.push_back(m), n.memberParam.push_back(m);
  std::vector<float> x = filled(groups * members), y(x.size()), scale = filled(members), bias = filled(members);
  double t = bestSeconds([&] { groupNormalizeF32(pool, n, x.data(), scale.data(), bias.data(), y.data()); });
  std::printf("layerNormalization [%zu,%zu] last axis threads=%zu: %.3f ms\n", groups, members, pool->numThreads(),
              t * 1e3);
}

void benchOtherKernels(ThreadPool* pool) {
  benchPool(pool, "max 3x3 s2 [1,112,112,64]", PoolKind::Max, poolParams(112, 112, 64, 3, 2, 1));
  benchPool(pool, "average global [1,7,7,1280]", PoolKind::Average, poolParams(7, 7, 1280, 7, 1, 0));
  benchPool(pool, "average 3x3 s1 same [1,35,35,192]", PoolKind::Average, poolParams(35, 35, 192, 3, 1, 1));
  benchSoftmax(pool, 64, 1000, 1);
  benchSoftmax(pool, 1, 1000, 64);
  benchSoftmax(pool, 8, 21, 4096);
  Shape s = {64, 1024, 64};
  benchReduce(pool, "sum [64,1024,64] axis 2", ReduceOp::Sum, s, {false, false, true});
  benchReduce(pool, "mean [64,1024,64] axis 1", ReduceOp::Mean, s, {false, true, false});
  benchReduce(pool, "max [64,1024,64] axis 2", ReduceOp::Max, s, {false, false, true});
  benchReduce(pool, "logSumExp [64,1024,64] axis 2", ReduceOp::LogSumExp, s, {false, false, true});
  benchReduce(pool, "sum [64,1024,64] axes 0,2", ReduceOp::Sum, s, {true, false, true});
  benchLayerNorm(pool, 128, 768);
}

// Sum of n floats, read once in order: 8 independent add chains (SIMD128 in Wasm) so that the loop is
// bound by the loads, not by add latency.
float streamSum(const float* p, size_t n) {
#ifdef __wasm_simd128__
  v128_t s[4];
  for (auto& v : s) v = wasm_f32x4_splat(0.f);
  size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int j = 0; j < 4; ++j)
      s[j] = wasm_f32x4_add(s[j], wasm_f32x4_add(wasm_v128_load(p + i + 4 * j), wasm_v128_load(p + i + 16 + 4 * j)));
  for (int j = 1; j < 4; ++j) s[0] = wasm_f32x4_add(s[0], s[j]);
  float total = wasm_f32x4_extract_lane(s[0], 0) + wasm_f32x4_extract_lane(s[0], 1) +
                wasm_f32x4_extract_lane(s[0], 2) + wasm_f32x4_extract_lane(s[0], 3);
#else
  float s[32] = {0};
  size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int j = 0; j < 32; ++j) s[j] += p[i + j];
  float total = 0;
  for (float v : s) total += v;
#endif
  for (; i < n; ++i) total += p[i];
  return total;
}

// Streaming read bandwidth: a buffer of `bytes` summed once per run, split into contiguous chunks over
// the pool's threads (as the small-M GEMM splits B). Best of several runs, so a buffer that fits in a
// cache level is measured warm in it (the GEMV's 4 MB B lives in L3 between inferences) and a larger one
// comes from DRAM.
void benchBandwidth(ThreadPool* pool, size_t bytes) {
  const size_t n = bytes / sizeof(float);
  std::vector<float> buf = filled(n);
  volatile float sink = 0;
  const size_t threads = pool->numThreads();
  double t = bestSeconds([&] {
    float partial[16] = {0};
    pool->parallelize1d(threads, 1, [&](size_t start, size_t) {
      const size_t chunk = (n + threads - 1) / threads, begin = start * chunk;
      partial[start] = streamSum(buf.data() + begin, std::min(n, begin + chunk) - begin);
    });
    float total = 0;
    for (size_t i = 0; i < threads; ++i) total += partial[i];
    sink = sink + total;
  }, 1.0);
  std::printf("stream read %zu MB threads=%zu: %.3f ms, %.1f GB/s\n", bytes >> 20, threads, t * 1e3, bytes / t * 1e-9);
}

Conv2dParams convParams(size_t H, size_t W, size_t IC, size_t OC, size_t k, size_t groups) {
  Conv2dParams p;
  p.inputHeight = p.outputHeight = H;
  p.inputWidth = p.outputWidth = W;
  p.inputChannels = IC;
  p.outputChannels = OC;
  p.kernelHeight = p.kernelWidth = k;
  p.padTop = p.padLeft = k / 2;
  p.groups = groups;
  return p;
}

// "mobilenetv2mid": every distinct conv of MobileNetV2 1.4 at 224 (nsfwjs's MobileNetV2Mid: batchnorms
// folded, clamp(0, 6) fused), best time of each at 1 thread, with how often the model runs it: where
// the model's conv time goes and how far each step is from the GEMM ceiling. With a pool of more
// threads, each layer is also timed on it (1 thread and the pool alternating, 5 rounds, best of each):
// which layers scale and which do not.
void benchMobileNetV2Mid(size_t batch, ThreadPool* pool) {
  struct Layer { const char* kind; size_t H, C, OC, stride, k; int count; };
  const Layer layers[] = {
      {"im2col", 224, 3, 48, 2, 3, 1},  {"dw", 112, 48, 48, 1, 3, 1},    {"1x1", 112, 48, 24, 1, 1, 1},
      {"1x1", 112, 24, 144, 1, 1, 1},   {"dw", 112, 144, 144, 2, 3, 1},  {"1x1", 56, 144, 32, 1, 1, 1},
      {"1x1", 56, 32, 192, 1, 1, 2},    {"dw", 56, 192, 192, 1, 3, 1},   {"1x1", 56, 192, 32, 1, 1, 1},
      {"dw", 56, 192, 192, 2, 3, 1},    {"1x1", 28, 192, 48, 1, 1, 1},   {"1x1", 28, 48, 288, 1, 1, 3},
      {"dw", 28, 288, 288, 1, 3, 2},    {"1x1", 28, 288, 48, 1, 1, 2},   {"dw", 28, 288, 288, 2, 3, 1},
      {"1x1", 14, 288, 88, 1, 1, 1},    {"1x1", 14, 88, 528, 1, 1, 4},   {"dw", 14, 528, 528, 1, 3, 4},
      {"1x1", 14, 528, 88, 1, 1, 3},    {"1x1", 14, 528, 136, 1, 1, 1},  {"1x1", 14, 136, 816, 1, 1, 3},
      {"dw", 14, 816, 816, 1, 3, 3},    {"1x1", 14, 816, 136, 1, 1, 2},  {"dw", 14, 816, 816, 2, 3, 1},
      {"1x1", 7, 816, 224, 1, 1, 1},    {"1x1", 7, 224, 1344, 1, 1, 3},  {"dw", 7, 1344, 1344, 1, 3, 3},
      {"1x1", 7, 1344, 224, 1, 1, 2},   {"1x1", 7, 1344, 448, 1, 1, 1},  {"1x1", 7, 448, 1792, 1, 1, 1}};
  Activation relu6;
  relu6.kind = ActivationKind::Clamp;
  relu6.minValue = 0.f;
  relu6.maxValue = 6.f;
  double total = 0, totalPool = 0, totalFlops = 0;
  for (const Layer& l : layers) {
    Conv2dParams p;
    p.batch = batch;
    p.inputHeight = p.inputWidth = l.H;
    p.inputChannels = l.C;
    p.outputChannels = l.OC;
    p.kernelHeight = p.kernelWidth = l.k;
    p.strideHeight = p.strideWidth = l.stride;
    p.outputHeight = p.outputWidth = (l.H + l.stride - 1) / l.stride;
    const size_t padTotal = std::max<size_t>((p.outputHeight - 1) * l.stride + l.k, l.H) - l.H;  // TF "SAME"
    p.padTop = p.padLeft = padTotal / 2;
    const bool depthwise = std::strcmp(l.kind, "dw") == 0;
    if (depthwise) p.groups = l.C;
    const size_t taps = l.k * l.k * (depthwise ? 1 : l.C);
    std::vector<float> filter = filled(l.OC * taps), bias = filled(l.OC);
    std::vector<float> in = filled(batch * l.H * l.H * l.C), out(batch * p.outputHeight * p.outputWidth * l.OC);
    PackedConv2dWeights w;
    packConv2dWeights(p, filter.data(), bias.data(), &w);
    std::vector<float> scratch(conv2dScratchBytes(p) / sizeof(float) + 1);
    auto run = [&](ThreadPool* on) { conv2dF32(on, p, in.data(), w, out.data(), relu6, scratch.data()); };
    const bool scaling = pool && pool->numThreads() > 1;
    double t = 1e30, tPool = 1e30;
    for (int round = 0; round < (scaling ? 5 : 1); ++round) {
      t = std::min(t, bestSeconds([&] { run(nullptr); }, scaling ? 0.1 : 0.3));
      if (scaling) tPool = std::min(tPool, bestSeconds([&] { run(pool); }, 0.1));
    }
    const double flops = 2.0 * batch * p.outputHeight * p.outputWidth * l.OC * taps;
    total += t * l.count;
    totalPool += tPool * l.count;
    totalFlops += flops * l.count;
    std::printf("%-6s %3zux%-3zu %4zu->%-4zu s%zu: %8.1f us %5.1f GFLOP/s  x%d [%s]", l.kind, l.H, l.H, l.C, l.OC,
                l.stride, t * 1e6, flops / t * 1e-9, l.count, conv2dAlgorithmName(p));
    if (scaling) std::printf("  %zu threads %8.1f us %.2fx", pool->numThreads(), tPool * 1e6, t / tPool);
    std::printf("\n");
  }
  std::printf("MobileNetV2Mid convs, batch %zu: %.2f ms, %.1f GFLOP/s", batch, total * 1e3, totalFlops / total * 1e-9);
  if (pool && pool->numThreads() > 1)
    std::printf("; %zu threads (%zu running) %.2f ms, %.2fx", pool->numThreads(), pool->runningThreads(),
                totalPool * 1e3, total / totalPool);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  size_t maxThreads = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2;
  // A second argument "kernels" runs only the pool/softmax/reduce/normalization lines.
  bool onlyOthers = argc > 2 && std::strcmp(argv[2], "kernels") == 0;
  // "bandwidth": only the streaming-read bandwidth and the small-M GEMM shapes it bounds.
  if (argc > 2 && std::strcmp(argv[2], "bandwidth") == 0) {
    for (size_t threads = 1; threads <= maxThreads; ++threads) {
      ThreadPool pool(threads);
      for (size_t mb : {4, 16, 96}) benchBandwidth(&pool, mb << 20);
      for (size_t M : {1, 2, 4}) benchGemm(&pool, M, 1024, 1000);
      benchGemm(&pool, 1, 768, 3072);
      benchGemm(&pool, 1, 3072, 768);
    }
    return 0;
  }
  // "transformer": the BERT-base weight products at the M of a decoder step (1) and of seq 16.
  if (argc > 2 && std::strcmp(argv[2], "transformer") == 0) {
    for (size_t threads = 1; threads <= maxThreads; ++threads) {
      ThreadPool pool(threads);
      for (size_t M : {1, 16}) benchTransformerLayer(&pool, M);
      benchGemm(&pool, 16, 768, 3072);
      benchGemm(&pool, 16, 3072, 768);
    }
    return 0;
  }
  // "mobilenetv2mid [batch]": the per-layer conv times of MobileNetV2Mid at 1 thread, and at maxThreads.
  if (argc > 2 && std::strcmp(argv[2], "mobilenetv2mid") == 0) {
    ThreadPool pool(maxThreads);
    benchMobileNetV2Mid(argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 1, &pool);
    return 0;
  }
  // "shapes": gemmF32 on the shapes that decide the blocking (big square, BERT's M = 16-128 products,
  // MobileNet's 1x1 convs, conv 3x3's large K), and the BERT layer's weights streamed from memory.
  if (argc > 2 && std::strcmp(argv[2], "shapes") == 0) {
    ThreadPool pool(maxThreads);
    const size_t shapes[][3] = {{1024, 1024, 1024}, {128, 768, 3072}, {16, 768, 3072}, {16, 3072, 768},
                                {32, 768, 768},     {3136, 96, 24},   {3136, 24, 144},  {784, 192, 32},
                                {196, 384, 64},     {12544, 16, 96},  {196, 4608, 512}, {3136, 576, 64},
                                {49, 4608, 512},    {49, 1344, 448}};
    for (auto& sh : shapes) benchGemm(&pool, sh[0], sh[1], sh[2]);
    for (size_t M : {16, 32, 128}) benchTransformerLayer(&pool, M);
    return 0;
  }
  if (!onlyOthers) benchMicrokernel();
  for (size_t threads = 1; threads <= maxThreads; ++threads) {
    ThreadPool pool(threads);
    benchOtherKernels(&pool);
    if (onlyOthers) continue;
    benchPoolOverhead(&pool);
    benchGemm(&pool, 1024, 1024, 1024);
    benchGemm(&pool, 1, 1024, 1000);
    benchGemm(&pool, 128, 768, 3072);
    benchConv(&pool, "[1,100,100,100] 3x3 100->100 same+bias+relu", convParams(100, 100, 100, 100, 3, 1), true);
    benchConv(&pool, "depthwise [1,112,112,32] 3x3 same+bias+relu", convParams(112, 112, 32, 32, 3, 32), true);
    benchConv(&pool, "1x1 [1,56,56,64]->128 +bias+relu", convParams(56, 56, 64, 128, 1, 1), true);
    Conv2dParams dwStride2 = convParams(56, 56, 144, 144, 3, 144);  // MobileNetV2's 56->28 block
    dwStride2.strideHeight = dwStride2.strideWidth = 2;
    dwStride2.outputHeight = dwStride2.outputWidth = 28;
    dwStride2.padTop = dwStride2.padLeft = 0;
    benchConv(&pool, "depthwise [1,56,56,144] 3x3 s2 +bias+relu", dwStride2, true);
  }
  return 0;
}
