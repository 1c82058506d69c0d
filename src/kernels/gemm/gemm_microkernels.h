// GEMM microkernels (internal). Each computes one MR x NR tile of C over a K range:
//   C[mr, nc] = clamp(init + A[mr, kc] * W[kc, 16], vmin, vmax)
// where W is one packed B panel (kc rows of 16 floats, zero-padded past N), and `init` is either
// 16 per-column values (bias, or zeros) or nullptr, meaning "accumulate onto the C already there"
// (used by the K-blocked driver for every K block after the first).
// mr may be 1 or 2: with mr == 1 row 1 aliases row 0 (same loads, same stores), which keeps the
// inner loop branch-free. nc may be 1..16: partial tiles go through a small stack buffer.
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
// mr <= MR rows (extra rows alias the last real one), nc <= NR columns, and only the first NR floats
// of each 16-float panel row (and of init) are read.
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
