// Softmax along one axis of a tensor viewed as [outer, axis, inner].
#pragma once
#include <cstddef>

namespace webnn {

class ThreadPool;

// SIMD128 in Wasm SIMD builds; bit for bit the same results as softmaxF32Scalar (same algorithm).
void softmaxF32(ThreadPool* pool, const float* input, float* output, size_t outer, size_t axis, size_t inner);
// The scalar twin, on the calling thread (what non-SIMD builds run).
void softmaxF32Scalar(const float* input, float* output, size_t outer, size_t axis, size_t inner);

}  // namespace webnn
