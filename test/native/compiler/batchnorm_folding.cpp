// Pass "batchnorm-folding" (src/compiler/batchnorm_folding.h): conv2d -> batchNormalization with
// constant parameters becomes one conv2d with a scaled filter and a new bias, and the fusion pass then
// folds relu -> clamp (TF.js's Keras ReLU(maxValue)) into it as one clamp. Folded plans agree with
// the unfolded ones on every filter and input layout, depthwise too, and with a float64 reference;
// what must not fold stays as it was.
#include <catch2/catch.hpp>

#include <cmath>

#include "compiler_graphs.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

namespace {

enum class Tail { None, Relu, ReluClamp6, ReluClampApart };
enum class Variant { Fold, AxisNotChannels, MeanComputed, ConvAlsoOutput };

struct Case {
  std::string inputLayout, filterLayout;
  bool depthwise, convBias, bnScale, bnBias;
  Tail tail = Tail::None;
  Variant variant = Variant::Fold;
};

using Run = PlanRun;

// x [1, C, 5, 6] (or NHWC), 3x3 filter, padding 1, O = 4 (depthwise: O = C = 4, groups 4), then
// batchNormalization over the output channels, then the tail.
Run runCase(const Case& c, bool disableFolding, size_t threads = 1) {
  Rng rng(7);
  GraphHarness h(threads);
  CompileOptions options;
  if (disableFolding) options.disabledPasses = {"batchnorm-folding"};
  REQUIRE(h.context.setCompileOptions(options));
  const uint32_t C = 4, H = 5, W = 6, O = 4, I = c.depthwise ? 1 : C;
  const bool nhwc = c.inputLayout == "nhwc";
  int x = h.input("x", nhwc ? Shape{1, H, W, C} : Shape{1, C, H, W}, randomVector(C * H * W, rng));
  Shape filterShape;
  for (char d : c.filterLayout) filterShape.push_back(d == 'o' ? O : d == 'i' ? I : 3);
  int filter = h.constant(filterShape, randomVector(O * I * 9, rng));
  std::vector<std::pair<std::string, int>> convInputs{{"input", x}, {"filter", filter}};
  if (c.convBias) convInputs.push_back({"bias", h.constant({O}, randomVector(O, rng))});
  int conv = h.op("conv2d", convInputs,
                  attrs({{"inputLayout", c.inputLayout}, {"filterLayout", c.filterLayout}, {"padding", nums({1, 1, 1, 1})},
                         {"groups", c.depthwise ? double(C) : 1.0}}));
  std::vector<float> mean = randomVector(O, rng), variance = randomVector(O, rng);
  for (float& v : variance) v = 0.2f + std::fabs(v);
  int meanId = c.variant == Variant::MeanComputed ? h.op("relu", {{"input", h.input("m", {O}, mean)}}) : h.constant({O}, mean);
  std::vector<std::pair<std::string, int>> bnInputs{{"input", conv}, {"mean", meanId}, {"variance", h.constant({O}, variance)}};
  if (c.bnScale) bnInputs.push_back({"scale", h.constant({O}, randomVector(O, rng))});
  if (c.bnBias) bnInputs.push_back({"bias", h.constant({O}, randomVector(O, rng))});
  int y = -1;
  if (c.variant == Variant::AxisNotChannels) {  // over the rows (H = 5 of them), not the channels
    std::vector<float> rowMean = randomVector(H, rng), rowVariance(H, 0.5f);
    y = h.op("batchNormalization", {{"input", conv}, {"mean", h.constant({H}, rowMean)}, {"variance", h.constant({H}, rowVariance)}},
             attrs({{"axis", nhwc ? 1.0 : 2.0}, {"epsilon", 1e-3}}));
  } else {
    y = h.op("batchNormalization", bnInputs, attrs({{"axis", nhwc ? 3.0 : 1.0}, {"epsilon", 1e-3}}));
  }
  if (c.tail != Tail::None) y = h.op("relu", {{"input", y}});
  if (c.tail == Tail::ReluClamp6) y = h.op("clamp", {{"input", y}}, attrs({{"minValue", 0.0}, {"maxValue", 0.5}}));
  if (c.tail == Tail::ReluClampApart) y = h.op("clamp", {{"input", y}}, attrs({{"minValue", -2.0}, {"maxValue", -1.0}}));
  std::vector<int> outputs{y};
  if (c.variant == Variant::ConvAlsoOutput) outputs.push_back(conv);
  Run r;
  r.y = h.run(outputs, &r.plan)[0];
  return r;
}

void checkClose(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  size_t bad = 0;
  for (size_t i = 0; i < a.size(); ++i)
    if (!(std::fabs(a[i] - b[i]) <= 1e-5 * (1 + std::fabs(b[i])))) ++bad;
  CHECK(bad == 0);
}

}  // namespace

TEST_CASE("batchnorm-folding: conv2d + batchNormalization folds on every layout and agrees with the unfolded plan",
          "[compiler][batchnorm-folding]") {
  for (const std::string inputLayout : {"nchw", "nhwc"})
    for (const std::string filterLayout : {"oihw", "hwio", "ohwi", "ihwo"})
      for (bool depthwise : {false, true})
        for (int params = 0; params < 4; ++params) {
          Case c{inputLayout, filterLayout, depthwise, params == 1 || params == 3, params >= 2, params != 1};
          INFO(inputLayout << " " << filterLayout << (depthwise ? " depthwise" : "") << " params " << params);
          Run folded = runCase(c, false), plain = runCase(c, true);
          INFO(folded.plan);
          CHECK(contains(folded.plan, "batchnorm-folding: batchNormalization#1 into conv2d#0"));
          CHECK(contains(folded.plan, "steps: 1\n"));
          CHECK_FALSE(contains(plain.plan, "batchnorm-folding"));
          checkClose(folded.y, plain.y);
        }
}

TEST_CASE("batchnorm-folding: against a float64 reference (nchw, oihw), then relu -> clamp fused as one clamp",
          "[compiler][batchnorm-folding]") {
  for (Tail tail : {Tail::None, Tail::Relu, Tail::ReluClamp6})
    for (size_t threads : {1, 2}) {
      Case c{"nchw", "oihw", false, true, true, true, tail};
      Run folded = runCase(c, false, threads);
      INFO(folded.plan);
      CHECK(contains(folded.plan, "steps: 1\n"));
      if (tail == Tail::ReluClamp6) CHECK(contains(folded.plan, "conv2d+relu+clamp"));
      // The same seeded data as runCase draws.
      Rng rng(7);
      const size_t C = 4, H = 5, W = 6, O = 4;
      std::vector<float> x = randomVector(C * H * W, rng), w = randomVector(O * C * 9, rng), b = randomVector(O, rng);
      std::vector<float> mean = randomVector(O, rng), variance = randomVector(O, rng);
      for (float& v : variance) v = 0.2f + std::fabs(v);
      std::vector<float> scale = randomVector(O, rng), bnBias = randomVector(O, rng);
      REQUIRE(folded.y.size() == O * H * W);
      size_t bad = 0;
      for (size_t o = 0; o < O; ++o)
        for (size_t i = 0; i < H; ++i)
          for (size_t j = 0; j < W; ++j) {
            double s = b[o], mag = std::fabs(b[o]);
            for (size_t ci = 0; ci < C; ++ci)
              for (size_t ki = 0; ki < 3; ++ki)
                for (size_t kj = 0; kj < 3; ++kj) {
                  long ii = long(i + ki) - 1, jj = long(j + kj) - 1;
                  if (ii < 0 || jj < 0 || ii >= long(H) || jj >= long(W)) continue;
                  double t = double(x[(ci * H + size_t(ii)) * W + size_t(jj)]) * w[((o * C + ci) * 3 + ki) * 3 + kj];
                  s += t;
                  mag += std::fabs(t);
                }
            double g = scale[o] / std::sqrt(double(variance[o]) + 1e-3);
            double want = (s - mean[o]) * g + bnBias[o];
            if (tail != Tail::None) want = std::max(want, 0.0);
            if (tail == Tail::ReluClamp6) want = std::min(want, 0.5);
            double got = folded.y[(o * H + i) * W + j];
            // A few ulp of every term the folded conv2d adds (its terms are the scaled ones).
            double tol = 64 * 1.2e-7 * (std::fabs(g) * (mag + std::fabs(mean[o])) + std::fabs(bnBias[o])) + 1e-7;
            if (!(std::fabs(got - want) <= tol)) ++bad;
          }
      CHECK(bad == 0);
    }
}

TEST_CASE("batchnorm-folding: leaves alone what it must not fold", "[compiler][batchnorm-folding]") {
  for (Variant v : {Variant::AxisNotChannels, Variant::MeanComputed, Variant::ConvAlsoOutput}) {
    Case c{"nchw", "oihw", false, true, true, true, Tail::None, v};
    Run folded = runCase(c, false), plain = runCase(c, true);
    INFO(int(v) << "\n" << folded.plan);
    CHECK_FALSE(contains(folded.plan, "batchnorm-folding"));
    REQUIRE(folded.y.size() == plain.y.size());
    CHECK(folded.y == plain.y);
  }
}

TEST_CASE("fusion: relu then a clamp whose range does not meet relu's stays two activations", "[compiler][fusion]") {
  Case c{"nhwc", "ohwi", false, true, false, true, Tail::ReluClampApart};
  Run folded = runCase(c, false), plain = runCase(c, true);
  INFO(folded.plan);
  CHECK(contains(folded.plan, "conv2d+relu"));
  CHECK_FALSE(contains(folded.plan, "conv2d+relu+clamp"));
  for (float v : folded.y) CHECK(v == -1.f);  // clamp(relu(y), -2, -1) is -1 everywhere
  checkClose(folded.y, plain.y);
}
