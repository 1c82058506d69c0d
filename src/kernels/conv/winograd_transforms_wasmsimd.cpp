// Wasm SIMD128 Winograd F(4x4, 3x3) tile transforms: four channels per v128 (NHWC data and the
// point-major scratch both keep channels contiguous), formulas shared with the scalar twin.
#ifdef __wasm_simd128__
#include <wasm_simd128.h>

#include "kernels/conv/winograd_transforms.h"

namespace webnn {
namespace {

struct SimdOps {
  using V = v128_t;
  static v128_t load(const float* p) { return wasm_v128_load(p); }
  static void store(float* p, v128_t v) { wasm_v128_store(p, v); }
  static v128_t zero() { return wasm_f32x4_splat(0.f); }
  static v128_t add(v128_t a, v128_t b) { return wasm_f32x4_add(a, b); }
  static v128_t sub(v128_t a, v128_t b) { return wasm_f32x4_sub(a, b); }
  static v128_t scale(v128_t a, float k) { return wasm_f32x4_mul(a, wasm_f32x4_splat(k)); }
  // pmax/pmin in this operand order keep a NaN, like the GEMM microkernels.
  static v128_t clamp(v128_t v, v128_t lo, v128_t hi) { return wasm_f32x4_pmin(wasm_f32x4_pmax(v, lo), hi); }
  // x - x is +0 when x is finite, NaN otherwise: OR the bits, test once per tile.
  using Mask = v128_t;
  static v128_t nonFinite(v128_t acc, v128_t v) { return wasm_v128_or(acc, wasm_f32x4_sub(v, v)); }
};

}  // namespace

void f32_winograd43_input__wasmsimd(const WinogradWindow& w, size_t c0, size_t c1, float* v, size_t pointStride) {
  size_t c = c0;
  for (; c + 4 <= c1; c += 4) winograd43::inputChannels<SimdOps>(w, c, v, pointStride);
  if (c < c1) f32_winograd43_input__scalar(w, c, c1, v, pointStride);
}

bool f32_winograd43_output__wasmsimd(const float* m, size_t pointStride, const float* bias, size_t c0, size_t c1,
                                     const WinogradOutputTile& y, float vmin, float vmax) {
  const v128_t lo = wasm_f32x4_splat(vmin), hi = wasm_f32x4_splat(vmax);
  v128_t bad = wasm_i32x4_splat(0);
  size_t c = c0;
  for (; c + 4 <= c1; c += 4) winograd43::outputChannels<SimdOps>(m, pointStride, bias, c, y, lo, hi, bad);
  bool finite = !wasm_v128_any_true(bad);
  if (c < c1) finite &= f32_winograd43_output__scalar(m, pointStride, bias, c, c1, y, vmin, vmax);
  return finite;
}

}  // namespace webnn
#endif  // __wasm_simd128__
