#include "kernels/activation.h"

#include <algorithm>
#include <cmath>

namespace webnn {

void applyActivation(const Activation& act, float* d, size_t n) {
  switch (act.kind) {
    case ActivationKind::None:
      return;
    case ActivationKind::Clamp:
      for (size_t i = 0; i < n; ++i) d[i] = std::min(std::max(d[i], act.minValue), act.maxValue);
      return;
    case ActivationKind::Sigmoid:
      for (size_t i = 0; i < n; ++i) d[i] = 1.f / (1.f + std::exp(-d[i]));
      return;
    case ActivationKind::Tanh:
      for (size_t i = 0; i < n; ++i) d[i] = std::tanh(d[i]);
      return;
    case ActivationKind::LeakyRelu:
      for (size_t i = 0; i < n; ++i) d[i] = d[i] < 0.f ? d[i] * act.alpha : d[i];
      return;
    case ActivationKind::HardSwish:
      for (size_t i = 0; i < n; ++i) d[i] = d[i] * std::min(std::max(d[i] + 3.f, 0.f), 6.f) / 6.f;
      return;
    case ActivationKind::HardSigmoid:
      for (size_t i = 0; i < n; ++i) d[i] = std::min(std::max(act.alpha * d[i] + act.beta, 0.f), 1.f);
      return;
    case ActivationKind::Gelu:
      for (size_t i = 0; i < n; ++i) d[i] = 0.5f * d[i] * (1.f + std::erf(d[i] * 0.70710678118654752f));
      return;
    case ActivationKind::Elu:
      for (size_t i = 0; i < n; ++i) d[i] = d[i] < 0.f ? act.alpha * (std::exp(d[i]) - 1.f) : d[i];
      return;
    case ActivationKind::Linear:
      for (size_t i = 0; i < n; ++i) d[i] = act.alpha * d[i] + act.beta;
      return;
    case ActivationKind::Softplus:
      for (size_t i = 0; i < n; ++i) d[i] = std::log1p(std::exp(-std::fabs(d[i]))) + std::max(d[i], 0.f);
      return;
    case ActivationKind::Softsign:
      for (size_t i = 0; i < n; ++i) d[i] = d[i] / (1.f + std::fabs(d[i]));
      return;
  }
}

}  // namespace webnn
