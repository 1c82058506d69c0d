#include "kernels/pool/pool2d.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/thread_pool.h"

namespace webnn {

// One output pixel: a row of `channels` values reduced over the window's valid taps. The channel
// loop is innermost and contiguous, so it vectorizes.
static void poolPixel(PoolKind kind, const Pool2dParams& p, const float* in, float* out, size_t oh, size_t ow) {
  size_t C = p.channels;
  float init = kind == PoolKind::Max ? -std::numeric_limits<float>::infinity() : 0.f;
  std::fill(out, out + C, init);
  size_t count = 0;
  for (size_t kh = 0; kh < p.windowHeight; ++kh) {
    long ih = long(oh * p.strideHeight + kh * p.dilationHeight) - long(p.padTop);
    if (ih < 0 || ih >= long(p.inputHeight)) continue;
    for (size_t kw = 0; kw < p.windowWidth; ++kw) {
      long iw = long(ow * p.strideWidth + kw * p.dilationWidth) - long(p.padLeft);
      if (iw < 0 || iw >= long(p.inputWidth)) continue;
      const float* row = in + (size_t(ih) * p.inputWidth + size_t(iw)) * C;
      ++count;
      switch (kind) {
        case PoolKind::Max:
          for (size_t c = 0; c < C; ++c) out[c] = (row[c] > out[c] || row[c] != row[c]) ? row[c] : out[c];
          break;
        case PoolKind::Average:
          for (size_t c = 0; c < C; ++c) out[c] += row[c];
          break;
        case PoolKind::L2:
          for (size_t c = 0; c < C; ++c) out[c] += row[c] * row[c];
          break;
      }
    }
  }
  if (kind == PoolKind::Average) {
    float inv = count ? 1.f / float(count) : 0.f;
    for (size_t c = 0; c < C; ++c) out[c] *= inv;
  } else if (kind == PoolKind::L2) {
    for (size_t c = 0; c < C; ++c) out[c] = std::sqrt(out[c]);
  } else if (count == 0) {
    std::fill(out, out + C, 0.f);  // a window entirely in padding (possible with ceil rounding)
  }
}

void pool2dF32(ThreadPool* pool, PoolKind kind, const Pool2dParams& p, const float* input, float* output) {
  size_t rows = p.batch * p.outputHeight;
  size_t inImage = p.inputHeight * p.inputWidth * p.channels;
  auto run = [&](size_t start, size_t count) {
    for (size_t r = start; r < start + count; ++r) {
      size_t n = r / p.outputHeight, oh = r % p.outputHeight;
      for (size_t ow = 0; ow < p.outputWidth; ++ow)
        poolPixel(kind, p, input + n * inImage, output + (r * p.outputWidth + ow) * p.channels, oh, ow);
    }
  };
  size_t work = rows * p.outputWidth * p.channels * p.windowHeight * p.windowWidth;
  if (!pool || work < (1 << 16)) return run(0, rows);
  pool->parallelize1d(rows, 1, run);
}

}  // namespace webnn
