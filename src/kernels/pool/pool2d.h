// 2-D pooling on NHWC f32 data. Padding is never part of a window: the average divides by the
// count of real elements, the max ignores padded positions.
#pragma once
#include <cstddef>

#include "core/data_type.h"

namespace webnn {

class ThreadPool;

// MaxSkipNaN: the max of the window's values that are not NaN (-Infinity when all are NaN), as
// TF.js's maxPool; the same bits as Max on where(isNaN(x), -Infinity, x).
enum class PoolKind { Average, Max, L2, MaxSkipNaN };

struct Pool2dParams {
  size_t batch = 1, channels = 0;
  size_t inputHeight = 0, inputWidth = 0, outputHeight = 0, outputWidth = 0;
  size_t windowHeight = 1, windowWidth = 1;
  size_t strideHeight = 1, strideWidth = 1;
  size_t dilationHeight = 1, dilationWidth = 1;
  size_t padTop = 0, padLeft = 0;
};

// SIMD128 under __wasm_simd128__ (channel blocks with the accumulators in registers), bit for bit
// pool2dF32Scalar: every channel sees the same operations in the same tap order. Max keeps the
// first of equal values (-0 vs +0) and propagates NaN; a window with no input element gives 0.
void pool2dF32(ThreadPool* pool, PoolKind kind, const Pool2dParams& p, const float* input, float* output);
// The scalar twin, on the calling thread (what builds without SIMD128 run).
void pool2dF32Scalar(PoolKind kind, const Pool2dParams& p, const float* input, float* output);

// maxPool2d on NHWC integer data (every integer data type; the spec allows maxPool2d on any type).
// Scalar and single-threaded: integer max pooling is rare in models. A window with no element of the
// input (possible with ceil rounding) gives 0, as the float kernel does.
void maxPool2dInt(DataType type, const Pool2dParams& p, const void* input, void* output);

}  // namespace webnn
