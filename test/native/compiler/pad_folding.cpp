// Pass "pad-folding" (src/compiler/pad_folding.h): a zero pad of a conv2d's height and width folded
// into its padding. Folded and unfolded plans give the same bits on both layouts, with strides,
// depthwise and the conv's own padding; pads that are not zeros of the spatial dims stay pads.
#include <catch2/catch.hpp>

#include "compiler_graphs.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

namespace {

enum class PadKind { Spatial, AlsoChannels, NonZeroValue, Edge };

using Run = PlanRun;

// x [1, 3, 6, 7] (or NHWC) -> pad -> conv2d 3x3 (stride 2 when asked, depthwise when asked).
Run runPadConv(bool nhwc, bool strided, bool depthwise, PadKind kind, bool disable) {
  Rng rng(11);
  GraphHarness h(1);
  CompileOptions options;
  if (disable) options.disabledPasses = {"pad-folding"};
  REQUIRE(h.context.setCompileOptions(options));
  const uint32_t C = 3, H = 6, W = 7, O = depthwise ? 3 : 5;
  int x = h.input("x", nhwc ? Shape{1, H, W, C} : Shape{1, C, H, W}, randomVector(C * H * W, rng));
  // top 1, bottom 2, left 0, right 1 (and 1 channel before when AlsoChannels)
  std::vector<double> begin = nhwc ? nums({0, 1, 0, 0}) : nums({0, 0, 1, 0});
  std::vector<double> end = nhwc ? nums({0, 2, 1, 0}) : nums({0, 0, 2, 1});
  if (kind == PadKind::AlsoChannels) (nhwc ? begin[3] : begin[1]) = 1;
  Attributes padAttrs = attrs({{"beginningPadding", begin}, {"endingPadding", end}});
  if (kind == PadKind::NonZeroValue) padAttrs.set("value", 0.25);
  if (kind == PadKind::Edge) padAttrs.set("mode", std::string("edge"));
  int p = h.op("pad", {{"input", x}}, padAttrs);
  const uint32_t I = depthwise ? 1 : (kind == PadKind::AlsoChannels ? C + 1 : C);
  const uint32_t groups = depthwise ? (kind == PadKind::AlsoChannels ? C + 1 : C) : 1;
  const uint32_t outChannels = depthwise ? groups : O;
  int filter = h.constant({outChannels, I, 3, 3}, randomVector(outChannels * I * 9, rng));
  int y = h.op("conv2d", {{"input", p}, {"filter", filter}},
               attrs({{"inputLayout", std::string(nhwc ? "nhwc" : "nchw")}, {"padding", nums({1, 0, 0, 1})},
                      {"strides", strided ? nums({2, 2}) : nums({1, 1})}, {"groups", double(groups)}}));
  Run r;
  r.y = h.run({y}, &r.plan)[0];
  return r;
}

}  // namespace

TEST_CASE("pad-folding: a zero pad of H and W becomes conv2d padding, bit for bit", "[compiler][pad-folding]") {
  for (bool nhwc : {false, true})
    for (bool strided : {false, true})
      for (bool depthwise : {false, true}) {
        INFO((nhwc ? "nhwc" : "nchw") << (strided ? " strided" : "") << (depthwise ? " depthwise" : ""));
        Run folded = runPadConv(nhwc, strided, depthwise, PadKind::Spatial, false);
        Run plain = runPadConv(nhwc, strided, depthwise, PadKind::Spatial, true);
        INFO(folded.plan);
        CHECK(contains(folded.plan, "pad-folding: pad#0 into conv2d#1"));
        CHECK(contains(folded.plan, "steps: 1\n"));
        CHECK_FALSE(contains(plain.plan, "pad-folding"));
        CHECK(folded.y == plain.y);
      }
}

TEST_CASE("pad-folding: pads of the channels, with a value or by edge stay pads", "[compiler][pad-folding]") {
  for (PadKind kind : {PadKind::AlsoChannels, PadKind::NonZeroValue, PadKind::Edge}) {
    Run folded = runPadConv(false, false, false, kind, false), plain = runPadConv(false, false, false, kind, true);
    INFO(int(kind) << "\n" << folded.plan);
    CHECK_FALSE(contains(folded.plan, "pad-folding"));
    CHECK(folded.y == plain.y);
  }
}
