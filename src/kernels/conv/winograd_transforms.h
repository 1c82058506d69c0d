// Winograd F(4x4, 3x3) tile transforms (internal to winograd.cpp), written once as templates over a
// lane type so the SIMD128 kernels and their scalar twins share every formula:
//   input  V = B^T d B   (6x6 input window d -> 36 points, per channel)
//   output Y = A^T M A   (36 points -> 4x4 output pixels, per output channel), + bias, clamped
// Matrices from Lavin & Gray (2015) with interpolation points 0, +-1, +-2, inf. Both transforms use
// only adds and multiplies by small powers of two (and 4, 5), so they add little rounding error;
// the filter transform G g G^T (fractions 1/6, 1/24) is done in double at pack time (winograd.cpp).
#pragma once
#include <cstddef>

#include "kernels/conv/conv2d.h"

namespace webnn {

constexpr size_t kWinogradTile = 4;    // output pixels per tile side
constexpr size_t kWinogradAlpha = 6;   // input window side (tile + 3 - 1)
constexpr size_t kWinogradPoints = 36; // alpha^2: one GEMM per point

// One tile's input window: the 36 input pixel rows (NHWC, IC floats each) of the 6x6 window, or
// null where the window lies in the padding.
struct WinogradWindow {
  const float* pixel[kWinogradPoints];
};

// One tile's 4x4 output pixels (NHWC rows of outputChannels floats); null where the tile overhangs
// the output's bottom/right edge.
struct WinogradOutputTile {
  float* pixel[kWinogradTile * kWinogradTile];
};

// v[point * pointStride + c] = (B^T d B)[point] for channels c in [c0, c1).
void f32_winograd43_input__scalar(const WinogradWindow& w, size_t c0, size_t c1, float* v, size_t pointStride);
// y[pixel][c] = clamp((A^T M A)[pixel] + bias[c], vmin, vmax) for c in [c0, c1), m as the input
// transform leaves v (m[point * pointStride + c]). Returns false when some (A^T M A) value is not
// finite: the transforms spread an Inf or NaN input over the whole tile (and can overflow where the
// direct sum does not), so the caller recomputes such a tile directly.
bool f32_winograd43_output__scalar(const float* m, size_t pointStride, const float* bias, size_t c0, size_t c1,
                                   const WinogradOutputTile& y, float vmin, float vmax);
#ifdef __wasm_simd128__
// The same, four channels per v128; the channels past the last multiple of 4 go to the scalar twin.
void f32_winograd43_input__wasmsimd(const WinogradWindow& w, size_t c0, size_t c1, float* v, size_t pointStride);
bool f32_winograd43_output__wasmsimd(const float* m, size_t pointStride, const float* bias, size_t c0, size_t c1,
                                     const WinogradOutputTile& y, float vmin, float vmax);
#endif

namespace winograd43 {

// B^T x for one line of 6:
//   r0 = 4 x0 - 5 x2 + x4            r3 = 2 (x3 - x1) + x4 - x2
//   r1 = x3 + x4 - 4 (x1 + x2)       r4 = 2 (x1 - x3) + x4 - x2
//   r2 = x4 - x3 + 4 (x1 - x2)       r5 = 4 x1 - 5 x3 + x5
template <class V, class Ops>
inline void bt(const V* x, V& r0, V& r1, V& r2, V& r3, V& r4, V& r5, Ops) {
  const V x4m2 = Ops::sub(x[4], x[2]);
  r0 = Ops::add(Ops::sub(Ops::scale(x[0], 4.f), Ops::scale(x[2], 5.f)), x[4]);
  r1 = Ops::sub(Ops::add(x[3], x[4]), Ops::scale(Ops::add(x[1], x[2]), 4.f));
  r2 = Ops::add(Ops::sub(x[4], x[3]), Ops::scale(Ops::sub(x[1], x[2]), 4.f));
  r3 = Ops::add(Ops::scale(Ops::sub(x[3], x[1]), 2.f), x4m2);
  r4 = Ops::add(Ops::scale(Ops::sub(x[1], x[3]), 2.f), x4m2);
  r5 = Ops::add(Ops::sub(Ops::scale(x[1], 4.f), Ops::scale(x[3], 5.f)), x[5]);
}

// A^T m for one line of 6:
//   o0 = m0 + (m1 + m2) + (m3 + m4)      o2 = (m1 + m2) + 4 (m3 + m4)
//   o1 = (m1 - m2) + 2 (m3 - m4)         o3 = (m1 - m2) + 8 (m3 - m4) + m5
template <class V, class Ops>
inline void at(const V* m, V& o0, V& o1, V& o2, V& o3, Ops) {
  const V s12 = Ops::add(m[1], m[2]), d12 = Ops::sub(m[1], m[2]);
  const V s34 = Ops::add(m[3], m[4]), d34 = Ops::sub(m[3], m[4]);
  o0 = Ops::add(Ops::add(m[0], s12), s34);
  o1 = Ops::add(d12, Ops::scale(d34, 2.f));
  o2 = Ops::add(s12, Ops::scale(s34, 4.f));
  o3 = Ops::add(Ops::add(d12, Ops::scale(d34, 8.f)), m[5]);
}

// Ops: a lane type V and load/store/zero/add/sub/scale(x, constant)/clamp, and a mask type with
// nonFinite(acc, x) (acc | (x is Inf or NaN)). One call handles the channels of one V.
template <class Ops>
inline void inputChannels(const WinogradWindow& w, size_t c, float* v, size_t pointStride) {
  using V = typename Ops::V;
  V t[kWinogradAlpha][kWinogradAlpha];
  // Columns first: t[.][j] = B^T d[.][j].
  for (size_t j = 0; j < kWinogradAlpha; ++j) {
    V x[kWinogradAlpha];
    for (size_t i = 0; i < kWinogradAlpha; ++i) {
      const float* src = w.pixel[i * kWinogradAlpha + j];
      x[i] = src ? Ops::load(src + c) : Ops::zero();
    }
    bt(x, t[0][j], t[1][j], t[2][j], t[3][j], t[4][j], t[5][j], Ops());
  }
  // Then rows: v[i][.] = t[i][.] B.
  for (size_t i = 0; i < kWinogradAlpha; ++i) {
    V r[kWinogradAlpha];
    bt(t[i], r[0], r[1], r[2], r[3], r[4], r[5], Ops());
    float* dst = v + i * kWinogradAlpha * pointStride + c;
    for (size_t j = 0; j < kWinogradAlpha; ++j) Ops::store(dst + j * pointStride, r[j]);
  }
}

// Accumulates into `bad` whether any value of the tile (before bias) is Inf or NaN.
template <class Ops>
inline void outputChannels(const float* m, size_t pointStride, const float* bias, size_t c,
                           const WinogradOutputTile& y, typename Ops::V vmin, typename Ops::V vmax,
                           typename Ops::Mask& bad) {
  using V = typename Ops::V;
  V s[kWinogradTile][kWinogradAlpha];
  // Columns first: s[.][j] = A^T M[.][j].
  for (size_t j = 0; j < kWinogradAlpha; ++j) {
    V x[kWinogradAlpha];
    for (size_t i = 0; i < kWinogradAlpha; ++i) x[i] = Ops::load(m + (i * kWinogradAlpha + j) * pointStride + c);
    at(x, s[0][j], s[1][j], s[2][j], s[3][j], Ops());
  }
  const V b = Ops::load(bias + c);
  for (size_t i = 0; i < kWinogradTile; ++i) {
    V o[kWinogradTile];
    at(s[i], o[0], o[1], o[2], o[3], Ops());
    for (size_t j = 0; j < kWinogradTile; ++j) {
      bad = Ops::nonFinite(bad, o[j]);
      float* dst = y.pixel[i * kWinogradTile + j];
      if (dst) Ops::store(dst + c, Ops::clamp(Ops::add(o[j], b), vmin, vmax));
    }
  }
}

}  // namespace winograd43
}  // namespace webnn
