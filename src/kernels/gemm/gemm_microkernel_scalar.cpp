// Scalar 2x16 GEMM microkernel: the fallback when Wasm SIMD128 is not available (and the native build),
// the twin of gemm_microkernel_wasmsimd.cpp (same sums in the same order, same clamp).
#include <algorithm>
#include <cstring>

#include "kernels/activation.h"
#include "kernels/gemm/gemm_microkernels.h"

namespace webnn {

void f32_gemm_minmax_2x16__scalar(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                  const float* init, float* c, size_t ldc, float vmin, float vmax) {
  for (size_t m = 0; m < mr; m += 2) {  // row pairs over the same panel block, as the SIMD twin
    const float* a0 = a + m * lda;
    const float* a1 = m + 1 < mr ? a0 + lda : a0;  // an odd last row: row 1 aliases row 0
    float* c0 = c + m * ldc;
    float* c1 = m + 1 < mr ? c0 + ldc : c0;
    const float* wk = w;

    // The SIMD twin's order: start from init (or zero), add the K products, then add the C being
    // accumulated onto (K blocks after the first) after the loop, so each sum rounds the same way.
    float acc0[16], acc1[16];
    if (init) {
      std::memcpy(acc0, init, sizeof(acc0));
      std::memcpy(acc1, init, sizeof(acc1));
    } else {
      std::fill(acc0, acc0 + 16, 0.f);
      std::fill(acc1, acc1 + 16, 0.f);
    }
    for (size_t k = 0; k < kc; ++k) {
      const float va0 = a0[k], va1 = a1[k];
      for (size_t j = 0; j < 16; ++j) {
        acc0[j] += va0 * wk[j];
        acc1[j] += va1 * wk[j];
      }
      wk += 16;
    }
    if (!init)
      for (size_t j = 0; j < nc; ++j) {  // only nc columns of C exist; the padded lanes are not stored
        acc0[j] += c0[j];
        acc1[j] += c1[j];
      }
    // Row 1 first: when it aliases row 0 both hold equal values.
    for (size_t j = 0; j < nc; ++j) {
      c1[j] = clampPminPmax(acc1[j], vmin, vmax);
      c0[j] = clampPminPmax(acc0[j], vmin, vmax);
    }
  }
}

}  // namespace webnn
