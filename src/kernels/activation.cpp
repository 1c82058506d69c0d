#include "kernels/activation.h"

#include <algorithm>
#include <cmath>

namespace webnn {

void activationF32(const Activation& act, const float* x, float* d, size_t n) {
  switch (act.kind) {
    case ActivationKind::None:
      if (x != d) std::copy(x, x + n, d);
      return;
    case ActivationKind::Clamp:
      for (size_t i = 0; i < n; ++i) d[i] = std::min(std::max(x[i], act.minValue), act.maxValue);
      return;
    case ActivationKind::Sigmoid:
      for (size_t i = 0; i < n; ++i) d[i] = 1.f / (1.f + std::exp(-x[i]));
      return;
    case ActivationKind::Tanh:
      for (size_t i = 0; i < n; ++i) d[i] = std::tanh(x[i]);
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
      for (size_t i = 0; i < n; ++i) d[i] = 0.5f * x[i] * (1.f + std::erf(x[i] * 0.70710678118654752f));
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

}  // namespace webnn
