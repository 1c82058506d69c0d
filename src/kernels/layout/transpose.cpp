#include "kernels/layout/transpose.h"

#include <cstdint>
#include <cstring>

namespace webnn {
namespace {

template <typename T>
void transposeTyped(const Shape& in, const size_t* perm, const T* src, T* dst) {
  size_t rank = in.size();
  size_t inStrides[kMaxRank], outDims[kMaxRank], srcStrides[kMaxRank], idx[kMaxRank] = {};
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
  size_t srcOff = 0;
  for (size_t o = 0; o < total; o += inner) {
    const T* s = src + srcOff;
    T* d = dst + o;
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
}

}  // namespace

void transposeKernel(size_t elementSize, const Shape& inputShape, const size_t* perm, const void* input, void* output) {
  switch (elementSize) {
    case 1: return transposeTyped(inputShape, perm, static_cast<const uint8_t*>(input), static_cast<uint8_t*>(output));
    case 2: return transposeTyped(inputShape, perm, static_cast<const uint16_t*>(input), static_cast<uint16_t*>(output));
    case 4: return transposeTyped(inputShape, perm, static_cast<const uint32_t*>(input), static_cast<uint32_t*>(output));
    case 8: return transposeTyped(inputShape, perm, static_cast<const uint64_t*>(input), static_cast<uint64_t*>(output));
  }
}

}  // namespace webnn
