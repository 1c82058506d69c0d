// How kernels outside GEMM/conv split a 1-D range of items (rows, slices, outputs) over the pool:
// tasks of at least kMinFlopsPerTask, at most 4 per thread, in whole rounds over the threads, so the
// pool's per-thread contiguous chunks keep each thread on the same part of the data.
#pragma once
#include <algorithm>
#include <cstddef>

#include "core/thread_pool.h"

namespace webnn {

// The pool's least work per task (ThreadPool::minTaskFlops); a null pool runs inline anyway.
inline double minTaskFlops(const ThreadPool* pool) { return pool ? pool->minTaskFlops() : kMinFlopsPerTask; }
// An element-count threshold of a kernel (ThreadPool::minTaskElements).
inline size_t minTaskElements(const ThreadPool* pool, size_t normal) { return pool ? pool->minTaskElements(normal) : normal; }

// Memory-bound kernels (element-wise maps, casts) count each byte they read or write as one FLOP of
// work: a float32 map then needs 32K elements (256 KB moved) per task, the size below which waking
// a thread was measured to cost more than it saves.
constexpr double kFlopsPerByteStreamed = 1.0;

// runSplit over [0, n) elements in blocks of kElementsPerBlock (the last one shorter): each task then
// starts on a multiple of 64 elements — a cache line of output for any element size (no line
// written by two threads) and a whole number of SIMD vectors. When the pool splits all work
// (testing), blocks are single elements, so that small tensors split too, anywhere.
constexpr size_t kElementsPerBlock = 64;
template <typename F>
void runSplitElements(ThreadPool* pool, size_t n, double flopsPerElement, F&& fn) {
  const size_t block = minTaskElements(pool, kElementsPerBlock);
  const size_t blocks = (n + block - 1) / block;
  runSplit(pool, blocks, flopsPerElement * double(block), [&](size_t start, size_t count) {
    const size_t first = start * block;
    fn(first, std::min(n, (start + count) * block) - first);
  });
}

// Runs fn(start, count) over [0, items), each item costing about flopsPerItem; inline when the
// pool is null, has one thread, or the work is too small to share.
template <typename F>
void runSplit(ThreadPool* pool, size_t items, double flopsPerItem, F&& fn) {
  const size_t threads = pool ? pool->numThreads() : 1;
  size_t tasks = threads <= 1 ? 1
                              : std::min<size_t>({threads * 4, items,
                                                  static_cast<size_t>(double(items) * flopsPerItem / minTaskFlops(pool))});
  if (tasks <= 1) return fn(size_t(0), items);
  tasks = std::min(items, (tasks + threads - 1) / threads * threads);
  pool->parallelize1d(items, (items + tasks - 1) / tasks, fn);
}

// runSplit over `rows` rows of a copy (data movement: transpose, split, concat, the index-map
// copies), each moving rowBytes: a byte read and written counts as two FLOPs (kFlopsPerByteStreamed).
template <typename F>
void runSplitCopyRows(ThreadPool* pool, size_t rows, size_t rowBytes, F&& fn) {
  runSplit(pool, rows, kFlopsPerByteStreamed * 2.0 * double(rowBytes), fn);
}

}  // namespace webnn
