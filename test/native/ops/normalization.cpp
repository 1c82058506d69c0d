// batchNormalization, instanceNormalization, layerNormalization against double-precision references.
#include <cmath>

#include "harness.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

namespace {

// Normalizes x over the coordinates that share the non-`axes` dims; p(c) picks the scale/bias index.
std::vector<float> refNormalize(const Shape& s, const std::vector<float>& x, const std::vector<size_t>& axes,
                                double eps, const std::vector<float>* scale, const std::vector<float>* bias,
                                const std::function<size_t(const std::vector<size_t>&)>& p) {
  std::vector<bool> isAxis(s.size(), false);
  for (size_t a : axes) isAxis[a] = true;
  auto key = [&](const std::vector<size_t>& c) {
    std::vector<size_t> k = c;
    for (size_t d = 0; d < s.size(); ++d)
      if (isAxis[d]) k[d] = 0;
    return linearIndex(s, k);
  };
  size_t n = count(s);
  std::vector<double> sum(n, 0), sq(n, 0), cnt(n, 0);
  forEachCoord(s, [&](const std::vector<size_t>& c) {
    sum[key(c)] += x[linearIndex(s, c)];
    cnt[key(c)] += 1;
  });
  forEachCoord(s, [&](const std::vector<size_t>& c) {
    double d = x[linearIndex(s, c)] - sum[key(c)] / cnt[key(c)];
    sq[key(c)] += d * d;
  });
  std::vector<float> y(n);
  forEachCoord(s, [&](const std::vector<size_t>& c) {
    size_t k = key(c), i = linearIndex(s, c);
    double v = (x[i] - sum[k] / cnt[k]) / std::sqrt(sq[k] / cnt[k] + eps);
    if (scale) v *= (*scale)[p(c)];
    if (bias) v += (*bias)[p(c)];
    y[i] = float(v);
  });
  return y;
}

}  // namespace

TEST_CASE("batchNormalization: axes, optional scale/bias, constant (folded) and input statistics", "[normalization]") {
  struct Case {
    Shape s;
    size_t axis;
  };
  for (Case c : {Case{{2, 3, 4, 5}, 1}, Case{{2, 4, 3}, 2}, Case{{6}, 0}, Case{{3, 2, 2, 2, 2}, 0}})
    for (int variant = 0; variant < 4; ++variant) {
      bool withScale = variant & 1, withBias = variant & 2;
      for (bool constantStats : {true, false}) {
        size_t C = c.s[c.axis];
        auto x = randomFloats(count(c.s), 1, -3, 3);
        auto mean = randomFloats(C, 2), var = randomFloats(C, 3, 0.1f, 2.f), scale = randomFloats(C, 4),
             bias = randomFloats(C, 5);
        GraphHarness h;
        int in = h.input("x", c.s, x);
        std::vector<std::pair<std::string, int>> ins{{"input", in}};
        auto param = [&](const char* name, const std::vector<float>& v) {
          ins.push_back({name, constantStats ? h.constant({uint32_t(C)}, v) : h.input(name, {uint32_t(C)}, v)});
        };
        param("mean", mean);
        param("variance", var);
        if (withScale) param("scale", scale);
        if (withBias) param("bias", bias);
        double eps = variant == 3 ? 1e-3 : 1e-5;
        Attributes a = attrs({{"axis", double(c.axis)}});
        if (variant == 3) a.set("epsilon", eps);
        int y = h.op("batchNormalization", ins, a);
        std::vector<float> want(x.size());
        forEachCoord(c.s, [&](const std::vector<size_t>& co) {
          size_t i = linearIndex(c.s, co), ch = co[c.axis];
          double v = (x[i] - mean[ch]) / std::sqrt(double(var[ch]) + eps);
          if (withScale) v *= scale[ch];
          if (withBias) v += bias[ch];
          want[i] = float(v);
        });
        requireClose(h.run({y})[0], want, 1e-5f, 1e-5f);
      }
    }
  GraphHarness h;
  int x = h.input("x", {2, 3}, std::vector<float>(6));
  int m3 = h.constant({3}, std::vector<float>(3));
  int m2 = h.constant({2}, std::vector<float>(2));
  int xi = h.input("xi", {2, 3}, std::vector<float>(6), DataType::Int32);
  h.expectTypeError("batchNormalization", {{"input", x}, {"mean", m2}, {"variance", m3}});
  h.expectTypeError("batchNormalization", {{"input", x}, {"mean", m3}, {"variance", m3}}, attrs({{"axis", 2.0}}));
  h.expectTypeError("batchNormalization", {{"input", x}, {"mean", m3}, {"variance", m3}, {"scale", m2}});
  h.expectTypeError("batchNormalization", {{"input", xi}, {"mean", m3}, {"variance", m3}});
}

TEST_CASE("instanceNormalization: nchw and nhwc, with and without scale/bias", "[normalization]") {
  for (std::string layout : {"nchw", "nhwc"})
    for (bool params : {false, true}) {
      Shape s = layout == "nchw" ? Shape{2, 3, 4, 5} : Shape{2, 4, 5, 3};
      size_t cAxis = layout == "nchw" ? 1 : 3;
      auto x = randomFloats(count(s), 11, -2, 5);
      auto scale = randomFloats(3, 12), bias = randomFloats(3, 13);
      GraphHarness h(2);
      int in = h.input("x", s, x);
      std::vector<std::pair<std::string, int>> ins{{"input", in}};
      if (params) {
        ins.push_back({"scale", h.constant({3}, scale)});
        ins.push_back({"bias", h.input("b", {3}, bias)});
      }
      int y = h.op("instanceNormalization", ins, attrs({{"layout", layout}, {"epsilon", 1e-4}}));
      std::vector<size_t> axes = layout == "nchw" ? std::vector<size_t>{2, 3} : std::vector<size_t>{1, 2};
      auto want = refNormalize(s, x, axes, 1e-4, params ? &scale : nullptr, params ? &bias : nullptr,
                               [&](const std::vector<size_t>& c) { return c[cAxis]; });
      INFO(layout);
      requireClose(h.run({y})[0], want, 2e-5f, 1e-5f);
    }
  GraphHarness h;
  int x3 = h.input("x3", {2, 3, 4}, std::vector<float>(24));
  int x = h.input("x", {1, 3, 2, 2}, std::vector<float>(12));
  int s4 = h.constant({4}, std::vector<float>(4));
  h.expectTypeError("instanceNormalization", {{"input", x3}});
  h.expectTypeError("instanceNormalization", {{"input", x}, {"scale", s4}});
  h.expectTypeError("instanceNormalization", {{"input", x}, {"bias", s4}}, attrs({{"layout", std::string("nhwc")}}));
}

// Groups of contiguous members (layerNormalization over trailing axes, NCHW instanceNormalization)
// take the SIMD128 path under Wasm: member counts that are not multiples of 4, many groups split over
// threads, values far from 0 (the variance is computed around the mean).
TEST_CASE("layer/instance normalization: contiguous groups, odd sizes, thread counts", "[normalization]") {
  struct Case {
    const char* op;
    Shape s;
    std::vector<size_t> axes;
  };
  for (const Case& c : {Case{"layerNormalization", {6, 7, 13}, {1, 2}}, Case{"layerNormalization", {64, 1, 768}, {1, 2}},
                        Case{"layerNormalization", {300, 3}, {1}}, Case{"instanceNormalization", {2, 5, 9, 11}, {2, 3}},
                        Case{"instanceNormalization", {3, 70, 4, 4}, {2, 3}}})
    for (size_t threads : {1, 2, 3})
      for (bool params : {false, true}) {
        bool layer = std::string(c.op) == "layerNormalization";
        auto x = randomFloats(count(c.s), uint32_t(31 + threads), 90, 110);
        Shape ps;
        if (layer) for (size_t a : c.axes) ps.push_back(c.s[a]);
        else ps.push_back(c.s[1]);
        auto scale = randomFloats(count(ps), 32), bias = randomFloats(count(ps), 33);
        GraphHarness h(threads);
        std::vector<std::pair<std::string, int>> ins{{"input", h.input("x", c.s, x)}};
        if (params) {
          ins.push_back({"scale", h.constant(ps, scale)});
          ins.push_back({"bias", h.constant(ps, bias)});
        }
        Attributes a;
        if (layer) a.set("axes", std::vector<double>(c.axes.begin(), c.axes.end()));
        int y = h.op(c.op, ins, a);
        auto want = refNormalize(c.s, x, c.axes, 1e-5, params ? &scale : nullptr, params ? &bias : nullptr,
                                 [&](const std::vector<size_t>& co) {
                                   if (!layer) return co[1];
                                   size_t p = 0;
                                   for (size_t ax : c.axes) p = p * c.s[ax] + co[ax];
                                   return p;
                                 });
        INFO(c.op << " " << shapeToString(c.s) << " threads " << threads << " params " << params);
        requireClose(h.run({y})[0], want, 2e-5f, 1e-5f);
      }
}

TEST_CASE("layerNormalization: default axes, explicit (unordered) axes, scalar input", "[normalization]") {
  Shape s{2, 3, 4};
  auto x = randomFloats(24, 21, -1, 4);
  struct Case {
    bool hasAxes;
    std::vector<size_t> axes;
  };
  for (Case c : {Case{false, {1, 2}}, Case{true, {2}}, Case{true, {0, 2}}, Case{true, {2, 0}}, Case{true, {}},
                 Case{true, {0, 1, 2}}})
    for (bool params : {false, true}) {
      Shape ps;
      for (size_t a : c.axes) ps.push_back(s[a]);
      auto scale = randomFloats(count(ps), 22), bias = randomFloats(count(ps), 23);
      GraphHarness h;
      int in = h.input("x", s, x);
      std::vector<std::pair<std::string, int>> ins{{"input", in}};
      if (params) {
        ins.push_back({"scale", h.constant(ps, scale)});
        ins.push_back({"bias", h.constant(ps, bias)});
      }
      Attributes a;
      if (c.hasAxes) a.set("axes", std::vector<double>(c.axes.begin(), c.axes.end()));
      int y = h.op("layerNormalization", ins, a);
      auto want = refNormalize(s, x, c.axes, 1e-5, params ? &scale : nullptr, params ? &bias : nullptr,
                               [&](const std::vector<size_t>& co) {
                                 size_t p = 0;
                                 for (size_t a : c.axes) p = p * s[a] + co[a];
                                 return p;
                               });
      requireClose(h.run({y})[0], want, 2e-5f, 1e-5f);
    }
  {
    GraphHarness h;
    int in = h.input("x", {}, {3.f});
    int y = h.op("layerNormalization", {{"input", in}, {"bias", h.constant({}, std::vector<float>{0.5f})}});
    CHECK(h.run({y})[0] == std::vector<float>{0.5f});
  }
  GraphHarness h;
  int in = h.input("x", s, x);
  h.expectTypeError("layerNormalization", {{"input", in}}, attrs({{"axes", nums({3})}}));
  h.expectTypeError("layerNormalization", {{"input", in}}, attrs({{"axes", nums({1, 1})}}));
  h.expectTypeError("layerNormalization", {{"input", in}, {"scale", h.constant({4, 3}, std::vector<float>(12))}});
  h.expectTypeError("layerNormalization", {{"input", in}, {"scale", h.constant({4}, std::vector<float>(4))}}, attrs({{"axes", nums({1})}}));
}
