// Twin tests: activationF32 (SIMD128 clamp/sigmoid/tanh/gelu/leakyRelu/linear) against
// activationF32Scalar, the four-lane exp approximation and expF32 (the exp op) against expApprox, and erfF32 (four-lane erf)
// against erfApprox. One algorithm: bit-for-bit agreement.
#include <catch2/catch.hpp>

#include "kernels/activation.h"
#include "twins.h"

using namespace webnn;
using namespace webnn::test;
using namespace webnn::test::twins;

TEST_CASE("twin tests: which build compares what", "[twins]") {
  if (kSimdBuild) SUCCEED("SIMD128 build: every twin test compares the SIMD kernel with its scalar twin");
  else WARN("no SIMD128 in this build: the twin tests compare each scalar twin with itself; "
            "scripts/run-wasm-native-tests.sh runs them against the SIMD128 kernels");
}

namespace {

// exp on four lanes of the build's SIMD, or the scalar approximation without SIMD128.
std::vector<float> expLanes(const std::vector<float>& x) {
  std::vector<float> y(x.size());
#ifdef __wasm_simd128__
  for (size_t i = 0; i < x.size(); i += 4) {
    float in[4] = {0, 0, 0, 0}, out[4];
    for (size_t k = 0; k < 4 && i + k < x.size(); ++k) in[k] = x[i + k];
    wasm_v128_store(out, ExpF32x4()(wasm_v128_load(in)));
    for (size_t k = 0; k < 4 && i + k < x.size(); ++k) y[i + k] = out[k];
  }
#else
  for (size_t i = 0; i < x.size(); ++i) y[i] = expApprox(x[i]);
#endif
  return y;
}

std::vector<Activation> twinActivations() {
  std::vector<Activation> acts;
  for (int k = 0; k <= int(ActivationKind::Softsign); ++k) {
    Activation a;
    a.kind = ActivationKind(k);
    a.alpha = 0.3f;
    a.beta = -0.4f;
    if (a.kind == ActivationKind::Clamp) {
      a.minValue = 0.f;  // relu
      acts.push_back(a);
      a.minValue = -1.5f, a.maxValue = 2.5f;
      acts.push_back(a);
      a.minValue = -INFINITY, a.maxValue = 6.f;
      acts.push_back(a);
      a.minValue = -0.f, a.maxValue = 0.f;  // both bounds zeros: which zero comes out
    }
    acts.push_back(a);
  }
  return acts;
}

}  // namespace

TEST_CASE("ExpF32x4 and expApprox agree bit for bit", "[twins][activation]") {
  for (auto [lo, hi] : {std::pair{-1.f, 1.f}, {-20.f, 20.f}, {-110.f, 95.f}, {-88.f, -80.f}}) {
    std::vector<float> x = twinInput(1001, 11, lo, hi, 6);
    // The thresholds and their neighbours: the overflow, underflow and denormal-result branches.
    for (float t : {approx::kExpHi, approx::kExpLo, -87.3365f, -87.5f, -100.f, -103.9f})
      for (float v : {std::nextafter(t, -INFINITY), t, std::nextafter(t, INFINITY)}) x.push_back(v);
    std::vector<float> want(x.size());
    for (size_t i = 0; i < x.size(); ++i) want[i] = expApprox(x[i]);
    INFO("range [" << lo << ", " << hi << ")");
    REQUIRE_TWINS(expLanes(x), want);
  }
}

TEST_CASE("expF32 (the exp op) and expApprox agree bit for bit (tails, in place)", "[twins][activation]") {
  uint32_t seed = 20;
  for (auto [lo, hi] : {std::pair{-1.f, 1.f}, {-110.f, 95.f}})
    for (size_t n : tailSizes()) {
      std::vector<float> x = twinInput(n, seed++, lo, hi, 6);
      std::vector<float> simd(n, 7.f), scalar(n);
      expF32(x.data(), simd.data(), n);
      for (size_t i = 0; i < n; ++i) scalar[i] = expApprox(x[i]);
      INFO("range [" << lo << ", " << hi << ") n=" << n);
      REQUIRE_TWINS(simd, scalar);
      std::vector<float> inPlace = x;  // in == out
      expF32(inPlace.data(), inPlace.data(), n);
      REQUIRE_TWINS(inPlace, scalar);
    }
}

TEST_CASE("erfF32 and erfApprox agree bit for bit (tails, interval edges, saturation)", "[twins][activation]") {
  uint32_t seed = 40;
  for (auto [lo, hi] : {std::pair{-1.f, 1.f}, {-4.5f, 4.5f}, {-1e-3f, 1e-3f}, {-50.f, 50.f}})
    for (size_t n : tailSizes()) {
      std::vector<float> x = twinInput(n, seed++, lo, hi, 6);
      // Each lane picks its interval's coefficients: the split points, the saturation point and
      // their neighbours, in every lane position.
      if (n >= 4)
        for (float t : {0.8f, 1.6f, 2.4f, 3.9192059f})
          for (float v : {std::nextafter(t, 0.f), t, std::nextafter(t, INFINITY)}) {
            x[(seed++) % n] = v;
            x[(seed++) % n] = -v;
          }
      std::vector<float> simd(n, 7.f), scalar(n);
      erfF32(x.data(), simd.data(), n);
      for (size_t i = 0; i < n; ++i) scalar[i] = erfApprox(x[i]);
      INFO("range [" << lo << ", " << hi << ") n=" << n);
      REQUIRE_TWINS(simd, scalar);
      std::vector<float> inPlace = x;  // in == out
      erfF32(inPlace.data(), inPlace.data(), n);
      REQUIRE_TWINS(inPlace, scalar);
    }
}

TEST_CASE("activationF32 and activationF32Scalar agree bit for bit (every kind, tails, edge values)",
          "[twins][activation]") {
  uint32_t seed = 100;
  for (const Activation& act : twinActivations())
    for (size_t n : tailSizes())
      for (auto [lo, hi] : {std::pair{-8.f, 8.f}, {-100.f, 100.f}}) {
        const std::vector<float> x = twinInput(n, seed++, lo, hi, 5);
        std::vector<float> simd(n, 7.f), scalar(n, 7.f);
        activationF32(act, x.data(), simd.data(), n);
        activationF32Scalar(act, x.data(), scalar.data(), n);
        INFO("kind " << int(act.kind) << " [" << act.minValue << ", " << act.maxValue << "] n=" << n);
        REQUIRE_TWINS(simd, scalar);
        std::vector<float> inPlace = x;  // in == out
        activationF32(act, inPlace.data(), inPlace.data(), n);
        REQUIRE_TWINS(inPlace, scalar);
      }
}

TEST_CASE("activation twins: one semantics for -0, NaN and the approximations", "[twins][activation]") {
  const std::vector<float> x = {-0.f, 0.f, NAN, -INFINITY, INFINITY, -2.f, 3e-39f, -3e-39f};
  const size_t n = x.size();
  Activation relu;
  relu.kind = ActivationKind::Clamp;
  relu.minValue = 0.f;
  for (bool simd : {true, false}) {
    INFO((simd ? "activationF32" : "activationF32Scalar"));
    auto run = [&](const Activation& a) {
      std::vector<float> y(n);
      (simd ? activationF32(a, x.data(), y.data(), n) : activationF32Scalar(a, x.data(), y.data(), n));
      return y;
    };
    // relu is clamp(x, 0, inf) with pmax/pmin: -0 stays -0, NaN stays NaN, a denormal stays.
    std::vector<float> r = run(relu);
    CHECK((r[0] == 0.f && std::signbit(r[0])));
    CHECK((r[1] == 0.f && !std::signbit(r[1])));
    CHECK(std::isnan(r[2]));
    CHECK(r[3] == 0.f);
    CHECK(r[4] == INFINITY);
    CHECK(r[6] == 3e-39f);
    CHECK(r[7] == 0.f);
    // sigmoid and tanh are the approximations in both paths.
    Activation sig, th;
    sig.kind = ActivationKind::Sigmoid;
    th.kind = ActivationKind::Tanh;
    std::vector<float> s = run(sig), t = run(th);
    for (size_t i = 0; i < n; ++i) {
      INFO("x " << x[i]);
      CHECK(twinEqual(s[i], sigmoidApprox(x[i])));
      CHECK(twinEqual(t[i], tanhApprox(x[i])));
    }
    CHECK(s[3] == 0.f);
    CHECK(s[4] == 1.f);
    CHECK(t[3] == -1.f);
    CHECK(t[4] == 1.f);
    CHECK((t[0] == 0.f && std::signbit(t[0])));  // tanh(-0) = -0
    CHECK((t[1] == 0.f && !std::signbit(t[1])));
    // gelu is geluApprox in both paths: -0 stays -0, +inf stays, -inf gives NaN (-inf * 0, the spec's
    // formula), NaN stays NaN.
    Activation gelu;
    gelu.kind = ActivationKind::Gelu;
    std::vector<float> g = run(gelu);
    for (size_t i = 0; i < n; ++i) {
      INFO("x " << x[i]);
      CHECK(twinEqual(g[i], geluApprox(x[i])));
    }
    CHECK((g[0] == 0.f && std::signbit(g[0])));
    CHECK((g[1] == 0.f && !std::signbit(g[1])));
    CHECK(std::isnan(g[2]));
    CHECK(std::isnan(g[3]));
    CHECK(g[4] == INFINITY);
  }
  // erf: odd, -0 stays -0, NaN stays NaN, ±inf gives ±1, in the SIMD path and the twin.
  std::vector<float> e(n);
  erfF32(x.data(), e.data(), n);
  for (size_t i = 0; i < n; ++i) {
    INFO("x " << x[i]);
    CHECK(twinEqual(e[i], erfApprox(x[i])));
  }
  CHECK((e[0] == 0.f && std::signbit(e[0])));
  CHECK((e[1] == 0.f && !std::signbit(e[1])));
  CHECK(std::isnan(e[2]));
  CHECK(e[3] == -1.f);
  CHECK(e[4] == 1.f);
  // The approximations stay within a few ulp of std:: on ordinary inputs (the ops' tolerances are wider).
  const std::vector<float> r = twinInput(4000, 12, -20.f, 20.f, 0);
  int64_t worstSig = 0, worstTanh = 0;
  for (float v : r) {
    worstSig = std::max(worstSig, ulpDistance(sigmoidApprox(v), float(1.0 / (1.0 + std::exp(-double(v))))));
    if (std::fabs(v) > 1e-3f) worstTanh = std::max(worstTanh, ulpDistance(tanhApprox(v), float(std::tanh(double(v)))));
  }
  INFO("sigmoid " << worstSig << " ulp, tanh " << worstTanh << " ulp");
  CHECK(worstSig <= 8);
  CHECK(worstTanh <= 8);
}
