// Scalar twins of the narrow-tile microkernels used for the last, partial panel of B (see
// gemm_microkernels.h). Same contract as the 2x16 kernel, with MR rows and NR <= 16 columns read
// from a 16-wide panel.
#include <algorithm>
#include <cstring>

#include "kernels/activation.h"
#include "kernels/gemm/gemm_microkernels.h"

namespace webnn {
namespace {

template <size_t MR, size_t NR>
void gemmTileScalar(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w, const float* init,
                    float* c, size_t ldc, float vmin, float vmax) {
  for (size_t m = 0; m < mr; m += MR) {  // MR-row tiles, as the SIMD twin
    const size_t rows = std::min(MR, mr - m);
    const float* ar[MR];
    float* cr[MR];
    for (size_t i = 0; i < MR; ++i) {  // rows past the last real one alias it
      ar[i] = (i < rows || i == 0) ? a + (m + i) * lda : ar[i - 1];
      cr[i] = (i < rows || i == 0) ? c + (m + i) * ldc : cr[i - 1];
    }
    float acc[MR][NR];
    // As in the SIMD twin: from init (or zero), the K products, then the C being accumulated onto.
    for (size_t i = 0; i < MR; ++i) {
      if (init) std::memcpy(acc[i], init, NR * sizeof(float));
      else std::fill(acc[i], acc[i] + NR, 0.f);
    }
    const float* wk = w;
    for (size_t k = 0; k < kc; ++k, wk += kGemmNR)
      for (size_t i = 0; i < MR; ++i)
        for (size_t j = 0; j < NR; ++j) acc[i][j] += ar[i][k] * wk[j];
    if (!init)
      for (size_t i = 0; i < MR; ++i)
        for (size_t j = 0; j < nc; ++j) acc[i][j] += cr[i][j];
    for (size_t i = MR; i-- > 0;)
      for (size_t j = 0; j < nc; ++j) cr[i][j] = clampPminPmax(acc[i][j], vmin, vmax);
  }
}

}  // namespace

void f32_gemm_minmax_4x8__scalar(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                 const float* init, float* c, size_t ldc, float vmin, float vmax) {
  gemmTileScalar<4, 8>(mr, nc, kc, a, lda, w, init, c, ldc, vmin, vmax);
}
void f32_gemm_minmax_8x4__scalar(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                 const float* init, float* c, size_t ldc, float vmin, float vmax) {
  gemmTileScalar<8, 4>(mr, nc, kc, a, lda, w, init, c, ldc, vmin, vmax);
}

}  // namespace webnn
