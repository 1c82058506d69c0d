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
void activationF32(const Activation& act, const float* in, float* out, size_t n);
// Applies `act` to n contiguous floats in place.
inline void applyActivation(const Activation& act, float* data, size_t n) { activationF32(act, data, data, n); }
// Applies what a minmax microkernel does not: nothing for None/Clamp, the rest otherwise.
inline void applyNonMinMaxActivation(const Activation& act, float* data, size_t n) {
  if (!act.isMinMax()) applyActivation(act, data, n);
}

}  // namespace webnn
