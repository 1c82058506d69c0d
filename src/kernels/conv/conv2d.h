// f32 2-D convolution on NHWC data with OHWI filters (the engine's internal layouts; the op layer
// converts other layouts once at build). Grouped, dilated, strided, padded; bias and a fused activation.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/aligned_buffer.h"
#include "kernels/activation.h"

namespace webnn {

class ThreadPool;

struct Conv2dParams {
  size_t batch = 1;
  size_t inputHeight = 0, inputWidth = 0, inputChannels = 0;
  size_t outputHeight = 0, outputWidth = 0, outputChannels = 0;
  size_t kernelHeight = 1, kernelWidth = 1;
  size_t strideHeight = 1, strideWidth = 1;
  size_t dilationHeight = 1, dilationWidth = 1;
  size_t padTop = 0, padLeft = 0;  // bottom/right padding is implied by the output size
  size_t groups = 1;
  // Winograd F(4x4, 3x3) for 3x3 stride-1 convs: Auto takes it where it pays (winograd.cpp), Never is
  // the compiler's "winograd" pass switched off, Always (tests) takes it wherever it applies.
  enum class Winograd { Auto, Never, Always } winograd = Winograd::Auto;
};

// Filter weights packed once for the kernel chosen for these params (GEMM panels, depthwise taps, ...).
struct PackedConv2dWeights {
  int algorithm = 0;  // which kernel the packing is for; set by packConv2dWeights
  AlignedBuffer data;  // conv2dPackedBytes(p)
  AlignedBuffer bias;  // always outputChannels floats (zeros when the op has no bias)
};

// Which kernel conv2dF32 runs for these params, for the plan report: "winograd F(4x4,3x3)",
// "im2col", "gemm 1x1" or "depthwise".
const char* conv2dAlgorithmName(const Conv2dParams& p);

// Bytes of the packed filter for these params (saturating, so an impossible size fails to allocate).
size_t conv2dPackedBytes(const Conv2dParams& p);

// `filter` is OHWI: [outputChannels][kernelHeight][kernelWidth][inputChannels / groups]; `bias` may be
// null (zeros). Packs into the caller's memory: `packed` of conv2dPackedBytes(p), `biasOut` of
// outputChannels floats. Allocates nothing (filters computed by the graph are packed at dispatch).
void packConv2dWeightsInto(const Conv2dParams& p, const float* filter, const float* bias, float* packed, float* biasOut);
// The same into buffers it allocates (constant filters, once at build). Returns false on allocation failure.
bool packConv2dWeights(const Conv2dParams& p, const float* filter, const float* bias, PackedConv2dWeights* out);

// Scratch bytes conv2dF32 needs (indirection buffers, im2col tiles, ...); may be 0.
size_t conv2dScratchBytes(const Conv2dParams& p);

// output[N,OH,OW,OC] = act(conv(input[N,H,W,IC], packed weights) + bias), with `packed` and `bias` as
// packConv2dWeightsInto leaves them.
void conv2dF32(ThreadPool* pool, const Conv2dParams& p, const float* input, const float* packed, const float* bias,
               float* output, const Activation& act, void* scratch);
inline void conv2dF32(ThreadPool* pool, const Conv2dParams& p, const float* input, const PackedConv2dWeights& w,
                      float* output, const Activation& act, void* scratch) {
  conv2dF32(pool, p, input, w.data.as<float>(), w.bias.as<float>(), output, act, scratch);
}

}  // namespace webnn
