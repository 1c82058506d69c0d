// averagePool2d, maxPool2d, l2Pool2d through the C++ API: every option against a naive reference,
// validation errors, and a cost that follows the valid taps rather than the window size.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "harness.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

TEST_CASE("pooling: every option against a naive reference", "[pool]") {
  struct Case { const char* op; bool nhwc; std::vector<double> window, pad, stride, dil; std::string rounding; };
  std::vector<Case> cases = {
      {"averagePool2d", false, {3, 3}, {1, 1, 1, 1}, {1, 1}, {1, 1}, "floor"},
      {"maxPool2d", true, {2, 2}, {0, 0, 0, 0}, {2, 2}, {1, 1}, "floor"},
      {"maxPool2d", false, {3, 2}, {0, 1, 2, 0}, {2, 1}, {1, 2}, "ceil"},
      {"averagePool2d", true, {2, 3}, {1, 0, 0, 1}, {2, 2}, {2, 1}, "ceil"},
      {"l2Pool2d", false, {2, 2}, {0, 0, 0, 0}, {1, 1}, {1, 1}, "floor"},
      {"averagePool2d", false, {}, {0, 0, 0, 0}, {1, 1}, {1, 1}, "floor"},  // global
  };
  for (const Case& c : cases) {
    size_t N = 2, C = 3, H = 7, W = 6;
    Shape nchw{uint32_t(N), uint32_t(C), uint32_t(H), uint32_t(W)};
    auto xv = randomFloats(count(nchw), 3);
    Shape nhwcShape;
    auto xin = c.nhwc ? permute(xv, nchw, {0, 2, 3, 1}, &nhwcShape) : xv;
    GraphHarness h(2);
    int x = h.input("x", c.nhwc ? nhwcShape : nchw, xin);
    Attributes at;
    if (!c.window.empty()) at.set("windowDimensions", c.window);
    at.set("padding", c.pad);
    at.set("strides", c.stride);
    at.set("dilations", c.dil);
    at.set("outputShapeRounding", c.rounding);
    at.set("layout", std::string(c.nhwc ? "nhwc" : "nchw"));
    int y = h.op(c.op, {{"input", x}}, at);
    Shape ys = h.builder.operandDesc(y)->shape;
    auto got = h.run({y})[0];
    size_t KH = c.window.empty() ? H : size_t(c.window[0]), KW = c.window.empty() ? W : size_t(c.window[1]);
    size_t OH = c.nhwc ? ys[1] : ys[2], OW = c.nhwc ? ys[2] : ys[3];
    auto span = [&](size_t in, size_t k, size_t pb, size_t pe, size_t s, size_t d) {
      long sp = long(in + pb + pe) - long((k - 1) * d + 1);
      return size_t(c.rounding == "ceil" ? (sp + long(s) - 1) / long(s) + 1 : sp / long(s) + 1);
    };
    REQUIRE(OH == span(H, KH, size_t(c.pad[0]), size_t(c.pad[1]), size_t(c.stride[0]), size_t(c.dil[0])));
    REQUIRE(OW == span(W, KW, size_t(c.pad[2]), size_t(c.pad[3]), size_t(c.stride[1]), size_t(c.dil[1])));
    std::vector<float> want(N * C * OH * OW);
    for (size_t n = 0; n < N; ++n)
      for (size_t ch = 0; ch < C; ++ch)
        for (size_t oh = 0; oh < OH; ++oh)
          for (size_t ow = 0; ow < OW; ++ow) {
            double acc = std::string(c.op) == "maxPool2d" ? -INFINITY : 0;
            size_t cnt = 0;
            for (size_t kh = 0; kh < KH; ++kh)
              for (size_t kw = 0; kw < KW; ++kw) {
                long ih = long(oh * size_t(c.stride[0]) + kh * size_t(c.dil[0])) - long(c.pad[0]);
                long iw = long(ow * size_t(c.stride[1]) + kw * size_t(c.dil[1])) - long(c.pad[2]);
                if (ih < 0 || iw < 0 || ih >= long(H) || iw >= long(W)) continue;
                float v = xv[((n * C + ch) * H + ih) * W + iw];
                ++cnt;
                if (std::string(c.op) == "maxPool2d") acc = std::max<double>(acc, v);
                else if (std::string(c.op) == "l2Pool2d") acc += double(v) * v;
                else acc += v;
              }
            if (std::string(c.op) == "averagePool2d") acc /= cnt;
            if (std::string(c.op) == "l2Pool2d") acc = std::sqrt(acc);
            want[((n * C + ch) * OH + oh) * OW + ow] = float(acc);
          }
    Shape outNchw{uint32_t(N), uint32_t(C), uint32_t(OH), uint32_t(OW)}, tmp;
    INFO(c.op << (c.nhwc ? " nhwc" : " nchw"));
    requireClose(got, c.nhwc ? permute(want, outNchw, {0, 2, 3, 1}, &tmp) : want);
  }
}

TEST_CASE("pool validation names the op and label", "[pool][errors]") {
  GraphHarness h;
  int x = h.input("x", {1, 2, 4, 4}, {});
  h.expectTypeError("maxPool2d", {{"input", x}}, attrs({{"windowDimensions", nums({5, 5})}}));
  h.expectTypeError("averagePool2d", {{"input", x}}, attrs({{"strides", nums({0, 1})}}));
  h.expectTypeError("averagePool2d", {{"input", x}}, attrs({{"outputSizes", nums({9, 9})}, {"windowDimensions", nums({2, 2})}}));
  int x3 = h.input("x3", {2, 4, 4}, {});
  h.expectTypeError("maxPool2d", {{"input", x3}});
}

TEST_CASE("pooling cost follows the valid taps, not the window size", "[pool][fuzz]") {
  // A 2^20 x 2^20 window centred on a 2x2 input (stride 1): every output sees the whole input.
  GraphHarness h(1);
  int x = h.input("x", {1, 1, 2, 2}, {1, 2, 3, 4});
  Attributes a;
  a.set("windowDimensions", std::vector<double>{1 << 20, 1 << 20});
  a.set("padding", std::vector<double>{1 << 19, 1 << 19, 1 << 19, 1 << 19});
  int avg = h.op("averagePool2d", {{"input", x}}, a);
  int mx = h.op("maxPool2d", {{"input", x}}, a);
  REQUIRE(h.builder.operandDesc(avg)->shape == Shape{1, 1, 3, 3});
  auto t0 = std::chrono::steady_clock::now();
  auto out = h.run({avg, mx});
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  CHECK(ms < 1000);
  for (float v : out[0]) CHECK(v == 2.5f);
  for (float v : out[1]) CHECK(v == 4.f);
}
