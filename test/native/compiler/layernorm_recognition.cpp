// Pass "layernorm-recognition" (src/compiler/layernorm_recognition.h): layer normalization written
// out as TF.js's tf.layers and ONNX exporters write it becomes one layerNormalization step; near
// misses stay as written. Every result is checked against layer normalization in double.
#include <catch2/catch.hpp>

#include <cmath>

#include "compiler_graphs.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

namespace {

enum class Form { Tfjs, Onnx };
enum class Miss { None, MeanIsOutput, EpsilonVaries, GammaPerRow, OtherVarianceAxes, SquaresOfX };

struct LayerNormCase {
  uint32_t B = 2, T = 5, D = 24;
  Form form = Form::Tfjs;
  bool tiles = false;  // TF.js's tf.layers tiles the moments, gamma and beta to x's shape
  bool paramInputs = false;  // gamma and beta are graph inputs (TF.js's whole-model graphs), not constants
  bool residual = false;     // ONNX form without gamma and beta, then + x (not a bias: stays an add)
  Miss miss = Miss::None;
  std::vector<std::string> disabled;
};

// x [B, T, D] normalized over its last axis with gamma and beta [D] (tf.layers: [1, 1, D], and the
// normalization reads x as [1, B, T, D], as TF.js's batchNorm does); epsilon 1e-3.
PlanRun runLayerNorm(const LayerNormCase& p) {
  Rng rng(7);
  GraphHarness h(1);
  CompileOptions options;
  options.disabledPasses = p.disabled;
  REQUIRE(h.context.setCompileOptions(options));
  const uint32_t B = p.B, T = p.T, D = p.D;
  std::vector<float> xData = randomVector(B * T * D, rng), gamma = randomVector(D, rng), beta = randomVector(D, rng);
  for (size_t i = 0; i < xData.size(); ++i) xData[i] = 3.f * xData[i] + float(i % 7);  // rows off zero
  std::vector<float> rowGamma = randomVector(T * D, rng);                             // Miss::GammaPerRow
  const float eps = 1e-3f;
  int x = h.input("x", {B, T, D}, xData);
  auto mean = [&](int v, std::vector<double> axes) {
    return h.op("reduceMean", {{"input", v}}, attrs({{"axes", axes}, {"keepDimensions", true}}));
  };
  int m = mean(x, {2});
  int d = h.op("sub", {{"a", x}, {"b", m}});
  const int base = p.miss == Miss::SquaresOfX ? x : d;  // SquaresOfX: the mean of x^2, not the variance
  int sq = p.form == Form::Onnx ? h.op("pow", {{"a", base}, {"b", h.constant<float>({}, {2.f})}})
                                : h.op("mul", {{"a", base}, {"b", base}});
  // OtherVarianceAxes: the variance over [1, 2] broadcast back, where the mean was over [2].
  int v = p.miss == Miss::OtherVarianceAxes ? mean(sq, {1, 2}) : mean(sq, {2});
  int epsilon = p.miss == Miss::EpsilonVaries ? h.constant<float>({B, T, 1}, std::vector<float>(B * T, eps))
                                              : h.constant<float>({}, {eps});
  if (p.miss == Miss::EpsilonVaries) {  // one row's epsilon differs
    std::vector<float> e(B * T, eps);
    e[1] = 2 * eps;
    epsilon = h.constant<float>({B, T, 1}, e);
  }
  int s = h.op("sqrt", {{"input", h.op("add", {{"a", v}, {"b", epsilon}})}});
  int y;
  if (p.form == Form::Onnx) {
    y = h.op("div", {{"a", d}, {"b", s}});
    if (p.residual) {
      y = h.op("add", {{"a", y}, {"b", x}});
    } else {
      y = h.op("mul", {{"a", y}, {"b", h.constant<float>({D}, gamma)}});
      y = h.op("add", {{"a", y}, {"b", h.constant<float>({D}, beta)}});
    }
  } else {
    int x4 = h.op("reshape", {{"input", x}}, attrs({{"newShape", nums({1, double(B), double(T), double(D)})}}));
    int g = p.miss == Miss::GammaPerRow ? h.constant<float>({1, T, D}, rowGamma)
            : p.paramInputs             ? h.input("gamma", {1, 1, D}, gamma)
                                        : h.constant<float>({1, 1, D}, gamma);
    int b = p.paramInputs ? h.input("beta", {1, 1, D}, beta) : h.constant<float>({1, 1, D}, beta), mean = m;
    if (p.tiles) {  // (the variance's tile goes before its epsilon: rebuilt here in that order)
      auto tile = [&](int v, std::vector<double> reps) { return h.op("tile", {{"input", v}}, attrs({{"repetitions", reps}})); };
      mean = tile(m, {1, 1, double(D)});
      g = tile(g, {double(B), p.miss == Miss::GammaPerRow ? 1 : double(T), 1});
      b = tile(b, {double(B), double(T), 1});
      s = h.op("sqrt", {{"input", h.op("add", {{"a", tile(v, {1, 1, double(D)})}, {"b", epsilon}})}});
    }
    y = h.op("mul", {{"a", h.op("sub", {{"a", x4}, {"b", mean}})}, {"b", g}});
    y = h.op("div", {{"a", y}, {"b", s}});
    y = h.op("add", {{"a", b}, {"b", y}});
  }
  std::vector<int> outputs{y};
  if (p.miss == Miss::MeanIsOutput) outputs.push_back(m);
  PlanRun r;
  r.y = h.run(outputs, &r.plan)[0];
  // Against the decomposition in double.
  std::vector<float> want(r.y.size());
  std::vector<double> rowVar(B * T);
  for (size_t row = 0; row < B * T; ++row) {
    double mu = 0, var = 0;
    for (size_t k = 0; k < D; ++k) mu += xData[row * D + k];
    mu /= D;
    for (size_t k = 0; k < D; ++k) var += std::pow(xData[row * D + k] - (p.miss == Miss::SquaresOfX ? 0 : mu), 2);
    rowVar[row] = var / D;
    for (size_t k = 0; k < D; ++k) {
      const double gk = p.residual ? 1 : p.miss == Miss::GammaPerRow ? rowGamma[(row % T) * D + k] : gamma[k];
      want[row * D + k] = float((xData[row * D + k] - mu) * gk);
    }
  }
  if (p.miss == Miss::OtherVarianceAxes) {  // one variance per image, over its rows' deviations
    for (size_t b = 0; b < B; ++b) {
      double total = 0;
      for (size_t t = 0; t < T; ++t) total += rowVar[b * T + t];
      for (size_t t = 0; t < T; ++t) rowVar[b * T + t] = total / T;
    }
  }
  for (size_t row = 0; row < B * T; ++row) {
    const double e = p.miss == Miss::EpsilonVaries && row == 1 ? 2 * eps : eps;
    for (size_t k = 0; k < D; ++k)
      want[row * D + k] = float(want[row * D + k] / std::sqrt(rowVar[row] + e) + (p.residual ? xData[row * D + k] : beta[k]));
  }
  requireClose(r.y, want, 2e-5f, 2e-5f);
  return r;
}

}  // namespace

TEST_CASE("layernorm-recognition: TF.js's tf.layers.layerNormalization is one layerNormalization step",
          "[compiler][layernorm-recognition]") {
  PlanRun fused = runLayerNorm({});
  INFO(fused.plan);
  CHECK(contains(fused.plan, "layernorm-recognition: reduceMean#0 sub#1 mul#2 reduceMean#3 add#4 sqrt#5 sub#7 mul#8 "
                             "div#9 add#10 -> layerNormalization#10"));
  CHECK(contains(fused.plan, "steps: 1\n  0: layerNormalization\n"));
  LayerNormCase off;
  off.disabled = {"layernorm-recognition"};
  PlanRun asWritten = runLayerNorm(off);
  CHECK_FALSE(contains(asWritten.plan, "layernorm-recognition"));
  requireClose(fused.y, asWritten.y, 2e-5f, 2e-5f);
}

TEST_CASE("layernorm-recognition: with the tiles TF.js's tf.layers writes (shape-sinking, broadcast-folding first)",
          "[compiler][layernorm-recognition]") {
  LayerNormCase c;
  c.tiles = true;
  PlanRun fused = runLayerNorm(c);
  INFO(fused.plan);
  CHECK(contains(fused.plan, "layernorm-recognition:"));
  CHECK(contains(fused.plan, "steps: 1\n  0: layerNormalization\n"));
  c.paramInputs = true;  // gamma and beta reshaped to [D] by steps of their own
  PlanRun inputs = runLayerNorm(c);
  INFO(inputs.plan);
  CHECK(contains(inputs.plan, "layernorm-recognition:"));
  CHECK(contains(inputs.plan, "0: layerNormalization\n"));
  c.paramInputs = false;
  c.miss = Miss::GammaPerRow;
  PlanRun perRow = runLayerNorm(c);
  INFO(perRow.plan);
  CHECK_FALSE(contains(perRow.plan, "layernorm-recognition"));
}

TEST_CASE("layernorm-recognition: the ONNX exporters' form (pow, div, then scale and bias)",
          "[compiler][layernorm-recognition]") {
  LayerNormCase c;
  c.form = Form::Onnx;
  PlanRun fused = runLayerNorm(c);
  INFO(fused.plan);
  CHECK(contains(fused.plan, "layernorm-recognition: reduceMean#0 sub#1 pow#2 reduceMean#3 add#4 sqrt#5 div#6 mul#7 add#8"));
  CHECK(contains(fused.plan, "steps: 1\n  0: layerNormalization\n"));
  c.B = 1, c.T = 1, c.D = 1000;  // one long row
  runLayerNorm(c);
  // Without gamma and beta, then a residual add: the layer normalization ends at the division.
  LayerNormCase r;
  r.form = Form::Onnx;
  r.residual = true;
  PlanRun residual = runLayerNorm(r);
  INFO(residual.plan);
  CHECK(contains(residual.plan, "layernorm-recognition: reduceMean#0 sub#1 pow#2 reduceMean#3 add#4 sqrt#5 div#6 -> layerNormalization#6"));
  CHECK(contains(residual.plan, "steps: 2\n  0: layerNormalization\n  1: add\n"));
}

TEST_CASE("layernorm-recognition: near misses stay as written", "[compiler][layernorm-recognition]") {
  for (Miss miss : {Miss::MeanIsOutput, Miss::EpsilonVaries, Miss::GammaPerRow, Miss::OtherVarianceAxes,
                    Miss::SquaresOfX}) {
    for (Form form : {Form::Tfjs, Form::Onnx}) {
      if (miss == Miss::GammaPerRow && form == Form::Onnx) continue;
      LayerNormCase c;
      c.form = form;
      c.miss = miss;
      PlanRun r = runLayerNorm(c);  // (its results checked against the ops as written)
      INFO("miss " << int(miss) << " form " << int(form) << "\n" << r.plan);
      CHECK_FALSE(contains(r.plan, "layernorm-recognition"));
    }
  }
}
