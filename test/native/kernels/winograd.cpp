// Winograd F(4x4, 3x3) conv2d (kernels/conv/winograd.cpp) against a float64 reference, at the edges:
// large magnitudes, mixed signs, odd sizes, padding on every side, bias and activations, 1-3 threads.
// Every case also runs through im2col (Winograd off) so the two errors can be compared.
#include <catch2/catch.hpp>

#include <array>
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

struct WinoCase {
  size_t batch, H, W, IC, OC, pt, pb, pl, pr;
};

struct Values {
  float inputScale = 1.f, filterScale = 1.f;
  float inputOffset = 0.f;  // > 0: inputs mostly one sign (little cancellation)
};

// Worst |out - ref| / (1 + sum |x w|) of one run.
struct ErrorStats {
  double worst = 0;
};

Conv2dParams toParams(const WinoCase& c, Conv2dParams::Winograd mode) {
  Conv2dParams p = toParams(ConvCase{c.batch, c.H, c.W, c.IC, c.OC, 3, 3, 1, 1, 1, 1, c.pt, c.pb, c.pl, c.pr, 1});
  p.winograd = mode;
  return p;
}

std::string describe(const WinoCase& c) {
  std::ostringstream s;
  s << "N" << c.batch << " " << c.H << "x" << c.W << "x" << c.IC << " -> OC" << c.OC << " pad(t" << c.pt << " b" << c.pb
    << " l" << c.pl << " r" << c.pr << ")";
  return s.str();
}

// Runs the case with Winograd (Always) and im2col (Never); checks both against the float64 reference
// with conv2d's tolerance (1e-5 relative to sum |x w|, as kernels/conv.cpp) and returns each one's worst
// relative error.
void runCase(const WinoCase& c, bool withBias, const Activation& act, ThreadPool* pool, uint32_t seed, const Values& v,
             ErrorStats* winograd, ErrorStats* direct) {
  Rng rng(seed);
  std::vector<float> input = randomVector(c.batch * c.H * c.W * c.IC, rng);
  std::vector<float> filter = randomVector(c.OC * 9 * c.IC, rng);
  std::vector<float> bias = randomVector(c.OC, rng);
  for (float& x : input) x = (x + v.inputOffset) * v.inputScale;
  for (float& w : filter) w *= v.filterScale;
  for (float& b : bias) b *= v.inputScale * v.filterScale;

  const Conv2dParams p = toParams(c, Conv2dParams::Winograd::Always);
  std::vector<float> ref;
  std::vector<double> mag;
  refConv2dNhwc(p, input, filter, withBias ? bias.data() : nullptr, &ref, &mag);
  const size_t outSize = ref.size();
  applyActivation(act, ref.data(), ref.size());

  for (auto mode : {Conv2dParams::Winograd::Always, Conv2dParams::Winograd::Never}) {
    Conv2dParams q = p;
    q.winograd = mode;
    const bool isWinograd = mode == Conv2dParams::Winograd::Always;
    REQUIRE(std::string(conv2dAlgorithmName(q)) == (isWinograd ? "winograd F(4x4,3x3)" : "im2col"));
    std::vector<float> out = runConv2dF32(pool, q, input, filter, withBias ? bias.data() : nullptr, act, outSize);
    size_t bad = 0;
    double worst = 0;
    for (size_t i = 0; i < outSize; ++i) {
      const double err = std::fabs(double(out[i]) - double(ref[i]));
      const double scale = 1.0 + mag[i];
      if (!(err <= 1e-5 * scale)) {
        if (bad < 5) UNSCOPED_INFO("out[" << i << "] = " << out[i] << " want " << ref[i] << " (sum |xw| " << mag[i] << ")");
        ++bad;
      }
      worst = std::max(worst, err / scale);
    }
    for (size_t i = outSize; i < out.size(); ++i)
      if (out[i] != kConvSentinel) ++bad;  // wrote past the output
    INFO(describe(c) << " bias=" << withBias << " act=" << int(act.kind) << " threads=" << (pool ? pool->numThreads() : 1)
                     << " scales " << v.inputScale << "," << v.filterScale << " offset " << v.inputOffset
                     << (isWinograd ? " winograd" : " im2col"));
    CHECK(bad == 0);
    ErrorStats* stats = isWinograd ? winograd : direct;
    stats->worst = std::max(stats->worst, worst);
  }
}

}  // namespace

TEST_CASE("winograd conv2d: odd sizes and padding on every side", "[conv2d][winograd]") {
  ErrorStats w, d;
  uint32_t seed = 1;
  // Sizes around the 4x4 tile (partial tiles at the bottom/right), channels around the SIMD width
  // (tails of 1-3) and the GEMM's 16-column panels.
  for (size_t H : {3, 4, 5, 7, 9, 13})
    for (size_t W : {3, 6, 11}) {
      runCase({1, H, W, 5, 19, 1, 1, 1, 1}, true, Activation(), nullptr, seed++, {}, &w, &d);
      runCase({2, H, W, 16, 8, 0, 0, 0, 0}, false, relu(), nullptr, seed++, {}, &w, &d);
    }
  // Asymmetric padding, each side alone and all four different (also wider than the filter's reach).
  for (auto pad : std::vector<std::array<size_t, 4>>{
           {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}, {2, 0, 1, 3}, {0, 2, 3, 1}, {3, 3, 0, 2}})
    runCase({1, 10, 7, 12, 17, pad[0], pad[1], pad[2], pad[3]}, true, relu(), nullptr, seed++, {}, &w, &d);
  // 1 to 3 input channels, 1 output channel, a 1x1 output.
  runCase({1, 8, 8, 1, 1, 1, 1, 1, 1}, true, Activation(), nullptr, seed++, {}, &w, &d);
  runCase({1, 9, 5, 3, 2, 0, 1, 1, 0}, false, Activation(), nullptr, seed++, {}, &w, &d);
  runCase({1, 3, 3, 7, 9, 0, 0, 0, 0}, true, Activation(), nullptr, seed++, {}, &w, &d);
  // Input channels above the GEMM's K block (256): the points' GEMMs accumulate over two K blocks.
  runCase({1, 6, 6, 300, 20, 1, 1, 1, 1}, true, relu(), nullptr, seed++, {}, &w, &d);
  INFO("worst error / (1 + sum |xw|): winograd " << w.worst << ", im2col " << d.worst);
  CHECK(w.worst < 1e-5);
}

TEST_CASE("winograd conv2d: magnitudes and signs", "[conv2d][winograd]") {
  ErrorStats w, d;
  uint32_t seed = 100;
  const WinoCase c{1, 12, 13, 64, 48, 1, 1, 1, 1};
  for (Values v : {Values{1.f, 1.f, 0.f}, Values{1e4f, 1e3f, 0.f}, Values{1e-4f, 1e-3f, 0.f}, Values{1e15f, 1e15f, 0.f},
                   Values{1.f, 1.f, 1.f}, Values{3e3f, 0.5f, 1.f}}) {
    runCase(c, true, Activation(), nullptr, seed++, v, &w, &d);
    runCase(c, false, relu(), nullptr, seed++, v, &w, &d);
  }
  // The numbers docs/numerics.md quotes: the worst error relative to sum |x w|, both algorithms.
  WARN("winograd F(4x4,3x3) worst |err| / (1 + sum |xw|) = " << w.worst << "; im2col " << d.worst);
  CHECK(w.worst < 1e-5);
}

TEST_CASE("winograd conv2d: fused activations", "[conv2d][winograd]") {
  ErrorStats w, d;
  uint32_t seed = 200;
  for (ActivationKind kind : allActivationKinds())
    for (bool withBias : {true, false})
      runCase({1, 7, 10, 9, 21, 1, 2, 0, 1}, withBias, makeActivation(kind), nullptr, seed++, {}, &w, &d);
}

TEST_CASE("winograd conv2d: threads split the tiles", "[conv2d][winograd][threads]") {
  ErrorStats w, d;
  uint32_t seed = 300;
  for (size_t threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    for (int rep = 0; rep < 2; ++rep) {
      runCase({2, 30, 27, 32, 40, 1, 1, 1, 1}, true, relu(), &pool, seed++, {}, &w, &d);
      runCase({1, 57, 19, 24, 16, 0, 2, 2, 0}, false, makeActivation(ActivationKind::Sigmoid), &pool, seed++, {}, &w, &d);
      runCase({1, 5, 5, 8, 8, 1, 1, 1, 1}, true, Activation(), &pool, seed++, {}, &w, &d);  // tiny: runs inline
    }
  }
}

TEST_CASE("winograd conv2d: taken by shape in Auto", "[conv2d][winograd]") {
  auto algorithm = [](WinoCase c, size_t stride = 1, size_t groups = 1) {
    Conv2dParams p = toParams(c, Conv2dParams::Winograd::Auto);
    p.strideHeight = p.strideWidth = stride;
    p.groups = groups;
    return std::string(conv2dAlgorithmName(p));
  };
  CHECK(algorithm({1, 100, 100, 100, 100, 1, 1, 1, 1}) == "winograd F(4x4,3x3)");  // the seed's conv
  CHECK(algorithm({1, 56, 56, 32, 32, 1, 1, 1, 1}) == "winograd F(4x4,3x3)");     // the conv chain's
  CHECK(algorithm({1, 56, 56, 3, 32, 1, 1, 1, 1}) == "im2col");                   // few input channels
  CHECK(algorithm({1, 56, 56, 32, 32, 1, 1, 1, 1}, 2) == "im2col");               // strided
  CHECK(algorithm({1, 56, 56, 32, 32, 1, 1, 1, 1}, 1, 2) == "im2col");            // grouped
  CHECK(algorithm({1, 3, 3, 64, 64, 0, 0, 0, 0}) == "im2col");                    // 1x1 output: 1/16 of a tile used
  Conv2dParams never = toParams({1, 100, 100, 100, 100, 1, 1, 1, 1}, Conv2dParams::Winograd::Never);
  CHECK(std::string(conv2dAlgorithmName(never)) == "im2col");
}

// Inf and NaN inputs land where direct convolution puts them (the transforms would spread them over
// whole tiles: such tiles are recomputed directly), and a result near FLT_MAX that overflows in the
// transformed domain is recomputed too.
TEST_CASE("winograd conv2d: Inf, NaN and overflow match direct convolution", "[conv2d][winograd]") {
  const WinoCase c{1, 14, 15, 16, 20, 1, 1, 1, 1};
  for (int variant = 0; variant < 3; ++variant) {
    Rng rng(500 + variant);
    std::vector<float> input = randomVector(c.H * c.W * c.IC, rng);
    std::vector<float> filter = randomVector(c.OC * 9 * c.IC, rng);
    std::vector<float> bias = randomVector(c.OC, rng);
    if (variant == 0) {
      input[(5 * c.W + 6) * c.IC + 3] = INFINITY;
      input[(9 * c.W + 13) * c.IC + 0] = NAN;
      input[(0 * c.W + 0) * c.IC + 15] = -INFINITY;
    } else if (variant == 1) {
      for (float& x : input) x *= 3e18f;  // products ~1e36: the sums stay finite, the transformed ones overflow
      for (float& w : filter) w *= 1e18f;
      for (float& b : bias) b = 0;
    } else {
      filter[(7 * 9 + 4) * c.IC + 2] = INFINITY;  // output channel 7, centre tap
    }
    std::vector<float> out[2];
    for (int k = 0; k < 2; ++k) {
      Conv2dParams p = toParams(c, k == 0 ? Conv2dParams::Winograd::Always : Conv2dParams::Winograd::Never);
      PackedConv2dWeights packed;
      REQUIRE(packConv2dWeights(p, filter.data(), bias.data(), &packed));
      std::vector<float> scratch(conv2dScratchBytes(p) / sizeof(float) + 1);
      out[k].assign(p.outputHeight * p.outputWidth * c.OC, 0.f);
      conv2dF32(nullptr, p, input.data(), packed, out[k].data(), Activation(), scratch.data());
    }
    size_t bad = 0, nonFinite = 0;
    double scale = 0;
    for (float v : out[1])
      if (std::isfinite(v)) scale = std::max(scale, double(std::fabs(v)));
    for (size_t i = 0; i < out[0].size(); ++i) {
      const float a = out[0][i], b = out[1][i];
      const bool same = std::isfinite(b) ? std::isfinite(a) && std::fabs(double(a) - b) <= 1e-4 * scale
                                         : std::isnan(b) ? std::isnan(a) : a == b;
      nonFinite += !std::isfinite(b);
      if (!same && bad++ < 5) UNSCOPED_INFO("out[" << i << "] = " << a << ", direct " << b);
    }
    INFO("variant " << variant << ": " << nonFinite << " non-finite outputs in direct convolution");
    CHECK(bad == 0);
    CHECK((variant == 1 ? nonFinite == 0 : nonFinite > 0));
  }
}
