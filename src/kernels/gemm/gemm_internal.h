// Internal GEMM entry points shared by gemm.cpp and the convolution kernels (which keep several
// groups' packed panels in one buffer and so cannot use PackedGemmB directly).
#pragma once
#include <cstddef>

#include "kernels/activation.h"

namespace webnn {

class ThreadPool;

// Floats that B (K x N) occupies once packed: ceil(N / 16) panels of K rows x 16 floats.
size_t packedGemmBFloats(size_t K, size_t N);
// Packs B into `out` (packedGemmBFloats(K, N) floats). transposedB: b is N x K, else K x N.
void packGemmBInto(const float* b, size_t K, size_t N, size_t ldb, bool transposedB, float* out);
// Where packGemmBInto puts B[k][n] (for kernels that write packed B directly, like Winograd's filter
// transform): panels of 16 columns, each K rows of 16 floats.
inline size_t packedGemmBIndex(size_t K, size_t k, size_t n) { return (n / 16) * K * 16 + k * 16 + n % 16; }
// C[M,N] = act(A[M,K] * B + bias) with B packed by packGemmBInto. pool may be null (runs inline).
// residual (M x N, row stride ldc, or null) is added last, after bias and act: the caller passes
// it only with an identity activation (compiler/residual_fusion.h).
void gemmF32Packed(ThreadPool* pool, size_t M, size_t N, size_t K, const float* a, size_t lda, const float* packedB,
                   const float* bias, float* c, size_t ldc, const Activation& act, const float* residual = nullptr);

// The largest K that gemmF32Packed runs in one block; longer K is cut into blocks that accumulate onto C
// (tests cover the block edges through this).
size_t gemmMaxKBlock();

// The small-M product (M <= kGemmSmallMMaxRows) with B row-major (K x N, row stride ldb) read in
// place, unpacked: only a last partial panel is packed, into `tailScratch`
// (gemmSmallMRowMajorBScratchFloats(K, N) floats; none when N is a multiple of 16).
size_t gemmSmallMRowMajorBScratchFloats(size_t K, size_t N);
void gemmF32SmallMRowMajorB(ThreadPool* pool, size_t M, size_t N, size_t K, const float* a, size_t lda, const float* b,
                            size_t ldb, float* tailScratch, const float* bias, float* c, size_t ldc, const Activation& act);

}  // namespace webnn
