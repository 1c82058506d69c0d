#include "kernels/softmax/softmax.h"

#include "kernels/activation.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/task_split.h"

namespace webnn {

#ifdef __wasm_simd128__
// Columns [j0, j1) of one [axis, inner] slice, j1 - j0 <= kColumnBlock: three passes over the slice's
// rows (max, exp and sum, scale), each reading a contiguous piece of every row, with the column
// maxima and sums on the stack. Same steps per column as the scalar loop, with the exp
// approximation of the inner == 1 path (expApprox for the last j1 - j0 mod 4 columns).
constexpr size_t kColumnBlock = 256;
static void softmaxColumns(const float* in, float* out, size_t axis, size_t inner, size_t j0, size_t j1) {
  alignas(16) float mx[kColumnBlock], sum[kColumnBlock];
  const size_t w = j1 - j0, wv = w & ~size_t(3);
  for (size_t j = 0; j < w; ++j) mx[j] = -INFINITY, sum[j] = 0.f;
  for (size_t a = 0; a < axis; ++a) {
    const float* x = in + a * inner + j0;
    size_t j = 0;
    // pmax(m, x) = m < x ? x : m, which is std::max(m, x): a NaN x is skipped here and poisons the sum.
    for (; j < wv; j += 4) wasm_v128_store(mx + j, wasm_f32x4_pmax(wasm_v128_load(mx + j), wasm_v128_load(x + j)));
    for (; j < w; ++j) mx[j] = std::max(mx[j], x[j]);
  }
  for (size_t j = 0; j < w; ++j)
    if (std::isinf(mx[j]) && mx[j] < 0) mx[j] = 0;  // all -inf: NaN results, like the formula
  for (size_t a = 0; a < axis; ++a) {
    const float* x = in + a * inner + j0;
    float* y = out + a * inner + j0;
    size_t j = 0;
    for (; j < wv; j += 4) {
      v128_t e = expApproxF32x4(wasm_f32x4_sub(wasm_v128_load(x + j), wasm_v128_load(mx + j)));
      wasm_v128_store(y + j, e);
      wasm_v128_store(sum + j, wasm_f32x4_add(wasm_v128_load(sum + j), e));
    }
    for (; j < w; ++j) {
      y[j] = expApprox(x[j] - mx[j]);
      sum[j] += y[j];
    }
  }
  for (size_t j = 0; j < w; ++j) sum[j] = 1.f / sum[j];
  for (size_t a = 0; a < axis; ++a) {
    float* y = out + a * inner + j0;
    size_t j = 0;
    for (; j < wv; j += 4) wasm_v128_store(y + j, wasm_f32x4_mul(wasm_v128_load(y + j), wasm_v128_load(sum + j)));
    for (; j < w; ++j) y[j] *= sum[j];
  }
}
#endif

// Max-subtracted for stability; NaN in a slice makes the whole slice NaN, as the formula does.
static void softmaxSlice(const float* in, float* out, size_t axis, size_t inner) {
  if (inner == 1) {  // the common case (softmax over the last axis): contiguous, SIMD128 exp
    float m = -std::numeric_limits<float>::infinity();
    size_t a = 0;
#ifdef __wasm_simd128__
    // pmax(m, x) = m < x ? x : m per lane, std::max's rule: NaN skipped, only the sign of a zero
    // maximum may differ, which the subtraction below does not see.
    v128_t m4 = wasm_f32x4_splat(m);
    for (; a + 4 <= axis; a += 4) m4 = wasm_f32x4_pmax(m4, wasm_v128_load(in + a));
    m = std::max(std::max(wasm_f32x4_extract_lane(m4, 0), wasm_f32x4_extract_lane(m4, 1)),
                 std::max(wasm_f32x4_extract_lane(m4, 2), wasm_f32x4_extract_lane(m4, 3)));
#endif
    for (; a < axis; ++a) m = std::max(m, in[a]);
    // (a NaN input makes exp(NaN - m), hence the sum and the whole slice, NaN)
    if (std::isinf(m) && m < 0) m = 0;
    float inv = 1.f / expShiftedF32(in, m, out, axis);
    for (a = 0; a < axis; ++a) out[a] *= inv;
    return;
  }
  for (size_t j = 0; j < inner; ++j) {
    float m = -std::numeric_limits<float>::infinity();
    for (size_t a = 0; a < axis; ++a) m = std::max(m, in[a * inner + j]);
    if (std::isinf(m) && m < 0) m = 0;  // all -inf: exp(-inf - 0) = 0, the result is NaN like the formula
    float sum = 0;
    for (size_t a = 0; a < axis; ++a) {
      float e = std::exp(in[a * inner + j] - m);
      out[a * inner + j] = e;
      sum += e;
    }
    float inv = 1.f / sum;
    for (size_t a = 0; a < axis; ++a) out[a * inner + j] *= inv;
  }
}

void softmaxF32(ThreadPool* pool, const float* input, float* output, size_t outer, size_t axis, size_t inner) {
  const size_t slice = axis * inner;
  const double flopsPerElement = 20;  // max, exp (~15), sum, scale
#ifdef __wasm_simd128__
  if (inner > 1) {
    // Items are (slice, column block) in data order. Few slices: narrower blocks (16 floats at
    // least, a cache line of each row) so that the columns of one slice can be shared by threads.
    const size_t threads = pool ? pool->numThreads() : 1;
    size_t block = kColumnBlock;
    while (block > 16 && outer * ((inner + block - 1) / block) < 4 * threads) block /= 2;
    const size_t blocks = (inner + block - 1) / block;
    runSplit(pool, outer * blocks, double(axis) * double(std::min(block, inner)) * flopsPerElement,
             [&](size_t start, size_t count) {
               for (size_t t = start; t < start + count; ++t) {
                 const size_t o = t / blocks, j0 = (t % blocks) * block;
                 softmaxColumns(input + o * slice, output + o * slice, axis, inner, j0, std::min(inner, j0 + block));
               }
             });
    return;
  }
#endif
  runSplit(pool, outer, double(slice) * flopsPerElement, [&](size_t start, size_t count) {
    for (size_t o = start; o < start + count; ++o) softmaxSlice(input + o * slice, output + o * slice, axis, inner);
  });
}

}  // namespace webnn
