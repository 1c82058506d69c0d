// The activation kernels: the exp/sigmoid/tanh approximations against std:: (a few ulp), and the
// SIMD row kernel against its scalar twin for every kind.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "harness.h"
#include "kernels/activation.h"

using namespace webnn;
using namespace webnn::test;

TEST_CASE("exp, sigmoid and tanh approximations stay within a few ulp", "[perf][activation]") {
  int64_t worstExp = 0, worstSigmoid = 0, worstTanh = 0;
  for (int i = -200000; i <= 200000; ++i) {
    float x = float(i) * 4.4e-4f;  // [-88, 88]
    worstExp = std::max(worstExp, ulpDistance(expApprox(x), std::exp(x)));
    float xs = float(i) * 1e-4f;  // [-20, 20]
    worstSigmoid = std::max(worstSigmoid, ulpDistance(sigmoidApprox(xs), 1.f / (1.f + std::exp(-xs))));
    worstTanh = std::max(worstTanh, ulpDistance(tanhApprox(xs), std::tanh(xs)));
  }
  CHECK(worstExp <= 4);
  CHECK(worstSigmoid <= 8);   // WPT allows 34 ulp for sigmoid
  CHECK(worstTanh <= 8);      // WPT: 1/1024 absolute (we stay near ulp-exact)
  CHECK(std::isinf(expApprox(89.f)));
  CHECK(expApprox(-200.f) == 0.f);
  CHECK(std::isnan(expApprox(NAN)));
  CHECK(sigmoidApprox(-200.f) == 0.f);
  CHECK(sigmoidApprox(200.f) == 1.f);
  CHECK(tanhApprox(-50.f) == -1.f);
  CHECK(std::isnan(tanhApprox(NAN)));
  CHECK(std::isnan(sigmoidApprox(NAN)));
  CHECK(tanhApprox(1e-30f) == 1e-30f);
}

TEST_CASE("activation kernel matches its scalar twin for every kind", "[perf][activation]") {
  auto x = randomFloats(103, 3, -8.f, 8.f);
  x[0] = 0.f;
  x[1] = -0.f;
  for (int k = 0; k <= int(ActivationKind::Softsign); ++k) {
    Activation act;
    act.kind = ActivationKind(k);
    act.minValue = -1.5f;
    act.maxValue = 2.5f;
    act.alpha = 0.3f;
    act.beta = 0.4f;
    std::vector<float> got(x.size()), want(x.size());
    activationF32(act, x.data(), got.data(), x.size());
    activationF32Scalar(act, x.data(), want.data(), x.size());
    INFO("kind " << k);
    requireClose(got, want, 1e-6f, 1e-5f);
  }
}
