// conv2d through the C++ API: every input and filter layout, groups, strides, dilations, padding and
// bias against a naive NCHW/OIHW loop, validation errors, and (where Eigen's headers are found) an
// Eigen product over an im2col written from the spec's definition.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "harness.h"
#include "nd_reference.h"
#if __has_include(<Eigen/Dense>)
#include "eigen_oracle.h"
#endif

using namespace webnn;
using namespace webnn::test;

namespace {

// Naive NCHW/OIHW conv2d.
std::vector<float> refConv(const std::vector<float>& x, Shape xs, const std::vector<float>& w, Shape ws,
                           const std::vector<float>* bias, std::vector<size_t> pad, std::vector<size_t> stride,
                           std::vector<size_t> dil, size_t groups, Shape* outShape) {
  size_t N = xs[0], C = xs[1], H = xs[2], W = xs[3], O = ws[0], CI = ws[1], KH = ws[2], KW = ws[3];
  size_t OH = (H + pad[0] + pad[1] - ((KH - 1) * dil[0] + 1)) / stride[0] + 1;
  size_t OW = (W + pad[2] + pad[3] - ((KW - 1) * dil[1] + 1)) / stride[1] + 1;
  *outShape = {uint32_t(N), uint32_t(O), uint32_t(OH), uint32_t(OW)};
  std::vector<float> y(N * O * OH * OW);
  size_t og = O / groups;
  for (size_t n = 0; n < N; ++n)
    for (size_t o = 0; o < O; ++o)
      for (size_t oh = 0; oh < OH; ++oh)
        for (size_t ow = 0; ow < OW; ++ow) {
          double acc = bias ? (*bias)[o] : 0.0;
          size_t g = o / og;
          for (size_t ci = 0; ci < CI; ++ci)
            for (size_t kh = 0; kh < KH; ++kh)
              for (size_t kw = 0; kw < KW; ++kw) {
                long ih = long(oh * stride[0] + kh * dil[0]) - long(pad[0]);
                long iw = long(ow * stride[1] + kw * dil[1]) - long(pad[2]);
                if (ih < 0 || iw < 0 || ih >= long(H) || iw >= long(W)) continue;
                acc += double(x[((n * C + g * CI + ci) * H + ih) * W + iw]) * w[((o * CI + ci) * KH + kh) * KW + kw];
              }
          y[((n * O + o) * OH + oh) * OW + ow] = float(acc);
        }
  return y;
}

}  // namespace

TEST_CASE("conv2d: every layout, groups, strides, dilations, padding and bias", "[conv2d]") {
  struct Case { Shape x; Shape w; size_t groups; std::vector<size_t> pad, stride, dil; bool bias; };
  std::vector<Case> cases = {
      {{1, 3, 7, 7}, {4, 3, 3, 3}, 1, {1, 1, 1, 1}, {1, 1}, {1, 1}, true},
      {{2, 4, 9, 8}, {6, 2, 3, 2}, 2, {0, 2, 1, 0}, {2, 1}, {1, 2}, false},
      {{1, 5, 6, 6}, {5, 1, 3, 3}, 5, {1, 1, 1, 1}, {1, 1}, {1, 1}, true},   // depthwise
      {{1, 3, 6, 6}, {6, 1, 3, 3}, 3, {1, 1, 1, 1}, {2, 2}, {1, 1}, true},   // depthwise, multiplier 2
      {{1, 8, 5, 5}, {3, 8, 1, 1}, 1, {0, 0, 0, 0}, {1, 1}, {1, 1}, true},   // 1x1
  };
  for (const Case& c : cases) {
    auto xv = randomFloats(count(c.x), 11), wv = randomFloats(count(c.w), 12), bv = randomFloats(c.w[0], 13);
    Shape ys;
    auto want = refConv(xv, c.x, wv, c.w, c.bias ? &bv : nullptr, c.pad, c.stride, c.dil, c.groups, &ys);
    struct Layout { const char* name; std::vector<size_t> perm; };  // OIHW → layout
    for (Layout fl : {Layout{"oihw", {0, 1, 2, 3}}, Layout{"hwio", {2, 3, 1, 0}}, Layout{"ohwi", {0, 2, 3, 1}},
                      Layout{"ihwo", {1, 2, 3, 0}}}) {
      for (bool nhwc : {false, true}) {
        GraphHarness h(2);
        Shape xs, ws;
        auto xin = nhwc ? permute(xv, c.x, {0, 2, 3, 1}, &xs) : xv;
        if (!nhwc) xs = c.x;
        auto win = permute(wv, c.w, fl.perm, &ws);
        int x = h.input("x", xs, xin);
        int w = h.constant(ws, win);
        std::vector<std::pair<std::string, int>> ins{{"input", x}, {"filter", w}};
        if (c.bias) ins.push_back({"bias", h.constant({uint32_t(c.w[0])}, bv)});
        Attributes at;
        at.set("padding", std::vector<double>(c.pad.begin(), c.pad.end()));
        at.set("strides", std::vector<double>(c.stride.begin(), c.stride.end()));
        at.set("dilations", std::vector<double>(c.dil.begin(), c.dil.end()));
        at.set("groups", double(c.groups));
        at.set("inputLayout", std::string(nhwc ? "nhwc" : "nchw"));
        at.set("filterLayout", std::string(fl.name));
        int y = h.op("conv2d", ins, at);
        auto got = h.run({y})[0];
        Shape tmp;
        INFO(fl.name << (nhwc ? " nhwc" : " nchw") << " groups " << c.groups);
        requireClose(got, nhwc ? permute(want, ys, {0, 2, 3, 1}, &tmp) : want, 1e-4f, 1e-4f);
      }
    }
  }
}

TEST_CASE("conv2d validation", "[conv2d][errors]") {
  GraphHarness h;
  int x = h.input("x", {1, 4, 5, 5}, {});
  int w = h.constant({2, 3, 3, 3}, std::vector<float>(54));
  h.expectTypeError("conv2d", {{"input", x}, {"filter", w}});  // 4 input channels vs 3
  int w2 = h.constant({2, 4, 7, 7}, std::vector<float>(392));
  h.expectTypeError("conv2d", {{"input", x}, {"filter", w2}});  // filter larger than the input
  int w3 = h.constant({2, 4, 3, 3}, std::vector<float>(72));
  int b = h.constant({3}, std::vector<float>(3));
  h.expectTypeError("conv2d", {{"input", x}, {"filter", w3}, {"bias", b}});
  h.expectTypeError("conv2d", {{"input", x}, {"filter", w3}}, attrs({{"filterLayout", std::string("xyzw")}}));
  h.expectTypeError("conv2d", {{"input", x}, {"filter", w3}}, attrs({{"groups", 3.0}}));
}

#if __has_include(<Eigen/Dense>)
TEST_CASE("conv2d (layouts, groups, depthwise, strides, dilations, padding) matches Eigen over an im2col", "[eigen][conv2d]") {
  struct Conv {
    uint32_t N, C, H, W, O, KH, KW, groups;
    std::vector<double> padding, strides, dilations;
    std::string inputLayout, filterLayout;
    bool constantFilter, withBias;
  };
  const Conv cases[] = {
      {1, 3, 7, 8, 5, 3, 3, 1, {1, 1, 1, 1}, {1, 1}, {1, 1}, "nchw", "oihw", true, true},
      {2, 4, 9, 6, 6, 3, 2, 2, {0, 2, 1, 0}, {2, 1}, {1, 2}, "nhwc", "hwio", true, false},
      {1, 8, 10, 10, 8, 3, 3, 8, {1, 1, 1, 1}, {1, 1}, {1, 1}, "nhwc", "ihwo", true, true},      // depthwise
      {1, 6, 11, 9, 12, 5, 3, 6, {2, 2, 0, 1}, {2, 3}, {2, 1}, "nchw", "oihw", false, true},    // depthwise x2
      {1, 16, 5, 5, 17, 1, 1, 1, {0, 0, 0, 0}, {1, 1}, {1, 1}, "nhwc", "ohwi", true, true},     // 1x1 GEMM path
      {2, 6, 8, 7, 9, 3, 3, 3, {1, 0, 0, 1}, {1, 2}, {2, 2}, "nchw", "hwio", false, false},
      {1, 33, 6, 6, 20, 2, 2, 1, {0, 1, 0, 1}, {1, 1}, {3, 3}, "nhwc", "oihw", false, true},
  };
  Rng rng(99);
  for (const Conv& t : cases) {
    const bool nhwc = t.inputLayout == "nhwc";
    const uint32_t ICg = t.C / t.groups, OCg = t.O / t.groups;
    const size_t pt = size_t(t.padding[0]), pb = size_t(t.padding[1]), pl = size_t(t.padding[2]), pr = size_t(t.padding[3]);
    const size_t sh = size_t(t.strides[0]), sw = size_t(t.strides[1]), dh = size_t(t.dilations[0]), dw = size_t(t.dilations[1]);
    const size_t OH = (t.H + pt + pb - (t.KH - 1) * dh - 1) / sh + 1, OW = (t.W + pl + pr - (t.KW - 1) * dw - 1) / sw + 1;
    std::vector<float> x = randomVector(size_t(t.N) * t.C * t.H * t.W, rng);
    std::vector<float> w = randomVector(size_t(t.O) * ICg * t.KH * t.KW, rng), bias = randomVector(t.O, rng);
    // Element accessors in the tensors' own layouts.
    auto X = [&](size_t n, size_t c, size_t h, size_t ww) {
      return double(nhwc ? x[((n * t.H + h) * t.W + ww) * t.C + c] : x[((n * t.C + c) * t.H + h) * t.W + ww]);
    };
    Shape filterShape;
    auto Widx = [&](size_t o, size_t i, size_t kh, size_t kw) -> size_t {
      const std::string& l = t.filterLayout;
      if (l == "oihw") return ((o * ICg + i) * t.KH + kh) * t.KW + kw;
      if (l == "hwio") return ((kh * t.KW + kw) * ICg + i) * t.O + o;
      if (l == "ohwi") return ((o * t.KH + kh) * t.KW + kw) * ICg + i;
      return ((i * t.KH + kh) * t.KW + kw) * t.O + o;  // ihwo
    };
    if (t.filterLayout == "oihw") filterShape = {t.O, ICg, t.KH, t.KW};
    else if (t.filterLayout == "hwio") filterShape = {t.KH, t.KW, ICg, t.O};
    else if (t.filterLayout == "ohwi") filterShape = {t.O, t.KH, t.KW, ICg};
    else filterShape = {ICg, t.KH, t.KW, t.O};
    Shape inShape = nhwc ? Shape{t.N, t.H, t.W, t.C} : Shape{t.N, t.C, t.H, t.W};
    std::vector<OpInput> in{{"input", makeTensor(DataType::Float32, inShape, x)},
                            {"filter", makeTensor(DataType::Float32, filterShape, w), t.constantFilter}};
    if (t.withBias) in.push_back({"bias", makeTensor(DataType::Float32, {t.O}, bias), t.constantFilter});
    RunResult r = runOp("conv2d", in,
                        attrs({{"padding", t.padding}, {"strides", t.strides}, {"dilations", t.dilations}, {"groups", double(t.groups)},
                               {"inputLayout", t.inputLayout}, {"filterLayout", t.filterLayout}}));
    REQUIRE(r.status.isOk());
    const float* got = reinterpret_cast<const float*>(r.outputs[0].bytes.data());
    const size_t K = size_t(ICg) * t.KH * t.KW;
    size_t bad = 0;
    for (size_t n = 0; n < t.N; ++n)
      for (size_t g = 0; g < t.groups; ++g) {
        // im2col: one row per output pixel, one column per (input channel of the group, kh, kw); zeros in the padding.
        MatD patches = MatD::Zero(OH * OW, K), filter(K, OCg);
        for (size_t oh = 0; oh < OH; ++oh)
          for (size_t ow = 0; ow < OW; ++ow)
            for (size_t i = 0; i < ICg; ++i)
              for (size_t kh = 0; kh < t.KH; ++kh)
                for (size_t kw = 0; kw < t.KW; ++kw) {
                  const long ih = long(oh * sh + kh * dh) - long(pt), iw = long(ow * sw + kw * dw) - long(pl);
                  if (ih >= 0 && ih < long(t.H) && iw >= 0 && iw < long(t.W))
                    patches(oh * OW + ow, (i * t.KH + kh) * t.KW + kw) = X(n, g * ICg + i, size_t(ih), size_t(iw));
                }
        for (size_t o = 0; o < OCg; ++o)
          for (size_t i = 0; i < ICg; ++i)
            for (size_t kh = 0; kh < t.KH; ++kh)
              for (size_t kw = 0; kw < t.KW; ++kw) filter((i * t.KH + kh) * t.KW + kw, o) = w[Widx(g * OCg + o, i, kh, kw)];
        MatD want = patches * filter, mag = patches.cwiseAbs() * filter.cwiseAbs();
        for (size_t p = 0; p < OH * OW; ++p)
          for (size_t o = 0; o < OCg; ++o) {
            const size_t oc = g * OCg + o, oh = p / OW, ow = p % OW;
            const double b = t.withBias ? bias[oc] : 0.0;
            const double expect = want(p, o) + b, tol = bound(K, mag(p, o) + std::fabs(b));
            const double v = nhwc ? got[((n * OH + oh) * OW + ow) * t.O + oc] : got[((n * t.O + oc) * OH + oh) * OW + ow];
            if (!(std::fabs(v - expect) <= tol)) {
              if (bad == 0) UNSCOPED_INFO("first mismatch n=" << n << " oc=" << oc << " oh=" << oh << " ow=" << ow << ": " << v << " want " << expect);
              ++bad;
            }
          }
      }
    INFO("conv2d " << t.inputLayout << "/" << t.filterLayout << " C=" << t.C << " O=" << t.O << " groups=" << t.groups
                   << " k=" << t.KH << "x" << t.KW << " constantFilter=" << t.constantFilter);
    CHECK(r.outputs[0].desc.shape == (nhwc ? Shape{t.N, uint32_t(OH), uint32_t(OW), t.O} : Shape{t.N, t.O, uint32_t(OH), uint32_t(OW)}));
    CHECK(bad == 0);
  }
}

#endif  // __has_include(<Eigen/Dense>)
