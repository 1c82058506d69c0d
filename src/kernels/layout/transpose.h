// N-d transpose of any element size: out[i_perm[0], ..., i_perm[r-1]] = in[i_0, ..., i_{r-1}],
// i.e. output dim d is input dim perm[d] (the spec's transpose permutation). Ranks up to kMaxRank;
// allocates nothing.
#pragma once
#include <cstddef>

#include "core/thread_pool.h"
#include "graph/operand.h"

namespace webnn {

// `perm` holds inputShape.size() (<= kMaxRank) entries. Shared among the pool's threads (whole output
// rows each) when large; pool may be null.
void transposeKernel(ThreadPool* pool, size_t elementSize, const Shape& inputShape, const size_t* perm, const void* input,
                     void* output);

// The layout conversions the op layer uses around NHWC kernels.
inline void nchwToNhwc(ThreadPool* pool, size_t elementSize, const Shape& nchw, const void* in, void* out) {
  static constexpr size_t kToNhwc[4] = {0, 2, 3, 1};
  transposeKernel(pool, elementSize, nchw, kToNhwc, in, out);
}
inline void nhwcToNchw(ThreadPool* pool, size_t elementSize, const Shape& nhwc, const void* in, void* out) {
  static constexpr size_t kToNchw[4] = {0, 3, 1, 2};
  transposeKernel(pool, elementSize, nhwc, kToNchw, in, out);
}

}  // namespace webnn
