// How kernels outside GEMM/conv split a 1-D range of items (rows, slices, outputs) over the pool:
// tasks of at least kMinFlopsPerTask, at most 4 per thread, in whole rounds over the threads, so the
// pool's per-thread contiguous chunks keep each thread on the same part of the data.
#pragma once
#include <algorithm>
#include <cstddef>

#include "runtime/thread_pool.h"

namespace webnn {

// Runs fn(start, count) over [0, items), each item costing about flopsPerItem; inline when the
// pool is null, has one thread, or the work is too small to share.
template <typename F>
void runSplit(ThreadPool* pool, size_t items, double flopsPerItem, F&& fn) {
  const size_t threads = pool ? pool->numThreads() : 1;
  size_t tasks = threads <= 1 ? 1
                              : std::min<size_t>({threads * 4, items,
                                                  static_cast<size_t>(double(items) * flopsPerItem / kMinFlopsPerTask)});
  if (tasks <= 1) return fn(size_t(0), items);
  tasks = std::min(items, (tasks + threads - 1) / threads * threads);
  pool->parallelize1d(items, (items + tasks - 1) / tasks, fn);
}

}  // namespace webnn
