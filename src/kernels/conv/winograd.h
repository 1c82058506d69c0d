// Winograd F(4x4, 3x3) convolution (internal to conv2d.cpp): 3x3, stride 1, dilation 1, one group.
// Each 4x4 block of output pixels ("tile") is computed from its 6x6 input window as
//   Y = A^T [ (G g G^T) . (B^T d B) ] A
// i.e. 36 element-wise products per (input, output) channel pair instead of 144 multiply-adds:
// summed over input channels, those are 36 GEMMs [tiles x IC] x [IC x OC] on the same GEMM
// microkernels as everything else. The filter transform U = G g G^T is done once when the weights
// are packed (in double), into 36 GEMM B operands.
#pragma once
#include <cstddef>

#include "kernels/activation.h"
#include "kernels/conv/conv2d.h"

namespace webnn {

class ThreadPool;

// The shapes the kernel computes: 3x3, stride 1, dilation 1, groups 1 (any padding, batch, size).
bool winogradApplicable(const Conv2dParams& p);
// Whether it is faster than im2col for these params (channels and tile use; see winograd.cpp).
bool winogradPays(const Conv2dParams& p);

// Floats of the packed transformed filter: 36 GEMM B operands of IC x OC.
size_t winogradPackedFloats(const Conv2dParams& p);
// `filter` is OHWI. Writes every float of `packed` (zero padding included); allocates nothing.
void packWinogradWeights(const Conv2dParams& p, const float* filter, float* packed);
// Scratch bytes winogradConv2dF32 needs (transformed tiles for each concurrent task).
size_t winogradScratchBytes(const Conv2dParams& p);
void winogradConv2dF32(ThreadPool* pool, const Conv2dParams& p, const float* input, const float* packed,
                       const float* bias, float* output, const Activation& act, void* scratch);

}  // namespace webnn
