// Pass "broadcast-folding" (src/compiler/broadcast_folding.h): an expand, or a tile of size-1 dims,
// read by element-wise binary ops that broadcast by themselves. TF.js's layer normalization:
// (x - tile(mean)) * tile(gamma) / sqrt(tile(variance) + eps) + tile(beta) over [B, T, D]. Folded,
// the mean, gamma and beta tiles go (the mean becomes the element-wise chain's column side, gamma
// and beta its rows); the variance's tile stays, since `add(tile(variance), eps)` would otherwise
// change shape. Same bits either way; an expand something else reads stays.
#include <catch2/catch.hpp>

#include "compiler_graphs.h"
#include "nd_reference.h"

#include <cmath>

using namespace webnn;
using namespace webnn::test;

namespace {

PlanRun runLayerNorm(bool disable, bool expandAlsoOutput) {
  Rng rng(5);
  GraphHarness h(1);
  CompileOptions options;
  if (disable) options.disabledPasses = {"broadcast-folding"};
  REQUIRE(h.context.setCompileOptions(options));
  const uint32_t B = 2, T = 5, D = 32;
  const std::vector<float> xData = randomVector(B * T * D, rng), meanData = randomVector(B * T, rng);
  int x = h.input("x", {B, T, D}, xData);
  int mean = h.input("mean", {B, T, 1}, meanData);
  std::vector<float> varianceData = randomVector(B * T, rng);
  for (float& v : varianceData) v = 0.5f + std::abs(v);
  int variance = h.input("variance", {B, T, 1}, varianceData);
  const std::vector<float> gammaData = randomVector(D, rng), betaData = randomVector(D, rng);
  int gamma = h.constant({D}, gammaData);
  int beta = h.constant({D}, betaData);
  auto tile = [&](int v, std::vector<double> reps) { return h.op("tile", {{"input", v}}, attrs({{"repetitions", reps}})); };
  int meanT = tile(mean, nums({1, 1, D}));
  int gammaE = h.op("expand", {{"input", gamma}}, attrs({{"newShape", nums({B, T, D})}}));
  int y = h.op("sub", {{"a", x}, {"b", meanT}});
  y = h.op("mul", {{"a", y}, {"b", gammaE}});
  int eps = h.constant({}, {1e-3f});
  int sd = h.op("sqrt", {{"input", h.op("add", {{"a", tile(variance, nums({1, 1, D}))}, {"b", eps}})}});
  y = h.op("div", {{"a", y}, {"b", sd}});
  y = h.op("add", {{"a", y}, {"b", tile(beta, nums({1}))}});  // a tile of one repetition: a copy
  PlanRun r;
  std::vector<int> outputs{y};
  if (expandAlsoOutput) outputs.push_back(meanT);
  r.y = h.run(outputs, &r.plan)[0];
  std::vector<float> want(B * T * D);  // the formula in double
  for (size_t i = 0; i < want.size(); ++i) {
    const size_t row = i / D, d = i % D;
    want[i] = float((double(xData[i]) - meanData[row]) * gammaData[d] / std::sqrt(double(varianceData[row]) + 1e-3) +
                    betaData[d]);
  }
  requireClose(r.y, want, 1e-5f, 1e-5f);
  return r;
}

}  // namespace

TEST_CASE("broadcast-folding: TF.js's layer normalization reads its mean and gamma through the chain's broadcast",
          "[compiler][broadcast-folding]") {
  PlanRun folded = runLayerNorm(false, false), plain = runLayerNorm(true, false);
  INFO(folded.plan);
  // nodes: tile#0 (mean), expand#1 (gamma), sub#2, mul#3, tile#4 (variance), add#5, sqrt#6, div#7,
  // tile#8 (beta), add#9
  CHECK(contains(folded.plan, "broadcast-folding: tile#0 into sub#2 (b)"));
  CHECK(contains(folded.plan, "broadcast-folding: expand#1 into mul#3 (b)"));
  CHECK(contains(folded.plan, "broadcast-folding: tile#8 into add#9 (b)"));
  CHECK_FALSE(contains(folded.plan, "into add#5"));  // add(tile(variance), eps) would change shape
  // ... but pass shape-sinking moves the variance's tile below the add and the sqrt (a scalar side,
  // a unary op), and then div folds it: a column side too.
  CHECK(contains(folded.plan, "shape-sinking: tile#5 below sqrt#6"));
  CHECK(contains(folded.plan, "broadcast-folding: tile#6 into div#7 (b)"));
  CHECK(contains(folded.plan, "sub+mul+div+add"));   // one chain: a column, a row, a column, a row
  CHECK(contains(folded.plan, "steps: 3\n"));      // add and sqrt on [B, T, 1], the chain
  CHECK_FALSE(contains(plain.plan, "broadcast-folding"));
  CHECK(folded.y == plain.y);
}

TEST_CASE("broadcast-folding: an expand that is also a graph output is folded into its readers and kept",
          "[compiler][broadcast-folding]") {
  PlanRun folded = runLayerNorm(false, true), plain = runLayerNorm(true, true);
  INFO(folded.plan);
  CHECK(contains(folded.plan, "broadcast-folding: tile#0 into sub#2 (b)"));
  CHECK(folded.y == plain.y);
}
