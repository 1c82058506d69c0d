// quantizeLinear / dequantizeLinear with blockwise-broadcast scale and zeroPoint (same rank as the
// input; each input dim a multiple of the scale's). Float side: float32 (float16 is converted by the
// compiler). Integer side: int8, uint8, int32, uint32.
//   quantize:   out = saturate(roundEven(x / scale) + zeroPoint); a NaN quotient gives 0
//   dequantize: out = float(x - zeroPoint) * scale, the difference taken exactly in int64
#pragma once
#include <cstddef>
#include <vector>

#include "core/data_type.h"
#include "graph/operand.h"

namespace webnn {

struct BlockwisePlan {
  Shape input;
  std::vector<size_t> block;        // input dim / scale dim
  std::vector<size_t> scaleStride;  // element strides of scale/zeroPoint
};

BlockwisePlan makeBlockwisePlan(const Shape& input, const Shape& scale);
void quantizeKernel(DataType intType, const BlockwisePlan& p, const float* x, const float* scale, const void* zeroPoint,
                    void* out);
void dequantizeKernel(DataType intType, const BlockwisePlan& p, const void* x, const float* scale, const void* zeroPoint,
                      float* out);

}  // namespace webnn
