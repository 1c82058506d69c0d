#include "kernels/pool/pool2d.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/thread_pool.h"

namespace webnn {

// The taps k in [0, window) with 0 <= start + k * dilation - pad < input, as [*begin, *end).
// (Validation bounds start + window extents by 2^31, so nothing here wraps in 32-bit Wasm.)
static void validTaps(size_t start, size_t pad, size_t dilation, size_t window, size_t input, size_t* begin,
                      size_t* end) {
  // First tap at or past the padding; first tap past the input's end.
  size_t first = start >= pad ? 0 : (pad - start + dilation - 1) / dilation;
  size_t limit = input + pad;  // taps with start + k * dilation < limit are inside
  size_t last = start >= limit ? 0 : (limit - start + dilation - 1) / dilation;
  *begin = std::min(first, window);
  *end = std::max(*begin, std::min(last, window));
}

// One output pixel: a row of `channels` values reduced over the window's valid taps. The channel
// loop is innermost and contiguous, so it vectorizes.
static void poolPixel(PoolKind kind, const Pool2dParams& p, const float* in, float* out, size_t oh, size_t ow) {
  size_t C = p.channels;
  float init = kind == PoolKind::Max ? -std::numeric_limits<float>::infinity() : 0.f;
  std::fill(out, out + C, init);
  size_t count = 0;
  // Only the window's taps that land inside the input are visited (a window may reach far into the
  // padding: the cost stays proportional to the valid taps, not to the window's size).
  size_t khBegin, khEnd, kwBegin, kwEnd;
  validTaps(oh * p.strideHeight, p.padTop, p.dilationHeight, p.windowHeight, p.inputHeight, &khBegin, &khEnd);
  validTaps(ow * p.strideWidth, p.padLeft, p.dilationWidth, p.windowWidth, p.inputWidth, &kwBegin, &kwEnd);
  for (size_t kh = khBegin; kh < khEnd; ++kh) {
    size_t ih = oh * p.strideHeight + kh * p.dilationHeight - p.padTop;
    for (size_t kw = kwBegin; kw < kwEnd; ++kw) {
      size_t iw = ow * p.strideWidth + kw * p.dilationWidth - p.padLeft;
      const float* row = in + (ih * p.inputWidth + iw) * C;
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
