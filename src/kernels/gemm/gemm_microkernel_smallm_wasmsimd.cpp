// Wasm SIMD128 small-M kernels (1x16 and 4x16 over a whole packed panel); contract in gemm_microkernels.h.
// The scalar twins (gemm_microkernel_smallm_scalar.cpp) run the same algorithm in the same order.
#ifdef __wasm_simd128__
#include <wasm_simd128.h>

#include <algorithm>
#include <cstring>

#include "kernels/gemm/gemm_microkernels.h"

namespace webnn {
namespace {

inline v128_t clampMinMax(v128_t v, v128_t lo, v128_t hi) {
  // pmax(x, lo) / pmin(y, hi) return a NaN x unchanged (see the 2x16 kernel).
  return wasm_f32x4_pmin(wasm_f32x4_pmax(v, lo), hi);
}

// Stores 16 values of one C row, or its first nc through a stack buffer.
inline void storeRow(float* c, size_t nc, v128_t v0, v128_t v4, v128_t v8, v128_t vC) {
  if (nc == 16) {
    wasm_v128_store(c, v0);
    wasm_v128_store(c + 4, v4);
    wasm_v128_store(c + 8, v8);
    wasm_v128_store(c + 12, vC);
    return;
  }
  alignas(16) float t[16];
  wasm_v128_store(t, v0);
  wasm_v128_store(t + 4, v4);
  wasm_v128_store(t + 8, v8);
  wasm_v128_store(t + 12, vC);
  std::memcpy(c, t, nc * sizeof(float));
}

}  // namespace

void f32_gemm_minmax_1x16_fullk__wasmsimd(size_t mr, size_t nc, size_t K, const float* a, size_t lda, const float* w,
                                          size_t ldw, const float* init, float* c, size_t ldc, float vmin, float vmax) {
  v128_t vacc0 = wasm_v128_load(init), vacc4 = wasm_v128_load(init + 4);
  v128_t vacc8 = wasm_v128_load(init + 8), vaccC = wasm_v128_load(init + 12);
  size_t k = 0;
  for (; k + 2 <= K; k += 2) {
    const v128_t va = wasm_v128_load32_splat(a + k);
    const v128_t vb = wasm_v128_load32_splat(a + k + 1);
    const float* wOdd = w + ldw;
    // Both steps' products are summed before they join the accumulator: 4 loop-carried chains. (8
    // chains, even k and odd k apart, ran at half this speed in V8: 36.9 vs 73 GB/s of B, 2026-12-06.)
    vacc0 = wasm_f32x4_add(vacc0, wasm_f32x4_add(wasm_f32x4_mul(va, wasm_v128_load(w)),
                                                 wasm_f32x4_mul(vb, wasm_v128_load(wOdd))));
    vacc4 = wasm_f32x4_add(vacc4, wasm_f32x4_add(wasm_f32x4_mul(va, wasm_v128_load(w + 4)),
                                                 wasm_f32x4_mul(vb, wasm_v128_load(wOdd + 4))));
    vacc8 = wasm_f32x4_add(vacc8, wasm_f32x4_add(wasm_f32x4_mul(va, wasm_v128_load(w + 8)),
                                                 wasm_f32x4_mul(vb, wasm_v128_load(wOdd + 8))));
    vaccC = wasm_f32x4_add(vaccC, wasm_f32x4_add(wasm_f32x4_mul(va, wasm_v128_load(w + 12)),
                                                 wasm_f32x4_mul(vb, wasm_v128_load(wOdd + 12))));
    w += 2 * ldw;
  }
  if (k < K) {
    const v128_t va = wasm_v128_load32_splat(a + k);
    vacc0 = wasm_f32x4_add(vacc0, wasm_f32x4_mul(va, wasm_v128_load(w)));
    vacc4 = wasm_f32x4_add(vacc4, wasm_f32x4_mul(va, wasm_v128_load(w + 4)));
    vacc8 = wasm_f32x4_add(vacc8, wasm_f32x4_mul(va, wasm_v128_load(w + 8)));
    vaccC = wasm_f32x4_add(vaccC, wasm_f32x4_mul(va, wasm_v128_load(w + 12)));
  }
  const v128_t vlo = wasm_f32x4_splat(vmin), vhi = wasm_f32x4_splat(vmax);
  storeRow(c, nc, clampMinMax(vacc0, vlo, vhi), clampMinMax(vacc4, vlo, vhi), clampMinMax(vacc8, vlo, vhi),
           clampMinMax(vaccC, vlo, vhi));
}

void f32_gemm_minmax_4x16_fullk__wasmsimd(size_t mr, size_t nc, size_t K, const float* a, size_t lda, const float* w,
                                          size_t ldw, const float* init, float* c, size_t ldc, float vmin, float vmax) {
  const float* rows[4];
  for (size_t r = 0; r < 4; ++r) rows[r] = a + std::min(r, mr - 1) * lda;
  alignas(16) float acc[4][16];
  for (size_t r = 0; r < 4; ++r) std::memcpy(acc[r], init, sizeof(acc[r]));
  const size_t pairs = mr > 2 ? 2 : 1;
  for (size_t k0 = 0; k0 < K; k0 += kGemmSmallMKC) {
    const size_t kc = std::min(kGemmSmallMKC, K - k0);
    for (size_t p = 0; p < pairs; ++p) {
      const float* a0 = rows[2 * p] + k0;
      const float* a1 = rows[2 * p + 1] + k0;
      float* s0 = acc[2 * p];
      float* s1 = acc[2 * p + 1];
      v128_t vacc0x0 = wasm_v128_load(s0), vacc0x4 = wasm_v128_load(s0 + 4);
      v128_t vacc0x8 = wasm_v128_load(s0 + 8), vacc0xC = wasm_v128_load(s0 + 12);
      v128_t vacc1x0 = wasm_v128_load(s1), vacc1x4 = wasm_v128_load(s1 + 4);
      v128_t vacc1x8 = wasm_v128_load(s1 + 8), vacc1xC = wasm_v128_load(s1 + 12);
      const float* wb = w + k0 * ldw;
      for (size_t k = 0; k < kc; ++k) {
        const v128_t va0 = wasm_v128_load32_splat(a0 + k);
        const v128_t va1 = wasm_v128_load32_splat(a1 + k);
        const v128_t vb0 = wasm_v128_load(wb);
        const v128_t vb4 = wasm_v128_load(wb + 4);
        const v128_t vb8 = wasm_v128_load(wb + 8);
        const v128_t vbC = wasm_v128_load(wb + 12);
        wb += ldw;
        vacc0x0 = wasm_f32x4_add(vacc0x0, wasm_f32x4_mul(va0, vb0));
        vacc0x4 = wasm_f32x4_add(vacc0x4, wasm_f32x4_mul(va0, vb4));
        vacc0x8 = wasm_f32x4_add(vacc0x8, wasm_f32x4_mul(va0, vb8));
        vacc0xC = wasm_f32x4_add(vacc0xC, wasm_f32x4_mul(va0, vbC));
        vacc1x0 = wasm_f32x4_add(vacc1x0, wasm_f32x4_mul(va1, vb0));
        vacc1x4 = wasm_f32x4_add(vacc1x4, wasm_f32x4_mul(va1, vb4));
        vacc1x8 = wasm_f32x4_add(vacc1x8, wasm_f32x4_mul(va1, vb8));
        vacc1xC = wasm_f32x4_add(vacc1xC, wasm_f32x4_mul(va1, vbC));
      }
      wasm_v128_store(s0, vacc0x0);
      wasm_v128_store(s0 + 4, vacc0x4);
      wasm_v128_store(s0 + 8, vacc0x8);
      wasm_v128_store(s0 + 12, vacc0xC);
      wasm_v128_store(s1, vacc1x0);
      wasm_v128_store(s1 + 4, vacc1x4);
      wasm_v128_store(s1 + 8, vacc1x8);
      wasm_v128_store(s1 + 12, vacc1xC);
    }
  }
  const v128_t vlo = wasm_f32x4_splat(vmin), vhi = wasm_f32x4_splat(vmax);
  for (size_t r = 0; r < mr; ++r)
    storeRow(c + r * ldc, nc, clampMinMax(wasm_v128_load(acc[r]), vlo, vhi),
             clampMinMax(wasm_v128_load(acc[r] + 4), vlo, vhi), clampMinMax(wasm_v128_load(acc[r] + 8), vlo, vhi),
             clampMinMax(wasm_v128_load(acc[r] + 12), vlo, vhi));
}

}  // namespace webnn
#endif  // __wasm_simd128__
