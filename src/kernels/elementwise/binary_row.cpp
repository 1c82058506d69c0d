#include "kernels/elementwise/binary_row.h"

#include <algorithm>
#include <cmath>
#include <limits>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace webnn {
namespace {

template <BinaryOp Op>
inline float scalarOp(float a, float b) {
  if constexpr (Op == BinaryOp::Add) return a + b;
  if constexpr (Op == BinaryOp::Sub) return a - b;
  if constexpr (Op == BinaryOp::Mul) return a * b;
  if constexpr (Op == BinaryOp::Div) return a / b;
  if constexpr (Op == BinaryOp::Max) return ieeeMaximum(a, b);
  if constexpr (Op == BinaryOp::Min) return ieeeMinimum(a, b);
  if constexpr (Op == BinaryOp::Pow) return std::pow(a, b);
  return 0.f;
}

template <BinaryOp Op>
void scalarRow(const float* a, size_t as, const float* b, size_t bs, float* o, size_t n) {
  if (as && bs) {
    for (size_t i = 0; i < n; ++i) o[i] = scalarOp<Op>(a[i], b[i]);
  } else if (as) {
    float bv = b[0];
    for (size_t i = 0; i < n; ++i) o[i] = scalarOp<Op>(a[i], bv);
  } else if (bs) {
    float av = a[0];
    for (size_t i = 0; i < n; ++i) o[i] = scalarOp<Op>(av, b[i]);
  } else {
    float v = scalarOp<Op>(a[0], b[0]);
    for (size_t i = 0; i < n; ++i) o[i] = v;
  }
}

#ifdef __wasm_simd128__
template <BinaryOp Op>
inline v128_t simdOp(v128_t a, v128_t b) {
  if constexpr (Op == BinaryOp::Add) return wasm_f32x4_add(a, b);
  if constexpr (Op == BinaryOp::Sub) return wasm_f32x4_sub(a, b);
  if constexpr (Op == BinaryOp::Mul) return wasm_f32x4_mul(a, b);
  if constexpr (Op == BinaryOp::Div) return wasm_f32x4_div(a, b);
  if constexpr (Op == BinaryOp::Max) return wasm_f32x4_max(a, b);  // IEEE maximum: ieeeMaximum on 4 lanes
  if constexpr (Op == BinaryOp::Min) return wasm_f32x4_min(a, b);  // IEEE minimum
  return a;
}

// Loads 4 floats, or splats one when the stride is 0.
template <bool Step>
inline v128_t load4(const float* p) {
  if constexpr (Step) return wasm_v128_load(p);
  else return wasm_f32x4_splat(p[0]);
}

template <BinaryOp Op, bool AS, bool BS>
void simdRow(const float* a, const float* b, float* o, size_t n) {
  size_t i = 0;
  v128_t va0 = AS ? wasm_f32x4_splat(0.f) : load4<false>(a);
  v128_t vb0 = BS ? wasm_f32x4_splat(0.f) : load4<false>(b);
  for (; i + 8 <= n; i += 8) {
    v128_t x0 = AS ? wasm_v128_load(a + i) : va0, x1 = AS ? wasm_v128_load(a + i + 4) : va0;
    v128_t y0 = BS ? wasm_v128_load(b + i) : vb0, y1 = BS ? wasm_v128_load(b + i + 4) : vb0;
    wasm_v128_store(o + i, simdOp<Op>(x0, y0));
    wasm_v128_store(o + i + 4, simdOp<Op>(x1, y1));
  }
  for (; i + 4 <= n; i += 4) {
    v128_t x = AS ? wasm_v128_load(a + i) : va0;
    v128_t y = BS ? wasm_v128_load(b + i) : vb0;
    wasm_v128_store(o + i, simdOp<Op>(x, y));
  }
  for (; i < n; ++i) o[i] = scalarOp<Op>(AS ? a[i] : a[0], BS ? b[i] : b[0]);
}

template <BinaryOp Op>
void simdRowStrides(const float* a, size_t as, const float* b, size_t bs, float* o, size_t n) {
  if (as && bs) return simdRow<Op, true, true>(a, b, o, n);
  if (as) return simdRow<Op, true, false>(a, b, o, n);
  if (bs) return simdRow<Op, false, true>(a, b, o, n);
  return scalarRow<Op>(a, 0, b, 0, o, n);
}
#endif

}  // namespace

void binaryRowF32Scalar(BinaryOp op, const float* a, size_t as, const float* b, size_t bs, float* o, size_t n) {
  switch (op) {
    case BinaryOp::Add: return scalarRow<BinaryOp::Add>(a, as, b, bs, o, n);
    case BinaryOp::Sub: return scalarRow<BinaryOp::Sub>(a, as, b, bs, o, n);
    case BinaryOp::Mul: return scalarRow<BinaryOp::Mul>(a, as, b, bs, o, n);
    case BinaryOp::Div: return scalarRow<BinaryOp::Div>(a, as, b, bs, o, n);
    case BinaryOp::Max: return scalarRow<BinaryOp::Max>(a, as, b, bs, o, n);
    case BinaryOp::Min: return scalarRow<BinaryOp::Min>(a, as, b, bs, o, n);
    case BinaryOp::Pow: return scalarRow<BinaryOp::Pow>(a, as, b, bs, o, n);
  }
}

void binaryRowF32(BinaryOp op, const float* a, size_t as, const float* b, size_t bs, float* o, size_t n) {
#ifdef __wasm_simd128__
  switch (op) {
    case BinaryOp::Add: return simdRowStrides<BinaryOp::Add>(a, as, b, bs, o, n);
    case BinaryOp::Sub: return simdRowStrides<BinaryOp::Sub>(a, as, b, bs, o, n);
    case BinaryOp::Mul: return simdRowStrides<BinaryOp::Mul>(a, as, b, bs, o, n);
    case BinaryOp::Div: return simdRowStrides<BinaryOp::Div>(a, as, b, bs, o, n);
    case BinaryOp::Max: return simdRowStrides<BinaryOp::Max>(a, as, b, bs, o, n);
    case BinaryOp::Min: return simdRowStrides<BinaryOp::Min>(a, as, b, bs, o, n);
    case BinaryOp::Pow: return scalarRow<BinaryOp::Pow>(a, as, b, bs, o, n);
  }
#else
  binaryRowF32Scalar(op, a, as, b, bs, o, n);
#endif
}

}  // namespace webnn
