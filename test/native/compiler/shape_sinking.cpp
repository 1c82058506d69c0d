// Pass "shape-sinking" (src/compiler/shape_sinking.h): a reshape, expand or broadcasting tile moves
// below the element-wise ops it commutes with; and element-wise chains run through reshapes (views
// of the same elements). Same bits with the pass on and off; what it must not move stays.
#include <catch2/catch.hpp>

#include <cmath>

#include "compiler_graphs.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

namespace {

CompileOptions without(std::vector<std::string> passes) {
  CompileOptions o;
  o.disabledPasses = std::move(passes);
  return o;
}

}  // namespace

TEST_CASE("shape-sinking: a broadcast runs after the scalar and unary ops on its input, then folds",
          "[compiler][shape-sinking]") {
  Rng rng(3);
  std::vector<float> vData = randomVector(3, rng), xData = randomVector(3 * 8, rng);
  for (float& v : vData) v = 0.5f + std::fabs(v);
  auto run = [&](const CompileOptions& options, std::string* plan) {
    GraphHarness h(1);
    REQUIRE(h.context.setCompileOptions(options));
    int v = h.input("v", {3, 1}, vData);
    int x = h.input("x", {3, 8}, xData);
    int e = h.op("expand", {{"input", v}}, attrs({{"newShape", nums({3, 8})}}));
    int s = h.op("sqrt", {{"input", e}});
    s = h.op("mul", {{"a", s}, {"b", h.constant<float>({}, {2.f})}});
    return h.run({h.op("add", {{"a", s}, {"b", x}})}, plan)[0];
  };
  std::string plan, plainPlan;
  std::vector<float> y = run(CompileOptions(), &plan), plain = run(without({"shape-sinking"}), &plainPlan);
  INFO(plan);
  // nodes: expand#0, sqrt#1, mul#2, add#3
  CHECK(contains(plan, "shape-sinking: expand#0 below sqrt#1"));
  CHECK(contains(plan, "shape-sinking: expand#1 below mul#2"));
  CHECK(contains(plan, "broadcast-folding: expand#2 into add#3 (a)"));  // v's column read by the add
  CHECK(contains(plainPlan, "expand"));
  CHECK(y == plain);
  for (size_t i = 0; i < y.size(); ++i) CHECK(y[i] == Approx(2 * std::sqrt(double(vData[i / 8])) + xData[i]).epsilon(1e-6));
}

TEST_CASE("elementwise-chains: a chain runs through a reshape", "[compiler][shape-sinking][elementwise-chains]") {
  Rng rng(4);
  std::vector<float> aData = randomVector(4 * 6, rng), cData = randomVector(6, rng), sData = randomVector(2 * 12, rng);
  auto run = [&](const CompileOptions& options, std::string* plan) {
    GraphHarness h(1);
    REQUIRE(h.context.setCompileOptions(options));
    int a = h.input("a", {4, 6}, aData);
    int s = h.input("s", {2, 12}, sData);
    int y = h.op("add", {{"a", a}, {"b", h.constant({6}, cData)}});
    y = h.op("reshape", {{"input", y}}, attrs({{"newShape", nums({2, 12})}}));
    y = h.op("mul", {{"a", y}, {"b", s}});  // a full side of the reshaped shape: the reshape stays
    return h.run({h.op("sigmoid", {{"input", y}})}, plan)[0];
  };
  std::string plan, plainPlan;
  std::vector<float> y = run(CompileOptions(), &plan), plain = run(without({"elementwise-chains"}), &plainPlan);
  INFO(plan);
  CHECK_FALSE(contains(plan, "shape-sinking"));
  CHECK(contains(plan, "elementwise-chains: add#0 + reshape#1 + mul#2 + sigmoid#3 (3 ops, one pass)"));
  CHECK(contains(plan, "steps: 1\n"));
  CHECK(y == plain);
  for (size_t i = 0; i < y.size(); ++i)
    CHECK(y[i] == Approx(1 / (1 + std::exp(-(double(aData[i]) + cData[i % 6]) * sData[i]))).epsilon(1e-5));
}

TEST_CASE("shape-sinking: what does not commute, or is needed first, stays", "[compiler][shape-sinking]") {
  Rng rng(6);
  const std::vector<float> xData = randomVector(4 * 6, rng), cData = randomVector(4, rng), wData = randomVector(5, rng);
  GraphHarness h(1);
  int x = h.input("x", {4, 6}, xData);
  // A row along a last dim that the reshape changes (6 -> 4): element i meets c[i % 4] only after it.
  int y1 = h.op("add", {{"a", h.op("reshape", {{"input", x}}, attrs({{"newShape", nums({6, 4})}}))}, {"b", h.constant({4}, cData)}});
  // A single value computed after the reshape: the add cannot move above its producer.
  int r = h.op("reshape", {{"input", x}}, attrs({{"newShape", nums({2, 12})}}));
  int w = h.input("w", {5}, wData);
  int sum = h.op("reduceSum", {{"input", w}});
  int y2 = h.op("add", {{"a", r}, {"b", sum}});
  // An activation whose output is a graph output: moving the reshape below it would copy.
  int y3 = h.op("relu", {{"input", h.op("reshape", {{"input", x}}, attrs({{"newShape", nums({24})}}))}});
  std::string plan;
  auto out = h.run({y1, y2, y3}, &plan);
  INFO(plan);
  CHECK_FALSE(contains(plan, "shape-sinking"));
  double total = 0;
  for (float v : wData) total += v;
  for (size_t i = 0; i < 24; ++i) {
    CHECK(out[0][i] == Approx(double(xData[i]) + cData[i % 4]).epsilon(1e-6));
    CHECK(out[1][i] == Approx(double(xData[i]) + total).epsilon(1e-5));
    CHECK(out[2][i] == std::max(xData[i], 0.f));
  }
}
