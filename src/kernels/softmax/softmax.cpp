#include "kernels/softmax/softmax.h"

#include "kernels/activation.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/task_split.h"

namespace webnn {
namespace {

// Both paths below are templates on kSimd: the SIMD128 path (kSimd, Wasm SIMD builds only) and its
// scalar twin run the same steps in the same order — the same maxima, expApprox where the SIMD path
// has ExpF32x4 (same constants and steps), the same sums in the same association — so they
// agree to the bit; only the loads are wider. Max-subtracted for stability; a NaN in a slice makes
// the slice NaN and a slice of all -inf gives NaN (0 / 0), as the formula does.
#ifdef __wasm_simd128__
constexpr bool kHaveSimd = true;
#else
constexpr bool kHaveSimd = false;
#endif

// One contiguous slice (softmax over the last axis, the common case). Maxima and sums run in 4
// lanes over the first axis & ~3 elements (lane l takes elements l, l + 4, ...), the lanes are
// combined as (l0 max l1) max (l2 max l3) and l0 + l1 + l2 + l3, then the tail joins one by one.
template <bool kSimd>
void softmaxRows(const float* in, float* out, size_t axis, size_t rows) {
#ifdef __wasm_simd128__
  const ExpF32x4 exp4;  // its constants, once for all the rows
#endif
  for (size_t row = 0; row < rows; ++row, in += axis, out += axis) {
    const size_t av = axis & ~size_t(3);
    // std::max(m, x) = m < x ? x : m, which is pmax(m, x): a NaN x is skipped here and poisons the sum.
    float lane[4];
    std::fill(lane, lane + 4, -std::numeric_limits<float>::infinity());
#ifdef __wasm_simd128__
    if constexpr (kSimd) {
      v128_t m4 = wasm_v128_load(lane);
      for (size_t a = 0; a < av; a += 4) m4 = wasm_f32x4_pmax(m4, wasm_v128_load(in + a));
      wasm_v128_store(lane, m4);
    }
#endif
    if constexpr (!kSimd)
      for (size_t a = 0; a < av; a += 4)
        for (size_t l = 0; l < 4; ++l) lane[l] = std::max(lane[l], in[a + l]);
    float m = std::max(std::max(lane[0], lane[1]), std::max(lane[2], lane[3]));
    for (size_t a = av; a < axis; ++a) m = std::max(m, in[a]);
    if (std::isinf(m) && m < 0) m = 0;

    std::fill(lane, lane + 4, 0.f);
#ifdef __wasm_simd128__
    if constexpr (kSimd) {
      v128_t shift = wasm_f32x4_splat(m), acc = wasm_f32x4_splat(0.f);
      for (size_t a = 0; a < av; a += 4) {
        v128_t e = exp4(wasm_f32x4_sub(wasm_v128_load(in + a), shift));
        wasm_v128_store(out + a, e);
        acc = wasm_f32x4_add(acc, e);
      }
      wasm_v128_store(lane, acc);
    }
#endif
    if constexpr (!kSimd)
      for (size_t a = 0; a < av; a += 4)
        for (size_t l = 0; l < 4; ++l) {
          out[a + l] = expApprox(in[a + l] - m);
          lane[l] += out[a + l];
        }
    float sum = lane[0] + lane[1] + lane[2] + lane[3];
    for (size_t a = av; a < axis; ++a) {
      out[a] = expApprox(in[a] - m);
      sum += out[a];
    }
    const float inv = 1.f / sum;
    for (size_t a = 0; a < axis; ++a) out[a] *= inv;
  }
}

// Columns [j0, j1) of one [axis, inner] slice, j1 - j0 <= kColumnBlock: three passes over the slice's
// rows (max, exp and sum, scale), each reading a contiguous piece of every row, with the column
// maxima and sums on the stack. Each column's steps are those of a scalar loop down the column.
constexpr size_t kColumnBlock = 256;
template <bool kSimd>
void softmaxColumns(const float* in, float* out, size_t axis, size_t inner, size_t j0, size_t j1) {
  alignas(16) float mx[kColumnBlock], sum[kColumnBlock];
  const size_t w = j1 - j0, wv = kSimd ? w & ~size_t(3) : 0;  // the columns the SIMD loops take
#ifdef __wasm_simd128__
  const ExpF32x4 exp4;
#endif
  for (size_t j = 0; j < w; ++j) mx[j] = -INFINITY, sum[j] = 0.f;
  for (size_t a = 0; a < axis; ++a) {
    const float* x = in + a * inner + j0;
#ifdef __wasm_simd128__
    for (size_t j = 0; j < wv; j += 4)
      wasm_v128_store(mx + j, wasm_f32x4_pmax(wasm_v128_load(mx + j), wasm_v128_load(x + j)));
#endif
    for (size_t j = wv; j < w; ++j) mx[j] = std::max(mx[j], x[j]);
  }
  for (size_t j = 0; j < w; ++j)
    if (std::isinf(mx[j]) && mx[j] < 0) mx[j] = 0;
  for (size_t a = 0; a < axis; ++a) {
    const float* x = in + a * inner + j0;
    float* y = out + a * inner + j0;
#ifdef __wasm_simd128__
    for (size_t j = 0; j < wv; j += 4) {
      v128_t e = exp4(wasm_f32x4_sub(wasm_v128_load(x + j), wasm_v128_load(mx + j)));
      wasm_v128_store(y + j, e);
      wasm_v128_store(sum + j, wasm_f32x4_add(wasm_v128_load(sum + j), e));
    }
#endif
    for (size_t j = wv; j < w; ++j) {
      y[j] = expApprox(x[j] - mx[j]);
      sum[j] += y[j];
    }
  }
  for (size_t j = 0; j < w; ++j) sum[j] = 1.f / sum[j];
  for (size_t a = 0; a < axis; ++a) {
    float* y = out + a * inner + j0;
#ifdef __wasm_simd128__
    for (size_t j = 0; j < wv; j += 4) wasm_v128_store(y + j, wasm_f32x4_mul(wasm_v128_load(y + j), wasm_v128_load(sum + j)));
#endif
    for (size_t j = wv; j < w; ++j) y[j] *= sum[j];
  }
}

template <bool kSimd>
void softmax(ThreadPool* pool, const float* input, float* output, size_t outer, size_t axis, size_t inner) {
  const size_t slice = axis * inner;
  const double flopsPerElement = 20;  // max, exp (~15), sum, scale
  if (inner == 1) {
    runSplit(pool, outer, double(slice) * flopsPerElement, [&](size_t start, size_t count) {
      softmaxRows<kSimd>(input + start * slice, output + start * slice, axis, count);
    });
    return;
  }
  // Items are (slice, column block) in data order. Few slices: narrower blocks (16 floats at least,
  // a cache line of each row) so that the columns of one slice can be shared by threads.
  const size_t threads = pool ? pool->numThreads() : 1;
  size_t block = kColumnBlock;
  while (block > 16 && outer * ((inner + block - 1) / block) < 4 * threads) block /= 2;
  const size_t blocks = (inner + block - 1) / block;
  runSplit(pool, outer * blocks, double(axis) * double(std::min(block, inner)) * flopsPerElement,
           [&](size_t start, size_t count) {
             for (size_t t = start; t < start + count; ++t) {
               const size_t o = t / blocks, j0 = (t % blocks) * block;
               softmaxColumns<kSimd>(input + o * slice, output + o * slice, axis, inner, j0, std::min(inner, j0 + block));
             }
           });
}

}  // namespace

void softmaxF32(ThreadPool* pool, const float* input, float* output, size_t outer, size_t axis, size_t inner) {
  softmax<kHaveSimd>(pool, input, output, outer, axis, inner);
}

void softmaxF32Scalar(const float* input, float* output, size_t outer, size_t axis, size_t inner) {
  softmax<false>(nullptr, input, output, outer, axis, inner);
}

}  // namespace webnn
