#include "kernels/pool/pool2d.h"

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <limits>

#include "kernels/task_split.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

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
  const bool isMax = kind == PoolKind::Max || kind == PoolKind::MaxSkipNaN;
  float init = isMax ? -std::numeric_limits<float>::infinity() : 0.f;
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
        case PoolKind::MaxSkipNaN:  // a NaN never compares greater
          for (size_t c = 0; c < C; ++c) out[c] = row[c] > out[c] ? row[c] : out[c];
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

#ifdef __wasm_simd128__
// The SIMD128 twin of poolPixel: channels in blocks of 16 (four accumulators kept in registers over
// all taps, instead of a load/store of the output per tap), then blocks of 4, then single channels.
// Windows of more than 16 valid taps use poolPixel itself.
// Every channel sees the same operations in the same tap order as poolPixel, so results are
// bit-identical to it (max keeps the first of equal values and propagates NaN like the scalar test).
template <PoolKind kKind>
struct PoolVec {
  static constexpr bool kMax = kKind == PoolKind::Max || kKind == PoolKind::MaxSkipNaN;
  static v128_t init() { return wasm_f32x4_splat(kMax ? -INFINITY : 0.f); }
  static v128_t step(v128_t acc, v128_t v) {
    if (kKind == PoolKind::Max)  // v > acc || v != v, as the scalar code (not f32x4.max: keeps -0 vs +0 order)
      return wasm_v128_bitselect(v, acc, wasm_v128_or(wasm_f32x4_gt(v, acc), wasm_f32x4_ne(v, v)));
    if (kKind == PoolKind::MaxSkipNaN) return wasm_v128_bitselect(v, acc, wasm_f32x4_gt(v, acc));
    if (kKind == PoolKind::Average) return wasm_f32x4_add(acc, v);
    return wasm_f32x4_add(acc, wasm_f32x4_mul(v, v));
  }
  static v128_t finish(v128_t acc, size_t count, float inv) {
    if (kKind == PoolKind::Average) return wasm_f32x4_mul(acc, wasm_f32x4_splat(inv));
    if (kKind == PoolKind::L2) return wasm_f32x4_sqrt(acc);
    return count ? acc : wasm_f32x4_splat(0.f);
  }
  static float step1(float acc, float v) {
    if (kKind == PoolKind::Max) return (v > acc || v != v) ? v : acc;
    if (kKind == PoolKind::MaxSkipNaN) return v > acc ? v : acc;
    if (kKind == PoolKind::Average) return acc + v;
    return acc + v * v;
  }
  static float finish1(float acc, size_t count, float inv) {
    if (kKind == PoolKind::Average) return acc * inv;
    if (kKind == PoolKind::L2) return std::sqrt(acc);
    return count ? acc : 0.f;
  }
};

template <PoolKind kKind>
void poolRowsSimd(const Pool2dParams& p, const float* input, float* output, size_t start, size_t rows) {
  using Op = PoolVec<kKind>;
  const size_t C = p.channels, inImage = p.inputHeight * p.inputWidth * C;
  for (size_t r = start; r < start + rows; ++r) {
    const size_t n = r / p.outputHeight, oh = r % p.outputHeight;
    const float* in = input + n * inImage;
    size_t khBegin, khEnd;
    validTaps(oh * p.strideHeight, p.padTop, p.dilationHeight, p.windowHeight, p.inputHeight, &khBegin, &khEnd);
    for (size_t ow = 0; ow < p.outputWidth; ++ow) {
      float* out = output + (r * p.outputWidth + ow) * C;
      size_t kwBegin, kwEnd;
      validTaps(ow * p.strideWidth, p.padLeft, p.dilationWidth, p.windowWidth, p.inputWidth, &kwBegin, &kwEnd);
      const size_t count = (khEnd - khBegin) * (kwEnd - kwBegin);
      const float inv = count ? 1.f / float(count) : 0.f;
      // Calls f(row) for the window's valid taps in poolPixel's order; row points at channel 0.
      auto forTaps = [&](auto f) {
        for (size_t kh = khBegin; kh < khEnd; ++kh) {
          const size_t ih = oh * p.strideHeight + kh * p.dilationHeight - p.padTop;
          for (size_t kw = kwBegin; kw < kwEnd; ++kw)
            f(in + (ih * p.inputWidth + ow * p.strideWidth + kw * p.dilationWidth - p.padLeft) * C);
        }
      };
      if (count > 16) {
        // Large windows (global pooling): a channel block would read a short piece of many rows per
        // pass; poolPixel streams each tap's row into the output (in L1), and clang vectorizes its
        // loops (faster here than the same loop written with intrinsics).
        poolPixel(kKind, p, in, out, oh, ow);
        continue;
      }
      size_t c = 0;
      for (; c + 16 <= C; c += 16) {
        v128_t a0 = Op::init(), a1 = a0, a2 = a0, a3 = a0;
        forTaps([&](const float* row) {
          a0 = Op::step(a0, wasm_v128_load(row + c));
          a1 = Op::step(a1, wasm_v128_load(row + c + 4));
          a2 = Op::step(a2, wasm_v128_load(row + c + 8));
          a3 = Op::step(a3, wasm_v128_load(row + c + 12));
        });
        wasm_v128_store(out + c, Op::finish(a0, count, inv));
        wasm_v128_store(out + c + 4, Op::finish(a1, count, inv));
        wasm_v128_store(out + c + 8, Op::finish(a2, count, inv));
        wasm_v128_store(out + c + 12, Op::finish(a3, count, inv));
      }
      for (; c + 4 <= C; c += 4) {
        v128_t a = Op::init();
        forTaps([&](const float* row) { a = Op::step(a, wasm_v128_load(row + c)); });
        wasm_v128_store(out + c, Op::finish(a, count, inv));
      }
      for (; c < C; ++c) {
        float a = Op::kMax ? -INFINITY : 0.f;
        forTaps([&](const float* row) { a = Op::step1(a, row[c]); });
        out[c] = Op::finish1(a, count, inv);
      }
    }
  }
}
#endif

// Output rows [start, start + count) with poolPixel: the scalar twin of poolRowsSimd.
static void poolRowsScalar(PoolKind kind, const Pool2dParams& p, const float* input, float* output, size_t start,
                           size_t count) {
  const size_t inImage = p.inputHeight * p.inputWidth * p.channels;
  for (size_t r = start; r < start + count; ++r) {
    const size_t n = r / p.outputHeight, oh = r % p.outputHeight;
    for (size_t ow = 0; ow < p.outputWidth; ++ow)
      poolPixel(kind, p, input + n * inImage, output + (r * p.outputWidth + ow) * p.channels, oh, ow);
  }
}

void pool2dF32Scalar(PoolKind kind, const Pool2dParams& p, const float* input, float* output) {
  poolRowsScalar(kind, p, input, output, 0, p.batch * p.outputHeight);
}

void pool2dF32(ThreadPool* pool, PoolKind kind, const Pool2dParams& p, const float* input, float* output) {
  size_t rows = p.batch * p.outputHeight;
  auto run = [&](size_t start, size_t count) {
#ifdef __wasm_simd128__
    switch (kind) {
      case PoolKind::Max: return poolRowsSimd<PoolKind::Max>(p, input, output, start, count);
      case PoolKind::MaxSkipNaN: return poolRowsSimd<PoolKind::MaxSkipNaN>(p, input, output, start, count);
      case PoolKind::Average: return poolRowsSimd<PoolKind::Average>(p, input, output, start, count);
      case PoolKind::L2: return poolRowsSimd<PoolKind::L2>(p, input, output, start, count);
    }
#else
    poolRowsScalar(kind, p, input, output, start, count);
#endif
  };
  // Rows of output pixels (batch, outputY) in order; a row's cost is about its window taps.
  double rowFlops = double(p.outputWidth) * double(p.channels) * double(p.windowHeight) * double(p.windowWidth);
  runSplit(pool, rows, rowFlops, run);
}

namespace {

template <typename T>
void maxPoolIntT(const Pool2dParams& p, const T* in, T* out) {
  const size_t C = p.channels, inImage = p.inputHeight * p.inputWidth * C;
  for (size_t n = 0; n < p.batch; ++n)
    for (size_t oh = 0; oh < p.outputHeight; ++oh)
      for (size_t ow = 0; ow < p.outputWidth; ++ow) {
        T* o = out + ((n * p.outputHeight + oh) * p.outputWidth + ow) * C;
        size_t khBegin, khEnd, kwBegin, kwEnd;
        validTaps(oh * p.strideHeight, p.padTop, p.dilationHeight, p.windowHeight, p.inputHeight, &khBegin, &khEnd);
        validTaps(ow * p.strideWidth, p.padLeft, p.dilationWidth, p.windowWidth, p.inputWidth, &kwBegin, &kwEnd);
        bool any = false;
        for (size_t kh = khBegin; kh < khEnd; ++kh) {
          size_t ih = oh * p.strideHeight + kh * p.dilationHeight - p.padTop;
          for (size_t kw = kwBegin; kw < kwEnd; ++kw) {
            size_t iw = ow * p.strideWidth + kw * p.dilationWidth - p.padLeft;
            const T* row = in + n * inImage + (ih * p.inputWidth + iw) * C;
            for (size_t c = 0; c < C; ++c) o[c] = (!any || row[c] > o[c]) ? row[c] : o[c];
            any = true;
          }
        }
        if (!any) std::fill(o, o + C, T(0));
      }
}

}  // namespace

void maxPool2dInt(DataType type, const Pool2dParams& p, const void* input, void* output) {
  switch (type) {
    case DataType::Int8: return maxPoolIntT(p, static_cast<const int8_t*>(input), static_cast<int8_t*>(output));
    case DataType::Uint8: return maxPoolIntT(p, static_cast<const uint8_t*>(input), static_cast<uint8_t*>(output));
    case DataType::Int32: return maxPoolIntT(p, static_cast<const int32_t*>(input), static_cast<int32_t*>(output));
    case DataType::Uint32: return maxPoolIntT(p, static_cast<const uint32_t*>(input), static_cast<uint32_t*>(output));
    case DataType::Int64: return maxPoolIntT(p, static_cast<const int64_t*>(input), static_cast<int64_t*>(output));
    case DataType::Uint64: return maxPoolIntT(p, static_cast<const uint64_t*>(input), static_cast<uint64_t*>(output));
    default: return;  // float types take pool2dF32
  }
}

}  // namespace webnn
