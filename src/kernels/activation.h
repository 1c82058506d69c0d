// An activation fused into a producer's output stage (conv2d, matmul, gemm, element-wise chains).
// Min/max clamping (relu, relu6, clamp) is applied inside GEMM microkernels; the others are applied
// to each output tile while it is still in cache.
#pragma once
#include <cstddef>
#include <limits>

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

// out[i] = act(in[i]) for n contiguous floats (every kind, clamp included); in may equal out.
// Under __wasm_simd128__, clamp/sigmoid/tanh/leakyRelu/linear run in SIMD128 (sigmoid and tanh
// through the approximations below); the others, and every kind in other builds, run
// activationF32Scalar.
void activationF32(const Activation& act, const float* in, float* out, size_t n);
// The scalar twin (std:: math): the reference the SIMD path is tested against.
void activationF32Scalar(const Activation& act, const float* in, float* out, size_t n);

// Scalar twins of the SIMD128 approximations (same constants and steps; a few ulp from std::):
// exp (range reduction by ln 2, degree-5 polynomial, 2^n in two normal factors), sigmoid via
// exp(-|x|) (no cancellation for x < 0), tanh (odd polynomial below 0.625, 1 - 2/(e^2|x| + 1) above).
float expApprox(float x);
// y[i] = exp(x[i] - shift) for n floats; returns their sum (softmax's inner loop). SIMD128 via the
// exp approximation under __wasm_simd128__; the Scalar twin uses std::exp.
float expShiftedF32(const float* x, float shift, float* y, size_t n);
float expShiftedF32Scalar(const float* x, float shift, float* y, size_t n);
float sigmoidApprox(float x);
float tanhApprox(float x);
// Applies `act` to n contiguous floats in place.
inline void applyActivation(const Activation& act, float* data, size_t n) { activationF32(act, data, data, n); }
// Applies what a minmax microkernel does not: nothing for None/Clamp, the rest otherwise.
inline void applyNonMinMaxActivation(const Activation& act, float* data, size_t n) {
  if (!act.isMinMax()) applyActivation(act, data, n);
}

}  // namespace webnn
