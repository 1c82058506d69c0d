// Winograd F(4x4, 3x3) conv2d driver: filter packing, tile blocks, GEMMs and threads.
//
// Work is cut into blocks of `blockTiles` tiles. For one block, in a task's own scratch:
//   1. input transform: each tile's 6x6 window -> V[tile][point][IC]   (winograd_transforms.h)
//   2. 36 GEMMs: M[tile][point][OC] = V[tile][point][:] x U[point]      (the GEMM microkernels, lda = 36 IC)
//   3. output transform + bias + activation: M[tile] -> the 4x4 output pixels, written in place.
//      A tile whose transformed result is not finite (an Inf or NaN input, which the transforms
//      spread over the tile, or an overflow near FLT_MAX) is recomputed by direct convolution from
//      the source filter kept after the 36 packed points, so such values land where direct
//      convolution puts them.
// Blocks are sized so V and M stay in L2 between the steps (see kBlockBytes). Tasks take blocks
// like im2col's tasks take tiles (conv2d.cpp): a contiguous share first, then help the others.
#include "kernels/conv/winograd.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "kernels/conv/winograd_transforms.h"
#include "kernels/gemm/gemm_internal.h"
#include "core/thread_pool.h"
#include "kernels/task_split.h"

namespace webnn {
namespace {

constexpr size_t kMaxScratchSlots = 8;
#ifndef WEBNN_WINOGRAD_BLOCK_KB  // overridable for tuning experiments
#define WEBNN_WINOGRAD_BLOCK_KB 256
#endif
// V + M of one block: small enough to stay in L2 (1 MB) next to the filter panels streaming past.
constexpr size_t kBlockBytes = size_t(WEBNN_WINOGRAD_BLOCK_KB) * 1024;

size_t divUp(size_t a, size_t b) { return (a + b - 1) / b; }

size_t tilesHigh(const Conv2dParams& p) { return divUp(p.outputHeight, kWinogradTile); }
size_t tilesWide(const Conv2dParams& p) { return divUp(p.outputWidth, kWinogradTile); }

// Floats of one tile's V and M rows.
size_t tileFloats(const Conv2dParams& p) { return kWinogradPoints * (p.inputChannels + p.outputChannels); }

size_t blockTiles(const Conv2dParams& p) {
  size_t t = kBlockBytes / (std::max<size_t>(tileFloats(p), 1) * sizeof(float));
  t = std::max<size_t>(2, std::min<size_t>(t, 64));
  return t & ~size_t(1);  // whole row pairs for the 2-row microkernel
}

// Floats of the 36 points' packed B operands (the source filter follows them).
size_t pointsFloats(const Conv2dParams& p) {
  return satMul(packedGemmBFloats(p.inputChannels, p.outputChannels), kWinogradPoints);
}

// The tile's output pixels by direct convolution (the fallback for non-finite tiles); `filter` is OHWI.
void directTile(const Conv2dParams& p, const WinogradWindow& w, const float* filter, const float* bias,
                const WinogradOutputTile& y, float vmin, float vmax) {
  const size_t IC = p.inputChannels, OC = p.outputChannels;
  for (size_t i = 0; i < kWinogradTile; ++i)
    for (size_t j = 0; j < kWinogradTile; ++j) {
      float* dst = y.pixel[i * kWinogradTile + j];
      if (!dst) continue;
      for (size_t oc = 0; oc < OC; ++oc) {
        float sum = bias[oc];
        for (size_t kh = 0; kh < 3; ++kh)
          for (size_t kw = 0; kw < 3; ++kw) {
            const float* x = w.pixel[(i + kh) * kWinogradAlpha + j + kw];
            if (!x) continue;  // padding
            const float* f = filter + ((oc * 3 + kh) * 3 + kw) * IC;
            for (size_t ic = 0; ic < IC; ++ic) sum += x[ic] * f[ic];
          }
        dst[oc] = std::min(std::max(sum, vmin), vmax);
      }
    }
}

void activationOnTile(const Activation& act, const WinogradOutputTile& y, size_t channels) {
  for (float* px : y.pixel)
    if (px) activationF32(act, px, px, channels);
}

}  // namespace

bool winogradApplicable(const Conv2dParams& p) {
  return p.kernelHeight == 3 && p.kernelWidth == 3 && p.strideHeight == 1 && p.strideWidth == 1 &&
         p.dilationHeight == 1 && p.dilationWidth == 1 && p.groups == 1 && p.inputChannels > 0 &&
         p.outputChannels > 0 && p.outputHeight > 0 && p.outputWidth > 0;
}

bool winogradPays(const Conv2dParams& p) {
  if (!winogradApplicable(p)) return false;
  // Transforms cost per channel what a GEMM costs per channel pair: channels must be many enough
  // for the 4x cut in GEMM work to win. bench/winograd-crossover.mjs (bench/README.md): Winograd
  // was faster at every shape measured, 8-64 channels on 56x56 and 14x14; below 8, not measured.
  if (p.inputChannels < 8 || p.outputChannels < 8) return false;
  // Tiles overhanging the output compute pixels that are thrown away: keep at least half used.
  const size_t used = p.outputHeight * p.outputWidth;
  const size_t computed = tilesHigh(p) * tilesWide(p) * kWinogradTile * kWinogradTile;
  return 2 * used >= computed;
}

size_t winogradPackedFloats(const Conv2dParams& p) {
  return satAdd(pointsFloats(p), satMul(p.outputChannels, 9, p.inputChannels));
}

void packWinogradWeights(const Conv2dParams& p, const float* filter, float* packed) {
  // G for F(4x4, 3x3) (points 0, +-1, +-2, inf); rows scaled as in Lavin & Gray.
  static const double G[kWinogradAlpha][3] = {
      {1.0 / 4, 0, 0},
      {-1.0 / 6, -1.0 / 6, -1.0 / 6},
      {-1.0 / 6, 1.0 / 6, -1.0 / 6},
      {1.0 / 24, 1.0 / 12, 1.0 / 6},
      {1.0 / 24, -1.0 / 12, 1.0 / 6},
      {0, 0, 1},
  };
  const size_t IC = p.inputChannels, OC = p.outputChannels;
  const size_t pointFloats = packedGemmBFloats(IC, OC);
  std::memset(packed, 0, pointsFloats(p) * sizeof(float));  // the last panel's padding columns
  std::memcpy(packed + pointsFloats(p), filter, OC * 9 * IC * sizeof(float));  // for directTile
  for (size_t oc = 0; oc < OC; ++oc) {
    for (size_t ic = 0; ic < IC; ++ic) {
      double g[3][3], gg[kWinogradAlpha][3];
      for (size_t kh = 0; kh < 3; ++kh)
        for (size_t kw = 0; kw < 3; ++kw) g[kh][kw] = filter[((oc * 3 + kh) * 3 + kw) * IC + ic];
      for (size_t i = 0; i < kWinogradAlpha; ++i)
        for (size_t kw = 0; kw < 3; ++kw) gg[i][kw] = G[i][0] * g[0][kw] + G[i][1] * g[1][kw] + G[i][2] * g[2][kw];
      for (size_t i = 0; i < kWinogradAlpha; ++i)
        for (size_t j = 0; j < kWinogradAlpha; ++j) {
          const double u = gg[i][0] * G[j][0] + gg[i][1] * G[j][1] + gg[i][2] * G[j][2];
          packed[(i * kWinogradAlpha + j) * pointFloats + packedGemmBIndex(IC, ic, oc)] = float(u);
        }
    }
  }
}

size_t winogradScratchBytes(const Conv2dParams& p) {
  return satMul(kMaxScratchSlots, blockTiles(p), tileFloats(p), sizeof(float));
}

void winogradConv2dF32(ThreadPool* pool, const Conv2dParams& p, const float* input, const float* packed,
                       const float* bias, float* output, const Activation& act, void* scratch) {
  const size_t IC = p.inputChannels, OC = p.outputChannels;
  const size_t th = tilesHigh(p), tw = tilesWide(p), tiles = p.batch * th * tw;
  if (tiles == 0) return;
  const size_t threads = pool ? pool->numThreads() : 1;
  const size_t maxTiles = blockTiles(p);  // the scratch is sized for it
  const double flops = 2.0 * double(tiles) * kWinogradPoints * double(IC) * double(OC);  // the GEMMs'
  size_t slots = threads <= 1 ? 1 : std::min<size_t>({threads, kMaxScratchSlots, divUp(tiles, 2)});
  if (flops < 2 * minTaskFlops(pool)) slots = 1;
  // As many blocks as a multiple of the tasks (196 tiles in 7 blocks would leave one of 2 threads
  // a block behind), each at most maxTiles and a whole number of row pairs.
  const size_t blocks0 = divUp(divUp(tiles, maxTiles), slots) * slots;
  const size_t bt = std::min(maxTiles, (divUp(tiles, blocks0) + 1) & ~size_t(1));
  const size_t blocks = divUp(tiles, bt);
  const size_t pointFloats = packedGemmBFloats(IC, OC);
  const size_t vStride = kWinogradPoints * IC, mStride = kWinogradPoints * OC;  // floats per tile
  const float vmin = act.clampMin(), vmax = act.clampMax();
  const Activation none;

  // A tile's 6x6 input window (null in the padding) and its 4x4 output pixels (null past the edge).
  auto window = [&](size_t tile, WinogradWindow* w, WinogradOutputTile* y) {
    const size_t n = tile / (th * tw), ty = (tile / tw) % th, tx = tile % tw;
    const ptrdiff_t ih0 = ptrdiff_t(ty * kWinogradTile) - ptrdiff_t(p.padTop);
    const ptrdiff_t iw0 = ptrdiff_t(tx * kWinogradTile) - ptrdiff_t(p.padLeft);
    for (size_t i = 0; i < kWinogradAlpha; ++i)
      for (size_t j = 0; j < kWinogradAlpha; ++j) {
        const ptrdiff_t ih = ih0 + ptrdiff_t(i), iw = iw0 + ptrdiff_t(j);
        const bool inside = ih >= 0 && ih < ptrdiff_t(p.inputHeight) && iw >= 0 && iw < ptrdiff_t(p.inputWidth);
        w->pixel[i * kWinogradAlpha + j] = inside ? input + ((n * p.inputHeight + ih) * p.inputWidth + iw) * IC : nullptr;
      }
    for (size_t i = 0; i < kWinogradTile; ++i)
      for (size_t j = 0; j < kWinogradTile; ++j) {
        const size_t oh = ty * kWinogradTile + i, ow = tx * kWinogradTile + j;
        y->pixel[i * kWinogradTile + j] =
            oh < p.outputHeight && ow < p.outputWidth ? output + ((n * p.outputHeight + oh) * p.outputWidth + ow) * OC
                                                      : nullptr;
      }
  };

  auto runBlock = [&](size_t block, float* v, float* m) {
    const size_t t0 = block * bt, count = std::min(bt, tiles - t0);
    WinogradWindow w;
    WinogradOutputTile y;
    for (size_t t = 0; t < count; ++t) {
      window(t0 + t, &w, &y);
#ifdef __wasm_simd128__
      f32_winograd43_input__wasmsimd(w, 0, IC, v + t * vStride, IC);
#else
      f32_winograd43_input__scalar(w, 0, IC, v + t * vStride, IC);
#endif
    }
    for (size_t point = 0; point < kWinogradPoints; ++point)
      gemmF32Packed(nullptr, count, OC, IC, v + point * IC, vStride, packed + point * pointFloats, nullptr,
                    m + point * OC, mStride, none);
    for (size_t t = 0; t < count; ++t) {
      window(t0 + t, &w, &y);
#ifdef __wasm_simd128__
      const bool finite = f32_winograd43_output__wasmsimd(m + t * mStride, OC, bias, 0, OC, y, vmin, vmax);
#else
      const bool finite = f32_winograd43_output__scalar(m + t * mStride, OC, bias, 0, OC, y, vmin, vmax);
#endif
      if (!finite) directTile(p, w, packed + pointsFloats(p), bias, y, vmin, vmax);
      if (!act.isMinMax()) activationOnTile(act, y, OC);
    }
  };

  float* base = static_cast<float*>(scratch);
  std::atomic<size_t> cursors[kMaxScratchSlots];
  for (size_t s = 0; s < slots; ++s) cursors[s].store(blocks * s / slots);
  auto worker = [&](size_t slot, size_t) {
    float* v = base + slot * bt * tileFloats(p);
    float* m = v + bt * vStride;
    for (size_t k = 0; k < slots; ++k) {
      const size_t share = (slot + k) % slots, end = blocks * (share + 1) / slots;
      for (size_t block; (block = cursors[share].fetch_add(1)) < end;) runBlock(block, v, m);
    }
  };
  if (slots <= 1) worker(0, 1);
  else pool->parallelize1d(slots, 1, worker);
}

}  // namespace webnn
