// Batched f32 GEMM with B computed at run time: attention's per-head products (q x kT, then the
// probabilities x v). Each product is small (a decoder step's is a GEMV over 64 x 129 floats, a short
// sequence's 16 x 64 x 16), too small to split over threads by itself, so the heads are shared out
// instead; M <= 4 reads B where it lies rather than packing a copy that is read once.
#include <algorithm>
#include <cstdint>

#include "kernels/gemm/gemm.h"
#include "kernels/gemm/gemm_internal.h"
#include "kernels/task_split.h"
#include "core/thread_pool.h"

namespace webnn {
namespace {

// Past this much scratch (one packing buffer per batch), batches run one after another instead.
constexpr size_t kMaxBatchedScratchBytes = size_t(8) << 20;

// Floats of scratch one product needs: the packed tail panel (M <= 4) or the whole packed B.
size_t scratchFloatsPerBatch(size_t M, size_t N, size_t K) {
  return M <= kGemmSmallMMaxRows ? gemmSmallMRowMajorBScratchFloats(K, N) : packedGemmBFloats(K, N);
}

// One product's work in FLOPs, counting each byte of B read (and packed, for M > 4) as 2, as the
// small-M path does: what is moved is the cost of these shapes.
double workPerBatch(size_t M, size_t N, size_t K) {
  const double bytes = 4.0 * double(K) * double(N) * (M <= kGemmSmallMMaxRows ? 1 : 3);
  return std::max(2.0 * double(M) * double(N) * double(std::max<size_t>(K, 1)), 2.0 * bytes);
}

void runOne(ThreadPool* pool, size_t M, size_t N, size_t K, const float* a, const float* b, const float* bias, float* c,
            const Activation& act, float* scratch) {
  if (M <= kGemmSmallMMaxRows)
    gemmF32SmallMRowMajorB(pool, M, N, K, a, K, b, N, scratch, bias, c, N, act);
  else
    gemmF32Unpacked(pool, M, N, K, a, K, b, N, false, bias, c, N, act, scratch);
}

}  // namespace

bool gemmBatchedSplitsBatches(size_t threads, size_t batches, size_t M, size_t N, size_t K) {
  if (threads <= 1 || batches < 2) return false;
  if (satMul(satMul(batches, scratchFloatsPerBatch(M, N, K)), sizeof(float)) > kMaxBatchedScratchBytes) return false;
  // A product big enough to be split over all threads by itself gains nothing from sharing batches.
  if (workPerBatch(M, N, K) >= double(threads) * 4 * kMinFlopsPerTask) return false;
  return double(batches) * workPerBatch(M, N, K) >= 2 * kMinFlopsPerTask;
}

size_t gemmBatchedScratchBytes(size_t threads, size_t batches, size_t M, size_t N, size_t K) {
  const size_t slots = gemmBatchedSplitsBatches(threads, batches, M, N, K) ? batches : 1;
  return satMul(satMul(slots, scratchFloatsPerBatch(M, N, K)), sizeof(float));
}

void gemmF32Batched(ThreadPool* pool, size_t batches, const std::pair<size_t, size_t>* index, size_t M, size_t N,
                    size_t K, const float* a, const float* b, const float* bias, float* c, const Activation& act,
                    void* scratch) {
  float* scratchF = static_cast<float*>(scratch);
  const size_t threads = pool ? pool->numThreads() : 1;
  auto product = [&](ThreadPool* p, size_t i, float* slot) {
    runOne(p, M, N, K, a + index[i].first * M * K, b + index[i].second * K * N, bias, c + i * M * N, act, slot);
  };
  if (!gemmBatchedSplitsBatches(threads, batches, M, N, K)) {
    for (size_t i = 0; i < batches; ++i) product(pool, i, scratchF);
    return;
  }
  // Each batch has its own scratch slot, so tasks need not know which thread runs them.
  const size_t perBatch = scratchFloatsPerBatch(M, N, K);
  runSplit(pool, batches, workPerBatch(M, N, K), [&](size_t start, size_t count) {
    for (size_t i = start; i < start + count; ++i) product(nullptr, i, scratchF + i * perBatch);
  });
}

}  // namespace webnn
