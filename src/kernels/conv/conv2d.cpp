// conv2d dispatch. Four algorithms, chosen from the params when the weights are packed:
//  - Gemm1x1:   1x1, stride 1, no padding (non-depthwise): NHWC input rows *are* the GEMM's A rows
//               (row stride inputChannels), so each group is one GEMM with no copies.
//  - Depthwise: groups == inputChannels (> 1), any channel multiplier: a dedicated kernel (depthwise.cpp).
//  - Im2col:    everything else. Tiles of output pixels are unrolled into a per-thread scratch tile
//               (rows of [kh][kw][ic], matching the OHWI filter's inner order) and fed to the GEMM
//               microkernel, per group. Tiles are sized to stay in L2 next to the packed filter block.
//  - Winograd:  3x3, stride 1, dilation 1, one group, where the channels make it pay (winograd.cpp):
//               F(4x4, 3x3), a quarter of im2col's multiplies.
#include "kernels/conv/conv2d.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "kernels/conv/depthwise.h"
#include "kernels/conv/winograd.h"
#include "kernels/gemm/gemm_internal.h"
#include "kernels/task_split.h"
#include "core/thread_pool.h"

namespace webnn {
namespace {

enum Algorithm { kGemm1x1 = 1, kDepthwise = 2, kIm2col = 3, kWinograd = 4 };

// Im2col scratch: one tile per concurrent task; tasks beyond this share by taking turns.
constexpr size_t kMaxScratchSlots = 8;
// ~384 KB of unrolled rows (L2 is 1 MB): each 16-column filter panel is reused by many row pairs,
// while the tile itself stays in L2 for all panels.
constexpr size_t kIm2colTileBytes = 384 * 1024;

size_t divUp(size_t a, size_t b) { return (a + b - 1) / b; }

Algorithm chooseAlgorithm(const Conv2dParams& p) {
  if (p.groups > 1 && p.groups == p.inputChannels) return kDepthwise;
  if (p.kernelHeight == 1 && p.kernelWidth == 1 && p.strideHeight == 1 && p.strideWidth == 1 && p.padTop == 0 &&
      p.padLeft == 0 && p.outputHeight == p.inputHeight && p.outputWidth == p.inputWidth)
    return kGemm1x1;
  using W = Conv2dParams::Winograd;
  if (p.winograd == W::Always ? winogradApplicable(p) : p.winograd == W::Auto && winogradPays(p)) return kWinograd;
  return kIm2col;
}

size_t gemmK(const Conv2dParams& p) { return p.kernelHeight * p.kernelWidth * (p.inputChannels / p.groups); }

// Output pixels per im2col tile: a multiple of the microkernel's 2 rows, tile ~ kIm2colTileBytes.
size_t im2colTileRows(const Conv2dParams& p) {
  size_t rows = kIm2colTileBytes / (std::max<size_t>(gemmK(p), 1) * sizeof(float));
  rows = std::max<size_t>(8, std::min<size_t>(rows, 256));
  return rows & ~size_t(1);
}

double convFlops(const Conv2dParams& p) {
  return 2.0 * p.batch * p.outputHeight * p.outputWidth * p.outputChannels * gemmK(p);
}

// n floats from src to dst (not overlapping). Im2col copies short runs (3 floats per tap, 9 per
// filter row for a 3x3 on RGB), where calling memcpy (a function in Wasm, not an inlined
// instruction) costs more than the copy itself.
inline void copyFloats(float* dst, const float* src, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = src[i];
}

// Unrolls output pixels [m0, m0 + rows) of group g into `tile` (rows x K, row-major).
void im2colTile(const Conv2dParams& p, const float* input, size_t g, size_t m0, size_t rows, float* tile) {
  const size_t icg = p.inputChannels / p.groups, K = gemmK(p);
  const size_t pixelsPerImage = p.outputHeight * p.outputWidth;
  for (size_t r = 0; r < rows; ++r) {
    const size_t m = m0 + r;
    const size_t n = m / pixelsPerImage, oh = (m % pixelsPerImage) / p.outputWidth, ow = m % p.outputWidth;
    const ptrdiff_t ih0 = static_cast<ptrdiff_t>(oh * p.strideHeight) - static_cast<ptrdiff_t>(p.padTop);
    const ptrdiff_t iw0 = static_cast<ptrdiff_t>(ow * p.strideWidth) - static_cast<ptrdiff_t>(p.padLeft);
    float* dst = tile + r * K;
    // With one group and unit dilation, a filter row's taps are adjacent input pixels: when they are
    // all inside the input, one copy moves the whole row (kernelWidth x IC floats; the first layer's
    // 3x3 on RGB would otherwise copy 3 floats at a time).
    const bool rowIsContiguous = p.groups == 1 && p.dilationWidth == 1 && iw0 >= 0 &&
                                 iw0 + static_cast<ptrdiff_t>(p.kernelWidth) <= static_cast<ptrdiff_t>(p.inputWidth);
    for (size_t kh = 0; kh < p.kernelHeight; ++kh) {
      const ptrdiff_t ih = ih0 + static_cast<ptrdiff_t>(kh * p.dilationHeight);
      const bool rowValid = ih >= 0 && ih < static_cast<ptrdiff_t>(p.inputHeight);
      if (rowValid && rowIsContiguous) {
        const float* src = input + ((n * p.inputHeight + ih) * p.inputWidth + iw0) * p.inputChannels;
        copyFloats(dst, src, p.kernelWidth * icg);
        dst += p.kernelWidth * icg;
        continue;
      }
      for (size_t kw = 0; kw < p.kernelWidth; ++kw, dst += icg) {
        const ptrdiff_t iw = iw0 + static_cast<ptrdiff_t>(kw * p.dilationWidth);
        if (rowValid && iw >= 0 && iw < static_cast<ptrdiff_t>(p.inputWidth)) {
          const float* src = input + ((n * p.inputHeight + ih) * p.inputWidth + iw) * p.inputChannels + g * icg;
          copyFloats(dst, src, icg);
        } else {
          std::memset(dst, 0, icg * sizeof(float));  // padding
        }
      }
    }
  }
}

}  // namespace

const char* conv2dAlgorithmName(const Conv2dParams& p) {
  switch (chooseAlgorithm(p)) {
    case kGemm1x1: return "gemm 1x1";
    case kDepthwise: return "depthwise";
    case kWinograd: return "winograd F(4x4,3x3)";
    default: return "im2col";
  }
}

size_t conv2dPackedBytes(const Conv2dParams& p) {
  if (chooseAlgorithm(p) == kDepthwise) return satMul(depthwisePackedFloats(p), sizeof(float));
  if (chooseAlgorithm(p) == kWinograd) return satMul(winogradPackedFloats(p), sizeof(float));
  return satMul(packedGemmBFloats(gemmK(p), p.outputChannels / p.groups), p.groups, sizeof(float));
}

void packConv2dWeightsInto(const Conv2dParams& p, const float* filter, const float* bias, float* packed, float* biasOut) {
  const size_t OC = p.outputChannels;
  if (bias) std::memcpy(biasOut, bias, OC * sizeof(float));
  else std::memset(biasOut, 0, OC * sizeof(float));
  if (chooseAlgorithm(p) == kDepthwise) return packDepthwiseWeights(p, filter, packed);
  if (chooseAlgorithm(p) == kWinograd) return packWinogradWeights(p, filter, packed);
  // GEMM B per group: the group's OHWI rows are B transposed (N = OC/groups rows of K = KH*KW*ICg).
  const size_t K = gemmK(p), ocg = OC / p.groups, groupFloats = packedGemmBFloats(K, ocg);
  for (size_t g = 0; g < p.groups; ++g)
    packGemmBInto(filter + g * ocg * K, K, ocg, K, /*transposedB=*/true, packed + g * groupFloats);
}

bool packConv2dWeights(const Conv2dParams& p, const float* filter, const float* bias, PackedConv2dWeights* out) {
  out->algorithm = chooseAlgorithm(p);
  if (!out->bias.allocate(p.outputChannels * sizeof(float)) || !out->data.allocate(conv2dPackedBytes(p))) return false;
  packConv2dWeightsInto(p, filter, bias, out->data.as<float>(), out->bias.as<float>());
  return true;
}

size_t conv2dScratchBytes(const Conv2dParams& p) {
  if (chooseAlgorithm(p) == kWinograd) return winogradScratchBytes(p);
  if (chooseAlgorithm(p) != kIm2col) return 0;
  return satMul(kMaxScratchSlots, im2colTileRows(p), gemmK(p), sizeof(float));
}

void conv2dF32(ThreadPool* pool, const Conv2dParams& p, const float* input, const float* packed, const float* bias,
               float* output, const Activation& act, void* scratch) {
  const size_t OC = p.outputChannels, ocg = OC / p.groups, icg = p.inputChannels / p.groups;
  const size_t M = p.batch * p.outputHeight * p.outputWidth;
  if (M == 0 || OC == 0) return;
  const Algorithm algorithm = chooseAlgorithm(p);
  const size_t threads = pool ? pool->numThreads() : 1;
  const double flops = convFlops(p);

  if (algorithm == kDepthwise) {
    const size_t rows = p.batch * p.outputHeight;
    auto run = [&](size_t start, size_t count) {
#ifdef __wasm_simd128__
      f32_dwconv_minmax_rows__wasmsimd(p, input, packed, bias, output, act, start, count);
#else
      f32_dwconv_minmax_rows__scalar(p, input, packed, bias, output, act, start, count);
#endif
    };
    runSplit(pool, rows, flops / double(rows), run);
    return;
  }

  if (algorithm == kWinograd) return winogradConv2dF32(pool, p, input, packed, bias, output, act, scratch);

  const size_t K = gemmK(p), groupFloats = packedGemmBFloats(K, ocg);
  if (algorithm == kGemm1x1) {
    for (size_t g = 0; g < p.groups; ++g)
      gemmF32Packed(pool, M, ocg, K, input + g * icg, p.inputChannels, packed + g * groupFloats, bias + g * ocg,
                    output + g * ocg, OC, act);
    return;
  }

  // Im2col: work items are (tile of output pixels, group); each concurrent task owns one scratch tile.
  // Task s first takes the items of its own contiguous share of the pixels, then helps the others
  // (balances the load even if a worker starts late). The pool runs task s on thread s, so from one
  // layer to the next a thread gets the same pixels and reads what it wrote, from its own cache.
  size_t slots = threads <= 1 ? 1 : std::min<size_t>({threads, kMaxScratchSlots, divUp(M, 8)});
  if (flops < 2 * minTaskFlops(pool)) slots = 1;
  // Tiles of at most im2colTileRows (the scratch is sized for it), as many as a multiple of the slots.
  const size_t maxTileRows = im2colTileRows(p);
  const size_t tiles = divUp(divUp(M, maxTileRows), slots) * slots;
  const size_t tileRows = std::min(maxTileRows, (divUp(M, tiles) + 1) & ~size_t(1));
  const size_t items = divUp(M, tileRows) * p.groups;
  float* tileBase = static_cast<float*>(scratch);
  std::atomic<size_t> cursors[kMaxScratchSlots];
  for (size_t s = 0; s < slots; ++s) cursors[s].store(items * s / slots);
  auto worker = [&](size_t slot, size_t) {
    float* tile = tileBase + slot * tileRows * K;
    for (size_t k = 0; k < slots; ++k) {
      const size_t share = (slot + k) % slots, end = items * (share + 1) / slots;
      for (size_t item; (item = cursors[share].fetch_add(1)) < end;) {
        const size_t g = item % p.groups, m0 = (item / p.groups) * tileRows;
        const size_t rows = std::min(tileRows, M - m0);
        im2colTile(p, input, g, m0, rows, tile);
        gemmF32Packed(nullptr, rows, ocg, K, tile, K, packed + g * groupFloats, bias + g * ocg,
                      output + m0 * OC + g * ocg, OC, act);
      }
    }
  };
  if (slots <= 1) {
    worker(0, 1);
  } else {
    pool->parallelize1d(slots, 1, worker);
  }
}

}  // namespace webnn
