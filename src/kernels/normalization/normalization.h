// f32 normalization kernels. Mean/variance (population) are accumulated in double, two passes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace webnn {

class ThreadPool;

// batchNormalization over [outer, channels, inner] in the spec's order of operations,
// y = (x - mean[c]) / sqrt(variance[c] + epsilon) * scale[c] + bias[c], in float32. (Folding it into
// one multiply-add x * a + b loses up to 12 ULP to cancellation where x is near the mean.)
// `params` holds 4 * channels floats from prepareBatchNormF32: mean, sqrt(variance + epsilon),
// scale, bias.
void batchNormF32(ThreadPool* pool, const float* x, const float* params, float* y, size_t outer, size_t channels,
                  size_t inner);

// Fills batchNormF32's params; scale / bias may be null (1 and 0).
void prepareBatchNormF32(const float* mean, const float* variance, const float* scale, const float* bias,
                         float epsilon, size_t channels, float* params);

// Normalizes groups of elements: group g holds x[groupOffsets[g] + memberOffsets[m]] for every m;
// y = (x - mean_g) / sqrt(var_g + epsilon) * scale[p] + bias[p], where the parameter index p is
// memberParam[m] when memberParam is non-empty, else groupParam[g] (scale / bias may be null).
struct NormGroups {
  std::vector<size_t> groupOffsets, memberOffsets;
  std::vector<size_t> groupParam, memberParam;
  float epsilon = 1e-5f;
};
// Groups whose members are contiguous (layer normalization over trailing axes, NCHW instance
// normalization) run a SIMD128 kernel under __wasm_simd128__, others one scalar loop.
void groupNormalizeF32(ThreadPool* pool, const NormGroups& n, const float* x, const float* scale, const float* bias,
                       float* y);
// The scalar twin, on the calling thread: what builds without SIMD128 run, bit for bit the SIMD
// kernel's results (the same partial sums in the same order).
void groupNormalizeF32Scalar(const NormGroups& n, const float* x, const float* scale, const float* bias, float* y);

}  // namespace webnn
