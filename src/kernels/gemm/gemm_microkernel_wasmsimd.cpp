// Wasm SIMD128 2x16 GEMM microkernel. Uses mul + add by default; the CMake option WEBNN_RELAXED_SIMD
// switches to relaxed-SIMD fused multiply-add (off: the FMA opcode clang 14 emits is pre-standard and
// Node 20's V8 rejects it, and on the CPUs measured here FMA bought nothing at the peak).
#ifdef __wasm_simd128__
#include <wasm_simd128.h>

#include "kernels/gemm/gemm_microkernels.h"

namespace webnn {
namespace {

// Copies n floats with a plain loop: the kernels' partial tiles, without a call to memcpy.
inline void copyFloats(float* dst, const float* src, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = src[i];
}

// acc + a * b.
inline v128_t mulAdd(v128_t acc, v128_t a, v128_t b) {
#if defined(WEBNN_RELAXED_SIMD)
#if !__has_builtin(__builtin_wasm_relaxed_madd_f32x4)
#error "WEBNN_RELAXED_SIMD needs clang 16+ (__builtin_wasm_relaxed_madd_f32x4, the standardized opcode)"
#endif
  return (v128_t)__builtin_wasm_relaxed_madd_f32x4((__f32x4)a, (__f32x4)b, (__f32x4)acc);  // a * b + acc
#else
  return wasm_f32x4_add(acc, wasm_f32x4_mul(a, b));
#endif
}

// One 2x16 tile: mr = 1 or 2 rows (with mr == 1 row 1 aliases row 0).
// It is a function of its own, called once per row pair, for V8's sake: as the only loop of a function
// the k loop compiles to its tightest code, while inside a loop over the row pairs it ran 5-9% slower.
// And it makes no calls, memcpy included (copyFloats, no_builtin keeps clang from turning the loop
// back into one): V8 spills the values live across a call where they are defined, so the memcpy of
// the rare partial-tile path cost every tile (2-3% at K = 24-48).
__attribute__((noinline, no_builtin("memcpy"))) void gemmTile2x16(size_t mr, size_t nc, size_t kc, const float* a,
                                                                 size_t lda, const float* w, const float* init,
                                                                 float* c, size_t ldc, float vmin, float vmax) {
  const float* a0 = a;
  const float* a1 = mr > 1 ? a + lda : a0;
  float* c0 = c;
  float* c1 = mr > 1 ? c + ldc : c0;

  // Accumulating onto C (K blocks after the first): start from zero and add C after the loop. C of a
  // large GEMM is not in cache; loading it first would put that memory latency at the head of every
  // accumulator's dependency chain, while after the loop the loads overlap with its last iterations.
  v128_t vacc0x0, vacc0x4, vacc0x8, vacc0xC, vacc1x0, vacc1x4, vacc1x8, vacc1xC;
  if (init) {
    vacc0x0 = vacc1x0 = wasm_v128_load(init);
    vacc0x4 = vacc1x4 = wasm_v128_load(init + 4);
    vacc0x8 = vacc1x8 = wasm_v128_load(init + 8);
    vacc0xC = vacc1xC = wasm_v128_load(init + 12);
  } else {
    vacc0x0 = vacc0x4 = vacc0x8 = vacc0xC = vacc1x0 = vacc1x4 = vacc1x8 = vacc1xC = wasm_f32x4_splat(0.f);
  }

  for (size_t k = 0; k < kc; ++k) {
    const v128_t va0 = wasm_v128_load32_splat(a0 + k);
    const v128_t va1 = wasm_v128_load32_splat(a1 + k);
    const v128_t vb0 = wasm_v128_load(w);
    const v128_t vb4 = wasm_v128_load(w + 4);
    const v128_t vb8 = wasm_v128_load(w + 8);
    const v128_t vbC = wasm_v128_load(w + 12);
    w += 16;
    vacc0x0 = mulAdd(vacc0x0, va0, vb0);
    vacc0x4 = mulAdd(vacc0x4, va0, vb4);
    vacc0x8 = mulAdd(vacc0x8, va0, vb8);
    vacc0xC = mulAdd(vacc0xC, va0, vbC);
    vacc1x0 = mulAdd(vacc1x0, va1, vb0);
    vacc1x4 = mulAdd(vacc1x4, va1, vb4);
    vacc1x8 = mulAdd(vacc1x8, va1, vb8);
    vacc1xC = mulAdd(vacc1xC, va1, vbC);
  }

  if (!init) {
    const float* p0 = c0;
    const float* p1 = c1;
    float t0[16] = {0}, t1[16] = {0};
    if (nc != 16) {  // partial tile: never read past column nc of C
      copyFloats(t0, c0, nc);
      copyFloats(t1, c1, nc);
      p0 = t0;
      p1 = t1;
    }
    vacc0x0 = wasm_f32x4_add(vacc0x0, wasm_v128_load(p0));
    vacc0x4 = wasm_f32x4_add(vacc0x4, wasm_v128_load(p0 + 4));
    vacc0x8 = wasm_f32x4_add(vacc0x8, wasm_v128_load(p0 + 8));
    vacc0xC = wasm_f32x4_add(vacc0xC, wasm_v128_load(p0 + 12));
    vacc1x0 = wasm_f32x4_add(vacc1x0, wasm_v128_load(p1));
    vacc1x4 = wasm_f32x4_add(vacc1x4, wasm_v128_load(p1 + 4));
    vacc1x8 = wasm_f32x4_add(vacc1x8, wasm_v128_load(p1 + 8));
    vacc1xC = wasm_f32x4_add(vacc1xC, wasm_v128_load(p1 + 12));
  }

  // pmin/pmax are single instructions in V8, unlike NaN-propagating min/max. Operand order keeps NaN:
  // pmax(x, lo) = x < lo ? lo : x and pmin(y, hi) = hi < y ? hi : y both return a NaN x unchanged.
  const v128_t vlo = wasm_f32x4_splat(vmin), vhi = wasm_f32x4_splat(vmax);
  vacc0x0 = wasm_f32x4_pmin(wasm_f32x4_pmax(vacc0x0, vlo), vhi);
  vacc0x4 = wasm_f32x4_pmin(wasm_f32x4_pmax(vacc0x4, vlo), vhi);
  vacc0x8 = wasm_f32x4_pmin(wasm_f32x4_pmax(vacc0x8, vlo), vhi);
  vacc0xC = wasm_f32x4_pmin(wasm_f32x4_pmax(vacc0xC, vlo), vhi);
  vacc1x0 = wasm_f32x4_pmin(wasm_f32x4_pmax(vacc1x0, vlo), vhi);
  vacc1x4 = wasm_f32x4_pmin(wasm_f32x4_pmax(vacc1x4, vlo), vhi);
  vacc1x8 = wasm_f32x4_pmin(wasm_f32x4_pmax(vacc1x8, vlo), vhi);
  vacc1xC = wasm_f32x4_pmin(wasm_f32x4_pmax(vacc1xC, vlo), vhi);

  if (nc == 16) {
    // Row 1 first: when mr == 1 both rows alias and hold equal values.
    wasm_v128_store(c1, vacc1x0);
    wasm_v128_store(c1 + 4, vacc1x4);
    wasm_v128_store(c1 + 8, vacc1x8);
    wasm_v128_store(c1 + 12, vacc1xC);
    wasm_v128_store(c0, vacc0x0);
    wasm_v128_store(c0 + 4, vacc0x4);
    wasm_v128_store(c0 + 8, vacc0x8);
    wasm_v128_store(c0 + 12, vacc0xC);
  } else {
    float t0[16], t1[16];
    wasm_v128_store(t0, vacc0x0);
    wasm_v128_store(t0 + 4, vacc0x4);
    wasm_v128_store(t0 + 8, vacc0x8);
    wasm_v128_store(t0 + 12, vacc0xC);
    wasm_v128_store(t1, vacc1x0);
    wasm_v128_store(t1 + 4, vacc1x4);
    wasm_v128_store(t1 + 8, vacc1x8);
    wasm_v128_store(t1 + 12, vacc1xC);
    copyFloats(c1, t1, nc);
    copyFloats(c0, t0, nc);
  }
}

}  // namespace

void f32_gemm_minmax_2x16__wasmsimd(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                    const float* init, float* c, size_t ldc, float vmin, float vmax) {
  // The row pairs run over the same panel block in turn (in L1 after the first pair): one call per block
  // of rows spares the driver's per-tile work (an indirect call, pointer setup), which small K cannot hide.
  // Two call sites keep gemmTile2x16 a function of its own in the module: binaryen (emcc's wasm-opt)
  // inlines a function with a single caller, noinline or not, and V8 then compiles the k loop inside
  // the row loop (3-5% slower at large K).
  size_t m = 0;
  for (; m + 2 <= mr; m += 2)
    gemmTile2x16(2, nc, kc, a + m * lda, lda, w, init, c + m * ldc, ldc, vmin, vmax);
  if (m < mr) gemmTile2x16(1, nc, kc, a + m * lda, lda, w, init, c + m * ldc, ldc, vmin, vmax);
}

}  // namespace webnn
#endif  // __wasm_simd128__
