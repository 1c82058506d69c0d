// The element-wise chain pass (src/compiler/elementwise_fusion.h): chains fuse into one in-place step
// with the op-by-op result, and the regressions of issue #13 and the differential fuzzer (a chain
// reading a value computed after its head, a side operand of another chain).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "compiler_graphs.h"
#include "harness.h"

using namespace webnn;
using namespace webnn::test;

TEST_CASE("element-wise chains: a chain runs after its side operands are computed (issue #13)", "[verifier][compiler]") {
  std::string plan;
  CHECK(powAddGraph(CompileOptions(), &plan) == std::vector<float>{2, 5, 10, 17});
  INFO(plan);
  CHECK(plan.find("elementwise-chains") != std::string::npos);  // still fused
  CHECK(plan.find("0: pow\n") != std::string::npos);              // pow(c) first, then pow+add
  CHECK(plan.find("1: pow+add\n") != std::string::npos);
}

// Found by the differential fuzzer (seed 9003536): mul -> sigmoid became a chain because the only
// other reader of mul's output, an add, had already been absorbed into another chain (as a side
// operand) and so did not count; mul's output was never written.
TEST_CASE("element-wise chains: a side operand of another chain is not a chain's internal value", "[compiler]") {
  GraphHarness h;
  int x = h.input("x", {3}, {2.9f, 2.7f, 3.1f});
  int k = h.constant<float>({3}, {0.1f, 0.3f, 0.7f});
  int sp = h.op("softplus", {{"input", x}});
  int m = h.op("mul", {{"a", k}, {"b", x}});
  int sg = h.op("sigmoid", {{"input", m}});
  int d = h.op("sub", {{"a", sp}, {"b", sg}});
  int y = h.op("add", {{"a", m}, {"b", d}});
  std::vector<float> want;
  for (int i = 0; i < 3; ++i) {
    double xv = std::vector<double>{2.9, 2.7, 3.1}[i], mv = float(std::vector<double>{0.1, 0.3, 0.7}[i]) * float(xv);
    want.push_back(float(mv + (std::log1p(std::exp(xv)) - 1 / (1 + std::exp(-mv)))));
  }
  webnn::test::requireClose(h.run({y})[0], want, 1e-5f, 1e-5f);
}

TEST_CASE("compiler: element-wise chains fuse into one in-place step with the same result", "[perf][compiler]") {
  auto xv = randomFloats(4 * 5 * 6, 7), cv = randomFloats(6, 8), fv = randomFloats(4 * 5 * 6, 9, 0.5f, 1.f);
  std::vector<float> results[2];
  for (int variant = 0; variant < 2; ++variant) {
    GraphHarness h(2);
    int x = h.input("x", {4, 5, 6}, xv);
    int f = h.input("f", {4, 5, 6}, fv);
    int c = h.constant({6}, cv);
    int s = h.constant({}, std::vector<float>{2.f});
    int pre = h.op("mul", {{"a", x}, {"b", f}});           // not constant-fed: starts the chain
    int a1 = h.op("add", {{"a", pre}, {"b", c}});
    int a2 = h.op("tanh", {{"input", a1}});
    int a3 = h.op("sub", {{"a", s}, {"b", a2}});             // running value on the right
    int a4 = h.op("max", {{"a", a3}, {"b", f}});             // a full-shape side
    int a5 = h.op("leakyRelu", {{"input", a4}}, attrs({{"alpha", 0.2}}));
    std::string plan;
    // variant 1 also outputs a2, which splits the chain.
    auto got = variant == 0 ? h.run({a5}, &plan) : h.run({a5, a2}, &plan);
    results[variant] = got[0];
    INFO(plan);
    if (variant == 0) {
      CHECK(contains(plan, "steps: 1\n"));
      CHECK(contains(plan, "elementwise-chains: mul#0 + add#1 + tanh#2 + sub#3 + max#4 + leakyRelu#5"));
    } else {
      CHECK(contains(plan, "steps: 2\n"));
    }
  }
  std::vector<float> want(xv.size());
  for (size_t i = 0; i < xv.size(); ++i) {
    float v = std::tanh(xv[i] * fv[i] + cv[i % 6]);
    v = std::max(2.f - v, fv[i]);
    want[i] = v < 0 ? 0.2f * v : v;
  }
  requireClose(results[0], want, 1e-5f, 1e-5f);
  requireClose(results[1], want, 1e-5f, 1e-5f);
}

// add(pow(x, 2), pow(relu(x), 2)): the chain pow#0 + add reads the second pow, computed after its
// head, so its step must run after that pow's (found by onnxruntime-web's audio front-end; issue #13).
TEST_CASE("compiler: an element-wise chain never reads a value computed after its head", "[perf][compiler]") {
  auto xv = randomFloats(40, 11);
  GraphHarness h;
  int x = h.input("x", {40}, xv);
  int two = h.constant({}, std::vector<float>{2.f});
  int p1 = h.op("pow", {{"a", x}, {"b", two}});
  int r = h.op("relu", {{"input", x}});
  int p2 = h.op("pow", {{"a", r}, {"b", two}});
  int sum = h.op("add", {{"a", p1}, {"b", p2}});
  std::string plan;
  auto got = h.run({sum}, &plan);
  INFO(plan);
  size_t chain = plan.find(": pow+add"), side = plan.find(": relu+pow");
  REQUIRE(chain != std::string::npos);
  REQUIRE(side != std::string::npos);
  CHECK(side < chain);  // steps are listed in the order they run
  std::vector<float> want(xv.size());
  for (size_t i = 0; i < xv.size(); ++i) want[i] = xv[i] * xv[i] + std::max(xv[i], 0.f) * std::max(xv[i], 0.f);
  requireClose(got[0], want, 1e-6f, 1e-6f);
}

TEST_CASE("compiler: 100 chained adds run as one step", "[perf][compiler]") {
  GraphHarness h;
  auto xv = randomFloats(16, 10);
  int x = h.input("x", {1, 16}, xv);
  std::vector<std::vector<float>> consts;
  int y = x;
  for (int i = 0; i < 100; ++i) {
    consts.push_back(randomFloats(16, 100 + i));
    y = h.op("add", {{"a", y}, {"b", h.constant({16}, consts.back())}});
  }
  std::string plan;
  auto got = h.run({y}, &plan);
  CHECK(contains(plan, "steps: 1\n"));
  std::vector<float> want = xv;
  for (auto& c : consts)
    for (size_t i = 0; i < 16; ++i) want[i] += c[i];
  requireClose(got[0], want, 1e-4f, 1e-5f);
}
