// An activation fused into a producer's output stage (conv2d, matmul, gemm, element-wise chains).
// Min/max clamping (relu, relu6, clamp) is applied inside GEMM microkernels; the others are applied
// to each output tile while it is still in cache.
#pragma once
#include <cmath>
#include <cstddef>
#include <limits>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace webnn {

enum class ActivationKind { None, Clamp, Sigmoid, Tanh, LeakyRelu, HardSwish, HardSigmoid, Gelu, Elu, Linear, Softplus, Softsign };

struct Activation {
  ActivationKind kind = ActivationKind::None;
  float minValue = -std::numeric_limits<float>::infinity();  // Clamp
  float maxValue = std::numeric_limits<float>::infinity();   // Clamp
  float alpha = 0.f, beta = 0.f;                              // LeakyRelu, HardSigmoid, Elu, Linear

  bool isNone() const { return kind == ActivationKind::None; }
  // True when the activation is only a clamp, which microkernels apply themselves.
  bool isMinMax() const { return kind == ActivationKind::None || kind == ActivationKind::Clamp; }
  float clampMin() const { return kind == ActivationKind::Clamp ? minValue : -std::numeric_limits<float>::infinity(); }
  float clampMax() const { return kind == ActivationKind::Clamp ? maxValue : std::numeric_limits<float>::infinity(); }
};

// The clamp every kernel applies (activation Clamp/relu, the GEMM, depthwise and Winograd output
// stages): max then min with wasm's pmax/pmin semantics, pmax(x, lo) = x < lo ? lo : x and
// pmin(y, hi) = hi < y ? hi : y. A NaN x stays NaN and relu (lo = +0) keeps a -0 x; SIMD128 code
// uses wasm_f32x4_pmin(wasm_f32x4_pmax(x, lo), hi), the same function on four lanes.
inline float clampPminPmax(float x, float lo, float hi) {
  x = x < lo ? lo : x;
  return hi < x ? hi : x;
}

// out[i] = act(in[i]) for n contiguous floats (every kind, clamp included); in may equal out.
// Under __wasm_simd128__, clamp/sigmoid/tanh/gelu/leakyRelu/linear run in SIMD128; the others, and
// every kind in other builds, run activationF32Scalar. Both are one algorithm (sigmoid, tanh and gelu
// through the approximations below, clamp through clampPminPmax), so they agree to the bit.
void activationF32(const Activation& act, const float* in, float* out, size_t n);
class ThreadPool;
// The same over `pool` (runSplit, kernels/task_split.h); a null pool runs inline.
void activationF32(ThreadPool* pool, const Activation& act, const float* in, float* out, size_t n);
// The scalar twin: what builds without SIMD128 run, and the reference the SIMD path is tested
// against (test/native/kernels/activation_twins.cpp). Kinds without a SIMD path use std:: math.
void activationF32Scalar(const Activation& act, const float* in, float* out, size_t n);

// Scalar twins of the SIMD128 approximations (same constants and steps; a few ulp from std::):
// exp (range reduction by ln 2, degree-5 polynomial, 2^n in two normal factors), sigmoid via
// exp(-|x|) (no cancellation for x < 0), tanh (odd polynomial below 0.625, 1 - 2/(e^2|x| + 1) above).
float expApprox(float x);
float sigmoidApprox(float x);
float tanhApprox(float x);
// erf: a degree-8 polynomial on each of four intervals of |x| (within 1 ulp of the rounded erf,
// exactly ±1 from |x| = 3.9192, where erf rounds to 1), and gelu(x) = x (0.5 (1 + erf(x / sqrt 2))) on
// it, in float32 in that order. gelu(-inf) is NaN (-inf * 0), as the spec's formula and std::erf gave.
float erfApprox(float x);
float geluApprox(float x);

// out[i] = erf(in[i]) for n contiguous floats (the unary erf op): erfApprox on four SIMD128 lanes,
// or erfApprox itself in builds without SIMD128; in may equal out.
void erfF32(const float* in, float* out, size_t n);
// out[i] = exp(in[i]) for n contiguous floats (the unary exp op): ExpF32x4 on four SIMD128 lanes, or
// expApprox itself in builds without SIMD128; in may equal out.
void expF32(const float* in, float* out, size_t n);

// expApprox's constants (Cephes): range reduction by ln 2 split in two, degree-5 polynomial.
namespace approx {
constexpr float kExpHi = 88.72283935546875f;    // ln(FLT_MAX)
constexpr float kExpLo = -103.97207708f;        // below: 0
constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLn2Hi = 0.693359375f, kLn2Lo = -2.12194440e-4f;
constexpr float kP0 = 1.9875691500e-4f, kP1 = 1.3981999507e-3f, kP2 = 8.3334519073e-3f, kP3 = 4.1665795894e-2f,
                kP4 = 1.6666665459e-1f, kP5 = 5.0000001201e-1f;
}  // namespace approx

#ifdef __wasm_simd128__
// A copy of v that LLVM cannot see through. Written as v128.const, a SIMD128 constant is
// rematerialised by LLVM at every use, inside loops too, and V8 builds each one from 64-bit
// immediates (3-4 instructions) on every iteration: exp's 13 constants cost more than its
// arithmetic. Kernels make their constants opaque once, before their loop (ExpF32x4), and they
// stay in registers (or spill to the stack: one load).
inline v128_t opaqueV128(v128_t v) {
  __asm__("" : "+r"(v));
  return v;
}

// expApprox on four lanes (the SIMD128 exp every kernel uses: softmax, sigmoid, tanh, ...): NaN stays
// NaN, above ln(FLT_MAX) gives inf, below -103.97 gives 0. Make one before a loop (it holds the
// constants, see opaqueV128) and call it in the loop; inline, so callers keep it in registers.
struct ExpF32x4 {
  v128_t lo, hi, log2e, ln2Hi, ln2Lo, p0, p1, p2, p3, p4, p5, one, bias, inf, magic;
  ExpF32x4()
      : lo(opaqueV128(wasm_f32x4_splat(approx::kExpLo))), hi(opaqueV128(wasm_f32x4_splat(approx::kExpHi))),
        log2e(opaqueV128(wasm_f32x4_splat(approx::kLog2e))), ln2Hi(opaqueV128(wasm_f32x4_splat(approx::kLn2Hi))),
        ln2Lo(opaqueV128(wasm_f32x4_splat(approx::kLn2Lo))), p0(opaqueV128(wasm_f32x4_splat(approx::kP0))),
        p1(opaqueV128(wasm_f32x4_splat(approx::kP1))), p2(opaqueV128(wasm_f32x4_splat(approx::kP2))),
        p3(opaqueV128(wasm_f32x4_splat(approx::kP3))), p4(opaqueV128(wasm_f32x4_splat(approx::kP4))),
        p5(opaqueV128(wasm_f32x4_splat(approx::kP5))), one(opaqueV128(wasm_f32x4_splat(1.f))),
        bias(opaqueV128(wasm_i32x4_splat(127))), inf(opaqueV128(wasm_f32x4_splat(INFINITY))),
        magic(opaqueV128(wasm_f32x4_splat(12582912.f))) {}

  v128_t operator()(v128_t x) const {
    // pmax/pmin with x first keep a NaN x (one instruction each in V8, where min/max take ~8).
    v128_t xc = wasm_f32x4_pmin(wasm_f32x4_pmax(x, lo), hi);
    v128_t fx = wasm_f32x4_nearest(wasm_f32x4_mul(xc, log2e));
    v128_t r = wasm_f32x4_sub(wasm_f32x4_sub(xc, wasm_f32x4_mul(fx, ln2Hi)), wasm_f32x4_mul(fx, ln2Lo));
    v128_t p = wasm_f32x4_add(wasm_f32x4_mul(p0, r), p1);
    p = wasm_f32x4_add(wasm_f32x4_mul(p, r), p2);
    p = wasm_f32x4_add(wasm_f32x4_mul(p, r), p3);
    p = wasm_f32x4_add(wasm_f32x4_mul(p, r), p4);
    p = wasm_f32x4_add(wasm_f32x4_mul(p, r), p5);
    p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(p, wasm_f32x4_mul(r, r)), r), one);
    // int(fx), fx an integer in [-150, 128]: fx + 1.5 * 2^23 holds it in its low mantissa bits, and
    // subtracting that number's bits leaves it (two ops; V8 spends ~7 on i32x4.trunc_sat_f32x4).
    v128_t n = wasm_i32x4_sub(wasm_f32x4_add(fx, magic), magic);
    v128_t n1 = wasm_i32x4_shr(n, 1), n2 = wasm_i32x4_sub(n, n1);  // two factors keep every power normal
    v128_t s1 = wasm_i32x4_shl(wasm_i32x4_add(n1, bias), 23);
    v128_t s2 = wasm_i32x4_shl(wasm_i32x4_add(n2, bias), 23);
    v128_t y = wasm_f32x4_mul(wasm_f32x4_mul(p, s1), s2);
    y = wasm_v128_andnot(y, wasm_f32x4_lt(x, lo));  // underflow: exactly 0
    return wasm_v128_bitselect(inf, y, wasm_f32x4_gt(x, hi));
  }
};
#endif
// Applies `act` to n contiguous floats in place.
inline void applyActivation(const Activation& act, float* data, size_t n) { activationF32(act, data, data, n); }
// Applies what a minmax microkernel does not: nothing for None/Clamp, the rest otherwise.
inline void applyNonMinMaxActivation(const Activation& act, float* data, size_t n) {
  if (!act.isMinMax()) applyActivation(act, data, n);
}

}  // namespace webnn
