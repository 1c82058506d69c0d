#include "kernels/elementwise/float16.h"

namespace webnn {

void convertF16ToF32(const uint16_t* in, float* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = halfToFloat(in[i]);
}

void convertF32ToF16(const float* in, uint16_t* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = floatToHalf(in[i]);
}

}  // namespace webnn
