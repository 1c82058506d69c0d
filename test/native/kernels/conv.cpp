// conv2d kernels (all three algorithms) against a naive NHWC/OHWI reference loop.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <vector>

#include "conv_reference.h"
#include "kernels/conv/conv2d.h"
#include "core/thread_pool.h"
#include "harness.h"

using namespace webnn;
using namespace webnn::test;

namespace {

std::string describe(const ConvCase& c) {
  std::ostringstream s;
  s << "N" << c.batch << " " << c.H << "x" << c.W << "x" << c.IC << " -> OC" << c.OC << " k" << c.KH << "x" << c.KW
    << " s" << c.sh << "," << c.sw << " d" << c.dh << "," << c.dw << " pad(t" << c.pt << " b" << c.pb << " l" << c.pl
    << " r" << c.pr << ") g" << c.groups;
  return s.str();
}

void runConv(const ConvCase& c, bool withBias, const Activation& act, ThreadPool* pool, uint32_t seed) {
  const Conv2dParams p = toParams(c);
  const size_t icg = c.IC / c.groups;
  Rng rng(seed);
  std::vector<float> input = randomVector(c.batch * c.H * c.W * c.IC, rng);
  std::vector<float> filter = randomVector(c.OC * c.KH * c.KW * icg, rng);
  std::vector<float> bias = randomVector(c.OC, rng);

  std::vector<float> ref;
  std::vector<double> mag;
  refConv2dNhwc(p, input, filter, withBias ? bias.data() : nullptr, &ref, &mag);
  applyActivation(act, ref.data(), ref.size());

  const size_t outSize = ref.size();
  int algorithm = 0;
  std::vector<float> out = runConv2dF32(pool, p, input, filter, withBias ? bias.data() : nullptr, act, outSize, &algorithm);

  size_t bad = 0;
  for (size_t i = 0; i < outSize; ++i)
    if (!(std::fabs(out[i] - ref[i]) <= float(1e-5 * (1.0 + mag[i])))) {
      if (bad < 5) UNSCOPED_INFO("out[" << i << "] = " << out[i] << " want " << ref[i]);
      ++bad;
    }
  for (size_t i = outSize; i < out.size(); ++i)
    if (out[i] != kConvSentinel) ++bad;  // wrote past the output
  INFO(describe(c) << " bias=" << withBias << " act=" << int(act.kind) << " algorithm=" << algorithm
                   << " threads=" << (pool ? pool->numThreads() : 1));
  CHECK(bad == 0);
}

}  // namespace

TEST_CASE("conv2d kernel sizes, strides, dilations, padding", "[conv2d]") {
  uint32_t seed = 1;
  for (size_t k : {1, 3, 5, 7})
    for (size_t s : {1, 2})
      for (size_t d : {1, 2}) {
        // Asymmetric padding; inputs small enough that padding covers whole filter rows at the edges.
        const size_t H = 9, W = 11;
        const size_t pad = (k - 1) * d / 2;
        runConv({1, H, W, 5, 19, k, k, s, s, d, d, pad, pad + 1, pad + 1, pad, 1}, true, Activation(), nullptr, seed++);
        runConv({2, H, W, 3, 16, k, k, s, 3 - s, d, 1, pad, 0, 1, 2, 1}, false, relu(), nullptr, seed++);
      }
  // Non-square kernels and 1x1 variants (direct GEMM path vs im2col path).
  runConv({1, 6, 7, 8, 17, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1}, true, relu(), nullptr, seed++);
  runConv({2, 5, 5, 33, 40, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1}, false, Activation(), nullptr, seed++);
  runConv({1, 6, 7, 8, 17, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0, 1}, true, Activation(), nullptr, seed++);
  runConv({1, 6, 7, 8, 17, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1}, true, Activation(), nullptr, seed++);
  runConv({1, 8, 9, 4, 6, 3, 5, 1, 2, 2, 1, 2, 0, 0, 3, 1}, true, Activation(), nullptr, seed++);
  runConv({1, 8, 9, 4, 6, 2, 4, 1, 1, 1, 1, 0, 1, 2, 1, 1}, true, Activation(), nullptr, seed++);
  // Kernel larger than the input, all padding around.
  runConv({1, 2, 3, 3, 5, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, 1}, true, Activation(), nullptr, seed++);
}

TEST_CASE("conv2d groups and depthwise", "[conv2d]") {
  uint32_t seed = 100;
  // Grouped (not depthwise): im2col per group and the 1x1 direct path per group.
  runConv({1, 7, 8, 6, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2}, true, relu(), nullptr, seed++);
  runConv({2, 7, 8, 8, 12, 3, 3, 2, 1, 1, 2, 0, 1, 2, 0, 4}, false, Activation(), nullptr, seed++);
  runConv({1, 5, 6, 6, 34, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 2}, true, Activation(), nullptr, seed++);
  // Depthwise, multiplier 1 and 2, channel counts around the 16- and 4-wide SIMD blocks.
  for (size_t C : {2, 3, 4, 7, 16, 21, 32, 37})
    for (size_t mult : {1, 2})
      for (size_t k : {1, 3, 5}) {
        const size_t pad = k / 2;
        runConv({1, 9, 10, C, C * mult, k, k, 1, 1, 1, 1, pad, pad, pad, pad, C}, true, relu(), nullptr, seed++);
        runConv({2, 9, 10, C, C * mult, k, k, 2, 1, 1, 2, pad, 0, 0, pad + 1, C}, false, Activation(), nullptr,
                seed++);
      }
  // A 9x9 kernel has more than 64 taps: exercises the chunked accumulation.
  runConv({1, 12, 12, 20, 20, 9, 9, 1, 1, 1, 1, 4, 4, 4, 4, 20}, true, makeActivation(ActivationKind::Clamp), nullptr,
          seed++);
}

TEST_CASE("conv2d fused activations", "[conv2d]") {
  uint32_t seed = 200;
  for (ActivationKind kind : allActivationKinds()) {
    const Activation act = makeActivation(kind);
    runConv({1, 6, 6, 4, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1}, true, act, nullptr, seed++);
    runConv({1, 6, 6, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 8}, true, act, nullptr, seed++);
    runConv({1, 4, 4, 8, 20, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1}, true, act, nullptr, seed++);
  }
}

TEST_CASE("conv2d threaded", "[conv2d][threads]") {
  uint32_t seed = 300;
  for (size_t threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    for (int rep = 0; rep < 2; ++rep) {
      runConv({2, 20, 21, 16, 24, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1}, true, relu(), &pool, seed++);     // im2col
      runConv({1, 24, 24, 16, 32, 3, 3, 2, 2, 1, 1, 0, 1, 0, 1, 2}, true, Activation(), &pool, seed++);
      runConv({2, 30, 30, 64, 40, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1}, false, relu(), &pool, seed++);   // 1x1
      runConv({2, 40, 40, 32, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 32}, true, relu(), &pool, seed++);   // depthwise
      runConv({1, 40, 40, 16, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 16}, true, Activation(), &pool, seed++);
      runConv({1, 3, 3, 2, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1}, true, Activation(), &pool, seed++);  // tiny: inline
    }
  }
}
