// Twin tests: the convolution kernels with a SIMD128 path against their scalar twins — the Winograd
// F(4x4, 3x3) input and output transforms (formulas shared through winograd_transforms.h) and the
// depthwise rows kernel (generic taps and the 3x3 interior kernel). Bit-for-bit agreement.
#include <catch2/catch.hpp>

#include "kernels/conv/depthwise.h"
#include "kernels/conv/winograd_transforms.h"
#include "twins.h"

using namespace webnn;
using namespace webnn::test;
using namespace webnn::test::twins;

TEST_CASE("Winograd input transform: SIMD128 and scalar twins agree bit for bit", "[twins][conv][winograd]") {
  uint32_t seed = 600;
  for (size_t IC : {size_t(1), size_t(3), size_t(4), size_t(5), size_t(8), size_t(13), size_t(32)})
    for (uint32_t every : {0u, 9u}) {
      const size_t stride = IC + 2;  // pixel rows and v points padded, as a tile's point stride may be
      const std::vector<float> pixels = twinInput(kWinogradPoints * IC, seed++, -3.f, 3.f, every);
      WinogradWindow w;
      Rng rng(seed++);
      for (size_t p = 0; p < kWinogradPoints; ++p)  // about one in five window pixels in the padding
        w.pixel[p] = rng.next() % 5 == 0 ? nullptr : pixels.data() + p * IC;
      std::vector<float> simd(kWinogradPoints * stride, 7.f), scalar = simd;
      WEBNN_SIMD_TWIN(f32_winograd43_input__wasmsimd, f32_winograd43_input__scalar)(w, 0, IC, simd.data(), stride);
      f32_winograd43_input__scalar(w, 0, IC, scalar.data(), stride);
      INFO("IC=" << IC << " edges=" << every);
      REQUIRE_TWINS(simd, scalar);
    }
}

TEST_CASE("Winograd output transform: SIMD128 and scalar twins agree bit for bit", "[twins][conv][winograd]") {
  uint32_t seed = 650;
  const float clamps[][2] = {{-INFINITY, INFINITY}, {0.f, 6.f}};
  for (size_t OC : {size_t(1), size_t(3), size_t(4), size_t(7), size_t(16), size_t(21)})
    for (uint32_t every : {0u, 40u})
      for (const auto& cl : clamps) {
        const size_t stride = OC + 1;
        const std::vector<float> m = twinInput(kWinogradPoints * stride, seed++, -2.f, 2.f, every);
        const std::vector<float> bias = twinInput(OC, seed++, -1.f, 1.f, 0);
        std::vector<float> simd(16 * OC, 7.f), scalar = simd;
        WinogradOutputTile ys, yc;
        Rng rng(seed++);
        for (size_t p = 0; p < 16; ++p) {  // some pixels past the output's edge
          const bool outside = rng.next() % 6 == 0;
          ys.pixel[p] = outside ? nullptr : simd.data() + p * OC;
          yc.pixel[p] = outside ? nullptr : scalar.data() + p * OC;
        }
        const bool finiteSimd = WEBNN_SIMD_TWIN(f32_winograd43_output__wasmsimd, f32_winograd43_output__scalar)(
            m.data(), stride, bias.data(), 0, OC, ys, cl[0], cl[1]);
        const bool finiteScalar = f32_winograd43_output__scalar(m.data(), stride, bias.data(), 0, OC, yc, cl[0], cl[1]);
        INFO("OC=" << OC << " edges=" << every << " clamp [" << cl[0] << ", " << cl[1] << "]");
        REQUIRE(finiteSimd == finiteScalar);
        REQUIRE_TWINS(simd, scalar);
      }
}

namespace {

struct DwCase {
  size_t h, w, channels, mult, k, stride, dilation, pad;
};

}  // namespace

TEST_CASE("depthwise rows: SIMD128 and scalar twins agree bit for bit", "[twins][conv][depthwise]") {
  // 3x3 stride 1/2 with whole 4-channel blocks (the interior kernel), channel tails, a multiplier,
  // dilation, and a 9x9 kernel (more than 64 taps: chunked accumulation onto the output).
  const DwCase cases[] = {{7, 9, 16, 1, 3, 1, 1, 1}, {8, 8, 20, 1, 3, 2, 1, 1}, {5, 6, 4, 1, 3, 1, 1, 0},
                          {6, 7, 6, 1, 3, 1, 1, 1},  {6, 5, 37, 1, 3, 1, 1, 1}, {6, 6, 3, 2, 3, 1, 1, 1},
                          {9, 9, 8, 1, 5, 1, 2, 3},  {11, 10, 5, 1, 9, 1, 1, 4}, {4, 4, 1, 1, 3, 1, 1, 1}};
  uint32_t seed = 700;
  for (const DwCase& c : cases)
    for (int actKind = 0; actKind < 3; ++actKind)  // none, relu6 (minmax in the kernel), sigmoid after it
      for (uint32_t every : {0u, 23u}) {
        Conv2dParams p;
        p.inputHeight = c.h, p.inputWidth = c.w, p.inputChannels = c.channels;
        p.outputChannels = c.channels * c.mult, p.groups = c.channels;
        p.kernelHeight = p.kernelWidth = c.k;
        p.strideHeight = p.strideWidth = c.stride;
        p.dilationHeight = p.dilationWidth = c.dilation;
        p.padTop = p.padLeft = c.pad;
        const size_t extent = (c.k - 1) * c.dilation + 1;
        p.outputHeight = (c.h + 2 * c.pad - extent) / c.stride + 1;
        p.outputWidth = (c.w + 2 * c.pad - extent) / c.stride + 1;
        Activation act;
        if (actKind == 1) act.kind = ActivationKind::Clamp, act.minValue = 0.f, act.maxValue = 6.f;
        if (actKind == 2) act.kind = ActivationKind::Sigmoid;
        const size_t OC = p.outputChannels;
        const std::vector<float> input = twinInput(c.h * c.w * c.channels, seed++, -2.f, 2.f, every);
        const std::vector<float> filter = twinInput(OC * c.k * c.k, seed++, -1.f, 1.f, every);
        const std::vector<float> bias = twinInput(OC, seed++, -1.f, 1.f, 0);
        std::vector<float> packed(depthwisePackedFloats(p));
        packDepthwiseWeights(p, filter.data(), packed.data());
        const size_t rows = p.outputHeight, outFloats = rows * p.outputWidth * OC;
        std::vector<float> simd(outFloats, 7.f), scalar(outFloats, 7.f);
        // Two calls (rows split in two) as the threaded caller makes them.
        for (auto [r0, n] : {std::pair{size_t(0), rows / 2}, {rows / 2, rows - rows / 2}}) {
          WEBNN_SIMD_TWIN(f32_dwconv_minmax_rows__wasmsimd, f32_dwconv_minmax_rows__scalar)(
              p, input.data(), packed.data(), bias.data(), simd.data(), act, r0, n);
          f32_dwconv_minmax_rows__scalar(p, input.data(), packed.data(), bias.data(), scalar.data(), act, r0, n);
        }
        INFO("h=" << c.h << " w=" << c.w << " C=" << c.channels << " mult=" << c.mult << " k=" << c.k
                  << " stride=" << c.stride << " act=" << actKind << " edges=" << every);
        REQUIRE_TWINS(simd, scalar);
      }
}
