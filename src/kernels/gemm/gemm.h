// f32 GEMM: C[M,N] = act(A[M,K] * B[K,N] + bias[N]).
// B is packed once (at graph build for constant weights) into panels the microkernel streams.
#pragma once
#include <cstddef>
#include <memory>
#include <utility>

#include "core/aligned_buffer.h"
#include "core/thread_pool.h"
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
// bias may be null (length N otherwise). Splits work over the pool. residual (M x N, row stride
// ldc, or null) is added to each finished tile, after bias (compiler/residual_fusion.h); only with an
// identity activation, which would otherwise run first.
void gemmF32(ThreadPool* pool, size_t M, const float* a, size_t lda, const PackedGemmB& b, const float* bias,
             float* c, size_t ldc, const Activation& act, const float* residual = nullptr);

// Products with at most this many rows (M) run the small-M kernels (1x16 for M = 1, 4x16 up to 4):
// GEMV-like shapes bound by streaming B. Larger M runs the blocked 2x16 GEMM.
constexpr size_t kGemmSmallMMaxRows = 4;
// The kernel gemmF32 runs for M rows, for the compiled plan ("1x16 gemv", "4x16 small-M", "2x16").
const char* gemmKernelName(size_t M);

// How many tasks the small-M path splits N into on `threads` threads (1: it runs inline).
size_t gemmSmallMTasks(size_t threads, size_t M, size_t N, size_t K, double minTaskFlops = kMinFlopsPerTask);

// Bytes of scratch that gemmF32Unpacked needs to pack B on the fly (for a B that is not constant).
size_t gemmUnpackedScratchBytes(size_t K, size_t N);
// The same product with B not packed in advance: packs B into `scratch` first.
void gemmF32Unpacked(ThreadPool* pool, size_t M, size_t N, size_t K, const float* a, size_t lda, const float* b,
                     size_t ldb, bool transposedB, const float* bias, float* c, size_t ldc, const Activation& act,
                     void* scratch);

// Batched products with B computed by the graph (matmul's attention shapes: per head, q x kT and
// probabilities x v). For i < batches, with (ai, bi) = index[i]:
//   C_i = act(A_ai * B_bi + bias),  A_j = a + j*M*K (M x K),  B_j = b + j*K*N (K x N),  C_i = c + i*M*N.
// With several threads and at least as many batches, the batches are shared among the threads
// (each product runs on one thread); otherwise they run one after another, each split over the
// threads. M <= kGemmSmallMMaxRows reads B in place (no packing); larger M packs it per batch.
// The scratch (gemmBatchedScratchBytes) holds one packing buffer per batch run at the same time.
size_t gemmBatchedScratchBytes(size_t threads, size_t batches, size_t M, size_t N, size_t K);
// Whether the batches are shared among the threads (for the compiled plan's step name).
bool gemmBatchedSplitsBatches(size_t threads, size_t batches, size_t M, size_t N, size_t K);
void gemmF32Batched(ThreadPool* pool, size_t batches, const std::pair<size_t, size_t>* index, size_t M, size_t N,
                    size_t K, const float* a, const float* b, const float* bias, float* c, const Activation& act,
                    void* scratch);

}  // namespace webnn
