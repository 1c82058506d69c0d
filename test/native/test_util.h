// Helpers shared by the kernel tests: deterministic random data and activation lists.
#pragma once
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/activation.h"

namespace webnn_test {

// Deterministic LCG so failures reproduce across native and Wasm builds.
struct Rng {
  uint32_t s;
  explicit Rng(uint32_t seed) : s(seed * 2654435761u + 1) {}
  uint32_t next() { return s = s * 1664525u + 1013904223u; }
  float uniform(float lo, float hi) { return lo + (hi - lo) * ((next() >> 8) * (1.f / 16777216.f)); }
  size_t range(size_t lo, size_t hi) { return lo + next() % (hi - lo + 1); }  // inclusive
};

inline std::vector<float> randomVector(size_t n, Rng& rng) {
  std::vector<float> v(n);
  for (auto& x : v) x = rng.uniform(-1.f, 1.f);
  return v;
}

inline webnn::Activation makeActivation(webnn::ActivationKind kind) {
  webnn::Activation a;
  a.kind = kind;
  switch (kind) {
    case webnn::ActivationKind::Clamp:
      a.minValue = -0.25f;
      a.maxValue = 0.5f;
      break;
    case webnn::ActivationKind::LeakyRelu: a.alpha = 0.1f; break;
    case webnn::ActivationKind::HardSigmoid: a.alpha = 0.2f; a.beta = 0.5f; break;
    case webnn::ActivationKind::Elu: a.alpha = 0.9f; break;
    case webnn::ActivationKind::Linear: a.alpha = 0.75f; a.beta = -0.1f; break;
    default: break;
  }
  return a;
}

inline webnn::Activation relu() {
  webnn::Activation a;
  a.kind = webnn::ActivationKind::Clamp;
  a.minValue = 0.f;
  a.maxValue = std::numeric_limits<float>::infinity();
  return a;
}

inline std::vector<webnn::ActivationKind> allActivationKinds() {
  using K = webnn::ActivationKind;
  return {K::None, K::Clamp, K::Sigmoid, K::Tanh, K::LeakyRelu, K::HardSwish, K::HardSigmoid,
          K::Gelu, K::Elu,   K::Linear, K::Softplus, K::Softsign};
}

}  // namespace webnn_test
