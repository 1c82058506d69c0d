// f32 GEMM: C[M,N] = act(A[M,K] * B[K,N] + bias[N]).
// B is packed once (at graph build for constant weights) into panels the microkernel streams.
#pragma once
#include <cstddef>
#include <memory>

#include "core/aligned_buffer.h"
#include "kernels/activation.h"

namespace webnn {

class ThreadPool;

// B packed into the microkernel's panel layout. Opaque to callers.
struct PackedGemmB {
  size_t K = 0, N = 0;
  AlignedBuffer data;
};

// Packs B. With transposedB, `b` is N x K (row stride ldb); otherwise K x N (row stride ldb).
// Returns false on allocation failure.
bool packGemmB(const float* b, size_t K, size_t N, size_t ldb, bool transposedB, PackedGemmB* out);

// C = act(A * packedB + bias). A is M x K with row stride lda; C is M x N with row stride ldc.
// bias may be null (length N otherwise). Splits work over the pool.
void gemmF32(ThreadPool* pool, size_t M, const float* a, size_t lda, const PackedGemmB& b, const float* bias,
             float* c, size_t ldc, const Activation& act);

// Products with at most this many rows (M) run the small-M kernels (1x16 for M = 1, 4x16 up to 4):
// GEMV-like shapes bound by streaming B. Larger M runs the blocked 2x16 GEMM.
constexpr size_t kGemmSmallMMaxRows = 4;
// The kernel gemmF32 runs for M rows, for the compiled plan ("1x16 gemv", "4x16 small-M", "2x16").
const char* gemmKernelName(size_t M);

// Bytes of scratch that gemmF32Unpacked needs to pack B on the fly (for a B that is not constant).
size_t gemmUnpackedScratchBytes(size_t K, size_t N);
// The same product with B not packed in advance: packs B into `scratch` first.
void gemmF32Unpacked(ThreadPool* pool, size_t M, size_t N, size_t K, const float* a, size_t lda, const float* b,
                     size_t ldb, bool transposedB, const float* bias, float* c, size_t ldc, const Activation& act,
                     void* scratch);

}  // namespace webnn
