#include "kernels/activation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/task_split.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace webnn {

// ---- exp / sigmoid / tanh (Cephes-style) and erf approximations: the scalar twins of the SIMD128 code.
namespace approx {
// (the exp constants are in activation.h)
// tanh(x) = x + x^3 P(x^2) for |x| < 0.625
constexpr float kTanhSmall = 0.625f;
constexpr float kT0 = -5.70498872745e-3f, kT1 = 2.06390887954e-2f, kT2 = -5.37397155531e-2f, kT3 = 1.33314422036e-1f,
                kT4 = -3.33332819422e-1f;

// erf(t), t = |x|, on four intervals split at kErfSplit: u = t - kErfCenter[k] and
//   erf = (c0 + lead) + u * (c1 + c2 u + ... + c8 u^7),   c_j = kErfPoly[j][k]
// (minimax fits to relative error, scripts/erf-coefficients.py; the fits are within 6e-9 of erf). The
// interval at 0 is centred at 0 with c0 = 0 and lead = u (elsewhere 0), so the leading term t is
// exact and the rest, 0.128 t at most, carries the rounding: relative accuracy down to denormals.
// The others are centred (u = t - centre is exact, Sterbenz) and start at erf(centre). The
// polynomial goes in Estrin's scheme (pairs, then u^2, then u^4: a shorter dependency chain than
// Horner's, as accurate here). The coefficient rows are four floats, one per interval, which SIMD128
// lanes pick with a swizzle.
constexpr float kErfSplit[3] = {0.8f, 1.6f, 2.4f};
constexpr float kErfSat = 3.9192059f;  // from here erf(t) rounds to 1
alignas(16) constexpr float kErfCenter[4] = {0.f, 1.2f, 2.f, 3.16f};
alignas(16) constexpr float kErfPoly[9][4] = {  // scripts/erf-coefficients.py
    {0.0f, 0.910313964f, 0.995322287f, 0.999992132f},
    {0.128379166f, 0.267344296f, 0.0206669848f, 5.19023779e-05f},
    {6.71988971e-07f, -0.320813268f, -0.0413339548f, -0.000164316851f},
    {-0.376147151f, 0.167536408f, 0.0482229404f, 0.000330318289f},
    {0.000247322751f, 0.00641980954f, -0.0344458185f, -0.000463497097f},
    {0.111362882f, -0.0533551797f, 0.0130898291f, 0.000477585563f},
    {0.00491781859f, 0.019566955f, 0.000473956898f, -0.000394936127f},
    {-0.0363719091f, 0.00610355986f, -0.00338801672f, 0.000264218252f},
    {0.0103140511f, -0.0056018848f, 0.0014862055f, -9.6717682e-05f},
};
constexpr float kSqrt2 = 1.41421356237309505f;  // float(sqrt 2), the divisor TF.js and ONNX exporters write

inline float pow2i(int n) {  // 2^n for n in [-126, 127]
  uint32_t bits = uint32_t(n + 127) << 23;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}
}  // namespace approx

float expApprox(float x) {
  using namespace approx;
  if (x != x) return x;
  if (x > kExpHi) return INFINITY;
  if (x < kExpLo) return 0.f;
  float xc = std::min(std::max(x, kExpLo), kExpHi);
  float fx = std::nearbyint(xc * kLog2e);
  float r = xc - fx * kLn2Hi - fx * kLn2Lo;
  float p = ((((kP0 * r + kP1) * r + kP2) * r + kP3) * r + kP4) * r + kP5;
  p = p * (r * r) + r + 1.f;
  int n = int(fx), n1 = n >> 1, n2 = n - n1;  // two factors keep every power normal
  return p * pow2i(n1) * pow2i(n2);
}

float sigmoidApprox(float x) {
  float e = expApprox(-std::fabs(x));
  float s = 1.f / (1.f + e);
  return x >= 0.f ? s : e * s;
}

float tanhApprox(float x) {
  using namespace approx;
  float ax = std::fabs(x);
  if (ax < kTanhSmall) {  // (copysign: tanh(-0) = -0, which x + x z P alone gives as +0)
    float z = x * x;
    return std::copysign(((((kT0 * z + kT1) * z + kT2) * z + kT3) * z + kT4) * z * x + x, x);
  }
  float t = 1.f - 2.f / (expApprox(2.f * ax) + 1.f);
  return std::copysign(t, x);
}

float erfApprox(float x) {
  using namespace approx;
  float t = std::fabs(x);
  int k = (t >= kErfSplit[0]) + (t >= kErfSplit[1]) + (t >= kErfSplit[2]);  // NaN: 0
  float u = t - kErfCenter[k], u2 = u * u, u4 = u2 * u2;
  auto pair = [&](int j) { return kErfPoly[j][k] + kErfPoly[j + 1][k] * u; };
  float q = (pair(1) + pair(3) * u2) + (pair(5) + pair(7) * u2) * u4;
  float lead = k == 0 ? u : 0.f;
  float r = (kErfPoly[0][k] + lead) + u * q;
  r = t >= kErfSat ? 1.f : r;  // also replaces the inf/NaN that huge t gives
  return std::copysign(r, x);  // r >= 0: erf(-0) = -0
}

// In the order TF.js and ONNX exporters write gelu (x / sqrt 2, then x * (0.5 * (1 + erf))): pass
// gelu-recognition replaces that decomposition with this op and gives the same bits.
float geluApprox(float x) { return x * (0.5f * (1.f + erfApprox(x / approx::kSqrt2))); }

#ifdef __wasm_simd128__
namespace {
using namespace approx;
// Each function on four lanes is an object that holds its constants (made opaque once, before the
// loop that calls it: see opaqueV128 in activation.h) and is called on each vector.
inline v128_t constant(float v) { return opaqueV128(wasm_f32x4_splat(v)); }

struct Sigmoid4 {
  ExpF32x4 exp4;
  v128_t one = constant(1.f), zero = constant(0.f);
  v128_t operator()(v128_t x) const {
    v128_t e = exp4(wasm_f32x4_neg(wasm_f32x4_abs(x)));
    v128_t s = wasm_f32x4_div(one, wasm_f32x4_add(one, e));
    return wasm_v128_bitselect(s, wasm_f32x4_mul(e, s), wasm_f32x4_ge(x, zero));
  }
};

struct Tanh4 {
  ExpF32x4 exp4;
  v128_t t0 = constant(kT0), t1 = constant(kT1), t2 = constant(kT2), t3 = constant(kT3), t4 = constant(kT4);
  v128_t one = constant(1.f), two = constant(2.f), small = constant(kTanhSmall);
  v128_t signBit = opaqueV128(wasm_i32x4_splat(int32_t(0x80000000u)));
  v128_t operator()(v128_t x) const {
    v128_t ax = wasm_f32x4_abs(x);
    v128_t z = wasm_f32x4_mul(x, x);
    v128_t p = wasm_f32x4_add(wasm_f32x4_mul(t0, z), t1);
    p = wasm_f32x4_add(wasm_f32x4_mul(p, z), t2);
    p = wasm_f32x4_add(wasm_f32x4_mul(p, z), t3);
    p = wasm_f32x4_add(wasm_f32x4_mul(p, z), t4);
    v128_t smallResult = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, z), x), x);
    v128_t e = exp4(wasm_f32x4_add(ax, ax));
    v128_t big = wasm_f32x4_sub(one, wasm_f32x4_div(two, wasm_f32x4_add(e, one)));
    v128_t r = wasm_v128_bitselect(smallResult, big, wasm_f32x4_lt(ax, small));
    // copysign: |tanh| has x's sign (big >= 0 or NaN; small: tanh(-0) = -0, which x + x z P gives as +0)
    return wasm_v128_or(wasm_v128_andnot(r, signBit), wasm_v128_and(x, signBit));
  }
};

// erfApprox on four lanes: each lane's interval k selects float k of every coefficient row.
struct Erf4 {
  v128_t split0 = constant(kErfSplit[0]), split1 = constant(kErfSplit[1]), split2 = constant(kErfSplit[2]);
  // The byte indices 4k..4k+3 of float k, k = the number of splits t is at or above.
  v128_t four = opaqueV128(wasm_i32x4_splat(0x04040404)), firstFloat = opaqueV128(wasm_i32x4_splat(0x03020100));
  v128_t center = opaqueV128(wasm_v128_load(kErfCenter));
  v128_t poly[9] = {row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7), row(8)};
  v128_t sat = constant(kErfSat), one = constant(1.f), signBit = opaqueV128(wasm_i32x4_splat(int32_t(0x80000000u)));
  static v128_t row(int j) { return opaqueV128(wasm_v128_load(kErfPoly[j])); }
  v128_t operator()(v128_t x) const {
    v128_t t = wasm_f32x4_abs(x);
    v128_t m1 = wasm_f32x4_ge(t, split0), m2 = wasm_f32x4_ge(t, split1), m3 = wasm_f32x4_ge(t, split2);
    v128_t idx = wasm_i32x4_add(wasm_i32x4_add(firstFloat, wasm_v128_and(m1, four)),
                                wasm_i32x4_add(wasm_v128_and(m2, four), wasm_v128_and(m3, four)));
    auto pick = [&](v128_t r) { return wasm_i8x16_swizzle(r, idx); };
    v128_t u = wasm_f32x4_sub(t, pick(center)), u2 = wasm_f32x4_mul(u, u), u4 = wasm_f32x4_mul(u2, u2);
    auto pair = [&](int j) { return wasm_f32x4_add(pick(poly[j]), wasm_f32x4_mul(pick(poly[j + 1]), u)); };
    v128_t q = wasm_f32x4_add(wasm_f32x4_add(pair(1), wasm_f32x4_mul(pair(3), u2)),
                              wasm_f32x4_mul(wasm_f32x4_add(pair(5), wasm_f32x4_mul(pair(7), u2)), u4));
    v128_t lead = wasm_v128_andnot(u, m1);  // u in the interval at 0, +0 elsewhere
    v128_t r = wasm_f32x4_add(wasm_f32x4_add(pick(poly[0]), lead), wasm_f32x4_mul(u, q));
    r = wasm_v128_bitselect(one, r, wasm_f32x4_ge(t, sat));
    return wasm_v128_or(r, wasm_v128_and(x, signBit));  // r >= 0 (or NaN): copysign
  }
};

struct Gelu4 {
  Erf4 erf4;
  v128_t sqrt2 = constant(kSqrt2), half = constant(0.5f);
  v128_t operator()(v128_t x) const {
    v128_t e = erf4(wasm_f32x4_div(x, sqrt2));
    return wasm_f32x4_mul(x, wasm_f32x4_mul(half, wasm_f32x4_add(erf4.one, e)));
  }
};

// y[i] = f(x[i]); the tail goes through a zero-padded vector so every element sees the same math.
template <typename F>
inline void map4(const float* x, float* y, size_t n, const F& f) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, f(wasm_v128_load(x + i)));
  if (i < n) {
    float in[4] = {0, 0, 0, 0}, out[4];
    for (size_t k = 0; i + k < n; ++k) in[k] = x[i + k];
    wasm_v128_store(out, f(wasm_v128_load(in)));
    for (size_t k = 0; i + k < n; ++k) y[i + k] = out[k];
  }
}
}  // namespace
#endif

void activationF32Scalar(const Activation& act, const float* x, float* d, size_t n) {
  switch (act.kind) {
    case ActivationKind::None:
      if (x != d) std::copy(x, x + n, d);
      return;
    case ActivationKind::Clamp:
      for (size_t i = 0; i < n; ++i) d[i] = clampPminPmax(x[i], act.minValue, act.maxValue);
      return;
    case ActivationKind::Sigmoid:
      for (size_t i = 0; i < n; ++i) d[i] = sigmoidApprox(x[i]);
      return;
    case ActivationKind::Tanh:
      for (size_t i = 0; i < n; ++i) d[i] = tanhApprox(x[i]);
      return;
    case ActivationKind::LeakyRelu:
      for (size_t i = 0; i < n; ++i) d[i] = x[i] < 0.f ? x[i] * act.alpha : x[i];
      return;
    case ActivationKind::HardSwish:
      for (size_t i = 0; i < n; ++i) d[i] = x[i] * std::min(std::max(x[i] + 3.f, 0.f), 6.f) / 6.f;
      return;
    case ActivationKind::HardSigmoid:
      for (size_t i = 0; i < n; ++i) d[i] = std::min(std::max(act.alpha * x[i] + act.beta, 0.f), 1.f);
      return;
    case ActivationKind::Gelu:
      for (size_t i = 0; i < n; ++i) d[i] = geluApprox(x[i]);
      return;
    case ActivationKind::Elu:
      for (size_t i = 0; i < n; ++i) d[i] = x[i] < 0.f ? act.alpha * (std::exp(x[i]) - 1.f) : x[i];
      return;
    case ActivationKind::Linear:
      for (size_t i = 0; i < n; ++i) d[i] = act.alpha * x[i] + act.beta;
      return;
    case ActivationKind::Softplus:
      for (size_t i = 0; i < n; ++i) d[i] = std::log1p(std::exp(-std::fabs(x[i]))) + std::max(x[i], 0.f);
      return;
    case ActivationKind::Softsign:
      for (size_t i = 0; i < n; ++i) d[i] = x[i] / (1.f + std::fabs(x[i]));
      return;
  }
}

void activationF32(const Activation& act, const float* x, float* d, size_t n) {
#ifdef __wasm_simd128__
  switch (act.kind) {
    case ActivationKind::Clamp: {
      // clampPminPmax on four lanes (the GEMM microkernels' clamp): a NaN x stays NaN, relu keeps -0.
      v128_t lo = wasm_f32x4_splat(act.minValue), hi = wasm_f32x4_splat(act.maxValue);
      return map4(x, d, n, [&](v128_t v) { return wasm_f32x4_pmin(wasm_f32x4_pmax(v, lo), hi); });
    }
    case ActivationKind::Sigmoid: return map4(x, d, n, Sigmoid4());
    case ActivationKind::Tanh: return map4(x, d, n, Tanh4());
    case ActivationKind::Gelu: return map4(x, d, n, Gelu4());
    case ActivationKind::LeakyRelu: {
      v128_t a = wasm_f32x4_splat(act.alpha), z = wasm_f32x4_splat(0.f);
      return map4(x, d, n, [&](v128_t v) { return wasm_v128_bitselect(wasm_f32x4_mul(v, a), v, wasm_f32x4_lt(v, z)); });
    }
    case ActivationKind::Linear: {
      v128_t a = wasm_f32x4_splat(act.alpha), b = wasm_f32x4_splat(act.beta);
      return map4(x, d, n, [&](v128_t v) { return wasm_f32x4_add(wasm_f32x4_mul(a, v), b); });
    }
    default: break;
  }
#endif
  activationF32Scalar(act, x, d, n);
}

void erfF32(const float* x, float* y, size_t n) {
#ifdef __wasm_simd128__
  map4(x, y, n, Erf4());
#else
  for (size_t i = 0; i < n; ++i) y[i] = erfApprox(x[i]);
#endif
}

void expF32(const float* x, float* y, size_t n) {
#ifdef __wasm_simd128__
  map4(x, y, n, ExpF32x4());
#else
  for (size_t i = 0; i < n; ++i) y[i] = expApprox(x[i]);
#endif
}

void activationF32(ThreadPool* pool, const Activation& act, const float* in, float* out, size_t n) {
  // Kinds built on exp (or erf) cost tens of FLOPs an element on top of the memory traffic.
  using K = ActivationKind;
  const bool transcendental = act.kind == K::Sigmoid || act.kind == K::Tanh || act.kind == K::Gelu ||
                              act.kind == K::Elu || act.kind == K::Softplus;
  const double flopsPerElement = kFlopsPerByteStreamed * 2.0 * sizeof(float) + (transcendental ? 20.0 : 2.0);
  runSplitElements(pool, n, flopsPerElement,
                   [&](size_t start, size_t count) { activationF32(act, in + start, out + start, count); });
}

}  // namespace webnn
