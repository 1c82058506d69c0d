// Iteration over a broadcast of two inputs to an output shape. Dimensions are collapsed where both
// inputs step alike, so the common cases (same shape, scalar, per-channel row) become one long
// inner loop with input strides of 0 or 1.
#pragma once
#include <cstddef>
#include <algorithm>
#include <vector>

#include "graph/operand.h"
#include "core/thread_pool.h"
#include "kernels/task_split.h"

namespace webnn {

struct BroadcastPlan {
  std::vector<size_t> outerDims;               // collapsed output dims except the innermost
  std::vector<size_t> aStrides, bStrides;      // element strides of a and b for outerDims
  size_t inner = 1;                            // innermost (collapsed) extent
  size_t aInnerStride = 1, bInnerStride = 1;   // 0 (broadcast) or 1
  size_t outerCount = 1;
};

BroadcastPlan makeBroadcastPlan(const Shape& a, const Shape& b, const Shape& out);

// Calls row(aOffset, bOffset, outOffset, count) over the output: each call covers `count` elements
// of one output row (plan.inner elements), from the given offsets, inputs stepping by their inner
// strides. Large outputs are shared among the threads in element ranges, not whole rows: a
// same-shape or scalar operation collapses to a single row. bytesPerElement (inputs read and output
// written) sizes the tasks (task_split.h).
template <typename RowFn>
void forEachBroadcastRow(ThreadPool* pool, const BroadcastPlan& p, double bytesPerElement, RowFn row) {
  // Output elements [begin, begin + count): the end of a row, whole rows, the start of one.
  auto runRange = [&](size_t begin, size_t count) {
    if (count == 0) return;
    const size_t rank = p.outerDims.size();
    size_t idx[kMaxRank] = {};  // rank <= kMaxRank: no allocation on the dispatch path
    size_t aOff = 0, bOff = 0, rem = begin / p.inner;
    for (size_t d = rank; d-- > 0;) {
      idx[d] = rem % p.outerDims[d];
      rem /= p.outerDims[d];
      aOff += idx[d] * p.aStrides[d];
      bOff += idx[d] * p.bStrides[d];
    }
    for (size_t pos = begin, end = begin + count, j = begin % p.inner; pos < end; j = 0) {
      const size_t n = std::min(p.inner - j, end - pos);
      row(aOff + j * p.aInnerStride, bOff + j * p.bInnerStride, pos, n);
      pos += n;
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
  runSplitElements(pool, p.outerCount * p.inner, kFlopsPerByteStreamed * bytesPerElement, runRange);
}

}  // namespace webnn
