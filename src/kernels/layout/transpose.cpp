#include "kernels/layout/transpose.h"

#include <cstdint>
#include <cstring>

#include "kernels/task_split.h"

namespace webnn {
namespace {

template <typename T>
void transposeTyped(ThreadPool* pool, const Shape& in, const size_t* perm, const T* src, T* dst) {
  size_t rank = in.size();
  size_t inStrides[kMaxRank] = {}, outDims[kMaxRank] = {}, srcStrides[kMaxRank] = {};
  for (size_t d = rank, s = 1; d-- > 0; s *= in[d]) inStrides[d] = s;
  // Walk the output in order; the innermost output dim steps the input by inStrides[perm[last]].
  for (size_t d = 0; d < rank; ++d) {
    outDims[d] = in[perm[d]];
    srcStrides[d] = inStrides[perm[d]];
  }
  size_t total = 1;
  for (size_t d = 0; d < rank; ++d) total *= outDims[d];
  if (total == 0) return;
  if (rank == 0) {
    dst[0] = src[0];
    return;
  }
  size_t inner = outDims[rank - 1], innerStride = srcStrides[rank - 1];
  // Output rows [first, first + count), each thread with its own odometer over the outer dims.
  auto copyRows = [&](size_t first, size_t count) {
    size_t idx[kMaxRank] = {}, srcOff = 0;
    for (size_t k = rank - 1, rem = first; k-- > 0; rem /= outDims[k]) {
      idx[k] = rem % outDims[k];
      srcOff += idx[k] * srcStrides[k];
    }
    for (size_t row = first; row < first + count; ++row) {
      const T* s = src + srcOff;
      T* d = dst + row * inner;
      if (innerStride == 1) {
        std::memcpy(d, s, inner * sizeof(T));
      } else {
        for (size_t i = 0; i < inner; ++i) d[i] = s[i * innerStride];
      }
      for (size_t k = rank - 1; k-- > 0;) {
        srcOff += srcStrides[k];
        if (++idx[k] < outDims[k]) break;
        srcOff -= idx[k] * srcStrides[k];
        idx[k] = 0;
      }
    }
  };
  runSplitCopyRows(pool, total / inner, inner * sizeof(T), copyRows);
}

}  // namespace

void transposeKernel(ThreadPool* pool, size_t elementSize, const Shape& inputShape, const size_t* perm, const void* input,
                     void* output) {
  switch (elementSize) {
    case 1: return transposeTyped(pool, inputShape, perm, static_cast<const uint8_t*>(input), static_cast<uint8_t*>(output));
    case 2: return transposeTyped(pool, inputShape, perm, static_cast<const uint16_t*>(input), static_cast<uint16_t*>(output));
    case 4: return transposeTyped(pool, inputShape, perm, static_cast<const uint32_t*>(input), static_cast<uint32_t*>(output));
    case 8: return transposeTyped(pool, inputShape, perm, static_cast<const uint64_t*>(input), static_cast<uint64_t*>(output));
  }
}

}  // namespace webnn
