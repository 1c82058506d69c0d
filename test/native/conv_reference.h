// Shared by the conv2d kernel tests (kernels/conv.cpp, kernels/winograd.cpp): a float64 reference on
// the kernels' layouts (NHWC input, OHWI filter with inputChannels / groups channels per group), and
// one run of conv2dF32 that checks it writes nothing past the output.
#pragma once
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "core/thread_pool.h"
#include "kernels/conv/conv2d.h"

namespace webnn::test {

// A conv2d's geometry: NHWC input [batch, H, W, IC], OC filters KH x KW, strides, dilations,
// padding (top, bottom, left, right), groups.
struct ConvCase {
  size_t batch, H, W, IC, OC, KH, KW, sh, sw, dh, dw, pt, pb, pl, pr, groups;
};

inline Conv2dParams toParams(const ConvCase& c) {
  Conv2dParams p;
  p.batch = c.batch;
  p.inputHeight = c.H;
  p.inputWidth = c.W;
  p.inputChannels = c.IC;
  p.outputChannels = c.OC;
  p.kernelHeight = c.KH;
  p.kernelWidth = c.KW;
  p.strideHeight = c.sh;
  p.strideWidth = c.sw;
  p.dilationHeight = c.dh;
  p.dilationWidth = c.dw;
  p.padTop = c.pt;
  p.padLeft = c.pl;
  p.groups = c.groups;
  p.outputHeight = (c.H + c.pt + c.pb - ((c.KH - 1) * c.dh + 1)) / c.sh + 1;
  p.outputWidth = (c.W + c.pl + c.pr - ((c.KW - 1) * c.dw + 1)) / c.sw + 1;
  return p;
}

// ref = bias + sum x*w per output (before any activation), rounded once to float; mag = |bias| +
// sum |x*w|, the scale of its rounding error.
inline void refConv2dNhwc(const Conv2dParams& p, const std::vector<float>& input, const std::vector<float>& filter,
                          const float* bias, std::vector<float>* ref, std::vector<double>* mag) {
  const size_t icg = p.inputChannels / p.groups, ocg = p.outputChannels / p.groups, OC = p.outputChannels;
  ref->assign(p.batch * p.outputHeight * p.outputWidth * OC, 0.f);
  mag->assign(ref->size(), 0.0);
  for (size_t n = 0; n < p.batch; ++n)
    for (size_t oh = 0; oh < p.outputHeight; ++oh)
      for (size_t ow = 0; ow < p.outputWidth; ++ow)
        for (size_t oc = 0; oc < OC; ++oc) {
          const size_t g = oc / ocg;
          double s = bias ? bias[oc] : 0.0, m = std::fabs(s);
          for (size_t kh = 0; kh < p.kernelHeight; ++kh)
            for (size_t kw = 0; kw < p.kernelWidth; ++kw) {
              const long ih = long(oh * p.strideHeight + kh * p.dilationHeight) - long(p.padTop);
              const long iw = long(ow * p.strideWidth + kw * p.dilationWidth) - long(p.padLeft);
              if (ih < 0 || iw < 0 || ih >= long(p.inputHeight) || iw >= long(p.inputWidth)) continue;
              for (size_t i = 0; i < icg; ++i) {
                const double x = input[((n * p.inputHeight + ih) * p.inputWidth + iw) * p.inputChannels + g * icg + i];
                const double w = filter[((oc * p.kernelHeight + kh) * p.kernelWidth + kw) * icg + i];
                s += x * w;
                m += std::fabs(x * w);
              }
            }
          const size_t o = ((n * p.outputHeight + oh) * p.outputWidth + ow) * OC + oc;
          (*ref)[o] = float(s);
          (*mag)[o] = m;
        }
}

// Marks the floats past the output in what runConv2dF32 returns; each must still hold it.
constexpr float kConvSentinel = 777.f;

// conv2dF32 over `input` with the filter (and bias, or null) packed for p: the output (outSize
// floats) followed by 8 floats that must still be kConvSentinel. *algorithm: the kernel packed for.
inline std::vector<float> runConv2dF32(ThreadPool* pool, const Conv2dParams& p, const std::vector<float>& input,
                                       const std::vector<float>& filter, const float* bias, const Activation& act,
                                       size_t outSize, int* algorithm = nullptr) {
  PackedConv2dWeights packed;
  REQUIRE(packConv2dWeights(p, filter.data(), bias, &packed));
  if (algorithm) *algorithm = packed.algorithm;
  std::vector<float> scratch(conv2dScratchBytes(p) / sizeof(float) + 1);
  std::vector<float> out(outSize + 8, kConvSentinel);
  conv2dF32(pool, p, input.data(), packed, out.data(), act, scratch.data());
  return out;
}

}  // namespace webnn::test
