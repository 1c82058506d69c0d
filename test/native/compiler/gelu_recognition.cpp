// Passes "gelu-recognition" (src/compiler/gelu_recognition.h) and "shape-sinking"
// (src/compiler/shape_sinking.h) on the dense layer with gelu that TF.js's tf.layers writes for 3-D
// input: matmul on [B*T, D], a reshape to [B, T, F], add(bias [1, 1, F]), then gelu written out as
// x * (0.5 * (1 + erf(x / sqrt 2))). Recognised and sunk, it is one step (the GEMM with bias and gelu
// in its output stage) with the same bits as the ops as written; the ONNX exporters' orders too.
#include <catch2/catch.hpp>

#include <cmath>

#include "compiler_graphs.h"
#include "kernels/activation.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

namespace {

enum class GeluForm { TfjsLayers, OnnxExport, PythonOrder };

// gelu(h) in `form`, built from div, erf, add and mul; h is read twice.
int geluOps(GraphHarness& h, int x, GeluForm form) {
  auto scalar = [&](float v) { return h.constant<float>({}, {v}); };
  int e = h.op("erf", {{"input", h.op("div", {{"a", x}, {"b", scalar(float(M_SQRT2))}})}});
  int a = h.op("add", {{"a", scalar(1.f)}, {"b", e}});
  switch (form) {
    case GeluForm::TfjsLayers: return h.op("mul", {{"a", x}, {"b", h.op("mul", {{"a", scalar(0.5f)}, {"b", a}})}});
    case GeluForm::OnnxExport: return h.op("mul", {{"a", h.op("mul", {{"a", x}, {"b", a}})}, {"b", scalar(0.5f)}});
    case GeluForm::PythonOrder: return h.op("mul", {{"a", h.op("mul", {{"a", x}, {"b", scalar(0.5f)}})}, {"b", a}});
  }
  return -1;
}

struct DenseGelu {
  uint32_t B = 2, T = 5, D = 24, F = 40;
  GeluForm form = GeluForm::TfjsLayers;
  bool erfAlsoOutput = false;  // an intermediate that is a graph output keeps the ops as written
  std::vector<std::string> disabled;
};

PlanRun runDenseGelu(const DenseGelu& p, std::vector<float>* erfOut = nullptr) {
  Rng rng(11);
  GraphHarness h(1);
  CompileOptions options;
  options.disabledPasses = p.disabled;
  REQUIRE(h.context.setCompileOptions(options));
  std::vector<float> xData = randomVector(p.B * p.T * p.D, rng), w = randomVector(p.D * p.F, rng),
                     bias = randomVector(p.F, rng);
  for (float& v : xData) v *= 2.f;  // pre-activations over [-5, 5]: every erf interval
  int x = h.input("x", {p.B * p.T, p.D}, xData);
  int y = h.op("matmul", {{"a", x}, {"b", h.constant({p.D, p.F}, w)}});
  y = h.op("reshape", {{"input", y}}, attrs({{"newShape", nums({double(p.B), double(p.T), double(p.F)})}}));
  y = h.op("add", {{"a", y}, {"b", h.constant({1, 1, p.F}, bias)}});
  // The FFN's second dense layer reads the gelu (a gelu that is a graph output keeps its reshape:
  // the reshape would otherwise become a copy into the output tensor).
  const uint32_t G = 3;
  const std::vector<float> w2 = randomVector(p.F * G, rng);
  std::vector<int> outputs{h.op("matmul", {{"a", geluOps(h, y, p.form)}, {"b", h.constant({p.F, G}, w2)}})};
  if (p.erfAlsoOutput) outputs.push_back(h.op("erf", {{"input", y}}));  // another reader of y: still fine
  PlanRun r;
  auto results = h.run(outputs, &r.plan);
  r.y = results[0];
  if (erfOut && results.size() > 1) *erfOut = results[1];
  // Against the layers in double.
  std::vector<float> want(r.y.size());
  for (size_t row = 0; row < p.B * p.T; ++row) {
    std::vector<double> hidden(p.F);
    for (size_t f = 0; f < p.F; ++f) {
      double acc = bias[f];
      for (size_t k = 0; k < p.D; ++k) acc += double(xData[row * p.D + k]) * w[k * p.F + f];
      hidden[f] = 0.5 * acc * (1.0 + std::erf(acc / std::sqrt(2.0)));
    }
    for (size_t j = 0; j < G; ++j) {
      double acc = 0;
      for (size_t f = 0; f < p.F; ++f) acc += hidden[f] * w2[f * G + j];
      want[row * G + j] = float(acc);
    }
  }
  requireClose(r.y, want, 1e-4f, 1e-4f);
  return r;
}

}  // namespace

TEST_CASE("gelu-recognition + shape-sinking: TF.js's dense layer with gelu on 3-D input is one GEMM step",
          "[compiler][gelu-recognition][shape-sinking]") {
  DenseGelu p;
  PlanRun fused = runDenseGelu(p);
  INFO(fused.plan);
  // nodes: matmul#0, reshape#1, add#2, div#3, erf#4, add#5, mul#6, mul#7, matmul#8
  CHECK(contains(fused.plan, "gelu-recognition: div#3 erf#4 add#5 mul#6 mul#7 -> gelu#7"));
  CHECK(contains(fused.plan, "shape-sinking: reshape#1 below add#2"));
  CHECK(contains(fused.plan, "shape-sinking: reshape#2 below gelu#7"));
  CHECK(contains(fused.plan, "steps: 2\n"));
  CHECK(contains(fused.plan, "0: matmul+add+gelu"));

  p.disabled = {"gelu-recognition"};
  PlanRun written = runDenseGelu(p);
  INFO(written.plan);
  CHECK(contains(written.plan, "erf"));
  CHECK(fused.y == written.y);  // gelu computes the decomposition's operations in its order

  p.disabled = {"gelu-recognition", "shape-sinking", "fusion", "elementwise-chains"};
  PlanRun plain = runDenseGelu(p);  // (against double only: the GEMM adds a fused bias first)
  CHECK(contains(plain.plan, "steps: 8\n"));  // matmul, add, div, erf, add, mul, mul, matmul (the reshape a view)
}

TEST_CASE("gelu-recognition: the ONNX exporters' orders of the multiplications",
          "[compiler][gelu-recognition]") {
  for (GeluForm form : {GeluForm::OnnxExport, GeluForm::PythonOrder}) {
    DenseGelu p;
    p.form = form;
    PlanRun fused = runDenseGelu(p);
    INFO(fused.plan);
    CHECK(contains(fused.plan, "-> gelu#"));
    CHECK(contains(fused.plan, "steps: 2\n"));
    p.disabled = {"gelu-recognition"};
    PlanRun written = runDenseGelu(p);
    CHECK(fused.y == written.y);  // inputs far from the edges where 0.5 * x or x * a would round
  }
}

TEST_CASE("gelu-recognition: an intermediate another op reads or a graph output keeps the ops as written",
          "[compiler][gelu-recognition]") {
  DenseGelu p;
  p.erfAlsoOutput = true;  // the gelu's x has a second reader: x itself may be shared
  std::vector<float> erfY;
  PlanRun r = runDenseGelu(p, &erfY);
  INFO(r.plan);
  CHECK(contains(r.plan, "-> gelu#"));
  CHECK(contains(r.plan, "shape-sinking: reshape#1 below add#2"));
  CHECK_FALSE(contains(r.plan, "below gelu"));  // two readers: the reshape stays above them
  REQUIRE(erfY.size() == p.B * p.T * p.F);
  for (float v : erfY) CHECK(std::fabs(v) <= 1.f);

  // The erf's output is also a graph output: not a gelu.
  GraphHarness h(1);
  const std::vector<float> xs{-3, -1, -0.5f, 0, 0.25f, 1, 2, 4};
  int x = h.input("x", {8}, xs);
  int e = h.op("erf", {{"input", h.op("div", {{"a", x}, {"b", h.constant<float>({}, {float(M_SQRT2)})}})}});
  int a = h.op("add", {{"a", e}, {"b", h.constant<float>({}, {1.f})}});
  int y = h.op("mul", {{"a", x}, {"b", h.op("mul", {{"a", a}, {"b", h.constant<float>({}, {0.5f})}})}});
  std::string plan;
  auto out = h.run({y, e}, &plan);
  INFO(plan);
  CHECK_FALSE(contains(plan, "gelu-recognition"));
  for (size_t i = 0; i < xs.size(); ++i) {
    CHECK(out[0][i] == Approx(0.5 * xs[i] * (1 + std::erf(xs[i] / M_SQRT2))).margin(1e-6));
    CHECK(out[1][i] == Approx(std::erf(xs[i] / M_SQRT2)).margin(1e-6));
  }
}

TEST_CASE("gelu-recognition: a divisor other than float(sqrt 2) is not gelu", "[compiler][gelu-recognition]") {
  GraphHarness h(1);
  const std::vector<float> xs{-3, -1, -0.5f, 0, 0.25f, 1, 2, 4};
  int x = h.input("x", {8}, xs);
  int e = h.op("erf", {{"input", h.op("div", {{"a", x}, {"b", h.constant<float>({}, {1.4142f})}})}});
  int a = h.op("add", {{"a", e}, {"b", h.constant<float>({}, {1.f})}});
  int y = h.op("mul", {{"a", x}, {"b", h.op("mul", {{"a", a}, {"b", h.constant<float>({}, {0.5f})}})}});
  std::string plan;
  auto out = h.run({y}, &plan);
  INFO(plan);
  CHECK_FALSE(contains(plan, "gelu-recognition"));
  for (size_t i = 0; i < xs.size(); ++i)
    CHECK(out[0][i] == Approx(0.5 * xs[i] * (1 + std::erf(xs[i] / 1.4142))).margin(1e-6));
}
