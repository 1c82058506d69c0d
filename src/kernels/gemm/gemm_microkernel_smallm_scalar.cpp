// Scalar small-M kernels: the twins of gemm_microkernel_smallm_wasmsimd.cpp (same algorithm, same
// summation order per lane), the kernels of native builds and of the scalar Wasm variant.
#include <algorithm>
#include <cstring>

#include "kernels/activation.h"
#include "kernels/gemm/gemm_microkernels.h"

namespace webnn {

void f32_gemm_minmax_1x16_fullk__scalar(size_t mr, size_t nc, size_t K, const float* a, size_t lda, const float* w,
                                        size_t ldw, const float* init, float* c, size_t ldc, float vmin, float vmax) {
  float acc[16];
  std::memcpy(acc, init, sizeof(acc));
  size_t k = 0;
  for (; k + 2 <= K; k += 2, w += 2 * ldw) {
    const float va = a[k], vb = a[k + 1];
    for (size_t j = 0; j < 16; ++j) acc[j] += va * w[j] + vb * w[ldw + j];
  }
  if (k < K)
    for (size_t j = 0; j < 16; ++j) acc[j] += a[k] * w[j];
  for (size_t j = 0; j < nc; ++j) c[j] = clampPminPmax(acc[j], vmin, vmax);
}

void f32_gemm_minmax_4x16_fullk__scalar(size_t mr, size_t nc, size_t K, const float* a, size_t lda, const float* w,
                                        size_t ldw, const float* init, float* c, size_t ldc, float vmin, float vmax) {
  const float* rows[4];
  for (size_t r = 0; r < 4; ++r) rows[r] = a + std::min(r, mr - 1) * lda;
  float acc[4][16];
  for (size_t r = 0; r < 4; ++r) std::memcpy(acc[r], init, sizeof(acc[r]));
  const size_t pairs = mr > 2 ? 2 : 1;
  for (size_t k0 = 0; k0 < K; k0 += kGemmSmallMKC) {
    const size_t kc = std::min(kGemmSmallMKC, K - k0);
    for (size_t p = 0; p < pairs; ++p) {
      const float* a0 = rows[2 * p] + k0;
      const float* a1 = rows[2 * p + 1] + k0;
      const float* wb = w + k0 * ldw;
      for (size_t k = 0; k < kc; ++k, wb += ldw)
        for (size_t j = 0; j < 16; ++j) {
          acc[2 * p][j] += a0[k] * wb[j];
          acc[2 * p + 1][j] += a1[k] * wb[j];
        }
    }
  }
  for (size_t r = 0; r < mr; ++r)
    for (size_t j = 0; j < nc; ++j) c[r * ldc + j] = clampPminPmax(acc[r][j], vmin, vmax);
}

}  // namespace webnn
