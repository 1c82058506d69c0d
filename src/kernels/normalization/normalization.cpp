#include "kernels/normalization/normalization.h"

#include <cmath>

#include "runtime/thread_pool.h"

namespace webnn {

void channelAffineF32(ThreadPool* pool, const float* x, const float* a, const float* b, float* y, size_t outer,
                      size_t channels, size_t inner) {
  auto rows = [&](size_t start, size_t n) {
    for (size_t r = start; r < start + n; ++r) {
      size_t c = r % channels;
      const float* xs = x + r * inner;
      float* ys = y + r * inner;
      float av = a[c], bv = b[c];
      for (size_t i = 0; i < inner; ++i) ys[i] = xs[i] * av + bv;
    }
  };
  size_t total = outer * channels;
  if (pool && total * inner >= 16384)
    pool->parallelize1d(total, std::max<size_t>(1, 4096 / std::max<size_t>(inner, 1)), rows);
  else
    rows(0, total);
}

void foldBatchNormF32(const float* mean, const float* variance, const float* scale, const float* bias, float epsilon,
                      size_t channels, float* a, float* b) {
  for (size_t c = 0; c < channels; ++c) {
    float s = scale ? scale[c] : 1.f;
    a[c] = float(s / std::sqrt(double(variance[c]) + double(epsilon)));
    b[c] = (bias ? bias[c] : 0.f) - mean[c] * a[c];
  }
}

void groupNormalizeF32(ThreadPool* pool, const NormGroups& n, const float* x, const float* scale, const float* bias,
                       float* y) {
  size_t members = n.memberOffsets.size();
  auto groups = [&](size_t start, size_t cnt) {
    for (size_t g = start; g < start + cnt; ++g) {
      size_t base = n.groupOffsets[g];
      double sum = 0;
      for (size_t m = 0; m < members; ++m) sum += x[base + n.memberOffsets[m]];
      double mean = members ? sum / double(members) : 0;
      double sq = 0;
      for (size_t m = 0; m < members; ++m) {
        double d = x[base + n.memberOffsets[m]] - mean;
        sq += d * d;
      }
      double inv = 1.0 / std::sqrt((members ? sq / double(members) : 0) + double(n.epsilon));
      for (size_t m = 0; m < members; ++m) {
        size_t p = n.memberParam.empty() ? n.groupParam[g] : n.memberParam[m];
        float v = float((x[base + n.memberOffsets[m]] - mean) * inv);
        if (scale) v *= scale[p];
        if (bias) v += bias[p];
        y[base + n.memberOffsets[m]] = v;
      }
    }
  };
  size_t count = n.groupOffsets.size();
  if (pool && count > 1 && count * members >= 16384)
    pool->parallelize1d(count, std::max<size_t>(1, 4096 / std::max<size_t>(members, 1)), groups);
  else
    groups(0, count);
}

}  // namespace webnn
