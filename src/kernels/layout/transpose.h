// N-d transpose of any element size: out[i_perm[0], ..., i_perm[r-1]] = in[i_0, ..., i_{r-1}],
// i.e. output dim d is input dim perm[d] (the spec's transpose permutation).
#pragma once
#include <cstddef>
#include <vector>

#include "graph/operand.h"

namespace webnn {

void transposeKernel(size_t elementSize, const Shape& inputShape, const std::vector<size_t>& perm, const void* input,
                     void* output);

// The layout conversions the op layer uses around NHWC kernels.
inline void nchwToNhwc(size_t elementSize, const Shape& nchw, const void* in, void* out) {
  transposeKernel(elementSize, nchw, {0, 2, 3, 1}, in, out);
}
inline void nhwcToNchw(size_t elementSize, const Shape& nhwc, const void* in, void* out) {
  transposeKernel(elementSize, nhwc, {0, 3, 1, 2}, in, out);
}

}  // namespace webnn
