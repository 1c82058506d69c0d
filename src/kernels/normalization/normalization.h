// f32 normalization kernels. Mean/variance (population) are accumulated in double, two passes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace webnn {

class ThreadPool;

// y = x * a[c] + b[c] over [outer, channels, inner] (batchNormalization after folding its
// statistics into a per-channel scale and shift).
void channelAffineF32(ThreadPool* pool, const float* x, const float* a, const float* b, float* y, size_t outer,
                      size_t channels, size_t inner);

// Folds batchNormalization's statistics: a = scale / sqrt(variance + epsilon), b = bias - mean * a.
// scale / bias may be null (1 and 0).
void foldBatchNormF32(const float* mean, const float* variance, const float* scale, const float* bias, float epsilon,
                      size_t channels, float* a, float* b);

// Normalizes groups of elements: group g holds x[groupOffsets[g] + memberOffsets[m]] for every m;
// y = (x - mean_g) / sqrt(var_g + epsilon) * scale[p] + bias[p], where the parameter index p is
// memberParam[m] when memberParam is non-empty, else groupParam[g] (scale / bias may be null).
struct NormGroups {
  std::vector<size_t> groupOffsets, memberOffsets;
  std::vector<size_t> groupParam, memberParam;
  float epsilon = 1e-5f;
};
void groupNormalizeF32(ThreadPool* pool, const NormGroups& n, const float* x, const float* scale, const float* bias,
                       float* y);

}  // namespace webnn
