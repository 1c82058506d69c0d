// Iteration over a broadcast of two inputs to an output shape. Dimensions are collapsed where both
// inputs step alike, so the common cases (same shape, scalar, per-channel row) become one long
// inner loop with input strides of 0 or 1.
#pragma once
#include <cstddef>
#include <algorithm>
#include <vector>

#include "graph/operand.h"
#include "core/thread_pool.h"

namespace webnn {

struct BroadcastPlan {
  std::vector<size_t> outerDims;               // collapsed output dims except the innermost
  std::vector<size_t> aStrides, bStrides;      // element strides of a and b for outerDims
  size_t inner = 1;                            // innermost (collapsed) extent
  size_t aInnerStride = 1, bInnerStride = 1;   // 0 (broadcast) or 1
  size_t outerCount = 1;
};

BroadcastPlan makeBroadcastPlan(const Shape& a, const Shape& b, const Shape& out);

// Calls row(aOffset, bOffset, outOffset) for each output row of plan.inner elements, in parallel
// for large outputs.
template <typename RowFn>
void forEachBroadcastRow(ThreadPool* pool, const BroadcastPlan& p, RowFn row) {
  auto runRows = [&](size_t begin, size_t count) {
    size_t rank = p.outerDims.size();
    size_t idx[kMaxRank] = {};  // rank <= kMaxRank: no allocation on the dispatch path
    size_t aOff = 0, bOff = 0, rem = begin;
    for (size_t d = rank; d-- > 0;) {
      idx[d] = rem % p.outerDims[d];
      rem /= p.outerDims[d];
      aOff += idx[d] * p.aStrides[d];
      bOff += idx[d] * p.bStrides[d];
    }
    for (size_t r = begin; r < begin + count; ++r) {
      row(aOff, bOff, r * p.inner);
      for (size_t d = rank; d-- > 0;) {  // odometer increment
        aOff += p.aStrides[d];
        bOff += p.bStrides[d];
        if (++idx[d] < p.outerDims[d]) break;
        aOff -= idx[d] * p.aStrides[d];
        bOff -= idx[d] * p.bStrides[d];
        idx[d] = 0;
      }
    }
  };
  size_t total = p.outerCount * p.inner;
  // 32K elements: below this, waking a thread costs more than it saves.
  const size_t minElementsPerTask = pool ? pool->minTaskElements(size_t(1) << 15) : 0;
  if (!pool || pool->numThreads() == 1 || total < 2 * minElementsPerTask) {
    runRows(0, p.outerCount);
    return;
  }
  size_t rowsPerTask = std::max<size_t>(1, minElementsPerTask / std::max<size_t>(p.inner, 1));
  pool->parallelize1d(p.outerCount, rowsPerTask, runRows);
}

}  // namespace webnn
