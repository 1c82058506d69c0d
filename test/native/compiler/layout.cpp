// The NCHW layout pass (src/compiler/layout.h): consecutive NCHW conv/pool keep NHWC between them,
// with the same result as when every intermediate is an output.
#include <catch2/catch.hpp>

#include "compiler_graphs.h"
#include "harness.h"

using namespace webnn;
using namespace webnn::test;

TEST_CASE("compiler: consecutive NCHW conv/pool keep NHWC between them", "[perf][compiler][conv2d]") {
  auto xv = randomFloats(1 * 3 * 9 * 9, 15), w1 = randomFloats(5 * 3 * 3 * 3, 16), w2 = randomFloats(4 * 5 * 3 * 3, 17);
  auto b1 = randomFloats(5, 18);
  std::vector<float> results[2];
  for (int variant = 0; variant < 2; ++variant) {
    GraphHarness h(variant + 1);
    int x = h.input("x", {1, 3, 9, 9}, xv);
    Attributes pad = attrs({{"padding", std::vector<double>{1, 1, 1, 1}}});
    int c1 = h.op("conv2d", {{"input", x}, {"filter", h.constant({5, 3, 3, 3}, w1)}, {"bias", h.constant({5}, b1)}}, pad);
    int r1 = h.op("relu", {{"input", c1}});
    int p = h.op("maxPool2d", {{"input", r1}}, attrs({{"windowDimensions", std::vector<double>{2, 2}},
                                                       {"strides", std::vector<double>{2, 2}}}));
    int c2 = h.op("conv2d", {{"input", p}, {"filter", h.constant({4, 5, 3, 3}, w2)}}, pad);
    std::string plan;
    // variant 1 outputs every intermediate: no conversion can be skipped.
    auto got = variant == 0 ? h.run({c2}, &plan) : h.run({c2, r1, p}, &plan);
    INFO(plan);
    CHECK(contains(plan, "nchw-layout") == (variant == 0));
    if (variant == 0) {
      CHECK(contains(plan, "nchw-layout: conv2d#0 -> maxPool2d#2"));
      CHECK(contains(plan, "nchw-layout: maxPool2d#2 -> conv2d#3"));
    }
    results[variant] = got[0];
  }
  requireClose(results[0], results[1], 1e-5f, 1e-4f);
}
