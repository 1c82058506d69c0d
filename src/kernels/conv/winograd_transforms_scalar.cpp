// Scalar twins of the Winograd F(4x4, 3x3) tile transforms: one channel at a time, the same formulas
// as the SIMD128 kernels (winograd_transforms.h). Used by builds without SIMD128 and for channel tails.
#include <algorithm>

#include "kernels/activation.h"
#include "kernels/conv/winograd_transforms.h"

namespace webnn {
namespace {

struct ScalarOps {
  using V = float;
  static float load(const float* p) { return *p; }
  static void store(float* p, float v) { *p = v; }
  static float zero() { return 0.f; }
  static float add(float a, float b) { return a + b; }
  static float sub(float a, float b) { return a - b; }
  static float scale(float a, float k) { return a * k; }
  // The SIMD twin's pmax/pmin clamp (kernels/activation.h): a NaN passes through.
  static float clamp(float v, float lo, float hi) { return clampPminPmax(v, lo, hi); }
  using Mask = bool;
  static bool nonFinite(bool acc, float v) { return acc | !(v - v == 0.f); }  // Inf - Inf and NaN are NaN
};

}  // namespace

void f32_winograd43_input__scalar(const WinogradWindow& w, size_t c0, size_t c1, float* v, size_t pointStride) {
  for (size_t c = c0; c < c1; ++c) winograd43::inputChannels<ScalarOps>(w, c, v, pointStride);
}

bool f32_winograd43_output__scalar(const float* m, size_t pointStride, const float* bias, size_t c0, size_t c1,
                                   const WinogradOutputTile& y, float vmin, float vmax) {
  bool bad = false;
  for (size_t c = c0; c < c1; ++c) winograd43::outputChannels<ScalarOps>(m, pointStride, bias, c, y, vmin, vmax, bad);
  return !bad;
}

}  // namespace webnn
