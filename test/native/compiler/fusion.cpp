// Op fusion (src/compiler/fusion.h): conv2d + add + relu into one step with the same result, and not
// past an observed value; a scalar added to conv2d is not a per-channel bias.
#include <catch2/catch.hpp>

#include <string>

#include "harness.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

TEST_CASE("conv2d + add + relu fuse into one step with the same result", "[conv2d][fusion]") {
  auto xv = randomFloats(1 * 6 * 6 * 3, 21), wv = randomFloats(4 * 3 * 3 * 3, 22), bv = randomFloats(4, 23);
  std::vector<float> results[2];
  for (int variant = 0; variant < 2; ++variant) {
    GraphHarness h;
    int x = h.input("x", {1, 6, 6, 3}, xv);
    int w = h.constant({4, 3, 3, 3}, wv);
    int conv = h.op("conv2d", {{"input", x}, {"filter", w}},
                    attrs({{"inputLayout", std::string("nhwc")}, {"filterLayout", std::string("ohwi")}, {"padding", nums({1, 1, 1, 1})}}));
    int b = h.constant({4}, bv);
    int add = h.op("add", {{"a", conv}, {"b", b}});
    int relu = h.op("relu", {{"input", add}});
    std::string plan;
    // variant 1 also outputs the add, which must then stay observable (no fusion past it).
    auto got = variant == 0 ? h.run({relu}, &plan) : h.run({relu, add}, &plan);
    results[variant] = got[0];
    if (variant == 0) {
      CHECK(plan.find("conv2d+add+relu") != std::string::npos);
      CHECK(plan.find("steps: 1") != std::string::npos);
    } else {
      CHECK(plan.find("conv2d+add+relu") == std::string::npos);
    }
  }
  requireClose(results[0], results[1]);
  for (float v : results[0]) CHECK(v >= 0.f);
}

// Found by the differential fuzzer (seed 1395): fusion took add(conv2d, scalar constant) for a
// per-channel bias and read `channels` floats from the one-float constant.
TEST_CASE("fusion: a scalar added to conv2d is not a per-channel bias", "[compiler]") {
  for (const char* layout : {"nhwc", "nchw"}) {
    INFO(layout);
    GraphHarness h;
    bool nhwc = std::string(layout) == "nhwc";
    int x = h.input("x", nhwc ? Shape{1, 2, 2, 1} : Shape{1, 1, 2, 2}, {1, 2, 3, 4});
    int w = h.constant<float>({3, 1, 1, 1}, {1, 10, 100});  // oihw = ohwi for 1x1: O=3 copies of x, scaled
    Attributes a;
    a.set("inputLayout", std::string(layout));
    a.set("filterLayout", std::string("ohwi"));
    int conv = h.op("conv2d", {{"input", x}, {"filter", w}}, a);
    int half = h.constant<float>(nhwc ? Shape{} : Shape{1, 1}, {0.5f});
    int y = h.op("add", {{"a", conv}, {"b", half}});
    std::vector<float> want;
    if (nhwc) {
      for (float v : {1.f, 2.f, 3.f, 4.f})
        for (float s : {1.f, 10.f, 100.f}) want.push_back(v * s + 0.5f);
    } else {
      for (float s : {1.f, 10.f, 100.f})
        for (float v : {1.f, 2.f, 3.f, 4.f}) want.push_back(v * s + 0.5f);
    }
    CHECK(h.run({y})[0] == want);
  }
}
