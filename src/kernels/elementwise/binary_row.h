// One row of a float32 element-wise binary op: out[i] = a[i*aStride] op b[i*bStride] with strides
// 0 (a broadcast value) or 1. A SIMD128 path under __wasm_simd128__ and a scalar twin (always
// built, so tests compare them: test/native/kernels/binary_twins.cpp). One algorithm: the same
// IEEE operation per element, max/min as IEEE maximum/minimum (binary.h), so they agree to the bit
// (NaN payloads aside). Pow has no SIMD path.
#pragma once
#include <cstddef>

#include "kernels/elementwise/binary.h"

namespace webnn {

void binaryRowF32(BinaryOp op, const float* a, size_t aStride, const float* b, size_t bStride, float* out, size_t n);
void binaryRowF32Scalar(BinaryOp op, const float* a, size_t aStride, const float* b, size_t bStride, float* out,
                        size_t n);

}  // namespace webnn
