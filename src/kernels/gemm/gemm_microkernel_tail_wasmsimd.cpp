// Wasm SIMD128 narrow-tile microkernels for the last, partial panel of B: when N % 16 is small, the
// 2x16 kernel would spend most of that panel's FLOPs on zero padding (N = 100: 12 of 16 columns).
// 4x8 and 8x4 keep 8 accumulators (the register budget V8 handles without spills) but only compute
// 8 or 4 columns, reading the first NR floats of each 16-float panel row.
#ifdef __wasm_simd128__
#include <wasm_simd128.h>

#include <cstring>

#include "kernels/gemm/gemm_microkernels.h"

namespace webnn {
namespace {

// MR x (4 * NV) tile. The fixed-size loops unroll completely and the accumulator array becomes
// plain locals (SROA), so this is equivalent to writing each variant out by hand.
template <size_t MR, size_t NV>
inline void gemmTileSimd(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                         const float* init, float* c, size_t ldc, float vmin, float vmax) {
  constexpr size_t NR = 4 * NV;
  const float* ar[MR];
  float* cr[MR];
  for (size_t i = 0; i < MR; ++i) {  // rows past mr alias the last real row
    ar[i] = (i < mr || i == 0) ? a + i * lda : ar[i - 1];
    cr[i] = (i < mr || i == 0) ? c + i * ldc : cr[i - 1];
  }
  // As in the 2x16 kernel, C (when accumulating) is added after the loop, off the critical path.
  v128_t acc[MR][NV];
  for (size_t i = 0; i < MR; ++i)
    for (size_t v = 0; v < NV; ++v) acc[i][v] = init ? wasm_v128_load(init + 4 * v) : wasm_f32x4_splat(0.f);
  for (size_t k = 0; k < kc; ++k) {
    v128_t vb[NV];
    for (size_t v = 0; v < NV; ++v) vb[v] = wasm_v128_load(w + 4 * v);
    w += kGemmNR;
    for (size_t i = 0; i < MR; ++i) {
      const v128_t va = wasm_v128_load32_splat(ar[i] + k);
      for (size_t v = 0; v < NV; ++v) acc[i][v] = wasm_f32x4_add(acc[i][v], wasm_f32x4_mul(va, vb[v]));
    }
  }
  if (!init) {
    for (size_t i = 0; i < MR; ++i) {
      float t[NR] = {0};
      std::memcpy(t, cr[i], nc * sizeof(float));
      for (size_t v = 0; v < NV; ++v) acc[i][v] = wasm_f32x4_add(acc[i][v], wasm_v128_load(t + 4 * v));
    }
  }
  const v128_t vlo = wasm_f32x4_splat(vmin), vhi = wasm_f32x4_splat(vmax);
  for (size_t i = MR; i-- > 0;) {
    float t[NR];
    for (size_t v = 0; v < NV; ++v) wasm_v128_store(t + 4 * v, wasm_f32x4_pmin(wasm_f32x4_pmax(acc[i][v], vlo), vhi));
    std::memcpy(cr[i], t, nc * sizeof(float));
  }
}

}  // namespace

void f32_gemm_minmax_4x8__wasmsimd(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                   const float* init, float* c, size_t ldc, float vmin, float vmax) {
  gemmTileSimd<4, 2>(mr, nc, kc, a, lda, w, init, c, ldc, vmin, vmax);
}
void f32_gemm_minmax_8x4__wasmsimd(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                   const float* init, float* c, size_t ldc, float vmin, float vmax) {
  gemmTileSimd<8, 1>(mr, nc, kc, a, lda, w, init, c, ldc, vmin, vmax);
}

}  // namespace webnn
#endif  // __wasm_simd128__
