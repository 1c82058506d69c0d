// Pass "maxpool-skip-nan" (src/compiler/nan_pool_fusion.h): maxPool2d(where(isNaN(x), -Infinity, x))
// becomes a NaN-skipping maxPool2d of x. The same bits as the unfused plan (NaNs, windows of only
// NaNs, -0); a where whose other value is not -Infinity stays; a where read elsewhere is kept.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "compiler_graphs.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

namespace {

enum class Kind { Fused, NotMinusInfinity, WhereAlsoOutput };

// x [1, 4, 6, 3] NHWC with NaNs (a whole 2x2 window of NaNs in channel 0) -> where(isNaN(x), c, x)
// -> maxPool2d 2x2 stride 2 (the second output: the where itself, for WhereAlsoOutput).
std::vector<PlanRun> run(Kind kind, bool disable, size_t threads) {
  GraphHarness h(threads);
  CompileOptions options;
  if (disable) options.disabledPasses = {"maxpool-skip-nan"};
  REQUIRE(h.context.setCompileOptions(options));
  Rng rng(5);
  std::vector<float> data = randomVector(4 * 6 * 3, rng);
  for (size_t i = 0; i < data.size(); i += 7) data[i] = NAN;
  for (size_t i : {0, 3, 18, 21}) data[i] = NAN;  // pixels (0,0), (0,1), (1,0), (1,1), channel 0
  data[4] = -0.f, data[22] = 0.f;
  int x = h.input("x", {1, 4, 6, 3}, data);
  int isNan = h.op("isNaN", {{"input", x}});
  int c = h.constant<float>({}, {kind == Kind::NotMinusInfinity ? -1e30f : -INFINITY});
  int w = h.op("where", {{"condition", isNan}, {"trueValue", c}, {"falseValue", x}});
  int y = h.op("maxPool2d", {{"input", w}},
               attrs({{"windowDimensions", nums({2, 2})}, {"strides", nums({2, 2})}, {"layout", std::string("nhwc")}}));
  std::vector<int> outs{y};
  if (kind == Kind::WhereAlsoOutput) outs.push_back(w);
  PlanRun r;
  std::vector<std::vector<float>> ys = h.run(outs, &r.plan);
  std::vector<PlanRun> runs;
  for (auto& v : ys) runs.push_back({v, r.plan});
  return runs;
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) return false;
  return true;
}

}  // namespace

TEST_CASE("maxpool-skip-nan: maxPool2d of where(isNaN(x), -Infinity, x) pools x skipping NaNs, bit for bit",
          "[compiler][maxpool-skip-nan]") {
  for (size_t threads : {1, 2}) {
    std::vector<PlanRun> fused = run(Kind::Fused, false, threads), plain = run(Kind::Fused, true, threads);
    INFO(fused[0].plan);
    CHECK(contains(fused[0].plan, "maxpool-skip-nan: maxPool2d#2 reads where#1's input, where removed, isNaN removed"));
    CHECK(contains(fused[0].plan, "steps: 1\n"));
    CHECK(contains(fused[0].plan, "maxPool2d (NaN skipped)"));
    CHECK_FALSE(contains(plain[0].plan, "maxpool-skip-nan"));
    CHECK(fused[0].y[0] == -INFINITY);  // the window of only NaNs
    for (float v : fused[0].y) CHECK_FALSE(std::isnan(v));
    CHECK(sameBits(fused[0].y, plain[0].y));
  }
}

TEST_CASE("maxpool-skip-nan: another replacement value stays a where; a where read elsewhere is kept",
          "[compiler][maxpool-skip-nan]") {
  std::vector<PlanRun> other = run(Kind::NotMinusInfinity, false, 1), otherPlain = run(Kind::NotMinusInfinity, true, 1);
  CHECK_FALSE(contains(other[0].plan, "maxpool-skip-nan"));
  CHECK(sameBits(other[0].y, otherPlain[0].y));

  std::vector<PlanRun> both = run(Kind::WhereAlsoOutput, false, 1), bothPlain = run(Kind::WhereAlsoOutput, true, 1);
  INFO(both[0].plan);
  CHECK(contains(both[0].plan, "maxpool-skip-nan: maxPool2d#2 reads where#1's input\n"));
  CHECK(sameBits(both[0].y, bothPlain[0].y));
  CHECK(sameBits(both[1].y, bothPlain[1].y));
}
