// Wasm SIMD128 narrow-tile microkernels for the last, partial panel of B: when N % 16 is small, the
// 2x16 kernel would spend most of that panel's FLOPs on zero padding (N = 100: 12 of 16 columns).
// 4x8 and 8x4 keep 8 accumulators (the register budget V8 handles without spills) but only compute
// 8 or 4 columns, reading the first NR floats of each 16-float panel row.
#ifdef __wasm_simd128__
#include <wasm_simd128.h>

#include "kernels/gemm/gemm_microkernels.h"

namespace webnn {
namespace {

// Copies n floats with a plain loop: partial tiles without a call to memcpy (see the 2x16 kernel).
inline void copyFloats(float* dst, const float* src, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = src[i];
}

// One MR x (4 * NV) tile of mr <= MR rows. The fixed-size loops unroll completely and the accumulator
// array becomes plain locals (SROA), so this is equivalent to writing each variant out by hand. As
// with the 2x16 kernel, a function of its own that makes no calls (memcpy included): see there.
template <size_t MR, size_t NV>
__attribute__((noinline, no_builtin("memcpy"))) void gemmTileSimd(size_t mr, size_t nc, size_t kc, const float* a,
                                                                 size_t lda, const float* w, const float* init,
                                                                 float* c, size_t ldc, float vmin, float vmax) {
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
      copyFloats(t, cr[i], nc);
      for (size_t v = 0; v < NV; ++v) acc[i][v] = wasm_f32x4_add(acc[i][v], wasm_v128_load(t + 4 * v));
    }
  }
  const v128_t vlo = wasm_f32x4_splat(vmin), vhi = wasm_f32x4_splat(vmax);
  for (size_t i = MR; i-- > 0;) {
    for (size_t v = 0; v < NV; ++v) acc[i][v] = wasm_f32x4_pmin(wasm_f32x4_pmax(acc[i][v], vlo), vhi);
    if (nc == NR) {
      for (size_t v = 0; v < NV; ++v) wasm_v128_store(cr[i] + 4 * v, acc[i][v]);
    } else {
      float t[NR];
      for (size_t v = 0; v < NV; ++v) wasm_v128_store(t + 4 * v, acc[i][v]);
      copyFloats(cr[i], t, nc);
    }
  }
}

// The MR-row tiles down mr rows, over the same panel block (two call sites: see the 2x16 kernel).
template <size_t MR, size_t NV>
void gemmTilesSimd(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w, const float* init,
                   float* c, size_t ldc, float vmin, float vmax) {
  size_t m = 0;
  for (; m + MR <= mr; m += MR)
    gemmTileSimd<MR, NV>(MR, nc, kc, a + m * lda, lda, w, init, c + m * ldc, ldc, vmin, vmax);
  if (m < mr) gemmTileSimd<MR, NV>(mr - m, nc, kc, a + m * lda, lda, w, init, c + m * ldc, ldc, vmin, vmax);
}

}  // namespace

void f32_gemm_minmax_4x8__wasmsimd(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                   const float* init, float* c, size_t ldc, float vmin, float vmax) {
  gemmTilesSimd<4, 2>(mr, nc, kc, a, lda, w, init, c, ldc, vmin, vmax);
}
void f32_gemm_minmax_8x4__wasmsimd(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                   const float* init, float* c, size_t ldc, float vmin, float vmax) {
  gemmTilesSimd<8, 1>(mr, nc, kc, a, lda, w, init, c, ldc, vmin, vmax);
}

}  // namespace webnn
#endif  // __wasm_simd128__
