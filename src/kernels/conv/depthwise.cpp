// Depthwise convolution kernels. For each output pixel the valid filter taps are found once (padding
// is skipped rather than read from a zero buffer), then channels are swept in vector-wide blocks with
// the accumulators in registers. The channel multiplier m maps output channel oc to input channel oc / m;
// for m == 1 (the common case) input and output channels line up and the inner loops are plain vectors.
#include "kernels/conv/depthwise.h"

#include <algorithm>
#include <cstddef>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace webnn {
namespace {

// Valid tap range [begin, end) along one axis for an output coordinate whose first tap is at `start`.
inline void validTaps(ptrdiff_t start, size_t dilation, size_t kernel, size_t size, size_t* begin, size_t* end) {
  const ptrdiff_t d = static_cast<ptrdiff_t>(dilation);
  ptrdiff_t b = start < 0 ? (-start + d - 1) / d : 0;
  ptrdiff_t e = start < static_cast<ptrdiff_t>(size) ? (static_cast<ptrdiff_t>(size) - start + d - 1) / d : 0;
  b = std::min<ptrdiff_t>(b, kernel);
  e = std::min<ptrdiff_t>(e, kernel);
  *begin = static_cast<size_t>(b);
  *end = static_cast<size_t>(std::max(e, b));
}

// One valid filter tap of an output pixel (the generic kernels walk a per-pixel list of them).
struct Tap {
  const float* in;  // input pixel (channel 0) of this tap
  const float* w;   // weights of this tap (output channel 0)
};

// Calls pixel(out, taps, count, first, last) for output pixels [owBegin, owEnd) of output row r
// (one (batch, outputY) pair), with the list of the pixel's valid taps.
template <typename PixelFn>
void forEachPixel(const Conv2dParams& p, const float* input, const float* weights, float* output, size_t r,
                  size_t owBegin, size_t owEnd, PixelFn pixel) {
  const size_t IC = p.inputChannels, OC = p.outputChannels;
  Tap taps[64];  // most kernels; larger ones are done in chunks of 64 taps
  const size_t n = r / p.outputHeight, oh = r % p.outputHeight;
  const ptrdiff_t ih0 = static_cast<ptrdiff_t>(oh * p.strideHeight) - static_cast<ptrdiff_t>(p.padTop);
  size_t khB, khE;
  validTaps(ih0, p.dilationHeight, p.kernelHeight, p.inputHeight, &khB, &khE);
  float* outRow = output + r * p.outputWidth * OC;
  for (size_t ow = owBegin; ow < owEnd; ++ow) {
    const ptrdiff_t iw0 = static_cast<ptrdiff_t>(ow * p.strideWidth) - static_cast<ptrdiff_t>(p.padLeft);
    size_t kwB, kwE;
    validTaps(iw0, p.dilationWidth, p.kernelWidth, p.inputWidth, &kwB, &kwE);
    size_t count = 0;
    float* out = outRow + ow * OC;
    bool firstChunk = true;
    for (size_t kh = khB; kh < khE; ++kh) {
      const size_t ih = static_cast<size_t>(ih0 + static_cast<ptrdiff_t>(kh * p.dilationHeight));
      for (size_t kw = kwB; kw < kwE; ++kw) {
        const size_t iw = static_cast<size_t>(iw0 + static_cast<ptrdiff_t>(kw * p.dilationWidth));
        taps[count++] = {input + ((n * p.inputHeight + ih) * p.inputWidth + iw) * IC,
                         weights + (kh * p.kernelWidth + kw) * OC};
        if (count == 64) {  // flush a full chunk; later chunks accumulate onto the output
          pixel(out, taps, count, firstChunk, false);
          firstChunk = false;
          count = 0;
        }
      }
    }
    pixel(out, taps, count, firstChunk, true);
  }
}

}  // namespace

size_t depthwisePackedFloats(const Conv2dParams& p) { return satMul(p.kernelHeight, p.kernelWidth, p.outputChannels); }

void packDepthwiseWeights(const Conv2dParams& p, const float* filter, float* out) {
  const size_t taps = p.kernelHeight * p.kernelWidth, OC = p.outputChannels;
  for (size_t oc = 0; oc < OC; ++oc)
    for (size_t t = 0; t < taps; ++t) out[t * OC + oc] = filter[oc * taps + t];
}

void f32_dwconv_minmax_rows__scalar(const Conv2dParams& p, const float* input, const float* weights,
                                    const float* bias, float* output, const Activation& act, size_t rowStart,
                                    size_t rowCount) {
  const size_t OC = p.outputChannels, mult = OC / p.inputChannels;
  const float vmin = act.clampMin(), vmax = act.clampMax();
  auto pixel = [&](float* out, const Tap* taps, size_t count, bool first, bool last) {
    for (size_t oc = 0; oc < OC; ++oc) {
      const size_t ic = oc / mult;
      float acc = first ? bias[oc] : out[oc];
      for (size_t t = 0; t < count; ++t) acc += taps[t].in[ic] * taps[t].w[oc];
      out[oc] = last ? clampPminPmax(acc, vmin, vmax) : acc;
    }
  };
  for (size_t r = rowStart; r < rowStart + rowCount; ++r) {
    forEachPixel(p, input, weights, output, r, 0, p.outputWidth, pixel);
    applyNonMinMaxActivation(act, output + r * p.outputWidth * OC, p.outputWidth * OC);
  }
}

#ifdef __wasm_simd128__
namespace {

// A 3x3 depthwise row with every tap inside the input (the output columns [owBegin, owEnd) of a row
// whose three input rows exist), multiplier 1, OC % 4 == 0. Channels are the outer loop: one
// 4-channel block keeps its nine weight vectors in registers while it sweeps the row, so a tap costs
// one load, a multiply and an add (the generic kernel also loads the weight and the tap's pointers).
// One output pixel per step: the nine weights, the bias and the clamp bounds hold 12 of the 15 v128
// registers V8 gives Wasm on x64, and a second pixel's chain made it spill (two pixels per step was
// 1.2x slower on MobileNetV2's depthwise layers, bench/README.md 2026-12-06 evening); consecutive
// pixels' chains are independent, so the CPU overlaps them anyway.
void dwconv3x3RowInterior(const Conv2dParams& p, const float* const inRows[3], const float* weights,
                          const float* bias, float* outRow, size_t owBegin, size_t owEnd, v128_t vlo, v128_t vhi) {
  const size_t C = p.outputChannels;
  const size_t step = p.strideWidth * C;  // input floats between two output pixels
  for (size_t c = 0; c < C; c += 4) {
    const v128_t w00 = wasm_v128_load(weights + 0 * C + c), w01 = wasm_v128_load(weights + 1 * C + c);
    const v128_t w02 = wasm_v128_load(weights + 2 * C + c), w10 = wasm_v128_load(weights + 3 * C + c);
    const v128_t w11 = wasm_v128_load(weights + 4 * C + c), w12 = wasm_v128_load(weights + 5 * C + c);
    const v128_t w20 = wasm_v128_load(weights + 6 * C + c), w21 = wasm_v128_load(weights + 7 * C + c);
    const v128_t w22 = wasm_v128_load(weights + 8 * C + c);
    const v128_t vb = wasm_v128_load(bias + c);
    const size_t iw0 = owBegin * p.strideWidth - p.padLeft;
    const float* i0 = inRows[0] + iw0 * C + c;
    const float* i1 = inRows[1] + iw0 * C + c;
    const float* i2 = inRows[2] + iw0 * C + c;
    float* o = outRow + owBegin * C + c;
    for (size_t ow = owBegin; ow < owEnd; ++ow, i0 += step, i1 += step, i2 += step, o += C) {
      v128_t a = wasm_f32x4_add(vb, wasm_f32x4_mul(wasm_v128_load(i0), w00));
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(i0 + C), w01));
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(i0 + 2 * C), w02));
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(i1), w10));
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(i1 + C), w11));
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(i1 + 2 * C), w12));
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(i2), w20));
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(i2 + C), w21));
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(i2 + 2 * C), w22));
      wasm_v128_store(o, wasm_f32x4_pmin(wasm_f32x4_pmax(a, vlo), vhi));
    }
  }
}

}  // namespace

void f32_dwconv_minmax_rows__wasmsimd(const Conv2dParams& p, const float* input, const float* weights,
                                      const float* bias, float* output, const Activation& act, size_t rowStart,
                                      size_t rowCount) {
  const size_t OC = p.outputChannels, mult = OC / p.inputChannels;
  if (mult != 1) {
    // Channel multiplier > 1 gathers input lanes (oc / m); rare enough to keep scalar.
    f32_dwconv_minmax_rows__scalar(p, input, weights, bias, output, act, rowStart, rowCount);
    return;
  }
  const float vmin = act.clampMin(), vmax = act.clampMax();
  const v128_t vlo = wasm_f32x4_splat(vmin), vhi = wasm_f32x4_splat(vmax);
  auto pixel = [&](float* out, const Tap* taps, size_t count, bool first, bool last) {
    size_t c = 0;
    // 16 channels (4 accumulators) at a time: 4 input + 4 weight loads per tap.
    for (; c + 16 <= OC; c += 16) {
      const float* init = first ? bias + c : out + c;
      v128_t a0 = wasm_v128_load(init), a1 = wasm_v128_load(init + 4);
      v128_t a2 = wasm_v128_load(init + 8), a3 = wasm_v128_load(init + 12);
      for (size_t t = 0; t < count; ++t) {
        const float* i = taps[t].in + c;
        const float* w = taps[t].w + c;
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_v128_load(i), wasm_v128_load(w)));
        a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(wasm_v128_load(i + 4), wasm_v128_load(w + 4)));
        a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(wasm_v128_load(i + 8), wasm_v128_load(w + 8)));
        a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(wasm_v128_load(i + 12), wasm_v128_load(w + 12)));
      }
      if (last) {
        a0 = wasm_f32x4_pmin(wasm_f32x4_pmax(a0, vlo), vhi);
        a1 = wasm_f32x4_pmin(wasm_f32x4_pmax(a1, vlo), vhi);
        a2 = wasm_f32x4_pmin(wasm_f32x4_pmax(a2, vlo), vhi);
        a3 = wasm_f32x4_pmin(wasm_f32x4_pmax(a3, vlo), vhi);
      }
      wasm_v128_store(out + c, a0);
      wasm_v128_store(out + c + 4, a1);
      wasm_v128_store(out + c + 8, a2);
      wasm_v128_store(out + c + 12, a3);
    }
    for (; c + 4 <= OC; c += 4) {
      v128_t a = wasm_v128_load(first ? bias + c : out + c);
      for (size_t t = 0; t < count; ++t)
        a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(taps[t].in + c), wasm_v128_load(taps[t].w + c)));
      if (last) a = wasm_f32x4_pmin(wasm_f32x4_pmax(a, vlo), vhi);
      wasm_v128_store(out + c, a);
    }
    for (; c < OC; ++c) {
      float acc = first ? bias[c] : out[c];
      for (size_t t = 0; t < count; ++t) acc += taps[t].in[c] * taps[t].w[c];
      out[c] = last ? clampPminPmax(acc, vmin, vmax) : acc;
    }
  };

  // 3x3 with unit dilation and whole 4-channel blocks: rows whose three input rows exist run their
  // interior columns through dwconv3x3RowInterior; borders and everything else take the generic path.
  const bool fast3x3 = p.kernelHeight == 3 && p.kernelWidth == 3 && p.dilationHeight == 1 &&
                       p.dilationWidth == 1 && OC % 4 == 0;
  size_t owBegin = 0, owEnd = 0;  // output columns whose taps are all inside the input row
  if (fast3x3) {
    owBegin = std::min(p.outputWidth, (p.padLeft + p.strideWidth - 1) / p.strideWidth);
    if (p.inputWidth + p.padLeft >= 3) owEnd = std::min(p.outputWidth, (p.inputWidth + p.padLeft - 3) / p.strideWidth + 1);
    owEnd = std::max(owEnd, owBegin);
  }
  for (size_t r = rowStart; r < rowStart + rowCount; ++r) {
    const size_t n = r / p.outputHeight, oh = r % p.outputHeight;
    const ptrdiff_t ih0 = static_cast<ptrdiff_t>(oh * p.strideHeight) - static_cast<ptrdiff_t>(p.padTop);
    float* outRow = output + r * p.outputWidth * OC;
    if (fast3x3 && owBegin < owEnd && ih0 >= 0 && ih0 + 3 <= static_cast<ptrdiff_t>(p.inputHeight)) {
      const float* image = input + n * p.inputHeight * p.inputWidth * OC;
      const float* rows[3] = {image + size_t(ih0) * p.inputWidth * OC, image + size_t(ih0 + 1) * p.inputWidth * OC,
                              image + size_t(ih0 + 2) * p.inputWidth * OC};
      forEachPixel(p, input, weights, output, r, 0, owBegin, pixel);
      dwconv3x3RowInterior(p, rows, weights, bias, outRow, owBegin, owEnd, vlo, vhi);
      forEachPixel(p, input, weights, output, r, owEnd, p.outputWidth, pixel);
    } else {
      forEachPixel(p, input, weights, output, r, 0, p.outputWidth, pixel);
    }
    applyNonMinMaxActivation(act, outRow, p.outputWidth * OC);
  }
}
#endif

}  // namespace webnn
