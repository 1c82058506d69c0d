#include "kernels/softmax/softmax.h"

#include "kernels/activation.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/thread_pool.h"

namespace webnn {

// Max-subtracted for stability; NaN in a slice makes the whole slice NaN, as the formula does.
static void softmaxSlice(const float* in, float* out, size_t axis, size_t inner) {
  if (inner == 1) {  // the common case (softmax over the last axis): contiguous, SIMD128 exp
    float m = -std::numeric_limits<float>::infinity();
    for (size_t a = 0; a < axis; ++a) m = std::max(m, in[a]);
    // (a NaN input makes exp(NaN - m), hence the sum and the whole slice, NaN)
    if (std::isinf(m) && m < 0) m = 0;
    float inv = 1.f / expShiftedF32(in, m, out, axis);
    for (size_t a = 0; a < axis; ++a) out[a] *= inv;
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
  size_t slice = axis * inner;
  size_t perTask = std::max<size_t>(1, (1 << 14) / std::max<size_t>(slice, 1));
  auto run = [&](size_t start, size_t count) {
    for (size_t o = start; o < start + count; ++o) softmaxSlice(input + o * slice, output + o * slice, axis, inner);
  };
  if (!pool || outer <= perTask) return run(0, outer);
  pool->parallelize1d(outer, perTask, run);
}

}  // namespace webnn
