// Memory aliasing (src/compiler/memory_aliasing.h): reshape is a view unless it must be a copy, and an
// element-wise chain runs in place only over bytes nothing else reads (not a view of an input, a
// constant or its own running value).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "compiler_graphs.h"
#include "harness.h"

using namespace webnn;
using namespace webnn::test;

TEST_CASE("compiler: reshape is a view unless it must be a copy", "[perf][compiler]") {
  auto xv = randomFloats(2 * 3 * 4, 11);
  SECTION("views of intermediates, inputs and constants") {
    GraphHarness h;
    int x = h.input("x", {2, 3, 4}, xv);
    int c = h.constant({2, 3, 4}, xv);
    int r0 = h.op("reshape", {{"input", x}}, attrs({{"newShape", std::vector<double>{6, 4}}}));  // views the input
    int rc = h.op("reshape", {{"input", c}}, attrs({{"newShape", std::vector<double>{6, 4}}}));  // views a constant
    int t = h.op("transpose", {{"input", r0}});                                                 // [4, 6]
    int r1 = h.op("reshape", {{"input", t}}, attrs({{"newShape", std::vector<double>{24}}}));   // views an intermediate
    int r2 = h.op("reshape", {{"input", r1}}, attrs({{"newShape", std::vector<double>{4, 6}}}));
    int y = h.op("transpose", {{"input", r2}});                                                 // back to [6, 4]
    int z = h.op("mul", {{"a", y}, {"b", rc}});                                                 // x * x
    std::string plan;
    auto got = h.run({z, r2}, &plan);  // r2 is also an output: that reshape stays a copy
    INFO(plan);
    CHECK(contains(plan, "view, step removed"));
    size_t reshapeSteps = 0;
    for (size_t at = 0; (at = plan.find(": reshape\n", at)) != std::string::npos; ++at) ++reshapeSteps;
    CHECK(reshapeSteps == 1);  // only the one writing a graph output copies
    std::vector<float> want(xv.size());
    for (size_t i = 0; i < xv.size(); ++i) want[i] = xv[i] * xv[i];
    requireClose(got[0], want);
    std::vector<float> tr(24);
    for (size_t i = 0; i < 6; ++i)
      for (size_t j = 0; j < 4; ++j) tr[j * 6 + i] = xv[i * 4 + j];
    requireClose(got[1], tr);
  }
}

TEST_CASE("compiler: an element-wise chain on a view of an input or constant never runs in place", "[perf][compiler]") {
  auto xv = randomFloats(24, 19), cv = randomFloats(24, 20);
  GraphHarness h;
  int x = h.input("x", {2, 12}, xv);
  int c = h.constant({2, 12}, cv);
  int rx = h.op("reshape", {{"input", x}}, attrs({{"newShape", std::vector<double>{4, 6}}}));
  int rc = h.op("reshape", {{"input", c}}, attrs({{"newShape", std::vector<double>{4, 6}}}));
  int a = h.op("relu", {{"input", h.op("add", {{"a", rx}, {"b", h.constant({}, std::vector<float>{1.f})}})}});
  int b = h.op("relu", {{"input", h.op("sigmoid", {{"input", rc}})}});
  std::string plan;
  auto got = h.run({a, b}, &plan);
  INFO(plan);
  CHECK(!contains(plan, "in place"));
  std::vector<float> wa(24), wb(24);
  for (size_t i = 0; i < 24; ++i) {
    wa[i] = std::max(xv[i] + 1.f, 0.f);
    wb[i] = 1.f / (1.f + std::exp(-cv[i]));
  }
  requireClose(got[0], wa);
  requireClose(got[1], wb, 1e-6f, 1e-5f);
  requireClose(h.inputData[0], xv, 0.f, 0.f);  // the bound input is untouched
}

// Found by the differential fuzzer (seed 778566): an element-wise chain written in place over its
// running value while a side operand was a view (reshape) of that value; the chain kernel reads a
// tile's sides after writing the tile, so it added tanh(t) instead of t.
TEST_CASE("memory-aliasing: no in-place chain when a side operand views the running value", "[compiler]") {
  GraphHarness h;
  int x = h.input("x", {2, 3}, {1, 2, 3, 4, 5, 6});
  Attributes perm;
  perm.set("permutation", std::vector<double>{1, 0});
  int t = h.op("transpose", {{"input", x}}, perm);  // [[1,4],[2,5],[3,6]], an arena intermediate
  int u = h.op("tanh", {{"input", t}});
  Attributes shape;
  shape.set("newShape", std::vector<double>{3, 2});
  int view = h.op("reshape", {{"input", t}}, shape);
  int y = h.op("add", {{"a", u}, {"b", view}});  // in the arena too: a transpose reads it
  int back = h.op("transpose", {{"input", y}}, perm);
  std::string plan;
  std::vector<float> got = h.run({back}, &plan)[0];
  INFO(plan);
  std::vector<float> want;
  for (float v : {1.f, 2.f, 3.f, 4.f, 5.f, 6.f}) want.push_back(std::tanh(v) + v);
  webnn::test::requireClose(got, want, 1e-6f, 1e-6f);
  CHECK(plan.find("elementwise-chains: tanh") != std::string::npos);  // still fused, just not in place
}
