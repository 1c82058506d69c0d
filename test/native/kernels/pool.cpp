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
          const bool isMax = kind == PoolKind::Max || kind == PoolKind::MaxSkipNaN;
          float acc = isMax ? -INFINITY : 0.f;
          size_t cnt = 0;
          bool nan = false;
          for (size_t kh = 0; kh < p.windowHeight; ++kh)
            for (size_t kw = 0; kw < p.windowWidth; ++kw) {
              long ih = long(oh * p.strideHeight + kh * p.dilationHeight) - long(p.padTop);
              long iw = long(ow * p.strideWidth + kw * p.dilationWidth) - long(p.padLeft);
              if (ih < 0 || iw < 0 || ih >= long(p.inputHeight) || iw >= long(p.inputWidth)) continue;
              float v = in[((n * p.inputHeight + size_t(ih)) * p.inputWidth + size_t(iw)) * p.channels + c];
              ++cnt;
              if (kind == PoolKind::MaxSkipNaN) {  // TF.js's maxPool: NaNs are skipped
                if (!std::isnan(v)) acc = std::max(acc, v);
                continue;
              }
              nan = nan || std::isnan(v);
              if (kind == PoolKind::Max) acc = std::max(acc, v);
              else acc += kind == PoolKind::L2 ? v * v : v;
            }
          float r = kind == PoolKind::Average ? (cnt ? acc / float(cnt) : 0.f) : kind == PoolKind::L2 ? std::sqrt(acc) : acc;
          if (isMax && cnt == 0) r = 0.f;
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
    for (PoolKind kind : {PoolKind::Max, PoolKind::Average, PoolKind::L2, PoolKind::MaxSkipNaN})
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
            else if (kind == PoolKind::Max || kind == PoolKind::MaxSkipNaN) REQUIRE(got[i] == want[i]);
            else REQUIRE(std::fabs(got[i] - want[i]) <= 1e-6f + 1e-6f * std::fabs(want[i]));
          }
        }
}

// TF.js's maxPool (PoolKind::MaxSkipNaN): NaNs never win, a window of only NaNs gives -Infinity.
TEST_CASE("pool2dF32 MaxSkipNaN: NaNs skipped, an all-NaN window gives -Infinity", "[pool2d]") {
  Pool2dParams p;
  p.channels = 5, p.inputHeight = 2, p.inputWidth = 4, p.outputHeight = 1, p.outputWidth = 2;
  p.windowHeight = p.windowWidth = p.strideHeight = p.strideWidth = 2;
  std::vector<float> in(2 * 4 * 5, NAN);
  // Window 0 (columns 0-1): channel c has one value, c - 2 (channel 4 stays all NaN); window 1: -1 and 3.
  for (size_t c = 0; c < 4; ++c) in[(1 * 4 + (c % 2)) * 5 + c] = float(c) - 2.f;
  for (size_t c = 0; c < 5; ++c) in[(0 * 4 + 2) * 5 + c] = -1.f, in[(1 * 4 + 3) * 5 + c] = 3.f;
  for (size_t threads : {1, 2}) {
    ThreadPool pool(threads);
    std::vector<float> got(10, 123.f), scalar(10, 123.f);
    pool2dF32(&pool, PoolKind::MaxSkipNaN, p, in.data(), got.data());
    pool2dF32Scalar(PoolKind::MaxSkipNaN, p, in.data(), scalar.data());
    const std::vector<float> want{-2.f, -1.f, 0.f, 1.f, -INFINITY, 3.f, 3.f, 3.f, 3.f, 3.f};
    CHECK(got == want);
    CHECK(scalar == want);
  }
}
