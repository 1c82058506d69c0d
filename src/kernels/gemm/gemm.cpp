// Blocked f32 GEMM driver: packing of B, cache blocking around the 2x16 microkernel, and threading.
//
// Layout: B is packed into panels of 16 columns; panel p holds K rows of 16 floats (zero-padded past
// N), so any K range [k0, k0 + kc) of a panel is contiguous. A is not packed: the microkernel reads
// two rows of A directly (a 2 x kc strip stays in L1 while it sweeps the panels).
//
// Blocking (GotoBLAS-like): K is cut into blocks of <= 256 so a panel block (kc x 16 floats, 16 KB)
// stays in L1, and N into groups of 16 panels (kc x 256 floats, 256 KB) that stay in L2 while every
// row pair of the region streams over them. Blocks after the first accumulate onto C; bias is added
// by the first block and the clamp by the last.
#include "kernels/gemm/gemm.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "kernels/gemm/gemm_internal.h"
#include "kernels/gemm/gemm_microkernels.h"
#include "runtime/thread_pool.h"

namespace webnn {
namespace {

constexpr size_t kMaxKC = 256;          // K block: one panel block is 16 KB
constexpr size_t kPanelsPerNBlock = 16;  // N block: 256 columns
// Below this many FLOPs per task, waking a worker costs more than it saves.
constexpr double kMinFlopsPerTask = 2.0e6;

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
};

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
    for (size_t pb = p0; pb < p0 + pCount; pb += kPanelsPerNBlock) {
      const size_t pbEnd = std::min(p0 + pCount, pb + kPanelsPerNBlock);
      for (size_t m = m0; m < m0 + mCount; m += kGemmMR) {
        const size_t mr = std::min(kGemmMR, m0 + mCount - m);
        const float* aRow = g.a + m * g.lda + k0;
        float* cRow = g.c + m * g.ldc;
        for (size_t p = pb; p < pbEnd; ++p) {
          const size_t n0 = p * kGemmNR;
          const size_t nc = std::min(kGemmNR, N - n0);
          const float* init = nullptr;
          if (first) init = !g.bias ? zeros : (nc == kGemmNR ? g.bias + n0 : biasTail);
          ukernel(mr, nc, kc, aRow, g.lda, g.packedB + p * K * kGemmNR + k0 * kGemmNR, init, cRow + n0, g.ldc, vmin,
                  vmax);
        }
        // Activations beyond min/max run on the finished tile while it is still in cache.
        if (last && !g.act->isMinMax()) {
          const size_t nStart = pb * kGemmNR, nEnd = std::min(N, pbEnd * kGemmNR);
          for (size_t r = 0; r < mr; ++r) applyActivation(*g.act, cRow + r * g.ldc + nStart, nEnd - nStart);
        }
      }
    }
  }
}

}  // namespace

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
                   const float* bias, float* c, size_t ldc, const Activation& act) {
  if (M == 0 || N == 0) return;
  const GemmArgs g{N, K, a, lda, packedB, bias, c, ldc, &act};
  const size_t panels = divUp(N, kGemmNR);
  const size_t threads = pool ? pool->numThreads() : 1;
  const double flops = 2.0 * M * N * std::max<size_t>(K, 1);
  // Enough tasks to balance (a few per thread), but never so small that waking workers dominates.
  size_t tasks = threads <= 1 ? 1 : std::min<size_t>(threads * 4, static_cast<size_t>(flops / kMinFlopsPerTask));
  if (tasks <= 1) {
    gemmRegion(g, 0, M, 0, panels);
    return;
  }
  // Split M first (every task then streams all of B, which is shared in L2/L3 and read-only); for
  // short M (GEMV-like shapes, memory bound on B) split the panels so each thread reads its own part of B.
  const size_t rowPairs = divUp(M, kGemmMR);
  const size_t mTiles = std::min(rowPairs, tasks);
  const size_t nTiles = std::min(panels, std::max<size_t>(1, tasks / mTiles));
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

void gemmF32(ThreadPool* pool, size_t M, const float* a, size_t lda, const PackedGemmB& b, const float* bias, float* c,
             size_t ldc, const Activation& act) {
  gemmF32Packed(pool, M, b.N, b.K, a, lda, b.data.as<float>(), bias, c, ldc, act);
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
