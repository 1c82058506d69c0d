// The pool2dF32 kernel (NHWC) against a naive reference: channel blocks, padding-heavy windows, NaN,
// thread counts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "core/thread_pool.h"
#include "harness.h"
#include "kernels/pool/pool2d.h"

using namespace webnn;
using namespace webnn::test;

namespace {
// Naive pool2d on NHWC data: the window's taps inside the input, in (kh, kw) order, in float
// (the kernels' order, so average and L2 match to rounding; max exactly, NaN included).
std::vector<float> refPool(PoolKind kind, const Pool2dParams& p, const std::vector<float>& in) {
  std::vector<float> out(p.batch * p.outputHeight * p.outputWidth * p.channels);
  for (size_t n = 0; n < p.batch; ++n)
    for (size_t oh = 0; oh < p.outputHeight; ++oh)
      for (size_t ow = 0; ow < p.outputWidth; ++ow)
        for (size_t c = 0; c < p.channels; ++c) {
          float acc = kind == PoolKind::Max ? -INFINITY : 0.f;
          size_t cnt = 0;
          bool nan = false;
          for (size_t kh = 0; kh < p.windowHeight; ++kh)
            for (size_t kw = 0; kw < p.windowWidth; ++kw) {
              long ih = long(oh * p.strideHeight + kh * p.dilationHeight) - long(p.padTop);
              long iw = long(ow * p.strideWidth + kw * p.dilationWidth) - long(p.padLeft);
              if (ih < 0 || iw < 0 || ih >= long(p.inputHeight) || iw >= long(p.inputWidth)) continue;
              float v = in[((n * p.inputHeight + size_t(ih)) * p.inputWidth + size_t(iw)) * p.channels + c];
              ++cnt;
              nan = nan || std::isnan(v);
              if (kind == PoolKind::Max) acc = std::max(acc, v);
              else acc += kind == PoolKind::L2 ? v * v : v;
            }
          float r = kind == PoolKind::Average ? (cnt ? acc / float(cnt) : 0.f) : kind == PoolKind::L2 ? std::sqrt(acc) : acc;
          if (kind == PoolKind::Max && cnt == 0) r = 0.f;
          if (nan) r = NAN;
          out[((n * p.outputHeight + oh) * p.outputWidth + ow) * p.channels + c] = r;
        }
  return out;
}
}  // namespace

// The kernel's SIMD128 path takes channels in blocks of 16, then 4, then one at a time (windows of
// more than 16 valid taps: chunks of 1024 channels): channel counts around those, windows reaching
// far into the padding (some entirely), dilation, NaN.
TEST_CASE("pool2dF32 kernel: channel blocks, padding-heavy windows, NaN, thread counts", "[pool2d]") {
  struct Case {
    size_t n, h, w, c, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow;
  };
  const std::vector<Case> cases{
      {1, 8, 8, 1, 3, 3, 1, 1, 1, 1, 1, 1, 8, 8},      {2, 7, 9, 3, 3, 3, 2, 2, 1, 1, 1, 1, 4, 5},
      {1, 6, 6, 4, 2, 2, 2, 2, 1, 1, 0, 0, 3, 3},      {1, 5, 5, 5, 5, 5, 1, 1, 1, 1, 4, 4, 9, 9},
      {1, 3, 3, 16, 2, 2, 1, 1, 1, 1, 4, 4, 10, 10},   {2, 9, 7, 17, 3, 2, 2, 1, 2, 2, 2, 1, 6, 8},
      {1, 7, 7, 35, 7, 7, 1, 1, 1, 1, 0, 0, 1, 1},     {1, 12, 12, 64, 3, 3, 2, 2, 1, 1, 1, 1, 6, 6},
      {3, 10, 11, 21, 4, 3, 3, 2, 1, 3, 3, 0, 5, 6},   {1, 6, 6, 1030, 5, 5, 1, 1, 1, 1, 2, 2, 6, 6},
  };
  uint32_t seed = 40;
  for (const Case& c : cases)
    for (PoolKind kind : {PoolKind::Max, PoolKind::Average, PoolKind::L2})
      for (bool withNan : {false, true})
        for (size_t threads : {1, 2, 3}) {
          Pool2dParams p;
          p.batch = c.n, p.channels = c.c, p.inputHeight = c.h, p.inputWidth = c.w;
          p.windowHeight = c.kh, p.windowWidth = c.kw, p.strideHeight = c.sh, p.strideWidth = c.sw;
          p.dilationHeight = c.dh, p.dilationWidth = c.dw, p.padTop = c.pt, p.padLeft = c.pl;
          p.outputHeight = c.oh, p.outputWidth = c.ow;
          std::vector<float> in = randomFloats(c.n * c.h * c.w * c.c, seed++, -2.f, 2.f);
          if (withNan)
            for (size_t i = 0; i < in.size(); i += 37) in[i] = NAN;
          for (size_t i = 5; i < in.size(); i += 53) in[i] = (i % 2) ? -0.f : 0.f;
          std::vector<float> want = refPool(kind, p, in), got(want.size(), 123.f);
          ThreadPool pool(threads);
          pool2dF32(&pool, kind, p, in.data(), got.data());
          for (size_t i = 0; i < want.size(); ++i) {
            INFO("case c=" << c.c << " kind=" << int(kind) << " threads=" << threads << " i=" << i);
            if (std::isnan(want[i])) REQUIRE(std::isnan(got[i]));
            else if (kind == PoolKind::Max) REQUIRE(got[i] == want[i]);
            else REQUIRE(std::fabs(got[i] - want[i]) <= 1e-6f + 1e-6f * std::fabs(want[i]));
          }
        }
}
