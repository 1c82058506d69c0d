// Depthwise convolution (groups == inputChannels, any channel multiplier), internal to conv2d.cpp.
#pragma once
#include <cstddef>

#include "kernels/activation.h"
#include "kernels/conv/conv2d.h"

namespace webnn {

// Floats of packed depthwise weights: [kernelHeight * kernelWidth][outputChannels], so that one tap's
// weights for consecutive output channels are contiguous (vectorized over channels, like NHWC data).
size_t depthwisePackedFloats(const Conv2dParams& p);
// `filter` is OHWI with I == 1.
void packDepthwiseWeights(const Conv2dParams& p, const float* filter, float* out);

// Computes output rows [rowStart, rowStart + rowCount) where a row is one (batch, outputY) pair.
void f32_dwconv_minmax_rows__scalar(const Conv2dParams& p, const float* input, const float* weights,
                                    const float* bias, float* output, const Activation& act, size_t rowStart,
                                    size_t rowCount);
#ifdef __wasm_simd128__
void f32_dwconv_minmax_rows__wasmsimd(const Conv2dParams& p, const float* input, const float* weights,
                                      const float* bias, float* output, const Activation& act, size_t rowStart,
                                      size_t rowCount);
#endif

}  // namespace webnn
