#include "kernels/elementwise/quantize.h"

#include <cmath>
#include <cstdint>

#include "kernels/elementwise/cast.h"

namespace webnn {
namespace {

// Calls f(inIndex, scaleIndex) for every input element.
template <typename F>
void forEachBlock(const BlockwisePlan& p, F f) {
  size_t rank = p.input.size();
  if (rank == 0) return f(size_t(0), size_t(0));
  size_t inner = p.input[rank - 1], innerBlock = p.block[rank - 1], innerStride = p.scaleStride[rank - 1];
  size_t rows = 1;
  for (size_t d = 0; d + 1 < rank; ++d) rows *= p.input[d];
  for (size_t r = 0; r < rows; ++r) {
    size_t rem = r, sBase = 0;
    for (size_t d = rank - 1; d-- > 0;) {
      size_t idx = rem % p.input[d];
      rem /= p.input[d];
      sBase += (idx / p.block[d]) * p.scaleStride[d];
    }
    for (size_t j = 0; j < inner; ++j) f(r * inner + j, sBase + (j / innerBlock) * innerStride);
  }
}

template <typename T>
void quantize(const BlockwisePlan& p, const float* x, const float* scale, const T* zp, T* y) {
  forEachBlock(p, [&](size_t i, size_t s) {
    float q = x[i] / scale[s];  // the division in the input's precision, as the spec's emulation does
    double v = double(std::nearbyint(q)) + double(zp[s]);
    y[i] = saturatingFloatToInt<T>(v, [](double t) { return t; });
  });
}

template <typename T>
void dequantize(const BlockwisePlan& p, const T* x, const float* scale, const T* zp, float* y) {
  forEachBlock(p, [&](size_t i, size_t s) { y[i] = float(int64_t(x[i]) - int64_t(zp[s])) * scale[s]; });
}

}  // namespace

BlockwisePlan makeBlockwisePlan(const Shape& input, const Shape& scale) {
  BlockwisePlan p;
  p.input = input;
  size_t rank = input.size();
  p.block.resize(rank);
  p.scaleStride.resize(rank);
  size_t stride = 1;
  for (size_t d = rank; d-- > 0;) {
    p.block[d] = input[d] / scale[d];
    p.scaleStride[d] = stride;
    stride *= scale[d];
  }
  return p;
}

void quantizeKernel(DataType t, const BlockwisePlan& p, const float* x, const float* scale, const void* zp, void* out) {
  switch (t) {
    case DataType::Int8: return quantize(p, x, scale, static_cast<const int8_t*>(zp), static_cast<int8_t*>(out));
    case DataType::Uint8: return quantize(p, x, scale, static_cast<const uint8_t*>(zp), static_cast<uint8_t*>(out));
    case DataType::Int32: return quantize(p, x, scale, static_cast<const int32_t*>(zp), static_cast<int32_t*>(out));
    case DataType::Uint32: return quantize(p, x, scale, static_cast<const uint32_t*>(zp), static_cast<uint32_t*>(out));
    default: return;
  }
}

void dequantizeKernel(DataType t, const BlockwisePlan& p, const void* x, const float* scale, const void* zp, float* out) {
  switch (t) {
    case DataType::Int8: return dequantize(p, static_cast<const int8_t*>(x), scale, static_cast<const int8_t*>(zp), out);
    case DataType::Uint8: return dequantize(p, static_cast<const uint8_t*>(x), scale, static_cast<const uint8_t*>(zp), out);
    case DataType::Int32: return dequantize(p, static_cast<const int32_t*>(x), scale, static_cast<const int32_t*>(zp), out);
    case DataType::Uint32: return dequantize(p, static_cast<const uint32_t*>(x), scale, static_cast<const uint32_t*>(zp), out);
    default: return;
  }
}

}  // namespace webnn
