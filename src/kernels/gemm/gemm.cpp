// Blocked f32 GEMM driver: packing of B, cache blocking around the 2x16 microkernel, and threading.
//
// Layout: B is packed into panels of 16 columns; panel p holds K rows of 16 floats (zero-padded past
// N), so any K range [k0, k0 + kc) of a panel is contiguous. A is not packed: the microkernels read
// rows of A in place (lda stride), which is what lets conv2d feed NHWC rows with no copy.
//
// Microkernels: 2x16 for full panels; 4x8 / 8x4 for a last panel that is mostly padding (N % 16 <= 8
// or <= 4). M <= 4 (GEMV and other small-M products) takes its own path, gemmSmallM below: those are
// bound by streaming B, so there is no K blocking and B is read once, panel after panel.
//
// Blocking: all row pairs of an A block (<= 256 rows) run over one panel before the next panel, so a
// panel (K x 16 floats) is read from memory once per A block and then from L2. K is not blocked up to
// 4096: the microkernel's 64 bytes of B per k step come from L2 as fast as from L1, while K blocks of 256
// (the GotoBLAS way, a 16 KB panel block in L1) cost a round trip of C per block and cut the stream of B
// into 16 KB pieces that the hardware prefetcher restarts on. Full K measured 1.0-1.2x faster than
// kc = 256 on every shape tried (1024^3, BERT's M = 16-128 products, 1x1 convs, K up to 4608; 1 thread,
// bench/README.md 2026-12-06 23:14). Past 4096, K blocks keep a panel within half of L2; blocks after
// the first accumulate onto C, bias is added by the first block and the clamp by the last.
#include "kernels/gemm/gemm.h"

#include <algorithm>
#include <cstring>
#include <limits>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#include "kernels/gemm/gemm_internal.h"
#include "kernels/gemm/gemm_microkernels.h"
#include "core/thread_pool.h"
#include "kernels/task_split.h"

namespace webnn {
namespace {

#ifndef WEBNN_GEMM_KC  // overridable for tuning experiments (-DWEBNN_GEMM_KC=...)
#define WEBNN_GEMM_KC 4096
#endif
#ifndef WEBNN_GEMM_MC
#define WEBNN_GEMM_MC 256
#endif
constexpr size_t kMaxKC = WEBNN_GEMM_KC;          // K block: a panel block of at most 256 KB
constexpr size_t kMC = WEBNN_GEMM_MC;             // A block: the rows that run over one panel in turn
constexpr size_t kEpilogueRows = 16;  // rows per kernel call when an epilogue follows: 1 KB of C, in L1
static_assert(kGemmNR == 16, "packedGemmBIndex (gemm_internal.h) assumes 16-column panels");

size_t divUp(size_t a, size_t b) { return (a + b - 1) / b; }

struct GemmArgs {
  size_t N, K;
  const float* a;
  size_t lda;
  const float* packedB;
  const float* bias;
  float* c;
  size_t ldc;
  const Activation* act;
  const float* residual;  // M x N, row stride ldc, added to finished tiles (or null)
};

// C rows += residual rows, on a finished tile while it is in cache (the epilogue of a fused residual add).
void addResidual(float* c, const float* r, size_t rows, size_t nc, size_t ldc) {
  for (size_t i = 0; i < rows; ++i, c += ldc, r += ldc) {
    size_t j = 0;
#ifdef __wasm_simd128__
    for (; j + 4 <= nc; j += 4) wasm_v128_store(c + j, wasm_f32x4_add(wasm_v128_load(c + j), wasm_v128_load(r + j)));
#endif
    for (; j < nc; ++j) c[j] += r[j];
  }
}

// Computes rows [m0, m0 + mCount) x panels [p0, p0 + pCount) of C.
void gemmRegion(const GemmArgs& g, size_t m0, size_t mCount, size_t p0, size_t pCount) {
  const GemmMicrokernelFn ukernel = bestGemmMicrokernel();
  const size_t N = g.N, K = g.K;
  const float inf = std::numeric_limits<float>::infinity();
  const float zeros[kGemmNR] = {0};
  // The last panel may be partial: the microkernel always reads 16 init values, so pad the bias.
  alignas(16) float biasTail[kGemmNR] = {0};
  const size_t lastPanel = divUp(N, kGemmNR) - 1;
  if (g.bias && N % kGemmNR) std::memcpy(biasTail, g.bias + lastPanel * kGemmNR, (N % kGemmNR) * sizeof(float));

  // K = 0 degenerates to C = act(bias): a single "block" of zero length still initializes C.
  const size_t kBlocks = std::max<size_t>(1, divUp(K, kMaxKC));
  const size_t kcMax = std::max<size_t>(1, divUp(K, kBlocks));  // even blocks: no tiny last block
  for (size_t k0 = 0; k0 < std::max<size_t>(K, 1); k0 += kcMax) {
    const size_t kc = std::min(kcMax, K - std::min(K, k0));
    const bool first = k0 == 0, last = k0 + kc >= K;
    const float vmin = last ? g.act->clampMin() : -inf;
    const float vmax = last ? g.act->clampMax() : inf;
    for (size_t mb = m0; mb < m0 + mCount; mb += kMC) {
      const size_t mbEnd = std::min(m0 + mCount, mb + kMC);
      for (size_t p = p0; p < p0 + pCount; ++p) {
        const size_t n0 = p * kGemmNR;
        const size_t nc = std::min(kGemmNR, N - n0);
        const float* init = nullptr;
        if (first) init = !g.bias ? zeros : (nc == kGemmNR ? g.bias + n0 : biasTail);
        const float* w = g.packedB + p * K * kGemmNR + k0 * kGemmNR;
        const GemmMicrokernel uk = nc == kGemmNR ? GemmMicrokernel{ukernel, kGemmMR, kGemmNR}
                                                 : gemmMicrokernelForColumns(nc);
        // The row tiles of the A block run over this panel block (kc x 16) in turn, so the panel block is
        // read once from memory; the kernel walks the rows itself (a call per tile cost small K 10%).
        // With an activation beyond min/max it gets kEpilogueRows rows at a time, so the activation
        // runs on finished rows while they are still in L1. A residual alone is added to the whole
        // row block (16 KB of C): 16-row calls cost more than the add saves (bench/README.md).
        const bool epilogue = last && (g.residual || !g.act->isMinMax());
        const size_t step = last && !g.act->isMinMax() ? kEpilogueRows : kMC;
        for (size_t m = mb; m < mbEnd; m += step) {
          const size_t rows = std::min(step, mbEnd - m);
          float* cRows = g.c + m * g.ldc + n0;
          uk.fn(rows, nc, kc, g.a + m * g.lda + k0, g.lda, w, init, cRows, g.ldc, vmin, vmax);
          if (!epilogue) continue;
          if (g.residual) addResidual(cRows, g.residual + m * g.ldc + n0, rows, nc, g.ldc);
          if (!g.act->isMinMax())
            for (size_t r = 0; r < rows; ++r) applyActivation(*g.act, cRows + r * g.ldc, nc);
        }
      }
    }
  }
}

// Where a small-M product reads B: packed panels (ldb == 0), or a row-major K x N matrix read in
// place (row stride ldb) whose last partial panel, if any, is packed in `tail` (K rows of 16 floats).
struct SmallMB {
  const float* b;
  size_t ldb;
  const float* tail;
};

// M = 1..4: one kernel call per panel over the whole K (B read once, linearly); threads take
// contiguous runs of panels, so each streams its own part of B.
void gemmSmallM(ThreadPool* pool, size_t M, size_t N, size_t K, const float* a, size_t lda, SmallMB src,
                const float* bias, float* c, size_t ldc, const Activation& act, const float* residual) {
  const GemmSmallMKernel uk = gemmSmallMKernelFor(M);
  const size_t panels = divUp(N, kGemmNR);
  const float vmin = act.clampMin(), vmax = act.clampMax();
  const bool otherActivation = !act.isMinMax();
  auto runPanels = [&](size_t p0, size_t count) {
    const float zeros[kGemmNR] = {0};
    alignas(16) float biasTail[kGemmNR] = {0};
    for (size_t p = p0; p < p0 + count; ++p) {
      const size_t n0 = p * kGemmNR, nc = std::min(kGemmNR, N - n0);
      const float* init = zeros;
      if (bias && nc == kGemmNR) init = bias + n0;
      if (bias && nc < kGemmNR) {
        std::memcpy(biasTail, bias + n0, nc * sizeof(float));
        init = biasTail;
      }
      const float* w = src.b + p * K * kGemmNR;
      size_t ldw = kGemmNR;
      if (src.ldb != 0) {
        w = nc == kGemmNR ? src.b + n0 : src.tail;
        ldw = nc == kGemmNR ? src.ldb : kGemmNR;
      }
      uk.fn(M, nc, K, a, lda, w, ldw, init, c + n0, ldc, vmin, vmax);
      if (residual) addResidual(c + n0, residual + n0, M, nc, ldc);
      if (otherActivation)
        for (size_t r = 0; r < M; ++r) applyActivation(act, c + r * ldc + n0, nc);
    }
  };
  const size_t tasks = gemmSmallMTasks(pool ? pool->numThreads() : 1, M, N, K, minTaskFlops(pool));
  if (tasks <= 1) {
    runPanels(0, panels);
    return;
  }
  pool->parallelize1d(panels, divUp(panels, tasks), [&](size_t p0, size_t count) { runPanels(p0, count); });
}

}  // namespace

size_t gemmMaxKBlock() { return kMaxKC; }

const char* gemmKernelName(size_t M) { return M <= kGemmSmallMMaxRows ? gemmSmallMKernelFor(M).name : "2x16"; }

size_t gemmSmallMTasks(size_t threads, size_t M, size_t N, size_t K, double minTaskFlops) {
  const size_t panels = divUp(N, kGemmNR);
  // The work is reading B (count each byte as 2 FLOPs, as gemmF32Packed does): a task gets at least
  // kMinFlopsPerTask of it, so a small product is not slowed by waking workers.
  const double work = std::max(2.0 * M * N * std::max<size_t>(K, 1), 2.0 * sizeof(float) * K * N);
  const size_t byWork = static_cast<size_t>(work / minTaskFlops);
  if (threads <= 1 || byWork <= 1 || panels <= 1) return 1;
  // One contiguous run of panels per thread. (Up to 4 per thread, so that a late worker's last tasks
  // are taken by the others, was 10% slower on the 4 MB GEMV at 2 threads in an A/B on 2026-12-05:
  // bench/README.md.)
  return std::min<size_t>({threads, panels, byWork});
}

size_t packedGemmBFloats(size_t K, size_t N) { return satMul(divUp(N, kGemmNR), K, kGemmNR); }

void packGemmBInto(const float* b, size_t K, size_t N, size_t ldb, bool transposedB, float* out) {
  const size_t panels = divUp(N, kGemmNR);
  for (size_t p = 0; p < panels; ++p) {
    float* panel = out + p * K * kGemmNR;
    const size_t n0 = p * kGemmNR, nc = std::min(kGemmNR, N - n0);
    if (nc < kGemmNR) std::memset(panel, 0, K * kGemmNR * sizeof(float));
    if (transposedB) {
      // b is N x K: column n of B is row n of b.
      for (size_t j = 0; j < nc; ++j) {
        const float* src = b + (n0 + j) * ldb;
        for (size_t k = 0; k < K; ++k) panel[k * kGemmNR + j] = src[k];
      }
    } else {
      for (size_t k = 0; k < K; ++k) std::memcpy(panel + k * kGemmNR, b + k * ldb + n0, nc * sizeof(float));
    }
  }
}

void gemmF32Packed(ThreadPool* pool, size_t M, size_t N, size_t K, const float* a, size_t lda, const float* packedB,
                   const float* bias, float* c, size_t ldc, const Activation& act, const float* residual) {
  if (M == 0 || N == 0) return;
  if (M <= kGemmSmallMMaxRows) {
    gemmSmallM(pool, M, N, K, a, lda, SmallMB{packedB, 0, nullptr}, bias, c, ldc, act, residual);
    return;
  }
  const GemmArgs g{N, K, a, lda, packedB, bias, c, ldc, &act, residual};
  const size_t panels = divUp(N, kGemmNR);
  const size_t threads = pool ? pool->numThreads() : 1;
  const double flops = 2.0 * M * N * std::max<size_t>(K, 1);
  // Few rows (GEMV-like shapes) are bound by streaming packed B, not by arithmetic: count each byte
  // of B as 2 FLOPs of work, so a [1 x 1024] x [1024 x 1000] product (4 MB of B) splits its panels
  // across threads although it has only 2 MFLOP.
  const double work = std::max(flops, 2.0 * sizeof(float) * K * N);
  // Enough tasks to balance (a few per thread), but never so small that a task costs less than the
  // hand-off to a worker.
  size_t tasks = threads <= 1 ? 1 : std::min<size_t>(threads * 4, static_cast<size_t>(work / minTaskFlops(pool)));
  if (tasks <= 1) {
    gemmRegion(g, 0, M, 0, panels);
    return;
  }
  tasks = divUp(tasks, threads) * threads;  // whole rounds: 3 tasks on 2 threads would take 2/3, not 1/2
  // Each task should keep whole A blocks (up to kMC rows): a panel block loaded into L1 is then reused
  // by as many row pairs as possible, and B is streamed from memory once per A block. So split M into
  // A blocks first and spread the remaining parallelism over N (short-M shapes like [128 x 768] x
  // [768 x 3072] then split B between threads instead of every thread streaming all of it).
  const size_t rowPairs = divUp(M, kGemmMR);
  size_t mTiles = std::min(tasks, divUp(M, kMC));
  const size_t nTiles = std::min(panels, std::max<size_t>(1, tasks / mTiles));
  mTiles = std::min(rowPairs, std::max(mTiles, divUp(tasks, nTiles)));
  const size_t mTile = divUp(rowPairs, mTiles) * kGemmMR;
  const size_t pTile = divUp(panels, nTiles);
  pool->parallelize2d(M, panels, mTile, pTile, [&](size_t m, size_t p, size_t mc, size_t pc) {
    gemmRegion(g, m, mc, p, pc);
  });
}

bool packGemmB(const float* b, size_t K, size_t N, size_t ldb, bool transposedB, PackedGemmB* out) {
  out->K = K;
  out->N = N;
  if (!out->data.allocate(satMul(packedGemmBFloats(K, N), sizeof(float)))) return false;
  packGemmBInto(b, K, N, ldb, transposedB, out->data.as<float>());
  return true;
}

size_t gemmSmallMRowMajorBScratchFloats(size_t K, size_t N) { return N % kGemmNR ? satMul(K, kGemmNR) : 0; }

void gemmF32SmallMRowMajorB(ThreadPool* pool, size_t M, size_t N, size_t K, const float* a, size_t lda, const float* b,
                            size_t ldb, float* tailScratch, const float* bias, float* c, size_t ldc, const Activation& act) {
  if (M == 0 || N == 0) return;
  const size_t nTail = N % kGemmNR, n0 = N - nTail;
  if (nTail) {  // the last partial panel, zero-padded: the kernel reads 16 floats of every row
    std::memset(tailScratch, 0, K * kGemmNR * sizeof(float));
    for (size_t k = 0; k < K; ++k) std::memcpy(tailScratch + k * kGemmNR, b + k * ldb + n0, nTail * sizeof(float));
  }
  gemmSmallM(pool, M, N, K, a, lda, SmallMB{b, ldb, tailScratch}, bias, c, ldc, act, nullptr);
}

void gemmF32(ThreadPool* pool, size_t M, const float* a, size_t lda, const PackedGemmB& b, const float* bias, float* c,
             size_t ldc, const Activation& act, const float* residual) {
  gemmF32Packed(pool, M, b.N, b.K, a, lda, b.data.as<float>(), bias, c, ldc, act, residual);
}

size_t gemmUnpackedScratchBytes(size_t K, size_t N) { return satMul(packedGemmBFloats(K, N), sizeof(float)); }

void gemmF32Unpacked(ThreadPool* pool, size_t M, size_t N, size_t K, const float* a, size_t lda, const float* b,
                     size_t ldb, bool transposedB, const float* bias, float* c, size_t ldc, const Activation& act,
                     void* scratch) {
  // Packing costs K*N copies against 2*M*N*K FLOPs: worth it for every M, and the microkernel needs it.
  float* packed = static_cast<float*>(scratch);
  packGemmBInto(b, K, N, ldb, transposedB, packed);
  gemmF32Packed(pool, M, N, K, a, lda, packed, bias, c, ldc, act);
}

}  // namespace webnn
