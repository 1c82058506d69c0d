// GEMM microkernels (internal). Each computes mr rows of C over one panel and a K range:
//   C[mr, nc] = clamp(init + A[mr, kc] * W[kc, 16], vmin, vmax)
// where W is one packed B panel (kc rows of 16 floats, zero-padded past N), and `init` is either
// 16 per-column values (bias, or zeros) or nullptr, meaning "accumulate onto the C already there"
// (used by the driver for every K block after the first, when K is cut into blocks: gemmMaxKBlock()).
// mr may be any count: the kernel runs MR x NR tiles down the rows, all over the same panel block
// (one call per block of rows: with small K, as in 1x1 convs, a call per tile cost ~10%). In the
// last tile, rows past mr alias the last real row (same loads, same stores), which keeps the inner
// loop branch-free. nc may be 1..16: partial tiles go through a small stack buffer.
#pragma once
#include <cstddef>

namespace webnn {

constexpr size_t kGemmMR = 2;
constexpr size_t kGemmNR = 16;

using GemmMicrokernelFn = void (*)(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                   const float* init, float* c, size_t ldc, float vmin, float vmax);

// Portable C++ twin; the reference the SIMD kernel is tested against, and the kernel of native builds.
void f32_gemm_minmax_2x16__scalar(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                  const float* init, float* c, size_t ldc, float vmin, float vmax);
#ifdef __wasm_simd128__
// 2 rows x 4 v128 columns = 8 live accumulators: the largest tile V8 keeps in registers without spills.
void f32_gemm_minmax_2x16__wasmsimd(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                    const float* init, float* c, size_t ldc, float vmin, float vmax);
#endif

// Narrow tiles for the last panel when N % 16 <= 8 (4x8) or <= 4 (8x4): same contract, except
// nc <= NR columns, and only the first NR floats of each 16-float panel row (and of init) are read.
void f32_gemm_minmax_4x8__scalar(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                 const float* init, float* c, size_t ldc, float vmin, float vmax);
void f32_gemm_minmax_8x4__scalar(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                 const float* init, float* c, size_t ldc, float vmin, float vmax);
#ifdef __wasm_simd128__
void f32_gemm_minmax_4x8__wasmsimd(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                   const float* init, float* c, size_t ldc, float vmin, float vmax);
void f32_gemm_minmax_8x4__wasmsimd(size_t mr, size_t nc, size_t kc, const float* a, size_t lda, const float* w,
                                   const float* init, float* c, size_t ldc, float vmin, float vmax);
#endif

// Small-M kernels (M = 1..4, e.g. classifier heads and transformer decoder steps at batch 1). Such
// products are bound by reading B, not by arithmetic, so each call runs one whole packed panel (all K
// rows x 16 columns, contiguous) in one pass: consecutive panels are adjacent in memory, so B streams
// once, linearly, in its packed order. `init` is 16 per-column values (bias or zeros), never null.
//   C[mr, nc] = clamp(init + A[mr, K] * W[K, 16], vmin, vmax)
// Row k of W starts at w + k * ldw: ldw = 16 for a packed panel; a row-major B (K x N, row stride
// ldb) is read in place with w = b + n0 and ldw = ldb, so a B computed at run time (attention's keys
// and values) needs no packing. All 16 floats of every row are read (a last partial panel of an
// unpacked B must be packed, or they would run past its rows).
// 1x16: one row (mr must be 1); two k steps per iteration, whose products are summed before they join
// the 4 accumulators (acc += a[k] * w[k] + a[k+1] * w[k+1]): few loop-carried values, which V8 runs at
// twice the speed of 8 separate chains.
// 4x16: mr = 1..4 rows (rows past mr alias the last real one and are not stored). 16 live accumulators
// spill in V8, so the panel is cut into K blocks that stay in L1, and each block runs as two 2x16
// row-pair passes (8 accumulators each) that carry their sums through a 4x16 buffer on the stack; a
// row pair that would only repeat an aliased row (mr <= 2) is skipped.
using GemmSmallMKernelFn = void (*)(size_t mr, size_t nc, size_t K, const float* a, size_t lda, const float* w,
                                    size_t ldw, const float* init, float* c, size_t ldc, float vmin, float vmax);
constexpr size_t kGemmSmallMKC = 256;  // the 4x16 kernel's K block: 16 KB of panel, in L1
void f32_gemm_minmax_1x16_fullk__scalar(size_t mr, size_t nc, size_t K, const float* a, size_t lda, const float* w,
                                        size_t ldw, const float* init, float* c, size_t ldc, float vmin, float vmax);
void f32_gemm_minmax_4x16_fullk__scalar(size_t mr, size_t nc, size_t K, const float* a, size_t lda, const float* w,
                                        size_t ldw, const float* init, float* c, size_t ldc, float vmin, float vmax);
#ifdef __wasm_simd128__
void f32_gemm_minmax_1x16_fullk__wasmsimd(size_t mr, size_t nc, size_t K, const float* a, size_t lda, const float* w,
                                          size_t ldw, const float* init, float* c, size_t ldc, float vmin, float vmax);
void f32_gemm_minmax_4x16_fullk__wasmsimd(size_t mr, size_t nc, size_t K, const float* a, size_t lda, const float* w,
                                          size_t ldw, const float* init, float* c, size_t ldc, float vmin, float vmax);
#endif

// The small-M kernel for M rows (1 -> 1x16, 2..4 -> 4x16), and its name for the compiled plan.
struct GemmSmallMKernel {
  GemmSmallMKernelFn fn;
  size_t mr;
  const char* name;
};
inline GemmSmallMKernel gemmSmallMKernelFor(size_t M) {
#ifdef __wasm_simd128__
  if (M == 1) return {f32_gemm_minmax_1x16_fullk__wasmsimd, 1, "1x16 gemv"};
  return {f32_gemm_minmax_4x16_fullk__wasmsimd, 4, "4x16 small-M"};
#else
  if (M == 1) return {f32_gemm_minmax_1x16_fullk__scalar, 1, "1x16 gemv"};
  return {f32_gemm_minmax_4x16_fullk__scalar, 4, "4x16 small-M"};
#endif
}

// A microkernel with its tile shape.
struct GemmMicrokernel {
  GemmMicrokernelFn fn;
  size_t mr, nr;
};

// The microkernel for a panel with nc valid columns: 2x16 for full panels, a narrower tile for a
// mostly-padding last panel.
inline GemmMicrokernel gemmMicrokernelForColumns(size_t nc) {
#ifdef __wasm_simd128__
  if (nc <= 4) return {f32_gemm_minmax_8x4__wasmsimd, 8, 4};
  if (nc <= 8) return {f32_gemm_minmax_4x8__wasmsimd, 4, 8};
  return {f32_gemm_minmax_2x16__wasmsimd, 2, 16};
#else
  if (nc <= 4) return {f32_gemm_minmax_8x4__scalar, 8, 4};
  if (nc <= 8) return {f32_gemm_minmax_4x8__scalar, 4, 8};
  return {f32_gemm_minmax_2x16__scalar, 2, 16};
#endif
}

// The best microkernel this build has.
inline GemmMicrokernelFn bestGemmMicrokernel() {
#ifdef __wasm_simd128__
  return f32_gemm_minmax_2x16__wasmsimd;
#else
  return f32_gemm_minmax_2x16__scalar;
#endif
}

}  // namespace webnn
