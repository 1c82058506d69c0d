// Twin tests: pool2dF32 (SIMD128 channel blocks) against pool2dF32Scalar for max, average, L2 and
// NaN-skipping max pooling: channel tails, padding, dilation, windows past 16 taps (which take poolPixel), windows
// entirely in the padding, and edge values. Bit-for-bit agreement.
#include <catch2/catch.hpp>

#include "core/thread_pool.h"
#include "kernels/pool/pool2d.h"
#include "twins.h"

using namespace webnn;
using namespace webnn::test;
using namespace webnn::test::twins;

namespace {

struct PoolCase {
  size_t h, w, window, stride, dilation, pad, outH, outW;
};

}  // namespace

TEST_CASE("pool2dF32 and pool2dF32Scalar agree bit for bit", "[twins][pool]") {
  const PoolCase cases[] = {
      {6, 7, 2, 2, 1, 0, 3, 3},   // 2x2 stride 2
      {7, 7, 3, 2, 1, 1, 4, 4},   // 3x3 stride 2, padding
      {5, 5, 3, 1, 2, 2, 5, 5},   // dilation 2
      {7, 7, 7, 1, 1, 0, 1, 1},   // global 7x7: 49 taps, poolPixel
      {6, 6, 5, 1, 1, 2, 6, 6},   // 5x5 padded: 9 to 25 valid taps
      {3, 3, 2, 2, 1, 0, 3, 3},   // ceil rounding: the last row / column of windows lies in the padding
  };
  ThreadPool pool(2);
  uint32_t seed = 800;
  for (const PoolCase& c : cases)
    for (size_t channels : {size_t(1), size_t(3), size_t(4), size_t(5), size_t(16), size_t(17), size_t(33)})
      for (PoolKind kind : {PoolKind::Max, PoolKind::Average, PoolKind::L2, PoolKind::MaxSkipNaN})
        for (uint32_t every : {0u, 7u}) {
          Pool2dParams p;
          p.batch = 2, p.channels = channels;
          p.inputHeight = c.h, p.inputWidth = c.w, p.outputHeight = c.outH, p.outputWidth = c.outW;
          p.windowHeight = p.windowWidth = c.window;
          p.strideHeight = p.strideWidth = c.stride;
          p.dilationHeight = p.dilationWidth = c.dilation;
          p.padTop = p.padLeft = c.pad;
          const std::vector<float> x = twinInput(p.batch * c.h * c.w * channels, seed++, -3.f, 3.f, every);
          const size_t outFloats = p.batch * c.outH * c.outW * channels;
          std::vector<float> simd(outFloats, 7.f), scalar(outFloats, 7.f);
          pool2dF32(&pool, kind, p, x.data(), simd.data());
          pool2dF32Scalar(kind, p, x.data(), scalar.data());
          INFO("h=" << c.h << " window=" << c.window << " stride=" << c.stride << " C=" << channels
                    << " kind=" << int(kind) << " edges=" << every);
          REQUIRE_TWINS(simd, scalar);
        }
}
